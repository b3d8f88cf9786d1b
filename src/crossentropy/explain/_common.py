"""What the explainers share: units, outcome names, option checks and the table of a sum."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_integer, resolve_base
from ..information import Base
from ._explanation import Doc
from ._markup import Math, amount, elided_sum, fmt, num

__all__ = [
    "Base",
    "Column",
    "Log",
    "check_digits",
    "check_rows",
    "identity_line",
    "labels",
    "single",
    "sum_table",
    "weighted",
]

FloatArray = NDArray[np.floating[Any]]


class Log(NamedTuple):
    """How to write the logarithm of the chosen unit in each format."""

    unit: str
    text: str  # "log2"
    tex: str  # r"\log_2"

    @classmethod
    def of(cls, base: Base) -> Log:
        log_base, unit = resolve_base(base)
        if unit == "nats":
            return cls(unit, "ln", r"\ln")
        if unit == "bits":
            return cls(unit, "log2", r"\log_2")
        if unit == "bans":
            return cls(unit, "log10", r"\log_{10}")
        b = f"{math.exp(log_base):g}"
        return cls(unit, f"log_{b}", rf"\log_{{{b}}}")


def check_digits(digits: Any) -> int:
    """Significant digits shown: an integer from 1 to 17 (float64 holds 17)."""
    return check_integer(digits, "digits", low=1, high=17)


def check_rows(max_rows: Any) -> int:
    """Longest table shown: an integer >= 1."""
    return check_integer(max_rows, "max_rows", low=1)


def labels(symbols: Iterable[Hashable] | None, k: int) -> list[str]:
    """Names of ``k`` outcomes: ``symbols`` as text, or 1, 2, ..., k."""
    if symbols is None:
        return [str(i + 1) for i in range(k)]
    names = [str(s) for s in symbols]
    if len(names) != k:
        raise ValueError(f"`symbols` must name the {k} outcomes; got {len(names)} symbols")
    return names


def single(p: ArrayLike, name: str) -> FloatArray:
    """A 1-D array for an explanation, which shows one distribution."""
    arr = as_float_array(p, name)
    if arr.ndim != 1:
        raise ValueError(
            f"`{name}` must be one distribution (1-D) to be explained; got shape {arr.shape}. "
            "Explain one row at a time."
        )
    return arr


def weighted(p: FloatArray, values: FloatArray) -> NDArray[np.float64]:
    """``p_c * values_c``, and 0 where ``p_c = 0`` whatever the value (0 log 0 = 0)."""
    with np.errstate(invalid="ignore"):  # 0 * inf where p_c = 0; the term is 0
        return np.where(p > 0, p * values, 0.0).astype(np.float64)


class Column(NamedTuple):
    """A column of a table: its header and its values (numbers, or text cells)."""

    header: Math
    values: Sequence[Any] | NDArray[Any]


def sum_table(
    doc: Doc,
    columns: Sequence[Column],
    terms: NDArray[np.float64],
    result: tuple[Math, float, str],
    *,
    digits: int,
    max_rows: int,
    words: Sequence[int] = (0,),
) -> None:
    """A table of ``columns`` (``words`` are the columns of text) and the sum of ``terms``.

    ``result`` is ``(lhs, value, unit)``: the sum is written ``lhs = t_1 + t_2 + ...``
    and ``= value unit`` below.  The last column of the table is ``terms``.
    """
    names = [str(v) for v in columns[0].values]
    cells = [[v if isinstance(v, str) else fmt(v, digits) for v in c.values] for c in columns[1:]]
    rows = [[name, *(col[i] for col in cells)] for i, name in enumerate(names)]
    doc.table([c.header for c in columns], rows, max_rows=max_rows, words=words)
    lhs, value, unit = result
    doc.equation(lhs, elided_sum([fmt(t, digits) for t in terms]), num(value, digits), unit=unit)


def identity_line(
    lhs: Math, rhs: Math, values: Sequence[float], op: str, value: float, digits: int, unit: str
) -> Math:
    """``lhs = rhs = a op b = value unit`` as one formula, for a closing identity."""
    a, b = (num(v, digits) for v in values)
    v = amount(value, digits, unit)
    return Math(
        f"{lhs.text} = {rhs.text} = {a.text} {op} {b.text} = {v.text}",
        f"{lhs.tex} = {rhs.tex} = {a.tex} {op} {b.tex} = {v.tex}",
    )
