r"""The one backend of softmax and binary cross-entropy: the C kernels and their NumPy twins.

Every caller -- :func:`~crossentropy.losses.categorical_cross_entropy_with_logits`,
:func:`~crossentropy.losses.binary_cross_entropy_with_logits`, the models' objective
(mini-batches, full passes, Newton's method and the standard errors) -- computes
these losses here, with one of two implementations of the same formulas:

- the C extension ``crossentropy._ckernels`` (built at install time when a C
  compiler is present; OpenMP threads and SIMD where the compiler has them): one
  sweep over each row, no temporary array of the logits' size;
- the NumPy twin beside it, step for step the same maths (below), used when the
  extension is absent or disabled (``CROSSENTROPY_DISABLE_KERNELS=1`` before the
  first call), when the rows are not contiguous, and when a caller asks for it
  (``numpy=True``: the float64 passes of the exact solvers).

The two differ only in the exp/log1p implementations (each within about 1 ulp) and
in the order of sums, so they agree to a few ulps; each one gives the same bits to
every caller.  Nothing here validates: the callers check their inputs (the losses
at the public boundary, the estimators once per fit).  The C kernels refuse data
they cannot take (NaN, ``+inf``, a row of ``-inf``, a label outside ``[0, K)``, a
target outside ``[0, 1]``) with :class:`KernelInputError`; the NumPy twins give NaN.

Softmax cross-entropy, for a row :math:`z` of :math:`K` logits with label
:math:`y`, class weight :math:`w_y` and sample weight :math:`s`: with
:math:`m = \max_c z_c` and :math:`r` the sum of :math:`e^{z_c - m}` over all classes
but one maximal one,

.. math:: \ell = w_y \big((m - z_y) + \operatorname{log1p}(r)\big), \qquad
          g = s\, w_y \Big(\frac{e^{z - m}}{1 + r} - e_y\Big),

with the true class's entry :math:`-s\, w_y\, r / (1 + r)` when :math:`z_y` is
maximal (no cancellation: a margin of 40 gives a loss of 8.5e-18, not 0).  The
per-row parts (:math:`r`, the log1p, the loss) are formed in float64.

Binary cross-entropy, elementwise, with :math:`a = e^{-|z|}` and
:math:`w_+` the weight of the positive term:

.. math:: \ell = w_+ y \operatorname{softplus}(-z) + (1 - y) \operatorname{softplus}(z),
          \qquad g = (1 - y)\,\sigma(z) - w_+ y\, \sigma(-z),

with :math:`\operatorname{softplus}(\pm z) = \max(\pm z, 0) + \operatorname{log1p}(a)`,
:math:`\sigma` from :math:`1 / (1 + a)` and :math:`a / (1 + a)`, and a term of weight
0 absent (0, not :math:`0 \cdot \infty`).

>>> import numpy as np
>>> z = np.array([[2.0, 1.0, 0.1], [0.0, 40.0, 0.0]])
>>> total = softmax_xent(z, np.array([0, 1]), scale=0.5, grad_out=z)
>>> print(f"{total:.8f}")  # the mean of 0.41703002 and 8.5e-18
0.20851501
>>> z[1]  # d/dz of half the loss of row 1
array([ 2.12417713e-18, -4.24835426e-18,  2.12417713e-18])
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._threads import get_num_threads

__all__ = ["KernelInputError", "binary_xent", "c_available", "info", "softmax_xent"]

_DISABLE_ENV = "CROSSENTROPY_DISABLE_KERNELS"

_UNLOADED: Any = object()
_lib: Any = _UNLOADED  # the extension module, None when absent or disabled
_exact_only = False  # private switch (tests): route everything to the NumPy twins

FloatArray = NDArray[np.floating[Any]]


class KernelInputError(ValueError):
    """Data the C kernels do not take (the callers' checks say precisely why)."""


# ---------------------------------------------------------------- loading


def _load() -> Any:
    """Import the extension once; None when it is absent or disabled."""
    global _lib
    if os.environ.get(_DISABLE_ENV, "").strip() not in ("", "0"):
        _lib = None
    else:
        try:
            from . import _ckernels as lib
        except ImportError:
            lib = None
        _lib = lib
    return _lib


def _library() -> Any:
    """The extension module, or None (absent, disabled, or the private switch is on)."""
    lib = _load() if _lib is _UNLOADED else _lib
    return None if _exact_only else lib


def c_available() -> bool:
    """Whether the C kernels run (built, not disabled, not switched off by a test)."""
    return (_load() if _lib is _UNLOADED else _lib) is not None and not _exact_only


@contextlib.contextmanager
def _numpy_only() -> Iterator[None]:
    """Route every caller to the NumPy twins inside the block (for tests)."""
    global _exact_only
    previous, _exact_only = _exact_only, True
    try:
        yield
    finally:
        _exact_only = previous


def info() -> dict[str, Any]:
    """What the losses run on: ``backend`` ("C" or "NumPy"), ``threads``, and for
    the C backend ``openmp`` and ``simd`` (the instruction set in use)."""
    lib = _library()
    out: dict[str, Any] = {"backend": "NumPy" if lib is None else "C", "threads": get_num_threads()}
    if lib is not None:
        out.update(lib.build_info())
    return out


# ---------------------------------------------------------------- softmax cross-entropy


def softmax_xent(
    z: FloatArray,
    labels: NDArray[np.integer[Any]],
    class_weight: FloatArray | None = None,
    sample_weight: NDArray[np.float64] | None = None,
    scale: float = 1.0,
    loss_out: FloatArray | None = None,
    grad_out: FloatArray | None = None,
    *,
    numpy: bool = False,
) -> float:
    r"""Softmax cross-entropy of the rows of ``z``: :math:`\sum_i s_i \ell_i` (see above).

    Parameters
    ----------
    z : ndarray of shape (N, K), float32 or float64
        Logits, K >= 1.  The C kernel needs contiguous rows (any row stride).
    labels : ndarray of shape (N,), int64
        Class indices in [0, K); contiguous (the C kernel reads them as they are).
    class_weight : ndarray of shape (K,) in the dtype of ``z``, optional
    sample_weight : ndarray of shape (N,), float64, optional
        Row weights; each row's :math:`s_i` is ``sample_weight[i] * scale``.
    scale : float
        Multiplies every sample weight (``1 / N`` gives the mean).
    loss_out : ndarray of shape (N,) in the dtype of ``z``, optional
        Receives :math:`\ell_i` (not sample-weighted).
    grad_out : ndarray of the shape and dtype of ``z``, optional
        Receives :math:`s_i\, \partial \ell_i / \partial z_i`; may be ``z`` itself.
    numpy : bool
        Run the NumPy twin even where the C kernel could.

    Returns
    -------
    float
        The sample-weighted sum, in float64.

    Raises
    ------
    KernelInputError
        From the C kernel only, for data it does not take (``grad_out`` may then
        hold a partial result).
    """
    lib = None if numpy or _exact_only else (_load() if _lib is _UNLOADED else _lib)
    if lib is not None and z.strides[1] == z.itemsize:
        nt = get_num_threads()
        try:
            return lib.softmax_xent(
                z, labels, class_weight, sample_weight, scale, loss_out, grad_out, nt
            )
        except lib.InputError as exc:
            raise KernelInputError(*exc.args) from None
    # -inf - (-inf), 0 * inf and overflows to -inf arise only where the exact limit
    # is then selected (an off class, a term of weight 0) or in data callers refuse
    with np.errstate(over="ignore", invalid="ignore"):
        return _softmax_xent_numpy(
            z, labels, class_weight, sample_weight, scale, loss_out, grad_out
        )


def _softmax_xent_numpy(
    z: FloatArray,
    labels: NDArray[np.integer[Any]],
    class_weight: FloatArray | None,
    sample_weight: NDArray[np.float64] | None,
    scale: float,
    loss_out: FloatArray | None,
    grad_out: FloatArray | None,
) -> float:
    """The NumPy twin of the C kernel ``softmax_xent`` (the formulas of the module notes)."""
    n = z.shape[0]
    if n == 0:
        return 0.0
    rows = np.arange(n)
    top = np.argmax(z, axis=1)
    m = z[rows, top]  # the row maximum (a gather: faster than a second sweep)
    gap = (m - z[rows, labels]).astype(np.float64)  # m - z_y >= 0, rounded as in C
    e = np.subtract(z, m[:, None], out=grad_out)
    np.exp(e, out=e)
    # e^(z - m) is exactly 1 at the maximum; summing the others keeps a tiny r
    # (log(fl(1 + r)) would round r ~ 1e-17 away)
    e[rows, top] = 0
    rest = np.sum(e, axis=1).astype(np.float64)
    e[rows, top] = 1
    w = np.ones(n) if class_weight is None else class_weight[labels].astype(np.float64)
    loss = np.where(w == 0, 0.0, w * (gap + np.log1p(rest)))
    s = np.full(n, scale) if sample_weight is None else sample_weight * scale
    if loss_out is not None:
        loss_out[...] = loss
    total = float(np.sum(np.where(s != 0, s * loss, 0.0)))
    if grad_out is None:
        return total
    ws, inv = w * s, 1.0 / (1.0 + rest)
    e_y = e[rows, labels].astype(np.float64)
    e *= (ws * inv).astype(e.dtype)[:, None]
    e[rows, labels] = np.where(gap == 0, -(ws * (rest * inv)), ws * (e_y * inv - 1.0))
    return total


# ---------------------------------------------------------------- binary cross-entropy


def binary_xent(
    z: FloatArray,
    y: NDArray[Any],
    pos_weight: FloatArray | None,
    loss_out: FloatArray,
    grad_out: FloatArray | None = None,
    *,
    numpy: bool = False,
) -> None:
    r"""Binary cross-entropy from logits, elementwise (see the module notes).

    Parameters
    ----------
    z : ndarray, float32 or float64
        Logits.  The C kernel needs a C-contiguous array of at least one dimension.
    y : ndarray
        Targets in [0, 1].  Where the C kernel runs (``z`` C-contiguous), one per
        logit, C-contiguous, of dtype float32, float64, bool, int8, uint8, int32 or
        int64; the NumPy twin broadcasts them.
    pos_weight : ndarray in the dtype of ``z``, optional
        Weight of the positive term.  The C kernel reads P values repeating along
        the flat array (one, or one per position along the last axis); the NumPy
        twin broadcasts them.
    loss_out, grad_out : ndarray of the shape and dtype of ``z``
        Receive the losses and, if given, the gradient (either may be ``z``).
    numpy : bool
        Run the NumPy twin even where the C kernel could.

    Raises
    ------
    KernelInputError
        From the C kernel only, for a NaN logit or a target outside [0, 1].
    """
    lib = None if numpy or _exact_only else (_load() if _lib is _UNLOADED else _lib)
    if lib is not None and z.ndim > 0 and z.flags.c_contiguous:
        try:
            lib.binary_xent(z, y, pos_weight, loss_out, grad_out, get_num_threads())
        except lib.InputError as exc:
            raise KernelInputError(*exc.args) from None
        return
    # a term of weight 0 is absent (0, not 0 * inf); a weighted term may overflow to inf
    with np.errstate(over="ignore", invalid="ignore"):
        _binary_xent_numpy(z, y, pos_weight, loss_out, grad_out)


def _binary_xent_numpy(
    z: FloatArray,
    y: NDArray[Any],
    pos_weight: FloatArray | None,
    loss_out: FloatArray,
    grad_out: FloatArray | None,
) -> None:
    """The NumPy twin of the C kernel ``binary_xent`` (the formulas of the module notes)."""
    if z.ndim == 0:  # ufuncs give scalars for 0-d arrays: compute on one-element views
        pw = None if pos_weight is None else np.reshape(pos_weight, 1)
        grad = None if grad_out is None else grad_out.reshape(1)
        _binary_xent_numpy(z.reshape(1), np.reshape(y, 1), pw, loss_out.reshape(1), grad)
        return
    t = y.astype(z.dtype, copy=False)
    wy = t if pos_weight is None else pos_weight * t
    a = np.abs(z)
    np.negative(a, out=a)
    np.exp(a, out=a)  # e^-|z|
    tail = np.log1p(a)
    sp_pos = np.maximum(z, 0)
    sp_pos += tail  # softplus(z)
    sp_neg = np.minimum(z, 0)
    np.subtract(tail, sp_neg, out=sp_neg)  # softplus(-z)
    u = 1 - t
    if np.isfinite(z).all():  # every softplus is finite: a term of weight 0 is 0 already
        np.multiply(wy, sp_neg, out=loss_out)
        loss_out += u * sp_pos
    else:
        loss_out[...] = np.where(wy > 0, wy * sp_neg, 0) + np.where(t < 1, u * sp_pos, 0)
    if grad_out is None:
        return
    d = 1 + a
    big = 1 / d
    small = np.divide(a, d, out=d)
    positive = z >= 0
    s_pos = np.where(positive, big, small)  # sigma(z)
    s_neg = np.where(positive, small, big)  # sigma(-z)
    np.multiply(u, s_pos, out=s_pos)
    np.multiply(wy, s_neg, out=s_neg)
    np.subtract(s_pos, s_neg, out=grad_out)
