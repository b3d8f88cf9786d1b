"""What mini-batch SGD carries from one call to the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._rules import BestSoFar

__all__ = ["SGDState"]


@dataclass
class SGDState:
    """Everything SGD carries from one call to the next (``partial_fit``, resuming).

    ``epoch`` is the number of epochs run so far (the schedule's position), ``step``
    the number of mini-batch steps (the position of the "linear" schedule),
    ``velocity`` the momentum buffer, ``rng`` the shuffling generator,
    ``start_loss`` the loss at the very first parameters (the divergence
    reference), ``x`` the parameters the last call ended with, exactly as the
    steps left them, and ``best`` what early stopping remembers (the best
    validation loss, its parameters, the epochs since).  A call continued from
    ``x`` with this state takes the same steps as one longer call: the arrays
    agree bit for bit.  A call that Ctrl-C ends leaves the state at the end of its
    last whole epoch.
    """

    epoch: int = 0
    step: int = 0
    velocity: NDArray[Any] | None = None
    rng: np.random.Generator = field(default_factory=np.random.default_rng)
    start_loss: float | None = None
    x: NDArray[Any] | None = None
    best: BestSoFar = field(default_factory=BestSoFar)
