"""Reading the small CSV tables shipped in ``datasets/data`` (comment lines start with #)."""

from __future__ import annotations

import csv
from importlib import resources


def read_table(name: str) -> tuple[list[str], list[str], list[list[str]]]:
    """Return ``(comments, header, rows)`` of the packaged table ``data/<name>``."""
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    comments = [ln[1:].strip() for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    reader = csv.reader(body)
    header = next(reader)
    return comments, header, [row for row in reader]
