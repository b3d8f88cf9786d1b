r"""Worked derivations of the information measures, as plain text, Markdown and LaTeX.

Each ``explain_*`` function computes a measure with the library and returns an
:class:`Explanation`: the formula, a table of the terms with their numbers, the
sum, and the result with its unit, written out the way one would on a
blackboard.  Print it in a terminal (``print(e)`` gives ``e.text``), or let a
notebook display it (``_repr_markdown_`` and ``_repr_latex_``).

Every number shown is computed by the library's own functions
(:func:`~crossentropy.information`, :func:`~crossentropy.entropy`, ...), so an
explanation always agrees with the value it explains.

    >>> from crossentropy.explain import explain_entropy
    >>> e = explain_entropy([1/2, 1/4, 1/8, 1/8], base="bits")
    >>> e.value
    1.75
    >>> print(e)
    Entropy: H(P) = -sum_c p_c log2 p_c  (0 log 0 = 0), in bits
    <BLANKLINE>
      c      p_c  -log2 p_c  -p_c log2 p_c
      1      0.5          1            0.5
      2     0.25          2            0.5
      3    0.125          3          0.375
      4    0.125          3          0.375
    <BLANKLINE>
    H(P) = 0.5 + 0.5 + 0.375 + 0.375
         = 1.75 bits
    <BLANKLINE>
    The most any distribution over 4 outcomes can have is log2 4 = 2 bits (the uniform one).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_float_array, resolve_base
from .coding import (
    check_code_base,
    coding_cost,
    digit_unit,
    expected_length,
    huffman_code,
    huffman_tree,
    is_d_adic,
    probability_vector,
)
from .information import cross_entropy, entropy, information, kl_divergence

__all__ = [
    "Explanation",
    "explain_code",
    "explain_cross_entropy",
    "explain_entropy",
    "explain_information",
    "explain_kl_divergence",
]

Base = float | str | None


# --------------------------------------------------------------------------- formatting


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


def _tex_num(s: str) -> str:
    if s in ("inf", "-inf"):
        return s.replace("inf", r"\infty")
    if "e" in s:
        mant, exp = s.split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return s


def _md_num(s: str) -> str:
    return s.replace("inf", "∞")


@dataclass(frozen=True)
class _Log:
    """How to write the logarithm of the chosen unit in each format."""

    unit: str
    text: str  # "log2"
    tex: str  # r"\log_2"

    @classmethod
    def of(cls, base: Base) -> _Log:
        log_base, unit = resolve_base(base)
        if unit == "nats":
            return cls(unit, "ln", r"\ln")
        if unit == "bits":
            return cls(unit, "log2", r"\log_2")
        if unit == "bans":
            return cls(unit, "log10", r"\log_{10}")
        b = f"{math.exp(log_base):g}"
        return cls(unit, f"log_{b}", rf"\log_{{{b}}}")


@dataclass
class _Block:
    kind: str  # "line", "table", "sum"
    text: str = ""
    markdown: str = ""
    latex: str = ""
    headers: tuple[tuple[str, str], ...] = ()  # (text, tex) per column
    rows: list[list[str]] = field(default_factory=list)
    text_cols: frozenset[int] = frozenset()  # columns of words, not numbers
    hidden: int = 0  # rows left out of a long table


class _Doc:
    """Blocks rendered three ways; keeps the three renderings in step."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []

    def line(self, text: str, markdown: str, latex: str) -> None:
        self.blocks.append(_Block("line", text, markdown, latex))

    def table(
        self,
        headers: Sequence[tuple[str, str]],
        rows: list[list[str]],
        *,
        max_rows: int,
        text_cols: Iterable[int] = (0,),
    ) -> None:
        hidden = max(0, len(rows) - max_rows)
        self.blocks.append(
            _Block(
                "table",
                headers=tuple(headers),
                rows=rows[:max_rows],
                hidden=hidden,
                text_cols=frozenset(text_cols),
            )
        )

    def derivation(self, lhs: tuple[str, str], steps: Sequence[tuple[str, str]], unit: str) -> None:
        """``lhs = step_1 = step_2 ...``, the last step followed by the unit."""
        pad = " " * len(lhs[0])
        text = [f"{lhs[0]} = {steps[0][0]}"] + [f"{pad} = {s[0]}" for s in steps[1:]]
        unit = unit_of(steps[-1][0], unit)
        text[-1] += f" {unit}"
        md = f"${lhs[1]} = " + " = ".join(s[1] for s in steps) + rf"$ {unit}"
        tex = f"{lhs[1]} = " + " = ".join(s[1] for s in steps) + rf"\ \text{{{unit}}}"
        self.blocks.append(_Block("sum", "\n".join(text), md, tex))

    def render_text(self) -> str:
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "table":
                cols = [[h[0] for h in b.headers], *b.rows]
                widths = [max(len(r[j]) for r in cols) for j in range(len(b.headers))]
                lines = [
                    "  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                    for r in cols
                ]
                if b.hidden:
                    lines.append(f"  ... ({b.hidden} more rows)")
                out.append("\n".join(lines))
            else:
                out.append(b.text)
        return "\n\n".join(out)

    def render_markdown(self) -> str:
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "table":
                head = "| " + " | ".join(f"${h[1]}$" for h in b.headers) + " |"
                rule = "|" + "---:|" * len(b.headers)
                body = [
                    "| "
                    + " | ".join(
                        c.replace("|", r"\|") if j in b.text_cols else _md_num(c)
                        for j, c in enumerate(r)
                    )
                    + " |"
                    for r in b.rows
                ]
                if b.hidden:
                    body.append("| " + " | ".join(["…"] * len(b.headers)) + " |")
                out.append("\n".join([head, rule, *body]))
                if b.hidden:
                    out.append(f"({b.hidden} more rows not shown)")
            else:
                out.append(b.markdown)
        return "\n\n".join(out)

    def latex_body(self) -> str:
        parts: list[str] = []
        for b in self.blocks:
            if b.kind == "table":
                spec = "r" * len(b.headers)
                lines = [" & ".join(h[1] for h in b.headers) + r" \\ \hline"]
                lines += [
                    " & ".join(
                        rf"\texttt{{{_tex_escape(c)}}}" if j in b.text_cols else _tex_num(c)
                        for j, c in enumerate(r)
                    )
                    + r" \\"
                    for r in b.rows
                ]
                if b.hidden:
                    lines.append(
                        rf"\multicolumn{{{len(b.headers)}}}{{c}}"
                        rf"{{\text{{({b.hidden} more rows)}}}} \\"
                    )
                parts.append(
                    rf"\begin{{array}}{{{spec}}}" + "\n" + "\n".join(lines) + "\n" + r"\end{array}"
                )
            else:
                parts.append(b.latex)
        return r"\begin{array}{l}" + "\n" + " \\\\[6pt]\n".join(parts) + "\n" + r"\end{array}"


def _tex_escape(s: str) -> str:
    for a, b in (
        ("\\", r"\backslash "),
        ("_", r"\_"),
        ("%", r"\%"),
        ("&", r"\&"),
        ("#", r"\#"),
        ("$", r"\$"),
        ("{", r"\{"),
        ("}", r"\}"),
    ):
        s = s.replace(a, b)
    return s


@dataclass(frozen=True)
class Explanation:
    """A worked derivation of one measure, in three formats.

    Attributes
    ----------
    measure : str
        What was computed ("entropy", "cross-entropy", ...).
    value : float or ndarray
        The result, exactly as the library function returns it.
    unit : str
        Its unit ("bits", "nats", "bans", ...).
    terms : ndarray
        The per-outcome terms that add up to ``value`` (for a sum), or the
        per-event values (for self-information).
    text, markdown, latex : str
        The derivation as plain text, Markdown (with ``$...$`` maths) and a LaTeX
        display-maths block.
    """

    measure: str
    value: Any
    unit: str
    terms: NDArray[np.float64]
    text: str
    markdown: str
    latex: str

    def __str__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.markdown

    def _repr_latex_(self) -> str:
        return self.latex.replace(r"\[", "$$", 1).replace(r"\]", "$$")

    def format(self, fmt: str = "text") -> str:
        """The explanation in ``fmt``: "text", "markdown" or "latex"."""
        key = fmt.strip().lower()
        if key not in ("text", "markdown", "latex"):
            raise ValueError(f"`fmt` must be 'text', 'markdown' or 'latex'; got {fmt!r}")
        return str(getattr(self, key))


def _finish(doc: _Doc, measure: str, value: Any, unit: str, terms: ArrayLike) -> Explanation:
    if np.ndim(value) == 0:
        value = float(value)
    return Explanation(
        measure=measure,
        value=value,
        unit=unit,
        terms=np.asarray(terms, dtype=np.float64),
        text=doc.render_text(),
        markdown=doc.render_markdown(),
        latex="\\[\n" + doc.latex_body() + "\n\\]",
    )


def _labels(symbols: Iterable[Hashable] | None, k: int) -> list[str]:
    if symbols is None:
        return [str(i + 1) for i in range(k)]
    labels = [str(s) for s in symbols]
    if len(labels) != k:
        raise ValueError(f"`symbols` must name the {k} outcomes; got {len(labels)} symbols")
    return labels


def _check_rows(max_rows: int) -> int:
    if isinstance(max_rows, bool) or not isinstance(max_rows, (int, np.integer)) or max_rows < 1:
        raise ValueError(f"`max_rows` must be an integer >= 1; got {max_rows!r}")
    return int(max_rows)


def _sum_text(terms: Sequence[str], *, max_terms: int = 8) -> tuple[str, str]:
    """``a + b + c`` in text and TeX, eliding the middle of long sums."""
    shown = list(terms)
    if len(shown) > max_terms:
        rest = len(shown) - (max_terms - 1)
        shown = [*shown[: max_terms - 1], f"... ({rest} more terms)"]
    text = " + ".join(shown)
    tex = " + ".join(
        rf"\dots\text{{({len(terms) - (max_terms - 1)} more)}}"
        if s.startswith("...")
        else _tex_num(s)
        for s in shown
    )
    return text.replace("+ -", "- "), tex.replace("+ -", "- ")


def _single(p: ArrayLike, name: str) -> NDArray[np.floating[Any]]:
    """A 1-D array for an explanation, which shows one distribution."""
    arr = as_float_array(p, name)
    if arr.ndim != 1:
        raise ValueError(
            f"`{name}` must be one distribution (1-D) to be explained; got shape {arr.shape}. "
            "Explain one row at a time."
        )
    return arr


# --------------------------------------------------------------------------- measures


def explain_information(
    p: ArrayLike,
    *,
    base: Base = None,
    symbols: Iterable[Hashable] | None = None,
    digits: int = 6,
    max_rows: int = 20,
) -> Explanation:
    r"""Worked self-information :math:`I(x) = -\log p(x)` of one or more events.

    Parameters
    ----------
    p : float or 1-D array_like
        Probabilities of the events, in [0, 1].
    base : float or {"nats", "bits", "bans"}, optional
        Unit (nats by default).
    symbols : iterable, optional
        Names of the events (default 1, 2, ...).
    digits : int, default 6
        Significant digits shown.
    max_rows : int, default 20
        Longest table shown; further rows are counted, not listed.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.information` of ``p``.

    Examples
    --------
    >>> print(explain_information(0.125, base="bits"))
    Self-information: I(x) = -log2 p(x), in bits
    <BLANKLINE>
    I(x) = -log2 0.125
         = 3 bits
    <BLANKLINE>
    A certain event (p = 1) carries 0 bits; rarer events carry more.
    """
    log = _Log.of(base)
    arr = as_float_array(p, "p")
    if arr.ndim > 1:
        raise ValueError(f"`p` must be a number or a 1-D array; got shape {arr.shape}")
    value = information(arr, base=base)
    values = np.atleast_1d(np.asarray(value, dtype=np.float64))
    doc = _Doc()
    doc.line(
        f"Self-information: I(x) = -{log.text} p(x), in {log.unit}",
        rf"**Self-information** $I(x) = -{log.tex}\, p(x)$, in {log.unit}",
        rf"I(x) = -{log.tex}\, p(x) \quad \text{{({log.unit})}}",
    )
    if arr.ndim == 0:
        ps = fmt(float(arr), digits)
        v = fmt(values[0], digits)
        doc.derivation(
            ("I(x)", "I(x)"),
            [(f"-{log.text} {ps}", rf"-{log.tex} {_tex_num(ps)}"), (v, _tex_num(v))],
            log.unit,
        )
    else:
        labels = _labels(symbols, len(arr))
        rows = [
            [lab, fmt(pi, digits), fmt(vi, digits)]
            for lab, pi, vi in zip(labels, arr, values, strict=True)
        ]
        doc.table(
            [("x", "x"), ("p(x)", "p(x)"), (f"-{log.text} p(x)", rf"-{log.tex} p(x)")],
            rows,
            max_rows=_check_rows(max_rows),
        )
    zero = fmt(float(information(1.0, base=base)), digits)
    carries = f"carries {zero} {unit_of(zero, log.unit)}; rarer events carry more."
    doc.line(
        f"A certain event (p = 1) {carries}",
        f"A certain event ($p = 1$) {carries}",
        rf"\text{{A certain event {carries}}}",
    )
    return _finish(doc, "information", value, log.unit, values)


def explain_entropy(
    p: ArrayLike,
    *,
    base: Base = None,
    symbols: Iterable[Hashable] | None = None,
    normalize: bool = False,
    digits: int = 6,
    max_rows: int = 20,
) -> Explanation:
    r"""Worked entropy :math:`H(P) = -\sum_c p_c \log p_c` of one distribution.

    Shows each outcome's probability, its self-information and its term
    :math:`-p_c \log p_c` (0 when :math:`p_c = 0`), their sum, and the largest
    entropy possible over as many outcomes, :math:`\log K`.

    Parameters
    ----------
    p : 1-D array_like
        The distribution (summing to 1 unless ``normalize``).
    base : float or {"nats", "bits", "bans"}, optional
        Unit (nats by default).
    symbols : iterable, optional
        Names of the outcomes (default 1, 2, ...).
    normalize : bool, default False
        Scale ``p`` to sum to 1 first (counts); the table shows the scaled values.
    digits : int, default 6
        Significant digits shown.
    max_rows : int, default 20
        Longest table shown.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.entropy` of ``p``.

    Examples
    --------
    >>> e = explain_entropy([0.5, 0.5])
    >>> print(e.text.splitlines()[-3])
         = 0.693147 nats
    >>> print(e.markdown.splitlines()[0])
    **Entropy** $H(P) = -\sum_c p_c \ln p_c$ (with $0 \log 0 = 0$), in nats
    """
    log = _Log.of(base)
    arr = probability_vector(_single(p, "p"), "p", normalize=normalize)
    value = entropy(p, base=base, normalize=normalize)
    surprisal = np.asarray(information(arr, base=base), dtype=np.float64)
    with np.errstate(invalid="ignore"):  # 0 * inf where p_c = 0; the term is 0
        terms = np.where(arr > 0, arr * surprisal, 0.0)
    labels = _labels(symbols, len(arr))
    doc = _Doc()
    doc.line(
        f"Entropy: H(P) = -sum_c p_c {log.text} p_c  (0 log 0 = 0), in {log.unit}",
        rf"**Entropy** $H(P) = -\sum_c p_c {log.tex} p_c$ (with $0 \log 0 = 0$), in {log.unit}",
        rf"H(P) = -\sum_c p_c {log.tex} p_c \quad \text{{({log.unit}; }} 0 \log 0 = 0\text{{)}}",
    )
    rows = [
        [lab, fmt(pi, digits), fmt(si, digits), fmt(ti, digits)]
        for lab, pi, si, ti in zip(labels, arr, surprisal, terms, strict=True)
    ]
    doc.table(
        [
            ("c", "c"),
            ("p_c", "p_c"),
            (f"-{log.text} p_c", rf"-{log.tex} p_c"),
            (f"-p_c {log.text} p_c", rf"-p_c {log.tex} p_c"),
        ],
        rows,
        max_rows=_check_rows(max_rows),
    )
    s_text, s_tex = _sum_text([fmt(t, digits) for t in terms])
    v = fmt(float(value), digits)
    doc.derivation(("H(P)", "H(P)"), [(s_text, s_tex), (v, _tex_num(v))], log.unit)
    k = len(arr)
    top = fmt(float(information(1.0 / k, base=base)), digits)
    doc.line(
        f"The most any distribution over {k} outcomes can have is {log.text} {k} = {top} "
        f"{log.unit} (the uniform one).",
        f"The most any distribution over {k} outcomes can have is ${log.tex} {k} = "
        f"{_tex_num(top)}$ {unit_of(top, log.unit)} (the uniform one).",
        rf"\text{{At most }} {log.tex} {k} = {_tex_num(top)}\ \text{{{log.unit} (uniform)}}",
    )
    return _finish(doc, "entropy", value, log.unit, terms)


def _pair(
    p: ArrayLike, q: ArrayLike, normalize: bool
) -> tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]]]:
    p_arr, q_arr = _single(p, "p"), _single(q, "q")
    if len(p_arr) != len(q_arr):
        raise ValueError(
            f"`p` and `q` must have the same number of outcomes; got {len(p_arr)} and {len(q_arr)}"
        )
    return (
        probability_vector(p_arr, "p", normalize=normalize),
        probability_vector(q_arr, "q", normalize=normalize),
    )


def explain_cross_entropy(
    p: ArrayLike,
    q: ArrayLike,
    *,
    base: Base = None,
    symbols: Iterable[Hashable] | None = None,
    normalize: bool = False,
    digits: int = 6,
    max_rows: int = 20,
) -> Explanation:
    r"""Worked cross-entropy :math:`H(P, Q) = -\sum_c p_c \log q_c`.

    Shows each outcome's :math:`p_c`, :math:`q_c`, the surprisal
    :math:`-\log q_c` the model assigns and the term :math:`-p_c \log q_c`, their
    sum, and the split :math:`H(P, Q) = H(P) + D_{KL}(P \| Q)`.

    Parameters
    ----------
    p, q : 1-D array_like
        The true and the model distribution.
    base, symbols, normalize, digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.cross_entropy` of ``p`` and ``q``.

    Examples
    --------
    >>> e = explain_cross_entropy([0.7, 0.2, 0.1], [0.5, 0.2, 0.3])
    >>> print(e.text.splitlines()[-1])
    H(P, Q) = H(P) + KL(P || Q) = 0.801819 + 0.125669 = 0.927488 nats
    """
    log = _Log.of(base)
    p_arr, q_arr = _pair(p, q, normalize)
    value = cross_entropy(p, q, base=base, normalize=normalize)
    surprisal = np.asarray(information(q_arr, base=base), dtype=np.float64)
    with np.errstate(invalid="ignore"):
        terms = np.where(p_arr > 0, p_arr * surprisal, 0.0)
    labels = _labels(symbols, len(p_arr))
    doc = _Doc()
    doc.line(
        f"Cross-entropy: H(P, Q) = -sum_c p_c {log.text} q_c, in {log.unit}",
        rf"**Cross-entropy** $H(P, Q) = -\sum_c p_c {log.tex} q_c$, in {log.unit}",
        rf"H(P, Q) = -\sum_c p_c {log.tex} q_c \quad \text{{({log.unit})}}",
    )
    rows = [
        [lab, fmt(pi, digits), fmt(qi, digits), fmt(si, digits), fmt(ti, digits)]
        for lab, pi, qi, si, ti in zip(labels, p_arr, q_arr, surprisal, terms, strict=True)
    ]
    doc.table(
        [
            ("c", "c"),
            ("p_c", "p_c"),
            ("q_c", "q_c"),
            (f"-{log.text} q_c", rf"-{log.tex} q_c"),
            (f"-p_c {log.text} q_c", rf"-p_c {log.tex} q_c"),
        ],
        rows,
        max_rows=_check_rows(max_rows),
    )
    s_text, s_tex = _sum_text([fmt(t, digits) for t in terms])
    v = fmt(float(value), digits)
    doc.derivation(("H(P, Q)", "H(P, Q)"), [(s_text, s_tex), (v, _tex_num(v))], log.unit)
    h = fmt(float(entropy(p_arr, base=base)), digits)
    kl = fmt(float(kl_divergence(p_arr, q_arr, base=base)), digits)
    doc.line(
        f"H(P, Q) = H(P) + KL(P || Q) = {h} + {kl} = {v} {unit_of(v, log.unit)}",
        rf"$H(P, Q) = H(P) + D_{{KL}}(P \| Q) = {_tex_num(h)} + {_tex_num(kl)} = "
        rf"{_tex_num(v)}$ {unit_of(v, log.unit)}",
        rf"H(P, Q) = H(P) + D_{{KL}}(P \| Q) = {_tex_num(h)} + {_tex_num(kl)} = {_tex_num(v)}"
        rf"\ \text{{{log.unit}}}",
    )
    return _finish(doc, "cross-entropy", value, log.unit, terms)


def explain_kl_divergence(
    p: ArrayLike,
    q: ArrayLike,
    *,
    base: Base = None,
    symbols: Iterable[Hashable] | None = None,
    normalize: bool = False,
    digits: int = 6,
    max_rows: int = 20,
) -> Explanation:
    r"""Worked KL divergence :math:`D_{KL}(P \| Q) = \sum_c p_c \log(p_c / q_c)`.

    Shows each outcome's log-ratio :math:`\log(p_c/q_c)` (the extra surprisal of
    the model, :math:`-\log q_c - (-\log p_c)`) and its weighted term; terms can
    be negative, their sum cannot.  Ends with :math:`H(P, Q) - H(P)`.

    Parameters
    ----------
    p, q : 1-D array_like
        The true and the model distribution.
    base, symbols, normalize, digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.kl_divergence` of ``p`` and ``q``.

    Examples
    --------
    >>> e = explain_kl_divergence([0.7, 0.2, 0.1], [0.5, 0.2, 0.3], base="bits")
    >>> print("\n".join(e.text.splitlines()[-4:]))
    KL(P || Q) = 0.339799 + 0 - 0.158496
               = 0.181303 bits
    <BLANKLINE>
    KL(P || Q) = H(P, Q) - H(P) = 1.33808 - 1.15678 = 0.181303 bits
    """
    log = _Log.of(base)
    p_arr, q_arr = _pair(p, q, normalize)
    value = kl_divergence(p, q, base=base, normalize=normalize)
    with np.errstate(invalid="ignore"):
        # log(p/q) as the difference of the two surprisals; inf where q = 0 < p.
        ratio = np.asarray(information(q_arr, base=base), dtype=np.float64) - np.asarray(
            information(p_arr, base=base), dtype=np.float64
        )
        terms = np.where(p_arr > 0, p_arr * ratio, 0.0)
    labels = _labels(symbols, len(p_arr))
    doc = _Doc()
    doc.line(
        f"KL divergence: KL(P || Q) = sum_c p_c {log.text}(p_c / q_c), in {log.unit}",
        rf"**KL divergence** $D_{{KL}}(P \| Q) = \sum_c p_c {log.tex}(p_c / q_c)$, in {log.unit}",
        rf"D_{{KL}}(P \| Q) = \sum_c p_c {log.tex} \frac{{p_c}}{{q_c}} \quad "
        rf"\text{{({log.unit})}}",
    )
    rows = [
        [lab, fmt(pi, digits), fmt(qi, digits), fmt(ri, digits) if pi > 0 else "-", fmt(ti, digits)]
        for lab, pi, qi, ri, ti in zip(labels, p_arr, q_arr, ratio, terms, strict=True)
    ]
    doc.table(
        [
            ("c", "c"),
            ("p_c", "p_c"),
            ("q_c", "q_c"),
            (f"{log.text}(p_c/q_c)", rf"{log.tex}(p_c/q_c)"),
            (f"p_c {log.text}(p_c/q_c)", rf"p_c {log.tex}(p_c/q_c)"),
        ],
        rows,
        max_rows=_check_rows(max_rows),
    )
    s_text, s_tex = _sum_text([fmt(t, digits) for t in terms])
    v = fmt(float(value), digits)
    doc.derivation(("KL(P || Q)", r"D_{KL}(P \| Q)"), [(s_text, s_tex), (v, _tex_num(v))], log.unit)
    hpq = fmt(float(cross_entropy(p_arr, q_arr, base=base)), digits)
    h = fmt(float(entropy(p_arr, base=base)), digits)
    doc.line(
        f"KL(P || Q) = H(P, Q) - H(P) = {hpq} - {h} = {v} {unit_of(v, log.unit)}",
        rf"$D_{{KL}}(P \| Q) = H(P, Q) - H(P) = {_tex_num(hpq)} - {_tex_num(h)} = "
        rf"{_tex_num(v)}$ {unit_of(v, log.unit)}",
        rf"D_{{KL}}(P \| Q) = H(P, Q) - H(P) = {_tex_num(hpq)} - {_tex_num(h)} = "
        rf"{_tex_num(v)}\ \text{{{log.unit}}}",
    )
    return _finish(doc, "kl-divergence", value, log.unit, terms)


def explain_code(
    p: ArrayLike,
    q: ArrayLike | None = None,
    *,
    symbols: Iterable[Hashable] | None = None,
    base: int = 2,
    normalize: bool = False,
    digits: int = 6,
    max_rows: int = 20,
) -> Explanation:
    r"""Worked Huffman code of ``p``, or of a model ``q`` used on data from ``p``.

    Lists the merges of Huffman's algorithm, the code table with each term
    :math:`p_c \ell_c`, the expected length :math:`L`, and compares it with the
    entropy (:math:`H \le L < H + 1`).  With ``q``, the code is built for ``q``
    and its cost on data from ``p`` is compared with :math:`H(P, Q)`, :math:`H(P)`
    and :math:`D_{KL}(P \| Q)`.

    Parameters
    ----------
    p : 1-D array_like
        The distribution of the data.
    q : 1-D array_like, optional
        The model whose code is used (default: ``p`` itself).
    symbols : iterable, optional
        Names of the symbols (default 1, 2, ...).
    base : int, default 2
        Size of the code alphabet; lengths and measures are in digits of this base
        (bits for 2).
    normalize, digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.coding.expected_length` of the code under ``p``.

    Examples
    --------
    >>> e = explain_code([1/2, 1/4, 1/8, 1/8], symbols="abcd")
    >>> print("\n".join(e.text.splitlines()[:7]))
    Huffman code (base 2): merge the 2 least probable nodes until one tree is left
    <BLANKLINE>
    step 1: merge c (0.125) + d (0.125) -> 0.25
    step 2: merge b (0.25) + {c,d} (0.25) -> 0.5
    step 3: merge a (0.5) + {b,c,d} (0.5) -> 1
    <BLANKLINE>
      c    p_c  codeword  length l_c  p_c l_c
    """
    d = check_code_base(base)
    p_arr = probability_vector(_single(p, "p"), "p", normalize=normalize)
    model = p_arr if q is None else _pair(p_arr, q, normalize)[1]
    labels = _labels(symbols, len(p_arr))
    unit = digit_unit(d)
    log = _Log.of(d)
    code = huffman_code(model, symbols=labels, base=d)
    value = expected_length(code, p_arr)
    lengths = code.lengths
    terms = p_arr.astype(np.float64) * lengths
    codewords, merges, dummies = huffman_tree(model, d)
    doc = _Doc()
    whose = "" if q is None else " built for the model Q, used on data from P"
    doc.line(
        f"Huffman code (base {d}){whose}: merge the {d} least probable nodes until one "
        "tree is left",
        f"**Huffman code** (base {d}){whose}: merge the {d} least probable nodes until one "
        "tree is left",
        rf"\text{{Huffman code (base {d}){whose}}}",
    )
    if merges:
        k = len(model)
        names: dict[int, str] = {i: labels[i] for i in range(k)}
        members: dict[int, list[int]] = {i: [i] for i in range(k)}
        for j in range(dummies):
            names[k + j] = "(dummy)"
            members[k + j] = []
        steps = []
        for n, m in enumerate(merges, 1):
            parts = " + ".join(
                f"{names[c]} ({fmt(w, digits)})" for c, w in zip(m.nodes, m.weights, strict=True)
            )
            steps.append(f"step {n}: merge {parts} -> {fmt(m.weight, digits)}")
            members[m.parent] = sorted(i for c in m.nodes for i in members[c])
            names[m.parent] = "{" + ",".join(labels[i] for i in members[m.parent]) + "}"
        shown = steps[: _check_rows(max_rows)]
        if len(steps) > len(shown):
            shown.append(f"... ({len(steps) - len(shown)} more merges)")
        doc.line(
            "\n".join(shown),
            "\n".join(f"{i + 1}. {s.split(': ', 1)[-1]}" for i, s in enumerate(shown)),
            " \\\\\n".join(r"\text{" + _tex_escape(s) + "}" for s in shown),
        )
    q_col = [] if q is None else [("q_c", "q_c")]
    rows = [
        [
            lab,
            fmt(pi, digits),
            *([] if q is None else [fmt(qi, digits)]),
            w if w else "(empty)",
            str(len(w)),
            fmt(ti, digits),
        ]
        for lab, pi, qi, w, ti in zip(labels, p_arr, model, codewords, terms, strict=True)
    ]
    doc.table(
        [
            ("c", "c"),
            ("p_c", "p_c"),
            *q_col,
            ("codeword", r"\text{codeword}"),
            ("length l_c", r"\ell_c"),
            ("p_c l_c", r"p_c \ell_c"),
        ],
        rows,
        max_rows=_check_rows(max_rows),
        text_cols=(0, len(q_col) + 2),
    )
    s_text, s_tex = _sum_text([fmt(t, digits) for t in terms])
    v = fmt(value, digits)
    doc.derivation(("L", "L"), [(s_text, s_tex), (v, _tex_num(v))], unit)
    h = fmt(float(entropy(p_arr, base=d)), digits)
    if q is None:
        if is_d_adic(p_arr, list(lengths), d):
            why = f"every p_c is a power of 1/{d}, so L = H(P)"
        elif np.count_nonzero(p_arr) == 1 and len(p_arr) > 1:
            why = "a certain outcome still needs one digit to tell it apart, so L = H(P) + 1"
        else:
            why = "H(P) <= L < H(P) + 1"
        doc.line(
            f"Entropy H(P) = {h} {unit_of(h, unit)}; {why}.",
            f"Entropy $H(P) = {_tex_num(h)}$ {unit_of(h, unit)}; {why.replace('<=', '≤')}.",
            rf"H(P) = {_tex_num(h)}\ \text{{{unit}; {why.replace('<=', '≤')}}}",
        )
    else:
        cost = coding_cost(p_arr, model, base=d)
        hpq = fmt(cost.cross_entropy, digits)
        kl = fmt(cost.kl_divergence, digits)
        own = fmt(cost.own_length, digits)
        if cost.dyadic:
            tail = f"Q is {d}-adic, so L = H(P, Q) and the waste over H(P) is KL(P || Q)."
        else:
            tail = (
                f"Q is not {d}-adic: its codeword lengths are not exactly -{log.text} q_c, "
                f"so L is not H(P, Q). P's own Huffman code needs {own} {unit_of(own, unit)}."
            )
        kl_unit = unit_of(kl, unit)
        text = f"H(P) = {h}, H(P, Q) = {hpq}, KL(P || Q) = H(P, Q) - H(P) = {kl} {kl_unit}. "
        md = (
            rf"$H(P) = {_tex_num(h)}$, $H(P, Q) = {_tex_num(hpq)}$, "
            rf"$D_{{KL}}(P \| Q) = H(P, Q) - H(P) = {_tex_num(kl)}$ {unit_of(kl, unit)}. "
        )
        tex = (
            rf"H(P) = {_tex_num(h)},\ H(P, Q) = {_tex_num(hpq)},\ D_{{KL}}(P \| Q) = "
            rf"{_tex_num(kl)}\ \text{{{unit}}} \\ \text{{{_tex_escape(tail)}}}"
        )
        doc.line(text + tail, md + tail, tex)
    return _finish(doc, "code", value, unit, terms)
