r"""Numerically stable link functions: sigmoid, softplus, softmax and their logs.

These turn scores (logits) into probabilities without overflow or lost digits:
``softplus`` and ``log_sigmoid`` use :math:`\max(z, 0) + \operatorname{log1p}(e^{-|z|})`,
``softmax``, ``log_softmax`` and ``logsumexp`` subtract the row maximum :math:`m`
first, and the logs are :math:`\operatorname{log1p}(\sum_{c \ne \arg\max} e^{z_c - m})`
so that a dominant class keeps its tiny log-probability.  Logits may be
:math:`-\infty` (a class that is switched off); NaN is an error.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    as_float_array,
    check_no_nan,
    describe_index,
    first_index,
    normalize_axis,
)

__all__ = ["log_sigmoid", "log_softmax", "logsumexp", "sigmoid", "softmax", "softplus"]

FloatArray = NDArray[np.floating[Any]]


def _scores(z: ArrayLike, name: str = "z") -> FloatArray:
    arr = as_float_array(z, name)
    check_no_nan(arr, name)
    return arr


def _unwrap(out: FloatArray) -> Any:
    return out[()] if out.ndim == 0 else out


def softplus_of(z: FloatArray) -> FloatArray:
    """``log(1 + exp(z))`` for a validated float array (no checks)."""
    with np.errstate(over="ignore"):
        return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def sigmoid_of(z: FloatArray) -> FloatArray:
    """``1 / (1 + exp(-z))`` for a validated float array (no checks)."""
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(z))
        # For z < 0 the form e / (1 + e) keeps the relative precision of tiny values.
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softplus(z: ArrayLike) -> Any:
    r"""Softplus :math:`\log(1 + e^{z})`, exact for any finite or infinite ``z``.

    Examples
    --------
    >>> import crossentropy as xe
    >>> xe.softplus([-1000.0, 0.0, 1000.0])
    array([0.00000000e+00, 6.93147181e-01, 1.00000000e+03])
    """
    return _unwrap(softplus_of(_scores(z)))


def sigmoid(z: ArrayLike) -> Any:
    r"""Logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    Examples
    --------
    >>> import crossentropy as xe
    >>> xe.sigmoid([0.0, -40.0])
    array([5.00000000e-01, 4.24835426e-18])
    """
    return _unwrap(sigmoid_of(_scores(z)))


def log_sigmoid(z: ArrayLike) -> Any:
    r""":math:`\log \sigma(z) = -\operatorname{softplus}(-z)`, without underflow.

    Examples
    --------
    >>> import crossentropy as xe
    >>> float(xe.log_sigmoid(-1000.0))
    -1000.0
    """
    return _unwrap(0.0 - softplus_of(-_scores(z)))


def row_max(arr: FloatArray, axis: int, name: str = "z") -> FloatArray:
    """The maximum along ``axis`` (keepdims), which must be finite in every row.

    A row must have at least one finite entry and none ``+inf``.
    """
    if arr.shape[axis] == 0:
        raise ValueError(f"`{name}` must have at least one class along axis {axis}; got 0")
    m = np.max(arr, axis=axis, keepdims=True)
    bad = ~np.isfinite(m)
    if bad.any():
        row = np.squeeze(bad, axis=axis)
        where = f" for the row {describe_index(row)}" if row.ndim else ""
        top = float(m[first_index(bad)])
        if top > 0:
            need, got = " (entries may be -inf, not +inf)", "inf"
        else:
            need, got = ", so at least one finite entry", "-inf (all -inf)"
        raise ValueError(
            f"`{name}` must have a finite maximum in every row{need}; got a maximum of {got}{where}"
        )
    return m


def shifted_rows(arr: FloatArray, axis: int, name: str = "z") -> tuple[FloatArray, FloatArray]:
    """Return ``(z - max, max)`` along ``axis`` (a new array and the keepdims maximum).

    A row must have a finite maximum: at least one finite entry, none ``+inf``.
    """
    m = row_max(arr, axis, name)
    return arr - m, m


def exp_rest(shifted: FloatArray, axis: int) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
    r"""The parts of :math:`\log \sum_c e^{z_c} = m + \operatorname{log1p}(\text{rest})`
    for rows ``shifted = z - m`` from :func:`shifted_rows`.

    Returns ``(e, rest, amax)``: ``e = exp(shifted)`` with one maximal entry (index
    ``amax``, keepdims) set to 0, and ``rest``, the sum of ``e`` along ``axis``
    (keepdims).  Leaving out the maximal term (exactly 1) is what lets ``log1p`` keep
    a row dominated by one class: ``log(1 + 4e-18)`` is 4e-18, where
    ``log(fl(1 + 4e-18))`` would round to 0.
    """
    amax = np.argmax(shifted, axis=axis, keepdims=True)
    e = np.exp(shifted)
    np.put_along_axis(e, amax, 0, axis=axis)
    return e, np.sum(e, axis=axis, keepdims=True), amax


def logsumexp(z: ArrayLike, *, axis: int = -1) -> Any:
    r""":math:`\log \sum_c e^{z_c}` along ``axis``, without overflow.

    Examples
    --------
    >>> import crossentropy as xe
    >>> float(xe.logsumexp([1000.0, 1000.0]))  # 1000 + ln 2
    1000.6931471805599
    >>> float(xe.logsumexp([0.0, -40.0]))  # log(1 + e^-40), not rounded to 0
    4.248354255291589e-18
    """
    arr = _scores(z)
    ax = normalize_axis(axis, arr.ndim, "z")
    shifted, m = shifted_rows(arr, ax)
    _, rest, _ = exp_rest(shifted, ax)
    return _unwrap(np.squeeze(m + np.log1p(rest), axis=ax))


def log_softmax(z: ArrayLike, *, axis: int = -1) -> Any:
    r"""Log-probabilities :math:`z_c - \log \sum_k e^{z_k}` along ``axis``.

    Examples
    --------
    >>> import crossentropy as xe
    >>> xe.log_softmax([0.0, 0.0])
    array([-0.69314718, -0.69314718])
    >>> xe.log_softmax([40.0, 0.0])  # log p of the likely class is -4.2e-18, not 0
    array([-4.24835426e-18, -4.00000000e+01])
    """
    arr = _scores(z)
    ax = normalize_axis(axis, arr.ndim, "z")
    shifted, _ = shifted_rows(arr, ax)
    _, rest, _ = exp_rest(shifted, ax)
    return shifted - np.log1p(rest)


def softmax(z: ArrayLike, *, axis: int = -1) -> Any:
    r"""Probabilities :math:`e^{z_c} / \sum_k e^{z_k}` along ``axis``.

    Examples
    --------
    The check from MISSION.md: ``softmax(x W + b)`` for ``x = (1, 2)``,
    ``W = [[1, 2, 3], [4, 5, 6]]`` and ``b = (1, 2, 3)``.

    >>> import numpy as np
    >>> import crossentropy as xe
    >>> x, W, b = np.array([1.0, 2.0]), np.array([[1, 2, 3], [4, 5, 6]]), np.array([1, 2, 3])
    >>> xe.softmax(x @ W + b)
    array([3.29320439e-04, 1.79802867e-02, 9.81690393e-01])
    """
    arr = _scores(z)
    ax = normalize_axis(axis, arr.ndim, "z")
    shifted, _ = shifted_rows(arr, ax)
    e = np.exp(shifted)
    return e / np.sum(e, axis=ax, keepdims=True)
