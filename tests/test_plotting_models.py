"""Tests of the model figures (plotting/_models.py): they render and show the fit."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from crossentropy.datasets import fit_challenger, load_challenger
from crossentropy.models import LogisticRegression, SoftmaxRegression
from crossentropy.optim import DivergenceError
from crossentropy.plotting import plot_challenger, plot_history, plot_sigmoid_fit
from crossentropy.plotting._models import FIGURES


def png_bytes(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)  # type: ignore[attr-defined]
    return buf.getvalue()


@pytest.mark.parametrize("binomial", [False, True])
def test_challenger_figure_shows_the_fit_and_band(binomial: bool) -> None:
    fig = plot_challenger(fit_challenger(binomial=binomial), binomial=binomial)
    ax = fig.axes[0]
    curve = ax.get_lines()[0]
    x, p = curve.get_xdata(), curve.get_ydata()
    assert x.min() < 31 < 53 < 81 < x.max()
    d = load_challenger()
    if binomial:
        want = LogisticRegression().fit(d.temp_f[:, None], d.distress, trials=6)
    else:
        want = LogisticRegression().fit(d.temp_f[:, None], d.distress > 0)
    np.testing.assert_allclose(p, want.predict_proba(x[:, None])[:, 1], rtol=1e-12)
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() >= 0.0 and band[:, 1].max() <= 1.0
    # The 23 flights are drawn.
    assert ax.collections[1].get_offsets().shape == (23, 2)
    # 31 F is marked with its probability and interval.
    at31 = want.predict_proba([[31.0]], interval=0.95)
    lo, hi = at31.lower[0, 1], at31.upper[0, 1]
    assert ax.texts[0].get_text() == (
        f"P = {at31.proba[0, 1]:.4g} at 31\n95% interval: {lo:.3g} to {hi:.3g}"
    )
    assert png_bytes(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_challenger_figure_without_a_model_is_deprecated_and_still_drawn() -> None:
    """The old call form fits the model inside the plotting function: it still works,
    with a DeprecationWarning, and draws what the new form draws."""
    for binomial in (False, True):
        with pytest.warns(DeprecationWarning, match=r"pass one: plot_challenger\(.*fit_challenger"):
            old = plot_challenger(binomial=binomial)
        new = plot_challenger(fit_challenger(binomial=binomial), binomial=binomial)
        old_line, new_line = old.axes[0].get_lines()[0], new.axes[0].get_lines()[0]
        np.testing.assert_array_equal(old_line.get_ydata(), new_line.get_ydata())
        assert old.axes[0].texts[0].get_text() == new.axes[0].texts[0].get_text()


def test_challenger_figure_draws_the_model_it_is_given() -> None:
    d = load_challenger()
    flat = LogisticRegression(solver="lbfgs", l2=1e6).fit(d.temp_f[:, None], d.distress > 0)
    fig = plot_challenger(flat, interval=None)
    x, p = fig.axes[0].get_lines()[0].get_data()
    # the penalised slope is near 0: nearly flat, unlike the maximum-likelihood fit
    assert np.ptp(p) < 0.05
    np.testing.assert_array_equal(p, flat.predict_proba(x[:, None])[:, 1])


def test_registered_figures_render() -> None:
    for func, description in FIGURES.values():
        assert description and len(png_bytes(func())) > 5000


def test_sigmoid_fit_without_band() -> None:
    x = np.array([1.0, 2, 3, 4, 5, 6])
    y = np.array([0, 0, 1, 0, 1, 1])
    m = LogisticRegression(solver="lbfgs", l2=0.1).fit(x[:, None], y)
    fig = plot_sigmoid_fit(m, x, y, interval=None, at=7.0)
    assert len(fig.axes[0].collections) == 1  # data only, no band
    assert fig.axes[0].texts[0].get_text() == f"P = {m.predict_proba([[7.0]])[0, 1]:.4g} at 7"


def test_history_figure_with_validation() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 3))
    y = np.argmax(X + rng.gumbel(size=(600, 3)), axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = SoftmaxRegression(
            solver="sgd", max_iter=4, validation_fraction=0.25, random_state=0
        ).fit(X, y)
    fig = plot_history(m)
    assert len(fig.axes) == 2
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), m.history_["loss"])
    assert fig.axes[1].get_ylabel() == "accuracy"


def test_history_figure_draws_each_value_at_its_epoch() -> None:
    # Validation data from the second partial_fit call on: its loss and accuracy
    # belong to epochs 2 and 3, not 1 and 2.
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] + rng.logistic(size=300) > 0).astype(int)
    m = LogisticRegression(solver="sgd", random_state=0)
    m.partial_fit(X, y)
    for _ in range(2):
        m.partial_fit(X, y, validation_data=(X, y))
    fig = plot_history(m)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["training loss"].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines["validation loss"].get_xdata(), [2, 3])
    np.testing.assert_array_equal(lines["validation loss"].get_ydata(), m.history_["val_loss"])
    acc = fig.axes[1].get_lines()[0]
    np.testing.assert_array_equal(acc.get_xdata(), [2, 3])
    np.testing.assert_array_equal(acc.get_ydata(), m.history_["val_accuracy"])


def test_history_of_a_divergence_uses_a_log_scale() -> None:
    d = load_challenger()
    with pytest.raises(DivergenceError) as info:
        LogisticRegression(solver="gd", learning_rate=1.0).fit(d.temp_f[:, None], d.distress > 0)
    fig = plot_history(info.value.history)
    assert fig.axes[0].get_title() == "stopped: diverged"
    assert png_bytes(fig)[:4] == b"\x89PNG"


def test_history_needs_a_fit() -> None:
    from crossentropy.optim import History

    with pytest.raises(ValueError, match="no recorded loss"):
        plot_history(History())


def test_log_scale_must_be_a_boolean() -> None:
    from crossentropy.optim import History

    h = History()
    h.append(loss=1.0)
    with pytest.raises(TypeError, match="`log_scale` must be True or False; got str 'yes'"):
        plot_history(h, log_scale="yes")  # type: ignore[arg-type]
