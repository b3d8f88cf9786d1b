"""Tests of crossentropy.losses (classification): binary and categorical cross-entropy
from probabilities and from logits, with their gradients.

Only the public API is used, so that any faster path behind it is held to the same
numbers.  References: mpmath (exact values and gradients at extreme logits, see
_reference.py), central differences, scikit-learn's log_loss, scipy.special.
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import mpmath as mp
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

import _reference as ref
import crossentropy as xe
import crossentropy.losses as L

EPS: dict[Any, float] = {
    np.float64: float(np.finfo(np.float64).eps),
    np.float32: float(np.finfo(np.float32).eps),
}
TINY: dict[Any, float] = {
    np.float64: float(np.finfo(np.float64).tiny),
    np.float32: float(np.finfo(np.float32).tiny),
}


def raises(exc: type[Exception], *fragments: str) -> Any:
    return pytest.raises(exc, match="(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments))


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    return np.eye(k)[labels]


# --------------------------------------------------------------------------------------
# Definitions and worked examples
# --------------------------------------------------------------------------------------


def test_binary_cross_entropy_is_the_bernoulli_negative_log_likelihood() -> None:
    y = [1, 0, 1, 0, 1, 0.25, 0.75]
    p = [0.9, 0.2, 0.0, 0.0, 1.0, 0.5, 1e-300]
    loss = L.binary_cross_entropy(y, p)
    assert loss[2] == np.inf and loss[3] == 0 and loss[4] == 0
    for yi, pi, li in zip(y, p, loss, strict=True):
        yy, pp = ref.mpf(yi), ref.mpf(pi)
        exact = -(yy * mp.log(pp) if yy else 0) - ((1 - yy) * mp.log1p(-pp) if yy < 1 else 0)
        # Two logs of exact inputs and one addition of terms of equal sign.
        assert ref.rel_err(li, exact, TINY[np.float64]) <= 4 * EPS[np.float64], (yi, pi, li)


def test_categorical_cross_entropy_picks_the_true_class() -> None:
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.0, 1.0, 0.0]])
    labels = np.array([0, 2, 0])
    loss = L.categorical_cross_entropy(labels, p)
    np.testing.assert_array_equal(loss, [-math.log(0.7), -math.log(0.8), math.inf])
    # With one-hot rows only the true class's term survives: the same numbers.
    np.testing.assert_array_equal(L.categorical_cross_entropy(one_hot(labels, 3), p), loss)


def test_summed_kl_differs_from_summed_cross_entropy_by_the_target_entropy() -> None:
    rng = np.random.default_rng(1)
    y = rng.dirichlet(np.ones(4), size=20)
    p = rng.dirichlet(np.ones(4), size=20)
    ce = L.categorical_cross_entropy(y, p)
    np.testing.assert_allclose(ce, xe.cross_entropy(y, p), rtol=1e-15, atol=0)
    np.testing.assert_allclose(ce, xe.entropy(y) + xe.kl_divergence(y, p), rtol=1e-13, atol=0)


def test_confident_correct_predictions_keep_their_tiny_loss() -> None:
    e40 = 4.248354255291589e-18  # log(1 + e^-40)
    assert L.binary_cross_entropy_with_logits(1.0, 40.0) == pytest.approx(e40, rel=1e-15, abs=0)
    assert L.binary_cross_entropy_with_logits(0.0, -40.0) == pytest.approx(e40, rel=1e-15, abs=0)
    loss = L.categorical_cross_entropy_with_logits([1], [[0.0, 40.0, 0.0]])
    assert loss[0] == pytest.approx(math.log1p(2 * math.exp(-40)), rel=1e-15, abs=0)
    _, grad = L.categorical_cross_entropy_with_logits([1], [[0.0, 40.0, 0.0]], return_grad=True)
    assert grad[0, 1] == pytest.approx(-2 * e40, rel=1e-14, abs=0)
    _, grad = L.categorical_cross_entropy_with_logits(
        [[0.0, 1.0, 0.0]], [[0.0, 40.0, 0.0]], return_grad=True
    )
    assert grad[0, 1] == pytest.approx(-2 * e40, rel=1e-14, abs=0)


# --------------------------------------------------------------------------------------
# Agreement with scikit-learn and scipy on ordinary inputs
# --------------------------------------------------------------------------------------

# log_loss clips to [eps, 1 - eps] (no effect on these inputs) and sums log terms; the
# two agree to rounding.
SKLEARN_RTOL = 1e-13


def test_match_sklearn_log_loss() -> None:
    from sklearn.metrics import log_loss

    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(5), size=200)
    y = rng.integers(0, 5, 200)
    assert L.categorical_cross_entropy(y, p).mean() == pytest.approx(
        log_loss(y, p, labels=range(5)), rel=SKLEARN_RTOL, abs=0
    )
    z = rng.normal(0, 3, size=(200, 5))
    assert L.categorical_cross_entropy_with_logits(y, z).mean() == pytest.approx(
        log_loss(y, scipy.special.softmax(z, axis=1), labels=range(5)), rel=SKLEARN_RTOL, abs=0
    )
    pb = rng.uniform(0.01, 0.99, 200)
    yb = rng.integers(0, 2, 200)
    assert L.binary_cross_entropy(yb, pb).mean() == pytest.approx(
        log_loss(yb, pb), rel=SKLEARN_RTOL, abs=0
    )
    zb = rng.normal(0, 3, 200)
    assert L.binary_cross_entropy_with_logits(yb, zb).mean() == pytest.approx(
        log_loss(yb, scipy.special.expit(zb)), rel=SKLEARN_RTOL, abs=0
    )
    w = rng.uniform(0.5, 2.0, 200)
    assert np.average(L.categorical_cross_entropy(y, p), weights=w) == pytest.approx(
        log_loss(y, p, labels=range(5), sample_weight=w), rel=SKLEARN_RTOL, abs=0
    )


def _direct_softmax_loss(
    t: np.ndarray, z: np.ndarray, w: np.ndarray, eps: float
) -> tuple[np.ndarray, np.ndarray]:
    """-sum_c w_c t_c log softmax(z)_c with t smoothed, and its gradient, from scipy."""
    k = z.shape[-1]
    t = (1 - eps) * t + eps / k
    wt = w * t
    loss = -(wt * scipy.special.log_softmax(z, axis=-1)).sum(axis=-1)
    grad = wt.sum(axis=-1, keepdims=True) * scipy.special.softmax(z, axis=-1) - wt
    return loss, grad


@pytest.mark.parametrize("eps", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_smoothing_and_class_weights_match_the_formula(eps: float, weighted: bool) -> None:
    rng = np.random.default_rng(4)
    z = rng.normal(0, 2, size=(50, 6))
    y = rng.integers(0, 6, 50)
    w = rng.uniform(0.2, 3.0, 6) if weighted else np.ones(6)
    kw: dict[str, Any] = {"label_smoothing": eps, "class_weight": w if weighted else None}
    expected_loss, expected_grad = _direct_softmax_loss(one_hot(y, 6), z, w, eps)
    # Ordinary logits: both sides accurate to a few ulps of the loss; gradient
    # elements to a few ulps of the larger of the two parts w t and (sum w t) p.
    for target in (y, one_hot(y, 6)):
        loss, grad = L.categorical_cross_entropy_with_logits(target, z, return_grad=True, **kw)
        np.testing.assert_allclose(loss, expected_loss, rtol=1e-13, atol=0)
        np.testing.assert_allclose(grad, expected_grad, rtol=0, atol=1e-14 * np.abs(w).max())
    soft = rng.dirichlet(np.ones(6), size=50)
    expected_loss, expected_grad = _direct_softmax_loss(soft, z, w, eps)
    loss, grad = L.categorical_cross_entropy_with_logits(soft, z, return_grad=True, **kw)
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-13, atol=0)
    np.testing.assert_allclose(grad, expected_grad, rtol=0, atol=1e-14 * np.abs(w).max())


# --------------------------------------------------------------------------------------
# Exact values and gradients at extreme logits (mpmath)
# --------------------------------------------------------------------------------------


def _extreme_rows(dtype: Any) -> list[tuple[list[float], int]]:
    """(logits, label) pairs whose gaps max(z) - z_c are exact in ``dtype``."""
    if dtype == np.float64:
        big, under = 1e300, -745.0  # exp(-745) = 5e-324, the last subnormal
    else:
        big, under = 1e4, -103.0  # exp(-103) = 1.4e-45, the last float32 subnormal
    rows = [
        ([big, -big, 0.0], 0),
        ([big, -big, 0.0], 1),
        ([big, -big, 0.0], 2),
        ([big, big], 0),
        ([-big, -big, -big], 2),
        ([40.0, 0.0, 0.0], 0),
        ([40.0, 0.0, 0.0], 1),
        ([0.0, -40.0, -np.inf], 0),
        ([0.0, -40.0, -np.inf], 1),
        ([-np.inf, 0.0, 1.0, -np.inf], 1),
        ([-np.inf, 0.0, 1.0, -np.inf], 2),
        ([1e4 + 40, 1e4], 0),
        ([1e4 + 40, 1e4], 1),
        ([-big, -big + 40] if dtype == np.float64 else [-1e4, -1e4 + 40], 1),
        ([0.0, under], 0),
        ([0.0, under], 1),
        ([3.0], 0),
        ([2.0, 1.0, 0.5, -1.0, 0.25], 3),
    ]
    return rows


def _categorical_reference(
    a_rows: list[list[float]], z_rows: list[list[float]]
) -> list[tuple[mp.mpf, list[mp.mpf], list[mp.mpf]]]:
    return [ref.categorical_with_logits(a, z) for a, z in zip(a_rows, z_rows, strict=True)]


def _assert_categorical_close(
    loss: np.ndarray, grad: np.ndarray, refs: list, dtype: Any, rtol: np.ndarray | float, what: str
) -> tuple[float, float]:
    """Each loss within rtol relative, each gradient element within rtol of the size of
    its parts (= relative error when one part is 0).  Returns the worst errors seen."""
    rtol = np.broadcast_to(np.asarray(rtol, float), (len(refs),))
    worst_loss = worst_grad = 0.0
    for i, (exact_loss, exact_grad, size) in enumerate(refs):
        e = ref.rel_err(loss[i], exact_loss, TINY[dtype])
        assert e <= rtol[i], f"{what} row {i}: loss {loss[i]!r} vs {mp.nstr(exact_loss, 17)}"
        worst_loss = max(worst_loss, e)
        for j, (g, s) in enumerate(zip(exact_grad, size, strict=True)):
            err = abs(ref.mpf(grad[i, j]) - g) / max(s, mp.mpf(TINY[dtype]))
            assert err <= rtol[i], (
                f"{what} row {i} class {j}: grad {grad[i, j]!r} vs {mp.nstr(g, 17)}"
            )
            worst_grad = max(worst_grad, float(err))
    return worst_loss, worst_grad


# Extreme logits with exact gaps: every value within a few roundings.  The loss is a
# sum of non-negative parts (gap, log1p of a sum of exponentials, weighted); each
# gradient element is a product/quotient of those parts.
EXTREME_RTOL: dict[Any, float] = {np.float64: 8 * EPS[np.float64], np.float32: 8 * EPS[np.float32]}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("form", ["labels", "one-hot rows"])
def test_categorical_with_logits_is_exact_at_extreme_logits(dtype: Any, form: str) -> None:
    worst = (0.0, 0.0)
    for z_row, label in _extreme_rows(dtype):
        z = np.array([z_row], dtype)
        k = z.shape[1]
        target: Any = (
            np.array([label]) if form == "labels" else one_hot(np.array([label]), k).astype(dtype)
        )
        loss, grad = L.categorical_cross_entropy_with_logits(target, z, return_grad=True)
        assert loss.dtype == grad.dtype == dtype
        assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))
        assert np.array_equal(L.categorical_cross_entropy_with_logits(target, z), loss)
        refs = _categorical_reference([list(one_hot(np.array([label]), k)[0])], [list(z[0])])
        w = _assert_categorical_close(
            loss, grad, refs, dtype, EXTREME_RTOL[dtype], f"{z_row}/{label}"
        )
        worst = (max(worst[0], w[0]), max(worst[1], w[1]))
    print(f"worst relative error {dtype.__name__} {form}: loss {worst[0]:.3g}, grad {worst[1]:.3g}")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_categorical_with_weights_and_smoothing_at_extreme_logits(dtype: Any) -> None:
    rows = _extreme_rows(dtype)
    for eps, w in [
        (0.0, [0.5, 2.0, 3.0, 1.0, 0.25]),
        (0.1, None),
        (0.2, [0.5, 2.0, 3.0, 1.0, 0.25]),
    ]:
        for z_row, label in rows:
            k = len(z_row)
            if any(v == -np.inf for v in z_row) and eps > 0:
                continue  # the smoothed target weighs the masked class: +inf, tested below
            cw = None if w is None else np.array(w[:k])
            z = np.array([z_row], dtype)
            loss, grad = L.categorical_cross_entropy_with_logits(
                [label], z, label_smoothing=eps, class_weight=cw, return_grad=True
            )
            eps_k = mp.mpf(eps) / k
            t = [(1 - mp.mpf(eps)) * (c == label) + eps_k for c in range(k)]
            a = [t[c] * (1 if cw is None else ref.mpf(cw.astype(dtype)[c])) for c in range(k)]
            refs = _categorical_reference([a], [list(z[0])])
            # eps/K and the weighted sums are rounded once more each.
            _assert_categorical_close(
                loss, grad, refs, dtype, 2 * EXTREME_RTOL[dtype], f"{z_row} eps={eps}"
            )


def _binary_extremes(dtype: Any) -> list[float]:
    if dtype == np.float64:
        return [
            0.0,
            1e-300,
            0.5,
            -0.5,
            3.0,
            -3.0,
            36.75,
            -36.75,
            40.0,
            -40.0,
            745.0,
            -745.0,
            1e4,
            -1e4,
            1e300,
            -1e300,
            1.7e308,
            -1.7e308,
            np.inf,
            -np.inf,
        ]
    return [
        0.0,
        1e-30,
        0.5,
        -0.5,
        3.0,
        -3.0,
        17.25,
        -17.25,
        40.0,
        -40.0,
        103.0,
        -103.0,
        1e4,
        -1e4,
        3e38,
        -3e38,
        np.inf,
        -np.inf,
    ]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_with_logits_is_exact_at_extreme_logits(dtype: Any) -> None:
    z = np.array(_binary_extremes(dtype), dtype)
    worst_loss = worst_grad = 0.0
    for y, w in [(1.0, None), (0.0, None), (0.25, None), (1.0, 3.0), (0.75, 0.5)]:
        yy = np.full(z.shape, y, dtype)
        loss, grad = L.binary_cross_entropy_with_logits(yy, z, pos_weight=w, return_grad=True)
        assert loss.dtype == grad.dtype == dtype
        assert not np.any(np.isnan(loss)) and np.all(np.isfinite(grad))
        for i, zi in enumerate(z):
            exact_loss, exact_grad, size = ref.binary_with_logits(y, zi, 1.0 if w is None else w)
            # Soft targets at an infinite logit: an infinite loss, exactly.
            e = ref.rel_err(loss[i], exact_loss, TINY[dtype])
            assert e <= EXTREME_RTOL[dtype], (y, w, zi, loss[i], mp.nstr(exact_loss, 17))
            g = float(abs(ref.mpf(grad[i]) - exact_grad) / max(size, mp.mpf(TINY[dtype])))
            assert g <= EXTREME_RTOL[dtype], (y, w, zi, grad[i], mp.nstr(exact_grad, 17))
            worst_loss, worst_grad = max(worst_loss, e), max(worst_grad, g)
    name = dtype.__name__
    print(f"worst relative error {name} binary: loss {worst_loss:.3g}, grad {worst_grad:.3g}")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_many_classes(dtype: Any) -> None:
    # K = 1e6: one class 40 above the others.  loss = log1p((K - 1) e^-40).
    k = 10**6
    z = np.zeros((1, k), dtype)
    z[0, 123] = 40.0
    loss, grad = L.categorical_cross_entropy_with_logits([123], z, return_grad=True)
    rest = (k - 1) * mp.exp(-40)
    exact_loss = mp.log1p(rest)
    rtol = 64 * EPS[dtype]  # a sum of 1e6 equal terms: pairwise summation error
    assert ref.rel_err(loss[0], exact_loss, TINY[dtype]) <= rtol
    assert ref.rel_err(grad[0, 123], -rest / (1 + rest), TINY[dtype]) <= rtol
    assert ref.rel_err(grad[0, 0], mp.exp(-40) / (1 + rest), TINY[dtype]) <= rtol
    loss, grad = L.categorical_cross_entropy_with_logits([7], z, return_grad=True)
    assert ref.rel_err(loss[0], 40 + exact_loss, TINY[dtype]) <= rtol
    assert ref.rel_err(grad[0, 7], mp.exp(-40) / (1 + rest) - 1, TINY[dtype]) <= rtol


# Ordinary random logits: the gaps max(z) - z_c are rounded once (relative eps/2),
# which exp turns into a relative error of up to G eps / 2 in e^{-gap}, where G is
# the largest finite gap of the row.  Hence a tolerance that grows with G.
def _random_rtol(z: np.ndarray, dtype: Any) -> np.ndarray:
    finite = np.where(np.isfinite(z), z, np.nan)
    g = np.nanmax(finite, axis=1) - np.nanmin(finite, axis=1)
    return 8 * EPS[dtype] * (1 + g)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_categorical_with_logits_matches_mpmath_on_random_logits(dtype: Any) -> None:
    rng = np.random.default_rng(12)
    n, k = 40, 5
    z = (rng.normal(0, 1, (n, k)) * rng.choice([1, 5, 30], (n, 1))).astype(dtype)
    z[::9, 1] = -np.inf
    y = rng.integers(0, k, n)
    y[::9] = 0
    soft = rng.dirichlet(np.ones(k), size=n)
    soft[::9, 1] = 0.0
    soft = (soft / soft.sum(axis=1, keepdims=True)).astype(dtype)
    rtol = _random_rtol(z, dtype)
    worst = []
    for target, a_rows in [(y, one_hot(y, k)), (soft, soft)]:
        loss, grad = L.categorical_cross_entropy_with_logits(target, z, return_grad=True)
        refs = _categorical_reference([list(a) for a in a_rows], [list(r) for r in z])
        worst.append(_assert_categorical_close(loss, grad, refs, dtype, rtol, "random"))
    print(f"worst relative error {dtype.__name__} random logits (labels, soft rows): {worst}")


# --------------------------------------------------------------------------------------
# Gradients against central differences
# --------------------------------------------------------------------------------------


def _central_difference(f: Any, z: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """d loss_i / d z_ij for losses that depend on row i only: perturb one column at
    a time, all rows at once."""
    grad = np.empty_like(z)
    for j in range(z.shape[-1]):
        step = np.zeros_like(z)
        step[..., j] = h
        grad[..., j] = (f(z + step) - f(z - step)) / (2 * h)
    return grad


# Central differences with h = 1e-5 on losses of size ~1: truncation error
# h^2 |f'''| / 6 ~ 1e-11 and rounding eps |f| / h ~ 1e-11.
FD_ATOL = 1e-8


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"label_smoothing": 0.15},
        {"class_weight": np.array([0.5, 1.0, 2.0, 0.0])},
        {"label_smoothing": 0.3, "class_weight": np.array([0.5, 1.0, 2.0, 3.0])},
    ],
    ids=["plain", "smoothing", "class_weight", "both"],
)
@pytest.mark.parametrize("form", ["labels", "rows"])
def test_categorical_gradient_matches_central_differences(
    options: dict[str, Any], form: str
) -> None:
    rng = np.random.default_rng(21)
    z = rng.normal(0, 2, size=(30, 4))
    target: Any = rng.integers(0, 4, 30) if form == "labels" else rng.dirichlet(np.ones(4), 30)

    def f(zz: np.ndarray) -> np.ndarray:
        return L.categorical_cross_entropy_with_logits(target, zz, **options)

    _, grad = L.categorical_cross_entropy_with_logits(target, z, return_grad=True, **options)
    np.testing.assert_allclose(grad, _central_difference(f, z), rtol=0, atol=FD_ATOL)


def test_categorical_gradient_on_another_axis_matches_central_differences() -> None:
    rng = np.random.default_rng(22)
    z = rng.normal(0, 2, size=(3, 4, 5))  # classes on axis 1
    y = rng.integers(0, 4, size=(3, 5))
    _, grad = L.categorical_cross_entropy_with_logits(y, z, axis=1, return_grad=True)
    assert grad.shape == z.shape
    fd = np.empty_like(z)
    for j in range(4):
        step = np.zeros_like(z)
        step[:, j, :] = 1e-5
        up = L.categorical_cross_entropy_with_logits(y, z + step, axis=1)
        down = L.categorical_cross_entropy_with_logits(y, z - step, axis=1)
        fd[:, j, :] = (up - down) / 2e-5
    np.testing.assert_allclose(grad, fd, rtol=0, atol=FD_ATOL)


@pytest.mark.parametrize("pos_weight", [None, 2.5, np.array([0.5, 1.0, 4.0])])
def test_binary_gradient_matches_central_differences(pos_weight: Any) -> None:
    rng = np.random.default_rng(23)
    z = rng.normal(0, 3, size=(40, 3))
    y = np.concatenate([rng.integers(0, 2, (20, 3)), rng.uniform(0, 1, (20, 3))])

    def f(zz: np.ndarray) -> np.ndarray:
        return L.binary_cross_entropy_with_logits(y, zz, pos_weight=pos_weight)

    _, grad = L.binary_cross_entropy_with_logits(y, z, pos_weight=pos_weight, return_grad=True)
    fd = np.empty_like(z)
    for j in range(3):  # elementwise: each entry of z is its own example
        step = np.zeros_like(z)
        step[:, j] = 1e-5
        fd[:, j] = ((f(z + step) - f(z - step)) / 2e-5)[:, j]
    np.testing.assert_allclose(grad, fd, rtol=0, atol=FD_ATOL)


# --------------------------------------------------------------------------------------
# Identities (hypothesis)
# --------------------------------------------------------------------------------------

_logit = st.floats(-50, 50, allow_nan=False)
_target = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1))


@settings(max_examples=100)
@given(_target, st.floats(0, 1), st.floats(0.25, 4.0))
def test_binary_equals_two_class_categorical_from_probabilities(
    y: float, p: float, w: float
) -> None:
    bce = L.binary_cross_entropy(y, p)
    cce = L.categorical_cross_entropy([1 - y, y], [1 - p, p])
    # 1 - p is rounded for the categorical form (relative 1.1e-16, i.e. an absolute
    # 1.1e-16 in its log); the binary form uses log1p(-p).
    assert cce == pytest.approx(bce, rel=1e-12, abs=2e-16)
    if y in (0.0, 1.0):
        assert L.categorical_cross_entropy(int(y), [1 - p, p]) == pytest.approx(
            bce, rel=1e-12, abs=2e-16
        )


@settings(max_examples=150)
@given(_target, _logit, st.one_of(st.none(), st.floats(0.0, 4.0)))
def test_binary_equals_two_class_categorical_from_logits(
    y: float, z: float, w: float | None
) -> None:
    bce, g = L.binary_cross_entropy_with_logits(y, z, pos_weight=w, return_grad=True)
    cw = None if w is None else [1.0, w]
    cce, gc = L.categorical_cross_entropy_with_logits(
        [1 - y, y], [0.0, z], class_weight=cw, return_grad=True
    )
    # Both forms are sums of non-negative parts: agreement to a few ulps.
    assert cce == pytest.approx(bce, rel=1e-14, abs=0)
    # The gradient is a difference of (1 - y) sigma(z) and w y sigma(-z): agreement to
    # a few ulps of the larger part.
    parts = (1 - y) * xe.sigmoid(z) + (1.0 if w is None else w) * y * xe.sigmoid(-z)
    assert gc[1] == pytest.approx(g, rel=0, abs=4e-16 * parts)
    assert gc[0] == pytest.approx(-g, rel=0, abs=4e-16 * parts)
    if y in (0.0, 1.0):
        cce_l, gl = L.categorical_cross_entropy_with_logits(
            int(y), [0.0, z], class_weight=cw, return_grad=True
        )
        assert cce_l == pytest.approx(bce, rel=1e-14, abs=0)
        assert gl[1] == pytest.approx(g, rel=1e-14, abs=0)


_prob_rows = st.integers(1, 6).flatmap(
    lambda k: (
        st.lists(st.floats(0, 1), min_size=k, max_size=k)
        .filter(lambda v: sum(v) > 0)
        .map(lambda v: np.asarray(v) / np.sum(v))
    )
)


@settings(max_examples=100)
@given(_prob_rows, st.data())
def test_cross_entropy_over_q_is_smallest_at_q_equal_p(p: np.ndarray, data: st.DataObject) -> None:
    with np.errstate(divide="ignore"):
        z = np.log(p)  # -inf for classes of probability 0: switched off
    loss, grad = L.categorical_cross_entropy_with_logits(p, z, return_grad=True)
    # The minimum value is H(P), and the gradient softmax(log p) - p vanishes there
    # (up to the rounding of log and exp: a few ulps of each p_c).
    assert loss == pytest.approx(xe.entropy(p), rel=1e-13, abs=1e-15)
    np.testing.assert_allclose(grad, 0.0, rtol=0, atol=1e-15)
    # Any other model does no better.
    q = data.draw(_prob_rows.filter(lambda r: r.size == p.size))
    with np.errstate(divide="ignore"):
        other = L.categorical_cross_entropy_with_logits(p, np.log(q))
    assert other >= loss - 1e-14 * (1 + loss)
    assert L.categorical_cross_entropy(p, q) >= L.categorical_cross_entropy(p, p) - 1e-14 * (
        1 + loss
    )


@settings(max_examples=100)
@given(
    st.integers(1, 5).flatmap(
        lambda k: st.tuples(st.lists(_logit, min_size=k, max_size=k), st.integers(0, k - 1))
    )
)
def test_labels_and_one_hot_rows_agree(case: tuple[list[float], int]) -> None:
    z, y = np.array([case[0]]), np.array([case[1]])
    loss, grad = L.categorical_cross_entropy_with_logits(y, z, return_grad=True)
    loss_r, grad_r = L.categorical_cross_entropy_with_logits(
        one_hot(y, z.shape[1]), z, return_grad=True
    )
    assert loss_r[0] == pytest.approx(loss[0], rel=1e-15, abs=0)
    np.testing.assert_allclose(grad_r, grad, rtol=1e-15, atol=0)
    # The probability form agrees with the logit form away from underflow.
    p = xe.softmax(z)
    if p[0, y[0]] > 1e-300:
        assert L.categorical_cross_entropy(y, p)[0] == pytest.approx(loss[0], rel=1e-12, abs=1e-15)


# --------------------------------------------------------------------------------------
# Infinite limits and switched-off classes
# --------------------------------------------------------------------------------------


def test_binary_limits_at_infinite_logits() -> None:
    z = np.array([np.inf, -np.inf, np.inf, -np.inf, np.inf])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    loss, grad = L.binary_cross_entropy_with_logits(y, z, return_grad=True)
    assert loss.tolist() == [0.0, 0.0, np.inf, np.inf, np.inf]
    assert grad.tolist() == [0.0, 0.0, 1.0, -1.0, 0.5]
    # A positive term of weight 0 costs nothing, even at -inf.
    assert L.binary_cross_entropy_with_logits(1.0, -np.inf, pos_weight=0.0) == 0


def test_masked_classes() -> None:
    z = np.array([[0.0, -np.inf, 1.0]])
    # The true class on: the masked class is simply absent.
    loss, grad = L.categorical_cross_entropy_with_logits([2], z, return_grad=True)
    assert loss[0] == pytest.approx(math.log1p(math.exp(-1)), rel=1e-15, abs=0)
    assert grad[0, 1] == 0
    # The true class masked: infinite loss, finite gradient.
    loss, grad = L.categorical_cross_entropy_with_logits([1], z, return_grad=True)
    assert loss[0] == np.inf and np.all(np.isfinite(grad))
    # ... unless its weight is 0 (class_weight, or label_smoothing = 1 with uniform
    # weights): then it costs nothing, not 0 * inf = NaN.
    loss, grad = L.categorical_cross_entropy_with_logits(
        [1], z, class_weight=[1.0, 0.0, 1.0], return_grad=True
    )
    assert loss[0] == 0 and np.all(grad == 0)
    # Smoothing spreads weight onto the masked class: +inf, never NaN.
    for eps in (0.1, 1.0):
        loss, grad = L.categorical_cross_entropy_with_logits(
            [1], z, label_smoothing=eps, return_grad=True
        )
        assert loss[0] == np.inf and np.all(np.isfinite(grad))
        loss = L.categorical_cross_entropy_with_logits([2], z, label_smoothing=eps)
        assert loss[0] == np.inf
    # Smoothing with the masked class weighted 0: finite.
    loss = L.categorical_cross_entropy_with_logits(
        [2], z, label_smoothing=0.1, class_weight=[1.0, 0.0, 1.0]
    )
    assert np.isfinite(loss[0])
    # Probability rows that put no mass on the masked class.
    loss = L.categorical_cross_entropy_with_logits([[0.5, 0.0, 0.5]], z)
    assert np.isfinite(loss[0])
    assert L.categorical_cross_entropy_with_logits([[0.5, 0.5, 0.0]], z)[0] == np.inf


def test_probability_forms_at_zero_and_one() -> None:
    assert L.binary_cross_entropy([1.0, 0.0], [1.0, 0.0]).tolist() == [0.0, 0.0]
    assert L.binary_cross_entropy([1.0, 0.0], [0.0, 1.0]).tolist() == [np.inf, np.inf]
    assert L.categorical_cross_entropy([0], [[1.0, 0.0]])[0] == 0
    assert L.categorical_cross_entropy([[0.0, 1.0]], [[1.0, 0.0]])[0] == np.inf
    assert L.categorical_cross_entropy([[1.0, 0.0]], [[1.0, 0.0]])[0] == 0


# --------------------------------------------------------------------------------------
# Shapes, axes, broadcasting, dtypes
# --------------------------------------------------------------------------------------


def test_one_value_per_example_and_axis_handling() -> None:
    rng = np.random.default_rng(30)
    z = rng.normal(size=(3, 4, 5))  # class axis 1
    y = rng.integers(0, 4, size=(3, 5))
    last = np.moveaxis(z, 1, -1)
    for kw in ({}, {"label_smoothing": 0.2}, {"class_weight": np.arange(1.0, 5.0)}):
        loss, grad = L.categorical_cross_entropy_with_logits(y, z, axis=1, return_grad=True, **kw)
        loss_l, grad_l = L.categorical_cross_entropy_with_logits(y, last, return_grad=True, **kw)
        assert loss.shape == (3, 5) and grad.shape == z.shape
        np.testing.assert_array_equal(loss, loss_l)
        np.testing.assert_array_equal(grad, np.moveaxis(grad_l, -1, 1))
        rows = np.moveaxis(one_hot(y, 4), -1, 1)
        np.testing.assert_allclose(
            L.categorical_cross_entropy_with_logits(rows, z, axis=-2, **kw),
            loss,
            rtol=1e-14,
            atol=0,
        )
    # axis=0 with the classes first.
    p = xe.softmax(z, axis=0)
    y0 = rng.integers(0, 3, size=(4, 5))
    np.testing.assert_array_equal(
        L.categorical_cross_entropy(y0, p, axis=0),
        L.categorical_cross_entropy(y0, np.moveaxis(p, 0, -1)),
    )
    # A single example: 1-D logits and a scalar label give a scalar.
    loss, grad = L.categorical_cross_entropy_with_logits(2, [0.0, 1.0, 2.0], return_grad=True)
    assert np.ndim(loss) == 0 and grad.shape == (3,)


def test_binary_broadcasting() -> None:
    rng = np.random.default_rng(31)
    z = rng.normal(size=(6, 3))
    y = rng.integers(0, 2, size=(6, 1)).astype(float)  # one target per row, broadcast
    w = np.array([1.0, 2.0, 0.5])  # one positive weight per label
    loss, grad = L.binary_cross_entropy_with_logits(y, z, pos_weight=w, return_grad=True)
    assert loss.shape == grad.shape == (6, 3)
    full = np.broadcast_to(y, z.shape)
    for j in range(3):
        np.testing.assert_array_equal(
            loss[:, j], L.binary_cross_entropy_with_logits(full[:, j], z[:, j], pos_weight=w[j])
        )
    assert L.binary_cross_entropy(y, xe.sigmoid(z)).shape == (6, 3)


ALL_FORMS: dict[str, Any] = {
    "bce": lambda z, y, yf: L.binary_cross_entropy(yf[:, 0], xe.sigmoid(z)[:, 0]),
    "bce_logits": lambda z, y, yf: L.binary_cross_entropy_with_logits(
        yf[:, 0], z[:, 0], return_grad=True
    ),
    "bce_logits_pw": lambda z, y, yf: L.binary_cross_entropy_with_logits(
        yf[:, 0], z[:, 0], pos_weight=np.array(2.0), return_grad=True
    ),
    "cce": lambda z, y, yf: L.categorical_cross_entropy(y, xe.softmax(z)),
    "cce_rows": lambda z, y, yf: L.categorical_cross_entropy(yf, xe.softmax(z)),
    "cce_logits": lambda z, y, yf: L.categorical_cross_entropy_with_logits(y, z, return_grad=True),
    "cce_logits_rows": lambda z, y, yf: L.categorical_cross_entropy_with_logits(
        yf, z, return_grad=True
    ),
    "cce_logits_all": lambda z, y, yf: L.categorical_cross_entropy_with_logits(
        y, z, label_smoothing=0.1, class_weight=np.array([1.0, 2.0, 3.0]), return_grad=True
    ),
}


@pytest.mark.parametrize("form", ALL_FORMS, ids=list(ALL_FORMS))
@pytest.mark.parametrize(
    ("in_dtype", "out_dtype"),
    [(np.float32, np.float32), (np.float64, np.float64), (np.float16, np.float32)],
)
def test_dtype_policy(form: str, in_dtype: Any, out_dtype: Any) -> None:
    z = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], dtype=in_dtype)
    y = np.array([2, 1])
    # Targets given as float64 rows do not promote float32 predictions.
    yf = one_hot(y, 3)
    out = ALL_FORMS[form](z, y, yf)
    for value in out if isinstance(out, tuple) else (out,):
        assert value.dtype == out_dtype, form


def test_integer_logits_compute_in_float64() -> None:
    loss, grad = L.categorical_cross_entropy_with_logits([1], [[0, 1]], return_grad=True)
    assert loss.dtype == grad.dtype == np.float64
    loss, grad = L.binary_cross_entropy_with_logits([1], [2], return_grad=True)
    assert loss.dtype == grad.dtype == np.float64


def _peak_bytes(fn: Any) -> int:
    import tracemalloc

    fn()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("form", ["cce_logits", "cce_logits_rows", "cce_logits_all", "bce_logits"])
def test_float32_logits_are_not_copied_to_float64(form: str) -> None:
    # NumPy reports its buffers to tracemalloc: a float32 computation needs about half
    # the memory of the float64 one; a float64 copy of the logits would bring the ratio
    # to 1 or more.
    rng = np.random.default_rng(0)
    z = rng.normal(size=(400, 500))
    y = rng.integers(0, 500, 400)
    yf = rng.dirichlet(np.ones(500), 400)

    def fn(zz: np.ndarray) -> Any:
        if form == "bce_logits":
            return L.binary_cross_entropy_with_logits(
                (z > 0).astype(zz.dtype), zz, return_grad=True
            )
        if form == "cce_logits_all":
            return L.categorical_cross_entropy_with_logits(
                y, zz, label_smoothing=0.1, class_weight=np.ones(500), return_grad=True
            )
        if form == "cce_logits_rows":
            return L.categorical_cross_entropy_with_logits(
                yf.astype(zz.dtype), zz, return_grad=True
            )
        return L.categorical_cross_entropy_with_logits(y, zz, return_grad=True)

    z32 = z.astype(np.float32)
    peak64 = _peak_bytes(lambda: fn(z))
    peak32 = _peak_bytes(lambda: fn(z32))
    assert peak32 <= 0.65 * peak64, peak32 / peak64


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


def test_labels_outside_the_classes() -> None:
    z = np.zeros((3, 4))
    for fn in (
        L.categorical_cross_entropy_with_logits,
        lambda y, zz: L.categorical_cross_entropy(y, xe.softmax(zz)),
    ):
        with raises(ValueError, "`y_true`", "[0, 4)", "got 4", "at index 2"):
            fn(np.array([0, 1, 4]), z)
        with raises(ValueError, "`y_true`", "[0, 4)", "got -1", "at index 0"):
            fn(np.array([-1, 1, 2]), z)
        with raises(ValueError, "`y_true`", "got 7"):
            fn(7, np.zeros(4))
    # Unsigned labels too.
    with raises(ValueError, "got 9"):
        L.categorical_cross_entropy_with_logits(np.array([9, 0, 0], np.uint8), z)


@pytest.mark.parametrize(
    "labels", [np.array([0.0, 1.0, 2.0]), np.array([True, False, True]), [0.5, 1.0, 2.0]]
)
def test_non_integer_labels(labels: Any) -> None:
    z = np.zeros((3, 4))
    with raises(TypeError, "`y_true`", "integer class labels", str(np.asarray(labels).dtype)):
        L.categorical_cross_entropy_with_logits(labels, z)
    with raises(TypeError, "`y_true`", "integer class labels"):
        L.categorical_cross_entropy(labels, np.full((3, 4), 0.25))


def test_targets_of_the_wrong_shape() -> None:
    z = np.zeros((3, 4))
    with raises(ValueError, "`y_true`", "(3,)", "(3, 4)", "got shape (2,)"):
        L.categorical_cross_entropy_with_logits(np.array([0, 1]), z)
    with raises(ValueError, "`y_true`", "got shape (3, 3)"):
        L.categorical_cross_entropy_with_logits(np.full((3, 3), 1 / 3), z)
    # Integer rows of the logits' shape are neither labels nor probability rows.
    with raises(ValueError, "`y_true`", "int64"):
        L.categorical_cross_entropy_with_logits(np.eye(4, dtype=np.int64)[:3], z)
    for fn in (L.categorical_cross_entropy_with_logits, L.categorical_cross_entropy):
        with raises(TypeError, "`y_true`", "array of numbers", "inhomogeneous"):
            fn([[0], [1, 2]], np.full((2, 3), 1 / 3))
    with raises(ValueError, "`y_true`", "broadcast", "(3,)", "got shape (4,)"):
        L.binary_cross_entropy_with_logits(np.zeros(4), np.zeros(3))
    with raises(ValueError, "`y_true`", "broadcast"):
        L.binary_cross_entropy(np.zeros((2, 3)), np.full(3, 0.5))


def test_probability_row_targets_are_validated() -> None:
    z = np.zeros((2, 3))
    with raises(ValueError, "`y_true`", "sum to 1", "got a sum of 0.9", "row at index 1") as info:
        L.categorical_cross_entropy_with_logits(np.array([[1.0, 0, 0], [0.5, 0.4, 0]]), z)
    assert "normalize" not in str(info.value)  # the losses have no such option
    with raises(ValueError, "`y_true`", "non-negative", "-0.5", "at index (0, 1)"):
        L.categorical_cross_entropy_with_logits(np.array([[1.0, -0.5, 0.5], [1.0, 0, 0]]), z)
    with raises(ValueError, "`y_true`", "finite", "nan"):
        L.categorical_cross_entropy(np.array([[np.nan, 0.5, 0.5]]), np.full((1, 3), 1 / 3))
    with raises(ValueError, "`p`", "sum to 1", "got a sum of 1.2"):
        L.categorical_cross_entropy([0], [[0.6, 0.6]])
    with raises(ValueError, "`p`", "non-negative", "-0.1"):
        L.categorical_cross_entropy([0], [[1.1, -0.1]])


def test_binary_targets_and_probabilities_must_be_in_the_unit_interval() -> None:
    with raises(ValueError, "`y_true`", "[0, 1]", "1.5", "at index 1"):
        L.binary_cross_entropy_with_logits([0.0, 1.5], [0.0, 0.0])
    with raises(ValueError, "`y_true`", "non-negative", "-1"):
        L.binary_cross_entropy([-1.0, 0.0], [0.5, 0.5])
    with raises(ValueError, "`p`", "[0, 1]", "1.2"):
        L.binary_cross_entropy([1.0], [1.2])
    with raises(ValueError, "`p`", "finite", "nan"):
        L.binary_cross_entropy([1.0], [np.nan])


@pytest.mark.parametrize(
    "fn", [L.categorical_cross_entropy_with_logits, L.binary_cross_entropy_with_logits]
)
def test_nan_logits(fn: Any) -> None:
    z = np.array([[0.0, np.nan, 1.0]])
    y: Any = [0] if fn is L.categorical_cross_entropy_with_logits else np.zeros((1, 3))
    with raises(ValueError, "`logits`", "NaN", "at index (0, 1)"):
        fn(y, z)


def test_infinite_and_all_masked_logits_in_categorical() -> None:
    with raises(ValueError, "`logits`", "finite or -inf", "got inf", "at index (1, 2)"):
        L.categorical_cross_entropy_with_logits([0, 0], [[0.0, 1.0, 2.0], [0.0, 1.0, np.inf]])
    with raises(ValueError, "`logits`", "at least one finite entry", "all -inf", "index 1"):
        L.categorical_cross_entropy_with_logits([0, 0], [[0.0, 1.0], [-np.inf, -np.inf]])
    with raises(ValueError, "`logits`", "all -inf"):
        L.categorical_cross_entropy_with_logits(0, [-np.inf, -np.inf])
    with raises(ValueError, "`logits`", "at least one class"):
        L.categorical_cross_entropy_with_logits(np.zeros(2, int), np.zeros((2, 0)))
    with raises(ValueError, "`axis`", "got 2"):
        L.categorical_cross_entropy_with_logits([0], [[0.0, 1.0]], axis=2)


def test_bad_options() -> None:
    z = np.zeros((2, 3))
    y = [0, 1]
    for eps in (-0.1, 1.5, np.nan):
        with raises(ValueError, "`label_smoothing`", "[0, 1]", repr(eps)):
            L.categorical_cross_entropy_with_logits(y, z, label_smoothing=eps)
    bad: Any
    for bad in (True, "0.1", None):
        with raises(TypeError, "`label_smoothing`", type(bad).__name__):
            L.categorical_cross_entropy_with_logits(y, z, label_smoothing=bad)
    with raises(ValueError, "`class_weight`", "shape (3,)", "got shape (2,)"):
        L.categorical_cross_entropy_with_logits(y, z, class_weight=[1.0, 2.0])
    with raises(ValueError, "`class_weight`", "non-negative", "-1", "at index 2"):
        L.categorical_cross_entropy_with_logits(y, z, class_weight=[1.0, 2.0, -1.0])
    with raises(ValueError, "`class_weight`", "finite", "inf"):
        L.categorical_cross_entropy_with_logits(y, z, class_weight=[1.0, np.inf, 1.0])
    with raises(ValueError, "`pos_weight`", "non-negative", "-2"):
        L.binary_cross_entropy_with_logits([1.0], [0.0], pos_weight=-2.0)
    with raises(ValueError, "`pos_weight`", "broadcast", "got shape (2,)"):
        L.binary_cross_entropy_with_logits(np.ones((4, 3)), np.zeros((4, 3)), pos_weight=[1.0, 2.0])
    # Broadcastable with the logits, but it would give more losses than logits.
    with raises(ValueError, "`pos_weight`", "shape (3,) of `logits`", "got shape (2, 1)"):
        L.binary_cross_entropy_with_logits(np.ones(3), np.zeros(3), pos_weight=[[1.0], [2.0]])
    with raises(TypeError, "`pos_weight`", "real numbers"):
        L.binary_cross_entropy_with_logits([1.0], [0.0], pos_weight="2")


def test_return_grad_and_label_smoothing_are_checked_by_type() -> None:
    z = np.zeros((2, 3))
    with raises(TypeError, "`return_grad`", "True or False", "'yes'"):
        L.categorical_cross_entropy_with_logits([0, 1], z, return_grad="yes")  # type: ignore[call-overload]
    with raises(TypeError, "`return_grad`", "True or False", "1"):
        L.binary_cross_entropy_with_logits([0.0], [0.0], return_grad=1)  # type: ignore[call-overload]
    with raises(ValueError, "`label_smoothing`", "[0, 1]", "401 digits"):
        L.categorical_cross_entropy_with_logits([0, 1], z, label_smoothing=10**400)
    # np.bool_ is a boolean
    _, grad = L.binary_cross_entropy_with_logits([0.0], [0.0], return_grad=np.True_)
    assert grad.shape == (1,)


def test_probabilities_given_as_logits_warn() -> None:
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    # The softmax of probabilities is not the probabilities: 0.77 instead of 0.36.
    with pytest.warns(UserWarning, match=r"`logits` look like probabilities.*categorical_cross"):
        wrong = L.categorical_cross_entropy_with_logits([0, 1], p)
    assert wrong[0] == pytest.approx(0.7679, abs=1e-4)
    with pytest.warns(UserWarning, match="look like probabilities"):
        L.categorical_cross_entropy_with_logits([0, 1], p.astype(np.float32), return_grad=True)
    with pytest.warns(UserWarning, match="look like probabilities"):
        L.categorical_cross_entropy_with_logits([[1.0, 0, 0], [0, 1.0, 0]], p)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L.categorical_cross_entropy_with_logits([0, 1], np.log(p))
        # Rows that merely start like probabilities, and one-hot rows, are scores.
        L.categorical_cross_entropy_with_logits([0, 1], [[0.7, 0.2, 0.1], [2.0, -1.0, 0.5]])
        L.categorical_cross_entropy_with_logits([0, 1], [[0.0, 1.0], [1.0, 0.0]])


def test_logits_or_labels_given_as_probabilities_say_what_they_look_like() -> None:
    z = np.array([[2.0, -1.0, 0.5], [0.1, 3.0, -2.0]])
    with raises(ValueError, "`p` must be non-negative", "look like logits", "_with_logits"):
        L.categorical_cross_entropy([0, 1], z)
    with raises(ValueError, "`p`", "look like logits", "binary_cross_entropy_with_logits"):
        L.binary_cross_entropy([1, 0], [2.5, -1.0])
    # Swapped arguments: labels where the probabilities go, or rows where labels go.
    with raises(ValueError, "`p`", "whole numbers", "swapped"):
        L.binary_cross_entropy([0.9, 0.2], [1, 2])
    with raises(ValueError, "`y_true`", "one axis more", "swapped"):
        L.categorical_cross_entropy(np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]), [0, 1])
    # Probabilities that do not sum to 1 get no such hint.
    with pytest.raises(ValueError) as err:
        L.categorical_cross_entropy([0], [[0.5, 0.2, 0.1]])
    assert "logits" not in str(err.value) and "swapped" not in str(err.value)


def test_big_endian_inputs_take_the_normal_path() -> None:
    # Data read from a big-endian file ('>f8') are valid numbers: the same bits out.
    rng = np.random.default_rng(2)
    z = rng.normal(size=(50, 4))
    y = rng.integers(0, 4, 50)
    for dtype in (np.float64, np.float32):
        native = L.categorical_cross_entropy_with_logits(y, z.astype(dtype), return_grad=True)
        swapped = z.astype(np.dtype(dtype).newbyteorder(">"))
        other = L.categorical_cross_entropy_with_logits(y.astype(">i8"), swapped, return_grad=True)
        for a, b in zip(native, other, strict=True):
            np.testing.assert_array_equal(a, b)
            assert b.dtype.isnative
    t = (rng.random(50) < 0.5).astype(np.float64)
    native = L.binary_cross_entropy_with_logits(t, z[:, 0], return_grad=True)
    big = z[:, 0].astype(">f8")
    other = L.binary_cross_entropy_with_logits(t.astype(">f8"), big, return_grad=True)
    for a, b in zip(native, other, strict=True):
        np.testing.assert_array_equal(a, b)
