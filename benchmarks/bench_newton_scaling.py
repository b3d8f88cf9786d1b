"""In-memory logistic fits from 1e5 to 4e6 rows x 100 features: time against N.

    python benchmarks/bench_newton_scaling.py [--max-rows 4e6] [--features 100]

For each N: ours newton with standard errors (fit + ``bse_``), ours lbfgs, and
scikit-learn's lbfgs and newton-cholesky (no standard errors) on the same float64
data and threads; then the exponent of time in N (a least-squares line through
log time against log N) and the peak of the memory the fit allocates beyond X
(tracemalloc, bytes per row).  Goals (issue 14, goal 3): exponent <= 1.1 for every
solver; at 4e6 x 100 newton with standard errors <= 6 s and >= 3x faster than
newton-cholesky; lbfgs no slower than scikit-learn's lbfgs; < 100 bytes per row
beyond X.  One repetition per size (the large sizes take seconds).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np


def data(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = rng.standard_normal(p) * (1.0 / np.sqrt(p))
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ beta)))).astype(np.float64)
    return X, y


def timed(fn: Callable[[np.ndarray, np.ndarray], Any], X: np.ndarray, y: np.ndarray) -> float:
    t = time.perf_counter()
    fn(X, y)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-rows", type=float, default=4e6)
    ap.add_argument("--features", type=int, default=100)
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression as SkLogit

    from crossentropy.models import LogisticRegression

    sizes = [n for n in (1e5, 3e5, 1e6, 2e6, 4e6) if n <= args.max_rows]
    p = args.features

    def ours_newton(X: np.ndarray, y: np.ndarray) -> Any:
        m = LogisticRegression(solver="newton").fit(X, y)
        return m.bse_

    def ours_lbfgs(X: np.ndarray, y: np.ndarray) -> Any:
        return LogisticRegression(solver="lbfgs", tol=1e-4).fit(X, y)

    def sk(solver: str) -> Callable[[np.ndarray, np.ndarray], Any]:
        def fit(X: np.ndarray, y: np.ndarray) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return SkLogit(solver=solver, C=np.inf, tol=1e-4, max_iter=500).fit(X, y)

        return fit

    solvers = {
        "ours newton + SE": ours_newton,
        "ours lbfgs": ours_lbfgs,
        "sklearn lbfgs": sk("lbfgs"),
        "sklearn newton-cholesky": sk("newton-cholesky"),
    }
    times: dict[str, list[float]] = {k: [] for k in solvers}
    peaks = []
    print(f"logistic regression, p = {p}, float64, seconds per fit")
    print(f"{'N':>9} " + " ".join(f"{k:>24}" for k in solvers) + f" {'ours B/row beyond X':>20}")
    for n in sizes:
        X, y = data(int(n), p)
        row = []
        for name, fn in solvers.items():
            t = timed(fn, X, y)
            times[name].append(t)
            row.append(t)
        tracemalloc.start()
        ours_newton(X, y)
        peak = tracemalloc.get_traced_memory()[1] / n
        tracemalloc.stop()
        peaks.append(peak)
        print(f"{int(n):>9} " + " ".join(f"{t:>24.3f}" for t in row) + f" {peak:>20.1f}")
        del X, y
    logn = np.log(sizes)
    print()
    for name, ts in times.items():
        if len(ts) >= 2:
            slope = float(np.polyfit(logn, np.log(ts), 1)[0])
            verdict = "met" if slope <= 1.1 else "NOT met"
            print(f"exponent {name:<24} {slope:5.2f}  (goal <= 1.1: {verdict})")
    last = {k: v[-1] for k, v in times.items()}
    n_last = int(sizes[-1])
    ours = last["ours newton + SE"]
    ratio = last["sklearn newton-cholesky"] / ours
    print(
        f"at {n_last} x {p}: ours newton + SE {ours:.2f} s (goal <= 6 s at 4e6: "
        f"{'met' if ours <= 6 and n_last >= 4e6 else 'NOT met' if n_last >= 4e6 else 'not run'})"
    )
    print(
        f"  newton-cholesky / ours newton = {ratio:.2f} (goal >= 3: "
        f"{'met' if ratio >= 3 else 'NOT met'})"
    )
    lb = last["sklearn lbfgs"] / last["ours lbfgs"]
    print(f"  sklearn lbfgs / ours lbfgs = {lb:.2f} (goal >= 1: {'met' if lb >= 1 else 'NOT met'})")
    # The fixed part (4 MB blocks, the Hessian) is spread over the rows: the largest
    # N shows the part that grows with N.
    print(
        f"  peak allocated beyond X at {n_last}: {peaks[-1]:.1f} bytes per row (goal < 100: "
        f"{'met' if peaks[-1] < 100 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
