""":class:`Explanation`, the result of every explainer, and :class:`Doc`, which builds one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._markup import Block, Equation, Inline, Math, Paragraph, Steps, Table
from ._render import render_latex, render_markdown, render_text

__all__ = ["FORMATS", "Doc", "Explanation"]

FORMATS = ("text", "markdown", "latex")


@dataclass(frozen=True)
class Explanation:
    """A worked derivation, in three formats.

    Attributes
    ----------
    measure : str
        What was explained ("entropy", "cross-entropy", "dice", ...): the topic.
    value : float or ndarray
        The result, exactly as the library function returns it.
    unit : str
        Its unit ("bits", "nats", "bans", ...; "" for a probability).
    terms : ndarray
        The numbers that make up ``value``: the per-outcome terms of a sum, the
        per-example losses of a cost, the per-event values of self-information,
        the gradient or the parameters of a step (each explainer says which).
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
        key = fmt.strip().lower() if isinstance(fmt, str) else fmt
        if key not in FORMATS:
            raise ValueError(f"`fmt` must be 'text', 'markdown' or 'latex'; got {fmt!r}")
        return str(getattr(self, key))


class Doc:
    """The blocks of one explanation, added in reading order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def para(self, *parts: Inline, title: str = "") -> None:
        """A paragraph of words and formulas, led by ``title`` in bold if given."""
        self.blocks.append(Paragraph(tuple(parts), title))

    def equation(self, lhs: Math, *steps: Math, unit: str = "") -> None:
        """``lhs = step_1 = step_2 ...``, the last step followed by ``unit``."""
        self.blocks.append(Equation(lhs, steps, unit))

    def table(
        self,
        headers: Sequence[Math],
        rows: Sequence[Sequence[str]],
        *,
        max_rows: int,
        words: Iterable[int] = (0,),
    ) -> None:
        """A table of at most ``max_rows`` rows; the others are counted."""
        self.blocks.append(
            Table(
                tuple(headers),
                tuple(tuple(r) for r in rows[:max_rows]),
                frozenset(words),
                max(0, len(rows) - max_rows),
            )
        )

    def steps(
        self,
        items: Sequence[Sequence[Inline]],
        *,
        max_items: int,
        label: str = "step",
        what: str = "steps",
    ) -> None:
        """A list numbered ``label 1:``, ... (``1.``, ... without a label) of at most
        ``max_items`` items; the others are counted as more ``what``."""
        shown = tuple(tuple(i) for i in items[:max_items])
        self.blocks.append(Steps(shown, label, len(items) - len(shown), what))

    def finish(self, measure: str, value: Any, unit: str, terms: ArrayLike) -> Explanation:
        """The :class:`Explanation` of these blocks."""
        if np.ndim(value) == 0:
            value = float(value)
        return Explanation(
            measure=measure,
            value=value,
            unit=unit,
            terms=np.asarray(terms, dtype=np.float64),
            text=render_text(self.blocks),
            markdown=render_markdown(self.blocks),
            latex=render_latex(self.blocks),
        )
