r"""
2. Entropy: the average surprise
================================

The information of one outcome depends on which outcome happens.  Before the
draw we can ask for its *average*: the entropy of the distribution :math:`P`,

.. math:: H(P) = \mathbb E_{x \sim P}[I(x)] = -\sum_c p_c \log p_c,
          \qquad 0 \log 0 = 0.

It measures how unpredictable the outcome is.
"""

# %%
# A coin
# ------
#
# A fair coin has :math:`H = -\tfrac12 \ln \tfrac12 - \tfrac12 \ln \tfrac12 = \ln 2
# = 0.6931` nats, which is 1 bit.  A coin that always shows heads has
# :math:`H = 0`: nothing is uncertain.  The term of an impossible outcome is
# :math:`0 \log 0`, taken as its limit, 0.

import crossentropy as xe

print(f"fair coin:   {xe.entropy([0.5, 0.5]):.4f} nats = {xe.entropy([0.5, 0.5], base=2)} bit")
print(f"biased coin: {xe.entropy([0.9, 0.1], base=2):.4f} bits")
print(f"certain:     {xe.entropy([1.0, 0.0])} nats")

# %%
# The entropy of a coin with :math:`P(\text{heads}) = p` is the binary entropy
# :math:`H_b(p)`.  It is largest for the fair coin.

from crossentropy.plotting import plot_binary_entropy

plot_binary_entropy()

# %%
# Uniform is largest, peaked is smallest
# --------------------------------------
#
# Over :math:`K` outcomes, :math:`0 \le H(P) \le \log K`.  The maximum is reached
# only by the uniform distribution (every outcome equally surprising), the
# minimum only by a certain outcome.

from crossentropy.plotting import plot_entropy_uniform_to_peaked

print(f"uniform over 4: {xe.entropy([0.25] * 4, base=2)} bits = log2(4)")
plot_entropy_uniform_to_peaked(4)

# %%
# Term by term
# ------------

from crossentropy.explain import explain_entropy

print(explain_entropy([1 / 2, 1 / 4, 1 / 8, 1 / 8], base="bits"))

# %%
# Many distributions at once
# --------------------------
#
# Like every measure of the library, :func:`~crossentropy.entropy` reduces along
# the last axis (``axis=-1``), so one call gives the entropy of each row.

import numpy as np

rows = np.array([[0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1], [1.0, 0.0, 0.0, 0.0]])
print(xe.entropy(rows, base="bits"))

# %%
# A distribution must sum to 1.  Counts or weights are scaled only when asked:
xe.entropy([3, 1], normalize=True)

# %%
# Exercises
# ---------
#
# 1. Compute the entropy, in bits, of a fair die and of a die that shows six half
#    of the time and each other face a tenth of the time.
#
#    .. dropdown:: Answer
#
#       :math:`\log_2 6 \approx 2.585` bits and
#       ``xe.entropy([0.1] * 5 + [0.5], base=2)`` :math:`\approx 2.161` bits:
#       the loaded die is more predictable.
#
# 2. Show that adding an outcome of probability 0 does not change the entropy.
#
#    .. dropdown:: Answer
#
#       Its term is :math:`0 \log 0 = 0`.  ``xe.entropy([0.5, 0.5, 0.0])`` equals
#       ``xe.entropy([0.5, 0.5])``.
#
# 3. Two independent fair coins: what is the entropy of the pair?  What does
#    this say about entropy and independence?
#
#    .. dropdown:: Answer
#
#       Four equally likely outcomes: 2 bits, the sum of 1 bit per coin.  The
#       entropy of independent variables adds up, as information does.
#
# 4. At which :math:`p` does a coin have an entropy of half a bit?
#
#    .. dropdown:: Answer
#
#       :math:`H_b(p) = 0.5` at :math:`p \approx 0.110` (and :math:`0.890`), for
#       example by ``scipy.optimize.brentq(lambda p: xe.binary_entropy(p, base=2)
#       - 0.5, 0.01, 0.5)``.
