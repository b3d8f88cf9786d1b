"""Tests of crossentropy.information: worked numbers, accuracy against mpmath,
identities (hypothesis), agreement with scipy, dtypes, broadcasting and axes.

Input errors (negative entries, bad base, ...) are tested in test_validation.py.
"""

from __future__ import annotations

import math
from typing import Any

import mpmath as mp
import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import _reference as ref
import crossentropy as xe
from crossentropy.information import kl_terms

LN2 = math.log(2.0)

# Accuracy required by the issue: float64 results within 1e-14 relative of the exact
# value, float32 results within 1e-6.  (Rounding a float64 result alone costs 1.1e-16;
# the budget covers a few roundings per term, the conversion to bits, and pairwise
# summation of up to 1e6 non-negative terms.)
RTOL: dict[Any, float] = {np.float64: 1e-14, np.float32: 1e-6}


# --------------------------------------------------------------------------------------
# The worked numbers of MISSION.md
# --------------------------------------------------------------------------------------


def test_fair_coin_has_ln2_nats_and_one_bit() -> None:
    assert f"{xe.entropy([0.5, 0.5]):.4f}" == "0.6931"
    assert xe.entropy([0.5, 0.5]) == pytest.approx(math.log(2), rel=1e-15, abs=0)
    assert xe.entropy([0.5, 0.5], base="bits") == pytest.approx(1.0, rel=1e-15, abs=0)
    assert xe.binary_entropy(0.5, base=2) == pytest.approx(1.0, rel=1e-15, abs=0)


@pytest.mark.parametrize("p", [[1.0, 0.0], [0.0, 1.0], [1.0], [0.0, 0.0, 1.0, 0.0]])
def test_certain_outcome_has_zero_entropy(p: list[float]) -> None:
    h = xe.entropy(p)
    assert h == 0.0
    assert not np.signbit(h)  # +0.0, not -0.0


def test_covid_diabetes_heart_example() -> None:
    p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
    assert f"{xe.kl_divergence(p, q):.5f}" == "0.12567"
    assert f"{xe.kl_divergence(p, q, base=2):.5f}" == "0.18130"
    assert f"{xe.kl_divergence(p, q, base='bits'):.5f}" == "0.18130"
    assert f"{xe.entropy(p):.5f}" == "0.80182"
    assert f"{xe.cross_entropy(p, q):.5f}" == "0.92749"
    # D_KL = H(P, Q) - H(P), here far from any cancellation.
    assert xe.kl_divergence(p, q) == pytest.approx(
        xe.cross_entropy(p, q) - xe.entropy(p), rel=1e-14, abs=0
    )


def test_four_balls_in_bits() -> None:
    p, uniform = [1 / 2, 1 / 4, 1 / 8, 1 / 8], [1 / 4] * 4
    # Dyadic probabilities: the exact answers are representable, and the results are
    # within an ulp or two of them.
    assert xe.entropy(p, base=2) == pytest.approx(1.75, rel=4e-16, abs=0)
    assert xe.cross_entropy(p, uniform, base=2) == pytest.approx(2.0, rel=4e-16, abs=0)
    assert xe.kl_divergence(p, uniform, base=2) == pytest.approx(0.25, rel=4e-16, abs=0)
    assert xe.entropy(uniform, base=2) == pytest.approx(2.0, rel=4e-16, abs=0)
    # Optimal code lengths 1, 2, 3, 3 are the self-information of each ball.
    np.testing.assert_allclose(xe.information(p, base=2), [1, 2, 3, 3], rtol=4e-16)


def test_information_of_events() -> None:
    assert xe.information(0.5, base="bits") == 1.0
    assert xe.information(1.0) == 0.0 and not np.signbit(xe.information(1.0))
    assert xe.information(0.0) == np.inf
    np.testing.assert_allclose(xe.information([0.1, 0.01], base=10), [1, 2], rtol=4e-16)


def test_units_by_name_and_number_agree() -> None:
    p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
    nats = xe.kl_divergence(p, q)
    for base, log_base in [
        (None, 1.0),
        (math.e, 1.0),
        ("nats", 1.0),
        (2, LN2),
        ("bits", LN2),
        (10, math.log(10)),
        ("bans", math.log(10)),
        (3.5, math.log(3.5)),
        (0.5, math.log(0.5)),
    ]:
        assert xe.kl_divergence(p, q, base=base) == pytest.approx(nats / log_base, rel=2e-16, abs=0)


# --------------------------------------------------------------------------------------
# Accuracy against mpmath on hostile inputs
# --------------------------------------------------------------------------------------


def _hostile_float64() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(20240601)
    cases: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    p = rng.dirichlet(np.ones(5))
    cases["ordinary K=5"] = (p, rng.dirichlet(np.ones(5)))
    # Probabilities down to 1e-300 and subnormals (1e-310, 5e-324), on either side.
    cases["tiny entries"] = (
        np.array([0.6, 0.4, 1e-300, 1e-310, 5e-324, 0.0]),
        np.array([0.5, 0.5, 2e-300, 1e-300, 1e-320, 3e-310]),
    )
    cases["tiny against large"] = (
        np.array([1e-300, 5e-324, 0.5, 0.5]),
        np.array([0.5, 0.25, 0.25, 1e-300]),
    )
    # p / q overflows (0.5 / 5e-324) and underflows (5e-324 / 0.5).
    cases["ratio out of range"] = (
        np.array([0.5, 0.5, 5e-324]),
        np.array([5e-324, 0.5, 0.5]),
    )
    base = rng.uniform(0.5, 1.5, 10)
    base /= base.sum()
    sign = np.where(np.arange(10) % 2 == 0, 1.0, -1.0)
    cases["1e-9 apart"] = (base, base + 1e-9 * sign)
    cases["one ulp apart"] = (
        base,
        np.where(sign > 0, np.nextafter(base, 1), np.nextafter(base, 0)),
    )
    cases["tiny and close"] = (
        np.array([0.5, 0.5, 3e-300]),
        np.array([0.5, 0.5, 3e-300 * (1 + 1e-9)]),
    )
    cases["peaked"] = (np.array([1 - 2.0**-50, 2.0**-50]), np.array([1 - 2.0**-40, 2.0**-40]))
    # |u| = |p - q| / (p + q) exactly 1/4, where the series hands over to log(p/q).
    cases["series boundary"] = (np.array([0.625, 0.375]), np.array([0.375, 0.625]))
    cases["just inside the series"] = (
        np.array([0.6249999, 0.3750001]),
        np.array([0.3750001, 0.6249999]),
    )
    cases["K=1"] = (np.array([1.0]), np.array([1.0]))
    wild = rng.dirichlet(np.full(1000, 0.05))  # many entries below 1e-100
    wild[::97] = 0.0
    wild /= wild.sum()
    cases["K=1000 Dirichlet(0.05) with zeros"] = (wild, rng.dirichlet(np.ones(1000)))
    k = 10**6
    cases["K=1e6 close"] = (
        np.full(k, 1e-6),
        1e-6 * (1 + 1e-7 * np.where(np.arange(k) % 2 == 0, 1.0, -1.0)),
    )
    cases["K=1e6 half tiny"] = (
        np.concatenate([np.full(k // 2, 2e-6), np.full(k // 2, 1e-300)]),
        np.full(k, 1e-6),
    )
    return cases


def _hostile_float32() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    f = np.float32
    cases: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    cases["ordinary K=5"] = (
        rng.dirichlet(np.ones(5)).astype(f),
        rng.dirichlet(np.ones(5)).astype(f),
    )
    # Smallest normal float32 is 1.2e-38; 1e-40 and 1e-45 are subnormal.
    cases["tiny entries"] = (
        np.array([0.6, 0.4, 1e-37, 1e-40, 1e-45, 0.0], f),
        np.array([0.5, 0.5, 2e-37, 1e-37, 3e-45, 1e-40], f),
    )
    cases["ratio out of range"] = (np.array([0.5, 0.5, 1e-45], f), np.array([1e-45, 0.5, 0.5], f))
    base = rng.uniform(0.5, 1.5, 10)
    base = (base / base.sum()).astype(f)
    sign = np.arange(10) % 2 == 0
    cases["one ulp apart"] = (
        base,
        np.where(sign, np.nextafter(base, f(1)), np.nextafter(base, f(0))),
    )
    cases["peaked"] = (np.array([1 - 2.0**-20, 2.0**-20], f), np.array([1 - 2.0**-12, 2.0**-12], f))
    cases["series boundary"] = (np.array([0.625, 0.375], f), np.array([0.375, 0.625], f))
    cases["K=1"] = (np.array([1.0], f), np.array([1.0], f))
    k = 10**6
    cases["K=1e6 close"] = (
        np.full(k, 1e-6, f),
        (1e-6 * (1 + 1e-3 * np.where(np.arange(k) % 2 == 0, 1.0, -1.0))).astype(f),
    )
    return cases


HOSTILE = [(np.float64, name, pq) for name, pq in _hostile_float64().items()] + [
    (np.float32, name, pq) for name, pq in _hostile_float32().items()
]


def _check(value: Any, exact: mp.mpf, dtype: Any, what: str) -> float:
    assert np.asarray(value).dtype == dtype, what
    err = ref.rel_err(value, exact, float(np.finfo(dtype).tiny))
    if exact == 0:
        assert value == 0, f"{what}: {value!r}, exact 0"
    assert err <= RTOL[dtype], f"{what}: {float(value)!r} vs {mp.nstr(exact, 20)} (rel {err:.2g})"
    return err


@pytest.mark.parametrize(
    ("dtype", "name", "pq"), HOSTILE, ids=[f"{d.__name__}-{n}" for d, n, _ in HOSTILE]
)
def test_measures_match_mpmath_on_hostile_inputs(dtype: Any, name: str, pq: tuple) -> None:
    p, q = pq
    assert p.dtype == dtype and q.dtype == dtype
    _check(xe.entropy(p), ref.entropy(p), dtype, "H(P)")
    _check(xe.entropy(q), ref.entropy(q), dtype, "H(Q)")
    _check(xe.cross_entropy(p, q), ref.cross_entropy(p, q), dtype, "H(P, Q)")
    _check(xe.cross_entropy(q, p), ref.cross_entropy(q, p), dtype, "H(Q, P)")
    # The reference for KL is the exact value of sum p log(p/q) - p + q for these
    # floats: it is what the library promises (each term >= 0, so the sum is never
    # negative), and it equals sum p log(p/q) whenever the rows sum to exactly 1.
    # Rows that are only within rounding of 1 make the plain sum differ by
    # sum q - sum p (up to 1e-16), which would swamp a KL of 1e-18.
    kl = _check(xe.kl_divergence(p, q), ref.kl_generalized(p, q), dtype, "KL(P||Q)")
    _check(xe.kl_divergence(q, p), ref.kl_generalized(q, p), dtype, "KL(Q||P)")
    _check(xe.kl_divergence(p, q, base=2), ref.kl_generalized(p, q) / mp.log(2), dtype, "KL bits")
    _check(xe.entropy(p, base=10), ref.entropy(p) / mp.log(10), dtype, "H bans")
    assert kl <= RTOL[dtype]


def test_close_distributions_have_positive_kl() -> None:
    # Where peers return about -1e-16: p and q 1e-9 apart, true KL 2.4e-18 nats.
    p = np.array([0.3, 0.7])
    q = p + np.array([1e-9, -1e-9])
    kl = xe.kl_divergence(p, q)
    assert kl > 0
    exact = ref.kl_generalized(p, q)
    assert ref.rel_err(kl, exact, 1e-300) <= 1e-14
    assert ref.rel_err(xe.kl_divergence(p, q, base=2), exact / mp.log(2), 1e-300) <= 1e-14


# Rows of dyadic numbers sum to exactly 1, so the generalized terms add up to the
# textbook sum p log(p/q): compare with that directly.  ``bits`` is the precision of
# the dtype, so that every value below is representable.
def _dyadic_cases(bits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    k = 2**20
    alt = np.where(np.arange(k) % 2 == 0, 1.0, -1.0)
    fine = 2.0 ** -(bits - 2)
    return [
        (np.array([0.5 + fine, 0.5 - fine]), np.array([0.5, 0.5])),
        (np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8]), np.full(4, 0.25)),
        (
            np.array([2.0**-1, 2.0**-2, 2.0**-3, 2.0**-4, 2.0**-4]),
            np.array([2.0**-4, 2.0**-4, 2.0**-3, 2.0**-2, 2.0**-1]),
        ),
        (np.full(k, 2.0**-20), 2.0**-20 * (1 + fine * alt)),
        (np.array([1 - 2 * fine, 2 * fine]), np.array([1 - 2.0**-12, 2.0**-12])),
    ]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", range(5))
def test_kl_matches_plain_sum_on_rows_summing_to_exactly_one(case: int, dtype: Any) -> None:
    p, q = _dyadic_cases(np.finfo(dtype).nmant + 1)[case]
    p, q = p.astype(dtype), q.astype(dtype)
    for row in (p, q):  # the premise: both rows sum to exactly 1 in real arithmetic
        uniq, counts = np.unique(row, return_counts=True)
        assert mp.fsum(int(n) * ref.mpf(v) for v, n in zip(uniq, counts, strict=True)) == 1
    exact = ref.kl_plain(p, q)
    assert exact > 0
    assert abs(exact - ref.kl_generalized(p, q)) <= exact * mp.mpf(10) ** (2 - ref.DPS)
    err = ref.rel_err(xe.kl_divergence(p, q), exact, float(np.finfo(dtype).tiny))
    assert err <= RTOL[dtype]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kl_of_a_distribution_with_itself_is_exactly_zero(dtype: Any) -> None:
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.full(50, 0.1), size=20)
    p[:, ::7] = 0.0
    p[0, 1] = 1e-300 if dtype == np.float64 else 1e-40
    p = (p / p.sum(axis=1, keepdims=True)).astype(dtype)
    kl = xe.kl_divergence(p, p)
    assert kl.dtype == dtype
    assert np.all(kl == 0) and not np.any(np.signbit(kl))
    assert xe.kl_divergence([1.0], [1.0]) == 0


def test_infinite_and_zero_limits() -> None:
    # q = 0 where p > 0: inf; p = 0 where q > 0: no contribution to H(P, Q).
    assert xe.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert xe.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert xe.cross_entropy([1.0, 0.0], [0.5, 0.5]) == pytest.approx(LN2, rel=1e-15, abs=0)
    assert xe.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(LN2, rel=1e-15, abs=0)
    assert xe.kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0
    assert xe.information([0.0, 1.0]).tolist() == [np.inf, 0.0]
    assert xe.binary_entropy([0.0, 1.0]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_information_and_binary_entropy_match_mpmath(dtype: Any) -> None:
    tiny = 1e-300 if dtype == np.float64 else 1e-37
    sub = 5e-324 if dtype == np.float64 else 1e-45
    eps = float(np.finfo(dtype).eps)
    p = np.array([1.0, 1 - eps / 2, 1 - eps, 0.5, 0.3, 1e-5, tiny, sub, 1e-20], dtype)
    info = xe.information(p)
    hb = xe.binary_entropy(p)
    info_bits = xe.information(p, base=2)
    assert info.dtype == hb.dtype == info_bits.dtype == dtype
    floor = float(np.finfo(dtype).tiny)
    for i, v in enumerate(p):
        x = ref.mpf(v)
        exact_info = -mp.log(x)
        exact_hb = -x * mp.log(x) - (1 - x) * mp.log1p(-x) if x < 1 else mp.mpf(0)
        assert ref.rel_err(info[i], exact_info, floor) <= RTOL[dtype], (v, info[i])
        assert ref.rel_err(info_bits[i], exact_info / mp.log(2), floor) <= RTOL[dtype], v
        assert ref.rel_err(hb[i], exact_hb, floor) <= RTOL[dtype], (v, hb[i])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kl_terms_are_nonnegative_and_exact(dtype: Any) -> None:
    # The per-class terms p log(p/q) - p + q on a grid of ratios either side of the
    # series boundary |u| = 1/4 and at extreme magnitudes.
    rng = np.random.default_rng(11)
    scale = 10.0 ** rng.uniform(-30, 0, 400)
    ratio = np.concatenate([np.linspace(0.2, 5, 200), 1 + rng.normal(0, 1e-4, 200)])
    p = (scale * ratio).astype(dtype)
    q = scale.astype(dtype)
    terms = kl_terms(p, q)
    assert terms.dtype == dtype and np.all(terms >= 0)
    floor = float(np.finfo(dtype).tiny)
    worst = max(
        ref.rel_err(t, ref.kl_generalized(p[i : i + 1], q[i : i + 1]), floor)
        for i, t in enumerate(terms)
    )
    # Each term on its own: a few roundings, amplified by at most ~5 where the plain
    # formula cancels (|u| just above 1/4).
    assert worst <= 16 * float(np.finfo(dtype).eps)


# --------------------------------------------------------------------------------------
# Identities (hypothesis)
# --------------------------------------------------------------------------------------


def _normalized(w: list[float]) -> np.ndarray:
    a = np.asarray(w, dtype=np.float64)
    return a / a.sum()


@st.composite
def _distribution_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    k = draw(st.integers(1, 8))
    p = draw(
        st.lists(st.floats(0, 1), min_size=k, max_size=k)
        .filter(lambda v: sum(v) > 0)
        .map(_normalized)
    )
    kind = draw(st.sampled_from(["independent", "close", "equal"]))
    if kind == "equal":
        return p, p.copy()
    if kind == "close":
        delta = draw(st.lists(st.floats(-1e-6, 1e-6), min_size=k, max_size=k))
        moved = np.abs(p + np.asarray(delta))
        return p, (p.copy() if moved.sum() == 0 else _normalized(list(moved)))
    q = draw(
        st.lists(st.floats(0, 1), min_size=k, max_size=k)
        .filter(lambda v: sum(v) > 0)
        .map(_normalized)
    )
    return p, q


@settings(max_examples=150)
@given(_distribution_pairs())
def test_cross_entropy_is_entropy_plus_kl(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    h, ce, kl = xe.entropy(p), xe.cross_entropy(p, q), xe.kl_divergence(p, q)
    assert kl >= 0  # never negative, whatever the rounding
    assert ce >= h - 1e-15 * (1 + h)
    if np.isinf(ce):
        assert np.isinf(kl)
        return
    # Each of H and H(P, Q) is within a few ulps; rows sum to 1 within ~K ulps, which
    # is all that separates the generalized KL from H(P, Q) - H(P).
    assert kl == pytest.approx(ce - h, rel=1e-12, abs=1e-14 * (1 + ce))


@settings(max_examples=100)
@given(_distribution_pairs())
def test_kl_is_never_negative_and_zero_only_at_p_equal_q(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    kl = xe.kl_divergence(p, q)
    kl32 = xe.kl_divergence(p.astype(np.float32), q.astype(np.float32), normalize=True)
    assert kl >= 0 and kl32 >= 0
    if np.array_equal(p, q):
        assert kl == 0
    elif ref.kl_generalized(p, q) >= 5e-324:
        # Positive whenever the exact value is representable; distributions that differ
        # only in subnormal entries can have a true KL below the smallest double.
        assert kl > 0


@settings(max_examples=100)
@given(
    st.lists(st.floats(0, 1), min_size=1, max_size=12).filter(lambda v: sum(v) > 0).map(_normalized)
)
def test_entropy_between_zero_and_log_k(p: np.ndarray) -> None:
    h = xe.entropy(p)
    k = p.size
    assert 0 <= h <= math.log(k) * (1 + 8 * k * 2.2e-16)
    assert xe.entropy(np.full(k, 1 / k)) == pytest.approx(math.log(k), rel=1e-14, abs=1e-15)


@settings(max_examples=100)
@given(
    st.lists(st.floats(0, 1), min_size=1, max_size=6).filter(lambda v: sum(v) > 0).map(_normalized),
    st.lists(st.floats(0, 1), min_size=1, max_size=6).filter(lambda v: sum(v) > 0).map(_normalized),
)
def test_entropy_of_independent_joint_is_sum(p: np.ndarray, q: np.ndarray) -> None:
    joint = np.outer(p, q)
    expected = xe.entropy(p) + xe.entropy(q)
    # The products p_i q_j are rounded once each: a relative error of 1.1e-16 per
    # term and a row sum within ~36 ulps of 1.
    assert xe.entropy(joint.ravel()) == pytest.approx(expected, rel=1e-13, abs=1e-15)


@settings(max_examples=100)
@given(st.floats(1e-150, 1.0), st.floats(1e-150, 1.0))
def test_information_adds_over_independent_events(a: float, b: float) -> None:
    # I(ab) = I(a) + I(b); a*b is rounded once (relative 1.1e-16, i.e. an absolute
    # 1.1e-16 in its logarithm).
    total = xe.information(a) + xe.information(b)
    assert xe.information(a * b) == pytest.approx(total, rel=1e-15, abs=2.3e-16)
    assert xe.information(a * b, base=2) == pytest.approx(total / LN2, rel=1e-15, abs=4e-16)


# --------------------------------------------------------------------------------------
# Agreement with scipy on ordinary inputs
# --------------------------------------------------------------------------------------

# scipy sums p log(p/q) terms of both signs and renormalizes; on these inputs both are
# accurate to a few ulps, so 1e-13 relative leaves room for scipy's rounding only.
SCIPY_RTOL = 1e-13


@pytest.fixture(scope="module")
def ordinary() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    return rng.dirichlet(np.ones(6), size=40), rng.dirichlet(np.full(6, 2.0), size=40)


def test_entropy_matches_scipy(ordinary: tuple[np.ndarray, np.ndarray]) -> None:
    p, _ = ordinary
    np.testing.assert_allclose(xe.entropy(p), scipy.stats.entropy(p, axis=1), rtol=SCIPY_RTOL)
    np.testing.assert_allclose(
        xe.entropy(p, base=2), scipy.stats.entropy(p, base=2, axis=1), rtol=SCIPY_RTOL
    )
    np.testing.assert_allclose(xe.entropy(p.T, axis=0), scipy.stats.entropy(p.T), rtol=SCIPY_RTOL)
    np.testing.assert_allclose(xe.entropy(p), scipy.special.entr(p).sum(axis=1), rtol=SCIPY_RTOL)


def test_kl_and_cross_entropy_match_scipy(ordinary: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = ordinary
    np.testing.assert_allclose(
        xe.kl_divergence(p, q), scipy.stats.entropy(p, q, axis=1), rtol=SCIPY_RTOL
    )
    np.testing.assert_allclose(
        xe.kl_divergence(p, q, base=10), scipy.stats.entropy(p, q, base=10, axis=1), rtol=SCIPY_RTOL
    )
    np.testing.assert_allclose(
        xe.kl_divergence(p, q), scipy.special.rel_entr(p, q).sum(axis=1), rtol=SCIPY_RTOL
    )
    np.testing.assert_allclose(
        xe.cross_entropy(p, q),
        scipy.stats.entropy(p, axis=1) + scipy.stats.entropy(p, q, axis=1),
        rtol=SCIPY_RTOL,
    )


def test_normalize_matches_scipy_renormalization() -> None:
    counts = np.array([[3, 1, 0, 4], [1, 1, 1, 1]])
    weights = np.array([[1.0, 2.0, 3.0, 4.0], [0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(
        xe.entropy(counts, normalize=True), scipy.stats.entropy(counts, axis=1), rtol=SCIPY_RTOL
    )
    np.testing.assert_allclose(
        xe.kl_divergence(weights, counts + 1, normalize=True),
        scipy.stats.entropy(weights, counts + 1, axis=1),
        rtol=SCIPY_RTOL,
    )
    assert f"{xe.entropy([3, 1], normalize=True, base=2):.4f}" == "0.8113"


def test_binary_entropy_and_information_match_scipy() -> None:
    p = np.linspace(0, 1, 101)
    np.testing.assert_allclose(
        xe.binary_entropy(p), scipy.special.entr(p) + scipy.special.entr(1 - p), rtol=1e-14
    )
    np.testing.assert_allclose(
        xe.binary_entropy(p, base=2),
        (scipy.special.entr(p) + scipy.special.entr(1 - p)) / LN2,
        rtol=1e-14,
    )
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(xe.information(p, base=2), -np.log2(p), rtol=1e-15)


# --------------------------------------------------------------------------------------
# dtypes, shapes, broadcasting, axes
# --------------------------------------------------------------------------------------


def _all_measures(p: Any, q: Any, **kw: Any) -> dict[str, Any]:
    return {
        "information": xe.information(p, **{k: v for k, v in kw.items() if k == "base"}),
        "binary_entropy": xe.binary_entropy(p, **{k: v for k, v in kw.items() if k == "base"}),
        "entropy": xe.entropy(p, **kw),
        "cross_entropy": xe.cross_entropy(p, q, **kw),
        "kl_divergence": xe.kl_divergence(p, q, **kw),
    }


@pytest.mark.parametrize("base", [None, 2, 3.0])
@pytest.mark.parametrize(
    ("in_dtype", "out_dtype"),
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.float16, np.float32),
        (np.int64, np.float64),
    ],
)
def test_dtype_policy(in_dtype: Any, out_dtype: Any, base: Any) -> None:
    p = np.array([[1, 0], [0, 1]], dtype=in_dtype)
    q = np.array([[1, 0], [1, 0]], dtype=in_dtype)
    for name, value in _all_measures(p, q, base=base).items():
        assert np.asarray(value).dtype == out_dtype, name
    f32 = np.array([0.25, 0.75], np.float32)
    # An integer row (one-hot) next to float32 computes in float32.
    assert xe.kl_divergence([0, 1], f32).dtype == np.float32
    assert xe.cross_entropy(np.array([0, 1]), f32, base=base).dtype == np.float32
    assert xe.entropy(f32, base=base).dtype == np.float32


def _peak_bytes(fn: object, *args: object) -> int:
    import tracemalloc

    fn(*args)  # type: ignore[operator]
    tracemalloc.start()
    try:
        fn(*args)  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", ["entropy", "cross_entropy", "kl_divergence"])
def test_float32_is_not_copied_to_float64(name: str) -> None:
    # NumPy reports its buffers to tracemalloc.  The float32 computation must need
    # about half the memory of the float64 one; a float64 copy of the input (or
    # float64 temporaries) would bring the ratio to 1 or above.
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(500), size=400)
    q = rng.dirichlet(np.ones(500), size=400)
    fn = getattr(xe, name)
    args = (p,) if name == "entropy" else (p, q)
    peak64 = _peak_bytes(fn, *args)
    peak32 = _peak_bytes(fn, *(a.astype(np.float32) for a in args))
    assert peak32 <= 0.65 * peak64, peak32 / peak64


def test_scalars_and_shapes() -> None:
    assert isinstance(xe.entropy([0.5, 0.5]), np.float64)
    assert np.ndim(xe.information(0.5)) == 0
    p = np.full((2, 3, 4), 0.25)
    assert xe.entropy(p).shape == (2, 3)
    assert xe.entropy(np.full((2, 3, 4), 0.5), axis=0).shape == (3, 4)
    assert xe.entropy(np.full((2, 3, 4), 1 / 3), axis=1).shape == (2, 4)
    assert xe.information(p).shape == p.shape
    assert xe.entropy(np.empty((0, 3))).shape == (0,)


def test_axis_handling_on_three_dimensional_arrays() -> None:
    rng = np.random.default_rng(9)
    p = rng.dirichlet(np.ones(4), size=(3, 5))  # (3, 5, 4), classes last
    q = rng.dirichlet(np.ones(4), size=(3, 5))
    expected = np.array([[xe.kl_divergence(p[i, j], q[i, j]) for j in range(5)] for i in range(3)])
    np.testing.assert_array_equal(xe.kl_divergence(p, q), expected)
    np.testing.assert_array_equal(xe.kl_divergence(p, q, axis=2), expected)
    # The same numbers with the classes moved to axis 0 and to axis 1.
    np.testing.assert_array_equal(
        xe.kl_divergence(np.moveaxis(p, 2, 0), np.moveaxis(q, 2, 0), axis=0), expected
    )
    np.testing.assert_array_equal(
        xe.kl_divergence(np.moveaxis(p, 2, 1), np.moveaxis(q, 2, 1), axis=1), expected
    )
    np.testing.assert_array_equal(
        xe.cross_entropy(np.moveaxis(p, 2, 1), np.moveaxis(q, 2, 1), axis=-2),
        xe.cross_entropy(p, q),
    )
    np.testing.assert_array_equal(xe.entropy(np.moveaxis(p, 2, 0), axis=0), xe.entropy(p))


def test_broadcasting_one_row_against_many() -> None:
    rng = np.random.default_rng(10)
    p = rng.dirichlet(np.ones(4))
    q = rng.dirichlet(np.ones(4), size=6)
    kl = xe.kl_divergence(p, q)
    assert kl.shape == (6,)
    np.testing.assert_array_equal(kl, [xe.kl_divergence(p, row) for row in q])
    np.testing.assert_array_equal(xe.cross_entropy(q, p), [xe.cross_entropy(row, p) for row in q])
    # 1-D p against q with classes on axis 0: p broadcasts as (4, 1)-shaped rows
    # only if the caller says so; here p[:, None] has the class axis first.
    np.testing.assert_array_equal(
        xe.kl_divergence(p[:, None], q.T, axis=0), [xe.kl_divergence(p, row) for row in q]
    )
    # (2, 1, K) against (1, 3, K) gives (2, 3).
    a = rng.dirichlet(np.ones(4), size=(2, 1))
    b = rng.dirichlet(np.ones(4), size=(1, 3))
    out = xe.kl_divergence(a, b)
    assert out.shape == (2, 3)
    assert out[1, 2] == xe.kl_divergence(a[1, 0], b[0, 2])


# --------------------------------------------------------------------------------------
# normalize=True with sums beyond the float range: scaled, never 0 or inf
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_normalize_survives_sums_that_overflow(dtype: type) -> None:
    big = np.finfo(dtype).max
    counts = np.array([big, big], dtype=dtype)
    h = xe.entropy(counts, normalize=True)
    assert h.dtype == dtype
    np.testing.assert_allclose(h, np.log(2), rtol=1e-6)
    assert xe.kl_divergence(counts, [1, 1], normalize=True) == 0
    np.testing.assert_allclose(xe.cross_entropy([1, 1], counts, normalize=True), np.log(2), 1e-6)


def test_normalize_keeps_the_digits_of_subnormal_counts() -> None:
    # 1e-320 and 3e-320 are subnormal: summed directly they keep only a few digits.
    tiny = xe.entropy([1e-320, 3e-320], normalize=True)
    assert tiny == xe.entropy([1.0, 3.0], normalize=True)


def test_normalize_scales_only_rows_that_need_it() -> None:
    rows = np.array([[1.0, 3.0], [1e308, 1e308]])
    h = xe.entropy(rows, normalize=True)
    assert h[0] == xe.entropy([0.25, 0.75])
    assert h[1] == np.log(2)


def test_options_are_checked_by_type() -> None:
    """A truthy string is not ``normalize=True``; a base too large for a float is a
    ValueError naming ``base``, not an OverflowError from float()."""
    for fn in (
        lambda **kw: xe.entropy([3, 1], **kw),
        lambda **kw: xe.cross_entropy([3, 1], [1, 1], **kw),
        lambda **kw: xe.kl_divergence([3, 1], [1, 1], **kw),
    ):
        with pytest.raises(TypeError, match="`normalize` must be True or False; got str 'yes'"):
            fn(normalize="yes")
        with pytest.raises(ValueError, match=r"`base` must be .* got an integer of 401 digits"):
            fn(normalize=True, base=10**400)
    with pytest.raises(ValueError, match="`base`"):
        xe.information(0.5, base=10**400)
    with pytest.raises(TypeError, match=r"`axis` must be an integer; got float 1\.0"):
        xe.entropy([0.5, 0.5], axis=1.0)  # type: ignore[arg-type]
