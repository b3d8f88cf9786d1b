r"""Heavy-ball and Nesterov momentum: the direction a gradient step takes.

.. math:: v \leftarrow \mu v + g, \qquad d = v \ \text{(heavy ball)} \quad\text{or}\quad
          d = g + \mu v \ \text{(Nesterov)}

and the step is :math:`\theta \leftarrow \theta - \eta\, d`; with :math:`\mu = 0` the
direction is the gradient itself.  Gradient descent and SGD take their directions
from here, so both step as written above to the last rounding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import check_bool, check_number

__all__ = ["Momentum", "momentum_step"]


def momentum_step(
    g: NDArray[Any], velocity: NDArray[Any], mu: float, nesterov: bool, out: NDArray[Any]
) -> None:
    r"""The direction of a momentum step, in place: :math:`v \leftarrow \mu v + g`,
    then ``out`` is :math:`v`, or :math:`g + \mu v` with Nesterov's form."""
    velocity *= mu
    velocity += g
    if nesterov:
        np.multiply(velocity, mu, out=out)
        out += g
    else:
        out[...] = velocity


class Momentum:
    """The step direction of each gradient, with a velocity kept between steps.

    ``velocity`` is the buffer :math:`v`, updated in place: an earlier run's to
    continue it, or None (or one of another shape) for a new buffer of zeros shaped
    like the parameters ``like``.  Without momentum (0) there is none, and a buffer
    passed in is left alone.

    Examples
    --------
    >>> m = Momentum(0.5, False, None, like=np.zeros(1))
    >>> [float(m.direction(np.ones(1))[0]) for _ in range(3)]
    [1.0, 1.5, 1.75]
    """

    def __init__(
        self, momentum: Any, nesterov: Any, velocity: NDArray[Any] | None, *, like: NDArray[Any]
    ) -> None:
        self.mu = check_number(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        self.nesterov = check_bool(nesterov, "nesterov")
        self.velocity: NDArray[Any] | None = None
        if self.mu > 0:
            fits = velocity is not None and velocity.shape == like.shape
            self.velocity = velocity if fits else np.zeros_like(like)
        self._out: NDArray[Any] | None = None

    def direction(self, g: NDArray[Any]) -> NDArray[Any]:
        """The direction for gradient ``g``: ``g`` itself without momentum, else a
        buffer (reused: valid until the next call) holding :math:`v` or :math:`g + \\mu v`."""
        if self.velocity is None:
            return g
        if self._out is None:
            self._out = np.empty_like(g)
        momentum_step(g, self.velocity, self.mu, self.nesterov, out=self._out)
        return self._out
