"""Tests of the package itself (crossentropy/__init__.py): exports, lazy submodules,
and that `import crossentropy` pulls in no heavy dependency."""

from __future__ import annotations

import importlib
import importlib.metadata
import subprocess
import sys
from importlib import resources

import pytest

import crossentropy as xe


def test_exports() -> None:
    for name in xe.__all__:
        assert hasattr(xe, name), name
    # The version is written once, in crossentropy/__init__.py; the installed metadata
    # reads it from there.
    assert xe.__version__ == importlib.metadata.version("crossentropy")
    # Each lazy name is the submodule of that name (a misspelt entry would fail here).
    for name in sorted(xe._LAZY_SUBMODULES):
        assert getattr(xe, name) is importlib.import_module(f"crossentropy.{name}"), name
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        xe.nonexistent  # noqa: B018


def test_ships_py_typed() -> None:
    assert resources.files("crossentropy").joinpath("py.typed").is_file()


def test_import_loads_no_heavy_dependency() -> None:
    # Importing the package must stay fast: scipy, scikit-learn, matplotlib, torch and
    # numba are imported only by the functions that need them.
    code = (
        "import sys, crossentropy, crossentropy.losses; "
        "print(' '.join(m for m in ('scipy', 'sklearn', 'matplotlib', 'torch', 'numba', "
        "'mpmath') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
