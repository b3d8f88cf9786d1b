"""
Cross-entropy: the bits you pay for the wrong code
==================================================

The balls follow :math:`P = (1/2, 1/4, 1/8, 1/8)`, but we built our code for the
model :math:`Q` = uniform: 2 bits for every colour.  Coding data from :math:`P`
with :math:`Q`'s code costs the cross-entropy

.. math:: H(P, Q) = -\\sum_c p_c \\log_2 q_c = 2 \\text{ bits},

0.25 bits per ball more than the 1.75 bits of the right code: that waste is
:math:`D_{KL}(P \\| Q)`.  This is why :math:`H(P, Q)` is called *cross*-entropy.
"""

import matplotlib.pyplot as plt

from crossentropy.coding import coding_cost
from crossentropy.plotting import plot_huffman_tree

colours = ["red", "green", "blue", "yellow"]
p, q = [1 / 2, 1 / 4, 1 / 8, 1 / 8], [1 / 4] * 4
cost = coding_cost(p, q, symbols=colours)
print(f"code built for Q:           {dict(cost.code)}")
print(f"H(P)    (the right code):   {cost.entropy} bits per ball")
print(f"H(P, Q) (Q's code on P):    {cost.cross_entropy} bits per ball")
print(f"KL(P || Q) (the waste):     {cost.kl_divergence} bits per ball")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
plot_huffman_tree(p, symbols=colours, ax=left)
left.set_title("the right code, for P: 1.75 bits")
plot_huffman_tree(q, symbols=colours, ax=right)
right.set_title("the code for Q = uniform, used on P: 2 bits")
