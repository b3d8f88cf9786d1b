r"""Worked self-information, entropy, cross-entropy and KL divergence of one distribution."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_bool
from ..information import cross_entropy, entropy, information, kl_divergence
from ._common import (
    Base,
    Column,
    FloatArray,
    Log,
    check_digits,
    check_rows,
    identity_line,
    labels,
    single,
    sum_table,
    weighted,
)
from ._explanation import Doc, Explanation
from ._markup import Inline, Math, amount, num

__all__ = [
    "explain_cross_entropy",
    "explain_entropy",
    "explain_information",
    "explain_kl_divergence",
    "probabilities",
]


def probabilities(p: ArrayLike, name: str, normalize: bool) -> FloatArray:
    """One distribution, checked (and scaled to sum to 1 when ``normalize``)."""
    from ..coding import probability_vector

    return probability_vector(single(p, name), name, normalize=check_bool(normalize, "normalize"))


def _pair(p: ArrayLike, q: ArrayLike, normalize: bool) -> tuple[FloatArray, FloatArray]:
    p_arr, q_arr = single(p, "p"), single(q, "q")
    if len(p_arr) != len(q_arr):
        raise ValueError(
            f"`p` and `q` must have the same number of outcomes; got {len(p_arr)} and {len(q_arr)}"
        )
    return probabilities(p_arr, "p", normalize), probabilities(q_arr, "q", normalize)


def _surprisal(p: FloatArray, base: Base) -> NDArray[np.float64]:
    return np.asarray(information(p, base=base), dtype=np.float64)


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
        Significant digits shown, from 1 to 17.
    max_rows : int, default 20
        Longest table shown; further rows are counted, not listed.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.information` of ``p``; ``terms`` holds it
        per event.

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
    log = Log.of(base)
    digits, max_rows = check_digits(digits), check_rows(max_rows)
    arr = as_float_array(p, "p")
    if arr.ndim > 1:
        raise ValueError(f"`p` must be a number or a 1-D array; got shape {arr.shape}")
    value = information(arr, base=base)
    values = np.atleast_1d(np.asarray(value, dtype=np.float64))
    doc = Doc()
    doc.para(
        Math(f"I(x) = -{log.text} p(x)", rf"I(x) = -{log.tex}\, p(x)"),
        f", in {log.unit}",
        title="Self-information",
    )
    if arr.ndim == 0:
        ps = num(float(arr), digits)
        doc.equation(
            Math.same("I(x)"),
            Math(f"-{log.text} {ps.text}", rf"-{log.tex} {ps.tex}"),
            num(values[0], digits),
            unit=log.unit,
        )
    else:
        headers = [
            Math.same("x"),
            Math.same("p(x)"),
            Math(f"-{log.text} p(x)", rf"-{log.tex} p(x)"),
        ]
        rows = [
            [name, num(pi, digits).text, num(vi, digits).text]
            for name, pi, vi in zip(labels(symbols, len(arr)), arr, values, strict=True)
        ]
        doc.table(headers, rows, max_rows=max_rows)
    zero = amount(float(information(1.0, base=base)), digits, log.unit)
    doc.para(
        "A certain event (", Math.same("p = 1"), ") carries ", zero, "; rarer events carry more."
    )
    if np.any(arr == 0):
        doc.para(
            "An impossible event (",
            Math.same("p = 0"),
            ") would carry infinite information: ",
            Math(f"-{log.text} 0 = inf", rf"-{log.tex} 0 = \infty"),
            ". Seeing it would be infinitely surprising.",
        )
    return doc.finish("information", value, log.unit, values)


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
        Significant digits shown, from 1 to 17.
    max_rows : int, default 20
        Longest table shown.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.entropy` of ``p``; ``terms`` are the
        :math:`-p_c \log p_c`.

    Examples
    --------
    >>> e = explain_entropy([0.5, 0.5])
    >>> print(e.text.splitlines()[-3])
         = 0.693147 nats
    >>> print(e.markdown.splitlines()[0])
    **Entropy** $H(P) = -\sum_c p_c \ln p_c$ (with $0 \log 0 = 0$), in nats
    """
    log = Log.of(base)
    digits, max_rows = check_digits(digits), check_rows(max_rows)
    arr = probabilities(p, "p", normalize)
    value = entropy(p, base=base, normalize=normalize)
    surprisal = _surprisal(arr, base)
    terms = weighted(arr, surprisal)
    doc = Doc()
    doc.para(
        Math(f"H(P) = -sum_c p_c {log.text} p_c", rf"H(P) = -\sum_c p_c {log.tex} p_c"),
        " (with ",
        Math(r"0 log 0 = 0", r"0 \log 0 = 0"),
        f"), in {log.unit}",
        title="Entropy",
    )
    columns = [
        Column(Math.same("c"), labels(symbols, len(arr))),
        Column(Math.same("p_c"), arr),
        Column(Math(f"-{log.text} p_c", rf"-{log.tex} p_c"), surprisal),
        Column(Math(f"-p_c {log.text} p_c", rf"-p_c {log.tex} p_c"), terms),
    ]
    result = (Math.same("H(P)"), value, log.unit)
    sum_table(doc, columns, terms, result, digits=digits, max_rows=max_rows)
    k = len(arr)
    top = amount(float(information(1.0 / k, base=base)), digits, log.unit)
    doc.para(
        f"The uniform distribution over {k} outcomes has the most: ",
        Math(f"{log.text} {k} = {top.text}", rf"{log.tex} {k} = {top.tex}"),
        ".",
    )
    return doc.finish("entropy", value, log.unit, terms)


class _PairSpec(NamedTuple):
    """What differs between the explanations of H(P, Q) and KL(P || Q)."""

    measure: str
    title: str
    lhs: Math
    formula: Math
    ratio: Math  # header of the per-outcome column before the term
    term: Math  # header of the term


def _spec(kl: bool, log: Log) -> _PairSpec:
    if kl:
        lhs = Math("KL(P || Q)", r"D_{KL}(P \| Q)")
        return _PairSpec(
            "kl-divergence",
            "KL divergence",
            lhs,
            Math(
                f"{lhs.text} = sum_c p_c {log.text}(p_c / q_c)",
                rf"{lhs.tex} = \sum_c p_c {log.tex}(p_c / q_c)",
            ),
            Math(f"{log.text}(p_c/q_c)", rf"{log.tex}(p_c/q_c)"),
            Math(f"p_c {log.text}(p_c/q_c)", rf"p_c {log.tex}(p_c/q_c)"),
        )
    return _PairSpec(
        "cross-entropy",
        "Cross-entropy",
        Math.same("H(P, Q)"),
        Math(f"H(P, Q) = -sum_c p_c {log.text} q_c", rf"H(P, Q) = -\sum_c p_c {log.tex} q_c"),
        Math(f"-{log.text} q_c", rf"-{log.tex} q_c"),
        Math(f"-p_c {log.text} q_c", rf"-p_c {log.tex} q_c"),
    )


def _listed(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _impossible(
    doc: Doc, p: FloatArray, q: FloatArray, names: list[str], lhs: Math, digits: int
) -> None:
    """Say in words why the measure is infinite: Q rules out what P lets happen."""
    bad = np.flatnonzero((q == 0) & (p > 0))
    if bad.size == 0:
        return
    one = bad.size == 1
    which = "outcome " if one else "outcomes "
    gives: list[Inline] = []
    for i, c in enumerate(bad):
        if i:
            gives.append(" and " if i == bad.size - 1 else ", ")
        gives.append(num(p[c], digits))
    doc.para(
        f"Q calls {which}{_listed([names[c] for c in bad])} impossible, but P gives ",
        "it " if one else "them ",
        *gives,
        ". A model that rules out what happens is infinitely surprised when it does (",
        Math("-log 0 = inf", r"-\log 0 = \infty"),
        "), so ",
        Math(f"{lhs.text} = inf", rf"{lhs.tex} = \infty"),
        ": no finite cost pays for that mistake.",
    )


def _explain_pair(
    kl: bool,
    p: ArrayLike,
    q: ArrayLike,
    base: Base,
    symbols: Iterable[Hashable] | None,
    normalize: bool,
    digits: int,
    max_rows: int,
) -> Explanation:
    """The explanation of H(P, Q) (``kl`` False) or KL(P || Q) (``kl`` True)."""
    log, spec = Log.of(base), _spec(kl, Log.of(base))
    digits, max_rows = check_digits(digits), check_rows(max_rows)
    p_arr, q_arr = _pair(p, q, normalize)
    value = (kl_divergence if kl else cross_entropy)(p, q, base=base, normalize=normalize)
    h_p = float(entropy(p_arr, base=base))
    surprisal = _surprisal(q_arr, base)
    if kl:
        # log(p/q) as the difference of the two surprisals; inf where q = 0 < p.
        with np.errstate(invalid="ignore"):
            surprisal = surprisal - _surprisal(p_arr, base)
    terms = weighted(p_arr, surprisal)
    names = labels(symbols, len(p_arr))
    # A class with p_c = 0 adds nothing to KL; its log-ratio is not shown.
    ratio = [
        num(r, digits).text if pi > 0 or not kl else "-"
        for pi, r in zip(p_arr, surprisal, strict=True)
    ]
    doc = Doc()
    doc.para(spec.formula, f", in {log.unit}", title=spec.title)
    columns = [
        Column(Math.same("c"), names),
        Column(Math.same("p_c"), p_arr),
        Column(Math.same("q_c"), q_arr),
        Column(spec.ratio, ratio),
        Column(spec.term, terms),
    ]
    sum_table(doc, columns, terms, (spec.lhs, value, log.unit), digits=digits, max_rows=max_rows)
    if kl:
        h_pq = float(cross_entropy(p_arr, q_arr, base=base))
        closing = identity_line(
            spec.lhs, Math.same("H(P, Q) - H(P)"), (h_pq, h_p), "-", value, digits, log.unit
        )
    else:
        kl_pq = float(kl_divergence(p_arr, q_arr, base=base))
        rhs = Math("H(P) + KL(P || Q)", r"H(P) + D_{KL}(P \| Q)")
        closing = identity_line(spec.lhs, rhs, (h_p, kl_pq), "+", value, digits, log.unit)
    doc.para(closing)
    _impossible(doc, p_arr, q_arr, names, spec.lhs, digits)
    return doc.finish(spec.measure, value, log.unit, terms)


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
    sum, and the split :math:`H(P, Q) = H(P) + D_{KL}(P \| Q)`.  An infinite
    cross-entropy is said in words: which outcome Q calls impossible.

    Parameters
    ----------
    p, q : 1-D array_like
        The true and the model distribution.
    base, symbols, normalize, digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.cross_entropy` of ``p`` and ``q``;
        ``terms`` are the :math:`-p_c \log q_c`.

    Examples
    --------
    >>> e = explain_cross_entropy([0.7, 0.2, 0.1], [0.5, 0.2, 0.3])
    >>> print(e.text.splitlines()[-1])
    H(P, Q) = H(P) + KL(P || Q) = 0.801819 + 0.125669 = 0.927488 nats
    """
    return _explain_pair(False, p, q, base, symbols, normalize, digits, max_rows)


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
    be negative, their sum cannot.  Ends with :math:`H(P, Q) - H(P)`, and says in
    words why the divergence is infinite when it is.

    Parameters
    ----------
    p, q : 1-D array_like
        The true and the model distribution.
    base, symbols, normalize, digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is :func:`crossentropy.kl_divergence` of ``p`` and ``q``;
        ``terms`` are the :math:`p_c \log(p_c/q_c)`.

    Examples
    --------
    >>> e = explain_kl_divergence([0.7, 0.2, 0.1], [0.5, 0.2, 0.3], base="bits")
    >>> print("\n".join(e.text.splitlines()[-4:]))
    KL(P || Q) = 0.339799 + 0 - 0.158496
               = 0.181303 bits
    <BLANKLINE>
    KL(P || Q) = H(P, Q) - H(P) = 1.33808 - 1.15678 = 0.181303 bits
    >>> print(explain_kl_divergence([0.5, 0.5], [1.0, 0.0]).text.split("\n\n")[-1])
    Q calls outcome 2 impossible, but P gives it 0.5. A model that rules out what happens is
    infinitely surprised when it does (-log 0 = inf), so KL(P || Q) = inf: no finite cost
    pays for that mistake.
    """
    return _explain_pair(True, p, q, base, symbols, normalize, digits, max_rows)
