"""crossentropy.blocks.fit_dask: the fits on Dask collections equal those in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from crossentropy.blocks import fit_dask
from crossentropy.models import LinearRegression, LogisticRegression, SoftmaxRegression

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

RTOL = 1e-10  # sums over other chunks: a few ulps of rounding


def _data(kind: str, n: int = 700, seed: int = 3) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    w = rng.uniform(0.5, 2.0, n)
    if kind == "linear":
        y = X @ [1.0, -0.5, 0.25] + rng.standard_normal(n)
    elif kind == "logistic":
        y = np.where(rng.random(n) < 1 / (1 + np.exp(-(X @ [1.0, -0.5, 0.25]))), "yes", "no")
    else:
        z = X @ rng.standard_normal((3, 3))
        p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
        y = np.array([rng.choice(3, p=row) for row in p])
    return X, y, w


_MODELS = {"linear": LinearRegression, "logistic": LogisticRegression, "softmax": SoftmaxRegression}


@pytest.fixture(params=["synchronous", "local-cluster"])
def scheduler(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.param == "synchronous":
        with dask.config.set(scheduler="synchronous"):
            yield
        return
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
    ):
        yield


@pytest.mark.parametrize("kind", sorted(_MODELS))
def test_dask_fit_equals_the_fit_in_memory(kind: str, scheduler: None) -> None:
    X, y, w = _data(kind)
    model = _MODELS[kind]
    ref = model().fit(X, y, sample_weight=w)
    got = fit_dask(
        model(),
        da.from_array(X, chunks=(150, 3)),
        da.from_array(y, chunks=150),
        da.from_array(w, chunks=150),
    )
    np.testing.assert_allclose(got.params_, ref.params_, rtol=RTOL, atol=1e-13)
    np.testing.assert_allclose(got.bse_, ref.bse_, rtol=RTOL)
    assert got.loglike_ == pytest.approx(ref.loglike_, rel=RTOL)
    assert got.n_iter_ == ref.n_iter_


def test_dask_data_frame_names_the_features() -> None:
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    X, y, _ = _data("logistic")
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["y"] = (y == "yes").astype(int)
    ddf = dd.from_pandas(frame, npartitions=4)
    with dask.config.set(scheduler="synchronous"):
        got = fit_dask(LogisticRegression(), ddf[["a", "b", "c"]], ddf["y"])
    ref = LogisticRegression().fit(frame[["a", "b", "c"]], frame["y"])
    np.testing.assert_allclose(got.bse_, ref.bse_, rtol=RTOL)
    assert list(got.feature_names_in_) == ["a", "b", "c"]


def test_dask_non_finite_rows_are_named() -> None:
    X, y, _ = _data("linear")
    X[320, 2] = np.inf
    with (
        dask.config.set(scheduler="synchronous"),
        pytest.raises(ValueError, match=r"block 2, row 20 \(row 320 of the data\)"),
    ):
        fit_dask(LinearRegression(), da.from_array(X, chunks=(150, 3)), da.from_array(y, 150))


def test_dask_refuses_arrays_of_numpy() -> None:
    X, y, _ = _data("linear")
    with pytest.raises(TypeError, match="`X` must be a dask array"):
        fit_dask(LinearRegression(), X, da.from_array(y, 150))
