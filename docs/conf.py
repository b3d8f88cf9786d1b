"""Sphinx configuration of the crossentropy documentation.

Build (from the repository root)::

    pip install -e '.[docs]'
    python -m sphinx -W --keep-going -n -b html docs docs/_build/html

The gallery (examples/) and the course (docs/tutorials/) are Python scripts that
sphinx-gallery runs during the build: every figure and number on those pages is
computed by the library at build time.  MathJax is copied into the build, so the
site reads offline and loads nothing from another host.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import crossentropy

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

# MNIST for the examples: the course's shared data beside the repository when it
# is there (CI has it), else the examples fall back to the embedded 8 x 8 digits.
_shared = ROOT.parent / "shared" / "data"
if not os.environ.get("CROSSENTROPY_DATA") and (_shared / "mnist").is_dir():
    os.environ["CROSSENTROPY_DATA"] = str(_shared)

project = "crossentropy"
author = "The crossentropy developers"
copyright = "The crossentropy developers"
release = version = crossentropy.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # serves MathJax 3 from _static/mathjax
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "sphinx_design",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "tutorials", "**/sg_execution_times.rst", "sg_execution_times.rst"]
root_doc = "index"
default_role = "py:obj"
nitpicky = True
# Names of other projects, which the site does not link to (there is no network
# at build time for intersphinx): types in docstrings such as ``numpy.ndarray``.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|matplotlib|scipy|sklearn|pandas|torch|jax|os|pathlib)\..*"),
    (r"py:.*", r"(NDArray|ArrayLike|Figure|Axes|Path|Callable|Iterator|Hashable|Mapping)"),
]

# --- autodoc / autosummary / numpydoc -------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # numpydoc's Parameters and Returns say the types
autodoc_default_options = {"member-order": "groupwise"}
numpydoc_show_class_members = False  # the class template lists the members
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# --- sphinx-gallery: the gallery and the course --------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": [str(ROOT / "examples"), str(DOCS / "tutorials")],
    "gallery_dirs": ["auto_examples", "course"],
    "filename_pattern": r"\.py$",  # run every script: each draws its figure
    "within_subsection_order": "FileNameSortKey",
    # The plotting functions return figures without pyplot: a figure that is the
    # value of a code block is shown, as in a notebook (see _ext/gallery_figures.py).
    "image_scrapers": ("matplotlib", "gallery_figures.returned_figures"),
    "ignore_repr_types": r"matplotlib\.figure|crossentropy\.plotting",
    "doc_module": ("crossentropy",),
    "backreferences_dir": "api/generated/backreferences",
    "reference_url": {"crossentropy": None},
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 3600,
    "first_notebook_cell": None,
    "download_all_examples": False,
    "default_thumb_file": str(DOCS / "_static" / "thumbnail.png"),
    "thumbnail_size": (320, 224),
}

# --- HTML ---------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "crossentropy"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "header_links_before_dropdown": 6,
}
html_sidebars = {"index": []}
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True


def _skip_member(app, what, name, obj, skip, options):
    # scikit-learn's metadata-routing methods (set_fit_request, ...) are generated
    # for every estimator; they belong to scikit-learn's documentation, not here.
    if name == "get_metadata_routing" or (name.startswith("set_") and name.endswith("_request")):
        return True
    return skip


def _resolve_reexport(app, env, node, contnode):
    # ``crossentropy.entropy`` is ``crossentropy.information.entropy``, documented
    # once under the module that defines it: resolve the re-exported name there.
    if node.get("refdomain") != "py" or not node["reftarget"].startswith("crossentropy."):
        return None
    module, _, name = node["reftarget"].rpartition(".")
    try:
        obj = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    canonical = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"
    if canonical == node["reftarget"]:
        return None
    py = env.get_domain("py")
    return py.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], canonical, node, contnode
    )


def setup(app):
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("missing-reference", _resolve_reexport)
