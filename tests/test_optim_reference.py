"""The four solvers against plain reference implementations written here.

Each reference is the textbook loop in a few lines, with the same shuffling, schedule
and arithmetic as the solver documents; the solver must agree with it bit for bit
(``np.array_equal``), on float64 and float32 problems, so that any change to the
solvers' structure that changes a single rounding shows up here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scipy import linalg
from scipy.optimize import minimize

from crossentropy.optim import SGDState, gradient_descent, lbfgs, newton, sgd


def _logistic_problem(
    dtype: Any, n: int = 203, l2: float = 0.01
) -> tuple[Callable[..., float], Callable[..., float], Callable[..., Any]]:
    """Mean logistic loss + (l2 / 2) |w|^2: mini-batch, full-batch and Newton forms."""
    rng = np.random.default_rng(42)
    X = rng.normal(size=(n, 3)).astype(dtype)
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ np.array([1.5, -2.0, 0.5]))))).astype(dtype)

    def batch_fun_grad(w: np.ndarray, rows: np.ndarray, g: np.ndarray) -> float:
        z = X[rows] @ w
        p = 1 / (1 + np.exp(-z))
        g[...] = X[rows].T @ (p - y[rows]) / rows.shape[0] + l2 * w
        loss = np.logaddexp(0, z) - y[rows] * z
        return float(loss.mean() + 0.5 * l2 * w @ w)

    every = np.arange(n)

    def fun_grad(w: np.ndarray, g: np.ndarray) -> float:
        return batch_fun_grad(w, every, g)

    def fun_grad_hess(w: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        g = np.empty_like(w)
        f = fun_grad(w, g)
        p = 1 / (1 + np.exp(-(X @ w)))
        h = (X.T * (p * (1 - p))) @ X / n + l2 * np.eye(w.shape[0])
        return f, g, h

    return batch_fun_grad, fun_grad, fun_grad_hess


# ---------------------------------------------------------------- gradient descent


def _plain_gd(
    fun_grad: Callable[..., float],
    x0: np.ndarray,
    lr: float,
    n_iter: int,
    mu: float,
    nesterov: bool,
) -> np.ndarray:
    x, g, v = x0.copy(), np.empty_like(x0), np.zeros_like(x0)
    fun_grad(x, g)
    for _ in range(n_iter):
        v = mu * v + g
        x = x - lr * ((g + mu * v) if nesterov else v)
        fun_grad(x, g)
    return x


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("mu", "nesterov"), [(0.0, False), (0.7, False), (0.7, True)])
def test_gradient_descent_equals_the_plain_loop(dtype: Any, mu: float, nesterov: bool) -> None:
    _, fun_grad, _ = _logistic_problem(dtype)
    x0 = np.zeros(3, dtype=dtype)
    res = gradient_descent(
        fun_grad, x0, learning_rate=0.5, momentum=mu, nesterov=nesterov, max_iter=25, tol=0.0
    )
    assert res.stop_reason == "max_iter" and res.n_iter == 25
    want = _plain_gd(fun_grad, x0, 0.5, 25, mu, nesterov)
    assert res.x.dtype == want.dtype
    assert np.array_equal(res.x, want)


# ---------------------------------------------------------------- SGD


def _plain_sgd(
    fg: Callable[..., float],
    x0: np.ndarray,
    n: int,
    batch: int,
    epochs: int,
    seed: int,
    rate: Callable[[int, int], float],
    mu: float = 0.0,
    nesterov: bool = False,
    steps: int | None = None,
) -> tuple[np.ndarray, list[float]]:
    """Reshuffled mini-batch SGD: eight batches at x0 fix the divergence reference
    (one permutation of the generator), then each epoch one permutation; ``rate(epoch,
    step)`` gives each step's learning rate, ``steps`` ends the run early."""
    rng = np.random.default_rng(seed)
    rng.permutation(n)  # the reference batches at the start
    x, g, v = x0.copy(), np.empty_like(x0), np.zeros_like(x0)
    step, losses = 0, []
    for epoch in range(epochs):
        order = rng.permutation(n)
        total, seen = 0.0, 0
        for start in range(0, n, batch):
            if steps is not None and step >= steps:
                break
            rows = order[start : start + batch]
            total += fg(x, rows, g) * rows.shape[0]
            seen += rows.shape[0]
            v = mu * v + g
            x = x - rate(epoch, step) * ((g + mu * v) if nesterov else v)
            step += 1
        losses.append(total / seen)
    return x, losses


_SCHEDULES: dict[str, tuple[dict[str, Any], Callable[[int, int], float]]] = {
    "constant": ({"schedule": "constant"}, lambda e, s: 0.8),
    "inverse": ({"schedule": "inverse", "decay": 0.5}, lambda e, s: 0.8 / (1.0 + 0.5 * e)),
    # 203 rows in batches of 16: 13 steps per epoch, 6 epochs: 78 steps.
    "linear": ({"schedule": "linear"}, lambda e, s: 0.8 * (1.0 - s / 78)),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("schedule", sorted(_SCHEDULES))
@pytest.mark.parametrize(("mu", "nesterov"), [(0.0, False), (0.6, False), (0.6, True)])
def test_sgd_equals_the_plain_loop(dtype: Any, schedule: str, mu: float, nesterov: bool) -> None:
    fg, _, _ = _logistic_problem(dtype)
    kwargs, rate = _SCHEDULES[schedule]
    x0 = np.zeros(3, dtype=dtype)
    res = sgd(
        fg,
        x0,
        203,
        batch_size=16,
        learning_rate=0.8,
        momentum=mu,
        nesterov=nesterov,
        max_iter=6,
        tol=0.0,
        state=SGDState(rng=np.random.default_rng(3)),
        **kwargs,
    )
    want, losses = _plain_sgd(fg, x0, 203, 16, 6, 3, rate, mu, nesterov)
    assert res.x.dtype == want.dtype
    assert np.array_equal(res.x, want)
    assert np.array_equal(res.history["loss"], losses)


def test_sgd_linear_horizon_ends_within_an_epoch_as_the_plain_loop() -> None:
    fg, _, _ = _logistic_problem(np.float64)
    x0 = np.zeros(3)
    res = sgd(
        fg,
        x0,
        203,
        batch_size=16,
        learning_rate=0.8,
        schedule="linear",
        decay=2.5,  # 32.5 steps: 32 (round half to even), in the middle of epoch 3
        max_iter=10,
        tol=0.0,
        state=SGDState(rng=np.random.default_rng(5)),
    )
    want, losses = _plain_sgd(fg, x0, 203, 16, 3, 5, lambda e, s: 0.8 * (1.0 - s / 32), steps=32)
    assert res.stop_reason == "max_iter" and len(res.history) == 3
    assert np.array_equal(res.x, want)
    assert np.array_equal(res.history["loss"], losses)


# ---------------------------------------------------------------- Newton


def _plain_newton(fgh: Callable[..., Any], x0: np.ndarray, n_iter: int) -> np.ndarray:
    """Damped Newton: Cholesky direction, Armijo backtracking by halves."""
    x = x0.copy()
    f, g, h = fgh(x)
    for _ in range(n_iter):
        d = linalg.cho_solve(linalg.cho_factor(h), -g)
        t = 1.0
        while fgh(x + t * d)[0] > f + 1e-4 * t * float(g @ d):
            t *= 0.5
        x = x + t * d
        f, g, h = fgh(x)
    return x


def test_newton_equals_the_plain_loop() -> None:
    _, _, fgh = _logistic_problem(np.float64)
    x0 = np.array([4.0, 4.0, -4.0])  # far enough for the line search to halve steps
    res = newton(fgh, x0, max_iter=4, tol=0.0)
    assert res.stop_reason == "max_iter" and res.n_iter == 4
    assert min(res.history["learning_rate"]) < 1.0, "the line search must have halved a step"
    assert np.array_equal(res.x, _plain_newton(fgh, x0, 4))


# ---------------------------------------------------------------- L-BFGS


def test_lbfgs_equals_scipy_with_the_same_options() -> None:
    _, fun_grad, _ = _logistic_problem(np.float64)

    def fg(x: np.ndarray) -> tuple[float, np.ndarray]:
        g = np.empty_like(x)
        return fun_grad(x, g), g

    res = lbfgs(fg, np.zeros(3), max_iter=5, tol=0.0)
    want = minimize(
        fg,
        np.zeros(3),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 5, "maxfun": 30, "gtol": 0.0, "ftol": 0.0, "maxcor": 10},
    )
    assert res.stop_reason == "max_iter" and res.n_iter == 5
    assert np.array_equal(res.x, want.x)
