"""crossentropy.blocks: fits of row blocks against the same fits in memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from crossentropy.blocks import ArrowBlocks, NpyBlocks, fit_blocks
from crossentropy.models import (
    LinearRegression,
    LogisticRegression,
    SoftmaxRegression,
    load_model,
    save_model,
)
from crossentropy.models._separation import SeparationWarning

# Params and standard errors of a fit of blocks equal those in memory up to the
# rounding of sums taken over other blocks: a few ulps, well inside 1e-10.
RTOL = 1e-10


def _data(kind: str, n: int = 600, seed: int = 0) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    w = rng.uniform(0.5, 2.0, n)
    if kind == "linear":
        y = X @ [1.0, -0.5, 0.25] + 0.3 + rng.standard_normal(n)
    elif kind == "logistic":
        y = (rng.random(n) < 1 / (1 + np.exp(-(X @ [1.0, -0.5, 0.25])))).astype(int)
    elif kind == "binomial":
        trials = rng.integers(1, 6, n)
        p = 1 / (1 + np.exp(-(X @ [0.8, -0.5, 0.2])))
        y = np.column_stack([rng.binomial(trials, p), trials])
        y[:, 1] -= y[:, 0]  # (successes, failures)
    else:
        z = X @ rng.standard_normal((3, 4))
        p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
        y = np.array([rng.choice(4, p=row) for row in p])
    return X, y, w


_MODELS = {
    "linear": LinearRegression,
    "logistic": LogisticRegression,
    "binomial": LogisticRegression,
    "softmax": SoftmaxRegression,
}


def _blocks(X: Any, y: Any, w: Any = None, size: int = 170) -> list[tuple[Any, ...]]:
    out = []
    for i in range(0, X.shape[0], size):
        sl = slice(i, i + size)
        out.append((X[sl], y[sl]) if w is None else (X[sl], y[sl], w[sl]))
    return out


def _assert_same_fit(a: Any, b: Any) -> None:
    np.testing.assert_allclose(a.params_, b.params_, rtol=RTOL, atol=1e-13)
    np.testing.assert_allclose(a.bse_, b.bse_, rtol=RTOL)
    np.testing.assert_allclose(a.pvalues_, b.pvalues_, rtol=1e-8, atol=1e-300)
    for name in ("loglike_", "aic_", "bic_", "deviance_", "null_deviance_"):
        assert getattr(a, name) == pytest.approx(getattr(b, name), rel=RTOL), name
    assert a.n_iter_ == b.n_iter_ and a.stop_reason_ == b.stop_reason_


@pytest.mark.parametrize("kind", sorted(_MODELS))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_blocks_fit_equals_the_fit_in_memory(kind: str, weighted: bool, l2: float) -> None:
    X, y, w = _data(kind)
    w = w if weighted else None
    model = _MODELS[kind]
    if l2 and kind == "linear":
        return  # ridge regression has no standard errors; the closed form is covered below
    ref = model(l2=l2).fit(X, y, sample_weight=w)
    got = fit_blocks(model(l2=l2), _blocks(X, y, w))
    if l2:
        np.testing.assert_allclose(got.params_, ref.params_, rtol=RTOL, atol=1e-13)
        return
    _assert_same_fit(got, ref)
    assert (
        got.summary().tables[0].data == ref.summary().tables[0].data
        if hasattr(ref.summary(), "tables")
        else str(got.summary()).splitlines()[5:] == str(ref.summary()).splitlines()[5:]
    )


def test_ridge_closed_form_over_blocks() -> None:
    X, y, _ = _data("linear")
    ref = LinearRegression(l2=0.3).fit(X, y)
    got = fit_blocks(LinearRegression(l2=0.3), _blocks(X, y))
    np.testing.assert_allclose(got.coef_, ref.coef_, rtol=RTOL)


def test_lbfgs_over_blocks_reaches_the_newton_fit() -> None:
    X, y, _ = _data("softmax")
    ref = SoftmaxRegression().fit(X, y)
    got = fit_blocks(SoftmaxRegression(solver="lbfgs", tol=1e-9), _blocks(X, y))
    # L-BFGS stops at |grad| <= 1e-9 (of the mean loss) with the curvature along
    # some directions near 1e-4: the probabilities agree to about 1e-5.
    np.testing.assert_allclose(got.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    assert got.stop_reason_ == "converged"


def test_npy_source_and_saved_model(tmp_path: Path) -> None:
    X, y, w = _data("logistic", n=1000)
    np.save(tmp_path / "X.npy", X.astype(np.float32))
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "w.npy", w)
    src = NpyBlocks(tmp_path / "X.npy", tmp_path / "y.npy", tmp_path / "w.npy", block_rows=333)
    got = fit_blocks(LogisticRegression(), src)
    ref = LogisticRegression().fit(X.astype(np.float32).astype(np.float64), y, sample_weight=w)
    _assert_same_fit(got, ref)
    path = save_model(got, tmp_path / "m.npz")
    back = load_model(path)
    np.testing.assert_array_equal(back.bse_, got.bse_)


def test_every_pass_reads_the_source_once_per_accepted_step() -> None:
    X, y, _ = _data("logistic")
    reads = []

    class Counting:
        def __iter__(self) -> Iterator[tuple[Any, Any]]:
            reads.append(1)
            return iter(_blocks(X, y))

    m = fit_blocks(LogisticRegression(), Counting())
    # The scan, the start, one pass per accepted step, the polishing step and the
    # fitted logits; the Newton step that certifies the maximum (so that no
    # separation test reads the rows) shares its pass with the standard errors.
    assert len(reads) == m.n_iter_ + 4


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_arrow_sources(tmp_path: Path, fmt: str) -> None:
    pa = pytest.importorskip("pyarrow")
    X, y, _ = _data("softmax", n=400)
    table = pa.table({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "label": y})
    path = tmp_path / f"d.{fmt}"
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path, row_group_size=150)
    else:
        from pyarrow import csv

        csv.write_csv(table, path)
    got = fit_blocks(SoftmaxRegression(), ArrowBlocks(path, target="label", block_rows=100))
    ref = SoftmaxRegression().fit(X, y)
    # CSV prints the floats with 17 digits: the data are the same numbers.
    _assert_same_fit(got, ref)
    assert list(got.feature_names_in_) == ["a", "b", "c"]


def test_separation_is_found_on_blocks() -> None:
    X = np.linspace(-2, 2, 40)[:, None]
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(SeparationWarning):
        m = fit_blocks(LogisticRegression(), _blocks(X, y, size=7))
    assert m.stop_reason_ == "separation"


def test_non_finite_values_name_block_and_row() -> None:
    X, y, _ = _data("linear")
    X[400, 1] = np.nan
    with pytest.raises(ValueError, match=r"block 2, row 60 \(row 400 of the data\): `X` holds nan"):
        fit_blocks(LinearRegression(), _blocks(X, y))
    X[400, 1] = 0.0
    y = y.copy()
    y[5] = np.inf
    with pytest.raises(ValueError, match=r"block 0, row 5 .*`y` holds inf"):
        fit_blocks(LinearRegression(), _blocks(X, y))


def test_bad_blocks_are_refused() -> None:
    X, y, _ = _data("logistic")
    blocks = _blocks(X, y)
    blocks[2] = (blocks[2][0][:, :2], blocks[2][1])
    with pytest.raises(ValueError, match="block 2 has 2 columns; the first block had 3"):
        fit_blocks(LogisticRegression(), blocks)
    with pytest.raises(TypeError, match="block 0 must be a tuple"):
        fit_blocks(LogisticRegression(), [X])
    with pytest.raises(ValueError, match="gave no rows"):
        fit_blocks(LogisticRegression(), [])
    with pytest.raises(TypeError, match="re-iterable"):
        fit_blocks(LogisticRegression(), X)
    with pytest.raises(ValueError, match="`solver` must be one of"):
        fit_blocks(LogisticRegression(solver="sgd"), _blocks(X, y))
    with pytest.raises(ValueError, match=r"labels|classes"):
        fit_blocks(LogisticRegression(), _blocks(X, y + 5), classes=[0, 1])


def test_a_one_shot_iterator_is_refused_at_its_second_pass() -> None:
    X, y, _ = _data("logistic")
    with pytest.raises(ValueError, match="one-shot iterator"):
        fit_blocks(LogisticRegression(), iter(_blocks(X, y)))
    # A callable returning a new iterator is read afresh at every pass.
    m = fit_blocks(LogisticRegression(), lambda: iter(_blocks(X, y)))
    assert m.stop_reason_ == "converged"


def test_a_source_that_ends_early_is_refused(tmp_path: Path) -> None:
    X, y, _ = _data("logistic")
    state = {"passes": 0}

    def shrinking() -> Iterator[tuple[Any, Any]]:
        state["passes"] += 1
        blocks = _blocks(X, y)
        return iter(blocks if state["passes"] < 3 else blocks[:-1])

    with pytest.raises(ValueError, match="ended early"):
        fit_blocks(LogisticRegression(), shrinking)
    np.save(tmp_path / "X.npy", X)
    data = (tmp_path / "X.npy").read_bytes()
    (tmp_path / "X.npy").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="ends early"):
        fit_blocks(LogisticRegression(), NpyBlocks(tmp_path / "X.npy", y))


def test_ctrl_c_keeps_the_last_whole_iterate() -> None:
    X, y, _ = _data("logistic")
    state = {"passes": 0}

    def interrupted() -> Iterator[tuple[Any, Any]]:
        state["passes"] += 1
        if state["passes"] == 4:  # scan, start, step 1, then Ctrl-C in step 2
            raise KeyboardInterrupt
        return iter(_blocks(X, y))

    m = LogisticRegression()
    with pytest.raises(KeyboardInterrupt):
        fit_blocks(m, interrupted)
    # As in memory: the fit stops at the last accepted iterate, whose state is whole.
    assert m.stop_reason_ == "interrupted" and m.n_iter_ == 1
    with pytest.warns(ConvergenceWarning):
        ref = LogisticRegression(max_iter=1).fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=RTOL)
