"""Stop rules: after each iteration (epoch), may the solver go on, and if not, why?

A rule takes the iteration's record (the dict that goes into the :class:`History`)
and returns a stop reason from :data:`STOP_REASONS`, or None to go on; the loop asks
the rules in order and stops at the first reason.  :class:`Divergence` raises
instead of returning, since a diverged fit has nothing worth returning.

The iteration budget (``max_iter``) belongs to the loop itself
(:func:`~crossentropy.optim._loop.run_loop`) and Ctrl-C to its handling of
``KeyboardInterrupt``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from numpy.typing import NDArray

from .._validation import check_integer, check_number
from ._history import DivergenceError, History, divergence_message, has_diverged

__all__ = [
    "BestSoFar",
    "CallbackStop",
    "Divergence",
    "EarlyStopping",
    "Record",
    "StepBudget",
    "StopRule",
    "Tolerance",
    "check_stopping",
    "first_stop",
]

Record = dict[str, float]
Callback = Callable[[Record], Any]


class StopRule(Protocol):
    """``rule(record) -> reason or None``."""

    def __call__(self, record: Record) -> str | None: ...


def check_stopping(tol: Any, max_iter: Any) -> tuple[float, int]:
    """``tol`` (a finite number >= 0) and ``max_iter`` (an integer >= 1), checked."""
    return check_number(tol, "tol", low=0.0), check_integer(max_iter, "max_iter", low=1)


def first_stop(rules: Iterable[StopRule], record: Record) -> str | None:
    """The reason of the first rule that stops at ``record``, or None."""
    for rule in rules:
        reason = rule(record)
        if reason is not None:
            return reason
    return None


@dataclass
class Tolerance:
    """``converged`` once the record's ``grad_norm`` is at most ``tol``.

    Examples
    --------
    >>> Tolerance(1e-6)({"grad_norm": 1e-7}), Tolerance(1e-6)({"grad_norm": 1e-5})
    ('converged', None)
    """

    tol: float

    def __call__(self, record: Record) -> str | None:
        return "converged" if record["grad_norm"] <= self.tol else None


@dataclass
class CallbackStop:
    """``callback`` when the user's ``callback(record)`` returns a true value."""

    callback: Callback

    def __call__(self, record: Record) -> str | None:
        return "callback" if self.callback(record) else None


@dataclass
class StepBudget:
    """``max_iter`` once the steps counted by ``steps()`` reach ``budget``.

    A run planned in steps rather than epochs (the "linear" schedule, whose rate is
    0 at the end of its budget) ends with its plan, possibly within an epoch.

    Examples
    --------
    >>> taken = [9]
    >>> rule = StepBudget(10, lambda: taken[0])
    >>> print(rule({}))
    None
    >>> taken[0] = 10
    >>> rule({})
    'max_iter'
    """

    budget: int
    steps: Callable[[], int]

    def __call__(self, record: Record) -> str | None:
        return "max_iter" if self.steps() >= self.budget else None


@dataclass
class Divergence:
    """Raises :class:`DivergenceError` when the record's loss has diverged.

    Diverged means inf/NaN or more than twice the ``reference`` loss (at the
    starting point); see :func:`~crossentropy.optim._history.has_diverged`.  The
    message names ``method``, the iteration (the record's ``key`` entry) and the
    record's ``learning_rate``, and suggests a smaller one; the error carries
    ``history``, whose ``stop_reason`` it sets to ``diverged``.

    Examples
    --------
    >>> rule = Divergence("gradient descent", "iteration", History(), reference=1.0)
    >>> rule({"iteration": 1, "loss": 0.5, "learning_rate": 0.1}) is None
    True
    >>> rule({"iteration": 2, "loss": 3.0, "learning_rate": 0.1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    crossentropy.optim._history.DivergenceError: gradient descent diverged in iteration 2: ...
    """

    method: str
    key: str
    history: History
    reference: float = math.nan

    def crossed(self, loss: float) -> bool:
        """True when ``loss`` counts as diverged against the reference."""
        return has_diverged(loss, self.reference)

    def __call__(self, record: Record) -> str | None:
        loss = record["loss"]
        if not self.crossed(loss):
            return None
        self.history.stop_reason = "diverged"
        where = f"in {self.key} {int(record[self.key])}"
        rate = record["learning_rate"]
        raise DivergenceError(
            divergence_message(self.method, where, rate, self.reference, loss), self.history
        )


@dataclass
class BestSoFar:
    """What early stopping remembers: the lowest ``val_loss``, the parameters that
    reached it, and the number of records since (``waited``)."""

    loss: float = math.inf
    x: NDArray[Any] | None = None
    waited: int = 0


class EarlyStopping:
    """``early_stopping`` when ``val_loss`` has not improved for ``patience`` records.

    Keeps the best parameters in ``best`` (a :class:`BestSoFar`, which may come
    from an earlier run to continue it) and, on stopping, writes them back into
    ``x``, the array the solver updates in place.  A parameter vector that never
    improved (a NaN ``val_loss`` from the first epoch on) is the one ``x`` held
    when the rule was made.

    Examples
    --------
    >>> x = np.zeros(1)
    >>> rule = EarlyStopping(x, patience=2, best=BestSoFar())
    >>> x[0] = 1.0; rule({"val_loss": 0.5})       # improves: x = 1 is kept
    >>> x[0] = 2.0; rule({"val_loss": 0.6})       # one record without improvement
    >>> x[0] = 3.0; rule({"val_loss": 0.7}), x    # two: stop, back to the best
    ('early_stopping', array([1.]))
    """

    def __init__(self, x: NDArray[Any], patience: int, best: BestSoFar) -> None:
        self.x = x
        self.patience = check_integer(patience, "n_iter_no_change", low=1)
        self.best = best
        if best.x is None:
            best.x = x.copy()

    def __call__(self, record: Record) -> str | None:
        best = self.best
        if record["val_loss"] < best.loss:
            best.loss, best.waited = record["val_loss"], 0
            best.x[...] = self.x  # type: ignore[index]
            return None
        best.waited += 1
        if best.waited < self.patience:
            return None
        self.x[...] = best.x
        return "early_stopping"
