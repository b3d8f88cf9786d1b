"""Tests of ``xent train``, ``xent evaluate`` and ``xent predict`` (tiny runs, seconds)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from crossentropy.cli import _progress, main
from crossentropy.datasets import load_digits
from crossentropy.models import load_model

# ---------------------------------------------------------------------- helpers


def _digits_test() -> tuple[np.ndarray, np.ndarray]:
    ds = load_digits()
    return ds.X_test.astype(np.float32) / 16, ds.y_test


def _idx(path: Path, arr: np.ndarray) -> None:
    """Write ``arr`` (uint8) as a gzip-compressed IDX file."""
    header = struct.pack(">BBBB", 0, 0, 0x08, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + arr.astype(np.uint8).tobytes())


@pytest.fixture(scope="module")
def fake_mnist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small learnable MNIST look-alike: class c lights up a 6 x 6 block at its place."""
    root = tmp_path_factory.mktemp("data")
    folder = root / "mnist"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 600), ("t10k", 200)):
        y = rng.integers(0, 10, size=n)
        X = rng.integers(0, 60, size=(n, 28, 28))
        for i, c in enumerate(y):
            r, col = 2 + 8 * (c // 4), 2 + 6 * (c % 4)
            X[i, r : r + 6, col : col + 6] += 180
        _idx(folder / f"{prefix}-images-idx3-ubyte.gz", X)
        _idx(folder / f"{prefix}-labels-idx1-ubyte.gz", y)
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A digits run with every output, shared by the evaluate and predict tests."""
    out = tmp_path_factory.mktemp("run")
    assert main(["train", "--epochs", "5", "--out", str(out), "--quiet"]) == 0
    return out


# ---------------------------------------------------------------------- train


def test_default_run_on_digits_prints_and_writes_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--epochs", "4", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "training sgd on digits (8 x 8): 1150 images, 4 epochs" in text
    assert "epoch  train loss  train acc  val loss  val acc" in text
    assert "1150 training, 288 validation, 359 test images" in text
    assert "confusion matrix" in text and "<- predicted" in text
    assert "xent train --dataset mnist" in text  # the hint to the real thing
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {
        "model.npz",
        "history.csv",
        "history.json",
        "summary.json",
        "learning_curves.png",
        "weights.png",
        "confusion_matrix.png",
    }
    for png in ("learning_curves.png", "weights.png", "confusion_matrix.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(tmp_path / "history.csv") as f:
        rows = list(csv.DictReader(f))
    assert [int(float(r["epoch"])) for r in rows] == [1, 2, 3, 4]
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"} <= set(rows[0])
    summary = json.loads((tmp_path / "summary.json").read_text())
    # The saved model reproduces the reported test accuracy and confusion matrix.
    model = load_model(tmp_path / "model.npz")
    X, y = _digits_test()
    acc = float(np.mean(model.predict(X) == y))
    assert summary["results"]["test"]["accuracy"] == pytest.approx(acc, abs=1e-12)
    assert f"test accuracy {acc:.2%}" in text
    cm = np.array(summary["confusion_matrix"])
    np.testing.assert_array_equal(cm, confusion_matrix(y, model.predict(X), labels=range(10)))
    hist = json.loads((tmp_path / "history.json").read_text())
    assert hist["unit"] == "epoch" and len(hist["records"]) == 4
    assert summary["settings"]["lr"] == 2.0 and summary["settings"]["schedule"] == "linear"


def test_quiet_run_without_plots_or_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--epochs", "3", "--validation", "0", "--quiet", "--no-plots"]
    assert main([*args, "--out", str(tmp_path), "--seed", "3", "--threads", "1"]) == 0
    text = capsys.readouterr().out
    assert "epoch  train loss" not in text and "training sgd" not in text
    assert "1438 training, 0 validation" in text
    assert not list(tmp_path.glob("*.png"))
    rows = json.loads((tmp_path / "history.json").read_text())["records"]
    assert "val_loss" not in rows[0]


def test_trains_on_idx_files_and_learns_them(
    fake_mnist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--dataset", "mnist", "--data-home", str(fake_mnist), "--no-download"]
    assert main([*args, "--epochs", "3", "--out", str(tmp_path), "--batch-size", "32"]) == 0
    text = capsys.readouterr().out
    assert "MNIST: 480 training, 120 validation, 200 test images" in text
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["dataset"]["image_shape"] == [28, 28]
    assert summary["results"]["test"]["accuracy"] > 0.95  # blocks are easy to tell apart
    assert load_model(tmp_path / "model.npz").coef_.shape == (10, 784)


def test_missing_mnist_stops_and_says_how_to_get_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Asked for MNIST, the run must not quietly train on something else.
    out = tmp_path / "out"
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    os.mkfifo(tmp_path / "a-fifo")  # opening it to read would block: it must not be read
    for name in ("empty", "missing", "a-file", "a-fifo"):
        home = tmp_path / name
        args = ["train", "--dataset", "mnist", "--data-home", str(home), "--no-download"]
        assert main([*args, "--epochs", "2", "--out", str(out), "--quiet"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("xent train: mnist is not available")
        assert "To use MNIST" in err and "--data-home DIR" in err and "--fallback-digits" in err
        assert "Traceback" not in err and not (out.exists() and any(out.iterdir()))
    # Asked for, the fallback trains on the digits and says why.
    args = ["train", "--dataset", "mnist", "--data-home", str(tmp_path / "empty")]
    args += ["--no-download", "--fallback-digits", "--epochs", "2", "--out", str(out), "--quiet"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "Falling back to the embedded 8 x 8 digits" in captured.err
    assert "digits (8 x 8): 1150 training" in captured.out


@pytest.mark.parametrize(
    ("solver", "extra", "unit"),
    [
        ("lbfgs", ["--epochs", "5", "--l2", "0.001"], "iteration"),
        ("newton", ["--l2", "0.01"], "iteration"),
    ],
)
def test_exact_solvers(
    solver: str, extra: list[str], unit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--solver", solver, *extra, "--out", str(tmp_path), "--no-plots"]) == 0
    captured = capsys.readouterr()
    assert f"{unit}  objective  max |grad|" in captured.out
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["results"]["test"]["accuracy"] > 0.85
    if solver == "lbfgs":  # 5 iterations are not enough: said once, on stderr
        assert "note: SoftmaxRegression(solver='lbfgs') did not converge" in captured.err


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--validation", "1.5"], "`--validation` must be a finite number in [0, 1); got 1.5"),
        (["--epochs", "0"], "`--epochs` must be an integer >= 1; got 0"),
        (["--lr", "-1"], "`--lr` must be a finite number in (0, inf); got -1.0"),
        (["--lr", "nan"], "`--lr` must be a finite number in (0, inf); got nan"),
        (["--momentum", "1"], "`--momentum` must be a finite number in [0, 1); got 1.0"),
        (["--batch-size", "0"], "`--batch-size` must be an integer >= 1; got 0"),
        (["--seed", "-2"], "`--seed` must be an integer >= 0; got -2"),
        (["--solver", "lbfgs", "--lr", "0.1"], "--lr apply to --solver sgd only"),
        (["--threads", "0"], "`--threads` must be a positive integer number of threads; got 0"),
        (["--resume", "--lr", "1"], "--lr cannot change a saved run"),
        (["--resume"], "nothing to resume: no model.npz"),
        (["--lr", "1e6", "--epochs", "3"], "diverged"),
    ],
)
def test_bad_options_are_one_line_with_status_2(
    args: list[str], match: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", *args, "--out", str(tmp_path / "o"), "--quiet", "--no-plots"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("xent train: error: ") and err.count("\n") == 1
    assert match in err


def test_argparse_rejects_unknown_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["train", "--dataset", "cifar"])
    assert info.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_newton_on_mnist_sized_images_is_refused(
    fake_mnist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--dataset", "mnist", "--data-home", str(fake_mnist), "--solver", "newton"]
    assert main([*args, "--out", str(tmp_path), "--quiet", "--no-plots"]) == 2
    assert "use solver='lbfgs'" in capsys.readouterr().err


# ---------------------------------------------------------------------- Ctrl-C and --resume


def _interrupt_at(epoch: int, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    original = _progress.Progress.callback

    def callback(self: _progress.Progress, record: dict[str, float]) -> bool:
        stop = original(self, record)
        if record.get("epoch", record.get("iteration")) == epoch:
            if how == "raise":  # as a Ctrl-C arriving during the epoch
                raise KeyboardInterrupt
            self._on_sigint(signal.SIGINT, None)  # the first Ctrl-C: stop at the epoch's end
            return self.interrupted
        return stop

    monkeypatch.setattr(_progress.Progress, "callback", callback)


@pytest.mark.parametrize("how", ["raise", "flag"])
def test_ctrl_c_saves_and_resume_finishes_the_same_run(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["train", "--epochs", "6", "--momentum", "0.5", "--quiet", "--no-plots"]
    assert main([*base, "--out", str(tmp_path / "whole")]) == 0
    with monkeypatch.context() as m:
        _interrupt_at(2, how, m)
        assert main([*base, "--out", str(tmp_path / "cut")]) == 130
    err = capsys.readouterr().err
    assert "interrupted after 2 of 6 epochs" in err and "--resume --out" in err
    cut = load_model(tmp_path / "cut" / "model.npz")
    assert len(cut.history_) == 2
    assert main(["train", "--resume", "--out", str(tmp_path / "cut"), "--quiet", "--no-plots"]) == 0
    resumed = load_model(tmp_path / "cut" / "model.npz")
    whole = load_model(tmp_path / "whole" / "model.npz")
    # Same split, batches, schedule position, momentum and iterate: the same arithmetic,
    # bit for bit.
    np.testing.assert_array_equal(resumed.coef_, whole.coef_)
    np.testing.assert_array_equal(resumed.intercept_, whole.intercept_)
    assert [r["epoch"] for r in resumed.history_] == [1, 2, 3, 4, 5, 6]
    # Finished: a further --resume has nothing to do unless --epochs raises the total.
    assert main(["train", "--resume", "--out", str(tmp_path / "cut"), "--quiet"]) == 2
    assert "nothing to resume" in capsys.readouterr().err
    args = ["train", "--resume", "--epochs", "8", "--out", str(tmp_path / "cut")]
    assert main([*args, "--no-plots"]) == 0
    longer = load_model(tmp_path / "cut" / "model.npz").history_
    assert len(longer) == 8
    # The linear schedule, stretched to 8 epochs, restarts: said, and done as said.
    note = "the rate goes back up to 0.5 at epoch 7 and falls to 0 again at epoch 8"
    assert note in capsys.readouterr().err
    assert longer["learning_rate"][6] == pytest.approx(0.5)


def test_lbfgs_resume_continues_the_iterations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["train", "--solver", "lbfgs", "--l2", "0.001", "--epochs", "30", "--quiet"]
    with monkeypatch.context() as m:
        _interrupt_at(4, "flag", m)
        assert main([*base, "--out", str(tmp_path), "--no-plots"]) == 130
    assert len(load_model(tmp_path / "model.npz").history_) == 4
    assert main(["train", "--resume", "--out", str(tmp_path), "--quiet", "--no-plots"]) == 0
    model = load_model(tmp_path / "model.npz")
    numbers = [int(r["iteration"]) for r in model.history_]
    assert numbers[:5] == [1, 2, 3, 4, 5] and numbers == sorted(numbers)
    assert 4 < len(numbers) <= 30


def test_sigterm_to_a_running_process_saves_like_ctrl_c(tmp_path: Path) -> None:
    # timeout, docker stop and batch schedulers send SIGTERM: the run is saved.
    cmd = [sys.executable, "-m", "crossentropy.cli", "train", "--epochs", "10000000"]
    cmd += ["--out", str(tmp_path), "--no-plots"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("training sgd on digits"), line
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "SIGTERM: stopping here and saving" in err and "interrupted after" in err
    assert "Traceback" not in err
    assert len(load_model(tmp_path / "model.npz").history_) >= 1
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_sigint_to_a_running_process_stops_and_saves(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "crossentropy.cli", "train", "--epochs", "10000000"]
    cmd += ["--out", str(tmp_path), "--no-plots"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("training sgd on digits"), line
        proc.send_signal(signal.SIGINT)  # the handler is in place once that line is out
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Ctrl-C: stopping here and saving" in err and "interrupted after" in err
    model = load_model(tmp_path / "model.npz")
    assert len(model.history_) >= 1 and model.stop_reason_ == "callback"
    assert "test accuracy" in out


# ---------------------------------------------------------------------- evaluate, predict


def test_evaluate_reproduces_the_test_accuracy(
    trained: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = json.loads((trained / "summary.json").read_text())
    plot = trained / "eval" / "cm.png"
    assert main(["evaluate", str(trained / "model.npz"), "--plot", str(plot)]) == 0
    text = capsys.readouterr().out
    assert "on the 359 digits test images" in text
    assert f"{summary['results']['test']['accuracy']:.2%}" in text
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_evaluate_refuses_a_data_set_of_other_images(
    trained: Path, fake_mnist: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["evaluate", str(trained / "model.npz"), "--dataset", "mnist"]
    assert main([*args, "--data-home", str(fake_mnist)]) == 2
    assert "takes 64 pixels per image; the mnist images have 784" in capsys.readouterr().err


def test_predict_reads_npy_png_csv_and_idx(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from matplotlib.image import imsave

    ds = load_digits()
    model = load_model(trained / "model.npz")
    want = model.predict(ds.X_test[:4].astype(np.float32) / 16)
    np.save(tmp_path / "pixels.npy", ds.X_test[:2])  # uint8: divided by 16 as in training
    np.save(tmp_path / "scaled.npy", ds.X_test[2:3].reshape(8, 8).astype(np.float32) / 16)
    # PNG: 8 x 8 gray, [0, 1]; dark-on-light with --invert would flip it.
    imsave(tmp_path / "one.png", ds.X_test[3].reshape(8, 8) / 16, cmap="gray", vmin=0, vmax=1)
    with open(tmp_path / "rows.csv", "w") as f:
        f.write(",".join(f"pixel{i}" for i in range(64)) + "\n")
        for row in ds.X_test[:2]:
            f.write(",".join(str(v) for v in row) + "\n")
    _idx(tmp_path / "images-idx3-ubyte.gz", ds.X_test[:3].reshape(3, 8, 8))
    files = ["pixels.npy", "scaled.npy", "one.png", "rows.csv", "images-idx3-ubyte.gz"]
    out_csv = tmp_path / "predictions.csv"
    args = ["predict", str(trained / "model.npz"), *(str(tmp_path / f) for f in files)]
    assert main([*args, "--out", str(out_csv), "--show", "3"]) == 0
    text = capsys.readouterr().out
    assert "... 6 more" in text and "9 image(s)" in text
    with open(out_csv) as f:
        rows = list(csv.DictReader(f))
    # In file order: 2 + 1 + 1 + 2 + 3 images.
    expected = [want[0], want[1], want[2], want[3], want[0], want[1], want[0], want[1], want[2]]
    assert [int(r["predicted"]) for r in rows] == [int(v) for v in expected]
    probs = np.array([[float(r[f"p_{c}"]) for c in range(10)] for r in rows])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert "warning" not in capsys.readouterr().err


def test_predict_warns_about_unscaled_and_inverted_images(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from matplotlib.image import imsave

    ds = load_digits()
    # Raw pixels as floats: the model saw them divided by 16.
    np.save(tmp_path / "raw.npy", ds.X_test[:2].astype(np.float64))
    # Dark strokes on a light ground.
    imsave(tmp_path / "ink.png", 1 - ds.X_test[3].reshape(8, 8) / 16, cmap="gray", vmin=0, vmax=1)
    model = str(trained / "model.npz")
    assert main(["predict", model, str(tmp_path / "raw.npy")]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "pixel values up to 16" in err and "divide them by 16" in err
    assert main(["predict", model, str(tmp_path / "ink.png")]) == 0
    err = capsys.readouterr().err
    assert "mostly light" in err and "--invert" in err
    assert main(["predict", model, str(tmp_path / "ink.png"), "--invert"]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (np.zeros((2, 63)), r"images of 8 x 8 pixels expected"),
        (np.full((1, 64), 99, dtype=np.int64), r"integer pixels must be in 0..16"),
        (np.full((1, 64), np.nan), "finite"),
    ],
)
def test_predict_refuses_images_of_another_kind(
    trained: Path,
    tmp_path: Path,
    content: np.ndarray,
    match: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    np.save(tmp_path / "bad.npy", content)
    assert main(["predict", str(trained / "model.npz"), str(tmp_path / "bad.npy")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and re.search(match, err)


def test_predict_missing_and_unreadable_files(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = str(trained / "model.npz")
    assert main(["predict", model, str(tmp_path / "absent.npy")]) == 2
    assert "no image file" in capsys.readouterr().err
    (tmp_path / "junk.bin").write_bytes(b"\x00\x00\x08")
    assert main(["predict", model, str(tmp_path / "junk.bin")]) == 2
    assert "junk.bin" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_hostile_model_files_give_a_clear_error(
    command: str, trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pickle

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    images = tmp_path / "x.npy"
    np.save(images, np.zeros((1, 64)))
    for name, content in [
        ("text.npz", b"just text"),
        ("pickle.npz", pickle.dumps(Evil())),
        ("truncated.npz", (trained / "model.npz").read_bytes()[:300]),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        args = [command, str(path)] + ([str(images)] if command == "predict" else [])
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not a valid crossentropy model file" in err
    assert not (tmp_path / "pwned").exists()
    from crossentropy.models import LinearRegression, save_model

    linear = LinearRegression().fit(np.eye(64), np.arange(64.0))
    path = save_model(linear, tmp_path / "linear.npz")
    args = [command, str(path)] + ([str(images)] if command == "predict" else [])
    assert main(args) == 2
    assert "holds a LinearRegression; this command takes a classifier" in capsys.readouterr().err
    assert (
        main(
            [command, str(tmp_path / "none.npz")] + ([str(images)] if command == "predict" else [])
        )
        == 2
    )
    assert "no model file" in capsys.readouterr().err


def test_predict_checks_a_png_size_before_decoding_it(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    # A 20000 x 20000 header in front of almost nothing: decoding would need gigabytes,
    # so the header's size is refused first (the decoder would fail on the data).
    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    (tmp_path / "huge.png").write_bytes(png)
    assert main(["predict", str(trained / "model.npz"), str(tmp_path / "huge.png")]) == 2
    err = capsys.readouterr().err
    assert "the image is 20000 x 20000 pixels; the model takes 8 x 8" in err
