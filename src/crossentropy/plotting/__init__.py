"""Figures a learner can look at (matplotlib, imported only when a figure is drawn).

Every function returns a :class:`matplotlib.figure.Figure` and never calls
``plt.show()``; save it with ``fig.savefig(path)`` or let a notebook display it.
The figures are grouped by topic in private submodules and re-exported here.

:data:`FIGURES` maps the name of each figure that ``xent plot NAME`` can draw to
``(function, description)``; the function must be callable without arguments.
A topic module adds its figures by defining its own ``FIGURES`` dict, merged below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _measures, _models
from ._measures import (
    plot_binary_entropy,
    plot_dice_likelihood,
    plot_entropy_uniform_to_peaked,
    plot_huffman_tree,
    plot_kl_asymmetry,
)
from ._models import plot_challenger, plot_history, plot_sigmoid_fit
from ._regression import plot_line_fit, plot_mse_surface
from ._training import plot_confusion_matrix, plot_learning_curves, plot_weight_images

__all__: list[str] = [
    "FIGURES",
    "plot_binary_entropy",
    "plot_challenger",
    "plot_confusion_matrix",
    "plot_dice_likelihood",
    "plot_entropy_uniform_to_peaked",
    "plot_history",
    "plot_huffman_tree",
    "plot_kl_asymmetry",
    "plot_learning_curves",
    "plot_line_fit",
    "plot_mse_surface",
    "plot_sigmoid_fit",
    "plot_weight_images",
]

# name -> (function returning a Figure, one-line description), as `xent plot --list` shows.
FIGURES: dict[str, tuple[Callable[..., Any], str]] = {
    **_measures.FIGURES,
    **_models.FIGURES,
}
