"""Tests of the measure figures (plotting/_measures.py): they render, and show the right data."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

import crossentropy as xe
from crossentropy.plotting import (
    FIGURES,
    plot_binary_entropy,
    plot_dice_likelihood,
    plot_entropy_uniform_to_peaked,
    plot_huffman_tree,
    plot_kl_asymmetry,
)


def png_bytes(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)  # type: ignore[attr-defined]
    return buf.getvalue()


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_registered_figure_renders_to_png(name: str) -> None:
    func, description = FIGURES[name]
    assert description
    data = png_bytes(func())
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # A blank 50-dpi canvas compresses to well under 2 kB; a drawn figure does not.
    assert len(data) > 5000


def test_registry_holds_the_five_measure_figures() -> None:
    assert {
        "binary-entropy",
        "entropy-peaked",
        "dice-likelihood",
        "huffman-tree",
        "kl-asymmetry",
    } <= set(FIGURES)


def test_binary_entropy_curve_data() -> None:
    fig = plot_binary_entropy(base="bits")
    line = fig.axes[0].get_lines()[0]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    np.testing.assert_array_equal(y, xe.binary_entropy(x, base=2))
    assert y.max() == 1.0 and x[y.argmax()] == 0.5
    assert y[0] == 0.0 and y[-1] == 0.0
    nats = plot_binary_entropy(base="nats").axes[0].get_lines()[0].get_ydata()
    assert float(np.max(nats)) == pytest.approx(math.log(2), rel=1e-15)


def test_entropy_from_uniform_to_peaked() -> None:
    fig = plot_entropy_uniform_to_peaked(5, base="bits")
    assert len(fig.axes) == 5  # four bar charts and the curve
    curve = np.asarray(fig.axes[-1].get_lines()[0].get_ydata())
    assert curve[0] == pytest.approx(math.log2(5), rel=1e-15)
    assert curve[-1] == 0.0
    # Entropy is concave and the family is a straight line from its maximum: it falls.
    assert np.all(np.diff(curve) < 0)
    with pytest.raises(ValueError, match="k"):
        plot_entropy_uniform_to_peaked(1)
    # A billion outcomes would need 1.5 TiB before a bar is drawn: refused at once.
    with pytest.raises(ValueError, match=r"`k` must be an integer from 2 to 1000; got 10"):
        plot_entropy_uniform_to_peaked(10**9)


def test_dice_likelihood_maximum_at_one_third() -> None:
    fig = plot_dice_likelihood()
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    dice = lines["dice: p = r/6"]
    x, y = np.asarray(dice.get_xdata()), np.asarray(dice.get_ydata())
    np.testing.assert_allclose(x, np.arange(7) / 6, rtol=0, atol=0)
    assert x[np.argmax(y)] == pytest.approx(1 / 3)
    assert round(float(y.max()), 4) == 0.0831
    best = next(ln for label, ln in lines.items() if label.startswith("largest"))
    assert best.get_label() == "largest: r = 2, L = 0.0831"
    curve = lines["likelihood L(p), any p"]
    cx, cy = np.asarray(curve.get_xdata()), np.asarray(curve.get_ydata())
    assert cx[np.argmax(cy)] == pytest.approx(0.34, abs=1e-12)
    assert "0.0836" in ax.get_title()


def test_huffman_tree_shows_the_codewords() -> None:
    fig = plot_huffman_tree()
    texts = fig.axes[0].texts
    leaves = sorted(t.get_text() for t in texts if t.get_gid() == "leaf")
    assert leaves == ["a\np = 0.5\n1", "b\np = 0.25\n01", "c\np = 0.125\n001", "d\np = 0.125\n000"]
    # One digit per edge: 3 internal nodes with 2 children each.
    assert len([t for t in texts if t.get_gid() == "digit"]) == 6
    nodes = sorted(float(t.get_text()) for t in texts if t.get_gid() == "node")
    assert nodes == [0.25, 0.5, 1.0]
    assert "L = 1.75 bits" in fig.axes[0].get_title()


def test_huffman_tree_in_base_three_and_many_symbols() -> None:
    fig = plot_huffman_tree([0.4, 0.3, 0.2, 0.1], base=3)
    leaves = [t.get_text().split("\n")[-1] for t in fig.axes[0].texts if t.get_gid() == "leaf"]
    assert sorted(leaves) == sorted(xe.coding.huffman_code([0.4, 0.3, 0.2, 0.1], base=3).values())
    p = np.full(30, 1 / 30)
    fig = plot_huffman_tree(p)
    assert len([t for t in fig.axes[0].texts if t.get_gid() == "leaf"]) == 30
    assert len(png_bytes(fig)) > 5000


def test_kl_asymmetry_data() -> None:
    fig = plot_kl_asymmetry(0.2, base="bits")
    forward, backward = fig.axes[0].get_lines()[:2]
    q = np.asarray(forward.get_xdata())
    p_dist = np.array([0.2, 0.8])
    q_dist = np.stack([q, 1 - q], axis=1)
    np.testing.assert_array_equal(forward.get_ydata(), xe.kl_divergence(p_dist, q_dist, base=2))
    np.testing.assert_array_equal(backward.get_ydata(), xe.kl_divergence(q_dist, p_dist, base=2))
    # Both vanish at q = p; they differ elsewhere.
    i = int(np.argmin(np.abs(q - 0.2)))
    assert forward.get_ydata()[i] == 0.0 and backward.get_ydata()[i] == 0.0
    assert abs(forward.get_ydata()[699] - backward.get_ydata()[699]) > 0.05
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        plot_kl_asymmetry(1.0)


def test_figures_draw_into_given_axes() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    axes = fig.subplots(1, 3)
    assert plot_binary_entropy(ax=axes[0]) is fig
    assert plot_dice_likelihood(ax=axes[1]) is fig
    assert plot_huffman_tree(ax=axes[2]) is fig
    assert len(png_bytes(fig)) > 5000


def test_huffman_tree_from_counts() -> None:
    fig = plot_huffman_tree([45, 13, 12, 16, 9, 5], normalize=True)
    words = {
        t.get_text().split("\n")[0]: t.get_text().split("\n")[-1]
        for t in fig.axes[0].texts
        if t.get_gid() == "leaf"
    }
    assert words == dict(
        xe.coding.huffman_code([45, 13, 12, 16, 9, 5], symbols="abcdef", normalize=True)
    )
    with pytest.raises(ValueError, match="sum to 1"):
        plot_huffman_tree([45, 13, 12, 16, 9, 5])
