r"""The topics that can be explained, and :func:`explain`, which picks one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from .._validation import as_array
from ._code import explain_code
from ._explanation import Explanation
from ._likelihood import explain_dice
from ._losses import (
    explain_binary_cross_entropy,
    explain_categorical_cross_entropy,
    explain_mse,
    explain_softmax_gradient,
)
from ._measures import (
    explain_cross_entropy,
    explain_entropy,
    explain_information,
    explain_kl_divergence,
)
from ._newton import explain_newton_step

__all__ = ["TOPICS", "Topic", "explain", "find_topic", "topics"]


class Topic(NamedTuple):
    """A topic: its name, what it explains, its explainer and a call that shows it."""

    name: str
    summary: str
    function: Callable[..., Explanation]
    example: str


#: The topics in the order of the line of thought: information, entropy,
#: cross-entropy and KL, coding, likelihood, the losses, the optimiser.
TOPICS: tuple[Topic, ...] = (
    Topic(
        "information",
        "self-information -log p of events",
        explain_information,
        'explain("information", [0.5, 0.125], base="bits")',
    ),
    Topic(
        "entropy",
        "entropy H(P) of a distribution",
        explain_entropy,
        "explain([0.5, 0.25, 0.125, 0.125], base='bits')",
    ),
    Topic(
        "cross-entropy",
        "cross-entropy H(P, Q) = H(P) + KL(P || Q)",
        explain_cross_entropy,
        "explain([0.7, 0.2, 0.1], [0.5, 0.2, 0.3])",
    ),
    Topic(
        "kl",
        "KL divergence KL(P || Q), infinite ones in words",
        explain_kl_divergence,
        'explain("kl", [0.5, 0.5], [1.0, 0.0])',
    ),
    Topic(
        "code",
        "Huffman code, its length against the entropy",
        explain_code,
        'explain("code", [1/2, 1/4, 1/8, 1/8], symbols="abcd")',
    ),
    Topic(
        "dice",
        "maximum likelihood: the die with r red faces of 6",
        explain_dice,
        'explain("dice", reds=34, throws=100)',
    ),
    Topic(
        "mse",
        "Gaussian noise -> mean squared error, and its gradient",
        explain_mse,
        'explain("mse", [1.0, 2.0, 3.0], [1.5, 2.0, 1.0])',
    ),
    Topic(
        "bce",
        "Bernoulli outcome -> binary cross-entropy; gradient p - y",
        explain_binary_cross_entropy,
        'explain("bce", [1, 0, 1], [2.0, -1.0, 0.5])',
    ),
    Topic(
        "categorical",
        "categorical outcome -> cross-entropy -ln q_y",
        explain_categorical_cross_entropy,
        'explain("categorical", [0, 2], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])',
    ),
    Topic(
        "softmax-gradient",
        "why the softmax cross-entropy gradient is p - y",
        explain_softmax_gradient,
        'explain("softmax-gradient", [1.0, 2.0, 3.0], 2)',
    ),
    Topic(
        "newton-step",
        "one Newton step on a logistic regression (Challenger)",
        explain_newton_step,
        'explain("newton-step")',
    ),
)

# Other names a learner may type for a topic.
_ALIASES = {
    "kl-divergence": "kl",
    "huffman": "code",
    "likelihood": "dice",
    "gaussian": "mse",
    "squared-error": "mse",
    "binary-cross-entropy": "bce",
    "bernoulli": "bce",
    "categorical-cross-entropy": "categorical",
    "softmax": "softmax-gradient",
    "newton": "newton-step",
}


def topics() -> dict[str, str]:
    """The topics :func:`explain` knows, each with what it explains, in reading order.

    Examples
    --------
    >>> list(topics())[:4]
    ['information', 'entropy', 'cross-entropy', 'kl']
    >>> topics()["dice"]
    'maximum likelihood: the die with r red faces of 6'
    """
    return {t.name: t.summary for t in TOPICS}


def find_topic(name: str) -> Topic:
    """The topic called ``name`` (case, spaces and underscores do not matter)."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    key = _ALIASES.get(key, key)
    for t in TOPICS:
        if t.name == key:
            return t
    raise ValueError(
        f"`what` must be data or one of the topics {', '.join(t.name for t in TOPICS)}; "
        f"got {name!r}"
    )


def explain(what: Any, *args: Any, **options: Any) -> Explanation:
    """Explain ``what``: data (one or two distributions, or a probability) or a topic's
    name followed by its arguments; the work behind ``xe.explain(...)``
    (:class:`~crossentropy.explain.Explainer` documents the forms).

    Examples
    --------
    >>> explain("information", 0.25, base="bits").value
    2.0
    >>> explain(0.25, base="bits").value
    2.0
    """
    if isinstance(what, str):
        return find_topic(what).function(*args, **options)
    if len(args) > 1:
        raise TypeError(
            f"explain() takes one distribution, or two (p, q); got {1 + len(args)} arguments. "
            "Name a topic first to pass more: explain('topic', ...)."
        )
    if args:
        return explain_cross_entropy(what, args[0], **options)
    if as_array(what, "what").ndim == 0:
        return explain_information(what, **options)
    return explain_entropy(what, **options)
