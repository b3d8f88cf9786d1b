"""Data sets of the course: Challenger O-rings, blood pressure, MNIST.

The small tables ship with the package; MNIST is read from a directory or
downloaded with checksums.
"""

from __future__ import annotations

__all__: list[str] = []
