"""Tests of the line-of-thought explanations: losses from likelihoods, the dice, a Newton step.

Each shown number is checked against an independent reference (SciPy, NumPy
formulas written here, statsmodels), and each explanation against the library
function it lays out.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy import special, stats

import crossentropy as xe
import crossentropy.losses as L
from crossentropy.datasets import load_challenger
from crossentropy.explain import (
    Explanation,
    explain_binary_cross_entropy,
    explain_categorical_cross_entropy,
    explain_dice,
    explain_mse,
    explain_newton_step,
    explain_softmax_gradient,
    fmt,
)
from test_explain import _balanced


def words(text: str) -> str:
    """The text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def table(e: Explanation) -> list[list[str]]:
    """Cells of the first text table (lines indented by two spaces), header first."""
    block = next(b for b in e.text.split("\n\n") if b.startswith("  "))
    return [ln.split() for ln in block.splitlines()]


def column(e: Explanation, j: int) -> list[str]:
    return [row[j] for row in table(e)[1:]]


# ---------------------------------------------------------------- Gaussian -> MSE


def test_mse_from_the_gaussian_likelihood() -> None:
    y, f = np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 1.0])
    e = explain_mse(y, f, sigma=2.0)
    mse = np.mean((y - f) ** 2)
    assert e.value == pytest.approx(mse, rel=1e-15)
    np.testing.assert_array_equal(e.terms, L.squared_error(y, f))
    # Each row: the Gaussian NLL (scipy's norm.logpdf) and its derivative (mu - y) / sigma^2.
    assert column(e, 4) == [fmt(v) for v in -stats.norm.logpdf(y, f, 2.0)]
    assert column(e, 5) == [fmt(v) for v in (f - y) / 4.0]
    text = words(e.text)
    # -ln L = n * (ln sqrt(2 pi sigma^2)) + SSE / (2 sigma^2), the sum of the rows.
    const = 0.5 * math.log(2 * math.pi * 4.0)
    assert f"= 3 * {fmt(const)} + 4.25 / (2 * 2^2) = " in text
    assert f"= {fmt(-stats.norm.logpdf(y, f, 2.0).sum())} nats" in text
    assert f"MSE = {fmt(mse)}" in text
    assert "2 (yhat_i - y_i) = (1, 0, -4)" in text


def test_mse_broadcasts_a_constant_prediction() -> None:
    e = explain_mse([1.0, 2.0, 4.0], 2.0)
    assert column(e, 2) == ["2", "2", "2"]
    assert e.value == pytest.approx(np.mean(np.square([1.0, 0.0, 2.0])), rel=1e-15)


# ---------------------------------------------------------------- Bernoulli -> BCE


def test_binary_cross_entropy_and_its_gradient_p_minus_y() -> None:
    y, z = np.array([1.0, 0.0, 1.0, 0.3]), np.array([2.0, -1.0, 0.5, 0.0])
    e = explain_binary_cross_entropy(y, z)
    p = special.expit(z)
    # -[y ln p + (1 - y) ln(1 - p)] with ln p = -softplus(-z), ln(1 - p) = -softplus(z),
    # exact to a few ulps (log of a rounded p would lose digits near p = 1).
    reference = y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)
    np.testing.assert_allclose(e.terms, reference, rtol=4e-16 * 5)
    assert e.value == pytest.approx(reference.mean(), rel=1e-15)
    assert column(e, 3) == [fmt(v) for v in p]
    # The gradient column is p - y, to the digits shown.
    assert column(e, 5) == [fmt(v) for v in p - y]
    text = words(e.text)
    assert "P(y | p) = p^y (1 - p)^(1 - y)" in text
    assert "dl/dz = -y (1 - p) + (1 - y) p = p - y" in text
    assert f"= {fmt(reference.mean())} nats" in text


# ---------------------------------------------------------------- categorical -> cross-entropy


def test_categorical_cross_entropy_reads_the_true_class() -> None:
    q = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])
    labels = np.array([0, 2, 1])
    e = explain_categorical_cross_entropy(labels, q)
    reference = -np.log(q[np.arange(3), labels])
    np.testing.assert_allclose(e.terms, reference, rtol=1e-15)
    assert column(e, 2) == ["0.7", "0.6", "0.5"]
    assert e.value == pytest.approx(reference.mean(), rel=1e-15)
    assert "only the true class's term survives" in words(e.text)
    # One example may come as one row and one label.
    one = explain_categorical_cross_entropy(2, [0.1, 0.3, 0.6])
    assert one.value == pytest.approx(-math.log(0.6), rel=1e-15)


def test_soft_labels_split_into_entropy_and_kl() -> None:
    y = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    q = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    e = explain_categorical_cross_entropy(y, q)
    h = np.array([math.log(2), 0.0])
    kl = np.array([0.5 * math.log(0.5 / 0.7) + 0.5 * math.log(0.5 / 0.2), -math.log(0.6)])
    assert column(e, 1) == [fmt(v) for v in h]
    assert column(e, 2) == [fmt(v) for v in kl]
    np.testing.assert_allclose(e.terms, h + kl, rtol=1e-14)
    assert f"= {fmt(h.sum())} + {fmt(kl.sum())}: the entropies are a constant" in words(e.text)


# ---------------------------------------------------------------- softmax gradient


def test_softmax_gradient_is_p_minus_y() -> None:
    z = np.array([1.0, 2.0, 3.0, -1.0])
    e = explain_softmax_gradient(z, 1)
    p = special.softmax(z)
    onehot = np.eye(4)[1]
    np.testing.assert_allclose(e.terms, p - onehot, rtol=1e-14, atol=1e-17)
    assert e.value == pytest.approx(special.logsumexp(z) - z[1], rel=1e-15)
    assert column(e, 2) == [fmt(v) for v in p]
    assert column(e, 3) == ["0", "1", "0", "0"]
    text = words(e.text)
    assert f"= {fmt(special.logsumexp(z))} - 2 = {fmt(e.value)} nats" in text
    assert "dl/dz_j = p_j - y_j" in text
    assert f"raises the true class's by 1 - p_y = {fmt(1 - p[1])}" in text


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: explain_softmax_gradient([1.0, 2.0], 2), r"`label` must be an integer from 0 to"),
        (lambda: explain_softmax_gradient([[1.0, 2.0]], 0), "one row"),
        (lambda: explain_mse([1.0], [1.0], sigma=0.0), r"`sigma` must be a finite number in \(0"),
        (lambda: explain_mse([[1.0]], [1.0]), "`y_true` must be a number or a 1-D array"),
        (lambda: explain_binary_cross_entropy([2.0], [0.0]), r"`y_true` must be .*\[0, 1\]"),
        (lambda: explain_categorical_cross_entropy([3], [[0.5, 0.5]]), "y_true"),
        (lambda: explain_dice(34, 100, faces=0), r"`faces` must be an integer >= 1"),
        (lambda: explain_dice(34.0, 100), r"`reds` must be an integer"),
        (lambda: explain_dice(101, 100), "101"),
        (lambda: explain_newton_step([1.0, 2.0], None), "given together"),
        (lambda: explain_newton_step([1.0, 2.0], [0.0]), "one outcome per example"),
        (lambda: explain_newton_step([1.0, 2.0], [0.0, 2.0]), r"`y` must be .*\[0, 1\]"),
        (lambda: explain_newton_step(theta=[0.0]), "`theta` must hold the intercept and 1"),
    ],
)
def test_bad_input(call: object, match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        call()  # type: ignore[operator]


# ---------------------------------------------------------------- the dice


def test_dice_maximum_likelihood() -> None:
    e = explain_dice()
    reference = stats.binom.pmf(34, 100, np.arange(7) / 6)
    np.testing.assert_allclose(e.terms, reference, rtol=1e-12)
    assert e.value == pytest.approx(0.0831, abs=5e-5)
    assert e.value == e.terms.max() == e.terms[2]
    text = words(e.text)
    assert f"largest at r = 2: L(2) = {fmt(reference[2])}" in text
    assert f"against {fmt(e.terms[1])} at r = 1 and {fmt(e.terms[3])} at r = 3" in text
    assert "p = 34/100 = 0.34" in text
    assert f"add up to {fmt(e.terms.sum())}, not to 1" in text
    assert "C(100, 34) p^34 (1 - p)^66" in text
    # A die thrown 12 times with 12 reds: the all-red die wins, it has no right neighbour.
    e = explain_dice(12, 12, faces=4)
    assert e.terms[-1] == e.value == 1.0
    assert "largest at r = 4: L(4) = 1, against" in words(e.text)


# ---------------------------------------------------------------- Newton


def _one_newton_step(x: np.ndarray, y: np.ndarray, theta: np.ndarray) -> tuple:
    """Reference: gradient, Hessian and full step of the mean logistic loss, from the formulas."""
    u = np.column_stack([np.ones(len(x)), x])
    p = special.expit(u @ theta)
    g = u.T @ (p - y) / len(y)
    h = (u * (p * (1 - p))[:, None]).T @ u / len(y)
    return g, h, -np.linalg.solve(h, g)


def _mean_loss(x: np.ndarray, y: np.ndarray, theta: np.ndarray) -> float:
    z = theta[0] + theta[1] * x
    return float(np.mean(np.logaddexp(0, z) - y * z))


def test_one_newton_step_on_challenger() -> None:
    d = load_challenger()
    x, y = d.temp_f.astype(float), (d.distress > 0).astype(float)
    g, h, step = _one_newton_step(x, y, np.zeros(2))
    e = explain_newton_step()
    np.testing.assert_allclose(e.terms, step, rtol=1e-12)
    assert e.value == pytest.approx(_mean_loss(x, y, step), rel=1e-13)
    text = words(e.text)
    assert f"g = ({fmt(g[0])}, {fmt(g[1])})" in text
    assert f"H = [[{fmt(h[0, 0])}, {fmt(h[0, 1])}], [{fmt(h[1, 0])}, {fmt(h[1, 1])}]]" in text
    assert f"d = -H^-1 g = ({fmt(step[0])}, {fmt(step[1])})" in text
    assert "take the full step" in text
    assert f"ln L = -n f = {fmt(-23 * math.log(2))}" in text
    assert f"ln L = -n f = {fmt(-23 * _mean_loss(x, y, step))}: up from" in text
    # Where the steps lead: the maximum-likelihood fit, as statsmodels finds it.
    import statsmodels.api as sm

    fit = sm.Logit(y, sm.add_constant(x)).fit(disp=0, tol=1e-12)
    assert f"theta = ({fmt(fit.params[0])}, {fmt(fit.params[1])})" in text
    assert fmt(fit.params[0]) == "15.0429"
    assert f"ln L = -n f = {fmt(fit.llf)}: near the optimum" in text


def test_newton_step_on_given_data_with_a_line_search() -> None:
    x, y = np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([0.0, 0.0, 1.0, 0.0, 1.0])
    theta = np.array([0.0, 3.0])
    e = explain_newton_step(x, y, theta=theta)
    _, _, step = _one_newton_step(x, y, theta)
    # The full step does not lower the loss enough (Armijo): the step is halved until it does.
    t = 1.0
    while _mean_loss(x, y, theta + t * step) > _mean_loss(x, y, theta) + 1e-4 * t * (
        _one_newton_step(x, y, theta)[0] @ step
    ):
        t /= 2
    assert t < 1
    np.testing.assert_allclose(e.terms, theta + t * step, rtol=1e-12)
    text = words(e.text)
    assert f"take t = {fmt(t)} of it" in text
    assert "the 5 examples given, with 1 feature(s) each" in text
    assert re.search(r"stops after \d+ steps \(converged\)", text)


# ---------------------------------------------------------------- all topics, three formats


@pytest.mark.parametrize(
    "e",
    [
        explain_mse([1.0, 2.0, 3.0], [1.5, 2.0, 1.0]),
        explain_binary_cross_entropy([1, 0, 1], [2.0, -1.0, 0.5]),
        explain_categorical_cross_entropy([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]),
        explain_softmax_gradient([1.0, 2.0, 3.0], 2),
        explain_dice(),
        explain_newton_step(),
        xe.explain("kl", [0.5, 0.5], [1.0, 0.0]),
    ],
    ids=lambda e: e.measure,
)
def test_three_formats_of_every_topic(e: Explanation) -> None:
    # Text: no line longer than 88 columns unless it is one unbreakable formula.
    for line in e.text.splitlines():
        assert len(line) <= 88 or " " not in line.strip() or "=" in line, line
    # Markdown: the heading in bold, maths in $...$ with balanced dollars.
    assert e.markdown.startswith("**")
    assert e.markdown.count("$") % 2 == 0
    # LaTeX: one display-maths block with balanced braces and arrays.
    assert e.latex.startswith("\\[") and e.latex.endswith("\\]")
    assert _balanced(e.latex)
    assert e.latex.count(r"\begin{array}") == e.latex.count(r"\end{array}")
    assert e._repr_latex_().startswith("$$")
    # The same numbers in the three: the value as shown in the text.
    shown = fmt(e.value)
    assert shown in e.text
    assert (shown.replace("inf", r"\infty") in e.latex) or ("e" in shown)
