"""Test-suite set-up shared by tests/ and the doctests under src/."""

import os

import numpy as np
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

# Running the CLI's __main__ on import would exit the test process.
collect_ignore_glob = ["src/crossentropy/cli/__main__.py"]

try:
    from hypothesis import settings

    # CI machines are slow and shared: no per-example deadline, a fixed example budget.
    settings.register_profile("default", deadline=None, max_examples=100, derandomize=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace["np"] = np


@pytest.fixture(scope="session")
def shared_data() -> "os.PathLike[str]":
    """``../shared/data`` beside the checkout; tests that need it skip when it is absent."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(f"shared data directory {path} is absent")
    return path
