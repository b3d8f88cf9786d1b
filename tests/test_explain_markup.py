"""Tests of the markup of explanations and its three renderings (explain/_markup.py, _render.py)."""

from __future__ import annotations

from crossentropy.explain._explanation import Doc
from crossentropy.explain._markup import Math, amount, elided_sum, matrix, num, vector
from crossentropy.explain._render import TEXT_WIDTH


def test_paragraph_wraps_between_words_never_inside_a_formula() -> None:
    doc = Doc()
    long = Math("KL(P || Q) = H(P, Q) - H(P) = 0.25 bits", r"D_{KL}(P \| Q) = 0.25")
    doc.para("word " * 15, long, ", and more words after the formula to wrap again.")
    e = doc.finish("t", 0.0, "", [])
    lines = e.text.splitlines()
    assert len(lines) > 1 and all(len(ln) <= TEXT_WIDTH for ln in lines)
    assert any(long.text in ln for ln in lines)
    # A formula touching punctuation stays with it: "formula," is one word.
    assert "0.25 bits, and" in " ".join(lines)
    # Markdown is one line with $...$; LaTeX breaks rows between words, escapes words.
    assert e.markdown.count("\n") == 0 and r"$D_{KL}(P \| Q) = 0.25$" in e.markdown
    assert r"\\" in e.latex and r"D_{KL}(P \| Q) = 0.25" in e.latex


def test_headings_titles_steps_and_escaping() -> None:
    doc = Doc()
    doc.para(title="A heading")
    doc.para(Math.same("x"), " is 50% & more_than {y}", title="Lead")
    doc.steps([["first"], ["second ", Math("a -> b", r"a \to b")]], max_items=1)
    doc.steps([["one"], ["two"]], max_items=2, label="")
    e = doc.finish("t", 0.0, "", [])
    assert e.text.split("\n\n")[:2] == ["A heading", "Lead: x is 50% & more_than {y}"]
    assert "step 1: first\n... (1 more steps)" in e.text
    assert "1. one\n2. two" in e.text
    assert e.markdown.startswith("**A heading**\n\n**Lead** $x$ is 50% & more_than {y}")
    assert r"\textbf{A heading}" in e.latex
    assert r"\text{ is 50\% \& more\_than \{y\}}" in e.latex
    assert r"\text{step 1: }\text{first}" in e.latex
    assert r"\text{1. }\text{one}" in e.latex


def test_equation_table_and_numbers() -> None:
    doc = Doc()
    doc.equation(Math.same("L"), elided_sum(["1", "-2", "3"]), num(2.0, 6), unit="bits")
    doc.table([Math.same("c"), Math("p_c", "p_c")], [["a|b", "inf"], ["c", "0.5"]], max_rows=1)
    e = doc.finish("t", 2.0, "bits", [1.0, -2.0, 3.0])
    assert e.text.startswith("L = 1 - 2 + 3\n  = 2 bits")
    assert "$$L = 1 - 2 + 3 = 2\\ \\text{bits}$$" in e.markdown
    assert "| a\\|b | ∞ |" in e.markdown and "(1 more rows not shown)" in e.markdown
    assert r"\texttt{a|b} & \infty \\" in e.latex and "(1 more rows)" in e.latex
    assert amount(1.0, 6, "bits").text == "1 bit"
    assert num(1.5e-7, 3).tex == r"1.5 \times 10^{-7}"
    assert vector([1.0, -2.5], 6).text == "(1, -2.5)"
    m = matrix([[1.0, 2.0], [3.0, 4.0]], 6)
    assert m.text == "[[1, 2], [3, 4]]" and m.tex == r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}"
    assert elided_sum([str(i) for i in range(20)], max_terms=4).text.endswith("(17 more terms)")


def test_latex_row_opening_with_a_bracket_is_not_a_spacing() -> None:
    doc = Doc()
    doc.para("x " * 40, Math("[a, b]", "[a, b]"), " is an interval")
    latex = doc.finish("t", 0.0, "", []).latex
    assert "\\\\\n{}[a, b]" in latex


def test_markdown_words_open_no_formula() -> None:
    doc = Doc()
    doc.para("costs $5 * 2 for a\\b ", Math.same("x"))
    doc.table([Math.same("c")], [["z$|*"]], max_rows=1)
    md = doc.finish("t", 0.0, "", []).markdown
    assert md.startswith("costs \\$5 \\* 2 for a\\\\b $x$")
    assert "| z\\$\\|\\* |" in md
