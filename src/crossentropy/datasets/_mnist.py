"""MNIST and Fashion-MNIST from IDX files (read, or downloaded with pinned checksums),
and the 8 x 8 digits set that scikit-learn ships as the embedded fallback.

Where the files are looked for
------------------------------
``load_mnist(data_home)`` takes a *root* folder: ``data_home`` when given, else the
environment variable ``CROSSENTROPY_DATA``, else the user cache directory
(``$XDG_CACHE_HOME/crossentropy`` or ``~/.cache/crossentropy`` on Linux and macOS,
``%LOCALAPPDATA%\\crossentropy`` on Windows).  Inside the root it uses the first of

1. ``<root>/<kind>/`` (``mnist/`` or ``fashion-mnist/``), then
2. ``<root>/`` itself,

that holds all four files ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each either
gzip-compressed (``.gz``) or raw.  So both ``load_mnist("data")`` and
``load_mnist("data/mnist")`` read ``data/mnist/*.gz``.  When neither folder is
complete and ``download`` is true, the missing files are downloaded into
``<root>/<kind>/``.

Trust
-----
A downloaded file is hashed while it arrives and kept only when its SHA-256 equals
the value pinned below (the published files); it is written to a temporary file in
the target folder and moved into place with :func:`os.replace`, so a failed,
corrupted or interrupted download leaves nothing behind.  Files found on disk are
not re-hashed (that would refuse recompressed copies); instead every file goes
through :func:`~crossentropy.datasets._idx.read_idx`, which checks the header, the
exact payload length and the gzip CRC, and the arrays are checked for 28 x 28
uint8 images, matching counts and labels in 0..9.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

from .._validation import check_bool, check_integer, check_number
from ._idx import read_idx, read_idx_shape

__all__ = [
    "DATA_ENV_VAR",
    "ImageDataset",
    "ImageSplit",
    "default_data_home",
    "load_digits",
    "load_mnist",
    "load_with_fallback",
]

#: Environment variable naming the root folder of the data sets.
DATA_ENV_VAR = "CROSSENTROPY_DATA"

KINDS = ("mnist", "fashion-mnist")
_TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "digits": "digits (8 x 8)"}

# (images, labels) base names of the train and the test split.
_TRAIN = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
_TEST = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
_NAMES = (*_TRAIN, *_TEST)

# SHA-256 and size in bytes of the published gzip files.
_SHA256: dict[str, dict[str, tuple[str, int]]] = {
    "mnist": {
        "train-images-idx3-ubyte.gz": (
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            9912422,
        ),
        "train-labels-idx1-ubyte.gz": (
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            28881,
        ),
        "t10k-images-idx3-ubyte.gz": (
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            1648877,
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            4542,
        ),
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": (
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            26421880,
        ),
        "train-labels-idx1-ubyte.gz": (
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            29515,
        ),
        "t10k-images-idx3-ubyte.gz": (
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            4422102,
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            5148,
        ),
    },
}

# Tried in order; the pinned SHA-256 makes plain http as safe as https.
_MIRRORS: dict[str, tuple[str, ...]] = {
    "mnist": (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ),
    "fashion-mnist": (
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ),
}

_CLASS_NAMES = {
    "mnist": tuple(str(d) for d in range(10)),
    "digits": tuple(str(d) for d in range(10)),
    "fashion-mnist": (
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
}

_TIMEOUT_S = 30.0
# The largest MNIST-format set in use (EMNIST ByClass, 814,255 images) is 0.64 GB.
_MAX_BYTES = 1 << 30
# MNIST's files expand 4.8 (images) and 1.8 times (labels) when decompressed,
# Fashion-MNIST's 1.8 and 2.0 times; a file that claims 50 times its size is a bomb.
_MAX_RATIO = 50.0
# Tests replace this to fake the network; None means urllib.request.urlopen (imported
# only when a download happens, as it pulls in http and ssl).
_urlopen: Callable[..., Any] | None = None


@dataclass(frozen=True, eq=False)
class ImageDataset:
    """A labelled image classification set, split into train and test.

    Attributes
    ----------
    X_train, X_test : ndarray of uint8, shape (n, height * width)
        Pixel intensities, one flattened image per row, in 0..``pixel_max``.
    y_train, y_test : ndarray of int64, shape (n,)
        Class labels in 0..9.
    kind : str
        ``"mnist"``, ``"fashion-mnist"`` or ``"digits"``.
    image_shape : tuple of int
        ``(height, width)``: (28, 28) for MNIST, (8, 8) for digits.
    pixel_max : int
        Largest possible pixel value: 255 for MNIST, 16 for digits.
    class_names : tuple of str
        Name of each label (the digit, or the Fashion-MNIST garment).
    source : str
        Folder the files were read from, or ``"sklearn.datasets.load_digits"``.
    """

    X_train: NDArray[np.uint8] = field(repr=False)
    y_train: NDArray[np.int64] = field(repr=False)
    X_test: NDArray[np.uint8] = field(repr=False)
    y_test: NDArray[np.int64] = field(repr=False)
    kind: str
    image_shape: tuple[int, int]
    pixel_max: int
    class_names: tuple[str, ...]
    source: str

    def __repr__(self) -> str:
        return (
            f"ImageDataset(kind={self.kind!r}, n_train={len(self.y_train)}, "
            f"n_test={len(self.y_test)}, image_shape={self.image_shape}, source={self.source!r})"
        )

    @property
    def title(self) -> str:
        """The set's name in titles and messages.

        Examples
        --------
        >>> load_digits().title
        'digits (8 x 8)'
        """
        return _TITLES[self.kind]

    def scaled(self, dtype: DTypeLike = np.float32) -> tuple[NDArray[Any], NDArray[Any]]:
        """``(X_train, X_test)`` divided by ``pixel_max``: features in [0, 1].

        Each division is done once, directly in ``dtype`` (float32 by default, or
        float64); no float64 intermediate is made for float32.

        Examples
        --------
        >>> ds = load_digits()
        >>> X_train, X_test = ds.scaled()
        >>> X_train.dtype, float(X_train.max())
        (dtype('float32'), 1.0)
        """
        dt = _float_dtype(dtype)
        return _scale(self.X_train, self.pixel_max, dt), _scale(self.X_test, self.pixel_max, dt)

    def scaled_test(self, dtype: DTypeLike = np.float32) -> NDArray[Any]:
        """``X_test`` divided by ``pixel_max`` (as :meth:`scaled`, the test images only).

        Examples
        --------
        >>> load_digits().scaled_test().shape
        (359, 64)
        """
        return _scale(self.X_test, self.pixel_max, _float_dtype(dtype))

    def split(
        self, validation: float = 0.2, seed: int = 0, *, dtype: DTypeLike = np.float32
    ) -> ImageSplit:
        """Scaled training, validation and test sets: a seeded share of the training
        images held out for validation.

        ``ceil(validation * n_train)`` training images, drawn by
        ``numpy.random.default_rng(seed).permutation``, form the validation set;
        both parts keep the original order.  The uint8 images are split first and
        each part scaled once (see :meth:`scaled`), so no scaled copy of the whole
        training set is made besides its two parts.

        Parameters
        ----------
        validation : float, default 0.2
            Share of the training images held out, in [0, 1); 0 holds out none.
        seed : int, default 0
            Seed of the draw (>= 0).
        dtype : float32 or float64, default float32

        Examples
        --------
        >>> parts = load_digits().split(0.2, seed=0)
        >>> len(parts.y_train), len(parts.y_val), len(parts.y_test)
        (1150, 288, 359)
        """
        frac = check_number(validation, "validation", low=0.0, high=1.0, high_open=True)
        seed = check_integer(seed, "seed", low=0)
        dt = _float_dtype(dtype)
        n = len(self.y_train)
        n_val = math.ceil(frac * n) if frac > 0 else 0
        if n_val >= n:
            raise ValueError(
                f"`validation={validation}` holds out all {n} training images; use a smaller share"
            )
        order = np.random.default_rng(seed).permutation(n)
        val, fit = np.sort(order[:n_val]), np.sort(order[n_val:])
        return ImageSplit(
            X_train=_scale(self.X_train[fit], self.pixel_max, dt),
            y_train=self.y_train[fit],
            X_val=_scale(self.X_train[val], self.pixel_max, dt),
            y_val=self.y_train[val],
            X_test=_scale(self.X_test, self.pixel_max, dt),
            y_test=self.y_test,
        )


@dataclass(frozen=True, eq=False)
class ImageSplit:
    """Scaled features and labels of a training, a validation and a test set.

    Made by :meth:`ImageDataset.split`; the validation set may be empty.
    """

    X_train: NDArray[Any] = field(repr=False)
    y_train: NDArray[np.int64] = field(repr=False)
    X_val: NDArray[Any] = field(repr=False)
    y_val: NDArray[np.int64] = field(repr=False)
    X_test: NDArray[Any] = field(repr=False)
    y_test: NDArray[np.int64] = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"ImageSplit(n_train={len(self.y_train)}, n_val={len(self.y_val)}, "
            f"n_test={len(self.y_test)})"
        )


def _float_dtype(dtype: DTypeLike) -> np.dtype[Any]:
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"`dtype` must be float32 or float64; got {dt}")
    return dt


def _scale(images: NDArray[np.uint8], pixel_max: int, dtype: np.dtype[Any]) -> NDArray[Any]:
    """``images / pixel_max`` in ``dtype``, computed in it (no float64 intermediate)."""
    # The cast is exact; dividing in place afterwards is several times faster than
    # np.divide(..., dtype=dt) on uint8 input, with the same correctly rounded result.
    out = images.astype(dtype)
    out /= dtype.type(pixel_max)
    return out


def default_data_home() -> Path:
    """Root folder of the data sets when none is given.

    ``$CROSSENTROPY_DATA`` when set and not empty; otherwise the user cache directory:
    ``%LOCALAPPDATA%\\crossentropy`` on Windows, ``$XDG_CACHE_HOME/crossentropy`` or
    ``~/.cache/crossentropy`` elsewhere.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"CROSSENTROPY_DATA": "/data/sets"}):
    ...     print(default_data_home().as_posix())
    /data/sets
    """
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return _expand(env, f"${DATA_ENV_VAR}")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crossentropy"


def _how_to_get(kind: str) -> str:
    return (
        f"To use {_TITLES[kind]}, put its four IDX files (.gz or raw) in a folder DIR or "
        f"DIR/{kind} and set {DATA_ENV_VAR}=DIR or pass data_home=DIR (--data-home DIR "
        "on the command line), or allow the download (download=True)."
    )


def _find(folder: Path, name: str) -> Path | None:
    """``folder/name.gz`` or ``folder/name``, whichever is a file (the .gz first)."""
    for candidate in (folder / f"{name}.gz", folder / name):
        if candidate.is_file():
            return candidate
    return None


def _locate(root: Path, kind: str) -> dict[str, Path] | None:
    """The four files in ``root/kind`` or else in ``root``; None when neither is complete."""
    for folder in (root / kind, root):
        found = {name: _find(folder, name) for name in _NAMES}
        if all(p is not None for p in found.values()):
            return {name: p for name, p in found.items() if p is not None}
    return None


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_not_other_kind(files: dict[str, Path], kind: str) -> None:
    """Refuse the published labels file of the other data set (a 30 kB hash)."""
    labels = files[_TRAIN[1]]
    if labels.suffix != ".gz":
        return
    digest = _sha256_file(labels)
    for other, table in _SHA256.items():
        if other != kind and digest == table[labels.name][0]:
            raise ValueError(
                f"{labels} is the {_TITLES[other]} labels file, not {_TITLES[kind]}; "
                f"pass kind={other!r} or point data_home at the {_TITLES[kind]} files"
            )


def _read_split(
    images_path: Path, labels_path: Path
) -> tuple[NDArray[np.uint8], NDArray[np.int64]]:
    # The labels first: they are small, and their count bounds the images file, which
    # is refused on its header alone when it claims another number of images.
    labels = read_idx(
        labels_path, dtype=np.uint8, shape=(None,), max_bytes=_MAX_BYTES, max_ratio=_MAX_RATIO
    )
    declared = read_idx_shape(images_path)
    if declared[1:] == (28, 28) and declared[0] != len(labels):
        raise ValueError(
            f"{images_path} holds {declared[0]} images but {labels_path} holds "
            f"{len(labels)} labels; the counts must agree"
        )
    images = read_idx(
        images_path,
        dtype=np.uint8,
        shape=(None, 28, 28),
        max_bytes=_MAX_BYTES,
        max_ratio=_MAX_RATIO,
    )
    if labels.size and labels.max() > 9:
        bad = int(np.flatnonzero(labels > 9)[0])
        raise ValueError(
            f"{labels_path}: labels must be in 0..9; got {int(labels[bad])} at index {bad}"
        )
    return images.reshape(len(images), 28 * 28), labels.astype(np.int64)


def _download_file(url: str, target: Path, sha256: str, size: int, *, progress: bool) -> None:
    """Fetch ``url`` into ``target`` through a temporary file; keep it only if verified."""
    from tqdm import tqdm

    if _urlopen is None:
        import urllib.request

        opener: Callable[..., Any] = urllib.request.urlopen
    else:
        opener = _urlopen
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "xb") as out, opener(url, timeout=_TIMEOUT_S) as response:
            h = hashlib.sha256()
            received = 0
            with tqdm(
                total=size, unit="B", unit_scale=True, desc=target.name, disable=not progress
            ) as bar:
                while block := response.read(1 << 16):
                    received += len(block)
                    if received > size:
                        raise ValueError(f"the server sent more than the expected {size} bytes")
                    h.update(block)
                    out.write(block)
                    bar.update(len(block))
        if h.hexdigest() != sha256:
            raise ValueError(
                f"SHA-256 mismatch after {received} of {size} bytes: got {h.hexdigest()}, "
                f"expected {sha256}"
            )
        os.replace(tmp, target)
    finally:
        # Whatever happened (an error, Ctrl-C), no partial file stays behind.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _download(kind: str, folder: Path, *, progress: bool) -> None:
    """Download every file of ``kind`` missing from ``folder``, trying each mirror."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(
            f"cannot create {folder} to download {_TITLES[kind]} into: {exc}. " + _how_to_get(kind)
        ) from exc
    for name in _NAMES:
        if _find(folder, name) is not None:
            continue
        filename = f"{name}.gz"
        sha256, size = _SHA256[kind][filename]
        failures = []
        for base in _MIRRORS[kind]:
            try:
                _download_file(base + filename, folder / filename, sha256, size, progress=progress)
                break
            except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
                failures.append(f"{base + filename}: {exc}")
        else:
            raise OSError(
                f"could not download {_TITLES[kind]} file {filename} into {folder} "
                f"({'; '.join(failures)}). " + _how_to_get(kind)
            )


def _as_root(data_home: str | os.PathLike[str] | None) -> Path:
    if data_home is None:
        return default_data_home()
    if not isinstance(data_home, (str, os.PathLike)):
        raise TypeError(
            f"`data_home` must be a path (str or os.PathLike) or None; "
            f"got {type(data_home).__name__}"
        )
    return _expand(data_home, "`data_home`")


def _expand(path: str | os.PathLike[str], name: str) -> Path:
    """``path`` with ``~`` or ``~user`` expanded; an unknown user is an error naming ``name``."""
    try:
        return Path(path).expanduser()
    except RuntimeError as exc:  # Path.expanduser: no home directory for that user
        raise ValueError(
            f"{name} is {os.fspath(path)!r}, whose home folder is unknown: {exc}"
        ) from None


def load_mnist(
    data_home: str | os.PathLike[str] | None = None,
    *,
    kind: str = "mnist",
    download: bool = True,
    progress: bool | None = None,
) -> ImageDataset:
    """Load MNIST or Fashion-MNIST: 60,000 training and 10,000 test images, 28 x 28.

    Parameters
    ----------
    data_home : str or path-like, optional
        Root folder.  Default: ``$CROSSENTROPY_DATA``, else the user cache directory
        (see :func:`default_data_home`).  The files are read from ``<root>/<kind>/``
        or, failing that, from ``<root>/`` itself (see the module documentation).
    kind : {"mnist", "fashion-mnist"}
        Which data set.
    download : bool
        Download the missing files into ``<root>/<kind>/`` (about 11 MB for MNIST,
        31 MB for Fashion-MNIST), each verified against its pinned SHA-256.
    progress : bool, optional
        Show a download progress bar; by default only when stderr is a terminal.

    Returns
    -------
    ImageDataset
        ``X_train`` (60000 x 784 uint8), ``y_train`` (int64 labels 0..9), ``X_test``
        (10000 x 784), ``y_test``; pixels are in 0..255 (``ds.scaled()`` divides them
        by 255).

    Raises
    ------
    FileNotFoundError
        When the files are missing and ``download`` is false.
    OSError
        When a download fails on every mirror (including a checksum mismatch).
    ValueError
        When a file is not a valid IDX file of 28 x 28 uint8 images or labels 0..9,
        the counts of images and labels differ, or the files are the other data set.

    Examples
    --------
    >>> ds = load_mnist("/nonexistent", download=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: no MNIST files in /nonexistent/mnist or /nonexistent ...
    """
    if kind not in KINDS:
        hint = "; use load_digits() for the 8 x 8 digits" if kind == "digits" else ""
        raise ValueError(f"`kind` must be 'mnist' or 'fashion-mnist'; got {kind!r}{hint}")
    download = check_bool(download, "download")
    if progress is not None:
        progress = check_bool(progress, "progress")
    root = _as_root(data_home)
    files = _locate(root, kind)
    if files is None:
        if not download:
            raise FileNotFoundError(
                f"no {_TITLES[kind]} files in {root / kind} or {root} and download=False. "
                + _how_to_get(kind)
            )
        _download(kind, root / kind, progress=sys.stderr.isatty() if progress is None else progress)
        files = _locate(root, kind)
        if files is None:  # pragma: no cover - the download just wrote them
            raise FileNotFoundError(f"{_TITLES[kind]} files vanished from {root / kind}")
    _check_not_other_kind(files, kind)
    X_train, y_train = _read_split(files[_TRAIN[0]], files[_TRAIN[1]])
    X_test, y_test = _read_split(files[_TEST[0]], files[_TEST[1]])
    return ImageDataset(
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        kind=kind,
        image_shape=(28, 28),
        pixel_max=255,
        class_names=_CLASS_NAMES[kind],
        source=str(files[_TRAIN[0]].parent.resolve()),
    )


def load_digits(*, test_fraction: float = 0.2, random_state: int = 0) -> ImageDataset:
    """The 8 x 8 handwritten digits that scikit-learn ships (1797 images), split in two.

    The split is stratified and fixed by ``random_state``: in every class, a
    ``test_fraction`` share (rounded) of the images, drawn with
    ``numpy.random.default_rng(random_state)``, forms the test set; both sets keep
    the original order.  It needs neither network nor files, so it is the
    embedded default.

    Parameters
    ----------
    test_fraction : float
        Share of each class held out for testing, in (0, 1).
    random_state : int
        Seed of the split.

    Returns
    -------
    ImageDataset
        ``X_train`` and ``X_test`` as uint8 rows of 64 pixels in 0..16 (``pixel_max``
        is 16), int64 labels 0..9, ``kind="digits"``, ``image_shape=(8, 8)``.

    Examples
    --------
    >>> ds = load_digits()
    >>> ds.X_train.shape, ds.X_test.shape, ds.pixel_max
    ((1438, 64), (359, 64), 16)
    """
    frac = check_number(
        test_fraction,
        "test_fraction",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
        allowed="in (0, 1)",
    )
    check_integer(random_state, "random_state")
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    X = np.asarray(bunch.data)
    if not np.array_equal(X, np.round(X)) or X.min() < 0 or X.max() > 16:
        raise ValueError("scikit-learn's digits are no longer whole numbers in 0..16")
    X = X.astype(np.uint8)
    y = np.asarray(bunch.target, dtype=np.int64)
    rng = np.random.default_rng(random_state)
    test = np.zeros(len(y), dtype=bool)
    for c in range(10):
        members = np.flatnonzero(y == c)
        n_test = round(frac * len(members))
        test[rng.permutation(members)[:n_test]] = True
    return ImageDataset(
        X_train=X[~test],
        y_train=y[~test],
        X_test=X[test],
        y_test=y[test],
        kind="digits",
        image_shape=(8, 8),
        pixel_max=16,
        class_names=_CLASS_NAMES["digits"],
        source="sklearn.datasets.load_digits",
    )


def load_with_fallback(
    kind: str = "mnist",
    data_home: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    progress: bool | None = None,
) -> tuple[ImageDataset, str | None]:
    """Load ``kind``; when MNIST is unavailable, fall back to the 8 x 8 digits.

    This is what ``xent train --dataset`` uses.  ``kind="digits"`` loads the digits
    directly.  For "mnist" and "fashion-mnist", a missing file (and no download), a
    failed download or an unwritable folder fall back to :func:`load_digits`;
    a corrupt or wrong file is still an error (``ValueError``), never a silent
    fallback.

    Returns
    -------
    (ImageDataset, str or None)
        The data and, when it fell back, a message saying why and how to get the
        requested set; None otherwise.

    Examples
    --------
    >>> ds, message = load_with_fallback("mnist", "/nonexistent", download=False)
    >>> ds.kind
    'digits'
    >>> print(message)  # doctest: +ELLIPSIS
    no MNIST files in /nonexistent/mnist or /nonexistent and download=False. To use MNIST, ...
    Falling back to the embedded 8 x 8 digits set (1797 images, sklearn.datasets.load_digits).
    """
    if kind == "digits":
        return load_digits(), None
    if kind not in KINDS:
        raise ValueError(f"`kind` must be 'mnist', 'fashion-mnist' or 'digits'; got {kind!r}")
    try:
        return load_mnist(data_home, kind=kind, download=download, progress=progress), None
    except OSError as exc:  # FileNotFoundError, failed downloads, permissions
        message = (
            f"{exc}\nFalling back to the embedded 8 x 8 digits set "
            "(1797 images, sklearn.datasets.load_digits)."
        )
        return load_digits(), message
