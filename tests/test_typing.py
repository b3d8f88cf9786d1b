"""The public return types are real types, not Any: mypy checks a user's snippet.

Functions that return a pair on a flag (``return_grad=True``, ``interval=0.95``)
are overloaded on it, so that a type checker knows which form a call returns.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SNIPPET = """
from typing import Any

import numpy as np
from numpy.typing import NDArray
from typing_extensions import assert_type

from crossentropy.losses import (
    binary_cross_entropy_with_logits as bce,
    categorical_cross_entropy_with_logits as cce,
)
from crossentropy.losses._classification import Losses
from crossentropy.models import LinearRegression, LogisticRegression, SoftmaxRegression
from crossentropy.models._linear import PredictionInterval
from crossentropy.models._logistic import ProbaInterval

assert_type(cce([0], [[0.0, 1.0]]), Losses)
assert_type(cce([0], [[0.0, 1.0]], return_grad=True), tuple[Losses, NDArray[np.floating[Any]]])
assert_type(bce([1.0], [0.0]), Losses)
assert_type(bce([1.0], [0.0], return_grad=True), tuple[Losses, Losses])
assert_type(LogisticRegression().predict_proba([[1.0]]), NDArray[Any])
assert_type(LogisticRegression().predict_proba([[1.0]], interval=0.95), ProbaInterval)
assert_type(SoftmaxRegression().predict_proba([[1.0]], interval=0.95), ProbaInterval)
assert_type(LinearRegression().predict([[1.0]]), NDArray[Any])
assert_type(LinearRegression().predict([[1.0]], interval=0.9), PredictionInterval)
"""


def test_flag_dependent_return_types(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    path = tmp_path / "snippet.py"
    path.write_text(textwrap.dedent(SNIPPET))
    cache = tmp_path / "cache"
    stdout, stderr, status = api.run([str(path), "--cache-dir", str(cache), "--no-error-summary"])
    assert status == 0, stdout + stderr
