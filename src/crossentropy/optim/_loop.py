"""The iteration loop that gradient descent, SGD and Newton's method share.

:func:`run_loop` calls the solver's ``step`` at most ``max_iter`` times; each step
returns its record, which is appended to the :class:`History` and shown to the stop
rules (:mod:`._rules`) in order.  It owns the budget (stop reason ``max_iter``) and
Ctrl-C: a ``KeyboardInterrupt`` anywhere in the loop ends it with ``interrupted``,
after the solver's ``on_interrupt`` has put its state in order.  L-BFGS, whose loop
is SciPy's, shares the rules but not this driver.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._history import History
from ._rules import Record, StopRule, first_stop

__all__ = ["StopLoop", "run_loop", "starting_point", "stopwatch"]


class StopLoop(Exception):
    """Raised by a step that ends the run itself (Newton's ``stalled``, say)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def stopwatch() -> Callable[[], float]:
    """A function returning the seconds since this call (a record's ``time``)."""
    start = time.perf_counter()
    return lambda: time.perf_counter() - start


def starting_point(x0: ArrayLike) -> NDArray[Any]:
    """A copy of ``x0`` in its float dtype (float32 stays float32; integers become float64)."""
    return np.array(x0, dtype=np.result_type(np.asarray(x0).dtype, np.float32), copy=True)


def run_loop(
    step: Callable[[], Record],
    *,
    max_iter: int,
    history: History,
    rules: Sequence[StopRule] = (),
    at_budget: Sequence[StopRule] = (),
    start: Callable[[], None] | None = None,
    on_interrupt: Callable[[], None] | None = None,
) -> tuple[str, int]:
    """Run ``step`` until a rule stops it or ``max_iter`` steps are done.

    Parameters
    ----------
    step : callable
        ``step() -> record``: one iteration; it may raise :class:`StopLoop`.
    max_iter : int
        The budget of steps.
    history : History
        Each record is appended before the rules see it; its ``stop_reason`` is set.
    rules : sequence of stop rules
        Asked in order after every step.
    at_budget : sequence of stop rules
        Asked of the last record when the budget is spent (Newton's final test of
        ``tol``); ``max_iter`` when none stops.
    start : callable, optional
        Called first, inside the Ctrl-C handling (the starting evaluation).
    on_interrupt : callable, optional
        Called when Ctrl-C ended the loop, before returning.

    Returns
    -------
    (stop_reason, steps)
        Why the loop ended and how many records it added to the history.

    Examples
    --------
    >>> from crossentropy.optim._rules import Tolerance
    >>> g = [8.0]
    >>> def halve():
    ...     g[0] /= 2
    ...     return {"grad_norm": g[0]}
    >>> run_loop(halve, max_iter=10, history=History(), rules=[Tolerance(1.0)])
    ('converged', 3)
    """
    # Steps are counted by the history, so that Ctrl-C at any point counts exactly
    # the records that went in.
    stop, before = "max_iter", len(history)
    try:
        if start is not None:
            start()
        for _ in range(max_iter):
            try:
                record = step()
            except StopLoop as end:
                stop = end.reason
                break
            history.append(**record)
            reason = first_stop(rules, record)
            if reason is not None:
                stop = reason
                break
        else:
            if len(history) > before:
                stop = first_stop(at_budget, record) or stop
    except KeyboardInterrupt:
        stop = "interrupted"
        if on_interrupt is not None:
            on_interrupt()
    history.stop_reason = stop
    return stop, len(history) - before
