"""When a loss may hand its raw input straight to the C kernels (the fast path).

For integer labels without label smoothing (class weights allowed),
:func:`~crossentropy.losses.categorical_cross_entropy_with_logits` gives its logits
and labels to :func:`crossentropy._kernels.softmax_xent` before any check: the
kernel reads each row once and detects bad data itself (NaN, ``+inf``, a row of
``-inf``, a label outside ``[0, K)``).  :func:`binary_with_logits` does the same for
:func:`~crossentropy.losses.binary_cross_entropy_with_logits`.  These functions
return None when the kernels are not running, when the input has a layout they do
not read (label smoothing, probability targets, a class axis that is not the last
or not contiguous, targets or weights that need broadcasting, other dtypes), or
when the kernel refuses the data; the loss then checks its input in full, raising
its precise error, and computes with the NumPy twin of the same kernel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _kernels
from .._validation import as_float_array

__all__ = ["binary_with_logits", "categorical_with_logits"]

# Target dtypes the binary kernel reads directly (others go to the NumPy twin).
_TARGET_DTYPES = frozenset(
    np.dtype(t) for t in (np.float32, np.float64, np.bool_, np.int8, np.uint8, np.int32, np.int64)
)


def _rows(z: NDArray[Any]) -> NDArray[Any] | None:
    """``z`` as a 2-D (rows, classes) view with contiguous rows, or None."""
    if z.ndim == 2:
        return z if z.strides[1] == z.itemsize else None
    if z.ndim == 1:
        return z.reshape(1, -1) if z.strides[0] == z.itemsize else None
    return z.reshape(-1, z.shape[-1]) if z.flags.c_contiguous else None


def _valid_weights(w: ArrayLike, dtype: np.dtype[Any]) -> NDArray[Any] | None:
    """Finite non-negative weights as a contiguous array of ``dtype``, or None."""
    try:
        arr = as_float_array(w, "weights")
    except TypeError:
        return None
    if not np.all(np.isfinite(arr) & (arr >= 0)):
        return None
    return np.ascontiguousarray(arr, dtype=dtype)


def _targets(y_true: ArrayLike) -> NDArray[Any] | None:
    """``y_true`` as an array, or None when it is not one (the full checks say why)."""
    try:
        return np.asarray(y_true)
    except (TypeError, ValueError):
        return None


def categorical_with_logits(
    y_true: ArrayLike,
    z: NDArray[np.floating[Any]],
    ax: int,
    label_smoothing: float,
    class_weight: ArrayLike | None,
    return_grad: bool,
) -> Any:
    """The result of ``categorical_cross_entropy_with_logits`` from the C kernel, or
    None (see the module notes).

    ``z`` are the logits as the loss converted them (float32 or float64), ``ax`` their
    class axis (non-negative) and ``label_smoothing`` the checked value."""
    if not _kernels.c_available() or label_smoothing != 0 or ax != z.ndim - 1:
        return None
    y = _targets(y_true)
    if y is None or y.dtype.kind not in "iu" or y.shape != z.shape[:-1] or z.shape[-1] == 0:
        return None
    z2 = _rows(z)
    if z2 is None:
        return None
    w = None
    if class_weight is not None:
        w = _valid_weights(class_weight, z.dtype)
        if w is None or w.shape != (z.shape[-1],):
            return None
    labels = np.ascontiguousarray(y.reshape(-1), dtype=np.int64)
    loss = np.empty(z2.shape[0], dtype=z.dtype)
    grad = np.empty(z2.shape, dtype=z.dtype) if return_grad else None
    try:
        _kernels.softmax_xent(z2, labels, w, None, 1.0, loss, grad)
    except _kernels.KernelInputError:
        return None
    out = loss.reshape(z.shape[:-1])
    value = out[()] if out.ndim == 0 else out
    return (value, grad.reshape(z.shape)) if grad is not None else value


def _flat_pos_weight(pos_weight: ArrayLike, z: NDArray[Any]) -> NDArray[Any] | None:
    """``pos_weight`` as the flat repeating vector the binary kernel reads, or None."""
    pw = _valid_weights(pos_weight, z.dtype)
    if pw is None:
        return None
    try:
        if np.broadcast_shapes(pw.shape, z.shape) != z.shape:
            return None
    except ValueError:
        return None
    # one weight, or one per position along the last axis, repeating
    if pw.size != 1 and not (pw.shape[-1] == z.shape[-1] == pw.size):
        return None
    return pw.reshape(-1)


def binary_with_logits(
    y_true: ArrayLike,
    z: NDArray[np.floating[Any]],
    pos_weight: ArrayLike | None,
    return_grad: bool,
) -> Any:
    """The result of ``binary_cross_entropy_with_logits`` from the C kernel, or None
    (see the module notes; ``z`` as the loss converted it)."""
    if not _kernels.c_available() or z.ndim == 0 or not z.flags.c_contiguous:
        return None
    y = _targets(y_true)
    if y is None or y.shape != z.shape or y.dtype not in _TARGET_DTYPES or not y.flags.c_contiguous:
        return None
    pw = None
    if pos_weight is not None:
        pw = _flat_pos_weight(pos_weight, z)
        if pw is None:
            return None
    loss = np.empty(z.shape, dtype=z.dtype)
    grad = np.empty(z.shape, dtype=z.dtype) if return_grad else None
    try:
        _kernels.binary_xent(z, y, pw, loss, grad)
    except _kernels.KernelInputError:
        return None
    return (loss, grad) if grad is not None else loss
