"""Writing the command line's files: whole or not at all, and where the user said.

Every artefact (figures, histories, summaries, predictions) is written by
:func:`write_bytes`, through the package's one atomic writer
(:func:`crossentropy._atomic.atomic_write`, which ``save_model`` uses too): into a
temporary file beside the target, flushed to disk, then renamed over it, so that an
interrupted or failed write (Ctrl-C, a kill, a full disk) leaves the previous file
as it was and no partial one.  A target that is not a regular file (``/dev/full``,
a FIFO, a terminal) is written in place, and an error writing it is reported, not
swallowed.  :func:`figure_path` resolves
``--out DIR`` to a file inside the folder and adds ``.png`` to a name without a
suffix, so that the path printed is the path written.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from .._atomic import atomic_write

__all__ = ["figure_path", "save_figure", "write_bytes", "write_text"]


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :mod:`crossentropy._atomic`); return the path."""
    return atomic_write(path, lambda f: f.write(data))


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """:func:`write_bytes` of ``text`` in UTF-8."""
    return write_bytes(path, text.encode("utf-8"))


def figure_path(out: str | os.PathLike[str], default_name: str) -> Path:
    """Where ``--out`` puts a figure: inside it when it is a folder, with ``.png``
    added when it names no file type."""
    path = Path(out)
    if path.is_dir():
        return path / default_name
    if not path.suffix and not path.exists():
        return path.with_name(path.name + ".png")
    return path


def save_figure(
    fig: Any, out: str | os.PathLike[str], *, dpi: float, default_name: str = "figure.png"
) -> Path:
    """Render ``fig`` in memory, then :func:`write_bytes` it; return the path written."""
    path = figure_path(out, default_name)
    fmt = path.suffix[1:].lower() or "png"
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi)
    return write_bytes(path, buffer.getvalue())
