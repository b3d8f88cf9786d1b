"""
Softmax regression by hand: x = (1, 2)
======================================

The softmax turns :math:`K` scores into :math:`K` probabilities,
:math:`\\operatorname{softmax}(z)_c = e^{z_c} / \\sum_k e^{z_k}`.  Softmax
regression scores an input :math:`x` with :math:`z = x W + b`.  The course's
check, with

.. math:: x = (1, 2), \\quad
          W = \\begin{pmatrix} 1 & 2 & 3 \\\\ 4 & 5 & 6 \\end{pmatrix}, \\quad
          b = (1, 2, 3):

:math:`z = (10, 14, 18)` and :math:`P = (3.29 \\times 10^{-4},\\ 1.80 \\times 10^{-2},\\
9.82 \\times 10^{-1})`.
"""

import matplotlib.pyplot as plt
import numpy as np

import crossentropy as xe

x = np.array([1.0, 2.0])
W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b = np.array([1.0, 2.0, 3.0])
z = x @ W + b
probabilities = xe.softmax(z)
print("scores z =", z)
print("softmax  =", probabilities)
print("sum      =", probabilities.sum())

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
ax1.bar(["class 1", "class 2", "class 3"], z, color="C0")
ax1.set_title("scores z = x W + b")
bars = ax2.bar(["class 1", "class 2", "class 3"], probabilities, color="C1")
ax2.bar_label(bars, labels=[f"{v:.3g}" for v in probabilities])
ax2.set_ylim(0, 1.1)
ax2.set_title("softmax(z): probabilities")
