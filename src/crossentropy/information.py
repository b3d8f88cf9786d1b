r"""Information measures: self-information, entropy, cross-entropy and KL divergence.

All functions take probabilities (not logits), reduce along ``axis`` (the class
axis, ``-1`` by default) and report the result in the unit chosen by ``base``:

- ``None``, ``math.e`` or ``"nats"``: natural logarithm, nats;
- ``2`` or ``"bits"``: bits;
- ``10`` or ``"bans"``: bans (also called hartleys);
- any other finite number > 0 and != 1: units of that base.

The limits are exact, never an epsilon: :math:`0 \log 0 = 0`, a class with
:math:`p > 0` and :math:`q = 0` costs :math:`+\infty`, and the KL divergence is a
sum of non-negative terms, so it is never negative and ``KL(P || P)`` is exactly 0.

Every probability row must sum to 1 within :func:`sum_tolerance` (the square root
of the dtype's machine epsilon); pass ``normalize=True`` to scale counts or weights
explicitly.  float32 input gives float32 output (sums are accumulated in float64);
integers and float64 give float64, and an integer ``p`` (one-hot rows, counts) next
to a float32 ``q`` is computed in float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    as_float_array,
    check_bool,
    check_nonnegative,
    check_rows_sum_to_one,
    check_unit_interval,
    common_float_dtype,
    normalize_axis,
    normalize_rows,
    resolve_base,
    sum_tolerance,
)

__all__ = [
    "binary_entropy",
    "cross_entropy",
    "entropy",
    "information",
    "kl_divergence",
    "sum_tolerance",
]

Base = float | str | None
FloatArray = NDArray[np.floating[Any]]


def _finish(values: FloatArray, dtype: np.dtype[Any], base: Base) -> Any:
    """Convert nats to the unit of ``base``, cast to ``dtype`` and unwrap 0-d arrays."""
    log_base, _ = resolve_base(base)
    out = np.asarray(values, dtype=np.float64 if log_base != 1.0 else None)
    if log_base != 1.0:
        out = out / log_base
    out = out.astype(dtype, copy=False)
    return out[()] if out.ndim == 0 else out


def _distribution(p: ArrayLike, name: str, axis: int, normalize: bool) -> tuple[FloatArray, int]:
    """Validate ``p`` as probability rows along ``axis``; return the array and the axis."""
    arr = as_float_array(p, name)
    ax = normalize_axis(axis, arr.ndim, name)
    check_nonnegative(arr, name)
    if check_bool(normalize, "normalize"):
        arr = normalize_rows(arr, name, ax)
    else:
        check_rows_sum_to_one(arr, name, ax)
    return arr, ax


def _pair(
    p: ArrayLike, q: ArrayLike, axis: int, normalize: bool
) -> tuple[FloatArray, FloatArray, int, np.dtype[Any]]:
    """Validate two distributions and bring them to the dtype they are computed in.

    Each row is checked against the tolerance of its own dtype (a float32 ``q``
    next to a float64 ``p`` may be off by float32 rounding); an integer ``p`` (one-hot
    rows, counts) takes the dtype of a float ``q`` and vice versa.
    """
    p_arr = as_float_array(p, "p")
    q_arr = as_float_array(q, "q")
    try:
        shape = np.broadcast_shapes(p_arr.shape, q_arr.shape)
    except ValueError:
        raise ValueError(
            f"`p` and `q` must have broadcastable shapes; got {p_arr.shape} and {q_arr.shape}"
        ) from None
    ax = normalize_axis(axis, len(shape), "p")
    for arr in (p_arr, q_arr):
        own = ax - (len(shape) - arr.ndim)
        if own < 0 or arr.shape[own] != shape[ax]:
            raise ValueError(
                f"`p` and `q` must have the same number of categories along axis {axis}; "
                f"got shapes {p_arr.shape} and {q_arr.shape}"
            )
    dtype = common_float_dtype((p, p_arr), (q, q_arr))
    p_arr, _ = _distribution(p_arr, "p", ax - (len(shape) - p_arr.ndim), normalize)
    q_arr, _ = _distribution(q_arr, "q", ax - (len(shape) - q_arr.ndim), normalize)
    return p_arr.astype(dtype, copy=False), q_arr.astype(dtype, copy=False), ax, dtype


def _sum(terms: FloatArray, axis: int) -> FloatArray:
    """Sum along ``axis``; float32 terms are accumulated in float64."""
    return np.sum(terms, axis=axis, dtype=np.float64)


def information(p: ArrayLike, *, base: Base = None) -> Any:
    r"""Self-information (surprisal) of events with probability ``p``.

    .. math:: I(x) = -\log p(x)

    It is 0 for a certain event, grows as the event gets rarer, is :math:`+\infty`
    for an impossible one, and adds up over independent events:
    :math:`I(a b) = I(a) + I(b)`.

    Parameters
    ----------
    p : array_like
        Probabilities in [0, 1], any shape.  Computed elementwise.
    base : float or {"nats", "bits", "bans"}, optional
        Unit of the result: ``None`` (nats), 2 (bits), 10 (bans) or any number > 0
        other than 1.

    Returns
    -------
    ndarray or scalar
        :math:`-\log_{\text{base}} p`, same shape and float dtype as ``p``.

    Examples
    --------
    >>> import crossentropy as xe
    >>> float(xe.information(0.5, base="bits"))  # a fair coin flip carries one bit
    1.0
    >>> xe.information([1.0, 0.25, 0.0], base=2)
    array([ 0.,  2., inf])
    """
    arr = as_float_array(p, "p")
    check_unit_interval(arr, "p")
    with np.errstate(divide="ignore"):
        # 0.0 - log(1) is +0.0, where -log(1) would print as -0.0.
        values = 0.0 - np.log(arr)
    return _finish(values, arr.dtype, base)


def entropy(p: ArrayLike, *, axis: int = -1, base: Base = None, normalize: bool = False) -> Any:
    r"""Shannon entropy of the distributions in ``p``.

    .. math:: H(P) = -\sum_c p_c \log p_c, \qquad 0 \log 0 = 0

    The average self-information of an outcome drawn from :math:`P`.  It is 0 for a
    certain outcome and at most :math:`\log K` (the uniform distribution over
    :math:`K` classes).

    Parameters
    ----------
    p : array_like
        Probabilities, non-negative, each row along ``axis`` summing to 1.
    axis : int, default -1
        The class axis, reduced.
    base : float or {"nats", "bits", "bans"}, optional
        Unit of the result (nats by default).
    normalize : bool, default False
        Scale each row to sum to 1 first (for counts or weights).  Without it, a
        row that does not sum to 1 is an error.

    Returns
    -------
    ndarray or scalar
        Entropy per row: the shape of ``p`` without ``axis``.

    Examples
    --------
    >>> import crossentropy as xe
    >>> print(f"{xe.entropy([0.5, 0.5]):.4f}")  # a fair coin, in nats: ln 2
    0.6931
    >>> float(xe.entropy([1.0, 0.0]))  # a certain outcome
    0.0
    >>> float(xe.entropy([1/2, 1/4, 1/8, 1/8], base="bits"))  # the four balls
    1.75
    >>> print(f"{xe.entropy([3, 1], normalize=True, base=2):.4f}")  # from counts
    0.8113
    """
    arr, ax = _distribution(p, "p", axis, normalize)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(arr > 0, arr * np.log(arr), 0.0).astype(arr.dtype, copy=False)
    return _finish(-_sum(terms, ax) + 0.0, arr.dtype, base)


def cross_entropy(
    p: ArrayLike, q: ArrayLike, *, axis: int = -1, base: Base = None, normalize: bool = False
) -> Any:
    r"""Cross-entropy of ``q`` relative to the true distribution ``p``.

    .. math:: H(P, Q) = -\sum_c p_c \log q_c \;\ge\; H(P)

    The average number of nats (or bits) paid per outcome drawn from :math:`P` when
    outcomes are coded as if they came from :math:`Q`.  Classes with :math:`p_c = 0`
    contribute nothing, whatever :math:`q_c`; a class with :math:`p_c > 0` and
    :math:`q_c = 0` makes the cross-entropy :math:`+\infty`.

    Parameters
    ----------
    p, q : array_like
        The true and the model distribution; broadcast against each other, with the
        same number of classes along ``axis``.
    axis : int, default -1
        The class axis, reduced.
    base : float or {"nats", "bits", "bans"}, optional
        Unit of the result (nats by default).
    normalize : bool, default False
        Scale each row of ``p`` and ``q`` to sum to 1 first.

    Returns
    -------
    ndarray or scalar
        :math:`H(P, Q)` per row.

    Examples
    --------
    >>> import crossentropy as xe
    >>> p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]  # covid / diabetes / heart
    >>> print(f"{xe.cross_entropy(p, q):.5f}")
    0.92749
    >>> float(xe.cross_entropy([1/2, 1/4, 1/8, 1/8], [1/4] * 4, base="bits"))
    2.0
    """
    p_arr, q_arr, ax, dtype = _pair(p, q, axis, normalize)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p_arr > 0, p_arr * np.log(q_arr), 0.0).astype(dtype, copy=False)
    return _finish(-_sum(terms, ax) + 0.0, dtype, base)


# Coefficients 1/(2k+3) of the series  sum_k u^(2k) / (2k+3), for |u| <= _SERIES_U.
_SERIES_U = 0.25
_SERIES = tuple(1.0 / (2 * k + 3) for k in range(14))


def kl_terms(p: FloatArray, q: FloatArray) -> FloatArray:
    r"""Non-negative KL terms :math:`p \log(p/q) - p + q`, accurate when ``p`` is close to ``q``.

    With :math:`u = (p - q)/(p + q)`, :math:`\log(p/q) = 2\,\mathrm{artanh}\,u` and
    the term is exactly

    .. math:: (p + q)\,u^2 + 2 p \sum_{k \ge 0} \frac{u^{2k+3}}{2k+3},

    free of cancellation for small :math:`|u|` (where the plain formula loses as many
    digits as :math:`p` and :math:`q` share).  For :math:`|u| > 1/4` the plain formula
    loses at most a factor of about 5.  The terms sum to the KL divergence when both
    rows sum to 1 (their extra parts, :math:`\sum q - \sum p`, cancel).

    Examples
    --------
    >>> import numpy as np
    >>> from crossentropy.information import kl_terms
    >>> kl_terms(np.array([0.3, 0.7]), np.array([0.3 + 1e-9, 0.7 - 1e-9]))  # ~ d^2 / 2p
    array([1.66666675e-18, 7.14285675e-19])
    >>> kl_terms(np.array([0.5, 0.0, 0.5]), np.array([0.25, 0.25, 0.5]))  # p = 0: the term is q
    array([0.09657359, 0.25      , 0.        ])
    """
    dtype = np.result_type(p, q)
    p, q = np.broadcast_arrays(p, q)
    s = p + q
    d = p - q
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        u = np.where(s > 0, d / np.where(s > 0, s, 1), 0).astype(dtype, copy=False)
        small = np.abs(u) <= _SERIES_U
        out = np.empty(p.shape, dtype=dtype)
        if np.any(small):
            us, ps, ss = u[small], p[small], s[small]
            u2 = us * us
            acc = np.full_like(us, _SERIES[-1])
            for c in _SERIES[-2::-1]:
                acc = acc * u2 + c
            out[small] = ss * u2 + 2 * ps * (us * u2) * acc
        large = ~small
        if np.any(large):
            pl, ql, dl = p[large], q[large], d[large]
            ratio = pl / ql
            # log(p/q) is exact to an ulp when p/q is a normal number; log p - log q
            # only where the ratio over- or underflows (then the logs differ widely).
            normal = (ratio > np.finfo(dtype).tiny) & np.isfinite(ratio)
            safe_ratio = np.where(normal, ratio, 1)
            log_ratio = np.where(normal, np.log(safe_ratio), np.log(pl) - np.log(ql))
            plain = np.where(pl > 0, pl * log_ratio, 0) - dl
            # q = 0 < p: infinite; p = 0 <= q: the term is q.
            out[large] = np.where((ql == 0) & (pl > 0), np.inf, plain)
    # Rounding can leave -1 ulp where the exact term is 0 < term; the term is >= 0.
    return np.maximum(out, 0, out=out)


def kl_divergence(
    p: ArrayLike, q: ArrayLike, *, axis: int = -1, base: Base = None, normalize: bool = False
) -> Any:
    r"""Kullback-Leibler divergence of ``q`` from the true distribution ``p``.

    .. math:: D_{KL}(P \,\|\, Q) = \sum_c p_c \log \frac{p_c}{q_c} = H(P, Q) - H(P) \;\ge\; 0

    The extra nats (or bits) per outcome paid for coding data from :math:`P` with a
    code made for :math:`Q`; zero only when :math:`P = Q`.  It is computed as the sum
    of the terms :math:`p_c \log(p_c/q_c) - p_c + q_c`, each non-negative and
    evaluated without cancellation (see ``kl_terms``), so the result is never
    negative, ``KL(P || P)`` is exactly 0, and distributions that differ by 1e-9
    give the true, tiny positive value.  (When the rows sum to 1 the extra
    :math:`-p_c + q_c` parts sum to 0.)

    Parameters
    ----------
    p, q : array_like
        The true and the model distribution; broadcast against each other.
    axis : int, default -1
        The class axis, reduced.
    base : float or {"nats", "bits", "bans"}, optional
        Unit of the result (nats by default).
    normalize : bool, default False
        Scale each row of ``p`` and ``q`` to sum to 1 first.

    Returns
    -------
    ndarray or scalar
        :math:`D_{KL}(P \| Q)` per row.

    Examples
    --------
    >>> import crossentropy as xe
    >>> p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
    >>> print(f"{xe.kl_divergence(p, q):.5f} nats = {xe.kl_divergence(p, q, base=2):.5f} bits")
    0.12567 nats = 0.18130 bits
    >>> float(xe.kl_divergence([1/2, 1/4, 1/8, 1/8], [1/4] * 4, base="bits"))
    0.25
    >>> float(xe.kl_divergence(p, p))
    0.0
    """
    p_arr, q_arr, ax, dtype = _pair(p, q, axis, normalize)
    return _finish(_sum(kl_terms(p_arr, q_arr), ax), dtype, base)


def binary_entropy(p: ArrayLike, *, base: Base = None) -> Any:
    r"""Entropy of a coin that shows heads with probability ``p``, elementwise.

    .. math:: H_b(p) = -p \log p - (1 - p) \log(1 - p)

    Zero at :math:`p \in \{0, 1\}`, largest (:math:`\ln 2` nats, 1 bit) at
    :math:`p = 1/2`.  :math:`\log(1-p)` is evaluated as ``log1p(-p)``, exact for
    small :math:`p`.

    Parameters
    ----------
    p : array_like
        Probabilities in [0, 1], any shape.
    base : float or {"nats", "bits", "bans"}, optional
        Unit of the result (nats by default).

    Returns
    -------
    ndarray or scalar
        :math:`H_b(p)`, same shape as ``p``.

    Examples
    --------
    >>> import crossentropy as xe
    >>> float(xe.binary_entropy(0.5, base=2))
    1.0
    >>> xe.binary_entropy([0.0, 1.0])
    array([0., 0.])
    """
    arr = as_float_array(p, "p")
    check_unit_interval(arr, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        heads = np.where(arr > 0, arr * np.log(arr), 0.0)
        tails = np.where(arr < 1, (1 - arr) * np.log1p(-arr), 0.0)
    return _finish(0.0 - (heads + tails), arr.dtype, base)
