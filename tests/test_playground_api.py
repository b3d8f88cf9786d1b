"""The playground's JSON API: every endpoint's numbers are the library's.

A server runs in a thread on a free port; each test posts what the page would post
and compares the answer with the library's own computation, made here.
"""

from __future__ import annotations

import base64
import io
import math
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import confusion_matrix

import crossentropy as xe
from _playground import RunningServer
from crossentropy import losses
from crossentropy.coding import coding_cost, huffman_code
from crossentropy.datasets import load_blood_pressure, load_challenger
from crossentropy.likelihood import binomial_likelihood, dice_likelihood
from crossentropy.models import (
    LinearRegression,
    LogisticRegression,
    SoftmaxRegression,
    load_model,
)
from crossentropy.optim import DivergenceError
from crossentropy.playground._classify import feature_matrix, run_seed
from crossentropy.playground._information import rebalanced

BP = load_blood_pressure()


@pytest.fixture(scope="module")
def srv() -> RunningServer:
    running = RunningServer()
    yield running
    running.close()


def _gd_line(x, y, a, b, rate, steps, fit_intercept=True):
    """``steps`` iterations of the library's gradient descent as one quiet fit."""
    m = LinearRegression(
        solver="gd", learning_rate=rate, max_iter=steps, tol=0.0, fit_intercept=fit_intercept
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if fit_intercept:
            m.fit(x[:, None], y, coef_init=[a], intercept_init=b)
        else:
            m.fit(x[:, None], y, coef_init=[a])
    return m


# ---------------------------------------------------------------- room 1: the line
@pytest.mark.parametrize("scale", ["years", "centred", "decades"])
def test_line_setup_is_the_least_squares_fit(srv: RunningServer, scale: str) -> None:
    s = srv.ok("/api/line/setup", {"scale": scale})
    x = np.array(s["x"])
    offset, unit = {"years": (0.0, 1.0), "centred": (BP.age.mean(), 1.0)}.get(
        scale, (BP.age.mean(), 10.0)
    )
    np.testing.assert_allclose(x, (BP.age - offset) / unit, rtol=1e-15)
    m = LinearRegression().fit(x[:, None], BP.sbp)
    ls = s["least_squares"]
    assert [ls["b"], ls["a"]] == pytest.approx(list(m.params_), rel=1e-12)
    assert [ls["se_b"], ls["se_a"]] == pytest.approx(list(m.bse_), rel=1e-12)
    assert ls["mse"] == pytest.approx(
        float(np.mean(losses.squared_error(BP.sbp, m.predict(x[:, None])))), rel=1e-12
    )
    # The MSE surface, at a few of its points.
    sf = s["surface"]
    for i, j in [(0, 0), (40, 17), (80, 80)]:
        b, a = sf["b"][i], sf["a"][j]
        want = float(np.mean(losses.squared_error(BP.sbp, b + a * x)))
        assert sf["mse"][i][j] == pytest.approx(want, rel=1e-12)


def test_line_setup_in_years_gives_the_course_numbers(srv: RunningServer) -> None:
    ls = srv.ok("/api/line/setup", {"scale": "years"})["least_squares"]
    assert round(ls["b"], 2) == 87.67 and round(ls["a"], 3) == 1.105
    assert round(ls["se_b"], 3) == 10.076 and round(ls["se_a"], 3) == 0.206


def test_line_curvature_bounds_the_stable_rate(srv: RunningServer) -> None:
    # The page's 2/L, checked against the library's gradient descent: just below it
    # the descent settles, just above it the library reports divergence.
    for scale in ("years", "decades"):
        s = srv.ok("/api/line/setup", {"scale": scale})
        x, top = np.array(s["x"]), s["curvature"]["max_rate"]
        a, b = s["start"]["a"], s["start"]["b"]
        below = _gd_line(x, BP.sbp, a, b, 0.97 * top, 400)
        assert below.history_["loss"][-1] < below.history_["loss"][0]
        with pytest.raises(DivergenceError):
            _gd_line(x, BP.sbp, a, b, 1.03 * top, 4000)
    c = srv.ok("/api/line/setup", {"scale": "years"})["curvature"]
    assert (
        c["condition"]
        > 1e4
        > srv.ok("/api/line/setup", {"scale": "decades"})["curvature"]["condition"]
    )


def test_line_evaluate_is_the_mean_squared_error(srv: RunningServer) -> None:
    ev = srv.ok("/api/line/evaluate", {"scale": "years", "a": 1.2, "b": "80.5"})
    want = losses.squared_error(BP.sbp, 80.5 + 1.2 * BP.age)
    assert ev["mse"] == pytest.approx(float(np.mean(want)), rel=1e-14)
    np.testing.assert_allclose(ev["residuals"], BP.sbp - (80.5 + 1.2 * BP.age), rtol=1e-14)


def test_line_descend_takes_the_library_steps(srv: RunningServer) -> None:
    s = srv.ok("/api/line/setup", {"scale": "centred"})
    x = np.array(s["x"])
    r = srv.ok(
        "/api/line/descend", {"scale": "centred", "a": 2.0, "b": 120.0, "rate": 0.003, "steps": 25}
    )
    assert r["diverged"] is None and len(r["path"]) == 25
    for k in (1, 7, 25):
        m = _gd_line(x, BP.sbp, 2.0, 120.0, 0.003, k)
        assert r["path"][k - 1]["a"] == pytest.approx(float(m.coef_[0]), rel=1e-12)
        assert r["path"][k - 1]["b"] == pytest.approx(m.intercept_, rel=1e-12)
        assert r["path"][k - 1]["mse"] == pytest.approx(float(m.history_["loss"][-1]), rel=1e-12)
    assert (r["a"], r["b"]) == (r["path"][-1]["a"], r["path"][-1]["b"])


def test_line_descend_too_fast_names_the_rate(srv: RunningServer) -> None:
    r = srv.ok(
        "/api/line/descend", {"scale": "years", "a": 2.5, "b": 40, "rate": 0.01, "steps": 10}
    )
    assert r["path"] == [] and "learning_rate=0.01" in r["diverged"]
    assert (r["a"], r["b"]) == (2.5, 40.0) and math.isfinite(r["mse"])
    # Slightly above 2/L a single step does not double the error, the run does.
    top = srv.ok("/api/line/setup", {"scale": "decades"})["curvature"]["max_rate"]
    r = srv.ok(
        "/api/line/descend",
        {"scale": "decades", "a": 25.0, "b": 110.0, "rate": 1.15 * top, "steps": 60},
    )
    assert r["diverged"] is not None and 0 < len(r["path"]) < 60


# ---------------------------------------------------------------- room 2: the rate
def test_rate_setup_and_descent(srv: RunningServer) -> None:
    s = srv.ok("/api/rate/setup", {})
    x = (BP.age - BP.age.mean()) / 10
    y = BP.sbp - BP.sbp.mean()
    best = LinearRegression(fit_intercept=False).fit(x[:, None], y).coef_[0]
    assert s["best"] == pytest.approx(float(best), rel=1e-12)
    assert s["best_mse"] == pytest.approx(
        float(np.mean(losses.squared_error(y, best * x))), rel=1e-12
    )
    assert s["max_rate"] == pytest.approx(2 * s["one_step_rate"], rel=1e-15)
    i = 37
    assert s["mse"][i] == pytest.approx(
        float(np.mean(losses.squared_error(y, s["a"][i] * x))), rel=1e-12
    )
    # 1/L: one step lands on the minimum (the parabola's curvature is L).
    r = srv.ok("/api/rate/descend", {"start": s["start"], "rate": s["one_step_rate"], "steps": 1})
    assert r["a"][0] == pytest.approx(s["best"], rel=1e-12)
    # Each point is the library's gradient descent after k steps.
    r = srv.ok("/api/rate/descend", {"start": 2.0, "rate": 0.3, "steps": 12})
    for k in (1, 12):
        m = _gd_line(x, y, 2.0, None, 0.3, k, fit_intercept=False)
        assert r["a"][k - 1] == pytest.approx(float(m.coef_[0]), rel=1e-12)
        assert r["mse"][k - 1] == pytest.approx(float(m.history_["loss"][-1]), rel=1e-12)
    assert "zig-zags" in r["behaviour"] and r["diverged"] is None


def test_rate_divergence_is_a_message_never_nan(srv: RunningServer) -> None:
    s = srv.ok("/api/rate/setup", {})
    r = srv.ok("/api/rate/descend", {"start": s["start"], "rate": 10, "steps": 5})
    assert r["a"] == [] and "learning_rate=10" in r["diverged"] and "diverges" in r["behaviour"]
    # Just above 2/L: the library's run-level check stops it after a few steps.
    r = srv.ok(
        "/api/rate/descend", {"start": s["start"], "rate": 1.1 * s["max_rate"], "steps": 100}
    )
    assert r["diverged"] is not None and 1 <= len(r["a"]) < 100
    with pytest.raises(DivergenceError):
        x = (BP.age - BP.age.mean()) / 10
        _gd_line(
            x, BP.sbp - BP.sbp.mean(), s["start"], None, 1.1 * s["max_rate"], len(r["a"]) + 1, False
        )
    assert all(math.isfinite(v) for v in r["a"] + r["mse"])


# ---------------------------------------------------------------- room 3: classify
BLOBS = {"name": "blobs", "noise": 0.3, "seed": 4, "n": 160, "test_fraction": 0.25}


def _points(srv: RunningServer, spec):
    d = srv.ok("/api/classify/data", {"data": spec})
    X, y, test = np.array(d["x"]), np.array(d["labels"]), np.array(d["test"])
    return d, X, y, test


def test_data_sets_are_reproducible_and_split(srv: RunningServer) -> None:
    for name in ("blobs", "xor", "circle", "spiral", "blobs3", "blobs4"):
        spec = {"name": name, "noise": 0.2, "seed": 7, "n": 120, "test_fraction": 0.3}
        d, X, y, test = _points(srv, spec)
        assert X.shape == (120, 2) and int(test.sum()) == 36
        assert len(d["classes"]) == {"blobs3": 3, "blobs4": 4}.get(name, 2) == len(set(y))
        assert srv.ok("/api/classify/data", {"data": spec}) == d
        assert srv.ok("/api/classify/data", {"data": {**spec, "seed": 8}})["x"] != d["x"]
    d, X, y, _ = _points(srv, {"name": "challenger"})
    c = load_challenger()
    np.testing.assert_array_equal(X[:, 0], c.temp_f)
    np.testing.assert_array_equal(y, c.distress > 0)
    assert d["features"] == ["x1", "x1^2", "sin(x1)"]


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_evaluate_logistic_is_the_library_loss(srv: RunningServer, unit: str) -> None:
    _, X, y, test = _points(srv, BLOBS)
    features = ["x1", "x1*x2", "sin(x2)"]
    w, b = [0.7, -0.2, 1.5], -0.3
    r = srv.ok(
        "/api/classify/evaluate",
        {
            "data": BLOBS,
            "features": features,
            "model": "logistic",
            "weights": [w],
            "bias": [b],
            "unit": unit,
        },
    )
    phi = np.column_stack([X[:, 0], X[:, 0] * X[:, 1], np.sin(X[:, 1])])
    z = phi @ np.array(w) + b
    for rows, part in ((~test, "train"), (test, "test")):
        nats = float(
            np.mean(losses.binary_cross_entropy_with_logits(y[rows].astype(float), z[rows]))
        )
        want = nats / math.log(2) if unit == "bits" else nats
        assert r[part]["loss"] == pytest.approx(want, rel=1e-13)
        pred = (z[rows] > 0).astype(int)
        assert r[part]["accuracy"] == pytest.approx(float(np.mean(pred == y[rows])), rel=1e-15)
        assert r[part]["confusion"] == confusion_matrix(y[rows], pred).tolist()
    # The decision regions: the most probable class and its probability on the grid.
    g = r["grid"]
    n = g["size"]
    cls = np.frombuffer(base64.b64decode(g["class"]), np.uint8).reshape(n, n)
    conf = np.frombuffer(base64.b64decode(g["confidence"]), np.uint8).reshape(n, n)
    i, j = 71, 13
    x1 = np.linspace(*g["x1"], n)[j]
    x2 = np.linspace(*g["x2"], n)[i]
    zz = w[0] * x1 + w[1] * x1 * x2 + w[2] * np.sin(x2) + b
    p1 = float(xe.sigmoid(zz))
    assert cls[i, j] == int(zz > 0)
    assert conf[i, j] == round(255 * max(p1, 1 - p1))


def test_evaluate_softmax_is_the_library_loss(srv: RunningServer) -> None:
    spec = {"name": "blobs3", "noise": 0.2, "seed": 2, "n": 90, "test_fraction": 0.2}
    _, X, y, test = _points(srv, spec)
    W = [[0.5, -1.0], [-0.3, 0.8], [0.1, 0.2]]
    b = [0.0, 0.3, -0.3]
    r = srv.ok(
        "/api/classify/evaluate",
        {"data": spec, "features": ["x2", "x1"], "model": "softmax", "weights": W, "bias": b},
    )
    assert r["features"] == ["x1", "x2"]  # the page's order
    Z = X[:, [0, 1]] @ np.array(W).T + np.array(b)
    want = np.mean(losses.categorical_cross_entropy_with_logits(y[~test], Z[~test]))
    assert r["train"]["loss"] == pytest.approx(float(want), rel=1e-13)
    assert (
        r["test"]["confusion"]
        == confusion_matrix(y[test], Z[test].argmax(1), labels=[0, 1, 2]).tolist()
    )


def _step(srv, body, **kw):
    return srv.ok("/api/classify/step", {**body, **kw})


def test_gradient_descent_steps_are_the_estimators(srv: RunningServer) -> None:
    _, X, y, test = _points(srv, BLOBS)
    body = {
        "data": BLOBS,
        "features": ["x1", "x2", "x1^2"],
        "model": "logistic",
        "weights": [[0.1, -0.2, 0.05]],
        "bias": [0.2],
    }
    r = _step(srv, body, method="gd", rate=0.02, l2=0.01, steps=15)
    phi = feature_matrix(X[~test], ("x1", "x2", "x1^2"))
    m = LogisticRegression(solver="gd", learning_rate=0.02, l2=0.01, max_iter=15, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(phi, y[~test], coef_init=[[0.1, -0.2, 0.05]], intercept_init=[0.2])
    np.testing.assert_allclose(r["weights"], m.coef_, rtol=1e-12)
    np.testing.assert_allclose(r["bias"], m.intercept_, rtol=1e-12)
    assert r["steps_taken"] == 15 and r["step"] == 15 and r["stop_reason"] == "callback"
    np.testing.assert_allclose(r["objective"], m.history_["loss"], rtol=1e-12)


def test_newton_reaches_the_challenger_fit(srv: RunningServer) -> None:
    body = {
        "data": {"name": "challenger"},
        "features": ["x1"],
        "model": "logistic",
        "weights": [[0.0]],
        "bias": [0.0],
    }
    r = _step(srv, body, method="newton", steps=20)
    c = load_challenger()
    exact = LogisticRegression().fit(c.temp_f[:, None], c.distress > 0)
    assert [r["bias"][0], r["weights"][0][0]] == pytest.approx(list(exact.params_), rel=1e-7)
    assert r["stop_reason"] == "converged" and round(r["bias"][0], 4) == 15.0429
    # At the maximum already: no step to take. The converged point may still take
    # Newton's polishing step, which moves the weights in their last bits only.
    again = _step(srv, {**body, "weights": r["weights"], "bias": r["bias"]}, method="newton")
    assert again["steps_taken"] == 0 and again["objective"] == []
    assert again["stop_reason"] == "converged"
    assert again["weights"][0] == pytest.approx(r["weights"][0], rel=1e-13)
    assert again["bias"] == pytest.approx(r["bias"], rel=1e-13)


def test_sgd_replays_exactly_and_is_the_estimators(srv: RunningServer) -> None:
    spec = {"name": "blobs4", "noise": 0.3, "seed": 1, "n": 120, "test_fraction": 0.25}
    _, X, y, test = _points(srv, spec)
    W0 = [[0.0, 0.1], [0.2, 0.0], [0.0, -0.1], [-0.2, 0.0]]
    body = {
        "data": spec,
        "features": ["x1", "x2"],
        "model": "softmax",
        "weights": W0,
        "bias": [0, 0, 0, 0],
    }
    settings = {"method": "sgd", "rate": 0.05, "batch": 16, "steps": 3, "seed": 9, "step": 4}
    first = _step(srv, body, **settings)
    again = _step(srv, body, **settings)
    assert first["weights"] == again["weights"] and first["bias"] == again["bias"]
    assert _step(srv, body, **{**settings, "seed": 10})["weights"] != first["weights"]
    m = SoftmaxRegression(
        solver="sgd",
        learning_rate=0.05,
        batch_size=16,
        max_iter=3,
        tol=0.0,
        random_state=run_seed(9, 4),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(X[~test], y[~test], coef_init=np.array(W0), intercept_init=np.zeros(4))
    np.testing.assert_allclose(first["weights"], m.coef_, rtol=1e-12, atol=1e-15)
    assert first["step"] == 7


def test_learning_rate_ten_diverges_with_a_message(srv: RunningServer) -> None:
    spec = {"name": "circle", "noise": 0.0, "seed": 3, "n": 200}
    body = {
        "data": spec,
        "features": ["x1^2", "x2^2"],
        "model": "logistic",
        "weights": [[0.0, 0.0]],
        "bias": [0.0],
    }
    r = _step(srv, body, method="gd", rate=10, steps=5)
    assert "learning_rate=10" in r["diverged"] and r["stop_reason"] == "diverged"
    assert r["weights"] == [[0.0, 0.0]] and math.isfinite(r["train"]["loss"])


def test_separation_is_a_note_in_the_page_names(srv: RunningServer) -> None:
    spec = {"name": "blobs", "noise": 0.0, "seed": 1}
    body = {
        "data": spec,
        "features": ["x1", "x2"],
        "model": "logistic",
        "weights": [[0.0, 0.0]],
        "bias": [0.0],
    }
    r = _step(srv, body, method="gd", rate=0.5, steps=2)
    assert any("separated" in n for n in r["notes"])
    assert not any("x0" in n for n in r["notes"])
    assert "notes" not in _step(srv, body, method="gd", rate=0.5, steps=2, l2=0.1)


def test_exports_are_the_page_weights(srv: RunningServer, tmp_path) -> None:
    spec = {"name": "xor", "noise": 0.1, "seed": 5}
    body = {
        "data": spec,
        "features": ["x1", "x2", "x1*x2"],
        "model": "logistic",
        "weights": [[0.1, -0.1, 1.3]],
        "bias": [0.05],
    }
    doc = srv.ok("/api/classify/export", {**body, "l2": 0.01})
    assert doc["coef"] == [[0.1, -0.1, 1.3]] and doc["intercept"] == [0.05]
    assert doc["features"] == ["x1", "x2", "x1*x2"] and doc["l2"] == 0.01
    ev = srv.ok("/api/classify/evaluate", body)
    assert doc["train"] == ev["train"] and doc["test"] == ev["test"]
    status, raw = srv.post("/api/classify/save_model", body)
    assert status == 200 and isinstance(raw, bytes)
    path = tmp_path / "m.npz"
    path.write_bytes(raw)
    model, meta = load_model(path, return_metadata=True)
    assert meta["features"] == ["x1", "x2", "x1*x2"] and meta["model"] == "logistic"
    _, X, _, _ = _points(srv, spec)
    phi = feature_matrix(X, ("x1", "x2", "x1*x2"))
    want = xe.sigmoid(phi @ np.array([0.1, -0.1, 1.3]) + 0.05)
    np.testing.assert_allclose(model.predict_proba(phi)[:, 1], want, rtol=1e-12)


def test_upload_a_csv(srv: RunningServer) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    labels = np.array(["cat", "dog", "eel"])[rng.integers(0, 3, 60)]
    text = "width,height,animal\n" + "".join(
        f"{a},{b},{c}\n" for (a, b), c in zip(X, labels, strict=True)
    )
    status, r = srv.post("/api/classify/upload", text.encode(), **{"Content-Type": "text/csv"})
    assert status == 200 and r["rows"] == 60 and r["classes"] == ["cat", "dog", "eel"]
    spec = {"name": "upload", "id": r["id"], "test_fraction": 0.0}
    d = srv.ok("/api/classify/data", {"data": spec})
    np.testing.assert_array_equal(d["x"], X)
    assert d["inputs"] == ["width", "height"]
    ev = srv.ok(
        "/api/classify/evaluate",
        {
            "data": spec,
            "features": ["x1"],
            "model": "softmax",
            "weights": [[1.0], [0.0], [-1.0]],
            "bias": [0, 0, 0],
        },
    )
    y = np.searchsorted(["cat", "dog", "eel"], labels)
    want = losses.categorical_cross_entropy_with_logits(y, np.outer(X[:, 0], [1.0, 0.0, -1.0]))
    assert ev["train"]["loss"] == pytest.approx(float(np.mean(want)), rel=1e-13)
    bad = srv.bad("/api/classify/data", {"data": {"name": "upload", "id": "0" * 32}})
    assert "upload it again" in bad["error"] and bad["field"] == "file"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2\n3,4\n", "at least 4 data rows"),
        ("a,b,c,d\n1,2,3,4\n", "2 or 3 columns"),
        ("x1,x2,y\n1,x,0\n2,3,1\n3,4,0\n4,5,1\n", "line 2 of the CSV"),
        ("1,2,0\n2,3,1\n3,inf,0\n4,5,1\n", "finite numbers"),
        ("1,2,0\n2,3,0\n3,4,0\n4,5,0\n", "2 to 8 classes"),
        ("1,2,0\n2,3,1\n3,4\n", "columns"),
    ],
)
def test_bad_csv_is_refused_with_a_reason(srv: RunningServer, text: str, message: str) -> None:
    status, r = srv.post("/api/classify/upload", text.encode(), **{"Content-Type": "text/csv"})
    assert status == 400 and message in r["error"] and r["field"] == "file"


def test_bad_bytes_are_refused(srv: RunningServer) -> None:
    for data in (b"\xff\xfe1,2,0\n", b"1,2,0\n\x00,3,1\n"):
        status, r = srv.post("/api/classify/upload", data, **{"Content-Type": "text/csv"})
        assert status == 400 and r["field"] == "file"


def test_too_many_rows_are_refused(srv: RunningServer) -> None:
    data = b"1,0\n" * 100_002
    status, r = srv.post("/api/classify/upload", data, **{"Content-Type": "text/csv"})
    assert status == 413 and "100000 rows" in r["error"]


# ---------------------------------------------------------------- room 4: information
def test_measures_of_the_diagnoses(srv: RunningServer) -> None:
    p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
    r = srv.ok("/api/information/measures", {"p": p, "q": q, "unit": "nats"})
    assert r["entropy_p"] == xe.entropy(p) and round(r["entropy_p"], 5) == 0.80182
    assert r["cross_entropy"] == xe.cross_entropy(p, q) and round(r["cross_entropy"], 5) == 0.92749
    assert r["kl_pq"] == xe.kl_divergence(p, q) and round(r["kl_pq"], 5) == 0.12567
    assert r["kl_qp"] == xe.kl_divergence(q, p)
    assert r["surprisal_q"] == list(xe.information(q))
    bits = srv.ok("/api/information/measures", {"p": p, "q": q, "unit": "bits"})
    assert round(bits["kl_pq"], 5) == 0.18130
    cost = coding_cost(p, q)
    assert bits["length_q"] == cost.expected_length and bits["length_p"] == cost.own_length
    assert bits["code_p"] == list(huffman_code(p).codewords)


def test_the_four_balls(srv: RunningServer) -> None:
    r = srv.ok("/api/information/measures", {"p": "1/2 1/4 1/8 1/8", "q": ["1/4"] * 4})
    assert r["code_p"] == ["1", "01", "001", "000"]
    assert (r["entropy_p"], r["cross_entropy"], r["kl_pq"]) == pytest.approx((1.75, 2.0, 0.25))
    assert (r["length_p"], r["length_q"], r["dyadic_q"]) == (1.75, 2.0, True)


def test_a_zero_in_q_gives_infinity_not_nan(srv: RunningServer) -> None:
    r = srv.ok("/api/information/measures", {"p": [0.5, 0.5], "q": [1, 0]})
    assert r["cross_entropy"] == "inf" and r["kl_pq"] == "inf" and r["surprisal_q"][1] == "inf"
    assert r["kl_qp"] == xe.kl_divergence([1, 0], [0.5, 0.5], base=2)


def test_a_slider_keeps_the_sum_at_one(srv: RunningServer) -> None:
    p = [0.5, 0.3, 0.2]
    r = srv.ok(
        "/api/information/measures",
        {"p": p, "q": p, "adjust": {"which": "q", "index": 1, "value": 0.6}},
    )
    assert r["q"] == rebalanced(p, 1, 0.6) and r["p"] == p
    assert r["q"][1] == 0.6 and math.fsum(r["q"]) == pytest.approx(1.0, abs=1e-15)
    assert r["q"][0] / r["q"][2] == pytest.approx(0.5 / 0.2, rel=1e-14)
    assert rebalanced([1.0, 0.0, 0.0], 0, 0.4) == [0.4, 0.3, 0.3]
    assert r["kl_pq"] == xe.kl_divergence(p, r["q"], base=2)


def test_bad_distributions_get_the_library_message(srv: RunningServer) -> None:
    e = srv.bad("/api/information/measures", {"p": [0.5, 0.6], "q": [0.5, 0.5]})
    with pytest.raises(ValueError) as lib:
        xe.entropy([0.5, 0.6])
    assert e["error"] == str(lib.value) and e["field"] == "p"
    assert srv.bad("/api/information/measures", {"p": [0.5, 0.5], "q": [-0.5, 1.5]})["field"] == "q"
    e = srv.bad("/api/information/measures", {"p": [0.5, 0.5], "q": [0.2, 0.3, 0.5]})
    assert "same number of outcomes" in e["error"]
    assert (
        "2 to 8"
        in srv.bad("/api/information/measures", {"p": ["1/9"] * 9, "q": ["1/9"] * 9})["error"]
    )
    assert srv.bad("/api/information/measures", {"p": "1/2 x", "q": [0.5, 0.5]})["field"] == "p"


def test_coin_entropy(srv: RunningServer) -> None:
    r = srv.ok("/api/information/coin", {"p": 0.11, "unit": "nats"})
    assert r["entropy"] == xe.binary_entropy(0.11)
    assert r["curve_entropy"][100] == pytest.approx(math.log(2), rel=1e-15)


# ---------------------------------------------------------------- room 5: likelihood
def test_the_die(srv: RunningServer) -> None:
    r = srv.ok("/api/likelihood/dice", {"throws": 100, "reds": 34, "red_faces": 3})
    grid = dice_likelihood(34, 100)
    assert r["best_r"] == 2 and round(r["best_likelihood"], 4) == 0.0831
    assert r["likelihood_r"] == list(grid.likelihood) and r["total"] == grid.total()
    assert r["chosen_likelihood"] == pytest.approx(4.581e-4, rel=1e-3)
    assert r["log_likelihood_r"][0] == "-inf"
    assert r["curve_likelihood"][136] == binomial_likelihood(34, 100, r["curve_p"][136])
    assert r["mle_p"] == 0.34
    e = srv.bad("/api/likelihood/dice", {"throws": 10, "reds": 11})
    assert e["field"] == "reds" and "[0, 10]" in e["error"]


def test_a_seeded_throw_is_the_binomial_draw_and_replays(srv: RunningServer) -> None:
    body = {"throws": 500, "true_red_faces": 2, "seed": 7}
    r = srv.ok("/api/likelihood/throw", body)
    assert r["reds"] == np.random.default_rng(7).binomial(500, 2 / 6)
    assert srv.ok("/api/likelihood/throw", body) == r
    others = {srv.ok("/api/likelihood/throw", {**body, "seed": s})["reds"] for s in range(8)}
    assert len(others) > 3  # the seed matters
    # Over many seeds the reds average n r / 6: the draw is the die's.
    reds = [srv.ok("/api/likelihood/throw", {**body, "seed": s})["reds"] for s in range(40)]
    assert np.mean(reds) == pytest.approx(500 / 3, rel=0.03)
    assert srv.ok("/api/likelihood/throw", {**body, "true_red_faces": 0})["reds"] == 0
    assert srv.ok("/api/likelihood/throw", {**body, "true_red_faces": 6})["reds"] == 500
    e = srv.bad("/api/likelihood/throw", {**body, "true_red_faces": 7})
    assert e["field"] == "true_red_faces" and "[0, 6]" in e["error"]
    e = srv.bad("/api/likelihood/throw", {**body, "seed": -1})
    assert e["field"] == "seed"


def test_drawn_distributions_are_hundredths_that_sum_to_one(srv: RunningServer) -> None:
    for k in range(2, 9):
        for seed in range(25):
            r = srv.ok("/api/information/draw", {"k": k, "seed": seed})
            for which in ("p", "q"):
                cents = [round(v * 100) for v in r[which]]
                assert [c / 100 for c in cents] == r[which]
                assert sum(cents) == 100 and min(cents) >= 1 and len(cents) == k
            # The measures accept what was drawn.
            srv.ok("/api/information/measures", {"p": r["p"], "q": r["q"]})
    one = srv.ok("/api/information/draw", {"k": 5, "seed": 3})
    assert srv.ok("/api/information/draw", {"k": 5, "seed": 3}) == one
    assert srv.ok("/api/information/draw", {"k": 5, "seed": 4}) != one
    assert srv.bad("/api/information/draw", {"k": 9, "seed": 3})["field"] == "k"


def test_hundredths_round_by_largest_remainder() -> None:
    from crossentropy.playground._information import hundredths

    assert hundredths(np.array([0.505, 0.305, 0.19])) == [0.51, 0.3, 0.19]
    assert hundredths(np.array([0.996, 0.002, 0.002])) == [0.98, 0.01, 0.01]
    assert hundredths(np.array([0.25, 0.25, 0.25, 0.25])) == [0.25] * 4


def test_csv_reader_stops_at_the_row_limit() -> None:
    from crossentropy.playground._datasets import parse_csv
    from crossentropy.playground._inputs import InputError

    lines = io.StringIO("1,0\n2,1\n" * 5)
    with pytest.raises(InputError, match="more than 7 rows"):
        parse_csv(lines, max_rows=7)
