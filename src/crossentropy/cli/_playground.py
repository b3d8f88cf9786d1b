"""``xent playground``: the course's sliders and playground in the browser.

Starts a local web server and opens its page: a line through the blood-pressure
data by hand, the learning rate, classification by hand (the TensorFlow
Playground with cross-entropy), information measures with Huffman codes, and the
likelihood of a die.  Every number on the page is computed by the library.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``playground`` sub-command."""
    p = subparsers.add_parser(
        "playground",
        help="the course's sliders and playground in the browser (a local web page)",
        description=__doc__.splitlines()[0] if __doc__ else None,
        epilog=(
            "examples:\n  xent playground\n  xent playground --port 8765 --no-browser\n\n"
            "The server answers this computer only (127.0.0.1) unless --host says otherwise; "
            "Ctrl-C stops it."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--port",
        type=int,
        default=0,
        help="port to listen on (default: 0, a free one; the URL is printed)",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    p.add_argument(
        "--no-browser", action="store_true", help="print the URL but do not open a browser"
    )
    p.add_argument("--verbose", action="store_true", help="log every request on stderr")
    p.set_defaults(handler=run_playground)


def run_playground(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; exit status 0."""
    from ..playground import serve

    serve(args.host, args.port, open_browser=not args.no_browser, verbose=args.verbose)
    return 0
