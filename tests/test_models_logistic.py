"""Tests of LogisticRegression: the Challenger numbers, statsmodels, solvers, diagnostics."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.exceptions import ConvergenceWarning

from crossentropy.datasets import load_challenger
from crossentropy.models import (
    InferenceUnavailableError,
    LogisticRegression,
    SeparationWarning,
)
from crossentropy.optim import DivergenceError

D = load_challenger()
TEMP = D.temp_f[:, None]
ANY = (D.distress > 0).astype(int)
COUNTS = np.column_stack([D.distress, D.n_orings - D.distress])
AT_31 = np.array([[31.0]])


def _logistic_data(seed: int, n: int = 400, p: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w = np.linspace(1.0, -0.5, p)
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ w + 0.3)))).astype(int)
    return X, y


def _mean_loss(m: LogisticRegression, X: np.ndarray, y: np.ndarray) -> float:
    z = X @ m.coef_[0].astype(np.float64) + float(m.intercept_[0])
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


# --------------------------------------------------------------------------- Challenger
def test_challenger_binary_matches_the_published_numbers() -> None:
    m = LogisticRegression().fit(TEMP, ANY)
    # The numbers of the issue, to 1e-5 relative.  The slope's standard error is
    # quoted there as 0.10824 (5 digits, 3e-5 from the value); 0.108237 is its
    # 6-digit value from statsmodels (../shared/peers/model-fitting.md).
    np.testing.assert_allclose(m.params_, [15.0429, -0.232163], rtol=1e-5)
    np.testing.assert_allclose(m.bse_, [7.3786, 0.108237], rtol=1e-5)
    assert m.loglike_ == pytest.approx(-10.1576, rel=1e-5)
    assert m.predict_proba(AT_31)[0, 1] == pytest.approx(0.99961, rel=1e-5)
    assert m.deviance_ == pytest.approx(20.315, rel=1e-4)
    assert m.null_deviance_ == pytest.approx(28.267, rel=1e-4)
    assert m.aic_ == pytest.approx(24.315, rel=1e-4)
    assert m.lr_test().statistic == pytest.approx(7.952, rel=1e-4)
    assert m.stop_reason_ == "converged" and m.separation_ is None


def test_challenger_binary_equals_statsmodels() -> None:
    m = LogisticRegression().fit(TEMP, ANY)
    r = sm.Logit(ANY, sm.add_constant(D.temp_f)).fit(disp=0, method="newton", tol=1e-12)
    # Both run Newton to convergence; what is left is rounding (1e-9).
    np.testing.assert_allclose(m.params_, r.params, rtol=1e-9)
    np.testing.assert_allclose(m.bse_, r.bse, rtol=1e-8)
    np.testing.assert_allclose(m.zvalues_, r.tvalues, rtol=1e-8)
    np.testing.assert_allclose(m.pvalues_, r.pvalues, rtol=1e-7)
    np.testing.assert_allclose(m.conf_int(0.1), r.conf_int(0.1), rtol=1e-8)
    assert m.loglike_ == pytest.approx(r.llf, rel=1e-12)
    assert m.loglike_null_ == pytest.approx(r.llnull, rel=1e-10)
    assert m.aic_ == pytest.approx(r.aic, rel=1e-12)
    assert m.bic_ == pytest.approx(r.bic, rel=1e-12)
    lr = m.lr_test()
    assert lr.statistic == pytest.approx(r.llr, rel=1e-9)
    assert lr.pvalue == pytest.approx(r.llr_pvalue, rel=1e-7)
    assert lr.df == 1


def test_challenger_interval_at_31f_equals_statsmodels() -> None:
    m = LogisticRegression().fit(TEMP, ANY)
    res = sm.GLM(ANY, sm.add_constant(D.temp_f), family=sm.families.Binomial()).fit(tol=1e-12)
    frame = res.get_prediction(np.array([[1.0, 31.0]])).summary_frame(alpha=0.05)
    band = m.predict_proba(AT_31, interval=0.95)
    np.testing.assert_allclose(band.proba[0, 1], frame["mean"].iloc[0], rtol=1e-9)
    # statsmodels maps the interval of the linear predictor through the link too.
    np.testing.assert_allclose(band.lower[0, 1], frame["mean_ci_lower"].iloc[0], rtol=1e-7)
    np.testing.assert_allclose(band.upper[0, 1], frame["mean_ci_upper"].iloc[0], rtol=1e-7)
    # Column 0 is the complement, bounds swapped.
    np.testing.assert_allclose(band.lower[0, 0], 1 - band.upper[0, 1], atol=1e-15)
    assert band.lower[0, 1] < band.proba[0, 1] < band.upper[0, 1] < 1.0


@pytest.mark.parametrize("form", ["pairs", "trials"])
def test_challenger_binomial_matches_published_and_statsmodels(form: str) -> None:
    m = LogisticRegression()
    m = m.fit(TEMP, COUNTS) if form == "pairs" else m.fit(TEMP, D.distress, trials=6)
    np.testing.assert_allclose(m.params_, [5.08498, -0.115601], rtol=1e-5)
    np.testing.assert_allclose(m.bse_, [3.05248, 0.047024], rtol=1e-5)
    assert m.predict_proba(AT_31)[0, 1] == pytest.approx(0.81777, rel=1e-5)
    r = sm.GLM(COUNTS, sm.add_constant(D.temp_f), family=sm.families.Binomial()).fit(tol=1e-12)
    np.testing.assert_allclose(m.params_, r.params, rtol=1e-8)
    # statsmodels' IRLS takes its covariance from the weights of its last iteration,
    # one step behind the estimate: that leaves about 5e-7 between the two.
    np.testing.assert_allclose(m.bse_, r.bse, rtol=2e-6)
    assert m.loglike_ == pytest.approx(r.llf, rel=1e-10)  # binomial coefficients included
    assert m.deviance_ == pytest.approx(r.deviance, rel=1e-9)
    assert m.null_deviance_ == pytest.approx(r.null_deviance, rel=1e-9)
    assert m.aic_ == pytest.approx(r.aic, rel=1e-10)
    assert m.bic_ == pytest.approx(r.bic_llf, rel=1e-10)
    assert m.nobs_ == 23 and m.df_resid_ == 21
    np.testing.assert_array_equal(m.classes_, [0, 1])


def test_sample_weight_equals_statsmodels_frequency_weights() -> None:
    X, y = _logistic_data(3, n=120)
    w = np.random.default_rng(4).integers(0, 4, size=120).astype(float)
    m = LogisticRegression().fit(X, y, sample_weight=w)
    r = sm.GLM(y, sm.add_constant(X), family=sm.families.Binomial(), freq_weights=w).fit(tol=1e-12)
    np.testing.assert_allclose(m.params_, r.params, rtol=1e-7)
    np.testing.assert_allclose(m.bse_, r.bse, rtol=1e-5)  # last-iteration weights again
    assert m.loglike_ == pytest.approx(r.llf, rel=1e-10)
    assert m.nobs_ == pytest.approx(w.sum())
    # A weight k is the row repeated k times.
    rep = np.repeat(np.arange(120), w.astype(int))
    m2 = LogisticRegression().fit(X[rep], y[rep])
    np.testing.assert_allclose(m.params_, m2.params_, rtol=1e-10)
    np.testing.assert_allclose(m.bse_, m2.bse_, rtol=1e-9)


def test_lbfgs_gives_the_same_inference() -> None:
    X, y = _logistic_data(5)
    exact = LogisticRegression().fit(X, y)
    m = LogisticRegression(solver="lbfgs", tol=1e-9).fit(X, y)
    assert m.stop_reason_ == "converged"
    # |theta - theta*| <= |grad| / lambda_min(H); lambda_min is about 0.15 here.
    np.testing.assert_allclose(m.params_, exact.params_, atol=1e-7)
    np.testing.assert_allclose(m.bse_, exact.bse_, rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"solver": "gd", "learning_rate": 1.0, "max_iter": 3000},
        {"solver": "gd", "learning_rate": 0.5, "momentum": 0.9, "max_iter": 3000},
        {
            "solver": "sgd",
            "learning_rate": 0.5,
            "batch_size": 25,
            "schedule": "inverse",
            "decay": 0.1,
            "max_iter": 300,
            "random_state": 0,
        },
    ],
)
def test_gd_and_sgd_reach_the_exact_loss(kwargs: dict[str, object]) -> None:
    X, y = _logistic_data(0, n=500)
    exact = _mean_loss(LogisticRegression().fit(X, y), X, y)
    with warnings.catch_warnings():
        # SGD never meets tol=1e-9 (its gradient is noisy); it stops at max_iter.
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LogisticRegression(tol=1e-9, **kwargs).fit(X, y)  # type: ignore[arg-type]
    assert 0.0 <= _mean_loss(m, X, y) - exact < 1e-6


def test_gd_on_raw_temperatures_needs_a_small_learning_rate() -> None:
    # Temperatures near 70 F make the curvature about 0.25 * 70^2: 0.1 is far too large.
    with pytest.raises(DivergenceError, match=r"learning_rate=0\.1\b.*standardise"):
        LogisticRegression(solver="gd", learning_rate=0.1).fit(TEMP, ANY)
    z = (TEMP - TEMP.mean()) / TEMP.std()
    m = LogisticRegression(solver="gd", learning_rate=2.0, max_iter=2000).fit(z, ANY)
    assert m.stop_reason_ == "converged"
    # Standardising reparametrises: the slope per degree is the same estimate.
    assert m.coef_[0, 0] / TEMP.std() == pytest.approx(-0.232163, rel=1e-4)


def test_learning_rate_auto_is_stable_on_raw_features() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # slow on raw units, by design
        m = LogisticRegression(solver="gd", learning_rate="auto", max_iter=50).fit(TEMP, ANY)
    assert np.all(np.diff(m.history_["loss"]) <= 0), "1/L steps never raise the loss"


# --------------------------------------------------------------------------- separation
def test_complete_separation_is_reported() -> None:
    x = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    with pytest.warns(SeparationWarning, match=r"completely separated.*intercept.*x0"):
        m = LogisticRegression().fit(x, y)
    assert m.stop_reason_ == "separation"
    assert m.separation_ is not None and m.separation_.kind == "complete"
    assert m.separation_.n_separated == 6
    # The direction points the boundary between 3 and 4.
    d = m.separation_.direction[:, 0]
    assert 3.0 < -d[0] / d[1] < 4.0
    with pytest.raises(InferenceUnavailableError, match="separated"):
        m.bse_  # noqa: B018
    assert "separated" in str(m.summary())


def test_quasi_separation_is_reported() -> None:
    # Every flight below 65 F failed and none above; at 65 F one did and one did not.
    x = np.array([[55.0], [60.0], [65.0], [65.0], [70.0], [75.0], [80.0]])
    y = np.array([1, 1, 1, 0, 0, 0, 0])
    with pytest.warns(SeparationWarning, match="quasi-completely separated"):
        m = LogisticRegression().fit(x, y)
    # The five rows off the boundary are fitted exactly; the two at 65 F are not.
    assert m.separation_ is not None and m.separation_.n_separated == 5
    assert m.stop_reason_ == "separation"


def test_no_separation_warning_with_l2() -> None:
    x = np.array([[1.0], [2.0], [3.0], [4.0]])
    m = LogisticRegression(l2=0.1).fit(x, [0, 0, 1, 1])
    assert m.separation_ is None and m.stop_reason_ == "converged"
    assert np.isfinite(m.coef_).all()


def test_l2_matches_scikit_learn() -> None:
    from sklearn.linear_model import LogisticRegression as SkLogistic

    X, y = _logistic_data(2, n=200)
    l2 = 0.05
    ours = LogisticRegression(l2=l2).fit(X, y)
    # sklearn minimises C * sum(loss) + |w|^2 / 2, i.e. our objective times C n.
    theirs = SkLogistic(C=1 / (l2 * len(y)), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-6)
    with pytest.raises(InferenceUnavailableError, match=r"l2=0\.05"):
        ours.pvalues_  # noqa: B018


# --------------------------------------------------------------------------- float32
def test_float32_stays_float32_and_is_never_copied_to_float64() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 100)).astype(np.float32)  # 8 MB; a float64 copy is 16 MB
    y = (X[:, 0] + rng.normal(size=20_000) > 0).astype(int)
    for solver in ("sgd", "lbfgs", "newton"):
        m = LogisticRegression(solver=solver, max_iter=3, l2=1e-3, random_state=0)
        tracemalloc.start()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            m.fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # A float64 copy alone would take 2 * X.nbytes; the fit stays well below it.
        assert peak < X.nbytes * 1.5, f"{solver}: peak {peak / 2**20:.1f} MB"
        assert m.coef_.dtype == np.float32
        assert m.predict_proba(X[:5]).dtype == np.float32


# --------------------------------------------------------------------------- API
def test_predict_and_log_proba_are_consistent() -> None:
    X, y = _logistic_data(1)
    labels = np.where(y == 1, "yes", "no")
    m = LogisticRegression().fit(X, labels)
    np.testing.assert_array_equal(m.classes_, ["no", "yes"])
    p = m.predict_proba(X)
    np.testing.assert_allclose(np.exp(m.predict_log_proba(X)), p, rtol=1e-12)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(m.predict(X), np.where(p[:, 1] > 0.5, "yes", "no"))


def test_summary_text_and_html() -> None:
    m = LogisticRegression().fit(TEMP, ANY)
    text = str(m.summary(feature_names=["temp_f"]))
    for piece in ("temp_f", "intercept", "15.0429", "-0.2322", "7.3786", "P>|z|", "-10.1576"):
        assert piece in text
    html = m.summary()._repr_html_()
    assert "<table>" in html and "x0" in html


def test_history_and_stop_reason_for_every_solver() -> None:
    X, y = _logistic_data(6)
    for solver, unit in [
        ("newton", "iteration"),
        ("lbfgs", "iteration"),
        ("gd", "iteration"),
        ("sgd", "epoch"),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            m = LogisticRegression(solver=solver, max_iter=20, random_state=0).fit(X, y)
        assert m.history_.unit == unit
        assert {"loss", "grad_norm", "step_norm"} <= set(m.history_.keys())
        assert m.stop_reason_ in ("converged", "max_iter")
        assert len(m.history_) == m.n_iter_


def test_sgd_validation_split_and_early_stopping() -> None:
    X, y = _logistic_data(7, n=1000)
    m = LogisticRegression(
        solver="sgd", validation_fraction=0.2, max_iter=5, random_state=0, tol=0.0
    )
    with pytest.warns(ConvergenceWarning):
        m.fit(X, y)
    acc = m.history_["val_accuracy"]
    assert acc.shape == (5,) and np.all((0.5 < acc) & (acc <= 1.0))
    m = LogisticRegression(
        solver="sgd",
        early_stopping=True,
        n_iter_no_change=2,
        learning_rate=0.5,
        max_iter=500,
        random_state=0,
        tol=0.0,
    ).fit(X, y)
    assert m.stop_reason_ == "early_stopping"


def test_partial_fit_carries_the_schedule() -> None:
    X, y = _logistic_data(8)
    assert not hasattr(LogisticRegression(), "partial_fit")  # only the SGD solver has it
    m = LogisticRegression(solver="sgd", schedule="inverse", learning_rate=0.4, random_state=0)
    for _ in range(3):
        m.partial_fit(X, y, validation_data=(X[:50], y[:50]))
    np.testing.assert_allclose(m.history_["learning_rate"], [0.4, 0.2, 0.4 / 3])
    assert m.stop_reason_ == "max_iter" and len(m.history_) == 3
    assert m.history_["val_accuracy"].shape == (3,)
    # A first batch of one class needs `classes`.
    first = LogisticRegression(solver="sgd", random_state=0)
    with pytest.raises(ValueError, match="2 classes"):
        first.partial_fit(X[y == 1], y[y == 1])
    first.partial_fit(X[y == 1], y[y == 1], classes=[0, 1])
    np.testing.assert_array_equal(first.classes_, [0, 1])


def test_keyboard_interrupt_keeps_the_model() -> None:
    X, y = _logistic_data(9)

    def interrupt(record: dict[str, float]) -> None:
        if record["epoch"] == 2:
            raise KeyboardInterrupt

    m = LogisticRegression(solver="sgd", random_state=0, callback=interrupt)
    with pytest.raises(KeyboardInterrupt):
        m.fit(X, y)
    assert m.stop_reason_ == "interrupted" and m.n_iter_ == 2
    assert m.predict(X).shape == (400,)


def test_callback_can_stop() -> None:
    X, y = _logistic_data(9)
    m = LogisticRegression(solver="lbfgs", callback=lambda r: r["iteration"] >= 2).fit(X, y)
    assert m.stop_reason_ == "callback" and m.n_iter_ == 2


@pytest.mark.parametrize(
    ("y", "kwargs", "match"),
    [
        (np.arange(23) % 3, {}, "Only binary classification is supported"),
        (np.column_stack([D.distress, D.distress - 3]), {}, "0 <= successes <= trials"),
        (D.distress, {"trials": np.full(5, 6)}, "trials"),
        (D.distress, {"trials": 1}, "successes"),
    ],
)
def test_bad_targets(y: np.ndarray, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        LogisticRegression().fit(TEMP, y, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"solver": "adam"}, "solver"),
        ({"l2": -1.0}, "l2"),
        ({"tol": float("nan")}, "tol"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"early_stopping": True}, "solver='sgd'"),
        ({"fit_intercept": "yes"}, "`fit_intercept` must be True or False; got str 'yes'"),
        ({"nesterov": 1}, "`nesterov` must be True or False; got int 1"),
        ({"early_stopping": "no"}, "`early_stopping` must be True or False"),
        ({"warm_start": "yes"}, "`warm_start` must be True or False"),
    ],
)
def test_bad_hyperparameters(params: dict[str, object], match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        LogisticRegression(**params).fit(TEMP, ANY)  # type: ignore[arg-type]


def test_interval_needs_exact_inference_and_a_level() -> None:
    m = LogisticRegression().fit(TEMP, ANY)
    with pytest.raises(ValueError, match="interval"):
        m.predict_proba(AT_31, interval=95)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        s = LogisticRegression(solver="sgd", learning_rate=1e-4, max_iter=2).fit(TEMP, ANY)
    with pytest.raises(InferenceUnavailableError, match="solver='newton' or 'lbfgs'"):
        s.predict_proba(AT_31, interval=0.95)


def test_options_of_the_inference_are_checked_by_type() -> None:
    m = LogisticRegression().fit(TEMP, ANY)
    with pytest.raises(TypeError, match=r"`interval` must be a confidence .* str '0\.95'"):
        m.predict_proba(AT_31, interval="0.95")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"`alpha` must be in \(0, 1\); got str '0\.05'"):
        m.conf_int(alpha="0.05")  # type: ignore[arg-type]
    for name, bad in (("fit_intercept", "yes"), ("nesterov", 1), ("early_stopping", "no")):
        with pytest.raises(TypeError, match=f"`{name}` must be True or False"):
            LogisticRegression(**{name: bad}).fit(TEMP, ANY)  # type: ignore[arg-type]


def test_fit_starts_from_coef_init() -> None:
    # Two steps of gradient descent equal one step, then one more from where it ended.
    X, y = _logistic_data(21)
    two = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=2, tol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        two.fit(X, y)
        one = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=1, tol=0).fit(X, y)
        more = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=1, tol=0).fit(
            X, y, coef_init=one.coef_, intercept_init=one.intercept_
        )
    np.testing.assert_array_equal(more.coef_, two.coef_)
    np.testing.assert_array_equal(more.intercept_, two.intercept_)
    # Newton from the Challenger maximum stays there.
    exact = LogisticRegression().fit(TEMP, ANY)
    again = LogisticRegression().fit(
        TEMP, ANY, coef_init=exact.coef_, intercept_init=exact.intercept_
    )
    assert again.n_iter_ <= 2
    np.testing.assert_allclose(again.params_, exact.params_, rtol=1e-9)
    with pytest.raises(ValueError, match=r"coef_init.*\(1, 1\).*got float64 with shape \(1,\)"):
        LogisticRegression().fit(TEMP, ANY, coef_init=[0.1])
    with pytest.raises(ValueError, match=r"intercept_init.*shape \(1,\)"):
        LogisticRegression().fit(TEMP, ANY, coef_init=[[0.1]], intercept_init=1.0)
    with pytest.raises(ValueError, match="needs `coef_init`"):
        LogisticRegression().fit(TEMP, ANY, intercept_init=[1.0])
