"""What the three estimators share: hyper-parameters, the fit, diagnostics.

A subclass names its loss ``family`` and supplies the targets, the shape of its
coefficients and its likelihood statistics; everything else (validation, the
solvers through :mod:`._solvers`, the history and stop reason, separation, Wald
inference) is written once, here.  A fit ends by building one :class:`FitState`
(:mod:`._state`) and attaching it; the fitted attributes and the summary
(:mod:`._results`) are read from it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, validate_data

from ..optim import History, SGDState
from ._checks import check_magnitude, check_params, check_sample_weight
from ._diagnostics import convergence_message, inference_obstacle, planned_budget
from ._inference import WaldInference, covariance
from ._objective import Objective
from ._results import FitResultsMixin
from ._separation import MAX_LP_ENTRIES, Separation, find_separation, lp_entries
from ._solvers import (
    MAX_HESSIAN_PARAMS,
    Solution,
    SolverOptions,
    auto_learning_rate,
    solve_gd,
    solve_lbfgs,
    solve_newton,
    solve_sgd,
)
from ._state import (
    Coefficients,
    FitState,
    FitStatistics,
    Inference,
    SolverState,
    assigned_names,
    continued_history,
)
from ._threads import row_threads

__all__ = ["FitStatistics", "MLEstimatorBase", "Targets", "starting_point"]

_SINGULAR = (
    "the information matrix is singular (the columns of X are linearly dependent, a "
    "class or column carries no information, there are no residual degrees of freedom, "
    "or the fit is perfect)"
)


@dataclass
class Targets:
    """A family's view of ``y``: what the objective needs and what inference needs.

    ``target`` goes to :class:`Objective`; ``weights`` are the actual (frequency x
    trials) weights in float64, None when all are 1; ``counts`` (n, K) marks the
    classes observed on each row (> 0), for the separation test; ``loglike_const`` is
    the part of the log-likelihood that does not depend on the parameters
    (the binomial coefficients); ``nobs`` the number of observations (the sum of
    the frequency weights of the rows); ``classes`` the class labels of a classifier.
    """

    target: NDArray[Any]
    weights: NDArray[np.float64] | None
    k: int
    counts: NDArray[Any] | None = None
    loglike_const: float = 0.0
    nobs: float = 0.0
    classes: NDArray[Any] | None = None


@dataclass(frozen=True)
class _Start:
    """Where a fit starts: parameters, the record it continues, the solver state."""

    theta: NDArray[Any]
    history: History | None
    sgd: SGDState
    budget: int
    auto_rate: float | None


def starting_point(coef_init: Any, intercept_init: Any) -> tuple[Any, Any] | None:
    """``fit``'s ``init`` from its ``coef_init`` and ``intercept_init`` (None: start at 0)."""
    if coef_init is not None:
        return (coef_init, intercept_init)
    if intercept_init is not None:
        raise ValueError("`intercept_init` needs `coef_init` as well")
    return None


class MLEstimatorBase(FitResultsMixin, BaseEstimator):
    """Base of the maximum-likelihood estimators (see :class:`LogisticRegression`)."""

    _family = "squared"

    def __init__(
        self,
        *,
        solver: str = "newton",
        l2: float = 0.0,
        fit_intercept: bool = True,
        max_iter: int = 100,
        tol: float = 1e-6,
        learning_rate: float | str = 0.1,
        batch_size: int = 128,
        momentum: float = 0.0,
        nesterov: bool = False,
        schedule: str | Callable[[int], float] = "constant",
        decay: float | None = None,
        early_stopping: bool = False,
        validation_fraction: float | None = None,
        n_iter_no_change: int = 5,
        random_state: Any = None,
        callback: Callable[[dict[str, float]], Any] | None = None,
        warm_start: bool = False,
    ) -> None:
        self.solver = solver
        self.l2 = l2
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.momentum = momentum
        self.nesterov = nesterov
        self.schedule = schedule
        self.decay = decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.random_state = random_state
        self.callback = callback
        self.warm_start = warm_start

    # ------------------------------------------------------------ subclass hooks
    def _targets(
        self,
        X: NDArray[Any],
        y: Any,
        sample_weight: Any,
        fit_args: dict[str, Any],
        classes: NDArray[Any] | None,
    ) -> Targets:
        """``y`` for the objective; ``classes`` are those of the fit continued (None: new)."""
        raise NotImplementedError

    def _coefficients(self, theta: NDArray[Any], obj: Objective) -> Coefficients:
        """The reported coefficients of the parameters ``theta`` (the fit's dtype)."""
        return Coefficients.from_theta(theta, obj.k, obj.fit_intercept)

    def _statistics(self, obj: Objective, z: NDArray[np.float64], t: Targets) -> FitStatistics:
        """Likelihood statistics from the fitted logits ``z`` (float64, shape (n, k))."""
        raise NotImplementedError

    def _param_names(self, obj: Objective) -> list[str]:
        return (["intercept"] if obj.fit_intercept else []) + self._feature_names()

    def _reference(self, theta: NDArray[np.float64], obj: Objective) -> NDArray[np.float64]:
        """Identified parameters (for softmax: contrasts against class 0)."""
        return theta.reshape(obj.q, obj.k).copy()

    def _free(self, obj: Objective) -> NDArray[np.bool_]:
        """Entries of theta that Newton's method moves (identified ones)."""
        return np.ones(obj.size, dtype=bool)

    def _covariance(
        self, obj: Objective, theta: NDArray[np.float64], t: Targets, stats: FitStatistics
    ) -> tuple[NDArray[np.float64] | None, float | None]:
        """Covariance of the reference parameters and the t degrees of freedom (None: normal)."""
        # The Hessian of the mean objective times the total weight is the observed
        # information of the summed log-likelihood.
        free = self._reference_free(obj)
        _, _, h = obj.fun_grad_hess64(theta, free)
        total = float(obj.n if t.weights is None else t.weights.sum())
        return covariance(h * total), None

    def _reference_free(self, obj: Objective) -> NDArray[np.bool_]:
        return np.ones(obj.size, dtype=bool)

    def _identified(self, theta: NDArray[np.float64], obj: Objective) -> NDArray[np.float64]:
        """The representative of ``theta`` whose fixed entries (see ``_free``) are 0."""
        return theta

    def _init_shapes(self, obj: Objective) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Shapes of ``coef_`` and ``intercept_``, also those of the fit's initial values."""
        return (obj.k, obj.p), (obj.k,)

    def _theta_init(self, init: tuple[Any, Any], obj: Objective) -> NDArray[Any]:
        """Flat starting parameters from the family's ``fit(..., coef_init=...)``."""
        coef, intercept = init
        coef_shape, intercept_shape = self._init_shapes(obj)
        W = np.asarray(coef)
        if W.dtype.kind not in "iuf" or W.shape != coef_shape:
            raise ValueError(
                f"`coef_init` must be numbers of shape {coef_shape}, that of coef_; "
                f"got {W.dtype} with shape {W.shape}"
            )
        theta = obj.zeros().reshape(obj.q, obj.k)
        theta[int(obj.fit_intercept) :] = W.reshape(obj.k, obj.p).T
        if intercept is not None:
            b = np.asarray(intercept)
            if not obj.fit_intercept:
                raise ValueError("`intercept_init` was given but fit_intercept=False")
            if b.dtype.kind not in "iuf" or b.shape != intercept_shape:
                raise ValueError(
                    f"`intercept_init` must be numbers of shape {intercept_shape}, that of "
                    f"intercept_; got {b.dtype} with shape {b.shape}"
                )
            theta[0] = b
        if not np.all(np.isfinite(theta)):
            raise ValueError("`coef_init` and `intercept_init` must be finite")
        return theta.ravel()

    def _val_metrics(
        self, z: NDArray[Any], target: NDArray[Any], w: NDArray[Any] | None, loss_sum: float
    ) -> dict[str, float]:
        total = float(z.shape[0] if w is None else w.sum())
        return {"val_loss": loss_sum / total}

    def _batch_metrics(self, obj: Objective) -> Callable[[], dict[str, float]] | None:
        """Per-epoch entries gathered from the mini-batches (softmax: the accuracy)."""
        return None

    def _solve_newton(
        self, obj: Objective, theta0: NDArray[Any], history: History, opts: SolverOptions
    ) -> Solution:
        start = self._identified(theta0.astype(np.float64), obj)
        return Solution(solve_newton(obj, start, self._free(obj), history, opts))

    # ------------------------------------------------------------ the fit state
    def __sklearn_is_fitted__(self) -> bool:
        return "_fit_state" in self.__dict__

    def _attach(self, state: FitState) -> None:
        """Make ``state`` the estimator's fit: the one place a fit is stored."""
        for name in assigned_names(self):
            del self.__dict__[name]
        self._fit_state = state
        self.n_features_in_ = state.n_features
        if state.feature_names is None:
            self.__dict__.pop("feature_names_in_", None)
        else:
            self.feature_names_in_ = np.asarray(state.feature_names, dtype=object)

    def _feature_names(self) -> list[str]:
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return [str(n) for n in names]
        return [f"x{j}" for j in range(self.n_features_in_)]

    def _checked_X(self, X: Any) -> NDArray[Any]:
        """``X`` to predict on: the model is fitted, X has its features, float32 or 64."""
        check_is_fitted(self, "coef_")
        return validate_data(self, X, reset=False, dtype=[np.float64, np.float32])

    # ------------------------------------------------------------ fitting
    def _fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        *,
        partial: bool = False,
        validation_data: tuple[Any, Any] | None = None,
        **fit_args: Any,
    ) -> MLEstimatorBase:
        check_params(self)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        previous: FitState | None = self.__dict__.get("_fit_state")
        if previous is not None and not (partial or self.warm_start):
            previous = None
        X = validate_data(
            self, X, reset=previous is None, dtype=[np.float64, np.float32], ensure_min_samples=1
        )
        check_magnitude(X)
        sw = check_sample_weight(sample_weight, X.shape[0])
        t = self._targets(X, y, sw, fit_args, None if previous is None else previous.classes)
        weights = None if t.weights is None else t.weights / t.weights.mean()
        obj = Objective(
            X,
            t.target,
            weights,
            family=self._family,
            k=t.k,
            l2=float(self.l2),
            fit_intercept=bool(self.fit_intercept),
        )
        solver = "sgd" if partial else self.solver
        start = self._start(obj, previous, solver, partial, fit_args.get("init"))
        validate = self._validation(X, y, sw, obj, t, validation_data, start, partial)
        return self._run(obj, t, start, solver, partial, validate)

    def _run(
        self,
        obj: Objective,
        t: Targets,
        start: _Start,
        solver: str,
        partial: bool = False,
        validate: tuple[Any, Any] = (None, None),
    ) -> MLEstimatorBase:
        """Solve from ``start``, then build, attach and report the fit's state.

        The fit of arrays in memory and of row blocks (:mod:`crossentropy.blocks`,
        an :class:`Objective` whose passes read the blocks) share it.
        """
        opts = self._options(start, partial)
        solution = self._solve(solver, obj, start, opts, validate)
        state = self._fit_state_of(obj, t, solution, start, partial)
        self._attach(state)
        self._warn_about(state, partial)
        if state.stop_reason == "interrupted":
            raise KeyboardInterrupt
        return self

    def _start(
        self, obj: Objective, previous: FitState | None, solver: str, partial: bool, init: Any
    ) -> _Start:
        """Fresh parameters, or those of ``previous`` (partial_fit, warm_start) and its record."""
        unit = "epoch" if solver == "sgd" else "iteration"
        # "auto" learning rates are computed once per run and carried on.
        auto = None if previous is None else previous.solver.auto_rate
        if auto is None and isinstance(self.learning_rate, str) and solver in ("gd", "sgd"):
            auto = auto_learning_rate(obj)
        if previous is None:
            theta = obj.zeros() if init is None else self._theta_init(init, obj)
            sgd = SolverState(None).copied_sgd(self.random_state)
            return _Start(theta, None, sgd, 1 if partial else self.max_iter, auto)
        if init is not None:
            raise ValueError(
                "`coef_init` starts a new fit and warm_start=True continues the previous "
                "one; pass one of them"
            )
        done = len(previous.history)
        if previous.history.unit != unit:
            raise ValueError(
                f"warm_start continues a fit of the same kind; the previous fit counted "
                f"{previous.history.unit}s, solver={solver!r} counts {unit}s (set "
                "warm_start=False to start afresh)"
            )
        budget = 1 if partial else self.max_iter - done
        if budget < 1:
            raise ValueError(
                f"warm_start: the fit has run {done} {unit}s, max_iter={self.max_iter} of "
                f"the whole run; raise max_iter to continue it"
            )
        sgd = previous.solver.copied_sgd(self.random_state)
        # SGD goes on from its own iterate: coef_ is the centred representative, which
        # differs from it in the last bits.
        last = sgd.x if solver == "sgd" else None
        theta = (previous.coefficients.theta() if last is None else last).astype(obj.dtype)
        return _Start(theta, previous.history, sgd, budget, auto)

    def _options(self, start: _Start, partial: bool) -> SolverOptions:
        """The solvers' settings (the learning rate of newton and lbfgs is NaN: unused)."""
        rate = self.learning_rate
        if isinstance(rate, str):
            rate = math.nan if start.auto_rate is None else start.auto_rate
        decay = self.decay
        if isinstance(self.schedule, str) and self.schedule == "linear" and decay is None:
            # The horizon is the fit's epoch budget, also across partial_fit calls.
            decay = float(self.max_iter)
        return SolverOptions(
            max_iter=int(start.budget),
            tol=float(self.tol),
            learning_rate=float(rate),
            momentum=float(self.momentum),
            nesterov=bool(self.nesterov),
            batch_size=int(self.batch_size),
            schedule=self.schedule,
            decay=decay,
            early_stopping=bool(self.early_stopping) and not partial,
            n_iter_no_change=int(self.n_iter_no_change),
            callback=self.callback,
        )

    def _solve(
        self,
        solver: str,
        obj: Objective,
        start: _Start,
        opts: SolverOptions,
        validate: tuple[Any, Any],
    ) -> Solution:
        # Every solver appends to a new record: the one continued is joined afterwards,
        # so that a fit that fails leaves the estimator's record as it was.
        history = History("epoch" if solver == "sgd" else "iteration")
        if solver == "newton":
            return self._solve_newton(obj, start.theta, history, opts)
        if solver == "lbfgs":
            return Solution(solve_lbfgs(obj, start.theta, history, opts))
        if solver == "gd":
            return Solution(solve_gd(obj, start.theta, history, opts))
        indices, val = validate
        res = solve_sgd(
            obj,
            start.theta,
            history,
            opts,
            start.sgd,
            indices=indices,
            validate=val,
            metrics=self._batch_metrics(obj),
        )
        return Solution(res)

    def _validation(
        self,
        X: NDArray[Any],
        y: Any,
        sw: Any,
        obj: Objective,
        t: Targets,
        validation_data: tuple[Any, Any] | None,
        start: _Start,
        partial: bool,
    ) -> tuple[Any, Any]:
        """Training rows and the per-epoch validation function (SGD only)."""
        if validation_data is not None and self.solver != "sgd" and not partial:
            raise ValueError(f"`validation_data` applies to solver='sgd' only; got {self.solver!r}")
        frac = self.validation_fraction
        if frac is None and self.early_stopping and not partial:
            frac = 0.1
        if validation_data is not None:
            Xv = validate_data(
                self, validation_data[0], reset=False, dtype=[np.float64, np.float32]
            )
            Xv = Xv.astype(X.dtype, copy=False)
            tv = self._targets(Xv, validation_data[1], None, {}, t.classes)
            return None, self._make_validate(obj, Xv, tv)
        if frac is None or partial or self.solver != "sgd":
            return None, None
        if start.history is not None:
            raise ValueError(
                "warm_start continues a fit whose rows were all trained on, so it cannot "
                "hold out a new validation split (validation_fraction, early_stopping); "
                "pass validation_data instead"
            )
        n = X.shape[0]
        n_val = math.ceil(frac * n)
        if n_val < 1 or n_val >= n:
            raise ValueError(
                f"`validation_fraction={frac}` of {n} rows leaves no training or no validation rows"
            )
        order = start.sgd.rng.permutation(n)
        val_rows, train_rows = np.sort(order[:n_val]), np.sort(order[n_val:])
        wv = None if obj.weights is None else obj.weights[val_rows]
        tv = Targets(obj.target[val_rows], None if wv is None else wv.astype(np.float64), obj.k)
        return train_rows, self._make_validate(obj, X[val_rows], tv)

    def _make_validate(
        self, obj: Objective, Xv: NDArray[Any], tv: Targets
    ) -> Callable[[Any], dict[str, float]]:
        target = np.ascontiguousarray(
            tv.target, dtype=np.int64 if obj.family == "softmax" else obj.dtype
        )
        w = None if tv.weights is None else tv.weights.astype(obj.dtype)

        def validate(theta: NDArray[Any]) -> dict[str, float]:
            z = obj.logits(theta, Xv)
            metrics_z = z.copy()
            loss = obj._kernel(z, target, w)
            return self._val_metrics(metrics_z, target, w, loss)

        return validate

    # ------------------------------------------------------------ after the solver
    def _fit_state_of(
        self, obj: Objective, t: Targets, solution: Solution, start: _Start, partial: bool
    ) -> FitState:
        """The state of the fit that ``solution`` ends (statistics, inference, record)."""
        res = solution.result
        theta = np.asarray(res.x)
        coefficients = self._coefficients(theta.astype(obj.dtype), obj)
        stop = res.stop_reason
        z = self._fitted_logits(obj, theta, partial)
        separation: Separation | None = None
        # One batch of a stream says nothing about separation of the whole data.
        if self._family != "squared" and self.l2 == 0 and t.counts is not None and not partial:
            separation = self._check_separation(obj, z, t.counts, stop, theta)
            if separation is not None:
                stop = "separation"
        res.history.stop_reason = stop
        history = res.history
        if start.history is not None:
            history = continued_history(start.history, res.history)
        stats = self._statistics(obj, z, t)
        if solution.rank is not None:
            stats = replace(stats, rank=solution.rank)
        names = getattr(self, "feature_names_in_", None)
        return FitState(
            coefficients=coefficients,
            classes=t.classes,
            n_features=obj.p,
            feature_names=None if names is None else tuple(str(n) for n in names),
            statistics=stats,
            inference=self._inference(obj, t, theta.astype(np.float64), stats, partial, stop),
            history=history,
            n_iter=max(int(res.n_iter), 1),
            stop_reason=stop,
            separation=separation,
            solver=SolverState(start.sgd, start.auto_rate),
        )

    def _inference(
        self,
        obj: Objective,
        t: Targets,
        theta64: NDArray[np.float64],
        stats: FitStatistics,
        partial: bool,
        stop: str,
    ) -> Inference:
        params = self._reference(theta64, obj)
        names = tuple(self._param_names(obj))
        n_params = int(self._reference_free(obj).sum())
        reason = inference_obstacle(
            self.solver, partial, self.l2, stop, n_params, MAX_HESSIAN_PARAMS
        )
        if reason is not None:
            return Inference(params, names, None, reason)
        cov, df = self._covariance(obj, theta64, t, stats)
        if cov is None:
            return Inference(params, names, None, _SINGULAR)
        return Inference(params, names, WaldInference(params.ravel(), cov, df), None)

    def _fitted_logits(
        self, obj: Objective, theta: NDArray[Any], partial: bool
    ) -> NDArray[np.float64]:
        """Logits of the training rows in float64, for the likelihood statistics.

        Exact fits (Newton, or float64 data) sum in float64 blocks; a gradient fit
        on float32 data uses one float32 pass (its own precision), so that the
        statistics cost no more than a forward pass and X is never copied.
        """
        if obj.dtype == np.float64 or (self.solver == "newton" and not partial):
            mat = theta.astype(np.float64).reshape(obj.q, obj.k)
            return np.concatenate([x1 @ mat for _, x1 in obj.blocks()])
        with row_threads(obj):
            return obj.logits(theta.astype(obj.dtype)).astype(np.float64)

    def _converged_to_a_maximum(self, obj: Objective, theta: NDArray[Any]) -> bool:
        r"""Whether an exact solver stopped at a true maximum of the likelihood.

        Under separation (complete or quasi-complete) the likelihood has no maximum:
        along the separating direction the gradient and the curvature both decay like
        :math:`e^{-t}`, so the Newton step from where the solver stopped stays a
        fixed fraction of the parameters (about :math:`1/t` with :math:`t \approx
        \log(1/\text{tol})`: 2% to 13% measured), however small the gradient.  At
        a true maximum it is tiny (1e-16 of the parameters after Newton's method,
        below 5e-5 after L-BFGS in the cases measured).  A step under 1e-3 of the
        parameters is taken as the certificate that no linear program is needed;
        anything else is tested by one.  The gradient and Hessian at ``theta`` are
        those the standard errors read next (cached).
        """
        free = self._free(obj)
        theta64 = np.asarray(theta, dtype=np.float64)
        _, g, h = obj.fun_grad_hess64(theta64, free)
        try:
            step = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            return False
        scale = max(float(np.max(np.abs(theta64[free]), initial=0.0)), 1e-12)
        return bool(np.all(np.isfinite(step))) and float(np.max(np.abs(step))) <= 1e-3 * scale

    def _check_separation(
        self,
        obj: Objective,
        z: NDArray[np.float64],
        counts: NDArray[Any],
        stop: str,
        theta: NDArray[Any],
    ) -> Separation | None:
        exact = self.solver in ("newton", "lbfgs") and obj.size <= MAX_HESSIAN_PARAMS
        if stop == "converged" and exact and self._converged_to_a_maximum(obj, theta):
            return None
        # Small problems are always tested (the linear program takes milliseconds).
        # Larger ones only when the fit did not converge or some fitted probability is
        # within 3e-7 of 0 or 1: a heuristic, since with many rows a separated
        # direction can meet tol while its probabilities are still moderate.
        q, k = obj.q, obj.k
        n_free = q * max(k - 1, 1)
        small = int(obj.n) * max(k - 1, 1) * n_free <= MAX_LP_ENTRIES // 4
        if not small and stop == "converged":
            spread = (
                np.max(np.abs(z - z.mean(axis=1, keepdims=True))) if k > 1 else np.max(np.abs(z))
            )
            if spread < 15.0:  # every fitted probability is above 3e-7: nothing runs off
                return None
        if lp_entries(counts, q) > MAX_LP_ENTRIES:
            return None  # find_separation would decline: spare the parameter names
        classes = getattr(self, "classes_", None)
        names = self._param_names(obj)
        if k > 1:
            names = [
                f"{n}[{classes[j] if classes is not None else j}]"
                for n in names
                for j in range(1, k)
            ]
        return find_separation(obj.X, counts, fit_intercept=obj.fit_intercept, names=names)

    def _warn_about(self, state: FitState, partial: bool) -> None:
        """Separation or a fit that did not converge, as warnings at the caller's fit."""
        if state.separation is not None:
            state.separation.warn(stacklevel=6)
            return
        stop = state.stop_reason
        if partial or planned_budget(stop, self.solver, self.schedule, self.decay, self.max_iter):
            return
        name = type(self).__name__
        msg = convergence_message(name, self.solver, stop, state.history, self.max_iter, self.tol)
        if msg is not None:
            warnings.warn(msg, ConvergenceWarning, stacklevel=5)
