"""The fit of a block source: one scan, then the estimator's own solver over passes.

The scan reads every block once: it checks the blocks (numbers, finite, one
column count, one target per row) and keeps the targets and weights.  The
estimator then fits a :class:`~._objective.BlockObjective`, whose passes read
the features again, block by block, through the same code as a fit in memory:
Newton's method (step halving on the log-likelihood; an accepted step costs one
pass, a rejected one a pass more), L-BFGS for models whose Hessian is too big,
the separation test, the standard errors and every statistic of ``summary()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..models._base import MLEstimatorBase, Targets
from ..models._checks import check_params, check_sample_weight
from ._objective import BlockObjective, RowsInBlocks
from ._sources import as_float_block, block_iterator

__all__ = ["Scan", "check_estimator", "check_finite", "fit_blocks", "fit_scanned"]

_SOLVERS = ("newton", "lbfgs")


@dataclass(frozen=True)
class Scan:
    """What the first pass saw: the rows of each block, the targets and weights."""

    rows: tuple[int, ...]
    p: int
    y: NDArray[Any]
    weights: NDArray[np.float64] | None

    @property
    def n(self) -> int:
        return sum(self.rows)


def _first_bad_row(arr: NDArray[Any]) -> tuple[int, Any]:
    """Row and value of the first non-finite entry of a numeric array."""
    bad = ~np.isfinite(arr)
    flat = int(np.flatnonzero(bad.reshape(bad.shape[0], -1).any(axis=1))[0])
    row = arr[flat]
    value = row if np.ndim(row) == 0 else np.asarray(row)[~np.isfinite(row)].flat[0]
    return flat, value


def check_finite(what: str, arr: NDArray[Any], index: int, offset: int) -> None:
    """Raise naming the block and row of a NaN or infinity in ``arr``.

    A block's sum is finite when all its entries are (one read, no mask); only a
    non-finite sum (or an overflowing one) looks further.
    """
    if arr.dtype.kind != "f" or np.isfinite(np.add.reduce(arr, axis=None)):
        return
    if np.all(np.isfinite(arr)):
        return  # the sum overflowed; the entries are finite
    row, value = _first_bad_row(arr)
    raise ValueError(
        f"block {index}, row {row} (row {offset + row} of the data): `{what}` holds "
        f"{value}; every entry must be finite"
    )


def _unpack(block: Any, index: int) -> tuple[NDArray[Any], Any, Any]:
    if not isinstance(block, tuple | list) or len(block) not in (2, 3):
        raise TypeError(
            f"block {index} must be a tuple (X, y) or (X, y, sample_weight); got "
            f"{type(block).__name__}"
            + (f" of length {len(block)}" if isinstance(block, tuple | list) else "")
        )
    X = as_float_block(block[0])
    if X.ndim != 2:
        raise ValueError(f"block {index}: X must be 2-D; got shape {X.shape}")
    return X, block[1], block[2] if len(block) == 3 else None


def _scan(source: Any) -> Scan:
    rows: list[int] = []
    ys: list[NDArray[Any]] = []
    ws: list[NDArray[np.float64]] = []
    p = -1
    offset = 0
    for index, block in enumerate(block_iterator(source)):
        X, y, w = _unpack(block, index)
        m = X.shape[0]
        if p < 0:
            p = X.shape[1]
        elif X.shape[1] != p:
            raise ValueError(f"block {index} has {X.shape[1]} columns; the first block had {p}")
        y = np.asarray(y)
        if y.shape[0] != m:
            raise ValueError(f"block {index}: y has {y.shape[0]} rows, X has {m}")
        check_finite("X", X, index, offset)
        if y.dtype.kind == "f":
            check_finite("y", y, index, offset)
        if index > 0 and (w is None) != (not ws):
            raise ValueError(
                f"block {index}: sample weights must come with every block or with none"
            )
        if w is not None:
            w = np.asarray(w, dtype=np.float64)
            if w.shape != (m,):
                raise ValueError(
                    f"block {index}: sample_weight must have shape ({m},); got {w.shape}"
                )
            check_finite("sample_weight", w, index, offset)
            ws.append(w)
        rows.append(m)
        ys.append(y)
        offset += m
    if not rows or offset == 0:
        raise ValueError("`source` gave no rows: nothing to fit")
    return Scan(tuple(rows), p, np.concatenate(ys), np.concatenate(ws) if ws else None)


class _FeaturePasses:
    """A fresh pass over the features of the source, checked against the scan."""

    def __init__(self, source: Any, scan: Scan) -> None:
        self.source, self.scan = source, scan

    def __call__(self) -> Iterator[NDArray[Any]]:
        rows, p = self.scan.rows, self.scan.p
        offset = 0
        index = -1
        for index, block in enumerate(block_iterator(self.source)):
            X = _unpack(block, index)[0]
            expected = rows[index] if index < len(rows) else 0
            if X.shape != (expected, p):
                raise ValueError(
                    f"block {index} has shape {X.shape} in this pass and {(expected, p)} "
                    "in the first: the source must give the same blocks at every pass"
                )
            check_finite("X", X, index, offset)
            offset += X.shape[0]
            yield X
        if index + 1 != len(rows):
            raise ValueError(
                f"the source gave {index + 1} blocks in this pass and {len(rows)} in the "
                "first: it ended early, or it is a one-shot iterator (pass a list, a "
                "reader such as NpyBlocks, or a callable returning a new iterator)"
            )


def fit_blocks(
    estimator: MLEstimatorBase,
    source: Any,
    *,
    feature_names: list[str] | None = None,
    **fit_args: Any,
) -> MLEstimatorBase:
    r"""Fit ``estimator`` to the rows of ``source``, never holding its features in memory.

    The fit is that of ``estimator.fit(X, y, sample_weight)`` on the concatenated
    blocks (same objective, solver, stopping rule, separation test and Wald
    inference), with float64 sums over blocks; the estimator's fitted attributes,
    ``summary()`` and :func:`~crossentropy.models.save_model` work unchanged.
    Memory: one block of features, plus the targets, weights and fitted logits
    (a few float64 per row) and, for Newton's method, the Hessian.  The sums run
    in float64 whatever the blocks' dtype, and the coefficients are float64.
    An interrupted fit (Ctrl-C) keeps, as in memory, the last accepted iterate
    with its statistics, and raises ``KeyboardInterrupt``.

    Parameters
    ----------
    estimator : LinearRegression, LogisticRegression or SoftmaxRegression
        With ``solver="newton"`` (standard errors; at most 3000 parameters) or
        ``"lbfgs"``.
    source : re-iterable of (X, y) or (X, y, sample_weight) blocks
        A list of blocks, a reader (:class:`NpyBlocks`, :class:`ArrowBlocks`) or a
        callable returning a new iterator; read once per pass.
    feature_names : list of str, optional
        Names of the columns (``feature_names_in_`` and the summary's rows); an
        :class:`ArrowBlocks` source names them itself.
    **fit_args
        What the estimator's ``fit`` takes besides the data (``classes``,
        ``coef_init``, ``intercept_init``).

    Returns
    -------
    estimator
        Fitted.

    Examples
    --------
    >>> from crossentropy.models import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((1000, 2))
    >>> y = (rng.random(1000) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    >>> blocks = [(X[i : i + 300], y[i : i + 300]) for i in range(0, 1000, 300)]
    >>> a = fit_blocks(LogisticRegression(), blocks)
    >>> b = LogisticRegression().fit(X, y)
    >>> bool(np.allclose(a.bse_, b.bse_, rtol=1e-10))
    True
    """
    check_estimator(estimator, "fit_blocks")
    names = feature_names
    if names is None and hasattr(source, "feature_names"):
        names = source.feature_names()
    scan = _scan(source)
    passes = _FeaturePasses(source, scan)

    def objective(t: Targets, weights: Any, **kwargs: Any) -> BlockObjective:
        return BlockObjective(passes, scan.n, scan.p, t.target, weights, **kwargs)

    return fit_scanned(estimator, scan, names, fit_args, objective)


def check_estimator(estimator: Any, how: str) -> None:
    """``estimator`` is one of ours, with a solver that reads the data by passes."""
    if not isinstance(estimator, MLEstimatorBase):
        raise TypeError(
            "`estimator` must be a LinearRegression, LogisticRegression or "
            f"SoftmaxRegression; got {type(estimator).__name__}"
        )
    check_params(estimator)
    if estimator.solver not in _SOLVERS:
        raise ValueError(
            f"a fit of blocks reads the data once per iteration: `solver` must be one of "
            f"{_SOLVERS}; got {estimator.solver!r}"
        )
    if estimator.warm_start:
        raise ValueError(f"{how} starts a new fit; set warm_start=False")


def fit_scanned(
    estimator: MLEstimatorBase,
    scan: Scan,
    names: list[str] | None,
    fit_args: dict[str, Any],
    objective: Callable[..., BlockObjective],
) -> MLEstimatorBase:
    """Fit ``estimator`` on the objective ``objective(t, weights, **options)`` builds
    from the targets of the scanned rows."""
    n, p = scan.n, scan.p
    if names is not None and len(names) != p:
        raise ValueError(f"`feature_names` must name the {p} columns; got {len(names)} names")
    estimator.n_features_in_ = p
    if names is None:
        estimator.__dict__.pop("feature_names_in_", None)
    else:
        estimator.feature_names_in_ = np.asarray([str(s) for s in names], dtype=object)
    sw = check_sample_weight(scan.weights, n)
    absent = RowsInBlocks(lambda: iter(()), n, p)
    t = estimator._targets(absent, scan.y, sw, fit_args, None)  # type: ignore[arg-type]
    weights = None if t.weights is None else t.weights / t.weights.mean()
    obj = objective(
        t,
        weights,
        family=estimator._family,
        k=t.k,
        l2=float(estimator.l2),
        fit_intercept=bool(estimator.fit_intercept),
    )
    start = estimator._start(obj, None, estimator.solver, False, fit_args.get("init"))
    return estimator._run(obj, t, start, estimator.solver)
