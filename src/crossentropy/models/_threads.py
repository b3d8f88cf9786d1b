"""Running the full-data passes of the objective on several threads.

A full pass over X (gradient descent, L-BFGS) is two thin products per block of
rows.  Letting BLAS split each product over its own threads makes every call wait
for all of them; on a busy machine one late thread stalls each of the ~60 calls of
a pass (measured on MNIST, 2 cores, another process running: median 389 ms per
pass).  Splitting the *rows* between Python threads instead, each running
single-threaded BLAS on its own blocks, synchronises once per pass (median 23 ms,
against 35 ms for the two whole-array products on 2 BLAS threads).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

# The BLAS limits are the thread policy's (crossentropy._threads); blas_threads_for
# is imported from here by the estimators.
from .._threads import SMALL_PRODUCT, blas_limit, blas_threads, blas_threads_for

__all__ = ["SMALL_DATA", "SMALL_PRODUCT", "blas_threads", "blas_threads_for", "row_threads"]

# Below this many entries of X a pass takes well under a millisecond: no pool.
SMALL_DATA = 1 << 20


@contextmanager
def row_threads(objective: Any) -> Iterator[int]:
    """Give ``objective`` a pool of as many threads as BLAS had, with BLAS on one thread.

    Yields the number of threads; on exit the pool is shut down and BLAS restored.
    When BLAS already runs on one thread there is no pool, but the full-data passes
    still go through X block by block (``serial_blocks``).
    """
    if objective.n * objective.p < SMALL_DATA:
        yield 1
        return
    workers = blas_threads()
    if workers <= 1:
        objective.serial_blocks = True
        try:
            yield 1
        finally:
            objective.serial_blocks = False
        return
    with blas_limit(1), ThreadPoolExecutor(workers) as pool:
        objective.pool, objective.workers = pool, workers
        try:
            yield workers
        finally:
            objective.pool, objective.workers = None, 1
