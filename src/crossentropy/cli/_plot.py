"""``xent plot NAME --out FILE``: draw one of the library's figures to a file.

The figures and their descriptions come from :data:`crossentropy.plotting.FIGURES`,
so a figure added there is available here without touching this module.
"""

from __future__ import annotations

import argparse
import inspect
import os
from typing import Any

from .._validation import RowSumError
from . import UsageError

DEFAULT_DIR = "xent-out"
# 2400 dots per inch is beyond print quality and keeps a 6 x 4 inch figure at
# 14400 x 9600 pixels (0.55 GB of RGBA while drawing); more only exhausts memory.
MAX_DPI = 2400


def _value(text: str) -> Any:
    """``3`` -> 3, ``0.5`` -> 0.5, ``1/8`` -> 0.125, ``true`` -> True, ``a,b`` -> a list,
    anything else the string itself."""
    from ._measures import parse_number

    if "," in text:
        return [_value(t) for t in text.split(",") if t.strip()]
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    if t.lstrip("-").isdigit():
        return int(t)
    try:
        return parse_number(t, "")
    except UsageError:
        return t


def _options(pairs: list[str], func: Any, name: str) -> dict[str, Any]:
    params = inspect.signature(func).parameters
    allowed = [
        k
        for k, v in params.items()
        if k != "ax"
        and v.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    ]
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise UsageError(f"--set takes KEY=VALUE; got {pair!r}")
        if key not in allowed:
            known = ", ".join(allowed) if allowed else "none"
            raise UsageError(f"figure {name!r} has no option {key!r} (its options: {known})")
        out[key] = _value(val)
    return out


def run_plot(args: argparse.Namespace) -> int:
    from ..plotting import FIGURES

    if args.list:
        width = max(len(n) for n in FIGURES)
        for n, (func, description) in FIGURES.items():
            opts = [k for k in inspect.signature(func).parameters if k != "ax"]
            extra = f"  [--set {', '.join(opts)}]" if opts else ""
            print(f"{n:<{width}}  {description}{extra}")
        return 0
    if args.name is None:
        raise UsageError(
            "name a figure, for example `xent plot binary-entropy`; `xent plot --list` lists them"
        )
    if args.name not in FIGURES:
        raise UsageError(f"no figure named {args.name!r}; the figures are: {', '.join(FIGURES)}")
    func, _ = FIGURES[args.name]
    kwargs = _options(args.set or [], func, args.name)
    out = args.out or os.path.join(DEFAULT_DIR, f"{args.name}.png")
    if not 0 < args.dpi <= MAX_DPI:
        raise UsageError(f"--dpi must be from 1 to {MAX_DPI}; got {args.dpi}")
    try:
        fig = func(**kwargs)
    except RowSumError as exc:  # the library's normalize=True is --set normalize=true here
        remedy = "Pass --set normalize=true to scale counts or weights to sum to 1."
        raise UsageError(f"{exc.problem} {remedy}") from None
    from ._files import save_figure

    try:
        path = save_figure(fig, out, dpi=args.dpi, default_name=f"{args.name}.png")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {path}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``xent plot`` to ``xent``."""
    p = subparsers.add_parser(
        "plot",
        help="draw a figure (entropy curve, dice likelihood, Huffman tree, ...)",
        description="Draw one of the library's figures to an image file. The format "
        "follows the file's extension (png, pdf, svg, ...).",
        epilog="""examples:
  xent plot --list                                   # the figures and their options
  xent plot binary-entropy --out entropy.png
  xent plot dice-likelihood                          # writes xent-out/dice-likelihood.png
  xent plot huffman-tree --set p=0.4,0.3,0.2,0.1 --set symbols=w,x,y,z --out tree.svg
  xent plot huffman-tree --set p=45,13,12,16,9,5 --set normalize=true --set base=3
  xent plot kl-asymmetry --set p=0.3 --set base=nats
""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="the figure (see --list)")
    p.add_argument("--list", action="store_true", help="list the figures and exit")
    p.add_argument(
        "--out", metavar="FILE", help=f"where to write the figure (default {DEFAULT_DIR}/NAME.png)"
    )
    p.add_argument(
        "--dpi",
        type=int,
        default=120,
        help=f"resolution of raster images, 1 to {MAX_DPI} (default 120)",
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="an option of the figure, e.g. p=0.5,0.25,0.25 (repeatable)",
    )
    p.set_defaults(handler=run_plot)
