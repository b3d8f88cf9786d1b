"""The ``xent`` command: thin shells over the library.

Each sub-command lives in its own module with a ``register(subparsers)`` function
that adds its parser and sets ``handler``; the handler receives the parsed
arguments and returns the exit status.  Bad input (a ``ValueError`` or
``TypeError`` raised by the library) and a hostile environment (``OSError``,
``MemoryError``, ``OverflowError``) are printed as one line on stderr with exit
status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from .. import __version__

# Sub-command modules, in the order `xent --help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "_measures",
    "_explain",
    "_plot",
    "_challenger",
    "_train",
    "_model",
    "_playground",
    "_fit",
)

# Where a learner goes next: the derivations and the documentation.
EPILOG = """learn:
  xent explain --list                   the worked derivations, from information to a
                                        Newton step: xent explain TOPIC [NUMBERS]
  xent entropy 0.7 0.2 0.1 --explain    every measure command (entropy, cross-entropy,
                                        kl, information, code) shows its derivation with
                                        --explain (--format text, markdown or latex)
  documentation                         the API reference, the course in chapters and
                                        the gallery: build the site from docs/ in the
                                        source repository (see its README)
"""


class UsageError(Exception):
    """A problem with the command line itself; printed as one line, exit status 2."""


class DataUnavailable(Exception):
    """The data set asked for cannot be had here; its message says how to get it.

    Exit status 1: nothing is wrong with the command, the data are missing."""


def build_parser() -> argparse.ArgumentParser:
    """The ``xent`` argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="xent",
        description=(
            "Information measures, maximum-likelihood losses and the models they train.\n"
            "Run `xent COMMAND --help` for the options of a command."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f".{name}", __name__).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``xent`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print(f"xent {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader closed the pipe (`xent ... | head`): stop quietly, as `cat` does.
        # Point stdout at /dev/null so that the interpreter's final flush cannot fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except DataUnavailable as exc:
        print(f"xent {args.command}: {exc}", file=sys.stderr)
        return 1
    except _USER_ERRORS as exc:
        print(f"xent {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2


# Bad input and a hostile environment (a file that cannot be read or written, a full
# disk, too little memory, numbers beyond a float) are the user's to mend: one line
# and exit status 2.  Anything else is a bug, and its traceback is worth seeing.
_USER_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    UsageError,
    OSError,
    MemoryError,
    OverflowError,
)


def _one_line(exc: BaseException) -> str:
    """The message of ``exc`` on one line, with what it is when that says more."""
    if isinstance(exc, MemoryError):
        detail = str(exc)
        return "not enough memory" + (f": {detail}" if detail else "")
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return f"{where}{exc.strerror}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, OverflowError):
        return f"a number is too large: {text}"
    return text


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
