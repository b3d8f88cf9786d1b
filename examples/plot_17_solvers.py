"""
SGD, gradient descent, Newton and L-BFGS
========================================

The same maximum-likelihood problem, softmax regression on the digits, solved
four ways.  Each solver records its loss in ``history_``.  Newton's method uses
the curvature and needs a handful of iterations; L-BFGS approximates the
curvature and needs a few dozen; gradient descent creeps; mini-batch SGD makes
many cheap steps per epoch and gets close in a few epochs, but does not settle
exactly at the minimum.
"""

import warnings

import matplotlib.pyplot as plt
from sklearn.exceptions import ConvergenceWarning

from crossentropy.datasets import load_digits
from crossentropy.models import SoftmaxRegression

data = load_digits()
X, y = data.X_train / data.pixel_max, data.y_train
settings = {
    "newton": {"solver": "newton", "max_iter": 30},
    "lbfgs": {"solver": "lbfgs", "max_iter": 200},
    "gd (learning rate 1)": {"solver": "gd", "learning_rate": 1.0, "max_iter": 200},
    "sgd (batch 128)": {"solver": "sgd", "learning_rate": 0.5, "max_iter": 30, "random_state": 0},
}
fits = {}
for name, options in settings.items():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fits[name] = SoftmaxRegression(l2=1e-3, **options).fit(X, y)
    m = fits[name]
    print(
        f"{name:22} {m.n_iter_:4} {m.history_.unit}s, stop: {m.stop_reason_:9} "
        f"loss {m.history_['loss'][-1]:.5f} nats"
    )

fig, ax = plt.subplots(figsize=(7.5, 4.5), layout="constrained")
for name, m in fits.items():
    ax.plot(
        range(1, len(m.history_) + 1),
        m.history_["loss"],
        "o-",
        ms=3,
        label=f"{name} (per {m.history_.unit})",
    )
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("iteration or epoch")
ax.set_ylabel("objective (nats per image)")
ax.legend()
ax.grid(alpha=0.3, which="both")
