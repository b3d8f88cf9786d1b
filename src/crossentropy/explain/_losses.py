r"""Each loss derived from its likelihood, with its gradient, on the user's numbers.

Gaussian noise gives the squared error, a Bernoulli outcome the binary
cross-entropy, a categorical one the cross-entropy; the gradient of the softmax
cross-entropy is :math:`p - y`.  Losses and gradients come from
:mod:`crossentropy.losses` and :mod:`crossentropy.activations`; the explanation
lays them out and sums them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_array, as_float_array, check_integer, check_number
from ._common import check_digits, check_rows
from ._explanation import Doc, Explanation
from ._markup import Math, elided_sum, fmt, num, vector

__all__ = [
    "explain_binary_cross_entropy",
    "explain_categorical_cross_entropy",
    "explain_mse",
    "explain_softmax_gradient",
]

FloatArray = NDArray[np.floating[Any]]
_HAT = Math("yhat_i", r"\hat y_i")
_LOSS = Math("l_i", r"\ell_i")


def _vector(x: ArrayLike, name: str) -> FloatArray:
    """A number or a 1-D array of numbers, as a 1-D float array."""
    arr = as_float_array(x, name)
    if arr.ndim > 1:
        raise ValueError(f"`{name}` must be a number or a 1-D array; got shape {arr.shape}")
    return np.atleast_1d(arr)


def _rows(*cols: Any, digits: int) -> list[list[str]]:
    """Table rows from columns of numbers (a number or a shorter column is broadcast, as
    the losses broadcast their arguments) or of words: the example's number from 1 first."""
    numbers = [c for c in cols if not isinstance(c, list)]
    shape = np.broadcast_shapes(*(np.shape(c) for c in numbers))
    full = [c if isinstance(c, list) else np.broadcast_to(c, shape) for c in cols]
    return [
        [str(i + 1), *(c[i] if isinstance(c, list) else fmt(c[i], digits) for c in full)]
        for i in range(len(full[-1]))
    ]


def _mean_cost(doc: Doc, losses: NDArray[Any], digits: int) -> float:
    """``Cost = 1/n sum_i l_i = (l_1 + ... + l_n) / n = value nats``; returns the value."""
    n = len(losses)
    cost = math.fsum(float(v) for v in losses) / n
    total = elided_sum([fmt(v, digits) for v in losses])
    doc.equation(
        Math("Cost = 1/n sum_i l_i", r"\text{Cost} = \frac1n \sum_i \ell_i"),
        Math(f"({total.text}) / {n}", rf"\frac{{{total.tex}}}{{{n}}}"),
        num(cost, digits),
        unit="nats",
    )
    return cost


# --------------------------------------------------------------------------- Gaussian


def _gaussian_model(doc: Doc, sigma: Math) -> None:
    doc.para(title="Gaussian noise -> mean squared error")
    doc.para(
        "If ",
        Math("y_i = yhat_i + e_i", r"y_i = \hat y_i + \varepsilon_i"),
        " with Gaussian noise ",
        Math("e_i ~ N(0, sigma^2)", r"\varepsilon_i \sim N(0, \sigma^2)"),
        " of fixed ",
        Math(f"sigma = {sigma.text}", rf"\sigma = {sigma.tex}"),
        ", one observation has the likelihood",
    )
    doc.equation(
        Math("p(y_i | yhat_i)", r"p(y_i \mid \hat y_i)"),
        Math(
            "exp(-(y_i - yhat_i)^2 / (2 sigma^2)) / sqrt(2 pi sigma^2)",
            r"\frac{1}{\sqrt{2\pi\sigma^2}} \exp\left(-\frac{(y_i - \hat y_i)^2}{2\sigma^2}\right)",
        ),
    )
    doc.para("and the negative log-likelihood")
    doc.equation(
        Math("l_i = -ln p(y_i | yhat_i)", r"\ell_i = -\ln p(y_i \mid \hat y_i)"),
        Math(
            "ln sqrt(2 pi sigma^2) + (y_i - yhat_i)^2 / (2 sigma^2)",
            r"\ln\sqrt{2\pi\sigma^2} + \frac{(y_i - \hat y_i)^2}{2\sigma^2}",
        ),
    )


def _gaussian_sum(
    doc: Doc, nll: FloatArray, se: FloatArray, const: float, sigma: Math, digits: int
) -> float:
    """``-ln L = n * const + SSE / (2 sigma^2)``; returns the mean squared error."""
    n = len(se)
    sse = math.fsum(float(v) for v in se)
    c, total = num(const, digits), num(sse, digits)
    doc.equation(
        Math("-ln L = sum_i l_i", r"-\ln L = \sum_i \ell_i"),
        Math(
            f"{n} * {c.text} + {total.text} / (2 * {sigma.text}^2)",
            rf"{n} \cdot {c.tex} + \frac{{{total.tex}}}{{2 \cdot {sigma.tex}^2}}",
        ),
        num(math.fsum(float(v) for v in nll), digits),
        unit="nats",
    )
    mse = sse / n
    doc.para(
        "The first term does not depend on the predictions, so the likelihood is largest "
        "where the sum of squared errors is smallest; divided by ",
        Math.same(f"n = {n}"),
        ", that is the mean squared error ",
        Math(f"MSE = {fmt(mse, digits)}", rf"\text{{MSE}} = {num(mse, digits).tex}"),
        ".",
    )
    return mse


def _gaussian_gradient(doc: Doc, d_se: FloatArray, digits: int) -> None:
    doc.para(
        "Gradient: ",
        Math(
            "dl_i/dyhat_i = (yhat_i - y_i) / sigma^2",
            r"\partial \ell_i / \partial \hat y_i = (\hat y_i - y_i) / \sigma^2",
        ),
        " (the last column), and the squared error's ",
        Math("2 (yhat_i - y_i)", r"2 (\hat y_i - y_i)"),
        " = ",
        vector(d_se, digits),
        " point the same way: a step that lowers the squared error raises the likelihood. "
        "For a line ",
        Math("yhat_i = a x_i + b", r"\hat y_i = a x_i + b"),
        " the chain rule gives ",
        Math(
            "dMSE/da = 2/n sum_i (yhat_i - y_i) x_i",
            r"\partial\,\text{MSE} / \partial a = \frac2n \sum_i (\hat y_i - y_i)\, x_i",
        ),
        ": least squares is maximum likelihood.",
    )


def explain_mse(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sigma: float = 1.0,
    digits: int = 6,
    max_rows: int = 20,
) -> Explanation:
    r"""Gaussian noise gives the mean squared error: likelihood, loss and gradient.

    With :math:`y_i = \hat y_i + \varepsilon_i`, :math:`\varepsilon_i \sim N(0,
    \sigma^2)`, the negative log-likelihood of the data is :math:`n \ln
    \sqrt{2\pi\sigma^2} + \sum_i (y_i - \hat y_i)^2 / (2\sigma^2)`: for a fixed
    :math:`\sigma`, maximising the likelihood is minimising the squared error.

    Parameters
    ----------
    y_true, y_pred : float or 1-D array_like
        Observations and predictions.
    sigma : float, default 1.0
        Standard deviation of the noise, > 0.
    digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is the mean squared error; ``terms`` are the squared errors
        (:func:`crossentropy.losses.squared_error`).  Each row of the table shows
        :func:`crossentropy.losses.gaussian_nll` and its gradient.

    Examples
    --------
    >>> e = explain_mse([1.0, 2.0, 3.0], [1.5, 2.0, 1.0])
    >>> e.value
    1.4166666666666667
    >>> print(e.text.split("\n\n")[-3])
    -ln L = sum_i l_i = 3 * 0.918939 + 4.25 / (2 * 1^2)
                      = 4.88182 nats
    """
    from ..losses import gaussian_nll, squared_error

    digits, max_rows = check_digits(digits), check_rows(max_rows)
    s = check_number(sigma, "sigma", low=0.0, low_open=True)
    y, f = _vector(y_true, "y_true"), _vector(y_pred, "y_pred")
    se, d_se = (np.atleast_1d(a) for a in squared_error(y, f, return_grad=True))
    nll, d_nll = (np.atleast_1d(a) for a in gaussian_nll(y, f, sigma=s, return_grad=True))
    sig = num(s, digits)
    doc = Doc()
    _gaussian_model(doc, sig)
    headers = [
        Math.same("i"),
        Math.same("y_i"),
        _HAT,
        Math("(y_i - yhat_i)^2", r"(y_i - \hat y_i)^2"),
        _LOSS,
        Math("dl_i/dyhat_i", r"\partial \ell_i / \partial \hat y_i"),
    ]
    doc.table(headers, _rows(y, f, se, nll, d_nll, digits=digits), max_rows=max_rows)
    const = float(gaussian_nll(0.0, 0.0, sigma=s))  # ln sqrt(2 pi sigma^2)
    mse = _gaussian_sum(doc, nll, se, const, sig, digits)
    _gaussian_gradient(doc, d_se, digits)
    return doc.finish("mse", mse, "", se)


# --------------------------------------------------------------------------- Bernoulli


def _bernoulli_model(doc: Doc) -> None:
    doc.para(title="Bernoulli outcome -> binary cross-entropy")
    doc.para(
        "A yes/no outcome ",
        Math("y in {0, 1}", r"y \in \{0, 1\}"),
        " with ",
        Math("P(y = 1) = p", r"P(y = 1) = p"),
        " has the likelihood ",
        Math("P(y | p) = p^y (1 - p)^(1 - y)", r"P(y \mid p) = p^y (1 - p)^{1 - y}"),
        " (p when y = 1, 1 - p when y = 0). With the logistic model ",
        Math("p = sigma(z) = 1 / (1 + e^-z)", r"p = \sigma(z) = 1 / (1 + e^{-z})"),
        " of a score z, its negative log-likelihood is the binary cross-entropy",
    )
    doc.equation(
        Math("l = -ln P(y | p)", r"\ell = -\ln P(y \mid p)"),
        Math("-[y ln p + (1 - y) ln(1 - p)]", r"-[\,y \ln p + (1 - y) \ln(1 - p)\,]"),
    )


def _bernoulli_gradient(doc: Doc) -> None:
    doc.para(
        "Gradient: ",
        Math(
            "dl/dp = -y/p + (1 - y)/(1 - p)", r"\partial \ell / \partial p = -y/p + (1 - y)/(1 - p)"
        ),
        " and ",
        Math("dp/dz = p (1 - p)", r"\partial p / \partial z = p (1 - p)"),
        ", so",
    )
    doc.equation(
        Math("dl/dz", r"\frac{\partial \ell}{\partial z}"),
        Math("-y (1 - p) + (1 - y) p", r"-y (1 - p) + (1 - y)\, p"),
        Math.same("p - y"),
    )
    doc.para(
        "The last column of the table is ",
        Math("p_i - y_i", r"p_i - y_i"),
        ": the error of the predicted probability. For a logistic regression ",
        Math("z_i = x_i w + b", r"z_i = x_i w + b"),
        ", so ",
        Math(
            "dCost/dw = 1/n sum_i (p_i - y_i) x_i",
            r"\partial\,\text{Cost} / \partial w = "
            r"\frac1n \sum_i (p_i - y_i)\, x_i",
        ),
        ".",
    )


def explain_binary_cross_entropy(
    y_true: ArrayLike, logits: ArrayLike, *, digits: int = 6, max_rows: int = 20
) -> Explanation:
    r"""A Bernoulli outcome gives the binary cross-entropy, and its gradient :math:`p - y`.

    The likelihood of :math:`y \in \{0, 1\}` under :math:`p = \sigma(z)` is
    :math:`p^y (1 - p)^{1 - y}`; its negative logarithm is the binary
    cross-entropy, whose derivative in the score :math:`z` is :math:`p - y`.

    Parameters
    ----------
    y_true : float or 1-D array_like
        Outcomes in [0, 1] (0/1 labels, or soft targets).
    logits : float or 1-D array_like
        Scores :math:`z` of the model, :math:`p = \sigma(z)`.
    digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is the mean loss in nats; ``terms`` are the losses of
        :func:`crossentropy.losses.binary_cross_entropy_with_logits`.

    Examples
    --------
    >>> e = explain_binary_cross_entropy([1, 0, 1], [2.0, -1.0, 0.5])
    >>> print(e.text.split("\n\n")[3])
      i  y_i  z_i  p_i = sigma(z_i)       l_i  dl_i/dz_i
      1    1    2          0.880797  0.126928  -0.119203
      2    0   -1          0.268941  0.313262   0.268941
      3    1  0.5          0.622459  0.474077  -0.377541
    """
    from ..activations import sigmoid
    from ..losses import binary_cross_entropy_with_logits

    digits, max_rows = check_digits(digits), check_rows(max_rows)
    y, z = _vector(y_true, "y_true"), _vector(logits, "logits")
    loss, grad = (
        np.atleast_1d(a) for a in binary_cross_entropy_with_logits(y, z, return_grad=True)
    )
    p = np.atleast_1d(sigmoid(z))
    doc = Doc()
    _bernoulli_model(doc)
    headers = [
        Math.same("i"),
        Math.same("y_i"),
        Math.same("z_i"),
        Math("p_i = sigma(z_i)", r"p_i = \sigma(z_i)"),
        _LOSS,
        Math("dl_i/dz_i", r"\partial \ell_i / \partial z_i"),
    ]
    doc.table(headers, _rows(y, z, p, loss, grad, digits=digits), max_rows=max_rows)
    cost = _mean_cost(doc, loss, digits)
    _bernoulli_gradient(doc)
    return doc.finish("bce", cost, "nats", loss)


# --------------------------------------------------------------------------- categorical


def _categorical_model(doc: Doc) -> None:
    doc.para(title="Categorical outcome -> cross-entropy")
    doc.para(
        "One of K classes, with predicted probabilities ",
        Math("q_i = (q_i1, ..., q_iK)", r"q_i = (q_{i1}, \dots, q_{iK})"),
        " for example i. With the label written one-hot (",
        Math("y_ic = 1", r"y_{ic} = 1"),
        " for the true class, 0 for the others) its likelihood is ",
        Math("prod_c q_ic^y_ic", r"\prod_c q_{ic}^{y_{ic}}"),
        ", so its negative log-likelihood is the cross-entropy between the label and the "
        "prediction, in which only the true class's term survives:",
    )
    doc.equation(
        Math("l_i = -sum_c y_ic ln q_ic", r"\ell_i = -\sum_c y_{ic} \ln q_{ic}"),
        Math("H(y_i, q_i)", r"H(y_i, q_i)"),
        Math("-ln q_i,y_i", r"-\ln q_{i, y_i}"),
    )


def _categorical_table(
    doc: Doc, y: NDArray[Any], q: FloatArray, loss: FloatArray, digits: int, max_rows: int
) -> None:
    """Integer labels: the probability of the true class; rows: H(y_i) and KL(y_i || q_i)."""
    from ..information import entropy, kl_divergence

    headers = [Math.same("i")]
    if y.dtype.kind in "iu":
        q_true = q[np.arange(len(y)), y]
        headers += [Math.same("y_i"), Math("q_i,y_i", r"q_{i,y_i}")]
        cols: tuple[Any, ...] = ([str(v) for v in y], q_true)
    else:
        headers += [Math.same("H(y_i)"), Math("KL(y_i || q_i)", r"D_{KL}(y_i \| q_i)")]
        cols = (np.atleast_1d(entropy(y)), np.atleast_1d(kl_divergence(y, q)))
    headers.append(Math("l_i = H(y_i, q_i)", r"\ell_i = H(y_i, q_i)"))
    doc.table(headers, _rows(*cols, loss, digits=digits), max_rows=max_rows)


def _categorical_closing(doc: Doc, y: NDArray[Any], q: FloatArray, digits: int) -> None:
    from ..information import entropy, kl_divergence

    if y.dtype.kind in "iu":
        doc.para(
            "Integer labels need no one-hot matrix: the loss reads q at the true class. A "
            "one-hot label has ",
            Math.same("H(y_i) = 0"),
            ", so the summed cross-entropy is the summed KL divergence from the labels to the "
            "predictions: minimising one minimises the other.",
        )
    else:
        h = math.fsum(float(v) for v in np.atleast_1d(entropy(y)))
        kl = math.fsum(float(v) for v in np.atleast_1d(kl_divergence(y, q)))
        doc.para(
            "Summed over the examples, ",
            Math(
                f"sum_i H(y_i, q_i) = sum_i H(y_i) + sum_i KL(y_i || q_i) = {fmt(h, digits)} + "
                f"{fmt(kl, digits)}",
                r"\sum_i H(y_i, q_i) = \sum_i H(y_i) + \sum_i D_{KL}(y_i \| q_i) = "
                rf"{num(h, digits).tex} + {num(kl, digits).tex}",
            ),
            ": the entropies are a constant of the data, so minimising the cross-entropy "
            "minimises the KL divergence from the labels to the predictions.",
        )
    doc.para(
        "With ",
        Math("q = softmax(z)", r"q = \operatorname{softmax}(z)"),
        " the gradient with respect to the logits is ",
        Math.same("q_i - y_i"),
        " (topic softmax-gradient).",
    )


def explain_categorical_cross_entropy(
    y_true: ArrayLike, p: ArrayLike, *, digits: int = 6, max_rows: int = 20
) -> Explanation:
    r"""A categorical outcome gives the cross-entropy :math:`-\ln q_{i, y_i}`.

    Parameters
    ----------
    y_true : int, 1-D array_like of int, or array_like of float
        Class labels in [0, K) (one per row of ``p``), or probability rows with the
        shape of ``p`` (soft labels).
    p : 1-D or 2-D array_like
        Predicted probabilities, one row per example (a 1-D ``p`` is one example).
    digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is the mean loss in nats; ``terms`` are the losses of
        :func:`crossentropy.losses.categorical_cross_entropy`.

    Examples
    --------
    >>> e = explain_categorical_cross_entropy([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    >>> print(e.text.split("\n\n")[3])
      i  y_i  q_i,y_i  l_i = H(y_i, q_i)
      1    0      0.7           0.356675
      2    2      0.6           0.510826
    """
    from ..losses import categorical_cross_entropy

    digits, max_rows = check_digits(digits), check_rows(max_rows)
    q = as_float_array(p, "p")
    y = as_array(y_true, "y_true")
    if q.ndim == 1:
        q, y = q[None, :], y[None, ...]
    if q.ndim != 2:
        raise ValueError(f"`p` must be one row or a 2-D array of rows; got shape {q.shape}")
    loss = np.atleast_1d(categorical_cross_entropy(y, q))
    doc = Doc()
    _categorical_model(doc)
    _categorical_table(doc, y, q, loss, digits, max_rows)
    cost = _mean_cost(doc, loss, digits)
    _categorical_closing(doc, y, q, digits)
    return doc.finish("categorical", cost, "nats", loss)


# --------------------------------------------------------------------------- softmax gradient


def _softmax_derivation(doc: Doc, lse: float, z_y: float, loss: float, digits: int) -> None:
    doc.para(title="Why the gradient of softmax cross-entropy is p - y")
    doc.para(
        "The model turns logits ",
        Math.same("z"),
        " into probabilities ",
        Math("p_j = e^z_j / sum_k e^z_k", r"p_j = e^{z_j} / \sum_k e^{z_k}"),
        ". For the true class ",
        Math.same("y"),
        " the loss is",
    )
    doc.equation(
        Math("l = -ln p_y", r"\ell = -\ln p_y"),
        Math("ln sum_k e^z_k - z_y", r"\ln \sum_k e^{z_k} - z_y"),
        Math(
            f"{fmt(lse, digits)} - {fmt(z_y, digits)}",
            rf"{num(lse, digits).tex} - "
            rf"{num(z_y, digits).tex}",
        ),
        num(loss, digits),
        unit="nats",
    )
    doc.para(
        "Differentiate the two parts: ",
        Math(
            "d/dz_j ln sum_k e^z_k = e^z_j / sum_k e^z_k = p_j",
            r"\partial_{z_j} \ln \sum_k e^{z_k} = e^{z_j} / \sum_k e^{z_k} = p_j",
        ),
        ", and ",
        Math.same("-z_y"),
        " gives -1 for ",
        Math.same("j = y"),
        " and 0 for the other classes. With ",
        Math.same("y"),
        " written one-hot,",
    )
    doc.equation(Math("dl/dz_j", r"\frac{\partial \ell}{\partial z_j}"), Math.same("p_j - y_j"))


def explain_softmax_gradient(
    logits: ArrayLike, label: int, *, digits: int = 6, max_rows: int = 20
) -> Explanation:
    r"""Why the gradient of the softmax cross-entropy in the logits is :math:`p - y`.

    Parameters
    ----------
    logits : 1-D array_like
        Scores :math:`z` of the K classes.
    label : int
        The true class, in [0, K).
    digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is the loss in nats; ``terms`` the gradient, both from
        :func:`crossentropy.losses.categorical_cross_entropy_with_logits`.

    Examples
    --------
    >>> e = explain_softmax_gradient([1.0, 2.0, 3.0], 2)
    >>> print(e.text.split("\n\n")[2])
    l = -ln p_y = ln sum_k e^z_k - z_y = 3.40761 - 3
                                       = 0.407606 nats
    >>> e.terms.round(6)
    array([ 0.090031,  0.244728, -0.334759])
    """
    from ..activations import logsumexp, softmax
    from ..losses import categorical_cross_entropy_with_logits

    digits, max_rows = check_digits(digits), check_rows(max_rows)
    z = as_float_array(logits, "logits")
    if z.ndim != 1:
        raise ValueError(f"`logits` must be one row (1-D) of scores; got shape {z.shape}")
    y = check_integer(label, "label", low=0, high=len(z) - 1)
    losses, grad = categorical_cross_entropy_with_logits([y], z[None, :], return_grad=True)
    loss = np.atleast_1d(losses)  # one example: one loss
    p, lse = softmax(z), float(logsumexp(z))
    doc = Doc()
    _softmax_derivation(doc, lse, float(z[y]), float(loss[0]), digits)
    onehot = ["1" if j == y else "0" for j in range(len(z))]
    headers = [
        Math.same("j"),
        Math.same("z_j"),
        Math.same("p_j"),
        Math.same("y_j"),
        Math("dl/dz_j", r"\partial \ell / \partial z_j"),
    ]
    rows = [
        [str(j), fmt(z[j], digits), fmt(p[j], digits), onehot[j], fmt(grad[0, j], digits)]
        for j in range(len(z))
    ]
    doc.table(headers, rows, max_rows=max_rows)
    doc.para(
        "The gradient is ",
        Math.same("p - y"),
        ": it lowers each wrong class's logit in proportion to the "
        "probability it took, and raises the true class's by ",
        Math(f"1 - p_y = {fmt(-grad[0, y], digits)}", rf"1 - p_y = {num(-grad[0, y], digits).tex}"),
        ". Its entries sum to 0, since adding one number to every logit changes no "
        "probability. A step of gradient descent moves probability to the true class.",
    )
    return doc.finish("softmax-gradient", float(loss[0]), "nats", grad[0])
