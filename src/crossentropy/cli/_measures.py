"""``xent entropy``, ``xent cross-entropy``, ``xent kl``, ``xent information``, ``xent code``.

Thin shells over :mod:`crossentropy.information`, :mod:`crossentropy.coding` and
:mod:`crossentropy.explain`.  Numbers come as arguments (``0.5``, ``1/8``,
``0.5,0.5``), or from a CSV file or standard input (``--file -``): one column, or
one distribution per row.  Every problem with the input is one line on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import textwrap
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from .._validation import RowSumError
from . import UsageError

UNITS = ("bits", "nats", "bans")
# The names a unit goes by: singular, plural, its logarithm and its other names.
UNIT_NAMES = {
    **dict.fromkeys(("bit", "bits", "log2", "shannon", "shannons"), "bits"),
    **dict.fromkeys(("nat", "nats", "ln", "e", "nit", "nits"), "nats"),
    **dict.fromkeys(("ban", "bans", "log10", "hartley", "hartleys", "dit", "dits"), "bans"),
}


def unit_name(text: str) -> str:
    """``bits``, ``nats`` or ``bans`` for any of their names (``--unit bit``, ``log2``...)."""
    unit = UNIT_NAMES.get(text.strip().lower())
    if unit is None:
        raise argparse.ArgumentTypeError(
            f"unknown unit {text!r}: bits (also bit, log2, shannon), nats (nat, ln) or "
            "bans (ban, log10, hartley, dit)"
        )
    return unit


# What the library's normalize=True is called here.
_COUNTS_REMEDY = "Pass --counts to scale counts or weights to sum to 1."
FORMATS = ("text", "markdown", "latex")

# ------------------------------------------------------------------ reading numbers


def parse_number(token: str, what: str) -> float:
    """``0.25``, ``1/4`` or ``25%`` as a float; anything else is a one-line UsageError."""
    t = token.strip()
    try:
        if t.endswith("%"):
            return float(t[:-1]) / 100
        if "/" in t:
            return float(Fraction(t))
        return float(t)
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"{what} must be numbers (like 0.25 or 1/4); got {token!r}") from None


def parse_values(tokens: Sequence[str], what: str) -> list[float]:
    """Numbers given as arguments; commas also separate them (``0.5,0.25,0.25``)."""
    out = []
    for tok in tokens:
        for part in tok.replace(",", " ").split():
            out.append(parse_number(part, what))
    return out


def _is_number(cell: str) -> bool:
    try:
        parse_number(cell, "")
    except UsageError:
        return False
    return True


class Table:
    """Cells of a CSV table as text; numbers are read only from the cells used.

    A column of names beside the numbers is therefore fine, as long as it is not
    the one asked for.
    """

    def __init__(
        self, label: str, header: list[str] | None, cells: list[list[str]], lines: list[int]
    ) -> None:
        self.label = label
        self.header = header
        self.cells = cells
        self.lines = lines  # line of the file that holds each row, from 1

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.cells), len(self.cells[0])

    def _number(self, i: int, j: int) -> float:
        c = self.cells[i][j]
        if not _is_number(c):
            col = self.header[j] if self.header is not None else str(j + 1)
            raise UsageError(
                f"{self.label}, line {self.lines[i]}, column {col}: {c!r} is not a number"
            )
        return parse_number(c, "")

    def index(self, spec: str) -> int:
        """Column ``spec``: a header name, or a number counting from 1."""
        width = self.shape[1]
        if self.header is not None and spec in self.header:
            return self.header.index(spec)
        if spec.isdigit() and 1 <= int(spec) <= width:
            return int(spec) - 1
        names = (
            f"its columns: {', '.join(self.header)}" if self.header else f"it has {width} columns"
        )
        raise UsageError(f"{self.label} has no column {spec!r} ({names}; numbers count from 1)")

    def column(self, spec: str) -> np.ndarray:
        j = self.index(spec)
        return np.array([self._number(i, j) for i in range(len(self.cells))], dtype=np.float64)

    def numbers(self) -> np.ndarray:
        n, k = self.shape
        return np.array(
            [[self._number(i, j) for j in range(k)] for i in range(n)], dtype=np.float64
        )


def read_table(source: str) -> Table:
    """Read a CSV (or tab/semicolon/space-separated) table from a path or ``-`` (stdin).

    Blank lines and lines starting with ``#`` are skipped.  The first row is a
    header when one of its cells is not a number where the next row has one (or,
    in a one-row table, when any cell is not a number).  A ragged row or an empty
    file is a UsageError naming the line.
    """
    label = "standard input" if source == "-" else source
    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(source, encoding="utf-8-sig") as fh:
                text = fh.read()
        except FileNotFoundError:
            raise UsageError(f"no such file: {source}") from None
        except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {source}: {exc}") from None
    kept = [
        (i, ln)
        for i, ln in enumerate(text.splitlines(), 1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not kept:
        raise UsageError(f"{label} holds no numbers")
    numbers = [i for i, _ in kept]
    delim = next((d for d in (",", "\t", ";") if d in kept[0][1]), None)
    if delim is None:
        cells = [ln.split() for _, ln in kept]
    else:
        # One record per line (no quoted line breaks), so that errors can name the line.
        cells = [[c.strip() for c in next(csv.reader([ln], delimiter=delim))] for _, ln in kept]
    head = cells[0]
    if len(cells) > 1:
        nxt = cells[1]
        is_header = any(
            not _is_number(a) and j < len(nxt) and _is_number(nxt[j]) for j, a in enumerate(head)
        )
    else:
        is_header = not all(_is_number(c) for c in head)
    header: list[str] | None = None
    if is_header:
        header, cells, numbers = head, cells[1:], numbers[1:]
        if not cells:
            raise UsageError(f"{label} has a header but no rows of numbers")
    width = len(header) if header is not None else len(cells[0])
    for row, line in zip(cells, numbers, strict=True):
        if len(row) != width:
            raise UsageError(f"{label}, line {line}: expected {width} values, got {len(row)}")
    return Table(label, header, cells, numbers)


def _select(table: Table, args: argparse.Namespace) -> tuple[np.ndarray, bool]:
    """One distribution (a column or the only row) or, with --rows, one per row."""
    n, k = table.shape
    if args.column is not None:
        return table.column(args.column), False
    if args.rows:
        return table.numbers(), True
    if k == 1:
        return table.numbers()[:, 0], False
    if n == 1:
        return table.numbers()[0], False
    raise UsageError(
        f"{table.label} has {n} rows and {k} columns: pass --column NAME (or number) to use "
        "one column, or --rows for one distribution per row"
    )


def _select_pair(table: Table, args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray]:
    n, k = table.shape
    if args.p_column is not None or args.q_column is not None:
        if args.p_column is None or args.q_column is None:
            raise UsageError("give both --p-column and --q-column")
        return table.column(args.p_column), table.column(args.q_column)
    if k == 2:
        arr = table.numbers()
        return arr[:, 0], arr[:, 1]
    if n == 2:
        arr = table.numbers()
        return arr[0], arr[1]
    raise UsageError(
        f"{table.label} has {n} rows and {k} columns: P and Q must be its two columns or its "
        "two rows, or pass --p-column and --q-column"
    )


def _one_source(args: argparse.Namespace, example: str) -> tuple[np.ndarray, bool]:
    """The numbers of a one-distribution command: arguments or --file."""
    given = [
        name
        for name, ok in (
            ("numbers as arguments", bool(args.values)),
            ("--file", args.file is not None),
        )
        if ok
    ]
    if getattr(args, "text", None) is not None:
        given.append("--text")
    if len(given) > 1:
        raise UsageError(f"give the numbers one way only; got {' and '.join(given)}")
    if args.file is not None:
        return _select(read_table(args.file), args)
    if not args.values:
        raise UsageError(f"no numbers given: for example `{example}`, or --file FILE (- for stdin)")
    if args.column is not None or args.rows:
        raise UsageError("--column and --rows apply to --file only")
    return np.array(parse_values(args.values, "the probabilities"), dtype=np.float64), False


def _two_sources(args: argparse.Namespace, example: str) -> tuple[np.ndarray, np.ndarray]:
    if args.file is not None:
        if args.p is not None or args.q is not None:
            raise UsageError("give P and Q either with --p/--q or with --file, not both")
        return _select_pair(read_table(args.file), args)
    if args.p is not None and args.values:
        raise UsageError("give P once: as the numbers after the command or with --p, not both")
    p_values = args.p if args.p is not None else (args.values or None)
    if p_values is None or args.q is None:
        missing = "P" if p_values is None else "Q (--q)"
        hint = ""
        if p_values is not None and len(p_values) % 2 == 0 and len(p_values) > 2:
            half = len(p_values) // 2
            hint = (
                f"; the numbers after the command are P, so put Q after --q: "
                f"`{' '.join(p_values[:half])} --q {' '.join(p_values[half:])}`"
            )
        raise UsageError(f"{missing} is missing: for example `{example}`{hint}")
    p = np.array(parse_values(p_values, "P values"), dtype=np.float64)
    q = np.array(parse_values(args.q, "--q values"), dtype=np.float64)
    if len(p) != len(q):
        raise UsageError(
            f"P and Q must have the same number of outcomes; --p has {len(p)} numbers and "
            f"--q has {len(q)}"
        )
    return p, q


# ------------------------------------------------------------------ output


def _jsonable(x: Any) -> Any:
    """Floats for JSON; infinities as the strings "inf"/"-inf" (JSON has no infinity)."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if math.isnan(v):
            return "nan"
        return v if math.isfinite(v) else ("inf" if v > 0 else "-inf")
    return x


def emit_json(payload: dict[str, Any]) -> None:
    print(json.dumps(_jsonable(payload), indent=2, allow_nan=False))


def _num(x: float, digits: int) -> str:
    from ..explain import fmt

    return fmt(x, digits)


def _amount(x: float, digits: int, unit: str) -> str:
    """``x`` with ``digits`` significant digits and its unit ("1 bit", "1.75 bits")."""
    from ..explain import unit_of

    s = _num(x, digits)
    return f"{s} {unit_of(s, unit)}"


def _cli_errors(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Check ``--digits``; name ``--counts`` where the library offers ``normalize=True``.

    Library errors otherwise reach the command line as they are (``main`` prints
    them as one line, exit status 2).
    """

    def wrapper(args: argparse.Namespace) -> int:
        if not 1 <= args.digits <= 17:
            raise UsageError(f"--digits must be from 1 to 17; got {args.digits}")
        try:
            return func(args)
        except RowSumError as exc:
            raise UsageError(f"{exc.problem} {_COUNTS_REMEDY}") from None

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _row_problem(func: Callable[[np.ndarray], Any], arr: np.ndarray, label: str) -> None:
    """Re-run ``func`` row by row to say which row of a table is wrong (1-based)."""
    for i, row in enumerate(arr):
        try:
            func(row)
        except RowSumError as exc:
            raise RowSumError(f"row {i + 1} of {label}: {exc.problem}", exc.remedy) from None
        except (ValueError, TypeError) as exc:
            raise ValueError(f"row {i + 1} of {label}: {exc}") from None


def _explain_out(expl: Any, args: argparse.Namespace) -> str:
    return str(expl.format(args.format))


def _emit(args: argparse.Namespace, payload: dict[str, Any], explanation: Any) -> bool:
    """Print ``payload`` as JSON (with ``explanation``, if any) under --json, else the
    explanation (a string, or a list of them); False when the plain result is still to print."""
    if args.json:
        if explanation is not None:
            payload["explanation"] = explanation
        emit_json(payload)
        return True
    if explanation is not None:
        print(explanation if isinstance(explanation, str) else "\n\n".join(explanation))
        return True
    return False


# ------------------------------------------------------------------ commands


@_cli_errors
def run_entropy(args: argparse.Namespace) -> int:
    from ..explain import explain_entropy
    from ..information import entropy

    p, rows = _one_source(args, "xent entropy 0.5 0.25 0.125 0.125 --unit bits")
    label = args.file if args.file not in (None, "-") else "the input"
    try:
        values = entropy(p, base=args.unit, normalize=args.counts)
    except (ValueError, TypeError):
        if rows:
            _row_problem(lambda r: entropy(r, normalize=args.counts), p, label)
        raise
    explanation: list[str] | str | None = None
    if args.explain:
        parts = [
            _explain_out(
                explain_entropy(r, base=args.unit, normalize=args.counts, digits=args.digits), args
            )
            for r in (p if rows else [p])
        ]
        explanation = parts if rows else parts[0]
    if _emit(args, {"measure": "entropy", "unit": args.unit, "p": p, "value": values}, explanation):
        return 0
    if rows:
        print(f"row  H(P) [{args.unit}]")
        for i, v in enumerate(values, 1):
            print(f"{i:>3}  {_num(v, args.digits)}")
    else:
        print(f"H(P) = {_amount(values, args.digits, args.unit)}")
    return 0


def _pair_command(args: argparse.Namespace, measure: str, symbol: str, example: str) -> int:
    from .. import explain as ex
    from ..information import cross_entropy, kl_divergence

    func = cross_entropy if measure == "cross-entropy" else kl_divergence
    explainer = ex.explain_cross_entropy if measure == "cross-entropy" else ex.explain_kl_divergence
    p, q = _two_sources(args, example)
    value = func(p, q, base=args.unit, normalize=args.counts)
    explanation = None
    if args.explain:
        expl = explainer(p, q, base=args.unit, normalize=args.counts, digits=args.digits)
        explanation = _explain_out(expl, args)
    payload = {"measure": measure, "unit": args.unit, "p": p, "q": q, "value": value}
    if not _emit(args, payload, explanation):
        print(f"{symbol} = {_amount(value, args.digits, args.unit)}")
    return 0


@_cli_errors
def run_cross_entropy(args: argparse.Namespace) -> int:
    return _pair_command(
        args, "cross-entropy", "H(P, Q)", "xent cross-entropy 0.7 0.2 0.1 --q 0.5 0.2 0.3"
    )


@_cli_errors
def run_kl(args: argparse.Namespace) -> int:
    return _pair_command(args, "kl-divergence", "KL(P || Q)", "xent kl 0.7 0.2 0.1 --q 0.5 0.2 0.3")


@_cli_errors
def run_information(args: argparse.Namespace) -> int:
    from ..explain import explain_information
    from ..information import information

    p, _ = _one_source(args, "xent information 0.5 0.125 --unit bits")
    p = p.ravel()
    values = np.atleast_1d(information(p, base=args.unit))
    explanation = None
    if args.explain:
        # One event is explained as one line of algebra, several as a table.
        expl = explain_information(p[0] if len(p) == 1 else p, base=args.unit, digits=args.digits)
        explanation = _explain_out(expl, args)
    payload = {"measure": "information", "unit": args.unit, "p": p, "value": values}
    if _emit(args, payload, explanation):
        return 0
    if len(p) == 1:
        print(f"I = -log p = {_amount(values[0], args.digits, args.unit)}")
    else:
        width = max(len(_num(x, args.digits)) for x in p)
        print(f"{'p':>{width}}  I = -log p [{args.unit}]")
        for pi, vi in zip(p, values, strict=True):
            print(f"{_num(pi, args.digits):>{width}}  {_num(vi, args.digits)}")
    return 0


def _code_input(args: argparse.Namespace) -> tuple[np.ndarray, list[str], bool, str | None]:
    """``(p, symbols, normalize, message)`` of ``xent code``: from --text (the counts of
    its characters) or from the probabilities."""
    if args.text is not None:
        if args.values or args.file is not None:
            raise UsageError("give either --text or the probabilities, not both")
        if args.symbols is not None:
            raise UsageError("--symbols does not apply to --text (the symbols are its characters)")
        message = args.text
        if not message:
            raise UsageError("--text is empty")
        symbols: list[str] = list(dict.fromkeys(message))
        counts = np.array([message.count(s) for s in symbols], dtype=np.float64)
        return counts, symbols, True, message
    p, rows = _one_source(args, "xent code 0.5 0.25 0.125 0.125")
    if rows:
        raise UsageError("xent code takes one distribution; use --column to pick one")
    if args.symbols is not None:
        symbols = [s for tok in args.symbols for s in tok.replace(",", " ").split()]
    else:
        symbols = [str(i + 1) for i in range(len(p))]
    return p, symbols, args.counts, None


def _print_code(
    args: argparse.Namespace, code: Any, p_n: np.ndarray, cost: Any, message: str | None
) -> None:
    """The table of codewords, the expected length and, for a Q, the cost of coding with it."""
    from .. import coding
    from ..explain import fmt
    from ..information import entropy

    d = args.base
    unit = coding.digit_unit(d)
    length = coding.expected_length(code, p_n)
    h = float(entropy(p_n, base=d))
    shown = [repr(s)[1:-1] if message is not None else str(s) for s in code.symbols]
    w = max(6, *(len(s) for s in shown))
    cw = max(8, *(len(c) for c in code.codewords))
    print(f"{'symbol':<{w}}  {'p':>9}  {'codeword':<{cw}}  length")
    for s, pi, c in zip(shown, p_n, code.codewords, strict=True):
        print(f"{s:<{w}}  {fmt(pi, args.digits):>9}  {c or '(empty)':<{cw}}  {len(c):>6}")
    print(
        f"expected length L = {_amount(length, args.digits, unit)} per symbol; "
        f"entropy H(P) = {_amount(h, args.digits, unit)}"
    )
    if cost is not None:
        kind = "" if cost.dyadic else "not "
        print(
            f"code built for Q ({kind}{d}-adic): "
            f"H(P, Q) = {fmt(cost.cross_entropy, args.digits)}, "
            f"KL(P || Q) = {fmt(cost.kl_divergence, args.digits)}, "
            f"P's own code: {_amount(cost.own_length, args.digits, unit)} per symbol"
        )


@_cli_errors
def run_code(args: argparse.Namespace) -> int:
    from .. import coding
    from ..explain import explain_code
    from ..information import entropy

    p, symbols, normalize, message = _code_input(args)
    q = None if args.q is None else np.array(parse_values(args.q, "--q values"))
    d = args.base
    p_n = coding.probability_vector(p, "p", normalize=normalize)
    if q is None:
        code = coding.huffman_code(p, symbols=symbols, base=d, normalize=normalize)
        cost = None
    else:
        cost = coding.coding_cost(p, q, symbols=symbols, base=d, normalize=normalize)
        code = cost.code
    payload: dict[str, Any] = {
        "measure": "code",
        "base": d,
        "unit": coding.digit_unit(d),
        "symbols": list(code.symbols),
        "p": p_n,
        "codewords": dict(code),
        "lengths": code.lengths,
        "expected_length": coding.expected_length(code, p_n),
        "entropy": float(entropy(p_n, base=d)),
        "kraft_sum": code.kraft_sum(),
    }
    if cost is not None:
        payload.update(
            {
                "q": q,
                "cross_entropy": cost.cross_entropy,
                "kl_divergence": cost.kl_divergence,
                "own_length": cost.own_length,
                "dyadic": cost.dyadic,
            }
        )
    encoded = "" if message is None else coding.encode(message, code)
    if message is not None:
        payload.update({"encoded": encoded, "bits_per_symbol": len(encoded) / len(message)})
    explanation = None
    if args.explain:
        expl = explain_code(p, q, symbols=symbols, base=d, normalize=normalize, digits=args.digits)
        explanation = _explain_out(expl, args)
    if not _emit(args, payload, explanation):
        _print_code(args, code, p_n, cost, message)
    if message is not None and not args.json:
        print(f"encoded: {encoded}")
        print(
            f"{len(encoded)} digits for {len(message)} symbols = "
            f"{_amount(len(encoded) / len(message), args.digits, coding.digit_unit(d))} per symbol"
        )
    return 0


# ------------------------------------------------------------------ parsers

_SOURCES_HELP = (
    "Numbers: decimals, fractions (1/8) or percentages (25%), separated by spaces or commas. "
    "From a file (--file FILE, or --file - for standard input): comma-, tab-, semicolon- "
    "or space-separated, with an optional header row; lines starting with # are skipped."
)


def _common(parser: argparse.ArgumentParser, *, unit: bool = True) -> None:
    out = parser.add_argument_group("output")
    if unit:
        out.add_argument(
            "--unit",
            type=unit_name,
            metavar="{bits,nats,bans}",
            default="nats",
            help="unit of the result: bits (log2), nats (ln, the default) or bans (log10)",
        )
    out.add_argument(
        "--explain",
        action="store_true",
        help="show the worked derivation: formula, terms, sum and result",
    )
    out.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="format of --explain: text (default), markdown or latex",
    )
    out.add_argument(
        "--json",
        action="store_true",
        help='print machine-readable JSON (infinities as the strings "inf")',
    )
    out.add_argument(
        "--digits",
        type=int,
        default=6,
        metavar="N",
        help="significant digits shown in text (default 6)",
    )


def _file_options(parser: argparse.ArgumentParser) -> None:
    src = parser.add_argument_group("reading a table")
    src.add_argument(
        "--file", metavar="FILE", help="read the numbers from a CSV file; - reads standard input"
    )
    src.add_argument(
        "--column",
        metavar="NAME",
        help="use this column of the file (a header name, or a number from 1)",
    )
    src.add_argument(
        "--rows",
        action="store_true",
        help="one distribution per row of the file (one result per row)",
    )


def _make(
    sub: Any, name: str, help_: str, description: str, epilog: str
) -> argparse.ArgumentParser:
    # Raw formatting keeps the examples as written; wrap the prose here instead.
    text = "\n\n".join(textwrap.fill(par, 79) for par in description.split("\n\n"))
    return sub.add_parser(
        name,
        help=help_,
        description=text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def register(subparsers: Any) -> None:
    """Add the five measure commands to ``xent``."""
    p = _make(
        subparsers,
        "entropy",
        "entropy H(P) of a distribution",
        "Entropy H(P) = -sum_c p_c log p_c of a distribution: the average surprisal of an "
        "outcome, the fewest yes/no questions per outcome (in bits).\n\n" + _SOURCES_HELP,
        """examples:
  xent entropy 0.5 0.25 0.125 0.125 --unit bits     # the four balls: 1.75 bits
  xent entropy 1/2 1/2                              # a fair coin: 0.693147 nats
  xent entropy --counts 3 1 1 --unit bits           # counts, scaled to sum to 1
  xent entropy 0.7 0.2 0.1 --explain                # the worked derivation
  xent entropy --file dists.csv --rows --json       # one entropy per row
  printf 'p\\n0.5\\n0.5\\n' | xent entropy --file -   # a column from standard input
""",
    )
    p.add_argument("values", nargs="*", metavar="P", help="the probabilities p_1 ... p_K")
    p.add_argument(
        "--counts",
        action="store_true",
        help="the numbers are counts or weights: scale them to sum to 1",
    )
    _file_options(p)
    _common(p)
    p.set_defaults(handler=run_entropy)

    for name, symbol, run, what, ex in (
        (
            "cross-entropy",
            "H(P, Q)",
            run_cross_entropy,
            "Cross-entropy H(P, Q) = -sum_c p_c log q_c: the cost per outcome of data from P "
            "coded with a code built for Q. It is H(P) + KL(P || Q) >= H(P).",
            "xent cross-entropy",
        ),
        (
            "kl",
            "KL(P || Q)",
            run_kl,
            "Kullback-Leibler divergence KL(P || Q) = sum_c p_c log(p_c / q_c) = H(P, Q) - H(P): "
            "the extra cost of the wrong model Q, >= 0 and 0 only when P = Q. Not symmetric: "
            "swap --p and --q to see KL(Q || P).",
            "xent kl",
        ),
    ):
        pp = _make(
            subparsers,
            name,
            f"{symbol} of two distributions",
            what + "\n\n" + _SOURCES_HELP,
            f"""examples:
  {ex} 0.7 0.2 0.1 --q 0.5 0.2 0.3                   # covid / diabetes / heart
  {ex} --p 0.7 0.2 0.1 --q 0.5 0.2 0.3               # the same
  {ex} --p 1/2 1/4 1/8 1/8 --q 1/4 1/4 1/4 1/4 --unit bits
  {ex} --counts --p 7 2 1 --q 5 2 3                  # counts, scaled to sum to 1
  {ex} --p 0.7 0.2 0.1 --q 0.5 0.2 0.3 --explain --format markdown
  {ex} --file pq.csv --p-column p --q-column q --json
  (a file with exactly two columns, or two rows, needs no --p-column/--q-column)
""",
        )
        pp.add_argument(
            "values", nargs="*", metavar="P", help="the true distribution P (or --p P ...)"
        )
        pp.add_argument("--p", nargs="+", metavar="P", help="the true distribution P")
        pp.add_argument("--q", nargs="+", metavar="Q", help="the model distribution Q")
        pp.add_argument(
            "--counts",
            action="store_true",
            help="the numbers are counts or weights: scale each to sum to 1",
        )
        src = pp.add_argument_group("reading a table")
        src.add_argument(
            "--file",
            metavar="FILE",
            help="read P and Q from a CSV file (- for standard input): its two columns or two rows",
        )
        src.add_argument("--p-column", metavar="NAME", help="the file's column holding P")
        src.add_argument("--q-column", metavar="NAME", help="the file's column holding Q")
        _common(pp)
        pp.set_defaults(handler=run)

    p = _make(
        subparsers,
        "information",
        "self-information -log p of events",
        "Self-information (surprisal) I = -log p of events with probabilities p: 0 for a "
        "certain event, larger for rarer ones, infinite for an impossible one, and additive "
        "over independent events.\n\n" + _SOURCES_HELP,
        """examples:
  xent information 0.5 --unit bits           # a fair coin flip: 1 bit
  xent information 1 0.5 0.125 0 --unit bits
  xent information 1/6 --explain             # rolling a six
""",
    )
    p.add_argument("values", nargs="*", metavar="P", help="probabilities of the events, in [0, 1]")
    _file_options(p)
    _common(p)
    p.set_defaults(handler=run_information)

    p = _make(
        subparsers,
        "code",
        "optimal prefix (Huffman) code of a distribution",
        "Huffman code of a distribution: the prefix code with the smallest expected length "
        "L, with H(P) <= L < H(P) + 1 (L = H(P) when every p is a power of 1/base). With "
        "--q, the code is built for the model Q and used on data from P: when Q is dyadic it "
        "costs H(P, Q) = H(P) + KL(P || Q) per symbol, KL(P || Q) more than the entropy. "
        "Lengths are in "
        "digits of --base (bits for 2).\n\n" + _SOURCES_HELP,
        """examples:
  xent code 1/2 1/4 1/8 1/8 --symbols a b c d       # codes 1, 01, 001, 000: 1.75 bits
  xent code 1/2 1/4 1/8 1/8 --q 1/4 1/4 1/4 1/4     # the wrong model costs 2 bits
  xent code --counts 45 13 12 16 9 5 --explain      # the merges step by step
  xent code 0.5 0.2 0.1 0.1 0.1 --base 3            # a ternary code
  xent code --text "abracadabra"                    # code the letters of a text
""",
    )
    p.add_argument("values", nargs="*", metavar="P", help="the probabilities p_1 ... p_K")
    p.add_argument(
        "--counts",
        action="store_true",
        help="the numbers are counts or weights: scale them to sum to 1",
    )
    p.add_argument(
        "--symbols", nargs="+", metavar="S", help="names of the symbols (default 1 ... K)"
    )
    p.add_argument(
        "--q",
        nargs="+",
        metavar="Q",
        help="build the code for this model Q and use it on data from P",
    )
    p.add_argument(
        "--base",
        type=int,
        default=2,
        metavar="D",
        help="size of the code alphabet, 2 to 36 (default 2: bits)",
    )
    p.add_argument(
        "--text",
        metavar="TEXT",
        help="code the characters of TEXT by their frequencies, and encode it",
    )
    _file_options(p)
    _common(p, unit=False)
    p.set_defaults(handler=run_code)
