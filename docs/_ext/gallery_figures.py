"""A sphinx-gallery image scraper for the figures the plotting functions return.

crossentropy's plotting functions build figures without pyplot, so the matplotlib
scraper (which asks pyplot for its open figures) never sees them.  As in a
notebook, a figure is shown when it is the value of a code block: this scraper
saves the block's last expression when it is a matplotlib figure.
"""

from __future__ import annotations

from typing import Any

from sphinx_gallery.scrapers import figure_rst

# The figures already shown in the current example (held, so their ids stay unique).
_shown: dict[str, list[Any]] = {}


def returned_figures(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    value = block_vars["example_globals"].get("___")
    # "___" keeps the last value of an earlier block when this one ends otherwise.
    src = str(block_vars["src_file"])
    if src not in _shown:
        _shown.clear()
    shown = _shown.setdefault(src, [])
    if not isinstance(value, Figure) or any(value is fig for fig in shown):
        return ""
    shown.append(value)
    path = next(block_vars["image_path_iterator"])
    value.savefig(path, dpi=110)
    titles = [t for t in (value.get_suptitle(), *(ax.get_title() for ax in value.axes)) if t]
    return figure_rst([path], gallery_conf["src_dir"], fig_titles=titles[0] if titles else "")
