"""Tests of SoftmaxRegression: statsmodels MNLogit, solvers, SGD machinery, float32."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.exceptions import ConvergenceWarning

from crossentropy.models import (
    LogisticRegression,
    SeparationWarning,
    SoftmaxRegression,
)
from crossentropy.optim import DivergenceError


def _data(seed: int, n: int = 300, p: int = 3, k: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    W = rng.normal(size=(p, k))
    y = np.argmax(X @ W + rng.gumbel(size=(n, k)), axis=1)
    return X, y


def _mean_loss(m: SoftmaxRegression, X: np.ndarray, y: np.ndarray) -> float:
    z = X @ m.coef_.T.astype(np.float64) + m.intercept_
    z -= z.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]))


def test_newton_equals_statsmodels_mnlogit() -> None:
    X, y = _data(0)
    m = SoftmaxRegression(solver="newton").fit(X, y)
    r = sm.MNLogit(y, sm.add_constant(X)).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    # statsmodels' params are (q, K - 1), contrasts against class 0, like params_.
    np.testing.assert_allclose(m.params_, r.params, rtol=1e-8)
    np.testing.assert_allclose(m.bse_, r.bse, rtol=1e-7)
    np.testing.assert_allclose(m.pvalues_, r.pvalues, rtol=1e-6)
    assert m.loglike_ == pytest.approx(r.llf, rel=1e-12)
    assert m.loglike_null_ == pytest.approx(r.llnull, rel=1e-9)
    assert m.aic_ == pytest.approx(r.aic, rel=1e-12)
    assert m.bic_ == pytest.approx(r.bic, rel=1e-12)
    assert m.lr_test().statistic == pytest.approx(r.llr, rel=1e-8)
    assert m.conf_int().shape == (4, 3, 2)
    np.testing.assert_allclose(m.predict_proba(X), r.predict(sm.add_constant(X)), rtol=1e-8)
    # coef_ is the centred representative of the same model.
    np.testing.assert_allclose(m.coef_.sum(axis=0), 0.0, atol=1e-12)


def test_lbfgs_and_newton_agree() -> None:
    X, y = _data(1)
    a = SoftmaxRegression(solver="newton").fit(X, y)
    b = SoftmaxRegression(solver="lbfgs", tol=1e-9, max_iter=500).fit(X, y)
    assert b.stop_reason_ == "converged"
    # Parameter error is at most |grad| / lambda_min(H); lambda_min ~ 0.05 here.
    np.testing.assert_allclose(b.params_, a.params_, atol=1e-6)
    np.testing.assert_allclose(b.coef_, a.coef_, atol=1e-6)
    np.testing.assert_allclose(b.bse_, a.bse_, rtol=1e-5)


def test_newton_with_l2_matches_lbfgs() -> None:
    X, y = _data(2)
    a = SoftmaxRegression(solver="newton", l2=0.1).fit(X, y)
    b = SoftmaxRegression(solver="lbfgs", l2=0.1, tol=1e-10, max_iter=500).fit(X, y)
    # With l2 > 0 the objective is strongly convex (lambda_min >= 0.1 on W).
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-8)
    np.testing.assert_allclose(a.intercept_, b.intercept_, atol=1e-8)


def test_two_classes_give_logistic_regression() -> None:
    X, y = _data(3, k=2)
    s = SoftmaxRegression(solver="newton").fit(X, y)
    lg = LogisticRegression().fit(X, y)
    np.testing.assert_allclose(s.params_[:, 0], lg.params_, rtol=1e-10)
    np.testing.assert_allclose(s.bse_[:, 0], lg.bse_, rtol=1e-9)
    np.testing.assert_allclose(s.decision_function(X), lg.decision_function(X), rtol=1e-9)
    a, b = s.predict_proba(X[:5], interval=0.9), lg.predict_proba(X[:5], interval=0.9)
    for got, want in zip(a, b, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-9)


def test_probability_interval_is_the_delta_method() -> None:
    X, y = _data(4, k=3)
    m = SoftmaxRegression(solver="newton").fit(X, y)
    x = X[:4]
    band = m.predict_proba(x, interval=0.95)
    # Numerical delta method: gradient of logit(p_c) in params_ by central differences.
    theta = m.params_.ravel()
    x1 = np.column_stack([np.ones(len(x)), x])

    def logits(t: np.ndarray) -> np.ndarray:
        z = np.column_stack([np.zeros(len(x)), x1 @ t.reshape(theta.size // 2, 2)])
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        return np.log(p / (1 - p))

    h = 1e-6
    grads = np.stack(
        [(logits(theta + h * e) - logits(theta - h * e)) / (2 * h) for e in np.eye(theta.size)],
        axis=-1,
    )
    se = np.sqrt(np.einsum("ncj,jk,nck->nc", grads, m.cov_params_, grads))
    center = logits(theta)
    lower = 1 / (1 + np.exp(-(center - 1.959963984540054 * se)))
    # Central differences of a smooth function with h = 1e-6: error ~1e-9 relative.
    np.testing.assert_allclose(band.lower, lower, rtol=1e-6)
    assert np.all(band.lower < band.proba) and np.all(band.proba < band.upper)


def test_sample_weight_is_a_frequency_weight() -> None:
    X, y = _data(5, n=120, k=3)
    w = np.random.default_rng(6).integers(0, 4, size=120)
    m = SoftmaxRegression(solver="newton").fit(X, y, sample_weight=w)
    rep = np.repeat(np.arange(120), w)
    m2 = SoftmaxRegression(solver="newton").fit(X[rep], y[rep])
    np.testing.assert_allclose(m.params_, m2.params_, rtol=1e-9)
    np.testing.assert_allclose(m.bse_, m2.bse_, rtol=1e-8)
    assert m.loglike_ == pytest.approx(m2.loglike_, rel=1e-12)


def test_sgd_and_gd_reach_the_exact_loss() -> None:
    X, y = _data(7, n=600, k=3)
    best = _mean_loss(SoftmaxRegression(solver="newton").fit(X, y), X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sgd = SoftmaxRegression(
            solver="sgd",
            learning_rate=0.5,
            batch_size=30,
            schedule="inverse",
            decay=0.1,
            max_iter=300,
            tol=1e-9,
            random_state=0,
        ).fit(X, y)
    gd = SoftmaxRegression(solver="gd", learning_rate=2.0, max_iter=3000, tol=1e-8).fit(X, y)
    for m in (sgd, gd):
        assert 0.0 <= _mean_loss(m, X, y) - best < 1e-6


def test_separation_in_many_classes() -> None:
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    with pytest.warns(SeparationWarning, match=r"separated.*\[1\]"):
        m = SoftmaxRegression(solver="newton").fit(X[:, :2], y)  # setosa is separable
    assert m.stop_reason_ == "separation"


def test_float32_sgd_never_copies_to_float64() -> None:
    rng = np.random.default_rng(8)
    X = rng.random((20_000, 100), dtype=np.float32)  # 8 MB; a float64 copy is 16 MB
    y = np.argmax(X[:, :5], axis=1)
    m = SoftmaxRegression(
        solver="sgd", learning_rate=0.5, max_iter=2, random_state=0, validation_fraction=0.2
    )
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # A float64 copy would take 2 * X.nbytes; the fit (validation rows, 20 % of X in
    # float32, included) stays below X.nbytes.
    assert peak < X.nbytes, f"peak {peak / 2**20:.1f} MB"
    assert m.coef_.dtype == np.float32 and m.predict_proba(X[:3]).dtype == np.float32
    assert m.history_["val_accuracy"][-1] > 0.7


def test_partial_fit_with_classes_and_schedule() -> None:
    X, y = _data(9, n=500, k=3)
    m = SoftmaxRegression(
        solver="sgd", schedule="exponential", decay=0.5, learning_rate=0.8, random_state=0
    )
    with pytest.raises(ValueError, match="classes"):
        m.partial_fit(X, y)
    m.partial_fit(X[:250], y[:250], classes=[0, 1, 2])
    m.partial_fit(X[250:], y[250:], validation_data=(X[:100], y[:100]))
    np.testing.assert_allclose(m.history_["learning_rate"], [0.8, 0.4])
    assert "val_accuracy" in m.history_.keys()
    with pytest.raises(ValueError, match="not one of the classes"):
        m.partial_fit(X[:5], np.full(5, 7))


def test_callback_sees_every_epoch_and_can_stop() -> None:
    X, y = _data(10, n=500, k=3)
    seen: list[dict[str, float]] = []

    def cb(record: dict[str, float]) -> bool:
        seen.append(record)
        return record["epoch"] == 3

    m = SoftmaxRegression(solver="sgd", random_state=0, callback=cb, validation_fraction=0.2).fit(
        X, y
    )
    assert m.stop_reason_ == "callback" and [r["epoch"] for r in seen] == [1, 2, 3]
    assert {"loss", "val_loss", "val_accuracy", "learning_rate"} <= set(seen[0])


def test_keyboard_interrupt_keeps_what_was_learned() -> None:
    X, y = _data(11, n=500, k=3)

    def cb(record: dict[str, float]) -> None:
        if record["epoch"] == 2:
            raise KeyboardInterrupt

    m = SoftmaxRegression(solver="sgd", random_state=0, callback=cb)
    with pytest.raises(KeyboardInterrupt):
        m.fit(X, y)
    assert m.stop_reason_ == "interrupted" and len(m.history_) == 2
    assert m.score(X, y) > 0.5


def test_large_learning_rate_diverges() -> None:
    X, y = _data(12, n=500, k=3)
    with pytest.raises(DivergenceError, match=r"learning_rate=1000\b"):
        SoftmaxRegression(solver="sgd", learning_rate=1000.0, random_state=0).fit(100 * X, y)


def test_newton_refuses_huge_hessians() -> None:
    X = np.random.default_rng(0).normal(size=(50, 400))
    y = np.arange(50) % 10
    with pytest.raises(ValueError, match="solver='lbfgs'"):
        SoftmaxRegression(solver="newton").fit(X, y)


def test_summary_lists_each_contrast() -> None:
    X, y = _data(13, k=3)
    text = str(SoftmaxRegression(solver="newton").fit(X, np.array(list("abc"))[y]).summary())
    assert "x2 [c vs a]" in text and "intercept [b vs a]" in text and "3 classes" in text


def test_fit_continues_from_coef_init() -> None:
    X, y = _data(14, n=400, k=3)
    exact = SoftmaxRegression(solver="newton").fit(X, y)
    # Newton started at the maximum: converged at once, at the same estimate.
    again = SoftmaxRegression(solver="newton").fit(
        X, y, coef_init=exact.coef_, intercept_init=exact.intercept_
    )
    assert again.stop_reason_ == "converged" and again.n_iter_ <= 2
    np.testing.assert_allclose(again.params_, exact.params_, atol=1e-9)
    # L-BFGS stopped early, then continued: ends where one long run ends.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first = SoftmaxRegression(solver="lbfgs", max_iter=3).fit(X, y)
    rest = SoftmaxRegression(solver="lbfgs", tol=1e-8, max_iter=500).fit(
        X, y, coef_init=first.coef_, intercept_init=first.intercept_
    )
    # |error| <= |grad| / lambda_min(H), lambda_min ~ 0.05 here: 2e-7.
    np.testing.assert_allclose(rest.params_, exact.params_, atol=1e-6)
    with pytest.raises(ValueError, match=r"coef_init.*shape \(3, 3\)"):
        SoftmaxRegression().fit(X, y, coef_init=np.zeros((3, 4)))
    with pytest.raises(ValueError, match="intercept_init"):
        SoftmaxRegression().fit(X, y, coef_init=np.zeros((3, 3)), intercept_init=[0.0])
    with pytest.raises(ValueError, match="finite"):
        SoftmaxRegression().fit(X, y, coef_init=np.full((3, 3), np.nan))
    with pytest.raises(ValueError, match="needs `coef_init`"):
        SoftmaxRegression().fit(X, y, intercept_init=np.zeros(3))


def test_linear_schedule_over_partial_fit_equals_one_fit() -> None:
    X, y = _data(15, n=600, k=3)
    kw = dict(solver="sgd", schedule="linear", learning_rate=1.0, max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        whole = SoftmaxRegression(**kw).fit(X, y)
    parts = SoftmaxRegression(**kw)
    for _ in range(3):
        parts.partial_fit(X, y, classes=[0, 1, 2])
    # The same batches, the same step-by-step rates (horizon: max_iter epochs).
    np.testing.assert_allclose(parts.coef_, whole.coef_, rtol=1e-12)
    np.testing.assert_allclose(whole.history_["learning_rate"], [1.0, 2 / 3, 1 / 3])
    with pytest.raises(ValueError, match="horizon of 3 epochs"):
        parts.partial_fit(X, y)


def test_a_linear_schedule_run_to_its_end_does_not_warn() -> None:
    X, y = _data(18, n=600, k=3)
    kw = dict(solver="sgd", learning_rate=1.0, max_iter=2, random_state=0)
    # The rate falls to 0 at max_iter by design: the end of the budget is the plan.
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m = SoftmaxRegression(schedule="linear", **kw).fit(X, y)
    assert m.stop_reason_ == "max_iter"
    # A constant rate stopped by the same budget is unconverged, and says so; so is a
    # linear schedule whose horizon lies beyond the budget.
    with pytest.warns(ConvergenceWarning, match="did not converge in max_iter=2"):
        SoftmaxRegression(schedule="constant", **kw).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        SoftmaxRegression(schedule="linear", decay=5, **kw).fit(X, y)


def test_sgd_history_records_the_training_accuracy() -> None:
    X, y = _data(16, n=600, k=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = SoftmaxRegression(solver="sgd", learning_rate=0.5, max_iter=4, random_state=0).fit(X, y)
    acc = m.history_["accuracy"]
    assert acc.shape == (4,) and np.all((acc >= 0) & (acc <= 1))
    # The running accuracy of epoch 4's batches (before each step) is within a few
    # points of the final model's accuracy on the same rows.
    assert abs(acc[-1] - m.score(X, y)) < 0.05


def test_training_accuracy_of_the_first_epoch_counts_its_own_batches() -> None:
    # At a negligible learning rate the predictions stay those of the starting
    # coefficients, so epoch 1's running accuracy is theirs on all rows; the random
    # batches evaluated before it (the divergence reference) must not count.
    X, y = _data(18, n=2000, k=3)
    start = SoftmaxRegression(solver="newton").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = SoftmaxRegression(
            solver="sgd", learning_rate=1e-12, batch_size=50, max_iter=1, random_state=0
        ).fit(X, y, coef_init=start.coef_, intercept_init=start.intercept_)
    assert m.history_["accuracy"][0] == start.score(X, y)


def test_float32_lbfgs_reaches_the_float64_estimate_without_a_float64_copy() -> None:
    rng = np.random.default_rng(17)
    n, p = 20_000, 20
    X = (rng.random((n, p), dtype=np.float32) + 3.0).astype(np.float32)  # a large offset
    y = np.argmax(X[:, :3] + rng.gumbel(size=(n, 3)).astype(np.float32), axis=1)
    exact = SoftmaxRegression(solver="newton", l2=1e-3).fit(X.astype(np.float64), y)
    m = SoftmaxRegression(solver="lbfgs", l2=1e-3, tol=1e-4, max_iter=300)
    tracemalloc.start()
    m.fit(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < X.nbytes, f"peak {peak / 2**20:.1f} MB"  # a float64 copy is 2 * X.nbytes
    assert m.stop_reason_ == "converged" and m.coef_.dtype == np.float32
    # |error| <= |grad| / lambda_min = 1e-4 / 1e-3 at most (l2 bounds the curvature).
    np.testing.assert_allclose(m.coef_, exact.coef_, atol=0.1)
    assert abs(m.loglike_ - exact.loglike_) / abs(exact.loglike_) < 1e-5
