r"""Learning-rate schedules: the learning rate as a function of the epoch number.

The epoch counter starts at 0 and keeps counting across ``partial_fit`` calls, so a
decaying schedule carries over from one call to the next.

- ``"constant"``: :math:`\eta_e = \eta_0`.
- ``"inverse"``: :math:`\eta_e = \eta_0 / (1 + d\,e)` (``decay`` :math:`d \ge 0`,
  default 1).  The Robbins-Monro condition (:math:`\sum \eta = \infty`,
  :math:`\sum \eta^2 < \infty`) holds, so SGD converges to the exact minimum.
- ``"exponential"``: :math:`\eta_e = \eta_0\, d^{\,e}` (``decay`` in (0, 1], default 0.9).
- ``"linear"``: the rate falls linearly to 0 over a fixed budget of ``decay``
  epochs (the *horizon*), step by step rather than epoch by epoch: mini-batch step
  :math:`s` (counted from the start, :math:`s = 0, 1, \ldots, S - 1`, with :math:`S`
  the steps of ``decay`` epochs) uses :math:`\eta_s = \eta_0 (1 - s / S)`.  The last
  iterate of such a run is close to an average of the late iterates, so one pass at
  a large :math:`\eta_0` gets as far as several passes at a constant rate; the run
  ends when the budget is spent.  :func:`make_schedule` gives the rate at the start
  of each epoch; :func:`~crossentropy.optim.sgd` applies the per-step form.
- a callable ``f(epoch) -> float``, for anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._validation import check_number

__all__ = ["SCHEDULES", "LinearSteps", "linear_horizon", "make_schedule"]

SCHEDULES = ("constant", "inverse", "exponential", "linear")


def make_schedule(
    schedule: str | Callable[[int], float], learning_rate: float, decay: float | None = None
) -> Callable[[int], float]:
    """Return ``epoch -> learning rate`` for a schedule name or callable.

    Parameters
    ----------
    schedule : {"constant", "inverse", "exponential", "linear"} or callable
        The schedule (see the module notes); a callable gets the epoch number
        (0, 1, ...) and returns the learning rate, ``learning_rate`` is then unused.
    learning_rate : float
        :math:`\\eta_0 > 0`, the rate of epoch 0.
    decay : float, optional
        The schedule's decay (default 1 for "inverse", 0.9 for "exponential"); for
        "linear", the horizon in epochs (required), over which the rate falls to 0.

    Examples
    --------
    >>> f = make_schedule("inverse", 0.5, decay=1.0)
    >>> [f(e) for e in range(3)]
    [0.5, 0.25, 0.16666666666666666]
    >>> g = make_schedule("linear", 2.0, decay=4)
    >>> [g(e) for e in range(4)]
    [2.0, 1.5, 1.0, 0.5]
    """
    if callable(schedule):
        return _checked(schedule)
    if not isinstance(schedule, str) or schedule not in SCHEDULES:
        raise ValueError(
            f"`schedule` must be one of {SCHEDULES} or a callable epoch -> learning rate; "
            f"got {schedule!r}"
        )
    lr = _positive(learning_rate, "learning_rate")
    if schedule == "constant":
        return lambda epoch: lr
    if schedule == "linear":
        horizon = linear_horizon(decay)
        return lambda epoch: _linear_rate(lr, epoch, horizon)
    if schedule == "inverse":
        d = 1.0 if decay is None else check_number(decay, "decay", low=0.0)
        return lambda epoch: lr / (1.0 + d * epoch)
    d = 0.9 if decay is None else check_number(decay, "decay", low=0.0, low_open=True, high=1.0)
    return lambda epoch: lr * d**epoch


def _checked(schedule: Callable[[int], float]) -> Callable[[int], float]:
    def rate(epoch: int) -> float:
        lr = schedule(epoch)
        try:
            return _positive(lr, "learning rate")
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"the schedule returned an invalid learning rate in epoch {epoch}: {exc}"
            ) from None

    return rate


def linear_horizon(decay: Any) -> float:
    """The horizon (epochs) of the "linear" schedule: ``decay``, a finite number > 0."""
    if decay is None:
        raise ValueError(
            "the 'linear' schedule needs its horizon: `decay` = the number of epochs over "
            "which the learning rate falls to 0"
        )
    return _positive(decay, "decay")


def _positive(value: Any, name: str) -> float:
    return check_number(value, name, low=0.0, low_open=True)


def _linear_rate(lr: float, epoch: float, horizon: float) -> float:
    if epoch >= horizon:
        raise ValueError(
            f"the 'linear' schedule reached learning rate 0 after its horizon of "
            f"{horizon:g} epochs (decay); epoch {epoch} lies beyond it"
        )
    return lr * (1.0 - epoch / horizon)


@dataclass(frozen=True)
class LinearSteps:
    """The "linear" schedule step by step: rate ``lr0 * (1 - step / budget)`` for the
    steps ``0 .. budget - 1`` of a run (counted across calls by the SGD state).

    ``budget`` is the horizon's steps: ``horizon`` epochs of ``steps_per_epoch``
    mini-batches, rounded to the nearest whole step (at least 1).

    Examples
    --------
    >>> plan = LinearSteps.over(2.0, horizon=1.5, steps_per_epoch=4)
    >>> plan.budget, [plan.rate(s) for s in range(3)], plan.spent(6)
    (6, [2.0, 1.6666666666666667, 1.3333333333333335], True)
    """

    lr0: float
    budget: int

    @classmethod
    def over(cls, learning_rate: Any, horizon: float, steps_per_epoch: int) -> LinearSteps:
        lr0 = _positive(learning_rate, "learning_rate")
        return cls(lr0, max(1, round(horizon * steps_per_epoch)))

    def rate(self, step: int) -> float:
        """The learning rate of step ``step``."""
        return self.lr0 * (1.0 - step / self.budget)

    def spent(self, step: int) -> bool:
        """True once ``step`` has reached the end of the budget (rate 0)."""
        return step >= self.budget
