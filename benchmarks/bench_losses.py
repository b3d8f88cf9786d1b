"""Cross-entropy from logits: crossentropy against PyTorch, SciPy and scikit-learn.

Run:  python benchmarks/bench_losses.py [--threads N] [--repeat R] [--quick]

For each shape (float32 16384 x 1024, 1048576 x 10, 2048 x 32768; float64 16384 x
1024) it times, on the same data and the same thread count:

- ours: ``categorical_cross_entropy_with_logits`` (value; value + gradient), and the
  backend ``_kernels.softmax_xent`` (what the training loop calls) writing the gradient
  into a buffer;
- torch: ``torch.nn.functional.cross_entropy`` (value with reduction='none'; forward +
  backward of the summed loss, i.e. the same per-row gradients), with
  ``torch.set_num_threads`` equal to ours;
- scipy: ``scipy.special.log_softmax`` followed by a gather of the true class;
- sklearn: ``sklearn.metrics.log_loss`` given the softmax probabilities (computed
  beforehand, not timed), where its one-hot label matrix fits in 1 GiB.

Times are the best of several runs (the machine may be shared: the best run is the
one least disturbed).  The floor is the time to read the logits once at the memory
bandwidth measured in the same run (numpy sums over a 512 MiB buffer, one per
thread).  Absent peers are skipped.  The script also reports the import time of
``crossentropy``, the first-call cost (extension load) and the peak memory of the
value path (tracemalloc for NumPy allocations, the peak resident set on Linux for
everything, torch included).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib.util
import os
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import crossentropy as xe
from crossentropy import _kernels
from crossentropy.losses import categorical_cross_entropy_with_logits as cce

MiB = 1 << 20
SHAPES = [
    ((16384, 1024), np.float32),
    ((1048576, 10), np.float32),
    ((2048, 32768), np.float32),
    ((16384, 1024), np.float64),
]
QUICK_SHAPES = [((2048, 1024), np.float32), ((65536, 10), np.float32), ((256, 32768), np.float32)]
SKLEARN_ONE_HOT_LIMIT = 1 << 30


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds (after one warm-up call)."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def read_bandwidth(threads: int, repeat: int) -> tuple[float, float]:
    """Read bandwidth in bytes/s: one thread, and ``threads`` threads (numpy releases
    the GIL in sums), over a 512 MiB buffer, 16x the largest last-level cache here."""
    buf = np.ones(512 * MiB // 8)
    one = buf.nbytes / best_of(lambda: float(np.sum(buf)), repeat)
    parts = np.array_split(buf, threads)
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:

        def run() -> None:
            list(pool.map(np.sum, parts))

        many = buf.nbytes / best_of(run, repeat)
    return one, many


def peak_rss_delta(fn: Callable[[], Any]) -> int | None:
    """Peak resident memory during ``fn()`` above the resident memory before, in bytes
    (Linux: the high-water mark is reset through /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return None

    def status(key: str) -> int:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        raise KeyError(key)

    before = status("VmRSS:")
    fn()
    return status("VmHWM:") - before


def traced_peak(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def first_call_costs() -> dict[str, float]:
    """Fresh interpreter: import time of crossentropy; first calls of the loss, which
    load the extension (small input) and start the thread pool (large input)."""
    code = (
        "import time\n"
        "t0 = time.perf_counter(); import crossentropy; t1 = time.perf_counter()\n"
        "import numpy as np\n"
        "from crossentropy.losses import categorical_cross_entropy_with_logits as f\n"
        "zs, ys = np.zeros((64, 10), np.float32), np.zeros(64, np.int64)\n"
        "zl, yl = np.zeros((512, 1024), np.float32), np.zeros(512, np.int64)\n"
        "def timed(*a):\n"
        "    t = time.perf_counter(); f(*a); return time.perf_counter() - t\n"
        "print(t1 - t0, timed(ys, zs), timed(ys, zs), timed(yl, zl), timed(yl, zl))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    keys = ["import", "first small", "second small", "first large", "second large"]
    return dict(zip(keys, map(float, out.stdout.split()), strict=True))


def small_batch_overhead(repeat: int) -> dict[str, float]:
    """Per-call time for a 128 x 10 float32 batch (MNIST softmax regression), in seconds."""
    rng = np.random.default_rng(1)
    z = rng.standard_normal((128, 10)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    buf = np.empty_like(z)
    calls = 2000

    def loop(fn: Callable[[], Any]) -> float:
        return best_of(lambda: [fn() for _ in range(calls)], repeat) / calls

    out = {
        "softmax_xent (grad into buffer)": loop(
            lambda: _kernels.softmax_xent(z, y, grad_out=buf, scale=1 / 128)
        ),
        "categorical_cross_entropy_with_logits (value + grad)": loop(
            lambda: cce(y, z, return_grad=True)
        ),
    }
    if importlib.util.find_spec("torch") is not None:
        import torch

        zt = torch.from_numpy(z.copy()).requires_grad_(True)
        yt = torch.from_numpy(y)

        def fb() -> None:
            zt.grad = None
            torch.nn.functional.cross_entropy(zt, yt).backward()

        out["torch cross_entropy (forward + backward)"] = loop(fb)
    return out


def bench_shape(
    shape: tuple[int, int], dtype: Any, threads: int, repeat: int, floor_bw: float
) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    n, k = shape
    z = rng.standard_normal(shape, dtype=np.float32).astype(dtype, copy=False)
    y = rng.integers(0, k, n)
    grad_buf = np.empty_like(z)
    row: dict[str, Any] = {"shape": f"{n} x {k} {np.dtype(dtype).name}", "MiB": z.nbytes / MiB}
    row["floor"] = z.nbytes / floor_bw
    row["ours"] = best_of(lambda: cce(y, z), repeat)
    row["ours+g"] = best_of(lambda: cce(y, z, return_grad=True), repeat)
    row["ours+g buf"] = best_of(lambda: _kernels.softmax_xent(z, y, grad_out=grad_buf), repeat)
    row["ours peak traced"] = traced_peak(lambda: cce(y, z))
    row["ours peak rss"] = peak_rss_delta(lambda: cce(y, z))

    if importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(threads)
        zt, yt = torch.from_numpy(z), torch.from_numpy(y)
        zg = zt.clone().requires_grad_(True)

        def fwd_bwd() -> None:
            zg.grad = None
            torch.nn.functional.cross_entropy(zg, yt, reduction="sum").backward()

        with torch.no_grad():
            row["torch"] = best_of(
                lambda: torch.nn.functional.cross_entropy(zt, yt, reduction="none"), repeat
            )
            row["torch peak rss"] = peak_rss_delta(
                lambda: torch.nn.functional.cross_entropy(zt, yt, reduction="none")
            )
        row["torch+g"] = best_of(fwd_bwd, repeat)

    if importlib.util.find_spec("scipy") is not None:
        from scipy.special import log_softmax

        def scipy_loss() -> Any:
            return -np.take_along_axis(log_softmax(z, axis=1), y[:, None], axis=1)[:, 0]

        row["scipy"] = best_of(scipy_loss, max(2, repeat // 2))

    if importlib.util.find_spec("sklearn") is not None and n * k * 8 <= SKLEARN_ONE_HOT_LIMIT:
        from sklearn.metrics import log_loss

        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        labels = np.arange(k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            row["sklearn"] = best_of(lambda: log_loss(y, p, labels=labels), 2)
    return row


def fmt_ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.2f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None else f"{a / b:.2f}x"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=None, help="threads for ours and torch")
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (best kept)")
    parser.add_argument("--quick", action="store_true", help="small shapes (a smoke test)")
    args = parser.parse_args(argv)
    if args.threads is not None:
        xe.set_num_threads(args.threads)
    threads = xe.get_num_threads()

    info = _kernels.info()
    print(f"crossentropy {xe.__version__}: {info}")
    print(f"numpy {np.__version__}", end="")
    for name in ("torch", "scipy", "sklearn"):
        if importlib.util.find_spec(name) is not None:
            print(f", {name} {__import__(name).__version__}", end="")
        else:
            print(f", {name} absent (skipped)", end="")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\nCPUs usable: {cpus}, threads: {threads}, best of {args.repeat} runs")

    c = first_call_costs()
    print(f"\nimport crossentropy: {c['import'] * 1e3:.1f} ms (fresh interpreter)")
    print(
        f"first loss call, 64 x 10 (loads the extension): {c['first small'] * 1e3:.2f} ms, "
        f"second: {c['second small'] * 1e3:.3f} ms; first 512 x 1024 call (starts the "
        f"threads): {c['first large'] * 1e3:.2f} ms, second: {c['second large'] * 1e3:.2f} ms"
    )
    bw1, bwn = read_bandwidth(threads, args.repeat)
    print(
        f"read bandwidth: {bw1 / 1e9:.1f} GB/s (1 thread), {bwn / 1e9:.1f} GB/s ({threads} threads)"
    )
    floor_bw = max(bw1, bwn)

    rows = [
        bench_shape(shape, dtype, threads, args.repeat, floor_bw)
        for shape, dtype in (QUICK_SHAPES if args.quick else SHAPES)
    ]

    print("\nTimes in ms (best of runs); floor = logits bytes / best read bandwidth")
    cols = ["floor", "ours", "ours+g", "ours+g buf", "torch", "torch+g", "scipy", "sklearn"]
    print(f"{'shape':<24}" + "".join(f"{c:>11}" for c in cols))
    for r in rows:
        print(f"{r['shape']:<24}" + "".join(f"{fmt_ms(r.get(c)):>11}" for c in cols))

    print("\nRatios (> 1: ours faster)")
    heads = ["torch/ours", "torch+g/ours+g", "scipy/ours", "sklearn/ours", "ours/floor"]
    print(f"{'shape':<24}" + "".join(f"{h:>16}" for h in heads))
    for r in rows:
        vals = [
            ratio(r.get("torch"), r["ours"]),
            ratio(r.get("torch+g"), r["ours+g"]),
            ratio(r.get("scipy"), r["ours"]),
            ratio(r.get("sklearn"), r["ours"]),
            ratio(r["ours"], r["floor"]),
        ]
        print(f"{r['shape']:<24}" + "".join(f"{v:>16}" for v in vals))

    print("\nGoals (issue 3): value >= 1.5x faster than torch; value + grad at least as fast")
    print("as torch forward + backward; value within 3x of the floor on 16384 x 1024 float32")
    for r in rows:
        checks = []
        if "torch" in r:
            checks.append(("value vs torch", r["torch"] / r["ours"] >= 1.5))
            checks.append(("value+grad vs torch", r["torch+g"] / r["ours+g"] >= 1.0))
        if r["shape"] == "16384 x 1024 float32":
            checks.append(("floor", r["ours"] / r["floor"] <= 3.0))
        text = ", ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in checks)
        print(f"{r['shape']:<24} {text or '-'}")

    print("\nPeak extra memory of the value path (logits size for scale; resident = growth")
    print("of the peak resident set during the call, torch included)")
    for r in rows:
        rss = r["ours peak rss"]
        trss = r.get("torch peak rss")
        print(
            f"{r['shape']:<24} logits {r['MiB']:.0f} MiB; ours: traced "
            f"{r['ours peak traced'] / MiB:.3f} MiB, resident "
            f"{'-' if rss is None else f'{rss / MiB:.2f} MiB'}; torch resident "
            f"{'-' if trss is None else f'{trss / MiB:.2f} MiB'}"
        )

    print("\nPer-call time, 128 x 10 float32 batch (MNIST softmax regression)")
    for name, seconds in small_batch_overhead(args.repeat).items():
        print(f"  {name:<56} {seconds * 1e6:8.2f} us")


if __name__ == "__main__":
    main()
