"""Stopping the library's solvers after exactly the steps the page asked for."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["stop_after"]


def stop_after(steps: int) -> Callable[[dict[str, float]], bool]:
    """A fit ``callback`` that ends the fit after ``steps`` iterations (epochs for SGD).

    Give the estimator ``max_iter=steps + 1``: the fit then stops by its callback
    (stop reason ``"callback"``) rather than by its budget, which would warn that
    it did not converge; a fit that converges earlier stops there.
    """

    def stop(record: dict[str, float]) -> bool:
        return record.get("iteration", record.get("epoch", 0)) >= steps

    return stop
