"""
Maximum likelihood: the dice
============================

A die has :math:`r` red faces out of 6; we do not know :math:`r`.  Thrown 100
times it shows red 34 times.  The likelihood of each :math:`r` is the binomial
probability of the data,

.. math:: L(r) = P(X = 34 \\mid p = r/6) = \\binom{100}{34} (r/6)^{34} (1 - r/6)^{66},

largest at :math:`r = 2`: 0.0831, against :math:`1.2 \\times 10^{-5}` at
:math:`r = 1` and :math:`4.6 \\times 10^{-4}` at :math:`r = 3`.  The likelihood is
not a distribution over :math:`r`: its values do not sum to 1.
"""

from crossentropy.likelihood import dice_likelihood
from crossentropy.plotting import plot_dice_likelihood

grid = dice_likelihood(reds=34, throws=100)
for r, value in zip(grid.labels, grid.likelihood, strict=True):
    print(f"r = {r} red faces: L = {value:.3g}")
print(f"most likely: r = {grid.best_index}; the values sum to {grid.likelihood.sum():.4f}, not 1")

plot_dice_likelihood(34, 100)
