"""What a fit leaves behind: one typed, immutable record, built once after a fit.

A fitted estimator holds a single :class:`FitState`; every public fitted attribute
(``coef_``, ``intercept_``, ``classes_``, ``history_``, ``loglike_``, ``params_``,
``bse_`` ...) is read from it (:class:`fitted`), :meth:`summary` works from it, and
:func:`~crossentropy.models.save_model` writes it whole and
:func:`~crossentropy.models.load_model` rebuilds it, so a loaded model is the fitted
one.  The state is replaced, never edited: a fit builds a new one and attaches it.

Its parts:

- :class:`Coefficients`: ``coef`` (K, p) and ``intercept`` (K,) in the dtype of the
  training data, K = 1 for linear and logistic regression (the objective's
  parameters, :meth:`Coefficients.theta`, are assembled from them exactly);
- what the fit saw: ``classes``, ``n_features``, ``feature_names``;
- :class:`FitStatistics`: the likelihood statistics (AIC, BIC and the degrees of
  freedom are derived from them, one formula each);
- :class:`Inference`: the identified parameters, their names and their Wald
  inference (or why there is none).  The covariance is computed with the fit;
  readers use only ``wald``, ``reason`` and :meth:`Inference.require`, so that these
  can become properties that compute it on first use without changing a reader;
- the record: ``history``, ``n_iter``, ``stop_reason``, ``separation``;
- :class:`SolverState`: what a continued fit carries on (the SGD schedule position,
  momentum buffer and shuffling generator, and the "auto" learning rate).
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import NotFittedError

from ..optim import History, SGDState
from ._inference import InferenceUnavailableError, WaldInference
from ._separation import Separation

__all__ = [
    "Coefficients",
    "FitState",
    "FitStatistics",
    "Inference",
    "SolverState",
    "assigned_names",
    "classes_of",
    "continued_history",
    "fitted",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Coefficients:
    """Fitted coefficients: ``coef`` (K, p) and ``intercept`` (K,), one dtype.

    ``intercept`` is zeros when ``fit_intercept`` is False.

    Examples
    --------
    >>> c = Coefficients(np.array([[1.0, 2.0]]), np.array([0.5]), fit_intercept=True)
    >>> c.theta()
    array([0.5, 1. , 2. ])
    """

    coef: NDArray[Any]
    intercept: NDArray[Any]
    fit_intercept: bool

    @classmethod
    def from_theta(cls, theta: NDArray[Any], k: int, fit_intercept: bool) -> Coefficients:
        """Split the objective's flat parameters (intercept row first, shape (q, K))."""
        mat = theta.reshape(-1, k)
        coef = mat[int(fit_intercept) :].T.copy()
        intercept = mat[0].copy() if fit_intercept else np.zeros(k, dtype=theta.dtype)
        return cls(coef, intercept, fit_intercept)

    def theta(self) -> NDArray[Any]:
        """The flat parameters in the objective's layout: (q, K), intercept row first."""
        k, p = self.coef.shape
        q = p + int(self.fit_intercept)
        mat = np.empty((q, k), dtype=self.coef.dtype)
        if self.fit_intercept:
            mat[0] = self.intercept
        mat[q - p :] = self.coef.T
        return mat.ravel()


@dataclass(frozen=True)
class FitStatistics:
    r"""Likelihood statistics of a fit, in nats.

    ``n_params`` counts the identified parameters, ``n_params_null`` those of the
    intercept-only model; linear regression adds ``rsquared``, ``sigma`` and (closed
    form) the ``rank`` of the centred design.

    Examples
    --------
    >>> s = FitStatistics(-10.0, -14.0, 20.0, 28.0, 23.0, 2, 1)
    >>> s.aic, s.df_model, s.df_resid
    (24.0, 1, 21.0)
    """

    loglike: float
    loglike_null: float
    deviance: float
    null_deviance: float
    nobs: float
    n_params: int
    n_params_null: int
    rsquared: float | None = None
    sigma: float | None = None
    rank: int | None = None

    @property
    def df_model(self) -> float:
        """Degrees of freedom of the model against the null model."""
        return self.n_params - self.n_params_null

    @property
    def df_resid(self) -> float:
        """Observations less parameters."""
        return self.nobs - self.n_params

    @property
    def aic(self) -> float:
        r""":math:`-2 \log L + 2q`."""
        return -2.0 * self.loglike + 2.0 * self.n_params

    @property
    def bic(self) -> float:
        r""":math:`-2 \log L + q \log n_{obs}`."""
        return -2.0 * self.loglike + math.log(self.nobs) * self.n_params


@dataclass(frozen=True)
class Inference:
    """The identified parameters with their names, and their Wald inference.

    ``params`` has shape (q, K) (K - 1 contrasts for softmax regression), intercept
    row first, float64; ``names`` names the q rows.  ``wald`` is None exactly when
    ``reason`` says why there are no standard errors.
    """

    params: NDArray[np.float64]
    names: tuple[str, ...]
    wald: WaldInference | None
    reason: str | None

    def __post_init__(self) -> None:
        if (self.wald is None) == (self.reason is None):
            raise ValueError("Inference needs either `wald` or the `reason` it is absent")

    def require(self) -> WaldInference:
        """The Wald inference, or :class:`InferenceUnavailableError` saying why not."""
        if self.wald is None:
            raise InferenceUnavailableError(f"no standard errors: {self.reason}.")
        return self.wald


@dataclass(frozen=True)
class SolverState:
    """What a continued fit (``partial_fit``, ``warm_start``) carries on."""

    sgd: SGDState | None
    auto_rate: float | None = None

    def copied_sgd(self, random_state: Any) -> SGDState:
        """A copy of the SGD state for a fit to advance (a fresh one when there is none),
        so that a fit that fails leaves this state as it was."""
        if self.sgd is None:
            from ..optim._sgd import as_generator

            return SGDState(rng=as_generator(random_state))
        return copy.deepcopy(self.sgd)


@dataclass(frozen=True)
class FitState:
    """Everything a fit leaves behind (see the module notes)."""

    coefficients: Coefficients
    classes: NDArray[Any] | None
    n_features: int
    feature_names: tuple[str, ...] | None
    statistics: FitStatistics
    inference: Inference
    history: History
    n_iter: int
    stop_reason: str
    separation: Separation | None
    solver: SolverState


def classes_of(state: FitState) -> NDArray[Any]:
    """The class labels of a classifier's fit."""
    if state.classes is None:
        raise AttributeError("a regression has no classes_")
    return state.classes


def continued_history(previous: History, new: History) -> History:
    """``previous`` followed by ``new``, whose iterations are numbered on.

    Epochs are numbered by the SGD state, which a continued fit carries on, so they
    already follow; iterations restart at 1 in every call and are shifted here.

    Examples
    --------
    >>> a, b = History(), History()
    >>> a.append(iteration=1, loss=2.0)
    >>> b.append(iteration=1, loss=1.0)
    >>> [r["iteration"] for r in continued_history(a, b)]
    [1.0, 2.0]
    """
    out = History(previous.unit)
    out.records = list(previous.records)
    offset = len(previous.records) if new.unit == "iteration" else 0
    for rec in new.records:
        if offset and new.unit in rec:
            rec = {**rec, new.unit: rec[new.unit] + offset}
        out.records.append(rec)
    out.stop_reason = new.stop_reason
    return out


class fitted(Generic[T]):
    """A fitted attribute read from the estimator's :class:`FitState`.

    Reading it before a fit raises :class:`~sklearn.exceptions.NotFittedError` (an
    ``AttributeError``, so ``hasattr`` says False).  Assigning it is deprecated: the
    value is kept (and read back) until the next fit, with a ``DeprecationWarning``.

    Examples
    --------
    >>> class Model:
    ...     n_iter_ = fitted(lambda state: state.n_iter)
    >>> Model().n_iter_
    Traceback (most recent call last):
    ...
    sklearn.exceptions.NotFittedError: This Model instance is not fitted yet: fit it first.
    """

    def __init__(self, read: Callable[[FitState], T], doc: str | None = None) -> None:
        self._read = read
        self.__doc__ = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> fitted[T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> T | fitted[T]:
        if obj is None:
            return self
        d = obj.__dict__
        if self.name in d:  # assigned by hand (deprecated)
            return d[self.name]
        state = d.get("_fit_state")
        if state is None:
            raise NotFittedError(
                f"This {type(obj).__name__} instance is not fitted yet: fit it first."
            )
        return self._read(state)

    def __set__(self, obj: object, value: Any) -> None:
        warnings.warn(
            f"assigning `{self.name}` is deprecated and will be refused in a future "
            "version: fitted attributes are read from the fit (to start a fit from given "
            "coefficients, pass them to fit, e.g. coef_init)",
            DeprecationWarning,
            stacklevel=2,
        )
        obj.__dict__[self.name] = value


def assigned_names(obj: object) -> list[str]:
    """Fitted attributes of ``obj`` that were assigned by hand since its last fit."""
    return [name for name in obj.__dict__ if isinstance(getattr(type(obj), name, None), fitted)]
