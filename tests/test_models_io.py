"""Tests of save_model / load_model: round trips, resuming SGD, hostile files."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from crossentropy.models import SoftmaxRegression, load_model, save_model
from crossentropy.models import _io as model_io


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


@pytest.mark.parametrize(
    "kw",
    [
        {"solver": "newton"},
        {"solver": "lbfgs", "l2": 0.1, "dtype": np.float32},
        {"solver": "sgd", "learning_rate": 0.5, "max_iter": 3, "momentum": 0.9, "random_state": 1},
        {"solver": "newton", "labels": ["cat", "dog", "eel"]},
        {"solver": "lbfgs", "fit_intercept": False, "labels": [-7, 0, 2]},
    ],
)
def test_round_trip_keeps_predictions_and_the_record(kw: dict, tmp_path: Path) -> None:
    m, X, _ = _fit(**kw)
    path = save_model(m, tmp_path / "m.npz", metadata={"data": "test", "shape": [8, 8]})
    loaded, meta = load_model(path, return_metadata=True)
    assert meta == {"data": "test", "shape": [8, 8]}
    # Bit-identical arrays, so bit-identical predictions.
    np.testing.assert_array_equal(loaded.coef_, m.coef_)
    np.testing.assert_array_equal(loaded.intercept_, m.intercept_)
    np.testing.assert_array_equal(loaded.classes_, m.classes_)
    assert loaded.coef_.dtype == m.coef_.dtype
    np.testing.assert_array_equal(loaded.predict_proba(X), m.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), m.predict(X))
    assert loaded.get_params() == {**m.get_params(), "callback": None}
    assert loaded.history_.records == m.history_.records
    assert loaded.history_.unit == m.history_.unit
    assert (loaded.stop_reason_, loaded.n_iter_) == (m.stop_reason_, m.n_iter_)
    assert loaded.loglike_ == m.loglike_ and loaded.aic_ == m.aic_
    np.testing.assert_allclose(loaded.params_, m.params_, rtol=1e-6, atol=1e-6)
    assert "loaded from a file" in str(loaded.summary())
    # The file is plain NumPy: readable without pickle.
    with np.load(path, allow_pickle=False) as z:
        assert {"coef", "intercept", "classes", "metadata"} <= set(z.files)
        assert json.loads(z["metadata"].tobytes())["schema_version"] == 1


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
    (_set(("schema_version",), 2), "schema version 2 .written by a newer"),
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
    (_set(("sgd", "step"), -3), "'step' must be >= 0"),
    (_set(("sgd", "rng", "bit_generator"), "MT19937"), "bit generator"),
    (_set(("sgd", "rng", "state", "state"), 2**200), "generator state"),
    (_set(("feature_names",), ["a"]), "feature_names"),
    (_set(("statistics", "aic_"), "big"), "aic_"),
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
    ({"extra.npy": _npy(np.zeros(1))}, "6 members; a model file has at most 5"),
    ({"metadata.npy": _npy(np.frombuffer(b"\xff\xfe", dtype=np.uint8))}, "not UTF-8 JSON"),
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
