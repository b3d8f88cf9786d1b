r"""
6. Linear regression is least squares
=====================================

A line through data, fitted by maximum likelihood.  When the noise around the
line is Gaussian, the negative log-likelihood is the mean squared error plus a
constant: least squares *is* maximum likelihood.
"""

# %%
# Blood pressure and age
# ----------------------
#
# Systolic blood pressure of 33 American women, against their age.

from crossentropy.datasets import load_blood_pressure

d = load_blood_pressure()
print(f"{d.age.size} women, ages {d.age.min():.0f} to {d.age.max():.0f}")

# %%
# The model
# ---------
#
# Each pressure is a line in age plus Gaussian noise of fixed :math:`\sigma`:
# :math:`y_i = b + a x_i + \varepsilon_i`, :math:`\varepsilon_i \sim N(0,
# \sigma^2)`.  The likelihood of one observation is the normal density, so
#
# .. math:: -\log L(a, b) = \frac n2 \log(2 \pi \sigma^2)
#           + \frac{1}{2 \sigma^2} \sum_{i=1}^n (y_i - b - a x_i)^2 .
#
# The first term does not depend on the line, the second is
# :math:`n / (2\sigma^2)` times the mean squared error.  Whatever :math:`\sigma`
# is, the line that maximises the likelihood is the one with the least squared
# error.  The library's two losses show the relation:

import numpy as np

from crossentropy.losses import gaussian_nll, squared_error

y, y_hat, sigma = np.array([120.0, 150.0]), np.array([125.0, 140.0]), 10.0
print(gaussian_nll(y, y_hat, sigma=sigma))
print(0.5 * np.log(2 * np.pi * sigma**2) + squared_error(y, y_hat) / (2 * sigma**2))

# %%
# The fit
# -------

from crossentropy.models import LinearRegression

model = LinearRegression().fit(d.age[:, None], d.sbp)
print(f"sbp = {model.intercept_:.2f} + {model.coef_[0]:.3f} * age")
print(model.summary())

# %%
# The slope: 1.105 mmHg more per year of age, with a standard error of 0.206.
# The fitted line, with the 95% confidence band of the mean pressure at each age:

import matplotlib.pyplot as plt

ages = np.linspace(15, 85, 100)
band = model.predict(ages[:, None], interval=0.95)
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
ax.scatter(d.age, d.sbp, label="33 women")
ax.plot(ages, band.mean, color="C3", label="87.67 + 1.105 age")
ax.fill_between(ages, band.lower, band.upper, color="C3", alpha=0.2)
ax.set_xlabel("age (years)")
ax.set_ylabel("systolic blood pressure (mmHg)")
ax.legend()

# %%
# The loss surface
# ----------------
#
# Every pair :math:`(b, a)` has a mean squared error; the fit is the bottom of
# that bowl.  The :ref:`loss-surface example
# <sphx_glr_auto_examples_plot_11_loss_surface.py>` draws it; here we check that
# moving away from the fit in any direction raises the error.

best = squared_error(d.sbp, model.predict(d.age[:, None])).mean()
for db, da in [(5, 0), (-5, 0), (0, 0.1), (0, -0.1)]:
    moved = model.intercept_ + db + (model.coef_[0] + da) * d.age
    print(f"b {db:+}, a {da:+}: MSE {squared_error(d.sbp, moved).mean():.1f} (fit: {best:.1f})")

# %%
# Exercises
# ---------
#
# 1. Predict the mean pressure at 50 years, with its 95% interval.
#
#    .. dropdown:: Answer
#
#       ``model.predict([[50.0]], interval=0.95)``: :math:`87.67 + 1.105 \cdot 50
#       \approx 142.9` mmHg.
#
# 2. Why does the value of :math:`\sigma` not change the fitted line?
#
#    .. dropdown:: Answer
#
#       It scales the squared-error term by a positive constant and adds a
#       constant; neither moves the minimum.
#
# 3. Fit the line with ``solver="gd"`` on the raw ages.  What happens, and why
#    does standardising the age help?  (See chapter 9.)
#
#    .. dropdown:: Answer
#
#       With ages near 50 the curvature along the slope is about
#       :math:`2 \overline{x^2} \approx 5000`, so only learning rates below
#       :math:`2/5000` are stable, and they barely move the intercept.
#       Standardised ages make the bowl round.
#
# 4. The fit says 1.105 mmHg per year.  Is the slope significantly different from
#    0 at the 5% level?
#
#    .. dropdown:: Answer
#
#       Yes: :math:`t = 1.105 / 0.206 \approx 5.4`, p-value far below 0.05
#       (``model.pvalues_``).
