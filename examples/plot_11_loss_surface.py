"""
The loss surface of a line
==========================

Every line :math:`\\text{sbp} = b + a \\cdot \\text{age}` has a mean squared error
on the 33 women.  Drawn over the plane of :math:`(b, a)` the error is a long,
narrow valley: a bowl (it is quadratic), with its bottom at the least-squares
line :math:`(87.67, 1.105)`.  The valley is narrow because the ages are far from
0, so intercept and slope trade off against each other.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from crossentropy.datasets import load_blood_pressure
from crossentropy.losses import squared_error
from crossentropy.models import LinearRegression

d = load_blood_pressure()
best = LinearRegression().fit(d.age[:, None], d.sbp)

b, a = np.meshgrid(np.linspace(20, 160, 201), np.linspace(-0.3, 2.5, 201))
# One prediction per (b, a) and woman; the loss is the mean over the women.
prediction = b[..., None] + a[..., None] * d.age
mse = squared_error(d.sbp, prediction).mean(axis=-1)
print(f"lowest MSE on the grid: {mse.min():.1f}; at the least-squares line: "
      f"{squared_error(d.sbp, best.predict(d.age[:, None])).mean():.1f}")

fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
levels = np.geomspace(mse.min(), mse.max(), 19)
filled = ax.contourf(b, a, mse, levels=levels, cmap="viridis", norm=LogNorm())
fig.colorbar(filled, ax=ax, label="mean squared error (mmHg², log scale)", format="%.0f")
ax.plot(best.intercept_, best.coef_[0], "*", color="C3", ms=14, label="least squares")
ax.set_xlabel("intercept b")
ax.set_ylabel("slope a (mmHg per year)")
ax.legend()
