"""Room 3: classify by hand, the TensorFlow Playground done with cross-entropy.

Inputs (one or two columns) pass through the features of the Playground
(x1, x2, x1², x2², x1·x2, sin x1, sin x2) into a logistic regression (two classes,
one weight per feature and a bias) or a softmax regression (a row of weights and
a bias per class).  The page sets the weights by hand or asks for steps of the
library's own solvers: ``LogisticRegression`` / ``SoftmaxRegression`` with
``solver="gd"``, ``"sgd"`` or ``"newton"``, started at the page's weights
(``coef_init``) and stopped after the requested number of iterations (epochs for
SGD).  Losses come from :mod:`crossentropy.losses`, probabilities from
:mod:`crossentropy.activations`, accuracy and the confusion matrix from
scikit-learn's metrics.

Every request carries its whole state.  SGD shuffles with a generator seeded by
the run's seed and the number of steps taken before the request, so the same
sequence of requests replays the same run exactly.
"""

from __future__ import annotations

import base64
import math
import re
import tempfile
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._datasets import DataSet, UploadStore, dataset_from
from ._inputs import Body, InputError, as_number, blame
from ._steps import stop_after

__all__ = [
    "FEATURES",
    "Download",
    "classify_data",
    "classify_evaluate",
    "classify_export",
    "classify_save_model",
    "classify_step",
]

#: The features of the TensorFlow Playground, by name.
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
METHODS = ("gd", "sgd", "newton")
MAX_STEPS = {"gd": 1000, "sgd": 100, "newton": 20}
MAX_WEIGHT = 1e6
GRID_DEFAULT, GRID_MAX = 100, 200
CURVE_POINTS = 241


@dataclass(frozen=True)
class Download:
    """A file for the browser to save: bytes, a file name and a media type."""

    data: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class Setting:
    """A parsed request of the room: data, features, model and its weights."""

    data: DataSet
    features: tuple[str, ...]
    model: str
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    unit: str


_FEATURE_MAPS: dict[str, Any] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}


def feature_matrix(X: NDArray[np.float64], features: tuple[str, ...]) -> NDArray[np.float64]:
    """The columns named by ``features`` (see :data:`FEATURES`) of the inputs ``X``.

    With one input column only the features of x1 can be asked for (``_features``
    refuses the others before this is called).
    """
    x1 = X[:, 0]
    x2 = X[:, 1] if X.shape[1] > 1 else None
    return np.column_stack([_FEATURE_MAPS[name](x1, x2) for name in features])


def _features(body: Body, data: DataSet) -> tuple[str, ...]:
    raw = body.items("features", min_length=1, max_length=len(FEATURES))
    chosen: list[str] = []
    for i, name in enumerate(raw):
        if not isinstance(name, str) or name not in FEATURES:
            raise InputError(
                f"`features[{i}]` must be one of {', '.join(FEATURES)}; got {name!r}", "features"
            )
        if name in chosen:
            raise InputError(f"`features` names {name!r} twice", "features")
        if data.n_inputs == 1 and "x2" in name:
            raise InputError(
                f"feature {name!r} needs a second input; this data set has one "
                f"({data.input_names[0]})",
                "features",
            )
        chosen.append(name)
    # The page's order, whatever order the boxes were ticked in.
    return tuple(sorted(chosen, key=FEATURES.index))


def _setting(body: Body, uploads: UploadStore) -> Setting:
    data = dataset_from(body.child("data"), uploads)
    features = _features(body, data)
    k = data.n_classes
    model = body.choice("model", ("logistic", "softmax"))
    if model == "logistic" and k != 2:
        raise InputError(
            f"logistic regression separates 2 classes; this data set has {k}: choose softmax",
            "model",
        )
    rows = 1 if model == "logistic" else k
    raw = body.items("weights", min_length=rows, max_length=rows)
    coef = np.empty((rows, len(features)))
    for r, row in enumerate(raw):
        if not isinstance(row, list) or len(row) != len(features):
            raise InputError(
                f"`weights[{r}]` must be a list of {len(features)} numbers (one per feature); "
                f"got {row!r:.60}",
                "weights",
            )
        for j, value in enumerate(row):
            coef[r, j] = as_number(value, f"weights[{r}][{j}]", low=-MAX_WEIGHT, high=MAX_WEIGHT)
    intercept = np.array(
        body.numbers("bias", min_length=rows, max_length=rows, low=-MAX_WEIGHT, high=MAX_WEIGHT)
    )
    unit = body.choice("unit", ("nats", "bits"), default="nats")
    return Setting(data, features, model, coef, intercept, unit)


def logits(setting: Setting, phi: NDArray[np.float64]) -> NDArray[np.float64]:
    """The linear predictor ``phi @ coef.T + intercept``, one column per weight row."""
    return phi @ setting.coef.T + setting.intercept


def probabilities(setting: Setting, z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Class probabilities from the logits, by the library's sigmoid or softmax."""
    from ..activations import sigmoid, softmax

    if setting.model == "logistic":
        p1 = sigmoid(z[:, 0])
        return np.column_stack([sigmoid(-z[:, 0]), p1])
    return np.asarray(softmax(z, axis=-1))


def predictions(setting: Setting, z: NDArray[np.float64]) -> NDArray[np.intp]:
    """The predicted class: the more probable one (logit > 0, or the largest logit)."""
    if setting.model == "logistic":
        return (z[:, 0] > 0).astype(np.intp)
    return np.argmax(z, axis=1).astype(np.intp)


def mean_loss(setting: Setting, z: NDArray[np.float64], labels: NDArray[np.intp]) -> float:
    """Mean cross-entropy of the labels under the model, in the setting's unit."""
    from ..losses import binary_cross_entropy_with_logits, categorical_cross_entropy_with_logits

    if setting.model == "logistic":
        per_row = binary_cross_entropy_with_logits(labels.astype(np.float64), z[:, 0])
    else:
        per_row = categorical_cross_entropy_with_logits(labels, z)
    nats = float(np.mean(per_row))
    return nats / math.log(2.0) if setting.unit == "bits" else nats


def _metrics(setting: Setting, rows: NDArray[np.bool_]) -> dict[str, Any] | None:
    from sklearn.metrics import accuracy_score, confusion_matrix

    if not np.any(rows):
        return None
    phi = feature_matrix(setting.data.X[rows], setting.features)
    labels = setting.data.labels[rows]
    z = logits(setting, phi)
    pred = predictions(setting, z)
    k = setting.data.n_classes
    return {
        "n": int(labels.shape[0]),
        "loss": mean_loss(setting, z, labels),
        "accuracy": float(accuracy_score(labels, pred)),
        "confusion": confusion_matrix(labels, pred, labels=list(range(k))).tolist(),
    }


def _bytes64(values: NDArray[Any]) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=np.uint8).tobytes()).decode()


def _grid(setting: Setting, size: int) -> dict[str, Any]:
    """What the page colours: the decision regions (2 inputs) or the curves (1 input)."""
    bounds = setting.data.bounds
    if setting.data.n_inputs == 1:
        x = np.linspace(*bounds[0], CURVE_POINTS)
        phi = feature_matrix(x[:, None], setting.features)
        proba = probabilities(setting, logits(setting, phi))
        return {
            "kind": "curve",
            "x": [float(v) for v in x],
            "class": np.argmax(proba, axis=1).tolist(),
            "proba": [[round(float(v), 6) for v in proba[:, c]] for c in range(proba.shape[1])],
        }
    g1 = np.linspace(*bounds[0], size)
    g2 = np.linspace(*bounds[1], size)
    # Row i of the image is x2 = g2[i] (bottom row first), column j is x1 = g1[j].
    X = np.column_stack([np.tile(g1, size), np.repeat(g2, size)])
    proba = probabilities(setting, logits(setting, feature_matrix(X, setting.features)))
    best = np.argmax(proba, axis=1)
    confidence = proba[np.arange(best.shape[0]), best]
    return {
        "kind": "regions",
        "size": size,
        "x1": list(bounds[0]),
        "x2": list(bounds[1]),
        # Quantised to bytes for drawing: the class and its probability in 1/255ths.
        "class": _bytes64(best),
        "confidence": _bytes64(np.rint(confidence * 255.0)),
    }


def _evaluation(setting: Setting, grid_size: int) -> dict[str, Any]:
    test = setting.data.test
    return {
        "features": list(setting.features),
        "model": setting.model,
        "weights": setting.coef.tolist(),
        "bias": setting.intercept.tolist(),
        "unit": setting.unit,
        "train": _metrics(setting, ~test),
        "test": _metrics(setting, test),
        "grid": _grid(setting, grid_size),
    }


def _grid_size(body: Body) -> int:
    return body.integer("grid", low=10, high=GRID_MAX, default=GRID_DEFAULT)


def classify_data(body: Body, uploads: UploadStore) -> dict[str, Any]:
    """The points of a data set: inputs, labels, which are test rows, bounds, names."""
    data = dataset_from(body.child("data"), uploads)
    return {
        "x": [[float(v) for v in row] for row in data.X],
        "labels": data.labels.tolist(),
        "test": data.test.tolist(),
        "classes": list(data.classes),
        "inputs": list(data.input_names),
        "bounds": [list(b) for b in data.bounds],
        "description": data.description,
        "standardisation": (
            {"mean": list(data.shift), "std": list(data.scale)} if data.shift else None
        ),
        "features": [f for f in FEATURES if data.n_inputs == 2 or "x2" not in f],
        "n_train": int(np.count_nonzero(~data.test)),
        "n_test": int(np.count_nonzero(data.test)),
    }


def classify_evaluate(body: Body, uploads: UploadStore) -> dict[str, Any]:
    """Loss, accuracy and confusion matrix on the training and test rows, and the regions."""
    setting = _setting(body, uploads)
    return _evaluation(setting, _grid_size(body))


def run_seed(seed: int, step: int) -> int:
    """The shuffling seed of a request that starts after ``step`` steps of a run."""
    return int(np.random.SeedSequence([seed, step]).generate_state(1)[0])


def classify_step(body: Body, uploads: UploadStore) -> dict[str, Any]:
    """Steps of gradient descent, mini-batch SGD or Newton from the page's weights."""
    from ..models import LogisticRegression, SoftmaxRegression
    from ..optim import DivergenceError

    setting = _setting(body, uploads)
    method = body.choice("method", METHODS)
    rate = body.number("rate", low=0.0, low_open=True, high=1e6, default=0.1)
    l2 = body.number("l2", low=0.0, high=1e6, default=0.0)
    steps = body.integer("steps", low=1, high=MAX_STEPS[method], default=1)
    seed = body.integer("seed", low=0, high=2**31 - 1, default=0)
    step = body.integer("step", low=0, high=10**9, default=0)
    grid_size = _grid_size(body)
    train = ~setting.data.test
    n_train = int(np.count_nonzero(train))
    batch = body.integer("batch", low=1, high=max(n_train, 1), default=min(10, n_train))
    phi = feature_matrix(setting.data.X[train], setting.features)
    labels = setting.data.labels[train]

    cls = LogisticRegression if setting.model == "logistic" else SoftmaxRegression
    model = cls(
        solver=method,
        learning_rate=rate,
        l2=l2,
        batch_size=batch,
        max_iter=steps + 1,
        callback=stop_after(steps),
        random_state=run_seed(seed, step),
    )
    diverged = None
    with blame("method"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.fit(phi, labels, coef_init=setting.coef, intercept_init=setting.intercept)
        except DivergenceError as exc:
            diverged = str(exc)
    notes = list(dict.fromkeys(_named(str(w.message), setting.features) for w in caught))
    if diverged is None:
        coef = np.asarray(model.coef_, dtype=np.float64).reshape(setting.coef.shape)
        intercept = np.asarray(model.intercept_, dtype=np.float64).reshape(-1)
        setting = replace(setting, coef=coef, intercept=intercept)
        taken = len(model.history_)
        stop_reason = model.stop_reason_
        # A fit that meets its tolerance at the start takes no step and records nothing.
        history = model.history_
        objective = [float(v) for v in history["loss"]] if "loss" in history.keys() else []
    else:
        taken, stop_reason, objective = 0, "diverged", []
    out = _evaluation(setting, grid_size)
    out.update(
        method=method,
        steps_taken=taken,
        step=step + taken,
        stop_reason=stop_reason,
        objective=objective,
        diverged=diverged,
    )
    if notes:
        out["notes"] = notes
    return out


def _named(message: str, features: tuple[str, ...]) -> str:
    """The estimator's message with its column names x0, x1, ... as the page's features."""
    return re.sub(
        r"\bx(\d+)\b",
        lambda m: features[int(m.group(1))] if int(m.group(1)) < len(features) else m.group(0),
        message,
    )


def _document(body: Body, uploads: UploadStore) -> tuple[Setting, dict[str, Any], dict[str, Any]]:
    from .. import __version__

    setting = _setting(body, uploads)
    spec = body.raw("data")
    l2 = body.number("l2", low=0.0, high=1e6, default=0.0)
    data = setting.data
    doc = {
        "format": "crossentropy-playground-model",
        "version": 1,
        "crossentropy": __version__,
        "model": setting.model,
        "inputs": list(data.input_names),
        "standardisation": (
            {"mean": list(data.shift), "std": list(data.scale)} if data.shift else None
        ),
        "features": list(setting.features),
        "classes": list(data.classes),
        "coef": setting.coef.tolist(),
        "intercept": setting.intercept.tolist(),
        "l2": l2,
        "data": spec,
        "train": _metrics(setting, ~data.test),
        "test": _metrics(setting, data.test),
        "unit": setting.unit,
    }
    return setting, doc, {"l2": l2}


def classify_export(body: Body, uploads: UploadStore) -> dict[str, Any]:
    """The parameters and what they were set on, as a JSON document."""
    return _document(body, uploads)[1]


def classify_save_model(body: Body, uploads: UploadStore) -> Download:
    """The weights as a :func:`crossentropy.models.save_model` file (a SoftmaxRegression).

    ``save_model`` stores fitted SoftmaxRegression models; the page's weights become
    one by a fit that takes no step (its tolerance is met at the start), started at
    them.  A logistic model (w, b) is the two-class softmax model with rows (0, 0)
    and (w, b): the same probabilities.  The features the model takes, and any
    standardisation of the inputs, are in the file's metadata.
    """
    from ..models import SoftmaxRegression, save_model

    setting, doc, extra = _document(body, uploads)
    coef, intercept = setting.coef, setting.intercept
    if setting.model == "logistic":
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([[0.0], intercept])
    train = ~setting.data.test
    phi = feature_matrix(setting.data.X[train], setting.features)
    model = SoftmaxRegression(solver="gd", l2=extra["l2"], max_iter=1, tol=1e300)
    model.fit(phi, setting.data.labels[train], coef_init=coef, intercept_init=intercept)
    meta = {k: doc[k] for k in ("format", "model", "inputs", "standardisation", "features")}
    meta["classes"] = doc["classes"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        save_model(model, path, metadata=meta)
        data = path.read_bytes()
    return Download(data, "playground-model.npz", "application/octet-stream")
