"""Tests of load_challenger against the shared reference table."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from crossentropy.datasets import load_challenger


def test_shape_and_types() -> None:
    d = load_challenger()
    assert len(d) == 23
    assert d.columns == (
        "flight",
        "mission",
        "date",
        "temp_f",
        "pressure_psi",
        "n_orings",
        "distress",
        "erosion",
    )
    assert d.date.dtype == np.dtype("datetime64[D]") and d.temp_f.dtype == np.float64
    assert np.all(d.n_orings == 6)
    assert np.all(np.diff(d.date.astype(np.int64)) > 0), "flights are in time order"
    assert "Dalal" in d.source and "UCI" in d.source


def test_equal_to_the_shared_table(shared_data: Path) -> None:
    with open(Path(shared_data) / "challenger" / "orings.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    d = load_challenger()
    assert len(rows) == len(d)
    for name in d.columns:
        ours = getattr(d, name)
        theirs = [r[name] for r in rows]
        if name == "mission":
            assert ours.tolist() == theirs
        elif name == "date":
            np.testing.assert_array_equal(ours, np.array(theirs, dtype="datetime64[D]"))
        else:
            np.testing.assert_array_equal(ours, np.array(theirs, dtype=float))


def test_known_facts() -> None:
    d = load_challenger()
    coldest = int(np.argmin(d.temp_f))
    assert d.mission[coldest] == "STS-51-C" and d.temp_f[coldest] == 53 and d.distress[coldest] == 2
    # STS-61-A: blow-by on two O-rings, no erosion.
    i = d.mission.tolist().index("STS-61-A")
    assert d.distress[i] == 2 and d.erosion[i] == 0
    assert int(d.distress.sum()) == 9 and "STS-4" not in d.mission.tolist()
    assert d.as_dict()["temp_f"] is d.temp_f
