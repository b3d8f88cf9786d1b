r"""Mini-batch stochastic gradient descent, reshuffled every epoch.

Each epoch visits the training rows once, in a fresh random order, in batches of
``batch_size``; every batch moves the parameters along its own gradient:

.. math:: v \leftarrow \mu v + g_B(\theta), \qquad \theta \leftarrow \theta - \eta_e v

with :math:`g_B` the gradient of the mean loss over the batch (plus the penalty),
:math:`\mu` the momentum (0: plain SGD) and :math:`\eta_e` the learning rate of epoch
:math:`e` from a schedule (the "linear" schedule changes it at every step, see
:mod:`~crossentropy.optim._schedules`).  The state that has to survive between calls
(epoch and step counters of the schedule, momentum buffer, random generator,
reference loss, the parameters themselves) lives in :class:`SGDState`, which is
what lets ``partial_fit`` carry the schedule over and a continued run equal an
uninterrupted one bit for bit.  The loop and its stop rules are shared with the
other solvers (:mod:`._loop`, :mod:`._rules`); an epoch is :mod:`._epochs`.

The per-epoch ``loss`` is the mean of the mini-batch losses of the epoch (free:
they are computed anyway) and ``grad_norm`` is the largest component of the mean
of the mini-batch gradients applied in the epoch, compared with ``tol``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import check_bool, check_integer
from ._epochs import Epochs
from ._history import History, OptimizeResult
from ._loop import run_loop, starting_point
from ._momentum import Momentum
from ._rules import (
    CallbackStop,
    Divergence,
    EarlyStopping,
    StepBudget,
    StopRule,
    Tolerance,
    check_stopping,
)
from ._schedules import LinearSteps, linear_horizon, make_schedule
from ._state import SGDState

__all__ = ["SGDState", "as_generator", "sgd"]

BatchFunGrad = Callable[[NDArray[Any], NDArray[np.intp], NDArray[Any]], float]
Validate = Callable[[NDArray[Any]], dict[str, float]]
Metrics = Callable[[], dict[str, float]]
Callback = Callable[[dict[str, float]], Any]


def as_generator(random_state: Any) -> np.random.Generator:
    """A NumPy ``Generator`` from None, an int, a ``Generator`` or a ``RandomState``."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"`random_state` must be a non-negative integer; got {random_state}")
        return np.random.default_rng(random_state)
    raise TypeError(
        "`random_state` must be None, an int, a numpy Generator or RandomState; "
        f"got {type(random_state).__name__}"
    )


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
        and return the parameters of the best epoch (needs ``validate``).  The
        count goes on across calls with the same ``state``.
    callback : callable, optional
        Called after every epoch with its history entry (a dict with ``epoch``);
        a true return value stops training (``"callback"``).
    history : History, optional
        Entries are appended here.
    state : SGDState, optional
        Carried between calls; updated in place.  ``sgd(..., state.x, ...,
        state=state)`` continues a run exactly where it ended.

    Returns
    -------
    OptimizeResult
        ``stop_reason`` is ``converged``, ``max_iter``, ``early_stopping``,
        ``callback`` or ``interrupted`` (Ctrl-C: the parameters of the last whole
        epoch; the epoch in progress is undone, so that the state can continue it
        exactly).

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
    batch = check_integer(batch_size, "batch_size", low=1)
    tol, max_iter = check_stopping(tol, max_iter)
    if check_bool(early_stopping, "early_stopping") and validate is None:
        raise ValueError("`early_stopping=True` needs validation data (validation_fraction > 0)")
    st = SGDState() if state is None else state
    rows = _training_rows(n_samples, indices)
    steps_per_epoch = -(-rows.shape[0] // batch)
    rate, linear = _rates(schedule, learning_rate, decay, max_iter, steps_per_epoch, st.step)
    x = starting_point(x0)
    mom = Momentum(momentum, nesterov, st.velocity, like=x)
    if mom.velocity is not None:
        st.velocity = mom.velocity
    hist = History("epoch") if history is None else history
    divergence = Divergence("mini-batch SGD", "epoch", hist)
    epochs = Epochs(
        batch_fun_grad, x, st, rows, batch, rate, linear, mom, divergence, hist, metrics, validate
    )
    rules: list[StopRule] = [divergence]
    if early_stopping:
        rules.append(EarlyStopping(x, n_iter_no_change, st.best))
    rules.append(Tolerance(tol))
    if callback is not None:
        rules.append(CallbackStop(callback))
    if linear is not None:
        rules.append(StepBudget(linear.budget, lambda: st.step))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        stop, n_epochs = run_loop(
            epochs,
            max_iter=max_iter,
            history=hist,
            rules=rules,
            start=epochs.start,
            on_interrupt=epochs.rollback,
        )
    st.x = x.copy()
    last = hist.records[-1]["loss"] if hist.records else float("nan")
    return OptimizeResult(x=x, stop_reason=stop, n_iter=n_epochs, history=hist, fun=last)


def _training_rows(n_samples: Any, indices: NDArray[np.intp] | None) -> NDArray[np.intp]:
    if indices is None:
        rows = np.arange(check_integer(n_samples, "n_samples", low=0), dtype=np.intp)
    else:
        rows = np.asarray(indices, np.intp)
    if rows.shape[0] == 0:
        raise ValueError("SGD needs at least one training row; got 0")
    return rows


def _rates(
    schedule: str | Callable[[int], float],
    learning_rate: Any,
    decay: Any,
    max_iter: int,
    steps_per_epoch: int,
    step: int,
) -> tuple[Callable[[int], float], LinearSteps | None]:
    """The schedule's ``epoch -> rate``, and for "linear" its step-by-step plan
    (the horizon defaults to ``max_iter`` epochs, counted from the state's step 0)."""
    linear = isinstance(schedule, str) and schedule == "linear"
    if linear:
        decay = linear_horizon(float(max_iter) if decay is None else decay)
    rate = make_schedule(schedule, learning_rate, decay)
    if not linear:
        return rate, None
    plan = LinearSteps.over(learning_rate, decay, steps_per_epoch)
    if plan.spent(step):
        raise ValueError(
            f"the 'linear' schedule has spent its horizon of {decay:g} epochs "
            f"({plan.budget} steps, learning rate 0 at the end); start a new fit, or "
            "give a longer horizon (decay, or max_iter)"
        )
    return rate, plan
