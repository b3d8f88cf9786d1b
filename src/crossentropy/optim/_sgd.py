r"""Mini-batch stochastic gradient descent, reshuffled every epoch.

Each epoch visits the training rows once, in a fresh random order, in batches of
``batch_size``; every batch moves the parameters along its own gradient:

.. math:: v \leftarrow \mu v + g_B(\theta), \qquad \theta \leftarrow \theta - \eta_e v

with :math:`g_B` the gradient of the mean loss over the batch (plus the penalty),
:math:`\mu` the momentum (0: plain SGD) and :math:`\eta_e` the learning rate of epoch
:math:`e` from a schedule (the "linear" schedule changes it at every step, see
:mod:`~crossentropy.optim._schedules`).  The state that has to survive between calls
(epoch and step counters of the schedule, momentum buffer, random generator,
reference loss) lives in :class:`SGDState`, which is what lets ``partial_fit``
carry the schedule over.

The per-epoch ``loss`` is the mean of the mini-batch losses of the epoch (free:
they are computed anyway) and ``grad_norm`` is the largest component of the mean
of the mini-batch gradients applied in the epoch, compared with ``tol``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._gd import check_momentum, check_tol_and_iter, momentum_step
from ._history import DivergenceError, History, OptimizeResult, divergence_message, has_diverged
from ._schedules import linear_horizon, make_schedule

__all__ = ["SGDState", "as_generator", "sgd"]

BatchFunGrad = Callable[[NDArray[Any], NDArray[np.intp], NDArray[Any]], float]
Validate = Callable[[NDArray[Any]], dict[str, float]]
Metrics = Callable[[], dict[str, float]]
Callback = Callable[[dict[str, float]], Any]

# Batches evaluated at the starting point to fix the loss that divergence is measured
# against: one batch can be unrepresentative (a tiny target in a regression).
_REFERENCE_BATCHES = 8


def as_generator(random_state: Any) -> np.random.Generator:
    """A NumPy ``Generator`` from None, an int, a ``Generator`` or a ``RandomState``."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if random_state is None or (
        isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool)
    ):
        return np.random.default_rng(random_state)
    raise TypeError(
        "`random_state` must be None, an int, a numpy Generator or RandomState; "
        f"got {type(random_state).__name__}"
    )


@dataclass
class SGDState:
    """What SGD carries from one call to the next (``partial_fit``).

    ``epoch`` is the number of epochs run so far (the schedule's position), ``step``
    the number of mini-batch steps (the position of the "linear" schedule),
    ``velocity`` the momentum buffer, ``rng`` the shuffling generator and
    ``start_loss`` the loss at the very first parameters (the divergence reference).
    """

    epoch: int = 0
    step: int = 0
    velocity: NDArray[Any] | None = None
    rng: np.random.Generator = field(default_factory=np.random.default_rng)
    start_loss: float | None = None


def _check_batch_size(batch_size: int) -> int:
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 1
    ):
        raise ValueError(f"`batch_size` must be an integer >= 1; got {batch_size!r}")
    return int(batch_size)


def sgd(
    batch_fun_grad: BatchFunGrad,
    x0: ArrayLike,
    n_samples: int,
    *,
    batch_size: int = 128,
    learning_rate: float = 0.1,
    schedule: str | Callable[[int], float] = "constant",
    decay: float | None = None,
    momentum: float = 0.0,
    nesterov: bool = False,
    max_iter: int = 100,
    tol: float = 1e-6,
    indices: NDArray[np.intp] | None = None,
    metrics: Metrics | None = None,
    validate: Validate | None = None,
    early_stopping: bool = False,
    n_iter_no_change: int = 5,
    callback: Callback | None = None,
    history: History | None = None,
    state: SGDState | None = None,
) -> OptimizeResult:
    r"""Minimise a mean loss by mini-batch SGD, ``max_iter`` epochs at most.

    Parameters
    ----------
    batch_fun_grad : callable
        ``batch_fun_grad(x, rows, grad) -> f``: the mean loss over the rows
        ``rows`` (an index array) plus the penalty, with its gradient written into
        ``grad`` (the shape and dtype of ``x``).  Called once per batch, so it
        should allocate nothing.
    x0 : array_like
        Starting parameters (not modified); their float dtype is kept.
    n_samples : int
        Number of rows; batches are drawn from ``range(n_samples)`` unless
        ``indices`` is given.
    batch_size : int, default 128
        Rows per batch (the last batch of an epoch may be smaller).
    learning_rate, schedule, decay
        The learning rate of epoch 0 and its schedule (see
        :func:`~crossentropy.optim.make_schedule`).  For ``schedule="linear"``,
        ``decay`` is the horizon in epochs (default ``max_iter``, counted from the
        state's first step): the rate falls at every step, reaches 0 when the
        horizon's steps are spent, and the run stops there (``max_iter``), in the
        middle of an epoch if the horizon is fractional.
    momentum : float, default 0.0
        :math:`\mu \in [0, 1)`; ``nesterov`` selects Nesterov's form.
    max_iter : int, default 100
        Most epochs to run in this call.
    tol : float, default 1e-6
        Converged when the largest component of the epoch's mean gradient is at
        most ``tol``.
    indices : array of int, optional
        The rows to train on (the rest may be held out for validation).
    metrics : callable, optional
        ``metrics() -> dict`` after each epoch, before ``validate``: entries for the
        epoch's record that ``batch_fun_grad`` gathered on the way (such as the
        training accuracy of the epoch's batches), each call covering the batches
        since the one before.  It is also called, and its result dropped, after
        the batches that fix the divergence reference on the first call, which
        belong to no epoch.
    validate : callable, optional
        ``validate(x) -> {"val_loss": ..., "val_accuracy": ...}`` after each epoch.
    early_stopping : bool, default False
        Stop when ``val_loss`` has not improved for ``n_iter_no_change`` epochs
        and return the parameters of the best epoch (needs ``validate``).
    callback : callable, optional
        Called after every epoch with its history entry (a dict with ``epoch``);
        a true return value stops training (``"callback"``).
    history : History, optional
        Entries are appended here.
    state : SGDState, optional
        Carried between calls; updated in place.

    Returns
    -------
    OptimizeResult
        ``stop_reason`` is ``converged``, ``max_iter``, ``early_stopping``,
        ``callback`` or ``interrupted`` (Ctrl-C: the parameters reached so far).

    Raises
    ------
    DivergenceError
        When a batch loss becomes inf/NaN or an epoch's loss is more than twice
        the loss at the starting point.

    Examples
    --------
    Fit the mean of 1000 numbers by SGD on the squared error:

    >>> data = np.random.default_rng(0).normal(5.0, 1.0, size=1000)
    >>> def fg(x, rows, g):
    ...     r = x[0] - data[rows]
    ...     g[0] = 2 * r.mean()
    ...     return float((r * r).mean())
    >>> res = sgd(fg, [0.0], 1000, batch_size=100, learning_rate=0.1,
    ...           schedule="inverse", max_iter=50, tol=1e-3,
    ...           state=SGDState(rng=np.random.default_rng(0)))
    >>> res.stop_reason, bool(abs(res.x[0] - data.mean()) < 0.05)
    ('converged', True)
    """
    batch = _check_batch_size(batch_size)
    mu = check_momentum(momentum)
    check_tol_and_iter(tol, max_iter)
    linear = isinstance(schedule, str) and schedule == "linear"
    if linear:
        decay = linear_horizon(float(max_iter) if decay is None else decay)
    rate = make_schedule(schedule, learning_rate, decay)
    if early_stopping and validate is None:
        raise ValueError("`early_stopping=True` needs validation data (validation_fraction > 0)")
    st = SGDState() if state is None else state
    rows = np.arange(n_samples, dtype=np.intp) if indices is None else np.asarray(indices, np.intp)
    m = rows.shape[0]
    if m == 0:
        raise ValueError("SGD needs at least one training row; got 0")
    # The "linear" schedule: steps 0 .. budget - 1 of the run, counted by the state.
    budget: int | None = None
    if linear:
        budget = max(1, round(float(decay) * -(-m // batch)))  # type: ignore[arg-type]
        if st.step >= budget:
            raise ValueError(
                f"the 'linear' schedule has spent its horizon of {decay:g} epochs "
                f"({budget} steps, learning rate 0 at the end); start a new fit, or "
                "give a longer horizon (decay, or max_iter)"
            )
        lr0 = float(learning_rate)
    x = np.array(x0, dtype=np.result_type(np.asarray(x0).dtype, np.float32), copy=True)
    g = np.empty_like(x)
    gsum = np.empty_like(x)
    if mu > 0 and (st.velocity is None or st.velocity.shape != x.shape):
        st.velocity = np.zeros_like(x)
    start = time.perf_counter()
    hist = History("epoch") if history is None else history
    best_loss, best_x, waited = np.inf, x.copy(), 0
    stop, n_epochs = "max_iter", 0
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            if st.start_loss is None:
                st.start_loss = _reference_loss(batch_fun_grad, x, g, rows, batch, st.rng)
                if metrics is not None:
                    metrics()  # what the reference batches gathered is no epoch's
            for _ in range(max_iter):
                if budget is None:
                    lr, steps = rate(st.epoch), None
                else:
                    lr, steps = lr0 * (1.0 - st.step / budget), (lr0, budget)
                x_start = x.copy()
                loss = _epoch(
                    batch_fun_grad, x, g, gsum, st, rows, batch, lr, mu, nesterov, steps
                )
                st.epoch += 1
                n_epochs += 1
                record = {
                    "epoch": st.epoch,
                    "loss": loss,
                    "grad_norm": float(np.max(np.abs(gsum))),
                    "step_norm": float(np.linalg.norm(x - x_start)),
                    "learning_rate": lr,
                    "time": time.perf_counter() - start,
                }
                if has_diverged(loss, st.start_loss):
                    hist.append(**record)
                    hist.stop_reason = "diverged"
                    raise DivergenceError(
                        divergence_message(
                            "mini-batch SGD", f"in epoch {st.epoch}", lr, st.start_loss, loss
                        ),
                        hist,
                    )
                if metrics is not None:
                    record.update(metrics())
                if validate is not None:
                    record.update(validate(x))
                hist.append(**record)
                if early_stopping:
                    if record["val_loss"] < best_loss:
                        best_loss, waited = record["val_loss"], 0
                        best_x[...] = x
                    else:
                        waited += 1
                        if waited >= n_iter_no_change:
                            x[...] = best_x
                            stop = "early_stopping"
                            break
                if record["grad_norm"] <= tol:
                    stop = "converged"
                    break
                if callback is not None and callback(record):
                    stop = "callback"
                    break
                if budget is not None and st.step >= budget:
                    break  # the linear schedule's rate reached 0: "max_iter"
    except KeyboardInterrupt:
        stop = "interrupted"
    hist.stop_reason = stop
    last = hist.records[-1]["loss"] if hist.records else float("nan")
    return OptimizeResult(x=x, stop_reason=stop, n_iter=n_epochs, history=hist, fun=last)


def _reference_loss(
    fg: BatchFunGrad,
    x: NDArray[Any],
    g: NDArray[Any],
    rows: NDArray[np.intp],
    batch: int,
    rng: np.random.Generator,
) -> float:
    """Mean loss at the starting point over a few random batches (no update)."""
    take = rows[rng.permutation(rows.shape[0])[: batch * _REFERENCE_BATCHES]]
    total = 0.0
    for start in range(0, take.shape[0], batch):
        part = take[start : start + batch]
        total += fg(x, part, g) * part.shape[0]
    ref = total / take.shape[0]
    if not np.isfinite(ref):
        raise ValueError(f"the loss at the starting parameters is {ref}; check the data")
    return ref


def _epoch(
    fg: BatchFunGrad,
    x: NDArray[Any],
    g: NDArray[Any],
    gsum: NDArray[Any],
    st: SGDState,
    rows: NDArray[np.intp],
    batch: int,
    lr: float,
    mu: float,
    nesterov: bool,
    linear: tuple[float, int] | None = None,
) -> float:
    """One pass over ``rows`` in a new random order; returns the mean batch loss.

    With ``linear = (lr0, budget)`` the rate of step ``s`` is ``lr0 * (1 - s / budget)``
    and the pass ends early when the budget is spent.  Leaves the mean applied
    gradient in ``gsum``.  Kept free of allocations in the loop: the work per batch
    is the objective's plus three in-place array updates (and momentum's, into a
    step buffer made once per epoch).
    """
    m = rows.shape[0]
    order = rows[st.rng.permutation(m)]
    gsum.fill(0)
    # A buffer from an earlier call with momentum stays unused when this one has none.
    v = st.velocity if mu > 0 else None
    step = g if v is None else np.empty_like(g)
    total, seen = 0.0, 0
    for start in range(0, m, batch):
        if linear is not None:
            if st.step >= linear[1]:
                break
            lr = linear[0] * (1.0 - st.step / linear[1])
        part = order[start : start + batch]
        f = fg(x, part, g)
        if not f < np.inf:  # inf or NaN: stop at once, later batches would be NaN
            return float(f) if f == f else np.nan
        size = part.shape[0]
        total += f * size
        seen += size
        if size == batch:
            gsum += g
        else:
            gsum += g * (size / batch)
        if v is not None:
            momentum_step(g, v, mu, nesterov, out=step)
        step *= lr
        x -= step
        st.step += 1
    gsum *= batch / seen
    return total / seen
