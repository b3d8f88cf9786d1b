"""``xent challenger``: would you launch at 31 °F?  Logistic regression on the O-rings.

Fits "any O-ring distress ~ launch temperature" (or, with ``--binomial``, the
distressed O-rings out of 6) by maximum likelihood on the 23 flights before the
accident, prints the statsmodels-style summary and the failure probability at the
forecast temperature with its delta-method interval, and saves the figure.
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_OUT = os.path.join("xent-out", "challenger.png")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``challenger`` sub-command."""
    p = subparsers.add_parser(
        "challenger",
        help="logistic regression of O-ring distress on launch temperature (Challenger)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    p.add_argument(
        "--at",
        type=float,
        default=31.0,
        metavar="TEMP_F",
        help="temperature (°F) to predict at (default: 31, the forecast)",
    )
    p.add_argument(
        "--level",
        type=float,
        default=0.95,
        help="confidence level of the intervals (default: 0.95)",
    )
    p.add_argument(
        "--binomial",
        action="store_true",
        help="model the distressed O-rings out of 6 instead of any distress",
    )
    p.add_argument(
        "--out",
        default=DEFAULT_OUT,
        metavar="FILE.png",
        help=f"where to save the figure (default: {DEFAULT_OUT})",
    )
    p.add_argument("--no-plot", action="store_true", help="do not draw the figure")
    p.set_defaults(handler=run_challenger)


def _probability(p: float) -> str:
    """0.4816, or 1 - 1.4e-07 for a probability that four decimals would round to 1."""
    if p > 0.99995:
        return f"1 - {1 - p:.2g}"
    if 0 < p < 5e-5:
        return f"{p:.2g}"
    return f"{p:.4f}"


def run_challenger(args: argparse.Namespace) -> int:
    """Fit, print the summary and the prediction, save the figure."""
    import numpy as np

    from ..datasets import fit_challenger, load_challenger

    if not 0.0 < args.level < 1.0:
        raise ValueError(f"`--level` must be in (0, 1), e.g. 0.95; got {args.level}")
    d = load_challenger()
    model = fit_challenger(binomial=args.binomial)
    if args.binomial:
        event = "P(an O-ring shows distress"
        title = "distressed O-rings of 6 ~ temperature"
    else:
        event = "P(O-ring distress"
        title = "any O-ring distress ~ temperature"
    print(f"Challenger O-rings, {len(d)} flights: {title}")
    print(model.summary(alpha=1 - args.level, feature_names=["temp_f"]))
    band = model.predict_proba(np.array([[args.at]]), interval=args.level)
    p, lo, hi = band.proba[0, 1], band.lower[0, 1], band.upper[0, 1]
    print(
        f"{event} at {args.at:g} °F) = {p:.5f}, {args.level:.0%} interval "
        f"{_probability(lo)} to {_probability(hi)}"
    )
    coldest = float(d.temp_f.min())
    if args.at < coldest:
        print(
            f"note: {args.at:g} °F is {coldest - args.at:g} °F below the coldest launch "
            f"({coldest:g} °F): an extrapolation, hence the wide interval."
        )
    if not args.no_plot:
        from ..plotting import plot_challenger
        from ._files import save_figure

        fig = plot_challenger(model, binomial=args.binomial, at=args.at, interval=args.level)
        path = save_figure(fig, args.out, dpi=120, default_name="challenger.png")
        print(f"figure saved to {path}")
    sys.stdout.flush()
    return 0
