"""The documentation's sources: the API reference lists every public name, the
course and the gallery are complete, the notebooks are stored without outputs.

These read the sources only; the built site is checked by ``test_docs_site.py``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import crossentropy

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
API = DOCS / "api"

pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason="no docs/ beside the tests")


def public_modules() -> dict[str, ModuleType]:
    """Every importable public module of the package that declares ``__all__``."""
    found = {"crossentropy": crossentropy}
    for info in pkgutil.walk_packages(crossentropy.__path__, "crossentropy."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        try:
            module = importlib.import_module(info.name)
        except ModuleNotFoundError as error:
            if error.name and not error.name.startswith("crossentropy"):
                continue  # an adapter whose optional dependency is not installed
            raise
        if hasattr(module, "__all__"):
            found[info.name] = module
    return found


def api_entries() -> tuple[set[tuple[str, str]], set[str]]:
    """``(module, name)`` of every autosummary entry, and every ``automodule``."""
    entries: set[tuple[str, str]] = set()
    automodules: set[str] = set()
    for page in sorted(API.glob("*.rst")):
        current = None
        in_summary = False
        for line in page.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"\.\. (?:current)?module:: (\S+)", line):
                current = m.group(1)
            if m := re.match(r"\.\. automodule:: (\S+)", line):
                automodules.add(m.group(1))
                current = m.group(1)
            if line.startswith(".. autosummary::"):
                in_summary = True
                continue
            if in_summary:
                name = line.strip()
                if not line.strip() or line.lstrip().startswith(":"):
                    continue  # the directive's options and blank lines
                if not line.startswith(" "):
                    in_summary = False
                    continue
                assert current is not None, f"{page.name}: autosummary before any module"
                entries.add((current, name))
    return entries, automodules


def test_api_pages_parse():
    entries, automodules = api_entries()
    assert ("crossentropy.information", "entropy") in entries
    assert "crossentropy.losses" in automodules


def test_every_public_module_has_a_reference_page():
    _, automodules = api_entries()
    missing = sorted(set(public_modules()) - automodules)
    assert not missing, f"modules with no `.. automodule::` in docs/api: {missing}"


def test_every_public_name_is_in_the_api_reference():
    """Each name of each module's ``__all__`` is documented, under that module or,
    for a re-export such as ``crossentropy.entropy``, wherever the same object is."""
    entries, _ = api_entries()
    documented = {id(getattr(importlib.import_module(mod), name)) for mod, name in entries}
    missing = [
        f"{mod_name}.{name}"
        for mod_name, module in public_modules().items()
        for name in module.__all__
        if (mod_name, name) not in entries and id(getattr(module, name)) not in documented
    ]
    assert not missing, f"public names missing from docs/api/*.rst: {missing}"


def test_every_api_entry_exists():
    entries, _ = api_entries()
    absent = [f"{m}.{n}" for m, n in entries if not hasattr(importlib.import_module(m), n)]
    assert not absent


def test_the_course_has_ten_chapters_each_ending_with_exercises():
    chapters = sorted((DOCS / "tutorials").glob("[0-9][0-9]_*.py"))
    assert [c.name[:2] for c in chapters] == [f"{i:02d}" for i in range(1, 11)]
    for chapter in chapters:
        text = chapter.read_text(encoding="utf-8")
        assert "# Exercises\n# ---------" in text, chapter.name
        tail = text[text.index("# Exercises") :]
        assert "# 1. " in tail and "# 3. " in tail, f"{chapter.name}: fewer than 3 exercises"


def test_the_gallery_has_at_least_fifteen_examples():
    examples = sorted((ROOT / "examples").glob("plot_*.py"))
    assert len(examples) >= 15
    for example in examples:
        assert example.read_text(encoding="utf-8").startswith('"""\n'), example.name


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_for_the_slider_exercises():
    names = {nb.stem for nb in NOTEBOOKS}
    for topic in ("entropy_of_a_coin", "dice", "fit_the_line_by_hand", "learning_rate_step"):
        assert any(topic in name for name in names), topic


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs_and_checks_itself(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    last = "".join(code[-1]["source"])
    # The last cell drives the widgets and asserts on the numbers and the figure.
    assert "assert" in last and "image/png" in last
    assert ".value = " in last or ".click()" in last
