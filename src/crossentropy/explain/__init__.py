r"""Worked derivations, as plain text, Markdown and LaTeX: the whole line of thought.

``xe.explain(...)`` explains your numbers: a distribution's entropy, the
cross-entropy and KL divergence of two (an infinite one said in words), the
Huffman code, the dice likelihood, each loss derived from its likelihood with
its gradient (Gaussian -> squared error, Bernoulli -> binary cross-entropy,
categorical -> cross-entropy, why the softmax gradient is p - y) and one Newton
step.  Each explainer returns an :class:`Explanation`: the formula, a table of
the terms with their numbers, the sums, and the result with its unit, written
out the way one would on a blackboard.  Print it in a terminal (``print(e)``
gives ``e.text``), or let a notebook display it (``_repr_markdown_`` and
``_repr_latex_``).

Every number shown is computed by the library's own functions
(:func:`~crossentropy.information`, :func:`~crossentropy.losses.squared_error`,
:func:`~crossentropy.likelihood.dice_likelihood`, ...), so an explanation always
agrees with the value it explains.

    >>> import crossentropy as xe
    >>> e = xe.explain([1/2, 1/4, 1/8, 1/8], base="bits")
    >>> e.value
    1.75
    >>> print(e)
    Entropy: H(P) = -sum_c p_c log2 p_c (with 0 log 0 = 0), in bits
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
    The uniform distribution over 4 outcomes has the most: log2 4 = 2 bits.
    >>> list(xe.explain.topics())  # doctest: +NORMALIZE_WHITESPACE
    ['information', 'entropy', 'cross-entropy', 'kl', 'code', 'dice', 'mse', 'bce',
     'categorical', 'softmax-gradient', 'newton-step']

One name, two things, by design.  ``crossentropy.explain`` the *package* holds
the explainers (``from crossentropy.explain import explain_entropy``);
``crossentropy.explain`` the *attribute*, what ``xe.explain`` gives, is
:data:`explain`, a callable that dispatches on what it is given and also answers
the package's names (``xe.explain.explain_entropy``, ``xe.explain.topics()``), so
that code written when ``xe.explain`` was the module keeps working.  Why not a
plain function: a function's attributes cannot be loaded on first use, so every
explainer would be imported with ``crossentropy`` (+19 ms of 107 ms, measured).
Why not a callable module: ``type(xe.explain)`` would be a module subclass, a
surprise to tools and readers.  Python binds a package to its parent's
attribute when it is first imported, so ``import crossentropy`` imports this
small file (the callable and a table of where each name lives) and binds
:data:`explain`; the explainers and what they explain (coding, losses, models,
data) are imported when first used.

The explanations are written once in a small markup (``_markup.py``: paragraphs
with inline formulas, equations, tables, numbered steps) and rendered three ways
(``_render.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use
    from ._code import explain_code
    from ._explanation import Explanation
    from ._likelihood import explain_dice
    from ._losses import (
        explain_binary_cross_entropy,
        explain_categorical_cross_entropy,
        explain_mse,
        explain_softmax_gradient,
    )
    from ._markup import fmt as fmt
    from ._markup import unit_of as unit_of
    from ._measures import (
        explain_cross_entropy,
        explain_entropy,
        explain_information,
        explain_kl_divergence,
    )
    from ._newton import explain_newton_step
    from ._topics import topics

__all__ = [
    "Explainer",
    "Explanation",
    "explain",
    "explain_binary_cross_entropy",
    "explain_categorical_cross_entropy",
    "explain_code",
    "explain_cross_entropy",
    "explain_dice",
    "explain_entropy",
    "explain_information",
    "explain_kl_divergence",
    "explain_mse",
    "explain_newton_step",
    "explain_softmax_gradient",
    "topics",
]

# The module that defines each name imported on first use.
_HOMES = {
    "Explanation": "_explanation",
    "explain_binary_cross_entropy": "_losses",
    "explain_categorical_cross_entropy": "_losses",
    "explain_code": "_code",
    "explain_cross_entropy": "_measures",
    "explain_dice": "_likelihood",
    "explain_entropy": "_measures",
    "explain_information": "_measures",
    "explain_kl_divergence": "_measures",
    "explain_mse": "_losses",
    "explain_newton_step": "_newton",
    "explain_softmax_gradient": "_losses",
    "fmt": "_markup",
    "topics": "_topics",
    "unit_of": "_markup",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class Explainer:
    r"""``explain(...)``: explain your numbers, or a step of the theory, worked out in full.

    What it is given decides what it explains:

    - ``explain(p)``: the entropy of the distribution ``p``;
    - ``explain(p, q)``: the cross-entropy :math:`H(P, Q)` and its split into
      :math:`H(P) + D_{KL}(P \| Q)`;
    - ``explain(0.125)``: the self-information of an event of that probability;
    - ``explain("topic", *args, **options)``: that topic with those arguments, for
      example ``explain("kl", p, q, base="bits")``, ``explain("dice")``,
      ``explain("softmax-gradient", [1, 2, 3], 2)`` or ``explain("newton-step")``.

    Keyword options (``base``, ``digits``, ``symbols``, ...) go to the explainer
    (``explain_entropy``, ``explain_dice``, ...), whose documentation lists them.
    ``explain.topics()`` lists the topics; the package's names are attributes
    too (``explain.explain_entropy``).

    Examples
    --------
    >>> import crossentropy as xe
    >>> print(xe.explain([0.7, 0.2, 0.1], [0.5, 0.2, 0.3]).text.splitlines()[-1])
    H(P, Q) = H(P) + KL(P || Q) = 0.801819 + 0.125669 = 0.927488 nats
    >>> round(xe.explain("dice").value, 4)
    0.0831
    >>> xe.explain.topics()["newton-step"]
    'one Newton step on a logistic regression (Challenger)'
    """

    __slots__ = ()

    def __call__(self, what: Any, *args: Any, **options: Any) -> Explanation:
        """Explain ``what``: data, or a topic's name followed by its arguments."""
        from ._topics import explain as explain_what

        return explain_what(what, *args, **options)

    def topics(self) -> dict[str, str]:
        """The topics, each with what it explains, in the order of the line of thought."""
        return __getattr__("topics")()

    def __getattr__(self, name: str) -> Any:
        # The package's names, as when `xe.explain` was the module.
        if name in _HOMES:
            return __getattr__(name)
        raise AttributeError(f"`explain` has no attribute {name!r}; see explain.topics()")

    def __dir__(self) -> list[str]:
        return sorted({"topics", *_HOMES})

    def __repr__(self) -> str:
        return "<crossentropy.explain: call explain(data) or explain(topic, ...); explain.topics()>"


#: The callable that ``xe.explain`` is: see :class:`Explainer`.
explain = Explainer()
