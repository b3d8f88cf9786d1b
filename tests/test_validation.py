"""Tests of crossentropy._validation: conversions, the base and axis rules, and the
errors every public function raises for bad input (through the public API).

Loss-specific errors (labels, logits, weights) are in test_losses_*.py, those of
the link functions in test_activations.py.  Each error test checks the type, that
the message names the argument and that it shows the offending value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import crossentropy as xe
from crossentropy._validation import (
    as_float_array,
    as_float_arrays,
    as_label_array,
    normalize_axis,
    resolve_base,
    sum_tolerance,
)


def raises(exc: type[Exception], *fragments: str) -> Any:
    """pytest.raises whose message must contain every fragment (literally)."""
    return pytest.raises(exc, match="(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments))


# --------------------------------------------------------------------------------------
# Conversions and the dtype policy
# --------------------------------------------------------------------------------------


def test_float_arrays_pass_through_without_copy() -> None:
    for dtype in (np.float32, np.float64):
        x = np.arange(6, dtype=dtype).reshape(2, 3)
        assert as_float_array(x, "x") is x


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (np.float16, np.float32),
        (np.int8, np.float64),
        (np.int64, np.float64),
        (np.uint16, np.float64),
        (np.bool_, np.float64),
        (np.longdouble, np.float64),
    ],
)
def test_other_dtypes_become_float(dtype: Any, expected: type) -> None:
    assert as_float_array(np.ones(3, dtype=dtype), "x").dtype == expected


def test_python_numbers_and_lists() -> None:
    assert as_float_array([1, 2], "x").dtype == np.float64
    assert as_float_array(0.5, "x").shape == ()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (["a", "b"], "<U1"),
        (np.array([1 + 2j]), "complex128"),
        (np.array([None, 1.0], dtype=object), "object"),
        ([[1.0], [1.0, 2.0]], "inhomogeneous"),
    ],
)
def test_non_numbers_are_type_errors(value: Any, shown: str) -> None:
    with raises(TypeError, "`x`", shown):
        as_float_array(value, "x")
    with raises(TypeError, "`p`"):
        xe.entropy(value)


def test_integers_and_python_numbers_do_not_promote_float32() -> None:
    f32 = np.ones(3, np.float32)
    a, b = as_float_arrays(([1, 0, 0], "p"), (f32, "q"))
    assert a.dtype == b.dtype == np.float32
    a, b = as_float_arrays((2.0, "sigma"), (f32, "q"))
    assert a.dtype == np.float32
    # A float64 array is a float64 input: the usual promotion applies.
    a, b = as_float_arrays((np.ones(3), "p"), (f32, "q"))
    assert a.dtype == b.dtype == np.float64
    # Nothing floating: float64.
    a, b = as_float_arrays(([1, 2], "p"), (3, "q"))
    assert a.dtype == b.dtype == np.float64
    # float16 counts as float32.
    a, b = as_float_arrays((np.ones(2, np.float16), "p"), ([1, 2], "q"))
    assert a.dtype == b.dtype == np.float32


@pytest.mark.parametrize("labels", [np.array([0.0, 1.0]), np.array([True, False]), [0.5]])
def test_label_arrays_must_be_integers(labels: Any) -> None:
    with raises(TypeError, "`y_true`", "integer class labels", str(np.asarray(labels).dtype)):
        as_label_array(labels, "y_true")


def test_ragged_labels_are_type_errors() -> None:
    with raises(TypeError, "`y_true`", "array of numbers", "inhomogeneous"):
        as_label_array([[0], [1, 2]], "y_true")


def test_label_arrays_pass_integers() -> None:
    y = np.array([0, 3], dtype=np.uint8)
    assert as_label_array(y, "y") is y


# --------------------------------------------------------------------------------------
# The sum tolerance
# --------------------------------------------------------------------------------------


def test_sum_tolerance_is_sqrt_eps() -> None:
    assert sum_tolerance(np.dtype(np.float64)) == pytest.approx(
        1.4901161193847656e-08, rel=1e-15, abs=0
    )
    assert sum_tolerance(np.dtype(np.float32)) == pytest.approx(
        3.4526698300124393e-04, rel=1e-7, abs=0
    )
    assert xe.sum_tolerance is sum_tolerance


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rows_within_the_tolerance_are_accepted_and_beyond_rejected(dtype: Any) -> None:
    tol = sum_tolerance(np.dtype(dtype))
    inside = np.array([0.5, 0.5 + 0.5 * tol], dtype)
    outside = np.array([0.5, 0.5 + 2 * tol], dtype)
    below = np.array([0.5, 0.5 - 2 * tol], dtype)
    for fn in (
        xe.entropy,
        lambda p: xe.kl_divergence(p, p),
        lambda p: xe.cross_entropy([0.5, 0.5], p),
    ):
        fn(inside)
        with raises(ValueError, "must sum to 1", f"tolerance {tol:.2g}", "normalize=True"):
            fn(outside)
        with raises(ValueError, "must sum to 1", "got a sum of 0.99"):
            fn(below)


def test_row_sum_error_shows_the_sum_and_the_row() -> None:
    p = np.array([[0.5, 0.5], [0.5, 0.5], [0.6, 0.6]])
    with raises(ValueError, "`p`", "along axis 1", "got a sum of 1.2", "row at index 2"):
        xe.entropy(p)
    with raises(ValueError, "`q`", "along axis 0", "got a sum of 1.2", "row at index 2"):
        xe.cross_entropy(np.full((2, 3), 0.5), p.T, axis=0)
    with raises(ValueError, "`p`", "got a sum of 3"):
        xe.kl_divergence([1, 1, 1], [0.5, 0.25, 0.25])


# --------------------------------------------------------------------------------------
# normalize=True
# --------------------------------------------------------------------------------------


def test_normalize_scales_counts_and_weights() -> None:
    assert xe.entropy([3, 1], normalize=True) == pytest.approx(
        xe.entropy([0.75, 0.25]), rel=1e-15, abs=0
    )
    counts = np.array([[2.0, 2.0, 4.0], [1.0, 0.0, 1.0]])
    np.testing.assert_allclose(
        xe.cross_entropy(counts, counts[::-1], normalize=True),
        xe.cross_entropy(counts / counts.sum(1, keepdims=True), [[0.5, 0, 0.5], [0.25, 0.25, 0.5]]),
        rtol=1e-15,
    )
    assert xe.kl_divergence([2, 2], [1, 1], normalize=True) == 0
    # float32 weights stay float32 after scaling.
    assert xe.entropy(np.array([1, 3], np.float32), normalize=True).dtype == np.float32


def test_normalize_refuses_zero_rows_and_bad_entries() -> None:
    with raises(ValueError, "`p`", "cannot be normalized", "sums to 0", "index 1"):
        xe.entropy([[1.0, 1.0], [0.0, 0.0]], normalize=True)
    with raises(ValueError, "`q`", "cannot be normalized", "sums to 0"):
        xe.kl_divergence([1.0, 1.0], [0.0, 0.0], normalize=True)
    with raises(ValueError, "`p`", "non-negative", "-1"):
        xe.entropy([2.0, -1.0], normalize=True)
    with raises(ValueError, "`p`", "finite", "nan"):
        xe.entropy([np.nan, 1.0], normalize=True)
    with raises(ValueError, "`p`", "finite", "inf"):
        xe.entropy([np.inf, 1.0], normalize=True)


# --------------------------------------------------------------------------------------
# Entries that are not probabilities
# --------------------------------------------------------------------------------------

MEASURES: dict[str, Callable[[Any], Any]] = {
    "entropy": lambda p: xe.entropy(p),
    "cross_entropy(p, .)": lambda p: xe.cross_entropy(p, [0.25, 0.25, 0.25, 0.25]),
    "kl_divergence(p, .)": lambda p: xe.kl_divergence(p, [0.25, 0.25, 0.25, 0.25]),
    "information": lambda p: xe.information(p),
    "binary_entropy": lambda p: xe.binary_entropy(p),
}


@pytest.mark.parametrize("fn", MEASURES.values(), ids=MEASURES.keys())
@pytest.mark.parametrize(
    ("bad", "fragments"),
    [
        (-0.2, ("`p`", "non-negative", "-0.2", "at index 3")),
        (np.nan, ("`p`", "finite", "nan", "at index 3")),
        (np.inf, ("`p`", "finite", "inf", "at index 3")),
        (-np.inf, ("`p`", "finite", "-inf", "at index 3")),
    ],
)
def test_bad_entries_of_p(fn: Callable[[Any], Any], bad: float, fragments: tuple[str, ...]) -> None:
    p = np.array([0.5, 0.25, 0.25, bad])
    with raises(ValueError, *fragments):
        fn(p)
    with raises(ValueError, *fragments):
        fn(p.astype(np.float32))


@pytest.mark.parametrize("fn", [xe.cross_entropy, xe.kl_divergence])
def test_bad_entries_of_q(fn: Callable[..., Any]) -> None:
    p = [0.25, 0.25, 0.5]
    with raises(ValueError, "`q`", "non-negative", "-0.5", "at index 1"):
        fn(p, [1.0, -0.5, 0.5])
    with raises(ValueError, "`q`", "finite", "nan", "at index (1, 2)"):
        fn(p, [[0.25, 0.25, 0.5], [0.5, 0.5, np.nan]])


def test_probabilities_above_one_for_elementwise_measures() -> None:
    for fn in (xe.information, xe.binary_entropy):
        with raises(ValueError, "`p`", "probability in [0, 1]", "1.5", "at index 1"):
            fn([0.5, 1.5])
        with raises(ValueError, "`p`", "probability in [0, 1]", "got 2"):
            fn(2.0)


def test_an_error_index_is_the_first_offender_in_c_order() -> None:
    p = np.full((3, 4), 0.25)
    p[2, 1] = -1.0
    p[1, 3] = -2.0
    with raises(ValueError, "got -2", "at index (1, 3)"):
        xe.entropy(p)


# --------------------------------------------------------------------------------------
# Shapes and axes
# --------------------------------------------------------------------------------------


def test_mismatched_shapes() -> None:
    with raises(ValueError, "`p` and `q`", "(2,)", "(3,)"):
        xe.kl_divergence([0.5, 0.5], [1 / 3] * 3)
    with raises(ValueError, "`p` and `q`", "(2, 3)", "(3, 3)"):
        xe.cross_entropy(np.full((2, 3), 1 / 3), np.full((3, 3), 1 / 3))
    # Broadcastable, but a single class of p would be stretched along the class axis.
    with raises(ValueError, "same number of categories", "axis 0", "(1, 3)", "(2, 3)"):
        xe.kl_divergence(np.full((1, 3), 1.0), np.full((2, 3), 0.5), axis=0)
    with raises(ValueError, "same number of categories"):
        xe.kl_divergence([0.5, 0.5], np.full((2, 2), 0.5), axis=0)


@pytest.mark.parametrize("fn", [xe.entropy, lambda p, **kw: xe.kl_divergence(p, p, **kw)])
def test_bad_axis(fn: Callable[..., Any]) -> None:
    p = np.full((2, 2), 0.5)
    with raises(ValueError, "`axis`", "[-2, 2)", "got 2"):
        fn(p, axis=2)
    with raises(ValueError, "`axis`", "got -3"):
        fn(p, axis=-3)
    with raises(TypeError, "`axis`", "integer", "1.0"):
        fn(p, axis=1.0)
    with raises(TypeError, "`axis`", "bool"):
        fn(p, axis=True)
    with raises(TypeError, "`axis`", "None"):
        fn(p, axis=None)


def test_normalize_axis() -> None:
    assert normalize_axis(-1, 3, "p") == 2
    assert normalize_axis(np.int64(1), 3, "p") == 1
    with raises(ValueError, "`p`", "at least one dimension", "scalar"):
        normalize_axis(-1, 0, "p")


def test_scalars_and_empty_rows_are_not_distributions() -> None:
    with raises(ValueError, "`p`", "at least one dimension"):
        xe.entropy(1.0)
    with raises(ValueError, "`p`", "at least one category", "got 0"):
        xe.entropy(np.ones((2, 0)))
    with raises(ValueError, "`p`", "at least one category"):
        xe.entropy(np.ones((2, 0)), normalize=True)


# --------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "log_base", "unit"),
    [
        (None, 1.0, "nats"),
        (math.e, 1.0, "nats"),
        ("nats", 1.0, "nats"),
        ("nat", 1.0, "nats"),
        (2, math.log(2), "bits"),
        (2.0, math.log(2), "bits"),
        (np.int64(2), math.log(2), "bits"),
        ("bits", math.log(2), "bits"),
        (" Bits ", math.log(2), "bits"),
        (10, math.log(10), "bans"),
        ("bans", math.log(10), "bans"),
        (np.float32(3.0), math.log(3), "log-3 units"),
        (0.5, math.log(0.5), "log-0.5 units"),
    ],
)
def test_valid_bases(base: Any, log_base: float, unit: str) -> None:
    got_log, got_unit = resolve_base(base)
    assert got_log == pytest.approx(log_base, rel=1e-15, abs=0)
    assert got_unit == unit


@pytest.mark.parametrize(
    ("base", "exc", "shown"),
    [
        (0, ValueError, "got 0"),
        (1, ValueError, "got 1"),
        (1.0, ValueError, "got 1.0"),
        (-2, ValueError, "got -2"),
        (math.inf, ValueError, "got inf"),
        (math.nan, ValueError, "got nan"),
        ("foo", ValueError, "got 'foo'"),
        ("", ValueError, "got ''"),
        (True, TypeError, "bool True"),
        ([2], TypeError, "list [2]"),
        (np.array(2.0), TypeError, "ndarray"),
        (1 + 1j, TypeError, "complex"),
    ],
)
def test_bad_bases(base: Any, exc: type[Exception], shown: str) -> None:
    for fn in (
        lambda: xe.entropy([0.5, 0.5], base=base),
        lambda: xe.cross_entropy([0.5, 0.5], [0.5, 0.5], base=base),
        lambda: xe.kl_divergence([0.5, 0.5], [0.5, 0.5], base=base),
        lambda: xe.information(0.5, base=base),
        lambda: xe.binary_entropy(0.5, base=base),
    ):
        with raises(exc, "`base`", shown):
            fn()


def test_each_row_is_checked_against_the_tolerance_of_its_own_dtype() -> None:
    # float32(1/3) * 3 = 1 + 3e-8: fine for float32 (tolerance 3.5e-4), beyond the
    # float64 tolerance (1.5e-8).  Next to a float64 p it is still a valid float32 row.
    q32 = np.full(3, 1 / 3, np.float32)
    assert abs(float(np.sum(q32, dtype=np.float64)) - 1) > sum_tolerance(np.dtype(np.float64))
    p64 = np.array([0.5, 0.25, 0.25])
    assert xe.cross_entropy(p64, q32).dtype == np.float64
    assert xe.kl_divergence(q32, p64) > 0
    with raises(ValueError, "`q`", "tolerance 1.5e-08"):
        xe.kl_divergence(p64, q32.astype(np.float64))


# --------------------------------------------------------------------------------------
# Scalar options: booleans, integers and numbers, the checks every module shares
# --------------------------------------------------------------------------------------

from crossentropy._validation import (  # noqa: E402
    InvalidOptionError,
    RowSumError,
    check_bool,
    check_integer,
    check_number,
)


@pytest.mark.parametrize("value", [True, False, np.True_, np.False_])
def test_check_bool_accepts_booleans(value: Any) -> None:
    out = check_bool(value, "flag")
    assert out is bool(value)


@pytest.mark.parametrize("value", ["yes", 1, 0, 1.0, None, [True]])
def test_check_bool_refuses_truthy_non_booleans(value: Any) -> None:
    with raises(TypeError, "`flag`", "True or False", repr(value)):
        check_bool(value, "flag")


def test_invalid_option_is_both_value_and_type_error() -> None:
    with pytest.raises(ValueError):
        check_bool("yes", "flag")
    assert issubclass(InvalidOptionError, TypeError)


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [(3, 1, None, 3), (np.int64(7), 0, 10, 7), (-5, None, None, -5), (2**80, 1, None, 2**80)],
)
def test_check_integer_accepts(value: Any, low: Any, high: Any, expected: int) -> None:
    out = check_integer(value, "n", low=low, high=high)
    assert out == expected and type(out) is int


@pytest.mark.parametrize(
    ("value", "low", "high", "fragment"),
    [
        (0, 1, None, "an integer >= 1; got 0"),
        (11, 0, 10, "an integer from 0 to 10; got 11"),
        (2.0, 1, None, "got float 2.0"),
        (True, 0, None, "got bool True"),
        ("3", 1, None, "got str '3'"),
        (5, None, 4, "an integer <= 4; got 5"),
    ],
)
def test_check_integer_refuses(value: Any, low: Any, high: Any, fragment: str) -> None:
    with raises(ValueError, "`n` must be", fragment):
        check_integer(value, "n", low=low, high=high)


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (1, {"low": 0.0}, 1.0),
        (0.0, {"low": 0.0}, 0.0),
        (np.float32(0.5), {"low": 0.0, "high": 1.0, "high_open": True}, 0.5),
        (-3, {}, -3.0),
    ],
)
def test_check_number_accepts(value: Any, kwargs: dict[str, Any], expected: float) -> None:
    out = check_number(value, "x", **kwargs)
    assert out == expected and type(out) is float


@pytest.mark.parametrize(
    ("value", "kwargs", "fragment"),
    [
        (0.0, {"low": 0.0, "low_open": True}, "in (0, inf); got 0.0"),
        (1.0, {"low": 0.0, "high": 1.0, "high_open": True}, "in [0, 1); got 1.0"),
        (-1e-300, {"low": 0.0}, "in [0, inf); got -1e-300"),
        (math.nan, {}, "got nan"),
        (math.inf, {"low": 0.0}, "got inf"),
        (10**400, {"low": 0.0}, "got an integer of 401 digits"),
        (True, {}, "must be a number; got bool True"),
        ("0.5", {}, "must be a number; got str '0.5'"),
        (None, {}, "must be a number; got NoneType None"),
    ],
)
def test_check_number_refuses(value: Any, kwargs: dict[str, Any], fragment: str) -> None:
    with raises(ValueError, "`x` must be", fragment):
        check_number(value, "x", **kwargs)


def test_messages_of_one_distribution_name_no_axis_and_count_positions_from_1() -> None:
    """One distribution has no axis to name, and its positions are also given counted
    from 1 (what a list of numbers typed on a command line needs)."""
    with pytest.raises(ValueError) as info:
        xe.entropy([0.5, 0.6])
    assert "axis" not in str(info.value)
    assert isinstance(info.value, RowSumError) and "normalize=True" in info.value.remedy
    assert str(info.value) == f"{info.value.problem} {info.value.remedy}"
    with raises(ValueError, "got -0.2 at index 11 (the 12th value)"):
        xe.entropy([0.0] * 11 + [-0.2, 1.2])
    with raises(ValueError, "got -0.2 at index 21 (the 22nd value)"):
        xe.entropy([0.0] * 21 + [-0.2, 1.2])
    with raises(ValueError, "at least one category; got 0"):
        xe.entropy(np.ones(0))
    with raises(ValueError, "cannot be normalized: it sums to 0"):
        xe.entropy([0.0, 0.0], normalize=True)
