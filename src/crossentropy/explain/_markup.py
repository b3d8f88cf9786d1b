r"""The markup of an explanation: blocks written once, rendered three ways.

An explanation is a list of blocks:

- :class:`Paragraph`: words and inline formulas (:class:`Math`), optionally led by
  a title ("**Entropy** ...");
- :class:`Equation`: a displayed chain ``lhs = step = step ...``, the last step
  followed by its unit;
- :class:`Table`: a header of formulas and rows of numbers (or words);
- :class:`Steps`: a numbered list ("step 1: ...").

A formula is written twice, as plain text and as TeX (``Math("log2 p", r"\log_2 p")``),
since no one rendering can be derived from the other; everything else (layout,
escaping, numbering, the unit's plural) is the renderers' job
(:mod:`crossentropy.explain._render`).  Numbers enter the markup already formatted,
through :func:`num` and :func:`amount`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "Equation",
    "Inline",
    "Math",
    "Paragraph",
    "Steps",
    "Table",
    "amount",
    "fmt",
    "matrix",
    "num",
    "tex_num",
    "unit_of",
    "vector",
]


class Math(NamedTuple):
    """A formula as plain text and as TeX; ``Math("H(P)")`` is the same in both."""

    text: str
    tex: str

    @classmethod
    def same(cls, s: str) -> Math:
        """A formula written alike in text and TeX, such as ``H(P)`` or ``p_c``."""
        return cls(s, s)


#: A piece of a paragraph: words (rendered as words) or a formula.
Inline = str | Math


class Paragraph(NamedTuple):
    """Words and formulas, wrapped as one paragraph; ``title`` leads it in bold (a
    title without parts is a heading)."""

    parts: tuple[Inline, ...]
    title: str = ""


class Equation(NamedTuple):
    """``lhs = steps[0] = steps[1] ...`` displayed, with ``unit`` after the last step."""

    lhs: Math
    steps: tuple[Math, ...]
    unit: str = ""


class Table(NamedTuple):
    """A table: formulas as headers, cells as formatted numbers or words.

    ``words`` holds the indices of the columns of words (names, codewords), which
    are escaped rather than typeset as numbers; ``hidden`` counts the rows left out.
    """

    headers: tuple[Math, ...]
    rows: tuple[tuple[str, ...], ...]
    words: frozenset[int] = frozenset({0})
    hidden: int = 0


class Steps(NamedTuple):
    """A numbered list of short items ("step 1: ..." with a ``label``, "1. ..." without);
    ``hidden`` counts the items left out."""

    items: tuple[tuple[Inline, ...], ...]
    label: str = "step"
    hidden: int = 0
    hidden_what: str = "steps"


Block = Paragraph | Equation | Table | Steps


# --------------------------------------------------------------------------- numbers


def fmt(x: float, digits: int = 6) -> str:
    """A number as text with ``digits`` significant digits ("inf" for infinity)."""
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    return f"{x:.{digits}g}"


def unit_of(number: str, unit: str) -> str:
    """``unit`` agreeing with the printed ``number``: "1 bit", "2 bits", "0.5 bits"."""
    return unit[:-1] if number in ("1", "-1") and unit.endswith("s") else unit


def tex_num(s: str) -> str:
    r"""A formatted number in TeX: ``\infty`` for inf, ``\times 10^{k}`` for exponents."""
    if s in ("inf", "-inf"):
        return s.replace("inf", r"\infty")
    if "e" in s:
        mant, exp = s.split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return s


def num(x: float, digits: int) -> Math:
    """The number ``x`` as a formula, with ``digits`` significant digits."""
    s = fmt(x, digits)
    return Math(s, tex_num(s))


def amount(x: float, digits: int, unit: str) -> Math:
    """``x`` and its unit as one formula ("1.75 bits"), so that no line break parts them."""
    s = fmt(x, digits)
    u = unit_of(s, unit)
    return Math(f"{s} {u}", rf"{tex_num(s)}\ \text{{{u}}}")


def vector(values: ArrayLike, digits: int) -> Math:
    """A vector as ``(a, b, c)``."""
    shown = [fmt(v, digits) for v in np.ravel(values)]
    return Math("(" + ", ".join(shown) + ")", r"(" + ", ".join(tex_num(s) for s in shown) + ")")


def matrix(values: ArrayLike, digits: int) -> Math:
    """A matrix as ``[[a, b], [c, d]]`` in text and a ``pmatrix`` in TeX."""
    rows = [[fmt(v, digits) for v in row] for row in np.atleast_2d(values)]
    text = "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
    body = r" \\ ".join(" & ".join(tex_num(s) for s in r) for r in rows)
    return Math(text, r"\begin{pmatrix} " + body + r" \end{pmatrix}")


def join_math(parts: Iterable[Math], sep: str = " + ") -> Math:
    """Formulas joined by ``sep`` (in both forms); ``+ -`` becomes ``-``."""
    items = list(parts)
    text = sep.join(m.text for m in items).replace("+ -", "- ")
    tex = sep.join(m.tex for m in items).replace("+ -", "- ")
    return Math(text, tex)


def elided_sum(terms: Sequence[str], *, max_terms: int = 8) -> Math:
    """``a + b + c`` of formatted numbers, eliding the tail of long sums."""
    if len(terms) <= max_terms:
        return join_math(Math(t, tex_num(t)) for t in terms)
    rest = len(terms) - (max_terms - 1)
    shown = join_math(Math(t, tex_num(t)) for t in terms[: max_terms - 1])
    return Math(
        f"{shown.text} + ... ({rest} more terms)", rf"{shown.tex} + \dots\text{{({rest} more)}}"
    )
