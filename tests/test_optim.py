"""Tests of crossentropy.optim: the four solvers, schedules, history, divergence."""

from __future__ import annotations

import numpy as np
import pytest

from crossentropy.optim import (
    STOP_REASONS,
    DivergenceError,
    History,
    SGDState,
    gradient_descent,
    lbfgs,
    make_schedule,
    newton,
    sgd,
)

# A strictly convex quadratic f(x) = 1/2 x'Ax - b'x with known minimiser A^-1 b.
A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -1.0])
X_STAR = np.linalg.solve(A, B)


def quad_fun_grad(x: np.ndarray, g: np.ndarray) -> float:
    g[...] = A @ x - B
    return float(0.5 * x @ A @ x - B @ x)


def quad_fgh(x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return float(0.5 * x @ A @ x - B @ x), A @ x - B, A


def test_gradient_descent_converges_to_the_minimiser() -> None:
    # The largest eigenvalue of A is 3.62, so 0.3 < 2/3.62 is stable.
    res = gradient_descent(quad_fun_grad, np.zeros(2), learning_rate=0.3, max_iter=500, tol=1e-10)
    assert res.stop_reason == "converged"
    # |x - x*| <= |g| / lambda_min(A) = 1e-10 / 1.38: 1e-9 leaves room.
    np.testing.assert_allclose(res.x, X_STAR, atol=1e-9)
    losses = res.history["loss"]
    assert np.all(np.diff(losses) <= 1e-15), "a stable learning rate only lowers a convex quadratic"
    assert res.history["grad_norm"][-1] <= 1e-10


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_converges(nesterov: bool) -> None:
    res = gradient_descent(
        quad_fun_grad,
        np.zeros(2),
        learning_rate=0.1,
        momentum=0.8,
        nesterov=nesterov,
        max_iter=2000,
        tol=1e-10,
    )
    assert res.stop_reason == "converged"
    np.testing.assert_allclose(res.x, X_STAR, atol=1e-9)


def test_gradient_descent_keeps_float32() -> None:
    res = gradient_descent(
        quad_fun_grad, np.zeros(2, dtype=np.float32), learning_rate=0.3, tol=1e-4
    )
    assert res.x.dtype == np.float32


def test_gradient_descent_max_iter() -> None:
    res = gradient_descent(quad_fun_grad, np.zeros(2), learning_rate=1e-3, max_iter=5)
    assert res.stop_reason == "max_iter" and res.n_iter == 5 and len(res.history) == 5


def test_divergence_names_the_learning_rate() -> None:
    # 10 is far beyond 2 / 3.62: the error must name it and suggest a smaller one.
    with pytest.raises(
        DivergenceError, match=r"learning_rate=10\b.*smaller.*learning_rate=1\b"
    ) as info:
        gradient_descent(quad_fun_grad, np.ones(2), learning_rate=10.0)
    assert isinstance(info.value, ValueError)
    assert info.value.history is not None and info.value.history.stop_reason == "diverged"


def test_callback_stops_and_sees_each_iteration() -> None:
    seen: list[int] = []

    def cb(record: dict[str, float]) -> bool:
        seen.append(int(record["iteration"]))
        return record["iteration"] >= 3

    res = gradient_descent(quad_fun_grad, np.zeros(2), learning_rate=0.1, callback=cb)
    assert res.stop_reason == "callback" and seen == [1, 2, 3]


def test_keyboard_interrupt_keeps_the_progress() -> None:
    calls = {"n": 0}

    def fg(x: np.ndarray, g: np.ndarray) -> float:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return quad_fun_grad(x, g)

    res = gradient_descent(fg, np.zeros(2), learning_rate=0.1)
    assert res.stop_reason == "interrupted" and res.n_iter == 2
    assert not np.array_equal(res.x, np.zeros(2))


def test_newton_is_exact_on_a_quadratic() -> None:
    res = newton(quad_fgh, np.zeros(2), tol=1e-12)
    assert res.stop_reason == "converged" and res.n_iter == 1
    np.testing.assert_allclose(res.x, X_STAR, rtol=1e-14)


def test_newton_line_search_on_a_nonquadratic() -> None:
    # f(x) = log(cosh(x)): a full Newton step from 1.5 overshoots and diverges.
    def fgh(x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        return float(np.log(np.cosh(x[0]))), np.tanh(x), np.diag(1 - np.tanh(x) ** 2)

    res = newton(fgh, [1.5], tol=1e-12)
    assert res.stop_reason == "converged"
    assert abs(res.x[0]) < 1e-12
    assert min(res.history["learning_rate"]) < 1.0, "the line search must have halved a step"


def test_lbfgs_matches_the_minimiser_and_records_history() -> None:
    def fg(x: np.ndarray) -> tuple[float, np.ndarray]:
        g = np.empty(2)
        return quad_fun_grad(x, g), g

    res = lbfgs(fg, np.zeros(2), tol=1e-10)
    assert res.stop_reason == "converged"
    np.testing.assert_allclose(res.x, X_STAR, atol=1e-9)
    assert len(res.history) == res.n_iter >= 1
    assert res.history["grad_norm"][-1] <= 1e-10


def test_lbfgs_callback_stop() -> None:
    def fg(x: np.ndarray) -> tuple[float, np.ndarray]:
        return float(np.sum(np.cosh(x))), np.sinh(x)

    res = lbfgs(fg, np.full(5, 3.0), tol=1e-12, callback=lambda r: r["iteration"] >= 2)
    assert res.stop_reason == "callback" and res.n_iter == 2


def test_lbfgs_tests_tol_on_the_callers_gradient_norm() -> None:
    # Minimise over u = 2 x (a reparametrisation): the gradient in u is half that in
    # x, and tol is meant for x's.  The norm hook sees both; the stop uses it.
    def fg(u: np.ndarray) -> tuple[float, np.ndarray]:
        g = np.empty(2)
        f = quad_fun_grad(u / 2, g)
        return f, g / 2

    seen: list[tuple[float, float]] = []

    def norm(u: np.ndarray, g: np.ndarray) -> float:
        seen.append((float(np.max(np.abs(g))), float(np.max(np.abs(2 * g)))))
        return float(np.max(np.abs(2 * g)))

    res = lbfgs(fg, np.zeros(2), tol=1e-9, grad_norm=norm)
    assert res.stop_reason == "converged"
    np.testing.assert_allclose(res.x / 2, X_STAR, atol=1e-9)
    assert res.history["grad_norm"][-1] <= 1e-9
    np.testing.assert_allclose(res.history["grad_norm"], [x for _, x in seen][: len(res.history)])


def _mean_problem(seed: int = 0) -> tuple[np.ndarray, object]:
    data = np.random.default_rng(seed).normal(5.0, 1.0, size=2000)

    def fg(x: np.ndarray, rows: np.ndarray, g: np.ndarray) -> float:
        r = x[0] - data[rows]
        g[0] = 2 * r.mean()
        return float((r * r).mean())

    return data, fg


def test_sgd_with_a_decaying_schedule_reaches_the_mean() -> None:
    data, fg = _mean_problem()
    res = sgd(
        fg,
        [0.0],
        data.size,
        batch_size=50,
        learning_rate=0.2,
        schedule="inverse",
        max_iter=200,
        tol=0.0,
        state=SGDState(rng=np.random.default_rng(1)),
    )
    assert res.stop_reason == "max_iter"
    # Robbins-Monro: the error shrinks like 1/sqrt(steps); 8000 steps, sd 1 per row.
    assert abs(res.x[0] - data.mean()) < 2e-3
    assert [r["epoch"] for r in res.history] == list(range(1, 201))


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_steps_as_written(nesterov: bool) -> None:
    # One batch per epoch: each epoch is one step, v <- mu v + g and x <- x - lr v
    # (Nesterov: x <- x - lr (g + mu v)), with g = 2 (x - mean) the exact gradient.
    data, fg = _mean_problem()
    lr, mu = 0.1, 0.5
    res = sgd(
        fg,
        [0.0],
        data.size,
        batch_size=data.size,
        learning_rate=lr,
        momentum=mu,
        nesterov=nesterov,
        max_iter=4,
        tol=0.0,
        state=SGDState(rng=np.random.default_rng(0)),
    )
    x, v = 0.0, 0.0
    for _ in range(4):
        g = 2 * (x - data.mean())
        v = mu * v + g
        x -= lr * (g + mu * v if nesterov else v)
    # The batch mean is summed in another order each epoch: a few ulps of 5.
    assert res.x[0] == pytest.approx(x, rel=1e-13)


def test_sgd_partial_calls_carry_the_schedule_over() -> None:
    data, fg = _mean_problem()
    state = SGDState(rng=np.random.default_rng(0))
    history = History("epoch")
    x = np.zeros(1)
    for _ in range(3):
        x = sgd(
            fg,
            x,
            data.size,
            batch_size=100,
            learning_rate=0.3,
            schedule="inverse",
            max_iter=1,
            tol=0.0,
            state=state,
            history=history,
        ).x
    assert state.epoch == 3
    np.testing.assert_allclose(history["learning_rate"], [0.3, 0.15, 0.1])


def test_linear_schedule_falls_by_step_to_zero_at_the_horizon() -> None:
    n, batch = 100, 10  # 10 steps per epoch

    def fg(x: np.ndarray, rows: np.ndarray, g: np.ndarray) -> float:
        g[0] = 1.0  # each step moves x by exactly its learning rate
        return 1.0

    state = SGDState(rng=np.random.default_rng(0))
    res = sgd(
        fg,
        [0.0],
        n,
        batch_size=batch,
        learning_rate=2.0,
        schedule="linear",
        max_iter=5,
        tol=0.0,
        state=state,
    )
    # Default horizon: max_iter = 5 epochs = 50 steps, eta_s = 2 (1 - s / 50).
    steps = np.arange(50)
    assert res.stop_reason == "max_iter" and state.step == 50 and state.epoch == 5
    assert -res.x[0] == pytest.approx(float(np.sum(2.0 * (1 - steps / 50))), rel=1e-12)
    np.testing.assert_allclose(res.history["learning_rate"], 2.0 * (1 - np.arange(5) / 5))

    # A horizon of 1.5 epochs stops in the middle of the second epoch.
    state = SGDState(rng=np.random.default_rng(0))
    res = sgd(
        fg,
        [0.0],
        n,
        batch_size=batch,
        learning_rate=1.0,
        schedule="linear",
        decay=1.5,
        max_iter=10,
        tol=0.0,
        state=state,
    )
    assert state.step == 15 and len(res.history) == 2 and res.stop_reason == "max_iter"
    assert -res.x[0] == pytest.approx(float(np.sum(1 - np.arange(15) / 15)), rel=1e-12)


def test_linear_schedule_carries_over_and_refuses_to_pass_its_horizon() -> None:
    data, fg = _mean_problem()
    kwargs = dict(batch_size=100, learning_rate=0.3, schedule="linear", decay=3, tol=0.0)
    whole = sgd(
        fg, [0.0], data.size, max_iter=3, state=SGDState(rng=np.random.default_rng(4)), **kwargs
    )
    state, history, x = SGDState(rng=np.random.default_rng(4)), History("epoch"), np.zeros(1)
    for _ in range(3):
        x = sgd(fg, x, data.size, max_iter=1, state=state, history=history, **kwargs).x
    # The same steps at the same rates on the same batches.
    np.testing.assert_allclose(x, whole.x, rtol=1e-12)
    np.testing.assert_allclose(history["learning_rate"], whole.history["learning_rate"])
    with pytest.raises(ValueError, match="horizon of 3 epochs"):
        sgd(fg, x, data.size, max_iter=1, state=state, **kwargs)


def test_sgd_metrics_cover_each_epochs_rows_once() -> None:
    # metrics() reports what the batches gathered since its last call: every epoch's
    # rows once, and not the batches that fix the divergence reference before epoch 1.
    data, fg = _mean_problem()
    seen = [0]

    def counting(x: np.ndarray, rows: np.ndarray, g: np.ndarray) -> float:
        seen[0] += rows.shape[0]
        return fg(x, rows, g)

    def metrics() -> dict[str, float]:
        out, seen[0] = {"rows": float(seen[0])}, 0
        return out

    res = sgd(
        counting,
        [0.0],
        data.size,
        batch_size=64,
        max_iter=3,
        tol=0.0,
        metrics=metrics,
        state=SGDState(rng=np.random.default_rng(0)),
    )
    np.testing.assert_array_equal(res.history["rows"], [data.size] * 3)


def test_sgd_is_reproducible_with_a_seed() -> None:
    data, fg = _mean_problem()
    runs = [
        sgd(
            fg,
            [0.0],
            data.size,
            batch_size=64,
            max_iter=3,
            state=SGDState(rng=np.random.default_rng(seed)),
        ).x
        for seed in (7, 7, 8)
    ]
    assert runs[0][0] == runs[1][0]
    assert runs[0][0] != runs[2][0], "the shuffling must come from the state's generator"


def test_sgd_early_stopping_restores_the_best_epoch() -> None:
    data, fg = _mean_problem()
    val_losses = iter([3.0, 2.0, 2.5, 2.6, 2.7, 9.0])
    seen: list[np.ndarray] = []

    def validate(x: np.ndarray) -> dict[str, float]:
        seen.append(x.copy())
        return {"val_loss": next(val_losses)}

    res = sgd(
        fg,
        [0.0],
        data.size,
        batch_size=200,
        learning_rate=0.01,
        max_iter=6,
        tol=0.0,
        validate=validate,
        early_stopping=True,
        n_iter_no_change=3,
        state=SGDState(rng=np.random.default_rng(0)),
    )
    assert res.stop_reason == "early_stopping"
    np.testing.assert_array_equal(res.x, seen[1])  # epoch 2 had the best val_loss
    np.testing.assert_array_equal(res.history["val_loss"], [3.0, 2.0, 2.5, 2.6, 2.7])


def test_sgd_divergence_is_a_clear_error() -> None:
    data, fg = _mean_problem()
    with pytest.raises(DivergenceError, match=r"mini-batch SGD diverged.*learning_rate=10\b"):
        sgd(
            fg,
            [0.0],
            data.size,
            batch_size=10,
            learning_rate=10.0,
            max_iter=5,
            state=SGDState(rng=np.random.default_rng(0)),
        )


def test_sgd_needs_validation_for_early_stopping() -> None:
    _, fg = _mean_problem()
    with pytest.raises(ValueError, match="early_stopping"):
        sgd(fg, [0.0], 10, early_stopping=True)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"momentum": 1.0}, "momentum"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1.0}, "tol"),
        ({"schedule": "cosine"}, "schedule"),
        # Strict types: a truthy string or a float where an integer belongs is a mistake.
        ({"nesterov": "yes"}, "`nesterov` must be True or False; got str 'yes'"),
        ({"early_stopping": "yes"}, "`early_stopping` must be True or False; got str"),
        ({"batch_size": 32.0}, "`batch_size` must be an integer >= 1; got float 32.0"),
        ({"max_iter": True}, "`max_iter` must be an integer >= 1; got bool"),
        ({"momentum": "0.5"}, "`momentum` must be a number; got str"),
        ({"tol": 10**400}, "`tol` must be .*; got an integer of 401 digits"),
        ({"learning_rate": 10**400}, "`learning_rate` must be .*; got an integer of 401 digits"),
        ({"schedule": "inverse", "decay": "1"}, "`decay` must be a number; got str"),
        ({"schedule": "exponential", "decay": 1.5}, r"`decay` must be .* \(0, 1\]; got 1.5"),
        ({"schedule": "linear", "decay": 0}, "`decay` must be"),
        ({"n_samples": 2.5}, "`n_samples` must be an integer >= 0; got float"),
    ],
)
def test_sgd_rejects_bad_options(kwargs: dict[str, object], match: str) -> None:
    _, fg = _mean_problem()
    kwargs = dict(kwargs)
    n = kwargs.pop("n_samples", 10)
    with pytest.raises((ValueError, TypeError), match=match):
        sgd(fg, [0.0], n, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"learning_rate": 0.0}, r"`learning_rate` must be a finite number in \(0, inf\)"),
        ({"learning_rate": "0.1"}, "`learning_rate` must be a number; got str"),
        ({"momentum": 1.0}, r"`momentum` must be a finite number in \[0, 1\); got 1.0"),
        ({"nesterov": 1}, "`nesterov` must be True or False; got int 1"),
        ({"max_iter": 0}, "`max_iter` must be an integer >= 1; got 0"),
        ({"tol": float("nan")}, "`tol` must be a finite number"),
    ],
)
def test_gradient_descent_rejects_bad_options(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        gradient_descent(quad_fun_grad, np.zeros(2), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_exact_solvers_reject_bad_stopping_options(solver: str) -> None:
    def fg(x: np.ndarray) -> tuple[float, np.ndarray]:
        return float(x @ x), 2 * x

    def run(**kwargs: object) -> None:
        if solver == "newton":
            newton(lambda x: (float(x @ x), 2 * x, 2 * np.eye(1)), [1.0], **kwargs)  # type: ignore[arg-type]
        else:
            lbfgs(fg, [1.0], **kwargs)  # type: ignore[arg-type]

    with pytest.raises((ValueError, TypeError), match="`max_iter` must be an integer >= 1; got 0"):
        run(max_iter=0)
    with pytest.raises((ValueError, TypeError), match="`tol` must be a finite number"):
        run(tol=-1.0)


def test_keyboard_interrupt_in_newton_before_any_step() -> None:
    def fgh(x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        raise KeyboardInterrupt

    res = newton(fgh, [1.0])
    assert res.stop_reason == "interrupted" and res.n_iter == 0 and np.isnan(res.fun)
    assert res.x.tolist() == [1.0]


def test_schedules() -> None:
    assert make_schedule("constant", 0.5)(10) == 0.5
    assert make_schedule("inverse", 1.0, decay=0.5)(2) == 0.5
    assert make_schedule("exponential", 1.0, decay=0.5)(3) == 0.125
    assert make_schedule(lambda e: 0.1 * (e + 1), 99.0)(1) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="invalid learning rate in epoch 0"):
        make_schedule(lambda e: -1.0, 1.0)(0)
    with pytest.raises(ValueError, match="decay"):
        make_schedule("exponential", 1.0, decay=1.5)
    linear = make_schedule("linear", 3.0, decay=3)
    assert [linear(e) for e in range(3)] == [3.0, 2.0, 1.0]
    with pytest.raises(ValueError, match="horizon of 3 epochs"):
        linear(3)
    with pytest.raises(ValueError, match="horizon"):
        make_schedule("linear", 1.0)


def test_history_access() -> None:
    h = History("epoch")
    h.append(loss=2.0, grad_norm=1.0)
    h.append(loss=1.0, grad_norm=0.5, val_loss=1.5)
    assert h.keys() == ["loss", "grad_norm", "val_loss"]
    np.testing.assert_array_equal(h["val_loss"], [1.5])
    assert h[0] == {"loss": 2.0, "grad_norm": 1.0}
    assert h.as_dict()["loss"] == [2.0, 1.0]
    with pytest.raises(KeyError, match="val_accuracy"):
        h["val_accuracy"]
    assert set(STOP_REASONS) >= {
        "converged",
        "max_iter",
        "diverged",
        "separation",
        "early_stopping",
    }
