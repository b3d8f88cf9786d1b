r"""Detecting separation, when no finite maximum-likelihood estimate exists.

The classes are *separated* when some non-zero direction :math:`\delta` of the
parameters never lowers the score of an observation's own class against any other:

.. math:: x_i^T (\delta_{y_i} - \delta_c) \ge 0 \quad \text{for all } i,\ c \ne y_i,

*completely* when every inequality is strict, *quasi-completely* when only some
are.  Moving along :math:`\delta` then never lowers the likelihood, so the
maximum-likelihood coefficients run off to infinity along it.  (Albert & Anderson,
1984; a linear-programming test in the spirit of Konis, 2007.)  The test here solves

.. math:: \max_{\delta, s} \sum_r s_r \quad\text{s.t.}\quad
          0 \le s_r \le \min(1, m_r(\delta)),

over the margins :math:`m_r(\delta) = x_i^T(\delta_{y_i} - \delta_c)` with
:func:`scipy.optimize.linprog` (HiGHS).  Separating directions form a cone (a sum of
two separates the union of what each separates, and scaling them up makes every
positive margin at least 1), so the optimum counts the inequalities that can be
made strict together: 0 means no separation, all of them complete separation, and
the optimal :math:`\delta` is a direction along which the coefficients run off.
A row observed in two classes (binomial counts with successes and failures)
makes its inequalities equalities.  Columns are scaled to a largest absolute
value of 1 first, so the tolerance means the same for every data set.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning

__all__ = ["Separation", "SeparationWarning", "find_separation"]

# Largest constraint matrix (rows x variables) the test builds; beyond it the fit
# reports separation only through its iterates.
MAX_LP_ENTRIES = 4_000_000
_MARGIN_TOL = 1e-6
_DENSE_ENTRIES = 250_000


class SeparationWarning(ConvergenceWarning):
    """The classes are separable: the maximum-likelihood estimate is infinite."""


@dataclass(frozen=True)
class Separation:
    """A separating direction found by ``find_separation``.

    ``kind`` is "complete" or "quasi-complete"; ``direction`` has the shape of the
    free parameters ``(q, K - 1)`` (intercept row first, class 0 the reference), in
    the units of the data and scaled to a largest absolute value of 1;
    ``running`` names its non-zero entries; ``n_separated`` counts the observations
    that the direction fits with probability 0 or 1 in the limit.
    """

    kind: str
    direction: NDArray[np.float64]
    running: tuple[str, ...]
    n_separated: int
    n_obs: int

    def message(self) -> str:
        """The warning text."""
        coefs = ", ".join(
            f"{name} ({value:+.3g})"
            for name, value in zip(
                self.running, self.direction.ravel()[self._nonzero()], strict=True
            )
        )
        return (
            f"The classes are {self.kind}ly separated: no finite maximum-likelihood "
            f"estimate exists. {self.n_separated} of {self.n_obs} observations are "
            "fitted with probability 0 or 1 by a linear boundary, and these coefficients "
            f"run off to infinity along the direction shown: {coefs}. The values "
            "reported are where the solver stopped, not estimates, and have no standard "
            "errors. Use l2 > 0 for a finite (penalised) fit, or drop the separating "
            "features."
        )

    def _nonzero(self) -> NDArray[np.intp]:
        return np.flatnonzero(np.abs(self.direction.ravel()) > _MARGIN_TOL)

    def warn(self, stacklevel: int = 3) -> None:
        """Issue the :class:`SeparationWarning`."""
        warnings.warn(self.message(), SeparationWarning, stacklevel=stacklevel)


def _constraints(
    x1: NDArray[np.float64], present: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.float64]]:
    """Margin rows (one per observation and competing class) and equality rows."""
    q = x1.shape[1]
    k = present.shape[1]
    nv = q * (k - 1)
    ineq: list[NDArray[np.float64]] = []
    owner: list[NDArray[np.intp]] = []
    eq: list[NDArray[np.float64]] = []

    def pair_rows(rows: NDArray[np.intp], a: int, c: int) -> NDArray[np.float64]:
        out = np.zeros((rows.shape[0], q, k - 1))
        if a > 0:
            out[:, :, a - 1] += x1[rows]
        if c > 0:
            out[:, :, c - 1] -= x1[rows]
        return out.reshape(rows.shape[0], nv)

    for a in range(k):
        for c in range(k):
            if c == a:
                continue
            both = np.flatnonzero(present[:, a] & present[:, c])
            alone = np.flatnonzero(present[:, a] & ~present[:, c])
            if alone.size:
                ineq.append(pair_rows(alone, a, c))
                owner.append(alone)
            if both.size and a < c:
                eq.append(pair_rows(both, a, c))
    m_ineq = np.concatenate(ineq) if ineq else np.zeros((0, nv))
    m_eq = np.concatenate(eq) if eq else np.zeros((0, nv))
    own = np.concatenate(owner) if owner else np.zeros(0, dtype=np.intp)
    return m_ineq, own, m_eq


def lp_entries(counts: NDArray[Any], q: int) -> int:
    """Entries of the constraint matrix that :func:`find_separation` would build.

    One margin row per observed (row, class) pair and competing class, over the
    :math:`q (K - 1)` free parameters; the test declines above ``MAX_LP_ENTRIES``.
    """
    present = np.asarray(counts) > 0
    k = present.shape[1]
    return int(np.count_nonzero(present)) * (k - 1) * q * (k - 1)


def find_separation(
    X: NDArray[Any],
    counts: NDArray[Any],
    *,
    fit_intercept: bool,
    names: list[str],
) -> Separation | None:
    """Test ``(X, counts)`` for separation; return the direction or None.

    Parameters
    ----------
    X : ndarray of shape (n, p)
    counts : ndarray of shape (n, K)
        Non-negative weight of each class on each row (a row is "observed in
        class c" when its count is > 0); rows with no weight are ignored.
    fit_intercept : bool
    names : list of str
        Names of the free parameters in ``direction.ravel()`` order.

    Returns
    -------
    Separation or None
        None when the data are not separated, or when the test is too large to
        build (more than ``MAX_LP_ENTRIES`` constraint entries) or HiGHS fails.

    Examples
    --------
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> counts = np.array([[1, 0], [1, 0], [0, 1], [0, 1]])  # y = x > 2.5
    >>> s = find_separation(X, counts, fit_intercept=True, names=["intercept", "x"])
    >>> s.kind, s.running
    ('complete', ('intercept', 'x'))
    """
    from scipy import sparse
    from scipy.optimize import linprog

    q = X.shape[1] + int(fit_intercept)
    if lp_entries(counts, q) > MAX_LP_ENTRIES:
        return None
    present = np.asarray(counts) > 0
    k = present.shape[1]
    used = present.any(axis=1)
    present = present[used]
    n = present.shape[0]
    if n == 0:
        return None
    x1 = np.empty((n, q))
    if fit_intercept:
        x1[:, 0] = 1.0
        x1[:, 1:] = X[used]
    else:
        x1[...] = X[used]
    scale = np.max(np.abs(x1), axis=0)
    scale[scale == 0] = 1.0
    x1 /= scale
    m_ineq, owner, m_eq = _constraints(x1, present)
    if m_ineq.shape[0] == 0:
        return None
    r, nv = m_ineq.shape
    # Variables (delta, s): maximise sum(s) with s <= margins and 0 <= s <= 1 (so the
    # margins are >= 0).  Small problems go to HiGHS as dense arrays: building sparse
    # blocks costs more than solving them.
    n_eq = m_eq.shape[0]
    if r * (nv + r) <= _DENSE_ENTRIES:
        a_ub: Any = np.hstack([-m_ineq, np.eye(r)])
        a_eq: Any = np.hstack([m_eq, np.zeros((n_eq, r))]) if n_eq else None
    else:
        a_ub = sparse.hstack([sparse.csr_array(-m_ineq), sparse.eye_array(r)], format="csr")
        a_eq = (
            sparse.hstack([sparse.csr_array(m_eq), sparse.csr_array((n_eq, r))], format="csr")
            if n_eq
            else None
        )
    res = linprog(
        c=np.concatenate([np.zeros(nv), -np.ones(r)]),
        A_ub=a_ub,
        b_ub=np.zeros(r),
        A_eq=a_eq,
        b_eq=np.zeros(n_eq) if n_eq else None,
        bounds=[(None, None)] * nv + [(0.0, 1.0)] * r,
        method="highs",
    )
    if res.status != 0 or -res.fun < 0.5:
        return None
    delta = np.asarray(res.x[:nv])
    tight = np.asarray(res.x[nv:]) > 0.5
    delta_scaled = delta / np.max(np.abs(delta))
    direction = delta_scaled.reshape(q, k - 1) / scale[:, None]
    direction[np.abs(delta_scaled.reshape(q, k - 1)) <= _MARGIN_TOL] = 0.0
    direction /= np.max(np.abs(direction))
    # A row is fitted with probability 0 or 1 when it is observed in one class only
    # and every one of its margins can be made strict.
    strict = present.sum(axis=1) == 1
    np.logical_and.at(strict, owner, tight)
    complete = bool(tight.all()) and m_eq.shape[0] == 0
    running = tuple(names[i] for i in np.flatnonzero(direction.ravel()))
    return Separation(
        kind="complete" if complete else "quasi-complete",
        direction=direction,
        running=running,
        n_separated=int(strict.sum()),
        n_obs=int(n),
    )
