r"""Wald inference for maximum-likelihood fits, likelihood-ratio tests, summaries.

At the maximum-likelihood estimate :math:`\hat\theta` the covariance of the
estimator is estimated by the inverse of the observed information
:math:`I(\hat\theta) = -\nabla^2 \log L(\hat\theta)` (for the canonical links used
here observed and expected information coincide).  Then

.. math:: \operatorname{se}_j = \sqrt{[I^{-1}]_{jj}}, \qquad
          z_j = \hat\theta_j / \operatorname{se}_j,
          \qquad p_j = 2\,(1 - \Phi(|z_j|)),

and :math:`\hat\theta_j \pm z_{1-\alpha/2} \operatorname{se}_j` is the
:math:`1 - \alpha` confidence interval.  For linear regression :math:`\sigma^2` is
estimated by RSS/(n - q) and the Student t distribution with n - q degrees of
freedom replaces the normal one, as in ordinary least squares.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import check_number

__all__ = ["InferenceUnavailableError", "LRTestResult", "Summary", "WaldInference", "lr_test"]


class InferenceUnavailableError(ValueError, AttributeError):
    """Standard errors and tests need an exact, unpenalised maximum-likelihood fit.

    Raised on access to ``bse_``, ``pvalues_``, ``conf_int()`` ... of a model that
    was fitted with gradient descent or SGD, with ``l2 > 0``, on separated data or
    with too many parameters; the message says which.
    """


def _check_alpha(alpha: float) -> float:
    return check_number(
        alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True, allowed="in (0, 1)"
    )


def _check_level(level: float) -> float:
    in_0_1 = "a confidence level in (0, 1), e.g. 0.95"
    return check_number(
        level, "interval", low=0.0, high=1.0, low_open=True, high_open=True, allowed=in_0_1
    )


@dataclass(frozen=True)
class WaldInference:
    """Estimates with their covariance; ``df`` None means the normal distribution."""

    params: NDArray[np.float64]
    cov: NDArray[np.float64]
    df: float | None = None

    @property
    def bse(self) -> NDArray[np.float64]:
        return np.sqrt(np.diag(self.cov))

    @property
    def zvalues(self) -> NDArray[np.float64]:
        return self.params / self.bse

    @property
    def pvalues(self) -> NDArray[np.float64]:
        from scipy import stats

        z = np.abs(self.zvalues)
        if self.df is None:
            return 2 * stats.norm.sf(z)
        return 2 * stats.t.sf(z, self.df)

    def critical(self, alpha: float) -> float:
        """The two-sided critical value for level ``1 - alpha``."""
        from scipy import stats

        a = _check_alpha(alpha)
        if self.df is None:
            return float(stats.norm.isf(a / 2))
        return float(stats.t.isf(a / 2, self.df))

    def conf_int(self, alpha: float = 0.05) -> NDArray[np.float64]:
        """Lower and upper bounds, shape ``(m, 2)``."""
        half = self.critical(alpha) * self.bse
        return np.column_stack([self.params - half, self.params + half])


@dataclass(frozen=True)
class LRTestResult:
    """Likelihood-ratio test against the intercept-only (null) model.

    ``statistic`` = 2 (log L - log L_null), asymptotically chi-squared with ``df``
    degrees of freedom under the null hypothesis that every coefficient is 0.
    """

    statistic: float
    df: int
    pvalue: float

    def __str__(self) -> str:
        return f"LR chi2({self.df}) = {self.statistic:.4f}, p = {self.pvalue:.4g}"


def lr_test(loglike: float, loglike_null: float, df: int) -> LRTestResult:
    """Likelihood-ratio test of a fit against its null model.

    Examples
    --------
    >>> print(lr_test(-10.1576, -14.1336, 1))
    LR chi2(1) = 7.9520, p = 0.004803
    """
    from scipy import stats

    stat = 2.0 * (loglike - loglike_null)
    return LRTestResult(float(stat), int(df), float(stats.chi2.sf(stat, df)) if df > 0 else 1.0)


def covariance(information: NDArray[np.float64]) -> NDArray[np.float64] | None:
    """Inverse of a symmetric positive-definite information matrix, or None if singular."""
    from scipy import linalg

    try:
        factor = linalg.cho_factor(information)
    except linalg.LinAlgError:
        return None
    cov = linalg.cho_solve(factor, np.eye(information.shape[0]))
    cov = 0.5 * (cov + cov.T)
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
        return None
    return cov


@dataclass(frozen=True)
class Summary:
    """A fitted model's summary: ``print()`` it for text; notebooks show HTML."""

    title: str
    info: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float, ...]], ...]
    notes: tuple[str, ...] = ()

    def as_text(self) -> str:
        """The summary as a plain-text table."""
        name_w = max([len("parameter")] + [len(name) for name, _ in self.rows])
        half = (len(self.info) + 1) // 2
        left, right = self.info[:half], self.info[half:]
        cell = max([len(k) + len(v) + 3 for k, v in self.info] + [30])
        width = max(name_w + 11 * len(self.columns), 2 * cell + 2)
        cell = (width - 2) // 2
        lines = [self.title.center(width).rstrip(), "=" * width]
        for i, (k, v) in enumerate(left):
            text = f"{k + ':'}{v:>{cell - len(k) - 1}}"
            if i < len(right):
                rk, rv = right[i]
                text += f"  {rk + ':'}{rv:>{cell - len(rk) - 1}}"
            lines.append(text)
        if self.rows:
            lines.append("=" * width)
            lines.append(" " * name_w + "".join(f"{c:>11}" for c in self.columns))
            lines.append("-" * width)
            for name, values in self.rows:
                lines.append(f"{name:<{name_w}}" + "".join(_cell(v) for v in values))
        lines.append("=" * width)
        lines.extend(textwrap.fill(note, width) for note in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        info = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:right'>{html.escape(v)}</td></tr>"
            for k, v in self.info
        )
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
            + "".join(f"<td>{html.escape(_cell(v).strip())}</td>" for v in values)
            + "</tr>"
            for name, values in self.rows
        )
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        table = f"<table><tr><th></th>{head}</tr>{body}</table>" if self.rows else ""
        return f"<div><h4>{html.escape(self.title)}</h4><table>{info}</table>{table}{notes}</div>"


def _cell(value: float) -> str:
    if not np.isfinite(value):
        return f"{'':>11}"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:>11.3e}"
    return f"{value:>11.4f}"


def param_rows(
    names: list[str], inference: WaldInference | None, params: NDArray[Any], alpha: float = 0.05
) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[float, ...]], ...]]:
    """Column headers and rows of the coefficient table."""
    if inference is None:
        return ("coef",), tuple(
            (n, (float(v),)) for n, v in zip(names, np.ravel(params), strict=True)
        )
    stat = "z" if inference.df is None else "t"
    lo, hi = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
    ci = inference.conf_int(alpha)
    cols = ("coef", "std err", stat, f"P>|{stat}|", lo, hi)
    rows = tuple(
        (n, (float(p), float(s), float(z), float(pv), float(a), float(b)))
        for n, p, s, z, pv, (a, b) in zip(
            names,
            inference.params,
            inference.bse,
            inference.zvalues,
            inference.pvalues,
            ci,
            strict=True,
        )
    )
    return cols, rows
