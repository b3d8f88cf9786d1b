"""Model fitting against its peers, measured in the same run on the same data and threads.

    python benchmarks/bench_models.py [--threads 2] [--quick]

1. Challenger logistic regression with standard errors: ours (Newton) against
   statsmodels' Logit and scikit-learn's LogisticRegression (no standard errors).
2. Softmax regression by mini-batch SGD (batch 128, learning rate 0.5) on MNIST
   (../shared/data/mnist, or synthetic 60000 x 784 float32 data when absent):
   seconds per epoch against a plain NumPy loop and, if installed, PyTorch.
3. l2-regularised softmax regression by L-BFGS on the same data: ours against
   scikit-learn's LogisticRegression(lbfgs) with the same objective and iterations.

Each time is the best of a few repetitions; ratios are peer time / our time
(> 1: we are faster).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

MNIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def mnist() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    from crossentropy.datasets import load_mnist

    try:
        ds = load_mnist(MNIST, download=False)
    except FileNotFoundError:
        pass
    else:
        xtr, xte = ds.scaled(np.float32)
        return xtr, ds.y_train, xte, ds.y_test, "MNIST"
    rng = np.random.default_rng(0)
    centers = rng.random((10, 784), dtype=np.float32)
    ytr, yte = rng.integers(0, 10, 60000), rng.integers(0, 10, 10000)
    xtr = centers[ytr] + rng.normal(0, 0.8, (60000, 784)).astype(np.float32)
    xte = centers[yte] + rng.normal(0, 0.8, (10000, 784)).astype(np.float32)
    return xtr, ytr, xte, yte, "synthetic 60000 x 784"


def numpy_sgd_epoch(X: np.ndarray, y: np.ndarray, epochs: int, seed: int = 0) -> np.ndarray:
    """The plain loop a user writes: X[batch] @ W, softmax, gradient, update."""
    rng = np.random.default_rng(seed)
    W = np.zeros((X.shape[1], 10), np.float32)
    b = np.zeros(10, np.float32)
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for s in range(0, len(y), 128):
            idx = order[s : s + 128]
            xb = X[idx]
            z = xb @ W + b
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(idx)), y[idx]] -= 1
            p /= len(idx)
            W -= 0.5 * (xb.T @ p)
            b -= 0.5 * p.sum(axis=0)
    return np.vstack([b, W])


def row(name: str, ours: float, peer: float | None, extra: str = "") -> None:
    ratio = f"{peer / ours:8.2f}" if peer is not None else "       -"
    peer_s = f"{peer:10.4f}" if peer is not None else "         -"
    print(f"{name:<46}{ours:10.4f}{peer_s}{ratio}  {extra}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    from threadpoolctl import threadpool_limits

    threadpool_limits(args.threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    warnings.simplefilter("ignore")
    repeat = 2 if args.quick else 5

    from crossentropy.datasets import load_challenger
    from crossentropy.models import LogisticRegression, SoftmaxRegression

    print(f"{'task':<46}{'ours s':>10}{'peer s':>10}{'ratio':>8}  peer / notes")
    d = load_challenger()
    X, y = d.temp_f[:, None], (d.distress > 0).astype(int)
    t_ours, m = best_of(lambda: LogisticRegression().fit(X, y), repeat * 4)
    _ = m.bse_
    try:
        import statsmodels.api as sm

        t_sm, _ = best_of(lambda: sm.Logit(y, sm.add_constant(X)).fit(disp=0).bse, repeat * 4)
        row("Challenger logit + standard errors", t_ours, t_sm, "statsmodels Logit")
    except ImportError:
        row("Challenger logit + standard errors", t_ours, None, "statsmodels absent")
    from sklearn.linear_model import LogisticRegression as SkLogistic

    t_sk, _ = best_of(lambda: SkLogistic(C=np.inf).fit(X, y), repeat * 4)
    row("Challenger logit (sklearn: no standard errors)", t_ours, t_sk, "sklearn lbfgs")

    xtr, ytr, xte, yte, name = mnist()
    epochs = 1 if args.quick else 2
    model = SoftmaxRegression(
        solver="sgd", learning_rate=0.5, batch_size=128, max_iter=epochs, tol=0.0, random_state=0
    )
    t_fit, m = best_of(lambda: model.fit(xtr, ytr), repeat)
    epoch_s = float(m.history_["time"][-1]) / epochs
    t_np, theta = best_of(lambda: numpy_sgd_epoch(xtr, ytr, epochs), repeat)
    acc_np = np.mean(np.argmax(xte @ theta[1:] + theta[0], axis=1) == yte)
    row(
        f"{name}: SGD seconds per epoch",
        epoch_s,
        t_np / epochs,
        f"plain NumPy loop, {args.threads} BLAS threads; acc ours {m.score(xte, yte):.4f} "
        f"numpy {acc_np:.4f}",
    )
    with threadpool_limits(1, user_api="blas"):
        t_np1, _ = best_of(lambda: numpy_sgd_epoch(xtr, ytr, epochs), repeat)
    row(
        f"{name}: SGD seconds per epoch",
        epoch_s,
        t_np1 / epochs,
        "plain NumPy loop, 1 BLAS thread (what ours uses per batch)",
    )
    row(
        f"{name}: SGD whole fit(), {epochs} epoch(s)",
        t_fit,
        t_np,
        "fit() includes validation of X and the fit statistics",
    )
    try:
        import torch

        torch.set_num_threads(args.threads)
        xt, yt = torch.from_numpy(xtr), torch.from_numpy(ytr.astype(np.int64))

        def torch_fit() -> Any:
            torch.manual_seed(0)
            lin = torch.nn.Linear(784, 10)
            torch.nn.init.zeros_(lin.weight)
            torch.nn.init.zeros_(lin.bias)
            opt = torch.optim.SGD(lin.parameters(), lr=0.5)
            for _ in range(epochs):
                perm = torch.randperm(len(yt))
                for s in range(0, len(yt), 128):
                    idx = perm[s : s + 128]
                    opt.zero_grad()
                    torch.nn.functional.cross_entropy(lin(xt[idx]), yt[idx]).backward()
                    opt.step()
            return lin

        t_torch, _ = best_of(torch_fit, repeat)
        row(f"{name}: SGD seconds per epoch", epoch_s, t_torch / epochs, "PyTorch loop")
    except ImportError:
        row(f"{name}: SGD seconds per epoch", epoch_s, None, "PyTorch absent")

    l2, iters = 1e-4, (30 if args.quick else 100)
    lb = SoftmaxRegression(solver="lbfgs", l2=l2, max_iter=iters, tol=1e-8)
    t_lb, lb = best_of(lambda: lb.fit(xtr, ytr), 1)
    sk = SkLogistic(C=1 / (l2 * len(ytr)), max_iter=iters, tol=1e-8)
    t_sk, sk = best_of(lambda: sk.fit(xtr, ytr), 1)
    row(
        f"{name}: l2 L-BFGS, {iters} iterations",
        t_lb,
        t_sk,
        f"sklearn lbfgs; acc ours {lb.score(xte, yte):.4f} sklearn {sk.score(xte, yte):.4f}",
    )


if __name__ == "__main__":
    main()
