"""Figures of a trained image classifier: learning curves, weight images, confusion matrix.

matplotlib is imported inside each function; figures are built with
:class:`matplotlib.figure.Figure` directly (no pyplot state).  None of them makes
sense without a trained model, so none is registered for ``xent plot``; ``xent
train`` draws all three.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_integer
from ._models import history_series

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_confusion_matrix", "plot_learning_curves", "plot_weight_images"]


def plot_learning_curves(model_or_history: Any, *, title: str | None = None) -> Figure:
    """Loss and accuracy per epoch (or iteration), training and validation side by side.

    Parameters
    ----------
    model_or_history : fitted estimator or History
        Anything with a ``history_`` attribute, or a
        :class:`~crossentropy.optim.History`.  The loss panel draws ``loss`` and
        ``val_loss`` (nats per example); the accuracy panel ``accuracy`` and
        ``val_accuracy`` where they were recorded (it is left out when neither was).
    title : str, optional
        Title of the figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from crossentropy.optim import History
    >>> h = History("epoch")
    >>> for loss, acc in [(0.9, 0.7), (0.5, 0.85), (0.4, 0.9)]:
    ...     h.append(epoch=len(h) + 1, loss=loss, accuracy=acc, val_loss=loss + 0.1,
    ...              val_accuracy=acc - 0.02)
    >>> fig = plot_learning_curves(h)
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['loss (nats per example)', 'accuracy']
    """
    from matplotlib.ticker import MaxNLocator

    from ._figure import Figure

    history = getattr(model_or_history, "history_", model_or_history)
    keys = history.keys()
    if "loss" not in keys:
        raise ValueError("`model_or_history` has no recorded loss; fit the model first")
    has_acc = "accuracy" in keys or "val_accuracy" in keys
    fig = Figure(figsize=(11 if has_acc else 6, 4), layout="constrained")
    axes = fig.subplots(1, 2 if has_acc else 1, squeeze=False)[0]
    unit = history.unit
    marker = "o" if len(history) < 30 else None

    def curve(ax: Any, key: str, label: str, style: str) -> None:
        if key in keys:
            ax.plot(*history_series(history, key), style, marker=marker, label=label)

    curve(axes[0], "loss", "training", "-")
    curve(axes[0], "val_loss", "validation", "--")
    axes[0].set_ylabel("loss (nats per example)")
    if has_acc:
        curve(axes[1], "accuracy", "training", "-")
        curve(axes[1], "val_accuracy", "validation", "--")
        axes[1].set_ylabel("accuracy")
    for ax in axes:
        ax.set_xlabel(unit)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no "epoch 1.2"
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    if "accuracy" in keys and unit == "epoch":
        axes[1].set_title("training: running mean over each epoch's batches", fontsize="small")
    if title:
        fig.suptitle(title)
    return fig


def plot_weight_images(
    model: Any,
    image_shape: tuple[int, int],
    *,
    class_names: Sequence[str] | None = None,
    columns: int = 5,
) -> Figure:
    r"""Each class's weight vector drawn as an image: what the model looks for.

    Pixel :math:`j` of the image of class :math:`c` is :math:`W_{cj}`, the change in
    the logit of class :math:`c` per unit of pixel :math:`j`: red pixels push
    towards the class, blue ones away from it.  One colour scale (symmetric about
    0) serves every class, so the images are comparable.

    Parameters
    ----------
    model : fitted estimator or ndarray
        A model with ``coef_`` of shape (K, height * width), or that array.
    image_shape : (int, int)
        ``(height, width)``: (28, 28) for MNIST, (8, 8) for the digits.
    class_names : sequence of str, optional
        Title of each image (default: ``model.classes_``, else 0, 1, ...).
    columns : int, default 5

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_weight_images(np.arange(20.0).reshape(5, 4) - 10, (2, 2))
    >>> len(fig.axes)  # five images and the colour bar
    6
    """
    from ._figure import Figure

    coef = np.asarray(getattr(model, "coef_", model), dtype=np.float64)
    h, w = (int(s) for s in image_shape)
    if coef.ndim != 2 or coef.shape[1] != h * w:
        raise ValueError(
            f"`model.coef_` must have shape (K, {h} * {w} = {h * w}) for image_shape "
            f"{tuple(image_shape)}; got {coef.shape}"
        )
    k = coef.shape[0]
    if class_names is None:
        classes = getattr(model, "classes_", None)
        class_names = [str(c) for c in (classes if classes is not None else range(k))]
    if len(class_names) != k:
        raise ValueError(f"`class_names` must have {k} names; got {len(class_names)}")
    cols = min(check_integer(columns, "columns", low=1), k)
    rows = math.ceil(k / cols)
    fig = Figure(figsize=(2.0 * cols + 0.8, 2.1 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    limit = float(np.max(np.abs(coef))) or 1.0
    images = []
    for i, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if i < k:
            images.append(ax.imshow(coef[i].reshape(h, w), cmap="RdBu_r", vmin=-limit, vmax=limit))
            ax.set_title(str(class_names[i]), fontsize="medium")
    fig.colorbar(images[0], ax=axes, shrink=0.8, label="weight (logit per unit of pixel)")
    return fig


def plot_confusion_matrix(
    matrix: ArrayLike,
    *,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """A confusion matrix: true classes down, predicted classes across, counts in cells.

    Cells are coloured by the share of their row (the fraction of each true class
    given each prediction), so that rare and common classes read alike; the
    diagonal holds the correct predictions.

    Parameters
    ----------
    matrix : array_like of shape (K, K)
        Counts: ``matrix[i, j]`` examples of true class ``i`` predicted as ``j``
        (as :func:`sklearn.metrics.confusion_matrix` returns).
    class_names : sequence of str, optional
        Label of each class (default 0, 1, ...).
    title : str, optional
        Default: the accuracy, the trace over the total.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_confusion_matrix([[5, 1], [2, 7]], class_names=["no", "yes"])
    >>> fig.axes[0].get_title()
    'accuracy 80.00% (12 of 15)'
    """
    from ._figure import Figure

    cm = np.asarray(matrix)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.shape[0] == 0:
        raise ValueError(f"`matrix` must be a square (K, K) array of counts; got {cm.shape}")
    if cm.dtype.kind not in "iuf" or np.any(cm < 0) or not np.all(np.isfinite(cm)):
        raise ValueError("`matrix` must hold non-negative counts")
    k = cm.shape[0]
    names = [str(c) for c in (class_names if class_names is not None else range(k))]
    if len(names) != k:
        raise ValueError(f"`class_names` must have {k} names; got {len(names)}")
    totals = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, totals, out=np.zeros(cm.shape), where=totals > 0)
    size = max(4.0, 0.55 * k + 2.0)
    fig = Figure(figsize=(size + 1.0, size), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(k):
        for j in range(k):
            if cm[i, j]:
                color = "white" if share[i, j] > 0.5 else "black"
                text = f"{cm[i, j]:g}"
                ax.text(j, i, text, ha="center", va="center", color=color, fontsize="small")
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 2 else 0, ha="right")
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    total = float(cm.sum())
    correct = float(np.trace(cm))
    ax.set_title(
        title
        if title is not None
        else f"accuracy {correct / total:.2%} ({correct:g} of {total:g})"
        if total
        else "no examples"
    )
    fig.colorbar(image, ax=ax, shrink=0.8, label="share of the true class")
    return fig
