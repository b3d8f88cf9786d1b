r"""One Newton step on a logistic regression: gradient, Hessian, step, new log-likelihood.

The objective, its gradient and Hessian are those the estimators minimise
(:class:`crossentropy.models._objective.Objective`), the direction and the step
are :func:`crossentropy.optim.newton`'s; the explanation lays them out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_finite, check_unit_interval
from ._common import check_digits
from ._explanation import Doc, Explanation
from ._markup import Inline, Math, fmt, matrix, num, vector

__all__ = ["explain_newton_step"]

FloatArray = NDArray[np.float64]


def _data(
    x: ArrayLike | None, y: ArrayLike | None, theta: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray, str]:
    """Features (n, d), outcomes (n,), the starting point (d + 1,) and a sentence on the data."""
    if (x is None) != (y is None):
        raise ValueError("`x` and `y` must be given together (or neither, for the Challenger data)")
    if x is None or y is None:
        from ..datasets import load_challenger

        d = load_challenger()
        x, y = d.temp_f, (d.distress > 0).astype(np.float64)
        about = (
            f"the {len(y)} flights before the Challenger accident: x is the launch temperature "
            "(degrees F), y = 1 if an O-ring showed thermal distress."
        )
    else:
        about = ""
    xa = as_float_array(x, "x").astype(np.float64)
    ya = as_float_array(y, "y").astype(np.float64)
    if xa.ndim == 1:
        xa = xa[:, None]
    if xa.ndim != 2 or ya.ndim != 1 or len(xa) != len(ya) or len(ya) == 0:
        raise ValueError(
            "`x` must be one feature per example (1-D) or a 2-D array, and `y` one outcome "
            f"per example; got shapes {np.shape(x)} and {np.shape(y)}"
        )
    check_finite(xa, "x")
    check_unit_interval(ya, "y")
    start = np.zeros(xa.shape[1] + 1) if theta is None else as_float_array(theta, "theta")
    if start.shape != (xa.shape[1] + 1,):
        raise ValueError(
            f"`theta` must hold the intercept and {xa.shape[1]} weight(s); got shape {start.shape}"
        )
    check_finite(start, "theta")
    about = about or f"the {len(ya)} examples given, with {xa.shape[1]} feature(s) each."
    return np.ascontiguousarray(xa), ya, start.astype(np.float64), about


def _model(doc: Doc, about: str, names: str) -> None:
    doc.para(title="One Newton step on a logistic regression")
    doc.para("Data: ", about)
    doc.para(
        "The model ",
        Math("p_i = sigma(b + x_i w)", r"p_i = \sigma(b + x_i w)"),
        " with parameters ",
        Math(f"theta = ({names})", rf"\theta = ({names})"),
        " has the mean negative log-likelihood, the binary cross-entropy",
    )
    doc.equation(
        Math("f(theta)", r"f(\theta)"),
        Math(
            "-1/n sum_i [y_i ln p_i + (1 - y_i) ln(1 - p_i)]",
            r"-\frac1n \sum_i [\,y_i \ln p_i + (1 - y_i) \ln(1 - p_i)\,]",
        ),
    )
    doc.para(
        "Newton's method replaces f near ",
        Math("theta", r"\theta"),
        " by its second-order Taylor expansion and jumps to the minimum of that quadratic. With ",
        Math.same("u_i = (1, x_i)"),
        ", the gradient and the Hessian are",
    )
    doc.equation(
        Math.same("g"), Math("1/n sum_i (p_i - y_i) u_i", r"\frac1n \sum_i (p_i - y_i)\, u_i")
    )
    doc.equation(
        Math.same("H"),
        Math("1/n sum_i p_i (1 - p_i) u_i u_i^T", r"\frac1n \sum_i p_i (1 - p_i)\, u_i u_i^T"),
    )
    doc.equation(
        Math("theta_new", r"\theta_{\text{new}}"), Math("theta - H^-1 g", r"\theta - H^{-1} g")
    )


def _is(name: str, tex: str, value: Math) -> Math:
    """``name = value`` as one formula."""
    return Math(f"{name} = {value.text}", f"{tex} = {value.tex}")


def _loglik(n: int, f: float, digits: int) -> Math:
    """The log-likelihood ``-n f`` of a mean loss ``f``."""
    return _is("ln L = -n f", r"\ln L = -n f", num(-n * f, digits))


def _nats(f: float, digits: int) -> Math:
    s = num(f, digits)
    return Math(f"{s.text} nats", rf"{s.tex}\ \text{{nats}}")


def _step_items(
    start: tuple[FloatArray, float, FloatArray, FloatArray, FloatArray],
    result: Any,
    n: int,
    digits: int,
) -> list[list[Inline]]:
    """The numbers of one step: where it starts, g, H, the direction, where it lands."""
    theta, f0, g, h, d = start
    t = float(result.history["learning_rate"][0]) if len(result.history) else 1.0
    take: list[Inline]
    if t == 1:
        take = [
            "take the full step: ",
            _is(
                "theta_new = theta + d",
                r"\theta_{\text{new}} = "
                r"\theta + d",
                vector(result.x, digits),
            ),
        ]
    else:
        take = [
            f"take t = {fmt(t, digits)} of it (the full step does not lower f enough): ",
            _is(
                "theta_new = theta + t d",
                r"\theta_{\text{new}} = \theta + t d",
                vector(result.x, digits),
            ),
        ]
    return [
        [
            "start at ",
            _is("theta", r"\theta", vector(theta, digits)),
            ": ",
            _is("f", "f", _nats(f0, digits)),
            ", ",
            _loglik(n, f0, digits),
        ],
        ["the gradient ", _is("g", "g", vector(g, digits))],
        ["the Hessian ", _is("H", "H", matrix(h, digits))],
        ["the Newton direction ", _is("d = -H^-1 g", "d = -H^{-1} g", vector(d, digits))],
        take,
        [
            "the new loss ",
            _is("f", "f", _nats(result.fun, digits)),
            ", ",
            _loglik(n, result.fun, digits),
            ": up from ",
            num(-n * f0, digits),
        ],
    ]


def explain_newton_step(
    x: ArrayLike | None = None,
    y: ArrayLike | None = None,
    *,
    theta: ArrayLike | None = None,
    digits: int = 6,
) -> Explanation:
    r"""One step of Newton's method on a logistic regression, number by number.

    Shows the mean negative log-likelihood :math:`f(\theta)` at the starting
    point, its gradient :math:`g` and Hessian :math:`H`, the direction
    :math:`-H^{-1} g`, the new parameters and the new log-likelihood, then where
    repeating the step leads.

    Parameters
    ----------
    x : 1-D or 2-D array_like, optional
        Features, one row (or number) per example.  Default: the launch
        temperatures of the 23 flights before the Challenger accident.
    y : 1-D array_like, optional
        Outcomes in [0, 1], with ``x``.  Default: O-ring distress on those flights.
    theta : 1-D array_like, optional
        Starting point (intercept first); zeros by default.
    digits : int, default 6
        Significant digits shown, from 1 to 17.

    Returns
    -------
    Explanation
        ``value`` is the mean negative log-likelihood after the step (nats);
        ``terms`` are the new parameters.

    Examples
    --------
    >>> e = explain_newton_step()
    >>> print(e.text.split("\n\n")[-1])
    Repeating the step, Newton's method stops after 5 steps (converged) at theta = (15.0429,
    -0.232163), where ln L = -n f = -10.1576: near the optimum each step about doubles the
    number of correct digits.
    """
    from ..models._objective import Objective
    from ..optim import newton
    from ..optim._newton import newton_direction

    digits = check_digits(digits)
    xa, ya, theta0, about = _data(x, y, theta)
    obj = Objective(xa, ya, None, family="bernoulli", k=1, l2=0.0, fit_intercept=True)
    f0, g, h = obj.fun_grad_hess64(theta0)
    direction = newton_direction(h, g)
    step = newton(obj.fun_grad_hess64, theta0, fun=obj.fun64, max_iter=1)
    fit = newton(obj.fun_grad_hess64, theta0, fun=obj.fun64)
    k = xa.shape[1]
    names = "b, w" if k == 1 else "b, " + ", ".join(f"w_{j + 1}" for j in range(k))
    doc = Doc()
    _model(doc, about, names)
    n = len(ya)
    items = _step_items((theta0, f0, g, h, direction), step, n, digits)
    doc.steps(items, max_items=len(items), label="")
    doc.para(
        f"Repeating the step, Newton's method stops after {fit.n_iter} steps ({fit.stop_reason}) "
        "at ",
        _is("theta", r"\theta", vector(fit.x, digits)),
        ", where ",
        _loglik(n, fit.fun, digits),
        ": near the optimum each step about doubles the number of correct digits.",
    )
    return doc.finish("newton-step", step.fun, "nats", step.x)
