r"""Worked Huffman code: the merges, the code table, the expected length and the verdict."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..information import entropy
from ._common import Column as Col
from ._common import FloatArray, Log, check_digits, check_rows, labels, sum_table
from ._explanation import Doc, Explanation
from ._markup import Inline, Math, amount, fmt, num
from ._measures import probabilities

__all__ = ["explain_code"]


def _merge_steps(
    doc: Doc,
    model: FloatArray,
    names: list[str],
    merges: Sequence[Any],
    dummies: int,
    digits: int,
    max_rows: int,
) -> None:
    """One step per merge of Huffman's algorithm, naming the nodes by their leaves."""
    k = len(model)
    node: dict[int, str] = {i: names[i] for i in range(k)}
    leaves: dict[int, list[int]] = {i: [i] for i in range(k)}
    for j in range(dummies):
        node[k + j], leaves[k + j] = "(dummy)", []
    items: list[list[Inline]] = []
    for m in merges:
        parts = " + ".join(
            f"{node[c]} ({fmt(w, digits)})" for c, w in zip(m.nodes, m.weights, strict=True)
        )
        items.append([f"merge {parts} -> {fmt(m.weight, digits)}"])
        leaves[m.parent] = sorted(i for c in m.nodes for i in leaves[c])
        node[m.parent] = "{" + ",".join(names[i] for i in leaves[m.parent]) + "}"
    doc.steps(items, max_items=max_rows, what="merges")


def _verdict_own(doc: Doc, p: FloatArray, lengths: list[int], d: int, h: Math) -> None:
    """How the expected length of P's own code compares with H(P)."""
    from ..coding import is_d_adic

    why: list[Inline]
    if is_d_adic(p, lengths, d):
        why = ["every ", Math.same("p_c"), " is a power of ", Math.same(f"1/{d}"), ", so "]
        why.append(Math.same("L = H(P)"))
    elif np.count_nonzero(p) == 1 and len(p) > 1:
        why = ["a certain outcome still needs one digit to tell it apart, so "]
        why.append(Math.same("L = H(P) + 1"))
    else:
        why = [Math("H(P) <= L < H(P) + 1", r"H(P) \le L < H(P) + 1")]
    doc.para("Entropy ", h, "; ", *why, ".")


def _verdict_model(
    doc: Doc, p: FloatArray, q: FloatArray, d: int, h: Math, digits: int, unit: str
) -> None:
    """What coding data from P with a code built for Q costs: H(P, Q), KL and the waste."""
    from ..coding import coding_cost

    cost = coding_cost(p, q, base=d)
    kl, hpq = amount(cost.kl_divergence, digits, unit), num(cost.cross_entropy, digits)
    doc.para(
        h,
        ", ",
        Math(f"H(P, Q) = {hpq.text}", f"H(P, Q) = {hpq.tex}"),
        ", ",
        Math(
            f"KL(P || Q) = H(P, Q) - H(P) = {kl.text}",
            rf"D_{{KL}}(P \| Q) = H(P, Q) - H(P) = {kl.tex}",
        ),
        ".",
    )
    if cost.dyadic:
        kl_name = Math("KL(P || Q)", r"D_{KL}(P \| Q)")
        waste = (" and the waste over ", Math.same("H(P)"), " is ", kl_name, ".")
        doc.para(f"Q is {d}-adic, so ", Math.same("L = H(P, Q)"), *waste)
        return
    log = Log.of(d)
    doc.para(
        f"Q is not {d}-adic: its codeword lengths are not exactly ",
        Math(f"-{log.text} q_c", rf"-{log.tex} q_c"),
        ", so ",
        Math.same("L"),
        " is not ",
        Math.same("H(P, Q)"),
        ".",
    )
    doc.para("P's own Huffman code needs ", amount(cost.own_length, digits, unit), ".")


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
        ``value`` is :func:`crossentropy.coding.expected_length` of the code under
        ``p``; ``terms`` are the :math:`p_c \ell_c`.

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
    from ..coding import check_code_base, digit_unit, expected_length, huffman_code, huffman_tree

    d = check_code_base(base)
    digits, max_rows = check_digits(digits), check_rows(max_rows)
    p_arr = probabilities(p, "p", normalize)
    if q is None:
        model = p_arr
    else:
        model = probabilities(q, "q", normalize)
        if len(model) != len(p_arr):
            raise ValueError(
                "`p` and `q` must have the same number of outcomes; "
                f"got {len(p_arr)} and {len(model)}"
            )
    names, unit = labels(symbols, len(p_arr)), digit_unit(d)
    code = huffman_code(model, symbols=names, base=d)
    value = expected_length(code, p_arr)
    lengths = list(code.lengths)
    terms = p_arr.astype(np.float64) * code.lengths
    codewords, merges, dummies = huffman_tree(model, d)
    whose = "" if q is None else " built for the model Q, used on data from P"
    doc = Doc()
    doc.para(
        f"Huffman code (base {d}){whose}: merge the {d} least probable nodes until one tree is left"
    )
    if merges:
        _merge_steps(doc, model, names, merges, dummies, digits, max_rows)
    columns = [
        Col(Math.same("c"), names),
        Col(Math.same("p_c"), p_arr),
        *([] if q is None else [Col(Math.same("q_c"), model)]),
        Col(Math("codeword", r"\text{codeword}"), [w if w else "(empty)" for w in codewords]),
        Col(Math("length l_c", r"\ell_c"), [str(n) for n in lengths]),
        Col(Math("p_c l_c", r"p_c \ell_c"), terms),
    ]
    result = (Math.same("L"), value, unit)
    codeword_column = len(columns) - 3
    sum_table(
        doc, columns, terms, result, digits=digits, max_rows=max_rows, words=(0, codeword_column)
    )
    h_p = float(entropy(p_arr, base=d))
    if q is None:
        h = amount(h_p, digits, unit)
        _verdict_own(doc, p_arr, lengths, d, Math(f"H(P) = {h.text}", f"H(P) = {h.tex}"))
    else:
        h = num(h_p, digits)
        _verdict_model(
            doc, p_arr, model, d, Math(f"H(P) = {h.text}", f"H(P) = {h.tex}"), digits, unit
        )
    return doc.finish("code", value, unit, terms)
