"""``xent explain TOPIC``: the worked derivations of :mod:`crossentropy.explain`.

One sub-command per topic, with that topic's arguments; ``xent explain --list``
lists the topics.  Each prints the derivation as text, Markdown or LaTeX
(``--format``).  Numbers are read as by the measure commands (``0.25``, ``1/4``,
``25%``, commas or spaces between them).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ._measures import FORMATS, parse_values, unit_name

__all__ = ["register", "run_explain"]

Explain = Callable[[argparse.Namespace], Any]


def _numbers(tokens: list[str] | None, what: str) -> list[float] | None:
    """The numbers of an optional argument (None when it was not given)."""
    return None if tokens is None else parse_values(tokens, what)


def _topic_list() -> str:
    from ..explain import explain

    names = explain.topics()
    width = max(len(n) for n in names)
    lines = [f"  {n:<{width}}  {summary}" for n, summary in names.items()]
    return "topics (xent explain TOPIC --help shows the arguments of one):\n" + "\n".join(lines)


def run_explain(args: argparse.Namespace) -> int:
    """Print the explanation of ``args.topic``, or the list of topics."""
    if args.list or getattr(args, "topic", None) is None:
        print(_topic_list())
        return 0 if args.list else 2
    expl = args.explainer(args)
    print(expl.format(args.format))
    return 0


# ------------------------------------------------------------------ the explainers


def _measure(args: argparse.Namespace) -> Any:
    from .. import explain as ex

    p = parse_values(args.values, "P")
    options: dict[str, Any] = {"base": args.unit, "symbols": args.symbols, "digits": args.digits}
    if args.topic == "information":
        # One event is explained as one line of algebra, several as a table.
        return ex.explain_information(p[0] if len(p) == 1 else p, **options)
    options["normalize"] = args.counts
    if args.topic == "entropy":
        return ex.explain_entropy(p, **options)
    q = parse_values(args.q, "Q")
    if args.topic == "cross-entropy":
        return ex.explain_cross_entropy(p, q, **options)
    return ex.explain_kl_divergence(p, q, **options)


def _code(args: argparse.Namespace) -> Any:
    from ..explain import explain_code

    p, q = parse_values(args.values, "P"), _numbers(args.q, "Q")
    return explain_code(
        p, q, symbols=args.symbols, base=args.base, normalize=args.counts, digits=args.digits
    )


def _dice(args: argparse.Namespace) -> Any:
    from ..explain import explain_dice

    return explain_dice(args.reds, args.throws, faces=args.faces, digits=args.digits)


def _mse(args: argparse.Namespace) -> Any:
    from ..explain import explain_mse

    y, f = parse_values(args.y, "--y"), parse_values(args.pred, "--pred")
    return explain_mse(y, f, sigma=args.sigma, digits=args.digits)


def _bce(args: argparse.Namespace) -> Any:
    from ..explain import explain_binary_cross_entropy

    y, z = parse_values(args.y, "--y"), parse_values(args.logits, "--logits")
    return explain_binary_cross_entropy(y, z, digits=args.digits)


def _categorical(args: argparse.Namespace) -> Any:
    from ..explain import explain_categorical_cross_entropy

    rows = [parse_values(r, "--p") for r in args.p]
    return explain_categorical_cross_entropy(args.y, rows, digits=args.digits)


def _softmax_gradient(args: argparse.Namespace) -> Any:
    from ..explain import explain_softmax_gradient

    z = parse_values(args.values, "Z")
    return explain_softmax_gradient(z, args.label, digits=args.digits)


def _newton_step(args: argparse.Namespace) -> Any:
    from ..explain import explain_newton_step

    x, y, theta = _numbers(args.x, "--x"), _numbers(args.y, "--y"), _numbers(args.theta, "--theta")
    return explain_newton_step(x, y, theta=theta, digits=args.digits)


# ------------------------------------------------------------------ parsers


def _add_topic(
    topics: Any, name: str, summary: str, examples: str, explainer: Explain
) -> argparse.ArgumentParser:
    p = topics.add_parser(
        name,
        help=summary,
        description=f"xent explain {name}: {summary}.",
        epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default), markdown or latex"
    )
    out.add_argument(
        "--digits", type=int, default=6, metavar="N", help="significant digits shown (default 6)"
    )
    p.set_defaults(explainer=explainer)
    return p


def _distribution_args(p: argparse.ArgumentParser, *, q: str | None, unit: bool = True) -> None:
    p.add_argument("values", nargs="+", metavar="P", help="the probabilities p_1 ... p_K")
    if q is not None:
        p.add_argument("--q", nargs="+", metavar="Q", required=q == "required", help="the model Q")
    p.add_argument("--symbols", nargs="+", metavar="S", help="names of the outcomes")
    p.add_argument("--counts", action="store_true", help="scale the numbers to sum to 1")
    if unit:
        p.add_argument(
            "--unit",
            type=unit_name,
            metavar="{bits,nats,bans}",
            default="nats",
            help="bits, nats (default), bans",
        )


def _register_measures(topics: Any, summaries: dict[str, str]) -> None:
    p = _add_topic(
        topics,
        "information",
        summaries["information"],
        "  xent explain information 1/6 --unit bits\n  xent explain information 1 0.5 0.125 0\n",
        _measure,
    )
    p.add_argument("values", nargs="+", metavar="P", help="probabilities of the events")
    p.add_argument("--symbols", nargs="+", metavar="S", help="names of the events")
    p.add_argument(
        "--unit",
        type=unit_name,
        metavar="{bits,nats,bans}",
        default="nats",
        help="bits, nats (default), bans",
    )
    p = _add_topic(
        topics,
        "entropy",
        summaries["entropy"],
        "  xent explain entropy 1/2 1/4 1/8 1/8 --unit bits\n",
        _measure,
    )
    _distribution_args(p, q=None)
    for name in ("cross-entropy", "kl"):
        p = _add_topic(
            topics,
            name,
            summaries[name],
            f"  xent explain {name} 0.7 0.2 0.1 --q 0.5 0.2 0.3\n"
            f"  xent explain {name} 0.5 0.5 --q 1 0    # Q calls outcome 2 impossible\n",
            _measure,
        )
        _distribution_args(p, q="required")
    p = _add_topic(
        topics,
        "code",
        summaries["code"],
        "  xent explain code 1/2 1/4 1/8 1/8 --symbols a b c d\n"
        "  xent explain code 0.7 0.2 0.1 --q 0.5 0.2 0.3\n",
        _code,
    )
    _distribution_args(p, q="optional", unit=False)
    p.add_argument("--base", type=int, default=2, metavar="D", help="code alphabet size")


def _register_learning(topics: Any, summaries: dict[str, str]) -> None:
    p = _add_topic(
        topics,
        "dice",
        summaries["dice"],
        "  xent explain dice                       # 34 reds in 100 throws\n"
        "  xent explain dice --reds 10 --throws 20\n",
        _dice,
    )
    p.add_argument("--reds", type=int, default=34, help="red throws seen (default 34)")
    p.add_argument("--throws", type=int, default=100, help="throws (default 100)")
    p.add_argument("--faces", type=int, default=6, help="faces of the die (default 6)")
    p = _add_topic(
        topics, "mse", summaries["mse"], "  xent explain mse --y 1 2 3 --pred 1.5 2 1\n", _mse
    )
    p.add_argument("--y", nargs="+", required=True, metavar="Y", help="observations")
    p.add_argument("--pred", nargs="+", required=True, metavar="F", help="predictions")
    p.add_argument("--sigma", type=float, default=1.0, help="noise standard deviation (1)")
    p = _add_topic(
        topics, "bce", summaries["bce"], "  xent explain bce --y 1 0 1 --logits 2 -1 0.5\n", _bce
    )
    p.add_argument("--y", nargs="+", required=True, metavar="Y", help="outcomes in [0, 1]")
    p.add_argument("--logits", nargs="+", required=True, metavar="Z", help="scores, p = sigma(z)")
    p = _add_topic(
        topics,
        "categorical",
        summaries["categorical"],
        "  xent explain categorical --y 0 2 --p 0.7 0.2 0.1 --p 0.1 0.3 0.6\n",
        _categorical,
    )
    p.add_argument("--y", nargs="+", type=int, required=True, metavar="K", help="class labels")
    p.add_argument(
        "--p",
        nargs="+",
        action="append",
        required=True,
        metavar="Q",
        help="predicted probabilities of one example (repeat per example)",
    )
    p = _add_topic(
        topics,
        "softmax-gradient",
        summaries["softmax-gradient"],
        "  xent explain softmax-gradient 1 2 3 --label 2\n",
        _softmax_gradient,
    )
    p.add_argument("values", nargs="+", metavar="Z", help="the logits z_0 ... z_(K-1)")
    p.add_argument("--label", type=int, required=True, help="the true class, from 0")
    p = _add_topic(
        topics,
        "newton-step",
        summaries["newton-step"],
        "  xent explain newton-step                  # the Challenger flights\n"
        "  xent explain newton-step --x 1 2 3 4 5 --y 0 0 1 0 1 --theta 0 3\n",
        _newton_step,
    )
    p.add_argument("--x", nargs="+", metavar="X", help="one feature per example")
    p.add_argument("--y", nargs="+", metavar="Y", help="outcomes in [0, 1], with --x")
    p.add_argument("--theta", nargs="+", metavar="T", help="starting point: intercept, weight")


def register(subparsers: Any) -> None:
    """Add ``xent explain`` and its topics."""
    from ..explain import explain

    summaries = explain.topics()
    parser = subparsers.add_parser(
        "explain",
        help="worked derivations: the measures, the losses, likelihood, a Newton step",
        description="Worked derivations, from information to a Newton step, with your numbers "
        "(xent explain --list names the topics). Every number is computed by the library.",
        epilog="examples:\n"
        "  xent explain --list\n"
        "  xent explain kl 0.5 0.5 --q 1 0\n"
        "  xent explain softmax-gradient 1 2 3 --label 2 --format latex\n"
        "  xent explain dice\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--list", action="store_true", help="list the topics and exit")
    topics = parser.add_subparsers(dest="topic", metavar="TOPIC")
    _register_measures(topics, summaries)
    _register_learning(topics, summaries)
    parser.set_defaults(handler=run_explain, format="text")
