"""Data sets of the course: Challenger O-rings, blood pressure, MNIST.

The small tables ship with the package; MNIST is read from a directory or
downloaded with checksums.
"""

from __future__ import annotations

from ._blood_pressure import BloodPressureData, load_blood_pressure
from ._challenger import ChallengerData, load_challenger

__all__: list[str] = [
    "BloodPressureData",
    "ChallengerData",
    "load_blood_pressure",
    "load_challenger",
]
