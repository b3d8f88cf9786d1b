"""Hostile inputs against the library and ``xent``: clean errors, tracebacks, hangs, memory.

    python benchmarks/hostile_inputs.py [--src DIR] [--fuzz N] [--cases] [--json FILE]

Every input runs in a process of its own, under a memory limit (``RLIMIT_AS``,
4 GiB) and a timeout, against the package in ``--src`` (default: this checkout's
``src``), so that a checkout of an older version can be measured the same way.
Three groups:

1. *cases*: one input per known defect (tampered model files, headers that claim
   huge sizes, outputs that cannot be written, signals, extreme numbers), each
   with what a user should see: a clean error (one line on stderr, exit status 2,
   or a ``ValueError``/``TypeError`` from the library naming what it must), or a
   normal result;
2. *IDX fuzz* and 3. *model fuzz*: ``--fuzz N`` random mutants of an IDX file and
   of a model file (byte flips, truncations, insertions, headers and a deflated
   copy), loaded by the library, many per process (each with its own timeout).

The table gives, per group: inputs tried, clean errors (or the expected result),
tracebacks (an exception other than a clean error), hangs, silently wrong results
(success where an error was due, or a wrong value), the peak memory of the worst
process, and runs whose files were lost or left behind.  Timings depend on the
machine's load; the counts and the memory do not.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 4 << 30
TIMEOUT_S = 60.0
# Wraps library snippets: a ValueError or TypeError is the clean error (exit 3).
_PRELUDE = """
import sys, numpy as np
def _main():
{body}
try:
    _main()
except (ValueError, TypeError) as exc:
    print(f"{{type(exc).__name__}}: {{exc}}", file=sys.stderr)
    sys.exit(3)
"""


@dataclass
class Run:
    rc: int | None
    out: str
    err: str
    seconds: float
    peak_mb: float
    timed_out: bool


@dataclass
class Outcome:
    name: str
    kind: str  # "clean", "traceback", "hang", "wrong", "unclear"
    peak_mb: float
    lost: bool = False
    detail: str = ""


@dataclass
class Context:
    src: Path
    tmp: Path
    env: dict[str, str] = field(default_factory=dict)

    def run(
        self,
        argv: list[str],
        *,
        stdin: Any = subprocess.DEVNULL,
        timeout: float = TIMEOUT_S,
        signal_at: tuple[float, int] | None = None,
        signal_when: Callable[[str], bool] | None = None,
        cwd: Path | None = None,
    ) -> Run:
        """Run ``python argv`` with the package of ``src``; optionally signal it."""

        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

        out_f = tempfile.TemporaryFile()
        err_f = tempfile.TemporaryFile()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *argv],
            stdin=stdin,
            stdout=out_f,
            stderr=err_f,
            env=self.env,
            cwd=cwd or self.tmp,
            preexec_fn=limits,
        )
        timed_out, sent = False, signal_at is None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - start
            if not sent and signal_at is not None:
                out_f.seek(0)
                ready = signal_when is None or signal_when(out_f.read().decode(errors="replace"))
                if ready and elapsed >= signal_at[0]:
                    proc.send_signal(signal_at[1])
                    sent = True
            if elapsed > timeout:
                proc.kill()
                timed_out = True
            time.sleep(0.002)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_f.seek(0)
        err_f.seek(0)
        return Run(
            None if timed_out else proc.returncode,
            out_f.read().decode(errors="replace"),
            err_f.read().decode(errors="replace"),
            time.perf_counter() - start,
            usage.ru_maxrss / 1024,
            timed_out,
        )

    def xent(self, *args: str, **kw: Any) -> Run:
        return self.run(["-m", "crossentropy.cli", *args], **kw)

    def lib(self, body: str, **kw: Any) -> Run:
        code = _PRELUDE.format(body="\n".join("    " + ln for ln in body.strip().splitlines()))
        return self.run(["-c", code], **kw)


def classify(
    name: str, r: Run, *, expect: str = "error", mention: tuple[str, ...] = (), ok_rc: int = 0
) -> Outcome:
    """The outcome of ``r`` where ``expect`` is "error" (clean) or "ok" (exit ``ok_rc``)."""
    if r.timed_out:
        return Outcome(name, "hang", r.peak_mb)
    if "Traceback" in r.err:
        last = r.err.strip().splitlines()[-1][:120]
        return Outcome(name, "traceback", r.peak_mb, detail=last)
    if expect == "ok":
        kind = "clean" if r.rc == ok_rc else "wrong"
        return Outcome(name, kind, r.peak_mb, detail=(r.err.strip() or r.out.strip())[-120:])
    if r.rc not in (2, 3):
        return Outcome(name, "wrong", r.peak_mb, detail=f"exit {r.rc}: {r.out.strip()[-100:]}")
    missing = [m for m in mention if m not in r.err]
    detail = r.err.strip().splitlines()[-1][:140] if r.err.strip() else ""
    return Outcome(name, "unclear" if missing else "clean", r.peak_mb, detail=detail)


# ---------------------------------------------------------------------- files


def npy_bytes(arr: Any) -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=False)
    return buf.getvalue()


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write_members(path: Path, members: dict[str, bytes], deflate: bool = False) -> Path:
    mode = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=mode) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def metadata_of(members: dict[str, bytes]) -> dict[str, Any]:
    import numpy as np

    raw = np.load(io.BytesIO(members["metadata.npy"]), allow_pickle=False)
    return json.loads(raw.tobytes().decode())


def with_metadata(members: dict[str, bytes], meta: dict[str, Any], raw: dict[str, str]) -> dict:
    """``members`` with new metadata; each ``"@KEY"`` string is replaced by ``raw[KEY]``."""
    import numpy as np

    text = json.dumps(meta)
    for key, literal in raw.items():
        text = text.replace(f'"@{key}"', literal)
    return {**members, "metadata.npy": npy_bytes(np.frombuffer(text.encode(), dtype=np.uint8))}


def idx_bytes(n: int, rows: int = 28, cols: int = 28, fill: int = 0) -> bytes:
    head = struct.pack(">BBBBIII", 0, 0, 8, 3, n, rows, cols)
    return head + bytes([fill]) * (n * rows * cols)


def labels_bytes(n: int) -> bytes:
    return struct.pack(">BBBBI", 0, 0, 8, 1, n) + bytes(i % 10 for i in range(n))


def png_zeros(path: Path, width: int, height: int) -> Path:
    """A grayscale PNG of zeros, compressed row by row (a few hundred kB for 20000^2)."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


# ---------------------------------------------------------------------- the cases


def setup(ctx: Context) -> dict[str, Path]:
    """A model saved by ``xent train`` (digits, SGD) and one image it can classify."""
    base = ctx.tmp / "base"
    r = ctx.xent("train", "--out", str(base), "--epochs", "2", "--quiet", "--no-plots")
    if r.rc != 0:
        raise SystemExit(f"setup failed: {r.err}")
    image = ctx.tmp / "digit.npy"
    r = ctx.lib(
        f"""
from sklearn.datasets import load_digits
np.save({str(image)!r}, load_digits().data[0].reshape(8, 8) / 16.0)
"""
    )
    return {"model": base / "model.npz", "image": image}


def model_cases(ctx: Context, files: dict[str, Path]) -> list[Outcome]:
    import numpy as np

    model, image = files["model"], files["image"]
    base = members_of(model)
    meta0 = metadata_of(base)
    out: list[Outcome] = []
    load = "from crossentropy.models import load_model\nload_model({path!r})"

    def tampered(name: str, edit: Callable[[dict], None], raw: dict[str, str]) -> Path:
        meta = json.loads(json.dumps(meta0))
        edit(meta)
        return write_members(ctx.tmp / f"{name}.npz", with_metadata(base, meta, raw))

    def check_load(name: str, path: Path, mention: tuple[str, ...] = ()) -> None:
        r = ctx.lib(load.format(path=str(path)))
        out.append(classify(name, r, mention=(path.name, *mention)))

    # A corrupt deflated member (a flipped byte in the middle of coef.npy's stream).
    deflated = write_members(ctx.tmp / "deflated.npz", base, deflate=True)
    data = bytearray(deflated.read_bytes())
    with zipfile.ZipFile(deflated) as z:
        info = z.getinfo("coef.npy")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k, offset in enumerate((info.compress_size // 3, info.compress_size // 2)):
        bad = bytearray(data)
        bad[start + offset] ^= 0xFF
        p = ctx.tmp / f"corrupt-deflate-{k}.npz"
        p.write_bytes(bytes(bad))
        check_load(f"model: corrupt deflated member {k}", p)
    big = "1" + "0" * 400
    fields: dict[str, Callable[[dict], None]] = {
        "l2": lambda m: m["params"].__setitem__("l2", "@BIG"),
        "tol": lambda m: m["params"].__setitem__("tol", "@BIG"),
        "momentum": lambda m: m["params"].__setitem__("momentum", "@BIG"),
        "learning_rate": lambda m: m["params"].__setitem__("learning_rate", "@BIG"),
        "statistics": lambda m: m["statistics"].__setitem__("loglike", "@BIG"),
        "history": lambda m: m["history"]["records"][0].__setitem__("loss", "@BIG"),
        "auto_rate": lambda m: m["sgd"].__setitem__("auto_rate", "@BIG"),
    }
    for key, edit in fields.items():
        check_load(f"model: 10**400 in {key}", tampered(f"big-{key}", edit, {"BIG": big}))
    deep = "[" * 100_000 + "]" * 100_000
    check_load(
        "model: JSON nested 100000 deep",
        tampered("deep", lambda m: m.__setitem__("user", "@DEEP"), {"DEEP": deep}),
    )
    check_load(
        "model: Infinity literal (l2)",
        tampered("inf", lambda m: m["params"].__setitem__("l2", "@X"), {"X": "Infinity"}),
    )
    check_load(
        "model: NaN literal (tol)",
        tampered("nan", lambda m: m["params"].__setitem__("tol", "@X"), {"X": "NaN"}),
    )
    shape = tampered(
        "inf-shape",
        lambda m: m["user"]["cli"]["dataset"].__setitem__("image_shape", ["@X", 8]),
        {"X": "Infinity"},
    )
    r = ctx.xent("predict", str(shape), str(image))
    out.append(classify("xent predict: Infinity in the image shape", r, mention=(shape.name,)))
    for key, where, value in (
        ("sgd.epoch", "sgd", 2**80),
        ("max_iter", "params", 10**30),
        ("batch_size", "params", 2**70),
    ):
        leaf = key.split(".")[-1]
        p = tampered(
            f"bound-{key}",
            lambda m, w=where, k=leaf: m[w].__setitem__(k, "@V"),
            {"V": str(value)},
        )
        check_load(f"model: {key} = {value:.3g}", p)
    # A small file that inflates to gigabytes: every array member 256 MB of zeros.
    zeros = np.zeros((10, 3_355_000), dtype=np.float64)
    member = npy_bytes(zeros)
    bomb = {"metadata.npy": base["metadata.npy"]}
    for name in ("coef.npy", "params.npy", "covariance.npy", "velocity.npy", "iterate.npy"):
        bomb[name] = member
    bomb_path = write_members(ctx.tmp / "bomb.npz", bomb, deflate=True)
    del member, zeros
    check_load(f"model: {bomb_path.stat().st_size // 1024} kB file inflating to 1.3 GB", bomb_path)
    meta = json.loads(json.dumps(meta0))
    meta["user"] = "@J"
    text = "[" + "{}," * 20_000_000 + "{}]"
    json_bomb = write_members(
        ctx.tmp / "json-bomb.npz", with_metadata(base, meta, {"J": text}), deflate=True
    )
    check_load(f"model: {json_bomb.stat().st_size // 1024} kB of JSON objects", json_bomb)
    return out


def size_cases(ctx: Context, files: dict[str, Path]) -> list[Outcome]:
    model = str(files["model"])
    out = []
    png = png_zeros(ctx.tmp / "huge.png", 20000, 20000)
    r = ctx.xent("predict", model, str(png))
    out.append(classify(f"predict: {png.stat().st_size // 1024} kB 20000^2 PNG", r))
    npy = ctx.tmp / "huge.npy"
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 64), }"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    npy.write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    r = ctx.xent("predict", model, str(npy))
    out.append(classify("predict: .npy header claiming (2^40, 64)", r, mention=("huge.npy",)))
    r = ctx.xent("plot", "entropy-peaked", "--set", "k=1000000000", "--out", "peak.png")
    out.append(classify("plot entropy-peaked k=1e9", r, mention=("k",)))
    r = ctx.xent("plot", "binary-entropy", "--dpi", "100000", "--out", "dpi.png")
    out.append(classify("plot --dpi 100000", r, mention=("--dpi",)))
    # The gzip bomb of IDX images: 1.04 MB claiming 1,369,000 images.
    home = ctx.tmp / "mnist-bomb" / "mnist"
    home.mkdir(parents=True)
    n = 1_369_000
    head = struct.pack(">BBBBIII", 0, 0, 8, 3, n, 28, 28)
    with gzip.open(home / "train-images-idx3-ubyte.gz", "wb", compresslevel=9) as f:
        f.write(head)
        block = b"\x00" * (1 << 20)
        left = n * 784
        while left:
            f.write(block[: min(left, len(block))])
            left -= min(left, len(block))
    (home / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels_bytes(n)))
    (home / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(10)))
    (home / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels_bytes(10)))
    r = ctx.lib(
        f"from crossentropy.datasets import load_mnist\nload_mnist({str(home)!r}, download=False)"
    )
    out.append(classify("load_mnist: gzip IDX bomb (1,369,000 images)", r))
    return out


def output_cases(ctx: Context, files: dict[str, Path]) -> list[Outcome]:
    out = []
    r = ctx.xent("challenger", "--out", "/dev/full")
    out.append(classify("challenger --out /dev/full", r, mention=("/dev/full",)))
    for cmd in (["challenger"], ["plot", "binary-entropy"]):
        folder = ctx.tmp / f"dir-{cmd[0]}"
        folder.mkdir()
        r = ctx.xent(*cmd, "--out", str(folder))
        beside = folder.with_name(folder.name + ".png")
        inside = any(folder.iterdir())
        kind = classify(f"{cmd[0]} --out DIR", r, expect="ok")
        if kind.kind == "clean" and (beside.exists() or not inside):
            kind = Outcome(kind.name, "wrong", r.peak_mb, detail=f"wrote {beside.name} beside DIR")
        if r.rc == 2 and "Traceback" not in r.err:  # refusing clearly is fine too
            kind = Outcome(kind.name, "clean", r.peak_mb)
        out.append(kind)
    # --out whose model.npz cannot be written (a directory there): refused before training.
    run_dir = ctx.tmp / "blocked"
    (run_dir / "model.npz").mkdir(parents=True)
    r = ctx.xent("train", "--out", str(run_dir), "--epochs", "20")
    o = classify("train --out DIR whose model.npz is a folder", r)
    if "training sgd" in r.out:
        o = Outcome(
            o.name,
            o.kind if o.kind != "clean" else "wrong",
            r.peak_mb,
            lost=True,
            detail="trained, then could not save",
        )
    out.append(o)
    return out


def signal_cases(ctx: Context, files: dict[str, Path]) -> list[Outcome]:
    out = []
    # SIGTERM during training: saved like Ctrl-C?
    run_dir = ctx.tmp / "term"
    r = ctx.xent(
        "train",
        "--out",
        str(run_dir),
        "--epochs",
        "5000",
        "--no-plots",
        signal_at=(1.0, signal.SIGTERM),
        signal_when=lambda s: "training sgd" in s,
    )
    saved = (run_dir / "model.npz").exists()
    o = classify("train: SIGTERM during training", r, expect="ok", ok_rc=r.rc or 0)
    if not saved or r.rc == -signal.SIGTERM:
        o = Outcome(o.name, "wrong", r.peak_mb, lost=True, detail=f"exit {r.rc}, nothing saved")
    out.append(o)
    # Ctrl-C while the interpreter is still importing: no traceback.
    bad = 0
    for delay in (0.02, 0.04, 0.06, 0.08, 0.1):
        r = ctx.xent("entropy", "0.5", "0.5", signal_at=(delay, signal.SIGINT))
        bad += "Traceback" in r.err
    out.append(
        Outcome(
            "Ctrl-C in the first 0.1 s (5 runs)",
            "traceback" if bad else "clean",
            0,
            detail=f"{bad} of 5 tracebacks",
        )
    )
    # An interrupted run in --out, then a new `xent train` there without --resume.
    run_dir = ctx.tmp / "interrupted"
    ctx.xent(
        "train",
        "--out",
        str(run_dir),
        "--epochs",
        "5000",
        "--no-plots",
        signal_at=(0.5, signal.SIGINT),
        signal_when=lambda s: "training sgd" in s,
    )
    before = (run_dir / "model.npz").read_bytes() if (run_dir / "model.npz").exists() else b""
    r = ctx.xent("train", "--out", str(run_dir), "--epochs", "1", "--quiet", "--no-plots")
    after = (run_dir / "model.npz").read_bytes() if (run_dir / "model.npz").exists() else b""
    o = classify("train over an interrupted run without --resume", r, mention=("--resume",))
    o.lost = bool(before) and after != before
    out.append(o)
    # Stale temporary files of save_model killed mid-write: removed by the next save?
    folder = ctx.tmp / "stale"
    folder.mkdir()
    dead = 4_194_000
    stale = folder / f".model.npz.{dead}.0badf00d.part"
    stale.write_bytes(b"\x00" * 4096)
    r = ctx.lib(
        f"""
from sklearn.datasets import load_iris
from crossentropy.models import LogisticRegression, save_model
X, y = load_iris(return_X_y=True)
save_model(LogisticRegression(solver="newton").fit(X[:100], y[:100]), {str(folder / "model.npz")!r})
"""
    )
    o = classify("save_model beside a stale .part of a dead process", r, expect="ok")
    if stale.exists():
        o = Outcome(o.name, "wrong", r.peak_mb, lost=True, detail="stale .part left")
    out.append(o)
    # Closed standard input.
    r = ctx.xent("entropy", "--file", "-", stdin=None if False else subprocess.DEVNULL)
    r = ctx.run(
        [
            "-c",
            "import os, sys, runpy; os.close(0); sys.stdin = None; sys.argv = ['xent', "
            "'entropy', '--file', '-']; runpy.run_module('crossentropy.cli', run_name='__main__')",
        ]
    )
    out.append(classify("entropy --file - with stdin closed", r, mention=("input",)))
    return out


def numeric_cases(ctx: Context, files: dict[str, Path]) -> list[Outcome]:
    out = []
    r = ctx.lib(
        """
from crossentropy.losses import categorical_cross_entropy_with_logits as cce
from crossentropy.losses import binary_cross_entropy_with_logits as bce
z = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, -2.0]])
a = cce([0, 1], z.astype('>f8'))
b = cce([0, 1], z)
c = bce(np.array([1.0, 0.0]).astype('>f8'), np.array([0.3, -2.0]).astype('>f8'))
d = bce(np.array([1.0, 0.0]), np.array([0.3, -2.0]))
assert np.array_equal(a, b) and np.array_equal(c, d), (a, b, c, d)
"""
    )
    out.append(classify("big-endian logits and labels", r, expect="ok"))
    r = ctx.lib(
        "import crossentropy as xe, math\n"
        "v = xe.entropy([1e308, 1e308], normalize=True)\n"
        "assert math.isclose(v, math.log(2)), v"
    )
    out.append(classify("entropy([1e308, 1e308], normalize=True)", r, expect="ok"))
    fits = {
        "LinearRegression": "LinearRegression()",
        "LogisticRegression": "LogisticRegression()",
        "SoftmaxRegression": "SoftmaxRegression()",
    }
    data = (
        "from crossentropy.models import LinearRegression, LogisticRegression, SoftmaxRegression\n"
        "rng = np.random.default_rng(0)\nX = rng.normal(size=(60, 3))\n"
        "y = (X[:, 0] + rng.normal(size=60) > 0).astype(int)\n"
    )
    for name, make in fits.items():
        r = ctx.lib(data + f"{make}.fit(X, y, sample_weight=np.full(60, 1e308))")
        out.append(classify(f"{name}: sample_weight all 1e308", r, mention=("sample_weight",)))
    for model in ("LogisticRegression", "SoftmaxRegression"):
        for solver in ("newton", "lbfgs"):
            r = ctx.lib(data + f"{model}(solver={solver!r}).fit(X * 1e300, y)")
            out.append(classify(f"{model}({solver}): X * 1e300", r, mention=("`X`",)))
    r = ctx.lib(data + "LogisticRegression().fit(X, y[:-5])")
    out.append(classify("LogisticRegression: y of the wrong length", r, mention=("y", "55")))
    r = ctx.lib(data + "SoftmaxRegression(solver='sgd', random_state=-1).fit(X, y)")
    out.append(classify("SoftmaxRegression(random_state=-1)", r, mention=("random_state",)))
    r = ctx.lib(
        "from crossentropy.models import SoftmaxRegression\n"
        "SoftmaxRegression(nesterov='yes').fit(np.eye(4), [0, 1, 0, 1])"
    )
    out.append(classify("SoftmaxRegression(nesterov='yes')", r, mention=("nesterov",)))
    env_home = {**ctx.env, "CROSSENTROPY_DATA": "~nosuchuser123/x"}
    saved, ctx.env = ctx.env, env_home
    r = ctx.lib("from crossentropy.datasets import default_data_home\ndefault_data_home()")
    ctx.env = saved
    out.append(classify("CROSSENTROPY_DATA=~nosuchuser123/x", r))
    return out


# ---------------------------------------------------------------------- fuzzing

_FUZZ_CHILD = r"""
import json, os, resource, signal, sys
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
kind, paths = sys.argv[1], sys.argv[2:]
if kind == "idx":
    from crossentropy.datasets._idx import read_idx
    load = lambda p: read_idx(p, max_bytes=1 << 30, max_ratio=50.0)
else:
    from crossentropy.models import load_model
    load = load_model
class Hang(BaseException):
    pass
def alarm(*_):
    raise Hang()
signal.signal(signal.SIGALRM, alarm)
for p in paths:
    signal.setitimer(signal.ITIMER_REAL, 10.0)
    try:
        load(p)
        kind_ = "ok"
    except (ValueError, TypeError):
        kind_ = "clean"
    except Hang:
        kind_ = "hang"
    except BaseException as exc:
        kind_ = "traceback:" + type(exc).__name__
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    print(json.dumps([p, kind_]), flush=True)
"""


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    op = rng.randrange(5)
    if op == 0:  # flip bytes
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif op == 1:  # truncate
        del b[rng.randrange(len(b)) :]
    elif op == 2:  # insert random bytes
        at = rng.randrange(len(b))
        b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif op == 3:  # overwrite a 4-byte field near the start with a large value
        at = rng.randrange(min(len(b), 64))
        b[at : at + 4] = struct.pack(">I", rng.choice([0, 1, 2**31 - 1, 2**32 - 1, 60000]))
    else:  # duplicate a slice
        i, j = sorted(rng.randrange(len(b)) for _ in range(2))
        b[j:j] = b[i:j][:4096]
    return bytes(b)


def fuzz(ctx: Context, kind: str, seeds: list[bytes], n: int, suffix: str) -> list[Outcome]:
    rng = random.Random(1234)
    folder = ctx.tmp / f"fuzz-{kind}"
    folder.mkdir()
    paths = []
    for i in range(n):
        p = folder / f"m{i:04d}{suffix}"
        p.write_bytes(mutate(seeds[i % len(seeds)], rng))
        paths.append(str(p))
    out: list[Outcome] = []
    batch = 25
    for k in range(0, n, batch):
        chunk = paths[k : k + batch]
        r = ctx.run(["-c", _FUZZ_CHILD, kind, *chunk], timeout=15.0 * len(chunk))
        seen = {}
        for line in r.out.splitlines():
            p, what = json.loads(line)
            seen[p] = what
        for p in chunk:
            what = seen.get(p)
            if what is None:  # the process died (memory limit, crash) or hung
                what = "hang" if r.timed_out else "traceback:died"
            o = Outcome(
                Path(p).name,
                "clean" if what in ("ok", "clean") else what.split(":")[0],
                r.peak_mb,
                detail=what,
            )
            out.append(o)
    return out


def fuzz_seeds(ctx: Context, files: dict[str, Path]) -> tuple[list[bytes], list[bytes]]:
    images = idx_bytes(20, fill=7)
    idx = [images, gzip.compress(images), labels_bytes(50), gzip.compress(labels_bytes(50))]
    model = files["model"]
    deflated = write_members(ctx.tmp / "seed-deflated.npz", members_of(model), deflate=True)
    return idx, [model.read_bytes(), deflated.read_bytes()]


# ---------------------------------------------------------------------- the table


def summarise(groups: dict[str, list[Outcome]]) -> str:
    head = (
        "group",
        "inputs",
        "clean",
        "tracebacks",
        "hangs",
        "wrong",
        "unclear",
        "peak MB",
        "lost",
    )
    rows = [head]
    for name, outs in groups.items():
        count = {
            k: sum(o.kind == k for o in outs)
            for k in ("clean", "traceback", "hang", "wrong", "unclear")
        }
        rows.append(
            (
                name,
                str(len(outs)),
                str(count["clean"]),
                str(count["traceback"]),
                str(count["hang"]),
                str(count["wrong"]),
                str(count["unclear"]),
                f"{max((o.peak_mb for o in outs), default=0):.0f}",
                str(sum(o.lost for o in outs)),
            )
        )
    widths = [max(len(r[j]) for r in rows) for j in range(len(head))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if j == 0 else c.rjust(w)
            for j, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the package's src folder")
    ap.add_argument("--fuzz", type=int, default=200, help="mutants per fuzzed format")
    ap.add_argument("--json", type=Path, help="write every outcome here")
    args = ap.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": str(args.src.resolve()),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Context(args.src, Path(tmp), env)
        files = setup(ctx)
        groups: dict[str, list[Outcome]] = {}
        for name, fn in (
            ("model files", model_cases),
            ("sizes in headers", size_cases),
            ("outputs", output_cases),
            ("signals and runs", signal_cases),
            ("numbers and options", numeric_cases),
        ):
            groups[name] = fn(ctx, files)
            for o in groups[name]:
                print(f"  {o.kind:<9} {o.peak_mb:7.0f} MB  {o.name}  {o.detail}", flush=True)
        idx_seeds, model_seeds = fuzz_seeds(ctx, files)
        if args.fuzz:
            groups["IDX fuzz"] = fuzz(ctx, "idx", idx_seeds, args.fuzz, ".gz")
            groups["model fuzz"] = fuzz(ctx, "model", model_seeds, args.fuzz, ".npz")
            for o in groups["IDX fuzz"] + groups["model fuzz"]:
                if o.kind != "clean":
                    print(f"  {o.kind:<9} {o.peak_mb:7.0f} MB  {o.name}  {o.detail}")
        print()
        print(summarise(groups))
        if args.json:
            args.json.write_text(
                json.dumps({g: [o.__dict__ for o in outs] for g, outs in groups.items()}, indent=1)
            )


if __name__ == "__main__":
    main()
