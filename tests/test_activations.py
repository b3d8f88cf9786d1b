"""Tests of crossentropy.activations: the MISSION softmax example, accuracy against
mpmath at extreme scores, agreement with scipy.special, identities, dtypes, axes and
errors."""

from __future__ import annotations

import re
from typing import Any

import mpmath as mp
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import _reference as ref
import crossentropy as xe

EPS: dict[Any, float] = {
    np.float64: float(np.finfo(np.float64).eps),
    np.float32: float(np.finfo(np.float32).eps),
}


def raises(exc: type[Exception], *fragments: str) -> Any:
    return pytest.raises(exc, match="(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments))


def test_mission_softmax_example() -> None:
    x = np.array([1.0, 2.0])
    w = np.array([[1, 2, 3], [4, 5, 6]])
    b = np.array([1, 2, 3])
    p = xe.softmax(x @ w + b)
    np.testing.assert_allclose(p, [3.29320439e-04, 1.79802867e-02, 9.81690393e-01], rtol=5e-9)
    z = x @ w + b  # (10, 14, 18): integer gaps, so each p_j is exact to a few ulps
    for j in range(3):
        p_j, _ = ref.softmax_parts(z, j)
        assert ref.rel_err(p[j], p_j, 1e-300) <= 4 * EPS[np.float64]
    assert p.sum() == pytest.approx(1.0, rel=4e-16, abs=0)


# --------------------------------------------------------------------------------------
# Accuracy against mpmath
# --------------------------------------------------------------------------------------

ELEMENTWISE_Z: dict[Any, list[float]] = {
    np.float64: [
        0.0,
        1e-300,
        -1e-300,
        1e-20,
        0.5,
        -0.5,
        3.0,
        -3.0,
        36.0,
        40.0,
        -40.0,
        700.0,
        -700.0,
        -745.0,
        745.0,
        1e4,
        -1e4,
        1e300,
        -1e300,
        np.inf,
        -np.inf,
    ],
    np.float32: [
        0.0,
        1e-30,
        -1e-30,
        0.5,
        -0.5,
        3.0,
        -3.0,
        17.0,
        40.0,
        -40.0,
        -87.0,
        88.0,
        -103.0,
        1e4,
        -1e4,
        3e38,
        -3e38,
        np.inf,
        -np.inf,
    ],
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_elementwise_links_match_mpmath(dtype: Any) -> None:
    z = np.array(ELEMENTWISE_Z[dtype], dtype)
    sp, sg, ls = xe.softplus(z), xe.sigmoid(z), xe.log_sigmoid(z)
    assert sp.dtype == sg.dtype == ls.dtype == dtype
    # softplus = max(z, 0) + log1p(exp(-|z|)): one exp, one log1p and one addition of
    # terms of equal sign; sigmoid and log(sigmoid) likewise.  Below the smallest
    # normal number errors are measured in units of it (rel_err's floor).
    rtol = 4 * EPS[dtype]
    floor = float(np.finfo(dtype).tiny)
    for i, v in enumerate(z):
        assert ref.rel_err(sp[i], ref.softplus(v), floor) <= rtol, (v, sp[i])
        assert ref.rel_err(sg[i], ref.sigmoid(v), floor) <= rtol, (v, sg[i])
        assert ref.rel_err(ls[i], -ref.softplus(-float(v)), floor) <= rtol, (v, ls[i])


def _row_cases(dtype: Any) -> list[list[float]]:
    big = 1e300 if dtype == np.float64 else 1e4
    return [
        [0.0, -40.0],
        [40.0, 0.0, 0.0],
        [big, -big, 0.0],
        [big, big],
        [-big, -big, -big + 40],
        [0.0, -np.inf, 3.0, -np.inf],
        [1.0],
        [-np.inf, 5.0],
        [10.0, 14.0, 18.0],
        [0.0, -745.0] if dtype == np.float64 else [0.0, -103.0],
    ]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_family_matches_mpmath_on_extreme_rows(dtype: Any) -> None:
    # Rows whose gaps z_c - max(z) are exact in the dtype (integers, and +-1e300 whose
    # gaps are 0 or beyond the range of exp): every element within a few ulps.
    rtol = 4 * EPS[dtype]
    floor = float(np.finfo(dtype).tiny)
    for row in _row_cases(dtype):
        z = np.array(row, dtype)
        p, lp, lse = xe.softmax(z), xe.log_softmax(z), xe.logsumexp(z)
        assert p.dtype == lp.dtype == np.asarray(lse).dtype == dtype
        finite = [mp.mpf(float(v)) for v in z if v != -np.inf]
        top = max(finite)
        exact_lse = top + mp.log(mp.fsum(mp.exp(v - top) for v in finite))
        assert ref.rel_err(lse, exact_lse, floor) <= rtol, (row, lse)
        for j in range(z.size):
            p_j, one_minus = ref.softmax_parts(z, j)
            assert ref.rel_err(p[j], p_j, floor) <= rtol, (row, j, p[j])
            exact_lp = -mp.inf if z[j] == -np.inf else -mp.log1p(one_minus / p_j)
            assert ref.rel_err(lp[j], exact_lp, floor) <= rtol, (row, j, lp[j])


def test_log_probabilities_of_a_dominant_class_are_not_rounded_to_zero() -> None:
    # log(1 + e^-40) = 4.2e-18: computed as log(fl(1 + 4.2e-18)) it would be 0.
    assert xe.logsumexp([0.0, -40.0]) == pytest.approx(4.248354255291589e-18, rel=1e-15, abs=0)
    assert xe.log_softmax([40.0, 0.0])[0] == pytest.approx(-4.248354255291589e-18, rel=1e-15, abs=0)
    assert xe.log_sigmoid(40.0) == pytest.approx(-4.248354255291589e-18, rel=1e-15, abs=0)
    assert xe.softplus(-40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15, abs=0)
    assert xe.sigmoid(-40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15, abs=0)


# --------------------------------------------------------------------------------------
# Agreement with scipy.special on ordinary inputs
# --------------------------------------------------------------------------------------


def test_match_scipy_special() -> None:
    rng = np.random.default_rng(2)
    z = rng.normal(0, 5, size=(30, 7))
    # Both sides are accurate to a few ulps on these inputs; logsumexp and log_softmax
    # may lose a factor (|max| + |log-sum|) / |result| to rounding near a zero result,
    # hence the absolute term.
    np.testing.assert_allclose(xe.sigmoid(z), scipy.special.expit(z), rtol=1e-15, atol=0)
    np.testing.assert_allclose(xe.log_sigmoid(z), scipy.special.log_expit(z), rtol=1e-14)
    np.testing.assert_allclose(xe.softplus(z), np.logaddexp(0, z), rtol=1e-14)
    np.testing.assert_allclose(xe.softmax(z), scipy.special.softmax(z, axis=-1), rtol=1e-13)
    np.testing.assert_allclose(xe.softmax(z, axis=0), scipy.special.softmax(z, axis=0), rtol=1e-13)
    np.testing.assert_allclose(
        xe.log_softmax(z), scipy.special.log_softmax(z, axis=-1), rtol=1e-14, atol=1e-14
    )
    np.testing.assert_allclose(
        xe.logsumexp(z), scipy.special.logsumexp(z, axis=-1), rtol=1e-14, atol=1e-14
    )
    np.testing.assert_allclose(
        xe.logsumexp(z, axis=0), scipy.special.logsumexp(z, axis=0), rtol=1e-14, atol=1e-14
    )


# --------------------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------------------

_rows = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 6)),
    elements=st.floats(-800, 800, allow_nan=False),
)


@settings(max_examples=80)
@given(_rows)
def test_softmax_identities(z: np.ndarray) -> None:
    p = xe.softmax(z)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=z.shape[-1] * 2.3e-16)
    lp = xe.log_softmax(z)
    assert np.all(lp <= 0)
    # log(softmax) = log_softmax wherever softmax does not underflow.
    ok = p > 1e-300
    np.testing.assert_allclose(np.log(p[ok]), lp[ok], rtol=1e-13, atol=1e-14)
    # log_softmax = z - logsumexp(z).
    np.testing.assert_allclose(lp, z - xe.logsumexp(z)[:, None], rtol=1e-13, atol=1e-12)
    # Adding a constant to every logit changes nothing (1 is exact to add here).
    np.testing.assert_allclose(xe.softmax(z + 1.0), p, rtol=1e-12, atol=1e-300)


@settings(max_examples=80)
@given(st.floats(-1e300, 1e300, allow_nan=False))
def test_sigmoid_identities(z: float) -> None:
    assert xe.sigmoid(z) == pytest.approx(xe.softmax([0.0, z])[1], rel=1e-15, abs=1e-300)
    assert xe.log_sigmoid(z) == -xe.softplus(-z)
    # softplus(z) - softplus(-z) = z, up to rounding of the larger softplus.
    assert xe.softplus(z) - xe.softplus(-z) == pytest.approx(z, rel=1e-15, abs=1e-15)
    assert xe.sigmoid(z) + xe.sigmoid(-z) == pytest.approx(1.0, rel=2.3e-16, abs=0)


# --------------------------------------------------------------------------------------
# dtypes, shapes, axes, errors
# --------------------------------------------------------------------------------------

ALL = [xe.softplus, xe.sigmoid, xe.log_sigmoid, xe.logsumexp, xe.log_softmax, xe.softmax]


@pytest.mark.parametrize("fn", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("in_dtype", "out_dtype"),
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.float16, np.float32),
        (np.int32, np.float64),
    ],
)
def test_dtype_policy(fn: Any, in_dtype: Any, out_dtype: Any) -> None:
    assert np.asarray(fn(np.array([[1, 2, 3]], dtype=in_dtype))).dtype == out_dtype


def test_scalars_and_shapes() -> None:
    assert isinstance(xe.softplus(1.0), np.float64)
    assert isinstance(xe.logsumexp([1.0, 2.0]), np.float64)
    z = np.random.default_rng(0).normal(size=(2, 3, 4))
    assert xe.logsumexp(z).shape == (2, 3)
    for axis in (0, 1, 2, -1):
        moved = np.moveaxis(z, axis, -1)
        np.testing.assert_array_equal(xe.logsumexp(z, axis=axis), xe.logsumexp(moved))
        np.testing.assert_array_equal(
            xe.softmax(z, axis=axis), np.moveaxis(xe.softmax(moved), -1, axis)
        )
        np.testing.assert_array_equal(
            xe.log_softmax(z, axis=axis), np.moveaxis(xe.log_softmax(moved), -1, axis)
        )


@pytest.mark.parametrize("fn", ALL, ids=lambda f: f.__name__)
def test_nan_is_an_error(fn: Any) -> None:
    with raises(ValueError, "`z`", "NaN", "at index (0, 1)"):
        fn(np.array([[0.0, np.nan]]))


@pytest.mark.parametrize("fn", [xe.logsumexp, xe.log_softmax, xe.softmax], ids=lambda f: f.__name__)
def test_rows_without_a_finite_maximum(fn: Any) -> None:
    with raises(ValueError, "`z`", "finite maximum", "got a maximum of inf", "row at index 1"):
        fn(np.array([[0.0, 1.0], [np.inf, 0.0]]))
    with raises(ValueError, "`z`", "finite maximum", "got a maximum of -inf"):
        fn(np.array([-np.inf, -np.inf]))
    with raises(ValueError, "`z`", "at least one class"):
        fn(np.ones((2, 0)))
    with raises(ValueError, "`axis`", "got 1"):
        fn(np.ones(3), axis=1)
    with raises(ValueError, "`z`", "at least one dimension"):
        fn(1.0)


def test_infinite_scores_in_elementwise_links() -> None:
    z = np.array([-np.inf, np.inf])
    assert xe.softplus(z).tolist() == [0.0, np.inf]
    assert xe.sigmoid(z).tolist() == [0.0, 1.0]
    assert xe.log_sigmoid(z).tolist() == [-np.inf, 0.0]
    p = xe.softmax([0.0, -np.inf])
    assert p.tolist() == [1.0, 0.0]
    assert xe.log_softmax([0.0, -np.inf]).tolist() == [0.0, -np.inf]
