r"""
8. Softmax regression: MNIST
============================

More than two classes.  The model scores each class with a line, turns the
scores into probabilities with the softmax, and is fitted by minimising the
categorical cross-entropy.  It is a neural network with no hidden layer, the
"mother of all networks".
"""

# %%
# The softmax
# -----------
#
# For scores (logits) :math:`z_1, \dots, z_K`,
#
# .. math:: \operatorname{softmax}(z)_c = \frac{e^{z_c}}{\sum_k e^{z_k}},
#
# positive and summing to 1.  Softmax regression scores an input row :math:`x`
# with :math:`z = x W + b`.  The course's check: :math:`x = (1, 2)`,
# :math:`W = \begin{pmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \end{pmatrix}`,
# :math:`b = (1, 2, 3)`.

import numpy as np

import crossentropy as xe

x = np.array([1.0, 2.0])
W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b = np.array([1.0, 2.0, 3.0])
z = x @ W + b
print("z =", z)
print("softmax(z) =", xe.softmax(z))

# %%
# With two classes, the softmax of :math:`(z_1, z_2)` is the sigmoid of
# :math:`z_2 - z_1`: logistic regression is the case :math:`K = 2`.

print(xe.softmax([0.5, 2.0])[1], xe.sigmoid(2.0 - 0.5))

# %%
# The loss: categorical cross-entropy
# -----------------------------------
#
# Each example is one draw of a categorical variable.  Its negative
# log-likelihood is the cross-entropy between the label, one-hot
# :math:`y_i`, and the prediction :math:`\hat y_i`:
#
# .. math:: \text{Cost} = -\frac1n \sum_i \sum_c y_{ic} \log \hat y_{ic}
#           = -\frac1n \sum_i \log \hat y_{i, \text{true class}} .
#
# Only the true class's term survives, so integer labels need no one-hot matrix.
# The library computes it from the logits with log-sum-exp, exact for any score,
# and returns the gradient, which is simply :math:`\hat y - y`:

from crossentropy.losses import categorical_cross_entropy_with_logits

loss, grad = categorical_cross_entropy_with_logits([2], [z], return_grad=True)
print(f"loss for true class 3: {loss[0]:.6f} nats = -log {xe.softmax(z)[2]:.6f}")
print("gradient:", grad[0])
print("p - y:   ", xe.softmax(z) - np.array([0, 0, 1]))

# %%
# Why :math:`\hat y - y`: the loss is :math:`\log \sum_k e^{z_k} - z_{\text{true}}`;
# the derivative of the first term by :math:`z_c` is :math:`\hat y_c`, of the
# second :math:`y_c`.
#
# MNIST
# -----
#
# Images of handwritten digits, 28 x 28 = 784 pixels, 10 classes.  Softmax
# regression has a weight for every pixel and class plus a bias per class:
# :math:`784 \times 10 + 10 = 7850` parameters.  (Where the MNIST files are not
# available, this page falls back to the 8 x 8 digits of scikit-learn.)

from crossentropy.datasets import load_with_fallback

data, message = load_with_fallback("mnist", download=False)
if message:
    print(message)
X_train, X_test = data.X_train / data.pixel_max, data.X_test / data.pixel_max
print(f"{data.kind}: X_train {X_train.shape}, X_test {X_test.shape}")

# %%
# Mini-batch SGD: each step uses 128 images, a matrix of shape (128, 784); an
# epoch is one pass over the shuffled training set.

from crossentropy.models import SoftmaxRegression

model = SoftmaxRegression(
    solver="sgd", learning_rate=0.5, batch_size=128, max_iter=5, random_state=0
).fit(X_train, data.y_train)
print(
    f"parameters: {model.coef_.size} + {model.intercept_.size} = "
    f"{model.coef_.size + model.intercept_.size}"
)
print(
    f"training accuracy {model.score(X_train, data.y_train):.2%}, "
    f"test accuracy {model.score(X_test, data.y_test):.2%}"
)

# %%
# The fit warns that after 5 epochs the gradient is still above ``tol``: SGD
# runs the epochs it is given, and its noisy steps never meet a tolerance of
# :math:`10^{-6}`.  Here that is what we asked for; the exact solvers
# (``solver="lbfgs"`` or ``"newton"``) do meet it.
#
# On MNIST the test accuracy is about 92%: a straight-line model in pixel space
# already reads most digits.  What does it look for?  The weights of each class,
# drawn as an image:

from crossentropy.plotting import plot_weight_images

plot_weight_images(model, data.image_shape)

# %%
# And which digits does it confuse?

from sklearn.metrics import confusion_matrix

from crossentropy.plotting import plot_confusion_matrix

plot_confusion_matrix(confusion_matrix(data.y_test, model.predict(X_test)))

# %%
# Exercises
# ---------
#
# 1. Add 100 to every score :math:`z`.  What happens to the softmax?  Why is that
#    useful numerically?
#
#    .. dropdown:: Answer
#
#       Nothing: the factor :math:`e^{100}` cancels.  Subtracting the largest
#       score before exponentiating keeps :math:`e^{z}` from overflowing, and the
#       library does that.
#
# 2. How many parameters has softmax regression on the 8 x 8 digits?
#
#    .. dropdown:: Answer
#
#       :math:`64 \times 10 + 10 = 650`.
#
# 3. Which pair of digits does the model confuse most?  Look at the largest
#    off-diagonal cell of the confusion matrix.
#
#    .. dropdown:: Answer
#
#       On MNIST, typically 5 taken for 3 or 8, 4 for 9 and 7 for 9: digits that
#       share strokes.  ``cm = confusion_matrix(...); np.fill_diagonal(cm, 0);
#       np.unravel_index(cm.argmax(), cm.shape)``.
#
# 4. Check the gradient :math:`\hat y - y` by finite differences on the logits.
#
#    .. dropdown:: Answer
#
#       ``(loss(z + h e_c) - loss(z - h e_c)) / (2h)`` with :math:`h = 10^{-6}`
#       matches ``grad[0, c]`` to about :math:`10^{-9}`.
