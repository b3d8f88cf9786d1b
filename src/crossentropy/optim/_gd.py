r"""Full-batch gradient descent, optionally with (Nesterov) momentum.

.. math:: v \leftarrow \mu v + \nabla f(\theta), \qquad
          \theta \leftarrow \theta - \eta\, v

(:math:`\mu = 0` is plain gradient descent :math:`\theta \leftarrow \theta - \eta
\nabla f`; Nesterov's form steps along :math:`\nabla f + \mu v`).  It converges
for a learning rate :math:`\eta < 2 / L`, with :math:`L` the largest curvature of
:math:`f`; far beyond that the loss grows geometrically, which is reported as
divergence with a clear error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._history import DivergenceError, History, OptimizeResult, divergence_message, has_diverged

__all__ = ["gradient_descent"]

FunGrad = Callable[[NDArray[Any], NDArray[Any]], float]
Callback = Callable[[dict[str, float]], Any]


def check_momentum(momentum: float) -> float:
    """Validate a momentum coefficient in [0, 1)."""
    mu = float(momentum)
    if not 0.0 <= mu < 1.0:
        raise ValueError(f"`momentum` must be in [0, 1); got {momentum!r}")
    return mu


def momentum_step(
    g: NDArray[Any], velocity: NDArray[Any], mu: float, nesterov: bool, out: NDArray[Any]
) -> None:
    r"""The direction of a momentum step, in place: :math:`v \leftarrow \mu v + g`,
    then ``out`` is :math:`v`, or :math:`g + \mu v` with Nesterov's form."""
    velocity *= mu
    velocity += g
    if nesterov:
        np.multiply(velocity, mu, out=out)
        out += g
    else:
        out[...] = velocity


def check_tol_and_iter(tol: float, max_iter: int) -> None:
    """Validate ``tol >= 0`` and an integer ``max_iter >= 1``."""
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"`max_iter` must be an integer >= 1; got {max_iter!r}")
    if not np.isfinite(tol) or tol < 0:
        raise ValueError(f"`tol` must be a finite number >= 0; got {tol!r}")


def gradient_descent(
    fun_grad: FunGrad,
    x0: ArrayLike,
    *,
    learning_rate: float = 0.1,
    max_iter: int = 100,
    tol: float = 1e-6,
    momentum: float = 0.0,
    nesterov: bool = False,
    callback: Callback | None = None,
    history: History | None = None,
) -> OptimizeResult:
    r"""Minimise ``f`` by full-batch gradient descent.

    Parameters
    ----------
    fun_grad : callable
        ``fun_grad(x, grad) -> f``: returns :math:`f(x)` and writes
        :math:`\nabla f(x)` into the array ``grad`` (same shape and dtype as ``x``).
    x0 : array_like
        Starting point (not modified); its float dtype is kept.
    learning_rate : float, default 0.1
        :math:`\eta > 0`.
    max_iter : int, default 100
        Most steps to take.
    tol : float, default 1e-6
        Converged when :math:`\max_j |\partial f / \partial x_j| \le` ``tol``.
    momentum : float, default 0.0
        :math:`\mu \in [0, 1)`.
    nesterov : bool, default False
        Use Nesterov's momentum.
    callback : callable, optional
        Called after every step with that step's history entry (a dict with
        ``iteration``); a true return value stops the descent (``"callback"``).
    history : History, optional
        Entries are appended here (a new one is made otherwise).

    Returns
    -------
    OptimizeResult
        ``x``, ``stop_reason`` (``converged``, ``max_iter``, ``callback`` or
        ``interrupted``), ``n_iter``, ``history`` and ``fun``.

    Raises
    ------
    DivergenceError
        When the loss becomes inf/NaN or more than doubles: the message names
        the learning rate and suggests a smaller one.

    Examples
    --------
    >>> def f(x, g):  # f(x) = (x - 3)^2
    ...     g[:] = 2 * (x - 3)
    ...     return float(((x - 3) ** 2).sum())
    >>> res = gradient_descent(f, [0.0], learning_rate=0.25, tol=1e-10)
    >>> res.stop_reason, round(float(res.x[0]), 8)
    ('converged', 3.0)
    """
    from ._schedules import _positive_number

    lr = _positive_number(learning_rate, "learning_rate")
    mu = check_momentum(momentum)
    check_tol_and_iter(tol, max_iter)
    x = np.array(x0, dtype=np.result_type(np.asarray(x0).dtype, np.float32), copy=True)
    g = np.empty_like(x)
    velocity = np.zeros_like(x) if mu > 0 else None
    step = np.empty_like(x)
    start = time.perf_counter()
    hist = History("iteration") if history is None else history
    f0 = f = float(fun_grad(x, g))
    if not np.isfinite(f0):
        raise ValueError(f"the loss at the starting point is {f0}; check the data and x0")
    stop, n_iter = "max_iter", 0
    g_max = float(np.max(np.abs(g)))
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for it in range(1, max_iter + 1):
                if g_max <= tol:
                    stop = "converged"
                    break
                if velocity is None:
                    np.multiply(g, lr, out=step)
                else:
                    momentum_step(g, velocity, mu, nesterov, out=step)
                    step *= lr
                x -= step
                f = float(fun_grad(x, g))
                g_max = float(np.max(np.abs(g)))
                n_iter = it
                record = {
                    "iteration": it,
                    "loss": f,
                    "grad_norm": g_max,
                    "step_norm": float(np.linalg.norm(step)),
                    "learning_rate": lr,
                    "time": time.perf_counter() - start,
                }
                hist.append(**record)
                if has_diverged(f, f0):
                    hist.stop_reason = "diverged"
                    raise DivergenceError(
                        divergence_message("gradient descent", f"in iteration {it}", lr, f0, f),
                        hist,
                    )
                if callback is not None and callback(record):
                    stop = "callback"
                    break
            else:
                if g_max <= tol:
                    stop = "converged"
    except KeyboardInterrupt:
        stop = "interrupted"
    hist.stop_reason = stop
    return OptimizeResult(x=x, stop_reason=stop, n_iter=n_iter, history=hist, fun=f)
