"""
Blood pressure against age: the least-squares line
==================================================

Systolic blood pressure of 33 American women against their age.  If the pressure
is a straight line in age plus Gaussian noise of fixed :math:`\\sigma`, the line
that makes the data most probable is the one with the least mean squared error:

.. math:: \\text{sbp} = 87.67 + 1.105 \\times \\text{age}.
"""

import matplotlib.pyplot as plt
import numpy as np

from crossentropy.datasets import load_blood_pressure
from crossentropy.models import LinearRegression

d = load_blood_pressure()
model = LinearRegression().fit(d.age[:, None], d.sbp)
print(f"sbp = {model.intercept_:.2f} + {model.coef_[0]:.3f} * age")
print(f"residual standard deviation sigma = {model.sigma_:.2f} mmHg, R^2 = {model.rsquared_:.3f}")

ages = np.linspace(15, 85, 100)
band = model.predict(ages[:, None], interval=0.95)
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
ax.scatter(d.age, d.sbp, color="C0", zorder=3, label="33 women")
ax.plot(ages, band.mean, color="C3", lw=2, label="87.67 + 1.105 age")
ax.fill_between(
    ages, band.lower, band.upper, color="C3", alpha=0.2, label="95% interval of the mean"
)
ax.set_xlabel("age (years)")
ax.set_ylabel("systolic blood pressure (mmHg)")
ax.legend()
ax.grid(alpha=0.3)
