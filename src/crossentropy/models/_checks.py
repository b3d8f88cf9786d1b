"""Checks of the estimators' hyper-parameters and sample weights, with their wording."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import check_bool, check_integer, check_number

__all__ = ["SOLVERS", "check_magnitude", "check_params", "check_sample_weight"]

SOLVERS = ("newton", "lbfgs", "gd", "sgd")


def check_sample_weight(sample_weight: Any, n: int) -> NDArray[np.float64] | None:
    """Validate frequency weights: shape (n,), finite, >= 0, not all zero."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight)
    if w.dtype.kind not in "iufb":
        raise TypeError(f"`sample_weight` must hold numbers; got dtype {w.dtype}")
    w = w.astype(np.float64)
    if w.ndim == 0:
        w = np.full(n, float(w))
    if w.shape != (n,):
        raise ValueError(
            f"`sample_weight` must have shape ({n},), one weight per row of X; got {w.shape}"
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        i = int(np.flatnonzero(~np.isfinite(w) | (w < 0))[0])
        raise ValueError(f"`sample_weight` must be finite and >= 0; got {w[i]:g} at index {i}")
    if not np.any(w > 0):
        raise ValueError("`sample_weight` must not be all zero: no row would count")
    with np.errstate(over="ignore"):
        total = np.sum(w)
    if not np.isfinite(total):
        raise ValueError(
            f"`sample_weight` sums to more than the largest float ({np.finfo(np.float64).max:.3g})"
            "; frequency weights that large count more observations than exist: scale them down"
        )
    return w


def check_params(est: Any) -> None:
    """Validate the hyper-parameters of an estimator (at fit, as scikit-learn does)."""
    if est.solver not in SOLVERS:
        raise ValueError(f"`solver` must be one of {SOLVERS}; got {est.solver!r}")
    check_number(est.l2, "l2", low=0.0)
    check_number(est.tol, "tol", low=0.0)
    check_integer(est.max_iter, "max_iter", low=1)
    if not (isinstance(est.learning_rate, str) and est.learning_rate == "auto"):
        check_number(est.learning_rate, "learning_rate", low=0.0, low_open=True)
    check_integer(est.batch_size, "batch_size", low=1)
    check_number(est.momentum, "momentum", low=0.0, high=1.0, high_open=True)
    check_integer(est.n_iter_no_change, "n_iter_no_change", low=1)
    check_bool(est.fit_intercept, "fit_intercept")
    check_bool(est.nesterov, "nesterov")
    check_bool(est.early_stopping, "early_stopping")
    check_bool(est.warm_start, "warm_start")
    if est.validation_fraction is not None:
        check_number(
            est.validation_fraction,
            "validation_fraction",
            low=0.0,
            low_open=True,
            high=1.0,
            high_open=True,
        )
    if est.callback is not None and not callable(est.callback):
        raise TypeError(f"`callback` must be callable or None; got {est.callback!r}")
    if (est.early_stopping or est.validation_fraction is not None) and est.solver != "sgd":
        raise ValueError(
            "`early_stopping` and `validation_fraction` apply to solver='sgd' only; "
            f"got solver={est.solver!r}"
        )


def check_magnitude(X: NDArray[Any]) -> None:
    """Refuse float64 features whose squares, summed over the rows, overflow.

    The Hessian (and the standard errors) sum :math:`x_{ij} x_{ik}` over the rows; with
    values near 1e300 those sums are infinite and the solvers would fail inside SciPy
    with a message that does not name ``X``.
    """
    if X.size == 0 or X.dtype != np.float64:
        return
    big = max(float(X.max()), -float(X.min()))
    if big * big * X.shape[0] > float(np.finfo(np.float64).max):
        raise ValueError(
            f"`X` has values up to {big:.3g}: the sums of their squares overflow float64 "
            "(the Hessian sums x_i x_j over the rows); standardise X (subtract each "
            "column's mean, divide by its standard deviation)"
        )
