"""
Binary cross-entropy: the price of a confident mistake
======================================================

For one example with label :math:`y \\in \\{0, 1\\}` and predicted probability
:math:`\\hat y`, the negative log-likelihood of a Bernoulli variable is

.. math:: -\\,[\\,y \\log \\hat y + (1 - y) \\log(1 - \\hat y)\\,].

A right answer given with confidence costs almost nothing; a wrong one given
with confidence costs without bound.
"""

import matplotlib.pyplot as plt
import numpy as np

from crossentropy.losses import binary_cross_entropy

y_hat = np.linspace(0.001, 0.999, 500)
for p in (0.9, 0.5, 0.1, 0.001):
    print(f"y = 1, y_hat = {p:<6}: loss {binary_cross_entropy(1, p):.4f} nats")

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(
    y_hat,
    binary_cross_entropy(np.ones_like(y_hat), y_hat),
    lw=2,
    label="label y = 1: $-\\log \\hat y$",
)
ax.plot(
    y_hat,
    binary_cross_entropy(np.zeros_like(y_hat), y_hat),
    lw=2,
    label="label y = 0: $-\\log(1 - \\hat y)$",
)
ax.set_xlabel("predicted probability $\\hat y$ of class 1")
ax.set_ylabel("loss (nats)")
ax.set_ylim(0, 5)
ax.legend(loc="upper center")
ax.grid(alpha=0.3)
