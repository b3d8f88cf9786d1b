"""How many threads the library uses: the loss kernels' count and the BLAS limits.

Everything about threads is decided here, in one place:

- the number of threads of the fused loss kernels: :func:`get_num_threads`,
  :func:`set_num_threads` (for the whole process) and :func:`threads` (inside a
  ``with`` block, for the calling thread only), with the default read from the
  environment variable ``CROSSENTROPY_NUM_THREADS`` (else ``OMP_NUM_THREADS``, else
  the CPUs this process may run on);
- the BLAS thread pools, through threadpoolctl (imported on first use, so that
  ``import crossentropy`` stays fast): :func:`blas_threads`, :func:`blas_limit`,
  :func:`blas_threads_for` for the small products of a mini-batch, and
  :func:`limit_threads`, BLAS and the kernels together (``xent train --threads``).

A ``with threads(n)`` block sets a context variable, as :func:`numpy.errstate`
does: two Python threads may each hold their own block at the same time, neither
sees the other's count, and neither changes the process-wide setting.

>>> import crossentropy as xe
>>> with xe.threads(1):
...     xe.get_num_threads()
1
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from typing import Any

from ._validation import InvalidOptionError, check_integer

__all__ = [
    "ENV",
    "SMALL_PRODUCT",
    "blas_limit",
    "blas_threads",
    "blas_threads_for",
    "default_num_threads",
    "get_num_threads",
    "limit_threads",
    "set_num_threads",
    "threads",
]

ENV = "CROSSENTROPY_NUM_THREADS"
# Per-batch products below this many multiply-adds run on one BLAS thread.
SMALL_PRODUCT = 1 << 24
_ALLOWED = "a positive integer number of threads"

_process_count: int | None = None  # set_num_threads; None: the default, resolved on first use
_block_count: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "crossentropy_threads", default=None
)


# ---------------------------------------------------------------- the loss kernels


def _positive_count(value: str) -> int | None:
    """``value`` as a positive integer if it is one written in ASCII digits, else None."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        return None
    return int(text)


def default_num_threads() -> int:
    """The thread count the environment asks for, else the CPUs this process may use.

    ``CROSSENTROPY_NUM_THREADS`` must be a positive integer when set (anything else
    is an error naming it); ``OMP_NUM_THREADS`` belongs to OpenMP and may hold what
    OpenMP allows (``"4,2"``), so only its first entry counts and only when it is a
    positive integer.

    Examples
    --------
    >>> default_num_threads() >= 1
    True
    """
    value = os.environ.get(ENV, "")
    if value.strip():
        count = _positive_count(value)
        if count is None:
            raise InvalidOptionError(f"{ENV} must be {_ALLOWED} (like 4); got {value!r}")
        return count
    omp = _positive_count(os.environ.get("OMP_NUM_THREADS", "").split(",")[0])
    if omp is not None:
        return omp
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_count(n: Any) -> int:
    return check_integer(n, "n", low=1, allowed=_ALLOWED)


def get_num_threads() -> int:
    """Number of threads the loss kernels use.

    Returns
    -------
    int
        The count of the innermost ``with threads(n)`` block of the calling thread,
        else the value set by :func:`set_num_threads`, else
        ``CROSSENTROPY_NUM_THREADS`` or ``OMP_NUM_THREADS`` from the environment,
        else the number of CPUs this process may run on.

    Examples
    --------
    >>> import crossentropy as xe
    >>> xe.get_num_threads() >= 1
    True
    """
    global _process_count
    block = _block_count.get()
    if block is not None:
        return block
    if _process_count is None:
        _process_count = default_num_threads()
    return _process_count


def set_num_threads(n: int | None) -> None:
    """Set the number of threads the loss kernels use, for the whole process.

    Parameters
    ----------
    n : int or None
        A positive number of threads, or None for the default (see
        :func:`get_num_threads`).  Inputs too small to share out use fewer.
        A ``with threads(m)`` block still uses ``m`` inside it.

    Examples
    --------
    >>> import crossentropy as xe
    >>> xe.set_num_threads(1); xe.get_num_threads()
    1
    >>> xe.set_num_threads(None)
    """
    global _process_count
    _process_count = None if n is None else _check_count(n)


@contextlib.contextmanager
def threads(n: int) -> Iterator[None]:
    """Use ``n`` threads in the loss kernels inside a ``with`` block.

    The count holds for the calling thread (and the asyncio tasks it starts) until
    the block ends, even on an exception; other threads keep theirs, and the
    process-wide setting of :func:`set_num_threads` is not changed.  Threads started
    inside the block use the process-wide setting.

    Parameters
    ----------
    n : int
        A positive number of threads.

    Examples
    --------
    >>> import crossentropy as xe
    >>> with xe.threads(1):
    ...     print(xe.get_num_threads())
    1
    """
    token = _block_count.set(_check_count(n))
    try:
        yield
    finally:
        _block_count.reset(token)


# ---------------------------------------------------------------- BLAS


_blas_controller: Any = None


def _blas() -> Any:
    """The BLAS libraries of this process (found once: finding them takes milliseconds)."""
    global _blas_controller
    if _blas_controller is None:
        from threadpoolctl import ThreadpoolController

        _blas_controller = ThreadpoolController().select(user_api="blas")
    return _blas_controller


def blas_threads() -> int:
    """The number of threads BLAS is set to use (1 if it cannot be told)."""
    return max((int(lib.num_threads) for lib in _blas().lib_controllers), default=1)


def blas_limit(n: int) -> Any:
    """A context manager that runs BLAS on ``n`` threads (process-wide) inside it."""
    return _blas().limit(limits=_check_count(n))


def blas_threads_for(multiply_adds: int) -> Any:
    """One BLAS thread for small per-batch products, else no change.

    A mini-batch product such as (128 x 784) @ (784 x 10) takes about 30 us on one
    core; split over threads it waits on their synchronisation, which on a busy
    machine costs milliseconds per call (measured: 16-22 ms with 2 OpenBLAS threads
    against 0.03 ms with 1 on a loaded 2-core machine).
    """
    if multiply_adds >= SMALL_PRODUCT:
        return contextlib.nullcontext()
    return blas_limit(1)


@contextlib.contextmanager
def limit_threads(n: int | None, *, name: str = "n") -> Iterator[None]:
    """BLAS, OpenMP libraries and the loss kernels on ``n`` threads inside the block.

    ``None`` changes nothing.  The BLAS and OpenMP limits (threadpoolctl's
    ``threadpool_limits``) are process-wide; the kernels' count is that of
    :func:`threads`.  ``name`` is the argument's name in the error for a bad ``n``
    (``"--threads"`` for the command line).

    Examples
    --------
    >>> import crossentropy as xe
    >>> with limit_threads(1):
    ...     print(xe.get_num_threads(), blas_threads())
    1 1
    """
    if n is None:
        yield
        return
    count = check_integer(n, name, low=1, allowed=_ALLOWED)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=count), threads(count):
        yield
