"""
1. Information
==============

Placeholder.
"""

import crossentropy as xe

print(xe.information(0.5, base="bits"))
