"""What a finished fit says about itself: why it has no standard errors, and whether
its stop is a failure to converge worth a warning.

Plain functions of the estimator's settings and the fit's outcome, so that each rule
and its wording is written once.
"""

from __future__ import annotations

from collections.abc import Callable

from ..optim import History

__all__ = ["EXACT_SOLVERS", "convergence_message", "inference_obstacle", "planned_budget"]

EXACT_SOLVERS = ("newton", "lbfgs")


def inference_obstacle(
    solver: str, partial: bool, l2: float, stop: str, n_params: int, max_params: int
) -> str | None:
    """Why a fit has no standard errors (None: it has them).

    Examples
    --------
    >>> inference_obstacle("newton", False, 0.0, "converged", 2, 3000) is None
    True
    >>> inference_obstacle("newton", False, 0.0, "separation", 2, 3000)
    'the classes are separated, so the maximum-likelihood estimate is infinite'
    """
    if partial or solver not in EXACT_SOLVERS:
        fitted_with = "sgd (partial_fit)" if partial else solver
        return (
            f"standard errors need an exact maximum-likelihood fit "
            f"(solver='newton' or 'lbfgs'); this model was fitted with {fitted_with}"
        )
    if l2 != 0:
        return (
            f"standard errors are those of the maximum-likelihood estimate, l2=0; "
            f"this model has l2={l2:g} (a penalised estimate)"
        )
    if stop == "separation":
        return "the classes are separated, so the maximum-likelihood estimate is infinite"
    if n_params > max_params:
        return (
            f"the model has {n_params} parameters; standard errors are computed for at "
            f"most {max_params} (their covariance matrix has n_params^2 entries)"
        )
    return None


def planned_budget(
    stop: str,
    solver: str,
    schedule: str | Callable[[int], float],
    decay: float | None,
    max_iter: int,
) -> bool:
    """True when SGD ran a linear schedule to its end: the rate reached 0 at max_iter
    by design, so stopping there is the plan, not a failure to converge."""
    return (
        stop == "max_iter"
        and solver == "sgd"
        and isinstance(schedule, str)
        and schedule == "linear"
        and (decay is None or float(decay) == float(max_iter))
    )


def convergence_message(
    estimator: str, solver: str, stop: str, history: History, max_iter: int, tol: float
) -> str | None:
    """The ``ConvergenceWarning`` of a fit that stopped at ``max_iter`` or stalled."""
    if stop not in ("max_iter", "stalled"):
        return None
    last = history.records[-1] if history.records else {}
    g = last.get("grad_norm", float("nan"))
    unit = "epochs" if solver == "sgd" else "iterations"
    if stop == "max_iter":
        msg = (
            f"{estimator}(solver={solver!r}) did not converge in "
            f"max_iter={max_iter} {unit}: the largest gradient component is {g:.3g}"
            f" > tol={tol:g}. Increase max_iter"
        )
        if solver in ("gd", "sgd"):
            msg += ", tune the learning rate, or standardise the features"
        return msg + "."
    return (
        f"{estimator}(solver={solver!r}) stopped: the objective cannot "
        f"be lowered further in floating point, with the largest gradient component "
        f"{g:.3g} > tol={tol:g}. A larger tol matches what this data and dtype "
        "allow."
    )
