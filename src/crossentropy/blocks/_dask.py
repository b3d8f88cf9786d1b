"""Fits on Dask arrays and data frames: the block sums computed and added on the workers.

Each pass maps :func:`~crossentropy.models._objective.block_sums` over the row
chunks of ``X`` where they live and adds the results in a tree on the workers;
the client receives one (loss, gradient, Hessian) and sends only the parameters.
The targets are formed on the workers too, from the chunks of ``y`` and the
classes found by the scan, so no data goes into the task graph beyond what the
caller's arrays already put there (build them with ``dask.array.from_zarr``,
``from_npy_stack`` or a data frame reader, not ``from_array`` of a memory map).
It runs on the current ``dask.distributed.Client`` if there is one, else on
Dask's default scheduler.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..models._base import MLEstimatorBase, Targets
from ..models._objective import _BLOCK_BYTES, BlockSums, block_sums, design_block
from ._fit import Scan, check_estimator, check_finite, fit_scanned
from ._objective import BlockObjective

__all__ = ["fit_dask"]


def _is_dask_frame(obj: Any) -> bool:
    return type(obj).__module__.startswith("dask") and hasattr(obj, "to_dask_array")


def _as_dask_array(obj: Any, what: str) -> Any:
    import dask.array as da

    if _is_dask_frame(obj):
        return obj.to_dask_array(lengths=True)
    if isinstance(obj, da.Array):
        return obj
    raise TypeError(f"`{what}` must be a dask array or data frame; got {type(obj).__name__}")


def _chunk_sums(
    x: NDArray[Any],
    y: NDArray[Any],
    sw: NDArray[Any] | None,
    estimator: MLEstimatorBase,
    fit_args: dict[str, Any],
    classes: Any,
    weight_mean: float,
    mat: NDArray[np.float64],
    fit_intercept: bool,
    family: str,
    hessian: bool,
) -> BlockSums:
    """The block sums of one chunk, on the worker that holds it."""
    t = estimator._targets(x, y, sw, fit_args, classes)
    target = t.target if family == "softmax" else np.asarray(t.target, dtype=np.float64)
    w = None if t.weights is None else t.weights / weight_mean
    q, m = mat.shape[0], x.shape[0]
    step = max(256, _BLOCK_BYTES // (8 * q))  # cache-sized pieces, as in memory
    total = BlockSums.zeros(q, mat.shape[1], hessian)
    for lo in range(0, m, step):
        sl = slice(lo, min(lo + step, m))
        x1 = design_block(x[sl], fit_intercept)
        wb = None if w is None else w[sl]
        total.add(block_sums(x1, target[sl], wb, mat, family, hessian=hessian, overwrite=True))
    return total


def _added(*parts: BlockSums) -> BlockSums:
    total = parts[0]
    for part in parts[1:]:
        total.add(part)
    return total


class DaskObjective(BlockObjective):
    """:class:`BlockObjective` whose passes of sums run on the Dask workers."""

    def __init__(
        self,
        X: Any,
        y: Any,
        sw: Any,
        estimator: MLEstimatorBase,
        fit_args: dict[str, Any],
        classes: Any,
        weight_mean: float,
        *,
        n: int,
        p: int,
        target: NDArray[Any],
        weights: NDArray[Any] | None,
        **kwargs: Any,
    ) -> None:
        self._dX, self._dy, self._dw = X, y, sw
        self._task = (estimator, fit_args, classes, weight_mean)

        def chunks() -> Iterator[NDArray[Any]]:
            for part in X.to_delayed().ravel():
                yield np.asarray(part.compute())

        super().__init__(chunks, n, p, target, weights, **kwargs)

    def pass_sums(self, theta: NDArray[np.float64], *, hessian: bool) -> BlockSums:
        from dask import delayed

        self.passes_read += 1
        mat = np.asarray(theta, dtype=np.float64).reshape(self.q, self.k)
        xs = self._dX.to_delayed().ravel()
        ys = self._dy.to_delayed().ravel()
        ws = [None] * len(xs) if self._dw is None else self._dw.to_delayed().ravel()
        estimator, fit_args, classes, weight_mean = self._task
        parts = [
            delayed(_chunk_sums)(
                x,
                y,
                w,
                estimator,
                fit_args,
                classes,
                weight_mean,
                mat,
                self.fit_intercept,
                self.family,
                hessian,
            )
            for x, y, w in zip(xs, ys, ws, strict=True)
        ]
        # A tree of additions on the workers: the client receives one sum.
        while len(parts) > 1:
            parts = [delayed(_added)(*parts[i : i + 8]) for i in range(0, len(parts), 8)]
        result: BlockSums = parts[0].compute()
        return result


def fit_dask(
    estimator: MLEstimatorBase,
    X: Any,
    y: Any,
    sample_weight: Any = None,
    **fit_args: Any,
) -> MLEstimatorBase:
    """Fit ``estimator`` to Dask arrays or data frames, summing on the workers.

    Needs the optional ``dask`` extra.  The fit is that of ``fit_blocks`` on the
    row chunks (so that of ``fit`` in memory, to rounding): Newton's method with
    standard errors or L-BFGS.  ``y`` (and the weights) are read to the client
    once by the scan (a few numbers per row); ``X`` stays on the workers except
    for the final pass of fitted logits, which the statistics need, and the
    closed form of linear regression, which reads its chunks in turn.

    Parameters
    ----------
    estimator : LinearRegression, LogisticRegression or SoftmaxRegression
    X : dask array of shape (n, p) or dask DataFrame
        Chunked along rows (columns are joined into one chunk).
    y : dask array or Series
    sample_weight : dask array or Series, optional
    **fit_args
        As for :func:`fit_blocks`.

    Returns
    -------
    estimator
        Fitted.

    Examples
    --------
    >>> import dask, dask.array as da
    >>> from crossentropy.models import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((900, 2))
    >>> y = (rng.random(900) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     m = fit_dask(LogisticRegression(), da.from_array(X, chunks=(200, 2)),
    ...                  da.from_array(y, chunks=200))
    >>> bool(np.allclose(m.bse_, LogisticRegression().fit(X, y).bse_, rtol=1e-10))
    True
    """
    check_estimator(estimator, "fit_dask")
    names = list(map(str, X.columns)) if _is_dask_frame(X) else None
    dX = _as_dask_array(X, "X")
    if dX.ndim != 2:
        raise ValueError(f"`X` must be 2-D; got shape {dX.shape}")
    dX = dX.rechunk({1: -1})
    dy = _as_dask_array(y, "y").rechunk({0: dX.chunks[0]})
    dw = None
    if sample_weight is not None:
        dw = _as_dask_array(sample_weight, "sample_weight").rechunk({0: dX.chunks[0]})
    scan = _scan(dX, dy, dw)

    def objective(t: Targets, weights: Any, **kwargs: Any) -> DaskObjective:
        wmean = 1.0 if t.weights is None else float(t.weights.mean())
        return DaskObjective(
            dX,
            dy,
            dw,
            estimator,
            fit_args,
            t.classes,
            wmean,
            n=scan.n,
            p=scan.p,
            target=t.target,
            weights=weights,
            **kwargs,
        )

    return fit_scanned(estimator, scan, names, fit_args, objective)


def _nonfinite_row(x: NDArray[Any]) -> int:
    """The first row of a chunk with a NaN or infinity (-1: none), on its worker."""
    x = np.asarray(x)
    if x.dtype.kind != "f" or np.isfinite(np.add.reduce(x, axis=None)):
        return -1
    bad = np.flatnonzero(~np.isfinite(x).all(axis=1))
    return int(bad[0]) if bad.size else -1


def _scan(dX: Any, dy: Any, dw: Any) -> Scan:
    """Targets and weights to the client; the features checked on the workers."""
    import dask

    rows = tuple(int(r) for r in dX.chunks[0])
    flags = [dask.delayed(_nonfinite_row)(x) for x in dX.to_delayed().ravel()]
    bad, y, w = dask.compute(flags, dy, dw)
    offsets = np.concatenate([[0], np.cumsum(rows)])
    for index, row in enumerate(bad):
        if row >= 0:
            raise ValueError(
                f"block {index}, row {row} (row {offsets[index] + row} of the data): `X` "
                "holds a NaN or infinity; every entry must be finite"
            )
    for what, arr in (("y", np.asarray(y)), ("sample_weight", w)):
        if arr is None:
            continue
        arr = np.asarray(arr, dtype=np.float64) if what == "sample_weight" else arr
        for index in range(len(rows)):
            check_finite(what, arr[offsets[index] : offsets[index + 1]], index, offsets[index])
    if sum(rows) == 0:
        raise ValueError("`X` has no rows: nothing to fit")
    weights = None if w is None else np.asarray(w, dtype=np.float64)
    return Scan(rows, int(dX.shape[1]), np.asarray(y), weights)
