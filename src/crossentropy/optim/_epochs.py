"""The epochs of mini-batch SGD: reshuffling, batches, step rates, and Ctrl-C.

An epoch draws a fresh order of the training rows from the state's generator and
steps through it in batches (:func:`sgd_pass`).  :class:`Epochs` runs one epoch per
call for :func:`~crossentropy.optim._loop.run_loop` and keeps the run exact across
Ctrl-C: every epoch starts from a snapshot of the state (parameters, momentum,
step counter, generator), and an interrupted epoch, one whose record did not reach
the history, is undone, so the state always sits at the end of a whole epoch and a
later call continues exactly as an uninterrupted run would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._history import History
from ._loop import stopwatch
from ._momentum import Momentum
from ._rules import Divergence, Record
from ._schedules import LinearSteps
from ._state import SGDState

__all__ = ["REFERENCE_BATCHES", "Epochs", "reference_loss"]

BatchFunGrad = Callable[[NDArray[Any], NDArray[np.intp], NDArray[Any]], float]
Validate = Callable[[NDArray[Any]], dict[str, float]]
Metrics = Callable[[], dict[str, float]]

# Batches evaluated at the starting point to fix the loss that divergence is measured
# against: one batch can be unrepresentative (a tiny target in a regression).
REFERENCE_BATCHES = 8


def reference_loss(
    fg: BatchFunGrad,
    x: NDArray[Any],
    g: NDArray[Any],
    rows: NDArray[np.intp],
    batch: int,
    rng: np.random.Generator,
) -> float:
    """Mean loss at the starting point over a few random batches (no update)."""
    take = rows[rng.permutation(rows.shape[0])[: batch * REFERENCE_BATCHES]]
    total = 0.0
    for start in range(0, take.shape[0], batch):
        part = take[start : start + batch]
        total += fg(x, part, g) * part.shape[0]
    ref = total / take.shape[0]
    if not np.isfinite(ref):
        raise ValueError(f"the loss at the starting parameters is {ref}; check the data")
    return ref


@dataclass
class _Snapshot:
    """The state at the start of an epoch, and how long the history was then."""

    x: NDArray[Any]
    velocity: NDArray[Any] | None
    step: int
    epoch: int
    rng: Mapping[str, Any]
    start_loss: float | None
    records: int


@dataclass
class Epochs:
    """One SGD epoch per call, for :func:`~crossentropy.optim._loop.run_loop`.

    ``rate(epoch)`` gives the epoch's learning rate unless ``linear`` sets each
    step's.  After the pass the record gets the ``metrics`` and ``validate``
    entries, unless the loss has diverged (then ``divergence``, a stop rule, ends
    the run with the bare record).
    """

    fg: BatchFunGrad
    x: NDArray[Any]
    state: SGDState
    rows: NDArray[np.intp]
    batch: int
    rate: Callable[[int], float]
    linear: LinearSteps | None
    momentum: Momentum
    divergence: Divergence
    history: History
    metrics: Metrics | None = None
    validate: Validate | None = None

    def __post_init__(self) -> None:
        self.clock = stopwatch()
        self.g = np.empty_like(self.x)
        self.gsum = np.empty_like(self.x)
        self._snap: _Snapshot | None = None

    def start(self) -> None:
        """Begin a call: the state's ``x`` follows the run, and on a run's first call
        a few batches at the starting point fix the divergence reference (one
        permutation of the generator)."""
        st = self.state
        st.x = self.x  # current at every moment of the run; the caller copies it at the end
        self._snapshot()
        if st.start_loss is None:
            st.start_loss = reference_loss(self.fg, self.x, self.g, self.rows, self.batch, st.rng)
            if self.metrics is not None:
                self.metrics()  # what the reference batches gathered is no epoch's
        self.divergence.reference = st.start_loss

    def __call__(self) -> Record:
        st = self.state
        snap = self._snapshot()
        lr = self.rate(st.epoch) if self.linear is None else self.linear.rate(st.step)
        order = self.rows[st.rng.permutation(self.rows.shape[0])]
        loss = self.run_pass(order, lr)
        st.epoch += 1
        record = {
            "epoch": st.epoch,
            "loss": loss,
            "grad_norm": float(np.max(np.abs(self.gsum))),
            "step_norm": float(np.linalg.norm(self.x - snap.x)),
            "learning_rate": lr,
            "time": self.clock(),
        }
        if not self.divergence.crossed(loss):
            if self.metrics is not None:
                record.update(self.metrics())
            if self.validate is not None:
                record.update(self.validate(self.x))
        return record

    def run_pass(self, order: NDArray[np.intp], lr: float) -> float:
        """One pass over the rows ``order`` in batches; returns the mean batch loss.

        Each batch steps ``x -= lr * d``, with ``d`` the momentum direction of its
        gradient; with ``linear`` each step's rate comes from its step number and
        the pass ends early when the budget is spent.  Leaves the mean applied
        gradient in ``gsum``.  Kept free of allocations: the work per batch is the
        objective's plus three in-place array updates (and momentum's).  A batch
        loss of inf or NaN ends the pass at once (later batches would be NaN) and
        is returned.
        """
        fg, x, g, gsum, batch, st = self.fg, self.x, self.g, self.gsum, self.batch, self.state
        linear, direction = self.linear, self.momentum.direction
        gsum.fill(0)
        total, seen = 0.0, 0
        for start in range(0, order.shape[0], batch):
            if linear is not None:
                if linear.spent(st.step):
                    break
                lr = linear.rate(st.step)
            part = order[start : start + batch]
            f = fg(x, part, g)
            if not f < np.inf:
                return float(f) if f == f else np.nan
            size = part.shape[0]
            total += f * size
            seen += size
            if size == batch:
                gsum += g
            else:
                gsum += g * (size / batch)
            step = direction(g)
            step *= lr
            x -= step
            st.step += 1
        gsum *= batch / seen
        return total / seen

    def _snapshot(self) -> _Snapshot:
        st = self.state
        v = self.momentum.velocity
        self._snap = _Snapshot(
            self.x.copy(),
            None if v is None else v.copy(),
            st.step,
            st.epoch,
            st.rng.bit_generator.state,
            st.start_loss,
            len(self.history),
        )
        return self._snap

    def rollback(self) -> None:
        """After Ctrl-C: undo the epoch in progress, unless its record is in the history."""
        snap, st = self._snap, self.state
        if snap is None or len(self.history) > snap.records:
            return
        self.x[...] = snap.x
        if snap.velocity is not None:
            self.momentum.velocity[...] = snap.velocity  # type: ignore[index]
        st.step, st.epoch, st.start_loss = snap.step, snap.epoch, snap.start_loss
        st.rng.bit_generator.state = snap.rng
        if self.metrics is not None:
            self.metrics()  # drop what the undone batches gathered
