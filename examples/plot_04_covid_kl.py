"""
KL divergence: the covid example
================================

A doctor's diagnoses follow :math:`P = (0.7, 0.2, 0.1)` over covid, diabetes and
heart disease; a model predicts :math:`Q = (0.5, 0.2, 0.3)`.  How far is the model
from the truth?

.. math::

   D_{KL}(P \\,\\|\\, Q) = \\sum_c p_c \\log \\frac{p_c}{q_c}
   = H(P, Q) - H(P) = 0.12567 \\text{ nats} = 0.18130 \\text{ bits}.
"""

import matplotlib.pyplot as plt
import numpy as np

import crossentropy as xe
from crossentropy.explain import explain_kl_divergence

p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
print(f"H(P)      = {xe.entropy(p):.5f} nats")
print(f"H(P, Q)   = {xe.cross_entropy(p, q):.5f} nats")
print(
    f"KL(P||Q)  = {xe.kl_divergence(p, q):.5f} nats = "
    f"{xe.kl_divergence(p, q, base='bits'):.5f} bits"
)
print(f"KL(Q||P)  = {xe.kl_divergence(q, p):.5f} nats  (not the same: KL is not symmetric)")

# %%
# The derivation, term by term, as :mod:`crossentropy.explain` writes it:
print(explain_kl_divergence(p, q, symbols=["covid", "diabetes", "heart"]))

# %%
# Each class adds :math:`p_c \log(p_c / q_c)`: covid, under-predicted, adds;
# heart disease, over-predicted, subtracts; diabetes, exact, adds nothing.
names = ["covid", "diabetes", "heart"]
terms = np.array(p) * np.log(np.array(p) / np.array(q))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
x = np.arange(3)
ax1.bar(x - 0.2, p, 0.4, label="P (truth)")
ax1.bar(x + 0.2, q, 0.4, label="Q (model)")
ax1.set_xticks(x, names)
ax1.set_ylabel("probability")
ax1.legend()
ax2.bar(x, terms, color=["C2" if t > 0 else "C3" for t in terms])
ax2.axhline(0, color="k", lw=0.8)
ax2.set_xticks(x, names)
ax2.set_ylabel("$p_c \\log(p_c / q_c)$ (nats)")
ax2.set_title(f"sum = KL(P || Q) = {terms.sum():.5f} nats")
