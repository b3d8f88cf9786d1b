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
    Both end with ``interrupted`` set.  SIGTERM (``timeout``, ``docker stop``, a batch
    scheduler) is taken as Ctrl-C.
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
        self._previous: dict[int, Any] = {}
        self._signal_name = "Ctrl-C"

    def callback(self, record: dict[str, float]) -> bool:
        self._bar.update(1)
        shown = {"loss": record.get("loss"), "val_acc": record.get("val_accuracy")}
        self._bar.set_postfix({k: f"{v:.4f}" for k, v in shown.items() if v is not None})
        if self.interrupted:
            self._bar.write(f"{self._signal_name}: stopping here and saving", file=sys.stderr)
        return self.interrupted

    def _on_sigint(self, signum: int, frame: Any) -> None:
        # Only a flag: writing from a signal handler could re-enter a write in progress.
        self.interrupted = True
        if signum == signal.SIGTERM:
            self._signal_name = "SIGTERM"
        for sig in self._previous:  # the next one stops at once
            signal.signal(sig, _raise_interrupt)

    def __enter__(self) -> Progress:
        with contextlib.suppress(ValueError):  # not the main thread: no handler
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._on_sigint)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        if exc_type is KeyboardInterrupt:
            self.interrupted = True
        self._bar.close()


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
