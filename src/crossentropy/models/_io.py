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
import math
import numbers
import os
from pathlib import Path
from typing import Any, Literal, TypeAlias, overload

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted

from ..optim import STOP_REASONS, History, SGDState
from ..optim._schedules import SCHEDULES
from ._archive import Invalid, check_finite, get, non_negative_int, read_members, read_npy
from ._archive import write_npz as _write_npz
from ._checks import check_params
from ._inference import WaldInference
from ._linear import LinearRegression
from ._logistic import LogisticRegression
from ._separation import Separation
from ._softmax import SoftmaxRegression
from ._state import (
    Coefficients,
    FitState,
    FitStatistics,
    Inference,
    SolverState,
    assigned_names,
)

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
_MAX_RECORDS = 1_000_000
_MAX_TEXT = 4000
_MEMBERS = (
    "metadata.npy",
    "coef.npy",
    "intercept.npy",
    "classes.npy",
    "params.npy",
    "covariance.npy",
    "separation.npy",
    "velocity.npy",
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
_STATISTICS = ("loglike", "loglike_null", "deviance", "null_deviance", "nobs")
_STATISTICS_V1 = ("loglike_", "loglike_null_", "deviance_", "null_deviance_", "nobs_")
_LOADED_V1 = (
    "the model was loaded from a file of schema 1, which keeps no covariance matrix; "
    "refit it to get standard errors"
)


# ---------------------------------------------------------------------- saving


def _number(value: float) -> float | str | None:
    """A float as JSON: NaN as null, infinities as "inf" and "-inf"."""
    v = float(value)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


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


def _rng_state(rng: np.random.Generator | None) -> dict[str, Any] | None:
    if rng is None or not isinstance(rng.bit_generator, np.random.PCG64):
        return None
    state = rng.bit_generator.state
    return {
        "bit_generator": "PCG64",
        "state": {"state": int(state["state"]["state"]), "inc": int(state["state"]["inc"])},
        "has_uint32": int(state["has_uint32"]),
        "uinteger": int(state["uinteger"]),
    }


def _state_json(state: FitState) -> dict[str, Any]:
    """The parts of the fit state that the metadata holds."""
    s, inf, sep, solver = state.statistics, state.inference, state.separation, state.solver
    sgd = solver.sgd
    return {
        "feature_names": None if state.feature_names is None else list(state.feature_names),
        "stop_reason": state.stop_reason,
        "n_iter": state.n_iter,
        "statistics": {
            **{k: _number(getattr(s, k)) for k in _STATISTICS},
            "n_params": int(s.n_params),
            "n_params_null": int(s.n_params_null),
            "rsquared": None if s.rsquared is None else _number(s.rsquared),
            "sigma": None if s.sigma is None else _number(s.sigma),
            "rank": s.rank,
        },
        "inference": {
            "names": list(inf.names),
            "df": None if inf.wald is None or inf.wald.df is None else float(inf.wald.df),
            "reason": inf.reason,
        },
        "separation": None
        if sep is None
        else {
            "kind": sep.kind,
            "running": list(sep.running),
            "n_separated": int(sep.n_separated),
            "n_obs": int(sep.n_obs),
        },
        "history": {
            "unit": state.history.unit,
            "stop_reason": state.history.stop_reason,
            "records": [{k: _number(v) for k, v in r.items()} for r in state.history.records],
        },
        "sgd": None
        if sgd is None
        else {
            "epoch": int(sgd.epoch),
            "step": int(sgd.step),
            "start_loss": None if sgd.start_loss is None else _number(sgd.start_loss),
            "rng": _rng_state(sgd.rng),
            "auto_rate": solver.auto_rate,
        },
    }


def _arrays(state: FitState) -> dict[str, NDArray[Any]]:
    """The members of the file besides the metadata."""
    c = state.coefficients
    coef = np.ascontiguousarray(c.coef)
    arrays = {
        "coef": coef,
        "intercept": np.ascontiguousarray(c.intercept, dtype=coef.dtype),
        "params": np.ascontiguousarray(state.inference.params, dtype=np.float64),
    }
    if state.classes is not None:
        classes = np.asarray(state.classes)
        if classes.dtype.kind not in "iufbU":
            raise TypeError(
                "the class labels must be integers, floats, booleans or strings to be saved; "
                f"got dtype {classes.dtype}"
            )
        arrays["classes"] = classes
    if state.inference.wald is not None:
        arrays["covariance"] = np.ascontiguousarray(state.inference.wald.cov)
    if state.separation is not None:
        arrays["separation"] = np.ascontiguousarray(state.separation.direction)
    sgd = state.solver.sgd
    if sgd is not None and sgd.velocity is not None:
        arrays["velocity"] = np.ascontiguousarray(sgd.velocity, dtype=coef.dtype)
    return arrays


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
    meta: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "estimator": type(model).__name__,
        "crossentropy_version": _version(),
        "params": _params_of(model),
        "n_features": int(state.n_features),
        "n_classes": None if state.classes is None else len(state.classes),
        "dtype": str(state.coefficients.coef.dtype),
        **_state_json(state),
        "user": metadata or {},
    }
    try:
        text = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`metadata` must hold JSON data only (no NaN): {exc}") from None
    arrays = {"metadata": np.frombuffer(text.encode("utf-8"), dtype=np.uint8), **_arrays(state)}
    target = Path(path)
    _write_npz(target, arrays)
    return target


def _version() -> str:
    from .. import __version__

    return __version__


# ---------------------------------------------------------------------- loading


def _decoded(value: Any, where: str) -> float:
    """A number written by :func:`_number` (null: NaN)."""
    if value is None:
        return math.nan
    if value in ("inf", "-inf"):
        return math.inf if value == "inf" else -math.inf
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise Invalid(f"{where} must be a number, null, 'inf' or '-inf'; got {value!r}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise Invalid(f"{where} must be a string of at most {_MAX_TEXT} characters")
    return value


def _check_metadata(raw: NDArray[Any]) -> tuple[dict[str, Any], int, type[Model]]:
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Invalid(f"metadata.npy is not UTF-8 JSON ({exc})") from None
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
    if out["schedule"] not in SCHEDULES:
        raise Invalid(f"params: 'schedule' must be one of {SCHEDULES}; got {out['schedule']!r}")
    if isinstance(out["learning_rate"], str) and out["learning_rate"] != "auto":
        raise Invalid("params: 'learning_rate' must be a number or 'auto'")
    try:
        check_params(cls(**out))
    except (TypeError, ValueError) as exc:
        raise Invalid(f"params: {exc}") from None
    return out


def _history(meta: dict[str, Any]) -> History:
    h = get(meta, "history", (dict,), "metadata")
    unit = get(h, "unit", (str,), "history")
    if unit not in ("epoch", "iteration"):
        raise Invalid(f"history: 'unit' must be 'epoch' or 'iteration'; got {unit!r}")
    stop = get(h, "stop_reason", (str, type(None)), "history")
    if stop is not None and stop not in STOP_REASONS:
        raise Invalid(f"history: unknown stop reason {stop!r}")
    records = get(h, "records", (list,), "history")
    if len(records) > _MAX_RECORDS:
        raise Invalid(f"history: {len(records)} records, more than {_MAX_RECORDS}")
    out = History(unit)
    out.stop_reason = stop
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not all(isinstance(k, str) for k in rec):
            raise Invalid(f"history: record {i} must map names to numbers")
        try:
            out.append(**{k: _decoded(v, k) for k, v in rec.items()})
        except Invalid:
            raise Invalid(f"history: record {i} must map names to numbers") from None
    return out


def _generator(rng: dict[str, Any]) -> np.random.Generator:
    if rng.get("bit_generator") != "PCG64":
        raise Invalid(f"sgd: unknown bit generator {rng.get('bit_generator')!r}")
    bitgen = np.random.PCG64()
    try:
        inner = get(rng, "state", (dict,), "sgd.rng")
        bitgen.state = {
            "bit_generator": "PCG64",
            "state": {
                "state": non_negative_int(inner, "state", "sgd.rng"),
                "inc": non_negative_int(inner, "inc", "sgd.rng"),
            },
            "has_uint32": non_negative_int(rng, "has_uint32", "sgd.rng"),
            "uinteger": non_negative_int(rng, "uinteger", "sgd.rng"),
        }
    except Invalid:
        raise
    except (TypeError, ValueError, OverflowError) as exc:
        raise Invalid(f"sgd: invalid generator state ({exc})") from None
    return np.random.Generator(bitgen)


def _solver_state(
    meta: dict[str, Any], random_state: int | None, velocity: NDArray[Any] | None
) -> SolverState:
    sgd = get(meta, "sgd", (dict, type(None)), "metadata")
    if sgd is None:
        return SolverState(None)
    start_loss = get(sgd, "start_loss", (int, float, str, type(None)), "sgd")
    state = SGDState(
        epoch=non_negative_int(sgd, "epoch", "sgd"),
        step=non_negative_int(sgd, "step", "sgd"),
        velocity=velocity,
        rng=np.random.default_rng(random_state),
        start_loss=None if start_loss is None else _decoded(start_loss, "sgd: 'start_loss'"),
    )
    rng = get(sgd, "rng", (dict, type(None)), "sgd")
    if rng is not None:
        state.rng = _generator(rng)
    auto = get(sgd, "auto_rate", (int, float, type(None)), "sgd")
    if auto is not None and auto <= 0:
        raise Invalid(f"sgd: 'auto_rate' must be > 0; got {auto}")
    return SolverState(state, None if auto is None else float(auto))


class _Layout:
    """The shapes a file's members must have, from its metadata."""

    def __init__(self, meta: dict[str, Any], cls: type[Model], fit_intercept: bool) -> None:
        self.p = get(meta, "n_features", (int,), "metadata")
        n_classes = get(meta, "n_classes", (int, type(None)), "metadata")
        if cls is SoftmaxRegression:
            if n_classes is None or n_classes < 2 or self.p < 1:
                raise Invalid(
                    f"n_classes must be >= 2 and n_features >= 1; got {n_classes} and {self.p}"
                )
            self.k = n_classes
        elif cls is LogisticRegression:
            if n_classes != 2 or self.p < 1:
                raise Invalid(f"n_classes must be 2 and n_features >= 1; got {n_classes}")
            self.k = 1
        else:
            if n_classes is not None or self.p < 1:
                raise Invalid("a LinearRegression has no classes and n_features >= 1")
            self.k = 1
        self.n_classes: int | None = n_classes
        self.q = self.p + int(fit_intercept)
        self.k_ref = max(self.k - 1, 1) if cls is SoftmaxRegression else 1
        self.dtype = get(meta, "dtype", (str,), "metadata")
        if self.dtype not in ("float32", "float64"):
            raise Invalid(f"dtype must be 'float32' or 'float64'; got {self.dtype!r}")

    def array(self, members: dict[str, bytes], name: str, shape: tuple[int, ...]) -> Any:
        """A floating-point member in the model's dtype, checked finite (None if absent)."""
        if f"{name}.npy" not in members:
            return None
        arr = read_npy(members[f"{name}.npy"], f"{name}.npy", "f", shape)
        if arr.dtype != np.dtype(self.dtype):
            raise Invalid(f"{name}.npy: dtype {arr.dtype}, the metadata says {self.dtype}")
        check_finite(arr, f"{name}.npy")
        return arr


def _coefficients(
    members: dict[str, bytes], layout: _Layout, fit_intercept: bool
) -> tuple[Coefficients, NDArray[Any] | None]:
    for name in ("coef.npy", "intercept.npy"):
        if name not in members:
            raise Invalid(f"missing member(s) [{name!r}]")
    coef = layout.array(members, "coef", (layout.k, layout.p))
    intercept = layout.array(members, "intercept", (layout.k,))
    classes = None
    if layout.n_classes is not None:
        if "classes.npy" not in members:
            raise Invalid("missing member(s) ['classes.npy']")
        classes = read_npy(members["classes.npy"], "classes.npy", "iufbU", (layout.n_classes,))
        if classes.dtype.kind == "f":
            check_finite(classes, "classes.npy")
        if np.unique(classes).shape[0] != layout.n_classes or not np.all(
            classes[:-1] < classes[1:]
        ):
            raise Invalid("classes.npy must hold distinct labels in increasing order")
    elif "classes.npy" in members:
        raise Invalid("classes.npy: a LinearRegression has no classes")
    if not fit_intercept and np.any(intercept != 0):
        raise Invalid("intercept.npy must be zeros for a model without intercept")
    return Coefficients(coef, intercept, fit_intercept), classes


def _feature_names(meta: dict[str, Any], p: int) -> tuple[str, ...] | None:
    names = get(meta, "feature_names", (list, type(None)), "metadata")
    if names is not None and (len(names) != p or not all(isinstance(n, str) for n in names)):
        raise Invalid(f"feature_names must be {p} strings")
    return None if names is None else tuple(names)


def _statistics(meta: dict[str, Any], cls: type[Model], layout: _Layout) -> FitStatistics:
    stats = get(meta, "statistics", (dict,), "metadata")
    allowed = {*_STATISTICS, "n_params", "n_params_null", "rsquared", "sigma", "rank"}
    unknown = sorted(set(stats) - allowed)
    if unknown:
        raise Invalid(f"statistics: unknown key(s) {unknown}")
    loglike, loglike_null, deviance, null_deviance, nobs = (
        _decoded(get(stats, k, (int, float, str, type(None)), "statistics"), k)
        for k in _STATISTICS
    )
    n_params = non_negative_int(stats, "n_params", "statistics")
    n_null = non_negative_int(stats, "n_params_null", "statistics")
    if n_params != layout.q * layout.k_ref:
        raise Invalid(f"statistics: n_params must be {layout.q * layout.k_ref}; got {n_params}")
    linear = cls is LinearRegression
    extra: dict[str, Any] = {}
    for key in ("rsquared", "sigma"):
        value = get(stats, key, (int, float, str, type(None)), "statistics")
        extra[key] = _decoded(value, key) if linear else None
        if not linear and value is not None:
            raise Invalid(f"statistics: {key!r} belongs to LinearRegression only")
    rank = get(stats, "rank", (int, type(None)), "statistics")
    if rank is not None and not (linear and 0 <= rank <= layout.p):
        raise Invalid(f"statistics: 'rank' must be null or in 0..{layout.p}; got {rank}")
    return FitStatistics(
        loglike,
        loglike_null,
        deviance,
        null_deviance,
        nobs,
        n_params,
        n_null,
        rsquared=extra["rsquared"],
        sigma=extra["sigma"],
        rank=rank,
    )


def _inference(members: dict[str, bytes], meta: dict[str, Any], layout: _Layout) -> Inference:
    inf = get(meta, "inference", (dict,), "metadata")
    names = get(inf, "names", (list,), "inference")
    if len(names) != layout.q or not all(isinstance(n, str) for n in names):
        raise Invalid(f"inference: 'names' must be {layout.q} strings")
    if "params.npy" not in members:
        raise Invalid("missing member(s) ['params.npy']")
    params = read_npy(members["params.npy"], "params.npy", "f", (layout.q, layout.k_ref))
    if params.dtype != np.float64:
        raise Invalid(f"params.npy: dtype {params.dtype}, expected float64")
    check_finite(params, "params.npy")
    reason = get(inf, "reason", (str, type(None)), "inference")
    df = get(inf, "df", (int, float, type(None)), "inference")
    if df is not None and df <= 0:
        raise Invalid(f"inference: 'df' must be > 0 or null; got {df}")
    if reason is not None:
        if "covariance.npy" in members:
            raise Invalid("covariance.npy is present, but the inference says there is none")
        return Inference(params, tuple(names), None, _text(reason, "inference: 'reason'"))
    m = params.size
    if "covariance.npy" not in members:
        raise Invalid("missing member(s) ['covariance.npy']")
    cov = read_npy(members["covariance.npy"], "covariance.npy", "f", (m, m))
    if cov.dtype != np.float64:
        raise Invalid(f"covariance.npy: dtype {cov.dtype}, expected float64")
    check_finite(cov, "covariance.npy")
    if np.any(np.diag(cov) <= 0) or not np.array_equal(cov, cov.T):
        raise Invalid("covariance.npy must be symmetric with a positive diagonal")
    wald = WaldInference(params.ravel(), cov, None if df is None else float(df))
    return Inference(params, tuple(names), wald, None)


def _separation(
    members: dict[str, bytes], meta: dict[str, Any], layout: _Layout
) -> Separation | None:
    sep = get(meta, "separation", (dict, type(None)), "metadata")
    if sep is None:
        if "separation.npy" in members:
            raise Invalid("separation.npy is present, but the metadata has no separation")
        return None
    kind = get(sep, "kind", (str,), "separation")
    if kind not in ("complete", "quasi-complete"):
        raise Invalid(f"separation: unknown kind {kind!r}")
    running = get(sep, "running", (list,), "separation")
    if not all(isinstance(r, str) and len(r) <= _MAX_TEXT for r in running):
        raise Invalid("separation: 'running' must be names (strings)")
    n_sep = non_negative_int(sep, "n_separated", "separation")
    n_obs = non_negative_int(sep, "n_obs", "separation")
    if n_sep > n_obs:
        raise Invalid(f"separation: {n_sep} separated of {n_obs} observations")
    if "separation.npy" not in members:
        raise Invalid("missing member(s) ['separation.npy']")
    shape = (layout.q, layout.k_ref)
    direction = read_npy(members["separation.npy"], "separation.npy", "f", shape)
    check_finite(direction, "separation.npy")
    if int(np.count_nonzero(direction)) != len(running):
        raise Invalid("separation: 'running' must name each non-zero entry of the direction")
    return Separation(kind, direction.astype(np.float64), tuple(running), n_sep, n_obs)


def _build(members: dict[str, bytes]) -> tuple[Model, dict[str, Any]]:
    if "metadata.npy" not in members:
        raise Invalid("missing member(s) ['metadata.npy']")
    raw = read_npy(members["metadata.npy"], "metadata.npy", "u", (-1,))
    meta, version, cls = _check_metadata(raw)
    allowed = _MEMBERS if version > 1 else _MEMBERS_V1
    unexpected = sorted(set(members) - set(allowed))
    if unexpected:
        raise Invalid(f"unexpected member {unexpected[0]!r}")
    params = _check_params(meta, cls, version)
    layout = _Layout(meta, cls, params["fit_intercept"])
    coefficients, classes = _coefficients(members, layout, params["fit_intercept"])
    velocity = layout.array(members, "velocity", (layout.q * layout.k,))
    names = _feature_names(meta, layout.p)
    stop = get(meta, "stop_reason", (str,), "metadata")
    if stop not in STOP_REASONS:
        raise Invalid(f"unknown stop reason {stop!r}")
    if version == 1:
        statistics, inference = _schema1_inference(meta, coefficients, names, layout)
        separation = None
    else:
        statistics = _statistics(meta, cls, layout)
        inference = _inference(members, meta, layout)
        separation = _separation(members, meta, layout)
    state = FitState(
        coefficients=coefficients,
        classes=classes,
        n_features=layout.p,
        feature_names=names,
        statistics=statistics,
        inference=inference,
        history=_history(meta),
        n_iter=non_negative_int(meta, "n_iter", "metadata"),
        stop_reason=stop,
        separation=separation,
        solver=_solver_state(meta, params["random_state"], velocity),
    )
    model = cls(**params)
    model._attach(state)
    return model, get(meta, "user", (dict,), "metadata")


def _schema1_inference(
    meta: dict[str, Any],
    coefficients: Coefficients,
    names: tuple[str, ...] | None,
    layout: _Layout,
) -> tuple[FitStatistics, Inference]:
    """The statistics and estimates of a schema-1 (softmax) file, which has no covariance."""
    stats = get(meta, "statistics", (dict,), "metadata")
    loglike, loglike_null, deviance, null_deviance, nobs = (
        _decoded(get(stats, k, (int, float, type(None)), "statistics"), k) for k in _STATISTICS_V1
    )
    for key in ("df_model_", "df_resid_", "aic_", "bic_"):  # derived: checked, not kept
        get(stats, key, (int, float, type(None)), "statistics")
    k, fit_intercept = layout.k, coefficients.fit_intercept
    statistics = FitStatistics(
        loglike,
        loglike_null,
        deviance,
        null_deviance,
        nobs,
        n_params=layout.q * (k - 1),
        n_params_null=(k - 1) * int(fit_intercept),
    )
    theta64 = coefficients.theta().astype(np.float64).reshape(layout.q, k)
    params = theta64[:, 1:] - theta64[:, :1]
    row_names = (["intercept"] if fit_intercept else []) + (
        list(names) if names is not None else [f"x{j}" for j in range(layout.p)]
    )
    return statistics, Inference(params, tuple(row_names), None, _LOADED_V1)


@overload
def load_model(path: str | os.PathLike[str], *, return_metadata: Literal[False] = ...) -> Model: ...


@overload
def load_model(
    path: str | os.PathLike[str], *, return_metadata: Literal[True]
) -> tuple[Model, dict[str, Any]]: ...


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

