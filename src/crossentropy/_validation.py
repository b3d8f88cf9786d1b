"""Input checks shared by every public function, and the wording of their errors.

Every message names the argument, says what is allowed and shows what was given,
for example "`p` must be non-negative; got -0.2 at index 3".  Nothing here repairs
input: a check either passes the data through unchanged or raises.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "InvalidOptionError",
    "RowSumError",
    "as_array",
    "as_float_array",
    "as_float_arrays",
    "as_label_array",
    "at_index",
    "check_bool",
    "check_finite",
    "check_integer",
    "check_no_nan",
    "check_nonnegative",
    "check_number",
    "check_rows_sum_to_one",
    "check_unit_interval",
    "common_float_dtype",
    "normalize_axis",
    "normalize_rows",
    "ordinal",
    "resolve_base",
    "sum_tolerance",
]

_BASES = "a finite number > 0 other than 1, or one of 'nats', 'bits', 'bans'"
_UNIT_NAMES = {"nats": math.e, "nat": math.e, "bits": 2.0, "bit": 2.0, "bans": 10.0, "ban": 10.0}


def _fmt(value: Any) -> str:
    return f"{float(value):.6g}" if np.isfinite(value) else str(float(value))


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds, for messages."""
    return value.item() if isinstance(value, np.generic) else value


def first_index(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    """Index (a tuple of ints) of the first True element of ``mask``."""
    flat = int(np.flatnonzero(mask.ravel())[0])
    return tuple(int(i) for i in np.unravel_index(flat, mask.shape))


def describe_index(mask: NDArray[np.bool_]) -> str:
    """Text "at index 3" or "at index (1, 2)" for the first True element of ``mask``."""
    idx = first_index(mask)
    return f"at index {idx[0]}" if len(idx) == 1 else f"at index {idx}"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``, ...

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd', '111th']
    """
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def at_index(mask: NDArray[np.bool_]) -> str:
    """Text " at index 3 (the 4th value)" for the first True element of a 1-D
    ``mask`` (the count from 1 is what a list of numbers typed on a command line
    needs), " at index (1, 2)" for more dimensions, "" for a 0-d mask."""
    if mask.ndim == 1:
        i = first_index(mask)[0]
        return f" at index {i} (the {ordinal(i + 1)} value)"
    return f" {describe_index(mask)}" if mask.ndim else ""


def _along(p: NDArray[Any], axis: int) -> str:
    """ " along axis 1" where ``p`` has several axes; "" for one distribution."""
    return f" along axis {axis}" if p.ndim > 1 else ""


class RowSumError(ValueError):
    """A distribution that does not sum to 1, where the caller offers to normalise.

    ``problem`` is the message without its ``remedy`` (the option that normalises),
    so that a caller whose option has another name (the command line's
    ``--counts``) can name its own.
    """

    def __init__(self, problem: str, remedy: str = "") -> None:
        super().__init__(f"{problem} {remedy}" if remedy else problem)
        self.problem = problem
        self.remedy = remedy


def as_array(x: ArrayLike, name: str) -> NDArray[Any]:
    """``np.asarray(x)``; ragged nested lists are a ``TypeError`` naming ``x``."""
    try:
        return np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"`{name}` must be an array of numbers; got {type(x).__name__}: {exc}"
        ) from None


def as_float_array(x: ArrayLike, name: str) -> NDArray[np.floating[Any]]:
    """Return ``x`` as a floating NumPy array without copying float32/float64 data.

    Integers and booleans become float64 (they carry no precision to preserve);
    float16 becomes float32, the smallest type the library computes in; data in the
    other byte order (``'>f8'`` on this machine) is copied into the native one, which
    the C kernels read.  Strings, objects and complex numbers are a ``TypeError``.
    """
    arr = as_array(x, name)
    kind = arr.dtype.kind
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if kind == "f":
        if arr.dtype == np.float16:
            return arr.astype(np.float32)
        if arr.dtype.itemsize > 8:
            return arr.astype(np.float64)
        return arr
    if kind in "iub":
        return arr.astype(np.float64)
    raise TypeError(
        f"`{name}` must be an array of real numbers; got dtype {arr.dtype}"
        + (f" (for example {_plain(arr.ravel()[0])!r})" if arr.size else "")
    )


def common_float_dtype(*items: tuple[ArrayLike, NDArray[np.floating[Any]]]) -> np.dtype[Any]:
    """The dtype to compute in, from ``(original input, converted array)`` pairs.

    The inputs that are floating arrays decide it (``np.result_type`` of their
    converted dtypes, so float16 counts as float32); integer and boolean arrays and
    Python numbers adapt to it, and it is float64 when no input is a floating array.
    """
    strong = [
        arr.dtype
        for x, arr in items
        if not isinstance(x, (bool, int, float)) and np.asarray(x).dtype.kind == "f"
    ]
    return np.result_type(*strong) if strong else np.dtype(np.float64)


def as_float_arrays(*items: tuple[ArrayLike, str]) -> list[NDArray[np.floating[Any]]]:
    """Convert several ``(value, name)`` inputs to floating arrays of one dtype.

    The dtype is :func:`common_float_dtype`: an integer or a Python number never
    promotes float32 data to float64, so ``squared_error([1, 2], float32_predictions)``
    stays float32.
    """
    arrays = [as_float_array(x, name) for x, name in items]
    dtype = common_float_dtype(*((x, arr) for (x, _), arr in zip(items, arrays, strict=True)))
    return [arr.astype(dtype, copy=False) for arr in arrays]


def as_label_array(y: ArrayLike, name: str) -> NDArray[np.integer[Any]]:
    """Return ``y`` as an integer array; a float or bool array is a ``TypeError``."""
    arr = as_array(y, name)
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"`{name}` must hold integer class labels; got dtype {arr.dtype}. "
            "Convert whole-number floats with `.astype(int)`, or pass probability rows "
            "with the shape of the predictions."
        )
    return arr


def check_no_nan(x: NDArray[Any], name: str) -> None:
    """Raise if ``x`` contains NaN."""
    bad = np.isnan(x)
    if bad.any():
        raise ValueError(f"`{name}` must not contain NaN; got NaN{at_index(bad)}")


def check_finite(x: NDArray[Any], name: str) -> None:
    """Raise if ``x`` contains NaN or an infinity."""
    bad = ~np.isfinite(x)
    if bad.any():
        value = x[first_index(bad)]
        raise ValueError(f"`{name}` must be finite; got {_fmt(value)}{at_index(bad)}")


def check_nonnegative(x: NDArray[Any], name: str) -> None:
    """Raise if ``x`` has a NaN, an infinity or a negative entry."""
    check_finite(x, name)
    bad = x < 0
    if bad.any():
        value = x[first_index(bad)]
        raise ValueError(f"`{name}` must be non-negative; got {_fmt(value)}{at_index(bad)}")


def check_unit_interval(x: NDArray[Any], name: str) -> None:
    """Raise unless every entry of ``x`` lies in [0, 1]."""
    check_nonnegative(x, name)
    bad = x > 1
    if bad.any():
        value = x[first_index(bad)]
        raise ValueError(
            f"`{name}` must be a probability in [0, 1]; got {_fmt(value)}{at_index(bad)}"
        )


def sum_tolerance(dtype: np.dtype[Any]) -> float:
    """Largest accepted ``|sum - 1|`` of a probability row: the square root of the
    machine epsilon of ``dtype`` (1.5e-8 for float64, 3.5e-4 for float32).

    That is far above the rounding of any honest computation of a distribution and
    far below any mistake worth catching (a missing class, unnormalised counts).
    Each input row is checked in its own dtype.

    Examples
    --------
    >>> import numpy as np
    >>> import crossentropy as xe
    >>> print(f"{xe.sum_tolerance(np.dtype(np.float64)):.2g}")
    1.5e-08
    >>> print(f"{xe.sum_tolerance(np.dtype(np.float32)):.2g}")
    0.00035
    """
    return float(np.sqrt(np.finfo(dtype).eps))


def normalize_axis(axis: int, ndim: int, name: str) -> int:
    """Turn a possibly negative ``axis`` into an index in ``range(ndim)``."""
    axis = check_integer(axis, "axis")
    if ndim == 0:
        raise ValueError(
            f"`{name}` must have at least one dimension (the class axis); got a scalar"
        )
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"`axis` must be in [-{ndim}, {ndim}) for `{name}` with {ndim} dimension(s); got {axis}"
        )
    return int(axis) % ndim


def check_rows_sum_to_one(
    p: NDArray[np.floating[Any]], name: str, axis: int, *, can_normalize: bool = True
) -> None:
    """Raise if a row of ``p`` along ``axis`` does not sum to 1 within ``sum_tolerance``.

    ``can_normalize`` says whether the calling function has a ``normalize=True``
    option, which the message then suggests.
    """
    if p.shape[axis] == 0:
        raise ValueError(f"`{name}` must have at least one category{_along(p, axis)}; got 0")
    sums = np.sum(p, axis=axis, dtype=np.float64)
    tol = sum_tolerance(p.dtype)
    bad = np.abs(sums - 1.0) > tol
    if np.any(bad):
        where = "" if sums.ndim == 0 else f" for the row {describe_index(np.asarray(bad))}"
        value = float(np.asarray(sums)[first_index(np.asarray(bad))] if sums.ndim else sums)
        problem = (
            f"`{name}` must sum to 1{_along(p, axis)} (tolerance {tol:.2g}); got a sum of "
            f"{value:.10g}{where}."
        )
        if not can_normalize:
            raise ValueError(problem)
        raise RowSumError(problem, "Pass normalize=True to scale counts or weights to sum to 1.")


def normalize_rows(p: NDArray[np.floating[Any]], name: str, axis: int) -> NDArray[np.floating[Any]]:
    """Scale non-negative weights ``p`` to sum to 1 along ``axis`` (the explicit opt-in)."""
    if p.shape[axis] == 0:
        raise ValueError(f"`{name}` must have at least one category{_along(p, axis)}; got 0")
    with np.errstate(over="ignore"):  # an overflowing sum is handled below
        sums = np.sum(p, axis=axis, keepdims=True)
    zero = np.squeeze(sums == 0, axis=axis)
    if np.any(zero):
        if zero.ndim == 0:
            raise ValueError(f"`{name}` cannot be normalized: it sums to 0")
        raise ValueError(
            f"`{name}` cannot be normalized: a row along axis {axis} sums to 0 "
            f"({describe_index(zero)})"
        )
    # A sum beyond the largest float (1e308 + 1e308) or below the smallest normal one
    # would turn every share into 0 or lose digits: those rows are scaled by their
    # largest entry first, which leaves the shares unchanged.
    info = np.finfo(p.dtype)
    unsafe = ~np.isfinite(sums) | (sums < info.tiny)
    if not np.any(unsafe):
        return p / sums
    top = np.max(p, axis=axis, keepdims=True)
    scaled = p / np.where(unsafe, top, 1.0).astype(p.dtype)
    return scaled / np.sum(scaled, axis=axis, keepdims=True)


def resolve_base(base: float | str | None) -> tuple[float, str]:
    """Return ``(ln(base), unit)`` for a logarithm base or a unit name.

    ``None`` and ``math.e`` mean nats; 2 means bits; 10 means bans; any other finite
    number greater than 0 and different from 1 is allowed and named "log-<base> units".
    """
    if base is None:
        return 1.0, "nats"
    if isinstance(base, str):
        key = base.strip().lower()
        if key not in _UNIT_NAMES:
            raise InvalidOptionError(f"`base` must be {_BASES}; got {base!r}")
        base = _UNIT_NAMES[key]
    b = check_number(base, "base", low=0.0, low_open=True, allowed=_BASES)
    if b == 1:
        raise InvalidOptionError(f"`base` must be {_BASES}; got {base!r}")
    if b == math.e:
        return 1.0, "nats"
    if b == 2:
        return math.log(2.0), "bits"
    if b == 10:
        return math.log(10.0), "bans"
    return math.log(b), f"log-{b:g} units"


# ---------------------------------------------------------------- scalar options


class InvalidOptionError(ValueError, TypeError):
    """A scalar option of the wrong type or out of range.

    It is both a ``ValueError`` and a ``TypeError`` (as scikit-learn's
    ``InvalidParameterError`` is), so that callers catching either see it.
    """


def check_bool(value: Any, name: str) -> bool:
    """``value`` if it is ``True`` or ``False`` (NumPy's ``bool_`` included), else an error.

    Strings such as ``'yes'`` and numbers such as 1 are refused: a truthy value
    that is not a boolean is usually a mistake.

    Examples
    --------
    >>> from crossentropy._validation import check_bool
    >>> check_bool(np.True_, "nesterov")
    True
    >>> check_bool("yes", "nesterov")
    Traceback (most recent call last):
    ...
    crossentropy._validation.InvalidOptionError: `nesterov` must be True or False; got str 'yes'
    """
    if value is True or value is False:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    raise InvalidOptionError(
        f"`{name}` must be True or False; got {type(value).__name__} {value!r}"
    )


def _integer_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"an integer from {low} to {high}"
    if low is not None:
        return f"an integer >= {low}"
    if high is not None:
        return f"an integer <= {high}"
    return "an integer"


def check_integer(
    value: Any,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    allowed: str | None = None,
) -> int:
    """``value`` as an ``int`` if it is an integer in ``[low, high]``, else an error.

    Booleans, floats (even whole ones) and strings are refused; NumPy integers pass.
    ``allowed`` replaces the description of the allowed values in the message
    ("an integer >= 1" by default), e.g. "a positive integer number of threads".

    Examples
    --------
    >>> from crossentropy._validation import check_integer
    >>> check_integer(np.int64(3), "max_iter", low=1)
    3
    >>> check_integer(0, "max_iter", low=1)
    Traceback (most recent call last):
    ...
    crossentropy._validation.InvalidOptionError: `max_iter` must be an integer >= 1; got 0
    """
    # type(...) is int first: the common case, without the slower ABC check
    if type(value) is not int and (
        isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral)
    ):
        need = allowed or _integer_range(low, high)
        raise InvalidOptionError(f"`{name}` must be {need}; got {type(value).__name__} {value!r}")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        need = allowed or _integer_range(low, high)
        raise InvalidOptionError(f"`{name}` must be {need}; got {v}")
    return v


def check_number(
    value: Any,
    name: str,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
    allowed: str | None = None,
) -> float:
    """``value`` as a finite ``float`` in the interval from ``low`` to ``high``, else an error.

    ``low_open`` / ``high_open`` exclude the end points.  Booleans and strings are
    refused, and so are numbers too large for a float (``10**400``), NaN and infinity.
    ``allowed`` replaces the description of the allowed values in the message
    ("a finite number in [0, 1]" by default).

    Examples
    --------
    >>> from crossentropy._validation import check_number
    >>> check_number(1, "l2", low=0.0)
    1.0
    >>> check_number(10**400, "l2", low=0.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    crossentropy._validation.InvalidOptionError: `l2` must be ...; got an integer of 401 digits
    """
    # type(...) in (float, int) first: the common case, without the slower ABC check
    if type(value) not in (float, int) and (
        isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real)
    ):
        raise InvalidOptionError(
            f"`{name}` must be {allowed or 'a number'}; got {type(value).__name__} {value!r}"
        )
    try:
        v = float(value)
    except OverflowError:
        digits = len(str(abs(int(value)))) if isinstance(value, numbers.Integral) else None
        shown = f"an integer of {digits} digits" if digits else repr(value)
        need = allowed or _number_range(low, high, low_open, high_open)
        raise InvalidOptionError(f"`{name}` must be {need}; got {shown}") from None
    if (
        not math.isfinite(v)
        or v < low
        or v > high
        or (low_open and v == low)
        or (high_open and v == high)
    ):
        need = allowed or _number_range(low, high, low_open, high_open)
        raise InvalidOptionError(f"`{name}` must be {need}; got {value!r}")
    return v


def _number_range(low: float, high: float, low_open: bool, high_open: bool) -> str:
    lo = "(" if low_open else "["
    hi = ")" if high_open or high == math.inf else "]"
    return f"a finite number in {lo}{low:g}, {high:g}{hi}"
