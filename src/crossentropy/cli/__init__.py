"""The ``xent`` command: thin shells over the library.

Each sub-command lives in its own module with a ``register(subparsers)`` function
that adds its parser and sets ``handler``; the handler receives the parsed
arguments and returns the exit status.  Bad input (a ``ValueError`` or
``TypeError`` raised by the library) is printed as one line on stderr with exit
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
COMMAND_MODULES: tuple[str, ...] = ("_measures", "_plot", "_challenger", "_train", "_model")


class UsageError(Exception):
    """A problem with the command line itself; printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The ``xent`` argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="xent",
        description=(
            "Information measures, maximum-likelihood losses and the models they train. "
            "Run `xent COMMAND --help` for the options of a command."
        ),
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
    except (ValueError, TypeError, UsageError, FileNotFoundError) as exc:
        print(f"xent {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"xent {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader closed the pipe (`xent ... | head`): stop quietly, as `cat` does.
        # Point stdout at /dev/null so that the interpreter's final flush cannot fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
