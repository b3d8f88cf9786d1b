r"""Classification losses: negative log-likelihoods of Bernoulli and categorical models.

For one example with true distribution :math:`y` (one-hot for a hard label) and
predicted distribution :math:`\hat y`, the loss is the cross-entropy

.. math:: \ell = -\sum_c y_c \log \hat y_c ,

which for a hard label is :math:`-\log \hat y_{\text{true class}}`; for two classes
it is :math:`-[y \log \hat y + (1 - y) \log(1 - \hat y)]`.  Every function returns
one loss per example, in nats; the caller reduces (usually with the mean).

The ``_with_logits`` forms take scores :math:`z` with :math:`\hat y = \sigma(z)` or
:math:`\operatorname{softmax}(z)` and are exact for any logits: the loss is split
into non-negative parts, :math:`(m - z_y) + \operatorname{log1p}(\sum_{c \ne
\arg\max} e^{z_c - m})` with :math:`m = \max_c z_c`, so a confident correct
prediction keeps its tiny loss (4.2e-18 at a margin of 40) instead of rounding to
0, and logits of :math:`\pm 10^{300}` neither overflow nor give NaN.  With
``return_grad=True`` they also return :math:`\partial \ell_i / \partial z_i`,
evaluated in the same cancellation-free way.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _kernels
from .._validation import (
    as_array,
    as_float_array,
    as_label_array,
    at_index,
    check_bool,
    check_no_nan,
    check_nonnegative,
    check_number,
    check_rows_sum_to_one,
    check_unit_interval,
    first_index,
    normalize_axis,
    sum_tolerance,
)
from ..activations import exp_rest, row_max, shifted_rows
from . import _dispatch

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "categorical_cross_entropy",
    "categorical_cross_entropy_with_logits",
]

FloatArray = NDArray[np.floating[Any]]
# One loss per example; a single example gives a NumPy scalar.
Losses = FloatArray | np.floating[Any]


def _unwrap(out: FloatArray) -> Any:
    return out[()] if out.ndim == 0 else out


def _check_broadcasts_to(arr: NDArray[Any], name: str, shape: tuple[int, ...], of: str) -> None:
    """Raise unless ``arr`` broadcasts to ``shape`` (that of ``of``) without enlarging it."""
    try:
        fits = np.broadcast_shapes(arr.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"`{name}` must broadcast to the shape {shape} of `{of}`; got shape {arr.shape}"
        )


def _targets_like(
    y: ArrayLike, name: str, dtype: np.dtype[Any], shape: tuple[int, ...], of: str
) -> FloatArray:
    """Validate binary targets in [0, 1] that broadcast to ``shape``; cast to ``dtype``."""
    arr = as_float_array(y, name)
    check_unit_interval(arr, name)
    _check_broadcasts_to(arr, name, shape, of)
    return arr.astype(dtype, copy=False)


def _probabilities_hint(p: FloatArray, link: str, with_logits: str) -> str:
    """What a ``p`` outside [0, 1] most likely is: labels in the wrong place, or logits."""
    if not np.all(np.isfinite(p)) or np.all((p >= 0) & (p <= 1)):
        return ""
    if np.all(p == np.round(p)) and np.any(p > 1):
        return (
            "; `p` holds whole numbers, like class labels: the order is (y_true, p), so "
            "the arguments may be swapped"
        )
    return (
        f"; values outside [0, 1] look like logits (scores before the {link}): use "
        f"{with_logits}, which applies the {link} itself"
    )


def _check_probabilities(
    p: FloatArray, check: Callable[[], None], link: str, with_logits: str
) -> None:
    """Run ``check`` of ``p``; its error says what the numbers look like instead."""
    try:
        check()
    except ValueError as exc:
        hint = _probabilities_hint(p, link, with_logits)
        if not hint:
            raise
        raise type(exc)(f"{exc}{hint}") from None


def binary_cross_entropy(y_true: ArrayLike, p: ArrayLike) -> Any:
    r"""Binary cross-entropy from predicted probabilities, elementwise.

    .. math:: \ell = -[\,y \log p + (1 - y) \log(1 - p)\,]

    The negative log-likelihood of a Bernoulli outcome ``y`` under ``p``.  Terms with
    weight 0 vanish (:math:`0 \log 0 = 0`), so ``y = 1, p = 1`` costs exactly 0 and
    ``y = 1, p = 0`` costs :math:`+\infty`: no clipping.  Prefer
    :func:`binary_cross_entropy_with_logits` when the scores are available, since
    probabilities near 1 have already lost digits.

    Parameters
    ----------
    y_true : array_like
        Targets in [0, 1] (hard 0/1 labels or soft probabilities); broadcast to ``p``.
    p : array_like
        Predicted probabilities of the positive class, in [0, 1].

    Returns
    -------
    ndarray or scalar
        Loss per element in nats, the shape and float dtype of ``p``.

    Examples
    --------
    >>> import crossentropy.losses as L
    >>> L.binary_cross_entropy([1, 0, 1], [0.9, 0.2, 0.0])
    array([0.10536052, 0.22314355,        inf])
    """
    p_arr = as_float_array(p, "p")
    _check_probabilities(
        p_arr,
        lambda: check_unit_interval(p_arr, "p"),
        "sigmoid",
        "binary_cross_entropy_with_logits",
    )
    y = _targets_like(y_true, "y_true", p_arr.dtype, p_arr.shape, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(y > 0, y * np.log(p_arr), 0)
        neg = np.where(y < 1, (1 - y) * np.log1p(-p_arr), 0)
    return _unwrap((0.0 - (pos + neg)).astype(p_arr.dtype, copy=False))


@overload
def binary_cross_entropy_with_logits(
    y_true: ArrayLike,
    logits: ArrayLike,
    *,
    pos_weight: ArrayLike | None = None,
    return_grad: Literal[False] = False,
) -> Losses: ...


@overload
def binary_cross_entropy_with_logits(
    y_true: ArrayLike,
    logits: ArrayLike,
    *,
    pos_weight: ArrayLike | None = None,
    return_grad: Literal[True],
) -> tuple[Losses, Losses]: ...


def binary_cross_entropy_with_logits(
    y_true: ArrayLike,
    logits: ArrayLike,
    *,
    pos_weight: ArrayLike | None = None,
    return_grad: bool = False,
) -> Losses | tuple[Losses, Losses]:
    r"""Binary cross-entropy from logits, elementwise, exact for any logit.

    .. math::
        \ell = w_+ \, y \operatorname{softplus}(-z) + (1 - y) \operatorname{softplus}(z),
        \qquad \frac{\partial \ell}{\partial z} = (1 - y)\,\sigma(z) - w_+ \, y\, \sigma(-z)

    with :math:`\operatorname{softplus}(z) = \log(1 + e^z)` and :math:`w_+` the
    ``pos_weight`` (1 by default).  Both terms are non-negative and computed with
    ``log1p``, so nothing cancels: ``y = 1, z = 40`` gives 4.2e-18, not 0.  Logits
    may be :math:`\pm\infty` (the limits are exact: ``y = 1, z = +inf`` costs 0).

    Parameters
    ----------
    y_true : array_like
        Targets in [0, 1]; broadcast to the shape of ``logits``.
    logits : array_like
        Scores :math:`z`, with :math:`P(y = 1) = \sigma(z)`.  NaN is an error.
    pos_weight : array_like, optional
        Non-negative weight of the positive term, broadcast to ``logits`` (for
        example one per label in multi-label problems).
    return_grad : bool, default False
        Also return the gradient :math:`\partial \ell_i / \partial z_i`.

    Returns
    -------
    loss : ndarray or scalar
        Loss per element in nats, the shape and float dtype of ``logits``.
    grad : ndarray or scalar
        Only with ``return_grad=True``: the gradient, same shape as ``logits``.

    Examples
    --------
    >>> import crossentropy.losses as L
    >>> L.binary_cross_entropy_with_logits([1, 0], [40.0, 0.0])
    array([4.24835426e-18, 6.93147181e-01])
    >>> loss, grad = L.binary_cross_entropy_with_logits([1.0], [0.0], return_grad=True)
    >>> grad  # sigma(0) - 1
    array([-0.5])
    """
    z = as_float_array(logits, "logits")
    with_grad = check_bool(return_grad, "return_grad")
    fast = _dispatch.binary_with_logits(y_true, z, pos_weight, with_grad)
    if fast is not None:
        return fast
    check_no_nan(z, "logits")
    y = _targets_like(y_true, "y_true", z.dtype, z.shape, "logits")
    w = None
    if pos_weight is not None:
        w = as_float_array(pos_weight, "pos_weight")
        check_nonnegative(w, "pos_weight")
        _check_broadcasts_to(w, "pos_weight", z.shape, "logits")
        w = w.astype(z.dtype, copy=False)
    loss = np.empty(z.shape, dtype=z.dtype)
    grad = np.empty(z.shape, dtype=z.dtype) if with_grad else None
    _kernels.binary_xent(z, y, w, loss_out=loss, grad_out=grad, numpy=True)
    if grad is None:
        return _unwrap(loss)
    return _unwrap(loss), _unwrap(grad)


def _class_targets(
    y_true: ArrayLike, pred_shape: tuple[int, ...], ax: int, dtype: np.dtype[Any]
) -> tuple[str, NDArray[Any]]:
    """Classify ``y_true`` as integer labels or probability rows and validate it.

    Returns ``("labels", int array)`` or ``("rows", float array)``.
    """
    arr = as_array(y_true, "y_true")
    label_shape = pred_shape[:ax] + pred_shape[ax + 1 :]
    k = pred_shape[ax]
    if arr.shape == pred_shape and arr.dtype.kind == "f":
        # Checked in its own dtype: float32 targets next to float64 logits may be off
        # by float32 rounding.
        rows = as_float_array(arr, "y_true")
        check_nonnegative(rows, "y_true")
        check_rows_sum_to_one(rows, "y_true", ax, can_normalize=False)
        return "rows", rows.astype(dtype, copy=False)
    if arr.shape == label_shape:
        labels = as_label_array(arr, "y_true")
        bad = (labels < 0) | (labels >= k)
        if np.any(bad):
            value = int(labels[first_index(bad)]) if labels.ndim else int(labels)
            where = at_index(bad)
            raise ValueError(
                f"`y_true` labels must be class indices in [0, {k}) for {k} classes; "
                f"got {value}{where}"
            )
        return "labels", labels
    swapped = ""
    if arr.ndim == len(pred_shape) + 1 and arr.dtype.kind == "f":
        swapped = (
            ": it has one axis more than the predictions, so the arguments may be "
            "swapped (the order is y_true, then the predictions)"
        )
    raise ValueError(
        f"`y_true` must be integer labels of shape {label_shape} or probability rows of "
        f"shape {pred_shape} (float); got shape {arr.shape} with dtype {arr.dtype}{swapped}"
    )


def categorical_cross_entropy(y_true: ArrayLike, p: ArrayLike, *, axis: int = -1) -> Any:
    r"""Categorical cross-entropy from predicted probabilities, one value per example.

    .. math:: \ell_i = -\sum_c y_{ic} \log p_{ic}
              \;=\; -\log p_{i, y_i} \text{ for an integer label } y_i

    Integer labels pick the true class's probability directly; no one-hot matrix is
    built.  A true class with probability 0 costs :math:`+\infty` (no clipping).

    Parameters
    ----------
    y_true : array_like
        Integer class labels (the shape of ``p`` without ``axis``) or probability
        rows (float, the shape of ``p``, each summing to 1).
    p : array_like
        Predicted probabilities, each row along ``axis`` summing to 1.
    axis : int, default -1
        The class axis.

    Returns
    -------
    ndarray or scalar
        Loss per example in nats: the shape of ``p`` without ``axis``.

    Examples
    --------
    >>> import crossentropy.losses as L
    >>> p = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
    >>> L.categorical_cross_entropy([0, 2], p)
    array([0.35667494, 0.22314355])
    >>> L.categorical_cross_entropy([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], p)
    array([0.35667494, 0.22314355])
    """
    p_arr = as_float_array(p, "p")
    ax = normalize_axis(axis, p_arr.ndim, "p")

    def check() -> None:
        check_nonnegative(p_arr, "p")
        check_unit_interval(p_arr, "p")
        check_rows_sum_to_one(p_arr, "p", ax, can_normalize=False)

    _check_probabilities(p_arr, check, "softmax", "categorical_cross_entropy_with_logits")
    kind, target = _class_targets(y_true, p_arr.shape, ax, p_arr.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "labels":
            picked = np.take_along_axis(p_arr, np.expand_dims(target, ax), axis=ax)
            loss = 0.0 - np.log(np.squeeze(picked, axis=ax))
        else:
            terms = np.where(target > 0, target * np.log(p_arr), 0)
            loss = 0.0 - np.sum(terms, axis=ax)
    return _unwrap(np.asarray(loss).astype(p_arr.dtype, copy=False))


def _check_logits(z: FloatArray) -> None:
    """NaN and +inf, each with its index (rows are checked by ``shifted_rows``)."""
    check_no_nan(z, "logits")
    pos_inf = np.isposinf(z)
    if np.any(pos_inf):
        raise ValueError(
            f"`logits` must be finite or -inf (a class switched off); got inf{at_index(pos_inf)}"
        )


def _class_weights(
    class_weight: ArrayLike | None, k: int, dtype: np.dtype[Any]
) -> FloatArray | None:
    if class_weight is None:
        return None
    w = as_float_array(class_weight, "class_weight")
    if w.shape != (k,):
        raise ValueError(
            f"`class_weight` must have shape ({k},), one weight per class; got shape {w.shape}"
        )
    check_nonnegative(w, "class_weight")
    return w.astype(dtype, copy=False)


@overload
def categorical_cross_entropy_with_logits(
    y_true: ArrayLike,
    logits: ArrayLike,
    *,
    axis: int = -1,
    label_smoothing: float = 0.0,
    class_weight: ArrayLike | None = None,
    return_grad: Literal[False] = False,
) -> Losses: ...


@overload
def categorical_cross_entropy_with_logits(
    y_true: ArrayLike,
    logits: ArrayLike,
    *,
    axis: int = -1,
    label_smoothing: float = 0.0,
    class_weight: ArrayLike | None = None,
    return_grad: Literal[True],
) -> tuple[Losses, FloatArray]: ...


def categorical_cross_entropy_with_logits(
    y_true: ArrayLike,
    logits: ArrayLike,
    *,
    axis: int = -1,
    label_smoothing: float = 0.0,
    class_weight: ArrayLike | None = None,
    return_grad: bool = False,
) -> Losses | tuple[Losses, FloatArray]:
    r"""Softmax cross-entropy from logits, one value per example, exact for any logits.

    With target distribution :math:`t_i` (one-hot for an integer label, smoothed to
    :math:`(1 - \varepsilon) t_i + \varepsilon / K` by ``label_smoothing``), class
    weights :math:`w` (1 by default) and :math:`p_i = \operatorname{softmax}(z_i)`:

    .. math::
        \ell_i = \sum_c w_c t_{ic} \left(\log \sum_k e^{z_{ik}} - z_{ic}\right),
        \qquad
        \frac{\partial \ell_i}{\partial z_{ij}} = \Big(\sum_c w_c t_{ic}\Big) p_{ij} - w_j t_{ij}.

    For a hard label without weights this is :math:`\log \sum_k e^{z_{ik}} -
    z_{i y_i}` and the gradient is :math:`p_i - e_{y_i}`.  The log-sum-exp is
    written as :math:`m + \operatorname{log1p}(\sum_{c \ne \arg\max} e^{z_c - m})`,
    so every part is non-negative and nothing cancels (see the module notes).
    Logits of :math:`-\infty` switch a class off: with zero target weight it costs
    nothing, with positive target weight the loss is :math:`+\infty`.

    Parameters
    ----------
    y_true : array_like
        Integer class labels in [0, K) with the shape of ``logits`` without ``axis``
        (never expanded to a one-hot matrix), or float probability rows with the
        shape of ``logits``.
    logits : array_like
        Scores; finite or -inf, at least one finite entry per row.
    axis : int, default -1
        The class axis.
    label_smoothing : float, default 0.0
        :math:`\varepsilon` in [0, 1].
    class_weight : array_like, optional
        Non-negative weight per class, shape ``(K,)``.  For integer labels the loss
        of example :math:`i` is scaled by :math:`w_{y_i}`.
    return_grad : bool, default False
        Also return :math:`\partial \ell_i / \partial z_i`, the shape of ``logits``.

    Returns
    -------
    loss : ndarray or scalar
        Loss per example in nats: the shape of ``logits`` without ``axis``.
    grad : ndarray
        Only with ``return_grad=True``.

    Examples
    --------
    >>> import crossentropy.losses as L
    >>> z = [[2.0, 1.0, 0.1], [0.0, 40.0, 0.0]]
    >>> L.categorical_cross_entropy_with_logits([0, 1], z)
    array([4.17030016e-01, 8.49670851e-18])
    >>> loss, grad = L.categorical_cross_entropy_with_logits([0], [[0.0, 0.0]], return_grad=True)
    >>> grad
    array([[-0.5,  0.5]])
    """
    z = as_float_array(logits, "logits")
    ax = normalize_axis(axis, z.ndim, "logits")
    eps = check_number(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    with_grad = check_bool(return_grad, "return_grad")
    result = _dispatch.categorical_with_logits(y_true, z, ax, eps, class_weight, with_grad)
    if result is None:
        _check_logits(z)
        row_max(z, ax, "logits")  # a finite maximum in every row
        k = z.shape[ax]
        w = _class_weights(class_weight, k, z.dtype)
        kind, target = _class_targets(y_true, z.shape, ax, z.dtype)
        if kind == "labels" and eps == 0:
            result = _hard_labels(z, target, ax, w, with_grad)
        else:
            result = _soft_targets(z, kind, target, ax, eps, w, with_grad)
    _warn_if_probabilities(z, ax)
    return result


def _warn_if_probabilities(z: FloatArray, ax: int) -> None:
    """Warn when the logits are rows of probabilities (every row in [0, 1], summing to 1).

    The softmax of probabilities is not the probabilities: the loss would be silently
    wrong (0.77 instead of 0.36 for p = (0.7, 0.2, 0.1) and label 0).  Only the first
    row is read unless it looks like probabilities, so logits cost nothing extra.
    """
    k = z.shape[ax] if z.ndim else 0
    if k < 2 or z.size == 0:
        return
    first = z[tuple(slice(None) if i == ax else 0 for i in range(z.ndim))]
    if not _probability_rows(first, 0):
        return
    if _probability_rows(z, ax):
        warnings.warn(
            "`logits` look like probabilities: every row lies in [0, 1] and sums to 1. "
            "This loss applies the softmax itself; pass the scores before the softmax, "
            "or use categorical_cross_entropy for probabilities",
            UserWarning,
            stacklevel=3,
        )


def _probability_rows(z: FloatArray, ax: int) -> bool:
    # Rows of only 0s and 1s (logits (0, 1), say) are as likely scores as one-hot
    # probabilities: they do not count as a sign.
    with np.errstate(invalid="ignore"):
        inside = bool(np.all((z >= 0) & (z <= 1))) and bool(np.any((z > 0) & (z < 1)))
        return inside and bool(np.all(np.abs(np.sum(z, axis=ax) - 1) <= sum_tolerance(z.dtype)))


def _hard_labels(
    z: FloatArray,
    labels: NDArray[np.integer[Any]],
    ax: int,
    w: FloatArray | None,
    with_grad: bool,
) -> Losses | tuple[Losses, FloatArray]:
    """Checked logits and labels through the NumPy twin of the softmax kernel."""
    rows = np.moveaxis(z, ax, -1)
    z2 = rows.reshape(-1, rows.shape[-1])
    flat = np.ascontiguousarray(labels.reshape(-1), dtype=np.int64)
    loss = np.empty(z2.shape[0], dtype=z.dtype)
    grad = np.empty(z2.shape, dtype=z.dtype) if with_grad else None
    _kernels.softmax_xent(z2, flat, class_weight=w, loss_out=loss, grad_out=grad, numpy=True)
    value = _unwrap(loss.reshape(labels.shape))
    if grad is None:
        return value
    return value, np.moveaxis(grad.reshape(rows.shape), -1, ax)


def _soft_targets(
    z: FloatArray,
    kind: str,
    target: NDArray[Any],
    ax: int,
    eps: float,
    w: FloatArray | None,
    with_grad: bool,
) -> Losses | tuple[Losses, FloatArray]:
    """Label smoothing or probability rows: the loss and gradient of the general target."""
    k = z.shape[ax]
    shifted, _ = shifted_rows(z, ax, "logits")
    wshape = [1] * z.ndim
    wshape[ax] = k
    wb = None if w is None else w.reshape(wshape)
    if kind == "labels":  # (1 - eps) e_y + eps / K, never built as a matrix
        yk = np.expand_dims(target, ax)
        w_y: Any = 1.0
        if wb is not None:
            w_y = np.take_along_axis(np.broadcast_to(wb, z.shape), yk, axis=ax)
        w_sum = float(k) if wb is None else float(np.sum(wb, dtype=np.float64))
        wt = None
        weight = (1 - eps) * w_y + (eps / k) * w_sum  # total target weight sum_c w_c t_c
    else:
        t = target if eps == 0 else (1 - eps) * target + eps / k
        wt = t if wb is None else wb * t
        weight = np.sum(wt, axis=ax, keepdims=True)
    # e: exp(z - m) without one maximal class, rest: its row sum (see exp_rest)
    e, rest, amax = exp_rest(shifted, ax)
    gap = np.negative(shifted, out=shifted)  # m - z >= 0, +inf for a class that is off
    # A target weight of 0 on a class that is off (gap = inf) costs 0, never 0 * inf = NaN.
    with np.errstate(invalid="ignore"):
        if wt is None:
            coef_y = (1 - eps) * w_y  # weight of the true class's own term
            gap_y = np.take_along_axis(gap, yk, axis=ax)
            loss = np.where(coef_y > 0, coef_y * gap_y, 0) + weight * np.log1p(rest)
            # sum_c w_c (m - z_c); a class of weight 0 that is off adds nothing.
            wg = gap if wb is None else np.where(wb > 0, wb * gap, 0)
            loss = loss + (eps / k) * np.sum(wg, axis=ax, keepdims=True)
        else:
            terms = np.where(wt > 0, wt * gap, 0)
            loss = np.sum(terms, axis=ax, keepdims=True) + weight * np.log1p(rest)
    value = _unwrap(np.squeeze(loss, axis=ax).astype(z.dtype, copy=False))
    if not with_grad:
        return value
    # p = softmax(z), from the parts already computed; e becomes p in place.
    np.put_along_axis(e, amax, 1, axis=ax)
    p = np.divide(e, 1 + rest, out=e)
    if wt is None:
        grad = _smoothed_label_grad(p, yk, amax, rest, (weight, w_y, w_sum, eps), wb, ax)
    else:
        grad = _soft_rows_grad(p, wt, amax, rest, weight, ax)
    return value, grad.astype(z.dtype, copy=False)


def _smoothed_label_grad(
    p: FloatArray,
    yk: NDArray[Any],
    amax: NDArray[Any],
    rest: FloatArray,
    parts: tuple[Any, Any, float, float],
    wb: FloatArray | None,
    ax: int,
) -> FloatArray:
    """d/dz of the smoothed-label loss: ``weight * p - (eps/K) w``, and at the true
    class ``weight * (p_y - 1) + (eps/K) * sum_{c != y} w_c``.

    ``parts`` is ``(weight, w_y, w_sum, eps)``."""
    weight, w_y, w_sum, eps = parts
    k = p.shape[ax]
    grad = weight * p
    grad -= (eps / k) * (1 if wb is None else wb)
    # At the maximal class a, p_a - 1 = -rest / (1 + rest): formed directly, since
    # 1 / (1 + rest) - 1 cancels (a confident correct prediction has rest ~ 1e-17).
    p_y = np.take_along_axis(p, yk, axis=ax)
    p_y_minus_1 = np.where(yk == amax, -rest / (1 + rest), p_y - 1)
    w_others = (k - 1) if wb is None else w_sum - w_y
    np.put_along_axis(grad, yk, weight * p_y_minus_1 + (eps / k) * w_others, axis=ax)
    return grad


def _soft_rows_grad(
    p: FloatArray,
    wt: FloatArray,
    amax: NDArray[Any],
    rest: FloatArray,
    weight: FloatArray,
    ax: int,
) -> FloatArray:
    """d/dz of the loss of probability rows: ``weight * p - wt``, and at the maximal
    class a ``(sum_{c != a} wt_c - wt_a * rest) / (1 + rest)``, with the sum over the
    other classes taken directly rather than as ``weight - wt_a``."""
    grad = weight * p - wt
    wt_a = np.take_along_axis(wt, amax, axis=ax)
    wt_others = np.array(np.broadcast_to(wt, p.shape))
    np.put_along_axis(wt_others, amax, 0, axis=ax)
    others_a = np.sum(wt_others, axis=ax, keepdims=True)
    np.put_along_axis(grad, amax, (others_a - wt_a * rest) / (1 + rest), axis=ax)
    return grad
