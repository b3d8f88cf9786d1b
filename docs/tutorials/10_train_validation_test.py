r"""
10. Train, validation, test: over-fitting
=========================================

A model is good if it predicts *new* data well.  The loss on the data it was
fitted on is optimistic: with enough parameters a model can memorise its training
set.  So we split the data three ways:

* the **training** set fits the parameters;
* the **validation** set chooses between models and settings (learning rate,
  epochs, penalty) and shows over-fitting as it happens;
* the **test** set is looked at once, at the end, to report how good the chosen
  model is.
"""

# %%
# A small MNIST
# -------------
#
# As in the course: 3000 training images and 1000 test images, and 20% of the
# training images held out for validation.  (Where MNIST is not available, the 8
# x 8 digits are used.)

import numpy as np

from crossentropy.datasets import load_with_fallback

data, message = load_with_fallback("mnist", download=False)
if message:
    print(message)
n_train, n_test = min(3000, len(data.y_train)), min(1000, len(data.y_test))
X_train, y_train = data.X_train[:n_train] / data.pixel_max, data.y_train[:n_train]
X_test, y_test = data.X_test[:n_test] / data.pixel_max, data.y_test[:n_test]
print(f"{data.kind}: {n_train} training images (20% of them for validation), {n_test} test images")

# %%
# Watching the two losses
# -----------------------
#
# Train softmax regression (7850 parameters on MNIST, more than the 2400 images it
# learns from) for many epochs, with ``validation_fraction=0.2``.  The history
# records the training and validation loss and accuracy after every epoch.

import warnings

from sklearn.exceptions import ConvergenceWarning

from crossentropy.models import SoftmaxRegression
from crossentropy.plotting import plot_learning_curves


def train(**options):
    """Softmax regression by SGD for 60 epochs, 20% of the images held out."""
    with warnings.catch_warnings():
        # A fixed number of SGD epochs, on purpose (see chapter 8 on this warning).
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = SoftmaxRegression(
            solver="sgd",
            learning_rate=0.5,
            max_iter=60,
            validation_fraction=0.2,
            random_state=0,
            **options,
        )
        return model.fit(X_train, y_train)


free = train()
val_loss = np.asarray(free.history_["val_loss"])
best_epoch = int(val_loss.argmin()) + 1
print(
    f"validation loss smallest at epoch {best_epoch}: {val_loss.min():.3f} nats; "
    f"at epoch {len(val_loss)}: {val_loss[-1]:.3f} nats"
)
plot_learning_curves(free, title="no penalty")

# %%
# The training loss keeps falling; the validation loss falls, bottoms out and
# rises again.  After its minimum the model learns details of its 2400 images that
# do not carry over to others: it **over-fits**.
#
# Two remedies
# ------------
#
# Stop early, at the epoch where the validation loss was smallest
# (``early_stopping=True`` stops when it has not improved for a few epochs).  Or
# penalise large weights: ``l2`` adds :math:`\tfrac\lambda2 \lVert W \rVert^2` to
# the loss, which is maximum likelihood with a Gaussian prior on the weights.

stopped = train(early_stopping=True)
penalised = train(l2=1e-3)
for name, m in [("no penalty", free), ("early stopping", stopped), ("l2 = 1e-3", penalised)]:
    last = m.history_[-1]
    print(
        f"{name:15} {len(m.history_):3} epochs  train loss {last['loss']:.3f}  "
        f"validation loss {last['val_loss']:.3f}  "
        f"validation accuracy {last['val_accuracy']:.2%}"
    )

# %%
# The test set, once
# ------------------
#
# We chose the model by its validation loss; now, and only now, we measure it on
# the test images.  Choosing by the test set would make its number optimistic too.

chosen = min([free, stopped, penalised], key=lambda m: m.history_[-1]["val_loss"])
print(f"chosen: l2 = {chosen.l2}, early_stopping = {chosen.early_stopping}")
print(f"test accuracy {chosen.score(X_test, y_test):.2%}")

# %%
# Exercises
# ---------
#
# 1. Train on all 60,000 MNIST training images instead of 3000.  Does the gap
#    between training and validation loss grow or shrink?  Why?
#
#    .. dropdown:: Answer
#
#       It shrinks: with 48,000 images for 7850 parameters the model cannot
#       memorise them, and the validation loss follows the training loss.
#
# 2. Why is the validation loss a better guide than the validation accuracy for
#    early stopping?
#
#    .. dropdown:: Answer
#
#       The accuracy changes only when a prediction crosses a class boundary; the
#       loss also sees the model becoming over-confident in wrong answers, which
#       is how over-fitting starts.
#
# 3. Try ``l2`` = 1e-4, 1e-3 and 1e-2.  Which gives the smallest validation loss?
#
#    .. dropdown:: Answer
#
#       Too small a penalty over-fits, too large a penalty under-fits (both losses
#       high); the best lies between, found on the validation set, never the
#       test set.
#
# 4. You report the test accuracy, then change the model and report the new
#    test accuracy because it is higher.  What went wrong?
#
#    .. dropdown:: Answer
#
#       The test set was used to choose: it has become a validation set, and the
#       reported number is optimistic.  A fresh test set is needed.
