"""The parts of a fit state as the model file holds them: JSON values and arrays.

:func:`encode_state` turns a :class:`~._state.FitState` into the metadata entries
and the ``.npy`` members of :mod:`._io`'s file; :func:`decode_state` checks them and
rebuilds the state (see :mod:`._io` for the layout).  Numbers in the JSON are plain
numbers, ``null`` for NaN and the strings ``"inf"`` and ``"-inf"`` for infinities.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..optim import STOP_REASONS, History, SGDState
from ._archive import Invalid, check_finite, get, non_negative_int, read_npy
from ._inference import WaldInference
from ._separation import Separation
from ._state import Coefficients, FitState, FitStatistics, Inference, SolverState

__all__ = ["Layout", "decode_state", "encode_state"]

_MAX_RECORDS = 1_000_000
_MAX_TEXT = 4000
_STATISTICS = ("loglike", "loglike_null", "deviance", "null_deviance", "nobs")
_STATISTICS_V1 = ("loglike_", "loglike_null_", "deviance_", "null_deviance_", "nobs_")
_LOADED_V1 = (
    "the model was loaded from a file of schema 1, which keeps no covariance matrix; "
    "refit it to get standard errors"
)


# ---------------------------------------------------------------------- encoding


def _number(value: float) -> float | str | None:
    """A float as JSON: NaN as null, infinities as "inf" and "-inf"."""
    v = float(value)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


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
    if sgd is not None and sgd.x is not None:
        arrays["iterate"] = np.ascontiguousarray(sgd.x, dtype=coef.dtype)
    return arrays


def encode_state(state: FitState) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
    """The metadata entries and the arrays (by member name, without ``.npy``) of ``state``."""
    return _state_json(state), _arrays(state)


# ---------------------------------------------------------------------- decoding


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
                "state": non_negative_int(inner, "state", "sgd.rng", high=2**128 - 1),
                "inc": non_negative_int(inner, "inc", "sgd.rng", high=2**128 - 1),
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
    meta: dict[str, Any],
    random_state: int | None,
    velocity: NDArray[Any] | None,
    iterate: NDArray[Any] | None,
) -> SolverState:
    sgd = get(meta, "sgd", (dict, type(None)), "metadata")
    if sgd is None:
        return SolverState(None)
    start_loss = get(sgd, "start_loss", (int, float, str, type(None)), "sgd")
    state = SGDState(
        epoch=non_negative_int(sgd, "epoch", "sgd"),
        step=non_negative_int(sgd, "step", "sgd"),
        velocity=velocity,
        x=iterate,
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


class Layout:
    """The shapes a file's members must have, from its metadata and the estimator."""

    def __init__(self, meta: dict[str, Any], estimator: str, fit_intercept: bool) -> None:
        self.estimator = estimator
        self.p = get(meta, "n_features", (int,), "metadata")
        n_classes = get(meta, "n_classes", (int, type(None)), "metadata")
        if estimator == "SoftmaxRegression":
            if n_classes is None or n_classes < 2 or self.p < 1:
                raise Invalid(
                    f"n_classes must be >= 2 and n_features >= 1; got {n_classes} and {self.p}"
                )
            self.k = n_classes
        elif estimator == "LogisticRegression":
            if n_classes != 2 or self.p < 1:
                raise Invalid(f"n_classes must be 2 and n_features >= 1; got {n_classes}")
            self.k = 1
        else:
            if n_classes is not None or self.p < 1:
                raise Invalid("a LinearRegression has no classes and n_features >= 1")
            self.k = 1
        self.n_classes: int | None = n_classes
        self.fit_intercept = fit_intercept
        self.q = self.p + int(fit_intercept)
        self.k_ref = max(self.k - 1, 1) if estimator == "SoftmaxRegression" else 1
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
    members: dict[str, bytes], layout: Layout, fit_intercept: bool
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


def _statistics(meta: dict[str, Any], layout: Layout) -> FitStatistics:
    stats = get(meta, "statistics", (dict,), "metadata")
    allowed = {*_STATISTICS, "n_params", "n_params_null", "rsquared", "sigma", "rank"}
    unknown = sorted(set(stats) - allowed)
    if unknown:
        raise Invalid(f"statistics: unknown key(s) {unknown}")
    loglike, loglike_null, deviance, null_deviance, nobs = (
        _decoded(get(stats, k, (int, float, str, type(None)), "statistics"), k) for k in _STATISTICS
    )
    n_params = non_negative_int(stats, "n_params", "statistics")
    n_null = non_negative_int(stats, "n_params_null", "statistics")
    if n_params != layout.q * layout.k_ref:
        raise Invalid(f"statistics: n_params must be {layout.q * layout.k_ref}; got {n_params}")
    linear = layout.estimator == "LinearRegression"
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


def _inference(members: dict[str, bytes], meta: dict[str, Any], layout: Layout) -> Inference:
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
    members: dict[str, bytes], meta: dict[str, Any], layout: Layout
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


def _schema1_inference(
    meta: dict[str, Any],
    coefficients: Coefficients,
    names: tuple[str, ...] | None,
    layout: Layout,
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


def decode_state(
    members: dict[str, bytes],
    meta: dict[str, Any],
    layout: Layout,
    version: int,
    random_state: int | None,
) -> FitState:
    """The fit state that the checked ``members`` and ``meta`` describe."""
    coefficients, classes = _coefficients(members, layout, layout.fit_intercept)
    velocity = layout.array(members, "velocity", (layout.q * layout.k,))
    iterate = layout.array(members, "iterate", (layout.q * layout.k,))
    names = _feature_names(meta, layout.p)
    stop = get(meta, "stop_reason", (str,), "metadata")
    if stop not in STOP_REASONS:
        raise Invalid(f"unknown stop reason {stop!r}")
    if version == 1:
        statistics, inference = _schema1_inference(meta, coefficients, names, layout)
        separation = None
    else:
        statistics = _statistics(meta, layout)
        inference = _inference(members, meta, layout)
        separation = _separation(members, meta, layout)
    return FitState(
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
        solver=_solver_state(meta, random_state, velocity, iterate),
    )
