"""Loss functions derived as negative log-likelihoods, one value per example.

Every loss returns one value per example (the input's shape without the class
axis), in nats; reduce it yourself, usually with ``.mean()``.  The ``_with_logits``
forms take ``return_grad=True`` and then return ``(loss, grad)`` with the exact
gradient with respect to the logits.
"""

from ._classification import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    categorical_cross_entropy,
    categorical_cross_entropy_with_logits,
)
from ._regression import gaussian_nll, squared_error

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "categorical_cross_entropy",
    "categorical_cross_entropy_with_logits",
    "gaussian_nll",
    "squared_error",
]
