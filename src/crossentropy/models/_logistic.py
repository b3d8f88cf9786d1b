r"""Logistic regression: a Bernoulli (or binomial) model with the logit link.

.. math:: P(y = 1 \mid x) = \sigma(b + x^T w) = \frac{1}{1 + e^{-(b + x^T w)}}

fitted by maximum likelihood: the negative log-likelihood per observation is the
binary cross-entropy.  Counts "k successes in n trials" are the same model with
``n`` Bernoulli rows per observation, so they enter as success fractions k/n with
weight n; the log-likelihood then also holds :math:`\log \binom{n}{k}`.
"""

from __future__ import annotations

from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import NDArray
from sklearn.base import ClassifierMixin
from sklearn.utils import Tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, column_or_1d

from .. import activations, losses
from ..information import binary_entropy
from ._base import MLEstimatorBase, Targets, starting_point
from ._objective import Objective
from ._state import FitStatistics, classes_of, fitted

__all__ = ["LogisticRegression", "ProbaInterval"]


class ProbaInterval(NamedTuple):
    """Predicted probabilities with pointwise confidence bounds (same shapes)."""

    proba: NDArray[Any]
    lower: NDArray[Any]
    upper: NDArray[Any]


def _uses_sgd(estimator: Any) -> bool:
    return getattr(estimator, "solver", None) == "sgd"


def binary_labels(
    y: Any, classes: Any, known: NDArray[Any] | None
) -> tuple[NDArray[np.float64], NDArray[Any]]:
    """Binary labels as 0/1 and the two classes: ``known`` ones, else ``classes`` or y's."""
    y = column_or_1d(check_array(y, ensure_2d=False, dtype=None, input_name="y"), warn=True)
    check_classification_targets(y)
    if known is None:
        found = np.unique(y) if classes is None else np.unique(np.asarray(classes))
        if found.shape[0] > 2:
            raise ValueError(
                "Only binary classification is supported. The type of the target is "
                f"multiclass ({found.shape[0]} classes: {found[:5].tolist()}...); use "
                "SoftmaxRegression for more than two classes."
            )
        if found.shape[0] < 2:
            raise ValueError(
                "LogisticRegression needs samples of 2 classes; got 1 class "
                f"({found.tolist()}). A model with one class has nothing to learn."
            )
        known = found
    pos = y == known[1]
    unknown = ~pos & (y != known[0])
    if np.any(unknown):
        i = int(np.flatnonzero(unknown)[0])
        raise ValueError(
            f"`y` has the label {y[i]!r} at index {i}, not one of the classes {known.tolist()}"
        )
    return pos.astype(np.float64), known


def binomial_counts(y: Any, trials: Any, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(successes, trials)`` from ``y`` with ``trials``, or from ``y`` = [successes, failures]."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"binomial `y` must hold counts (numbers); got dtype {arr.dtype}")
    if trials is None:
        succ, fail = arr[:, 0].astype(np.float64), arr[:, 1].astype(np.float64)
        tot = succ + fail
        what = "`y` (successes, failures)"
    else:
        succ = column_or_1d(arr).astype(np.float64)
        tot = np.asarray(trials, dtype=np.float64)
        tot = np.full(succ.shape, float(tot)) if tot.ndim == 0 else tot
        if tot.shape != succ.shape:
            raise ValueError(
                f"`trials` must be a number or have shape {succ.shape}; got {tot.shape}"
            )
        what = "`y` (successes) and `trials`"
    if succ.shape != (n,):
        raise ValueError(f"{what} must have one row per row of X ({n}); got {succ.shape[0]}")
    bad = ~np.isfinite(succ) | ~np.isfinite(tot) | (succ < 0) | (succ > tot)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{what} must be finite counts with 0 <= successes <= trials; got "
            f"{succ[i]:g} successes of {tot[i]:g} trials at row {i}"
        )
    return succ, tot


def logit_se(x1_blocks: Any, cov: NDArray[np.float64]) -> NDArray[np.float64]:
    """Delta-method standard error of each row's linear predictor: sqrt(x1^T C x1)."""
    return np.concatenate([np.sqrt(np.einsum("ij,jk,ik->i", x1, cov, x1)) for x1 in x1_blocks])


def design_blocks(X: NDArray[Any], fit_intercept: bool, step: int = 65536) -> Any:
    """float64 design rows ``[1, x]`` in blocks (no whole-array float64 copy)."""
    for start in range(0, X.shape[0], step):
        part = np.asarray(X[start : start + step], dtype=np.float64)
        yield np.column_stack([np.ones(part.shape[0]), part]) if fit_intercept else part


class LogisticRegression(ClassifierMixin, MLEstimatorBase):
    r"""Binary logistic regression by maximum likelihood, with inference and diagnostics.

    :math:`P(y = 1 \mid x) = \sigma(b + x^T w)`.  The objective minimised by every
    solver is the mean binary cross-entropy (nats per observation, weighted by
    ``sample_weight``) plus :math:`\tfrac{\lambda}{2} \lVert w \rVert^2`, the
    intercept unpenalised (scikit-learn's ``C`` is :math:`1 / (n \lambda)`).

    Parameters
    ----------
    solver : {"newton", "lbfgs", "gd", "sgd"}, default "newton"
        ``newton``: exact maximum likelihood by Newton's method (IRLS);
        ``lbfgs``: SciPy's L-BFGS; ``gd``: full-batch gradient descent;
        ``sgd``: mini-batch SGD, reshuffled every epoch.
    l2 : float, default 0.0
        Penalty :math:`\lambda \ge 0` (0 = pure maximum likelihood).
    fit_intercept : bool, default True
    max_iter : int, default 100
        Iterations (newton, lbfgs, gd) or epochs (sgd).
    tol : float, default 1e-6
        For every solver: converged when the largest absolute component of the
        gradient of the objective is at most ``tol`` (for sgd, of the mean
        gradient applied during an epoch).
    learning_rate : float or "auto", default 0.1
        Step size of gd and sgd (the rate of epoch 0 for a schedule).  "auto" is
        1/L, L a bound on the curvature of the objective computed from the data
        (:math:`\tfrac14` mean squared row norm for this loss): safe for features
        in any units, though often slower than a tuned rate.
    batch_size : int, default 128
        Rows per mini-batch (sgd).
    momentum : float, default 0.0
        Momentum of gd and sgd, in [0, 1); ``nesterov=True`` for Nesterov's form.
    schedule : {"constant", "inverse", "exponential", "linear"} or callable, default "constant"
        Learning-rate schedule over epochs (sgd), carried over by ``partial_fit``;
        ``decay`` sets its rate (see :func:`crossentropy.optim.make_schedule`).
        "linear" lowers the rate at every mini-batch step, to 0 at the end of its
        horizon: ``decay`` epochs, by default ``max_iter`` (also over ``partial_fit``
        calls, after which it refuses to go on).  A run then spends exactly its
        epoch budget, and its last iterate is close to an average of the late ones:
        on MNIST one epoch at rate 2 reaches what three epochs at a constant 0.5 do.
    early_stopping : bool, default False
        Hold out ``validation_fraction`` (default 0.1) of the rows and stop when the
        validation loss has not improved for ``n_iter_no_change`` epochs, keeping
        the best parameters (sgd).
    validation_fraction : float, optional
        Fraction of rows held out to record ``val_loss`` / ``val_accuracy`` (sgd).
    n_iter_no_change : int, default 5
    random_state : int, Generator or None
        Seeds the shuffling and the validation split.
    callback : callable, optional
        Called after every iteration/epoch with its history entry (a dict); a
        true return value stops the fit (``stop_reason_ == "callback"``).
    warm_start : bool, default False
        When True, ``fit`` continues the previous fit instead of starting afresh:
        from its parameters, appending to its ``history_`` (iterations numbered
        on) and, for sgd, carrying on its schedule, momentum and shuffling, as
        ``partial_fit`` does; ``max_iter`` then bounds the iterations (epochs) of
        the whole run, so a run stopped early is finished by fitting again.  The
        classes and features are those of the previous fit.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; ``classes_[1]`` is the event modelled.
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    params_ : ndarray
        Intercept then coefficients, float64.
    bse_, zvalues_, pvalues_ : ndarray
        Standard errors, Wald z statistics and p-values (exact solvers, l2 = 0;
        otherwise accessing them raises :class:`InferenceUnavailableError`).
    loglike_, loglike_null_ : float
        Log-likelihood of the fit and of the intercept-only model, in nats
        (binomial coefficients included for counts, as statsmodels does).
    deviance_, null_deviance_ : float
        :math:`2 \sum_i n_i\, D_{KL}(\hat y_i \,\Vert\, p_i)`: twice the summed KL
        divergence from the observed proportions to the fitted probabilities.
    aic_, bic_ : float
        :math:`-2 \log L + 2q` and :math:`-2 \log L + q \log n_{obs}`.
    nobs_, df_model_, df_resid_ : float
        Observations (the sum of ``sample_weight``), and degrees of freedom.
    history_ : History
        Loss, gradient norm, step size (and validation metrics) per iteration/epoch.
    stop_reason_ : str
        One of :data:`crossentropy.optim.STOP_REASONS`.
    separation_ : Separation or None
        The separating direction when the classes are separable (l2 = 0).
    n_iter_ : int

    Notes
    -----
    **Binomial counts.** ``fit(X, y)`` with ``y`` of shape (n, 2) holding
    ``[successes, failures]`` per row (the convention of R and statsmodels), or
    ``fit(X, successes, trials=n_trials)``.  ``predict_proba`` then gives the
    success probability per trial; ``classes_`` is ``[0, 1]``.

    ``sample_weight`` are frequency weights: a weight of 2 counts a row twice,
    in the fit and in the inference.

    Examples
    --------
    The Challenger O-rings (launch temperature, any thermal distress):

    >>> from crossentropy.datasets import load_challenger
    >>> d = load_challenger()
    >>> m = LogisticRegression().fit(d.temp_f[:, None], d.distress > 0)
    >>> print(np.round(m.params_, 5), np.round(m.bse_, 5))
    [15.0429  -0.23216] [7.37864 0.10824]
    >>> print(f"{m.predict_proba([[31.0]])[0, 1]:.5f}")
    0.99961
    """

    _family = "bernoulli"

    classes_ = fitted(classes_of, "The two labels; ``classes_[1]`` is the event.")
    coef_ = fitted(lambda s: s.coefficients.coef, "Coefficients, shape (1, n_features).")
    intercept_ = fitted(lambda s: s.coefficients.intercept, "The intercept, shape (1,).")

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_class = False
        return tags

    def fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        *,
        trials: Any = None,
        coef_init: Any = None,
        intercept_init: Any = None,
    ) -> LogisticRegression:
        """Fit by maximum likelihood (or its penalised form).

        Parameters
        ----------
        X : array_like of shape (n, p)
            float32 data stays float32 (gd, sgd, lbfgs compute in it).
        y : array_like
            Binary labels of shape (n,); or counts: shape (n, 2) as
            ``[successes, failures]``, or successes of shape (n,) with ``trials``.
        sample_weight : array_like of shape (n,), optional
            Non-negative frequency weights.
        trials : int or array_like of shape (n,), optional
            Number of trials per row when ``y`` holds success counts.
        coef_init : array_like of shape (1, n_features), optional
            Starting coefficients (every solver; default 0), such as the ``coef_``
            of an earlier fit or weights set by hand: the fit continues from there.
        intercept_init : array_like of shape (1,), optional
            Starting intercept (default 0).
        """
        init = starting_point(coef_init, intercept_init)
        return self._fit(X, y, sample_weight, trials=trials, init=init)

    @available_if(_uses_sgd)
    def partial_fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        *,
        classes: Any = None,
        trials: Any = None,
        validation_data: tuple[Any, Any] | None = None,
    ) -> LogisticRegression:
        """One SGD epoch over ``(X, y)``; the schedule and momentum carry over (solver='sgd').

        ``classes`` (the two labels) fixes ``classes_`` on the first call, for a first
        batch that may not show both; by default they are taken from that batch.
        ``validation_data=(X_val, y_val)`` records ``val_loss`` and ``val_accuracy``.
        The likelihood statistics (``loglike_`` ...) then describe this batch, and
        separation is not tested (one batch says nothing about the whole stream).
        """
        return self._fit(
            X,
            y,
            sample_weight,
            partial=True,
            trials=trials,
            classes=classes,
            validation_data=validation_data,
        )

    def _targets(
        self,
        X: NDArray[Any],
        y: Any,
        sample_weight: Any,
        fit_args: dict[str, Any],
        classes: NDArray[Any] | None,
    ) -> Targets:
        trials = fit_args.get("trials")
        arr = np.asarray(y)
        n = X.shape[0]
        sw = np.ones(n) if sample_weight is None else sample_weight
        if trials is not None or (arr.ndim == 2 and arr.shape[1] == 2):
            succ, tot = binomial_counts(arr, trials, n)
            classes = np.array([0, 1]) if classes is None else classes
            frac = np.divide(succ, tot, out=np.zeros_like(succ), where=tot > 0)
            from scipy.special import gammaln

            const = float(
                np.sum(sw * (gammaln(tot + 1) - gammaln(succ + 1) - gammaln(tot - succ + 1)))
            )
            counts = np.column_stack([sw * (tot - succ), sw * succ])
            weights = sw * tot
            if not np.any(weights > 0):
                raise ValueError("every row has 0 trials or 0 weight: nothing to fit")
            return Targets(frac, weights, 1, counts, const, float(sw.sum()), classes)
        new = classes is None
        target, classes = binary_labels(y, fit_args.get("classes"), classes)
        if target.shape[0] != n:
            raise ValueError(f"`y` must have one label per row of X ({n}); got {target.shape[0]}")
        counts = np.column_stack([sw * (1 - target), sw * target])
        if new and fit_args.get("classes") is None and not np.all(counts.sum(axis=0) > 0):
            raise ValueError(
                "LogisticRegression needs samples of 2 classes with positive "
                "weight; got 1 class with positive weight"
            )
        return Targets(target, sample_weight, 1, counts, 0.0, float(sw.sum()), classes)

    def _statistics(self, obj: Objective, logits: NDArray[np.float64], t: Targets) -> FitStatistics:
        w = np.ones(obj.n) if t.weights is None else t.weights
        y = obj.target64
        z = logits[:, 0]
        nll = float(np.dot(w, losses.binary_cross_entropy_with_logits(y, z)))
        sat = float(np.dot(w, binary_entropy(y)))
        p0 = float(np.dot(w, y) / w.sum()) if obj.fit_intercept else 0.5
        with np.errstate(divide="ignore"):
            z0 = np.log(p0) - np.log1p(-p0)
        nll0 = float(np.dot(w, losses.binary_cross_entropy_with_logits(y, np.full_like(y, z0))))
        return FitStatistics(
            loglike=-nll + t.loglike_const,
            loglike_null=-nll0 + t.loglike_const,
            deviance=2.0 * (nll - sat),
            null_deviance=2.0 * (nll0 - sat),
            nobs=t.nobs,
            n_params=obj.q,
            n_params_null=int(obj.fit_intercept),
        )

    # ------------------------------------------------------------ prediction
    def decision_function(self, X: Any) -> NDArray[Any]:
        """Logits :math:`b + x^T w`, shape (n,), in the dtype of X."""
        return self._logits(self._checked_X(X))

    def _logits(self, X: NDArray[Any]) -> NDArray[Any]:
        """``decision_function`` of validated ``X``."""
        z = X @ self.coef_[0].astype(X.dtype, copy=False)
        return z + self.intercept_[0].astype(X.dtype)

    @overload
    def predict_proba(self, X: Any, interval: None = None) -> NDArray[Any]: ...

    @overload
    def predict_proba(self, X: Any, interval: float) -> ProbaInterval: ...

    def predict_proba(self, X: Any, interval: float | None = None) -> NDArray[Any] | ProbaInterval:
        """Class probabilities, shape (n, 2): columns ``classes_[0]``, ``classes_[1]``.

        Parameters
        ----------
        X : array_like of shape (n, p)
        interval : float, optional
            A confidence level such as 0.95: also return pointwise delta-method
            bounds, computed on the logit scale and mapped through the sigmoid
            (so they stay in [0, 1]).  Needs an exact fit with l2 = 0.

        Returns
        -------
        ndarray, or ProbaInterval ``(proba, lower, upper)`` when ``interval`` is given.
        """
        X = self._checked_X(X)
        z = self._logits(X)
        proba = np.column_stack([activations.sigmoid(-z), activations.sigmoid(z)])
        if interval is None:
            return proba
        from ._inference import _check_level

        level = _check_level(interval)
        wald = self._wald_or_raise()
        se = logit_se(design_blocks(X, bool(self.fit_intercept)), wald.cov)
        half = wald.critical(1.0 - level) * se
        z64 = z.astype(np.float64)
        lo1, hi1 = activations.sigmoid(z64 - half), activations.sigmoid(z64 + half)
        lo0, hi0 = activations.sigmoid(-(z64 + half)), activations.sigmoid(-(z64 - half))
        dt = proba.dtype
        return ProbaInterval(
            proba, np.column_stack([lo0, lo1]).astype(dt), np.column_stack([hi0, hi1]).astype(dt)
        )

    def predict_log_proba(self, X: Any) -> NDArray[Any]:
        """Log-probabilities, shape (n, 2), without underflow."""
        z = self.decision_function(X)
        return np.column_stack([activations.log_sigmoid(-z), activations.log_sigmoid(z)])

    def predict(self, X: Any) -> NDArray[Any]:
        """The more probable class label for each row."""
        z = self.decision_function(X)
        return self.classes_[(z > 0).astype(np.intp)]

    def _val_metrics(
        self, z: NDArray[Any], target: NDArray[Any], w: NDArray[Any] | None, loss_sum: float
    ) -> dict[str, float]:
        ww = np.ones(z.shape[0]) if w is None else w.astype(np.float64)
        hit = np.where(z[:, 0] > 0, target, 1 - target)
        total = float(ww.sum())
        return {"val_loss": loss_sum / total, "val_accuracy": float(np.dot(ww, hit)) / total}
