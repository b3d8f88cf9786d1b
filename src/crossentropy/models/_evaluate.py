"""How well a fitted classifier does on labelled data: loss, accuracy, confusion matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..losses import categorical_cross_entropy_with_logits
from ._logistic import LogisticRegression
from ._softmax import SoftmaxRegression, class_indices

__all__ = ["Evaluation", "evaluate"]


@dataclass(frozen=True)
class Evaluation:
    """A classifier's loss (nats per example), accuracy and confusion matrix on a set.

    ``confusion_matrix[i, j]`` counts the examples of class ``classes_[i]``
    predicted as ``classes_[j]`` (rows: true class, columns: predicted class).
    """

    loss: float
    accuracy: float
    confusion_matrix: NDArray[np.int64]
    n: int


def _class_logits(model: LogisticRegression | SoftmaxRegression, X: Any) -> NDArray[Any]:
    """One logit per class, shape (n, K): softmax's own, or (0, z) for the binary model."""
    z = model.decision_function(X)
    if z.ndim == 2:
        return z
    return np.column_stack([np.zeros_like(z), z])


def evaluate(model: LogisticRegression | SoftmaxRegression, X: Any, y: Any) -> Evaluation:
    r"""The mean cross-entropy, accuracy and confusion matrix of a fitted classifier.

    All three come from one set of logits :math:`z`: the loss is
    :math:`-\frac1n \sum_i \log \operatorname{softmax}(z_i)_{y_i}` in nats (the
    model's own objective without penalty), computed from the logits; a prediction
    is the class of the largest logit.

    Parameters
    ----------
    model : LogisticRegression or SoftmaxRegression
        A fitted classifier.
    X : array_like of shape (n, n_features)
    y : array_like of shape (n,)
        True labels, each one of ``model.classes_``; at least one.

    Returns
    -------
    Evaluation

    Examples
    --------
    The Challenger flights, predicted by their own logistic regression:

    >>> from crossentropy.datasets import load_challenger
    >>> d = load_challenger()
    >>> X, y = d.temp_f.reshape(-1, 1), d.distress > 0
    >>> e = evaluate(LogisticRegression().fit(X, y), X, y)
    >>> print(f"{e.loss:.4f} nats, accuracy {e.accuracy:.2%}")
    0.4416 nats, accuracy 86.96%
    >>> e.confusion_matrix  # rows: no distress, distress; columns: as predicted
    array([[16,  0],
           [ 3,  4]])
    """
    if not isinstance(model, (LogisticRegression, SoftmaxRegression)):
        raise TypeError(
            "`model` must be a fitted LogisticRegression or SoftmaxRegression; "
            f"got {type(model).__name__}"
        )
    classes = model.classes_
    labels_in = np.asarray(y)
    if labels_in.ndim != 1 or labels_in.shape[0] == 0:
        raise ValueError(
            f"`y` must be a 1-d array of at least one label; got shape {labels_in.shape}"
        )
    labels = class_indices(labels_in, classes)
    z = _class_logits(model, X)
    if z.shape[0] != labels.shape[0]:
        raise ValueError(f"`y` must have one label per row of X ({z.shape[0]}); got {len(labels)}")
    k = len(classes)
    pred = np.argmax(z, axis=1)
    loss = categorical_cross_entropy_with_logits(labels, z)
    cm = np.bincount(labels * k + pred, minlength=k * k).reshape(k, k)
    return Evaluation(
        loss=float(np.mean(loss, dtype=np.float64)),
        accuracy=float(np.mean(pred == labels)),
        confusion_matrix=cm.astype(np.int64),
        n=int(labels.shape[0]),
    )
