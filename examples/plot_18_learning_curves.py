"""
Training and validation curves
==============================

Hold out part of the training data and watch both losses per epoch.  While the
validation loss falls with the training loss, the model is learning something
that generalises; when the training loss keeps falling and the validation loss
rises, it has started to memorise (over-fitting).  Here: softmax regression on
the 8 x 8 digits, 20% of the training images held out.
"""

import warnings

from sklearn.exceptions import ConvergenceWarning

from crossentropy.datasets import load_digits
from crossentropy.models import SoftmaxRegression
from crossentropy.plotting import plot_learning_curves

data = load_digits()
model = SoftmaxRegression(
    solver="sgd", learning_rate=0.5, max_iter=40, validation_fraction=0.2, random_state=0
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # 40 epochs of SGD, on purpose
    model.fit(data.X_train / data.pixel_max, data.y_train)
last = model.history_[-1]
print(
    f"after {len(model.history_)} epochs: training loss {last['loss']:.3f}, "
    f"validation loss {last['val_loss']:.3f} nats"
)
print(f"test accuracy {model.score(data.X_test / data.pixel_max, data.y_test):.2%}")

plot_learning_curves(model, title="softmax regression on the 8 x 8 digits")
