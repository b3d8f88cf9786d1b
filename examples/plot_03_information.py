"""
Information: the surprise of an event
=====================================

The information (surprisal) of an event of probability :math:`p` is
:math:`I = -\\log_2 p` bits.  A certain event tells nothing (0 bits), a coin flip
1 bit, a one-in-a-million event about 20 bits.  It is the only function of
:math:`p` that decreases, is 0 at :math:`p = 1`, and adds up over independent
events: :math:`I(p\\,q) = I(p) + I(q)`.
"""

import matplotlib.pyplot as plt
import numpy as np

import crossentropy as xe

for p in (1.0, 0.5, 0.25, 1 / 6, 1e-6):
    print(f"p = {p:<10.6g} I = {xe.information(p, base='bits'):7.4f} bits")

# Additivity: two independent events, a coin showing heads and a die showing six.
both = xe.information(0.5 * (1 / 6), base="bits")
each = xe.information(0.5, base="bits") + xe.information(1 / 6, base="bits")
print(f"I(heads and six) = {both:.4f} bits = I(heads) + I(six) = {each:.4f} bits")

p = np.linspace(0.005, 1, 400)
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
ax.plot(p, xe.information(p, base="bits"), lw=2)
for q, label in [(0.5, "coin: 1 bit"), (0.125, "1 in 8: 3 bits")]:
    ax.plot(q, xe.information(q, base="bits"), "o", color="C3")
    ax.annotate(
        label, (q, xe.information(q, base="bits")), xytext=(8, 8), textcoords="offset points"
    )
ax.set_xlabel("probability p of the event")
ax.set_ylabel("information $-\\log_2 p$ (bits)")
ax.set_title("Rare events carry more information")
ax.grid(alpha=0.3)
