"""Tests of crossentropy.losses (regression): squared error and the Gaussian negative
log-likelihood, against scipy.stats.norm and mpmath, and least squares as maximum
likelihood on the course's blood-pressure data."""

from __future__ import annotations

import math
import re
from typing import Any

import mpmath as mp
import numpy as np
import pytest
import scipy.optimize
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import _reference as ref
import crossentropy.losses as L

HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def raises(exc: type[Exception], *fragments: str) -> Any:
    return pytest.raises(exc, match="(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments))


def test_squared_error_values() -> None:
    np.testing.assert_array_equal(
        L.squared_error([1.0, 2.0, 3.0], [1.5, 2.0, 1.0]), [0.25, 0.0, 4.0]
    )
    rng = np.random.default_rng(0)
    y, f = rng.normal(size=50), rng.normal(size=50)
    np.testing.assert_array_equal(L.squared_error(y, f), (f - y) ** 2)
    assert L.squared_error(2.0, 5.0) == 9.0


def test_gaussian_nll_matches_scipy() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(0, 3, 100)
    mu = rng.normal(0, 3, 100)
    sigma = rng.uniform(0.1, 5, 100)
    # Both sum three terms in float64; the terms may have either sign (log sigma < 0),
    # so agreement to a few ulps of the largest term.
    expected = -scipy.stats.norm.logpdf(y, loc=mu, scale=sigma)
    got = L.gaussian_nll(y, mu, sigma=sigma)
    scale = HALF_LOG_2PI + np.abs(np.log(sigma)) + 0.5 * ((y - mu) / sigma) ** 2
    np.testing.assert_array_less(np.abs(got - expected), 8e-16 * scale)
    assert L.gaussian_nll(0.0, 0.0) == pytest.approx(HALF_LOG_2PI, rel=2.3e-16, abs=0)
    assert f"{L.gaussian_nll(0.0, 0.0):.6f}" == "0.918939"


@settings(max_examples=100)
@given(
    st.floats(-1e6, 1e6),
    st.floats(-1e6, 1e6),
    st.floats(1e-100, 1e100),
)
def test_gaussian_nll_matches_mpmath(y: float, mu: float, sigma: float) -> None:
    got = L.gaussian_nll(y, mu, sigma=sigma)
    yy, mm, ss = ref.mpf(y), ref.mpf(mu), ref.mpf(sigma)
    parts = [mp.log(2 * mp.pi) / 2, mp.log(ss), ((yy - mm) / ss) ** 2 / 2]
    exact = mp.fsum(parts)
    # Each part is within a few ulps; their sum may cancel (log sigma < 0), so the
    # error is bounded relative to the sum of their magnitudes.
    size = mp.fsum(abs(v) for v in parts)
    if size > 1e308:
        assert got == np.inf
        return
    assert abs(ref.mpf(got) - exact) <= 8 * 2.2e-16 * size


def test_squared_error_is_gaussian_nll_up_to_scale_and_constant() -> None:
    rng = np.random.default_rng(2)
    y, f = rng.normal(size=30), rng.normal(size=30)
    for sigma in (0.5, 1.0, 3.0):
        nll = L.gaussian_nll(y, f, sigma=sigma)
        np.testing.assert_allclose(
            nll - HALF_LOG_2PI - math.log(sigma),
            L.squared_error(y, f) / (2 * sigma**2),
            rtol=1e-12,
            atol=1e-15,
        )


def test_minimising_the_gaussian_nll_is_least_squares() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, 40)
    y = 2.0 + 0.7 * x + rng.normal(0, 1.5, 40)
    design = np.column_stack([np.ones_like(x), x])
    (b_ls, a_ls), *_ = np.linalg.lstsq(design, y, rcond=None)

    def nll(theta: np.ndarray) -> float:
        return float(L.gaussian_nll(y, theta[0] + theta[1] * x, sigma=1.7).sum())

    fit = scipy.optimize.minimize(nll, x0=[0.0, 0.0], method="BFGS", options={"gtol": 1e-10})
    # BFGS to a gradient of 1e-10 on a quadratic: parameters to ~1e-8.
    np.testing.assert_allclose(fit.x, [b_ls, a_ls], rtol=1e-6, atol=1e-7)


def test_blood_pressure_least_squares_is_maximum_likelihood(shared_data: Any) -> None:
    # The course's 33 women (../shared/data/blood-pressure/sbp.csv): least squares
    # gives sbp = 87.67 + 1.105 age, and the Gaussian log-likelihood at the optimum
    # with sigma^2 = MSE is -143.44315 (statsmodels, see the data README).
    data = np.loadtxt(shared_data / "blood-pressure" / "sbp.csv", delimiter=",", skiprows=1)
    age, sbp = data[:, 0], data[:, 1]
    assert data.shape == (33, 2)

    def nll(theta: np.ndarray) -> float:
        b, a, log_sigma = theta
        return float(L.gaussian_nll(sbp, b + a * age, sigma=math.exp(log_sigma)).sum())

    fit = scipy.optimize.minimize(
        nll,
        x0=[100.0, 0.0, 3.0],
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20000},
    )
    b, a, log_sigma = fit.x
    assert f"{b:.2f}" == "87.67" and f"{a:.3f}" == "1.105"
    mse = float(L.squared_error(sbp, b + a * age).mean())
    assert mse == pytest.approx(349.2009, rel=1e-6, abs=0)
    assert math.exp(2 * log_sigma) == pytest.approx(mse, rel=1e-6, abs=0)
    assert -fit.fun == pytest.approx(-143.44315, rel=1e-7, abs=0)
    # And the closed-form least-squares line is the same.
    a_ls, b_ls = np.polyfit(age, sbp, 1)
    np.testing.assert_allclose([b, a], [b_ls, a_ls], rtol=1e-6)


@pytest.mark.parametrize("fn", [L.squared_error, lambda y, f: L.gaussian_nll(y, f, sigma=2.0)])
@pytest.mark.parametrize(
    ("y_dtype", "f_dtype", "out_dtype"),
    [
        (np.float32, np.float32, np.float32),
        (np.int64, np.float32, np.float32),  # integer targets do not promote
        (np.float16, np.float16, np.float32),
        (np.float64, np.float64, np.float64),
        (np.int64, np.int64, np.float64),
        (np.float64, np.float32, np.float64),
    ],
)
def test_dtype_policy(fn: Any, y_dtype: Any, f_dtype: Any, out_dtype: Any) -> None:
    out = fn(np.array([1, 2], dtype=y_dtype), np.array([2, 2], dtype=f_dtype))
    assert out.dtype == out_dtype


def test_gaussian_nll_default_and_float32_sigma_keep_float32() -> None:
    y = np.array([1.0, 2.0], np.float32)
    assert L.gaussian_nll(y, y).dtype == np.float32
    assert L.gaussian_nll(y, y, sigma=np.array([1.0, 2.0], np.float32)).dtype == np.float32
    # A float64 sigma array is float64 data: the result is float64.
    assert L.gaussian_nll(y, y, sigma=np.array([1.0, 2.0])).dtype == np.float64


def test_broadcasting() -> None:
    y = np.arange(6.0).reshape(2, 3)
    assert L.squared_error(y, np.array([1.0, 2.0, 3.0])).shape == (2, 3)
    out = L.gaussian_nll(y, 0.0, sigma=np.array([[1.0], [2.0]]))
    assert out.shape == (2, 3)
    assert out[1, 2] == pytest.approx(
        HALF_LOG_2PI + math.log(2) + 0.5 * (5 / 2) ** 2, rel=1e-15, abs=0
    )


def test_errors() -> None:
    with raises(ValueError, "`y_true`", "finite", "nan", "at index 1"):
        L.squared_error([1.0, np.nan], [1.0, 2.0])
    with raises(ValueError, "`y_pred`", "finite", "inf"):
        L.squared_error([1.0, 2.0], [1.0, np.inf])
    with raises(ValueError, "`y_true` and `y_pred`", "(2,)", "(3,)"):
        L.squared_error([1.0, 2.0], [1.0, 2.0, 3.0])
    with raises(ValueError, "`mean`", "finite", "-inf"):
        L.gaussian_nll([1.0], [-np.inf])
    with raises(ValueError, "`sigma`", "> 0", "got 0"):
        L.gaussian_nll([1.0], [1.0], sigma=0.0)
    with raises(ValueError, "`sigma`", "> 0", "got -1", "at index 1"):
        L.gaussian_nll([1.0, 2.0], [1.0, 2.0], sigma=[1.0, -1.0])
    with raises(ValueError, "`sigma`", "finite", "nan"):
        L.gaussian_nll([1.0], [1.0], sigma=np.nan)
    with raises(ValueError, "`sigma`", "broadcast", "(3,)"):
        L.gaussian_nll([1.0, 2.0], [1.0, 2.0], sigma=[1.0, 2.0, 3.0])
    with raises(TypeError, "`y_pred`", "real numbers"):
        L.squared_error([1.0], ["a"])


def test_gradients_against_finite_differences() -> None:
    rng = np.random.default_rng(7)
    y, f = rng.normal(size=50), rng.normal(size=50)
    sigma = rng.uniform(0.5, 2.0, size=50)
    h = 1e-6
    for fn in (L.squared_error, lambda a, b, **k: L.gaussian_nll(a, b, sigma=sigma, **k)):
        loss, grad = fn(y, f, return_grad=True)
        np.testing.assert_array_equal(loss, fn(y, f))
        # Central differences of these quadratics are exact up to rounding: |error| is
        # about eps * |loss| / h ~ 1e-9 for losses of order 10.
        numeric = (fn(y, f + h) - fn(y, f - h)) / (2 * h)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)
    # The closed forms: 2 (f - y), and (mu - y) / sigma^2 (0, not -0, at the mean).
    np.testing.assert_array_equal(L.squared_error(y, f, return_grad=True)[1], 2 * (f - y))
    _, g = L.gaussian_nll([1.0, 3.0], [1.0, 1.0], sigma=2.0, return_grad=True)
    assert g.tolist() == [0.0, -0.5] and not np.signbit(g[0])


def test_gradients_keep_shape_and_dtype() -> None:
    y = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    for loss, grad in (
        L.squared_error(y, np.float32(1.0), return_grad=True),
        L.gaussian_nll(y, np.zeros(3, np.float32), sigma=np.float32(2.0), return_grad=True),
    ):
        assert grad.shape == loss.shape == (2, 3)
        assert grad.dtype == loss.dtype == np.float32
    loss, grad = L.gaussian_nll(1.0, 3.0, return_grad=True)
    assert (loss, grad) == (pytest.approx(HALF_LOG_2PI + 2.0, rel=1e-15), 2.0)


@pytest.mark.parametrize("fn", [L.squared_error, L.gaussian_nll])
def test_shapes_that_would_both_grow_are_refused(fn: Any) -> None:
    # A column of targets against a row of predictions is a mistake, not a 4 x 4 table.
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\) would broadcast to \(4, 4\)"):
        fn(np.ones((4, 1)), np.ones(4))
    # One operand broadcasting into the other's shape is fine.
    assert fn(2.0, np.ones(4)).shape == (4,)
    assert fn(np.ones((3, 4)), np.ones(4)).shape == (3, 4)
    assert fn(np.ones((4, 1)), np.ones((4, 1))).shape == (4, 1)
