"""The figure class the plotting functions return: a matplotlib Figure a notebook shows.

The figures are built without pyplot (no global state, nothing to close).  In a
Jupyter kernel, pyplot's inline backend shows the figures pyplot made, at the end
of the cell; a :class:`matplotlib.figure.Figure` that is the value of a cell is
drawn as an image only after ``%matplotlib inline`` has registered IPython's PNG
formatter for figures.  Without it the cell prints
``<Figure size 600x400 with 1 Axes>``.  This subclass carries its own PNG
representation, so IPython displays it wherever it is the value of a cell, with
no magic.  When the formatter is registered it takes precedence, and the figure
is still shown once.

This module imports matplotlib; the plotting functions import it when they draw,
so that ``import crossentropy`` stays fast.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure as _MatplotlibFigure

__all__ = ["Figure"]


class Figure(_MatplotlibFigure):
    """A :class:`matplotlib.figure.Figure` that Jupyter displays as a PNG image.

    Examples
    --------
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> fig._repr_png_()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """

    def _repr_png_(self) -> bytes:
        # The same settings as the inline backend: the figure's dpi, tight box.
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight", dpi=self.dpi)
        return buffer.getvalue()
