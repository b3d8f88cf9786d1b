"""Rooms 1 and 2: a line through the blood-pressure data by hand, and the learning rate.

The 33 women's systolic blood pressure (mmHg) against age.  The line is
``sbp = b + a * x`` with ``x`` the age in one of three scales: years as given,
years from the mean age ("centred"), or decades from the mean age.  Every number
comes from the library: the mean squared error from :func:`crossentropy.losses.squared_error`,
the exact fit and its standard errors from :class:`crossentropy.models.LinearRegression`,
and each step of gradient descent from that estimator with ``solver="gd"``, started
at the line on the page (``coef_init``) and stopped after one iteration.

The mean squared error of a line is a quadratic in (b, a) whose Hessian
:math:`\\tfrac{2}{n} X_1^T X_1` (:math:`X_1` = the columns 1 and x) does not depend on
the line: its largest eigenvalue :math:`L` bounds the stable learning rates,
:math:`\\eta < 2 / L`, and the ratio of its eigenvalues says how many steps the
flattest direction needs.  Centring the age removes the coupling of b and a;
measuring it in decades makes both curvatures alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._inputs import Body, blame
from ._steps import stop_after

__all__ = [
    "AGE_SCALES",
    "line_descend",
    "line_evaluate",
    "line_setup",
    "rate_descend",
    "rate_setup",
]

#: How the age enters the line: (name, label of the axis, offset, unit in years).
AGE_SCALES = ("years", "centred", "decades")
MAX_LINE_STEPS = 500
MAX_RATE_STEPS = 200
_SURFACE_POINTS = 81


@dataclass(frozen=True)
class LineProblem:
    """The data in one age scale, and what the page needs to know about it."""

    scale: str
    age: NDArray[np.float64]
    sbp: NDArray[np.float64]
    x: NDArray[np.float64]
    xlabel: str
    offset: float
    unit: float
    a_range: tuple[float, float]
    b_range: tuple[float, float]
    start: tuple[float, float]


@cache
def line_problem(scale: str) -> LineProblem:
    """The blood-pressure line with the age in ``scale`` (one of :data:`AGE_SCALES`)."""
    from ..datasets import load_blood_pressure

    d = load_blood_pressure()
    mean_age = float(np.mean(d.age))
    if scale == "years":
        offset, unit, xlabel = 0.0, 1.0, "age (years)"
        a_range, b_range, start = (-1.0, 3.5), (0.0, 220.0), (2.5, 40.0)
    elif scale == "centred":
        offset, unit, xlabel = mean_age, 1.0, f"age - {mean_age:.2f} (years from the mean)"
        a_range, b_range, start = (-1.0, 3.5), (80.0, 200.0), (2.5, 110.0)
    else:
        offset, unit, xlabel = mean_age, 10.0, f"(age - {mean_age:.2f}) / 10 (decades)"
        a_range, b_range, start = (-10.0, 35.0), (80.0, 200.0), (25.0, 110.0)
    x = (d.age - offset) / unit
    return LineProblem(scale, d.age, d.sbp, x, xlabel, offset, unit, a_range, b_range, start)


def _scale(body: Body) -> LineProblem:
    return line_problem(body.choice("scale", AGE_SCALES, default="years"))


def _floats(values: Any) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def mean_squared_error(prob: LineProblem, a: Any, b: Any) -> Any:
    """MSE of the lines ``b + a * x`` (broadcast over a and b), by the library's loss."""
    from ..losses import squared_error

    a_arr, b_arr = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    pred = b_arr[..., None] + a_arr[..., None] * prob.x
    return np.mean(squared_error(prob.sbp, pred), axis=-1)


def curvatures(prob: LineProblem) -> dict[str, float]:
    """Eigenvalues of the Hessian of the MSE over (b, a): the bowl's steepest and flattest."""
    x1 = np.column_stack([np.ones_like(prob.x), prob.x])
    low, high = np.linalg.eigvalsh(2.0 * x1.T @ x1 / prob.x.shape[0])
    return {
        "largest": float(high),
        "smallest": float(low),
        "max_rate": float(2.0 / high),
        "condition": float(high / low),
        # Along the flattest direction the error shrinks by |1 - rate * smallest|
        # per step; at the largest stable rate that takes about this many steps
        # to shrink a thousandfold.
        "steps_per_thousandfold": float(math.log(1000.0) / -math.log1p(-2.0 * low / high)),
    }


def least_squares(prob: LineProblem) -> dict[str, Any]:
    """The exact fit with its standard errors (statsmodels' OLS numbers)."""
    from ..models import LinearRegression

    m = LinearRegression().fit(prob.x[:, None], prob.sbp)
    b, a = (float(v) for v in m.params_)
    se_b, se_a = (float(v) for v in m.bse_)
    return {
        "a": a,
        "b": b,
        "se_a": se_a,
        "se_b": se_b,
        "mse": float(m.history_["loss"][-1]),
        "sigma": float(m.sigma_),
        "rsquared": float(m.rsquared_),
    }


def _surface(prob: LineProblem) -> dict[str, Any]:
    a = np.linspace(*prob.a_range, _SURFACE_POINTS)
    b = np.linspace(*prob.b_range, _SURFACE_POINTS)
    # Rows over b, columns over a: mse[i][j] is the line b[i] + a[j] * x.
    mse = mean_squared_error(prob, a[None, :], b[:, None])
    return {"a": _floats(a), "b": _floats(b), "mse": [_floats(row) for row in mse]}


@cache
def _setup(scale: str) -> dict[str, Any]:
    prob = line_problem(scale)
    best = least_squares(prob)
    # Contour levels: the minimum times 1 + 2^k, dense near the bottom of the bowl.
    levels = [best["mse"] * (1.0 + 2.0**k) for k in range(-4, 9)]
    return {
        "scale": scale,
        "age": _floats(prob.age),
        "sbp": _floats(prob.sbp),
        "x": _floats(prob.x),
        "xlabel": prob.xlabel,
        "offset": prob.offset,
        "unit": prob.unit,
        "a_range": list(prob.a_range),
        "b_range": list(prob.b_range),
        "start": {"a": prob.start[0], "b": prob.start[1]},
        "least_squares": best,
        "curvature": curvatures(prob),
        "surface": _surface(prob),
        "levels": levels,
    }


def line_setup(body: Body) -> dict[str, Any]:
    """Data, slider ranges, the exact fit, the curvatures and the MSE surface of a scale."""
    prob = _scale(body)
    return _setup(prob.scale)


def _line(body: Body) -> tuple[float, float]:
    return body.number("a", low=-1e6, high=1e6), body.number("b", low=-1e6, high=1e6)


def _evaluation(prob: LineProblem, a: float, b: float) -> dict[str, Any]:
    from ..losses import squared_error

    pred = b + a * prob.x
    return {
        "a": a,
        "b": b,
        "mse": float(np.mean(squared_error(prob.sbp, pred))),
        "predicted": _floats(pred),
        "residuals": _floats(prob.sbp - pred),
    }


def line_evaluate(body: Body) -> dict[str, Any]:
    """The mean squared error of the line (a, b), its predictions and residuals."""
    prob = _scale(body)
    a, b = _line(body)
    return _evaluation(prob, a, b)


def _gd_fit(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    start: tuple[float, float | None],
    rate: float,
    steps: int,
) -> Any:
    """``LinearRegression(solver="gd")`` from ``start`` = (a, b) for exactly ``steps``
    iterations (``b`` None: no intercept).  Raises the library's DivergenceError."""
    from ..models import LinearRegression

    a, b = start
    model = LinearRegression(
        solver="gd",
        learning_rate=rate,
        max_iter=steps + 1,
        tol=0.0,
        fit_intercept=b is not None,
        callback=stop_after(steps),
    )
    if b is None:
        return model.fit(x[:, None], y, coef_init=[a])
    return model.fit(x[:, None], y, coef_init=[a], intercept_init=b)


def gd_steps(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    start: tuple[float, float | None],
    rate: float,
    steps: int,
) -> tuple[list[tuple[float, float | None]], list[float], str | None]:
    """``steps`` iterations of the library's gradient descent from ``start`` = (a, b).

    Each iteration is one fit started at the previous point, so that every point
    of the path is the estimator's own.  Returns the points after each step, the
    MSE after each step, and the library's divergence message if it stopped there.
    """
    from ..optim import DivergenceError

    a, b = start
    path: list[tuple[float, float | None]] = []
    losses: list[float] = []
    for _ in range(steps):
        try:
            model = _gd_fit(x, y, (a, b), rate, 1)
        except DivergenceError as exc:
            return path, losses, str(exc)
        a = float(model.coef_[0])
        b = None if b is None else float(model.intercept_)
        path.append((a, b))
        losses.append(float(model.history_["loss"][-1]))
    return path, losses, None


def run_verdict(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    start: tuple[float, float | None],
    rate: float,
    steps: int,
) -> tuple[int, str] | None:
    """The library's verdict on ``steps`` iterations from ``start`` as one run.

    Gradient descent raises :class:`~crossentropy.optim.DivergenceError` when the
    loss passes twice its value at the start of the run; this one fit says whether,
    and in which iteration, that happened.  None: it did not.
    """
    from ..optim import DivergenceError

    try:
        _gd_fit(x, y, start, rate, steps)
    except DivergenceError as exc:
        history = exc.history
        return (len(history) if history is not None else 1), str(exc)
    return None


def _descend(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    start: tuple[float, float | None],
    rate: float,
    steps: int,
) -> tuple[list[tuple[float, float | None]], list[float], str | None]:
    path, losses, message = gd_steps(x, y, start, rate, steps)
    if message is None:
        verdict = run_verdict(x, y, start, rate, steps)
        if verdict is not None:
            stop, message = verdict
            path, losses = path[:stop], losses[:stop]
    return path, losses, message


def _rate(body: Body) -> float:
    return body.number("rate", low=0.0, low_open=True, high=1e6)


def line_descend(body: Body) -> dict[str, Any]:
    """``steps`` steps of gradient descent from the line (a, b) at ``rate``."""
    prob = _scale(body)
    a, b = _line(body)
    rate = _rate(body)
    steps = body.integer("steps", low=1, high=MAX_LINE_STEPS, default=1)
    path, losses, message = _descend(prob.x, prob.sbp, (a, b), rate, steps)
    end_a, end_b = path[-1] if path else (a, b)
    out = _evaluation(prob, end_a, b if end_b is None else end_b)
    out.update(
        path=[{"a": pa, "b": pb, "mse": f} for (pa, pb), f in zip(path, losses, strict=True)],
        diverged=message,
        rate=rate,
        max_rate=curvatures(prob)["max_rate"],
    )
    return out


# ---------------------------------------------------------------- room 2: the rate
@dataclass(frozen=True)
class RateProblem:
    """The slope of the line through the centre of the data, age in decades.

    With the age centred the best intercept is the mean pressure whatever the
    slope, so the MSE over the slope alone, :math:`\\overline{(y_c - a x)^2}`, is a
    parabola of curvature :math:`L = 2\\,\\overline{x^2}`.
    """

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    curvature: float
    best: float
    window: tuple[float, float]
    start: float


@cache
def rate_problem() -> RateProblem:
    from ..models import LinearRegression

    prob = line_problem("decades")
    y = prob.sbp - np.mean(prob.sbp)
    best = float(LinearRegression(fit_intercept=False).fit(prob.x[:, None], y).coef_[0])
    curvature = float(2.0 * np.mean(prob.x**2))
    return RateProblem(prob.x, y, curvature, best, (best - 14.0, best + 14.0), best - 10.0)


def _rate_mse(prob: RateProblem, a: Any) -> Any:
    from ..losses import squared_error

    a_arr = np.asarray(a, dtype=np.float64)
    return np.mean(squared_error(prob.y, a_arr[..., None] * prob.x), axis=-1)


@lru_cache(maxsize=1)
def _rate_setup() -> dict[str, Any]:
    prob = rate_problem()
    a = np.linspace(*prob.window, 201)
    return {
        "a": _floats(a),
        "mse": _floats(_rate_mse(prob, a)),
        "best": prob.best,
        "best_mse": float(_rate_mse(prob, prob.best)),
        "curvature": prob.curvature,
        "one_step_rate": 1.0 / prob.curvature,
        "max_rate": 2.0 / prob.curvature,
        "window": list(prob.window),
        "start": prob.start,
        "xlabel": "slope a (mmHg per decade of age)",
    }


def rate_setup(body: Body) -> dict[str, Any]:
    """The loss curve over the slope, its minimum, L, 1/L and 2/L."""
    return _rate_setup()


def rate_descend(body: Body) -> dict[str, Any]:
    """The path of ``steps`` gradient-descent steps from ``start`` at ``rate``, as one run."""
    prob = rate_problem()
    start = body.number("start", low=-1e4, high=1e4)
    rate = _rate(body)
    steps = body.integer("steps", low=0, high=MAX_RATE_STEPS)
    path, losses, message = (
        _descend(prob.x, prob.y, (start, None), rate, steps) if steps else ([], [], None)
    )
    # Each step multiplies the distance to the minimum by 1 - rate * L.
    factor = 1.0 - rate * prob.curvature
    with blame("start"):
        start_mse = float(_rate_mse(prob, start))
    return {
        "start": start,
        "start_mse": start_mse,
        "rate": rate,
        "a": [p[0] for p in path],
        "mse": losses,
        "diverged": message,
        "factor": factor,
        "behaviour": _behaviour(rate, prob.curvature, abs(factor)),
    }


def _behaviour(rate: float, curvature: float, factor: float) -> str:
    one, two = 1.0 / curvature, 2.0 / curvature
    if factor > 1.0:
        return (
            f"learning rate {rate:g} > 2/L = {two:.4g}: every step multiplies the distance "
            f"to the minimum by |1 - rate L| = {factor:.3g} > 1, so gradient descent diverges"
        )
    if factor == 1.0:
        return (
            f"learning rate {rate:g} = 2/L: the point jumps between two sides of the bowl for ever"
        )
    if rate > one:
        return (
            f"learning rate {rate:g} between 1/L = {one:.4g} and 2/L = {two:.4g}: it overshoots "
            f"and zig-zags in, the distance shrinking by {factor:.3g} per step"
        )
    if rate == one:
        return f"learning rate {rate:g} = 1/L: the minimum in one step"
    return (
        f"learning rate {rate:g} below 1/L = {one:.4g}: it walks in without overshooting, the "
        f"distance shrinking by {factor:.3g} per step"
    )
