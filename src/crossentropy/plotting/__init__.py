"""Figures a learner can look at (matplotlib, imported only when a figure is drawn).

Every function returns a :class:`matplotlib.figure.Figure` and never calls
``plt.show()``; save it with ``fig.savefig(path)`` or let a notebook display it.
The figures are grouped by topic in private submodules and re-exported here.
"""

from __future__ import annotations

from ._models import plot_challenger, plot_history, plot_sigmoid_fit

__all__: list[str] = ["plot_challenger", "plot_history", "plot_sigmoid_fit"]
