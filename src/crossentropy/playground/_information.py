"""Rooms 4 and 5: information measures and Huffman codes; the likelihood of a die.

Room 4 takes two distributions P and Q over 2 to 8 outcomes and answers with
:func:`crossentropy.entropy`, :func:`~crossentropy.cross_entropy`,
:func:`~crossentropy.kl_divergence` both ways and :func:`~crossentropy.information`
(the surprisal :math:`-\\log q`) in the unit asked for, and with the Huffman codes
of P and Q from :func:`crossentropy.coding.coding_cost`: the expected length of
Q's code under P is what coding data from P with the wrong model costs.  Room 5 is
the course's die: :func:`crossentropy.likelihood.dice_likelihood` over the number
of red faces and :func:`~crossentropy.likelihood.binomial_likelihood` over p.

Both rooms also draw at random from a seed (:func:`draw_distributions`, a P and Q
in hundredths; :func:`throw_die`, the reds of n throws of a die with a chosen
number of red faces), so that a draw can be replayed exactly.

A slider that moves one probability keeps the sum at 1 by scaling the others in
proportion (:func:`rebalanced`), so what the page sends is always a distribution;
text typed into the field is taken as it is, and the library says what is wrong
with it.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np

from ._inputs import Body, InputError, as_number, blame

__all__ = [
    "PRESETS",
    "coin",
    "dice",
    "draw_distributions",
    "hundredths",
    "measures",
    "parse_probabilities",
    "rebalanced",
    "throw_die",
]

UNITS = ("bits", "nats", "bans")
MIN_OUTCOMES, MAX_OUTCOMES = 2, 8
MAX_SEED = 2**31 - 1
MAX_THROWS = 100_000
#: The course's examples.
PRESETS: dict[str, dict[str, Any]] = {
    "diagnoses": {
        "title": "covid / diabetes / heart",
        "names": ["covid", "diabetes", "heart"],
        "p": [0.7, 0.2, 0.1],
        "q": [0.5, 0.2, 0.3],
    },
    "balls": {
        "title": "four balls, coded as if equally likely",
        "names": ["red", "green", "blue", "yellow"],
        "p": ["1/2", "1/4", "1/8", "1/8"],
        "q": ["1/4", "1/4", "1/4", "1/4"],
    },
    "uniform_balls": {
        "title": "four equally likely balls",
        "names": ["red", "green", "blue", "yellow"],
        "p": ["1/4", "1/4", "1/4", "1/4"],
        "q": ["1/4", "1/4", "1/4", "1/4"],
    },
}


def _number(value: Any, name: str) -> float:
    """A probability given as a number, a decimal or a fraction such as "1/8"."""
    if isinstance(value, str) and "/" in value:
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise InputError(f"`{name}` must be a number or a fraction; got {value!r}") from None
    return as_number(value, name)


def parse_probabilities(value: Any, name: str) -> list[float]:
    """A list of 2 to 8 numbers, from a JSON list or text such as "1/2 1/4, 1/4"."""
    if isinstance(value, str):
        parts = value.replace(",", " ").replace(";", " ").split()
    elif isinstance(value, list):
        parts = value
    else:
        raise InputError(
            f"`{name}` must be a list of numbers or text such as '0.7 0.2 0.1'; got "
            f"{type(value).__name__}",
            name,
        )
    if not MIN_OUTCOMES <= len(parts) <= MAX_OUTCOMES:
        raise InputError(
            f"`{name}` must have {MIN_OUTCOMES} to {MAX_OUTCOMES} outcomes; got {len(parts)}", name
        )
    out = []
    for i, part in enumerate(parts):
        try:
            out.append(_number(part, f"{name}[{i}]"))
        except InputError as exc:
            raise InputError(str(exc), name) from None
    return out


def rebalanced(p: list[float], index: int, value: float) -> list[float]:
    """``p`` with ``p[index] = value`` and the others scaled to keep the sum at 1.

    The others keep their proportions; if they are all 0 they share the rest
    equally.  ``p`` must already sum to 1 (the library checks it first).
    """
    rest = [v for i, v in enumerate(p) if i != index]
    total = math.fsum(rest)
    left = 1.0 - value
    if total > 0:
        scaled = [v * left / total for v in rest]
    else:
        scaled = [left / len(rest)] * len(rest)
    scaled.insert(index, value)
    return scaled


def _value(x: Any) -> float | str:
    """A JSON-safe number: +inf (cross-entropy or KL with a q of 0) becomes "inf"."""
    v = float(x)
    if math.isinf(v) and v > 0:
        return "inf"
    if not math.isfinite(v):
        raise ValueError(f"non-finite value {v}")  # a bug: the measures are never NaN
    return v


def _distribution(body: Body, name: str) -> list[float]:
    from .. import entropy

    probs = parse_probabilities(body.raw(name), name)
    with blame(name):
        entropy(probs)  # the library's check: non-negative, summing to 1
    return probs


def _adjust(body: Body, p: list[float], q: list[float]) -> tuple[list[float], list[float]]:
    if not body.has("adjust"):
        return p, q
    adj = body.child("adjust")
    which = adj.choice("which", ("p", "q"))
    target = p if which == "p" else q
    index = adj.integer("index", low=0, high=len(target) - 1)
    value = adj.number("value", low=0.0, high=1.0)
    moved = rebalanced(target, index, value)
    return (moved, q) if which == "p" else (p, moved)


def measures(body: Body) -> dict[str, Any]:
    """H(P), H(Q), H(P, Q), both KL divergences, surprisals and the Huffman codes."""
    from .. import cross_entropy, entropy, information, kl_divergence
    from ..coding import coding_cost, huffman_code

    unit = body.choice("unit", UNITS, default="bits")
    p = _distribution(body, "p")
    q = _distribution(body, "q")
    if len(p) != len(q):
        raise InputError(
            f"`p` and `q` must have the same number of outcomes; got {len(p)} and {len(q)}", "q"
        )
    p, q = _adjust(body, p, q)
    names = body.items("names", min_length=len(p), max_length=len(p)) if body.has("names") else None
    if names is not None and not all(isinstance(n, str) and len(n) <= 24 for n in names):
        raise InputError("`names` must be texts of at most 24 characters", "names")
    labels = names if names is not None else [f"x{i + 1}" for i in range(len(p))]
    with blame("q"):
        cost_q = coding_cost(p, q)
    with blame("p"):
        code_p = huffman_code(p)
    with np.errstate(divide="ignore"):
        return {
            "p": p,
            "q": q,
            "names": labels,
            "unit": unit,
            "entropy_p": _value(entropy(p, base=unit)),
            "entropy_q": _value(entropy(q, base=unit)),
            "cross_entropy": _value(cross_entropy(p, q, base=unit)),
            "kl_pq": _value(kl_divergence(p, q, base=unit)),
            "kl_qp": _value(kl_divergence(q, p, base=unit)),
            "surprisal_p": [_value(v) for v in information(p, base=unit)],
            "surprisal_q": [_value(v) for v in information(q, base=unit)],
            "code_p": list(code_p.codewords),
            "code_q": list(cost_q.code.codewords),
            # Code lengths are in bits whatever the unit: a codeword is a string of bits.
            "length_p": cost_q.own_length,
            "length_q": cost_q.expected_length,
            "entropy_p_bits": _value(cost_q.entropy),
            "cross_entropy_bits": _value(cost_q.cross_entropy),
            "kl_pq_bits": _value(cost_q.kl_divergence),
            "dyadic_q": cost_q.dyadic,
        }


@cache
def _coin_curve(unit: str) -> tuple[list[float], list[float]]:
    from .. import binary_entropy

    grid = np.linspace(0.0, 1.0, 201)
    return [float(v) for v in grid], [float(v) for v in binary_entropy(grid, base=unit)]


def coin(body: Body) -> dict[str, Any]:
    """The entropy of a coin over p, and at the p asked for."""
    from .. import binary_entropy

    unit = body.choice("unit", UNITS, default="bits")
    p = body.number("p", low=0.0, high=1.0)
    grid, values = _coin_curve(unit)
    return {
        "unit": unit,
        "p": p,
        "entropy": float(binary_entropy(p, base=unit)),
        "curve_p": grid,
        "curve_entropy": values,
    }


def dice(body: Body) -> dict[str, Any]:
    """The die with r of 6 faces red: the likelihood of the observed reds over r and p."""
    from ..likelihood import binomial_likelihood, binomial_mle, dice_likelihood

    throws = body.integer("throws", low=1, high=MAX_THROWS, default=100)
    reds = body.integer("reds", low=0, high=throws, default=34)
    faces = body.integer("faces", low=1, high=20, default=6)
    red_faces = body.integer("red_faces", low=0, high=faces, default=2)
    grid = dice_likelihood(reds, throws, faces=faces)
    p = np.linspace(0.0, 1.0, 401)
    best_p = binomial_mle(reds, throws)
    return {
        "throws": throws,
        "reds": reds,
        "faces": faces,
        "red_faces": red_faces,
        "r": list(grid.labels),
        "likelihood_r": [float(v) for v in grid.likelihood],
        "log_likelihood_r": [_value(v) if v > -math.inf else "-inf" for v in grid.log_likelihood],
        "best_r": int(grid.labels[grid.best_index]),
        "best_likelihood": grid.max_likelihood,
        "total": grid.total(),
        "chosen_likelihood": float(grid.likelihood[red_faces]),
        "curve_p": [float(v) for v in p],
        "curve_likelihood": [float(v) for v in binomial_likelihood(reds, throws, p)],
        "mle_p": best_p,
        "mle_likelihood": float(binomial_likelihood(reds, throws, best_p)),
    }


def hundredths(weights: np.ndarray) -> list[float]:
    """``weights`` (summing to 1) as whole hundredths, each at least 0.01, summing to 1.

    Largest remainders: each weight is rounded down to a hundredth, and the
    hundredths left over go to the largest remainders.  A weight that would be 0
    gets 0.01, taken from the largest share, so that no outcome is impossible.

    Examples
    --------
    >>> hundredths(np.array([0.5, 0.333, 0.167]))
    [0.5, 0.33, 0.17]
    """
    w = np.asarray(weights, dtype=np.float64) * 100
    whole = np.floor(w).astype(int)
    rest = 100 - int(whole.sum())
    for i in np.argsort(-(w - whole), kind="stable")[:rest]:
        whole[i] += 1
    for i in np.flatnonzero(whole == 0):
        whole[int(np.argmax(whole))] -= 1
        whole[i] = 1
    return [int(v) / 100 for v in whole]


def draw_distributions(body: Body) -> dict[str, Any]:
    """P and Q over ``k`` outcomes drawn from a seed (Dirichlet(2, ..., 2), in hundredths).

    The same ``k`` and ``seed`` give the same P and Q on every call, so a draw can
    be replayed.
    """
    k = body.integer("k", low=MIN_OUTCOMES, high=MAX_OUTCOMES)
    seed = body.integer("seed", low=0, high=MAX_SEED)
    rng = np.random.default_rng(seed)
    # A concentration of 2 keeps most draws away from probabilities near 0.
    p, q = (hundredths(rng.dirichlet(np.full(k, 2.0))) for _ in range(2))
    return {"k": k, "seed": seed, "p": p, "q": q}


def throw_die(body: Body) -> dict[str, Any]:
    """The number of reds in ``throws`` throws of a die with ``true_red_faces`` of
    ``faces`` red, drawn from a seed: the data that room 5's likelihood explains."""
    throws = body.integer("throws", low=1, high=MAX_THROWS, default=100)
    faces = body.integer("faces", low=1, high=20, default=6)
    true_red_faces = body.integer("true_red_faces", low=0, high=faces)
    seed = body.integer("seed", low=0, high=MAX_SEED)
    rng = np.random.default_rng(seed)
    reds = int(rng.binomial(throws, true_red_faces / faces))
    return {
        "throws": throws,
        "faces": faces,
        "true_red_faces": true_red_faces,
        "seed": seed,
        "reds": reds,
    }
