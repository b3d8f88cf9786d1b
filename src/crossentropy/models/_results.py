"""What a fitted model reports: estimates, standard errors, tests and the summary.

A mixin of the estimators; the fit (:mod:`._base`) stores ``_params`` (the
identified parameters), ``_wald`` (their Wald inference, or None) with
``_no_inference`` (why not), ``_names`` and the likelihood statistics.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted

from ._inference import (
    InferenceUnavailableError,
    LRTestResult,
    Summary,
    WaldInference,
    lr_test,
    param_rows,
)

__all__ = ["FitResultsMixin"]


class FitResultsMixin:
    """Inference and summary of a maximum-likelihood fit (see the estimators)."""

    _family: str
    _params: NDArray[np.float64]
    _wald: WaldInference | None
    _no_inference: str | None
    _names: list[str]
    fit_intercept: bool
    n_features_in_: int
    loglike_: float
    loglike_null_: float
    df_model_: float
    separation_: Any
    history_: Any
    stop_reason_: str
    n_iter_: int
    solver: str
    l2: float
    nobs_: float
    df_resid_: float
    deviance_: float
    null_deviance_: float
    aic_: float
    bic_: float

    def _wald_or_raise(self) -> WaldInference:
        check_is_fitted(self, "history_")
        if self._wald is None:
            raise InferenceUnavailableError(f"no standard errors: {self._no_inference}.")
        return self._wald

    @property
    def params_(self) -> NDArray[np.float64]:
        """Estimates, intercept first then the coefficients (float64).

        Shape ``(q,)`` for one output; ``(q, K - 1)`` for softmax regression,
        column ``j`` holding the log-odds of class ``j + 1`` against class 0.
        """
        check_is_fitted(self, "history_")
        return self._shaped(self._params.ravel()).copy()

    def _shaped(self, flat: NDArray[np.float64]) -> NDArray[np.float64]:
        if self._family == "softmax":
            return flat.reshape(self._params.shape)
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
        return ci.reshape(*self._params.shape, 2) if self._family == "softmax" else ci

    def lr_test(self) -> LRTestResult:
        """Likelihood-ratio test against the intercept-only model (exact fits, l2 = 0)."""
        self._wald_or_raise()
        return lr_test(self.loglike_, self.loglike_null_, int(self.df_model_))

    def summary(self, *, alpha: float = 0.05, feature_names: list[str] | None = None) -> Summary:
        """A table of the fit; ``print()`` it, or let a notebook show it as HTML.

        Parameters
        ----------
        alpha : float, default 0.05
            Level of the confidence intervals.
        feature_names : list of str, optional
            Names of the columns of X (default: those of a DataFrame, else x0, x1, ...).
        """
        check_is_fitted(self, "history_")
        names = list(self._names)
        if feature_names is not None:
            feature_names = [str(f) for f in feature_names]
            if len(feature_names) != self.n_features_in_:
                raise ValueError(
                    f"`feature_names` must have {self.n_features_in_} names; "
                    f"got {len(feature_names)}"
                )
            names = (["intercept"] if self.fit_intercept else []) + feature_names
        names = self._row_names(names)
        cols, rows = param_rows(names, self._wald, self._params, alpha)
        info = self._summary_info()
        notes = []
        if self._wald is None:
            notes.append(f"No standard errors: {self._no_inference}.")
        if self.separation_ is not None:
            notes.append(self.separation_.message())
        return Summary(self._summary_title(), tuple(info), cols, rows, tuple(notes))

    def _row_names(self, names: list[str]) -> list[str]:
        return names

    def _summary_title(self) -> str:
        return f"{type(self).__name__} (maximum likelihood)"

    def _summary_info(self) -> list[tuple[str, str]]:
        iters = f"{self.stop_reason_} ({self.n_iter_} {self.history_.unit}s)"
        info = [
            ("Solver", str(self.solver)),
            ("Stop reason", iters),
            ("Observations", f"{self.nobs_:g}"),
            ("Df residuals", f"{self.df_resid_:g}"),
            ("Df model", f"{self.df_model_:g}"),
            ("Log-likelihood", f"{self.loglike_:.6g}"),
            ("Deviance", f"{self.deviance_:.6g}"),
            ("Null deviance", f"{self.null_deviance_:.6g}"),
            ("AIC", f"{self.aic_:.6g}"),
            ("BIC", f"{self.bic_:.6g}"),
        ]
        if self.l2:
            info.insert(1, ("l2", f"{self.l2:g}"))
        if self._wald is not None:
            lr = self.lr_test()
            info.append(("LR chi2", f"{lr.statistic:.4f} ({lr.df} df)"))
            info.append(("LR p-value", f"{lr.pvalue:.4g}"))
        return info
