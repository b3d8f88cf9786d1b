"""Tests of the linear-programming separation test."""

from __future__ import annotations

import numpy as np
import pytest

from crossentropy.models._separation import SeparationWarning, find_separation

NAMES = ["intercept", "x"]


def _counts(y: np.ndarray, k: int = 2) -> np.ndarray:
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), y] = 1
    return out


def test_overlapping_classes_are_not_separated() -> None:
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    assert (
        find_separation(X, _counts(np.array([0, 1, 0, 1])), fit_intercept=True, names=NAMES) is None
    )


def test_complete_separation_and_its_direction() -> None:
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    s = find_separation(X, _counts(np.array([0, 0, 1, 1])), fit_intercept=True, names=NAMES)
    assert s is not None and s.kind == "complete" and s.n_separated == 4
    d = s.direction[:, 0]
    assert np.max(np.abs(d)) == 1.0
    # Every row's margin along the direction is positive for its own class.
    margins = (np.column_stack([np.ones(4), X]) @ d) * np.array([-1, -1, 1, 1])
    assert np.all(margins > 0)
    assert s.running == ("intercept", "x")


def test_quasi_separation_counts_the_rows_off_the_boundary() -> None:
    X = np.array([[1.0], [2.0], [3.0], [3.0], [4.0]])
    s = find_separation(X, _counts(np.array([0, 0, 0, 1, 1])), fit_intercept=True, names=NAMES)
    assert s is not None and s.kind == "quasi-complete" and s.n_separated == 3


def test_binomial_rows_with_both_outcomes_are_equalities() -> None:
    X = np.array([[1.0], [2.0], [3.0]])
    counts = np.array([[3.0, 0.0], [2.0, 1.0], [0.0, 4.0]])  # middle row has both outcomes
    s = find_separation(X, counts, fit_intercept=True, names=NAMES)
    assert s is not None and s.kind == "quasi-complete" and s.n_separated == 2
    # The boundary passes through the middle row.
    d = s.direction[:, 0]
    assert d[0] + 2.0 * d[1] == pytest.approx(0.0, abs=1e-9)


def test_zero_weight_rows_are_ignored() -> None:
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    counts = _counts(np.array([0, 1, 0, 1]))
    counts[[1, 2]] = 0.0  # what is left, rows 0 and 3, is separable
    s = find_separation(X, counts, fit_intercept=True, names=NAMES)
    assert s is not None and s.n_obs == 2


def test_a_feature_that_alone_separates() -> None:
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=40), rng.normal(size=40)])
    y = (X[:, 1] > 0).astype(int)
    s = find_separation(X, _counts(y), fit_intercept=True, names=["intercept", "a", "b"])
    assert s is not None and s.kind == "complete" and "b" in s.running


def test_three_classes() -> None:
    X = np.array([[0.0], [0.1], [5.0], [5.1], [10.0], [10.1]])
    y = np.array([0, 0, 1, 1, 2, 2])
    s = find_separation(
        X, _counts(y, 3), fit_intercept=True, names=["b[1]", "b[2]", "x[1]", "x[2]"]
    )
    assert s is not None and s.kind == "complete" and s.direction.shape == (2, 2)


def test_warning_text() -> None:
    X = np.array([[1.0], [2.0]])
    s = find_separation(X, _counts(np.array([0, 1])), fit_intercept=True, names=NAMES)
    assert s is not None
    with pytest.warns(SeparationWarning, match="no finite maximum-likelihood.*l2 > 0"):
        s.warn()


def test_the_size_limit_is_checked_before_anything_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import crossentropy.models._separation as separation

    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    counts = _counts(np.array([0, 0, 1, 1]))
    # 4 observed (row, class) pairs, 1 competing class each, q = 2 free parameters.
    assert separation.lp_entries(counts, 2) == 4 * 1 * 2 * 1
    monkeypatch.setattr(separation, "MAX_LP_ENTRIES", 8)
    assert find_separation(X, counts, fit_intercept=True, names=NAMES) is not None
    monkeypatch.setattr(separation, "MAX_LP_ENTRIES", 7)
    assert find_separation(X, counts, fit_intercept=True, names=NAMES) is None


def test_boolean_presence_reads_like_counts() -> None:
    # SoftmaxRegression passes which class each row is observed in, as booleans.
    X = np.array([[0.0], [0.1], [5.0], [5.1], [10.0], [10.1]])
    counts = _counts(np.array([0, 0, 1, 1, 2, 2]), 3)
    names = ["b[1]", "b[2]", "x[1]", "x[2]"]
    a = find_separation(X, counts, fit_intercept=True, names=names)
    b = find_separation(X, counts > 0, fit_intercept=True, names=names)
    assert a is not None and b is not None
    assert (a.kind, a.running, a.n_separated) == (b.kind, b.running, b.n_separated)
    np.testing.assert_array_equal(a.direction, b.direction)


def test_a_fit_at_a_true_maximum_runs_no_linear_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import crossentropy.models._base as base
    from crossentropy.models import LogisticRegression, SoftmaxRegression

    calls: list[int] = []

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return find_separation(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(base, "find_separation", counting)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 5))
    y = (X @ rng.normal(size=5) + rng.logistic(size=3000)) > 0
    m = LogisticRegression().fit(X, y)
    assert m.stop_reason_ == "converged" and np.all(np.isfinite(m.bse_))
    labels = np.argmax(X[:, :3] + rng.gumbel(size=(3000, 3)), axis=1)
    SoftmaxRegression().fit(X, labels)
    assert calls == []  # Newton's last step certified the maxima
    # Quasi-complete separation: x < 0 gives 0, x > 0 gives 1, x = 0 either.
    x = np.concatenate([rng.uniform(-3, -0.1, 200), rng.uniform(0.1, 3, 200), np.zeros(50)])
    yq = np.concatenate([np.zeros(200), np.ones(200), rng.integers(0, 2, 50)])
    Xq = np.column_stack([x, rng.normal(size=450)])
    with pytest.warns(SeparationWarning):
        q = LogisticRegression().fit(Xq, yq)
    assert q.stop_reason_ == "separation" and calls == [1]
    # Complete separation, three classes.
    centres = np.repeat(np.array([[-6.0, 0.0], [6.0, 0.0], [0.0, 6.0]]), 40, axis=0)
    with pytest.warns(SeparationWarning):
        points = centres + rng.uniform(-1, 1, centres.shape)
        SoftmaxRegression().fit(points, np.repeat([0, 1, 2], 40))
    assert len(calls) == 2
