"""Tests of crossentropy.likelihood: the binomial likelihood and the dice of MISSION.md."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

from crossentropy.likelihood import (
    binomial_likelihood,
    binomial_likelihood_grid,
    binomial_log_likelihood,
    binomial_mle,
    dice_likelihood,
    log_binomial_coefficient,
)


def test_dice_numbers_of_the_course() -> None:
    grid = dice_likelihood(34, 100)
    like = grid.likelihood
    assert grid.labels == (0, 1, 2, 3, 4, 5, 6)
    assert grid.best_index == 2
    assert grid.best == pytest.approx(1 / 3)
    # MISSION.md quotes 0.0831, 1.2e-5 and 4.6e-4: compare at the digits it gives.
    assert round(like[2], 4) == 0.0831
    assert float(f"{like[1]:.2g}") == 1.2e-5
    assert float(f"{like[3]:.2g}") == 4.6e-4
    assert like[0] == 0.0 and like[6] == 0.0
    assert grid.max_likelihood == like[2]


def test_likelihood_is_not_a_distribution_over_p() -> None:
    grid = dice_likelihood()
    assert grid.total() == pytest.approx(0.0836, abs=5e-5)
    # Over all p the likelihood integrates to 1 / (n + 1), not 1; quad's default
    # tolerance (1.5e-8 relative) bounds the error.
    area, _ = integrate.quad(lambda p: binomial_likelihood(34, 100, p), 0, 1, points=[0.34])
    assert area == pytest.approx(1 / 101, rel=1e-7)


def test_against_scipy_binom() -> None:
    rng = np.random.default_rng(7)
    p = np.concatenate([[0.0, 1.0, 1e-300, 0.5, 1 - 1e-12], rng.uniform(size=50)])
    for n in (1, 10, 100, 5000):
        for k in (0, 1, n // 3, n - 1, n):
            ours = binomial_log_likelihood(k, n, p)
            ref = stats.binom.logpmf(k, n, p)
            # scipy sums terms of size n and loses up to ~1e-12 relative at n = 5000
            # (3e-9 at n = 1e6); the mpmath test below holds ours to 1e-14.
            np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-10)
            np.testing.assert_allclose(
                binomial_likelihood(k, n, p), stats.binom.pmf(k, n, p), rtol=1e-10, atol=0
            )


@given(
    st.integers(1, 10**7),
    st.floats(0.0, 1.0),
    st.one_of(st.floats(1e-12, 1 - 1e-12), st.floats(1e-300, 1e-6)),
    st.booleans(),
)
def test_against_mpmath(n: int, frac: float, p: float, at_mode: bool) -> None:
    k = min(n, int(frac * n))
    if at_mode:  # the hardest place: the terms of size n cancel to a small maximum
        p = max(min(k / n, 1 - 1e-12), 1e-12)
    ours = float(binomial_log_likelihood(k, n, p))
    with mpmath.workdps(50):
        ref = float(
            mpmath.log(mpmath.binomial(n, k))
            + k * mpmath.log(p)
            + (n - k) * mpmath.log1p(-mpmath.mpf(p))
        )
    # Loader's form keeps every part small: a few ulps of max(1, |l|) (measured 4e-15).
    assert abs(ours - ref) <= 1e-14 * max(1.0, abs(ref))


def test_log_binomial_coefficient() -> None:
    for n, k in [(0, 0), (5, 2), (174, 0), (10**6, 3), (10**6, 400_000), (25_000, 10_000)]:
        ref = float(mpmath.log(mpmath.binomial(n, k)))
        # Exact integer (correctly rounded log) or Stirling's form with its error terms.
        assert log_binomial_coefficient(n, k) == pytest.approx(ref, rel=4e-16, abs=0)


def test_exact_limits_at_zero_and_one() -> None:
    assert binomial_log_likelihood(0, 5, 0.0) == 0.0
    assert binomial_log_likelihood(5, 5, 1.0) == 0.0
    assert binomial_log_likelihood(1, 5, 0.0) == -math.inf
    assert binomial_log_likelihood(4, 5, 1.0) == -math.inf
    assert binomial_log_likelihood(0, 0, 0.5) == 0.0
    assert binomial_likelihood(0, 5, 0.0) == 1.0


def test_far_below_float_range() -> None:
    # The likelihood underflows to 0; the log-likelihood stays finite and exact.
    ll = binomial_log_likelihood(1, 10_000, 0.999)
    assert np.isfinite(ll) and ll < -60_000
    assert binomial_likelihood(1, 10_000, 0.999) == 0.0


def test_maximiser() -> None:
    assert binomial_mle(34, 100) == 0.34
    grid = binomial_likelihood_grid(34, 100, np.linspace(0, 1, 1001))
    assert grid.best == pytest.approx(0.34, abs=1e-12)
    # The derivative k/p - (n-k)/(1-p) vanishes at k/n: central differences,
    # step 1e-6, are accurate to ~1e-6 relative here.
    h = 1e-6
    slope = (
        binomial_log_likelihood(34, 100, 0.34 + h) - binomial_log_likelihood(34, 100, 0.34 - h)
    ) / (2 * h)
    assert abs(slope) < 1e-4


def test_dtype_and_shape() -> None:
    p32 = np.array([0.25, 0.5], dtype=np.float32)
    assert binomial_log_likelihood(3, 10, p32).dtype == np.float32
    assert binomial_likelihood(3, 10, np.zeros((2, 3))).shape == (2, 3)
    assert isinstance(binomial_log_likelihood(3, 10, 0.5), float)


def test_table_marks_the_largest() -> None:
    table = dice_likelihood().table(label="r")
    lines = table.splitlines()
    assert len(lines) == 8
    assert lines[3].split()[0] == "2" and lines[3].endswith("<- largest")


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((35, 34, 0.5), ValueError, "at most `n`"),
        ((-1, 10, 0.5), ValueError, "non-negative"),
        ((-3.0, 10, 0.5), ValueError, "`k` must be non-negative; got -3.0"),
        ((3.5, 10, 0.5), TypeError, "whole number"),
        ((3, 10, 1.5), ValueError, r"\[0, 1\]; got 1.5"),
        ((3, 10, -0.1), ValueError, "non-negative"),
        ((3, 10, float("nan")), ValueError, "finite"),
    ],
)
def test_bad_input(args: tuple, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        binomial_log_likelihood(*args)


def test_bad_input_of_helpers() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        binomial_mle(0, 0)
    with pytest.raises(ValueError, match="1-D"):
        binomial_likelihood_grid(1, 2, [[0.5]])
    with pytest.raises(ValueError, match="at least 1"):
        dice_likelihood(faces=0)
    with pytest.raises(ValueError, match="at most `n`"):
        log_binomial_coefficient(5, 7)
    with pytest.raises(TypeError, match="`n` must be a whole number"):
        log_binomial_coefficient(5.5, 2)  # type: ignore[arg-type]
    assert log_binomial_coefficient(10.0, 3.0) == math.log(120)  # type: ignore[arg-type]
