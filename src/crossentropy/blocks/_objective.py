"""The objective of a fit whose rows live in a block source.

:class:`BlockObjective` is the in-memory :class:`~crossentropy.models._objective.Objective`
with one change: its blocks of rows come from a pass over the source instead of
slices of ``X``.  Every sum the estimators form (the loss, gradient and Hessian
of Newton's method, the closed form of linear regression, the fitted logits of
the likelihood statistics, the Hessian of the standard errors) goes through
``blocks()``, so the fit of blocks runs the same code, in the same order, as the
fit in memory.  The targets and weights (a few numbers per row) are held in
memory; the features never are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..models._objective import _BLOCK_BYTES, Objective, design_block
from ..models._solvers import MAX_HESSIAN_PARAMS

__all__ = ["BlockObjective", "RowsInBlocks"]

# The features are gathered into memory only for the separation test, whose linear
# program is itself bounded (MAX_LP_ENTRIES); this caps what that may read.
_GATHER_BYTES = 256 * 2**20


class RowsInBlocks:
    """Stands for ``X`` when the rows live in a source: a shape and a dtype.

    Indexing gathers the rows into memory (the separation test of a small
    problem); past 256 MB it is refused, since a pass is the only way to read a
    large source.
    """

    ndim = 2

    def __init__(self, passes: Callable[[], Iterator[NDArray[Any]]], n: int, p: int) -> None:
        self._passes = passes
        self.shape = (n, p)
        self.dtype = np.dtype(np.float64)

    def gather(self) -> NDArray[np.float64]:
        """All rows in memory (small sources only)."""
        n, p = self.shape
        if 8 * n * p > _GATHER_BYTES:
            raise ValueError(
                f"the {n} x {p} rows of a block source are read by passes; gathering them "
                f"in memory ({8 * n * p / 2**20:.0f} MB) is refused"
            )
        parts = list(self._passes())
        return np.concatenate(parts).astype(np.float64) if parts else np.empty((0, p))

    def __getitem__(self, key: Any) -> NDArray[np.float64]:
        return self.gather()[key]

    def __array__(self, dtype: Any = None, copy: Any = None) -> NDArray[Any]:
        arr = self.gather()
        return arr if dtype is None else arr.astype(dtype)


class BlockObjective(Objective):
    """:class:`Objective` over blocks of a source, float64 throughout (exact path).

    ``passes()`` returns a fresh iterator over the blocks' features (checked
    arrays of shape (m, p)); targets and weights are those of every row, in
    order, as for :class:`Objective`.
    """

    def __init__(
        self,
        passes: Callable[[], Iterator[NDArray[Any]]],
        n: int,
        p: int,
        target: NDArray[Any],
        weights: NDArray[Any] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(RowsInBlocks(passes, n, p), target, weights, **kwargs)  # type: ignore[arg-type]
        self._passes = passes
        self.passes_read = 0

    def blocks(self) -> Iterator[tuple[slice, NDArray[np.float64]]]:
        """``(rows, X1)`` for the blocks of one pass over the source."""
        self.passes_read += 1
        # Each source block goes to the sums in cache-sized pieces, as in memory: a
        # 64k-row block of 100 columns is 53 MB, and the products (syrk, the scaled
        # copy) run 1.5-4x slower on pieces that big than on 4 MB ones.
        step = max(256, _BLOCK_BYTES // (8 * max(self.q, 1)))
        start = 0
        for xb in self._passes():
            m = xb.shape[0]
            for lo in range(0, m, step):
                hi = min(lo + step, m)
                yield slice(start + lo, start + hi), design_block(xb[lo:hi], self.fit_intercept)
            start += m

    def fun64(self, theta: NDArray[np.float64]) -> float:
        """The objective; where the Hessian is affordable, from the pass that also
        gives the gradient and Hessian, so that an accepted step reads once."""
        if self.size <= MAX_HESSIAN_PARAMS:
            return self.fun_grad_hess64(theta)[0]
        return super().fun64(theta)

    def fun_grad(self, theta: NDArray[Any], grad: NDArray[Any]) -> float:
        """Objective and gradient (into ``grad``) in float64, one pass (L-BFGS)."""
        theta64 = np.asarray(theta, dtype=np.float64)
        sums = self.pass_sums(theta64, hessian=False)
        mat = theta64.reshape(self.q, self.k)
        coef = mat[1:] if self.fit_intercept else mat
        g = sums.grad / self.n
        g[int(self.fit_intercept) :] += self.l2 * coef
        grad[...] = g.ravel()
        return sums.loss / self.n + self._penalty_value(coef)

    def logits(self, theta: NDArray[Any], X: NDArray[Any] | None = None) -> NDArray[Any]:
        """``X1 @ theta`` of the source's rows (one pass), or of ``X``."""
        if X is not None:
            return super().logits(theta, X)
        mat = np.asarray(theta, dtype=np.float64).reshape(self.q, self.k)
        return np.concatenate([x1 @ mat for _, x1 in self.blocks()])
