r"""The three renderings of the markup: plain text, Markdown and LaTeX.

Text is for a terminal: paragraphs wrapped at :data:`TEXT_WIDTH` columns (never
inside a formula), tables aligned in columns.  Markdown puts formulas in ``$...$``
and equations in ``$$...$$``, tables as pipe tables.  LaTeX is one display-maths
block, ``\[ \begin{array}{l} ... \end{array} \]``, with words in ``\text{...}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._markup import Block, Equation, Inline, Math, Paragraph, Steps, Table, tex_num, unit_of

__all__ = ["TEXT_WIDTH", "render_latex", "render_markdown", "render_text"]

#: Columns of a line of text; a formula longer than that keeps its own line.
TEXT_WIDTH = 88
# Characters of words per line of a LaTeX paragraph (display maths does not wrap).
_TEX_WIDTH = 80

_Word = list[Inline]


def _words(parts: Sequence[Inline]) -> list[_Word]:
    """Split a paragraph at the spaces of its words; a formula is never split.

    A formula and the words it touches without a space ("(", "),") form one word.
    """
    words: list[_Word] = [[]]
    for part in parts:
        if isinstance(part, Math):
            words[-1].append(part)
            continue
        chunks = part.split(" ")
        for i, chunk in enumerate(chunks):
            if i:
                words.append([])
            if chunk:
                words[-1].append(chunk)
    return [w for w in words if w]


def _width(word: _Word) -> int:
    return sum(len(p.text if isinstance(p, Math) else p) for p in word)


def _lines(parts: Sequence[Inline], width: int) -> list[list[_Word]]:
    """Greedy filling of lines of at most ``width`` characters."""
    lines: list[list[_Word]] = [[]]
    used = 0
    for word in _words(parts):
        w = _width(word)
        if lines[-1] and used + 1 + w > width:
            lines.append([])
            used = 0
        used += w + (1 if lines[-1] else 0)
        lines[-1].append(word)
    return lines


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


def _md_words(s: str) -> str:
    """Words in Markdown: a ``$`` (say, in a symbol's name) opens no formula."""
    for a in ("\\", "$", "*"):
        s = s.replace(a, "\\" + a)
    return s


def _md_cell(s: str, word: bool) -> str:
    return _md_words(s).replace("|", r"\|") if word else s.replace("inf", "∞")


def _tex_cell(s: str, word: bool) -> str:
    return rf"\texttt{{{_tex_escape(s)}}}" if word else tex_num(s)


def _inline_tex(parts: Sequence[Inline]) -> str:
    """Words in ``\\text{...}`` (runs of them merged), formulas as they are."""
    out: list[str] = []
    run = ""
    for p in parts:
        if isinstance(p, Math):
            if run:
                out.append(rf"\text{{{_tex_escape(run)}}}")
                run = ""
            out.append(p.tex)
        else:
            run += p
    if run:
        out.append(rf"\text{{{_tex_escape(run)}}}")
    return "".join(out)


# --------------------------------------------------------------------------- text


def _text_lines(parts: Sequence[Inline], width: int) -> list[str]:
    return [
        " ".join("".join(p.text if isinstance(p, Math) else p for p in w) for w in line)
        for line in _lines(parts, width)
    ]


def _text_paragraph(b: Paragraph) -> str:
    if b.title and not b.parts:  # a heading
        return b.title
    parts: list[Inline] = [f"{b.title}: ", *b.parts] if b.title else list(b.parts)
    return "\n".join(_text_lines(parts, TEXT_WIDTH))


def _text_equation(b: Equation) -> str:
    pad = " " * len(b.lhs.text)
    lines = [f"{b.lhs.text} = {b.steps[0].text}"] + [f"{pad} = {s.text}" for s in b.steps[1:]]
    if b.unit:
        lines[-1] += f" {unit_of(b.steps[-1].text, b.unit)}"
    return "\n".join(lines)


def _text_table(b: Table) -> str:
    cols = [[h.text for h in b.headers], *b.rows]
    widths = [max(len(r[j]) for r in cols) for j in range(len(b.headers))]
    lines = ["  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cols]
    if b.hidden:
        lines.append(f"  ... ({b.hidden} more rows)")
    return "\n".join(lines)


def _step_number(b: Steps, n: int) -> str:
    """``step 3: `` with a label, ``3. `` without."""
    return f"{b.label} {n}: " if b.label else f"{n}. "


def _text_steps(b: Steps) -> str:
    lines = []
    for n, item in enumerate(b.items, 1):
        head = _step_number(b, n)
        for i, line in enumerate(_text_lines(item, TEXT_WIDTH - len(head))):
            lines.append((head if i == 0 else " " * len(head)) + line)
    if b.hidden:
        lines.append(f"... ({b.hidden} more {b.hidden_what})")
    return "\n".join(lines)


# --------------------------------------------------------------------------- Markdown


def _md_inline(parts: Sequence[Inline]) -> str:
    return "".join(f"${p.tex}$" if isinstance(p, Math) else _md_words(p) for p in parts)


def _md_paragraph(b: Paragraph) -> str:
    lead = f"**{b.title}**" + (" " if b.parts else "") if b.title else ""
    return lead + _md_inline(b.parts)


def _md_equation(b: Equation) -> str:
    tail = rf"\ \text{{{unit_of(b.steps[-1].text, b.unit)}}}" if b.unit else ""
    return "$$" + " = ".join(m.tex for m in (b.lhs, *b.steps)) + tail + "$$"


def _md_table(b: Table) -> str:
    head = "| " + " | ".join(f"${h.tex}$" for h in b.headers) + " |"
    rule = "|" + "---:|" * len(b.headers)
    body = [
        "| " + " | ".join(_md_cell(c, j in b.words) for j, c in enumerate(r)) + " |" for r in b.rows
    ]
    if b.hidden:
        body.append("| " + " | ".join(["…"] * len(b.headers)) + " |")
        body.append(f"\n({b.hidden} more rows not shown)")
    return "\n".join([head, rule, *body])


def _md_steps(b: Steps) -> str:
    lines = [f"{n}. {_md_inline(item)}" for n, item in enumerate(b.items, 1)]
    if b.hidden:
        lines.append(f"\n({b.hidden} more {b.hidden_what})")
    return "\n".join(lines)


# --------------------------------------------------------------------------- LaTeX


def _tex_paragraph(b: Paragraph) -> str:
    if b.title and not b.parts:  # a heading
        return rf"\textbf{{{_tex_escape(b.title)}}}"
    lines = _lines(b.parts, _TEX_WIDTH)
    rows = []
    for i, line in enumerate(lines):
        parts: list[Inline] = []
        for j, word in enumerate(line):
            parts += ([" "] if j else []) + word
        lead = rf"\textbf{{{_tex_escape(b.title)}}}\quad " if b.title and i == 0 else ""
        row = lead + _inline_tex(parts)
        # "{}" keeps a row that opens with "[" from being read as the spacing of "\\[".
        rows.append("{}" + row if row.startswith("[") else row)
    return " \\\\\n".join(rows)


def _tex_equation(b: Equation) -> str:
    tail = rf"\ \text{{{unit_of(b.steps[-1].text, b.unit)}}}" if b.unit else ""
    return " = ".join(m.tex for m in (b.lhs, *b.steps)) + tail


def _tex_table(b: Table) -> str:
    lines = [" & ".join(h.tex for h in b.headers) + r" \\ \hline"]
    lines += [
        " & ".join(_tex_cell(c, j in b.words) for j, c in enumerate(r)) + r" \\" for r in b.rows
    ]
    if b.hidden:
        n = len(b.headers)
        lines.append(rf"\multicolumn{{{n}}}{{c}}{{\text{{({b.hidden} more rows)}}}} \\")
    spec = "r" * len(b.headers)
    return rf"\begin{{array}}{{{spec}}}" + "\n" + "\n".join(lines) + "\n" + r"\end{array}"


def _tex_steps(b: Steps) -> str:
    rows = [
        rf"\text{{{_step_number(b, n)}}}" + _inline_tex(item) for n, item in enumerate(b.items, 1)
    ]
    if b.hidden:
        rows.append(rf"\text{{... ({b.hidden} more {b.hidden_what})}}")
    return " \\\\\n".join(rows)


# --------------------------------------------------------------------------- documents

_Renderers = dict[type, Callable[..., str]]

_TEXT: _Renderers = {
    Paragraph: _text_paragraph,
    Equation: _text_equation,
    Table: _text_table,
    Steps: _text_steps,
}
_MARKDOWN: _Renderers = {
    Paragraph: _md_paragraph,
    Equation: _md_equation,
    Table: _md_table,
    Steps: _md_steps,
}
_LATEX: _Renderers = {
    Paragraph: _tex_paragraph,
    Equation: _tex_equation,
    Table: _tex_table,
    Steps: _tex_steps,
}


def render_text(blocks: Sequence[Block]) -> str:
    """The blocks as plain text, separated by blank lines."""
    return "\n\n".join(_TEXT[type(b)](b) for b in blocks)


def render_markdown(blocks: Sequence[Block]) -> str:
    """The blocks as Markdown with ``$...$`` maths, separated by blank lines."""
    return "\n\n".join(_MARKDOWN[type(b)](b) for b in blocks)


def render_latex(blocks: Sequence[Block]) -> str:
    r"""The blocks as one LaTeX display: ``\[ \begin{array}{l} ... \end{array} \]``."""
    body = " \\\\[6pt]\n".join(_LATEX[type(b)](b) for b in blocks)
    return "\\[\n" + r"\begin{array}{l}" + "\n" + body + "\n" + r"\end{array}" + "\n\\]"
