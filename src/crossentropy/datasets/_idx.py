"""A careful reader of IDX files, the format of MNIST and Fashion-MNIST.

An IDX file is a 4-byte magic number, one big-endian 32-bit size per dimension
and the payload, row-major and big-endian::

    0x00 0x00 <type code> <number of dimensions>   size_0 ... size_{d-1}   payload

The type codes are 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32
and 0x0E float64.  The file may be gzip-compressed (recognised by its first two
bytes, not by its name).

Every check happens before the payload is stored: the header is validated and
the declared payload size is compared with ``max_bytes`` and, for a raw file,
with the file's length; for a compressed file, with ``max_ratio`` times the
compressed file's length (a gzip bomb, a small file that claims and inflates to
gigabytes, is refused before it is read).  A compressed payload is decompressed in chunks and
kept only as it actually arrives, so a header that claims 2**31 images costs
no memory, and a stream that is shorter or longer than declared (or fails its
gzip CRC) is a ``ValueError`` naming the file; no partial array is returned.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = ["IDX_DTYPES", "read_idx", "read_idx_shape"]

#: Type code of the magic number -> big-endian NumPy dtype of the payload.
IDX_DTYPES: dict[int, np.dtype[Any]] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"
# Large enough to keep the per-call overhead negligible, small enough that a
# hostile stream never costs more than one chunk beyond its real content.
_CHUNK = 1 << 20
_MAX_NDIM = 8


class _Stream(Protocol):
    """What the reader needs of a file: ``read``, and ``readinto`` for raw files."""

    def read(self, size: int = ..., /) -> bytes: ...

    def readinto(self, buffer: Any, /) -> int | None: ...


def _read_exact(stream: _Stream, n: int) -> bytes:
    """Read ``n`` bytes or fewer when the stream ends; never more than ``n``."""
    parts: list[bytes] = []
    remaining = n
    while remaining > 0:
        part = stream.read(min(remaining, _CHUNK))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _parse_header(path: Path, stream: _Stream) -> tuple[np.dtype[Any], tuple[int, ...], int]:
    """Read and check the magic number and the sizes; return dtype, shape, header length."""
    magic = _read_exact(stream, 4)
    if len(magic) < 4:
        raise ValueError(
            f"{path} is not an IDX file: it holds {len(magic)} byte(s), fewer than the "
            "4-byte magic number"
        )
    if magic[:2] != b"\x00\x00" or magic[2] not in IDX_DTYPES:
        raise ValueError(
            f"{path} is not an IDX file: bad magic number 0x{magic.hex()} "
            "(expected 0x0000, a type code among 08 09 0b 0c 0d 0e, and the number of "
            "dimensions)"
        )
    ndim = magic[3]
    if not 1 <= ndim <= _MAX_NDIM:
        raise ValueError(
            f"{path}: the IDX header declares {ndim} dimensions; 1 to {_MAX_NDIM} are allowed"
        )
    raw_sizes = _read_exact(stream, 4 * ndim)
    if len(raw_sizes) < 4 * ndim:
        raise ValueError(
            f"{path} is truncated: the header declares {ndim} dimensions but the file ends "
            f"after {4 + len(raw_sizes)} bytes, inside the {4 + 4 * ndim}-byte header"
        )
    shape = tuple(int.from_bytes(raw_sizes[4 * i : 4 * i + 4], "big") for i in range(ndim))
    return IDX_DTYPES[magic[2]], shape, 4 + 4 * ndim


def _describe(shape: tuple[int, ...], dtype: np.dtype[Any]) -> str:
    return f"{' x '.join(map(str, shape))} items of type {dtype.newbyteorder('=').name}"


def read_idx(
    path: str | os.PathLike[str],
    *,
    dtype: np.dtype[Any] | type | None = None,
    shape: tuple[int | None, ...] | None = None,
    max_bytes: int = 1 << 31,
    max_ratio: float | None = None,
) -> NDArray[Any]:
    """Read an IDX file (raw or gzip-compressed) into a NumPy array in native byte order.

    Parameters
    ----------
    path : str or path-like
        The file.  It is gzip-compressed when it starts with the gzip magic bytes
        ``1f 8b``, whatever its name.
    dtype : numpy dtype, optional
        Required payload type (for example ``np.uint8``); any type code is accepted
        when None.  Checked against the header before the payload is read.
    shape : tuple of int or None, optional
        Required shape, ``None`` standing for any size along that axis (for example
        ``(None, 28, 28)``); checked against the header before the payload is read.
    max_bytes : int, optional
        Largest payload accepted, in bytes (default 2 GiB).  A header that declares
        more is rejected before anything is read.
    max_ratio : float, optional
        For a compressed file, the largest payload accepted relative to the
        compressed file's size (None: no such bound).  Real image sets compress
        2-10 times; a header declaring more than ``max_ratio`` times the file's
        size is rejected before the payload is decompressed.

    Returns
    -------
    numpy.ndarray
        Shape and dtype as declared in the header (multi-byte types converted to
        native byte order).

    Raises
    ------
    ValueError
        Naming the file: bad magic number, unknown type code, zero or too many
        dimensions, a type or shape other than the required one, a declared size
        above ``max_bytes`` (or above ``max_ratio`` times a compressed file's
        size), a payload shorter or longer
        than declared, or a corrupt gzip stream.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
    >>> _ = f.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(f)
    array([7, 2, 1], dtype=uint8)
    """
    path = Path(path)
    want = _Expect(None if dtype is None else np.dtype(dtype), shape, max_bytes)
    with open(path, "rb") as raw:
        compressed = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        if compressed:
            if max_ratio is not None:
                size = os.fstat(raw.fileno()).st_size
                want = want._replace(max_bytes=min(max_bytes, int(max_ratio * size)), ratio=True)
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                return _read_stream(path, stream, want, file_size=None)
        return _read_stream(path, raw, want, file_size=os.fstat(raw.fileno()).st_size)


def read_idx_shape(path: str | os.PathLike[str]) -> tuple[int, ...]:
    """The shape an IDX file's header declares, read without touching the payload.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
    >>> _ = f.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx_shape(f)
    (3,)
    """
    path = Path(path)
    with open(path, "rb") as raw:
        compressed = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        if not compressed:
            return _parse_header(path, raw)[1]
        with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            try:
                return _parse_header(path, stream)[1]
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                raise ValueError(f"{path} is a corrupt or truncated gzip file: {exc}") from exc


class _Expect(NamedTuple):
    dtype: np.dtype[Any] | None
    shape: tuple[int | None, ...] | None
    max_bytes: int
    ratio: bool = False  # max_bytes comes from the compression-ratio bound


def _read_stream(
    path: Path, stream: _Stream, want: _Expect, *, file_size: int | None
) -> NDArray[Any]:
    try:
        return _read_payload(path, stream, want, file_size)
    except (OSError, EOFError, zlib.error) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile):
            raise
        # A gzip stream cut short, a bad CRC or a length mismatch in the trailer.
        raise ValueError(f"{path} is a corrupt or truncated gzip file: {exc}") from exc


def _read_payload(
    path: Path, stream: _Stream, want: _Expect, file_size: int | None
) -> NDArray[Any]:
    dtype, shape, header_len = _parse_header(path, stream)
    if want.dtype is not None and dtype.newbyteorder("=") != want.dtype.newbyteorder("="):
        raise ValueError(
            f"{path}: the IDX header declares items of type {dtype.newbyteorder('=').name}; "
            f"expected {want.dtype.name}"
        )
    if want.shape is not None and (
        len(shape) != len(want.shape)
        or any(w is not None and w != s for w, s in zip(want.shape, shape, strict=False))
    ):
        expected = " x ".join("N" if w is None else str(w) for w in want.shape)
        raise ValueError(
            f"{path}: the IDX header declares shape {' x '.join(map(str, shape))}; "
            f"expected {expected}"
        )
    max_bytes = want.max_bytes
    n_items = 1
    for size in shape:
        n_items *= size
    n_bytes = n_items * dtype.itemsize  # Python ints: no overflow for hostile sizes
    if n_bytes > max_bytes and want.ratio:
        raise ValueError(
            f"{path}: the IDX header declares {_describe(shape, dtype)} "
            f"({n_bytes} bytes), more than the {max_bytes} bytes that a compressed file "
            "of this size may expand to; the file is corrupt or a decompression bomb"
        )
    if n_bytes > max_bytes:
        raise ValueError(
            f"{path}: the IDX header declares {_describe(shape, dtype)} "
            f"({n_bytes} bytes), more than the {max_bytes} bytes allowed; "
            "the file is corrupt or not what it claims to be"
        )
    if file_size is not None:
        # Raw file: its length must be exactly header + payload, checked before reading.
        if file_size != header_len + n_bytes:
            missing = header_len + n_bytes - file_size
            what = f"{missing} bytes short" if missing > 0 else f"{-missing} bytes too long"
            raise ValueError(
                f"{path} is {'truncated' if missing > 0 else 'corrupt'}: the header declares "
                f"{_describe(shape, dtype)} ({n_bytes} bytes of data) but the file is {what}"
            )
        out = np.empty(n_items, dtype=dtype)
        got = stream.readinto(out.view(np.uint8)) if n_bytes else 0
        if got != n_bytes:
            raise ValueError(f"{path} changed while it was read ({got} of {n_bytes} bytes)")
    else:
        # Compressed: keep only what actually arrives, at most the declared size.
        buf = bytearray()
        while len(buf) < n_bytes:
            part = stream.read(min(_CHUNK, n_bytes - len(buf)))
            if not part:
                raise ValueError(
                    f"{path} is truncated: the header declares {_describe(shape, dtype)} "
                    f"({n_bytes} bytes of data) but the stream ends after {len(buf)} bytes"
                )
            buf += part
        # Reading on to the end also makes gzip check its CRC and length trailer.
        if stream.read(1):
            raise ValueError(
                f"{path} is corrupt: the header declares {_describe(shape, dtype)} "
                f"({n_bytes} bytes of data) but more data follows"
            )
        out = np.frombuffer(buf, dtype=dtype) if n_bytes else np.empty(0, dtype=dtype)
    out = out.reshape(shape)
    if out.dtype.byteorder == ">":
        out = out.astype(out.dtype.newbyteorder("="))
    return out
