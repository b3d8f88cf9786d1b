"""Where row blocks come from: any re-iterable of ``(X, y[, sample_weight])``, and readers.

A *source* is read once per pass of a fit, so it must give the same blocks each
time it is iterated: a list or tuple of blocks, an object whose ``__iter__``
starts afresh (the readers here), or a callable returning a new iterator.  A
one-shot generator is refused at its second pass.

The readers open their files inside each pass (:class:`NpyBlocks` memory-maps
the ``.npy`` files then), so a reader is a few strings and numbers: it pickles,
and a pass never holds more than one block of rows in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from os import PathLike, fspath
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["ArrowBlocks", "Block", "NpyBlocks", "block_iterator"]

Block = tuple[Any, ...]
_DEFAULT_ROWS = 65536


def _check_rows(block_rows: int) -> int:
    integer = isinstance(block_rows, int | np.integer) and not isinstance(block_rows, bool)
    if not integer or block_rows < 1:
        raise ValueError(f"`block_rows` must be a positive integer; got {block_rows!r}")
    return int(block_rows)


def block_iterator(source: Any) -> Iterator[Block]:
    """A fresh iterator over the blocks of ``source`` (see the module notes)."""
    if callable(source) and not hasattr(source, "__iter__"):
        return iter(source())
    if isinstance(source, Iterator):
        # A generator or other iterator can be read once only: the first pass.
        return source
    if isinstance(source, Iterable) and not isinstance(source, str | bytes | np.ndarray):
        return iter(source)
    raise TypeError(
        "`source` must be a re-iterable of (X, y) or (X, y, sample_weight) blocks (a "
        "list, a reader such as NpyBlocks, or a callable returning an iterator); got "
        f"{type(source).__name__}"
    )


class NpyBlocks:
    """Row blocks of ``.npy`` files, memory-mapped afresh at each pass.

    Parameters
    ----------
    X : path
        A 2-D ``.npy`` file (float32 or float64).
    y : path or array_like
        A ``.npy`` file or an array with one target per row of ``X``.
    sample_weight : path or array_like, optional
        Non-negative weights, one per row.
    block_rows : int, default 65536
        Rows per block.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> np.save(os.path.join(d, "X.npy"), np.arange(10.0).reshape(5, 2))
    >>> src = NpyBlocks(os.path.join(d, "X.npy"), np.arange(5.0), block_rows=2)
    >>> [b[0].shape[0] for b in src]
    [2, 2, 1]
    """

    def __init__(
        self,
        X: str | PathLike[str],
        y: Any,
        sample_weight: Any = None,
        *,
        block_rows: int = _DEFAULT_ROWS,
    ) -> None:
        self.X = fspath(X)
        self.y = fspath(y) if isinstance(y, str | PathLike) else y
        self.sample_weight = (
            fspath(sample_weight) if isinstance(sample_weight, str | PathLike) else sample_weight
        )
        self.block_rows = _check_rows(block_rows)

    @staticmethod
    def _open(what: str, value: Any) -> Any:
        if not isinstance(value, str):
            return None if value is None else np.asarray(value)
        try:
            return np.load(value, mmap_mode="r")
        except (ValueError, OSError) as error:
            raise ValueError(
                f"`{what}`: cannot memory-map {value!r} as a .npy file (a file that ends "
                f"early, or not a .npy file): {error}"
            ) from None

    def __iter__(self) -> Iterator[Block]:
        X = self._open("X", self.X)
        if X.ndim != 2:
            raise ValueError(f"`X`: {self.X!r} must hold a 2-D array; got {X.ndim}-D")
        y = self._open("y", self.y)
        w = self._open("sample_weight", self.sample_weight)
        for name, arr in (("y", y), ("sample_weight", w)):
            if arr is not None and arr.shape[0] != X.shape[0]:
                raise ValueError(
                    f"`{name}` must have one entry per row of X ({X.shape[0]}); got {arr.shape[0]}"
                )
        step = self.block_rows
        for start in range(0, X.shape[0], step):
            sl = slice(start, start + step)
            block = (X[sl], np.asarray(y[sl]))
            yield block if w is None else (*block, np.asarray(w[sl]))


class ArrowBlocks:
    """Row blocks of a Parquet or CSV file, read in batches by pyarrow.

    Needs the optional ``pyarrow`` package (the ``dask`` extra installs it), and
    ``formulaic`` for a ``formula``.

    Parameters
    ----------
    path : path
        A ``.parquet``/``.pq`` or ``.csv`` file.
    target : str, optional
        The column of the target (or give a ``formula``).
    features : sequence of str, optional
        The feature columns, in order (default: every other column except
        ``weight``).
    weight : str, optional
        A column of sample weights.
    formula : str, optional
        A Wilkinson formula such as ``"y ~ x1 + x2 + C(group) + x1:x2"`` (formulaic):
        its left side is the target, its right side the features (the estimator
        fits its own intercept).  The encoding of categorical terms is that of
        the first batch: a later batch with a level it did not have is an error.
    block_rows : int, default 65536
        Rows per batch.
    """

    def __init__(
        self,
        path: str | PathLike[str],
        *,
        target: str | None = None,
        features: Iterable[str] | None = None,
        weight: str | None = None,
        formula: str | None = None,
        block_rows: int = _DEFAULT_ROWS,
    ) -> None:
        self.path = fspath(path)
        low = self.path.lower()
        if low.endswith((".parquet", ".pq")):
            self.format = "parquet"
        elif low.endswith(".csv"):
            self.format = "csv"
        else:
            raise ValueError(f"`path` must end in .parquet, .pq or .csv; got {self.path!r}")
        if (target is None) == (formula is None):
            raise ValueError("give exactly one of `target` and `formula`")
        if formula is not None:
            lhs, _, rhs = formula.partition("~")
            if not lhs.strip().isidentifier() or not rhs.strip() or features is not None:
                raise ValueError(
                    "`formula` must read 'column ~ terms' (the target a column's name) and "
                    f"replaces `features`; got {formula!r}"
                )
            target = lhs.strip()
        self.target = target
        self.weight = weight
        self.formula = formula
        self.features = None if features is None else [str(f) for f in features]
        self.block_rows = _check_rows(block_rows)
        self._spec: Any = None

    def _batches(self) -> Iterator[Any]:
        try:
            if self.format == "parquet":
                import pyarrow.parquet as pq

                yield from pq.ParquetFile(self.path).iter_batches(batch_size=self.block_rows)
            else:
                from pyarrow import csv

                opts = csv.ReadOptions(block_size=max(1 << 20, 64 * self.block_rows))
                yield from csv.open_csv(self.path, read_options=opts)
        except ModuleNotFoundError as error:
            raise ModuleNotFoundError(
                "reading Parquet or CSV blocks needs pyarrow: pip install 'crossentropy[dask]'"
            ) from error

    def feature_names(self) -> list[str]:
        """The feature columns (read from the file's schema when not given)."""
        if self.formula is not None:
            self._formula_spec()
            return [c for c in self._spec.column_names if c != "Intercept"]
        if self.features is not None:
            return list(self.features)
        batch = next(iter(self._batches()), None)
        names = [] if batch is None else list(batch.schema.names)
        return [c for c in names if c not in (self.target, self.weight)]

    def _formula_spec(self) -> Any:
        """The formula's model spec, fixed by the first batch."""
        if self._spec is None:
            try:
                import formulaic
            except ModuleNotFoundError as error:
                raise ModuleNotFoundError(
                    "a formula needs formulaic: pip install 'crossentropy[formula]'"
                ) from error
            batch = next(iter(self._batches()), None)
            if batch is None:
                raise ValueError(f"`{self.path}` has no rows")
            terms = str(self.formula).partition("~")[2]
            try:
                self._spec = formulaic.model_matrix(
                    terms, batch.to_pandas(), na_action="raise"
                ).model_spec
            except Exception as error:  # formulaic raises its own kinds for bad formulas
                raise ValueError(f"`formula` {self.formula!r}: {error}") from None
        return self._spec

    def _formula_block(self, batch: Any, index: int) -> Block:
        spec = self._formula_spec()
        frame = batch.to_pandas()
        try:
            mm = spec.get_model_matrix(frame, na_action="raise")
        except Exception as error:  # formulaic raises its own kinds for bad data
            raise ValueError(f"block {index}: the formula does not apply: {error}") from None
        keep = [c for c in mm.columns if c != "Intercept"]
        X = np.asarray(mm[keep], dtype=np.float64)
        if self.target not in frame.columns:
            raise ValueError(f"block {index}: `{self.path}` has no column {self.target!r}")
        y = _plain(frame[self.target].to_numpy())
        if self.weight is None:
            return X, y
        return X, y, frame[self.weight].to_numpy()

    def __iter__(self) -> Iterator[Block]:
        if self.formula is not None:
            for index, batch in enumerate(self._batches()):
                yield self._formula_block(batch, index)
            return
        features = self.feature_names()
        for batch in self._batches():
            names = set(batch.schema.names)
            missing = [c for c in [*features, self.target, self.weight] if c and c not in names]
            if missing:
                raise ValueError(
                    f"`{self.path}` has no column(s) {missing}; it has {sorted(names)}"
                )
            X = (
                np.column_stack([batch.column(c).to_numpy(zero_copy_only=False) for c in features])
                if features
                else np.empty((batch.num_rows, 0))
            )
            y = _plain(batch.column(self.target).to_numpy(zero_copy_only=False))
            if self.weight is None:
                yield X, y
            else:
                yield X, y, batch.column(self.weight).to_numpy(zero_copy_only=False)


def _plain(y: NDArray[Any]) -> NDArray[Any]:
    """Text labels as a NumPy string array (pyarrow and pandas give Python objects)."""
    if y.dtype == object and all(isinstance(v, str) for v in y):
        return y.astype(str)
    return y


def as_float_block(X: Any) -> NDArray[Any]:
    """A block's ``X`` as a float32/float64 2-D array (other numbers as float64)."""
    arr = np.asarray(X)
    if arr.dtype not in (np.float32, np.float64):
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"a block's X must hold numbers; got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    return arr


Reader = Callable[[], Iterator[Block]]
