"""Systolic blood pressure against age of 33 American women."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._tables import read_table

__all__ = ["BloodPressureData", "load_blood_pressure"]


@dataclass(frozen=True)
class BloodPressureData:
    """Ages (years) and systolic blood pressures (mmHg), one entry per woman."""

    age: NDArray[np.float64]
    sbp: NDArray[np.float64]
    source: str

    def __len__(self) -> int:
        return int(self.age.shape[0])


def load_blood_pressure() -> BloodPressureData:
    """Load the 33 women's ages and systolic blood pressures, shipped with the package.

    The linear-regression example of the course: with Gaussian noise, maximum
    likelihood is least squares, and the fit is sbp = 87.67 + 1.105 * age.

    Source: the public notebooks of Dürr, Sick & Murina, *Probabilistic Deep
    Learning with Python, Keras and TensorFlow Probability* (Manning, 2020),
    github.com/tensorchiefs/dl_book, ``chapter_03/nb_ch03_01.ipynb``.

    Returns
    -------
    BloodPressureData
        ``age`` (years) and ``sbp`` (mmHg) as float64 arrays of length 33.

    Examples
    --------
    >>> d = load_blood_pressure()
    >>> len(d), float(d.age.min()), float(d.sbp.max())
    (33, 9.0, 217.0)
    """
    comments, header, rows = read_table("blood_pressure.csv")
    data = np.array(rows, dtype=np.float64)
    return BloodPressureData(
        age=data[:, header.index("age")],
        sbp=data[:, header.index("sbp")],
        source=" ".join(comments),
    )
