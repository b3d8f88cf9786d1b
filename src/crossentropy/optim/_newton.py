r"""Newton's method with a backtracking line search (IRLS for generalised linear models).

.. math:: \theta \leftarrow \theta - t\, H^{-1} \nabla f(\theta)

with :math:`H` the Hessian and :math:`t \in \{1, 1/2, 1/4, \dots\}` the first step
fraction that lowers :math:`f` enough (Armijo's condition).  For a logistic model
this is iteratively reweighted least squares; near the optimum it converges
quadratically, so once the gradient meets ``tol`` the Newton step already computed
there is taken as well (the error then is of the order of ``tol**2``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._gd import check_tol_and_iter
from ._history import History, OptimizeResult

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
    check_tol_and_iter(tol, max_iter)
    value = fun if fun is not None else (lambda z: fun_grad_hess(z)[0])
    x = np.array(x0, dtype=np.float64, copy=True)
    start = time.perf_counter()
    hist = History("iteration") if history is None else history
    stop, n_iter = "max_iter", 0
    try:
        f, g, h = fun_grad_hess(x)
        if not np.isfinite(f):
            raise ValueError(f"the loss at the starting point is {f}; check the data")
        g_max = float(np.max(np.abs(g)))
        for it in range(1, max_iter + 1):
            d = newton_direction(h, g)
            if g_max <= tol:
                f_polished = value(x + d)
                if f_polished <= f + 1e-14 * max(1.0, abs(f)):
                    x += d
                    f = f_polished
                stop = "converged"
                break
            slope = float(g @ d)
            t = 1.0
            while True:
                x_new = x + t * d
                f_new = value(x_new)
                if f_new <= f + _ARMIJO * t * slope:
                    break
                t *= 0.5
                if t < _MIN_STEP:
                    break
            if t < _MIN_STEP:
                stop = "stalled"
                break
            step_norm = float(np.linalg.norm(x_new - x))
            x = x_new
            f, g, h = fun_grad_hess(x)
            g_max = float(np.max(np.abs(g)))
            n_iter = it
            record = {
                "iteration": it,
                "loss": f,
                "grad_norm": g_max,
                "step_norm": step_norm,
                "learning_rate": t,
                "time": time.perf_counter() - start,
            }
            hist.append(**record)
            if callback is not None and callback(record):
                stop = "callback"
                break
        else:
            if g_max <= tol:
                stop = "converged"
    except KeyboardInterrupt:
        stop = "interrupted"
    hist.stop_reason = stop
    return OptimizeResult(x=x, stop_reason=stop, n_iter=n_iter, history=hist, fun=float(f))
