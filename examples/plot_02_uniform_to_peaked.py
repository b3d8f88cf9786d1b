"""
Entropy: from uniform to peaked
===============================

The entropy :math:`H(P) = -\\sum_c p_c \\log_2 p_c` measures how unpredictable an
outcome is.  Over four outcomes it is largest, :math:`\\log_2 4 = 2` bits, for the
uniform distribution, and falls to 0 as the distribution peaks on one outcome.
"""

import crossentropy as xe
from crossentropy.plotting import plot_entropy_uniform_to_peaked

for p in (
    [0.25, 0.25, 0.25, 0.25],
    [0.5, 0.25, 0.125, 0.125],
    [0.97, 0.01, 0.01, 0.01],
    [1.0, 0.0, 0.0, 0.0],
):
    print(f"H{tuple(p)} = {xe.entropy(p, base='bits'):.4f} bits")

plot_entropy_uniform_to_peaked()
