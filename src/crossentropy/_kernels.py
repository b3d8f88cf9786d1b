r"""Fused, multi-threaded cross-entropy kernels, and the thread count they use.

The losses in :mod:`crossentropy.losses` call these kernels automatically; nothing
here changes their results, only their speed and memory.  For integer labels,
:func:`~crossentropy.losses.categorical_cross_entropy_with_logits` (without label
smoothing; class weights allowed) computes each row's maximum, the sum of the other
exponentials, the loss and, if asked, the gradient in one sweep over the logits per
row block, using all cores, with no temporary array of the logits' size;
:func:`~crossentropy.losses.binary_cross_entropy_with_logits` does the same
elementwise.  The formulas are those of the exact NumPy code (log1p of the sum of
all but one maximal exponential, the ``-rest / (1 + rest)`` form of the true class's
gradient, exact limits for ``-inf`` logits), and the exponential and log1p are
accurate to about 1 ulp, so results agree with the NumPy code to a few ulps.

Where the kernels do not apply (label smoothing, probability targets, a class axis
that is not the last or not contiguous, targets or weights that need broadcasting,
other dtypes) or are not available, the exact NumPy code runs.  The
kernels live in the C extension ``crossentropy._ckernels``, built at install time when
a C compiler is present (OpenMP threads where the compiler has them).  Setting the
environment variable ``CROSSENTROPY_DISABLE_KERNELS=1`` before the first call keeps
everything on the NumPy code.  Invalid input (NaN, ``+inf``, a row of ``-inf``, a
label outside ``[0, K)``, a target outside ``[0, 1]``) is detected by the kernels and
then handed to the NumPy code, which raises its usual, precise error.

Threads
-------
By default the kernels use every CPU this process may run on, or the number in
``CROSSENTROPY_NUM_THREADS`` (else ``OMP_NUM_THREADS``) when set;
:func:`set_num_threads` and :func:`threads` change it.  Small inputs use fewer
threads (at least 32768 elements each).  Results do not depend on the thread count.
A process forked after the kernels ran threads uses one thread (GNU OpenMP cannot
restart its threads after ``fork``).

>>> import crossentropy as xe
>>> with xe.threads(1):
...     xe.get_num_threads()
1

Training loops
--------------
:func:`softmax_xent` is the checked entry point to the fused kernel for training
loops (the models' objective, which has checked its inputs once per fit, calls the
extension's ``softmax_xent`` directly): it takes a 2-D logits array and int64
labels, returns the (sample-weighted) sum of the losses as a float, and can write
the gradient with respect to the logits into ``grad_out`` -- the logits array itself
is allowed, so that a mini-batch step allocates nothing::

    total = softmax_xent(logits, labels, grad_out=logits, sample_weight=1 / len(labels))
    # logits now holds d(mean loss)/d(logits)

A call on a 128 x 10 float32 batch takes about 3-5 microseconds (PyTorch's forward
and backward about 30), so it suits mini-batch loops.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_float_array

__all__ = ["get_num_threads", "set_num_threads", "softmax_xent", "threads"]

_DISABLE_ENV = "CROSSENTROPY_DISABLE_KERNELS"
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
# Target dtypes the binary kernel reads directly (others go to the NumPy code).
_TARGET_DTYPES = frozenset(
    np.dtype(t) for t in (np.float32, np.float64, np.bool_, np.int8, np.uint8, np.int32, np.int64)
)

_UNLOADED: Any = object()
_lib: Any = _UNLOADED  # the extension module, None when absent or disabled
_exact_only = False  # private switch (tests): route everything to the NumPy code
_num_threads: int | None = None  # None: the default, resolved on first use


# ---------------------------------------------------------------- threads


def _default_num_threads() -> int:
    value = os.environ.get("CROSSENTROPY_NUM_THREADS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"CROSSENTROPY_NUM_THREADS must be a positive integer; got {value!r}")
        return int(value)
    omp = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if omp.isdigit() and int(omp) > 0:
        return int(omp)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_count(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"`n` must be a positive integer number of threads; got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"`n` must be a positive integer number of threads; got {n}")
    return int(n)


def get_num_threads() -> int:
    """Number of threads the loss kernels use.

    Returns
    -------
    int
        The value set by :func:`set_num_threads`, else ``CROSSENTROPY_NUM_THREADS``
        or ``OMP_NUM_THREADS`` from the environment, else the number of CPUs this
        process may run on.

    Examples
    --------
    >>> import crossentropy as xe
    >>> xe.get_num_threads() >= 1
    True
    """
    global _num_threads
    if _num_threads is None:
        _num_threads = _default_num_threads()
    return _num_threads


def set_num_threads(n: int | None) -> None:
    """Set the number of threads the loss kernels use, for the whole process.

    Parameters
    ----------
    n : int or None
        A positive number of threads, or None for the default (see
        :func:`get_num_threads`).  Inputs too small to share out use fewer.

    Examples
    --------
    >>> import crossentropy as xe
    >>> xe.set_num_threads(1); xe.get_num_threads()
    1
    >>> xe.set_num_threads(None)
    """
    global _num_threads
    _num_threads = None if n is None else _check_count(n)


@contextlib.contextmanager
def threads(n: int) -> Iterator[None]:
    """Use ``n`` threads in the loss kernels inside a ``with`` block.

    The setting is process-wide (like :func:`set_num_threads`) and the previous one
    comes back when the block ends, even on an exception.

    Parameters
    ----------
    n : int
        A positive number of threads.

    Examples
    --------
    >>> import crossentropy as xe
    >>> with xe.threads(1):
    ...     print(xe.get_num_threads())
    1
    """
    global _num_threads
    count = _check_count(n)
    previous = _num_threads
    _num_threads = count
    try:
        yield
    finally:
        _num_threads = previous


# ---------------------------------------------------------------- loading


def _library() -> Any:
    """The extension module, or None (absent, disabled, or the private switch is on)."""
    global _lib
    if _lib is _UNLOADED:
        if os.environ.get(_DISABLE_ENV, "").strip() not in ("", "0"):
            _lib = None
        else:
            try:
                from . import _ckernels as lib
            except ImportError:
                lib = None
            _lib = lib
    return None if _exact_only else _lib


@contextlib.contextmanager
def _numpy_only() -> Iterator[None]:
    """Route the losses to their exact NumPy code inside the block (for tests)."""
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


# ---------------------------------------------------------------- dispatch from the losses


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
    """``y_true`` as an array, or None when it is not one (the exact code says why)."""
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
    """The result of ``categorical_cross_entropy_with_logits`` from the kernel, or
    None when the kernel does not apply or the input is invalid (the caller then runs
    the exact code, which raises the precise error).

    ``z`` are the logits as the loss converted them (float32 or float64), ``ax`` their
    class axis (non-negative) and ``label_smoothing`` the checked value."""
    lib = _library()
    if lib is None or label_smoothing != 0 or ax != z.ndim - 1 or z.shape[-1] == 0:
        return None
    y = _targets(y_true)
    if y is None or y.dtype.kind not in "iu" or y.shape != z.shape[:-1]:
        return None
    z2 = _rows(z)
    if z2 is None:
        return None
    k = z.shape[-1]
    w = None
    if class_weight is not None:
        w = _valid_weights(class_weight, z.dtype)
        if w is None or w.shape != (k,):
            return None
    labels = np.ascontiguousarray(y.reshape(-1), dtype=np.int64)
    loss = np.empty(z2.shape[0], dtype=z.dtype)
    grad = np.empty(z2.shape, dtype=z.dtype) if return_grad else None
    try:
        lib.softmax_xent(z2, labels, w, None, 1.0, loss, grad, get_num_threads())
    except lib.InputError:
        return None
    out = loss.reshape(z.shape[:-1])
    value = out[()] if out.ndim == 0 else out
    return (value, grad.reshape(z.shape)) if grad is not None else value


def binary_with_logits(
    y_true: ArrayLike,
    z: NDArray[np.floating[Any]],
    pos_weight: ArrayLike | None,
    return_grad: bool,
) -> Any:
    """The result of ``binary_cross_entropy_with_logits`` from the kernel, or None
    (see :func:`categorical_with_logits`; ``z`` as the loss converted it)."""
    lib = _library()
    if lib is None or z.ndim == 0 or not z.flags.c_contiguous:
        return None
    y = _targets(y_true)
    if y is None or y.shape != z.shape or y.dtype not in _TARGET_DTYPES or not y.flags.c_contiguous:
        return None
    pw = None
    if pos_weight is not None:
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
        pw = pw.reshape(-1)
    loss = np.empty(z.shape, dtype=z.dtype)
    grad = np.empty(z.shape, dtype=z.dtype) if return_grad else None
    try:
        lib.binary_xent(z, y, pw, loss, grad, get_num_threads())
    except lib.InputError:
        return None
    return (loss, grad) if grad is not None else loss


# ---------------------------------------------------------------- training loops


def _same_view(a: NDArray[Any], b: NDArray[Any]) -> bool:
    return bool(
        a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
        and a.strides == b.strides
    )


def softmax_xent(
    logits: NDArray[np.floating[Any]],
    labels: NDArray[np.integer[Any]],
    *,
    grad_out: NDArray[np.floating[Any]] | None = None,
    sample_weight: float | NDArray[np.floating[Any]] | None = None,
    class_weight: NDArray[np.floating[Any]] | None = None,
    loss_out: NDArray[np.floating[Any]] | None = None,
) -> float:
    r"""Softmax cross-entropy of a batch of logits, for training loops.

    With :math:`s_i` the sample weight of row :math:`i` and :math:`\ell_i` its loss
    (that of :func:`~crossentropy.losses.categorical_cross_entropy_with_logits`,
    with class weights if given):

    .. math:: L = \sum_i s_i \ell_i, \qquad
              \text{grad\_out}_i = s_i \, \partial \ell_i / \partial z_i .

    Parameters
    ----------
    logits : ndarray, shape (N, K), float32 or float64
        Rows must be contiguous (any row stride).
    labels : ndarray, shape (N,), integer
        Class indices in [0, K).
    grad_out : ndarray, optional
        Receives the weighted gradient: the shape and dtype of ``logits`` with
        contiguous rows; it may be ``logits`` itself (the logits are then replaced).
    sample_weight : float or ndarray of shape (N,), optional
        Non-negative weight per row, or one for all (``1 / N`` gives the mean).
    class_weight : ndarray of shape (K,), optional
        Non-negative weight per class.
    loss_out : ndarray of shape (N,), optional
        Receives the per-row losses :math:`\ell_i` (not sample-weighted), in the
        dtype of ``logits``.

    Returns
    -------
    float
        :math:`L`, summed in float64.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[2.0, 1.0, 0.1], [0.0, 40.0, 0.0]])
    >>> total = softmax_xent(z, np.array([0, 1]), grad_out=z, sample_weight=0.5)
    >>> print(f"{total:.8f}")  # the mean of 0.41703002 and 8.5e-18
    0.20851501
    >>> z[1]  # d/dz of half the loss of row 1
    array([ 2.12417713e-18, -4.24835426e-18,  2.12417713e-18])
    """
    z = logits
    if not isinstance(z, np.ndarray) or z.dtype not in _FLOATS or z.ndim != 2:
        raise TypeError(
            "`logits` must be a 2-D float32 or float64 ndarray; got "
            + (f"{z.dtype} with shape {z.shape}" if isinstance(z, np.ndarray) else type(z).__name__)
        )
    n, k = z.shape
    if not isinstance(labels, np.ndarray) or labels.dtype.kind not in "iu" or labels.shape != (n,):
        raise TypeError(f"`labels` must be an integer ndarray of shape ({n},)")
    if labels.dtype != np.int64 or not labels.flags.c_contiguous:
        labels = np.ascontiguousarray(labels, dtype=np.int64)
    scale, sw = 1.0, None
    if sample_weight is not None:
        if isinstance(sample_weight, (float, int)) or np.ndim(sample_weight) == 0:
            scale = float(sample_weight)
            if not (scale >= 0 and math.isfinite(scale)):
                raise ValueError(f"`sample_weight` must be finite and non-negative; got {scale}")
        else:
            sw = np.ascontiguousarray(sample_weight, dtype=np.float64)
            if sw.shape != (n,):
                raise ValueError(
                    f"`sample_weight` must be a number or have shape ({n},); got {sw.shape}"
                )
            if not np.all(np.isfinite(sw) & (sw >= 0)):
                raise ValueError("`sample_weight` must be finite and non-negative")
    cw = None
    if class_weight is not None:
        cw = _valid_weights(class_weight, z.dtype)
        if cw is None or cw.shape != (k,):
            raise ValueError(f"`class_weight` must be {k} finite non-negative numbers")
    for name, out, shape in (("grad_out", grad_out, (n, k)), ("loss_out", loss_out, (n,))):
        if out is None:
            continue
        if not isinstance(out, np.ndarray) or out.dtype != z.dtype or out.shape != shape:
            raise ValueError(f"`{name}` must be an ndarray of dtype {z.dtype} and shape {shape}")
        if out.strides[-1] != out.itemsize or not out.flags.writeable:
            raise ValueError(f"`{name}` must be writable with contiguous rows")
    if grad_out is not None and grad_out is not z and np.may_share_memory(grad_out, z):
        if not _same_view(grad_out, z):
            raise ValueError("`grad_out` must be `logits` itself or not overlap it")
    if k == 0:
        raise ValueError("`logits` must have at least one class (column); got 0")

    lib = _library()
    if lib is not None and z.strides[1] == z.itemsize:
        try:
            return float(
                lib.softmax_xent(z, labels, cw, sw, scale, loss_out, grad_out, get_num_threads())
            )
        except lib.InputError:
            pass  # the NumPy code below raises the precise error
    return _softmax_xent_numpy(
        z, labels, grad_out, scale if sw is None else sw * scale, cw, loss_out
    )


def _softmax_xent_numpy(
    z: NDArray[Any],
    labels: NDArray[Any],
    grad_out: NDArray[Any] | None,
    weight: float | NDArray[Any],
    class_weight: NDArray[Any] | None,
    loss_out: NDArray[Any] | None,
) -> float:
    """:func:`softmax_xent` on the exact NumPy code (no extension, or invalid input)."""
    from .losses._classification import categorical_cross_entropy_with_logits

    with _numpy_only():
        result = categorical_cross_entropy_with_logits(
            labels, z, class_weight=class_weight, return_grad=grad_out is not None
        )
    loss, grad = result if grad_out is not None else (result, None)
    s = np.broadcast_to(np.asarray(weight, dtype=np.float64), loss.shape)
    total = float(np.sum(np.where(s > 0, s * loss, 0.0)))
    if loss_out is not None:
        loss_out[...] = loss
    if grad_out is not None:
        grad_out[...] = grad * s[:, None].astype(z.dtype)
    return total
