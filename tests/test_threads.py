"""Tests of the thread policy (crossentropy._threads): the kernels' count, the
environment variable, and the BLAS limits."""

from __future__ import annotations

import threading

import pytest
from threadpoolctl import threadpool_info

import crossentropy as xe
from crossentropy import _threads
from crossentropy._validation import InvalidOptionError


def test_thread_count_api() -> None:
    default = xe.get_num_threads()
    assert default >= 1
    with xe.threads(3):
        assert xe.get_num_threads() == 3
        with pytest.raises(RuntimeError), xe.threads(1):
            assert xe.get_num_threads() == 1
            raise RuntimeError
        assert xe.get_num_threads() == 3
    assert xe.get_num_threads() == default
    xe.set_num_threads(2)
    try:
        assert xe.get_num_threads() == 2
        with xe.threads(1):  # a block wins over the process-wide setting
            assert xe.get_num_threads() == 1
        assert xe.get_num_threads() == 2
    finally:
        xe.set_num_threads(None)
    assert xe.get_num_threads() == default
    for bad, kind in (
        (0, ValueError),
        (-2, ValueError),
        (1.5, TypeError),
        (True, TypeError),
        ("2", TypeError),
    ):
        with pytest.raises(kind, match="`n` must be a positive integer"):
            xe.set_num_threads(bad)
        with pytest.raises(kind), xe.threads(bad):
            pass


def test_threads_blocks_in_two_python_threads_at_once() -> None:
    """Each thread sees its own count while both blocks are open, and neither
    changes the process-wide setting (which one global value could not do)."""
    default = xe.get_num_threads()
    both_inside = threading.Barrier(2, timeout=30)
    seen: dict[int, list[int]] = {}

    def worker(n: int) -> None:
        with xe.threads(n):
            both_inside.wait()  # the two blocks overlap from here ...
            first = xe.get_num_threads()
            both_inside.wait()  # ... and the first to leave does so only now
            seen[n] = [first, xe.get_num_threads()]
        seen[n].append(xe.get_num_threads())

    pool = [threading.Thread(target=worker, args=(n,)) for n in (5, 7)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert seen == {5: [5, 5, default], 7: [7, 7, default]}
    assert xe.get_num_threads() == default


@pytest.mark.parametrize("value", ["many", "0", "-1", "2.5", "²", "٣", "1e3"])
def test_bad_environment_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CROSSENTROPY_NUM_THREADS", value)
    need = "CROSSENTROPY_NUM_THREADS must be a positive integer"
    with pytest.raises(ValueError, match=need) as info:
        _threads.default_num_threads()
    assert repr(value) in str(info.value)


def test_default_thread_count_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CROSSENTROPY_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3,2")  # OpenMP's nested form: the first entry
    assert _threads.default_num_threads() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "²")  # not ours to refuse: ignored
    assert _threads.default_num_threads() >= 1
    monkeypatch.setenv("CROSSENTROPY_NUM_THREADS", " 5 ")
    assert _threads.default_num_threads() == 5
    monkeypatch.setenv("CROSSENTROPY_NUM_THREADS", "  ")  # blank: not set
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    assert _threads.default_num_threads() == 4
    monkeypatch.delenv("CROSSENTROPY_NUM_THREADS")
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert _threads.default_num_threads() >= 1


def _blas_counts() -> list[int]:
    return [int(lib["num_threads"]) for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_limit_threads_sets_blas_and_the_kernels_and_restores_them() -> None:
    before, kernels = _blas_counts(), xe.get_num_threads()
    with _threads.limit_threads(1):
        assert xe.get_num_threads() == 1
        assert set(_blas_counts()) <= {1}
        assert _threads.blas_threads() == 1
    assert _blas_counts() == before and xe.get_num_threads() == kernels
    with _threads.limit_threads(None):  # no change
        assert _blas_counts() == before and xe.get_num_threads() == kernels
    with pytest.raises(InvalidOptionError, match="`--threads` must be a positive integer"):
        with _threads.limit_threads(0, name="--threads"):
            pass


def test_small_products_run_blas_on_one_thread() -> None:
    with _threads.blas_limit(2):
        with _threads.blas_threads_for(128 * 784 * 10):
            assert _threads.blas_threads() == 1
        with _threads.blas_threads_for(_threads.SMALL_PRODUCT):
            assert _threads.blas_threads() == max(_blas_counts(), default=1)
