"""Reference values computed with mpmath at 50 significant digits.

Every input float is converted exactly (``mpf(float(x))``), so a reference is the
exact value of the formula for the floats the library was given, rounded once to
50 digits.  The formulas are written so that mpmath itself does not cancel: for
example ``LSE(z) - z_y`` is evaluated as ``log1p(sum_{c != y} exp(z_c - z_y))``,
where the difference of two floats is exact at 50 digits for the magnitudes used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mpmath as mp
import numpy as np

DPS = 50
mp.mp.dps = DPS


def mpf(x: Any) -> mp.mpf:
    """The exact value of a float (float32 values are widened exactly)."""
    return mp.mpf(float(x))


def _pairs(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (p, q) pairs of two 1-D rows and how often each occurs.

    The references are sums over classes, so a row of 1e6 classes built from a few
    distinct pairs costs a few mpmath evaluations.
    """
    p, q = np.broadcast_arrays(np.asarray(p, np.float64), np.asarray(q, np.float64))
    keys = np.empty(p.shape, np.complex128)  # (p, q) as one sortable number, exactly
    keys.real, keys.imag = p, q
    uniq, counts = np.unique(keys.ravel(), return_counts=True)
    return np.stack([uniq.real, uniq.imag], axis=1), counts


def entropy(p: Sequence[float] | np.ndarray) -> mp.mpf:
    """-sum p log p, 0 log 0 = 0."""
    p = np.asarray(p)
    uniq, counts = _pairs(p, p)
    return -mp.fsum(
        int(n) * mpf(a) * mp.log(mpf(a)) for (a, _), n in zip(uniq, counts, strict=True) if a > 0
    )


def cross_entropy(p: np.ndarray, q: np.ndarray) -> mp.mpf:
    """-sum p log q over classes with p > 0; +inf if such a class has q = 0."""
    uniq, counts = _pairs(p, q)
    terms = []
    for (a, b), n in zip(uniq, counts, strict=True):
        if a == 0:
            continue
        if b == 0:
            return mp.inf
        terms.append(-int(n) * mpf(a) * mp.log(mpf(b)))
    return mp.fsum(terms)


def kl_generalized(p: np.ndarray, q: np.ndarray) -> mp.mpf:
    """sum (p log(p/q) - p + q): each term >= 0; equal to KL when both rows sum to 1.

    A term of p and q one ulp apart is ~1e-32 of p: the terms are evaluated with 40
    guard digits so that the result keeps its 50.
    """
    uniq, counts = _pairs(p, q)
    terms = []
    with mp.workdps(DPS + 40):
        for (a, b), n in zip(uniq, counts, strict=True):
            pa, qb = mpf(a), mpf(b)
            if a == 0:
                terms.append(int(n) * qb)
            elif b == 0:
                return mp.inf
            else:
                terms.append(int(n) * (pa * mp.log(pa / qb) - pa + qb))
        total = mp.fsum(terms)
    return +total  # rounded to DPS digits


def kl_plain(p: np.ndarray, q: np.ndarray) -> mp.mpf:
    """sum p log(p/q): the textbook KL divergence (40 guard digits, as above)."""
    uniq, counts = _pairs(p, q)
    terms = []
    with mp.workdps(DPS + 40):
        for (a, b), n in zip(uniq, counts, strict=True):
            if a == 0:
                continue
            if b == 0:
                return mp.inf
            terms.append(int(n) * mpf(a) * mp.log(mpf(a) / mpf(b)))
        total = mp.fsum(terms)
    return +total


def softplus(z: float) -> mp.mpf:
    """log(1 + e^z)."""
    zz = mpf(z)
    if zz == mp.inf:
        return mp.inf
    if zz == -mp.inf:
        return mp.mpf(0)
    return mp.log1p(mp.exp(zz))


def sigmoid(z: float) -> mp.mpf:
    zz = mpf(z)
    if zz == mp.inf:
        return mp.mpf(1)
    if zz == -mp.inf:
        return mp.mpf(0)
    return 1 / (1 + mp.exp(-zz))


def binary_with_logits(y: float, z: float, w: float = 1.0) -> tuple[mp.mpf, mp.mpf, mp.mpf]:
    """Loss w y softplus(-z) + (1 - y) softplus(z), its derivative in z, and the size
    of the derivative's two parts, (1 - y) sigmoid(z) + w y sigmoid(-z).

    The derivative is a difference of those parts; the size bounds how much
    rounding the difference can magnify (it equals |derivative| for y in {0, 1}).
    """
    yy, ww = mpf(y), mpf(w)
    a, b = ww * yy, 1 - yy
    loss = (a * softplus(-float(z)) if a else 0) + (b * softplus(z) if b else 0)
    up, down = b * sigmoid(z), a * sigmoid(-float(z))
    return loss, up - down, up + down


def softmax_parts(z: Sequence[float] | np.ndarray, j: int) -> tuple[mp.mpf, mp.mpf]:
    """(p_j, 1 - p_j) of softmax(z), both without cancellation."""
    zj = mpf(z[j])
    if zj == -mp.inf:
        return mp.mpf(0), mp.mpf(1)
    others = mp.fsum(mp.exp(mpf(zc) - zj) for c, zc in enumerate(z) if c != j and zc != -np.inf)
    return 1 / (1 + others), others / (1 + others)


def categorical_with_logits(
    a: Sequence[Any] | np.ndarray, z: Sequence[float] | np.ndarray
) -> tuple[mp.mpf, list[mp.mpf], list[mp.mpf]]:
    """Loss sum_c a_c (LSE(z) - z_c), its gradient A p_j - a_j (A = sum_c a_c), and
    the size of each gradient element's parts.

    ``a`` are the target weights w_c t_c (a one-hot row for a hard label).  The
    gradient is evaluated as (A - a_j) p_j - a_j (1 - p_j), free of the cancellation
    in A p_j - a_j when p_j is close to 1; the size is (A - a_j) p_j + a_j (1 - p_j),
    which equals |gradient| when one of the parts is 0 (hard labels, no smoothing).
    """
    aa = [mp.mpf(v) if isinstance(v, mp.mpf) else mpf(v) for v in a]
    loss_terms = []
    for c, ac in enumerate(aa):
        if ac == 0:
            continue
        if z[c] == -np.inf:
            loss_terms.append(mp.inf)
            continue
        zc = mpf(z[c])
        rest = mp.fsum(mp.exp(mpf(zk) - zc) for k, zk in enumerate(z) if k != c and zk != -np.inf)
        loss_terms.append(ac * mp.log1p(rest))
    loss = mp.fsum(loss_terms) if loss_terms else mp.mpf(0)
    total = mp.fsum(aa)
    grad, size = [], []
    for j in range(len(z)):
        p_j, one_minus = softmax_parts(z, j)
        up, down = (total - aa[j]) * p_j, aa[j] * one_minus
        grad.append(up - down)
        size.append(up + down)
    return loss, grad, size


def rel_err(computed: Any, exact: mp.mpf, floor: float) -> float:
    """|computed - exact| / max(|exact|, floor); 0 when both are the same infinity.

    ``floor`` is the smallest normal number of the dtype: below it a float has
    fewer significant bits, so errors there are measured in units of that floor.
    An exact value beyond the largest float of the dtype rounds to an infinity,
    which is then the right answer.
    """
    value = np.asarray(computed)
    dtype = value.dtype if value.dtype.kind == "f" else np.dtype(np.float64)
    c = float(value)
    with np.errstate(over="ignore"):
        rounded = float(dtype.type(float(exact)))  # float(mpf) is inf beyond float64
    if mp.isinf(exact) or np.isinf(rounded) or np.isinf(c):
        return 0.0 if c == rounded else np.inf
    return float(abs(mpf(c) - exact) / max(abs(exact), mp.mpf(floor)))
