"""A logistic fit read from disk in blocks: time per Newton pass against the read floor.

    python benchmarks/bench_out_of_core.py [--gb 1] [--features 100] [--dir DIR]
        [--block-rows 65536] [--keep]

Writes a logistic data set of ``--gb`` gigabytes of float64 features as ``.npy``
files under ``--dir`` (a temporary directory by default; ``--gb 32`` makes one
larger than a 24 GB machine's memory), then reports:

- the read floor: seconds to read X once, block by block (bytes / the measured
  disk or page-cache bandwidth; the second read of a file that fits in memory
  comes from the page cache);
- ours: ``fit_blocks(LogisticRegression(), NpyBlocks(...))`` with standard errors:
  iterations, passes over the data, seconds per pass and its ratio to the floor
  (goal <= 1.5), and the peak of the memory the fit allocates (tracemalloc;
  the pages of the memory map are the operating system's cache, not counted;
  goal < 2 GB whatever the size);
- peers in the same run where installed: dask-ml's LogisticRegression (its time,
  and that it gives no standard errors) on the same memory-mapped file, and
  statsmodels' Logit and our in-memory fit where X fits in memory
  (``--in-memory-gb``, default 2).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np


def write_data(path: Path, gb: float, p: int, seed: int = 0) -> tuple[int, float]:
    """X.npy (float64, n x p) and y.npy (0/1) of a logistic model; returns n, seconds."""
    n = int(gb * 1e9 / (8 * p))
    rng = np.random.default_rng(seed)
    beta = rng.standard_normal(p) / np.sqrt(p)
    t = time.perf_counter()
    X = np.lib.format.open_memmap(path / "X.npy", mode="w+", dtype=np.float64, shape=(n, p))
    y = np.lib.format.open_memmap(path / "y.npy", mode="w+", dtype=np.int8, shape=(n,))
    step = 65536
    for start in range(0, n, step):
        stop = min(start + step, n)
        xb = rng.standard_normal((stop - start, p))
        X[start:stop] = xb
        y[start:stop] = rng.random(stop - start) < 1.0 / (1.0 + np.exp(-(xb @ beta)))
    X.flush()
    y.flush()
    del X, y
    return n, time.perf_counter() - t


def read_floor(path: Path, block_rows: int) -> float:
    """Seconds to read every byte of X.npy once, in blocks (a sum keeps the read real)."""
    X = np.load(path / "X.npy", mmap_mode="r")
    t = time.perf_counter()
    total = 0.0
    for start in range(0, X.shape[0], block_rows):
        total += float(np.add.reduce(X[start : start + block_rows], axis=None))
    return time.perf_counter() - t


class Counting:
    """A source that counts its passes."""

    def __init__(self, source: Any) -> None:
        self.source, self.passes = source, 0

    def __iter__(self) -> Iterator[Any]:
        self.passes += 1
        return iter(self.source)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gb", type=float, default=1.0, help="size of X on disk (default 1)")
    ap.add_argument("--features", type=int, default=100)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--block-rows", type=int, default=65536)
    ap.add_argument("--in-memory-gb", type=float, default=2.0)
    ap.add_argument("--keep", action="store_true", help="keep the data files")
    args = ap.parse_args()

    from crossentropy.blocks import NpyBlocks, fit_blocks
    from crossentropy.models import LogisticRegression

    root = Path(tempfile.mkdtemp(dir=args.dir))
    try:
        n, t_write = write_data(root, args.gb, args.features)
        nbytes = n * args.features * 8
        print(
            f"data: {n} x {args.features} float64, {nbytes / 1e9:.2f} GB in {root} "
            f"(written in {t_write:.1f} s)"
        )
        floors = [read_floor(root, args.block_rows) for _ in range(2)]
        floor = min(floors)
        print(
            f"read floor: {floors[0]:.2f} s, then {floors[1]:.2f} s "
            f"({nbytes / floor / 1e9:.2f} GB/s)"
        )

        src = Counting(NpyBlocks(root / "X.npy", root / "y.npy", block_rows=args.block_rows))
        tracemalloc.start()
        t = time.perf_counter()
        m = fit_blocks(LogisticRegression(), src)
        se = m.bse_
        t_ours = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        per_pass = t_ours / src.passes
        ratio = per_pass / floor
        print(
            f"ours fit_blocks newton + SE: {t_ours:.2f} s, {m.n_iter_} iterations, "
            f"{src.passes} passes, {per_pass:.2f} s per pass = {ratio:.2f} x the floor "
            f"(goal <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})"
        )
        print(
            f"  peak allocated {peak / 1e9:.3f} GB (goal < 2 GB: "
            f"{'met' if peak < 2e9 else 'NOT met'}); max SE {float(np.max(se)):.3g}"
        )

        try:
            import dask.array as da
            from dask_ml.linear_model import LogisticRegression as DaskLogit
        except ImportError:
            print("dask-ml: not installed, skipped (pip install dask-ml)")
        else:
            X = np.load(root / "X.npy", mmap_mode="r")
            y = np.load(root / "y.npy", mmap_mode="r")
            dX = da.from_array(X, chunks=(args.block_rows, args.features))
            dy = da.from_array(y, chunks=args.block_rows)
            t = time.perf_counter()
            dm = DaskLogit(solver="newton", penalty="none", fit_intercept=True).fit(dX, dy)
            t_dask = time.perf_counter() - t
            has_se = any(hasattr(dm, a) for a in ("bse_", "standard_errors_"))
            print(
                f"dask-ml newton: {t_dask:.2f} s ({t_dask / t_ours:.2f} x ours); "
                f"standard errors: {'yes' if has_se else 'none'}"
            )

        if nbytes <= args.in_memory_gb * 1e9:
            X = np.load(root / "X.npy")
            y = np.load(root / "y.npy").astype(np.float64)
            t = time.perf_counter()
            ref = LogisticRegression().fit(X, y)
            ref_se = ref.bse_
            t_mem = time.perf_counter() - t
            diff = float(np.max(np.abs(ref_se - se) / ref_se))
            print(
                f"ours in memory newton + SE: {t_mem:.2f} s; standard errors equal to "
                f"{diff:.1e} relative"
            )
            try:
                import statsmodels.api as sm
            except ImportError:
                print("statsmodels: not installed, skipped")
            else:
                t = time.perf_counter()
                res = sm.Logit(y, sm.add_constant(X)).fit(disp=0)
                _ = res.bse
                t_sm = time.perf_counter() - t
                print(f"statsmodels Logit: {t_sm:.2f} s ({t_sm / t_ours:.2f} x ours out of core)")
        else:
            print(
                f"in memory (ours, statsmodels): skipped, X is over --in-memory-gb "
                f"{args.in_memory_gb}"
            )
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
