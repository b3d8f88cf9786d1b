"""Figures of the information measures, source coding and the dice likelihood.

matplotlib is imported inside each function; figures are built with
:class:`matplotlib.figure.Figure` directly (no pyplot state), so they can be
drawn in scripts, servers and notebooks alike.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_integer, check_number
from ..information import binary_entropy, entropy, kl_divergence

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "plot_binary_entropy",
    "plot_dice_likelihood",
    "plot_entropy_uniform_to_peaked",
    "plot_huffman_tree",
    "plot_kl_asymmetry",
]


def _figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.get_figure(), ax  # type: ignore[return-value]
    from ._figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def plot_binary_entropy(*, base: str = "bits", ax: Axes | None = None) -> Figure:
    r"""The binary entropy curve :math:`H_b(p) = -p \log p - (1-p) \log(1-p)`.

    Zero for a certain outcome (:math:`p = 0` or 1), largest for a fair coin
    (:math:`p = 1/2`: 1 bit, :math:`\ln 2` nats).

    Parameters
    ----------
    base : {"bits", "nats", "bans"}, default "bits"
        Unit of the vertical axis.
    ax : matplotlib Axes, optional
        Draw into these axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_binary_entropy()
    >>> line = fig.axes[0].get_lines()[0]
    >>> float(line.get_xdata()[line.get_ydata().argmax()])
    0.5
    """
    fig, ax = _figure(ax, (6, 4))
    p = np.linspace(0.0, 1.0, 401)
    h = binary_entropy(p, base=base)
    top = float(binary_entropy(0.5, base=base))
    ax.plot(p, h, color="C0", lw=2, label="$H_b(p)$")
    amount = f"{top:.4g} {base[:-1] if f'{top:.4g}' == '1' else base}"
    ax.plot([0.5], [top], "o", color="C3", label=f"fair coin: {amount}")
    ax.annotate(
        f"fair coin\n{amount}",
        (0.5, top),
        xytext=(0.62, 0.8 * top),
        arrowprops={"arrowstyle": "->"},
    )
    ax.annotate(
        "certain:\n0", (0.0, 0.0), xytext=(0.04, 0.2 * top), arrowprops={"arrowstyle": "->"}
    )
    ax.set_xlabel("p = P(heads)")
    ax.set_ylabel(f"entropy [{base}]")
    ax.set_title("Entropy of a coin: largest when it is fair")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.1 * top)
    ax.grid(alpha=0.3)
    return fig


def plot_entropy_uniform_to_peaked(k: int = 4, *, base: str = "bits") -> Figure:
    r"""Entropy of distributions from uniform to peaked (certain).

    The family :math:`P_\alpha = (1 - \alpha)\,U + \alpha\,\delta_1` goes from the
    uniform distribution :math:`U` over ``k`` outcomes (:math:`\alpha = 0`,
    :math:`H = \log k`, the largest possible) to a certain outcome
    (:math:`\alpha = 1`, :math:`H = 0`).  Bars show four members, the curve the
    entropy along the whole family.

    Parameters
    ----------
    k : int, default 4
        Number of outcomes, from 2 to 1000 (one bar each).
    base : {"bits", "nats", "bans"}, default "bits"
        Unit of the entropy.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_entropy_uniform_to_peaked(4)
    >>> curve = fig.axes[-1].get_lines()[0].get_ydata()
    >>> float(curve[0]), float(curve[-1])
    (2.0, 0.0)
    """
    from ._figure import Figure

    # One bar per outcome: beyond a thousand the bars are invisible, and the family's
    # table (201 x k) would take gigabytes (k = 10**9: 1.5 TiB).
    k = check_integer(k, "k", low=2, high=1000)
    fig = Figure(figsize=(9, 6), layout="constrained")
    grid = fig.add_gridspec(2, 4, height_ratios=[1, 1.3])
    uniform = np.full(k, 1.0 / k)
    peak = np.zeros(k)
    peak[0] = 1.0
    alphas = np.linspace(0.0, 1.0, 201)
    family = (1 - alphas)[:, None] * uniform + alphas[:, None] * peak
    # Each row mixes two distributions: it sums to 1 within rounding, far inside
    # the tolerance of entropy().
    h = entropy(family, base=base)
    shown = (0.0, 0.4, 0.8, 1.0)
    top = float(entropy(uniform, base=base))
    for j, a in enumerate(shown):
        ax = fig.add_subplot(grid[0, j])
        dist = (1 - a) * uniform + a * peak
        ax.bar(np.arange(1, k + 1), dist, color="C0")
        ax.set_ylim(0, 1.05)
        ax.set_xticks(np.arange(1, k + 1))
        hv = float(entropy(dist, base=base))
        kind = {0.0: "uniform", 1.0: "certain"}.get(a, f"alpha = {a:g}")
        ax.set_title(f"{kind}\nH = {hv:.3g} {base}", fontsize=10)
        if j == 0:
            ax.set_ylabel("probability")
    ax = fig.add_subplot(grid[1, :])
    ax.plot(alphas, h, color="C0", lw=2, label=r"$H(P_\alpha)$")
    ax.axhline(top, color="C3", ls="--", lw=1, label=f"log {k} = {top:.3g} {base} (uniform)")
    ax.plot(shown, [float(np.interp(a, alphas, h)) for a in shown], "o", color="C1")
    ax.set_xlabel(r"$\alpha$: from uniform (0) to certain (1)")
    ax.set_ylabel(f"entropy [{base}]")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.1 * top)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.suptitle(
        f"Entropy is largest for the uniform distribution over {k} outcomes, 0 for a certain one"
    )
    return fig


def plot_dice_likelihood(
    reds: int = 34, throws: int = 100, *, faces: int = 6, ax: Axes | None = None
) -> Figure:
    r"""The likelihood of a die with :math:`r` red faces, given ``reds`` in ``throws``.

    The curve is the binomial likelihood :math:`L(p)` over every :math:`p` in
    [0, 1], largest at :math:`k/n`; the stems are the dice :math:`p = r/6`, the
    largest marked.  Its values are not a distribution over :math:`p` (the stems
    sum to 0.0836 for the course's 34 reds in 100 throws).

    Parameters
    ----------
    reds, throws : int, default 34 and 100
        The observation.
    faces : int, default 6
        Faces of the die.
    ax : matplotlib Axes, optional
        Draw into these axes.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_dice_likelihood()
    >>> best = [ln for ln in fig.axes[0].get_lines() if ln.get_label().startswith("largest")]
    >>> round(float(best[0].get_xdata()[0]), 4)
    0.3333
    """
    from ..likelihood import binomial_likelihood, binomial_mle, dice_likelihood

    grid = dice_likelihood(reds, throws, faces=faces)
    fig, ax = _figure(ax, (7, 4.5))
    p = np.linspace(0.0, 1.0, 1001)
    curve = binomial_likelihood(reds, throws, p)
    ax.plot(p, curve, color="C0", lw=1.5, label="likelihood L(p), any p")
    like = grid.likelihood
    ax.vlines(grid.parameter, 0, like, color="C1", lw=2)
    ax.plot(grid.parameter, like, "o", color="C1", label=f"dice: p = r/{faces}")
    b = grid.best_index
    ax.plot(
        [grid.parameter[b]],
        [like[b]],
        "o",
        ms=11,
        mfc="none",
        mec="C3",
        mew=2,
        label=f"largest: r = {grid.labels[b]}, L = {like[b]:.3g}",
    )
    for r, x, y in zip(grid.labels, grid.parameter, like, strict=True):
        if y > 1e-4 * like[b]:
            ax.annotate(
                f"r={r}\n{y:.2g}", (x, y), xytext=(6, 4), textcoords="offset points", fontsize=9
            )
    mle = binomial_mle(reds, throws)
    ax.axvline(mle, color="gray", ls=":", lw=1, label=f"k/n = {mle:.3g} (maximum over all p)")
    ax.set_xticks(grid.parameter, [f"{r}/{faces}" for r in grid.labels])
    ax.set_xlim(0, 1)
    ax.set_xlabel("p = r / faces (probability of red)")
    ax.set_ylabel(f"L(p) = P({reds} reds in {throws} | p)")
    ax.set_title(
        f"Which die? {reds} reds in {throws} throws\n(the stems sum to "
        f"{grid.total():.3g}: the likelihood is not a distribution over p)",
        fontsize=10,
    )
    ax.set_ylim(0, 1.25 * max(float(like[b]), float(np.max(curve))))
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3)
    return fig


def plot_huffman_tree(
    p: ArrayLike = (0.5, 0.25, 0.125, 0.125),
    *,
    symbols: Iterable[Hashable] | None = None,
    base: int = 2,
    normalize: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """The tree of a Huffman code: each question a node, each answer a digit.

    A symbol's codeword is the sequence of digits on the way from the root to its
    leaf; its depth is the codeword's length.  Nodes show the probability of the
    symbols below them.

    Parameters
    ----------
    p : array_like, default the four balls (1/2, 1/4, 1/8, 1/8)
        The distribution.
    symbols : iterable, optional
        Names of the symbols; default the letters a, b, c, ... (numbers 1, 2, ...
        beyond 26 symbols).
    base : int, default 2
        Size of the code alphabet.
    normalize : bool, default False
        Scale ``p`` to sum to 1 first (counts or frequencies).
    ax : matplotlib Axes, optional
        Draw into these axes.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_huffman_tree()
    >>> sorted(t.get_text().split("\\n")[-1] for t in fig.axes[0].texts if t.get_gid() == "leaf")
    ['000', '001', '01', '1']
    """
    from ..coding import DIGITS, digit_unit, expected_length, huffman_code, probability_vector

    arr = probability_vector(p, "p", normalize=normalize)
    if symbols is None:
        k = len(arr)
        symbols = "abcdefghijklmnopqrstuvwxyz"[:k] if k <= 26 else [str(i + 1) for i in range(k)]
    code = huffman_code(arr, symbols=symbols, base=base)
    weight = {s: float(w) for s, w in zip(code.symbols, arr, strict=True)}
    # Nodes are the prefixes of the codewords; leaves left to right in codeword order,
    # the highest digit first, so that "1" is left of "0".
    digits = DIGITS[: code.base]
    reverse = str.maketrans(digits, digits[::-1])
    leaves = sorted(code.symbols, key=lambda s: code[s].translate(reverse))
    pos: dict[str, tuple[float, float]] = {}
    node_weight: dict[str, float] = {}
    for i, s in enumerate(leaves):
        w = code[s]
        pos[w] = (float(i), -float(len(w)))
        for j in range(len(w)):
            node_weight[w[:j]] = node_weight.get(w[:j], 0.0) + weight[s]
    internal = sorted({w[:j] for w in code.codewords for j in range(len(w))}, key=len, reverse=True)
    for node in internal:
        kids = [c for c in pos if len(c) == len(node) + 1 and c.startswith(node)]
        pos[node] = (float(np.mean([pos[c][0] for c in kids])), -float(len(node)))
    fig, ax = _figure(ax, (max(5.0, 1.2 * len(leaves)), 1.3 * (1 + code.lengths.max()) + 1))
    for node, (x, y) in pos.items():
        if node:
            px, py = pos[node[:-1]]
            ax.plot([px, x], [py, y], color="0.4", lw=1.2, zorder=1)
            ax.text(
                (px + x) / 2,
                (py + y) / 2,
                node[-1],
                color="C3",
                fontsize=11,
                ha="center",
                va="center",
                fontweight="bold",
                gid="digit",
                bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "none"},
            )
    by_word = {code[s]: s for s in code.symbols}
    for node, (x, y) in pos.items():
        if node in by_word:
            s = by_word[node]
            ax.text(
                x,
                y,
                f"{s}\np = {weight[s]:.3g}\n{node or '(empty)'}",
                ha="center",
                va="top",
                fontsize=10,
                gid="leaf",
                bbox={"boxstyle": "round", "fc": "#e8f0fb", "ec": "C0"},
            )
        else:
            ax.text(
                x,
                y,
                f"{node_weight[node]:.3g}",
                ha="center",
                va="center",
                fontsize=9,
                gid="node",
                bbox={"boxstyle": "circle", "fc": "white", "ec": "0.4"},
            )
    length = expected_length(code, arr)
    h = float(entropy(arr, base=code.base))
    unit = digit_unit(code.base)
    ax.set_title(f"Huffman code: L = {length:.4g} {unit} per symbol, H(P) = {h:.4g}")
    ax.set_xlim(-0.8, len(leaves) - 0.2)
    ax.set_ylim(-float(code.lengths.max()) - 1.0, 0.5)
    ax.set_axis_off()
    return fig


def plot_kl_asymmetry(p: float = 0.2, *, base: str = "bits") -> Figure:
    r"""KL(P || Q) against KL(Q || P): the divergence is not symmetric.

    Left: for coins :math:`P = \text{Bernoulli}(p)` and
    :math:`Q = \text{Bernoulli}(q)`, both divergences as functions of :math:`q`;
    both vanish at :math:`q = p` but differ elsewhere, and only
    :math:`D_{KL}(P \| Q)` blows up where :math:`Q` calls a possible outcome
    impossible.  Right: :math:`D_{KL}(P \| Q) - D_{KL}(Q \| P)` over all pairs.

    Parameters
    ----------
    p : float, default 0.2
        The true coin's probability of heads, strictly between 0 and 1.
    base : {"bits", "nats", "bans"}, default "bits"
        Unit.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_kl_asymmetry(0.2)
    >>> forward, backward = fig.axes[0].get_lines()[:2]
    >>> i = 699  # q = 0.7
    >>> round(float(forward.get_ydata()[i]), 4), round(float(backward.get_ydata()[i]), 4)
    (0.7706, 0.8406)
    """
    from ._figure import Figure

    between = "strictly between 0 and 1"
    pf = check_number(p, "p", low=0.0, high=1.0, low_open=True, high_open=True, allowed=between)
    # q = 0.001 ... 0.999: at q = 0 or 1, KL(P || Q) is infinite.
    qs = np.arange(1, 1000) / 1000
    Pd = np.array([pf, 1 - pf])
    Qd = np.stack([qs, 1 - qs], axis=1)
    fwd = kl_divergence(Pd, Qd, base=base)
    bwd = kl_divergence(Qd, Pd, base=base)
    fig = Figure(figsize=(11, 4.5), layout="constrained")
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(qs, fwd, color="C0", lw=2, label="KL(P || Q)")
    ax.plot(qs, bwd, color="C1", lw=2, ls="--", label="KL(Q || P)")
    ax.axvline(pf, color="gray", ls=":", lw=1)
    # KL(Q || P) stays below log(1 / min(p, 1 - p)); KL(P || Q) runs off the top.
    ax.set_ylim(0, 1.3 * float(np.max(bwd)))
    ax.set_xlim(0, 1)
    ax.set_xlabel("q = Q(heads)")
    ax.set_ylabel(f"divergence [{base}]")
    ax.set_title(f"P = Bernoulli({pf:g}): the two directions differ")
    ax.legend()
    ax.grid(alpha=0.3)
    grid = np.linspace(0.02, 0.98, 97)
    P2 = np.stack([grid, 1 - grid], axis=1)[:, None, :]
    Q2 = np.stack([grid, 1 - grid], axis=1)[None, :, :]
    diff = kl_divergence(P2, Q2, base=base) - kl_divergence(Q2, P2, base=base)
    ax2 = fig.add_subplot(1, 2, 2)
    lim = float(np.max(np.abs(diff)))
    mesh = ax2.pcolormesh(grid, grid, diff, cmap="RdBu_r", vmin=-lim, vmax=lim, shading="auto")
    ax2.contour(grid, grid, diff, levels=[0.0], colors="k", linewidths=1)
    ax2.set_xlabel("q = Q(heads)")
    ax2.set_ylabel("p = P(heads)")
    ax2.set_title("KL(P || Q) - KL(Q || P); black: equal")
    fig.colorbar(mesh, ax=ax2, label=base)
    return fig


# name -> (function, one-line description), for `xent plot`.
FIGURES: dict[str, tuple[Callable[..., Any], str]] = {
    "binary-entropy": (plot_binary_entropy, "entropy of a coin against P(heads)"),
    "entropy-peaked": (
        plot_entropy_uniform_to_peaked,
        "entropy of distributions from uniform to certain",
    ),
    "dice-likelihood": (
        plot_dice_likelihood,
        "likelihood of the red faces of a die after 34 reds in 100 throws",
    ),
    "huffman-tree": (plot_huffman_tree, "the tree of a Huffman code (the four balls)"),
    "kl-asymmetry": (plot_kl_asymmetry, "KL(P || Q) against KL(Q || P)"),
}
