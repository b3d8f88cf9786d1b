r"""Likelihood: how probable the observed data is under each value of a parameter.

Maximum likelihood picks the parameter under which the data is most probable.
For :math:`k` successes in :math:`n` independent trials with success probability
:math:`p` the likelihood is the binomial probability

.. math:: L(p) = P(X = k \mid p) = \binom{n}{k} p^k (1 - p)^{n - k},

largest at :math:`\hat p = k / n`.  It is a function of :math:`p` for fixed data,
**not** a probability distribution over :math:`p`: its values over a grid need not
sum to 1, and :math:`\int_0^1 L(p)\,dp = 1/(n + 1)`.

The dice of the course: a die with :math:`r` red faces out of 6, thrown 100 times,
shows red 34 times; which :math:`r` is most likely?

    >>> from crossentropy.likelihood import dice_likelihood
    >>> grid = dice_likelihood()
    >>> grid.best_index, round(grid.max_likelihood, 4)
    (2, 0.0831)

Log-likelihoods are computed in Loader's saddle-point form, accurate to about
1e-15 relative even where the terms of the textbook formula are a million times
larger than their sum, with the limits :math:`p = 0` and :math:`p = 1` exact
(:math:`0 \log 0 = 0`, no epsilon); they stay finite and accurate far below the
smallest float that the likelihood itself can hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import InvalidOptionError, as_float_array, check_integer, check_unit_interval

__all__ = [
    "LikelihoodGrid",
    "binomial_likelihood",
    "binomial_likelihood_grid",
    "binomial_log_likelihood",
    "binomial_mle",
    "dice_likelihood",
    "log_binomial_coefficient",
]

FloatArray = NDArray[np.floating[Any]]


def _count(value: Any, name: str) -> int:
    """A count: a non-negative whole number, an integer or a float such as 34.0."""
    if not (isinstance(value, (float, np.floating)) and float(value).is_integer()):
        check_integer(value, name, allowed="a whole number")
    if value < 0:
        raise InvalidOptionError(f"`{name}` must be non-negative; got {value}")
    return int(value)


def _counts(k: Any, n: Any) -> tuple[int, int]:
    k_, n_ = _count(k, "k"), _count(n, "n")
    if k_ > n_:
        raise ValueError(f"`k` (successes) must be at most `n` (trials) = {n_}; got {k_}")
    return k_, n_


# stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n) for n = 0..15, from mpmath at 40 digits.
_STIRLERR = (
    math.nan,
    0.08106146679532726,
    0.0413406959554093,
    0.02767792568499834,
    0.020790672103765093,
    0.016644691189821193,
    0.013876128823070748,
    0.01189670994589177,
    0.010411265261972096,
    0.009255462182712733,
    0.00833056343336287,
    0.007573675487951841,
    0.00694284010720953,
    0.006408994188004207,
    0.0059513701127588475,
    0.005554733551962801,
)


def _stirlerr(n: int) -> float:
    """The error of Stirling's formula for log(n!), n >= 1 (Loader 2000)."""
    if n < len(_STIRLERR):
        return _STIRLERR[n]
    # Asymptotic series; for n > 15 the first omitted term is below 1e-16.
    x = 1.0 / (n * n)
    return (1 / 12 - x * (1 / 360 - x * (1 / 1260 - x * (1 / 1680 - x / 1188)))) / n


# Below these sizes math.comb is exact and takes well under a millisecond.
_EXACT_COMB_MIN_SIDE = 2000
_EXACT_COMB_N = 20_000


def log_binomial_coefficient(n: int, k: int) -> float:
    r""":math:`\log\binom{n}{k}` to a few ulps.

    From the exact integer ``math.comb`` where that is cheap (``min(k, n - k)`` or
    ``n`` small), otherwise from Stirling's formula with its exact error terms,

    .. math:: \log\binom{n}{k} = k \log\frac{n}{k} + (n - k) \log\frac{n}{n - k}
        + \tfrac12 \log\frac{n}{2\pi k (n - k)} + \delta(n) - \delta(k) - \delta(n - k),

    whose large terms are all positive (no cancellation; log-Beta loses ~1e-15
    relative there, and ~1e-12 when one argument is small).

    Examples
    --------
    >>> print(f"{log_binomial_coefficient(100, 34):.6f}")
    61.626307
    """
    k, n = _counts(k, n)
    m = min(k, n - k)
    if m == 0:
        return 0.0
    if m <= _EXACT_COMB_MIN_SIDE or n <= _EXACT_COMB_N:
        return math.log(math.comb(n, m))
    terms = (
        k * math.log(n / k),
        -(n - k) * math.log1p(-k / n),
        0.5 * math.log(n / (2 * math.pi * k * (n - k))),
        _stirlerr(n),
        -_stirlerr(k),
        -_stirlerr(n - k),
    )
    return math.fsum(terms)


def binomial_log_likelihood(k: int, n: int, p: ArrayLike) -> Any:
    r"""Log-likelihood :math:`\log P(X = k \mid n, p)` of ``k`` successes in ``n`` trials.

    .. math:: \ell(p) = \log\binom{n}{k} + k \log p + (n - k) \log(1 - p)

    Near its maximum this is a small number made of terms of size :math:`n`, so
    it is not summed term by term (which loses up to 1e-10 relative for large
    :math:`n`, as ``scipy.stats.binom.logpmf`` does) but computed in Loader's
    saddle-point form,

    .. math:: \ell(p) = \delta(n) - \delta(k) - \delta(n - k)
        - b(k, np) - b(n - k, n(1 - p)) + \tfrac12 \log\frac{n}{2\pi k (n - k)},

    with :math:`\delta` the error of Stirling's formula and
    :math:`b(x, m) = x \log(x/m) + m - x \ge 0` evaluated without cancellation
    (the KL terms of ``crossentropy.information.kl_terms``).  The limits are
    exact (:math:`0 \log 0 = 0`): at :math:`p = 0` it is 0 when :math:`k = 0` and
    :math:`-\infty` otherwise, likewise at :math:`p = 1`.

    Parameters
    ----------
    k, n : int
        Successes and trials, :math:`0 \le k \le n`.
    p : array_like
        Success probabilities in [0, 1] (a grid of the parameter), any shape.

    Returns
    -------
    ndarray or scalar
        Natural log-likelihood (nats), shape and float dtype of ``p``; computed in
        float64.

    Examples
    --------
    >>> print(f"{binomial_log_likelihood(34, 100, 1/3):.6f}")
    -2.487208
    >>> binomial_log_likelihood(0, 5, [0.0, 1.0])
    array([  0., -inf])
    """
    from scipy.special import xlog1py, xlogy

    from .information import kl_terms

    k_, n_ = _counts(k, n)
    arr = as_float_array(p, "p")
    check_unit_interval(arr, "p")
    x = arr.astype(np.float64)
    if k_ == 0 or k_ == n_:
        # One term only, exact: n log(1 - p) or n log p.
        with np.errstate(divide="ignore"):
            values = xlog1py(n_, -x) if k_ == 0 else xlogy(n_, x)
    else:
        inside = (x > 0) & (x < 1)
        xi = np.where(inside, x, 0.5)
        # 1 - p is rounded for p < 1/2; its error (1 - q) - p is exact (Sterbenz), and
        # n (1 - p) is formed from both parts so that b(n - k, .) sees the true value.
        q = 1.0 - xi
        q_err = (1.0 - q) - xi
        mean_k = n_ * xi
        mean_rest = n_ * q - n_ * q_err
        const = (
            _stirlerr(n_)
            - _stirlerr(k_)
            - _stirlerr(n_ - k_)
            + 0.5 * math.log(n_ / (2 * math.pi * k_ * (n_ - k_)))
        )
        values = (
            const
            - kl_terms(np.full_like(xi, k_), mean_k)
            - kl_terms(np.full_like(xi, n_ - k_), mean_rest)
        )
        values = np.where(inside, values, -np.inf)
    out = np.asarray(values).astype(arr.dtype, copy=False)
    return out[()] if out.ndim == 0 else out


def binomial_likelihood(k: int, n: int, p: ArrayLike) -> Any:
    r"""Likelihood :math:`L(p) = \binom{n}{k} p^k (1 - p)^{n - k}` of ``k`` successes in ``n``.

    The exponential of :func:`binomial_log_likelihood`.  As a function of ``p`` it
    is not a probability distribution: :math:`\int_0^1 L(p)\,dp = 1/(n + 1)`.

    Parameters
    ----------
    k, n : int
        Successes and trials, :math:`0 \le k \le n`.
    p : array_like
        Success probabilities in [0, 1], any shape.

    Returns
    -------
    ndarray or scalar
        :math:`L(p)`, shape and float dtype of ``p``.

    Examples
    --------
    >>> binomial_likelihood(34, 100, [1/6, 2/6, 3/6]).round(6)
    array([1.2000e-05, 8.3142e-02, 4.5800e-04])
    """
    log_l = np.asarray(binomial_log_likelihood(k, n, p))
    out = np.exp(log_l)
    return out[()] if out.ndim == 0 else out


def binomial_mle(k: int, n: int) -> float:
    r"""The maximum-likelihood estimate :math:`\hat p = k / n` of a success probability.

    Setting :math:`d\ell/dp = k/p - (n - k)/(1 - p)` to zero gives :math:`k/n`.

    Examples
    --------
    >>> binomial_mle(34, 100)
    0.34
    """
    k_, n_ = _counts(k, n)
    if n_ == 0:
        raise ValueError("`n` must be at least 1: with no trials every p is equally likely")
    return k_ / n_


@dataclass(frozen=True)
class LikelihoodGrid:
    r"""A likelihood evaluated over a grid of parameter values.

    Attributes
    ----------
    parameter : ndarray
        The grid of parameter values (e.g. success probabilities).
    log_likelihood : ndarray
        :math:`\ell` at each grid value, in nats.
    labels : tuple
        A name for each grid value (e.g. the number of red faces), for tables.

    Examples
    --------
    >>> grid = binomial_likelihood_grid(34, 100, [0.2, 0.3, 0.4])
    >>> float(grid.best), grid.best_index
    (0.3, 1)
    """

    parameter: FloatArray
    log_likelihood: FloatArray
    labels: tuple[Any, ...] = field(default=())

    @property
    def likelihood(self) -> FloatArray:
        """:math:`L = e^{\\ell}` at each grid value."""
        return np.exp(self.log_likelihood)

    @property
    def best_index(self) -> int:
        """Index of the grid value with the largest likelihood (the first, on ties)."""
        return int(np.argmax(self.log_likelihood))

    @property
    def best(self) -> Any:
        """The grid value that maximises the likelihood."""
        return self.parameter[self.best_index]

    @property
    def max_likelihood(self) -> float:
        """The largest likelihood on the grid."""
        return float(self.likelihood[self.best_index])

    def total(self) -> float:
        """Sum of the likelihoods over the grid: not 1 in general, since the
        likelihood is not a distribution over the parameter."""
        return math.fsum(float(v) for v in self.likelihood)

    def table(self, *, label: str = "p") -> str:
        """A plain-text table of the grid, its likelihood and log-likelihood."""
        labels = self.labels or tuple(f"{v:g}" for v in self.parameter)
        head = f"{label:>8}  {'p':>8}  {'likelihood':>12}  {'log-likelihood':>15}"
        rows = [head]
        for i, (lab, p, ll) in enumerate(
            zip(labels, self.parameter, self.log_likelihood, strict=True)
        ):
            mark = "  <- largest" if i == self.best_index else ""
            rows.append(f"{lab!s:>8}  {p:8.4f}  {math.exp(ll):12.4g}  {ll:15.6g}{mark}")
        return "\n".join(rows)


def binomial_likelihood_grid(k: int, n: int, grid: ArrayLike) -> LikelihoodGrid:
    """Binomial likelihood of ``k`` successes in ``n`` trials over the 1-D ``grid`` of p.

    Examples
    --------
    >>> g = binomial_likelihood_grid(34, 100, np.linspace(0, 1, 101))
    >>> float(g.best)
    0.34
    """
    arr = as_float_array(grid, "grid")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"`grid` must be a non-empty 1-D array of p values; got shape {arr.shape}")
    return LikelihoodGrid(arr, np.asarray(binomial_log_likelihood(k, n, arr)))


def dice_likelihood(reds: int = 34, throws: int = 100, *, faces: int = 6) -> LikelihoodGrid:
    r"""Likelihood of a die with :math:`r` red faces out of ``faces``, for r = 0..faces.

    The die is thrown ``throws`` times and shows red ``reds`` times; each
    :math:`r` gives :math:`p = r / \text{faces}` and the binomial likelihood of
    the observation.  The course's numbers (34 reds in 100 throws): largest at
    :math:`r = 2` (0.0831), against 1.2e-5 at :math:`r = 1` and 4.6e-4 at
    :math:`r = 3`; over all :math:`r` the values sum to 0.0836, not to 1.

    Examples
    --------
    >>> grid = dice_likelihood()
    >>> print(grid.table(label="r"))
           r         p    likelihood   log-likelihood
           0    0.0000             0             -inf
           1    0.1667     1.205e-05         -11.3267
           2    0.3333       0.08314         -2.48721  <- largest
           3    0.5000     0.0004581         -7.68841
           4    0.6667     1.936e-11         -24.6679
           5    0.8333     5.174e-28         -62.8288
           6    1.0000             0             -inf
    >>> round(grid.total(), 4)
    0.0836
    """
    f = _count(faces, "faces")
    if f < 1:
        raise ValueError(f"`faces` must be at least 1; got {f}")
    r = np.arange(f + 1)
    grid = binomial_likelihood_grid(reds, throws, r / f)
    return LikelihoodGrid(grid.parameter, grid.log_likelihood, tuple(int(v) for v in r))
