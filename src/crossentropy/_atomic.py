"""Writing a file whole or not at all: the one writer of every file the package makes.

:func:`atomic_write` writes into a temporary file beside the target
(``.NAME.PID.RANDOM.part``), flushes it to disk, then renames it over the target,
so that an interrupted or failed write (an exception, Ctrl-C, a full disk) leaves
the previous file as it was and no partial one.  The temporary file is removed on
every path Python sees; one left by a process that was killed outright (SIGKILL,
a power cut) is removed by the next write of the same target, once its process is
gone.  A target that is not a regular file (``/dev/full``, ``/dev/null``, a FIFO,
a terminal) is written in place and never replaced, and an error writing it is
raised, not swallowed; a folder is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "part_name", "remove_stale_parts"]


def part_name(target: Path) -> str:
    """The name of a new temporary file for ``target`` (in the same folder)."""
    return f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part"


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(file)`` and put what it wrote at ``path`` atomically; return the path.

    See the module notes.  Missing parent folders are created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> atomic_write(target, lambda f: f.write(b"whole")).read_bytes()
    b'whole'
    >>> [p.name for p in target.parent.iterdir()]
    ['note.txt']
    """
    target = Path(path)
    if target.exists() and not target.is_file():
        if target.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(target))
        try:
            with open(target, "wb") as f:  # close() flushes: /dev/full fails here
                write(f)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        return target
    if target.parent != Path(""):
        target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(target)
    tmp = target.with_name(part_name(target))
    try:
        with open(tmp, "xb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:  # name the target, not the temporary file
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` whose writing process is gone."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]{{8}}\.part")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent if target.parent != Path("") else "."))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on this machine)."""
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return True
    if pid <= 0 or pid > 2**22:  # beyond Linux's largest pid: not a process
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a platform without signals
        return True
    return True
