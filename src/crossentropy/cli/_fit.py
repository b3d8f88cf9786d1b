"""``xent fit DATA --formula "y ~ x1 + x2" --model logistic``: a fit of a file read in blocks.

DATA is a CSV or Parquet file (read in batches through pyarrow; the formula
through formulaic: categorical terms ``C(g)``, interactions ``x1:x2``) or a
``.npy`` file of features with ``--target FILE.npy``.  The fit reads the file
once per iteration (:func:`crossentropy.blocks.fit_blocks`), shows a progress bar
over the iterations, prints the summary and saves the model
(:func:`crossentropy.models.save_model`).  Ctrl-C stops after the current pass
and saves the last whole iterate.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

from . import UsageError

MODELS = ("logistic", "softmax", "linear")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fit`` sub-command."""
    p = subparsers.add_parser(
        "fit",
        help="fit a linear, logistic or softmax regression to a file read in blocks",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    p.add_argument("data", metavar="DATA", help="a .csv, .parquet or .npy file")
    p.add_argument("--formula", default=None, help='e.g. "y ~ x1 + x2 + C(group)"')
    p.add_argument("--target", default=None, metavar="FILE.npy", help="targets of a .npy DATA")
    p.add_argument("--model", choices=MODELS, default="logistic")
    p.add_argument("--solver", choices=("newton", "lbfgs"), default="newton")
    p.add_argument("--block-rows", type=int, default=65536, metavar="N", help="rows per block")
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="a dask.distributed scheduler: the workers read DATA (CSV or Parquet, a "
        "formula of column names) and sum the blocks",
    )
    p.add_argument("--out", default="model.npz", metavar="FILE.npz", help="where to save")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=run_fit)


def _source(args: argparse.Namespace) -> Any:
    from ..blocks import ArrowBlocks, NpyBlocks

    path = Path(args.data)
    if not path.is_file():
        raise UsageError(f"DATA: no such file {str(path)!r}")
    if path.suffix.lower() == ".npy":
        if args.target is None or args.formula is not None:
            raise UsageError("a .npy DATA takes --target FILE.npy (and no --formula)")
        return NpyBlocks(path, args.target, block_rows=args.block_rows)
    if args.formula is None:
        raise UsageError('a CSV or Parquet DATA takes --formula "target ~ terms"')
    return ArrowBlocks(path, formula=args.formula, block_rows=args.block_rows)


def run_fit(args: argparse.Namespace) -> int:
    from sklearn.exceptions import ConvergenceWarning

    from ..blocks import fit_blocks
    from ..models import LinearRegression, LogisticRegression, SoftmaxRegression, save_model
    from ._progress import Progress

    source = None if args.scheduler else _source(args)
    model_class = {
        "logistic": LogisticRegression,
        "softmax": SoftmaxRegression,
        "linear": LinearRegression,
    }[args.model]
    model = model_class(solver=args.solver)
    progress = Progress(model.max_iter, 0, "it", args.quiet)
    model.set_params(callback=progress.callback)
    with progress, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            if args.scheduler:
                _fit_on_cluster(model, args)
            else:
                fit_blocks(model, source)
        except KeyboardInterrupt:
            if "_fit_state" not in model.__dict__:
                raise
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    model.set_params(callback=None)
    print(model.summary())
    saved = save_model(model, args.out)
    print(f"saved {saved}")
    return 130 if progress.interrupted else 0


def _fit_on_cluster(model: Any, args: argparse.Namespace) -> None:
    """Read DATA with dask.dataframe on the scheduler's workers and fit there."""
    from ..blocks import fit_dask

    formula = args.formula or ""
    lhs, _, rhs = formula.partition("~")
    terms = [t.strip() for t in rhs.split("+")]
    if not lhs.strip().isidentifier() or not all(t.isidentifier() for t in terms):
        raise UsageError(
            '--scheduler takes --formula "target ~ col1 + col2" (column names only); '
            f"got {formula!r}"
        )
    try:
        import dask.dataframe as dd
        from distributed import Client
    except ModuleNotFoundError as error:
        raise UsageError(
            "--scheduler needs the dask extra: pip install 'crossentropy[dask]'"
        ) from error
    path = Path(args.data)
    reader = {".csv": dd.read_csv, ".parquet": dd.read_parquet, ".pq": dd.read_parquet}
    if path.suffix.lower() not in reader:
        raise UsageError(f"--scheduler reads .csv or .parquet DATA; got {str(path)!r}")
    with Client(args.scheduler):
        frame = reader[path.suffix.lower()](str(path))
        fit_dask(model, frame[terms], frame[lhs.strip()])
