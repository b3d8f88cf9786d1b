"""Progress of a long fit on the command line: a bar, and Ctrl-C turned into a clean stop."""

from __future__ import annotations

import contextlib
import signal
import sys
from typing import Any

__all__ = ["Progress"]


class Progress:
    """A tqdm bar over epochs (or iterations), and Ctrl-C turned into a clean stop.

    Pass :meth:`callback` as the estimator's ``callback``.  The first Ctrl-C asks the
    fit to stop after the current epoch (the callback returns True); a second one
    raises ``KeyboardInterrupt`` at once (the model still keeps what it learned).
    Both end with ``interrupted`` set.
    """

    def __init__(self, total: int, done: int, unit: str, quiet: bool) -> None:
        from tqdm import tqdm

        self.interrupted = False
        self._bar = tqdm(
            total=total,
            initial=done,
            unit=unit,
            desc="training",
            disable=True if quiet else None,  # None: only on a terminal
            file=sys.stderr,
            dynamic_ncols=True,
        )
        self._previous: Any = None

    def callback(self, record: dict[str, float]) -> bool:
        self._bar.update(1)
        shown = {"loss": record.get("loss"), "val_acc": record.get("val_accuracy")}
        self._bar.set_postfix({k: f"{v:.4f}" for k, v in shown.items() if v is not None})
        if self.interrupted:
            self._bar.write("Ctrl-C: stopping here and saving", file=sys.stderr)
        return self.interrupted

    def _on_sigint(self, signum: int, frame: Any) -> None:
        # Only a flag: writing from a signal handler could re-enter a write in progress.
        self.interrupted = True
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the next one is at once

    def __enter__(self) -> Progress:
        with contextlib.suppress(ValueError):  # not the main thread: no handler
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        if exc_type is KeyboardInterrupt:
            self.interrupted = True
        self._bar.close()
