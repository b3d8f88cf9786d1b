"""Tests of LinearRegression: the blood-pressure fit, statsmodels OLS, the learning-rate lesson."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.exceptions import ConvergenceWarning

from crossentropy.datasets import load_blood_pressure
from crossentropy.models import InferenceUnavailableError, LinearRegression
from crossentropy.optim import DivergenceError

BP = load_blood_pressure()
AGE = BP.age[:, None]
Z_AGE = (AGE - AGE.mean()) / AGE.std()


def test_blood_pressure_matches_the_published_numbers() -> None:
    m = LinearRegression().fit(AGE, BP.sbp)
    np.testing.assert_allclose(m.params_, [87.67142, 1.105022], rtol=1e-5)
    np.testing.assert_allclose(m.bse_, [10.07649, 0.206003], rtol=1e-5)
    # The README's MSE at the optimum and Gaussian log-likelihood.
    assert m.history_["loss"][-1] == pytest.approx(349.2009, rel=1e-6)
    assert m.loglike_ == pytest.approx(-143.44315, rel=1e-6)
    assert m.intercept_ == pytest.approx(87.67142, rel=1e-5)
    assert m.coef_.shape == (1,)


def test_blood_pressure_equals_statsmodels_ols() -> None:
    m = LinearRegression().fit(AGE, BP.sbp)
    r = sm.OLS(BP.sbp, sm.add_constant(BP.age)).fit()
    # Both solve least squares directly: agreement to rounding.
    np.testing.assert_allclose(m.params_, r.params, rtol=1e-12)
    np.testing.assert_allclose(m.bse_, r.bse, rtol=1e-10)
    np.testing.assert_allclose(m.zvalues_, r.tvalues, rtol=1e-10)
    np.testing.assert_allclose(m.pvalues_, r.pvalues, rtol=1e-8)
    np.testing.assert_allclose(m.conf_int(), r.conf_int(), rtol=1e-10)
    assert m.sigma_ == pytest.approx(np.sqrt(r.scale), rel=1e-12)
    assert m.loglike_ == pytest.approx(r.llf, rel=1e-12)
    assert m.aic_ == pytest.approx(r.aic, rel=1e-12)
    assert m.bic_ == pytest.approx(r.bic, rel=1e-12)
    assert m.rsquared_ == pytest.approx(r.rsquared, rel=1e-12)
    assert m.deviance_ == pytest.approx(r.ssr, rel=1e-12)
    assert m.null_deviance_ == pytest.approx(r.centered_tss, rel=1e-12)
    stat, pvalue, df = r.compare_lr_test(sm.OLS(BP.sbp, np.ones(33)).fit())
    lr = m.lr_test()
    assert lr.statistic == pytest.approx(stat, rel=1e-10)
    assert lr.pvalue == pytest.approx(pvalue, rel=1e-8)
    assert lr.df == df == 1


def test_prediction_interval_equals_statsmodels() -> None:
    m = LinearRegression().fit(AGE, BP.sbp)
    r = sm.OLS(BP.sbp, sm.add_constant(BP.age)).fit()
    new = np.array([[20.0], [45.0], [80.0]])
    frame = r.get_prediction(sm.add_constant(new[:, 0])).summary_frame(alpha=0.1)
    band = m.predict(new, interval=0.9)
    np.testing.assert_allclose(band.mean, frame["mean"], rtol=1e-12)
    np.testing.assert_allclose(band.lower, frame["mean_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(band.upper, frame["mean_ci_upper"], rtol=1e-10)


def test_gradient_descent_on_raw_ages_needs_a_tiny_learning_rate() -> None:
    # The curvature of the MSE is up to 2 * mean(1 + age^2) ~ 4800: beyond 2/4800 it diverges.
    with pytest.raises(DivergenceError, match=r"learning_rate=0\.001\b"):
        LinearRegression(solver="gd", learning_rate=1e-3).fit(AGE, BP.sbp)
    # A stable rate crawls along the intercept: after 1000 steps it is nowhere near 87.7.
    with pytest.warns(ConvergenceWarning, match="did not converge.*standardise"):
        slow = LinearRegression(solver="gd", learning_rate=1e-4, max_iter=1000).fit(AGE, BP.sbp)
    assert slow.stop_reason_ == "max_iter"
    assert slow.intercept_ < 10.0
    # Standardised ages converge in a few dozen steps to the exact MSE.
    fast = LinearRegression(solver="gd", learning_rate=0.1, max_iter=1000).fit(Z_AGE, BP.sbp)
    assert fast.stop_reason_ == "converged" and fast.n_iter_ < 150
    assert fast.history_["loss"][-1] == pytest.approx(349.20087, rel=1e-7)


def test_learning_rate_10_diverges_with_a_clear_error() -> None:
    # The course's question, "learning rate 10, what happens?", on standardised ages.
    for solver in ("gd", "sgd"):
        with pytest.raises(DivergenceError, match=r"diverged.*learning_rate=10\b.*smaller"):
            LinearRegression(solver=solver, learning_rate=10.0, random_state=0).fit(Z_AGE, BP.sbp)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"solver": "gd", "learning_rate": 0.2, "max_iter": 2000},
        {"solver": "lbfgs"},
        {
            "solver": "sgd",
            "learning_rate": 0.05,
            "batch_size": 25,
            "schedule": "inverse",
            "decay": 0.1,
            "max_iter": 300,
            "random_state": 0,
        },
    ],
)
def test_iterative_solvers_reach_the_exact_mse(kwargs: dict[str, object]) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3))
    y = X @ np.array([2.0, -1.0, 0.5]) + 1.0 + rng.normal(size=500)
    exact = LinearRegression().fit(X, y)
    best = np.mean((y - exact.predict(X)) ** 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LinearRegression(tol=1e-9, **kwargs).fit(X, y)  # type: ignore[arg-type]
    assert 0.0 <= np.mean((y - m.predict(X)) ** 2) - best < 1e-6


def test_sample_weight_is_a_frequency_weight() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    y = X @ [1.0, 2.0] + rng.normal(size=40)
    w = rng.integers(1, 4, size=40)
    m = LinearRegression().fit(X, y, sample_weight=w)
    rep = np.repeat(np.arange(40), w)
    m2 = LinearRegression().fit(X[rep], y[rep])
    np.testing.assert_allclose(m.params_, m2.params_, rtol=1e-12)
    np.testing.assert_allclose(m.bse_, m2.bse_, rtol=1e-10)
    assert m.nobs_ == m2.nobs_ == w.sum()


def test_ridge_matches_the_closed_form() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(60, 4))
    y = X @ [1.0, -1.0, 0.5, 0.0] + rng.normal(size=60)
    l2 = 0.3
    m = LinearRegression(l2=l2).fit(X, y)
    # MSE + (l2/2)|w|^2 is minimised by (Xc'Xc + n l2/2 I)^-1 Xc'(y - ybar).
    xc, yc = X - X.mean(0), y - y.mean()
    w = np.linalg.solve(xc.T @ xc + 60 * l2 / 2 * np.eye(4), xc.T @ yc)
    np.testing.assert_allclose(m.coef_, w, rtol=1e-12)
    lb = LinearRegression(l2=l2, solver="lbfgs", tol=1e-8).fit(X, y)
    # |w - w*| <= |grad| / lambda_min(Hessian) and lambda_min >= l2 = 0.3.
    np.testing.assert_allclose(lb.coef_, w, atol=1e-8 / 0.3)


def test_dependent_columns_give_the_minimum_norm_solution_without_inference() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(30, 1))
    X = np.hstack([x, 2 * x])
    y = 3 * x[:, 0] + rng.normal(size=30)
    m = LinearRegression().fit(X, y)
    assert m.rank_ == 1
    np.testing.assert_allclose(
        m.coef_, np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0], rtol=1e-10
    )
    with pytest.raises(InferenceUnavailableError, match="singular"):
        m.bse_  # noqa: B018


def test_summary_reports_sigma() -> None:
    m = LinearRegression().fit(AGE, BP.sbp)
    text = str(m.summary(feature_names=["age"]))
    for piece in ("Sigma", "19.2803", "87.6714", "P>|t|", "age"):
        assert piece in text


def test_sgd_validation_and_partial_fit() -> None:
    m = LinearRegression(solver="sgd", learning_rate=0.05, random_state=0, max_iter=3, tol=0.0)
    with pytest.warns(ConvergenceWarning):
        m.fit(Z_AGE, BP.sbp, validation_data=(Z_AGE[:10], BP.sbp[:10]))
    assert m.history_["val_loss"].shape == (3,)
    m.partial_fit(Z_AGE, BP.sbp)
    assert len(m.history_) == 4


def test_float32_predictions_stay_float32() -> None:
    m = LinearRegression(solver="sgd", learning_rate=0.05, max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(Z_AGE.astype(np.float32), BP.sbp)
    assert m.predict(Z_AGE.astype(np.float32)).dtype == np.float32
    assert m.coef_.dtype == np.float32


def test_gradient_descent_starts_from_a_line_set_by_hand() -> None:
    # One step from (b, a) = (80, 1) moves along minus the gradient of the MSE:
    # d/da = -2 mean(x r), d/db = -2 mean(r), r = y - 80 - x.
    rate = 1e-4
    m = LinearRegression(solver="gd", learning_rate=rate, max_iter=1, tol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(AGE, BP.sbp, coef_init=[1.0], intercept_init=80.0)
    r = BP.sbp - 80.0 - AGE[:, 0]
    assert m.coef_[0] == pytest.approx(1.0 + rate * 2 * np.mean(AGE[:, 0] * r), rel=1e-12)
    assert m.intercept_ == pytest.approx(80.0 + rate * 2 * np.mean(r), rel=1e-12)
    with pytest.raises(ValueError, match=r"coef_init.*shape \(1,\)"):
        LinearRegression().fit(AGE, BP.sbp, coef_init=[[1.0]])
    with pytest.raises(ValueError, match=r"intercept_init.*shape \(\)"):
        LinearRegression().fit(AGE, BP.sbp, coef_init=[1.0], intercept_init=[80.0])


def test_nist_longley_certified_values() -> None:
    # NIST StRD Longley (16 rows, 6 collinear predictors): certified parameters and
    # standard errors.  Forming X'X would square its condition number (about 5e7 for
    # the centred design); the covariance from a QR factor keeps 12 digits.
    longley = pytest.importorskip("statsmodels.datasets.longley")
    d = longley.load_pandas()
    X, y = d.exog.to_numpy(float), d.endog.to_numpy(float)
    params = [-3482258.63459582, 15.0618722713733, -0.358191792925910e-01,
              -2.02022980381683, -1.03322686717359, -0.511041056535807e-01,
              1829.15146461355]  # fmt: skip
    bse = [890420.383607373, 84.9149257747669, 0.334910077722432e-01, 0.488399681651699,
           0.214274163161675, 0.226073200069370, 455.478499142212]  # fmt: skip
    m = LinearRegression().fit(X, y)
    np.testing.assert_allclose(m.params_, params, rtol=1e-11)
    np.testing.assert_allclose(m.bse_, bse, rtol=2e-12)
    assert m.sigma_ == pytest.approx(304.854073561965, rel=1e-12)
    assert m.rsquared_ == pytest.approx(0.995479004577296, rel=1e-12)
    # Frequency weights of 2 are the data twice.
    twice = LinearRegression().fit(np.vstack([X, X]), np.concatenate([y, y]))
    weighted = LinearRegression().fit(X, y, sample_weight=np.full(16, 2.0))
    np.testing.assert_allclose(weighted.bse_, twice.bse_, rtol=1e-10)


def test_weighted_covariance_is_the_inverse_information() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(5000, 3)) + np.array([50.0, 0.0, -3.0])
    y = X @ [1.0, -2.0, 0.5] + rng.normal(size=5000)
    w = rng.integers(1, 4, size=5000).astype(float)
    m = LinearRegression().fit(X, y, sample_weight=w)
    X1 = np.column_stack([np.ones(5000), X])
    sigma2 = float(w @ (y - X1 @ m.params_) ** 2) / (w.sum() - 4)
    expected = sigma2 * np.linalg.inv((X1.T * w) @ X1)
    # Entries near 0 are compared on the scale of the matrix.
    np.testing.assert_allclose(m.cov_params_, expected, rtol=1e-9, atol=1e-9 * 1e-4)
