"""
Gradient descent at several learning rates
==========================================

Gradient descent steps downhill, :math:`\\theta \\leftarrow \\theta - \\eta\\,
\\nabla \\text{MSE}(\\theta)`.  On the blood-pressure line with the age
measured in decades from 45 years, the error is a bowl whose steepest curvature
is about 5.3 (along the slope), so every learning rate below :math:`2 / 5.3
\\approx 0.37` converges and every one above diverges:

* :math:`\\eta = 0.05` creeps towards the bottom,
* :math:`\\eta = 0.2` walks in smoothly,
* :math:`\\eta = 0.35` overshoots the slope each step and zig-zags in,
* :math:`\\eta = 0.42` overshoots further each time: it diverges.

The course asks what a learning rate of 10 does: the first step already
multiplies the error, and the fit stops with a :class:`~crossentropy.optim.DivergenceError`.

Each path is the sequence of fits after 1, 2, 3, ... steps of
``LinearRegression(solver="gd")``.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from crossentropy.datasets import load_blood_pressure
from crossentropy.models import LinearRegression
from crossentropy.optim import DivergenceError
from crossentropy.plotting import plot_mse_surface

d = load_blood_pressure()
decades = ((d.age - 45) / 10)[:, None]  # the intercept is then the pressure at 45


def descent_path(learning_rate, steps=25):
    """The parameters (intercept, slope) after 0, 1, ..., ``steps`` steps."""
    path = [(0.0, 0.0)]
    for k in range(1, steps + 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                fit = LinearRegression(
                    solver="gd", learning_rate=learning_rate, max_iter=k, tol=0
                ).fit(decades, d.sbp)
        except DivergenceError as error:
            print(f"learning rate {learning_rate}: {str(error).split('. ')[0]}")
            break
        path.append(tuple(fit.params_))
    return np.array(path)


rates = [0.05, 0.2, 0.35, 0.42]
paths = {lr: descent_path(lr) for lr in rates}
for lr, path in paths.items():
    print(
        f"learning rate {lr:4}: after {len(path) - 1:2} steps at "
        f"b = {path[-1, 0]:7.2f}, a = {path[-1, 1]:6.2f}"
    )

descent_path(10.0)  # the course's question: the very first step blows up

best = LinearRegression().fit(decades, d.sbp).params_
plot_mse_surface(
    decades[:, 0],
    d.sbp,
    np.linspace(-10, 170, 181),
    np.linspace(-30, 50, 161),
    paths={f"learning rate {lr}": path for lr, path in paths.items()},
    best=tuple(best),
    xlabel="intercept b (mmHg at 45 years)",
    ylabel="slope a (mmHg per 10 years)",
)
