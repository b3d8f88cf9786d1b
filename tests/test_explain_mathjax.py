"""Every explanation's LaTeX and Markdown maths typeset by MathJax 3 in Chromium, without error.

Runs where Playwright, a Chromium and the MathJax of ``sphinx-mathjax-offline`` (the
docs extra) are installed; skips elsewhere.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import crossentropy as xe

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_spec = importlib.util.find_spec("sphinx-mathjax-offline")
MATHJAX = (
    Path(next(iter(_spec.submodule_search_locations))) / "static" / "mathjax" / "tex-svg.js"
    if _spec and _spec.submodule_search_locations
    else None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or MATHJAX is None or not MATHJAX.is_file(),
    reason="needs Chromium and the MathJax of sphinx-mathjax-offline",
)

CASES = [
    xe.explain("information", [0.5, 0.0, 1e-9], base="bits"),
    xe.explain(1 / 6, base="bits"),
    xe.explain(np.full(30, 1 / 30), max_rows=5),
    xe.explain([0.2, 0.3, 0.5], [0.0, 0.0, 1.0], symbols=["a_1", "b&c", "{d}"]),
    xe.explain("kl", [0.5, 0.5], [1.0, 0.0], base=3.0),
    xe.explain("code", [0.4, 0.3, 0.2, 0.1], base=3, symbols=["x%", "y#", "z$", "w\\"]),
    xe.explain("code", [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]),
    xe.explain("dice"),
    xe.explain("mse", [1.0, 2.0, 3.0], [1.5, 2.0, 1.0], sigma=0.5),
    xe.explain("bce", [1, 0, 1], [2.0, -1.0, 0.5]),
    xe.explain("categorical", [[0.5, 0.5, 0], [0, 0, 1.0]], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]),
    xe.explain("softmax-gradient", [1.0, 2.0, 3.0], 2),
    xe.explain("newton-step", [1, 2, 3, 4, 5.0], [0, 0, 1, 0, 1.0], theta=[0, 3]),
]

_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.S)
_TYPESET = """async (tex) => {
    const node = await MathJax.tex2svgPromise(tex, {display: true});
    const err = node.querySelector('[data-mjx-error]');
    return err ? err.getAttribute('data-mjx-error') : '';
}"""


def test_mathjax_typesets_every_formula(tmp_path: Path) -> None:
    page_file = tmp_path / "page.html"
    page_file.write_text(
        "<html><head><script>window.MathJax = {startup: {typeset: false}};</script>"
        f"<script src='{MATHJAX.as_uri()}'></script></head><body></body></html>"  # type: ignore[union-attr]
    )
    errors = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_function("window.MathJax && typeof MathJax.tex2svgPromise === 'function'")
        for e in CASES:
            formulas = [e.latex.strip()[2:-2]] + [a or b for a, b in _MATH.findall(e.markdown)]
            assert len(formulas) > 3, e.measure
            for tex in formulas:
                err = page.evaluate(_TYPESET, tex)
                if err:
                    errors.append(f"{e.measure}: {err} in {tex[:120]!r}")
        browser.close()
    assert errors == []
