"""Figures a learner can look at (matplotlib, imported only when a figure is drawn).

Every function returns a :class:`matplotlib.figure.Figure` and never calls
``plt.show()``; save it with ``fig.savefig(path)`` or let a notebook display it.
The figures are grouped by topic in private submodules and re-exported here.
"""

from __future__ import annotations

__all__: list[str] = []
