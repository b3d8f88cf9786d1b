r"""A driver for SciPy's L-BFGS-B that records the same history as the other solvers.

``tol`` keeps its one meaning: SciPy's ``gtol`` is set to it (the largest absolute
gradient component), and the relative-decrease test (``ftol``) is switched off so
that the fit never claims convergence on a flat stretch.  When the line search can
make no further progress in floating point before ``tol`` is met the stop reason is
``stalled``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._history import History, OptimizeResult
from ._loop import stopwatch
from ._rules import CallbackStop, StopRule, Tolerance, check_stopping, first_stop

__all__ = ["lbfgs"]

FunGrad = Callable[[NDArray[np.float64]], tuple[float, NDArray[np.float64]]]
Callback = Callable[[dict[str, float]], Any]


def lbfgs(
    fun_grad: FunGrad,
    x0: ArrayLike,
    *,
    max_iter: int = 100,
    tol: float = 1e-6,
    memory: int = 10,
    callback: Callback | None = None,
    history: History | None = None,
    grad_norm: Callable[[NDArray[np.float64], NDArray[np.float64]], float] | None = None,
) -> OptimizeResult:
    r"""Minimise ``f`` with L-BFGS (``scipy.optimize.minimize(method="L-BFGS-B")``).

    Parameters
    ----------
    fun_grad : callable
        ``x -> (f, grad)`` with ``x`` and ``grad`` float64 vectors.
    x0 : array_like
        Starting point.
    max_iter : int, default 100
        Most iterations (function evaluations are capped at ``2 * max_iter + 20``).
    tol : float, default 1e-6
        Converged when :math:`\max_j |\partial f / \partial x_j| \le` ``tol``.
    memory : int, default 10
        Number of correction pairs kept (L-BFGS' ``m``).
    callback : callable, optional
        Called after every iteration with its history entry; true return stops.
    history : History, optional
        Entries are appended here.
    grad_norm : callable, optional
        ``grad_norm(x, grad) -> float``: the quantity compared with ``tol`` and
        recorded as ``grad_norm``, when ``x`` is a reparametrisation of the problem
        (such as centred features) and ``tol`` is meant for the gradient in the
        problem's own coordinates.  Default: the largest absolute component of
        ``grad``.

    Returns
    -------
    OptimizeResult
        ``stop_reason`` is ``converged``, ``max_iter``, ``stalled``, ``callback``
        or ``interrupted``.

    Examples
    --------
    >>> def fg(x):
    ...     return float(((x - 1.0) ** 2).sum()), 2 * (x - 1.0)
    >>> res = lbfgs(fg, np.zeros(3), tol=1e-10)
    >>> res.stop_reason, np.round(res.x, 8)
    ('converged', array([1., 1., 1.]))
    """
    from scipy.optimize import minimize

    tol, max_iter = check_stopping(tol, max_iter)
    hist = History("iteration") if history is None else history
    rules: list[StopRule] = [Tolerance(tol)]
    if callback is not None:
        rules.append(CallbackStop(callback))
    rec = _Recorder(fun_grad, hist, rules, grad_norm, np.array(x0, dtype=np.float64, copy=True))
    n_before = len(hist)
    try:
        with np.errstate(over="ignore", under="ignore"):
            res = minimize(
                rec.fun_grad,
                rec.x.copy(),
                jac=True,
                method="L-BFGS-B",
                callback=rec.on_iteration,
                options={
                    "maxiter": max_iter,
                    "maxfun": 2 * max_iter + 20,
                    # SciPy's own test sees the reparametrised gradient: leave the
                    # decision to the callback's test when the norm is the caller's.
                    "gtol": tol if grad_norm is None else 0.0,
                    "ftol": 0.0,
                    "maxcor": int(memory),
                },
            )
        x, f = np.asarray(res.x, dtype=np.float64), float(res.fun)
        g = res.jac if res.jac is not None else fun_grad(x)[1]
        if rec.stopped is not None:
            stop = rec.stopped
        elif rec.norm(x, np.asarray(g, dtype=np.float64)) <= tol:
            stop = "converged"
        else:
            stop = "max_iter" if res.status == 1 else "stalled"
    except KeyboardInterrupt:
        x, f, stop = rec.x, rec.f, "interrupted"
    hist.stop_reason = stop
    return OptimizeResult(x=x, stop_reason=stop, n_iter=len(hist) - n_before, history=hist, fun=f)


class _Recorder:
    """SciPy's callbacks: evaluations (the last one kept) and one record per iteration.

    ``x`` and ``f`` are the latest iterate (what Ctrl-C returns, and where the
    next step length is measured from); ``stopped`` is the reason a stop rule gave.
    """

    def __init__(
        self,
        fun_grad: FunGrad,
        history: History,
        rules: list[StopRule],
        grad_norm: Callable[[NDArray[np.float64], NDArray[np.float64]], float] | None,
        x0: NDArray[np.float64],
    ) -> None:
        self._fun_grad, self._grad_norm = fun_grad, grad_norm
        self.history, self.rules = history, rules
        self.x, self.f = x0, np.nan
        self.stopped: str | None = None
        self.clock = stopwatch()
        self._last: tuple[NDArray[np.float64], float, NDArray[np.float64]] | None = None

    def norm(self, x: NDArray[np.float64], g: NDArray[np.float64]) -> float:
        """The gradient norm compared with ``tol``: the caller's, or the largest |g_j|."""
        if self._grad_norm is None:
            return float(np.max(np.abs(g)))
        return float(self._grad_norm(x, g))

    def fun_grad(self, x: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        f, g = self._fun_grad(x)
        self._last = (x.copy(), float(f), np.asarray(g, dtype=np.float64))
        return self._last[1], self._last[2]

    def on_iteration(self, intermediate_result: Any) -> None:
        xk = intermediate_result.x
        if self._last is not None and np.array_equal(self._last[0], xk):
            f, g = self._last[1], self._last[2]
        else:
            f, g = self.fun_grad(xk)
        record = {
            "iteration": len(self.history) + 1,
            "loss": float(f),
            "grad_norm": self.norm(xk, g),
            "step_norm": float(np.linalg.norm(xk - self.x)),
            "time": self.clock(),
        }
        self.x, self.f = xk.copy(), float(f)
        self.history.append(**record)
        self.stopped = first_stop(self.rules, record)
        if self.stopped is not None:
            raise StopIteration
