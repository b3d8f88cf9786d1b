"""Exact continuation of SGD: a run split into calls, or cut by Ctrl-C, and continued
from its state, ends with the same arrays as one uninterrupted run (``np.array_equal``).

Equality is demanded bit for bit: every rounding of the uninterrupted run must be
repeated, so any part of the run's state that a call does not carry over (generator
position, step counter, momentum, divergence reference, early stopping's memory,
the parameters themselves) shows up as a difference.
"""

from __future__ import annotations

import os
import signal
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from crossentropy.optim import History, OptimizeResult, SGDState, sgd

N, BATCH = 203, 16  # 13 batches per epoch, the last one of 11 rows
EPOCHS = 20


def _regression(dtype: Any = np.float32) -> Callable[..., float]:
    """Mean squared error of a linear model with two outputs (a flat x of 8)."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(N, 3)).astype(dtype)
    Y = (X @ rng.normal(size=(3, 2)) + 0.3 * rng.normal(size=(N, 2)) + 1.0).astype(dtype)
    X1 = np.hstack([np.ones((N, 1), dtype), X])

    def fg(x: np.ndarray, rows: np.ndarray, g: np.ndarray) -> float:
        W = x.reshape(4, 2)
        r = X1[rows] @ W - Y[rows]
        g[...] = (2.0 / rows.shape[0] * (X1[rows].T @ r)).ravel()
        return float(np.mean(r * r) * 2)

    return fg


_SETTINGS: dict[str, dict[str, Any]] = {
    "constant": {"schedule": "constant", "learning_rate": 0.05},
    "inverse+momentum": {"schedule": "inverse", "learning_rate": 0.05, "momentum": 0.8},
    "linear+nesterov": {
        "schedule": "linear",
        "decay": EPOCHS,  # the horizon of the whole run, whichever call
        "learning_rate": 0.05,
        "momentum": 0.5,
        "nesterov": True,
    },
}


def _run(
    fg: Callable[..., float],
    epochs: int,
    state: SGDState,
    history: History,
    x0: Any = None,
    **kwargs: Any,
) -> OptimizeResult:
    start = np.zeros(8, np.float32) if x0 is None else x0
    kw = {"batch_size": BATCH, "tol": 0.0, **kwargs}
    return sgd(fg, start, N, max_iter=epochs, state=state, history=history, **kw)


def _assert_same_run(a: SGDState, ha: History, b: SGDState, hb: History) -> None:
    assert a.x is not None and b.x is not None
    assert np.array_equal(a.x, b.x)
    assert (a.velocity is None) == (b.velocity is None)
    if a.velocity is not None:
        assert np.array_equal(a.velocity, b.velocity)  # type: ignore[arg-type]
    assert (a.epoch, a.step, a.start_loss) == (b.epoch, b.step, b.start_loss)
    assert a.rng.bit_generator.state == b.rng.bit_generator.state
    for key in ("epoch", "loss", "grad_norm", "step_norm", "learning_rate"):
        assert np.array_equal(ha[key], hb[key]), key


def _whole(
    fg: Callable[..., float], settings: dict[str, Any], **extra: Any
) -> tuple[SGDState, History]:
    state, hist = SGDState(rng=np.random.default_rng(11)), History("epoch")
    _run(fg, EPOCHS, state, hist, **settings, **extra)
    return state, hist


@pytest.mark.parametrize("name", sorted(_SETTINGS))
@pytest.mark.parametrize("first", [4, 12])
def test_continuing_from_the_state_equals_one_run(name: str, first: int) -> None:
    fg, settings = _regression(), _SETTINGS[name]
    whole, whole_hist = _whole(fg, settings)
    state, hist = SGDState(rng=np.random.default_rng(11)), History("epoch")
    _run(fg, first, state, hist, **settings)
    assert state.epoch == first and state.x is not None
    res = _run(fg, EPOCHS - first, state, hist, x0=state.x, **settings)
    assert res.stop_reason == "max_iter"
    _assert_same_run(whole, whole_hist, state, hist)
    assert np.array_equal(res.x, whole.x)  # type: ignore[arg-type]


def test_one_epoch_per_call_equals_one_run() -> None:
    # As partial_fit calls it: max_iter=1, twenty times.
    fg, settings = _regression(np.float64), _SETTINGS["linear+nesterov"]
    whole, whole_hist = _whole(fg, settings)
    state, hist = SGDState(rng=np.random.default_rng(11)), History("epoch")
    x = None
    for _ in range(EPOCHS):
        x = _run(fg, 1, state, hist, x0=x, **settings).x
    _assert_same_run(whole, whole_hist, state, hist)


def test_the_state_holds_the_iterate_apart_from_the_result() -> None:
    fg = _regression()
    state = SGDState(rng=np.random.default_rng(0))
    res = _run(fg, 2, state, History("epoch"), **_SETTINGS["constant"])
    assert state.x is not None and state.x is not res.x and np.array_equal(state.x, res.x)
    res.x[...] = 0  # what the caller does with the result does not touch the state
    assert np.any(state.x != 0)


# ---------------------------------------------------------------- Ctrl-C


class _InterruptAt:
    """Raises KeyboardInterrupt at the n-th call of the objective (or of a hook)."""

    def __init__(self, fg: Callable[..., Any], n: int) -> None:
        self.fg, self.n, self.calls = fg, n, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        if self.calls == self.n:
            raise KeyboardInterrupt
        return self.fg(*args)


# The first 8 calls fix the divergence reference; then 13 batches per epoch.
@pytest.mark.parametrize(
    "call",
    [1, 8, 9, 21, 22, 8 + 13 * 5 + 7, 8 + 13 * 20],
    ids=["reference", "last-reference", "epoch1", "last-batch", "epoch2", "epoch6", "last"],
)
def test_ctrl_c_in_a_batch_undoes_the_epoch_and_the_run_continues_exactly(call: int) -> None:
    fg, settings = _regression(), _SETTINGS["linear+nesterov"]
    whole, whole_hist = _whole(fg, settings)
    state, hist = SGDState(rng=np.random.default_rng(11)), History("epoch")
    cut = _run(_InterruptAt(fg, call), EPOCHS, state, hist, **settings)
    assert cut.stop_reason == "interrupted" and hist.stop_reason == "interrupted"
    done = max(0, (call - 9) // 13)  # whole epochs before the interrupted batch
    assert cut.n_iter == len(hist) == state.epoch == done
    assert state.step == 13 * done
    # The parameters are those of the last whole epoch: a run of that length.
    if done:
        ref_state, ref_hist = SGDState(rng=np.random.default_rng(11)), History("epoch")
        _run(fg, done, ref_state, ref_hist, **settings)
        _assert_same_run(ref_state, ref_hist, state, hist)
        assert np.array_equal(cut.x, ref_state.x)  # type: ignore[arg-type]
    else:
        assert not np.any(cut.x)
        # Cut among the batches that fix the divergence reference: as if never started.
        assert (state.start_loss is None) == (call <= 8)
        fresh = np.random.default_rng(11).bit_generator.state
        assert (state.rng.bit_generator.state == fresh) == (call <= 8)
    _run(fg, EPOCHS - done, state, hist, x0=state.x, **settings)
    _assert_same_run(whole, whole_hist, state, hist)


@pytest.mark.parametrize("where", ["metrics", "validate", "callback"])
@pytest.mark.parametrize("epoch", [1, 7])
def test_ctrl_c_in_a_hook_keeps_the_epoch_only_once_it_is_recorded(where: str, epoch: int) -> None:
    fg, settings = _regression(), _SETTINGS["inverse+momentum"]
    hooks: dict[str, Callable[..., Any]] = {
        "metrics": lambda: {"m": 1.0},
        "validate": lambda x: {"val_loss": float(np.sum(x * x))},
        "callback": lambda record: False,
    }
    whole, whole_hist = _whole(fg, settings, **hooks)
    # metrics runs once after the reference batches, then once per epoch.
    nth = epoch + 1 if where == "metrics" else epoch
    cut_hooks = dict(hooks)
    cut_hooks[where] = _InterruptAt(hooks[where], nth)
    state, hist = SGDState(rng=np.random.default_rng(11)), History("epoch")
    cut = _run(fg, EPOCHS, state, hist, **settings, **cut_hooks)
    assert cut.stop_reason == "interrupted"
    # The callback sees a recorded epoch: it stays. Before that, the epoch is undone.
    done = epoch if where == "callback" else epoch - 1
    assert len(hist) == state.epoch == done
    _run(fg, EPOCHS - done, state, hist, x0=state.x, **settings, **hooks)
    _assert_same_run(whole, whole_hist, state, hist)


def test_metrics_drop_what_an_undone_epoch_gathered() -> None:
    fg = _regression()
    rows = [0]

    def counting(x: np.ndarray, r: np.ndarray, g: np.ndarray) -> float:
        rows[0] += r.shape[0]
        return fg(x, r, g)

    def metrics() -> dict[str, float]:
        out, rows[0] = {"rows": float(rows[0])}, 0
        return out

    state, hist = SGDState(rng=np.random.default_rng(0)), History("epoch")
    cut = _run(_InterruptAt(counting, 8 + 13 + 5), 3, state, hist, metrics=metrics)
    assert cut.stop_reason == "interrupted" and len(hist) == 1
    _run(counting, 2, state, hist, x0=state.x, metrics=metrics)
    np.testing.assert_array_equal(hist["rows"], [N, N, N])  # not N + 4 rows in epoch 2


@pytest.mark.parametrize("delay", [0.001, 0.01, 0.03, 0.06, 0.1])
def test_a_real_sigint_at_any_moment_leaves_a_state_that_continues_exactly(delay: float) -> None:
    fg, settings = _regression(), _SETTINGS["linear+nesterov"]
    epochs = 1000  # far longer than the longest delay
    settings = settings | {"decay": epochs}
    state, hist = SGDState(rng=np.random.default_rng(3)), History("epoch")
    _run(fg, epochs, state, hist, **settings)

    armed = [True]

    def on_sigint(signum: int, frame: Any) -> None:
        if armed[0]:  # as Python's own handler, until the run is over
            raise KeyboardInterrupt

    cut_state, cut_hist = SGDState(rng=np.random.default_rng(3)), History("epoch")
    previous = signal.signal(signal.SIGINT, on_sigint)
    timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
    try:
        try:
            timer.start()
            _run(fg, epochs, cut_state, cut_hist, **settings)
        except KeyboardInterrupt:
            # It came just before sgd started or as it returned: outside its handling,
            # and the state is whole all the same.
            pass
        armed[0] = False
        timer.join()
    finally:
        armed[0] = False
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert len(cut_hist) == cut_state.epoch
    assert cut_state.step == 13 * cut_state.epoch
    if cut_state.epoch < epochs:
        _run(fg, epochs - cut_state.epoch, cut_state, cut_hist, x0=cut_state.x, **settings)
    _assert_same_run(state, hist, cut_state, cut_hist)


# ---------------------------------------------------------------- early stopping


def test_early_stopping_counts_on_across_calls() -> None:
    # The validation losses of epochs 1..: best at epoch 4, then three without improvement.
    losses = [5.0, 4.0, 3.5, 3.0, 3.2, 3.1, 3.3, 2.0, 1.0]
    fg = _regression()

    def validation() -> Callable[[np.ndarray], dict[str, float]]:
        it = iter(losses)
        return lambda x: {"val_loss": next(it)}

    kw: dict[str, Any] = {"learning_rate": 0.05, "early_stopping": True, "n_iter_no_change": 3}
    state, hist = SGDState(rng=np.random.default_rng(1)), History("epoch")
    whole = _run(fg, 9, state, hist, validate=validation(), **kw)
    assert whole.stop_reason == "early_stopping" and len(hist) == 7

    split, split_hist = SGDState(rng=np.random.default_rng(1)), History("epoch")
    validate = validation()
    first = _run(fg, 5, split, split_hist, validate=validate, **kw)  # best at 4, one without
    assert first.stop_reason == "max_iter" and split.best.waited == 1
    res = _run(fg, 4, split, split_hist, x0=split.x, validate=validate, **kw)
    assert res.stop_reason == "early_stopping" and len(split_hist) == 7
    assert np.array_equal(res.x, whole.x)
    assert split.best.loss == 3.0 and np.array_equal(split.best.x, state.best.x)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the estimators


def test_partial_fit_continuing_fit_equals_the_longer_fit() -> None:
    from sklearn.datasets import load_digits

    from crossentropy.models import SoftmaxRegression

    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    kw: dict[str, Any] = {"solver": "sgd", "learning_rate": 1.0, "schedule": "linear"}
    kw |= {"momentum": 0.5, "max_iter": 6, "random_state": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = SoftmaxRegression(**kw).fit(X, y)
        cut = SoftmaxRegression(callback=lambda r: r["epoch"] >= 2, **kw).fit(X, y)
        cut.callback = None
        while len(cut.history_) < 6:
            cut.partial_fit(X, y)
    # coef_ is the centred representative of the parameters; the SGD state keeps the
    # iterate itself, from which the run continues as the uninterrupted one.
    assert np.array_equal(cut.coef_, whole.coef_)
    assert np.array_equal(cut.intercept_, whole.intercept_)
