"""Tests of the tables and files that ``xent train`` and ``xent evaluate`` write."""

from __future__ import annotations

import math

import numpy as np

from crossentropy.cli._report import confusion_text, final_table, history_table
from crossentropy.optim import History


def test_history_table_of_epochs_with_missing_entries() -> None:
    h = History("epoch")
    h.append(epoch=1, loss=0.5, accuracy=0.81234, learning_rate=2.0, time=0.05)
    h.append(epoch=2, loss=0.25, accuracy=math.nan, learning_rate=1.0, time=0.1)
    lines = history_table(h).splitlines()
    assert lines[0].split() == ["epoch", "train", "loss", "train", "acc", "lr", "seconds"]
    assert lines[1].split() == ["1", "0.5000", "81.23%", "2.0000", "0.050"]
    assert lines[2].split() == ["2", "0.2500", "-", "1.0000", "0.100"]
    assert history_table(History("epoch")) == "(no complete epoch)"


def test_long_histories_show_evenly_spaced_rows_and_the_last() -> None:
    h = History("iteration")
    for i in range(1, 101):
        h.append(iteration=i, loss=1.0 / i, grad_norm=10.0**-i)
    lines = history_table(h, max_rows=30).splitlines()
    shown = [int(line.split()[0]) for line in lines[1:-1]]
    assert shown[0] == 1 and shown[-1] == 100 and len(shown) <= 30
    assert np.unique(np.diff(shown[:-1])).tolist() == [4]  # every 4th, then the last
    assert lines[-1] == f"({len(shown)} of 100 rows shown; all in history.csv)"
    assert lines[0].split() == ["iteration", "objective", "max", "|grad|"]
    assert lines[1].split() == ["1", "1.000000", "1.00e-01"]


def test_confusion_text_with_short_and_long_class_names() -> None:
    cm = np.array([[5, 0], [12, 1003]])
    text = confusion_text(cm, ["0", "1"]).splitlines()
    assert text[0].split() == ["0", "1", "<-", "predicted"]
    assert text[2].split() == ["1", "12", "1003"]
    named = confusion_text(cm, ["T-shirt/top", "Trouser"]).splitlines()
    assert named[-1] == "classes: 0 T-shirt/top, 1 Trouser"


def test_final_table_shows_missing_numbers_as_dashes() -> None:
    sets = {
        "training": {"loss": 0.25, "accuracy": 0.9},
        "validation": {"loss": math.nan, "accuracy": math.nan},
    }
    text = final_table(sets).splitlines()
    assert text[1].split() == ["training", "0.2500", "90.00%"]
    assert text[2].split() == ["validation", "-", "-"]
