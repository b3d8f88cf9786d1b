"""Tests of load_mnist, its downloads, the digits fallback and the real MNIST files.

Small IDX files are written by the tests; downloads use file:// URLs or a fake
opener, never the network.  The real files in ../shared/data are read when present.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from crossentropy.datasets import (
    DATA_ENV_VAR,
    ImageDataset,
    _mnist,
    default_data_home,
    load_digits,
    load_mnist,
    load_with_fallback,
)

SEED = 20261122
NAMES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def idx(arr: np.ndarray, dims: tuple[int, ...] | None = None) -> bytes:
    """IDX encoding of a uint8 array (``dims`` overrides the declared sizes)."""
    dims = arr.shape if dims is None else dims
    header = bytes([0, 0, 8, len(dims)]) + b"".join(int(d).to_bytes(4, "big") for d in dims)
    return header + arr.astype(np.uint8).tobytes()


class Fake:
    """A small MNIST look-alike: 50 train and 20 test images with labels 0..9."""

    def __init__(self, seed: int = SEED, n_train: int = 50, n_test: int = 20) -> None:
        rng = np.random.default_rng(seed)
        self.X_train = rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8)
        self.y_train = rng.integers(0, 10, size=n_train, dtype=np.uint8)
        self.X_test = rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8)
        self.y_test = rng.integers(0, 10, size=n_test, dtype=np.uint8)

    def payloads(self) -> dict[str, bytes]:
        arrays = (self.X_train, self.y_train, self.X_test, self.y_test)
        return {name: idx(a) for name, a in zip(NAMES, arrays, strict=True)}

    def write(self, folder: Path, *, gz: bool | tuple[bool, ...] = True) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        flags = gz if isinstance(gz, tuple) else (gz,) * 4
        for (name, data), z in zip(self.payloads().items(), flags, strict=True):
            if z:
                (folder / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
            else:
                (folder / name).write_bytes(data)
        return folder

    def check(self, ds: ImageDataset) -> None:
        assert ds.X_train.shape == (len(self.y_train), 784)
        assert ds.X_train.dtype == np.uint8
        assert ds.y_train.dtype == np.int64
        np.testing.assert_array_equal(ds.X_train, self.X_train.reshape(-1, 784))
        np.testing.assert_array_equal(ds.y_train, self.y_train)
        np.testing.assert_array_equal(ds.X_test, self.X_test.reshape(-1, 784))
        np.testing.assert_array_equal(ds.y_test, self.y_test)


@pytest.fixture
def fake() -> Fake:
    return Fake()


@pytest.fixture(autouse=True)
def _no_ambient_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No test may read or fill the real user cache, or reach the network.
    monkeypatch.delenv(DATA_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))

    def no_network(url: str, **kwargs: Any) -> Any:
        raise AssertionError(f"a test tried to open {url}")

    monkeypatch.setattr(_mnist, "_urlopen", no_network)


# --- reading from a folder ---------------------------------------------------------


@pytest.mark.parametrize(
    "gz", [True, False, (True, False, False, True)], ids=["gz", "raw", "mixed"]
)
def test_reads_kind_subfolder_and_folder_itself(tmp_path: Path, fake: Fake, gz: Any) -> None:
    fake.write(tmp_path / "root" / "mnist", gz=gz)
    by_root = load_mnist(tmp_path / "root", download=False)
    by_folder = load_mnist(tmp_path / "root" / "mnist", download=False)
    for ds in (by_root, by_folder):
        fake.check(ds)
        assert ds.kind == "mnist"
        assert ds.image_shape == (28, 28)
        assert ds.pixel_max == 255
        assert ds.class_names == tuple("0123456789")
        assert ds.source == str((tmp_path / "root" / "mnist").resolve())


def test_kind_subfolder_wins_over_root(tmp_path: Path) -> None:
    a, b = Fake(seed=1), Fake(seed=2)
    a.write(tmp_path)
    b.write(tmp_path / "fashion-mnist")
    b.check(load_mnist(tmp_path, kind="fashion-mnist", download=False))
    a.check(load_mnist(tmp_path, kind="mnist", download=False))  # no mnist/ subfolder
    ds = load_mnist(tmp_path, kind="fashion-mnist", download=False)
    assert ds.class_names[0] == "T-shirt/top"
    assert ds.class_names[9] == "Ankle boot"


def test_gz_is_preferred_when_both_forms_exist(tmp_path: Path) -> None:
    gz_set, raw_set = Fake(seed=1), Fake(seed=2)
    gz_set.write(tmp_path, gz=True)
    raw_set.write(tmp_path, gz=False)
    gz_set.check(load_mnist(tmp_path, download=False))


def test_incomplete_folder_is_not_used(tmp_path: Path, fake: Fake) -> None:
    fake.write(tmp_path / "mnist")
    (tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError) as info:
        load_mnist(tmp_path, download=False)
    message = str(info.value)
    assert str(tmp_path / "mnist") in message
    assert DATA_ENV_VAR in message and "--data-home" in message and "download" in message


def test_environment_variable_and_user_cache(
    tmp_path: Path, fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.write(tmp_path / "env" / "mnist")
    monkeypatch.setenv(DATA_ENV_VAR, str(tmp_path / "env"))
    assert default_data_home() == tmp_path / "env"
    fake.check(load_mnist(download=False))
    # An explicit data_home wins over the variable.
    with pytest.raises(FileNotFoundError):
        load_mnist(tmp_path / "elsewhere", download=False)

    monkeypatch.setenv(DATA_ENV_VAR, "")  # empty means unset
    assert default_data_home() == tmp_path / "xdg-cache" / "crossentropy"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_data_home() == tmp_path / "home" / ".cache" / "crossentropy"


def test_user_cache_on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_mnist.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert default_data_home() == tmp_path / "Local" / "crossentropy"


def test_repr_and_scaled(tmp_path: Path, fake: Fake) -> None:
    ds = load_mnist(fake.write(tmp_path), download=False)
    assert repr(ds).startswith("ImageDataset(kind='mnist', n_train=50, n_test=20,")
    X_train, X_test = ds.scaled()
    assert X_train.dtype == np.float32 and X_test.dtype == np.float32
    # Exact: each uint8 / 255 is correctly rounded in float32 whichever way it is computed.
    np.testing.assert_array_equal(X_train, (ds.X_train / 255.0).astype(np.float32))
    X64, _ = ds.scaled(np.float64)
    np.testing.assert_array_equal(X64, ds.X_train / 255.0)
    with pytest.raises(TypeError, match="`dtype` must be float32 or float64; got int32"):
        ds.scaled(np.int32)
    with pytest.raises(AttributeError):
        ds.kind = "fashion-mnist"  # type: ignore[misc]  # frozen
    np.testing.assert_array_equal(ds.scaled_test(), X_test, strict=True)
    np.testing.assert_array_equal(ds.scaled_test(np.float64), ds.X_test / 255.0, strict=True)


def test_split_holds_out_a_seeded_share_and_scales_each_part(tmp_path: Path, fake: Fake) -> None:
    ds = load_mnist(fake.write(tmp_path), download=False)
    parts = ds.split(0.2, seed=3)
    assert repr(parts) == "ImageSplit(n_train=40, n_val=10, n_test=20)"
    # The draw: numpy's seeded permutation, ceil(0.2 * 50) = 10 rows held out, order kept.
    order = np.random.default_rng(3).permutation(50)
    val, train = np.sort(order[:10]), np.sort(order[10:])
    np.testing.assert_array_equal(parts.y_val, ds.y_train[val])
    np.testing.assert_array_equal(parts.y_train, ds.y_train[train])
    scaled_train, scaled_test = ds.scaled()
    np.testing.assert_array_equal(parts.X_train, scaled_train[train], strict=True)
    np.testing.assert_array_equal(parts.X_val, scaled_train[val], strict=True)
    np.testing.assert_array_equal(parts.X_test, scaled_test, strict=True)
    assert ds.split(0.2, seed=3).y_val.tolist() == parts.y_val.tolist()  # reproducible
    assert ds.split(0.2, seed=4).y_val.tolist() != parts.y_val.tolist()
    assert ds.split(0.01).y_val.shape == (1,)  # any positive share holds out a row
    none = ds.split(0.0)
    assert none.X_val.shape == (0, 784) and none.X_val.dtype == np.float32
    assert ds.split(0.5, dtype=np.float64).X_train.dtype == np.float64


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"validation": 1.0}, ValueError, r"`validation` must be a finite number in \[0, 1\)"),
        ({"validation": -0.1}, ValueError, "`validation` must be"),
        ({"validation": "0.2"}, TypeError, "`validation` must be a number; got str"),
        ({"validation": 0.999}, ValueError, "holds out all 50 training images"),
        ({"seed": -1}, ValueError, "`seed` must be an integer >= 0; got -1"),
        ({"seed": 1.5}, TypeError, "`seed` must be an integer"),
        ({"dtype": np.int8}, TypeError, "`dtype` must be float32 or float64"),
    ],
)
def test_split_refuses_bad_arguments(
    tmp_path: Path, fake: Fake, kwargs: dict[str, object], error: type, match: str
) -> None:
    ds = load_mnist(fake.write(tmp_path), download=False)
    with pytest.raises(error, match=match):
        ds.split(**kwargs)  # type: ignore[arg-type]


# --- bad files and arguments ------------------------------------------------------


def _write_set(folder: Path, payloads: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in payloads.items():
        (folder / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
    return folder


def test_counts_of_images_and_labels_must_agree(tmp_path: Path, fake: Fake) -> None:
    payloads = fake.payloads()
    payloads["t10k-labels-idx1-ubyte"] = idx(fake.y_test[:-1])
    _write_set(tmp_path, payloads)
    with pytest.raises(ValueError, match=r"holds 20 images but .*t10k-labels.* holds 19 labels"):
        load_mnist(tmp_path, download=False)


def test_labels_must_be_digits(tmp_path: Path, fake: Fake) -> None:
    labels = fake.y_train.copy()
    labels[7] = 10
    payloads = fake.payloads()
    payloads["train-labels-idx1-ubyte"] = idx(labels)
    _write_set(tmp_path, payloads)
    with pytest.raises(ValueError, match=r"labels must be in 0\.\.9; got 10 at index 7"):
        load_mnist(tmp_path, download=False)


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("train-images-idx3-ubyte", idx(np.zeros((5, 28, 27))), "expected N x 28 x 28"),
        ("train-images-idx3-ubyte", idx(np.zeros((5, 784))), "expected N x 28 x 28"),
        ("train-labels-idx1-ubyte", idx(np.zeros((5, 2))), "expected N$"),
        ("train-labels-idx1-ubyte", b"\x00\x00\x0b\x01" + bytes(4), "type int16; expected uint8"),
        ("t10k-images-idx3-ubyte", b"<html>Not found</html>", "bad magic number"),
        ("t10k-images-idx3-ubyte", idx(np.zeros((1, 28, 28)), (2**31, 28, 28)), "2147483648 im"),
    ],
)
def test_bad_files_name_themselves(
    tmp_path: Path, fake: Fake, name: str, data: bytes, match: str
) -> None:
    payloads = fake.payloads()
    payloads[name] = data
    _write_set(tmp_path, payloads)
    with pytest.raises(ValueError, match=match) as info:
        load_mnist(tmp_path, download=False)
    assert str(tmp_path / f"{name}.gz") in str(info.value)


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="`kind` must be 'mnist' or 'fashion-mnist'; got 'emnist'"):
        load_mnist(tmp_path, kind="emnist")
    with pytest.raises(ValueError, match=r"use load_digits\(\)"):
        load_mnist(tmp_path, kind="digits")
    with pytest.raises(TypeError, match=r"`data_home` must be a path .* got int"):
        load_mnist(3, download=False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`kind` must be 'mnist', 'fashion-mnist' or 'digits'"):
        load_with_fallback("svhn")


# --- downloads --------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path, fake: Fake, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """Serve ``fake`` as gz files from a file:// mirror with its checksums pinned.

    Calling the fixture sets the mirrors (``"good"``, ``"missing"`` for a mirror
    without the files, ``"corrupt"`` for one whose files differ from the pinned
    hashes) and returns the list of URLs that were opened.
    """
    import urllib.request

    good = fake.write(tmp_path / "mirror-good")
    corrupt = Fake(seed=99).write(tmp_path / "mirror-corrupt")
    bases = {
        "good": good.as_uri() + "/",
        "corrupt": corrupt.as_uri() + "/",
        "missing": (tmp_path / "mirror-missing").as_uri() + "/",
    }
    table = {}
    for name in NAMES:
        f = good / f"{name}.gz"
        table[f.name] = (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_size)
    monkeypatch.setitem(_mnist._SHA256, "mnist", table)
    opened: list[str] = []

    def opener(url: str, **kwargs: Any) -> Any:
        opened.append(url)
        return urllib.request.urlopen(url, **kwargs)

    monkeypatch.setattr(_mnist, "_urlopen", opener)

    def use(*mirrors: str) -> list[str]:
        monkeypatch.setitem(_mnist._MIRRORS, "mnist", tuple(bases[m] for m in mirrors))
        return opened

    return use


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_fills_the_kind_subfolder(
    tmp_path: Path, fake: Fake, server: Callable[..., list[str]]
) -> None:
    opened = server("good")
    root = tmp_path / "home"
    ds = load_mnist(root, progress=False)
    fake.check(ds)
    assert _leftovers(root / "mnist") == sorted(f"{n}.gz" for n in NAMES)
    assert len(opened) == 4
    # The second call reads what is there and opens nothing.
    fake.check(load_mnist(root))
    assert len(opened) == 4


def test_download_only_fetches_missing_files(
    tmp_path: Path, fake: Fake, server: Callable[..., list[str]]
) -> None:
    opened = server("good")
    folder = fake.write(tmp_path / "home" / "mnist", gz=(True, True, False, False))
    (folder / "t10k-images-idx3-ubyte").unlink()
    fake.check(load_mnist(tmp_path / "home", progress=False))
    assert [u.rsplit("/", 1)[1] for u in opened] == ["t10k-images-idx3-ubyte.gz"]


def test_download_falls_through_mirrors(
    tmp_path: Path, fake: Fake, server: Callable[..., list[str]]
) -> None:
    opened = server("missing", "corrupt", "good")
    fake.check(load_mnist(tmp_path, progress=False))
    assert len(opened) == 12  # each of the 4 files: 404-like, bad hash, then good


def test_checksum_mismatch_everywhere_leaves_nothing(
    tmp_path: Path, server: Callable[..., list[str]]
) -> None:
    server("corrupt", "missing")
    with pytest.raises(OSError, match="could not download MNIST file train-images") as info:
        load_mnist(tmp_path, progress=False)
    message = str(info.value)
    assert "SHA-256 mismatch" in message
    assert "mirror-missing" in message  # every mirror's failure is reported
    assert DATA_ENV_VAR in message
    assert _leftovers(tmp_path / "mnist") == []


def test_download_shows_progress_bar(
    tmp_path: Path, fake: Fake, server: Callable[..., list[str]], capsys: pytest.CaptureFixture
) -> None:
    server("good")
    fake.check(load_mnist(tmp_path, progress=True))
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz" in err and "100%" in err


class _Response(io.RawIOBase):
    """A fake HTTP response: ``data``, then ``exc`` raised instead of the rest."""

    def __init__(self, data: bytes, exc: BaseException | None) -> None:
        self._stream = io.BytesIO(data)
        self._exc = exc

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        block = self._stream.read(size)
        if not block and self._exc is not None:
            raise self._exc
        return block


@pytest.mark.parametrize(
    "exc",
    [ConnectionResetError("connection reset by peer"), TimeoutError("timed out"), None],
    ids=["reset", "timeout", "short"],
)
def test_interrupted_download_leaves_nothing(
    tmp_path: Path,
    fake: Fake,
    server: Callable[..., list[str]],
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException | None,
) -> None:
    server("good")
    blob = gzip.compress(fake.payloads()["train-images-idx3-ubyte"], mtime=0)
    monkeypatch.setattr(_mnist, "_urlopen", lambda url, **kw: _Response(blob[:1000], exc))
    with pytest.raises(OSError, match="could not download") as info:
        load_mnist(tmp_path, progress=False)
    assert (str(exc) if exc else "SHA-256 mismatch after 1000 of") in str(info.value)
    assert _leftovers(tmp_path / "mnist") == []


def test_ctrl_c_during_download_leaves_nothing(
    tmp_path: Path, fake: Fake, server: Callable[..., list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    server("good")
    blob = gzip.compress(fake.payloads()["train-images-idx3-ubyte"], mtime=0)
    monkeypatch.setattr(
        _mnist, "_urlopen", lambda url, **kw: _Response(blob[:5000], KeyboardInterrupt())
    )
    with pytest.raises(KeyboardInterrupt):
        load_mnist(tmp_path, progress=False)
    assert _leftovers(tmp_path / "mnist") == []


def test_server_sending_too_much_is_cut_off(
    tmp_path: Path, server: Callable[..., list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    server("good")
    endless = bytes(10 << 20)  # far more than the pinned size of any fake file
    monkeypatch.setattr(_mnist, "_urlopen", lambda url, **kw: _Response(endless, None))
    with pytest.raises(OSError, match="more than the expected"):
        load_mnist(tmp_path, progress=False)
    assert _leftovers(tmp_path / "mnist") == []


def test_unwritable_target(tmp_path: Path, server: Callable[..., list[str]]) -> None:
    server("good")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError, match=f"cannot create {re.escape(str(blocker / 'mnist'))}"):
        load_mnist(blocker, progress=False)


# --- the digits and the fallback ---------------------------------------------------


def test_digits_split_is_stratified_fixed_and_complete() -> None:
    from sklearn.datasets import load_digits as sklearn_digits

    ref = sklearn_digits()
    ds = load_digits()
    assert ds.kind == "digits" and ds.image_shape == (8, 8) and ds.pixel_max == 16
    assert ds.X_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert len(ds.y_train) + len(ds.y_test) == 1797
    # Each class contributes round(0.2 * its size) test images.
    per_class = np.bincount(ref.target, minlength=10)
    expected = [round(0.2 * n) for n in per_class]
    np.testing.assert_array_equal(np.bincount(ds.y_test, minlength=10), expected)
    # Together the two sets are the original rows, each exactly once.
    together = np.concatenate([ds.X_train, ds.X_test]).astype(np.float64)
    labels = np.concatenate([ds.y_train, ds.y_test])
    order = np.lexsort(np.column_stack([together, labels]).T)
    ref_order = np.lexsort(np.column_stack([ref.data, ref.target]).T)
    np.testing.assert_array_equal(together[order], ref.data[ref_order])
    np.testing.assert_array_equal(labels[order], ref.target[ref_order])
    # Same seed, same split; another seed, another split.
    again = load_digits()
    np.testing.assert_array_equal(again.X_test, ds.X_test)
    other = load_digits(random_state=1)
    assert not np.array_equal(other.X_test, ds.X_test)
    assert len(load_digits(test_fraction=0.5).y_test) == sum(round(0.5 * n) for n in per_class)


def test_digits_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"`test_fraction` must be in \(0, 1\); got 1.0"):
        load_digits(test_fraction=1.0)
    with pytest.raises(TypeError, match="`random_state` must be an integer; got float"):
        load_digits(random_state=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`test_fraction` must be in \\(0, 1\\); got str"):
        load_digits(test_fraction="0.2")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`download` must be True or False; got str 'no'"):
        load_mnist("/nonexistent", download="no")  # type: ignore[arg-type]


def test_fallback_when_missing(tmp_path: Path) -> None:
    ds, message = load_with_fallback("mnist", tmp_path, download=False)
    assert ds.kind == "digits"
    assert message is not None
    assert "no MNIST files" in message
    assert DATA_ENV_VAR in message and "--data-home" in message
    assert message.rstrip().endswith("sklearn.datasets.load_digits).")


def test_fallback_when_download_fails(tmp_path: Path, server: Callable[..., list[str]]) -> None:
    server("missing")
    ds, message = load_with_fallback("mnist", tmp_path, progress=False)
    assert ds.kind == "digits"
    assert message is not None and "could not download" in message
    assert _leftovers(tmp_path / "mnist") == []


def test_no_fallback_when_found_or_asked_for_digits(tmp_path: Path, fake: Fake) -> None:
    ds, message = load_with_fallback("mnist", fake.write(tmp_path), download=False)
    fake.check(ds)
    assert message is None
    ds, message = load_with_fallback("digits")
    assert ds.kind == "digits" and message is None


def test_corrupt_file_is_an_error_not_a_fallback(tmp_path: Path, fake: Fake) -> None:
    payloads = fake.payloads()
    payloads["train-images-idx3-ubyte"] = payloads["train-images-idx3-ubyte"][:-5]
    _write_set(tmp_path, payloads)
    with pytest.raises(ValueError, match="truncated"):
        load_with_fallback("mnist", tmp_path, download=False)


# --- the real files ----------------------------------------------------------------

# Counts per digit 0..9 from ../shared/data/README.md.
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.mark.parametrize("kind", ["mnist", "fashion-mnist"])
def test_pinned_checksums_match_the_shared_files(shared_data: os.PathLike[str], kind: str) -> None:
    folder = Path(shared_data) / kind
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    sums = {}
    for line in (Path(shared_data) / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        sums[name.lstrip("*")] = digest
    for filename, (sha256, size) in _mnist._SHA256[kind].items():
        path = folder / filename
        assert sums[f"{kind}/{filename}"] == sha256
        assert path.stat().st_size == size
        assert _mnist._sha256_file(path) == sha256


@pytest.mark.parametrize("kind", ["mnist", "fashion-mnist"])
def test_real_files(shared_data: os.PathLike[str], kind: str) -> None:
    if not (Path(shared_data) / kind).is_dir():
        pytest.skip(f"{Path(shared_data) / kind} is absent")
    ds = load_mnist(shared_data, kind=kind, download=False)
    assert ds.X_train.shape == (60000, 784) and ds.X_test.shape == (10000, 784)
    assert ds.X_train.dtype == np.uint8 and ds.y_test.dtype == np.int64
    assert ds.X_train.flags.c_contiguous
    train_counts = np.bincount(ds.y_train, minlength=10).tolist()
    test_counts = np.bincount(ds.y_test, minlength=10).tolist()
    if kind == "mnist":
        assert train_counts == MNIST_TRAIN_COUNTS and test_counts == MNIST_TEST_COUNTS
        # The first training image is a 5 (the well-known first MNIST digit).
        assert ds.y_train[0] == 5
    else:
        assert train_counts == [6000] * 10 and test_counts == [1000] * 10
        assert ds.y_train[0] == 9  # an ankle boot
    assert ds.X_train.min() == 0 and ds.X_train.max() == 255


def test_real_raw_file_reads_like_its_gz(shared_data: os.PathLike[str], tmp_path: Path) -> None:
    from crossentropy.datasets._idx import read_idx

    gz_path = Path(shared_data) / "mnist" / "t10k-images-idx3-ubyte.gz"
    if not gz_path.is_file():
        pytest.skip(f"{gz_path} is absent")
    raw_path = tmp_path / "t10k-images-idx3-ubyte"
    raw_path.write_bytes(gzip.decompress(gz_path.read_bytes()))
    np.testing.assert_array_equal(read_idx(raw_path), read_idx(gz_path))


def test_real_files_of_the_other_kind_are_refused(shared_data: os.PathLike[str]) -> None:
    folder = Path(shared_data) / "mnist"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    with pytest.raises(ValueError, match="is the MNIST labels file, not Fashion-MNIST"):
        load_mnist(folder, kind="fashion-mnist", download=False)


def _bomb(n_images: int) -> bytes:
    """A gzip stream of an IDX images header for ``n_images`` followed by zeros."""
    import zlib

    header = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in (n_images, 28, 28))
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [comp.compress(header)]
    block = bytes(1 << 20)
    for _ in range(n_images * 784 >> 20):
        parts.append(comp.compress(block))
    parts.append(comp.compress(bytes(n_images * 784 % (1 << 20))))
    parts.append(comp.flush())
    return b"".join(parts)


def test_images_bomb_matching_the_labels_is_refused_unread(tmp_path: Path, fake: Fake) -> None:
    # 1,369,000 images of zeros in about 1 MB, with as many (incompressible) labels:
    # the images file claims 1000 times its size and is refused before it inflates.
    import tracemalloc

    n = 1_369_000
    _write_set(tmp_path, fake.payloads())
    labels = np.random.default_rng(0).integers(0, 10, n, dtype=np.uint8)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx(labels), mtime=0))
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(_bomb(n))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"train-images.*decompression bomb"):
            load_mnist(tmp_path, download=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20  # the 1.4 MB of labels and read buffers, not 1 GB of images


def test_image_count_is_checked_before_the_images_are_read(tmp_path: Path, fake: Fake) -> None:
    # The header claims 100,000 images against 20 labels: refused on the header.
    import tracemalloc

    payloads = fake.payloads()
    _write_set(tmp_path, payloads)
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (100_000, 28, 28), dtype=np.uint8)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx(images), 1, mtime=0))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"holds 100000 images but .* holds 20 labels"):
            load_mnist(tmp_path, download=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # far below the 78 MB the images would take


def test_unknown_user_in_a_data_path_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from crossentropy.datasets import default_data_home

    monkeypatch.setenv("CROSSENTROPY_DATA", "~nosuchuser-xent/data")
    with pytest.raises(ValueError, match=r"\$CROSSENTROPY_DATA is '~nosuchuser-xent/data'"):
        default_data_home()
    with pytest.raises(ValueError, match=r"`data_home` is '~nosuchuser-xent'"):
        load_mnist("~nosuchuser-xent", download=False)
