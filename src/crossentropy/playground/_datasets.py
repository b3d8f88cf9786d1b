"""The classify room's data: four point clouds of the TensorFlow Playground, blobs of
3 or 4 classes, the Challenger flights, and tables that users upload.

A data set is named by a small specification (name, size, noise, test fraction,
seed, or the id of an upload): the same specification gives the same points, so
that a request can carry its data by name and a replay gets the same rows.
Uploads are kept by the server under the SHA-256 of their rows (a bounded store,
the oldest dropped first): their id names their content.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._inputs import Body, InputError

__all__ = ["DATASETS", "DataSet", "UploadStore", "dataset_from", "parse_csv"]

#: Data sets the room offers, with their names on the page.
DATASETS = {
    "blobs": "two blobs",
    "xor": "exclusive or (XOR)",
    "circle": "circle",
    "spiral": "spiral",
    "blobs3": "three blobs",
    "blobs4": "four blobs",
    "challenger": "Challenger O-rings",
    "upload": "your CSV file",
}
_DESCRIPTIONS = {
    "blobs": "Two Gaussian blobs: a straight line separates them.",
    "xor": "The exclusive or: class 1 where x1 and x2 share a sign. No straight line will do.",
    "circle": "A disc inside a ring: try the features x1² and x2².",
    "spiral": "Two interleaved spirals: hard for a linear model, whatever the features.",
    "blobs3": "Three Gaussian blobs: softmax regression, one row of weights per class.",
    "blobs4": "Four Gaussian blobs: softmax regression, one row of weights per class.",
    "challenger": (
        "The 23 flights before the Challenger accident: any O-ring distress against the "
        "launch temperature. The morning of the launch was 31 °F."
    ),
    "upload": "Your table: x1, optionally x2, then the label; read on this computer only.",
}
MAX_UPLOAD_BYTES = 5_000_000
MAX_UPLOAD_ROWS = 100_000
MAX_CLASSES = 8
_SPAN = 6.0  # the generated clouds live in [-6, 6]^2, as in the TensorFlow Playground


@dataclass(frozen=True)
class DataSet:
    """Points, labels 0..K-1, which rows are test rows, and how to show them."""

    X: NDArray[np.float64]
    labels: NDArray[np.intp]
    test: NDArray[np.bool_]
    classes: tuple[str, ...]
    input_names: tuple[str, ...]
    description: str
    bounds: tuple[tuple[float, float], ...]
    #: Inputs as given = X * scale + shift (standardised inputs; else 1 and 0).
    shift: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()

    @property
    def n_inputs(self) -> int:
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.classes)


@dataclass(frozen=True)
class Table:
    """An uploaded table: inputs and labels as given."""

    X: NDArray[np.float64]
    labels: NDArray[np.intp]
    classes: tuple[str, ...]
    input_names: tuple[str, ...]


def _two_blobs(rng: np.random.Generator, n: int, noise: float) -> tuple[Any, Any]:
    sd = 0.5 + 7.0 * noise
    labels = np.arange(n) % 2
    centres = np.where(labels[:, None] == 1, 2.0, -2.0)
    return centres + rng.normal(0.0, sd, size=(n, 2)), labels


def _blobs(rng: np.random.Generator, n: int, noise: float, k: int) -> tuple[Any, Any]:
    sd = 0.5 + 5.0 * noise
    labels = np.arange(n) % k
    angle = 2 * np.pi * labels / k + np.pi / 4
    centres = 3.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    return centres + rng.normal(0.0, sd, size=(n, 2)), labels


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[Any, Any]:
    X = rng.uniform(-5.0, 5.0, size=(n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # keep the points off the axes
    shaken = X + rng.uniform(-5.0, 5.0, size=(n, 2)) * noise
    return X, (shaken[:, 0] * shaken[:, 1] >= 0).astype(np.intp)


def _circle(rng: np.random.Generator, n: int, noise: float) -> tuple[Any, Any]:
    radius = 5.0
    labels = np.arange(n) % 2
    r = np.where(
        labels == 1,
        rng.uniform(0.0, 0.5 * radius, n),
        rng.uniform(0.7 * radius, radius, n),
    )
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    shaken = X + rng.uniform(-radius, radius, size=(n, 2)) * noise
    return X, (np.hypot(shaken[:, 0], shaken[:, 1]) < 0.5 * radius).astype(np.intp)


def _spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[Any, Any]:
    labels = np.arange(n) % 2
    i = np.arange(n) // 2
    half = (n + 1) // 2
    r = 5.0 * i / half
    t = 1.75 * i / half * 2 * np.pi + np.pi * labels
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X + rng.uniform(-1.0, 1.0, size=(n, 2)) * noise * 2.0, labels


def _split(rng: np.random.Generator, n: int, test_fraction: float) -> NDArray[np.bool_]:
    test = np.zeros(n, dtype=bool)
    n_test = round(test_fraction * n)
    test[rng.permutation(n)[:n_test]] = True
    return test


def _padded(X: NDArray[np.float64]) -> tuple[tuple[float, float], ...]:
    out = []
    for j in range(X.shape[1]):
        lo, hi = float(X[:, j].min()), float(X[:, j].max())
        pad = 0.08 * (hi - lo) if hi > lo else 1.0
        out.append((lo - pad, hi + pad))
    return tuple(out)


@lru_cache(maxsize=64)
def generated(name: str, n: int, noise: float, test_fraction: float, seed: int) -> DataSet:
    """A generated point cloud: the same arguments give the same points."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, list(DATASETS).index(name)]))
    if name == "blobs":
        X, labels = _two_blobs(rng, n, noise)
    elif name == "xor":
        X, labels = _xor(rng, n, noise)
    elif name == "circle":
        X, labels = _circle(rng, n, noise)
    elif name == "spiral":
        X, labels = _spiral(rng, n, noise)
    else:
        X, labels = _blobs(rng, n, noise, int(name[-1]))
    k = int(labels.max()) + 1
    classes = tuple(f"class {c}" for c in range(k))
    bounds = ((-_SPAN, _SPAN), (-_SPAN, _SPAN))
    return DataSet(
        X.astype(np.float64),
        labels.astype(np.intp),
        _split(rng, n, test_fraction),
        classes,
        ("x1", "x2"),
        _DESCRIPTIONS[name],
        bounds,
    )


@lru_cache(maxsize=8)
def challenger(test_fraction: float, seed: int) -> DataSet:
    from ..datasets import load_challenger

    d = load_challenger()
    X = d.temp_f.astype(np.float64)[:, None]
    labels = (d.distress > 0).astype(np.intp)
    rng = np.random.default_rng(seed)
    return DataSet(
        X,
        labels,
        _split(rng, X.shape[0], test_fraction),
        ("no distress", "O-ring distress"),
        ("temperature (°F)",),
        _DESCRIPTIONS["challenger"],
        ((25.0, 85.0),),  # wide enough to show the 31 °F of the launch morning
    )


def from_table(table: Table, test_fraction: float, seed: int) -> DataSet:
    rng = np.random.default_rng(seed)
    return DataSet(
        table.X,
        table.labels,
        _split(rng, table.X.shape[0], test_fraction),
        table.classes,
        table.input_names,
        _DESCRIPTIONS["upload"],
        _padded(table.X),
    )


def standardised(data: DataSet) -> DataSet:
    """The inputs as z-scores, with the mean and standard deviation of the training rows."""
    train = data.X[~data.test]
    shift = train.mean(axis=0)
    scale = train.std(axis=0)
    if np.any(scale == 0):
        j = int(np.flatnonzero(scale == 0)[0])
        raise InputError(
            f"input {data.input_names[j]!r} is constant over the training rows: it cannot be "
            "standardised",
            "data.standardise",
        )
    X = (data.X - shift) / scale
    bounds = tuple(
        ((lo - m) / s, (hi - m) / s)
        for (lo, hi), m, s in zip(data.bounds, shift, scale, strict=True)
    )
    names = tuple(f"{name}, standardised" for name in data.input_names)
    return DataSet(
        X,
        data.labels,
        data.test,
        data.classes,
        names,
        data.description,
        bounds,
        tuple(float(v) for v in shift),
        tuple(float(v) for v in scale),
    )


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def parse_csv(lines: Iterable[str], *, max_rows: int = MAX_UPLOAD_ROWS) -> Table:
    """A table from CSV lines: ``x1[, x2], label`` per row, an optional header.

    The inputs must be finite numbers; the label is any text (2 to 8 classes,
    sorted as text, or as numbers when every label is a number).  Refuses a
    table of more than ``max_rows`` rows as soon as it meets row ``max_rows + 1``.
    """
    reader = csv.reader(lines)
    header: list[str] | None = None
    rows: list[list[str]] = []
    width = 0
    for line_no, row in enumerate(reader, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if width == 0:
            width = len(cells)
            if width not in (2, 3):
                raise InputError(
                    f"the CSV must have 2 or 3 columns (x1, optionally x2, then the label); "
                    f"line {line_no} has {width}",
                    "file",
                )
            if not all(_is_number(c) for c in cells[:-1]):
                header = cells
                continue
        if len(cells) != width:
            raise InputError(
                f"line {line_no} of the CSV has {len(cells)} columns; the first row has {width}",
                "file",
            )
        bad = [c for c in cells[:-1] if not _is_number(c)]
        if bad:
            raise InputError(
                f"line {line_no} of the CSV: the inputs must be finite numbers; got {bad[0]!r}",
                "file",
            )
        if len(rows) >= max_rows:
            raise InputError(
                f"the CSV has more than {max_rows} rows; the playground takes at most {max_rows}",
                "file",
            )
        rows.append(cells)
    if len(rows) < 4:
        raise InputError(f"the CSV must have at least 4 data rows; got {len(rows)}", "file")
    X = np.array([[float(c) for c in r[:-1]] for r in rows], dtype=np.float64)
    raw_labels = [r[-1] for r in rows]
    distinct = set(raw_labels)
    if all(_is_number(v) for v in distinct):
        classes = sorted(distinct, key=float)
    else:
        classes = sorted(distinct)
    if not 2 <= len(classes) <= MAX_CLASSES:
        raise InputError(
            f"the CSV's last column must hold 2 to {MAX_CLASSES} classes; got {len(classes)}",
            "file",
        )
    index = {c: i for i, c in enumerate(classes)}
    labels = np.array([index[v] for v in raw_labels], dtype=np.intp)
    names = tuple(header[:-1]) if header else tuple(f"x{j + 1}" for j in range(width - 1))
    return Table(X, labels, tuple(classes), names)


def table_id(table: Table) -> str:
    """The id of an upload: a digest of its rows, labels and names."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(table.X).tobytes())
    h.update(np.ascontiguousarray(table.labels).tobytes())
    h.update("\x00".join((*table.classes, "", *table.input_names)).encode())
    return h.hexdigest()[:32]


class UploadStore:
    """The uploaded tables of one server, by id; the oldest go when more than ``size``."""

    def __init__(self, size: int = 8) -> None:
        self._tables: OrderedDict[str, Table] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def add(self, table: Table) -> str:
        key = table_id(table)
        with self._lock:
            self._tables[key] = table
            self._tables.move_to_end(key)
            while len(self._tables) > self._size:
                self._tables.popitem(last=False)
        return key

    def get(self, key: str) -> Table:
        with self._lock:
            table = self._tables.get(key)
        if table is None:
            raise InputError(
                "this uploaded table is no longer on the server (it keeps the 8 most recent "
                "uploads, and none after a restart); upload it again",
                "file",
            )
        return table


def decode_upload(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the CSV must be UTF-8 text; byte {exc.start} is not ({exc.reason})", "file"
        ) from None
    if "\x00" in text:
        raise InputError("the CSV must be text; it holds a NUL byte", "file")
    return parse_csv(io.StringIO(text, newline=""))


def dataset_from(spec: Body, uploads: UploadStore) -> DataSet:
    """The data set a request's ``data`` specification names."""
    name = spec.choice("name", tuple(DATASETS))
    seed = spec.integer("seed", low=0, high=2**31 - 1, default=0)
    if name == "upload":
        table = uploads.get(spec.text("id", max_length=64))
        test_fraction = spec.number("test_fraction", low=0.0, high=0.9, default=0.3)
        data = from_table(table, test_fraction, seed)
    elif name == "challenger":
        test_fraction = spec.number("test_fraction", low=0.0, high=0.9, default=0.0)
        data = challenger(test_fraction, seed)
    else:
        n = spec.integer("n", low=20, high=2000, default=200)
        noise = spec.number("noise", low=0.0, high=0.5, default=0.0)
        test_fraction = spec.number("test_fraction", low=0.1, high=0.9, default=0.5)
        data = generated(name, n, noise, test_fraction, seed)
    if spec.boolean("standardise", default=False):
        data = standardised(data)
    train_classes = np.unique(data.labels[~data.test])
    if train_classes.shape[0] < data.n_classes:
        missing = sorted(set(range(data.n_classes)) - set(train_classes.tolist()))
        raise InputError(
            f"the training rows hold no example of class {data.classes[missing[0]]!r}; "
            "lower the test fraction or change the seed",
            "data.test_fraction",
        )
    return data
