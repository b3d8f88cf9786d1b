"""What ``xent train`` and ``xent evaluate`` print and write: tables, the confusion
matrix as text, the history as CSV and JSON, the run's summary and the figures."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._files import save_figure, write_text

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..datasets import ImageDataset, ImageSplit
    from ..models import SoftmaxRegression
    from ..optim import History

__all__ = [
    "Results",
    "TrainingRun",
    "confusion_text",
    "final_table",
    "history_table",
    "print_results",
    "results_of",
    "write_outputs",
]


@dataclass(frozen=True)
class TrainingRun:
    """A finished or interrupted ``xent train`` run: what is reported and saved."""

    model: SoftmaxRegression
    dataset: ImageDataset
    data: ImageSplit
    settings: dict[str, Any]
    interrupted: bool
    seconds: float
    load_seconds: float

    @property
    def status(self) -> str:
        return "interrupted" if self.interrupted else str(self.model.stop_reason_)

    def metadata(self) -> dict[str, Any]:
        """The run's description, saved with the model and in ``summary.json``."""
        ds = self.dataset
        return {
            "settings": self.settings,
            "dataset": {
                "kind": ds.kind,
                "image_shape": list(ds.image_shape),
                "pixel_max": int(ds.pixel_max),
                "class_names": list(ds.class_names),
                "source": ds.source,
            },
            "interrupted": self.interrupted,
            "done": len(self.model.history_),
            "train_seconds": self.seconds,
        }


@dataclass(frozen=True)
class Results:
    """Loss and accuracy on the training, validation and test sets, and the test
    confusion matrix."""

    sets: dict[str, dict[str, float]]
    confusion: NDArray[Any]


def results_of(run: TrainingRun) -> Results:
    """Evaluate the run's model on its three sets (an empty one has no numbers)."""
    from ..models import evaluate

    def scores(X: Any, y: Any) -> dict[str, float]:
        if len(y) == 0:
            return {"loss": math.nan, "accuracy": math.nan}
        e = evaluate(run.model, X, y)
        return {"loss": e.loss, "accuracy": e.accuracy}

    d = run.data
    test = evaluate(run.model, d.X_test, d.y_test)
    sets = {
        "training": scores(d.X_train, d.y_train),
        "validation": scores(d.X_val, d.y_val),
        "test": {"loss": test.loss, "accuracy": test.accuracy},
    }
    return Results(sets, test.confusion_matrix)


# ---------------------------------------------------------------------- text


def _pct(x: float) -> str:
    return "-" if x != x else f"{x:.2%}"


def _num(x: float | None, digits: int = 4) -> str:
    return "-" if x is None or x != x else f"{x:.{digits}f}"


def _columns(history: History) -> list[tuple[str, str, int]]:
    """(key, title, digits) of the table's columns: -1 percent, -2 scientific."""
    unit = history.unit
    cols: list[tuple[str, str, int]] = [(unit, unit, 0)]
    if unit == "epoch":
        cols += [("loss", "train loss", 4), ("accuracy", "train acc", -1)]
        cols += [("val_loss", "val loss", 4), ("val_accuracy", "val acc", -1)]
        cols += [("learning_rate", "lr", 4)]
    else:
        cols += [("loss", "objective", 6), ("grad_norm", "max |grad|", -2)]
    cols += [("time", "seconds", 3)]
    keys = history.keys()
    return [c for c in cols if c[0] in keys or c[0] == unit]


def _cell(value: float, digits: int) -> str:
    if digits == -1:
        return _pct(value)
    if digits == -2:
        return "-" if value != value else f"{value:.2e}"
    return _num(value, digits)


def history_table(history: History, max_rows: int = 30) -> str:
    """The per-epoch (or per-iteration) table; long histories show evenly spaced rows."""
    records = history.records
    if not records:
        return "(no complete epoch)"
    unit = history.unit
    cols = _columns(history)
    rows = list(range(len(records)))
    if len(rows) > max_rows:
        step = math.ceil(len(rows) / (max_rows - 1))
        rows = sorted(set(rows[::step]) | {len(records) - 1})
    lines = []
    for i in rows:
        rec = records[i]
        lines.append(
            [
                str(int(rec.get(unit, i + 1))) if key == unit else _cell(rec.get(key, math.nan), d)
                for key, _, d in cols
            ]
        )
    header = [title for _, title, _ in cols]
    widths = [max(len(h), *(len(r[j]) for r in lines)) for j, h in enumerate(header)]
    out = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in lines]
    if len(rows) < len(records):
        out.append(f"({len(rows)} of {len(records)} rows shown; all in history.csv)")
    return "\n".join(out)


def confusion_text(cm: Any, class_names: list[str]) -> str:
    """Rows: true class, columns: predicted class; names longer than 3 get a legend."""
    k = len(cm)
    short = all(len(n) <= 3 for n in class_names)
    labels = class_names if short else [str(i) for i in range(k)]
    width = max(4, *(len(f"{v}") for v in cm.ravel()), *(len(lab) for lab in labels))
    lab_w = max(len(lab) for lab in labels)
    lines = [" " * (lab_w + 2) + " ".join(lab.rjust(width) for lab in labels) + "   <- predicted"]
    for i in range(k):
        lines.append(labels[i].rjust(lab_w) + "  " + " ".join(f"{v}".rjust(width) for v in cm[i]))
    if not short:
        lines.append("classes: " + ", ".join(f"{i} {n}" for i, n in enumerate(class_names)))
    return "\n".join(lines)


def final_table(results: dict[str, dict[str, float]]) -> str:
    """Loss (nats) and accuracy, one row per set."""
    lines = [f"{'':<12}{'loss (nats)':>12}{'accuracy':>10}"]
    for name, r in results.items():
        lines.append(f"{name:<12}{_num(r['loss']):>12}{_pct(r['accuracy']):>10}")
    return "\n".join(lines)


def print_results(run: TrainingRun, results: Results, *, quiet: bool) -> None:
    """The per-epoch table (unless ``quiet``), the three sets and the confusion matrix."""
    history = run.model.history_
    if not quiet:
        print(history_table(history))
        print()
    d, ds = run.data, run.dataset
    print(
        f"{ds.title}: {len(d.y_train)} training, {len(d.y_val)} validation, "
        f"{len(d.y_test)} test images; {run.settings['solver']}, {len(history)} "
        f"{history.unit}s ({run.status}) in {run.seconds:.3f} s (data loaded in "
        f"{run.load_seconds:.2f} s)"
    )
    print(final_table(results.sets))
    print(f"\ntest accuracy {_pct(results.sets['test']['accuracy'])}")
    print("confusion matrix (test images; rows: true class, columns: predicted class)")
    print(confusion_text(results.confusion, list(ds.class_names)))


# ---------------------------------------------------------------------- files


def write_history(history: History, out: Path) -> None:
    """``history.csv`` and ``history.json`` in ``out``."""
    keys = history.keys()
    table = io.StringIO(newline="")
    writer = csv.writer(table)
    writer.writerow(keys)
    for rec in history.records:
        writer.writerow(["" if k not in rec else repr(float(rec[k])) for k in keys])
    write_text(out / "history.csv", table.getvalue())
    data = {
        "unit": history.unit,
        "stop_reason": history.stop_reason,
        "records": [
            {k: (v if math.isfinite(v) else None) for k, v in rec.items()}
            for rec in history.records
        ],
    }
    write_text(out / "history.json", json.dumps(data, indent=1) + "\n")


def _figures(run: TrainingRun, cm: Any, out: Path) -> list[str]:
    from ..plotting import plot_confusion_matrix, plot_learning_curves, plot_weight_images

    model, ds = run.model, run.dataset
    names = list(ds.class_names)
    title = f"{ds.title}, {run.settings['solver']}"
    figures = [
        ("learning_curves.png", lambda: plot_learning_curves(model, title=title)),
        ("weights.png", lambda: plot_weight_images(model, ds.image_shape, class_names=names)),
        ("confusion_matrix.png", lambda: plot_confusion_matrix(cm, class_names=names)),
    ]
    written = []
    for name, draw in figures:
        if name == "learning_curves.png" and not model.history_.records:
            continue
        save_figure(draw(), out / name, dpi=110)
        written.append(name)
    return written


def write_outputs(run: TrainingRun, results: Results, out: Path, *, plots: bool) -> list[str]:
    """``history.csv``, ``history.json``, ``summary.json`` and (``plots``) the figures."""
    write_history(run.model.history_, out)
    summary = {
        **run.metadata(),
        "stop_reason": run.status,
        "results": results.sets,
        "confusion_matrix": results.confusion.tolist(),
        "load_seconds": run.load_seconds,
    }
    text = json.dumps(summary, indent=1, default=lambda v: None, allow_nan=True)
    write_text(out / "summary.json", text.replace("NaN", "null") + "\n")
    files = ["history.csv", "history.json", "summary.json"]
    if plots:
        files += _figures(run, results.confusion, out)
    return files
