"""Extreme but finite input to the estimators: a clear error naming the argument."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from crossentropy.models import LinearRegression, LogisticRegression, SoftmaxRegression

RNG = np.random.default_rng(0)
X = RNG.normal(size=(20, 2))
Y = X[:, 0] > 0
HUGE_W = np.full(20, 1e308)
SUM = "`sample_weight` sums to more than the largest float"

CASES: list[tuple[Callable[[], Any], str]] = [
    # NumPy's "operands could not be broadcast together" before.
    (lambda: LogisticRegression().fit(X, Y[:15]), r"one label per row of X \(20\); got 15"),
    # NumPy's "expected non-negative integer" before.
    (
        lambda: SoftmaxRegression(solver="sgd", random_state=-1).fit(X, Y.astype(int)),
        "`random_state` must be a non-negative integer; got -1",
    ),
    # ZeroDivisionError (linear) and NaN logits nobody passed (logistic) before.
    (lambda: LinearRegression().fit(X, X[:, 0], sample_weight=HUGE_W), SUM),
    (lambda: LogisticRegression().fit(X, Y, sample_weight=HUGE_W), SUM),
    # SciPy's "array must not contain infs or NaNs" before.
    (lambda: LogisticRegression().fit(X * 1e300, Y), r"`X` has values up to 2.33e\+300"),
    (lambda: SoftmaxRegression().fit(X * 1e300, Y.astype(int)), "`X` has values up to"),
]


@pytest.mark.parametrize(("fit", "match"), CASES)
def test_extreme_inputs_are_named(fit: Callable[[], Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        fit()


def test_large_but_safe_values_still_fit() -> None:
    m = LinearRegression().fit(X * 1e100, X[:, 0] * 1e100)
    np.testing.assert_allclose(m.coef_, [1.0, 0.0], atol=1e-8)
