"""
KL divergence is not symmetric
==============================

:math:`D_{KL}(P \\| Q)` averages the log-ratio over samples from :math:`P`;
:math:`D_{KL}(Q \\| P)` over samples from :math:`Q`.  For two coins the two
differ, and they grow without bound as the model calls a possible outcome
impossible.
"""

import crossentropy as xe
from crossentropy.plotting import plot_kl_asymmetry

p, q = [0.2, 0.8], [0.5, 0.5]
print(f"KL(P || Q) = {xe.kl_divergence(p, q, base='bits'):.4f} bits")
print(f"KL(Q || P) = {xe.kl_divergence(q, p, base='bits'):.4f} bits")
print(f"KL with q = 0 where p > 0: {xe.kl_divergence([0.5, 0.5], [1.0, 0.0])}")

plot_kl_asymmetry(0.2)
