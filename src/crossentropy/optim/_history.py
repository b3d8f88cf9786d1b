"""What every optimiser reports: a per-iteration history, a stop reason, and errors.

One vocabulary for every solver, so that a fit by Newton's method, L-BFGS, gradient
descent or mini-batch SGD can be inspected the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["STOP_REASONS", "DivergenceError", "History", "OptimizeResult"]

#: Why a fit stopped.  ``converged``: the gradient met ``tol``; ``max_iter``: the
#: iteration (epoch) budget ran out first; ``diverged``: the loss became inf/NaN or
#: grew past twice its starting value (the fit raises :class:`DivergenceError`);
#: ``separation``: the classes are separable, so no finite maximum-likelihood
#: estimate exists; ``early_stopping``: the validation loss stopped improving;
#: ``stalled``: the objective could not be lowered any further in floating point
#: before ``tol`` was met; ``callback``: the per-epoch callback asked to stop;
#: ``interrupted``: the fit was interrupted (Ctrl-C) and kept what it had learned (SGD:
#: up to its last whole epoch, the end of its history).
STOP_REASONS = (
    "converged",
    "max_iter",
    "diverged",
    "separation",
    "early_stopping",
    "stalled",
    "callback",
    "interrupted",
)


class History:
    """The record of a fit: one entry per iteration (or per epoch for SGD).

    Each entry holds some of these keys:

    ``loss``
        The objective (mean loss per example plus the l2 penalty), in nats for
        the classifiers.  For SGD it is the mean of the mini-batch losses seen
        during the epoch, as Keras reports it.
    ``grad_norm``
        The largest absolute component of the gradient of the objective: the
        quantity that ``tol`` is compared with.  For SGD it is that of the mean
        of the mini-batch gradients applied during the epoch.
    ``step_norm``
        Euclidean length of the change of the parameters in this iteration/epoch.
    ``learning_rate``
        The learning rate used (gradient descent, SGD) or the step fraction
        accepted by the line search (Newton).
    ``accuracy``
        SGD of a classifier (softmax regression): the share of the epoch's
        training rows that each batch predicted correctly before its step (the
        running accuracy that Keras reports; free, as the logits are computed
        anyway).
    ``val_loss``, ``val_accuracy``
        Loss and accuracy on the validation data, when there is any.
    ``iteration`` or ``epoch``, ``time``
        The entry's number (counting on across ``partial_fit`` calls) and the
        seconds since the solver started (this call), for loss-against-time plots.

    Index it by key to get a NumPy array over the iterations, or by an integer to
    get one entry as a dict.

    Examples
    --------
    >>> h = History("epoch")
    >>> h.append(loss=0.7, grad_norm=0.1)
    >>> h.append(loss=0.5, grad_norm=0.01)
    >>> h["loss"]
    array([0.7, 0.5])
    >>> len(h), h.keys()
    (2, ['loss', 'grad_norm'])
    """

    def __init__(self, unit: str = "iteration") -> None:
        self.unit = unit
        self.records: list[dict[str, float]] = []
        self.stop_reason: str | None = None

    def append(self, **values: float) -> None:
        """Add one entry (floats keyed by name)."""
        self.records.append({k: float(v) for k, v in values.items()})

    def keys(self) -> list[str]:
        """Keys present in at least one entry, in first-seen order."""
        seen: dict[str, None] = {}
        for rec in self.records:
            seen.update(dict.fromkeys(rec))
        return list(seen)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, float]]:
        return iter(self.records)

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, (int, np.integer)):
            return dict(self.records[key])
        if key not in self.keys():
            raise KeyError(
                f"history has no {key!r}; it records {self.keys()} "
                "(val_loss and val_accuracy need validation data)"
            )
        return np.array([rec[key] for rec in self.records if key in rec])

    def as_dict(self) -> dict[str, list[float]]:
        """``{key: [values...]}`` like Keras' ``History.history``."""
        return {k: [rec[k] for rec in self.records if k in rec] for k in self.keys()}

    def __repr__(self) -> str:
        last = f", last={self.records[-1]}" if self.records else ""
        return f"History({len(self)} {self.unit}s, stop_reason={self.stop_reason!r}{last})"


@dataclass
class OptimizeResult:
    """Outcome of an optimiser: the parameters, how many iterations, why it stopped."""

    x: NDArray[Any]
    stop_reason: str
    n_iter: int
    history: History = field(repr=False)
    fun: float = float("nan")


class DivergenceError(ValueError):
    """A gradient method with too large a learning rate made the loss blow up.

    The message names the learning rate and suggests a smaller one; ``history``
    holds the record up to the failure.
    """

    def __init__(self, message: str, history: History | None = None) -> None:
        super().__init__(message)
        self.history = history


def divergence_message(
    method: str, where: str, learning_rate: float, start: float, now: float
) -> str:
    """The wording of :class:`DivergenceError`, one place for every method."""
    smaller = learning_rate / 10
    return (
        f"{method} diverged {where}: the loss went from {start:.6g} to {now:.6g} with "
        f"learning_rate={learning_rate:g}. The learning rate is too large for this data; "
        f"use a smaller one (for example learning_rate={smaller:g}) or standardise the "
        "features so that they have mean 0 and variance 1."
    )


def has_diverged(loss: float, start: float) -> bool:
    """True when ``loss`` is inf/NaN or more than twice the starting loss.

    A descent method that works never ends an iteration (or an epoch) at more than
    twice the loss it started from; a learning rate beyond the stable range makes
    the loss grow geometrically, so it crosses this line within a few iterations.
    """
    if not np.isfinite(loss):
        return True
    return loss > start + max(abs(start), np.finfo(np.float64).tiny)
