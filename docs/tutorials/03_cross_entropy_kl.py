r"""
3. Cross-entropy and KL divergence
==================================

The data come from the true distribution :math:`P`; our model says :math:`Q`.
The average surprise *under the model*, while the outcomes follow :math:`P`, is
the **cross-entropy**

.. math:: H(P, Q) = -\sum_c p_c \log q_c \;\ge\; H(P).

How much more surprised the model is than it would be with the truth is the
**Kullback-Leibler divergence**

.. math:: D_{KL}(P \,\|\, Q) = \sum_c p_c \log \frac{p_c}{q_c} = H(P, Q) - H(P) \;\ge\; 0,

zero only when :math:`Q = P`.
"""

# %%
# The diagnoses example
# ---------------------
#
# Patients with three diagnoses, covid, diabetes and heart disease, in the
# proportions :math:`P = (0.7, 0.2, 0.1)`.  A model predicts
# :math:`Q = (0.5, 0.2, 0.3)`.

import crossentropy as xe

p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
print(f"H(P)       = {xe.entropy(p):.5f} nats")
print(f"H(P, Q)    = {xe.cross_entropy(p, q):.5f} nats")
print(
    f"KL(P || Q) = {xe.kl_divergence(p, q):.5f} nats = "
    f"{xe.kl_divergence(p, q, base='bits'):.5f} bits"
)

# %%
# The identity :math:`H(P, Q) = H(P) + D_{KL}(P \| Q)` holds to rounding:
# :math:`0.80182 + 0.12567 = 0.92749`.

from crossentropy.explain import explain_kl_divergence

print(explain_kl_divergence(p, q, symbols=["covid", "diabetes", "heart"]))

# %%
# KL is the average log-ratio over samples
# ----------------------------------------
#
# Draw patients from :math:`P`.  For each, the model's surprise exceeds the true
# one by :math:`\log p(x) - \log q(x) = \log \frac{p(x)}{q(x)}`.  The average of
# this log-ratio over many samples tends to its expectation under :math:`P`,
# which is :math:`D_{KL}(P \| Q)` (the law of large numbers).

import numpy as np

rng = np.random.default_rng(1)
p_arr, q_arr = np.array(p), np.array(q)
for n in (10, 100, 10_000, 1_000_000):
    x = rng.choice(3, size=n, p=p_arr)
    average = np.mean(xe.information(q_arr[x]) - xe.information(p_arr[x]))
    print(f"n = {n:>9}: average log p(x)/q(x) = {average:.5f} nats")

# %%
# A single log-ratio can be negative (a heart patient: the model gave 0.3 where
# the truth is 0.1), but the average is never negative: Gibbs' inequality.
#
# KL is not a distance
# --------------------
#
# It is not symmetric, :math:`D_{KL}(P \| Q) \ne D_{KL}(Q \| P)`, and it is
# infinite when the model calls possible outcomes impossible.

print(f"KL(Q || P) = {xe.kl_divergence(q, p):.5f} nats")
print(f"model says heart disease is impossible: KL = {xe.kl_divergence(p, [0.8, 0.2, 0.0])}")

from crossentropy.plotting import plot_kl_asymmetry

plot_kl_asymmetry(0.2)

# %%
# The smallest cross-entropy is at Q = P
# ---------------------------------------
#
# As a function of the model, :math:`H(P, Q) = H(P) + D_{KL}(P \| Q)` is smallest
# when the divergence is 0, at :math:`Q = P`.  Minimising the cross-entropy over
# models is the same as minimising the KL divergence: that is why it is the loss
# of classifiers (chapter 7 and 8).

candidates = {"the model Q": q, "P itself": p, "uniform": [1 / 3] * 3}
for name, model in candidates.items():
    print(f"{name:12} H(P, model) = {xe.cross_entropy(p, model):.5f} nats")

# %%
# Exercises
# ---------
#
# 1. Compute :math:`H(P, Q)`, :math:`H(P)` and :math:`D_{KL}(P \| Q)` in bits for
#    :math:`P = (0.5, 0.5)` and :math:`Q = (0.9, 0.1)`.  Check the identity.
#
#    .. dropdown:: Answer
#
#       :math:`H(P, Q) = -\tfrac12(\log_2 0.9 + \log_2 0.1) \approx 1.737` bits,
#       :math:`H(P) = 1` bit, :math:`D_{KL} \approx 0.737` bits.
#
# 2. Which is larger, :math:`D_{KL}(P \| Q)` or :math:`D_{KL}(Q \| P)`, for the
#    diagnoses?  Explain with the heart-disease term.
#
#    .. dropdown:: Answer
#
#       :math:`D_{KL}(Q \| P) \approx 0.16135` nats is larger: samples from
#       :math:`Q` are often heart disease (0.3), which :math:`P` finds
#       surprising (0.1).
#
# 3. Estimate :math:`D_{KL}(P \| Q)` from 50 samples, twenty times with different
#    seeds.  How much do the estimates vary?
#
#    .. dropdown:: Answer
#
#       The standard deviation of the log-ratio is about 0.43 nats, so with 50
#       samples the estimates spread by about :math:`0.43 / \sqrt{50} \approx
#       0.06` nats around 0.126.
#
# 4. Why must the model never give probability exactly 0 to an outcome that can
#    happen?
#
#    .. dropdown:: Answer
#
#       Its surprise :math:`-\log 0` is infinite, so are the cross-entropy and the
#       KL divergence: one such sample costs an infinite loss.
