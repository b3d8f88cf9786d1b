r"""A driver for SciPy's L-BFGS-B that records the same history as the other solvers.

``tol`` keeps its one meaning: SciPy's ``gtol`` is set to it (the largest absolute
gradient component), and the relative-decrease test (``ftol``) is switched off so
that the fit never claims convergence on a flat stretch.  When the line search can
make no further progress in floating point before ``tol`` is met the stop reason is
``stalled``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._gd import check_tol_and_iter
from ._history import History, OptimizeResult

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

    check_tol_and_iter(tol, max_iter)
    start = time.perf_counter()
    hist = History("iteration") if history is None else history
    x_start = np.array(x0, dtype=np.float64, copy=True)
    last: dict[str, Any] = {"x": None, "f": np.nan, "g": None}
    # The latest iterate: the step length of the next, and what Ctrl-C returns.
    best: dict[str, Any] = {"x": x_start.copy(), "f": np.nan}
    flags = {"callback": False, "converged": False}

    def norm(x: NDArray[np.float64], g: NDArray[np.float64]) -> float:
        return float(np.max(np.abs(g))) if grad_norm is None else float(grad_norm(x, g))

    def wrapped(x: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        f, g = fun_grad(x)
        last["x"], last["f"], last["g"] = x.copy(), float(f), np.asarray(g, dtype=np.float64)
        return float(f), last["g"]

    def on_iteration(intermediate_result: Any) -> None:
        xk = intermediate_result.x
        if last["x"] is not None and np.array_equal(last["x"], xk):
            f, g = last["f"], last["g"]
        else:
            f, g = wrapped(xk)
        record = {
            "iteration": len(hist) + 1,
            "loss": float(f),
            "grad_norm": norm(xk, g),
            "step_norm": float(np.linalg.norm(xk - best["x"])),
            "time": time.perf_counter() - start,
        }
        best["x"], best["f"] = xk.copy(), float(f)
        hist.append(**record)
        if record["grad_norm"] <= tol:
            flags["converged"] = True
            raise StopIteration
        if callback is not None and callback(record):
            flags["callback"] = True
            raise StopIteration

    n_before = len(hist)
    try:
        with np.errstate(over="ignore", under="ignore"):
            res = minimize(
                wrapped,
                x_start,
                jac=True,
                method="L-BFGS-B",
                callback=on_iteration,
                options={
                    "maxiter": int(max_iter),
                    "maxfun": 2 * int(max_iter) + 20,
                    # SciPy's own test sees the reparametrised gradient: leave the
                    # decision to the callback's test when the norm is the caller's.
                    "gtol": float(tol) if grad_norm is None else 0.0,
                    "ftol": 0.0,
                    "maxcor": int(memory),
                },
            )
        x, f = np.asarray(res.x, dtype=np.float64), float(res.fun)
        g = res.jac if res.jac is not None else fun_grad(x)[1]
        if flags["callback"]:
            stop = "callback"
        elif flags["converged"] or norm(x, np.asarray(g, dtype=np.float64)) <= tol:
            stop = "converged"
        elif res.status == 1:
            stop = "max_iter"
        else:
            stop = "stalled"
    except KeyboardInterrupt:
        x, f, stop = best["x"], best["f"], "interrupted"
    hist.stop_reason = stop
    return OptimizeResult(x=x, stop_reason=stop, n_iter=len(hist) - n_before, history=hist, fun=f)
