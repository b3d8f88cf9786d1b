r"""Linear regression: Gaussian noise, for which maximum likelihood is least squares.

.. math:: y = b + x^T w + \varepsilon, \qquad \varepsilon \sim N(0, \sigma^2)

The negative log-likelihood is :math:`\frac{n}{2}\log(2\pi\sigma^2) +
\frac{1}{2\sigma^2}\sum_i (y_i - \hat y_i)^2`, so for any :math:`\sigma` the
maximum-likelihood line minimises the mean squared error, the objective that all
solvers here minimise (plus :math:`\tfrac{\lambda}{2}\lVert w \rVert^2`: ridge).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import NDArray
from sklearn.base import RegressorMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array, column_or_1d

from .. import losses
from ..optim import History, OptimizeResult
from ._base import MLEstimatorBase, Targets, starting_point
from ._logistic import _uses_sgd, design_blocks, logit_se
from ._objective import Objective
from ._solvers import Solution, SolverOptions
from ._state import FitState, FitStatistics, fitted

__all__ = ["LinearRegression", "PredictionInterval"]


class PredictionInterval(NamedTuple):
    """Predicted means with pointwise confidence bounds for the mean."""

    mean: NDArray[Any]
    lower: NDArray[Any]
    upper: NDArray[Any]


def least_squares(obj: Objective) -> tuple[NDArray[np.float64], int]:
    r"""The exact minimiser of mean squared error + (l2/2)||w||^2 (closed form).

    Solves the normal equations of the *centred* data,
    :math:`(\tfrac{2}{n} X_c^T D X_c + \lambda I)\, w = \tfrac{2}{n} X_c^T D (y - \bar y)`,
    then :math:`b = \bar y - \bar x^T w`.  Centring keeps the system as well
    conditioned as the standardised data would be (raw ages near 50 would otherwise
    square the condition number); the float64 sums run over blocks of rows.
    Returns the flat parameters and the rank of the centred design.
    """
    from scipy import linalg

    n, p = obj.n, obj.p
    w_all = np.ones(n) if obj.weights64 is None else obj.weights64
    y = obj.target64
    sw = float(w_all.sum())
    xbar, ybar = np.zeros(p), 0.0
    if obj.fit_intercept:
        for sl, x1 in obj.blocks():
            xbar += w_all[sl] @ x1[:, 1:]
        xbar /= sw
        ybar = float(w_all @ y) / sw
    gram, rhs = np.zeros((p, p)), np.zeros(p)
    for sl, x1 in obj.blocks():
        xc = x1[:, 1:] - xbar if obj.fit_intercept else x1
        wx = xc * w_all[sl, None]
        gram += wx.T @ xc
        rhs += wx.T @ (y[sl] - ybar)
    system = 2.0 * gram / n + obj.l2 * np.eye(p)
    # An eigendecomposition gives the rank as well: dependent (or constant) columns
    # leave the coefficients unidentified, and then the minimum-norm solution is
    # returned, as numpy.linalg.lstsq and scikit-learn do; ``rank`` reports it.
    evals, evecs = linalg.eigh(system)
    top = float(evals.max()) if p else 0.0
    keep = evals > top * max(p, 1) * np.finfo(np.float64).eps if top > 0 else np.zeros(p, bool)
    coef = evecs[:, keep] @ ((evecs[:, keep].T @ (2.0 * rhs / n)) / evals[keep])
    theta = np.empty((obj.q, 1))
    if obj.fit_intercept:
        theta[0, 0] = ybar - xbar @ coef
        theta[1:, 0] = coef
    else:
        theta[:, 0] = coef
    return theta.ravel(), int(keep.sum())


def _closed_form_rank(state: FitState) -> int:
    if state.statistics.rank is None:
        raise AttributeError(
            "`rank_` is measured by the closed form (solver='newton') only; this model "
            "was fitted by an iterative solver"
        )
    return state.statistics.rank


def _linear_statistic(value: float | None) -> float:
    # A linear fit always measures R-squared and sigma; None would be a broken state.
    if value is None:
        raise AttributeError("this fit state holds no linear-regression statistics")
    return value


def design_factor(obj: Objective, total: float) -> NDArray[np.float64] | None:
    r"""The triangular factor :math:`R` of :math:`R^T R = X_1^T W X_1`.

    :math:`X_1` is the design with its column of ones, :math:`W` the frequency weights
    (summing to ``total``); standard errors are those of the unpenalised fit.  A QR
    factorisation of each block of rows, stacked and factorised again (TSQR): one
    pass, memory of a block, and the accuracy of a QR of the whole design.  None
    when :math:`R` is singular (dependent columns).
    """
    from scipy import linalg

    scale = total / obj.n  # weights64 has mean 1; the frequency weights sum to total
    factors: list[NDArray[np.float64]] = []
    for sl, x1 in obj.blocks():
        if obj.weights64 is not None:
            x1 *= np.sqrt(obj.weights64[sl] * scale)[:, None]
        factors.append(linalg.qr(x1, mode="r", check_finite=False)[0][: obj.q])
        if len(factors) > 16:
            factors = [linalg.qr(np.vstack(factors), mode="r")[0][: obj.q]]
    if not factors:
        return None
    r = linalg.qr(np.vstack(factors), mode="r")[0][: obj.q]
    diag = np.abs(np.diag(r))
    if diag.size < obj.q or not np.all(diag > diag.max() * obj.q * np.finfo(np.float64).eps):
        return None
    return r


class LinearRegression(RegressorMixin, MLEstimatorBase):
    r"""Linear regression by maximum likelihood (least squares), with inference.

    The objective of every solver is the mean squared error (weighted by
    ``sample_weight``) plus :math:`\tfrac{\lambda}{2}\lVert w\rVert^2` (ridge, the
    intercept unpenalised).  ``solver="newton"`` (default) is the closed form: one
    Newton step on a quadratic is exact.  The other parameters are those of
    :class:`LogisticRegression`; ``tol`` keeps its meaning (the largest absolute
    component of the gradient of the mean squared error, in units of y² per unit of
    the parameter).

    Gradient descent on raw features shows why the learning rate matters: with
    ages near 50 the curvature of the MSE is about :math:`2\,\overline{x^2} \approx
    5000`, so only learning rates below :math:`2/5000` are stable, and those are so
    small along the intercept that thousands of steps barely move it; standardised
    inputs converge in a few dozen steps with learning rate 0.5.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    params_, bse_, zvalues_, pvalues_ : ndarray of shape (q,)
        Intercept first; ``zvalues_`` are t statistics and ``pvalues_`` use the t
        distribution with ``df_resid_`` degrees of freedom, as in ordinary least squares.
    sigma_ : float
        Residual standard deviation :math:`\sqrt{\mathrm{RSS}/(n - q)}`.
    loglike_ : float
        Gaussian log-likelihood with :math:`\sigma^2` at its maximum-likelihood
        value RSS / n (as statsmodels' OLS reports it).
    deviance_, null_deviance_ : float
        Residual and total sums of squares (the Gaussian deviance).
    aic_, bic_ : float
        :math:`-2\log L + 2q` and :math:`-2 \log L + q \log n` (q counts the intercept
        and coefficients, not :math:`\sigma`, as statsmodels' OLS does).
    rsquared_ : float
        :math:`1 - \mathrm{RSS}/\mathrm{TSS}`.
    rank_ : int
        Rank of the (centred) design, solver "newton": below ``n_features_in_``
        the columns are dependent, the minimum-norm solution is returned and
        there are no standard errors.
    history_, stop_reason_, n_iter_, nobs_, df_model_, df_resid_

    Examples
    --------
    >>> from crossentropy.datasets import load_blood_pressure
    >>> d = load_blood_pressure()
    >>> m = LinearRegression().fit(d.age[:, None], d.sbp)
    >>> print(np.round(m.params_, 5), np.round(m.bse_, 5))
    [87.67142  1.10502] [10.07649  0.206  ]
    """

    _family = "squared"

    coef_ = fitted(lambda s: s.coefficients.coef[0], "Coefficients, shape (n_features,).")
    intercept_ = fitted(lambda s: float(s.coefficients.intercept[0]), "The intercept.")
    rsquared_ = fitted(lambda s: _linear_statistic(s.statistics.rsquared), "R-squared.")
    sigma_ = fitted(lambda s: _linear_statistic(s.statistics.sigma), "Residual standard deviation.")
    rank_ = fitted(lambda s: _closed_form_rank(s), "Rank of the centred design (newton).")

    def fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        *,
        validation_data: tuple[Any, Any] | None = None,
        coef_init: Any = None,
        intercept_init: Any = None,
    ) -> LinearRegression:
        """Fit by least squares (maximum likelihood under Gaussian noise).

        Parameters
        ----------
        X : array_like of shape (n, p)
        y : array_like of shape (n,)
        sample_weight : array_like of shape (n,), optional
            Non-negative frequency weights.
        validation_data : (X_val, y_val), optional
            Records ``val_loss`` (MSE) after every epoch (solver='sgd').
        coef_init : array_like of shape (n_features,), optional
            Starting coefficients of the iterative solvers (default 0), such as a
            line set by hand; the closed form (solver='newton') needs no start.
        intercept_init : float, optional
            Starting intercept (default 0).
        """
        init = starting_point(coef_init, intercept_init)
        return self._fit(X, y, sample_weight, validation_data=validation_data, init=init)

    @available_if(_uses_sgd)
    def partial_fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        *,
        validation_data: tuple[Any, Any] | None = None,
    ) -> LinearRegression:
        """One SGD epoch over ``(X, y)``; schedule and momentum carry over (solver='sgd').

        ``validation_data=(X_val, y_val)`` records ``val_loss`` (MSE) for the epoch.
        """
        return self._fit(X, y, sample_weight, partial=True, validation_data=validation_data)

    def _targets(
        self,
        X: NDArray[Any],
        y: Any,
        sample_weight: Any,
        fit_args: dict[str, Any],
        classes: NDArray[Any] | None,
    ) -> Targets:
        y = column_or_1d(
            check_array(y, ensure_2d=False, dtype="numeric", input_name="y"), warn=True
        ).astype(np.float64)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"`y` must have one value per row of X ({X.shape[0]}); got {y.shape[0]}"
            )
        nobs = float(X.shape[0] if sample_weight is None else sample_weight.sum())
        return Targets(y, sample_weight, 1, None, 0.0, nobs=nobs)

    def _init_shapes(self, obj: Objective) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return (obj.p,), ()

    def _solve_newton(
        self, obj: Objective, theta0: NDArray[Any], history: History, opts: SolverOptions
    ) -> Solution:
        """The closed form: one Newton step on a quadratic is exact."""
        theta, rank = least_squares(obj)
        f, g, _ = obj.fun_grad_hess64(theta)
        history.append(
            iteration=1,
            loss=f,
            grad_norm=float(np.max(np.abs(g))),
            step_norm=float(np.linalg.norm(theta)),
            learning_rate=1.0,
        )
        history.stop_reason = "converged"
        res = OptimizeResult(x=theta, stop_reason="converged", n_iter=1, history=history, fun=f)
        return Solution(res, rank)

    def _residual_sums(
        self, obj: Objective, z: NDArray[np.float64], t: Targets
    ) -> tuple[float, float]:
        w = np.ones(obj.n) if t.weights is None else t.weights
        y = obj.target64
        mu = z[:, 0]
        rss = float(np.dot(w, losses.squared_error(y, mu)))
        center = float(np.dot(w, y) / w.sum()) if obj.fit_intercept else 0.0
        tss = float(np.dot(w, losses.squared_error(y, center)))
        return rss, tss

    def _statistics(self, obj: Objective, z: NDArray[np.float64], t: Targets) -> FitStatistics:
        rss, tss = self._residual_sums(obj, z, t)
        nobs = t.nobs

        def loglike(ss: float) -> float:
            if ss <= 0:
                return math.inf
            return -0.5 * nobs * (math.log(2 * math.pi * ss / nobs) + 1.0)

        df = nobs - obj.q
        return FitStatistics(
            loglike(rss),
            loglike(tss),
            rss,
            tss,
            nobs,
            obj.q,
            int(obj.fit_intercept),
            rsquared=1.0 - rss / tss if tss > 0 else float("nan"),
            sigma=math.sqrt(rss / df) if df > 0 else float("nan"),
        )

    def _covariance(
        self, obj: Objective, theta: NDArray[np.float64], t: Targets, stats: FitStatistics
    ) -> tuple[NDArray[np.float64] | None, float | None]:
        df = stats.nobs - obj.q
        if df <= 0 or stats.deviance <= 0 or (stats.rank is not None and stats.rank < obj.p):
            return None, None
        total = float(obj.n if t.weights is None else t.weights.sum())
        r = design_factor(obj, total)
        if r is None:
            return None, None
        # The information is X1' W X1 / sigma^2 (+ the penalty) = R'R / sigma^2, so the
        # covariance is sigma^2 R^-1 R^-T: never forming X1' W X1 keeps the digits that
        # squaring the condition number would lose (NIST's Longley data: standard
        # errors to 1e-13 instead of 6e-9).
        from scipy import linalg

        r_inv = linalg.solve_triangular(r, np.eye(obj.q))
        cov = (stats.deviance / df) * (r_inv @ r_inv.T)
        if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
            return None, None
        return 0.5 * (cov + cov.T), df

    def _summary_info(self, state: FitState) -> list[tuple[str, str]]:
        info = super()._summary_info(state)
        info.insert(5, ("Sigma", f"{state.statistics.sigma:.6g}"))
        info.insert(6, ("R-squared", f"{state.statistics.rsquared:.6g}"))
        return info

    @overload
    def predict(self, X: Any, interval: None = None) -> NDArray[Any]: ...

    @overload
    def predict(self, X: Any, interval: float) -> PredictionInterval: ...

    def predict(self, X: Any, interval: float | None = None) -> NDArray[Any] | PredictionInterval:
        """Predicted means :math:`b + x^T w`, in the dtype of X.

        With ``interval`` (a confidence level such as 0.95) also return the t-based
        confidence bounds of the mean, as a :class:`PredictionInterval`.
        """
        X = self._checked_X(X)
        mean = X @ self.coef_.astype(X.dtype, copy=False) + X.dtype.type(self.intercept_)
        if interval is None:
            return mean
        from ._inference import _check_level

        level = _check_level(interval)
        wald = self._wald_or_raise()
        se = logit_se(design_blocks(X, bool(self.fit_intercept)), wald.cov)
        half = (wald.critical(1.0 - level) * se).astype(mean.dtype)
        return PredictionInterval(mean, mean - half, mean + half)
