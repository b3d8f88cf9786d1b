"""Tests of the objective every solver minimises: kernels, gradients, Hessians."""

from __future__ import annotations

import numpy as np
import pytest

from crossentropy import losses
from crossentropy.models._objective import Objective


def _problem(
    family: str,
    dtype: type = np.float64,
    weighted: bool = True,
    seed: int = 0,
    fit_intercept: bool = True,
    l2: float = 0.3,
) -> Objective:
    rng = np.random.default_rng(seed)
    n, p, k = 50, 3, 4
    X = rng.normal(size=(n, p)).astype(dtype)
    if family == "softmax":
        target = rng.integers(0, k, size=n)
    elif family == "bernoulli":
        target, k = rng.random(n), 1
    else:
        target, k = rng.normal(size=n), 1
    w = rng.random(n) if weighted else None
    w = None if w is None else w / w.mean()
    return Objective(X, target, w, family=family, k=k, l2=l2, fit_intercept=fit_intercept)


def _reference_loss(obj: Objective, theta: np.ndarray) -> float:
    """The objective from the public losses of crossentropy.losses."""
    b, W = obj.split(theta.astype(np.float64))
    z = obj.X.astype(np.float64) @ W + (0 if b is None else b)
    if obj.family == "softmax":
        per = losses.categorical_cross_entropy_with_logits(obj.target, z)
    elif obj.family == "bernoulli":
        per = losses.binary_cross_entropy_with_logits(obj.target64, z[:, 0])
    else:
        per = losses.squared_error(obj.target64, z[:, 0])
    w = np.ones(obj.n) if obj.weights64 is None else obj.weights64
    return float(np.dot(w, per) / obj.n + 0.5 * obj.l2 * np.sum(W**2))


FAMILIES = ["squared", "bernoulli", "softmax"]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_every_path_equals_the_public_losses(
    family: str, weighted: bool, fit_intercept: bool
) -> None:
    obj = _problem(family, weighted=weighted, fit_intercept=fit_intercept)
    theta = np.random.default_rng(1).normal(size=obj.size)
    want = _reference_loss(obj, theta)
    g = np.empty(obj.size)
    # Same formulas summed in another order: agreement to a few ulps of ~1.
    assert obj.fun_grad(theta, g) == pytest.approx(want, rel=1e-13)
    assert obj.fun64(theta) == pytest.approx(want, rel=1e-13)
    assert obj.fun_grad_hess64(theta)[0] == pytest.approx(want, rel=1e-13)
    # batch_fun_grad over all rows (in a shuffled order) is the same mean.
    rows = np.random.default_rng(2).permutation(obj.n)
    assert obj.batch_fun_grad(theta, rows, g) == pytest.approx(want, rel=1e-13)


@pytest.mark.parametrize("family", FAMILIES)
def test_gradient_and_hessian_by_finite_differences(family: str) -> None:
    obj = _problem(family)
    theta = np.random.default_rng(3).normal(size=obj.size) * 0.5
    _, g, h = obj.fun_grad_hess64(theta)
    eye = np.eye(obj.size)
    eps = 1e-6
    num_g = np.array(
        [(obj.fun64(theta + eps * e) - obj.fun64(theta - eps * e)) / (2 * eps) for e in eye]
    )
    # Central differences: truncation ~eps^2 * f''' and rounding ~1e-16 / eps = 1e-10.
    np.testing.assert_allclose(g, num_g, atol=1e-8)
    num_h = np.array(
        [
            (obj.fun_grad_hess64(theta + eps * e)[1] - obj.fun_grad_hess64(theta - eps * e)[1])
            / (2 * eps)
            for e in eye
        ]
    )
    np.testing.assert_allclose(h, num_h, atol=1e-7)
    native = np.empty(obj.size)
    obj.fun_grad(theta, native)
    np.testing.assert_allclose(native, g, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("family", FAMILIES)
def test_batch_gradient_is_the_mean_over_its_rows(family: str) -> None:
    obj = _problem(family, weighted=False, l2=0.0)
    theta = np.random.default_rng(4).normal(size=obj.size)
    rows = np.array([3, 7, 7, 20])
    sub = Objective(
        obj.X[rows], obj.target[rows], None, family=family, k=obj.k, l2=0.0, fit_intercept=True
    )
    g1, g2 = np.empty(obj.size), np.empty(obj.size)
    assert obj.batch_fun_grad(theta, rows, g1) == pytest.approx(sub.fun_grad(theta, g2), rel=1e-14)
    np.testing.assert_allclose(g1, g2, rtol=1e-13)


@pytest.mark.parametrize("family", FAMILIES)
def test_float32_path_computes_in_float32(family: str) -> None:
    obj64 = _problem(family)
    obj32 = _problem(family, dtype=np.float32)
    theta = np.random.default_rng(5).normal(size=obj64.size)
    g32 = np.empty(obj32.size, dtype=np.float32)
    f32 = obj32.batch_fun_grad(theta.astype(np.float32), np.arange(obj32.n), g32)
    g64 = np.empty(obj64.size)
    f64 = obj64.fun_grad(theta, g64)
    assert g32.dtype == np.float32
    # float32 rounding of sums of ~50 terms: a few 1e-7 relative.
    assert f32 == pytest.approx(f64, rel=1e-5)
    np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-5)


def test_extreme_logits_stay_finite_and_exact() -> None:
    # Confident, correct predictions: the loss is tiny but not rounded to 0.
    X = np.array([[1.0], [-1.0]])
    obj = Objective(
        X, np.array([1.0, 0.0]), None, family="bernoulli", k=1, l2=0.0, fit_intercept=False
    )
    g = np.empty(1)
    f = obj.fun_grad(np.array([40.0]), g)
    assert f == pytest.approx(float(losses.binary_cross_entropy_with_logits(1.0, 40.0)), rel=1e-12)
    assert 0 < f < 1e-17 and np.isfinite(g).all()
    obj = Objective(X, np.array([1, 0]), None, family="softmax", k=2, l2=0.0, fit_intercept=False)
    f = obj.fun_grad(np.array([-800.0, 800.0]), np.empty(2))
    assert f == 0.0  # e^-1600 underflows: the exact value rounds to 0, with no NaN
    f = obj.fun_grad(np.array([800.0, -800.0]), np.empty(2))
    assert f == 1600.0  # confidently wrong: the margin itself, not inf


def test_penalty_mask_spares_the_intercept() -> None:
    obj = _problem("softmax")
    mask = obj.penalty_mask().reshape(obj.q, obj.k)
    assert not mask[0].any() and mask[1:].all()


def test_unknown_family() -> None:
    with pytest.raises(ValueError, match="family"):
        Objective(
            np.zeros((2, 1)), np.zeros(2), None, family="poisson", k=1, l2=0.0, fit_intercept=True
        )


@pytest.mark.parametrize("family", FAMILIES)
def test_threaded_blocks_equal_the_whole_array_pass(
    family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    import crossentropy.models._objective as objective_module

    monkeypatch.setattr(objective_module, "_NATIVE_BLOCK_BYTES", 8 * 3 * 7)  # 7 rows a block
    obj = _problem(family)
    theta = np.random.default_rng(6).normal(size=obj.size)
    g_whole, g_threads = np.empty(obj.size), np.empty(obj.size)
    f_whole = obj.fun_grad(theta, g_whole)
    with ThreadPoolExecutor(3) as pool:
        obj.pool, obj.workers = pool, 3
        f_threads = obj.fun_grad(theta, g_threads)
    # Same terms summed in another order.
    assert f_threads == pytest.approx(f_whole, rel=1e-13)
    np.testing.assert_allclose(g_threads, g_whole, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("weighted", [False, True])
def test_fused_softmax_kernel_equals_the_numpy_kernel(dtype: type, weighted: bool) -> None:
    from crossentropy import _kernels

    if not _kernels.c_available():
        pytest.skip("the C extension is not built")
    obj = _problem("softmax", dtype=dtype, weighted=weighted)
    theta = np.random.default_rng(7).normal(size=obj.size).astype(dtype)
    rows = np.random.default_rng(8).permutation(obj.n)[:17]
    g_fused, g_numpy = np.empty_like(theta), np.empty_like(theta)
    f_fused = obj.batch_fun_grad(theta, rows, g_fused)
    f_full_fused = obj.fun_grad(theta, np.empty_like(theta))
    with _kernels._numpy_only():
        f_numpy = obj.batch_fun_grad(theta, rows, g_numpy)
        f_full_numpy = obj.fun_grad(theta, np.empty_like(theta))
    # Same formulas, exp/log1p to about 1 ulp, sums in another order: float32 ~1e-6.
    rel = 1e-6 if dtype == np.float32 else 1e-13
    assert f_fused == pytest.approx(f_numpy, rel=rel)
    if dtype == np.float64:
        # Full float64 passes (the exact solvers' tolerances) keep to the NumPy kernel.
        assert f_full_fused == f_full_numpy
    else:
        assert f_full_fused == pytest.approx(f_full_numpy, rel=rel)
    np.testing.assert_allclose(g_fused, g_numpy, rtol=10 * rel, atol=rel)
    assert g_fused.dtype == dtype


def test_non_finite_logits_give_a_nan_loss_not_an_error() -> None:
    # A diverging fit produces inf logits; the optimiser needs a non-finite loss to
    # report the divergence, never an exception from inside the kernel.
    obj = _problem("softmax", dtype=np.float32, weighted=False, l2=0.0)
    theta = np.full(obj.size, np.inf, dtype=np.float32)
    with np.errstate(all="ignore"):  # as inside the optimisers
        f = obj.batch_fun_grad(theta, np.arange(5), np.empty_like(theta))
    assert not np.isfinite(f)


def test_batches_count_correct_predictions_when_asked() -> None:
    obj = _problem("softmax", weighted=False, l2=0.0)
    theta = np.random.default_rng(9).normal(size=obj.size)
    obj.hits = [0, 0]
    rows = np.arange(20)
    b, W = obj.split(theta)
    want = int(np.sum(np.argmax(obj.X[rows] @ W + b, axis=1) == obj.target[rows]))
    obj.batch_fun_grad(theta, rows, np.empty(obj.size))
    assert obj.hits == [want, 20]


def test_logits_on_row_threads_equal_one_product() -> None:
    from concurrent.futures import ThreadPoolExecutor

    obj = _problem("softmax", dtype=np.float32)
    theta = np.random.default_rng(10).normal(size=obj.size).astype(np.float32)
    whole = obj.logits(theta)
    with ThreadPoolExecutor(3) as pool:
        obj.pool, obj.workers = pool, 3
        split = obj.logits(theta)
    obj.pool, obj.workers = None, 1
    # Each row is the same dot products, so the same bits.
    np.testing.assert_array_equal(split, whole)


@pytest.mark.parametrize("family,k", [("squared", 1), ("bernoulli", 1), ("softmax", 3)])
def test_block_sums_add_up_and_match_the_direct_hessian(family: str, k: int) -> None:
    from crossentropy.models._objective import BlockSums, block_sums

    rng = np.random.default_rng(7)
    n, q = 50, 4
    x1 = np.column_stack([np.ones(n), rng.standard_normal((n, q - 1))])
    mat = rng.standard_normal((q, k)) * 0.5
    w = rng.uniform(0.2, 2.0, n)
    if family == "softmax":
        target: np.ndarray = rng.integers(0, k, n)
    elif family == "bernoulli":
        target = rng.integers(0, 2, n).astype(float)
    else:
        target = rng.standard_normal(n)
    whole = block_sums(x1, target, w, mat, family, hessian=True)
    parts = BlockSums.zeros(q, k)
    for sl in (slice(0, 17), slice(17, 40), slice(40, n)):
        parts.add(block_sums(x1[sl], target[sl], w[sl], mat, family, hessian=True))
    assert parts.rows == n
    # Sums of other groupings: equal to rounding (a few ulps of the largest term).
    assert parts.loss == pytest.approx(whole.loss, rel=1e-13)
    np.testing.assert_allclose(parts.grad, whole.grad, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(parts.hess, whole.hess, rtol=1e-12, atol=1e-12)
    # The Hessian is the Jacobian of the gradient: central differences, step 1e-6,
    # agree to about 1e-8 of its scale.
    h = whole.hess.reshape(q * k, q * k)
    np.testing.assert_allclose(h, h.T, rtol=1e-13, atol=1e-12)
    eps = 1e-6
    for j in range(q * k):
        up, down = mat.copy().ravel(), mat.copy().ravel()
        up[j] += eps
        down[j] -= eps
        g_up = block_sums(x1, target, w, up.reshape(q, k), family).grad.ravel()
        g_down = block_sums(x1, target, w, down.reshape(q, k), family).grad.ravel()
        np.testing.assert_allclose((g_up - g_down) / (2 * eps), h[:, j], atol=1e-6 * n)
