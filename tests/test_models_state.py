"""Tests of the fit state: one record per fit, attributes read from it, warm starts."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from crossentropy.models import LinearRegression, LogisticRegression, SoftmaxRegression
from crossentropy.models._state import Coefficients, FitStatistics, continued_history
from crossentropy.optim import DivergenceError, History


def _data(seed: int = 0, n: int = 200, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.argmax(X @ rng.normal(size=(3, k)) + rng.gumbel(size=(n, k)), axis=1)
    return X, y


def test_coefficients_and_theta_are_each_others_exact_inverse() -> None:
    rng = np.random.default_rng(1)
    for fit_intercept in (True, False):
        theta = rng.normal(size=(4 + int(fit_intercept)) * 3).astype(np.float32)
        c = Coefficients.from_theta(theta, 3, fit_intercept)
        assert c.coef.shape == (3, 4) and c.coef.flags.c_contiguous
        np.testing.assert_array_equal(c.theta(), theta, strict=True)
        assert not fit_intercept or c.intercept.tolist() == theta[:3].tolist()


def test_statistics_derive_aic_bic_and_degrees_of_freedom() -> None:
    s = FitStatistics(-10.1576, -14.1336, 20.3152, 28.2672, 23.0, 2, 1)
    assert s.aic == -2.0 * -10.1576 + 4.0
    assert s.bic == 20.3152 + np.log(23.0) * 2
    assert (s.df_model, s.df_resid) == (1, 21.0)


def test_continued_history_numbers_iterations_on() -> None:
    a, b = History(), History()
    for i in (1, 2):
        a.append(iteration=i, loss=1.0 / i)
    b.append(iteration=1, loss=0.3)
    b.stop_reason = "converged"
    joined = continued_history(a, b)
    assert [r["iteration"] for r in joined] == [1, 2, 3]
    assert joined.stop_reason == "converged" and len(a) == 2  # a is left as it was
    epochs_a, epochs_b = History("epoch"), History("epoch")
    epochs_a.append(epoch=1, loss=1.0)
    epochs_b.append(epoch=2, loss=0.5)  # numbered by the SGD state already
    assert [r["epoch"] for r in continued_history(epochs_a, epochs_b)] == [1, 2]


def test_fitted_attributes_before_a_fit() -> None:
    m = SoftmaxRegression()
    for name in ("coef_", "classes_", "history_", "loglike_", "params_"):
        assert not hasattr(m, name), name
    with pytest.raises(NotFittedError, match="not fitted"):
        m.stop_reason_  # noqa: B018
    assert not hasattr(LinearRegression().fit([[1.0], [2.0], [4.0]], [1, 2, 3]), "classes_")


def test_a_failed_fit_leaves_the_previous_one_untouched() -> None:
    X, y = _data(2)
    m = SoftmaxRegression(solver="sgd", learning_rate=0.1, max_iter=2, momentum=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(X, y)
    before = (m.coef_.copy(), list(m.history_.records), m._state().solver.sgd.step)
    m.learning_rate = 1e6
    with pytest.raises(DivergenceError):
        m.partial_fit(X * 1e3, y)
    assert np.array_equal(m.coef_, before[0]) and m.history_.records == before[1]
    assert m._state().solver.sgd.step == before[2]  # the SGD state was not advanced


def test_pickle_and_clone() -> None:
    X, y = _data(3)
    m = SoftmaxRegression(solver="newton").fit(X, y)
    again = pickle.loads(pickle.dumps(m))
    np.testing.assert_array_equal(again.bse_, m.bse_)
    assert str(again.summary()) == str(m.summary())
    assert not hasattr(clone(m), "coef_")


@pytest.mark.parametrize("solver", ["lbfgs", "gd", "newton"])
def test_warm_start_finishes_a_run_to_max_iter(solver: str) -> None:
    X, y = _data(4)
    kw = {"solver": solver, "learning_rate": 0.5} if solver == "gd" else {"solver": solver}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LogisticRegression(max_iter=2, warm_start=True, **kw).fit(X, y == 0)
        m.set_params(max_iter=5).fit(X, y == 0)
    records = m.history_.records
    assert [r["iteration"] for r in records][:3] == [1, 2, 3] and len(records) <= 5
    assert m.n_iter_ == len(records) - 2
    with pytest.raises(ValueError, match="raise max_iter to continue"):
        m.set_params(max_iter=len(records)).fit(X, y == 0)


def test_warm_start_sgd_equals_one_uninterrupted_run() -> None:
    X, y = _data(5, n=300)
    kw = dict(solver="sgd", schedule="linear", learning_rate=1.0, momentum=0.5, random_state=0)
    whole = SoftmaxRegression(max_iter=4, **kw).fit(X, y)
    cut = SoftmaxRegression(max_iter=4, callback=lambda r: r["epoch"] == 1, **kw).fit(X, y)
    cut.set_params(callback=None, warm_start=True).fit(X, y)
    np.testing.assert_allclose(cut.coef_, whole.coef_, rtol=1e-12, atol=1e-15)
    assert [r["epoch"] for r in cut.history_] == [1, 2, 3, 4]
    assert cut.n_iter_ == 3


def test_warm_start_refusals() -> None:
    X, y = _data(6)
    m = SoftmaxRegression(solver="lbfgs", max_iter=3, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(X, y)
        with pytest.raises(ValueError, match="`coef_init` starts a new fit"):
            m.fit(X, y, coef_init=m.coef_)
        with pytest.raises(ValueError, match="counted iterations, solver='sgd' counts epochs"):
            m.set_params(solver="sgd", max_iter=10).fit(X, y)
        sgd = SoftmaxRegression(solver="sgd", max_iter=2, warm_start=True, random_state=0)
        sgd.fit(X, y)
        with pytest.raises(ValueError, match="cannot hold out a new validation split"):
            sgd.set_params(max_iter=4, validation_fraction=0.2).fit(X, y)
        with pytest.raises(ValueError, match="not one of the classes"):
            sgd.set_params(validation_fraction=None).fit(X, y + 5)
    # Without warm_start every fit starts afresh.
    fresh = SoftmaxRegression(solver="lbfgs", max_iter=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fresh.fit(X, y).fit(X, y)
    assert [r["iteration"] for r in fresh.history_] == [1, 2, 3]
