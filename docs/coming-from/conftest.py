"""The side-by-side pages are doctests: ``pytest docs/coming-from --doctest-glob='*.rst'``.

The PyTorch page needs torch (the ``bench`` extra); CI installs it.  Elsewhere that
page is left out when torch is not installed, and the others still run.
"""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("torch") else ["pytorch.rst"]
