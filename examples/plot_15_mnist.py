"""
Softmax regression on MNIST: weights and confusion matrix
=========================================================

Softmax regression on handwritten digits: 784 pixels in, 10 classes out,
:math:`784 \\times 10 + 10 = 7850` parameters, trained by mini-batch SGD on the
cross-entropy.  Each class's weights drawn as an image show what the class looks
for; the confusion matrix shows which digits it mixes up.  It reaches about 92%
on the MNIST test set.

When the MNIST files are not on this machine (``CROSSENTROPY_DATA`` or the cache
folder), the example runs on the 8 x 8 digits that ship with scikit-learn.
"""

import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import confusion_matrix

from crossentropy.datasets import load_with_fallback
from crossentropy.models import SoftmaxRegression
from crossentropy.plotting import plot_confusion_matrix, plot_weight_images

data, message = load_with_fallback("mnist", download=False)
if message:
    print(message)
X_train = data.X_train / data.pixel_max  # pixels in [0, 1]
X_test = data.X_test / data.pixel_max
print(
    f"{data.kind}: {X_train.shape[0]} training and {X_test.shape[0]} test images "
    f"of {data.image_shape[0]} x {data.image_shape[1]} pixels"
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # 5 epochs of SGD, on purpose
    model = SoftmaxRegression(
        solver="sgd", learning_rate=0.5, batch_size=128, max_iter=5, random_state=0
    ).fit(X_train, data.y_train)
n_params = model.coef_.size + model.intercept_.size
print(f"{n_params} parameters; test accuracy {model.score(X_test, data.y_test):.2%}")

# %%
# Red pixels raise the score of the class, blue pixels lower it.
plot_weight_images(model, data.image_shape)

# %%
# True digits down, predicted digits across.
plot_confusion_matrix(confusion_matrix(data.y_test, model.predict(X_test)))
