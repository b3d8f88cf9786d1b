r"""Newton's method with a backtracking line search (IRLS for generalised linear models).

.. math:: \theta \leftarrow \theta - t\, H^{-1} \nabla f(\theta)

with :math:`H` the Hessian and :math:`t \in \{1, 1/2, 1/4, \dots\}` the first step
fraction that lowers :math:`f` enough (Armijo's condition).  For a logistic model
this is iteratively reweighted least squares; near the optimum it converges
quadratically, so once the gradient meets ``tol`` the Newton step already computed
there is taken as well (the error then is of the order of ``tol**2``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._history import History, OptimizeResult
from ._loop import StopLoop, run_loop, stopwatch
from ._rules import CallbackStop, Record, StopRule, Tolerance, check_stopping

__all__ = ["newton", "newton_direction"]

FunGradHess = Callable[
    [NDArray[np.float64]], tuple[float, NDArray[np.float64], NDArray[np.float64]]
]
Fun = Callable[[NDArray[np.float64]], float]
Callback = Callable[[dict[str, float]], Any]

_ARMIJO = 1e-4
_MIN_STEP = 2.0**-40


def newton_direction(hess: NDArray[np.float64], grad: NDArray[np.float64]) -> NDArray[np.float64]:
    """Solve ``H d = -g``: Cholesky when ``H`` is positive definite, else least squares.

    A singular ``H`` (a flat direction, as under separation) gets the minimum-norm
    solution; if that is not a descent direction the steepest descent ``-g`` is used.
    """
    from scipy import linalg

    try:
        factor = linalg.cho_factor(hess, check_finite=True)
        d = linalg.cho_solve(factor, -grad)
    except linalg.LinAlgError:
        d = linalg.lstsq(hess, -grad, cond=None)[0]
    if not np.all(np.isfinite(d)) or float(grad @ d) >= 0:
        d = -grad
    return d


def newton(
    fun_grad_hess: FunGradHess,
    x0: ArrayLike,
    *,
    fun: Fun | None = None,
    max_iter: int = 100,
    tol: float = 1e-6,
    callback: Callback | None = None,
    history: History | None = None,
) -> OptimizeResult:
    r"""Minimise a smooth convex ``f`` by damped Newton steps.

    Parameters
    ----------
    fun_grad_hess : callable
        ``x -> (f, grad, hess)`` in float64.
    x0 : array_like
        Starting point.
    fun : callable, optional
        ``x -> f`` alone, for the line search (default: from ``fun_grad_hess``).
    max_iter : int, default 100
        Most Newton steps.
    tol : float, default 1e-6
        Converged when :math:`\max_j |\partial f / \partial x_j| \le` ``tol``.
    callback : callable, optional
        Called after every step with its history entry; true return stops.
    history : History, optional
        Entries are appended here.

    Returns
    -------
    OptimizeResult
        ``stop_reason`` is ``converged``, ``max_iter``, ``stalled`` (no step
        lowers ``f`` any further in floating point), ``callback`` or ``interrupted``.

    Examples
    --------
    >>> def fgh(x):  # f = exp(x) - 2x, minimum at log 2
    ...     e = np.exp(x)
    ...     return float(e[0] - 2 * x[0]), e - 2, np.diag(e)
    >>> res = newton(fgh, [0.0], tol=1e-12)
    >>> res.stop_reason, float(res.x[0])
    ('converged', 0.6931471805599453)
    """
    tol, max_iter = check_stopping(tol, max_iter)
    value = fun if fun is not None else (lambda z: fun_grad_hess(z)[0])
    steps = _NewtonSteps(fun_grad_hess, value, np.array(x0, dtype=np.float64, copy=True), tol)
    hist = History("iteration") if history is None else history
    rules: list[StopRule] = [] if callback is None else [CallbackStop(callback)]
    stop, n_iter = run_loop(
        steps,
        max_iter=max_iter,
        history=hist,
        rules=rules,
        at_budget=[Tolerance(tol)],
        start=steps.begin,
    )
    return OptimizeResult(
        x=steps.x, stop_reason=stop, n_iter=n_iter, history=hist, fun=float(steps.f)
    )


class _NewtonSteps:
    """Damped Newton steps; the state between them is the last (f, g, H)."""

    def __init__(self, fgh: FunGradHess, value: Fun, x: NDArray[np.float64], tol: float) -> None:
        self.fgh, self.value, self.x, self.tol = fgh, value, x, tol
        self.clock = stopwatch()
        self.f, self.g_max, self.iteration = np.nan, np.nan, 0
        self.g: NDArray[np.float64] = np.empty(0)
        self.h: NDArray[np.float64] = np.empty((0, 0))

    def begin(self) -> None:
        """Evaluate the starting point."""
        self.f, self.g, self.h = self.fgh(self.x)
        if not np.isfinite(self.f):
            raise ValueError(f"the loss at the starting point is {self.f}; check the data")
        self.g_max = float(np.max(np.abs(self.g)))

    def __call__(self) -> Record:
        d = newton_direction(self.h, self.g)
        if self.g_max <= self.tol:
            self._polish(d)
            raise StopLoop("converged")
        t, x_new = self._line_search(d)
        if t < _MIN_STEP:
            raise StopLoop("stalled")
        step_norm = float(np.linalg.norm(x_new - self.x))
        self.x = x_new
        self.f, self.g, self.h = self.fgh(self.x)
        self.g_max = float(np.max(np.abs(self.g)))
        self.iteration += 1
        return {
            "iteration": self.iteration,
            "loss": self.f,
            "grad_norm": self.g_max,
            "step_norm": step_norm,
            "learning_rate": t,
            "time": self.clock(),
        }

    def _line_search(self, d: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        """Halve ``t`` from 1 until Armijo's condition holds (or ``t`` drops below
        ``_MIN_STEP``); returns ``t`` and ``x + t d``."""
        slope = float(self.g @ d)
        t = 1.0
        while True:
            x_new = self.x + t * d
            if self.value(x_new) <= self.f + _ARMIJO * t * slope:
                return t, x_new
            t *= 0.5
            if t < _MIN_STEP:
                return t, x_new

    def _polish(self, d: NDArray[np.float64]) -> None:
        """Take the Newton step from a point that meets ``tol`` if it does not raise
        ``f``: near the optimum it squares the error."""
        f_polished = self.value(self.x + d)
        if f_polished <= self.f + 1e-14 * max(1.0, abs(self.f)):
            self.x += d
            self.f = f_polished
