"""Optimisers: gradient descent, mini-batch SGD, Newton (IRLS) and an L-BFGS driver.

They share one vocabulary: every solver stops when the largest absolute component
of the gradient of the objective is at most ``tol`` (for SGD: of the mean gradient
applied during an epoch), records a :class:`History` (loss, gradient norm, step
size per iteration or epoch) and names why it stopped (:data:`STOP_REASONS`).
Gradient methods whose learning rate is too large raise :class:`DivergenceError`,
whose message names the learning rate and suggests a smaller one.  Gradient
descent, SGD and Newton's method run in one loop (``optim._loop``) and all four ask
the same stop rules (``optim._rules``); Ctrl-C ends a fit cleanly as ``interrupted``.
"""

from ._gd import gradient_descent
from ._history import STOP_REASONS, DivergenceError, History, OptimizeResult
from ._lbfgs import lbfgs
from ._newton import newton
from ._schedules import SCHEDULES, make_schedule
from ._sgd import SGDState, sgd

__all__ = [
    "SCHEDULES",
    "STOP_REASONS",
    "DivergenceError",
    "History",
    "OptimizeResult",
    "SGDState",
    "gradient_descent",
    "lbfgs",
    "make_schedule",
    "newton",
    "sgd",
]
