"""scikit-learn's estimator checks on every estimator and solver family.

The classifier instances use a small l2 because the check data are separable
(make_blobs is): the unpenalised maximum-likelihood estimate does not exist there
and the estimator rightly warns about it.  The SGD instances use
learning_rate="auto", since the check data come in very different units (features
near 100 in some checks) and a fixed rate that suits one diverges on another.
"""

from __future__ import annotations

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from crossentropy.models import LinearRegression, LogisticRegression, SoftmaxRegression

ESTIMATORS = [
    LinearRegression(),
    LinearRegression(solver="sgd", learning_rate="auto", max_iter=50, tol=1e-3, random_state=0),
    LogisticRegression(l2=1e-2),
    LogisticRegression(solver="lbfgs", l2=1e-2, max_iter=200),
    LogisticRegression(
        solver="sgd", l2=1e-2, learning_rate="auto", max_iter=50, tol=1e-3, random_state=0
    ),
    SoftmaxRegression(l2=1e-2, max_iter=300),
    SoftmaxRegression(solver="newton", l2=1e-2),
    SoftmaxRegression(
        solver="sgd", l2=1e-2, learning_rate="auto", max_iter=50, tol=1e-3, random_state=0
    ),
]


@parametrize_with_checks(ESTIMATORS)
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_sklearn_compatible(estimator: object, check: object) -> None:
    check(estimator)  # type: ignore[operator]
