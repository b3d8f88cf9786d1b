"""``xent train``: fit a softmax regression to images by minimising cross-entropy.

Loads the data (the embedded 8 x 8 digits by default, MNIST or Fashion-MNIST on
request), holds out a validation share of the training images, trains
:class:`~crossentropy.models.SoftmaxRegression` with a progress bar, prints the
per-epoch table, the final loss and accuracy on the training, validation and
test images and the test confusion matrix, and writes the model, its history and
three figures to ``--out``.

Ctrl-C stops at the end of the current epoch (a second Ctrl-C at once), saves
what was learned and exits with status 130; ``--resume`` continues that run.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._threads import limit_threads
from .._validation import check_integer, check_number
from . import UsageError
from ._data import DATASETS, load_dataset
from ._progress import Progress
from ._report import TrainingRun, print_results, results_of, write_outputs

if TYPE_CHECKING:
    from ..datasets import ImageSplit
    from ..models import SoftmaxRegression

__all__ = ["register", "run_train"]

DEFAULT_OUT = "xent-out"
MODEL_FILE = "model.npz"
SOLVERS = ("sgd", "lbfgs", "newton")
SCHEDULES = ("linear", "constant", "inverse", "exponential")
# Epochs of SGD per data set: enough for the linear schedule to pass 92% test
# accuracy on MNIST with 20% of the training images held out (2 epochs: 92.1-92.3%
# over seeds, 1 epoch: 91.8-92.0%), and 93% on the digits (50 epochs of 9 batches).
DEFAULT_EPOCHS = {"digits": 50, "mnist": 2, "fashion-mnist": 2}
DEFAULT_ITERATIONS = 100
# Fashion-MNIST's images carry about twice MNIST's ink (mean squared norm 162 against
# 88), so the curvature is twice as large and a rate of 2 diverges there.
DEFAULT_LR = {"digits": 2.0, "mnist": 2.0, "fashion-mnist": 1.0}


# ---------------------------------------------------------------------- the parser


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``train`` sub-command."""
    p = subparsers.add_parser(
        "train",
        help="train a softmax regression on images (digits, MNIST, Fashion-MNIST)",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog=(
            "Data: --dataset digits (the default) is scikit-learn's 8 x 8 digits, shipped "
            "with it: no file, no network. --dataset mnist or fashion-mnist reads the four "
            "IDX files from --data-home DIR (DIR or DIR/mnist), else $CROSSENTROPY_DATA, "
            "else the user cache (~/.cache/crossentropy), downloading them there (11 MB, "
            "SHA-256 checked) unless --no-download; when that fails it says how to get "
            "them and stops with exit status 1 (--fallback-digits trains on the digits "
            "instead). Pixels are divided by their maximum "
            "(float32 in [0, 1]). Outputs in --out: model.npz (arrays + JSON, no pickle; "
            "`xent evaluate` and `xent predict` read it), history.csv, history.json, "
            "summary.json, learning_curves.png, weights.png, confusion_matrix.png. "
            "Exit status: 0 done, 1 data set not available, 2 bad input, 130 interrupted "
            "by Ctrl-C or SIGTERM (model saved)."
        ),
    )
    p.add_argument(
        "--dataset",
        choices=DATASETS,
        default=None,
        help="digits (default, embedded), mnist or fashion-mnist (28 x 28, 10 classes)",
    )
    p.add_argument(
        "--fallback-digits",
        action="store_true",
        help="when MNIST or Fashion-MNIST cannot be had, train on the embedded digits "
        "(default: stop with exit status 1 and say how to get them)",
    )
    p.add_argument(
        "--solver",
        choices=SOLVERS,
        default=None,
        help="sgd (default): mini-batch SGD; lbfgs: the exact (penalised) maximum-likelihood "
        "fit; newton: exact, for small models (the digits; not MNIST's 7850 parameters)",
    )
    p.add_argument(
        "--epochs",
        type=int,
        default=None,
        metavar="N",
        help=f"epochs of sgd (default {DEFAULT_EPOCHS['mnist']} for MNIST and Fashion-MNIST, "
        f"{DEFAULT_EPOCHS['digits']} for the digits) or iterations of lbfgs/newton (default "
        f"{DEFAULT_ITERATIONS}); with --resume, the total to reach (a longer run "
        "stretches the linear schedule to the new total: its rate goes back up, a warm "
        "restart)",
    )
    p.add_argument("--batch-size", type=int, default=None, metavar="B", help="sgd (default 128)")
    p.add_argument(
        "--lr",
        type=float,
        default=None,
        help="sgd learning rate at the start (default 2; 1 for Fashion-MNIST)",
    )
    p.add_argument(
        "--schedule",
        choices=SCHEDULES,
        default=None,
        help="sgd learning-rate schedule (default linear: falls with every mini-batch step "
        "to 0 at the end of the last epoch, which reaches a given accuracy in the fewest "
        "epochs)",
    )
    p.add_argument("--momentum", type=float, default=None, help="sgd momentum (default 0)")
    p.add_argument(
        "--l2",
        type=float,
        default=None,
        help="penalty (l2 / 2) * ||W||^2 added to the mean loss (default 0; scikit-learn's "
        "C is 1 / (n * l2))",
    )
    p.add_argument(
        "--validation",
        type=float,
        default=None,
        metavar="FRACTION",
        help="share of the training images held out for validation, in [0, 1) "
        "(default 0.2; 0 keeps them all)",
    )
    p.add_argument(
        "--seed", type=int, default=None, help="seed of the split and the shuffling (default 0)"
    )
    p.add_argument(
        "--out",
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"folder for the model, history and figures (default {DEFAULT_OUT})",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help=f"continue the run saved in --out ({MODEL_FILE}) with its own settings: "
        "the SGD schedule, momentum and shuffling carry on where they stopped",
    )
    p.add_argument("--data-home", default=None, metavar="DIR", help="folder with the IDX files")
    p.add_argument(
        "--no-download", action="store_true", help="never download (use the files or fall back)"
    )
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for BLAS and the loss kernels (default: all the process may use)",
    )
    p.add_argument("--no-plots", action="store_true", help="write no figures")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no per-epoch table")
    p.set_defaults(handler=run_train)


# ---------------------------------------------------------------------- settings


@dataclass
class Settings:
    """What defines a run; saved with the model so that ``--resume`` can rebuild it."""

    dataset: str
    solver: str
    epochs: int
    batch_size: int
    lr: float
    schedule: str
    momentum: float
    l2: float
    validation: float
    seed: int


_RUN_OPTIONS = ("dataset", "solver", "batch_size", "lr", "schedule", "momentum", "l2")


def _settings(args: argparse.Namespace) -> Settings:
    dataset = args.dataset or "digits"
    solver = args.solver or "sgd"
    sgd_only = ("batch_size", "lr", "schedule", "momentum")
    if solver != "sgd":
        given = [f"--{o.replace('_', '-')}" for o in sgd_only if getattr(args, o) is not None]
        if given:
            raise UsageError(f"{', '.join(given)} apply to --solver sgd only; got {solver}")
    epochs = args.epochs
    if epochs is None:
        epochs = DEFAULT_EPOCHS[dataset] if solver == "sgd" else DEFAULT_ITERATIONS
    s = Settings(
        dataset=dataset,
        solver=solver,
        epochs=epochs,
        batch_size=128 if args.batch_size is None else args.batch_size,
        lr=DEFAULT_LR[dataset] if args.lr is None else args.lr,
        schedule=args.schedule or "linear",
        momentum=0.0 if args.momentum is None else args.momentum,
        l2=0.0 if args.l2 is None else args.l2,
        validation=0.2 if args.validation is None else args.validation,
        seed=0 if args.seed is None else args.seed,
    )
    _check(s)
    return s


def _check(s: Settings) -> None:
    check_integer(s.epochs, "--epochs", low=1)
    check_integer(s.batch_size, "--batch-size", low=1)
    check_number(s.lr, "--lr", low=0.0, low_open=True)
    check_number(s.momentum, "--momentum", low=0.0, high=1.0, high_open=True)
    check_number(s.l2, "--l2", low=0.0)
    check_number(s.validation, "--validation", low=0.0, high=1.0, high_open=True)
    check_integer(s.seed, "--seed", low=0)
    for option, value, allowed in (
        ("--dataset", s.dataset, DATASETS),
        ("--solver", s.solver, SOLVERS),
        ("--schedule", s.schedule, SCHEDULES),
    ):
        if value not in allowed:
            raise UsageError(f"{option} must be one of {', '.join(allowed)}; got {value!r}")


def _model(s: Settings) -> SoftmaxRegression:
    from ..models import SoftmaxRegression

    model = SoftmaxRegression(solver=s.solver, l2=s.l2, max_iter=s.epochs, random_state=s.seed)
    if s.solver == "sgd":
        model.set_params(
            learning_rate=s.lr, batch_size=s.batch_size, schedule=s.schedule, momentum=s.momentum
        )
    return model


# ---------------------------------------------------------------------- training


def _fit(
    model: SoftmaxRegression, data: ImageSplit, s: Settings, quiet: bool, done: int, title: str
) -> tuple[bool, float]:
    """Train, or (``done`` > 0) continue the run to ``s.epochs``; (interrupted, seconds)."""
    from sklearn.exceptions import ConvergenceWarning

    unit = "epoch" if s.solver == "sgd" else "it"
    progress = Progress(s.epochs, done, unit, quiet)
    validation = {"validation_data": (data.X_val, data.y_val)} if len(data.y_val) else {}
    # A run continued (--resume) goes on where it stopped, to the total budget.
    model.set_params(callback=progress.callback, warm_start=done > 0, max_iter=s.epochs)
    with progress, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if not quiet:  # printed once Ctrl-C is handled, so that it can be relied on
            what = "epochs" if s.solver == "sgd" else "iterations"
            start_at = f" from {done}" if done else ""
            print(
                f"training {s.solver} on {title}: {len(data.y_train)} images, "
                f"{s.epochs} {what}{start_at} (Ctrl-C stops and saves)",
                flush=True,
            )
        start = time.perf_counter()
        try:
            model.fit(data.X_train, data.y_train, **(validation if s.solver == "sgd" else {}))
        except KeyboardInterrupt:
            progress.interrupted = True  # the model kept what it learned
    seconds = time.perf_counter() - start
    model.set_params(callback=None, warm_start=False)
    for w in caught:
        # A fixed epoch budget (SGD) ends by design; exact solvers report it.
        if issubclass(w.category, ConvergenceWarning) and s.solver != "sgd":
            if not progress.interrupted:
                print(f"note: {w.message}", file=sys.stderr)
    return progress.interrupted, seconds


def _out_dir(path: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {out}: {exc}") from None
    return out


def _report_and_save(run: TrainingRun, out: Path, args: argparse.Namespace) -> None:
    from ..models import save_model

    results = results_of(run)
    print_results(run, results, quiet=args.quiet)
    save_model(run.model, out / MODEL_FILE, metadata={"cli": run.metadata()})
    files = [MODEL_FILE, *write_outputs(run, results, out, plots=not args.no_plots)]
    print(f"\nwrote {', '.join(files)} to {out}")


# ---------------------------------------------------------------------- the command


@contextlib.contextmanager
def _term_as_interrupt() -> Iterator[None]:
    """SIGTERM (``timeout``, ``docker stop``, a batch scheduler) stops training as
    Ctrl-C does: the run so far is saved and ``--resume`` continues it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_train(args: argparse.Namespace) -> int:
    """Train, report and save; 130 when interrupted (Ctrl-C or SIGTERM, after saving)."""
    with limit_threads(args.threads, name="--threads"), _term_as_interrupt():
        if args.resume:
            return _resume(args)
        s = _settings(args)
        out = _out_dir(args.out)
        ds, load_seconds = load_dataset(
            s.dataset,
            args.data_home,
            not args.no_download,
            quiet=args.quiet,
            fallback=args.fallback_digits,
        )
        if ds.kind != s.dataset:
            s.dataset = ds.kind  # fell back to the digits
            if args.epochs is None and s.solver == "sgd":
                s.epochs = DEFAULT_EPOCHS[ds.kind]
            if args.lr is None:
                s.lr = DEFAULT_LR[ds.kind]
        data = ds.split(s.validation, s.seed)
        model = _model(s)
        interrupted, seconds = _fit(model, data, s, args.quiet, 0, ds.title)
        run = TrainingRun(model, ds, data, asdict(s), interrupted, seconds, load_seconds)
        return _finish(run, out, args)


def _finish(run: TrainingRun, out: Path, args: argparse.Namespace) -> int:
    if not hasattr(run.model, "coef_"):
        print("xent train: interrupted before the first update; nothing saved", file=sys.stderr)
        return 130
    _report_and_save(run, out, args)
    history = run.model.history_
    if run.interrupted:
        print(
            f"xent train: interrupted after {len(history)} of {run.settings['epochs']} "
            f"{history.unit}s; the model so far is saved. Continue with: "
            f"xent train --resume --out {out}",
            file=sys.stderr,
        )
        return 130
    if run.dataset.kind == "digits" and args.dataset is None:
        print(
            "next: `xent train --dataset mnist` trains on MNIST (60000 images of 28 x 28; "
            "downloaded once, 11 MB, or read from --data-home DIR)"
        )
    return 0


def _saved_run(args: argparse.Namespace) -> tuple[SoftmaxRegression, Settings]:
    """The model and settings of the run saved in ``--out``."""
    from ..models import SoftmaxRegression, load_model

    given = [
        f"--{o.replace('_', '-')}"
        for o in (*_RUN_OPTIONS, "validation", "seed")
        if getattr(args, o, None) is not None
    ]
    if given:
        raise UsageError(
            f"{', '.join(given)} cannot change a saved run; --resume keeps its settings "
            "(only --epochs, --out, --data-home, --no-download, --threads, --quiet and "
            "--no-plots apply)"
        )
    path = Path(args.out) / MODEL_FILE
    if not path.exists():
        raise UsageError(f"nothing to resume: no {MODEL_FILE} in {args.out}; train first")
    model, meta = load_model(path, return_metadata=True)
    cli = meta.get("cli")
    if not isinstance(model, SoftmaxRegression) or not (
        isinstance(cli, dict) and isinstance(cli.get("settings"), dict)
    ):
        raise UsageError(f"{path} was not saved by `xent train`; it has no run settings")
    try:
        s = Settings(**cli["settings"])
        _check(s)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{path}: invalid run settings ({exc})") from None
    return model, s


def _resume(args: argparse.Namespace) -> int:
    model, s = _saved_run(args)
    done = len(model.history_)
    total = s.epochs if args.epochs is None else args.epochs
    unit = model.history_.unit
    if total <= done:
        raise UsageError(
            f"nothing to resume: the run in {args.out} has done {done} of {s.epochs} {unit}s; "
            f"pass --epochs N with N > {done} to train further"
        )
    # A longer budget stretches the linear schedule's horizon to the new total.
    planned = s.epochs
    s.epochs = total
    if s.solver == "sgd" and s.schedule == "linear" and total > planned and not args.quiet:
        restart = s.lr * (1 - done / total)
        reached = "reached 0" if done >= planned else f"was to reach 0 after epoch {planned}"
        print(
            f"note: the linear learning-rate schedule {reached}; stretched to {total} "
            f"epochs, the rate goes back up to {restart:.4g} at epoch {done + 1} and falls "
            f"to 0 again at epoch {total} (a warm restart)",
            file=sys.stderr,
        )
    ds, load_seconds = load_dataset(s.dataset, args.data_home, not args.no_download, quiet=True)
    data = ds.split(s.validation, s.seed)
    interrupted, seconds = _fit(model, data, s, args.quiet, done, ds.title)
    run = TrainingRun(model, ds, data, asdict(s), interrupted, seconds, load_seconds)
    return _finish(run, Path(args.out), args)
