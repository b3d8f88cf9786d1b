"""Figures of fitted models: the Challenger sigmoid with its band, and loss histories.

matplotlib is imported inside each function; figures are built with
:class:`matplotlib.figure.Figure` directly (no pyplot state).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import check_bool

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..models import LogisticRegression

__all__ = ["FIGURES", "plot_challenger", "plot_history", "plot_sigmoid_fit"]


def _figure(ax: Axes | None, size: tuple[float, float], rows: int = 1) -> tuple[Figure, list[Axes]]:
    if ax is not None:
        return ax.get_figure(), [ax]  # type: ignore[return-value]
    from ._figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, [fig.add_subplot(rows, 1, i + 1) for i in range(rows)]


def history_series(history: Any, key: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(numbers, values)`` of ``key`` over the records of ``history`` that hold it.

    Each value stands at its record's own iteration or epoch number (its position,
    counting from 1, in a record without one), so that a series recorded on some
    epochs only (validation data given to later ``partial_fit`` calls) lines up.
    """
    unit = history.unit
    rows = [(i, r) for i, r in enumerate(history.records) if key in r]
    numbers = np.array([r.get(unit, i + 1) for i, r in rows], dtype=np.float64)
    return numbers, np.array([r[key] for _, r in rows], dtype=np.float64)


def plot_sigmoid_fit(
    model: Any,
    x: ArrayLike,
    y: ArrayLike,
    *,
    trials: ArrayLike | None = None,
    interval: float | None = 0.95,
    at: float | None = None,
    xlabel: str = "x",
    ylabel: str = "P(y = 1)",
    ax: Axes | None = None,
) -> Figure:
    r"""A one-feature logistic fit: the data, the sigmoid and its confidence band.

    The band is the pointwise delta-method interval of
    :meth:`~crossentropy.models.LogisticRegression.predict_proba` (formed on the logit scale, so it
    stays within [0, 1]); it needs an exact fit with ``l2 = 0``.

    Parameters
    ----------
    model : LogisticRegression
        Fitted on the single column ``x``.
    x : array_like of shape (n,)
        The feature.
    y : array_like of shape (n,)
        0/1 outcomes, or success counts with ``trials`` (drawn as proportions,
        the marker area growing with the number of trials).
    trials : array_like, optional
        Trials per row for counts.
    interval : float or None, default 0.95
        Confidence level of the band; None draws no band.
    at : float, optional
        Mark the prediction (with its interval) at this value of x.
    xlabel, ylabel : str
        Axis labels.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from crossentropy.models import LogisticRegression
    >>> x = np.array([1.0, 2, 3, 4, 5, 6]); y = np.array([0, 0, 1, 0, 1, 1])
    >>> fig = plot_sigmoid_fit(LogisticRegression().fit(x[:, None], y), x, y, at=3.5)
    >>> len(fig.axes[0].collections) >= 2  # band and data points
    True
    """
    fig, (axes,) = _figure(ax, (7, 4.5))
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    lo_x = min(xs.min(), at) if at is not None else xs.min()
    hi_x = max(xs.max(), at) if at is not None else xs.max()
    pad = 0.05 * (hi_x - lo_x or 1.0)
    grid = np.linspace(lo_x - pad, hi_x + pad, 400)
    if interval is not None:
        band = model.predict_proba(grid[:, None], interval=interval)
        axes.fill_between(
            grid,
            band.lower[:, 1],
            band.upper[:, 1],
            color="C0",
            alpha=0.2,
            lw=0,
            label=f"{interval:.0%} confidence band",
        )
        p = band.proba[:, 1]
    else:
        p = model.predict_proba(grid[:, None])[:, 1]
    axes.plot(grid, p, color="C0", lw=2, label="fitted probability")
    if trials is None:
        axes.scatter(xs, ys, color="k", alpha=0.6, zorder=3, label="observations")
    else:
        n = np.broadcast_to(np.asarray(trials, dtype=np.float64), ys.shape)
        axes.scatter(
            xs, ys / n, s=12 * n, color="k", alpha=0.6, zorder=3, label="observed proportion"
        )
    if at is not None:
        x_at = np.array([[at]])
        if interval is not None:
            point = model.predict_proba(x_at, interval=interval)
            prob = float(point.proba[0, 1])
            lo, hi = float(point.lower[0, 1]), float(point.upper[0, 1])
            axes.errorbar(
                [at],
                [prob],
                yerr=[[prob - lo], [hi - prob]],
                fmt="o",
                color="C3",
                capsize=4,
                zorder=4,
            )
            text = f"P = {prob:.4g} at {at:g}\n{interval:.0%} interval: {lo:.3g} to {hi:.3g}"
        else:
            prob = float(model.predict_proba(x_at)[0, 1])
            axes.plot([at], [prob], "o", color="C3", zorder=4)
            text = f"P = {prob:.4g} at {at:g}"
        axes.axvline(at, color="C3", ls=":", lw=1)
        axes.annotate(text, (at, prob), xytext=(10, -40), textcoords="offset points", color="C3")
    axes.set_ylim(-0.05, 1.05)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.legend(loc="best", fontsize="small")
    return fig


def plot_challenger(
    model: LogisticRegression | None = None,
    *,
    binomial: bool = False,
    at: float = 31.0,
    interval: float | None = 0.95,
    ax: Axes | None = None,
) -> Figure:
    """The Challenger O-rings: a fitted P(thermal distress) against launch temperature, at 31 F.

    Parameters
    ----------
    model : LogisticRegression
        A model fitted on ``temp_f`` alone, such as
        :func:`crossentropy.datasets.fit_challenger` returns.  Leaving it out is
        deprecated: the model is then fitted here, with a ``DeprecationWarning``.
    binomial : bool, default False
        Draw the O-ring counts out of 6 (the data of a binomial model) instead of
        "any distress" per flight.
    at : float, default 31.0
        The temperature to mark (the forecast of 28 January 1986).
    interval : float or None, default 0.95
        Level of the confidence band (it needs an exact fit with ``l2 = 0``); None
        draws no band.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from crossentropy.datasets import fit_challenger
    >>> fig = plot_challenger(fit_challenger())
    >>> fig.axes[0].get_xlabel()
    'launch temperature (°F)'
    """
    from ..datasets import fit_challenger, load_challenger

    binomial = check_bool(binomial, "binomial")
    if model is None:
        warnings.warn(
            "plot_challenger() without a model is deprecated and will fit none in a later "
            "version; pass one: plot_challenger(crossentropy.datasets.fit_challenger())",
            DeprecationWarning,
            stacklevel=2,
        )
        model = fit_challenger(binomial=binomial)
    d = load_challenger()
    if binomial:
        y, trials, ylabel = d.distress, d.n_orings, "P(an O-ring shows distress)"
    else:
        y, trials, ylabel = (d.distress > 0).astype(int), None, "P(any O-ring distress)"
    fig = plot_sigmoid_fit(
        model,
        d.temp_f,
        y,
        trials=trials,
        interval=interval,
        at=at,
        xlabel="launch temperature (°F)",
        ylabel=ylabel,
        ax=ax,
    )
    fig.axes[0].set_title("Challenger O-rings: 23 flights before 28 January 1986")
    return fig


def _challenger_figure(
    *, binomial: bool = False, at: float = 31.0, interval: float = 0.95
) -> Figure:
    """``xent plot challenger``: :func:`~crossentropy.datasets.fit_challenger` drawn by
    :func:`plot_challenger`."""
    from ..datasets import fit_challenger

    model = fit_challenger(binomial=binomial)
    return plot_challenger(model, binomial=binomial, at=at, interval=interval)


def plot_history(model_or_history: Any, *, log_scale: bool | None = None) -> Figure:
    """Loss per iteration or epoch (and validation loss/accuracy, when recorded).

    Parameters
    ----------
    model_or_history : fitted estimator or History
        Anything with a ``history_`` attribute, or a
        :class:`~crossentropy.optim.History` (such as ``DivergenceError.history``).
    log_scale : bool, optional
        Logarithmic loss axis; by default when the loss spans more than two decades.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from crossentropy.models import LogisticRegression
    >>> X = np.random.default_rng(0).normal(size=(200, 2)); y = (X[:, 0] > 0).astype(int)
    >>> m = LogisticRegression(solver="gd", l2=0.1, learning_rate=1.0).fit(X, y)
    >>> fig = plot_history(m)
    >>> fig.axes[0].get_xlabel()
    'iteration'
    """
    history = getattr(model_or_history, "history_", model_or_history)
    keys = history.keys()
    if "loss" not in keys:
        raise ValueError("`model_or_history` has no recorded loss; fit the model first")
    has_acc = "val_accuracy" in keys
    fig, axes = _figure(None, (7, 6 if has_acc else 4), rows=2 if has_acc else 1)
    unit = history.unit
    marker = "o" if len(history) < 30 else None
    steps, loss = history_series(history, "loss")
    ax = axes[0]
    ax.plot(steps, loss, marker=marker, label="training loss")
    if "val_loss" in keys:
        ax.plot(*history_series(history, "val_loss"), marker=marker, label="validation loss")
    finite = loss[np.isfinite(loss) & (loss > 0)]
    if log_scale is not None:
        log_scale = check_bool(log_scale, "log_scale")
    else:
        log_scale = finite.size > 1 and finite.max() / finite.min() > 100
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel(unit)
    ax.set_ylabel("loss (mean per example)")
    title = f"stopped: {history.stop_reason}" if history.stop_reason else "history"
    ax.set_title(title)
    ax.legend(fontsize="small")
    if has_acc:
        axes[1].plot(
            *history_series(history, "val_accuracy"),
            color="C1",
            marker=marker,
            label="validation accuracy",
        )
        axes[1].set_xlabel(unit)
        axes[1].set_ylabel("accuracy")
        axes[1].legend(fontsize="small")
    return fig


# name -> (function callable without arguments, description), for `xent plot`.
FIGURES: dict[str, tuple[Callable[..., Any], str]] = {
    "challenger": (
        _challenger_figure,
        "Challenger O-rings: fitted P(distress) and 95% band, 31 F",
    ),
}
