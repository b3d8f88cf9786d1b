r"""
7. Logistic regression: would you launch?
=========================================

Outcomes that are yes or no.  The model gives each case a probability of yes;
the likelihood of the outcomes is a product of Bernoulli probabilities, and its
negative logarithm is the binary cross-entropy.
"""

# %%
# The Challenger O-rings
# ----------------------
#
# On 28 January 1986 the Space Shuttle Challenger was launched at 31 °F and broke
# apart 73 seconds later: an O-ring seal had failed in the cold.  The night
# before, engineers had the records of the 23 earlier flights: launch temperature
# and whether an O-ring showed thermal distress.

import numpy as np

from crossentropy.datasets import load_challenger

d = load_challenger()
distress = d.distress > 0
print("launch temperatures in °F, * = O-ring distress:")
print(
    " ".join(f"{t:.0f}{'*' if y else ''}" for t, y in sorted(zip(d.temp_f, distress, strict=True)))
)

# %%
# The model and its loss
# ----------------------
#
# The probability of distress at temperature :math:`x` is
# :math:`\hat y = \sigma(b + a x)`, the sigmoid of a line.  Each flight is a
# Bernoulli observation, with likelihood :math:`\hat y_i^{y_i} (1 - \hat
# y_i)^{1 - y_i}`.  The negative log-likelihood per flight is the **binary
# cross-entropy**
#
# .. math:: \text{Cost} = -\frac1n \sum_i \big[ y_i \log \hat y_i
#           + (1 - y_i) \log (1 - \hat y_i) \big],
#
# the cross-entropy between the outcome :math:`(y_i, 1 - y_i)` and the prediction
# :math:`(\hat y_i, 1 - \hat y_i)`, averaged over flights.  The library computes it
# from the score :math:`z = b + a x` directly, which stays exact for any score:

from crossentropy.losses import binary_cross_entropy, binary_cross_entropy_with_logits

print(binary_cross_entropy([1, 0], [0.9, 0.9]))  # right and confident; wrong and confident
print(binary_cross_entropy_with_logits([1], [-40.0]))  # a score of -40 for a 'yes': 40 nats

# %%
# The fit
# -------

from crossentropy.models import LogisticRegression

model = LogisticRegression(solver="newton").fit(d.temp_f[:, None], distress)
print(model.summary())

# %%
# The slope is negative: each degree colder raises the odds of distress by a
# factor :math:`e^{0.232} \approx 1.26`.  The p-value of the slope is 0.032.

intercept, slope = model.params_
print(f"odds ratio per degree colder: {np.exp(-slope):.3f}")

# %%
# 31 °F
# -----

from crossentropy.plotting import plot_challenger

at31 = model.predict_proba([[31.0]], interval=0.95)
print(
    f"P(distress at 31 F) = {at31.proba[0, 1]:.5f}, "
    f"95% interval [{at31.lower[0, 1]:.3f}, {at31.upper[0, 1]:.3f}]"
)
plot_challenger(model, at=31.0)

# %%
# The fit says distress is almost certain at 31 °F, 22 degrees below the coldest
# earlier launch.  The band is wide (we extrapolate), but its lower end is near
# one half.  Would you launch?
#
# The successful flights carry information
# -----------------------------------------
#
# The night before the launch, the engineers looked at the flights *with*
# distress only, and saw no clear trend with temperature.  The flights without
# distress are what show it: they were all warm.  Fit on the distress flights
# alone and there is nothing to fit (every outcome is "yes"):

print(
    f"flights with distress: {distress.sum()}, at "
    f"{sorted(d.temp_f[distress].astype(int).tolist())} F"
)
print(
    f"flights without:       {(~distress).sum()}, at "
    f"{sorted(d.temp_f[~distress].astype(int).tolist())} F"
)

# %%
# Exercises
# ---------
#
# 1. What probability of distress does the model give at 70 °F, and at 53 °F,
#    the coldest earlier launch?
#
#    .. dropdown:: Answer
#
#       ``model.predict_proba([[70.0], [53.0]])[:, 1]``: about 0.23 and 0.94.
#
# 2. At what temperature does the model give even odds?
#
#    .. dropdown:: Answer
#
#       Where :math:`b + a x = 0`: :math:`x = -b/a = 15.043 / 0.232 \approx
#       64.8` °F.
#
# 3. Fit the binomial model, the number of distressed O-rings out of 6 per
#    flight (``LogisticRegression().fit(d.temp_f[:, None], d.distress, trials=6)``),
#    and compare its prediction at 31 °F.
#
#    .. dropdown:: Answer
#
#       The slope is :math:`-0.116` per degree; at 31 °F each O-ring is in
#       distress with probability 0.82 (95% interval 0.16 to 0.99), so several
#       of the six are expected to fail.  The two models answer different
#       questions: one O-ring, or any O-ring of the flight.  See
#       :func:`~crossentropy.plotting.plot_challenger` with ``binomial=True``.
#
# 4. Why is the binary cross-entropy infinite if the model gives a probability of
#    exactly 0 to a flight that had distress?
#
#    .. dropdown:: Answer
#
#       That flight's term is :math:`-\log 0 = \infty`: the model called a thing
#       that happened impossible.
