"""
The sigmoid: from a score to a probability
==========================================

Logistic regression turns a score :math:`z = x w + b` (any real number) into a
probability with the sigmoid

.. math:: \\sigma(z) = \\frac{1}{1 + e^{-z}}, \\qquad \\sigma(0) = \\tfrac12, \\quad
          \\sigma(-z) = 1 - \\sigma(z).

:func:`crossentropy.sigmoid` is exact for any score: :math:`\\sigma(-40)` is
:math:`4.25 \\times 10^{-18}`, not 0.
"""

import matplotlib.pyplot as plt
import numpy as np

import crossentropy as xe

for z in (-40.0, -2.0, 0.0, 2.0, 40.0):
    print(f"sigmoid({z:5.1f}) = {xe.sigmoid(z):.6g}")

z = np.linspace(-8, 8, 401)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(z, xe.sigmoid(z), lw=2, label="$\\sigma(z) = 1 / (1 + e^{-z})$")
ax.axhline(0.5, color="gray", lw=0.8, ls="--")
ax.axvline(0, color="gray", lw=0.8, ls="--")
ax.set_xlabel("score z = x w + b (logit)")
ax.set_ylabel("probability")
ax.legend(loc="upper left")
ax.grid(alpha=0.3)
