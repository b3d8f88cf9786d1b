"""Tests of crossentropy.coding: Huffman codes, their lengths, and coding with a wrong model."""

from __future__ import annotations

import heapq
import itertools
import math
from functools import cache

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crossentropy as xe
from crossentropy.coding import (
    PrefixCode,
    bits_per_symbol,
    block_code,
    coding_cost,
    decode,
    encode,
    expected_length,
    huffman_code,
)

FOUR_BALLS = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
# Sums of a few dozen products p_i * l_i in float64: the rounding is below 1e-13,
# far below the smallest gap between distinct expected lengths that the tests compare.
TOL = 1e-12


def distributions(min_k: int = 2, max_k: int = 30, *, zeros: bool = False) -> st.SearchStrategy:
    """Random distributions: positive weights (or with zeros), normalised."""
    low = 0.0 if zeros else 1e-3
    weights = st.lists(st.floats(low, 1.0), min_size=min_k, max_size=max_k)
    return weights.filter(lambda w: sum(w) > 0).map(lambda w: np.array(w) / math.fsum(w))


def prefix_free(words: list[str]) -> bool:
    """Pairwise check, independent of the library's sorted-neighbour check."""
    return not any(a != b and b.startswith(a) for a in words for b in words) and len(
        set(words)
    ) == len(words)


# ---------------------------------------------------------------- MISSION.md's numbers


def test_four_balls_codes_and_lengths() -> None:
    code = huffman_code(FOUR_BALLS, symbols="abcd")
    assert dict(code) == {"a": "1", "b": "01", "c": "001", "d": "000"}
    assert expected_length(code, FOUR_BALLS) == 1.75
    assert xe.entropy(FOUR_BALLS, base=2) == 1.75


def test_four_balls_coded_as_uniform_cost_two_bits_waste_quarter() -> None:
    cost = coding_cost(FOUR_BALLS, [1 / 4] * 4)
    assert cost.dyadic
    assert cost.expected_length == 2.0
    assert cost.cross_entropy == 2.0
    assert cost.entropy == 1.75
    # kl_divergence works in nats and divides by ln 2: one rounding step, 1 ulp.
    assert cost.kl_divergence == pytest.approx(0.25, rel=4e-16)
    assert cost.own_length == 1.75
    assert cost.excess == 0.25
    assert cost.unit == "bits"


def test_equally_likely_balls_need_two_bits_with_every_code() -> None:
    code = huffman_code([1 / 4] * 4)
    assert sorted(code.lengths) == [2, 2, 2, 2]
    assert expected_length(code, [1 / 4] * 4) == 2.0
    # Any other prefix code of four symbols is no shorter on average.
    assert expected_length(["1", "01", "001", "000"], [1 / 4] * 4) == 2.25


# ---------------------------------------------------------------- bounds and optimality


@given(distributions())
def test_entropy_bound_binary(p: np.ndarray) -> None:
    code = huffman_code(p)
    length = expected_length(code, p)
    h = float(xe.entropy(p, base=2))
    assert h - TOL <= length < h + 1


@given(distributions(), st.integers(2, 7))
def test_entropy_bound_d_ary(p: np.ndarray, base: int) -> None:
    code = huffman_code(p, base=base)
    length = expected_length(code, p)
    h = float(xe.entropy(p, base=base))
    assert h - TOL <= length < h + 1


@given(distributions(zeros=True))
def test_bound_with_zero_probabilities(p: np.ndarray) -> None:
    """Zero-probability symbols get codewords; L < H + 1 unless one outcome is certain."""
    code = huffman_code(p)
    assert len(code) == len(p)
    length = expected_length(code, p)
    h = float(xe.entropy(p, base=2))
    assert h - TOL <= length <= h + 1 + TOL
    # Strict unless one outcome is certain; checked where H is not lost against 1 in
    # float64 (a second outcome of probability 1e-194 leaves H + 1 == 1).
    if np.sort(p)[-2] > 1e-6:
        assert length < h + 1


@given(distributions(1, 40))
def test_binary_code_is_prefix_free_and_complete(p: np.ndarray) -> None:
    code = huffman_code(p)
    assert prefix_free(list(code.codewords))
    assert all(set(w) <= {"0", "1"} for w in code.codewords)
    # A binary Huffman tree is full: Kraft's sum is exactly 1 (powers of 2 add exactly).
    assert code.kraft_sum() == 1.0


@given(distributions(1, 40), st.integers(3, 12))
def test_d_ary_code_is_prefix_free_and_obeys_kraft(p: np.ndarray, base: int) -> None:
    code = huffman_code(p, base=base)
    assert prefix_free(list(code.codewords))
    assert all(set(w) <= set("0123456789ab"[:base]) for w in code.codewords)
    assert code.kraft_sum() <= 1.0 + TOL


@cache
def _feasible_lengths(k: int, base: int, max_len: int) -> np.ndarray:
    """Every vector of codeword lengths 1..max_len that satisfies Kraft's inequality."""
    grid = np.array(list(itertools.product(range(1, max_len + 1), repeat=k)), dtype=float)
    kraft = (float(base) ** -grid).sum(axis=1)
    return grid[kraft <= 1 + 1e-12]


@given(distributions(2, 6))
def test_huffman_is_optimal_against_brute_force_binary(p: np.ndarray) -> None:
    # Kraft's inequality characterises prefix codes, so the best length vector over
    # all feasible ones is the best prefix code; lengths above K - 1 are never needed.
    lengths = _feasible_lengths(len(p), 2, len(p) - 1)
    best = float((lengths @ p).min())
    assert expected_length(huffman_code(p), p) == pytest.approx(best, abs=TOL)


@given(distributions(2, 5), st.sampled_from([3, 4]))
def test_huffman_is_optimal_against_brute_force_d_ary(p: np.ndarray, base: int) -> None:
    lengths = _feasible_lengths(len(p), base, 3)
    best = float((lengths @ p).min())
    assert expected_length(huffman_code(p, base=base), p) == pytest.approx(best, abs=TOL)


def heap_huffman(p: np.ndarray, base: int) -> list[str]:
    """Textbook Huffman with a priority queue keyed (weight, kind, order): dummies,
    then symbols in their order, then merged nodes in the order they were made;
    the nodes of a merge get the digits D-1, ..., 0 in the order they were taken."""
    k = len(p)
    dummies = (-(k - 1)) % (base - 1) if k > 1 else 0
    heap = [(0.0, 0, j, ("dummy",)) for j in range(dummies)]
    heap += [(float(w), 1, i, (i,)) for i, w in enumerate(p)]
    heapq.heapify(heap)
    words = [""] * k
    seq = 0
    while len(heap) > 1:
        taken = [heapq.heappop(heap) for _ in range(base)]
        members: tuple = ()
        for digit, (_, _, _, leaves) in zip("0123456789ab"[:base][::-1], taken, strict=True):
            for leaf in leaves:
                if leaf != "dummy":
                    words[leaf] = digit + words[leaf]
            members += leaves
        heapq.heappush(heap, (math.fsum(t[0] for t in taken), 2, seq, members))
        seq += 1
    return words


@given(distributions(1, 40, zeros=True), st.integers(2, 6))
def test_same_codewords_as_a_priority_queue_huffman(p: np.ndarray, base: int) -> None:
    """The two-queue implementation breaks ties exactly as documented."""
    assert list(huffman_code(p, base=base).codewords) == heap_huffman(p, base)


@pytest.mark.parametrize("base", [2, 3])
def test_ties_everywhere_match_the_priority_queue(base: int) -> None:
    for p in ([0.25] * 4, [0.2] * 5, [1 / 6] * 6, [0.0, 0.5, 0.0, 0.5], [1.0, 0.0, 0.0]):
        assert list(huffman_code(p, base=base).codewords) == heap_huffman(np.array(p), base)


def test_dyadic_distribution_reaches_the_entropy() -> None:
    p = [1 / 2, 1 / 8, 1 / 8, 1 / 16, 1 / 16, 1 / 16, 1 / 32, 1 / 32]
    code = huffman_code(p)
    assert list(code.lengths) == [round(-math.log2(x)) for x in p]
    assert expected_length(code, p) == float(xe.entropy(p, base=2))


def test_ternary_dyadic_distribution_reaches_the_entropy() -> None:
    p = [1 / 3, 1 / 3, 1 / 9, 1 / 9, 1 / 9]
    code = huffman_code(p, base=3)
    assert list(code.lengths) == [1, 1, 2, 2, 2]
    assert expected_length(code, p) == pytest.approx(float(xe.entropy(p, base=3)), abs=TOL)


def test_d_ary_code_pads_with_unused_dummies() -> None:
    # K = 4, D = 3: one dummy makes K - 1 + 1 a multiple of D - 1.
    code = huffman_code([0.4, 0.3, 0.2, 0.1], base=3)
    assert list(code.lengths) == [1, 1, 2, 2]
    assert code.kraft_sum() == pytest.approx(2 / 3 + 2 / 9, abs=TOL)


def test_single_symbol_gets_empty_codeword() -> None:
    code = huffman_code([1.0], symbols=["x"])
    assert dict(code) == {"x": ""}
    assert expected_length(code, [1.0]) == 0.0
    assert encode("xxx", code) == ""
    assert decode("", code, count=3) == ["x", "x", "x"]
    with pytest.raises(ValueError, match="pass `count`"):
        decode("", code)


def test_certain_outcome_among_two_needs_one_bit() -> None:
    code = huffman_code([1.0, 0.0])
    assert expected_length(code, [1.0, 0.0]) == 1.0


def test_deterministic_tie_breaking() -> None:
    p = [0.2, 0.2, 0.2, 0.2, 0.2]
    first = huffman_code(p)
    assert all(huffman_code(p) == first for _ in range(3))
    # Equal weights: the earlier symbols are merged first, so they sit deeper.
    assert list(first.lengths) == [3, 3, 2, 2, 2]


def test_minimum_variance_among_optimal_codes() -> None:
    # Both (1, 2, 3, 4, 4) and (2, 2, 2, 3, 3) are optimal here (L = 2.2); merged nodes
    # are taken after original symbols of the same weight, which gives the shallow tree.
    p = [0.4, 0.2, 0.2, 0.1, 0.1]
    code = huffman_code(p)
    assert expected_length(code, p) == pytest.approx(2.2, abs=TOL)
    assert sorted(code.lengths) == [2, 2, 2, 3, 3]


def test_normalize_counts_and_float32() -> None:
    a = huffman_code([45, 13, 12, 16, 9, 5], symbols="abcdef", normalize=True)
    # The textbook example (CLRS): lengths 1, 3, 3, 3, 4, 4 and 224 bits per 100 symbols.
    assert [len(a[s]) for s in "abcdef"] == [1, 3, 3, 3, 4, 4]
    assert expected_length(a, [45, 13, 12, 16, 9, 5], normalize=True) == pytest.approx(2.24)
    b = huffman_code(np.array([0.5, 0.25, 0.25], dtype=np.float32))
    assert list(b.lengths) == [1, 2, 2]


# ---------------------------------------------------------------- wrong model


def _dyadic_from(p: np.ndarray) -> np.ndarray:
    """A dyadic distribution: 2^-l for the lengths of a complete binary code."""
    return 2.0 ** -huffman_code(p).lengths.astype(float)


@given(distributions(2, 20), distributions(2, 20))
def test_dyadic_model_costs_the_cross_entropy(p_raw: np.ndarray, other: np.ndarray) -> None:
    k = min(len(p_raw), len(other))
    p = p_raw[:k] / p_raw[:k].sum()
    q = _dyadic_from(other[:k] / other[:k].sum())
    cost = coding_cost(p, q)
    assert cost.dyadic
    hpq = float(xe.cross_entropy(p, q, base=2))
    assert cost.expected_length == pytest.approx(hpq, abs=TOL)
    # The waste over the entropy is the KL divergence.
    assert cost.expected_length - cost.entropy == pytest.approx(cost.kl_divergence, abs=TOL)


@given(distributions(2, 20))
def test_model_equal_to_data_wastes_nothing(p: np.ndarray) -> None:
    cost = coding_cost(p, p)
    assert cost.kl_divergence == 0.0
    assert cost.excess == 0.0


def test_non_dyadic_model_costs_its_huffman_length() -> None:
    p, q = [0.7, 0.2, 0.1], [0.1, 0.2, 0.7]
    cost = coding_cost(p, q)
    assert not cost.dyadic
    assert cost.expected_length == expected_length(huffman_code(q), p)
    assert cost.expected_length == pytest.approx(0.7 * 2 + 0.2 * 2 + 0.1 * 1)
    assert cost.own_length == pytest.approx(1.3)
    assert cost.cross_entropy == pytest.approx(float(xe.cross_entropy(p, q, base=2)))


def test_model_with_a_zero_has_infinite_cross_entropy_but_a_finite_code() -> None:
    cost = coding_cost([0.5, 0.5], [1.0, 0.0])
    assert cost.cross_entropy == math.inf
    assert cost.kl_divergence == math.inf
    assert cost.expected_length == 1.0
    assert not cost.dyadic


def test_coding_cost_in_base_three() -> None:
    cost = coding_cost([1 / 3] * 3, [1 / 3, 1 / 3, 1 / 3], base=3)
    assert cost.unit == "base-3 digits"
    assert cost.expected_length == 1.0
    assert cost.dyadic


# ---------------------------------------------------------------- encode / decode


@given(
    distributions(1, 12),
    st.integers(2, 5),
    st.lists(st.integers(0, 11), max_size=60),
)
def test_encode_decode_round_trip(p: np.ndarray, base: int, raw: list[int]) -> None:
    symbols = [f"s{i}" for i in range(len(p))]
    code = huffman_code(p, symbols=symbols, base=base)
    seq = [symbols[i % len(p)] for i in raw]
    message = encode(seq, code)
    assert len(message) == sum(len(code[s]) for s in seq)
    assert decode(message, code, count=len(seq)) == seq


def test_encode_string_and_decode_example() -> None:
    code = huffman_code(FOUR_BALLS, symbols="abcd")
    assert encode("abcd", code) == "1" + "01" + "001" + "000"
    assert "".join(decode("101001000", code)) == "abcd"


def test_encode_and_decode_errors() -> None:
    code = huffman_code(FOUR_BALLS, symbols="abcd")
    with pytest.raises(ValueError, match="'z' at position 2"):
        encode("abz", code)
    with pytest.raises(ValueError, match="ends inside a codeword"):
        decode("100", code)
    with pytest.raises(ValueError, match="only the digits '01'"):
        decode("102", code)
    with pytest.raises(ValueError, match="holds 2 symbols"):
        decode("101", code, count=3)
    with pytest.raises(TypeError, match="string of digits"):
        decode(101, code)  # type: ignore[arg-type]
    # A ternary code whose dummy branch is unused: its digits start no codeword.
    ternary = huffman_code([0.4, 0.3, 0.2, 0.1], base=3)
    assert dict(ternary) == {0: "0", 1: "2", 2: "10", 3: "11"}
    with pytest.raises(ValueError, match="the digits '12' at position 1 start no codeword"):
        decode("012", ternary)


def test_hand_made_codes_are_checked() -> None:
    assert expected_length({"x": "0", "y": "10", "z": "11"}, [0.5, 0.25, 0.25]) == 1.5
    with pytest.raises(ValueError, match="prefix-free"):
        PrefixCode({"x": "0", "y": "01"})
    with pytest.raises(ValueError, match="prefix-free"):
        PrefixCode({"x": "01", "y": "01"})
    with pytest.raises(ValueError, match="digits '01' of base 2"):
        PrefixCode({"x": "0", "y": "2"})
    with pytest.raises(TypeError, match="strings"):
        PrefixCode({"x": 0})  # type: ignore[dict-item]
    assert decode("102", {"x": "0", "y": "1", "z": "2"}) == ["y", "x", "z"]


# ---------------------------------------------------------------- empirical lengths


def test_empirical_bits_per_symbol_approach_the_entropy() -> None:
    rng = np.random.default_rng(20240611)
    code = huffman_code(FOUR_BALLS)
    lengths = code.lengths.astype(float)
    sd = math.sqrt(float(np.dot(FOUR_BALLS, (lengths - 1.75) ** 2)))
    errors = []
    for n in (100, 10_000, 400_000):
        sample = rng.choice(4, size=n, p=FOUR_BALLS).tolist()
        rate = bits_per_symbol(sample, code)
        # The mean length of n symbols has standard deviation sd / sqrt(n); 5 of them
        # fail with probability below 1e-6.
        assert abs(rate - 1.75) < 5 * sd / math.sqrt(n)
        errors.append(abs(rate - 1.75))
    assert errors[-1] < 0.01


def test_block_codes_approach_the_entropy_of_any_distribution() -> None:
    p = [0.9, 0.1]
    h = float(xe.entropy(p, base=2))
    for n in range(1, 9):
        code, rate = block_code(p, n)
        assert len(code) == 2**n
        assert h - TOL <= rate < h + 1 / n
    assert block_code(p, 8)[1] - h < 0.01


def test_block_code_symbols_and_limit() -> None:
    code, _ = block_code([0.5, 0.5], 2, symbols="HT")
    assert list(code.symbols) == [("H", "H"), ("H", "T"), ("T", "H"), ("T", "T")]
    with pytest.raises(ValueError, match="too large"):
        block_code([0.5, 0.5], 21)
    with pytest.raises(ValueError, match=r"3\*\*1000000 codewords"):
        block_code([0.2, 0.3, 0.5], 10**6)
    # One symbol: a single block, however long, with the empty codeword.
    code, rate = block_code([1.0], 70, symbols="x")
    assert dict(code) == {("x",) * 70: ""} and rate == 0.0
    with pytest.raises(ValueError, match="block length"):
        block_code([0.5, 0.5], 0)


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"p": [0.5, 0.6]}, ValueError, "sum to 1"),
        ({"p": [0.5, -0.5, 1.0]}, ValueError, "non-negative; got -0.5 at index 1"),
        ({"p": [[0.5, 0.5]]}, ValueError, "1-D"),
        ({"p": []}, ValueError, "at least one"),
        ({"p": ["a", "b"]}, TypeError, "real numbers"),
        ({"p": [0.5, 0.5], "base": 1}, ValueError, "from 2 to 36"),
        ({"p": [0.5, 0.5], "base": 37}, ValueError, "from 2 to 36"),
        ({"p": [0.5, 0.5], "base": 2.0}, TypeError, "integer"),
        ({"p": [0.5, 0.5], "base": True}, TypeError, "integer"),
        ({"p": [0.5, 0.5], "symbols": "abc"}, ValueError, "2 outcomes"),
        ({"p": [0.5, 0.5], "symbols": "aa"}, ValueError, "distinct"),
        ({"p": [0.5, 0.5], "symbols": [[1], [2]]}, TypeError, "hashable"),
    ],
)
def test_huffman_code_rejects_bad_input(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        huffman_code(**kwargs)


def test_other_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="one probability per codeword"):
        expected_length(["0", "1"], [0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match="same number of symbols"):
        coding_cost([0.5, 0.5], [1 / 3] * 3)
    with pytest.raises(ValueError, match="at least one symbol"):
        bits_per_symbol([], huffman_code([0.5, 0.5]))
    with pytest.raises(TypeError, match="sequence of codewords"):
        expected_length("0101", [0.5, 0.5])  # type: ignore[arg-type]


def test_scalar_options_are_checked_by_type() -> None:
    with pytest.raises(TypeError, match="`normalize` must be True or False"):
        huffman_code([3, 1], normalize="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`count` must be an integer >= 0; got -1"):
        decode("", huffman_code([1.0]), count=-1)
    with pytest.raises(TypeError, match=r"`n` must be an integer >= 1 \(the block length\)"):
        block_code([0.5, 0.5], 1.5)  # type: ignore[arg-type]
