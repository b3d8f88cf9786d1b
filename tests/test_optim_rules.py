"""The shared optimisation loop, its stop rules and the small pieces of SGD."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from crossentropy.optim import DivergenceError, History
from crossentropy.optim._loop import StopLoop, run_loop, starting_point
from crossentropy.optim._momentum import Momentum
from crossentropy.optim._rules import (
    BestSoFar,
    CallbackStop,
    Divergence,
    EarlyStopping,
    StepBudget,
    StopRule,
    Tolerance,
    check_stopping,
    first_stop,
)
from crossentropy.optim._schedules import LinearSteps

# ---------------------------------------------------------------- the rules


def test_tolerance_stops_at_or_below_tol() -> None:
    rule = Tolerance(1e-3)
    assert rule({"grad_norm": 1e-3}) == "converged"  # "at most tol"
    assert rule({"grad_norm": np.nextafter(1e-3, 1.0)}) is None
    assert rule({"grad_norm": math.nan}) is None  # NaN never meets tol


def test_callback_stop_follows_the_callbacks_answer() -> None:
    seen: list[dict[str, float]] = []

    def cb(record: dict[str, float]) -> bool:
        seen.append(record)
        return record["epoch"] >= 2

    rule = CallbackStop(cb)
    assert rule({"epoch": 1}) is None and rule({"epoch": 2}) == "callback"
    assert [r["epoch"] for r in seen] == [1, 2]
    assert CallbackStop(lambda r: None)({"epoch": 1}) is None  # None is "go on"


def test_divergence_names_the_method_iteration_and_learning_rate() -> None:
    hist = History("epoch")
    rule = Divergence("mini-batch SGD", "epoch", hist, reference=2.0)
    assert rule({"epoch": 1, "loss": 4.0, "learning_rate": 0.5}) is None  # twice: still fine
    with pytest.raises(DivergenceError) as info:
        rule({"epoch": 3, "loss": 4.5, "learning_rate": 0.5})
    msg = str(info.value)
    assert msg.startswith("mini-batch SGD diverged in epoch 3: the loss went from 2 to 4.5")
    assert "learning_rate=0.5" in msg and "learning_rate=0.05" in msg
    assert info.value.history is hist and hist.stop_reason == "diverged"
    for bad in (math.inf, math.nan):
        assert rule.crossed(bad)


def test_early_stopping_waits_patience_records_and_restores_the_best() -> None:
    x = np.zeros(2)
    best = BestSoFar()
    rule = EarlyStopping(x, 2, best)
    np.testing.assert_array_equal(best.x, [0.0, 0.0])  # the starting point until one improves
    answers = []
    for value, val_loss in [(1.0, 0.5), (2.0, 0.4), (3.0, 0.4), (4.0, 0.45)]:
        x[:] = value
        answers.append(rule({"val_loss": val_loss}))
    # 0.4 does not improve on 0.4: ties wait.
    assert answers == [None, None, None, "early_stopping"]
    np.testing.assert_array_equal(x, [2.0, 2.0])
    assert best.loss == 0.4 and best.waited == 2


def test_early_stopping_without_any_improvement_returns_the_start() -> None:
    x = np.array([5.0])
    rule = EarlyStopping(x, 1, BestSoFar())
    x[0] = 9.0
    assert rule({"val_loss": math.nan}) == "early_stopping"
    np.testing.assert_array_equal(x, [5.0])


def test_early_stopping_continues_a_count_it_is_given() -> None:
    x = np.array([1.0])
    best = BestSoFar(loss=0.1, x=np.array([7.0]), waited=2)
    assert EarlyStopping(x, 3, best)({"val_loss": 0.2}) == "early_stopping"
    np.testing.assert_array_equal(x, [7.0])


def test_step_budget_ends_the_run_when_its_steps_are_spent() -> None:
    taken = [0]
    rule = StepBudget(3, lambda: taken[0])
    answers = []
    for n in (1, 2, 3, 4):
        taken[0] = n
        answers.append(rule({"epoch": 1.0}))
    assert answers == [None, None, "max_iter", "max_iter"]


def test_first_stop_asks_in_order() -> None:
    rules: list[StopRule] = [Tolerance(1.0), CallbackStop(lambda r: True)]
    assert first_stop(rules, {"grad_norm": 0.5}) == "converged"
    assert first_stop(rules, {"grad_norm": 2.0}) == "callback"
    assert first_stop([], {"grad_norm": 0.5}) is None


@pytest.mark.parametrize(
    ("tol", "max_iter", "match"),
    [
        (-1.0, 10, "`tol` must be"),
        (math.nan, 10, "`tol` must be"),
        ("0.1", 10, "`tol` must be a number; got str"),
        (0.0, 0, "`max_iter` must be an integer >= 1; got 0"),
        (0.0, 2.0, "`max_iter` must be an integer >= 1; got float"),
        (0.0, True, "`max_iter` must be an integer >= 1; got bool"),
    ],
)
def test_check_stopping_refuses_bad_options(tol: object, max_iter: object, match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        check_stopping(tol, max_iter)


def test_check_stopping_returns_plain_numbers() -> None:
    tol, max_iter = check_stopping(np.float32(0.5), np.int64(3))
    assert (tol, max_iter) == (0.5, 3) and type(tol) is float and type(max_iter) is int


# ---------------------------------------------------------------- the loop


def _counter(limit: int | None = None) -> tuple[list[int], Callable[[], dict[str, float]]]:
    calls: list[int] = []

    def step() -> dict[str, float]:
        calls.append(len(calls) + 1)
        if limit is not None and len(calls) == limit:
            raise KeyboardInterrupt
        return {"iteration": len(calls), "grad_norm": 1.0 / len(calls)}

    return calls, step


def test_loop_runs_its_budget_and_records_every_step() -> None:
    _, step = _counter()
    hist = History()
    assert run_loop(step, max_iter=4, history=hist) == ("max_iter", 4)
    assert [r["iteration"] for r in hist] == [1, 2, 3, 4] and hist.stop_reason == "max_iter"


def test_loop_stops_at_the_first_rule_that_says_so() -> None:
    _, step = _counter()
    hist = History()
    stop = run_loop(step, max_iter=10, history=hist, rules=[Tolerance(0.25)])
    assert stop == ("converged", 4) and len(hist) == 4 and hist.stop_reason == "converged"


def test_loop_asks_the_budget_rules_only_when_the_budget_is_spent() -> None:
    _, step = _counter()
    hist = History()
    at_end = [Tolerance(0.5)]
    assert run_loop(step, max_iter=3, history=hist, at_budget=at_end) == ("converged", 3)
    _, step = _counter()
    assert run_loop(step, max_iter=1, history=History(), at_budget=at_end) == ("max_iter", 1)


def test_a_step_can_end_the_loop_with_its_own_reason() -> None:
    def step() -> dict[str, float]:
        raise StopLoop("stalled")

    hist = History()
    assert run_loop(step, max_iter=5, history=hist) == ("stalled", 0)
    assert len(hist) == 0 and hist.stop_reason == "stalled"


def test_ctrl_c_ends_the_loop_cleanly_and_says_so() -> None:
    calls, step = _counter(limit=3)
    tidied: list[bool] = []
    hist = History()
    stop = run_loop(step, max_iter=10, history=hist, on_interrupt=lambda: tidied.append(True))
    assert stop == ("interrupted", 2) and calls == [1, 2, 3] and tidied == [True]
    assert len(hist) == 2 and hist.stop_reason == "interrupted"


def test_ctrl_c_in_the_start_and_in_a_rule_are_caught_too() -> None:
    def start() -> None:
        raise KeyboardInterrupt

    _, step = _counter()
    assert run_loop(step, max_iter=3, history=History(), start=start) == ("interrupted", 0)

    def impatient(record: dict[str, float]) -> None:
        raise KeyboardInterrupt

    _, step = _counter()
    hist = History()
    assert run_loop(step, max_iter=3, history=hist, rules=[impatient]) == ("interrupted", 1)
    assert len(hist) == 1  # the record was in before the rule ran


def test_errors_other_than_ctrl_c_propagate() -> None:
    def step() -> dict[str, float]:
        raise ValueError("bad data")

    hist = History()
    with pytest.raises(ValueError, match="bad data"):
        run_loop(step, max_iter=3, history=hist)
    assert hist.stop_reason is None


def test_starting_point_copies_in_a_float_dtype() -> None:
    x0 = np.zeros(2, dtype=np.float32)
    x = starting_point(x0)
    assert x.dtype == np.float32 and x is not x0
    assert starting_point([1, 2]).dtype == np.float64


# ---------------------------------------------------------------- SGD's pieces


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_directions_as_written(nesterov: bool) -> None:
    mom = Momentum(0.5, nesterov, None, like=np.zeros(1))
    v, got, want = 0.0, [], []
    for g in (1.0, -2.0, 4.0):
        v = 0.5 * v + g
        want.append(g + 0.5 * v if nesterov else v)
        got.append(float(mom.direction(np.array([g]))[0]))
    assert got == want
    assert mom.velocity is not None and float(mom.velocity[0]) == v


def test_momentum_zero_is_the_gradient_and_keeps_a_given_buffer() -> None:
    kept = np.array([3.0])
    mom = Momentum(0.0, False, kept, like=np.zeros(1))
    g = np.array([2.0])
    assert mom.direction(g) is g and mom.velocity is None
    np.testing.assert_array_equal(kept, [3.0])
    # A buffer of the right shape is continued; one of another shape is replaced.
    assert Momentum(0.9, False, kept, like=np.zeros(1)).velocity is kept
    fresh = Momentum(0.9, False, kept, like=np.zeros(3)).velocity
    assert fresh is not None and fresh.shape == (3,) and not fresh.any()


@pytest.mark.parametrize(
    ("momentum", "nesterov", "match"),
    [
        (1.0, False, r"`momentum` must be a finite number in \[0, 1\); got 1.0"),
        (-0.1, False, "`momentum`"),
        ("0.5", False, "`momentum` must be a number; got str"),
        (0.5, "yes", "`nesterov` must be True or False; got str 'yes'"),
        (0.5, 1, "`nesterov` must be True or False; got int 1"),
    ],
)
def test_momentum_refuses_bad_options(momentum: object, nesterov: object, match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        Momentum(momentum, nesterov, None, like=np.zeros(1))


def test_linear_steps_fall_to_zero_over_the_budget() -> None:
    plan = LinearSteps.over(3.0, horizon=2, steps_per_epoch=5)
    assert plan.budget == 10
    assert [plan.rate(s) for s in (0, 5, 9)] == [3.0, 1.5, 3.0 * (1 - 9 / 10)]
    assert not plan.spent(9) and plan.spent(10)
    assert LinearSteps.over(1.0, horizon=0.01, steps_per_epoch=5).budget == 1  # at least one
    with pytest.raises(ValueError, match="learning_rate"):
        LinearSteps.over(0.0, horizon=1, steps_per_epoch=5)
