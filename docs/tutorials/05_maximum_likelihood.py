r"""
5. Maximum likelihood: the die
==============================

A model with an unknown parameter, and some data.  Which value of the parameter
should we believe?  Maximum likelihood answers: the value under which the data we
saw is the most probable.  Its negative logarithm is the loss that we minimise in
every chapter that follows.
"""

# %%
# The red faces
# -------------
#
# A die has :math:`r` red faces out of 6, and we do not know :math:`r`.  Thrown
# 100 times, it shows red 34 times.  If :math:`r` were known, the number of reds
# would be binomial with :math:`p = r / 6`, and the data would have probability
#
# .. math:: L(r) = P(X = 34 \mid p = r/6) = \binom{100}{34}
#           \left(\frac r6\right)^{34} \left(1 - \frac r6\right)^{66}.
#
# Read as a function of :math:`r` with the data fixed, this is the
# **likelihood**.  Try every :math:`r`:

from crossentropy.likelihood import dice_likelihood

grid = dice_likelihood(reds=34, throws=100)
for r, value in zip(grid.labels, grid.likelihood, strict=True):
    print(f"r = {r}: L = {value:.3g}")

# %%
# :math:`r = 2` makes the data most probable, 0.0831, against
# :math:`1.2 \times 10^{-5}` for :math:`r = 1` and :math:`4.6 \times 10^{-4}` for
# :math:`r = 3`.  It is the maximum-likelihood estimate.

from crossentropy.plotting import plot_dice_likelihood

plot_dice_likelihood(34, 100)

# %%
# The likelihood is not a probability distribution
# ------------------------------------------------
#
# Its values are probabilities of the *data*, one for each :math:`r`; nothing
# makes them sum to 1 over :math:`r`.

print(f"sum over r of L(r) = {grid.likelihood.sum():.4f}")

# %%
# A continuous parameter
# ----------------------
#
# If :math:`p` may be any number in :math:`[0, 1]`, set the derivative of the
# log-likelihood :math:`\ell(p) = 34 \log p + 66 \log(1 - p) + \text{const}` to
# zero: :math:`34 / p = 66 / (1 - p)`, so :math:`\hat p = 34 / 100 = 0.34`, the
# observed frequency.  Of the dice, :math:`r = 2` (:math:`p = 1/3`) is the
# nearest to it, and the one with the largest likelihood.

from crossentropy.likelihood import binomial_log_likelihood, binomial_mle

print(f"p_hat = {binomial_mle(34, 100)}")
for p in (1 / 6, 1 / 3, 0.34, 0.5):
    print(f"log L(p = {p:.4f}) = {binomial_log_likelihood(34, 100, p):9.4f}")

# %%
# Logs and losses
# ---------------
#
# Likelihoods of many observations are products of many small numbers, so we work
# with the log-likelihood, a sum.  Maximising it is minimising the **negative
# log-likelihood**, the loss.  Per throw, the negative log-likelihood of the
# data is a cross-entropy: between the observed frequencies :math:`\hat P = (0.34,
# 0.66)` and the model :math:`Q = (p, 1 - p)`,
#
# .. math:: -\frac1n \log \prod_i q(x_i) = -\sum_c \hat p_c \log q_c = H(\hat P, Q).
#
# By chapter 3, it is smallest at :math:`Q = \hat P`: that is :math:`\hat p =
# 0.34` again.

import crossentropy as xe
from crossentropy.losses import binary_cross_entropy

throws = [1] * 34 + [0] * 66  # 1 = red
for p in (1 / 3, 0.34):
    mean_loss = binary_cross_entropy(throws, [p] * 100).mean()
    print(
        f"p = {p:.4f}: mean loss {mean_loss:.6f} nats = "
        f"H(P_hat, Q) = {xe.cross_entropy([0.34, 0.66], [p, 1 - p]):.6f} nats"
    )

# %%
# Exercises
# ---------
#
# 1. With 17 reds in 100 throws, which :math:`r` is most likely?  And with 50?
#
#    .. dropdown:: Answer
#
#       ``dice_likelihood(17, 100).best_index`` is 1 (:math:`17/100` is closest to
#       :math:`1/6`); with 50 reds it is 3.
#
# 2. Double the data: 68 reds in 200 throws.  Is :math:`r = 2` still the
#    maximum?  What happens to the ratio :math:`L(2) / L(3)`?
#
#    .. dropdown:: Answer
#
#       Still :math:`r = 2`, and the ratio is squared (about 180 becomes about
#       32,000): more data, sharper likelihood.
#
# 3. Why do we add log-likelihoods instead of multiplying likelihoods on a
#    computer?
#
#    .. dropdown:: Answer
#
#       A product of thousands of probabilities underflows to 0 in floating
#       point; the sum of their logs stays a moderate number.
#
# 4. Show that the loss per throw at :math:`p = 0.34` equals the entropy of the
#    observed frequencies, :math:`H(0.34, 0.66)`.
#
#    .. dropdown:: Answer
#
#       At :math:`Q = \hat P` the cross-entropy is the entropy:
#       ``xe.binary_entropy(0.34)`` is 0.6410 nats.
