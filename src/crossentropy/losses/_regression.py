r"""Regression losses: the negative log-likelihood of Gaussian noise.

If :math:`y = \mu + \varepsilon` with :math:`\varepsilon \sim N(0, \sigma^2)`, the
negative log-likelihood of one observation is

.. math::
    -\log p(y \mid \mu, \sigma) = \tfrac12 \log(2 \pi \sigma^2) + \frac{(y - \mu)^2}{2 \sigma^2},

so for a fixed :math:`\sigma` maximising the likelihood is minimising the squared
error :math:`(y - \mu)^2`: least squares *is* maximum likelihood.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_arrays, at_index, check_finite, first_index

__all__ = ["gaussian_nll", "squared_error"]

FloatArray = NDArray[np.floating[Any]]


def _check_pair(y: FloatArray, f: FloatArray, pred_name: str) -> None:
    check_finite(y, "y_true")
    check_finite(f, pred_name)
    try:
        shape = np.broadcast_shapes(y.shape, f.shape)
    except ValueError:
        raise ValueError(
            f"`y_true` and `{pred_name}` must have broadcastable shapes; "
            f"got {y.shape} and {f.shape}"
        ) from None
    # Targets (4, 1) against predictions (4,) would broadcast to a 4 x 4 table of every
    # target against every prediction: almost always a column vector by mistake.
    if shape not in (y.shape, f.shape):
        raise ValueError(
            f"`y_true` with shape {y.shape} and `{pred_name}` with shape {f.shape} would "
            f"broadcast to {shape}, larger than both: pass arrays of the same shape (for "
            f"example ravel() a column vector), or one that broadcasts into the other"
        )


def _unwrap(out: FloatArray) -> Any:
    return out[()] if out.ndim == 0 else out


def squared_error(y_true: ArrayLike, y_pred: ArrayLike, *, return_grad: bool = False) -> Any:
    r"""Squared error :math:`(y - \hat y)^2`, elementwise.

    .. math:: \ell = (y - \hat y)^2, \qquad \frac{\partial \ell}{\partial \hat y} = 2 (\hat y - y)

    Up to a constant and a factor :math:`1/(2\sigma^2)` this is the Gaussian negative
    log-likelihood (:func:`gaussian_nll`); its mean is the MSE.

    Parameters
    ----------
    y_true, y_pred : array_like
        Observed and predicted values, finite, of the same shape, or one broadcasting
        into the other's shape (a scalar target, say); shapes that would both grow,
        such as (n, 1) against (n,), are refused.
    return_grad : bool, default False
        Also return the gradient :math:`\partial \ell_i / \partial \hat y_i`.

    Returns
    -------
    loss : ndarray or scalar
        Squared error per element, in squared units of ``y``.  float32 predictions
        give float32 (integer targets do not promote them).
    grad : ndarray or scalar
        Only with ``return_grad=True``: the gradient, same shape and dtype as ``loss``.

    Examples
    --------
    >>> import crossentropy.losses as L
    >>> L.squared_error([1.0, 2.0, 3.0], [1.5, 2.0, 1.0])
    array([0.25, 0.  , 4.  ])
    >>> L.squared_error([1.0, 2.0, 3.0], [1.5, 2.0, 1.0], return_grad=True)[1]
    array([ 1.,  0., -4.])
    """
    # Integer targets and Python numbers take the predictions' float dtype.
    y, f = as_float_arrays((y_true, "y_true"), (y_pred, "y_pred"))
    _check_pair(y, f, "y_pred")
    residual = f - y
    loss = _unwrap(np.square(residual))
    if not return_grad:
        return loss
    return loss, _unwrap(2 * residual)


def gaussian_nll(
    y_true: ArrayLike, mean: ArrayLike, *, sigma: ArrayLike = 1.0, return_grad: bool = False
) -> Any:
    r"""Negative log-likelihood of ``y_true`` under :math:`N(\text{mean}, \sigma^2)`, elementwise.

    .. math::
        \ell = \tfrac12 \log(2 \pi) + \log \sigma + \frac{(y - \mu)^2}{2 \sigma^2},
        \qquad \frac{\partial \ell}{\partial \mu} = \frac{\mu - y}{\sigma^2}

    The full value, constant included (in nats), so that sums of it are true
    log-likelihoods that can be compared between models.

    Parameters
    ----------
    y_true, mean : array_like
        Observations and the predicted means, finite, of the same shape or one
        broadcasting into the other's (as in :func:`squared_error`).
    sigma : array_like, default 1.0
        Standard deviation of the noise, finite and > 0, broadcast with the others.
    return_grad : bool, default False
        Also return the gradient :math:`\partial \ell_i / \partial \mu_i`.

    Returns
    -------
    loss : ndarray or scalar
        Negative log-likelihood per element, in nats.
    grad : ndarray or scalar
        Only with ``return_grad=True``: the gradient with respect to the mean.

    Examples
    --------
    >>> import crossentropy.losses as L
    >>> print(f"{L.gaussian_nll(0.0, 0.0):.6f}")  # 0.5 * ln(2 pi)
    0.918939
    >>> L.gaussian_nll([1.0, 3.0], [1.0, 1.0], sigma=2.0)
    array([1.61208571, 2.11208571])
    """
    y, mu, s = as_float_arrays((y_true, "y_true"), (mean, "mean"), (sigma, "sigma"))
    _check_pair(y, mu, "mean")
    check_finite(s, "sigma")
    if np.any(s <= 0):
        bad = s <= 0
        raise ValueError(f"`sigma` must be > 0; got {float(s[first_index(bad)]):g}" + at_index(bad))
    try:
        np.broadcast_shapes(y.shape, mu.shape, s.shape)
    except ValueError:
        raise ValueError(
            f"`sigma` must broadcast with `y_true` and `mean`; got shape {s.shape}"
        ) from None
    z = (y - mu) / s
    loss = _unwrap(0.5 * math.log(2 * math.pi) + np.log(s) + 0.5 * np.square(z))
    if not return_grad:
        return loss
    return loss, _unwrap((mu - y) / (s * s))
