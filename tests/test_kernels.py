"""Tests of the fused kernels (crossentropy._kernels, crossentropy._ckernels).

The kernels must give the results of the exact NumPy code, so most tests run the same
call twice -- once as users do (the kernel path) and once inside
``_kernels._numpy_only()`` (the exact code) -- and compare.  Both evaluate the same
closed forms with operations accurate to about 1 ulp; they differ in the order of the
sums and in the exp/log1p implementations, so they agree to a few ulps.  Tolerances
below are stated in units of the dtype's machine epsilon.

Hostile inputs are also checked against mpmath at 60 digits.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tracemalloc
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import crossentropy as xe
from crossentropy import _kernels
from crossentropy.losses import binary_cross_entropy_with_logits as bce
from crossentropy.losses import categorical_cross_entropy_with_logits as cce

DTYPES = [np.float32, np.float64]
KERNELS_BUILT = _kernels.c_available()
needs_kernels = pytest.mark.skipif(
    not KERNELS_BUILT, reason="the C extension crossentropy._ckernels is not built or disabled"
)

# Each path is within a few ulps of the true value (exp and log1p within 1 ulp, sums
# of K positive terms within ~log2(K) ulps); 16 eps bounds their difference with room.
REL = 16


def eps(dtype: Any) -> float:
    return float(np.finfo(dtype).eps)


def exact(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with _kernels._numpy_only():
        return fn(*args, **kwargs)


def assert_close(fast: Any, ref: Any, dtype: Any, scale: Any = None) -> None:
    """Same dtype, shape and non-finite entries; finite entries within REL eps,
    relative to ``scale`` (default: the reference's own magnitude)."""
    fast, ref = np.asarray(fast), np.asarray(ref)
    assert fast.dtype == np.dtype(dtype) and ref.dtype == np.dtype(dtype)
    assert fast.shape == ref.shape
    finite = np.isfinite(ref)
    np.testing.assert_array_equal(fast[~finite], ref[~finite])
    assert np.all(np.isfinite(fast[finite]))
    size = np.abs(ref) if scale is None else np.broadcast_to(scale, ref.shape)
    err = np.abs(fast[finite].astype(np.float64) - ref[finite])
    bound = REL * eps(dtype) * size[finite] + np.finfo(dtype).smallest_subnormal
    assert np.all(err <= bound), f"max error {err.max()} where bound {bound[np.argmax(err)]}"


def random_logits(
    rng: np.random.Generator, shape: tuple[int, ...], dtype: Any, scale: float
) -> Any:
    return (rng.standard_normal(shape) * scale).astype(dtype)


# ---------------------------------------------------------------- the build


def test_extension_is_built() -> None:
    """The install builds the C extension (CI has a compiler); opting out is explicit."""
    if os.environ.get(_kernels._DISABLE_ENV, "").strip() not in ("", "0"):
        pytest.skip("kernels disabled by CROSSENTROPY_DISABLE_KERNELS")
    assert KERNELS_BUILT, (
        "crossentropy._ckernels is missing: reinstall with a C compiler (pip install -e .) "
        "or set CROSSENTROPY_DISABLE_KERNELS=1 to test the NumPy code alone"
    )
    info = _kernels.info()
    assert info["backend"] == "C" and isinstance(info["openmp"], bool)


@pytest.mark.parametrize("how", ["environment", "extension missing"])
def test_numpy_code_when_the_extension_is_disabled_or_missing(how: str) -> None:
    code = (
        "import sys\n"
        + ("sys.modules['crossentropy._ckernels'] = None\n" if how != "environment" else "")
        + "import numpy as np, crossentropy._kernels as k, crossentropy.losses as L\n"
        "print(k.info()['backend'])\n"
        "print(L.categorical_cross_entropy_with_logits([1], [[0.0, 40.0, 0.0]])[0])\n"
        "print(L.binary_cross_entropy_with_logits([1.0], [40.0])[0])\n"
    )
    env = dict(os.environ)
    if how == "environment":
        env["CROSSENTROPY_DISABLE_KERNELS"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "NumPy"
    # 2 e^-40 and log1p(e^-40) to float64 precision (the values of the exact code)
    assert float(out[1]) == pytest.approx(2 * np.exp(-40.0), rel=1e-15)
    assert float(out[2]) == pytest.approx(np.exp(-40.0), rel=1e-15)


# ---------------------------------------------------------------- categorical: agreement


SHAPES = [
    (0, 5),
    (7, 1),
    (5, 2),
    (33, 10),
    (40, 39),
    (40, 40),
    (40, 63),
    (20, 64),
    (9, 1000),
    (3, 5000),
    (2, 3, 7),
]


@needs_kernels
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("scale", [1.0, 30.0, 300.0])
def test_categorical_matches_exact(dtype: Any, shape: tuple[int, ...], scale: float) -> None:
    rng = np.random.default_rng(sum(shape) + int(scale))
    z = random_logits(rng, shape, dtype, scale)
    y = rng.integers(0, shape[-1], shape[:-1])
    loss, grad = cce(y, z, return_grad=True)
    ref_loss, ref_grad = exact(cce, y, z, return_grad=True)
    assert_close(loss, ref_loss, dtype)
    # gradient entries are compared relative to 1, the scale of p - onehot: entries
    # far below 1 (tiny probabilities) still agree relatively, checked on the loss
    assert_close(grad, ref_grad, dtype, scale=np.maximum(np.abs(ref_grad), 1e-3))
    assert_close(cce(y, z), ref_loss, dtype)


@needs_kernels
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", [3, 20, 80])
def test_categorical_with_off_classes_and_class_weights(dtype: Any, k: int) -> None:
    rng = np.random.default_rng(k)
    z = random_logits(rng, (300, k), dtype, 3.0)
    z[rng.random(z.shape) < 0.3] = -np.inf
    z[:, 0] = rng.standard_normal(300)  # at least one finite entry per row
    y = rng.integers(0, k, 300)
    w = rng.random(k).astype(dtype)
    w[1] = 0.0
    for kwargs in ({}, {"class_weight": w}):
        loss, grad = cce(y, z, return_grad=True, **kwargs)
        ref_loss, ref_grad = exact(cce, y, z, return_grad=True, **kwargs)
        assert np.isinf(loss).any()  # some true classes are off
        assert_close(loss, ref_loss, dtype)
        assert_close(grad, ref_grad, dtype, scale=np.maximum(np.abs(ref_grad), 1e-3))


def test_zero_weight_on_an_off_true_class_costs_nothing() -> None:
    z = np.array([[0.0, -np.inf, 1.0]])
    for run in (cce, lambda *a, **k: exact(cce, *a, **k)):
        loss, grad = run([1], z, class_weight=[1.0, 0.0, 1.0], return_grad=True)
        assert loss[0] == 0.0
        np.testing.assert_array_equal(grad, 0.0)


@needs_kernels
@pytest.mark.parametrize("dtype", DTYPES)
def test_ties_at_the_maximum(dtype: Any) -> None:
    z = np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 0.0], [0.0, 5.0, 5.0], [3.0, -np.inf, 3.0]], dtype)
    y = np.array([0, 1, 0, 2])
    loss, grad = cce(y, z, return_grad=True)
    ref_loss, ref_grad = exact(cce, y, z, return_grad=True)
    assert_close(loss, ref_loss, dtype)
    assert_close(grad, ref_grad, dtype, scale=1.0)
    assert loss[0] == pytest.approx(np.log(3.0), rel=4 * eps(dtype))


def test_large_k_sums_in_blocks() -> None:
    """K = 70000 float32: the kernel sums exp in blocks of 1024 terms, then in float64."""
    rng = np.random.default_rng(7)
    z = rng.standard_normal((3, 70_000)).astype(np.float32)
    y = np.array([0, 1, 2])
    ref = np.array([np.log(np.sum(np.exp(z[i].astype(np.float64)))) - z[i, y[i]] for i in range(3)])
    # the float64 reference is exact to float32 precision; 4 eps: one rounding of
    # the result plus the float32 rounding of the gap m - z_y
    np.testing.assert_allclose(cce(y, z), ref, rtol=4 * eps(np.float32))


# ---------------------------------------------------------------- categorical: hostile rows


def mp_loss(row: list[float], label: int) -> float:
    """The loss at 60 digits, rounded to float64 (through text: subnormals survive).

    log-sum-exp as m + log1p(sum of the other exp(v - m)): the identity keeps a tiny
    loss such as log1p(e^-720) from vanishing next to 1 at any finite precision."""
    with mpmath.workdps(60):
        m = max(row)
        others = list(row)
        others.remove(m)
        rest = mpmath.fsum(mpmath.e ** (mpmath.mpf(v) - m) for v in others if v != -np.inf)
        loss = (mpmath.mpf(m) - mpmath.mpf(row[label])) + mpmath.log1p(rest)
        return float(mpmath.nstr(loss, 40))


HOSTILE = [
    ([0.0, 40.0, 0.0], 1),  # 8.5e-18: the tiny loss of a confident correct prediction
    ([0.0, 40.0, 0.0], 0),
    ([-1e300, 1e300, 0.0], 1),
    ([1e300, -1e300], 1),
    ([0.0, 720.0], 1),  # exp(-720): a subnormal loss in float64
    ([0.0, -np.inf, 3.0, -np.inf], 2),
    ([5.0], 0),
    ([1e-9, 0.0, -1e-9], 0),
]


@pytest.mark.parametrize(("row", "label"), HOSTILE, ids=str)
def test_hostile_rows_against_mpmath(row: list[float], label: int) -> None:
    z = np.array([row])
    loss = cce([label], z)[0]
    ref = mp_loss(row, label)
    # 2 eps: both parts of the loss are within an ulp, and they do not cancel
    assert (
        abs(loss - ref) <= 2 * eps(np.float64) * abs(ref) + np.finfo(np.float64).smallest_subnormal
    )


def test_float32_subnormal_loss() -> None:
    z = np.array([[0.0, 95.0]], np.float32)
    ref = mp_loss([0.0, 95.0], 1)  # 5.5e-42, a float32 subnormal
    loss = cce([1], z)[0]
    assert loss.dtype == np.float32
    assert abs(float(loss) - ref) <= np.finfo(np.float32).smallest_subnormal
    assert loss == exact(cce, [1], z)[0]


def test_k_equal_one_and_confident_gradient() -> None:
    loss, grad = cce([0, 0], np.array([[3.0], [-7.0]]), return_grad=True)
    np.testing.assert_array_equal(loss, 0.0)
    np.testing.assert_array_equal(grad, 0.0)
    # true class = argmax at a margin of 40: d/dz_y = -rest/(1+rest) = -2 e^-40, not 0
    _, grad = cce([1], np.array([[0.0, 40.0, 0.0]]), return_grad=True)
    np.testing.assert_allclose(
        grad[0], [np.exp(-40.0), -2 * np.exp(-40.0), np.exp(-40.0)], rtol=4e-16
    )


# ---------------------------------------------------------------- categorical: dispatch details


@needs_kernels
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_and_shapes_preserved(dtype: Any) -> None:
    rng = np.random.default_rng(3)
    z = random_logits(rng, (4, 5, 6), dtype, 2.0)
    y = rng.integers(0, 6, (4, 5))
    loss, grad = cce(y, z, return_grad=True)
    assert loss.dtype == dtype and loss.shape == (4, 5)
    assert grad.dtype == dtype and grad.shape == (4, 5, 6)
    one = cce(2, z[0, 0])  # one example: a scalar, as from the exact code
    ref = exact(cce, 2, z[0, 0])
    assert type(one) is type(ref) and np.ndim(one) == 0
    assert one == pytest.approx(ref, rel=REL * eps(dtype))
    empty_loss, empty_grad = cce(np.zeros(0, int), np.zeros((0, 3), dtype), return_grad=True)
    assert empty_loss.shape == (0,) and empty_loss.dtype == dtype and empty_grad.shape == (0, 3)


@needs_kernels
def test_non_contiguous_inputs() -> None:
    rng = np.random.default_rng(4)
    base = rng.standard_normal((60, 40))
    y = rng.integers(0, 20, 30)
    views = {
        "every other row": base[::2, :20],  # row stride: runs on the kernel
        "reversed rows": base[::-1][:30, :20],
        "every other column": base[:30, ::2],  # runs on the exact code
        "transposed": np.asfortranarray(base[:30, :20]),
    }
    for name, view in views.items():
        loss, grad = cce(y, view, return_grad=True)
        ref_loss, ref_grad = exact(cce, y, np.ascontiguousarray(view), return_grad=True)
        assert_close(loss, ref_loss, np.float64), name
        assert_close(grad, ref_grad, np.float64, scale=1.0), name
    # class axis first: the exact code, same values
    loss = cce(y, np.ascontiguousarray(views["transposed"].T), axis=0)
    assert_close(loss, exact(cce, y, views["transposed"]), np.float64)


def test_label_smoothing_and_probability_targets_use_exact_code() -> None:
    rng = np.random.default_rng(5)
    z = rng.standard_normal((10, 4))
    y = rng.integers(0, 4, 10)
    rows = np.eye(4)[y]
    for args, kwargs in (((y, z), {"label_smoothing": 0.1}), ((rows, z), {})):
        np.testing.assert_array_equal(cce(*args, **kwargs), exact(cce, *args, **kwargs))


def error_of(fn: Any, *args: Any, **kwargs: Any) -> tuple[type, str]:
    with pytest.raises((ValueError, TypeError)) as info:
        fn(*args, **kwargs)
    return info.type, str(info.value)


BAD_CATEGORICAL = [
    ([0, 1], [[0.0, np.nan], [1.0, 2.0]]),
    ([0, 1], [[0.0, 1.0], [np.inf, 2.0]]),
    ([0, 1], [[0.0, 1.0], [-np.inf, -np.inf]]),
    ([0, 2], [[0.0, 1.0], [1.0, 2.0]]),
    ([-1, 0], [[0.0, 1.0], [1.0, 2.0]]),
    ([0.0, 1.0], [[0.0, 1.0], [1.0, 2.0]]),
    ([0, 1, 1], [[0.0, 1.0], [1.0, 2.0]]),
    ([0, 1], [["a", "b"], ["c", "d"]]),
]


@pytest.mark.parametrize(("labels", "logits"), BAD_CATEGORICAL, ids=str)
@pytest.mark.parametrize("return_grad", [False, True])
def test_categorical_errors_are_those_of_the_exact_code(
    labels: Any, logits: Any, return_grad: bool
) -> None:
    got = error_of(cce, labels, logits, return_grad=return_grad)
    assert got == error_of(exact, cce, labels, logits, return_grad=return_grad)


def test_bad_class_weight_errors_are_those_of_the_exact_code() -> None:
    for w in ([1.0, -1.0], [1.0, np.nan], [1.0, 2.0, 3.0]):
        got = error_of(cce, [0, 1], [[0.0, 1.0], [1.0, 2.0]], class_weight=w)
        assert got == error_of(exact, cce, [0, 1], [[0.0, 1.0], [1.0, 2.0]], class_weight=w)


@needs_kernels
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=20),
        elements=st.one_of(
            st.floats(-1e30, 1e30, allow_nan=False), st.just(-np.inf), st.sampled_from([0.0, 40.0])
        ),
    ),
    st.integers(0, 2**32 - 1),
)
def test_property_matches_exact(z: Any, seed: int) -> None:
    z[:, 0] = np.where(np.isinf(z[:, 0]), 0.0, z[:, 0])  # a finite entry per row
    y = np.random.default_rng(seed).integers(0, z.shape[1], z.shape[0])
    loss, grad = cce(y, z, return_grad=True)
    ref_loss, ref_grad = exact(cce, y, z, return_grad=True)
    assert_close(loss, ref_loss, np.float64)
    assert_close(grad, ref_grad, np.float64, scale=1.0)


# ---------------------------------------------------------------- binary


def binary_scale(y: Any, z: Any, w: Any = 1.0) -> Any:
    """Magnitude of the two terms of the gradient, (1-y) sigma(z) and w y sigma(-z):
    the gradient of a soft target cancels them, so its error is relative to these."""
    s = 1 / (1 + np.exp(-np.abs(z.astype(np.float64))))
    return np.abs(1 - y) + np.abs(w * y) * np.maximum(s, 1 - s)


@needs_kernels
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "target_dtype", [np.float64, np.float32, np.bool_, np.int8, np.uint8, np.int32, np.int64]
)
def test_binary_matches_exact(dtype: Any, target_dtype: Any) -> None:
    rng = np.random.default_rng(11)
    z = np.concatenate(
        [rng.standard_normal(3000) * s for s in (1.0, 10.0, 100.0)]
        + [[0.0, -0.0, np.inf, -np.inf, 40.0, -40.0, 88.0, 104.0, 800.0, -800.0, 1e-30]]
    ).astype(dtype)
    y = rng.random(z.size) if np.dtype(target_dtype).kind == "f" else rng.integers(0, 2, z.size)
    y = y.astype(target_dtype)
    for w in (None, 2.5):
        loss, grad = bce(y, z, pos_weight=w, return_grad=True)
        ref_loss, ref_grad = exact(bce, y, z, pos_weight=w, return_grad=True)
        yw = y.astype(np.float64)
        assert_close(loss, ref_loss, dtype)
        assert_close(grad, ref_grad, dtype, scale=binary_scale(yw, z, 1.0 if w is None else w))


@needs_kernels
@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_per_column_pos_weight_and_shapes(dtype: Any) -> None:
    rng = np.random.default_rng(12)
    z = random_logits(rng, (50, 7), dtype, 4.0)
    y = (rng.random((50, 7)) < 0.4).astype(dtype)
    w = rng.random(7) * 3
    loss, grad = bce(y, z, pos_weight=w, return_grad=True)
    ref_loss, ref_grad = exact(bce, y, z, pos_weight=w, return_grad=True)
    assert loss.shape == (50, 7) and loss.dtype == dtype
    assert_close(loss, ref_loss, dtype)
    assert_close(grad, ref_grad, dtype, scale=binary_scale(y, z, w))
    # targets that broadcast, per-row weights, scalars: the exact code, same values
    per_row = rng.random((50, 1))
    for args, kwargs in (((y[0], z), {}), ((y, z), {"pos_weight": per_row}), ((1.0, 2.0), {})):
        np.testing.assert_array_equal(bce(*args, **kwargs), exact(bce, *args, **kwargs))


def test_binary_limits() -> None:
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    z = np.array([np.inf, np.inf, -np.inf, -np.inf, 40.0])
    loss, grad = bce(y, z, return_grad=True)
    np.testing.assert_array_equal(loss[:4], [0.0, np.inf, np.inf, 0.0])
    np.testing.assert_array_equal(grad[:4], [0.0, 1.0, -1.0, 0.0])
    assert loss[4] == pytest.approx(float(mpmath.log1p(mpmath.e**-40)), rel=2 * eps(np.float64))


BAD_BINARY = [
    ([0.5, 1.2], [0.0, 1.0]),
    ([0.5, -0.1], [0.0, 1.0]),
    ([0.5, np.nan], [0.0, 1.0]),
    ([0.5, 1.0], [np.nan, 1.0]),
    (np.array([0, 2], np.int8), np.array([0.0, 1.0])),
]


@pytest.mark.parametrize(("y", "z"), BAD_BINARY, ids=str)
def test_binary_errors_are_those_of_the_exact_code(y: Any, z: Any) -> None:
    assert error_of(bce, y, z, return_grad=True) == error_of(exact, bce, y, z, return_grad=True)
    for w in (-1.0, np.inf):
        got = error_of(bce, [0.5], [0.0], pos_weight=w)
        assert got == error_of(exact, bce, [0.5], [0.0], pos_weight=w)


# ---------------------------------------------------------------- threads (see test_threads.py)


@needs_kernels
@pytest.mark.parametrize("k", [10, 300])
def test_results_do_not_depend_on_the_thread_count(k: int) -> None:
    """Large enough for 4 threads (32768 elements each); per-row results are bitwise equal."""
    rng = np.random.default_rng(k)
    z = rng.standard_normal((600_000 // k, k))
    y = rng.integers(0, k, z.shape[0])
    with xe.threads(1):
        one = cce(y, z, return_grad=True)
        one_b = bce((z > 0).astype(np.float64), z, return_grad=True)
        one_total = _kernels.softmax_xent(z, y)
    with xe.threads(4):
        four = cce(y, z, return_grad=True)
        four_b = bce((z > 0).astype(np.float64), z, return_grad=True)
        four_total = _kernels.softmax_xent(z, y)
    for a, b in zip(one + one_b, four + four_b, strict=True):
        np.testing.assert_array_equal(a, b)
    assert one_total == four_total  # partial sums are added in a fixed order


def _child_loss(n: int) -> float:
    z = np.random.default_rng(n).standard_normal((4096, 256))
    with xe.threads(2):
        return float(cce(np.zeros(4096, int), z).sum())


@needs_kernels
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_works_in_a_child_forked_after_threads_ran() -> None:
    """GNU OpenMP hangs in a forked child that starts a parallel region after the parent
    ran one; the kernels then use one thread in the child instead of hanging."""
    import multiprocessing
    import warnings

    expected = _child_loss(1)  # runs on 2 threads: the parent's thread pool has started
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() of a threaded process
        with multiprocessing.get_context("fork").Pool(1) as pool:
            assert pool.apply_async(_child_loss, (1,)).get(timeout=60) == expected


# ---------------------------------------------------------------- memory


@needs_kernels
def test_value_path_allocates_no_logits_sized_temporary() -> None:
    rng = np.random.default_rng(8)
    z = rng.standard_normal((2048, 1024))  # 16 MiB
    y = rng.integers(0, 1024, 2048)
    yb = (rng.random(z.shape) < 0.5).astype(np.float64)

    def peak(fn: Any) -> int:
        tracemalloc.start()
        try:
            fn()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # categorical: only the losses and the int64 labels (16 KiB each)
    assert peak(lambda: cce(y, z)) < z.nbytes // 4
    # binary: the output has the logits' size; nothing else of that size
    assert peak(lambda: bce(yb, z)) < z.nbytes * 5 // 4
    # the same measurement sees the exact code's temporaries: the check can fail
    assert peak(lambda: exact(cce, y, z)) > z.nbytes
    assert peak(lambda: exact(bce, yb, z)) > 2 * z.nbytes


# ---------------------------------------------------------------- the backend called directly


@pytest.mark.parametrize("use_kernels", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_xent_matches_the_loss(use_kernels: bool, dtype: Any) -> None:
    if use_kernels and not KERNELS_BUILT:
        pytest.skip("kernels not built")
    rng = np.random.default_rng(9)
    z = random_logits(rng, (128, 10), dtype, 3.0)
    y = rng.integers(0, 10, 128)
    cw = rng.random(10).astype(dtype)
    sw = rng.random(128)
    ref_loss, ref_grad = exact(cce, y, z, class_weight=cw, return_grad=True)
    for weight, scale in ((None, 1.0), (None, 1 / 128), (sw, 1.0), (sw, 0.5)):
        s = scale * (np.ones(128) if weight is None else weight)
        work = z.copy()
        loss_out = np.empty(128, dtype)
        total = _kernels.softmax_xent(
            work,
            y,
            grad_out=work,
            sample_weight=weight,
            scale=scale,
            class_weight=cw,
            loss_out=loss_out,
            numpy=not use_kernels,
        )
        assert isinstance(total, float)
        # the total is summed in float64 from the per-row losses: REL eps of their sum
        assert total == pytest.approx(float(np.sum(s * ref_loss)), rel=REL * eps(dtype))
        assert_close(loss_out, ref_loss, dtype)
        # entries relative to the row's weight s_i w_{y_i}, the scale of s w (p - onehot)
        assert_close(work, (ref_grad * s[:, None]).astype(dtype), dtype, scale=(s * cw[y])[:, None])
    # without outputs: the value alone
    assert _kernels.softmax_xent(z, y) == pytest.approx(
        float(np.sum(exact(cce, y, z))), rel=REL * eps(dtype)
    )


@needs_kernels
def test_only_the_c_kernels_refuse_bad_data() -> None:
    """The backend checks nothing: the C kernels detect bad data (the losses then
    check in full), the NumPy twins give NaN (a diverging fit's loss)."""
    z = np.array([[0.0, np.nan, 1.0], [0.0, 1.0, 2.0]])
    labels = np.array([0, 1])
    with pytest.raises(_kernels.KernelInputError):
        _kernels.softmax_xent(z, labels)
    assert np.isnan(_kernels.softmax_xent(z, labels, numpy=True))
    with pytest.raises(_kernels.KernelInputError):
        _kernels.softmax_xent(z[1:], np.array([3]))  # a label outside [0, K)
    loss = np.empty(3)
    with pytest.raises(_kernels.KernelInputError):
        _kernels.binary_xent(z[0], np.array([0.0, 1.0, 2.0]), None, loss)
    _kernels.binary_xent(z[0], np.zeros(3), None, loss, numpy=True)
    assert np.isnan(loss[1]) and np.isfinite(loss[[0, 2]]).all()


# ---------------------------------------------------------------- one backend, every caller

# (logits row, label, dtype): tiny and huge logits, margins of 40 and 700, K = 1, large K
_RNG = np.random.default_rng(40)
HOSTILE_SUITE: list[tuple[Any, int, Any]] = [
    ([0.0, 40.0, 0.0], 1, np.float64),  # 8.5e-18, not 0
    ([0.0, 40.0, 0.0], 0, np.float64),
    ([0.0, -700.0], 0, np.float64),  # a margin of 700: e^-700
    ([0.0, -700.0], 1, np.float64),  # a margin of -700: 700
    ([1e-300, 0.0, -1e-300], 0, np.float64),
    ([1e300, -1e300, 0.0], 0, np.float64),
    ([1e300, -1e300, 0.0], 1, np.float64),
    ([5.0], 0, np.float64),
    (_RNG.standard_normal(3000) * 30, 7, np.float64),
    ([1e4, -1e4, 0.0], 0, np.float32),
    ([1e4, -1e4, 0.0], 1, np.float32),
    ([0.0, 40.0, 0.0], 1, np.float32),
    ([1e-30, 0.0, -1e-30], 2, np.float32),
    ([-3.0], 0, np.float32),
    (np.where(np.arange(3000) == 11, 40.0, 0.0), 11, np.float32),
]
BINARY_SUITE = [
    ([40.0, -40.0, 700.0, -700.0, 1e300, -1e300, 1e-300, 0.0], np.float64),
    ([1e4, -1e4, 40.0, -40.0, 1e-30, 0.0], np.float32),
]


def _softmax_ref(z: Any, labels: Any, numpy: bool, **weights: Any) -> tuple[float, Any, Any]:
    """The backend called directly: (weighted total, losses, weighted gradient)."""
    loss, grad = np.empty(z.shape[0], z.dtype), np.empty_like(z)
    total = _kernels.softmax_xent(
        z, np.asarray(labels, np.int64), loss_out=loss, grad_out=grad, numpy=numpy, **weights
    )
    return total, loss, grad


def _binary_ref(z: Any, y: Any, numpy: bool) -> tuple[float, Any, Any]:
    loss, grad = np.empty_like(z), np.empty_like(z)
    _kernels.binary_xent(z, y.astype(z.dtype), None, loss, grad, numpy=numpy)
    return float(np.sum(loss, dtype=np.float64)), loss, grad


def _same(got: Any, want: Any) -> None:
    """The same bits: dtype, shape and every value (signed zeros compare equal)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want, strict=True)


def _check_paths(obj: Any, theta: Any, ref: Any, use_c: bool) -> None:
    """Each path of the models' objective gives the bits of the backend called as it
    calls it: ``ref(dtype, numpy, scale)`` is the backend's (total, losses, gradient)
    on the logits in ``dtype``.  The mini-batch path (SGD) and the full passes over
    float32 data run in the data's dtype on C where it is built; the full passes
    over float64 data and the exact paths (Newton's method, the standard errors) on
    the NumPy twin in float64, the latter dividing the sums by ``n`` afterwards."""
    n, shape = obj.n, (obj.q, obj.k)
    native, batch = np.empty_like(theta), np.empty_like(theta)
    f = obj.fun_grad(theta, native)
    want = ref(obj.dtype, not use_c or obj.dtype == np.float64, 1 / n)
    assert f == want[0]
    _same(native.reshape(shape), want[2])
    f = obj.batch_fun_grad(theta, np.arange(n), batch)
    want = ref(obj.dtype, not use_c, 1 / n)
    assert f == want[0]
    _same(batch.reshape(shape), want[2])
    want = ref(np.float64, True, 1.0)
    assert obj.fun64(theta.astype(np.float64)) == want[0] / n
    if obj.k <= 10:  # the Hessian has (q k)^2 entries
        f, g, _ = obj.fun_grad_hess64(theta.astype(np.float64))
        assert f == want[0] / n
        _same(g.reshape(shape), want[2] / n)


@pytest.mark.parametrize("use_c", [True, False], ids=["C", "NumPy"])
def test_every_caller_gets_the_same_bits(use_c: bool) -> None:
    """The public losses, the objective's mini-batch (SGD), full-pass and exact
    (Newton, standard errors) paths all compute softmax and binary cross-entropy
    with the one backend: on hostile rows they give its values and gradients bit
    for bit."""
    from crossentropy.models._objective import Objective

    if use_c and not KERNELS_BUILT:
        pytest.skip("the C extension is not built")

    def objective(X: Any, target: Any, w: Any, family: str, k: int) -> Objective:
        return Objective(X, target, w, family=family, k=k, l2=0.0, fit_intercept=False)

    with contextlib.nullcontext() if use_c else _kernels._numpy_only():
        for row, label, dtype in HOSTILE_SUITE:
            z = np.array([row], dtype)

            def ref(dt: Any, numpy: bool, scale: float, z: Any = z, label: int = label) -> Any:
                return _softmax_ref(z.astype(dt), [label], numpy=numpy, scale=scale)

            loss, grad = cce([label], z, return_grad=True)
            want = ref(dtype, not use_c, 1.0)
            _same(loss, want[1])
            _same(grad, want[2])
            obj = objective(np.ones((1, 1), dtype), np.array([label]), None, "softmax", z.size)
            _check_paths(obj, z.ravel().copy(), ref, use_c)
            if list(row) == [0.0, 40.0, 0.0] and label == 1:  # 2 e^-40, and so its gradient
                for r in (want, ref(np.float64, True, 1.0)):
                    assert r[1][0] == pytest.approx(2 * np.exp(-40.0), rel=8 * eps(dtype))
                    assert r[2][0, 1] == -r[1][0]
        # weights: class weights through the loss, sample weights through the objective
        rows = [(row, lab) for row, lab, dtype in HOSTILE_SUITE[:8] if len(row) == 3]
        z = np.array([row for row, _ in rows])
        labels = np.array([lab for _, lab in rows])
        cw = np.array([0.5, 2.0, 0.0])
        loss, grad = cce(labels, z, class_weight=cw, return_grad=True)
        want = _softmax_ref(z, labels, numpy=not use_c, class_weight=cw)
        _same(loss, want[1])
        _same(grad, want[2])
        sw = np.arange(1.0, len(z) + 1) / np.mean(np.arange(1.0, len(z) + 1))
        _check_paths(
            objective(np.eye(len(z)), labels, sw, "softmax", 3),
            z.ravel().copy(),
            lambda dt, numpy, scale: _softmax_ref(
                z, labels, numpy=numpy, sample_weight=sw, scale=scale
            ),
            use_c,
        )
        # the binary loss and the Bernoulli objective, one logit at a time
        for values, dtype in BINARY_SUITE:
            for v in values:
                for y in (0.0, 1.0, 0.25):
                    zb, yb = np.array([v], dtype), np.array([y])

                    def bref(dt: Any, numpy: bool, scale: float, zb: Any = zb, yb: Any = yb) -> Any:
                        total, loss, grad = _binary_ref(zb.astype(dt), yb, numpy=numpy)
                        return total, loss, grad[:, None]

                    loss, grad = bce(yb, zb, return_grad=True)
                    want = bref(dtype, not use_c, 1.0)
                    _same(loss, want[1])
                    _same(grad[:, None], want[2])
                    obj = objective(np.ones((1, 1), dtype), yb, None, "bernoulli", 1)
                    _check_paths(obj, zb.copy(), bref, use_c)
