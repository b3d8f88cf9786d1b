"""
Fit a line by hand
==================

Guess a line through the blood pressures of the 33 women, and look at its
residuals, the vertical gaps between the points and the line.  The mean of
their squares is the loss.  Three guesses, then the least-squares line, which no
guess can beat.  The :doc:`notebooks </notebooks>` have the same figure with
sliders.
"""

from crossentropy.datasets import load_blood_pressure
from crossentropy.models import LinearRegression
from crossentropy.plotting import plot_line_fit

d = load_blood_pressure()
labels = {"xlabel": "age (years)", "ylabel": "systolic blood pressure (mmHg)"}

plot_line_fit(d.age, d.sbp, 140.0, 0.0, **labels)  # a flat line at the mean pressure

# %%
plot_line_fit(d.age, d.sbp, 100.0, 0.8, **labels)  # a rising guess

# %%
best = LinearRegression().fit(d.age[:, None], d.sbp)
print(f"least squares: sbp = {best.intercept_:.2f} + {best.coef_[0]:.3f} age")
plot_line_fit(d.age, d.sbp, best.intercept_, best.coef_[0], **labels)
