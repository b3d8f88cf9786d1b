"""Tests of the IDX reader: round trips, and every way a file can be wrong.

All files are written by the tests themselves (raw and gzip); the real MNIST
files are read in tests/test_datasets_mnist.py.
"""

from __future__ import annotations

import gzip
import re
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest

from crossentropy.datasets._idx import _CHUNK, IDX_DTYPES, read_idx, read_idx_shape

_CODE = {dt.newbyteorder("=").str if dt.itemsize > 1 else dt.str: c for c, dt in IDX_DTYPES.items()}


def idx_bytes(
    arr: np.ndarray,
    *,
    code: int | None = None,
    dims: tuple[int, ...] | None = None,
    ndim: int | None = None,
) -> bytes:
    """The IDX encoding of ``arr``; ``code``, ``dims`` and ``ndim`` override the header."""
    if code is None:
        code = _CODE[arr.dtype.str]
    dims = arr.shape if dims is None else dims
    header = bytes([0, 0, code, len(dims) if ndim is None else ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in dims)
    payload = (
        arr.astype(arr.dtype.newbyteorder(">")).tobytes()
        if arr.dtype.itemsize > 1
        else (arr.tobytes())
    )
    return header + payload


def write(path: Path, data: bytes, *, gz: bool) -> Path:
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


RNG_SEED = 20261122


@pytest.fixture(params=[False, True], ids=["raw", "gz"])
def gz(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.mark.parametrize(
    ("dtype", "shape"),
    [
        (np.uint8, (5, 28, 28)),
        (np.uint8, (7,)),
        (np.int8, (3, 4)),
        (np.int16, (2, 3, 4)),
        (np.int32, (6,)),
        (np.float32, (4, 5)),
        (np.float64, (3, 2, 2, 2)),
        (np.uint8, (0, 28, 28)),
    ],
)
def test_round_trip_every_type_code(tmp_path: Path, gz: bool, dtype: type, shape: tuple) -> None:
    rng = np.random.default_rng(RNG_SEED)
    if np.dtype(dtype).kind == "f":
        arr = rng.standard_normal(shape).astype(dtype)
    else:
        info = np.iinfo(dtype)
        arr = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    f = write(tmp_path / "x-idx", idx_bytes(arr), gz=gz)
    out = read_idx(f)
    assert out.shape == arr.shape
    assert out.dtype == np.dtype(dtype)  # native byte order, whatever the file's
    assert out.dtype.isnative
    np.testing.assert_array_equal(out, arr)  # bit-exact: nothing is computed


def test_compression_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    arr = np.arange(12, dtype=np.uint8).reshape(3, 4)
    named_raw = write(tmp_path / "a.gz", idx_bytes(arr), gz=False)
    named_plain = write(tmp_path / "b", idx_bytes(arr), gz=True)
    np.testing.assert_array_equal(read_idx(named_raw), arr)
    np.testing.assert_array_equal(read_idx(named_plain), arr)


def test_multi_member_gzip_is_one_stream(tmp_path: Path) -> None:
    # gzip allows concatenated members (what `cat a.gz b.gz` gives); they read as one.
    data = idx_bytes(np.arange(100, dtype=np.uint8))
    f = tmp_path / "m.gz"
    f.write_bytes(gzip.compress(data[:50], mtime=0) + gzip.compress(data[50:], mtime=0))
    np.testing.assert_array_equal(read_idx(f), np.arange(100, dtype=np.uint8))


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "absent")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "holds 0 byte"),
        (b"\x00\x00\x08", "holds 3 byte"),
        (b"<!DOCTYPE html><html>", "bad magic number 0x3c21444f"),
        (bytes([0, 1, 8, 1, 0, 0, 0, 0]), "bad magic number 0x00010801"),
        (bytes([0, 0, 7, 1, 0, 0, 0, 0]), "bad magic number 0x00000701"),
        (bytes([0, 0, 8, 0]), "declares 0 dimensions"),
        (bytes([0, 0, 8, 9]) + bytes(36), "declares 9 dimensions"),
        (bytes([0, 0, 8, 3, 0, 0, 0, 1, 0, 0]), "truncated.*ends after 10 bytes.*16-byte header"),
    ],
)
def test_bad_header(tmp_path: Path, gz: bool, data: bytes, match: str) -> None:
    f = write(tmp_path / "bad-idx", data, gz=gz)
    with pytest.raises(ValueError, match=match) as info:
        read_idx(f)
    assert str(f) in str(info.value)


def test_raw_truncated_payload_is_refused_before_reading(tmp_path: Path) -> None:
    data = idx_bytes(np.zeros((10, 28, 28), np.uint8))
    f = write(tmp_path / "images-idx3-ubyte", data[:-1], gz=False)
    with pytest.raises(ValueError, match=r"truncated: .* 10 x 28 x 28 items .* 1 bytes short"):
        read_idx(f)


def test_raw_trailing_bytes(tmp_path: Path) -> None:
    f = write(tmp_path / "x", idx_bytes(np.zeros(4, np.uint8)) + b"\x00\x00", gz=False)
    with pytest.raises(ValueError, match="2 bytes too long"):
        read_idx(f)


def test_gz_short_payload(tmp_path: Path) -> None:
    # A valid gzip stream whose content stops before the declared size.
    data = idx_bytes(np.zeros((10, 28, 28), np.uint8))
    f = write(tmp_path / "x.gz", data[:-100], gz=True)
    with pytest.raises(ValueError, match=r"truncated: .* stream ends after 7740 bytes") as info:
        read_idx(f)
    assert str(f) in str(info.value)


def test_gz_cut_short(tmp_path: Path) -> None:
    # The compressed file itself is cut (an interrupted copy): no end-of-stream marker.
    rng = np.random.default_rng(RNG_SEED)
    data = idx_bytes(rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8))
    packed = gzip.compress(data, mtime=0)
    f = tmp_path / "x.gz"
    f.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ValueError, match="corrupt or truncated gzip") as info:
        read_idx(f)
    assert str(f) in str(info.value)


def test_gz_bad_crc(tmp_path: Path) -> None:
    data = idx_bytes(np.arange(50, dtype=np.uint8))
    packed = bytearray(gzip.compress(data, mtime=0))
    packed[-8] ^= 0xFF  # first byte of the CRC-32 trailer
    f = tmp_path / "x.gz"
    f.write_bytes(bytes(packed))
    with pytest.raises(ValueError, match=r"(?i)crc"):
        read_idx(f)


def test_gz_corrupt_deflate_data(tmp_path: Path) -> None:
    rng = np.random.default_rng(RNG_SEED)
    data = idx_bytes(rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8))
    packed = bytearray(gzip.compress(data, mtime=0))
    for i in range(20, 60):  # scribble over the deflate stream after the 10-byte header
        packed[i] ^= 0x5A
    f = tmp_path / "x.gz"
    f.write_bytes(bytes(packed))
    with pytest.raises(ValueError, match=re.escape(str(f))):
        read_idx(f)


def test_gz_more_data_than_declared(tmp_path: Path) -> None:
    data = idx_bytes(np.zeros(10, np.uint8), dims=(9,))
    f = write(tmp_path / "x.gz", data, gz=True)
    with pytest.raises(ValueError, match="more data follows"):
        read_idx(f)


@pytest.mark.parametrize("n_images", [2**31, 2**32 - 1])
def test_header_claiming_billions_of_images(tmp_path: Path, gz: bool, n_images: int) -> None:
    data = idx_bytes(np.zeros((3, 28, 28), np.uint8), dims=(n_images, 28, 28))
    f = write(tmp_path / "hostile", data, gz=gz)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=rf"{n_images} x 28 x 28 items .* more than the"):
            read_idx(f)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Nothing near the declared size was allocated: at most a few read buffers.
    assert peak < 1 << 20


def test_gz_claim_below_the_limit_but_no_data(tmp_path: Path) -> None:
    # 1 GB declared (under max_bytes) with 3 images of real data: memory follows the data.
    data = idx_bytes(np.zeros((3, 28, 28), np.uint8), dims=(1_275_510, 28, 28))
    f = write(tmp_path / "hostile.gz", data, gz=True)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="stream ends after 2352 bytes"):
            read_idx(f, max_bytes=1 << 30)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The real data plus one decompressed chunk, which gzip's buffered reader holds in
    # up to three copies while handing it over: 4 chunks bound it, 1/200 of the claim.
    assert peak < 4 * _CHUNK


def _zeros_gzip(path: Path, header: bytes, n_zero_bytes: int) -> None:
    """A gzip bomb: ``header`` then ``n_zero_bytes`` zeros, compressed ~1000:1."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    with open(path, "wb") as out:
        out.write(comp.compress(header))
        for _ in range(n_zero_bytes >> 20):
            out.write(comp.compress(block))
        out.write(comp.flush())


def test_gzip_bomb_with_modest_header(tmp_path: Path) -> None:
    # Declares 10 images but inflates to 64 MiB: refused after at most one extra chunk.
    f = tmp_path / "bomb.gz"
    header = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in (10, 28, 28))
    _zeros_gzip(f, header, 64 << 20)
    assert f.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="more data follows"):
            read_idx(f)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The 7840 declared bytes plus one chunk in transit (see above), not the 64 MiB.
    assert peak < 4 * _CHUNK


def test_gzip_bomb_with_huge_header_is_refused_unread(tmp_path: Path) -> None:
    f = tmp_path / "bomb.gz"
    header = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in (1 << 20, 28, 28))
    _zeros_gzip(f, header, 8 << 20)
    with pytest.raises(ValueError, match=r"822083584 bytes.*more than the 268435456 bytes"):
        read_idx(f, max_bytes=1 << 28)


def test_required_dtype_and_shape(tmp_path: Path, gz: bool) -> None:
    f = write(tmp_path / "x", idx_bytes(np.zeros((2, 27, 28), np.uint8)), gz=gz)
    with pytest.raises(ValueError, match="declares shape 2 x 27 x 28; expected N x 28 x 28"):
        read_idx(f, shape=(None, 28, 28))
    with pytest.raises(ValueError, match="declares shape 2 x 27 x 28; expected N"):
        read_idx(f, shape=(None,))
    with pytest.raises(ValueError, match="items of type uint8; expected int16"):
        read_idx(f, dtype=np.int16)
    g = write(tmp_path / "y", idx_bytes(np.zeros(3, np.float32)), gz=gz)
    with pytest.raises(ValueError, match="items of type float32; expected uint8"):
        read_idx(g, dtype=np.uint8)
    assert read_idx(f, dtype=np.uint8, shape=(None, 27, None)).shape == (2, 27, 28)


def test_large_payload_spanning_many_read_chunks(tmp_path: Path, gz: bool) -> None:
    # 3.5 chunks of payload, so that the chunk loop and its last partial chunk run.
    rng = np.random.default_rng(RNG_SEED)
    arr = rng.integers(0, 256, size=(int(3.5 * _CHUNK) // 784, 28, 28), dtype=np.uint8)
    f = write(tmp_path / "big", idx_bytes(arr), gz=gz)
    np.testing.assert_array_equal(read_idx(f), arr)


def test_gzip_bomb_refused_by_the_compression_ratio(tmp_path: Path) -> None:
    # A 1 MB file that claims (and inflates to) 1,369,000 images: under a 1 GiB
    # max_bytes, but 1000 times its own size.  Refused on the header, unread.
    f = tmp_path / "bomb.gz"
    n = 1_369_000
    header = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in (n, 28, 28))
    _zeros_gzip(f, header, n * 784)
    size = f.stat().st_size
    assert size < 2 << 20
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"bomb\.gz.*bytes that a compressed file"):
            read_idx(f, max_bytes=1 << 30, max_ratio=50.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_compression_ratio_admits_real_ratios(tmp_path: Path) -> None:
    # Random pixels hardly compress: the ratio bound must not refuse honest files,
    # and a raw (uncompressed) file is not subject to it.
    rng = np.random.default_rng(0)
    arr = rng.integers(0, 256, size=(50, 28, 28), dtype=np.uint8)
    for gz in (True, False):
        f = write(tmp_path / f"ok{gz}", idx_bytes(arr), gz=gz)
        np.testing.assert_array_equal(read_idx(f, max_ratio=2.0), arr)


def test_read_idx_shape_reads_only_the_header(tmp_path: Path, gz: bool) -> None:
    data = idx_bytes(np.zeros((3, 28, 28), np.uint8), dims=(2**31, 28, 28))
    f = write(tmp_path / "hostile", data, gz=gz)
    assert read_idx_shape(f) == (2**31, 28, 28)
    bad = write(tmp_path / "short", b"\x00\x00\x08\x03\x00", gz=gz)
    with pytest.raises(ValueError, match="truncated"):
        read_idx_shape(bad)
