"""Tests of evaluate: a classifier's loss, accuracy and confusion matrix."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, log_loss

from crossentropy.datasets import load_challenger
from crossentropy.models import LinearRegression, LogisticRegression, SoftmaxRegression, evaluate


def _three_classes() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4)).astype(np.float32)
    y = np.argmax(X @ rng.normal(size=(4, 3)) + rng.gumbel(size=(300, 3)), axis=1)
    return X, np.array(["ant", "bee", "cat"])[y]


def test_softmax_against_scikit_learn() -> None:
    X, y = _three_classes()
    m = SoftmaxRegression(solver="lbfgs", l2=0.01).fit(X, y)
    e = evaluate(m, X[:100], y[:100])
    # float32 logits: the loss agrees with scikit-learn's to float32 rounding.
    assert e.loss == pytest.approx(log_loss(y[:100], m.predict_proba(X[:100])), rel=1e-5)
    assert e.accuracy == np.mean(m.predict(X[:100]) == y[:100])
    np.testing.assert_array_equal(
        e.confusion_matrix, confusion_matrix(y[:100], m.predict(X[:100]), labels=m.classes_)
    )
    assert e.n == 100 and e.confusion_matrix.dtype == np.int64


def test_logistic_uses_the_same_formula() -> None:
    d = load_challenger()
    X, y = d.temp_f.reshape(-1, 1), d.distress > 0
    m = LogisticRegression().fit(X, y)
    e = evaluate(m, X, y)
    # The mean binary cross-entropy is the log-likelihood per flight.
    assert e.loss == pytest.approx(-m.loglike_ / 23, rel=1e-12)
    assert e.accuracy == np.mean(m.predict(X) == y)
    np.testing.assert_array_equal(e.confusion_matrix, confusion_matrix(y, m.predict(X)))


def test_bad_input() -> None:
    X, y = _three_classes()
    m = SoftmaxRegression(solver="lbfgs", l2=0.01).fit(X, y)
    with pytest.raises(ValueError, match="`y` has the label 'eel' at index 1"):
        evaluate(m, X[:2], np.array(["ant", "eel"]))
    with pytest.raises(ValueError, match="at least one label"):
        evaluate(m, X[:0], y[:0])
    with pytest.raises(ValueError, match=r"one label per row of X \(3\); got 2"):
        evaluate(m, X[:3], y[:2])
    linear = LinearRegression().fit(X, np.arange(300.0))
    with pytest.raises(TypeError, match="LogisticRegression or SoftmaxRegression; got Linear"):
        evaluate(linear, X, y)  # type: ignore[arg-type]
