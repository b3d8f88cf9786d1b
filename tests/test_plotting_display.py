"""A figure returned by a plotting function displays as an image in Jupyter.

A notebook is executed in a real IPython kernel (nbclient), as a user runs it:
no ``%matplotlib`` magic, no ``plt.show()``, the figure the last expression of
a cell.
"""

from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CELLS = {
    # The fix: a library figure alone in a fresh kernel, pyplot never imported.
    "library": (
        "import sys\nfrom crossentropy.plotting import plot_binary_entropy\nplot_binary_entropy()"
    ),
    "pyplot_untouched": "'matplotlib.pyplot' in sys.modules",
    # The cause, for contrast: a plain matplotlib Figure shows only as text.
    "plain": (
        "from matplotlib.figure import Figure\n"
        "plain = Figure(figsize=(2, 1))\n"
        "plain.add_subplot().plot([0, 1])\n"
        "plain"
    ),
    # With IPython's own figure formatter registered, still one image, not two.
    "inline": (
        "%matplotlib inline\n"
        "from crossentropy.plotting import plot_dice_likelihood\n"
        "plot_dice_likelihood()"
    ),
}


@pytest.fixture(scope="module")
def outputs() -> dict[str, list[dict]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS.values()]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return {name: cell.outputs for name, cell in zip(CELLS, nb.cells, strict=True)}


def _mime_types(cell_outputs: list[dict]) -> list[str]:
    shown = [out for out in cell_outputs if out["output_type"] != "stream"]
    return [mime for out in shown for mime in out.get("data", {})]


def test_library_figure_displays_as_png(outputs):
    [result] = [o for o in outputs["library"] if o["output_type"] == "execute_result"]
    assert "image/png" in result["data"]
    png = result["data"]["image/png"]  # base64 text of the image
    assert png.startswith("iVBORw0KGgo")  # the PNG signature, base64-encoded
    assert len(png) > 5000  # a drawn figure, not an empty canvas


def test_display_needs_no_pyplot(outputs):
    [result] = [o for o in outputs["pyplot_untouched"] if o["output_type"] == "execute_result"]
    assert result["data"]["text/plain"] == "False"


def test_plain_matplotlib_figure_shows_as_text(outputs):
    # The behaviour the library's figures had before: what the test above rules out.
    assert "image/png" not in _mime_types(outputs["plain"])
    [result] = [o for o in outputs["plain"] if o["output_type"] == "execute_result"]
    assert result["data"]["text/plain"].startswith("<Figure size")


def test_inline_backend_shows_the_figure_once(outputs):
    assert _mime_types(outputs["inline"]).count("image/png") == 1
