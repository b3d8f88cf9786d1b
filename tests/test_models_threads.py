"""Tests of the thread handling of the full-data passes."""

from __future__ import annotations

import numpy as np
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
