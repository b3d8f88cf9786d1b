r"""
1. Information: why :math:`-\log p`
===================================

How much do we learn when an event happens?  A sure thing tells us nothing.  A
surprise tells us a lot.  This chapter turns that intuition into a number, the
*information* (or *surprisal*) of an event,

.. math:: I(x) = -\log p(x),

and shows that this is the only choice.
"""

# %%
# Three requirements
# ------------------
#
# Let :math:`I(p)` be the information of an event of probability :math:`p`.  We ask
# three things of it.
#
# 1. **Rarer means more informative**: :math:`I` decreases as :math:`p` grows.
# 2. **A certain event tells nothing**: :math:`I(1) = 0`.
# 3. **Independent events add up**: learning that two independent events both
#    happened, of probability :math:`p\,q`, tells as much as learning each:
#    :math:`I(p\,q) = I(p) + I(q)`.
#
# The third turns products into sums, which is what a logarithm does.  The only
# continuous functions with :math:`f(ab) = f(a) + f(b)` are :math:`f = k \log`;
# the first requirement makes :math:`k` negative.  So
#
# .. math:: I(p) = -\log_b p,
#
# and the base :math:`b` only sets the unit: **bits** for :math:`b = 2`, **nats**
# for :math:`b = e`, **bans** for :math:`b = 10`.  One bit is the information of a
# fair coin flip.

import numpy as np

import crossentropy as xe

print(xe.information(0.5, base="bits"))  # a fair coin: 1 bit
print(xe.information(1.0, base="bits"))  # a certain event: 0 bits
print(xe.information(1 / 6, base="bits"))  # a six on a die

# %%
# The three requirements, checked by the library's own function:

p = np.linspace(0.01, 1, 100)
info = xe.information(p, base="bits")
print("decreasing:", bool(np.all(np.diff(info) < 0)))
print("I(1) = 0:  ", xe.information(1.0) == 0)
print(
    "additive:  ",
    np.isclose(xe.information(0.5 * (1 / 6)), xe.information(0.5) + xe.information(1 / 6)),
)

# %%
# Units
# -----
#
# A nat is :math:`1 / \ln 2 \approx 1.4427` bits.  Every measure of the library
# takes ``base=``: ``None`` or ``"nats"`` (the default), ``2`` or ``"bits"``,
# ``10`` or ``"bans"``.

for unit in ("nats", "bits", "bans"):
    print(f"I(1/6) = {xe.information(1 / 6, base=unit):.5f} {unit}")

# %%
# The worked table
# ----------------
#
# :func:`crossentropy.explain.explain_information` writes the computation out,
# the way one would on a blackboard.

from crossentropy.explain import explain_information

print(
    explain_information(
        [0.5, 1 / 6, 1 / 12], base="bits", symbols=["heads", "six", "heads and six"]
    )
)

# %%
# The surprise of heads-and-six, 3.585 bits, is the surprise of heads (1 bit)
# plus that of a six (2.585 bits).  See :ref:`the curve of -log p
# <sphx_glr_auto_examples_plot_03_information.py>` in the gallery.
#
# Exercises
# ---------
#
# 1. How many bits of information is a one-in-a-million event?  A one-in-a-billion?
#
#    .. dropdown:: Answer
#
#       :math:`\log_2 10^6 \approx 19.93` and :math:`\log_2 10^9 \approx 29.90`
#       bits: ``xe.information(1e-6, base=2)``.  A thousand times rarer adds
#       :math:`\log_2 1000 \approx 10` bits.
#
# 2. Why would :math:`I(p) = 1 - p` be a bad measure of information?  Which
#    requirement fails?
#
#    .. dropdown:: Answer
#
#       It decreases and is 0 at :math:`p = 1`, but it does not add up:
#       for two fair coins :math:`1 - 1/4 = 0.75`, not :math:`0.5 + 0.5 = 1`.
#
# 3. Convert 1 ban into bits and into nats.
#
#    .. dropdown:: Answer
#
#       :math:`\log_2 10 \approx 3.3219` bits and :math:`\ln 10 \approx 2.3026`
#       nats: ``xe.information(0.1, base="bits")`` is 3.3219.
#
# 4. A letter drawn uniformly from the 26 letters of the alphabet: how many bits?
#
#    .. dropdown:: Answer
#
#       :math:`\log_2 26 \approx 4.70` bits.
