r"""Learning-rate schedules: the learning rate as a function of the epoch number.

The epoch counter starts at 0 and keeps counting across ``partial_fit`` calls, so a
decaying schedule carries over from one call to the next.

- ``"constant"``: :math:`\eta_e = \eta_0`.
- ``"inverse"``: :math:`\eta_e = \eta_0 / (1 + d\,e)` (``decay`` :math:`d \ge 0`,
  default 1).  The Robbins-Monro condition (:math:`\sum \eta = \infty`,
  :math:`\sum \eta^2 < \infty`) holds, so SGD converges to the exact minimum.
- ``"exponential"``: :math:`\eta_e = \eta_0\, d^{\,e}` (``decay`` in (0, 1], default 0.9).
- a callable ``f(epoch) -> float``, for anything else.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

__all__ = ["SCHEDULES", "make_schedule"]

SCHEDULES = ("constant", "inverse", "exponential")


def _positive_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or (
        not isinstance(value, (int, float)) and not hasattr(value, "__float__")
    ):
        raise TypeError(f"`{name}` must be a number; got {type(value).__name__} {value!r}")
    v = float(value)
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"`{name}` must be a finite number > 0; got {value!r}")
    return v


def make_schedule(
    schedule: str | Callable[[int], float], learning_rate: float, decay: float | None = None
) -> Callable[[int], float]:
    """Return ``epoch -> learning rate`` for a schedule name or callable.

    Parameters
    ----------
    schedule : {"constant", "inverse", "exponential"} or callable
        The schedule (see the module notes); a callable gets the epoch number
        (0, 1, ...) and returns the learning rate, ``learning_rate`` is then unused.
    learning_rate : float
        :math:`\\eta_0 > 0`, the rate of epoch 0.
    decay : float, optional
        The schedule's decay (default 1 for "inverse", 0.9 for "exponential").

    Examples
    --------
    >>> f = make_schedule("inverse", 0.5, decay=1.0)
    >>> [f(e) for e in range(3)]
    [0.5, 0.25, 0.16666666666666666]
    """
    if callable(schedule):
        return _checked(schedule)
    if not isinstance(schedule, str) or schedule not in SCHEDULES:
        raise ValueError(
            f"`schedule` must be one of {SCHEDULES} or a callable epoch -> learning rate; "
            f"got {schedule!r}"
        )
    lr = _positive_number(learning_rate, "learning_rate")
    if schedule == "constant":
        return lambda epoch: lr
    if schedule == "inverse":
        d = 1.0 if decay is None else float(decay)
        if not math.isfinite(d) or d < 0:
            raise ValueError(f"`decay` of the 'inverse' schedule must be >= 0; got {decay!r}")
        return lambda epoch: lr / (1.0 + d * epoch)
    d = 0.9 if decay is None else float(decay)
    if not 0 < d <= 1:
        raise ValueError(f"`decay` of the 'exponential' schedule must be in (0, 1]; got {decay!r}")
    return lambda epoch: lr * d**epoch


def _checked(schedule: Callable[[int], float]) -> Callable[[int], float]:
    def rate(epoch: int) -> float:
        lr = schedule(epoch)
        try:
            return _positive_number(lr, "learning rate")
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"the schedule returned an invalid learning rate in epoch {epoch}: {exc}"
            ) from None

    return rate
