"""Tests of load_blood_pressure against the shared reference table."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from crossentropy.datasets import load_blood_pressure


def test_equal_to_the_shared_table(shared_data: Path) -> None:
    ref = np.genfromtxt(Path(shared_data) / "blood-pressure" / "sbp.csv", delimiter=",", names=True)
    d = load_blood_pressure()
    np.testing.assert_array_equal(d.age, ref["age"])
    np.testing.assert_array_equal(d.sbp, ref["sbp"])


def test_shape_and_least_squares_line() -> None:
    d = load_blood_pressure()
    assert len(d) == 33 and d.age.dtype == np.float64
    slope, intercept = np.polyfit(d.age, d.sbp, 1)
    # The course's line, sbp = 87.67 + 1.105 age (the README's 87.67142, 1.105022).
    assert abs(intercept - 87.67142) < 1e-5 and abs(slope - 1.105022) < 1e-6
    assert "dl_book" in d.source
