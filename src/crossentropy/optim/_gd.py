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

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import check_number
from ._history import History, OptimizeResult
from ._loop import StopLoop, run_loop, starting_point, stopwatch
from ._momentum import Momentum, momentum_step
from ._rules import CallbackStop, Divergence, Record, StopRule, Tolerance, check_stopping

__all__ = ["gradient_descent", "momentum_step"]

FunGrad = Callable[[NDArray[Any], NDArray[Any]], float]
Callback = Callable[[dict[str, float]], Any]


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
    lr = check_number(learning_rate, "learning_rate", low=0.0, low_open=True)
    tol, max_iter = check_stopping(tol, max_iter)
    x = starting_point(x0)
    momentum_ = Momentum(momentum, nesterov, None, like=x)
    descent = _Descent(fun_grad, x, lr, tol, momentum_, stopwatch())
    hist = History("iteration") if history is None else history
    f0 = descent.begin()
    rules: list[StopRule] = [Divergence("gradient descent", "iteration", hist, reference=f0)]
    if callback is not None:
        rules.append(CallbackStop(callback))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        stop, n_iter = run_loop(
            descent, max_iter=max_iter, history=hist, rules=rules, at_budget=[Tolerance(tol)]
        )
    return OptimizeResult(x=x, stop_reason=stop, n_iter=n_iter, history=hist, fun=descent.f)


class _Descent:
    """The steps of gradient descent; the state between them is the last gradient."""

    def __init__(
        self,
        fun_grad: FunGrad,
        x: NDArray[Any],
        lr: float,
        tol: float,
        momentum: Momentum,
        clock: Callable[[], float],
    ) -> None:
        self.fun_grad, self.x, self.lr, self.tol = fun_grad, x, lr, tol
        self.momentum, self.clock = momentum, clock
        self.g = np.empty_like(x)
        self.step = np.empty_like(x)
        self.f, self.g_max, self.iteration = np.nan, np.nan, 0

    def begin(self) -> float:
        """Evaluate the starting point; returns its loss."""
        f0 = self.f = float(self.fun_grad(self.x, self.g))
        if not np.isfinite(f0):
            raise ValueError(f"the loss at the starting point is {f0}; check the data and x0")
        self.g_max = float(np.max(np.abs(self.g)))
        return f0

    def __call__(self) -> Record:
        if self.g_max <= self.tol:  # the gradient at hand already meets tol
            raise StopLoop("converged")
        np.multiply(self.momentum.direction(self.g), self.lr, out=self.step)
        self.x -= self.step
        self.f = float(self.fun_grad(self.x, self.g))
        self.g_max = float(np.max(np.abs(self.g)))
        self.iteration += 1
        return {
            "iteration": self.iteration,
            "loss": self.f,
            "grad_norm": self.g_max,
            "step_norm": float(np.linalg.norm(self.step)),
            "learning_rate": self.lr,
            "time": self.clock(),
        }
