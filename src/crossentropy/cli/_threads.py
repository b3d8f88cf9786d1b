"""``--threads``: how many threads the library may use while a command runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .._validation import check_integer

__all__ = ["thread_limit"]


@contextlib.contextmanager
def thread_limit(n: int | None) -> Iterator[None]:
    """BLAS and the loss kernels on ``n`` threads inside the block (None: no change)."""
    if n is None:
        yield
        return
    check_integer(n, "--threads", low=1)
    from threadpoolctl import threadpool_limits

    from .. import threads

    with threadpool_limits(limits=n), threads(n):
        yield
