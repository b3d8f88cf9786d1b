"""What a fitted model reports: estimates, standard errors, tests and the summary.

A mixin of the estimators.  Everything here is read from the estimator's
:class:`~._state.FitState` (set by the fit, or by :func:`load_model`): the
likelihood statistics and the record as :class:`~._state.fitted` attributes, the
estimates and their inference as properties, and the summary table.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted

from ._inference import (
    LRTestResult,
    Summary,
    WaldInference,
    lr_test,
    param_rows,
)
from ._state import FitState, fitted

__all__ = ["FitResultsMixin"]


class FitResultsMixin:
    """Inference and summary of a maximum-likelihood fit (see the estimators)."""

    _family: str
    solver: str
    l2: float

    history_ = fitted(
        lambda s: s.history, "Loss, gradient norm, step size (...) per iteration or epoch."
    )
    n_iter_ = fitted(lambda s: s.n_iter, "Iterations (epochs) of the last fit call.")
    stop_reason_ = fitted(lambda s: s.stop_reason, "Why the fit stopped.")
    separation_ = fitted(
        lambda s: s.separation, "The separating direction when the classes are separable."
    )
    loglike_ = fitted(lambda s: s.statistics.loglike, "Log-likelihood (nats).")
    loglike_null_ = fitted(
        lambda s: s.statistics.loglike_null, "Log-likelihood of the null model (nats)."
    )
    deviance_ = fitted(lambda s: s.statistics.deviance, "Deviance.")
    null_deviance_ = fitted(lambda s: s.statistics.null_deviance, "Null deviance.")
    nobs_ = fitted(lambda s: s.statistics.nobs, "Observations (sum of the weights).")
    df_model_ = fitted(lambda s: s.statistics.df_model, "Degrees of freedom of the model.")
    df_resid_ = fitted(lambda s: s.statistics.df_resid, "Residual degrees of freedom.")
    aic_ = fitted(lambda s: s.statistics.aic, "Akaike's information criterion.")
    bic_ = fitted(lambda s: s.statistics.bic, "The Bayesian information criterion.")

    def _state(self) -> FitState:
        check_is_fitted(self)
        state: FitState = self.__dict__["_fit_state"]
        return state

    def _wald_or_raise(self) -> WaldInference:
        return self._state().inference.require()

    @property
    def params_(self) -> NDArray[np.float64]:
        """Estimates, intercept first then the coefficients (float64).

        Shape ``(q,)`` for one output; ``(q, K - 1)`` for softmax regression,
        column ``j`` holding the log-odds of class ``j + 1`` against class 0.
        """
        return self._shaped(self._state().inference.params.ravel()).copy()

    def _shaped(self, flat: NDArray[np.float64]) -> NDArray[np.float64]:
        if self._family == "softmax":
            return flat.reshape(self._state().inference.params.shape)
        return flat

    @property
    def bse_(self) -> NDArray[np.float64]:
        """Standard errors of ``params_`` (exact solvers with l2 = 0)."""
        return self._shaped(self._wald_or_raise().bse)

    @property
    def zvalues_(self) -> NDArray[np.float64]:
        """Wald statistics ``params_ / bse_`` (t statistics for linear regression)."""
        return self._shaped(self._wald_or_raise().zvalues)

    @property
    def pvalues_(self) -> NDArray[np.float64]:
        """Two-sided p-values of ``zvalues_``."""
        return self._shaped(self._wald_or_raise().pvalues)

    @property
    def cov_params_(self) -> NDArray[np.float64]:
        """Covariance matrix of ``params_`` (flattened in row-major order)."""
        return self._wald_or_raise().cov.copy()

    def conf_int(self, alpha: float = 0.05) -> NDArray[np.float64]:
        """Wald confidence intervals of level ``1 - alpha``: ``params_`` shape plus (lower, upper).

        Parameters
        ----------
        alpha : float, default 0.05
            One minus the confidence level, in (0, 1).
        """
        ci = self._wald_or_raise().conf_int(alpha)
        if self._family == "softmax":
            return ci.reshape(*self._state().inference.params.shape, 2)
        return ci

    def lr_test(self) -> LRTestResult:
        """Likelihood-ratio test against the intercept-only model (exact fits, l2 = 0)."""
        self._wald_or_raise()
        stats = self._state().statistics
        return lr_test(stats.loglike, stats.loglike_null, int(stats.df_model))

    def summary(self, *, alpha: float = 0.05, feature_names: list[str] | None = None) -> Summary:
        """A table of the fit; ``print()`` it, or let a notebook show it as HTML.

        Parameters
        ----------
        alpha : float, default 0.05
            Level of the confidence intervals.
        feature_names : list of str, optional
            Names of the columns of X (default: those of a DataFrame, else x0, x1, ...).
        """
        state = self._state()
        names = list(state.inference.names)
        if feature_names is not None:
            feature_names = [str(f) for f in feature_names]
            if len(feature_names) != state.n_features:
                raise ValueError(
                    f"`feature_names` must have {state.n_features} names; got {len(feature_names)}"
                )
            names = (["intercept"] if state.coefficients.fit_intercept else []) + feature_names
        params, wald = self._summary_order(state.inference.params, state.inference.wald)
        cols, rows = param_rows(self._row_names(names), wald, params, alpha)
        notes = []
        if state.inference.reason is not None:
            notes.append(f"No standard errors: {state.inference.reason}.")
        if state.separation is not None:
            notes.append(state.separation.message())
        info = tuple(self._summary_info(state))
        return Summary(self._summary_title(), info, cols, rows, tuple(notes))

    def _summary_order(
        self, params: NDArray[np.float64], wald: WaldInference | None
    ) -> tuple[NDArray[np.float64], WaldInference | None]:
        """The estimates and their inference in the order of the summary's rows."""
        return params, wald

    def _row_names(self, names: list[str]) -> list[str]:
        return names

    def _summary_title(self) -> str:
        return f"{type(self).__name__} (maximum likelihood)"

    def _summary_info(self, state: FitState) -> list[tuple[str, str]]:
        s = state.statistics
        iters = f"{state.stop_reason} ({state.n_iter} {state.history.unit}s)"
        info = [
            ("Solver", str(self.solver)),
            ("Stop reason", iters),
            ("Observations", f"{s.nobs:g}"),
            ("Df residuals", f"{s.df_resid:g}"),
            ("Df model", f"{s.df_model:g}"),
            ("Log-likelihood", f"{s.loglike:.6g}"),
            ("Deviance", f"{s.deviance:.6g}"),
            ("Null deviance", f"{s.null_deviance:.6g}"),
            ("AIC", f"{s.aic:.6g}"),
            ("BIC", f"{s.bic:.6g}"),
        ]
        if self.l2:
            info.insert(1, ("l2", f"{self.l2:g}"))
        if state.inference.wald is not None:
            lr = self.lr_test()
            info.append(("LR chi2", f"{lr.statistic:.4f} ({lr.df} df)"))
            info.append(("LR p-value", f"{lr.pvalue:.4g}"))
        return info
