"""Data sets of the course: Challenger O-rings, blood pressure, MNIST.

The small tables ship with the package; MNIST is read from a directory or
downloaded with checksums, and the 8 x 8 digits of scikit-learn are the embedded
fallback when it is not available.
"""

from __future__ import annotations

from ._blood_pressure import BloodPressureData, load_blood_pressure
from ._challenger import ChallengerData, fit_challenger, load_challenger
from ._mnist import (
    DATA_ENV_VAR,
    ImageDataset,
    ImageSplit,
    default_data_home,
    load_digits,
    load_mnist,
    load_with_fallback,
)

__all__: list[str] = [
    "DATA_ENV_VAR",
    "BloodPressureData",
    "ChallengerData",
    "ImageDataset",
    "ImageSplit",
    "default_data_home",
    "fit_challenger",
    "load_blood_pressure",
    "load_challenger",
    "load_digits",
    "load_mnist",
    "load_with_fallback",
]
