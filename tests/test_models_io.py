"""Tests of save_model / load_model: exact round trips of every estimator, resuming,
files of the previous schema, hostile files."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from crossentropy.models import (
    InferenceUnavailableError,
    LinearRegression,
    LogisticRegression,
    SeparationWarning,
    SoftmaxRegression,
    load_model,
    save_model,
)
from crossentropy.models import _io as model_io

FIXTURE_SCHEMA1 = Path(__file__).parent / "data" / "model_schema1.npz"


def _data(seed: int = 0, n: int = 300, p: int = 4, k: int = 3, dtype: type = np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)).astype(dtype)
    W = rng.normal(size=(p, k))
    y = np.argmax(X @ W + rng.gumbel(size=(n, k)), axis=1)
    return X, y


def _fit(**kw: object) -> tuple[SoftmaxRegression, np.ndarray, np.ndarray]:
    dtype = kw.pop("dtype", np.float64)
    X, y = _data(dtype=dtype)  # type: ignore[arg-type]
    labels = kw.pop("labels", None)
    if labels is not None:
        y = np.asarray(labels)[y]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = SoftmaxRegression(**kw).fit(X, y)  # type: ignore[arg-type]
    return m, X, y


# Every fitted attribute, compared bit for bit (NaN equal to NaN).
ATTRIBUTES = (
    "coef_",
    "intercept_",
    "classes_",
    "n_features_in_",
    "feature_names_in_",
    "n_iter_",
    "stop_reason_",
    "loglike_",
    "loglike_null_",
    "deviance_",
    "null_deviance_",
    "nobs_",
    "df_model_",
    "df_resid_",
    "aic_",
    "bic_",
    "params_",
    "bse_",
    "zvalues_",
    "pvalues_",
    "cov_params_",
    "rsquared_",
    "sigma_",
    "rank_",
)


def _attribute(model: Any, name: str) -> tuple[str, Any]:
    try:
        return "value", getattr(model, name)
    except (AttributeError, InferenceUnavailableError) as exc:
        return type(exc).__name__, str(exc)


def _assert_same_fit(loaded: Any, m: Any, X: Any) -> None:
    assert type(loaded) is type(m)
    assert loaded.get_params() == {**m.get_params(), "callback": None}
    for name in ATTRIBUTES:
        kind, value = _attribute(loaded, name)
        assert (kind, type(value)) == (_attribute(m, name)[0], type(_attribute(m, name)[1])), name
        want = _attribute(m, name)[1]
        if isinstance(value, np.ndarray):
            assert value.dtype == want.dtype and value.shape == want.shape, name
        np.testing.assert_array_equal(value, want, err_msg=name, strict=True)
    assert loaded.history_.records == m.history_.records
    assert (loaded.history_.unit, loaded.history_.stop_reason) == (
        m.history_.unit,
        m.history_.stop_reason,
    )
    if m.separation_ is None:
        assert loaded.separation_ is None
    else:
        assert loaded.separation_.message() == m.separation_.message()
        np.testing.assert_array_equal(loaded.separation_.direction, m.separation_.direction)
    assert str(loaded.summary()) == str(m.summary())
    assert loaded.summary()._repr_html_() == m.summary()._repr_html_()
    methods = ["predict", "decision_function", "predict_proba", "predict_log_proba"]
    for method in methods:
        if hasattr(m, method):
            got, want = getattr(loaded, method)(X), getattr(m, method)(X)
            np.testing.assert_array_equal(got, want, err_msg=method, strict=True)
    interval = "predict" if isinstance(m, LinearRegression) else "predict_proba"
    try:
        want_interval = getattr(m, interval)(X, interval=0.9)
    except InferenceUnavailableError:
        with pytest.raises(InferenceUnavailableError):
            getattr(loaded, interval)(X, interval=0.9)
    else:
        got_interval = getattr(loaded, interval)(X, interval=0.9)
        for got, want in zip(got_interval, want_interval, strict=True):
            np.testing.assert_array_equal(got, want, strict=True)


@pytest.mark.parametrize(
    "kw",
    [
        {"solver": "newton"},
        {"solver": "lbfgs", "l2": 0.1, "dtype": np.float32},
        {"solver": "sgd", "learning_rate": 0.5, "max_iter": 3, "momentum": 0.9, "random_state": 1},
        {"solver": "newton", "labels": ["cat", "dog", "eel"]},
        {"solver": "lbfgs", "fit_intercept": False, "labels": [-7, 0, 2]},
        {"solver": "gd", "learning_rate": "auto", "max_iter": 5},
    ],
)
def test_softmax_round_trip_is_exact(kw: dict, tmp_path: Path) -> None:
    m, X, _ = _fit(**kw)
    path = save_model(m, tmp_path / "m.npz", metadata={"data": "test", "shape": [8, 8]})
    loaded, meta = load_model(path, return_metadata=True)
    assert meta == {"data": "test", "shape": [8, 8]}
    _assert_same_fit(loaded, m, X)
    # The file is plain NumPy: readable without pickle.
    with np.load(path, allow_pickle=False) as z:
        assert {"coef", "intercept", "classes", "params", "metadata"} <= set(z.files)
        assert json.loads(z["metadata"].tobytes())["schema_version"] == 2
        np.testing.assert_array_equal(z["coef"], m.coef_)


def _challenger() -> tuple[np.ndarray, np.ndarray]:
    from crossentropy.datasets import load_challenger

    d = load_challenger()
    return d.temp_f.reshape(-1, 1), d.distress > 0


def _logistic_cases() -> list[tuple[str, Any]]:
    X, y = _challenger()
    rng = np.random.default_rng(4)
    Xc = rng.normal(size=(40, 2))
    trials = rng.integers(1, 9, size=40)
    succ = rng.binomial(trials, 1 / (1 + np.exp(-Xc @ [1.0, -0.5])))
    sep_X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    frame = pd.DataFrame({"temp": X[:, 0], "noise": rng.normal(size=len(y))})
    return [
        ("challenger", (LogisticRegression(), X, y)),
        ("dataframe", (LogisticRegression(solver="lbfgs"), frame, y)),
        ("counts", (LogisticRegression(), Xc, np.column_stack([succ, trials - succ]))),
        ("separated", (LogisticRegression(), sep_X, np.array([0, 0, 0, 1, 1, 1]))),
        ("sgd", (LogisticRegression(solver="sgd", learning_rate=1e-4, max_iter=4), X, y)),
        ("float32 l2", (LogisticRegression(l2=0.1), X.astype(np.float32), y)),
    ]


@pytest.mark.parametrize(("name", "case"), _logistic_cases())
def test_logistic_round_trip_is_exact(name: str, case: Any, tmp_path: Path) -> None:
    m, X, y = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, SeparationWarning))
        m.fit(X, y)
    assert (m.separation_ is not None) == (name == "separated")
    _assert_same_fit(load_model(save_model(m, tmp_path / "m.npz")), m, X)


def _linear_cases() -> list[tuple[str, Any]]:
    from crossentropy.datasets import load_blood_pressure

    d = load_blood_pressure()
    X = d.age.reshape(-1, 1)
    rng = np.random.default_rng(5)
    dependent = np.column_stack([X[:, 0], 2 * X[:, 0]])  # rank 1 of 2: no standard errors
    return [
        ("blood pressure", (LinearRegression(), X, d.sbp)),
        ("ridge, no intercept", (LinearRegression(l2=0.5, fit_intercept=False), X, d.sbp)),
        ("dependent columns", (LinearRegression(), dependent, d.sbp)),
        ("perfect fit", (LinearRegression(), X, 3.0 + 2.0 * X[:, 0])),
        ("sgd", (LinearRegression(solver="sgd", learning_rate="auto", max_iter=3), X, d.sbp)),
        ("weights", (LinearRegression(), X, d.sbp, rng.integers(0, 4, size=len(d.sbp)))),
    ]


@pytest.mark.parametrize(("name", "case"), _linear_cases())
def test_linear_round_trip_is_exact(name: str, case: Any, tmp_path: Path) -> None:
    m, X, y, *weights = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(X, y, *weights)
    if name == "perfect fit":
        assert m.loglike_ == np.inf  # written as "inf", read back as inf
    _assert_same_fit(load_model(save_model(m, tmp_path / "m.npz")), m, X)


def test_partial_fit_on_the_loaded_model_continues_the_run(tmp_path: Path) -> None:
    X, y = _data(3, n=500)
    kw = dict(solver="sgd", schedule="linear", learning_rate=1.0, momentum=0.5, max_iter=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        whole = SoftmaxRegression(random_state=0, **kw).fit(X, y)
    stopped = SoftmaxRegression(random_state=0, callback=lambda r: r["epoch"] == 2, **kw)
    stopped.fit(X, y)
    assert stopped.stop_reason_ == "callback"
    resumed = load_model(save_model(stopped, tmp_path / "half.npz"))
    for _ in range(2):
        resumed.partial_fit(X, y)
    # The same batches (the generator's state), rates (schedule position) and
    # momentum: the same arithmetic as the uninterrupted run.
    np.testing.assert_allclose(resumed.coef_, whole.coef_, rtol=1e-12, atol=1e-15)
    assert [r["epoch"] for r in resumed.history_] == [1, 2, 3, 4]
    np.testing.assert_allclose(
        resumed.history_["learning_rate"], whole.history_["learning_rate"], rtol=1e-15
    )


def test_warm_start_on_the_loaded_model_continues_the_iterations(tmp_path: Path) -> None:
    X, y = _data(6, n=400)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=3).fit(X, y == 1)
        loaded = load_model(save_model(first, tmp_path / "gd.npz"))
        loaded.set_params(warm_start=True, max_iter=7).fit(X, y == 1)
        whole = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=7).fit(X, y == 1)
    assert [r["iteration"] for r in loaded.history_] == [1, 2, 3, 4, 5, 6, 7]
    assert loaded.n_iter_ == 4
    # Gradient descent without momentum carries nothing else: the same iterates.
    np.testing.assert_array_equal(loaded.coef_, whole.coef_)
    np.testing.assert_array_equal(loaded.history_["loss"], whole.history_["loss"])


# ---------------------------------------------------------------------- files of schema 1


def _schema1_data() -> tuple[np.ndarray, np.ndarray]:
    """The data the fixture's model was trained on (numpy's generators are stable)."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 3)).round(3)
    W = np.array([[1.0, -1.0, 0.5], [0.0, 1.0, -1.0], [-1.0, 0.0, 0.5]])
    y = np.array(["ant", "bee", "cat"])[np.argmax(X @ W + rng.gumbel(size=(40, 3)), axis=1)]
    return X, y


def test_a_file_of_schema_1_still_loads() -> None:
    # Written by the previous version of save_model (SoftmaxRegression(solver="sgd",
    # learning_rate=0.5, momentum=0.5, max_iter=2, batch_size=8, random_state=3)).
    model, meta = load_model(FIXTURE_SCHEMA1, return_metadata=True)
    assert meta == {"note": "written by crossentropy 0.x schema 1"}
    with np.load(FIXTURE_SCHEMA1, allow_pickle=False) as z:
        old = json.loads(z["metadata"].tobytes())
        assert old["schema_version"] == 1
        np.testing.assert_array_equal(model.coef_, z["coef"], strict=True)
        np.testing.assert_array_equal(model.intercept_, z["intercept"], strict=True)
    assert model.classes_.tolist() == ["ant", "bee", "cat"]
    assert model.get_params()["warm_start"] is False
    assert len(model.history_) == 2 and model.stop_reason_ == old["stop_reason"]
    for key, value in old["statistics"].items():
        assert getattr(model, key) == value, key
    X, y = _schema1_data()
    z = X @ model.coef_.T + model.intercept_
    np.testing.assert_array_equal(model.predict(X), model.classes_[np.argmax(z, axis=1)])
    assert "schema 1, which keeps no covariance" in model.summary().notes[0]
    with pytest.raises(InferenceUnavailableError, match="schema 1"):
        model.bse_  # noqa: B018
    # Its SGD state (schedule position, momentum, generator) carries on.
    model.partial_fit(X, y)
    assert [r["epoch"] for r in model.history_] == [1, 2, 3]
    assert model.history_["learning_rate"][-1] == 0.5


def test_assigning_a_fitted_attribute_is_deprecated_and_not_saved(tmp_path: Path) -> None:
    m, X, y = _fit(solver="newton")
    with pytest.warns(DeprecationWarning, match="assigning `coef_` is deprecated"):
        m.coef_ = np.zeros_like(m.coef_)
    assert np.all(m.predict_proba(X) == m.predict_proba(X)[0])  # used, as before
    with pytest.raises(ValueError, match="`coef_` of this model was assigned by hand"):
        save_model(m, tmp_path / "m.npz")
    m.fit(X, y)  # a new fit replaces it
    assert np.any(m.coef_ != 0)
    save_model(m, tmp_path / "m.npz")


def test_save_refuses_what_it_cannot_store(tmp_path: Path) -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        save_model(SoftmaxRegression(), tmp_path / "m.npz")
    with pytest.raises(TypeError, match="SoftmaxRegression"):
        save_model(object(), tmp_path / "m.npz")  # type: ignore[arg-type]
    m, _, _ = _fit(solver="newton")
    with pytest.raises(TypeError, match="JSON"):
        save_model(m, tmp_path / "m.npz", metadata={"f": object()})
    m.schedule = lambda epoch: 0.1
    with pytest.raises(TypeError, match="callable"):
        save_model(m, tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_save_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    m, _, _ = _fit(solver="newton")
    path = save_model(m, tmp_path / "m.npz")
    before = path.read_bytes()

    def interrupted(f: object, **arrays: object) -> None:
        f.write(b"PK\x03\x04 partial")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_model(m, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left


# ---------------------------------------------------------------------- hostile files


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


def _with_metadata(members: dict[str, bytes], edit: object) -> dict[str, bytes]:
    meta = json.loads(np.load(io.BytesIO(members["metadata.npy"])).tobytes())
    edit(meta)  # type: ignore[operator]
    text = json.dumps(meta).encode()
    return {**members, "metadata.npy": _npy(np.frombuffer(text, dtype=np.uint8))}


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    m, _, _ = _fit(solver="sgd", learning_rate=0.5, max_iter=2, momentum=0.5, random_state=0)
    return save_model(m, tmp_path / "good.npz")


class _Bomb:
    """Unpickling this would call _flag: a loader must never get that far."""

    ran = False

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_flag, ())


def _flag() -> None:
    _Bomb.ran = True


def _set(path: tuple[str, ...], value: object):
    def edit(meta: dict) -> None:
        d = meta
        for key in path[:-1]:
            d = d[key]
        d[path[-1]] = value

    return edit


def _drop(key: str):
    return lambda meta: meta.pop(key)


HOSTILE_METADATA = [
    (_set(("format",), "something-else"), "not a crossentropy model"),
    (_set(("schema_version",), 3), "schema version 3 .written by a newer"),
    (_set(("schema_version",), "1"), "'schema_version' must be int"),
    (_set(("estimator",), "os.system"), "unknown estimator"),
    (_set(("params", "solver"), "__import__('os')"), "solver"),
    (_set(("params", "evil"), 1), "unknown hyper-parameter"),
    (_set(("params", "l2"), -1.0), "l2"),
    (_set(("params", "schedule"), "cosine"), "schedule"),
    (_drop("params"), "missing 'params'"),
    (_set(("n_classes",), 4), r"coef.npy: shape \(3, 4\), expected \(4, 4\)"),
    (_set(("n_classes",), 1), "n_classes must be >= 2"),
    (_set(("dtype",), "float16"), "dtype"),
    (_set(("history", "records"), [{"loss": "x"}]), "record 0"),
    (_set(("history", "unit"), "fortnight"), "unit"),
    (_set(("stop_reason",), "hacked"), "stop reason"),
    (_set(("sgd", "step"), -3), r"'step' must be in \[0, "),
    (_set(("sgd", "rng", "bit_generator"), "MT19937"), "bit generator"),
    (_set(("sgd", "rng", "state", "state"), 2**200), "an integer of 61 digits"),
    (_set(("feature_names",), ["a"]), "feature_names"),
    (_set(("statistics", "aic_"), 1.0), r"unknown key\(s\) \['aic_'\]"),
    (_set(("statistics", "deviance"), "big"), "deviance must be a number"),
    (_set(("statistics", "n_params"), 7), "n_params must be 10"),
    (_set(("statistics", "sigma"), 1.0), "'sigma' belongs to LinearRegression"),
    (_set(("inference", "names"), ["a"]), "'names' must be 5 strings"),
    (_set(("inference", "reason"), None), r"missing member\(s\) \['covariance.npy'\]"),
    (_set(("inference", "reason"), "x" * 5000), "at most 4000 characters"),
    (_set(("separation",), {"kind": "complete"}), "missing 'running'"),
    (_set(("estimator",), "LinearRegression"), "a LinearRegression has no classes"),
    (_set(("estimator",), "LogisticRegression"), "n_classes must be 2"),
    (_set(("params", "warm_start"), "yes"), "'warm_start' must be bool"),
]


@pytest.mark.parametrize(("edit", "match"), HOSTILE_METADATA)
def test_hostile_metadata_is_refused(saved: Path, edit: object, match: str) -> None:
    bad = _write(saved.with_name("bad.npz"), _with_metadata(_members(saved), edit))
    with pytest.raises(ValueError, match="not a valid crossentropy model file") as info:
        load_model(bad)
    assert info.match(match)


def _header_only(shape: tuple[int, ...], dtype: str = "<f8") -> bytes:
    """An .npy header claiming ``shape`` followed by 16 bytes: a lie about the size."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": dtype, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue() + b"\x00" * 16


HOSTILE_MEMBERS = [
    ({"coef.npy": b"not numpy"}, "coef.npy: not a valid .npy array"),
    ({"coef.npy": _header_only((3, 4))}, "header promises 96 bytes"),
    ({"coef.npy": _header_only((2**40, 4))}, "shape"),
    ({"metadata.npy": _header_only((2**62,), "|u1")}, "header promises"),
    ({"coef.npy": _npy(np.zeros((3, 4), dtype=np.complex128))}, "dtype complex128"),
    ({"coef.npy": _npy(np.zeros((3, 4), dtype=np.float32))}, "dtype float32, the metadata"),
    ({"coef.npy": _npy(np.full((3, 4), np.nan))}, "non-finite value"),
    ({"intercept.npy": _npy(np.array([0.0, np.inf, 0.0]))}, "non-finite"),
    ({"classes.npy": _npy(np.array([2, 1, 0]))}, "increasing order"),
    ({"classes.npy": _npy(np.array([0, 0, 1]))}, "distinct"),
    ({"classes.npy": _npy(np.array([_Bomb(), 1, 2], dtype=object))}, "dtype object"),
    ({"velocity.npy": _npy(np.zeros(7))}, r"velocity.npy: shape \(7,\)"),
    ({"extra.npy": _npy(np.zeros(1))}, "unexpected member 'extra.npy'"),
    ({"params.npy": _npy(np.zeros((5, 3)))}, r"params.npy: shape \(5, 3\), expected \(5, 2\)"),
    ({"params.npy": _npy(np.zeros((5, 2), np.float32))}, "params.npy: dtype float32"),
    ({"covariance.npy": _npy(np.eye(10))}, "covariance.npy is present, but"),
    ({"separation.npy": _npy(np.zeros((5, 2)))}, "separation.npy is present, but"),
    ({"metadata.npy": _npy(np.frombuffer(b"\xff\xfe", dtype=np.uint8))}, "is not UTF-8"),
    ({"metadata.npy": _npy(np.frombuffer(b"[1, 2]", dtype=np.uint8))}, "JSON object"),
    ({"metadata.npy": _npy(np.array([_Bomb()], dtype=object))}, "dtype object"),
]


@pytest.mark.parametrize(("change", "match"), HOSTILE_MEMBERS)
def test_hostile_arrays_are_refused_without_unpickling(
    saved: Path, change: dict[str, bytes], match: str
) -> None:
    _Bomb.ran = False
    bad = _write(saved.with_name("bad.npz"), {**_members(saved), **change})
    with pytest.raises(ValueError, match="not a valid crossentropy model file") as info:
        load_model(bad)
    assert info.match(match)
    assert not _Bomb.ran


def test_hostile_inference_of_an_exact_fit_is_refused(tmp_path: Path) -> None:
    m, _, _ = _fit(solver="newton")
    good = _members(save_model(m, tmp_path / "exact.npz"))
    cov = np.load(io.BytesIO(good["covariance.npy"]))
    skew = cov.copy()
    skew[0, 1] += 1.0
    for change, match in [
        ({"covariance.npy": _npy(skew)}, "symmetric with a positive diagonal"),
        ({"covariance.npy": _npy(-cov)}, "symmetric with a positive diagonal"),
        ({"covariance.npy": _npy(cov[:-1, :-1])}, r"covariance.npy: shape \(9, 9\)"),
        ({"covariance.npy": _npy(np.full_like(cov, np.nan))}, "non-finite"),
    ]:
        bad = _write(tmp_path / "bad.npz", {**good, **change})
        with pytest.raises(ValueError, match=match):
            load_model(bad)
    del good["covariance.npy"]
    with pytest.raises(ValueError, match=r"missing member\(s\) \['covariance.npy'\]"):
        load_model(_write(tmp_path / "nocov.npz", good))


def test_broken_archives_are_refused(saved: Path, tmp_path: Path) -> None:
    data = saved.read_bytes()
    for name, content, match in [
        ("truncated.npz", data[: len(data) // 2], "not an .npz"),
        ("empty.npz", b"", "not an .npz"),
        ("text.npz", b"hello, world", "not an .npz"),
    ]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValueError, match=match):
            load_model(tmp_path / name)
    members = _members(saved)
    del members["classes.npy"]
    with pytest.raises(ValueError, match=r"missing member\(s\) \['classes.npy'\]"):
        load_model(_write(tmp_path / "missing.npz", members))
    # A member whose stored bytes were damaged fails its CRC check.
    raw = bytearray(data)
    offset = raw.find(b"\x93NUMPY") + 60
    raw[offset] ^= 0xFF
    (tmp_path / "flipped.npz").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="not a valid crossentropy model file"):
        load_model(tmp_path / "flipped.npz")
    with pytest.raises(FileNotFoundError, match="no model file"):
        load_model(tmp_path / "absent.npz")
    with pytest.raises(ValueError, match="directory"):
        load_model(tmp_path)


def test_oversized_members_are_refused_before_reading(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A ZIP can claim (and inflate to) far more than it stores: the cap comes first.
    monkeypatch.setattr(model_io, "_MAX_MEMBER_BYTES", 64)
    with pytest.raises(ValueError, match=r"coef\.npy claims .* bytes, more than 64"):
        load_model(saved)


def test_an_unknown_member_is_refused(saved: Path) -> None:
    members = _members(saved)
    members.pop("velocity.npy")
    bad = _write(saved.with_name("bad.npz"), {**members, "__init__.py": b"import os"})
    with pytest.raises(ValueError, match=r"unexpected member '__init__\.py'"):
        load_model(bad)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_loaded_sgd_fit_continues_bit_for_bit(tmp_path: Path) -> None:
    # The file keeps SGD's own iterate (coef_ is its centred form), so a fit continued
    # from a loaded model takes exactly the steps of the uninterrupted one.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 5))
    y = rng.integers(0, 3, size=300)
    kw = {"solver": "sgd", "batch_size": 16, "momentum": 0.5, "random_state": 0}
    whole = SoftmaxRegression(max_iter=4, **kw).fit(X, y)
    cut = SoftmaxRegression(max_iter=2, **kw).fit(X, y)
    save_model(cut, tmp_path / "cut.npz")
    loaded = load_model(tmp_path / "cut.npz")
    loaded.set_params(max_iter=4, warm_start=True)
    loaded.fit(X, y)
    np.testing.assert_array_equal(loaded.coef_, whole.coef_)
    np.testing.assert_array_equal(loaded.intercept_, whole.intercept_)


def _fitted_file(tmp_path: Path, deflated: bool) -> Path:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 4)), rng.integers(0, 3, 60)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = SoftmaxRegression(solver="sgd", max_iter=2, random_state=0).fit(X, y)
    path = tmp_path / "m.npz"
    save_model(m, path)
    if deflated:
        with zipfile.ZipFile(path) as src:
            members = {n: src.read(n) for n in src.namelist()}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in members.items():
                z.writestr(n, data)
    return path


@pytest.mark.parametrize("deflated", [False, True])
def test_flipped_bits_give_a_clean_error_or_a_model(tmp_path: Path, deflated: bool) -> None:
    # A bounded fuzzer: 200 copies with 1 to 4 flipped bits each.  Every load either
    # succeeds (the flip hit padding or a value still valid) or raises ValueError
    # naming the file; never zlib.error, RecursionError, OverflowError or the like.
    path = _fitted_file(tmp_path, deflated)
    data = path.read_bytes()
    rng = np.random.default_rng(7)
    bad = tmp_path / "bad.npz"
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(200):
        mutant = bytearray(data)
        for _ in range(int(rng.integers(1, 5))):
            mutant[int(rng.integers(len(mutant)))] ^= 1 << int(rng.integers(8))
        bad.write_bytes(bytes(mutant))
        try:
            load_model(bad)
            outcomes["loaded"] += 1
        except ValueError as exc:
            assert str(bad) in str(exc)
            outcomes["refused"] += 1
    assert outcomes["refused"] > 100


def _metadata_replaced(path: Path, text: str) -> Path:
    with zipfile.ZipFile(path) as src:
        members = {n: src.read(n) for n in src.namelist()}
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(text.encode(), dtype=np.uint8))
    members["metadata.npy"] = buf.getvalue()
    out = path.with_name("tampered.npz")
    with zipfile.ZipFile(out, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    return out


def test_hostile_metadata_is_refused_by_name(tmp_path: Path) -> None:
    path = _fitted_file(tmp_path, deflated=False)
    meta = json.loads(np.load(path)["metadata"].tobytes())

    def tampered(edit: Any) -> str:
        m = json.loads(json.dumps(meta))
        edit(m)
        return json.dumps(m)

    cases = {
        "[" * 100_000 + "]" * 100_000: "nested more than 64 deep",
        json.dumps(meta).replace('"l2": 0.0', '"l2": Infinity'): "Infinity is not a JSON number",
        tampered(lambda m: m["params"].update(l2=10**400)): "an integer of 401 digits",
        tampered(lambda m: m["params"].update(max_iter=10**30)): "'max_iter'.*out of range",
        tampered(lambda m: m["params"].update(batch_size=2**70)): "'batch_size'.*out of range",
        tampered(lambda m: m["sgd"].update(epoch=2**80)): r"'epoch' must be in \[0, ",
    }
    for text, match in cases.items():
        with pytest.raises(ValueError, match=match):
            load_model(_metadata_replaced(path, text))
    load_model(_metadata_replaced(path, json.dumps(meta)))  # the untouched metadata loads
