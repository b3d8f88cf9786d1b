r"""Source coding: why the entropy is the fewest yes/no questions, and why it is
called *cross*-entropy.

A prefix code gives every symbol a codeword (a string of digits ``0``..``D-1``)
such that no codeword starts another, so a message can be read back without
separators.  Huffman's algorithm builds a prefix code with the smallest expected
length :math:`L = \sum_i p_i \ell_i`, and

.. math:: H_D(P) \;\le\; L \;<\; H_D(P) + 1,

with :math:`L = H_D(P)` exactly when every probability is a power of :math:`1/D`
(a *D-adic* distribution).  Coding data from :math:`P` with the code built for a
model :math:`Q` costs :math:`\sum_i p_i \ell_i(Q)` digits per symbol; when
:math:`Q` is D-adic that is the cross-entropy :math:`H_D(P, Q)`, and the waste over
the best possible, :math:`H_D(P)`, is :math:`D_{KL}(P \| Q)`.

The four balls of the course, :math:`P = (1/2, 1/4, 1/8, 1/8)`::

    >>> from crossentropy.coding import huffman_code, expected_length, coding_cost
    >>> code = huffman_code([1/2, 1/4, 1/8, 1/8], symbols="abcd")
    >>> code
    PrefixCode({'a': '1', 'b': '01', 'c': '001', 'd': '000'})
    >>> expected_length(code, [1/2, 1/4, 1/8, 1/8])
    1.75
    >>> cost = coding_cost([1/2, 1/4, 1/8, 1/8], [1/4] * 4)
    >>> cost.expected_length, cost.kl_divergence
    (2.0, 0.25)

Units: lengths are counted in digits of the code alphabet, so ``base=2`` gives
bits, and the measures reported beside them use the same base.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    as_float_array,
    check_bool,
    check_integer,
    check_nonnegative,
    check_rows_sum_to_one,
    normalize_rows,
)
from .information import cross_entropy, entropy, kl_divergence

__all__ = [
    "CodingCost",
    "PrefixCode",
    "bits_per_symbol",
    "block_code",
    "coding_cost",
    "decode",
    "encode",
    "expected_length",
    "huffman_code",
]

# Digits of a base-D code alphabet, D <= 36.
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# A block code has K**n codewords; beyond this many it stops being a demonstration.
MAX_BLOCK_SYMBOLS = 1 << 20


def digit_unit(base: int) -> str:
    """Name of the unit of a code length: "bits" for base 2, "base-D digits" otherwise."""
    return "bits" if base == 2 else f"base-{base} digits"


def check_code_base(base: Any) -> int:
    """Return ``base`` as an int in [2, 36] (the size of the code alphabet) or raise."""
    return check_integer(
        base, "base", low=2, high=len(DIGITS),
        allowed=f"an integer from 2 to {len(DIGITS)} (the number of code digits)",
    )  # fmt: skip


def probability_vector(
    p: ArrayLike, name: str = "p", *, normalize: bool = False
) -> NDArray[np.floating[Any]]:
    """Validate ``p`` as one distribution (1-D, non-negative, summing to 1)."""
    arr = as_float_array(p, name)
    if arr.ndim != 1:
        raise ValueError(
            f"`{name}` must be one distribution (a 1-D array of probabilities); "
            f"got an array of shape {arr.shape}"
        )
    check_nonnegative(arr, name)
    if check_bool(normalize, "normalize"):
        return normalize_rows(arr, name, 0)
    check_rows_sum_to_one(arr, name, 0)
    return arr


def _symbol_tuple(symbols: Iterable[Hashable] | None, k: int) -> tuple[Hashable, ...]:
    if symbols is None:
        return tuple(range(k))
    out = tuple(symbols)
    if len(out) != k:
        raise ValueError(f"`symbols` must name the {k} outcomes of `p`; got {len(out)} symbols")
    seen: set[Hashable] = set()
    for s in out:
        try:
            if s in seen:
                raise ValueError(f"`symbols` must be distinct; got {s!r} twice")
        except TypeError:
            raise TypeError(f"`symbols` must be hashable; got {type(s).__name__} {s!r}") from None
        seen.add(s)
    return out


class PrefixCode(Mapping[Hashable, str]):
    """A prefix code: an immutable mapping from symbols to codewords.

    No codeword is a prefix of another, so a concatenation of codewords can be
    read back unambiguously (see :func:`decode`).  Built by :func:`huffman_code`,
    or by hand from any mapping of symbols to digit strings, which is checked.

    Parameters
    ----------
    codewords : mapping
        Symbol -> codeword, a string of the digits ``0``..``base-1`` (``0-9`` then
        ``a-z``).  Iteration follows the mapping's order.
    base : int, default 2
        Size of the code alphabet (2 for binary codes).

    Examples
    --------
    >>> code = PrefixCode({"x": "0", "y": "10", "z": "11"})
    >>> code.lengths
    array([1, 2, 2])
    >>> code.kraft_sum()
    1.0
    >>> PrefixCode({"x": "0", "y": "01"})
    Traceback (most recent call last):
    ...
    ValueError: `code` must be prefix-free; the codeword '0' of 'x' starts the codeword '01' of 'y'
    """

    __slots__ = ("_base", "_map", "_symbols")

    def __init__(self, codewords: Mapping[Hashable, str], *, base: int = 2) -> None:
        self._base = check_code_base(base)
        if not isinstance(codewords, Mapping):
            raise TypeError(
                f"`codewords` must be a mapping of symbols to codewords; "
                f"got {type(codewords).__name__}"
            )
        if len(codewords) == 0:
            raise ValueError("`code` must have at least one codeword; got none")
        allowed = set(DIGITS[: self._base])
        for sym, word in codewords.items():
            if not isinstance(word, str):
                raise TypeError(
                    f"`code` codewords must be strings of digits; got {type(word).__name__} "
                    f"{word!r} for {sym!r}"
                )
            bad = set(word) - allowed
            if bad:
                raise ValueError(
                    f"`code` codewords must use the digits {DIGITS[: self._base]!r} of base "
                    f"{self._base}; got {word!r} for {sym!r}"
                )
        self._map: dict[Hashable, str] = dict(codewords)
        self._symbols = tuple(self._map)
        _check_prefix_free(self._map)

    @classmethod
    def _trusted(cls, codewords: dict[Hashable, str], base: int) -> PrefixCode:
        """A code built here by Huffman's algorithm: prefix-free by construction."""
        code = cls.__new__(cls)
        code._base = base
        code._map = codewords
        code._symbols = tuple(codewords)
        return code

    @property
    def base(self) -> int:
        """Size of the code alphabet."""
        return self._base

    @property
    def symbols(self) -> tuple[Hashable, ...]:
        """The symbols, in the order of the code (and of the probabilities that built it)."""
        return self._symbols

    @property
    def codewords(self) -> tuple[str, ...]:
        """The codewords, in the order of :attr:`symbols`."""
        return tuple(self._map[s] for s in self._symbols)

    @property
    def lengths(self) -> NDArray[np.int64]:
        """Codeword lengths in digits, in the order of :attr:`symbols`."""
        return np.array([len(w) for w in self.codewords], dtype=np.int64)

    def kraft_sum(self) -> float:
        r""":math:`\sum_i D^{-\ell_i}`: at most 1 for every prefix code (Kraft's
        inequality), exactly 1 for a binary Huffman code (no codeword could be shorter)."""
        return math.fsum(float(self._base) ** -len(w) for w in self._map.values())

    def __getitem__(self, symbol: Hashable) -> str:
        return self._map[symbol]

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._symbols)

    def __len__(self) -> int:
        return len(self._symbols)

    def __eq__(self, other: object) -> bool:
        # Order matters (it aligns the code with its probabilities), as does the base.
        if isinstance(other, PrefixCode):
            return self._base == other._base and list(self._map.items()) == list(other._map.items())
        if isinstance(other, Mapping):
            return list(self._map.items()) == list(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._base, tuple(self._map.items())))

    def __repr__(self) -> str:
        extra = "" if self._base == 2 else f", base={self._base}"
        return f"PrefixCode({self._map!r}{extra})"


def _check_prefix_free(code: Mapping[Hashable, str]) -> None:
    # After sorting, a codeword that starts another sits right before one that it starts.
    items = sorted(((w, s) for s, w in code.items()), key=lambda ws: ws[0])
    for (w1, s1), (w2, s2) in itertools.pairwise(items):
        if w2.startswith(w1):
            raise ValueError(
                f"`code` must be prefix-free; the codeword {w1!r} of {s1!r} starts the "
                f"codeword {w2!r} of {s2!r}"
            )


def as_prefix_code(code: Mapping[Hashable, str] | PrefixCode, name: str = "code") -> PrefixCode:
    """Return ``code`` as a checked :class:`PrefixCode` (base taken from it when it is one)."""
    if isinstance(code, PrefixCode):
        return code
    if not isinstance(code, Mapping):
        raise TypeError(
            f"`{name}` must be a PrefixCode or a mapping of symbols to codewords; "
            f"got {type(code).__name__}"
        )
    used = set("".join(code.values())) if all(isinstance(w, str) for w in code.values()) else set()
    base = max(2, max((DIGITS.index(c) + 1 for c in used if c in DIGITS), default=2))
    return PrefixCode(code, base=base)


class HuffmanMerge(NamedTuple):
    """One step of Huffman's algorithm: ``nodes`` (least probable first) became ``parent``."""

    nodes: tuple[int, ...]
    weights: tuple[float, ...]
    parent: int
    weight: float


def huffman_tree(
    p: NDArray[np.floating[Any]], base: int
) -> tuple[list[str], list[HuffmanMerge], int]:
    """Huffman's algorithm on validated weights ``p``.

    Returns the codewords of the ``len(p)`` symbols, the merges in order, and the
    number of zero-weight dummy symbols added so that every merge takes ``base``
    nodes (nodes ``len(p)``.. ``len(p)+dummies-1``; merged nodes follow).

    Ties: dummies first, then the given symbols in their order, then merged nodes
    in the order they were made; this is deterministic and keeps the tree shallow.
    It runs in O(K log K) for the sort and O(K) after it (van Leeuwen's two
    queues): merged nodes are made in order of non-decreasing weight, so a FIFO
    queue of them stays sorted, and the next node is the lighter of the two heads.
    """
    k = len(p)
    # A D-ary tree with full internal nodes has 1 + m (D - 1) leaves: pad with dummies.
    dummies = (-(k - 1)) % (base - 1) if k > 1 else 0
    order = np.argsort(p, kind="stable")
    leaf_ids = list(range(k, k + dummies)) + order.tolist()
    leaf_w = [0.0] * dummies + np.asarray(p, dtype=np.float64)[order].tolist()
    node_w: list[float] = []  # weights of merged nodes, in the order they were made
    n_leaves = k + dummies
    li = 0  # next leaf
    ni = 0  # next merged node
    merges: list[HuffmanMerge] = []
    remaining = n_leaves
    while remaining > 1:
        ids: list[int] = []
        ws: list[float] = []
        for _ in range(base):
            # A leaf goes first on a tie with a merged node.
            if li < n_leaves and (ni >= len(node_w) or leaf_w[li] <= node_w[ni]):
                ids.append(leaf_ids[li])
                ws.append(leaf_w[li])
                li += 1
            else:
                ids.append(n_leaves + ni)
                ws.append(node_w[ni])
                ni += 1
        weight = ws[0] + ws[1] if base == 2 else math.fsum(ws)
        parent = n_leaves + len(node_w)
        node_w.append(weight)
        merges.append(HuffmanMerge(tuple(ids), tuple(ws), parent, weight))
        remaining -= base - 1
    codewords = [""] * k
    if not merges:
        return codewords, merges, dummies
    # Walk down from the root; the node taken first (least probable) gets the highest digit.
    digits = DIGITS[:base][::-1]
    stack = [(merges[-1].parent, "")]
    while stack:
        node, prefix = stack.pop()
        if node >= n_leaves:
            for digit, child in zip(digits, merges[node - n_leaves].nodes, strict=True):
                stack.append((child, prefix + digit))
        elif node < k:
            codewords[node] = prefix
    return codewords, merges, dummies


def huffman_code(
    p: ArrayLike,
    *,
    symbols: Iterable[Hashable] | None = None,
    base: int = 2,
    normalize: bool = False,
) -> PrefixCode:
    r"""An optimal prefix code for the distribution ``p`` (Huffman's algorithm).

    Repeatedly merges the ``base`` least probable nodes into one, until a single
    tree is left; the path from the root to a symbol is its codeword.  The result
    has the smallest expected length :math:`L = \sum_i p_i \ell_i` of all prefix
    codes over ``base`` digits, and

    .. math:: H_D(P) \le L < H_D(P) + 1,

    where :math:`H_D` is the entropy in base :math:`D` (bits for :math:`D = 2`).
    :math:`L = H_D(P)` exactly when every :math:`p_i` is a power of :math:`1/D`.
    The right-hand bound is reached only by a certain outcome among two or more
    symbols (one digit is still needed to say which).

    Deterministic: ties between equal weights are broken by taking the given
    symbols in their order before merged nodes; the ``base`` nodes merged at each
    step get the digits ``D-1, ..., 1, 0`` in the order they were taken, so the
    most probable branch gets ``0``.  A single symbol gets the empty codeword (no
    question needs asking).  Symbols of probability 0 get codewords too, the longest
    ones, so that the code can encode any sequence of the symbols.

    For :math:`D > 2`, zero-probability dummy symbols are added until
    :math:`K - 1` is a multiple of :math:`D - 1`, so that every merge takes exactly
    :math:`D` nodes (the standard construction, optimal for D-ary codes); their
    codewords are left unused, so the Kraft sum of the code can be below 1.

    Parameters
    ----------
    p : array_like
        The probabilities of the ``K`` symbols (1-D, non-negative, summing to 1).
    symbols : iterable of hashables, optional
        Names of the symbols (a string gives one symbol per character).  Default:
        the indices ``0, ..., K-1``.
    base : int, default 2
        Size of the code alphabet ``D``, from 2 to 36; codewords use ``0-9`` then
        ``a-z``.  2 gives binary codes and lengths in bits.
    normalize : bool, default False
        Scale ``p`` to sum to 1 first (for counts or frequencies).

    Returns
    -------
    PrefixCode
        Symbol -> codeword, in the order of ``symbols``.

    Examples
    --------
    >>> huffman_code([1/2, 1/4, 1/8, 1/8], symbols="abcd")
    PrefixCode({'a': '1', 'b': '01', 'c': '001', 'd': '000'})
    >>> huffman_code([1/4] * 4)  # four equally likely balls: every code needs 2 bits
    PrefixCode({0: '11', 1: '10', 2: '01', 3: '00'})
    >>> huffman_code([5, 2, 1, 1, 1], symbols="abcde", normalize=True, base=3)
    PrefixCode({'a': '0', 'b': '2', 'c': '12', 'd': '11', 'e': '10'}, base=3)
    """
    d = check_code_base(base)
    arr = probability_vector(p, "p", normalize=normalize)
    syms = _symbol_tuple(symbols, len(arr))
    codewords, _, _ = huffman_tree(arr, d)
    return PrefixCode._trusted(dict(zip(syms, codewords, strict=True)), d)


def _lengths_for(code: Mapping[Hashable, str] | Sequence[str], name: str = "code") -> list[int]:
    if isinstance(code, Mapping):
        return [len(w) for w in as_prefix_code(code, name).codewords]
    if isinstance(code, str) or not isinstance(code, Sequence):
        raise TypeError(
            f"`{name}` must be a PrefixCode, a mapping of symbols to codewords or a sequence "
            f"of codewords; got {type(code).__name__}"
        )
    for w in code:
        if not isinstance(w, str):
            raise TypeError(f"`{name}` codewords must be strings; got {type(w).__name__} {w!r}")
    return [len(w) for w in code]


def expected_length(
    code: Mapping[Hashable, str] | Sequence[str], p: ArrayLike, *, normalize: bool = False
) -> float:
    r"""Average codeword length :math:`L = \sum_i p_i \ell_i` of ``code`` under ``p``.

    Parameters
    ----------
    code : PrefixCode, mapping or sequence of str
        The code; its codewords are taken in its order (a mapping's iteration order).
    p : array_like
        Probabilities of the symbols, in the order of ``code``.
    normalize : bool, default False
        Scale ``p`` to sum to 1 first.

    Returns
    -------
    float
        Digits per symbol (bits for a binary code).

    Examples
    --------
    >>> expected_length(["1", "01", "001", "000"], [1/2, 1/4, 1/8, 1/8])
    1.75
    >>> expected_length(huffman_code([0.7, 0.2, 0.1]), [0.7, 0.2, 0.1])  # H = 1.157 bits
    1.3
    """
    lengths = _lengths_for(code)
    arr = probability_vector(p, "p", normalize=normalize)
    if len(arr) != len(lengths):
        raise ValueError(
            f"`p` must have one probability per codeword of `code` ({len(lengths)}); got {len(arr)}"
        )
    return math.fsum(float(pi) * li for pi, li in zip(arr, lengths, strict=True) if pi > 0)


def is_d_adic(q: NDArray[np.floating[Any]], lengths: Sequence[int], base: int) -> bool:
    # Compared exactly in float64: D**-l is exact for the lengths a float can reach.
    return bool(all(float(qi) == float(base) ** -li for qi, li in zip(q, lengths, strict=True)))


@dataclass(frozen=True)
class CodingCost:
    r"""What it costs to code data from ``P`` with the Huffman code built for ``Q``.

    All numbers are per symbol, in digits of the code alphabet (bits for base 2).

    Attributes
    ----------
    code : PrefixCode
        The Huffman code of ``Q``.
    expected_length : float
        :math:`\sum_i p_i \ell_i(Q)`: what coding data from ``P`` with that code
        costs on average.
    own_length : float
        Expected length of ``P``'s own Huffman code, the best any prefix code can do.
    entropy : float
        :math:`H(P)`, the lower bound of every code's expected length.
    cross_entropy : float
        :math:`H(P, Q)`, the cost of ideal codeword lengths :math:`-\log q_i`; equal
        to ``expected_length`` when ``Q`` is D-adic.
    kl_divergence : float
        :math:`D_{KL}(P \| Q) = H(P, Q) - H(P)`, the waste of the ideal code for ``Q``.
    dyadic : bool
        Whether every :math:`q_i` is a power of :math:`1/D` (then Q's codeword
        lengths are exactly :math:`-\log_D q_i`).
    base : int
        Size of the code alphabet.
    """

    code: PrefixCode
    expected_length: float
    own_length: float
    entropy: float
    cross_entropy: float
    kl_divergence: float
    dyadic: bool
    base: int

    @property
    def unit(self) -> str:
        """Unit of every number here: "bits" or "base-D digits"."""
        return digit_unit(self.base)

    @property
    def excess(self) -> float:
        """``expected_length - own_length``: the digits per symbol lost to the wrong code."""
        return self.expected_length - self.own_length


def coding_cost(
    p: ArrayLike,
    q: ArrayLike,
    *,
    symbols: Iterable[Hashable] | None = None,
    base: int = 2,
    normalize: bool = False,
) -> CodingCost:
    r"""The cost of coding data from ``p`` with the Huffman code built for ``q``.

    This is why :math:`H(P, Q)` is called the *cross*-entropy: a code built for
    the model :math:`Q` gives symbol :math:`i` about :math:`-\log q_i` digits, so
    data from :math:`P` costs

    .. math:: \sum_i p_i \ell_i(Q) = H(P, Q) = H(P) + D_{KL}(P \| Q)

    digits per symbol when :math:`Q` is D-adic (every :math:`q_i` a power of
    :math:`1/D`).  Otherwise Q's codeword lengths are whole numbers near, but not
    equal to, :math:`-\log q_i`; the actual cost is then the expected length of
    Q's Huffman code, and ``excess`` compares it with P's own Huffman code.  A symbol with
    :math:`q_i = 0 < p_i` makes :math:`H(P, Q)` infinite (the ideal code for Q has
    no codeword for it) while the Huffman code of Q still gives it a long one.

    Parameters
    ----------
    p : array_like
        The true distribution of the data.
    q : array_like
        The model whose code is used, over the same symbols.
    symbols : iterable of hashables, optional
        Names of the symbols (default ``0, ..., K-1``).
    base : int, default 2
        Size of the code alphabet; every number is in digits of this base.
    normalize : bool, default False
        Scale ``p`` and ``q`` to sum to 1 first.

    Returns
    -------
    CodingCost

    Examples
    --------
    The four balls, coded as if they were equally likely:

    >>> cost = coding_cost([1/2, 1/4, 1/8, 1/8], [1/4, 1/4, 1/4, 1/4])
    >>> cost.entropy, cost.expected_length, cost.kl_divergence, cost.dyadic
    (1.75, 2.0, 0.25, True)

    Diagnoses with a model that is not dyadic (in bits):

    >>> cost = coding_cost([0.7, 0.2, 0.1], [0.5, 0.2, 0.3])
    >>> print(f"L = {cost.expected_length:.2f}, H(P,Q) = {cost.cross_entropy:.5f}")
    L = 1.30, H(P,Q) = 1.33808
    """
    d = check_code_base(base)
    p_arr = probability_vector(p, "p", normalize=normalize)
    q_arr = probability_vector(q, "q", normalize=normalize)
    if len(p_arr) != len(q_arr):
        raise ValueError(
            f"`p` and `q` must have the same number of symbols; got {len(p_arr)} and {len(q_arr)}"
        )
    code = huffman_code(q_arr, symbols=symbols, base=d)
    lengths = [len(w) for w in code.codewords]
    own = huffman_code(p_arr, base=d)
    return CodingCost(
        code=code,
        expected_length=expected_length(code, p_arr),
        own_length=expected_length(own, p_arr),
        entropy=float(entropy(p_arr, base=d)),
        cross_entropy=float(cross_entropy(p_arr, q_arr, base=d)),
        kl_divergence=float(kl_divergence(p_arr, q_arr, base=d)),
        dyadic=is_d_adic(q_arr, lengths, d),
        base=d,
    )


def encode(sequence: Iterable[Hashable], code: Mapping[Hashable, str]) -> str:
    """Concatenate the codewords of the symbols of ``sequence``.

    Parameters
    ----------
    sequence : iterable of symbols
        The message; a string is a sequence of one-character symbols.
    code : PrefixCode or mapping
        Symbol -> codeword.

    Returns
    -------
    str
        The digits of the encoded message.

    Examples
    --------
    >>> code = huffman_code([1/2, 1/4, 1/8, 1/8], symbols="abcd")
    >>> encode("abad", code)
    '1011000'
    """
    pc = as_prefix_code(code)
    words = pc._map
    out = []
    for i, s in enumerate(sequence):
        try:
            out.append(words[s])
        except KeyError:
            raise ValueError(
                f"`sequence` holds {s!r} at position {i}, which has no codeword in `code` "
                f"(its symbols: {_preview(pc.symbols)})"
            ) from None
        except TypeError:
            raise TypeError(
                f"`sequence` must hold hashable symbols; got {type(s).__name__} at position {i}"
            ) from None
    return "".join(out)


def _preview(symbols: Sequence[Hashable], n: int = 8) -> str:
    shown = ", ".join(repr(s) for s in symbols[:n])
    return shown + (", ..." if len(symbols) > n else "")


def decode(
    message: str, code: Mapping[Hashable, str], *, count: int | None = None
) -> list[Hashable]:
    """Read the symbols back from the digits of ``message``.

    Because no codeword starts another, the first codeword that matches is the
    right one; no separators are needed.

    Parameters
    ----------
    message : str
        Digits produced by :func:`encode` with the same code.
    code : PrefixCode or mapping
        Symbol -> codeword.
    count : int, optional
        Number of symbols to read.  Required only for a one-symbol code, whose
        single codeword is empty (its messages carry no information, not even
        their length); otherwise the whole message is read and, if given, the
        number of symbols is checked.

    Returns
    -------
    list
        The symbols.

    Examples
    --------
    >>> code = huffman_code([1/2, 1/4, 1/8, 1/8], symbols="abcd")
    >>> "".join(decode("1011000", code))
    'abad'
    >>> decode("10", code)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `message` ends inside a codeword: the digits '0' at position 1 ...
    """
    pc = as_prefix_code(code)
    if not isinstance(message, str):
        raise TypeError(f"`message` must be a string of digits; got {type(message).__name__}")
    if count is not None:
        count = check_integer(count, "count", low=0)
    if len(pc) == 1 and pc.codewords[0] == "":
        if message:
            raise ValueError(
                f"`message` must be empty for a one-symbol code (its codeword is empty); "
                f"got {len(message)} digits"
            )
        if count is None:
            raise ValueError(
                "a one-symbol code has the empty codeword, so its messages do not say how "
                "many symbols they hold; pass `count`"
            )
        return [pc.symbols[0]] * int(count)
    # A trie of the codewords: node -> {digit: child}; leaves hold the symbol.
    trie: dict[str, Any] = {}
    for sym, word in pc._map.items():
        node = trie
        for c in word[:-1]:
            node = node.setdefault(c, {})
        node[word[-1]] = (sym,)
    out: list[Hashable] = []
    node = trie
    start = 0
    for i, c in enumerate(message):
        nxt = node.get(c)
        if nxt is None:
            if c not in DIGITS[: pc.base]:
                raise ValueError(
                    f"`message` must hold only the digits {DIGITS[: pc.base]!r} of the code; "
                    f"got {c!r} at position {i}"
                )
            raise ValueError(
                f"`message` is not a sequence of codewords: the digits "
                f"{message[start : i + 1]!r} at position {start} start no codeword"
            )
        if isinstance(nxt, tuple):
            out.append(nxt[0])
            node = trie
            start = i + 1
        else:
            node = nxt
    if node is not trie:
        raise ValueError(
            f"`message` ends inside a codeword: the digits {message[start:]!r} at position "
            f"{start} start a codeword but do not finish one"
        )
    if count is not None and len(out) != count:
        raise ValueError(f"`message` holds {len(out)} symbols; `count` says {count}")
    return out


def bits_per_symbol(sequence: Sequence[Hashable], code: Mapping[Hashable, str]) -> float:
    r"""Empirical length of ``sequence`` coded with ``code``, in digits per symbol.

    For a sample of :math:`n` symbols drawn from :math:`P` this tends to the
    expected length :math:`L` of the code as :math:`n` grows (the law of large
    numbers), that is to the entropy :math:`H(P)` when :math:`P` is D-adic and
    ``code`` is its Huffman code.  (For any :math:`P`, :func:`block_code` brings
    the length per symbol within :math:`1/n` of the entropy.)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = [1/2, 1/4, 1/8, 1/8]
    >>> sample = rng.choice(4, size=100_000, p=p).tolist()
    >>> print(f"{bits_per_symbol(sample, huffman_code(p)):.2f}")  # H(P) = 1.75 bits
    1.75
    """
    n = len(sequence)
    if n == 0:
        raise ValueError("`sequence` must hold at least one symbol; got none")
    return len(encode(sequence, code)) / n


def block_code(
    p: ArrayLike,
    n: int,
    *,
    symbols: Iterable[Hashable] | None = None,
    base: int = 2,
    normalize: bool = False,
) -> tuple[PrefixCode, float]:
    r"""Huffman code of blocks of ``n`` independent symbols, and its length per symbol.

    A block of :math:`n` symbols from :math:`P` has entropy :math:`n H(P)`, so its
    Huffman code has :math:`n H \le L_n < n H + 1` and the length per symbol obeys

    .. math:: H(P) \le L_n / n < H(P) + 1/n,

    approaching the entropy as blocks grow: this is what "the entropy is the
    number of bits per symbol" means for any distribution.

    Parameters
    ----------
    p : array_like
        Distribution of one symbol.
    n : int
        Block length, at least 1; the code has ``K**n`` codewords (at most 2**20).
    symbols : iterable of hashables, optional
        Names of the symbols; blocks are tuples of them (default indices).
    base : int, default 2
        Size of the code alphabet.
    normalize : bool, default False
        Scale ``p`` to sum to 1 first.

    Returns
    -------
    code : PrefixCode
        Codewords of the blocks (tuples of symbols, in lexicographic order).
    length_per_symbol : float
        :math:`L_n / n` in digits (bits) per symbol.

    Examples
    --------
    >>> p = [0.9, 0.1]  # H = 0.469 bits; one symbol at a time costs 1 bit
    >>> [round(block_code(p, n)[1], 3) for n in (1, 2, 4, 8)]
    [1.0, 0.645, 0.493, 0.476]
    """
    d = check_code_base(base)
    arr = probability_vector(p, "p", normalize=normalize)
    syms = _symbol_tuple(symbols, len(arr))
    n = check_integer(n, "n", low=1, allowed="an integer >= 1 (the block length)")
    k = len(arr)
    # k**64 > MAX_BLOCK_SYMBOLS for every k >= 2: no need to build k**n for a huge n.
    if k ** min(int(n), 64) > MAX_BLOCK_SYMBOLS:
        raise ValueError(
            f"`n` is too large: blocks of {n} symbols out of {k} make {k}**{n} codewords, "
            f"more than {MAX_BLOCK_SYMBOLS}"
        )
    joint = arr.astype(np.float64)
    for _ in range(int(n) - 1):
        joint = np.multiply.outer(joint, arr).ravel()
    blocks = list(itertools.product(syms, repeat=int(n)))  # lexicographic, as `joint`
    # The product may miss 1 by a few ulps; scaling it is exact up to rounding.
    codewords, _, _ = huffman_tree(joint / joint.sum(), d)
    code = PrefixCode._trusted(dict(zip(blocks, codewords, strict=True)), d)
    return code, expected_length(code, joint, normalize=True) / int(n)
