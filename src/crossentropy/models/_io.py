"""Saving a fitted model to a file that holds data only, and loading it.

:func:`save_model` writes an estimator's whole fit state (:class:`~._state.FitState`)
and :func:`load_model` rebuilds it, for :class:`LinearRegression`,
:class:`LogisticRegression` and :class:`SoftmaxRegression`: the loaded model has
every fitted attribute of the saved one, bit for bit (standard errors and the
summary included), and ``partial_fit`` or ``warm_start`` continue its fit.

The file
--------
One ``.npz`` archive (a ZIP of ``.npy`` arrays, readable by ``numpy.load(path,
allow_pickle=False)``) with these members (K coefficient rows: the number of
classes for softmax regression, else 1; q = n_features + 1 with an intercept):

``coef.npy``        (K, n_features) float32 or float64: the coefficients
``intercept.npy``   (K,) same dtype: the intercepts (zeros without intercept)
``classes.npy``     (n_classes,) integers, floats, booleans or strings (classifiers)
``params.npy``      (q, K) float64, (q, K - 1) for softmax: ``params_``
``covariance.npy``  optional, float64 (q K, q K): ``cov_params_``
``separation.npy``  optional, float64 (q, max(K - 1, 1)): the separating direction
``velocity.npy``    optional, (q * K,) fit dtype: the SGD momentum buffer
``iterate.npy``     optional, (q * K,) fit dtype: SGD's parameters exactly as its last
                    step left them (``coef_`` is their centred form), so that a
                    continued fit equals the uninterrupted one bit for bit
``metadata.npy``    uint8: UTF-8 JSON text (format name, schema version, the
                    estimator and its hyper-parameters, the likelihood statistics,
                    the inference's names and degrees of freedom, the history, the
                    SGD state with its random generator, and a free ``user`` dict)

Numbers in the JSON are plain numbers, ``null`` for NaN and the strings ``"inf"`` and
``"-inf"`` for infinities.  Files of schema 1 (softmax regression only, written by
earlier versions) are read as well; they keep no covariance matrix.

Trust
-----
Loading never unpickles and never runs code from the file (see :mod:`._archive`):
each member is read with a size cap and its ``.npy`` header checked before any data
is read, the JSON is plain data, every value is checked (schema version, names,
types, ranges, finite parameters, the shapes against each other) and the
hyper-parameters go through the estimator's own checks.  Anything else is a
``ValueError`` that names the file and the problem.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal, TypeAlias, overload

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted

from ..optim._schedules import SCHEDULES
from ._archive import Invalid, get, parse_json, read_members, read_npy, write_npz
from ._checks import check_params
from ._codec import Layout, decode_state, encode_state
from ._linear import LinearRegression
from ._logistic import LogisticRegression
from ._softmax import SoftmaxRegression
from ._state import assigned_names

__all__ = ["FORMAT", "SCHEMA_VERSION", "Model", "load_model", "save_model"]

#: The ``format`` entry of the metadata, and the version of its layout.
FORMAT = "crossentropy-model"
SCHEMA_VERSION = 2

#: The estimators a model file holds.
Model: TypeAlias = LinearRegression | LogisticRegression | SoftmaxRegression
_ESTIMATORS: dict[str, type[Model]] = {
    "LinearRegression": LinearRegression,
    "LogisticRegression": LogisticRegression,
    "SoftmaxRegression": SoftmaxRegression,
}

# The largest member read (a 10-class float64 model with 3 million features).
_MAX_MEMBER_BYTES = 256 * 2**20
_MAX_METADATA_BYTES = 64 * 2**20
_MEMBERS = (
    "metadata.npy",
    "coef.npy",
    "intercept.npy",
    "classes.npy",
    "params.npy",
    "covariance.npy",
    "separation.npy",
    "velocity.npy",
    "iterate.npy",
)
_MEMBERS_V1 = ("metadata.npy", "coef.npy", "intercept.npy", "classes.npy", "velocity.npy")
# Hyper-parameters saved, with the JSON types each may take (None where allowed).
_PARAMS: dict[str, tuple[type, ...]] = {
    "solver": (str,),
    "l2": (int, float),
    "fit_intercept": (bool,),
    "max_iter": (int,),
    "tol": (int, float),
    "learning_rate": (int, float, str),
    "batch_size": (int,),
    "momentum": (int, float),
    "nesterov": (bool,),
    "schedule": (str,),
    "decay": (int, float, type(None)),
    "early_stopping": (bool,),
    "validation_fraction": (int, float, type(None)),
    "n_iter_no_change": (int,),
    "random_state": (int, type(None)),
    "warm_start": (bool,),
}


# ---------------------------------------------------------------------- saving


def _params_of(model: Model) -> dict[str, Any]:
    params = model.get_params()
    if callable(params["schedule"]):
        raise TypeError(
            "a model whose `schedule` is a Python callable cannot be saved: the file "
            "stores data only, never code; use one of "
            f"{SCHEDULES} or set schedule after loading"
        )
    rs = params["random_state"]
    seed = int(rs) if isinstance(rs, (int, np.integer)) and not isinstance(rs, bool) else None
    out: dict[str, Any] = {}
    for name in _PARAMS:
        value = params[name]
        if name == "random_state":
            value = seed  # a Generator is not data; its state is saved with the SGD state
        elif isinstance(value, (np.integer, np.floating, np.bool_)):
            value = value.item()
        out[name] = value
    return out


def save_model(
    model: Model,
    path: str | os.PathLike[str],
    *,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """Save a fitted model as an ``.npz`` file of arrays and JSON (no pickle).

    The file keeps the whole fit: the coefficients, the classes, the
    hyper-parameters, ``history_``, the likelihood statistics, the estimates with
    their covariance (so standard errors and ``summary()`` survive), the separating
    direction if any and, for SGD, the schedule's position, the momentum buffer and
    the shuffling generator (so that ``partial_fit`` on the loaded model continues
    the run exactly).  It stores no code: a model whose ``callback`` is set is saved
    without it; a callable ``schedule`` is refused.

    Parameters
    ----------
    model : LinearRegression, LogisticRegression or SoftmaxRegression
        A fitted model.
    path : str or path-like
        The file to write (``.npz`` by convention; the name is used as given).
        It is written to a temporary file first and renamed into place.
    metadata : dict, optional
        Extra JSON-serialisable information (such as the data set the model was
        trained on), returned by ``load_model(path, return_metadata=True)``.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, os
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> m = SoftmaxRegression(solver="newton", l2=0.01).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "iris.npz")
    >>> _ = save_model(m, path, metadata={"data": "iris"})
    >>> loaded, meta = load_model(path, return_metadata=True)
    >>> bool(np.array_equal(loaded.predict(X), m.predict(X))), meta
    (True, {'data': 'iris'})
    """
    if not isinstance(model, tuple(_ESTIMATORS.values())):
        raise TypeError(
            "`model` must be a fitted LinearRegression, LogisticRegression or "
            f"SoftmaxRegression; got {type(model).__name__}"
        )
    check_is_fitted(model)
    assigned = assigned_names(model)
    if assigned:
        raise ValueError(
            f"{', '.join(f'`{n}`' for n in assigned)} of this model was assigned by hand, so "
            "it is not the fit's; save_model saves fits only (refit, e.g. with coef_init)"
        )
    if metadata is not None and not isinstance(metadata, dict):
        raise TypeError(f"`metadata` must be a dict or None; got {type(metadata).__name__}")
    state = model._state()
    entries, arrays = encode_state(state)
    meta: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "estimator": type(model).__name__,
        "crossentropy_version": _version(),
        "params": _params_of(model),
        "n_features": int(state.n_features),
        "n_classes": None if state.classes is None else len(state.classes),
        "dtype": str(state.coefficients.coef.dtype),
        **entries,
        "user": metadata or {},
    }
    try:
        text = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`metadata` must hold JSON data only (no NaN): {exc}") from None
    target = Path(path)
    write_npz(target, {"metadata": np.frombuffer(text.encode("utf-8"), dtype=np.uint8), **arrays})
    return target


def _version() -> str:
    from .. import __version__

    return __version__


# ---------------------------------------------------------------------- loading


def _check_metadata(raw: NDArray[Any]) -> tuple[dict[str, Any], int, type[Model]]:
    try:
        text = raw.tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Invalid(f"metadata.npy is not UTF-8 ({exc})") from None
    try:
        meta = parse_json(text)
    except Invalid as exc:
        raise Invalid(f"metadata.npy: {exc}") from None
    if not isinstance(meta, dict):
        raise Invalid("the metadata must be a JSON object")
    if meta.get("format") != FORMAT:
        raise Invalid(f"not a crossentropy model (format {meta.get('format')!r})")
    version = get(meta, "schema_version", (int,), "metadata")
    if version not in (1, SCHEMA_VERSION):
        newer = " (written by a newer crossentropy)" if version > SCHEMA_VERSION else ""
        raise Invalid(
            f"schema version {version}{newer}; this version reads schemas 1 and {SCHEMA_VERSION}"
        )
    name = meta.get("estimator")
    known = ("SoftmaxRegression",) if version == 1 else tuple(_ESTIMATORS)
    if name not in known:
        raise Invalid(f"unknown estimator {name!r}")
    return meta, version, _ESTIMATORS[name]


def _check_params(meta: dict[str, Any], cls: type[Model], version: int) -> dict[str, Any]:
    params = get(meta, "params", (dict,), "metadata")
    expected = {k: v for k, v in _PARAMS.items() if version > 1 or k != "warm_start"}
    unknown = sorted(set(params) - set(expected))
    if unknown:
        raise Invalid(f"params: unknown hyper-parameter(s) {unknown}")
    out = {name: get(params, name, types, "params") for name, types in expected.items()}
    for name, value in out.items():
        # Counts beyond any run (max_iter = 10**30) are a damaged file, not a setting.
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**62:
            raise Invalid(f"params: {name!r} = {value} is out of range")
    if out["schedule"] not in SCHEDULES:
        raise Invalid(f"params: 'schedule' must be one of {SCHEDULES}; got {out['schedule']!r}")
    if isinstance(out["learning_rate"], str) and out["learning_rate"] != "auto":
        raise Invalid("params: 'learning_rate' must be a number or 'auto'")
    try:
        check_params(cls(**out))
    except (TypeError, ValueError) as exc:
        raise Invalid(f"params: {exc}") from None
    return out


def _build(members: dict[str, bytes]) -> tuple[Model, dict[str, Any]]:
    """The model and the user's metadata of a file's checked members."""
    if "metadata.npy" not in members:
        raise Invalid("missing member(s) ['metadata.npy']")
    raw = read_npy(members["metadata.npy"], "metadata.npy", "u", (-1,))
    meta, version, cls = _check_metadata(raw)
    allowed = _MEMBERS if version > 1 else _MEMBERS_V1
    unexpected = sorted(set(members) - set(allowed))
    if unexpected:
        raise Invalid(f"unexpected member {unexpected[0]!r}")
    params = _check_params(meta, cls, version)
    layout = Layout(meta, cls.__name__, params["fit_intercept"])
    state = decode_state(members, meta, layout, version, params["random_state"])
    model = cls(**params)
    model._attach(state)
    return model, get(meta, "user", (dict,), "metadata")


@overload
def load_model(path: str | os.PathLike[str], *, return_metadata: Literal[False] = ...) -> Model: ...


@overload
def load_model(
    path: str | os.PathLike[str], *, return_metadata: Literal[True]
) -> tuple[Model, dict[str, Any]]: ...


@overload
def load_model(
    path: str | os.PathLike[str], *, return_metadata: bool
) -> Model | tuple[Model, dict[str, Any]]: ...


def load_model(
    path: str | os.PathLike[str], *, return_metadata: bool = False
) -> Model | tuple[Model, dict[str, Any]]:
    """Load a model saved by :func:`save_model`, checking everything in the file.

    Nothing in the file is executed: arrays are parsed from their ``.npy`` headers
    with ``allow_pickle=False`` semantics and checked for shape, dtype and finite
    values, the JSON metadata is plain data checked key by key (see the module
    notes).  The model has every fitted attribute of the saved one: it predicts
    the same, reports the same standard errors and summary, and ``partial_fit``
    continues an SGD fit with its schedule, momentum and shuffling.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save_model`.
    return_metadata : bool, default False
        Also return the ``metadata`` dict given to :func:`save_model`.

    Returns
    -------
    LinearRegression, LogisticRegression or SoftmaxRegression, or (model, dict)

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When the file is not a valid model file: the message names the file and
        the first problem found (a truncated or corrupted archive, an unexpected
        member, a shape, dtype or value out of place, an unknown schema version).

    Examples
    --------
    >>> load_model("/nonexistent/model.npz")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no model file at /nonexistent/model.npz
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a path (str or os.PathLike); got {type(path).__name__}")
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no model file at {p}")
    if not p.is_file():
        raise ValueError(f"{p} is not a model file (it is a directory or special file)")
    caps = {"metadata.npy": _MAX_METADATA_BYTES}
    try:
        model, user = _build(read_members(p, _MEMBERS, caps, _MAX_MEMBER_BYTES))
    except Invalid as exc:
        raise ValueError(f"{p} is not a valid crossentropy model file: {exc}") from None
    return (model, user) if return_metadata else model
