"""Tests of the thread handling of the full-data passes."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from crossentropy.models._objective import Objective
from crossentropy.models._threads import SMALL_DATA, blas_threads, row_threads


def _objective(n: int) -> Objective:
    X = np.zeros((n, 64), dtype=np.float32)
    return Objective(
        X, np.zeros(n, dtype=np.intp), None, family="softmax", k=3, l2=0.0, fit_intercept=True
    )


def test_row_threads_share_the_rows_and_restore_blas() -> None:
    obj = _objective(SMALL_DATA // 64 + 1)
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        with row_threads(obj) as workers:
            assert workers == before == obj.workers
            assert blas_threads() == 1
            assert obj.pool is not None
            g = np.empty(obj.size, dtype=np.float32)
            # Zero data and parameters: every row costs log 3.
            assert obj.fun_grad(np.zeros(obj.size, np.float32), g) == np.float32(np.log(3.0))
        assert blas_threads() == before and obj.pool is None and obj.workers == 1


def test_small_data_gets_no_pool() -> None:
    obj = _objective(100)
    with row_threads(obj) as workers:
        assert workers == 1 and obj.pool is None


def test_one_blas_thread_goes_through_the_blocks_in_turn() -> None:
    obj = _objective(SMALL_DATA // 64 + 1)
    rng = np.random.default_rng(0)
    obj.X[...] = rng.random(obj.X.shape, dtype=np.float32)
    obj.target[...] = rng.integers(0, 3, size=obj.n)
    theta = rng.normal(size=obj.size).astype(np.float32)
    g_whole, g_blocks = np.empty_like(theta), np.empty_like(theta)
    f_whole = obj.fun_grad(theta, g_whole)
    with threadpool_limits(limits=1, user_api="blas"):
        with row_threads(obj) as workers:
            assert workers == 1 and obj.pool is None and obj.serial_blocks
            f_blocks = obj.fun_grad(theta, g_blocks)
        assert not obj.serial_blocks
    # The same float32 terms summed in another order (blocks of 4096 rows): ~1e-6.
    assert f_blocks == pytest.approx(f_whole, rel=1e-5)
    np.testing.assert_allclose(g_blocks, g_whole, rtol=1e-3, atol=1e-6)
