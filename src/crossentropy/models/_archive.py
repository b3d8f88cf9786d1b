"""Reading and writing ``.npz`` archives of plain arrays without trusting them.

The trust checks of the model file (:mod:`._io`): an archive's members are read with
a size cap, each ``.npy`` header is parsed (NumPy's literal parser) and checked
against the shape and dtype the member must have *before* any data is read, object
and structured dtypes are refused, and nothing is ever unpickled.  JSON values are
read with :func:`get`, which checks their type.  A problem is an :class:`Invalid`
error, which the loader reports with the file's name.  Writes go to a temporary
file beside the target, renamed into place, so an interrupted write leaves the
previous file intact.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._atomic import atomic_write

__all__ = [
    "MAX_INFLATION",
    "MAX_JSON_DEPTH",
    "Invalid",
    "check_finite",
    "get",
    "non_negative_int",
    "parse_json",
    "read_members",
    "read_npy",
    "write_npz",
]


class Invalid(ValueError):
    """A problem with a file's content (reported with the file's name)."""


def write_npz(path: Path, arrays: dict[str, NDArray[Any]]) -> None:
    """Write ``arrays`` (no object arrays: no pickle) to ``path`` whole or not at all."""
    atomic_write(path, lambda f: np.savez(f, **arrays))  # type: ignore[arg-type]


def read_npy(data: bytes, name: str, kinds: str, shape: tuple[int, ...] | None) -> NDArray[Any]:
    """Parse one ``.npy`` member; the header is checked before the data is touched.

    ``kinds`` are the allowed dtype kinds (``"f"``, ``"iufbU"`` ...); in ``shape`` a
    negative entry allows any length.
    """
    f = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            hdr_shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version in ((2, 0), (3, 0)):
            hdr_shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise Invalid(f"{name}: unknown .npy version {version}")
    except Invalid:
        raise
    except Exception as exc:  # a malformed header: NumPy raises several kinds
        raise Invalid(f"{name}: not a valid .npy array ({exc})") from None
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise Invalid(f"{name}: dtype {dtype} is not allowed (plain numbers or strings only)")
    if dtype.kind not in kinds:
        raise Invalid(f"{name}: dtype {dtype} is not allowed here")
    if shape is not None and (
        len(hdr_shape) != len(shape)
        or any(want >= 0 and got != want for got, want in zip(hdr_shape, shape, strict=True))
    ):
        want_text = tuple("n" if s < 0 else s for s in shape)
        raise Invalid(f"{name}: shape {hdr_shape}, expected {want_text}")
    count = math.prod(hdr_shape)
    payload = memoryview(data)[f.tell() :]  # a view: no copy of a large member
    if len(payload) != count * dtype.itemsize:
        raise Invalid(
            f"{name}: the header promises {count * dtype.itemsize} bytes of data, the file "
            f"holds {len(payload)}"
        )
    arr = np.frombuffer(payload, dtype=dtype, count=count)
    arr = arr.reshape(hdr_shape, order="F" if fortran else "C")
    return np.array(arr, dtype=dtype.newbyteorder("="), order="C")


#: How many times its size a compressed model file may inflate to.  ``save_model``
#: stores its members uncompressed (a ratio of 1); a copy re-zipped with deflate
#: shrinks real coefficients 1-5 times.  A file of zeros deflates 1000 times, so
#: without this bound a 250 kB file would inflate to 1.4 GB.
MAX_INFLATION = 50
# Any archive may inflate to this many bytes, whatever its size.
_INFLATION_SLACK = 1 << 20


def read_members(
    path: Path, allowed: tuple[str, ...], caps: dict[str, int], default_cap: int
) -> dict[str, bytes]:
    """The raw bytes of each member of the ZIP archive at ``path``.

    Only the ``allowed`` names, each once; a member larger than its cap (``caps``,
    else ``default_cap``), or members that together would inflate to more than
    :data:`MAX_INFLATION` times the file's size, are refused before they are inflated
    (ZIP's own check stops a member at its declared size).
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise Invalid(f"not an .npz (ZIP) archive ({exc})") from None
    out: dict[str, bytes] = {}
    with archive:
        infos = archive.infolist()
        if len(infos) > len(allowed):
            raise Invalid(f"{len(infos)} members; a model file has at most {len(allowed)}")
        size = os.stat(path).st_size
        declared = sum(info.file_size for info in infos)
        if declared > max(_INFLATION_SLACK, MAX_INFLATION * size):
            raise Invalid(
                f"its members inflate to {declared} bytes, more than {MAX_INFLATION} times "
                f"the file's {size} (a compression bomb?)"
            )
        for info in infos:
            if info.filename not in allowed:
                raise Invalid(f"unexpected member {info.filename!r}")
            if info.filename in out:
                raise Invalid(f"member {info.filename!r} appears twice")
            cap = caps.get(info.filename, default_cap)
            if info.file_size > cap:
                raise Invalid(f"{info.filename} claims {info.file_size} bytes, more than {cap}")
            try:
                with archive.open(info) as member:
                    data = member.read(cap + 1)
            # A flipped bit in a deflated member is a zlib.error; an unknown
            # compression method NotImplementedError.
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                RuntimeError,
                ValueError,
                NotImplementedError,
                zlib.error,
            ) as exc:
                raise Invalid(f"{info.filename}: damaged ({exc})") from None
            if len(data) > cap:  # pragma: no cover - zipfile stops at file_size
                raise Invalid(f"{info.filename} is larger than {cap} bytes")
            out[info.filename] = data
    return out


#: The deepest nesting of JSON arrays and objects a model file's metadata may have.
MAX_JSON_DEPTH = 64
# Integers of more digits than the largest the metadata holds (a 128-bit generator
# state) are refused while parsing: 10**400 would overflow every float check after.
_MAX_INT_DIGITS = 40
# Arrays and objects beyond one per 32 characters: a record of a fit's history
# takes 100 or more, and ``[{},{},...]`` would cost 64 bytes of memory per 3 of text.
_MAX_CONTAINERS = 10_000


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _json_depth(brackets: str) -> int:
    """The deepest nesting of ``brackets``, a string of ``[]{}`` only."""
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:  # enough to refuse
                break
        else:
            depth -= 1
    return deepest


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise Invalid(f"an integer of {len(text)} digits (at most {_MAX_INT_DIGITS})")
    return int(text)


def _no_constant(name: str) -> Any:
    raise Invalid(f"{name} is not a JSON number")


def parse_json(text: str) -> Any:
    """Plain JSON: nesting at most :data:`MAX_JSON_DEPTH` deep, no ``NaN`` or
    ``Infinity``, integers of at most 40 digits; anything else is :class:`Invalid`."""
    # The structure alone (strings removed), checked before the parser builds it.
    brackets = _JSON_NOT_BRACKETS.sub("", _JSON_STRING.sub("", text))
    # Deep nesting is named as such (its head shows it) before the count is checked.
    if _json_depth(brackets[:100_000]) > MAX_JSON_DEPTH:
        raise Invalid(f"JSON nested more than {MAX_JSON_DEPTH} deep")
    containers = len(brackets) // 2
    if containers > _MAX_CONTAINERS + len(text) // 32:
        raise Invalid(
            f"{containers} JSON arrays and objects in {len(text)} characters: too many "
            "for a model's description (each costs memory far beyond its two characters)"
        )
    if _json_depth(brackets) > MAX_JSON_DEPTH:
        raise Invalid(f"JSON nested more than {MAX_JSON_DEPTH} deep")
    try:
        return json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except Invalid:
        raise
    except ValueError as exc:
        raise Invalid(f"not valid JSON ({exc})") from None


def get(d: dict[str, Any], key: str, types: tuple[type, ...], where: str) -> Any:
    """``d[key]``, which must be one of ``types`` (a bool is not an int) and finite."""
    if key not in d:
        raise Invalid(f"{where}: missing {key!r}")
    value = d[key]
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        names = " or ".join("null" if t is type(None) else t.__name__ for t in types)
        raise Invalid(f"{where}: {key!r} must be {names}; got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid(f"{where}: {key!r} must be finite; got {value}")
    return value


def non_negative_int(d: dict[str, Any], key: str, where: str, high: int = 2**62) -> int:
    """``d[key]``, an integer in [0, ``high``] (a count; a generator state goes higher)."""
    value = get(d, key, (int,), where)
    if value < 0 or value > high:
        raise Invalid(f"{where}: {key!r} must be in [0, {high}]; got {value}")
    return int(value)


def check_finite(arr: NDArray[Any], name: str) -> None:
    """Refuse an array holding NaN or infinity, naming the first such entry."""
    if not np.all(np.isfinite(arr)):
        i = int(np.flatnonzero(~np.isfinite(arr.ravel()))[0])
        raise Invalid(f"{name} holds a non-finite value ({arr.ravel()[i]}) at flat index {i}")
