r"""Softmax (multinomial logistic) regression: a categorical model with the softmax link.

.. math:: P(y = c \mid x) = \operatorname{softmax}(x^T W + b)_c
          = \frac{e^{x^T w_c + b_c}}{\sum_k e^{x^T w_k + b_k}}

"the mother of all networks": a network with no hidden layer.  Its negative
log-likelihood per observation is the categorical cross-entropy.  Adding the same
vector to every class's parameters changes no probability, so the parameters are
identified only up to that shift: ``coef_`` and ``intercept_`` are reported
centred (they sum to zero over the classes, as scikit-learn reports them), and the
inference (``params_``, ``bse_`` ...) is about the contrasts against the first
class, :math:`\theta_c - \theta_0` (the log-odds of class c against class 0, as in
statsmodels' MNLogit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray
from sklearn.base import ClassifierMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, column_or_1d

from .. import activations, losses
from ._base import MLEstimatorBase, Targets, starting_point
from ._inference import WaldInference
from ._logistic import ProbaInterval, _uses_sgd, design_blocks
from ._objective import Objective
from ._state import Coefficients, FitStatistics, classes_of, fitted

__all__ = ["SoftmaxRegression", "class_indices"]


def class_indices(y: NDArray[Any], classes: NDArray[Any]) -> NDArray[np.intp]:
    """The index of each label of ``y`` in the sorted ``classes``; unknown labels are errors.

    Examples
    --------
    >>> class_indices(np.array(["b", "a", "b"]), np.array(["a", "b"]))
    array([1, 0, 1])
    """
    labels = np.minimum(np.searchsorted(classes, y), classes.shape[0] - 1)
    unknown = classes[labels] != y
    if np.any(unknown):
        i = int(np.flatnonzero(unknown)[0])
        raise ValueError(
            f"`y` has the label {y[i : i + 1].tolist()[0]!r} at index {i}, not one of the "
            f"classes {classes.tolist()}"
        )
    return labels


class SoftmaxRegression(ClassifierMixin, MLEstimatorBase):
    r"""Multinomial logistic (softmax) regression by maximum likelihood.

    The objective of every solver is the mean categorical cross-entropy (nats per
    observation, weighted by ``sample_weight``) plus :math:`\tfrac{\lambda}{2}
    \lVert W \rVert^2` (intercepts unpenalised).  The parameters are the same as
    those of :class:`LogisticRegression` (``solver``, ``l2``, ``tol`` with its one
    meaning, the SGD options, ``callback`` ...) except that the default solver is
    ``"lbfgs"``: Newton's method forms a Hessian with :math:`(q K)^2` entries.

    For large float32 data (MNIST: 60000 x 784) the ``sgd`` solver keeps X in
    float32 and allocates nothing per mini-batch: each batch is gathered into a
    preallocated buffer, multiplied by BLAS and its softmax gradient formed in
    place.  ``callback`` is called after every epoch with the epoch's history
    entry; a true return value stops, and Ctrl-C (``KeyboardInterrupt``) ends the
    fit with the parameters learned so far before it propagates.

    Attributes
    ----------
    classes_ : ndarray of shape (K,)
    coef_ : ndarray of shape (K, n_features)
        Centred over the classes; dtype of the training data.
    intercept_ : ndarray of shape (K,)
    params_ : ndarray of shape (q, K - 1)
        Intercept row first; column j is class ``classes_[j + 1]`` against ``classes_[0]``.
    bse_, zvalues_, pvalues_ : ndarray of shape (q, K - 1)
        Exact solvers with l2 = 0, up to 3000 parameters.
    loglike_, deviance_, null_deviance_, aic_, bic_, history_, stop_reason_, separation_
        As for :class:`LogisticRegression`; the null model is the class frequencies.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> m = SoftmaxRegression(solver="newton", l2=1e-2).fit(X, y)
    >>> m.stop_reason_, round(m.score(X, y), 2)
    ('converged', 0.97)
    """

    _family = "softmax"

    classes_ = fitted(classes_of, "The class labels, shape (K,).")
    coef_ = fitted(lambda s: s.coefficients.coef, "Coefficients, shape (K, n_features).")
    intercept_ = fitted(lambda s: s.coefficients.intercept, "Intercepts, shape (K,).")

    def __init__(
        self,
        *,
        solver: str = "lbfgs",
        l2: float = 0.0,
        fit_intercept: bool = True,
        max_iter: int = 100,
        tol: float = 1e-6,
        learning_rate: float | str = 0.1,
        batch_size: int = 128,
        momentum: float = 0.0,
        nesterov: bool = False,
        schedule: str | Callable[[int], float] = "constant",
        decay: float | None = None,
        early_stopping: bool = False,
        validation_fraction: float | None = None,
        n_iter_no_change: int = 5,
        random_state: Any = None,
        callback: Callable[[dict[str, float]], Any] | None = None,
        warm_start: bool = False,
    ) -> None:
        super().__init__(
            solver=solver,
            l2=l2,
            fit_intercept=fit_intercept,
            max_iter=max_iter,
            tol=tol,
            learning_rate=learning_rate,
            batch_size=batch_size,
            momentum=momentum,
            nesterov=nesterov,
            schedule=schedule,
            decay=decay,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            random_state=random_state,
            callback=callback,
            warm_start=warm_start,
        )

    def fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        *,
        validation_data: tuple[Any, Any] | None = None,
        coef_init: Any = None,
        intercept_init: Any = None,
    ) -> SoftmaxRegression:
        """Fit by maximum likelihood (or its penalised form).

        Parameters
        ----------
        X : array_like of shape (n, p)
            float32 data stays float32 for gd, sgd and lbfgs (never copied to float64).
        y : array_like of shape (n,)
            Class labels (any sortable values).
        sample_weight : array_like of shape (n,), optional
            Non-negative frequency weights.
        validation_data : (X_val, y_val), optional
            Data to record ``val_loss`` and ``val_accuracy`` on after every epoch
            (solver='sgd').
        coef_init : array_like of shape (K, n_features), optional
            Starting coefficients (every solver; default 0), such as the ``coef_``
            of an earlier fit: the fit continues from there.  The SGD schedule
            starts afresh (``partial_fit`` continues it instead).
        intercept_init : array_like of shape (K,), optional
            Starting intercepts (default 0).
        """
        init = starting_point(coef_init, intercept_init)
        return self._fit(X, y, sample_weight, validation_data=validation_data, init=init)

    @available_if(_uses_sgd)
    def partial_fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        *,
        classes: Any = None,
        validation_data: tuple[Any, Any] | None = None,
    ) -> SoftmaxRegression:
        """One SGD epoch over ``(X, y)``; schedule, momentum and shuffling carry over.

        ``classes`` (all labels) is required on the first call.
        """
        if "_fit_state" not in self.__dict__ and classes is None:
            raise ValueError(
                "`classes` must be given on the first call to partial_fit "
                "(the labels of every class)"
            )
        return self._fit(
            X, y, sample_weight, partial=True, classes=classes, validation_data=validation_data
        )

    # ------------------------------------------------------------ family hooks
    def _targets(
        self,
        X: NDArray[Any],
        y: Any,
        sample_weight: Any,
        fit_args: dict[str, Any],
        classes: NDArray[Any] | None,
    ) -> Targets:
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=None, input_name="y"), warn=True)
        check_classification_targets(y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"`y` must have one label per row of X ({X.shape[0]}); got {y.shape[0]}"
            )
        new = classes is None
        if classes is None:
            given = fit_args.get("classes")
            classes = np.unique(y) if given is None else np.unique(np.asarray(given))
            if classes.shape[0] < 2:
                raise ValueError(
                    f"SoftmaxRegression needs samples of at least 2 classes; got 1 "
                    f"class ({classes.tolist()})"
                )
        labels = class_indices(y, classes)
        n, k = X.shape[0], classes.shape[0]
        # Without weights every row counts, and the classes found above all have rows.
        weighted = np.ones(n, dtype=bool) if sample_weight is None else sample_weight > 0
        if new and fit_args.get("classes") is None and sample_weight is not None:
            found = np.unique(labels[weighted])
            if found.shape[0] < 2:
                raise ValueError(
                    "SoftmaxRegression needs samples of at least 2 classes with "
                    f"positive weight; got 1 class ({classes[found].tolist()})"
                )
        counts = None
        if self.l2 == 0:
            # Which class each row is observed in: all that the separation test uses.
            counts = np.zeros((n, k), dtype=bool)
            counts[np.arange(n), labels] = weighted
        nobs = float(n if sample_weight is None else sample_weight.sum())
        return Targets(labels.astype(np.intp), sample_weight, k, counts, 0.0, nobs, classes)

    def _identified(self, theta: NDArray[np.float64], obj: Objective) -> NDArray[np.float64]:
        # Adding one vector to every class's parameters changes no probability: shift
        # so that the entries that _free fixes are 0 (the intercepts alone, with l2).
        mat = theta.reshape(obj.q, obj.k).copy()
        if obj.l2 == 0:
            mat -= mat[:, :1]
        elif obj.fit_intercept:
            mat[0] -= mat[0, 0]
        return mat.ravel()

    def _batch_metrics(self, obj: Objective) -> Callable[[], dict[str, float]] | None:
        if obj.weights is not None:
            return None
        hits = obj.hits = [0, 0]

        def accuracy() -> dict[str, float]:
            # Keras' "accuracy": predictions of each batch before its step.
            out = {"accuracy": hits[0] / hits[1]} if hits[1] else {}
            hits[0] = hits[1] = 0
            return out

        return accuracy

    def _free(self, obj: Objective) -> NDArray[np.bool_]:
        free = np.ones((obj.q, obj.k), dtype=bool)
        if obj.l2 == 0:
            free[:, 0] = False  # class 0 is the reference
        elif obj.fit_intercept:
            free[0, 0] = False  # intercepts are unpenalised: fix one
        return free.ravel()

    def _reference_free(self, obj: Objective) -> NDArray[np.bool_]:
        free = np.ones((obj.q, obj.k), dtype=bool)
        free[:, 0] = False
        return free.ravel()

    def _reference(self, theta: NDArray[np.float64], obj: Objective) -> NDArray[np.float64]:
        mat = theta.reshape(obj.q, obj.k)
        return mat[:, 1:] - mat[:, :1]

    def _coefficients(self, theta: NDArray[Any], obj: Objective) -> Coefficients:
        mat = theta.reshape(obj.q, obj.k)
        mat -= mat.mean(axis=1, keepdims=True)  # the centred representative
        return Coefficients.from_theta(theta, obj.k, obj.fit_intercept)

    def _row_names(self, names: list[str]) -> list[str]:
        c = self.classes_
        return [f"{n} [{c[j]} vs {c[0]}]" for j in range(1, c.shape[0]) for n in names]

    def _summary_title(self) -> str:
        return f"SoftmaxRegression ({self.classes_.shape[0]} classes, maximum likelihood)"

    def _summary_order(
        self, params: NDArray[np.float64], wald: WaldInference | None
    ) -> tuple[NDArray[np.float64], WaldInference | None]:
        # One block of rows per class contrast: the (q, K-1) layout transposed.
        q, km1 = params.shape
        if wald is not None:
            order = np.arange(q * km1).reshape(q, km1).T.ravel()
            wald = WaldInference(wald.params[order], wald.cov[np.ix_(order, order)], wald.df)
        return params.T.reshape(-1, 1), wald

    def _statistics(self, obj: Objective, logits: NDArray[np.float64], t: Targets) -> FitStatistics:
        w = np.ones(obj.n) if t.weights is None else t.weights
        labels = obj.target
        nll = float(np.dot(w, losses.categorical_cross_entropy_with_logits(labels, logits)))
        k = obj.k
        if obj.fit_intercept:
            class_weight = np.bincount(labels, weights=w, minlength=k)
            freq = class_weight / w.sum()
            with np.errstate(divide="ignore"):
                logf = np.where(freq > 0, np.log(freq), 0.0)
            nll0 = -float(np.dot(class_weight, logf))
        else:
            nll0 = float(w.sum()) * float(np.log(k))
        return FitStatistics(
            loglike=-nll,
            loglike_null=-nll0,
            deviance=2 * nll,
            null_deviance=2 * nll0,
            nobs=t.nobs,
            n_params=obj.q * (k - 1),
            n_params_null=(k - 1) * int(obj.fit_intercept),
        )

    def _val_metrics(
        self, z: NDArray[Any], target: NDArray[Any], w: NDArray[Any] | None, loss_sum: float
    ) -> dict[str, float]:
        hit = (np.argmax(z, axis=1) == target).astype(np.float64)
        total = float(z.shape[0] if w is None else w.sum())
        correct = float(hit.sum() if w is None else np.dot(w, hit))
        return {"val_loss": loss_sum / total, "val_accuracy": correct / total}

    # ------------------------------------------------------------ prediction
    def _logits(self, X: NDArray[Any]) -> NDArray[Any]:
        """Logits of validated ``X``, shape (n, K)."""
        z = X @ self.coef_.T.astype(X.dtype, copy=False)
        z += self.intercept_.astype(X.dtype)
        return z

    def decision_function(self, X: Any) -> NDArray[Any]:
        """Logits ``X @ coef_.T + intercept_``, shape (n, K), in the dtype of X.

        With two classes, scikit-learn's convention: one column, the logit of
        ``classes_[1]`` against ``classes_[0]``, shape (n,).
        """
        z = self._logits(self._checked_X(X))
        return z[:, 1] - z[:, 0] if z.shape[1] == 2 else z

    @overload
    def predict_proba(self, X: Any, interval: None = None) -> NDArray[Any]: ...

    @overload
    def predict_proba(self, X: Any, interval: float) -> ProbaInterval: ...

    def predict_proba(self, X: Any, interval: float | None = None) -> NDArray[Any] | ProbaInterval:
        """Class probabilities, shape (n, K), columns in the order of ``classes_``.

        With ``interval`` (a confidence level such as 0.95), also return delta-method
        bounds for each probability, formed on the logit scale
        :math:`\\log(p_c / (1 - p_c))` and mapped back, as a :class:`ProbaInterval`.
        """
        X = self._checked_X(X)
        z = self._logits(X)
        proba = activations.softmax(z)
        if interval is None:
            return proba
        from ._inference import _check_level

        level = _check_level(interval)
        wald = self._wald_or_raise()
        q, km1 = self._state().inference.params.shape
        cov4 = wald.cov.reshape(q, km1, q, km1)
        m = np.concatenate(
            [
                np.einsum("ia,ajbl,ib->ijl", x1, cov4, x1)
                for x1 in design_blocks(X, bool(self.fit_intercept))
            ]
        )
        z64 = z.astype(np.float64)
        crit = wald.critical(1.0 - level)
        lower, upper = np.empty(z64.shape), np.empty(z64.shape)
        for c in range(km1 + 1):
            # logit(p_c) = z_c - logsumexp_{o != c} z_o, whose gradient in the contrast
            # theta_j (j >= 1) is (delta_cj - r_j) x with r the softmax over the other
            # classes: exact even where p_c rounds to 1.
            rest = z64.copy()
            rest[:, c] = -np.inf
            lse = activations.logsumexp(rest, axis=1)
            logit = z64[:, c] - lse
            a = -np.exp(rest[:, 1:] - lse[:, None])
            if c > 0:
                a[:, c - 1] += 1.0
            se = np.sqrt(np.einsum("ij,ijl,il->i", a, m, a))
            lower[:, c] = activations.sigmoid(logit - crit * se)
            upper[:, c] = activations.sigmoid(logit + crit * se)
        return ProbaInterval(proba, lower.astype(proba.dtype), upper.astype(proba.dtype))

    def predict_log_proba(self, X: Any) -> NDArray[Any]:
        """Log-probabilities, shape (n, K), without underflow."""
        return activations.log_softmax(self._logits(self._checked_X(X)))

    def predict(self, X: Any) -> NDArray[Any]:
        """The most probable class label for each row."""
        z = self._logits(self._checked_X(X))
        return self.classes_[np.argmax(z, axis=1)]
