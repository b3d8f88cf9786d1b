"""
The loss surface of a line
==========================

Every line :math:`\\text{sbp} = b + a \\cdot \\text{age}` has a mean squared error
on the 33 women.  Drawn over the plane of :math:`(b, a)` the error is a long,
narrow valley: a bowl (it is quadratic), with its bottom at the least-squares
line :math:`(87.67, 1.105)`.  The valley is narrow because the ages are far from
0, so intercept and slope trade off against each other.
"""

import numpy as np

from crossentropy.datasets import load_blood_pressure
from crossentropy.models import LinearRegression
from crossentropy.plotting import plot_mse_surface

d = load_blood_pressure()
best = LinearRegression().fit(d.age[:, None], d.sbp)
print(f"least squares: b = {best.intercept_:.2f}, a = {best.coef_[0]:.3f}")

plot_mse_surface(
    d.age,
    d.sbp,
    np.linspace(20, 160, 201),
    np.linspace(-0.3, 2.5, 201),
    best=(best.intercept_, best.coef_[0]),
    ylabel="slope a (mmHg per year)",
)
