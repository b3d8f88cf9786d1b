"""
The entropy of a coin
=====================

A coin that shows heads with probability :math:`p` has the entropy

.. math:: H_b(p) = -p \\log_2 p - (1 - p) \\log_2 (1 - p) \\quad \\text{bits}.

It is 0 when the outcome is certain (:math:`p = 0` or :math:`p = 1`) and largest,
1 bit, for a fair coin: no other coin is as hard to predict.
"""

import crossentropy as xe
from crossentropy.plotting import plot_binary_entropy

print(
    f"fair coin:   {xe.binary_entropy(0.5, base='bits'):.4f} bits = "
    f"{xe.binary_entropy(0.5):.4f} nats"
)
print(f"90% heads:   {xe.binary_entropy(0.9, base='bits'):.4f} bits")
print(f"certain:     {xe.binary_entropy(1.0, base='bits'):.4f} bits")

plot_binary_entropy()
