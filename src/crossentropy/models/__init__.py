"""Models fitted by maximum likelihood: linear, logistic and softmax regression.

scikit-learn compatible estimators with four solvers (``newton``, ``lbfgs``, ``gd``,
``sgd``), one meaning of ``tol`` (the largest absolute gradient component of the
objective), a per-iteration ``history_`` and ``stop_reason_`` for every solver,
separation detection, and statsmodels-style inference (standard errors, Wald
tests, confidence intervals, likelihood-ratio test, delta-method intervals for
predictions) for the exact unpenalised fits.  :func:`save_model` and :func:`load_model`
keep a fitted model, its whole fit, in a file of arrays and JSON (no pickle);
:func:`evaluate` gives a classifier's loss, accuracy and confusion matrix on a set.
"""

from ._evaluate import Evaluation, evaluate
from ._inference import InferenceUnavailableError, LRTestResult, Summary
from ._io import load_model, save_model
from ._linear import LinearRegression, PredictionInterval
from ._logistic import LogisticRegression, ProbaInterval
from ._separation import Separation, SeparationWarning
from ._softmax import SoftmaxRegression

__all__ = [
    "Evaluation",
    "InferenceUnavailableError",
    "LRTestResult",
    "LinearRegression",
    "LogisticRegression",
    "PredictionInterval",
    "ProbaInterval",
    "Separation",
    "SeparationWarning",
    "SoftmaxRegression",
    "Summary",
    "evaluate",
    "load_model",
    "save_model",
]
