r"""The objective that every solver minimises: the mean loss of a linear predictor.

For rows :math:`x_i` with (normalised) weights :math:`w_i` (mean 1), parameters
:math:`\Theta` of shape ``(q, k)`` (row 0 the intercepts when there are any, then
the coefficients :math:`W`) and logits :math:`z_i = x_i W + b`:

.. math:: f(\Theta) = \frac1n \sum_i w_i\, \ell(y_i, z_i) + \frac{\lambda}{2} \lVert W \rVert^2

with :math:`\ell` the squared error (linear regression), the binary cross-entropy
with logits (logistic) or the softmax cross-entropy (multinomial).

Two paths compute it:

- the *native* path (:meth:`Objective.batch_fun_grad`, :meth:`Objective.fun_grad`)
  works in the dtype of ``X``: float32 data stays float32.  It is the inner loop of
  SGD, so it allocates little per batch (the batch of rows is gathered into a
  preallocated buffer, ``X[rows] @ W`` goes to BLAS, the loss gradient is written
  over the logits).
- the *exact* path (:meth:`Objective.fun64`, :meth:`Objective.fun_grad_hess64`) works
  in float64, converting ``X`` a block of rows at a time, so float32 data is never
  copied to float64 as a whole; Newton's method and the standard errors use it.

Both paths compute the binary and softmax cross-entropy with the one backend of
the public losses, :mod:`crossentropy._kernels` (no checks per call: the
estimator checked the data once): the C kernels where they are built (row
maximum, log-sum-exp, loss and scaled gradient in one sweep, about 2 us per
128 x 10 batch), their exact NumPy twins on the float64 passes of the exact
solvers and where the extension is absent.  A loss and gradient here are
therefore bit for bit those of
:func:`~crossentropy.losses.categorical_cross_entropy_with_logits` and
:func:`~crossentropy.losses.binary_cross_entropy_with_logits` on the same
backend.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _kernels

__all__ = ["FAMILIES", "BlockSums", "Objective", "block_sums", "design_block"]

FAMILIES = ("squared", "bernoulli", "softmax")
FloatArray = NDArray[np.floating[Any]]

# Rows per float64 block in the exact path: about 4 MB of converted data at a time.
_BLOCK_BYTES = 4 * 2**20
# Rows per block of the native full-data pass: small enough to stay in cache between
# its two products.  1 MB (a core's L2 on current x86; 334 MNIST rows) measured 5-10%
# faster per MNIST pass than 4 MB on 1 and 2 threads (42.6 against 43.4 ms, 22.3
# against 24.2 ms).
_NATIVE_BLOCK_BYTES = 1 * 2**20


def _squared_kernel(z: FloatArray, y: FloatArray, w: FloatArray | None) -> float:
    """Squared error: returns sum_i w_i (z_i - y_i)^2; leaves d/dz = 2 w (z - y) in ``z``."""
    r = z[:, 0]
    r -= y
    if w is None:
        loss = float(np.dot(r, r))
        r *= 2
    else:
        loss = float(np.dot(w * r, r))
        r *= 2 * w
    return loss


def _bernoulli_kernel(z: FloatArray, y: FloatArray, w: FloatArray | None, numpy: bool) -> float:
    """Binary cross-entropy with logits: sum_i w_i l_i; leaves w_i dl_i/dz_i in ``z``.

    The loss and gradient are those of the one backend (:mod:`crossentropy._kernels`);
    a NaN logit (a diverging fit) gives a NaN loss, never an exception.
    """
    col = z[:, 0]
    loss = np.empty_like(col)
    try:
        _kernels.binary_xent(col, y, None, loss_out=loss, grad_out=col, numpy=numpy)
    except _kernels.KernelInputError:
        return float("nan")
    if w is None:
        return float(np.sum(loss, dtype=np.float64))
    col *= w
    return float(np.dot(w, loss))


def _softmax_kernel(
    z: FloatArray, labels: NDArray[np.int64], w: FloatArray | None, scale: float, numpy: bool
) -> float:
    """Softmax cross-entropy: returns sum_i s_i l_i (s_i = scale * w_i); leaves
    s_i dl_i/dz_i in ``z``.

    The one backend (:mod:`crossentropy._kernels`) computes it; labels are valid here
    (the estimator checked them), so the only input the C kernel refuses is a
    non-finite logit: a diverging fit, reported as a NaN loss (the row's gradient is
    then meaningless).
    """
    w64 = None if w is None else np.asarray(w, dtype=np.float64)
    try:
        return _kernels.softmax_xent(
            z, labels, sample_weight=w64, scale=scale, grad_out=z, numpy=numpy
        )
    except _kernels.KernelInputError:
        return float("nan")


class Objective:
    """Mean weighted loss of ``X @ W + b`` plus ``(l2 / 2) * ||W||^2`` (see the module notes).

    Parameters
    ----------
    X : ndarray of shape (n, p)
        float32 or float64 data; kept by reference, never copied.
    target : ndarray
        ``squared``: values; ``bernoulli``: success fractions in [0, 1];
        ``softmax``: integer class indices.  Converted to the dtype of ``X``
        (labels to intp) for the native path; a float64 copy serves the exact path.
    weights : ndarray or None
        Non-negative row weights with mean 1, or None for equal weights.
    family : {"squared", "bernoulli", "softmax"}
    k : int
        Number of output columns (1, or the number of classes).
    l2 : float
        Penalty on the coefficients (never on the intercept).
    fit_intercept : bool
    """

    def __init__(
        self,
        X: FloatArray,
        target: NDArray[Any],
        weights: NDArray[Any] | None,
        *,
        family: str,
        k: int,
        l2: float,
        fit_intercept: bool,
    ) -> None:
        if family not in FAMILIES:
            raise ValueError(f"`family` must be one of {FAMILIES}; got {family!r}")
        self.X = X
        self.dtype = X.dtype
        self.n, self.p = X.shape
        self.family = family
        self.k = int(k)
        self.l2 = float(l2)
        self.fit_intercept = bool(fit_intercept)
        self.q = self.p + int(self.fit_intercept)
        self.size = self.q * self.k
        if family == "softmax":
            self.target = np.ascontiguousarray(target, dtype=np.int64)
            self.target64 = self.target
        else:
            self.target = np.asarray(target, dtype=self.dtype)
            self.target64 = np.asarray(target, dtype=np.float64)
        self.weights = None if weights is None else np.asarray(weights, dtype=self.dtype)
        self.weights64 = None if weights is None else np.asarray(weights, dtype=np.float64)
        self._cap = 0
        # A thread pool for the full-data passes, set by ``row_threads``.
        self.pool: Any = None
        self.workers = 1
        # Set by ``row_threads`` when BLAS runs on one thread: the full-data pass then
        # goes through X in cache-sized blocks (one read of X instead of two).
        self.serial_blocks = False
        self._xb: FloatArray = np.empty((0, self.p), dtype=self.dtype)
        self._zb: FloatArray = np.empty((0, self.k), dtype=self.dtype)
        # Full-data passes on float64 data (the exact solvers' tight tolerances) keep
        # to the NumPy twins of the loss kernels; float32 passes and mini-batches use C.
        self._exact_full = self.dtype == np.float64
        # [correct, seen] predictions of the mini-batches (softmax), when counting.
        self.hits: list[int] | None = None
        # The last pass with a Hessian, keyed by the parameters' bytes.
        self._last_sums: tuple[bytes, BlockSums] | None = None

    # ------------------------------------------------------------------ layout
    def zeros(self, dtype: Any = None) -> FloatArray:
        """A flat parameter vector of zeros (the starting point of every solver)."""
        return np.zeros(self.size, dtype=self.dtype if dtype is None else dtype)

    def split(self, theta: FloatArray) -> tuple[FloatArray | None, FloatArray]:
        """Views ``(b, W)`` of a flat parameter vector (``b`` is None without intercept)."""
        mat = theta.reshape(self.q, self.k)
        if self.fit_intercept:
            return mat[0], mat[1:]
        return None, mat

    def penalty_mask(self) -> NDArray[np.bool_]:
        """True for the entries of the flat parameter vector that the l2 penalty covers."""
        mask = np.ones((self.q, self.k), dtype=bool)
        if self.fit_intercept:
            mask[0] = False
        return mask.ravel()

    # ------------------------------------------------------------------ kernels
    def _kernel(
        self,
        z: FloatArray,
        target: NDArray[Any],
        w: NDArray[Any] | None,
        *,
        per: float = 1.0,
        exact: bool = False,
    ) -> float:
        """``sum_i w_i l_i / per`` of the objective's family (see :func:`_loss_kernel`)."""
        return _loss_kernel(self.family, z, target, w, per=per, exact=exact)

    def _penalty(self, W: FloatArray, gW: FloatArray) -> float:
        if self.l2 == 0:
            return 0.0
        gW += self.l2 * W
        return self._penalty_value(W)

    def _penalty_value(self, W: FloatArray) -> float:
        """``(l2 / 2) ||W||^2``; exactly 0 without a penalty (not 0 * inf for huge W)."""
        return 0.0 if self.l2 == 0 else 0.5 * self.l2 * float(np.vdot(W, W))

    def _reserve(self, m: int) -> None:
        if m > self._cap:
            self._cap = m
            self._xb = np.empty((m, self.p), dtype=self.dtype)
            self._zb = np.empty((m, self.k), dtype=self.dtype)

    # ------------------------------------------------------------------ native path
    def batch_fun_grad(self, theta: FloatArray, rows: NDArray[np.intp], grad: FloatArray) -> float:
        """Objective over the rows ``rows`` (mean loss + penalty); gradient into ``grad``.

        ``theta`` and ``grad`` are flat vectors in the dtype of ``X``.
        """
        m = rows.shape[0]
        self._reserve(m)
        xb = np.take(self.X, rows, axis=0, out=self._xb[:m], mode="clip")
        b, W = self.split(theta)
        gb, gW = self.split(grad)
        z = np.matmul(xb, W, out=self._zb[:m])
        if b is not None:
            z += b
        labels = self.target[rows]
        if self.hits is not None:  # training accuracy of the batches, before the update
            self.hits[0] += int(np.count_nonzero(np.argmax(z, axis=1) == labels))
            self.hits[1] += m
        w = None if self.weights is None else self.weights[rows]
        loss = self._kernel(z, labels, w, per=m)
        np.matmul(xb.T, z, out=gW)
        if gb is not None:
            np.sum(z, axis=0, out=gb)
        return loss + self._penalty(W, gW)

    def fun_grad(self, theta: FloatArray, grad: FloatArray) -> float:
        """Objective over all rows in the dtype of ``X``; gradient into ``grad``.

        With a thread pool (:func:`~crossentropy.models._threads.row_threads`, BLAS
        on one thread) the rows are split between the threads, which synchronise
        once per evaluation; each takes its rows in cache-sized blocks used for
        both products (``Xb @ W`` and ``Xb.T @ dZ``) while in cache, so the data
        are read from memory once per evaluation instead of twice.  With BLAS on
        one thread and no pool (``serial_blocks``) one thread does the same.
        """
        b, W = self.split(theta)
        gb, gW = self.split(grad)
        step = max(64, _NATIVE_BLOCK_BYTES // (self.X.itemsize * max(self.p, 1)))
        if (self.pool is None and not self.serial_blocks) or self.n < 2 * step:
            # Whole-array products: blocks would mean many small BLAS calls, each
            # waiting on every BLAS thread (pathological on a busy machine).
            z = self.X @ W
            if b is not None:
                z += b
            loss = self._kernel(z, self.target, self.weights, per=self.n, exact=self._exact_full)
            np.matmul(self.X.T, z, out=gW)
            if gb is not None:
                np.sum(z, axis=0, out=gb)
            return loss + self._penalty(W, gW)
        if self.pool is None:  # one thread, BLAS on one thread: the blocks in turn
            loss, gW_sum, gb_sum = self._rows_fun_grad(b, W, 0, self.n, step)
            gW[...] = gW_sum
            if gb is not None:
                gb[...] = gb_sum
            return loss + self._penalty(W, gW)
        bounds = [self.n * i // self.workers for i in range(self.workers + 1)]
        parts = list(
            self.pool.map(
                lambda lo_hi: self._rows_fun_grad(b, W, lo_hi[0], lo_hi[1], step),
                itertools.pairwise(bounds),
            )
        )
        loss = sum(p[0] for p in parts)  # already divided by n
        gW[...] = parts[0][1]
        for p in parts[1:]:
            gW += p[1]
        if gb is not None:
            gb[...] = parts[0][2]
            for p in parts[1:]:
                gb += p[2]
        return loss + self._penalty(W, gW)

    def _rows_fun_grad(
        self, b: FloatArray | None, W: FloatArray, lo: int, hi: int, step: int
    ) -> tuple[float, FloatArray, FloatArray]:
        """Loss and (unpenalised) gradient of rows ``lo:hi`` over all ``n``, block by block."""
        gW = np.zeros_like(W)
        gb = np.zeros(self.k, dtype=W.dtype)
        part = np.empty_like(W)
        loss = 0.0
        for start in range(lo, hi, step):
            sl = slice(start, min(start + step, hi))
            xb = self.X[sl]
            z = xb @ W
            if b is not None:
                z += b
            w = None if self.weights is None else self.weights[sl]
            loss += self._kernel(z, self.target[sl], w, per=self.n, exact=self._exact_full)
            np.matmul(xb.T, z, out=part)
            gW += part
            gb += z.sum(axis=0)
        return loss, gW, gb

    def logits(self, theta: FloatArray, X: FloatArray | None = None) -> FloatArray:
        """``X @ W + b`` in the dtype of ``X`` (the training data by default).

        With a thread pool (:func:`~crossentropy.models._threads.row_threads`) the
        rows of the training data are split between its threads.
        """
        data = self.X if X is None else X
        b, W = self.split(theta.astype(data.dtype, copy=False))
        if self.pool is None or X is not None or self.n < 2 * self.workers:
            z = data @ W
        else:
            z = np.empty((self.n, self.k), dtype=data.dtype)
            bounds = [self.n * i // self.workers for i in range(self.workers + 1)]

            def rows(lo_hi: tuple[int, int]) -> None:
                np.matmul(data[lo_hi[0] : lo_hi[1]], W, out=z[lo_hi[0] : lo_hi[1]])

            list(self.pool.map(rows, itertools.pairwise(bounds)))
        if b is not None:
            z += b
        return z

    # ------------------------------------------------------------------ exact path
    def blocks(self) -> Iterator[tuple[slice, NDArray[np.float64]]]:
        """``(rows, X1)`` for blocks of rows: float64, with a leading column of ones
        when there is an intercept."""
        step = max(256, _BLOCK_BYTES // (8 * max(self.q, 1)))
        for start in range(0, self.n, step):
            sl = slice(start, min(start + step, self.n))
            yield sl, design_block(self.X[sl], self.fit_intercept)

    def fun64(self, theta: NDArray[np.float64]) -> float:
        """The objective in float64 (exact path)."""
        mat = theta.reshape(self.q, self.k)
        total = 0.0
        for sl, x1 in self.blocks():
            total += block_sums(x1, self.target64[sl], self._w64(sl), mat, self.family).loss
        return total / self.n + self._penalty_value(self._coef_rows(mat))

    def _w64(self, sl: slice) -> NDArray[np.float64] | None:
        return None if self.weights64 is None else self.weights64[sl]

    def _coef_rows(self, mat: NDArray[np.float64]) -> NDArray[np.float64]:
        return mat[1:] if self.fit_intercept else mat

    def fun_grad_hess64(
        self, theta: NDArray[np.float64], free: NDArray[np.bool_] | None = None
    ) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
        """Objective, gradient and Hessian in float64, restricted to the ``free`` entries.

        The Hessian of the mean loss is :math:`\\frac1n \\sum_i w_i\\, x_i x_i^T \\otimes
        A_i` with :math:`A_i` = 2 (squared), :math:`\\sigma(1-\\sigma)` (bernoulli) or
        :math:`\\operatorname{diag}(p_i) - p_i p_i^T` (softmax), plus :math:`\\lambda`
        on the penalised entries.  Its layout follows ``theta.reshape(q, k)``.  The
        sums run over blocks of rows (:func:`block_sums`), each read once per call.
        """
        key = np.asarray(theta, dtype=np.float64).tobytes()
        if self._last_sums is None or self._last_sums[0] != key:
            self._last_sums = (key, self.pass_sums(theta, hessian=True))
        return self.mean_fun_grad_hess(theta, self._last_sums[1], float(self.n), free)

    def pass_sums(self, theta: NDArray[np.float64], *, hessian: bool) -> BlockSums:
        """One pass over the rows: the :class:`BlockSums` at ``theta`` (float64).

        The last sums with a Hessian are kept (one (qk)^2 matrix), so that the
        standard errors at the point where Newton's method stopped and a line
        search that evaluated the accepted point read no row again.
        """
        mat = np.asarray(theta, dtype=np.float64).reshape(self.q, self.k)
        sums = BlockSums.zeros(self.q, self.k, hessian)
        for sl, x1 in self.blocks():
            w = self._w64(sl)
            # The block is a fresh float64 copy: block_sums may scale it in place.
            sums.add(
                block_sums(
                    x1, self.target64[sl], w, mat, self.family, hessian=hessian, overwrite=True
                )
            )
        return sums

    def mean_fun_grad_hess(
        self,
        theta: NDArray[np.float64],
        sums: BlockSums,
        total: float,
        free: NDArray[np.bool_] | None = None,
    ) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
        """``(f, g, H)`` of the mean objective from the row sums ``sums`` over ``total``
        weight (``n`` for the normalised weights), with the penalty added."""
        q, k = self.q, self.k
        f = sums.loss / total + self._penalty_value(self._coef_rows(theta.reshape(q, k)))
        g = sums.grad.ravel() / total
        if sums.hess is None:
            raise ValueError("`sums` must carry a Hessian (block_sums(..., hessian=True))")
        h = sums.hess.reshape(q * k, q * k) / total
        if self.l2:
            pen = self.penalty_mask()
            g[pen] += self.l2 * theta[pen]
            h[np.flatnonzero(pen), np.flatnonzero(pen)] += self.l2
        if free is None:
            return f, g, h
        return f, g[free], h[np.ix_(free, free)]


def design_block(xb: NDArray[Any], fit_intercept: bool) -> NDArray[np.float64]:
    """Rows ``xb`` as float64, after a leading column of ones when there is an intercept."""
    x1 = np.empty((xb.shape[0], xb.shape[1] + int(fit_intercept)), dtype=np.float64)
    if fit_intercept:
        x1[:, 0] = 1.0
        x1[:, 1:] = xb
    else:
        x1[...] = xb
    return x1


class BlockSums:
    """Row sums over blocks: weighted loss, gradient (q, k) and Hessian (q, k, q, k)
    of the loss in the parameters, all float64 (the Hessian None when not asked for).

    Sums of disjoint blocks add (:meth:`add`), so a pass over a data set in any
    order or on any number of workers gives the same sums up to rounding.
    """

    __slots__ = ("grad", "hess", "loss", "rows")

    def __init__(
        self,
        loss: float,
        grad: NDArray[np.float64],
        hess: NDArray[np.float64] | None,
        rows: int,
    ) -> None:
        self.loss, self.grad, self.hess, self.rows = loss, grad, hess, rows

    @classmethod
    def zeros(cls, q: int, k: int, hessian: bool = True) -> BlockSums:
        """Empty sums for ``q`` rows of parameters and ``k`` outputs."""
        return cls(0.0, np.zeros((q, k)), np.zeros((q, k, q, k)) if hessian else None, 0)

    def add(self, other: BlockSums) -> BlockSums:
        """Add ``other`` in place; returns self."""
        self.loss += other.loss
        self.grad += other.grad
        if self.hess is not None:
            if other.hess is None:
                raise ValueError("cannot add sums without a Hessian to sums with one")
            self.hess += other.hess
        self.rows += other.rows
        return self


def block_sums(
    x1: NDArray[np.float64],
    target: NDArray[Any],
    weights: NDArray[np.float64] | None,
    mat: NDArray[np.float64],
    family: str,
    *,
    hessian: bool = False,
    overwrite: bool = False,
) -> BlockSums:
    r"""One read of a block of rows: the sums of its weighted loss, gradient and Hessian.

    For rows :math:`x_i` (``x1``: float64, with the leading column of ones when the
    model has an intercept), logits :math:`z_i = x_i \Theta` (``mat`` of shape
    (q, k)), weights :math:`w_i` (None: 1) and the loss :math:`\ell` of ``family``:

    .. math:: L = \sum_i w_i \ell(y_i, z_i),\quad
        G = \sum_i x_i^T\, w_i \nabla_z \ell_i,\quad
        H = \sum_i w_i\, x_i x_i^T \otimes \nabla_z^2 \ell_i .

    The loss and its gradient in the logits come from the exact NumPy twins of
    the loss kernels (:mod:`crossentropy._kernels`), the products from BLAS; for
    one output the Hessian is one symmetric rank-m update
    :math:`A^T A` with :math:`A = \operatorname{diag}(\sqrt{w_i \ell''_i})\, X`
    (BLAS ``syrk``: half the flops of a general product), since the curvature
    of the squared error and of the binary cross-entropy is never negative.
    ``overwrite=True`` lets it scale ``x1`` in place (a block the caller built
    for this call alone), sparing one copy of the block.

    Examples
    --------
    >>> x1 = np.array([[1.0, 0.5], [1.0, -1.0]])
    >>> s = block_sums(x1, np.array([1.0, 0.0]), None, np.zeros((2, 1)), "bernoulli",
    ...                hessian=True)
    >>> round(s.loss, 6), s.grad.ravel().tolist(), s.hess.reshape(2, 2).tolist()
    (1.386294, [0.0, -0.75], [[0.5, -0.125], [-0.125, 0.3125]])
    """
    k = mat.shape[1]
    m, q = x1.shape
    z = x1 @ mat
    w_curv = np.ones(m) if weights is None else weights
    curv = _curvature(family, z, w_curv) if hessian else None
    loss = _loss_kernel(family, z, target, weights, exact=True)
    grad = x1.T @ z
    hess: NDArray[np.float64] | None = None
    if curv is not None:
        hess = np.empty((q, k, q, k))
        if k == 1:
            from scipy.linalg.blas import dsyrk

            # A = diag(sqrt(c)) X1, in place when the caller gives its block away.
            scale = np.sqrt(curv[:, 0, 0])[:, None]
            a = np.multiply(x1, scale, out=x1 if overwrite else None)
            # A^T A by syrk (A^T is Fortran-ordered: no copy); it fills the upper
            # triangle, mirrored here.
            upper = np.triu(dsyrk(1.0, a.T, trans=0))
            hess[:, 0, :, 0] = upper + np.triu(upper, 1).T
        else:
            for j in range(k):
                for i in range(j, k):
                    part = (x1 * curv[:, j, i, None]).T @ x1
                    hess[:, j, :, i] = part
                    if i != j:
                        hess[:, i, :, j] = part
    return BlockSums(loss, grad, hess, m)


def _loss_kernel(
    family: str,
    z: FloatArray,
    target: NDArray[Any],
    w: NDArray[Any] | None,
    *,
    per: float = 1.0,
    exact: bool = False,
) -> float:
    """``sum_i w_i l_i / per``; leaves ``w_i dl_i/dz_i / per`` in ``z``.

    ``exact`` keeps to the NumPy twins of the loss kernels (the float64 paths of
    the exact solvers); otherwise the C kernels run when they are built.
    """
    if family == "softmax":
        return _softmax_kernel(z, target, w, 1.0 / per, exact)
    if family == "bernoulli":
        loss = _bernoulli_kernel(z, target, w, exact)
    else:
        loss = _squared_kernel(z, target, w)
    if per != 1.0:
        z *= 1.0 / per
        loss /= per
    return loss


def _curvature(family: str, z: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per-row weighted second derivative of the loss in z: shape (m, k, k)."""
    if family == "squared":
        return (2.0 * w)[:, None, None]
    if family == "bernoulli":
        from scipy.special import expit

        s = expit(z[:, 0])
        return (w * s * (1.0 - s))[:, None, None]
    k = z.shape[1]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    a = -p[:, :, None] * p[:, None, :]
    idx = np.arange(k)
    a[:, idx, idx] += p
    return a * w[:, None, None]
