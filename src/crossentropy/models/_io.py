"""Saving a fitted :class:`SoftmaxRegression` to a file that holds data only, and loading it.

The file
--------
One ``.npz`` archive (a ZIP of ``.npy`` arrays, readable by ``numpy.load(path,
allow_pickle=False)``) with these members:

``coef.npy``       (K, n_features) float32 or float64: ``coef_``
``intercept.npy``  (K,) same dtype: ``intercept_``
``classes.npy``    (K,) integers, floats, booleans or unicode strings: ``classes_``
``velocity.npy``   optional, (q * K,) same dtype: the SGD momentum buffer
``metadata.npy``   uint8: UTF-8 JSON text (format name, schema version, the
                   hyper-parameters, the history, the fit statistics, the SGD state
                   with its random generator, and a free ``user`` dict)

Trust
-----
Loading never unpickles and never runs code from the file: the archive's members
are read with a size cap, each ``.npy`` header is parsed (NumPy's literal parser)
and checked against the shape and dtype it must have *before* any data is read,
object and structured dtypes are refused, the JSON is plain data, every value is
checked (schema version, names, types, ranges, finite parameters, the class
count against the arrays) and the hyper-parameters go through the estimator's own
checks.  Anything else is a ``ValueError`` that names the file and the problem.
A save writes a temporary file beside the target and renames it into place, so an
interrupted save leaves the previous file intact.
"""

from __future__ import annotations

import io
import json
import math
import numbers
import os
import secrets
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..optim import STOP_REASONS, History, SGDState
from ..optim._schedules import SCHEDULES
from ._checks import check_params
from ._softmax import SoftmaxRegression

__all__ = ["FORMAT", "SCHEMA_VERSION", "load_model", "save_model"]

#: The ``format`` entry of the metadata, and the version of its layout.
FORMAT = "crossentropy-model"
SCHEMA_VERSION = 1

# The largest member read (a 10-class float64 model with 3 million features).
_MAX_MEMBER_BYTES = 256 * 2**20
_MAX_METADATA_BYTES = 64 * 2**20
_MAX_RECORDS = 1_000_000
_MEMBERS = ("metadata.npy", "coef.npy", "intercept.npy", "classes.npy", "velocity.npy")
_REQUIRED = _MEMBERS[:4]
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
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
}
_STATISTICS = (
    "loglike_",
    "loglike_null_",
    "deviance_",
    "null_deviance_",
    "nobs_",
    "df_model_",
    "df_resid_",
    "aic_",
    "bic_",
)


class _Invalid(ValueError):
    """A problem with the file's content (reported with the file's name)."""


# ---------------------------------------------------------------------- saving


def _json_number(value: Any) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def _params_of(model: SoftmaxRegression) -> dict[str, Any]:
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


def save_model(
    model: SoftmaxRegression,
    path: str | os.PathLike[str],
    *,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """Save a fitted :class:`SoftmaxRegression` as an ``.npz`` file of arrays and JSON.

    The file keeps what predicting and continuing the fit need: ``coef_``,
    ``intercept_``, ``classes_``, the hyper-parameters, ``history_``, the fit
    statistics and, for SGD, the schedule's position, the momentum buffer and the
    shuffling generator (so that :meth:`~SoftmaxRegression.partial_fit` on the
    loaded model continues the run exactly).  It stores no code: a model whose
    ``callback`` is set is saved without it; a callable ``schedule`` is refused.

    Parameters
    ----------
    model : SoftmaxRegression
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
    if not isinstance(model, SoftmaxRegression):
        raise TypeError(f"`model` must be a fitted SoftmaxRegression; got {type(model).__name__}")
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(model, "coef_")
    if metadata is not None and not isinstance(metadata, dict):
        raise TypeError(f"`metadata` must be a dict or None; got {type(metadata).__name__}")
    coef = np.ascontiguousarray(model.coef_)
    intercept = np.ascontiguousarray(model.intercept_, dtype=coef.dtype)
    classes = np.asarray(model.classes_)
    if classes.dtype.kind not in "iufbU":
        raise TypeError(
            "the class labels must be integers, floats, booleans or strings to be saved; "
            f"got dtype {classes.dtype}"
        )
    state: SGDState | None = getattr(model, "_sgd_state", None)
    history: History = model.history_
    names = getattr(model, "feature_names_in_", None)
    meta: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "estimator": "SoftmaxRegression",
        "crossentropy_version": _version(),
        "params": _params_of(model),
        "n_features": int(coef.shape[1]),
        "n_classes": int(coef.shape[0]),
        "dtype": str(coef.dtype),
        "feature_names": None if names is None else [str(n) for n in names],
        "stop_reason": str(model.stop_reason_),
        "n_iter": int(model.n_iter_),
        "statistics": {k: _json_number(getattr(model, k)) for k in _STATISTICS},
        "history": {
            "unit": history.unit,
            "stop_reason": history.stop_reason,
            "records": [{k: _json_number(v) for k, v in r.items()} for r in history.records],
        },
        "sgd": None
        if state is None
        else {
            "epoch": int(state.epoch),
            "step": int(state.step),
            "start_loss": None if state.start_loss is None else _json_number(state.start_loss),
            "rng": _rng_state(state.rng),
            "auto_rate": getattr(model, "_auto_rate", None),
        },
        "user": metadata or {},
    }
    try:
        text = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`metadata` must hold JSON data only (no NaN): {exc}") from None
    arrays: dict[str, NDArray[Any]] = {
        "metadata": np.frombuffer(text.encode("utf-8"), dtype=np.uint8),
        "coef": coef,
        "intercept": intercept,
        "classes": classes,
    }
    if state is not None and state.velocity is not None:
        arrays["velocity"] = np.ascontiguousarray(state.velocity, dtype=coef.dtype)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "xb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]  # no object arrays: no pickle
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _version() -> str:
    from .. import __version__

    return __version__


# ---------------------------------------------------------------------- loading


def _read_npy(data: bytes, name: str, kinds: str, shape: tuple[int, ...] | None) -> NDArray[Any]:
    """Parse one ``.npy`` member; the header is checked before the data is touched."""
    f = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            hdr_shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version in ((2, 0), (3, 0)):
            hdr_shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise _Invalid(f"{name}: unknown .npy version {version}")
    except _Invalid:
        raise
    except Exception as exc:  # a malformed header: NumPy raises several kinds
        raise _Invalid(f"{name}: not a valid .npy array ({exc})") from None
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise _Invalid(f"{name}: dtype {dtype} is not allowed (plain numbers or strings only)")
    if dtype.kind not in kinds:
        raise _Invalid(f"{name}: dtype {dtype} is not allowed here")
    if shape is not None and (
        len(hdr_shape) != len(shape)
        or any(want >= 0 and got != want for got, want in zip(hdr_shape, shape, strict=True))
    ):
        want_text = tuple("n" if s < 0 else s for s in shape)
        raise _Invalid(f"{name}: shape {hdr_shape}, expected {want_text}")
    count = math.prod(hdr_shape)
    payload = data[f.tell() :]
    if len(payload) != count * dtype.itemsize:
        raise _Invalid(
            f"{name}: the header promises {count * dtype.itemsize} bytes of data, the file "
            f"holds {len(payload)}"
        )
    arr = np.frombuffer(payload, dtype=dtype, count=count)
    arr = arr.reshape(hdr_shape, order="F" if fortran else "C")
    return np.array(arr, dtype=dtype.newbyteorder("="), order="C")


def _members(path: Path) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _Invalid(f"not an .npz (ZIP) archive ({exc})") from None
    out: dict[str, bytes] = {}
    with archive:
        infos = archive.infolist()
        if len(infos) > len(_MEMBERS):
            raise _Invalid(f"{len(infos)} members; a model file has at most {len(_MEMBERS)}")
        for info in infos:
            if info.filename not in _MEMBERS:
                raise _Invalid(f"unexpected member {info.filename!r}")
            if info.filename in out:
                raise _Invalid(f"member {info.filename!r} appears twice")
            cap = _MAX_METADATA_BYTES if info.filename == "metadata.npy" else _MAX_MEMBER_BYTES
            if info.file_size > cap:
                raise _Invalid(f"{info.filename} claims {info.file_size} bytes, more than {cap}")
            try:
                with archive.open(info) as member:
                    data = member.read(cap + 1)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise _Invalid(f"{info.filename}: damaged ({exc})") from None
            if len(data) > cap:  # pragma: no cover - zipfile stops at file_size
                raise _Invalid(f"{info.filename} is larger than {cap} bytes")
            out[info.filename] = data
    missing = [m for m in _REQUIRED if m not in out]
    if missing:
        raise _Invalid(f"missing member(s) {missing}")
    return out


def _get(d: dict[str, Any], key: str, types: tuple[type, ...], where: str) -> Any:
    if key not in d:
        raise _Invalid(f"{where}: missing {key!r}")
    value = d[key]
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        names = " or ".join("null" if t is type(None) else t.__name__ for t in types)
        raise _Invalid(f"{where}: {key!r} must be {names}; got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _Invalid(f"{where}: {key!r} must be finite; got {value}")
    return value


def _non_negative_int(d: dict[str, Any], key: str, where: str) -> int:
    value = _get(d, key, (int,), where)
    if value < 0:
        raise _Invalid(f"{where}: {key!r} must be >= 0; got {value}")
    return int(value)


def _check_metadata(raw: NDArray[Any]) -> dict[str, Any]:
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Invalid(f"metadata.npy is not UTF-8 JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise _Invalid("the metadata must be a JSON object")
    if meta.get("format") != FORMAT:
        raise _Invalid(f"not a crossentropy model (format {meta.get('format')!r})")
    version = _get(meta, "schema_version", (int,), "metadata")
    if version != SCHEMA_VERSION:
        newer = " (written by a newer crossentropy)" if version > SCHEMA_VERSION else ""
        raise _Invalid(
            f"schema version {version}{newer}; this version reads schema {SCHEMA_VERSION}"
        )
    if meta.get("estimator") != "SoftmaxRegression":
        raise _Invalid(f"unknown estimator {meta.get('estimator')!r}")
    return meta


def _check_params(meta: dict[str, Any]) -> dict[str, Any]:
    params = _get(meta, "params", (dict,), "metadata")
    unknown = sorted(set(params) - set(_PARAMS))
    if unknown:
        raise _Invalid(f"params: unknown hyper-parameter(s) {unknown}")
    out = {name: _get(params, name, types, "params") for name, types in _PARAMS.items()}
    if out["schedule"] not in SCHEDULES:
        raise _Invalid(f"params: 'schedule' must be one of {SCHEDULES}; got {out['schedule']!r}")
    if isinstance(out["learning_rate"], str) and out["learning_rate"] != "auto":
        raise _Invalid("params: 'learning_rate' must be a number or 'auto'")
    try:
        check_params(SoftmaxRegression(**out))
    except (TypeError, ValueError) as exc:
        raise _Invalid(f"params: {exc}") from None
    return out


def _history(meta: dict[str, Any]) -> History:
    h = _get(meta, "history", (dict,), "metadata")
    unit = _get(h, "unit", (str,), "history")
    if unit not in ("epoch", "iteration"):
        raise _Invalid(f"history: 'unit' must be 'epoch' or 'iteration'; got {unit!r}")
    stop = _get(h, "stop_reason", (str, type(None)), "history")
    if stop is not None and stop not in STOP_REASONS:
        raise _Invalid(f"history: unknown stop reason {stop!r}")
    records = _get(h, "records", (list,), "history")
    if len(records) > _MAX_RECORDS:
        raise _Invalid(f"history: {len(records)} records, more than {_MAX_RECORDS}")
    out = History(unit)
    out.stop_reason = stop
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not all(
            isinstance(k, str)
            and (v is None or (isinstance(v, numbers.Real) and not isinstance(v, bool)))
            for k, v in rec.items()
        ):
            raise _Invalid(f"history: record {i} must map names to numbers")
        out.append(**{k: (np.nan if v is None else float(v)) for k, v in rec.items()})
    return out


def _sgd_state(meta: dict[str, Any], random_state: int | None) -> tuple[SGDState | None, Any]:
    sgd = _get(meta, "sgd", (dict, type(None)), "metadata")
    if sgd is None:
        return None, None
    state = SGDState(
        epoch=_non_negative_int(sgd, "epoch", "sgd"),
        step=_non_negative_int(sgd, "step", "sgd"),
        rng=np.random.default_rng(random_state),
        start_loss=_get(sgd, "start_loss", (int, float, type(None)), "sgd"),
    )
    rng = _get(sgd, "rng", (dict, type(None)), "sgd")
    if rng is not None:
        if rng.get("bit_generator") != "PCG64":
            raise _Invalid(f"sgd: unknown bit generator {rng.get('bit_generator')!r}")
        bitgen = np.random.PCG64()
        try:
            inner = _get(rng, "state", (dict,), "sgd.rng")
            bitgen.state = {
                "bit_generator": "PCG64",
                "state": {
                    "state": _non_negative_int(inner, "state", "sgd.rng"),
                    "inc": _non_negative_int(inner, "inc", "sgd.rng"),
                },
                "has_uint32": _non_negative_int(rng, "has_uint32", "sgd.rng"),
                "uinteger": _non_negative_int(rng, "uinteger", "sgd.rng"),
            }
        except (TypeError, ValueError, OverflowError) as exc:
            if isinstance(exc, _Invalid):
                raise
            raise _Invalid(f"sgd: invalid generator state ({exc})") from None
        state.rng = np.random.Generator(bitgen)
    auto = _get(sgd, "auto_rate", (int, float, type(None)), "sgd")
    if auto is not None and auto <= 0:
        raise _Invalid(f"sgd: 'auto_rate' must be > 0; got {auto}")
    return state, auto


def _finite(arr: NDArray[Any], name: str) -> None:
    if not np.all(np.isfinite(arr)):
        i = int(np.flatnonzero(~np.isfinite(arr.ravel()))[0])
        raise _Invalid(f"{name} holds a non-finite value ({arr.ravel()[i]}) at flat index {i}")


def _build(members: dict[str, bytes]) -> tuple[SoftmaxRegression, dict[str, Any]]:
    meta = _check_metadata(_read_npy(members["metadata.npy"], "metadata.npy", "u", (-1,)))
    params = _check_params(meta)
    k = _get(meta, "n_classes", (int,), "metadata")
    p = _get(meta, "n_features", (int,), "metadata")
    if k < 2 or p < 1:
        raise _Invalid(f"n_classes must be >= 2 and n_features >= 1; got {k} and {p}")
    dtype = _get(meta, "dtype", (str,), "metadata")
    if dtype not in ("float32", "float64"):
        raise _Invalid(f"dtype must be 'float32' or 'float64'; got {dtype!r}")
    coef = _read_npy(members["coef.npy"], "coef.npy", "f", (k, p))
    intercept = _read_npy(members["intercept.npy"], "intercept.npy", "f", (k,))
    classes = _read_npy(members["classes.npy"], "classes.npy", "iufbU", (k,))
    for name, arr in (("coef.npy", coef), ("intercept.npy", intercept)):
        if arr.dtype != np.dtype(dtype):
            raise _Invalid(f"{name}: dtype {arr.dtype}, the metadata says {dtype}")
        _finite(arr, name)
    if classes.dtype.kind == "f":
        _finite(classes, "classes.npy")
    if np.unique(classes).shape[0] != k or not np.all(classes[:-1] < classes[1:]):
        raise _Invalid("classes.npy must hold distinct labels in increasing order")
    q = p + int(params["fit_intercept"])
    velocity = None
    if "velocity.npy" in members:
        velocity = _read_npy(members["velocity.npy"], "velocity.npy", "f", (q * k,))
        if velocity.dtype != np.dtype(dtype):
            raise _Invalid(f"velocity.npy: dtype {velocity.dtype}, the metadata says {dtype}")
        _finite(velocity, "velocity.npy")
    if not params["fit_intercept"] and np.any(intercept != 0):
        raise _Invalid("intercept.npy must be zeros for a model without intercept")
    names = _get(meta, "feature_names", (list, type(None)), "metadata")
    if names is not None and (len(names) != p or not all(isinstance(n, str) for n in names)):
        raise _Invalid(f"feature_names must be {p} strings")
    stop = _get(meta, "stop_reason", (str,), "metadata")
    if stop not in STOP_REASONS:
        raise _Invalid(f"unknown stop reason {stop!r}")
    stats = _get(meta, "statistics", (dict,), "metadata")
    user = _get(meta, "user", (dict,), "metadata")

    model = SoftmaxRegression(**params)
    model.classes_ = classes
    model.n_features_in_ = p
    if names is not None:
        model.feature_names_in_ = np.asarray(names, dtype=object)
    model.coef_ = coef
    model.intercept_ = intercept
    theta = np.empty((q, k), dtype=coef.dtype)
    if params["fit_intercept"]:
        theta[0] = intercept
    theta[q - p :] = coef.T
    model._theta = theta.ravel()
    model.history_ = _history(meta)
    model.stop_reason_ = stop
    model.n_iter_ = _non_negative_int(meta, "n_iter", "metadata")
    for key in _STATISTICS:
        value = _get(stats, key, (int, float, type(None)), "statistics")
        setattr(model, key, np.nan if value is None else float(value))
    theta64 = theta.astype(np.float64)
    model._params = theta64[:, 1:] - theta64[:, :1]
    model._names = (["intercept"] if params["fit_intercept"] else []) + (
        names if names is not None else [f"x{j}" for j in range(p)]
    )
    model._wald = None
    model._no_inference = (
        "the model was loaded from a file, which keeps no covariance matrix; "
        "refit it to get standard errors"
    )
    model.separation_ = None
    state, auto = _sgd_state(meta, params["random_state"])
    if state is not None:
        state.velocity = velocity
        model._sgd_state = state
        model._auto_rate = None if auto is None else float(auto)
    return model, user


def load_model(
    path: str | os.PathLike[str], *, return_metadata: bool = False
) -> SoftmaxRegression | tuple[SoftmaxRegression, dict[str, Any]]:
    """Load a model saved by :func:`save_model`, checking everything in the file.

    Nothing in the file is executed: arrays are parsed from their ``.npy`` headers
    with ``allow_pickle=False`` semantics and checked for shape, dtype and finite
    values, the JSON metadata is plain data checked key by key (see the module
    notes).  The model predicts like the saved one, and ``partial_fit`` continues
    an SGD fit with its schedule, momentum and shuffling; standard errors are not
    kept (refit for them).

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save_model`.
    return_metadata : bool, default False
        Also return the ``metadata`` dict given to :func:`save_model`.

    Returns
    -------
    SoftmaxRegression, or (SoftmaxRegression, dict)

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
    try:
        model, user = _build(_members(p))
    except _Invalid as exc:
        raise ValueError(f"{p} is not a valid crossentropy model file: {exc}") from None
    return (model, user) if return_metadata else model
