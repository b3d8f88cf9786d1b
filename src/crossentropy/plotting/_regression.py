r"""Figures of a line fitted to data: the line with its residuals, and its loss surface.

A line :math:`\hat y = b + a x` is judged by its mean squared error, which is the
Gaussian negative log-likelihood up to constants.  These figures show one line
(fit it by hand, or look at a fitted one) and the error of every line over a grid
of :math:`(b, a)`, with the paths that gradient descent takes across it.

matplotlib is imported inside each function; figures are built without pyplot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_finite, check_number
from ..losses import squared_error
from ._measures import _figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_line_fit", "plot_mse_surface"]


def _data(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    xs = as_float_array(x, "x").astype(np.float64)
    ys = as_float_array(y, "y").astype(np.float64)
    if xs.ndim != 1 or ys.ndim != 1 or xs.shape != ys.shape or xs.size == 0:
        raise ValueError(
            "`x` and `y` must be 1-D arrays of the same, non-zero length; "
            f"got shapes {xs.shape} and {ys.shape}"
        )
    check_finite(xs, "x")
    check_finite(ys, "y")
    return xs, ys


def plot_line_fit(
    x: ArrayLike,
    y: ArrayLike,
    intercept: float,
    slope: float,
    *,
    residuals: bool = True,
    xlabel: str = "x",
    ylabel: str = "y",
    ax: Axes | None = None,
) -> Figure:
    r"""Data, the line :math:`\hat y = b + a x`, its residuals and its mean squared error.

    The figure of "fit a line by hand": move ``intercept`` and ``slope`` and
    watch the mean squared error :math:`\frac1n \sum_i (y_i - b - a x_i)^2` in the
    title.  Each residual :math:`y_i - \hat y_i` is drawn as a vertical segment;
    the squared error adds up their squares.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The data.
    intercept, slope : float
        The line's :math:`b` and :math:`a`.
    residuals : bool, default True
        Draw the residuals.
    xlabel, ylabel : str
        Axis labels.
    ax : matplotlib Axes, optional
        Draw into these axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_line_fit([1.0, 2.0, 3.0], [2.0, 4.0, 5.0], 0.5, 1.5)
    >>> fig.axes[0].get_title()
    'y = 0.5 + 1.5 x:  mean squared error 0.08333'
    """
    xs, ys = _data(x, y)
    b, a = check_number(intercept, "intercept"), check_number(slope, "slope")
    fitted = b + a * xs
    mse = float(squared_error(ys, fitted).mean())
    fig, ax = _figure(ax, (7, 4.5))
    if residuals:
        ax.vlines(
            xs,
            np.minimum(ys, fitted),
            np.maximum(ys, fitted),
            color="C3",
            lw=1,
            alpha=0.7,
            label="residuals",
        )
    ax.scatter(xs, ys, color="C0", zorder=3, label="data")
    span = np.array([xs.min(), xs.max()])
    pad = 0.05 * (span[1] - span[0] or 1.0)
    line_x = np.array([span[0] - pad, span[1] + pad])
    ax.plot(line_x, b + a * line_x, color="C1", lw=2, label="line")
    ax.set_title(f"y = {b:.4g} + {a:.4g} x:  mean squared error {mse:.4g}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    ax.grid(alpha=0.3)
    return fig


def plot_mse_surface(
    x: ArrayLike,
    y: ArrayLike,
    intercepts: ArrayLike,
    slopes: ArrayLike,
    *,
    paths: Mapping[str, ArrayLike] | None = None,
    best: tuple[float, float] | None = None,
    xlabel: str = "intercept b",
    ylabel: str = "slope a",
    ax: Axes | None = None,
) -> Figure:
    r"""The mean squared error of every line :math:`b + a x` over a grid, with paths.

    Filled contours of :math:`\text{MSE}(b, a) = \frac1n \sum_i (y_i - b - a
    x_i)^2` on a logarithmic colour scale: a bowl whose bottom is the
    least-squares line.  ``paths`` draws sequences of :math:`(b, a)`, such as the
    iterates of gradient descent at several learning rates; parts outside the
    grid are clipped by the axes, so a diverging path leaves the picture.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The data.
    intercepts, slopes : array_like of shape (m,)
        Grid values of :math:`b` (horizontal) and :math:`a` (vertical), increasing.
    paths : mapping of str to array_like of shape (k, 2), optional
        Label -> points :math:`(b, a)`, drawn as connected dots.
    best : (float, float), optional
        A point to mark with a star (the least-squares line).
    xlabel, ylabel : str
        Axis labels.
    ax : matplotlib Axes, optional
        Draw into these axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0])   # y = 1 + 2 x
    >>> grid = np.linspace(-1.0, 4.0, 51)
    >>> fig = plot_mse_surface(x, y, grid, grid, best=(1.0, 2.0),
    ...                        paths={"a path": [(0.0, 0.0), (0.5, 1.0), (1.0, 2.0)]})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['a path', 'least squares']
    """
    from matplotlib.colors import LogNorm
    from matplotlib.ticker import FuncFormatter

    xs, ys = _data(x, y)
    b = as_float_array(intercepts, "intercepts").astype(np.float64)
    a = as_float_array(slopes, "slopes").astype(np.float64)
    for arr, name in ((b, "intercepts"), (a, "slopes")):
        check_finite(arr, name)
        if arr.ndim != 1 or arr.size < 2 or np.any(np.diff(arr) <= 0):
            raise ValueError(
                f"`{name}` must be a 1-D increasing array of at least 2 values; "
                f"got shape {arr.shape}"
            )
    bb, aa = np.meshgrid(b, a)
    mse = squared_error(ys, bb[..., None] + aa[..., None] * xs).mean(axis=-1)
    fig, ax = _figure(ax, (7.5, 5.5))
    low, high = float(mse.min()), float(mse.max())
    if low > 0 and high > low:
        filled = ax.contourf(
            bb, aa, mse, levels=np.geomspace(low, high, 19), cmap="viridis", norm=LogNorm()
        )
        label = "mean squared error (log scale)"
    else:  # an exact fit on the grid, or a flat surface: a linear scale
        filled = ax.contourf(bb, aa, mse, levels=19, cmap="viridis")
        label = "mean squared error"
    # Whole numbers for errors of 100 and more (2793, not 2.793e+03).
    ticks = FuncFormatter(lambda v, _: f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}")
    fig.colorbar(filled, ax=ax, label=label, format=ticks)
    for i, (name, points) in enumerate((paths or {}).items()):
        pts = as_float_array(points, f"paths[{name!r}]").astype(np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2:
            raise ValueError(
                f"`paths[{name!r}]` must have shape (k, 2): one (intercept, slope) per row; "
                f"got shape {pts.shape}"
            )
        ax.plot(pts[:, 0], pts[:, 1], "o-", ms=3.5, lw=1.5, color=f"C{(i + 1) % 10}", label=name)
    if best is not None:
        ax.plot(*best, "*", color="white", mec="k", ms=16, label="least squares")
    ax.set_xlim(b[0], b[-1])
    ax.set_ylim(a[0], a[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if paths or best is not None:
        ax.legend(loc="best")
    return fig
