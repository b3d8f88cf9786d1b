"""Tests of the training figures (plotting/_training.py): they render and show the data."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from crossentropy.datasets import load_digits
from crossentropy.models import SoftmaxRegression
from crossentropy.optim import History
from crossentropy.plotting import (
    plot_confusion_matrix,
    plot_learning_curves,
    plot_weight_images,
)


def png_bytes(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=40)  # type: ignore[attr-defined]
    return buf.getvalue()


@pytest.fixture(scope="module")
def digits_model() -> SoftmaxRegression:
    ds = load_digits()
    X, _ = ds.scaled()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return SoftmaxRegression(
            solver="sgd", learning_rate=0.5, max_iter=5, random_state=0, validation_fraction=0.2
        ).fit(X, ds.y_train)


def test_learning_curves_draw_each_recorded_series(digits_model: SoftmaxRegression) -> None:
    fig = plot_learning_curves(digits_model, title="digits")
    loss_ax, acc_ax = fig.axes
    h = digits_model.history_
    lines = {ln.get_label(): ln for ln in loss_ax.get_lines()}
    np.testing.assert_array_equal(lines["training"].get_ydata(), h["loss"])
    np.testing.assert_array_equal(lines["validation"].get_ydata(), h["val_loss"])
    np.testing.assert_array_equal(lines["training"].get_xdata(), [1, 2, 3, 4, 5])
    acc = {ln.get_label(): ln for ln in acc_ax.get_lines()}
    np.testing.assert_array_equal(acc["training"].get_ydata(), h["accuracy"])
    np.testing.assert_array_equal(acc["validation"].get_ydata(), h["val_accuracy"])
    assert png_bytes(fig).startswith(b"\x89PNG")


def test_learning_curves_without_accuracy_have_one_panel() -> None:
    h = History("iteration")
    for i, loss in enumerate([2.0, 1.0, 0.7]):
        h.append(iteration=i + 1, loss=loss)
    fig = plot_learning_curves(h)
    assert len(fig.axes) == 1 and fig.axes[0].get_xlabel() == "iteration"
    with pytest.raises(ValueError, match="no recorded loss"):
        plot_learning_curves(History("epoch"))


def test_weight_images_show_each_class_on_one_scale(digits_model: SoftmaxRegression) -> None:
    fig = plot_weight_images(digits_model, (8, 8))
    image_axes = [ax for ax in fig.axes if ax.get_images()]
    assert len(image_axes) == 10
    assert [ax.get_title() for ax in image_axes] == [str(d) for d in range(10)]
    first = image_axes[3].get_images()[0]
    np.testing.assert_array_equal(first.get_array(), digits_model.coef_[3].reshape(8, 8))
    limit = float(np.abs(digits_model.coef_).max())
    assert first.get_clim() == pytest.approx((-limit, limit))
    assert png_bytes(fig).startswith(b"\x89PNG")
    with pytest.raises(ValueError, match=r"shape \(K, 28 \* 28 = 784\)"):
        plot_weight_images(digits_model, (28, 28))
    with pytest.raises(ValueError, match="class_names"):
        plot_weight_images(digits_model, (8, 8), class_names=["a"])


def test_confusion_matrix_annotates_counts_and_colours_row_shares() -> None:
    cm = np.array([[8, 2, 0], [0, 5, 5], [0, 0, 0]])
    fig = plot_confusion_matrix(cm, class_names=["a", "b", "c"])
    ax = fig.axes[0]
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["2", "5", "5", "8"]  # zero cells stay blank
    shares = ax.get_images()[0].get_array()
    np.testing.assert_allclose(shares, [[0.8, 0.2, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 0.0]])
    assert ax.get_title() == "accuracy 65.00% (13 of 20)"
    assert png_bytes(fig).startswith(b"\x89PNG")
    for bad in (np.zeros((2, 3)), -np.eye(2), [["a"]]):
        with pytest.raises(ValueError, match="matrix"):
            plot_confusion_matrix(bad)


def test_weight_images_need_a_whole_number_of_columns() -> None:
    coef = np.arange(8.0).reshape(2, 4)
    with pytest.raises(TypeError, match=r"`columns` must be an integer >= 1; got float 2\.5"):
        plot_weight_images(coef, (2, 2), columns=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`columns` must be an integer >= 1; got 0"):
        plot_weight_images(coef, (2, 2), columns=0)
