"""crossentropy: exact information measures, maximum-likelihood losses and the models they train.

The measures are re-exported here::

    >>> import crossentropy as xe
    >>> print(f"{xe.kl_divergence([0.7, 0.2, 0.1], [0.5, 0.2, 0.3], base='bits'):.5f}")
    0.18130

Losses live in :mod:`crossentropy.losses`, link functions in
:mod:`crossentropy.activations`.  Submodules with heavier dependencies (models,
datasets, plotting) are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._threads import get_num_threads, set_num_threads, threads
from ._validation import sum_tolerance
from .activations import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax, softplus
from .explain import explain  # small; crossentropy/explain/__init__.py says why it is here
from .information import binary_entropy, cross_entropy, entropy, information, kl_divergence

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "binary_entropy",
    "cross_entropy",
    "entropy",
    "explain",
    "get_num_threads",
    "information",
    "kl_divergence",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "set_num_threads",
    "sigmoid",
    "softmax",
    "softplus",
    "sum_tolerance",
    "threads",
]

# Imported on first attribute access, so that `import crossentropy` stays fast.
_LAZY_SUBMODULES = frozenset(
    {"losses", "models", "optim", "datasets", "plotting", "likelihood", "coding", "cli"}
)


def __getattr__(name: str) -> Any:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
