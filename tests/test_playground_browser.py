"""The playground in a real browser: Chromium driven by Playwright.

For each room: load it, move a slider or type a number, press STEP or RUN, read the
numbers from the page (each shown number keeps its exact value in ``data-value``)
and compare them with the library's computation made here.  Every test also checks
that no request left 127.0.0.1, that the console stayed free of errors and that
the plots are not blank.

Chromium comes from the system (Debian: ``apt-get install chromium``), never from
``playwright install``; ``XENT_CHROMIUM`` names another binary.  Without it these
tests skip, except under CI (``CI=true``), where they fail.  ``XENT_SCREENSHOT``
names a file for the README's screenshot (by default it goes to a temporary folder).
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import confusion_matrix

import crossentropy as xe
from _playground import RunningServer
from crossentropy import losses
from crossentropy.datasets import load_blood_pressure
from crossentropy.likelihood import dice_likelihood
from crossentropy.models import LinearRegression, LogisticRegression, load_model
from crossentropy.playground._information import draw_distributions
from crossentropy.playground._inputs import Body

CHROMIUM = os.environ.get("XENT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BP = load_blood_pressure()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is missing: pip install -e '.[test]'")
    if not os.path.exists(CHROMIUM):
        _unavailable(
            f"Chromium is missing at {CHROMIUM}: install it (Debian/Ubuntu: apt-get install "
            "chromium) or set XENT_CHROMIUM to a Chromium binary"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def srv() -> RunningServer:
    running = RunningServer()
    yield running
    running.close()


@pytest.fixture
def page(browser, srv: RunningServer):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    seen: list[str] = []
    outside: list[str] = []
    problems: list[str] = []

    def route(r) -> None:
        url = r.request.url
        seen.append(url)
        if url.startswith(srv.url):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)

    def console(m) -> None:
        # The browser logs every 4xx answer as "Failed to load resource"; those are the
        # 400s whose messages the page shows beside its controls, not script errors.
        if (
            m.type in ("error", "warning")
            and "the server responded with a status of 4" not in m.text
        ):
            problems.append(m.text)

    pg.on("console", console)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    yield pg
    context.close()
    assert seen, "the page made no request at all"
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert problems == [], f"console errors: {problems}"


def wait_until(pg, expression: str, timeout: float = 60.0) -> None:
    """Poll a JavaScript expression until it is true (the page's CSP forbids
    Playwright's own wait_for_function, which evaluates strings in the page)."""
    deadline = time.monotonic() + timeout
    while not pg.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        pg.wait_for_timeout(40)


def settle(pg) -> None:
    wait_until(pg, "document.body.dataset.pending === '0'")


def open_room(pg, srv: RunningServer, room: str) -> None:
    pg.goto(f"{srv.url}#{room}")
    pg.wait_for_selector(f"#room-{room}[data-ready=true]", timeout=60_000)
    settle(pg)


def value(pg, selector: str) -> float:
    return float(pg.get_attribute(selector, "data-value"))


def slide(pg, selector: str, v: float) -> None:
    pg.eval_on_selector(
        selector,
        "(el, v) => { el.value = String(v);"
        " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        v,
    )
    settle(pg)


def type_into(pg, selector: str, text: str) -> None:
    pg.fill(selector, text)
    settle(pg)


def assert_drawn(pg, canvas_id: str, least: float = 0.02) -> None:
    """The canvas has ink on at least ``least`` of its pixels, and more than one colour."""
    from PIL import Image

    url = pg.eval_on_selector(f"#{canvas_id}", "c => c.toDataURL('image/png')")
    img = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB"))
    ink = float(np.mean(np.any(img < 230, axis=-1)))
    colours = np.unique(img.reshape(-1, 3)[::7], axis=0).shape[0]
    assert ink > least and colours > 8, (
        f"{canvas_id} looks blank ({ink:.3f} drawn, {colours} colours)"
    )


def _mse(a: float, b: float, x=BP.age) -> float:
    return float(np.mean(losses.squared_error(BP.sbp, b + a * x)))


# ---------------------------------------------------------------- room 1
def test_fit_a_line_by_hand(page, srv: RunningServer) -> None:
    pg = page
    open_room(pg, srv, "line")
    assert value(pg, "#line-mse") == pytest.approx(_mse(2.5, 40.0), rel=1e-12)
    type_into(pg, "#line-a", "1.3")
    assert value(pg, "#line-a-value") == 1.3
    assert value(pg, "#line-mse") == pytest.approx(_mse(1.3, 40.0), rel=1e-12)
    slide(pg, "#line-b-range", 60.5)
    b = value(pg, "#line-b-value")
    assert b == pytest.approx(60.5, abs=0.25)
    assert value(pg, "#line-mse") == pytest.approx(_mse(1.3, b), rel=1e-12)
    for canvas in ("line-scatter", "line-surface"):
        assert_drawn(pg, canvas)

    pg.click("#line-lsq")
    settle(pg)
    exact = LinearRegression().fit(BP.age[:, None], BP.sbp)
    assert value(pg, "#line-se-a") == pytest.approx(exact.bse_[1], rel=1e-12)
    assert value(pg, "#line-se-b") == pytest.approx(exact.bse_[0], rel=1e-12)
    assert "87.67" in pg.inner_text("#line-lsq-result")
    assert value(pg, "#line-mse") == pytest.approx(exact.history_["loss"][-1], rel=1e-9)

    # Centred and in decades, one STEP of gradient descent from the start.
    pg.select_option("#line-scale", "decades")
    settle(pg)
    x = (BP.age - BP.age.mean()) / 10
    a0, b0 = value(pg, "#line-a-value"), value(pg, "#line-b-value")
    type_into(pg, "#line-rate", "0.2")
    pg.click("#line-step")
    settle(pg)
    m = LinearRegression(solver="gd", learning_rate=0.2, max_iter=1, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(x[:, None], BP.sbp, coef_init=[a0], intercept_init=b0)
    assert value(pg, "#line-a-value") == pytest.approx(m.coef_[0], rel=1e-12)
    assert value(pg, "#line-b-value") == pytest.approx(m.intercept_, rel=1e-12)
    assert pg.inner_text("#line-steps") == "1"
    pg.click("#line-run")
    wait_until(pg, "Number(document.getElementById('line-steps').textContent) >= 30")
    pg.click("#line-run")
    settle(pg)
    a, b = value(pg, "#line-a-value"), value(pg, "#line-b-value")
    assert value(pg, "#line-mse") == pytest.approx(_mse(a, b, x), rel=1e-12)
    assert_drawn(pg, "line-surface")
    pg.click("#line-replay")
    wait_until(pg, "document.getElementById('line-replay-info').dataset.identical !== undefined")
    settle(pg)
    assert pg.get_attribute("#line-replay-info", "data-identical") == "true"
    assert (value(pg, "#line-a-value"), value(pg, "#line-b-value")) == (a, b)

    # Bad input and a rate that is far too large: messages, never NaN.
    type_into(pg, "#line-rate", "fast")
    pg.click("#line-step")
    settle(pg)
    slot = pg.inner_text('#room-line .error[data-error-for="rate"]')
    assert "`rate` must be a finite number" in slot and "'fast'" in slot
    type_into(pg, "#line-rate", "3")
    pg.click("#line-reset")  # back where the descent started, far from the minimum
    settle(pg)
    pg.click("#line-step")
    settle(pg)
    assert "learning_rate=3" in pg.inner_text("#line-message")
    assert math.isfinite(value(pg, "#line-mse"))
    assert "NaN" not in pg.inner_text("#room-line")


# ---------------------------------------------------------------- room 2
def test_the_learning_rate(page, srv: RunningServer) -> None:
    pg = page
    open_room(pg, srv, "rate")
    x = (BP.age - BP.age.mean()) / 10
    y = BP.sbp - BP.sbp.mean()
    max_rate = 1.0 / np.mean(x**2)  # 2/L with L = 2 mean(x^2)
    assert value(pg, "#rate-max") == pytest.approx(max_rate, rel=1e-12)
    start = value(pg, "#rate-a")
    type_into(pg, "#rate-rate", "0.3")
    for _ in range(3):
        pg.click("#rate-step")
        settle(pg)
    m = LinearRegression(solver="gd", learning_rate=0.3, max_iter=3, tol=0.0, fit_intercept=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(x[:, None], y, coef_init=[start])
    assert value(pg, "#rate-a") == pytest.approx(m.coef_[0], rel=1e-12)
    assert value(pg, "#rate-mse") == pytest.approx(m.history_["loss"][-1], rel=1e-12)
    assert "zig-zags" in pg.inner_text("#rate-behaviour")
    pg.click("#rate-run")
    wait_until(pg, "Number(document.getElementById('rate-steps').textContent) >= 6")
    pg.click("#rate-run")
    settle(pg)
    for canvas in ("rate-curve", "rate-history"):
        assert_drawn(pg, canvas)
    steps = int(pg.inner_text("#rate-steps"))
    a = value(pg, "#rate-a")
    pg.click("#rate-replay")
    settle(pg)
    assert pg.get_attribute("#rate-replay-info", "data-identical") == "true"
    assert f"Replayed {steps} steps" in pg.inner_text("#rate-replay-info")
    assert value(pg, "#rate-a") == a

    # The course's question: learning rate 10.
    pg.click("#rate-presets button:text-is('10')")
    settle(pg)
    pg.click("#rate-step")
    settle(pg)
    assert pg.is_visible("#rate-diverged")
    assert "learning_rate=10" in pg.inner_text("#rate-diverged")
    assert "diverges" in pg.inner_text("#rate-behaviour")
    assert_drawn(pg, "rate-curve")
    assert "NaN" not in pg.inner_text("#room-rate")


# ---------------------------------------------------------------- room 3
def _cls_points(srv: RunningServer, spec: dict):
    d = srv.ok("/api/classify/data", {"data": spec})
    return np.array(d["x"]), np.array(d["labels"]), np.array(d["test"])


def test_classify_by_hand_and_learn(page, srv: RunningServer, tmp_path: Path) -> None:
    pg = page
    open_room(pg, srv, "classify")
    spec = {"name": "blobs", "seed": 1, "n": 200, "noise": 0.1, "test_fraction": 0.5}
    X, y, test = _cls_points(srv, spec)
    type_into(pg, "#cls-w-0-0", "0.8")
    slide(pg, "#cls-w-0-1-range", 0.5)
    w = [0.8, 0.5]
    z = X @ np.array(w)
    want = np.mean(losses.binary_cross_entropy_with_logits(y[~test].astype(float), z[~test]))
    assert value(pg, "#cls-train-loss") == pytest.approx(float(want), rel=1e-12)
    assert value(pg, "#cls-test-acc") == pytest.approx(np.mean((z[test] > 0) == y[test]))
    cells = pg.eval_on_selector_all(
        "#cls-confusion-test td", "els => els.map(e => Number(e.textContent))"
    )
    assert cells == confusion_matrix(y[test], (z[test] > 0).astype(int)).ravel().tolist()
    pg.select_option("#cls-unit", "bits")
    settle(pg)
    assert value(pg, "#cls-train-loss") == pytest.approx(float(want) / math.log(2), rel=1e-12)
    assert_drawn(pg, "cls-regions", 0.3)

    # One STEP of gradient descent at learning rate 0.5, from the weights set by hand.
    type_into(pg, "#cls-rate", "0.5")
    pg.click("#cls-step")
    settle(pg)
    m = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=1, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.fit(X[~test], y[~test], coef_init=[w], intercept_init=[0.0])
    held = json.loads(pg.evaluate("JSON.stringify(Cls.weights)"))
    np.testing.assert_allclose(held, m.coef_, rtol=1e-12)
    shown = [float(pg.input_value(f"#cls-w-0-{j}")) for j in range(2)]
    np.testing.assert_allclose(shown, m.coef_[0], rtol=1e-4)  # the fields, rounded
    assert pg.inner_text("#cls-epoch") == "1"
    assert "separated" in pg.inner_text("#cls-notes")

    # RUN, PAUSE, then REPLAY the run: the same weights, bit for bit.
    pg.click("#cls-run")
    wait_until(pg, "Number(document.getElementById('cls-epoch').textContent) >= 8")
    pg.click("#cls-run")
    settle(pg)
    before = pg.evaluate("JSON.stringify([Cls.weights, Cls.bias])")
    pg.click("#cls-replay")
    wait_until(pg, "document.getElementById('cls-replay-info').dataset.identical !== undefined")
    settle(pg)
    assert pg.get_attribute("#cls-replay-info", "data-identical") == "true"
    assert pg.evaluate("JSON.stringify([Cls.weights, Cls.bias])") == before
    assert_drawn(pg, "cls-loss")

    # Exports: the JSON document and a save_model file that load_model reads.
    with pg.expect_download() as dl:
        pg.click("#cls-export-json")
    doc = json.loads(Path(dl.value.path()).read_text())
    assert doc["coef"] == json.loads(before)[0] and doc["features"] == ["x1", "x2"]
    with pg.expect_download() as dl:
        pg.click("#cls-export-model")
    path = tmp_path / "model.npz"
    dl.value.save_as(path)
    model = load_model(path)
    p1 = xe.sigmoid(X @ np.array(doc["coef"][0]) + doc["intercept"][0])
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], p1, rtol=1e-12)


def test_classify_learning_rate_ten_and_softmax(page, srv: RunningServer) -> None:
    pg = page
    open_room(pg, srv, "classify")
    pg.select_option("#cls-dataset", "circle")
    settle(pg)
    pg.click("#cls-features input[value='x1']")
    settle(pg)
    pg.click("#cls-features input[value='x2']")
    settle(pg)
    # No feature left: the server's message, beside the features.
    assert "`features` must have 1 to 7 entries" in pg.inner_text(
        '#room-classify .error[data-error-for="features"]'
    )
    pg.click("#cls-features input[value='x1^2']")
    pg.click("#cls-features input[value='x2^2']")
    settle(pg)
    type_into(pg, "#cls-rate", "10")
    # At rate 10 gradient descent runs away within a few steps (how soon depends on
    # where the weights stand).
    for _ in range(6):
        pg.click("#cls-step")
        settle(pg)
        if pg.is_visible("#cls-diverged"):
            break
    assert pg.is_visible("#cls-diverged") and "learning_rate=10" in pg.inner_text("#cls-diverged")
    assert "NaN" not in pg.inner_text("#room-classify")
    # Newton's method finds the circle with x1² and x2².
    pg.select_option("#cls-method", "newton")
    type_into(pg, "#cls-l2", "0.001")
    for _ in range(6):
        pg.click("#cls-step")
        settle(pg)
    assert value(pg, "#cls-train-acc") > 0.95

    # Four classes: softmax, one row of weights per class.
    pg.select_option("#cls-dataset", "blobs4")
    settle(pg)
    assert pg.is_disabled("input[name='cls-model'][value='logistic']")
    assert pg.locator("#cls-weights .row-title").count() == 4
    pg.select_option("#cls-method", "sgd")
    type_into(pg, "#cls-rate", "0.1")
    pg.click("#cls-step")
    settle(pg)
    assert pg.text_content("#cls-epoch-label") == "epochs" and pg.inner_text("#cls-epoch") == "1"
    assert_drawn(pg, "cls-regions", 0.3)
    # A table of one's own: three classes, read on this computer.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(90, 2)) + np.repeat([[0, 3], [3, 0], [-3, -3]], 30, axis=0)
    labels = np.repeat(["ant", "bee", "cat"], 30)
    rows = "".join(f"{u},{v},{c}\n" for (u, v), c in zip(X, labels, strict=True))
    pg.select_option("#cls-dataset", "upload")
    pg.set_input_files(
        "#cls-file",
        {"name": "insects.csv", "mimeType": "text/csv", "buffer": ("u,v,kind\n" + rows).encode()},
    )
    wait_until(pg, "document.getElementById('cls-upload-info').textContent.includes('90 rows')")
    settle(pg)
    assert "classes ant, bee, cat" in pg.inner_text("#cls-upload-info")
    assert pg.locator("#cls-weights .row-title").count() == 3
    pg.click("#cls-features input[value='x1']")
    pg.click("#cls-features input[value='x2']")
    settle(pg)
    pg.click("#cls-step")
    settle(pg)
    assert value(pg, "#cls-train-acc") > 0.9
    assert_drawn(pg, "cls-regions", 0.3)
    pg.set_input_files(
        "#cls-file", {"name": "bad.csv", "mimeType": "text/csv", "buffer": b"1,2,a\n3,4,b\n"}
    )
    settle(pg)
    assert "at least 4 data rows" in pg.inner_text('#room-classify .error[data-error-for="file"]')
    pg.select_option("#cls-dataset", "blobs4")
    settle(pg)
    type_into(pg, "#cls-w-2-0", "big")
    slot = pg.inner_text('#room-classify .error[data-error-for="weights[2][0]"]')
    assert "must be a finite number" in slot and "'big'" in slot


def test_the_readme_screenshot(page, srv: RunningServer, tmp_path: Path) -> None:
    pg = page
    open_room(pg, srv, "classify")
    pg.select_option("#cls-dataset", "xor")
    settle(pg)
    pg.click("#cls-features input[value='x1*x2']")
    settle(pg)
    type_into(pg, "#cls-rate", "0.03")
    type_into(pg, "#cls-l2", "0.001")
    pg.click("#cls-run")
    wait_until(pg, "Number(document.getElementById('cls-epoch').textContent) >= 40")
    pg.click("#cls-run")
    settle(pg)
    assert value(pg, "#cls-test-acc") > 0.9
    target = Path(os.environ.get("XENT_SCREENSHOT", tmp_path / "playground.png"))
    target.parent.mkdir(parents=True, exist_ok=True)
    pg.set_viewport_size({"width": 1440, "height": 900})
    shot = pg.screenshot(clip={"x": 0, "y": 0, "width": 1440, "height": 900})
    from PIL import Image

    # A palette of 256 colours keeps the README's picture small and sharp.
    Image.open(io.BytesIO(shot)).quantize(256, dither=Image.Dither.NONE).save(target, optimize=True)
    assert 20_000 < target.stat().st_size < 250_000


# ---------------------------------------------------------------- room 4
def _dist(pg, which: str) -> list[float]:
    return [
        float(v)
        for v in pg.eval_on_selector_all(
            f"#info-{which}-sliders .val", "els => els.map(e => e.dataset.value)"
        )
    ]


def test_information(page, srv: RunningServer) -> None:
    pg = page
    open_room(pg, srv, "information")
    p, q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
    assert value(pg, "#info-hp") == xe.entropy(p, base=2)
    assert value(pg, "#info-hpq") == xe.cross_entropy(p, q, base=2)
    assert value(pg, "#info-klpq") == xe.kl_divergence(p, q, base=2)
    assert value(pg, "#info-klqp") == xe.kl_divergence(q, p, base=2)
    assert pg.inner_text("#info-klpq") == "0.1813"
    for canvas in ("info-bars", "info-surprisal", "info-coin-plot"):
        assert_drawn(pg, canvas)

    # A slider of Q moves; the others keep the sum at 1.
    slide(pg, "#info-q-1", 0.5)
    q2 = _dist(pg, "q")
    assert q2[1] == 0.5 and math.fsum(q2) == pytest.approx(1.0, abs=1e-12)
    assert value(pg, "#info-klpq") == xe.kl_divergence(p, q2, base=2)

    # The four balls: Huffman codes 1, 01, 001, 000; 1.75 bits against 2.
    pg.click("#info-presets button[data-preset='balls']")
    settle(pg)
    codes = pg.eval_on_selector_all(
        "#info-table tr td:nth-child(5) code", "els => els.map(e => e.textContent)"
    )
    assert codes == ["1", "01", "001", "000"]
    assert value(pg, "#info-len-p") == 1.75 and value(pg, "#info-len-q") == 2.0
    balls = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
    assert value(pg, "#info-klpq") == xe.kl_divergence(balls, [1 / 4] * 4, base=2)
    assert pg.inner_text("#info-klpq") == "0.25"

    # Nats, a typed distribution, and one that does not sum to 1.
    pg.select_option("#info-unit", "nats")
    settle(pg)
    type_into(pg, "#info-p-text", "0.1 0.2 0.3 0.4")
    assert value(pg, "#info-hp") == xe.entropy([0.1, 0.2, 0.3, 0.4])
    type_into(pg, "#info-p-text", "0.5 0.6 0.1 0.1")
    with pytest.raises(ValueError) as lib:
        xe.entropy([0.5, 0.6, 0.1, 0.1])
    assert pg.inner_text('#room-information .error[data-error-for="p"]') == str(lib.value)

    type_into(pg, "#info-coin", "0.11")
    assert value(pg, "#info-coin-h") == xe.binary_entropy(0.11)

    # P and Q at random from a seed; REPLAY draws the same ones.
    pg.select_option("#info-k", "5")
    settle(pg)
    pg.click("#info-replay")
    assert "Nothing to replay yet" in pg.inner_text("#info-replay-info")
    type_into(pg, "#info-seed", "12")
    pg.click("#info-draw")
    settle(pg)
    drawn = draw_distributions(Body({"k": 5, "seed": 12}))
    assert _dist(pg, "p") == drawn["p"] and _dist(pg, "q") == drawn["q"]
    assert value(pg, "#info-klpq") == xe.kl_divergence(drawn["p"], drawn["q"])
    pg.click("#info-new-seed")
    settle(pg)
    assert pg.input_value("#info-seed") == "13" and _dist(pg, "p") != drawn["p"]
    type_into(pg, "#info-p-text", "0.5 0.5 0 0 0")
    pg.click("#info-replay")
    settle(pg)
    assert pg.get_attribute("#info-replay-info", "data-identical") == "true"
    again = draw_distributions(Body({"k": 5, "seed": 13}))
    assert _dist(pg, "p") == again["p"] and _dist(pg, "q") == again["q"]


# ---------------------------------------------------------------- room 5
def test_likelihood_of_the_die(page, srv: RunningServer) -> None:
    pg = page
    open_room(pg, srv, "likelihood")
    grid = dice_likelihood(34, 100)
    assert pg.inner_text("#dice-best") == "r = 2" and pg.inner_text("#dice-chosen") == "0.08314"
    assert value(pg, "#dice-best-l") == grid.max_likelihood
    assert value(pg, "#dice-total") == grid.total()
    assert_drawn(pg, "dice-curve")
    slide(pg, "#dice-reds-range", 52)
    grid = dice_likelihood(52, 100)
    assert value(pg, "#dice-best") == 3 and value(pg, "#dice-best-l") == grid.max_likelihood
    type_into(pg, "#dice-r", "4")
    assert value(pg, "#dice-chosen") == float(grid.likelihood[4])
    type_into(pg, "#dice-reds", "150")
    assert "`reds` must be a whole number in [0, 100]" in pg.inner_text(
        '#room-likelihood .error[data-error-for="reds"]'
    )

    # Throw a die with 3 red faces 100 times from a seed: the reds seen are the
    # binomial draw, the likelihood follows, and REPLAY throws the same.
    type_into(pg, "#dice-reds", "34")
    type_into(pg, "#dice-true-r", "3")
    type_into(pg, "#dice-seed", "5")
    pg.click("#dice-throw")
    settle(pg)
    reds = int(np.random.default_rng(5).binomial(100, 3 / 6))
    assert pg.input_value("#dice-reds") == str(reds)
    assert value(pg, "#dice-best-l") == dice_likelihood(reds, 100).max_likelihood
    pg.click("#dice-new-seed")
    settle(pg)
    assert pg.input_value("#dice-seed") == "6"
    assert pg.input_value("#dice-reds") == str(np.random.default_rng(6).binomial(100, 0.5))
    type_into(pg, "#dice-reds", "1")
    pg.click("#dice-replay")
    settle(pg)
    assert pg.get_attribute("#dice-replay-info", "data-identical") == "true"
    assert pg.input_value("#dice-reds") == str(np.random.default_rng(6).binomial(100, 0.5))
    type_into(pg, "#dice-true-r", "9")
    pg.click("#dice-throw")
    settle(pg)
    assert "`true_red_faces` must be" in pg.inner_text(
        '#room-likelihood .error[data-error-for="true_red_faces"]'
    )
