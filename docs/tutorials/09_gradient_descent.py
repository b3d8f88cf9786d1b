r"""
9. Gradient descent and the learning rate
=========================================

The losses of the last chapters have no closed-form minimum in general.  Gradient
descent walks downhill: from the current parameters :math:`\theta`, take a small
step against the gradient,

.. math:: \theta \leftarrow \theta - \eta \, \nabla \text{Loss}(\theta),

where :math:`\eta` is the **learning rate**.  Too small and the walk takes
forever; too large and it overshoots and diverges.
"""

# %%
# One parameter
# -------------
#
# Take :math:`f(\theta) = \theta^2`, whose gradient is :math:`2 \theta`.  A step
# maps :math:`\theta` to :math:`(1 - 2\eta)\,\theta`: it shrinks when
# :math:`|1 - 2 \eta| < 1`, that is :math:`0 < \eta < 1`.  In general the bound is
# :math:`\eta < 2 / L` with :math:`L` the largest curvature of the loss.
#
# :func:`crossentropy.optim.gradient_descent` takes a function that returns the
# loss and writes the gradient into an array.

from crossentropy.optim import DivergenceError, gradient_descent


def square(theta, grad):
    grad[...] = 2 * theta
    return float(theta @ theta)


for lr in (0.1, 0.5, 0.9):
    result = gradient_descent(square, [3.0], learning_rate=lr, max_iter=200)
    print(
        f"learning rate {lr}: theta = {result.x[0]:.2e} after {result.n_iter} "
        f"iterations ({result.stop_reason})"
    )

# %%
# The course asks: learning rate 10, what happens?  Each step multiplies
# :math:`\theta` by :math:`1 - 20 = -19`.  The library stops and says so:

try:
    gradient_descent(square, [3.0], learning_rate=10.0)
except DivergenceError as error:
    print(error)

# %%
# Two parameters: the blood-pressure line
# ---------------------------------------
#
# On a real loss the curvature differs by direction.  The gallery's
# :ref:`learning-rate example <sphx_glr_auto_examples_plot_16_learning_rates.py>`
# draws the paths on the blood-pressure line: a small rate creeps, a good one
# walks in, a large one zig-zags, a larger one diverges.  The history of each fit
# records the loss per iteration:

from crossentropy.datasets import load_blood_pressure
from crossentropy.models import LinearRegression
from crossentropy.plotting import plot_history

d = load_blood_pressure()
decades = ((d.age - 45) / 10)[:, None]
fit = LinearRegression(solver="gd", learning_rate=0.2, max_iter=200).fit(decades, d.sbp)
print(f"{fit.n_iter_} iterations, stop: {fit.stop_reason_}, params {fit.params_.round(3)}")
plot_history(fit)

# %%
# On the raw ages (near 50), the curvature along the slope is about
# :math:`2\,\overline{x^2} \approx 5000`, so only rates below :math:`2/5000` are
# stable, and at such rates the intercept barely moves.  That is why features
# are standardised before gradient descent.

try:
    LinearRegression(solver="gd", learning_rate=0.01).fit(d.age[:, None], d.sbp)
except DivergenceError as error:
    print(str(error).splitlines()[0])

# %%
# Mini-batches: stochastic gradient descent
# -----------------------------------------
#
# On 60,000 images, one exact gradient costs a pass over all of them.  SGD
# estimates the gradient from a mini-batch of, say, 128 examples, steps, and
# moves on; one pass over the shuffled data is an **epoch**.  The steps are noisy
# but cheap: SGD gets close in a few epochs.  Reshuffling every epoch keeps the
# batches different.
#
# Newton's method
# ---------------
#
# Newton's method divides the gradient by the curvature (the Hessian):
# :math:`\theta \leftarrow \theta - H^{-1} \nabla \text{Loss}`.  No learning rate
# to choose, and on a quadratic such as the squared error it lands on the minimum
# in one step; on the cross-entropy it needs a handful.  Each step costs a
# Hessian, so it suits models with few parameters.

exact = LinearRegression(solver="newton").fit(d.age[:, None], d.sbp)
print(f"newton: {exact.n_iter_} step(s), params {exact.params_.round(3)}")

# %%
# The gallery compares :ref:`SGD, gradient descent, Newton and L-BFGS
# <sphx_glr_auto_examples_plot_17_solvers.py>` on the digits.
#
# Exercises
# ---------
#
# 1. For :math:`f(\theta) = \theta^2`, what happens at exactly :math:`\eta = 1`?
#
#    .. dropdown:: Answer
#
#       Each step maps :math:`\theta` to :math:`-\theta`: it jumps between 3 and -3
#       for ever, neither converging nor diverging.
#
# 2. For :math:`f(\theta) = 5 \theta^2`, which learning rates converge?
#
#    .. dropdown:: Answer
#
#       The curvature is :math:`L = 10`, so :math:`0 < \eta < 0.2`.
#
# 3. Fit the blood-pressure line by gradient descent on standardised ages
#    (mean 0, standard deviation 1) with learning rate 0.5.  How many iterations?
#    Why?
#
#    .. dropdown:: Answer
#
#       One: with standardised ages the bowl is round, of curvature 2 in every
#       direction, and :math:`\eta = 1/2` is exactly :math:`1 / L`, Newton's step.
#
# 4. In SGD, why shuffle the data every epoch?
#
#    .. dropdown:: Answer
#
#       Data in a fixed order (for example sorted by class) makes consecutive
#       batches biased, and the same batches every epoch repeat the same errors;
#       shuffling makes each mini-batch gradient an unbiased estimate.
