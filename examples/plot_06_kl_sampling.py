"""
KL divergence as an average over samples
========================================

Draw diagnoses :math:`x_1, x_2, \\dots` from the truth :math:`P` and average the
log-ratio :math:`\\log p(x_i) / q(x_i)`.  By the law of large numbers the average
tends to its expectation under :math:`P`, which is the KL divergence:

.. math:: \\frac1n \\sum_{i=1}^n \\log\\frac{p(x_i)}{q(x_i)}
          \\;\\longrightarrow\\; \\sum_c p_c \\log \\frac{p_c}{q_c} = D_{KL}(P \\| Q).
"""

import matplotlib.pyplot as plt
import numpy as np

import crossentropy as xe

p, q = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.2, 0.3])
rng = np.random.default_rng(0)
x = rng.choice(3, size=20_000, p=p)
# -log q(x) - (-log p(x)) = log p(x)/q(x): the surprise under the model minus the true one
log_ratio = xe.information(q[x]) - xe.information(p[x])
running = np.cumsum(log_ratio) / np.arange(1, x.size + 1)
print(f"average over {x.size} samples: {running[-1]:.5f} nats")
print(f"KL(P || Q):                    {xe.kl_divergence(p, q):.5f} nats")

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(np.arange(1, x.size + 1), running, lw=1.2, label="running average of log p(x)/q(x)")
ax.axhline(xe.kl_divergence(p, q), color="C3", ls="--", label="KL(P || Q) = 0.12567 nats")
ax.set_xscale("log")
ax.set_xlabel("number of samples drawn from P")
ax.set_ylabel("nats")
ax.legend()
ax.grid(alpha=0.3)
