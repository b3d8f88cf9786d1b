"""Tests of the Wald inference, likelihood-ratio test and summary table."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from crossentropy.models._inference import (
    Summary,
    WaldInference,
    covariance,
    lr_test,
    param_rows,
)


def test_wald_normal_and_t() -> None:
    w = WaldInference(np.array([2.0, -1.0]), np.diag([1.0, 0.25]))
    np.testing.assert_allclose(w.bse, [1.0, 0.5])
    np.testing.assert_allclose(w.zvalues, [2.0, -2.0])
    np.testing.assert_allclose(w.pvalues, 2 * stats.norm.sf(2.0), rtol=1e-14)
    np.testing.assert_allclose(w.conf_int(0.05)[0], [2 - 1.959963984540054, 2 + 1.959963984540054])
    t = WaldInference(np.array([2.0]), np.array([[1.0]]), df=5)
    assert t.pvalues[0] == pytest.approx(2 * stats.t.sf(2.0, 5), rel=1e-14)
    assert t.critical(0.05) == pytest.approx(stats.t.isf(0.025, 5), rel=1e-14)
    with pytest.raises(ValueError, match="alpha"):
        t.conf_int(1.5)


def test_lr_test_value() -> None:
    r = lr_test(-10.0, -12.5, 2)
    assert r.statistic == pytest.approx(5.0)
    assert r.pvalue == pytest.approx(np.exp(-2.5), rel=1e-12)  # chi2(2) survival = exp(-x/2)
    assert "chi2(2)" in str(r)


def test_covariance_of_a_singular_matrix_is_none() -> None:
    assert covariance(np.array([[1.0, 1.0], [1.0, 1.0]])) is None
    np.testing.assert_allclose(
        covariance(np.array([[4.0, 0.0], [0.0, 0.25]])), [[0.25, 0.0], [0.0, 4.0]]
    )


def test_summary_layout() -> None:
    w = WaldInference(np.array([1.5, 1e-6]), np.diag([0.01, 1e-14]))
    cols, rows = param_rows(["intercept", "x"], w, w.params)
    s = Summary(
        "Model", (("Solver", "newton"), ("Log-likelihood", "-1.5")), cols, rows, ("a note",)
    )
    text = s.as_text()
    assert text.splitlines()[0].strip() == "Model"
    assert "1.000e-06" in text and "P>|z|" in text and text.endswith("a note")
    html = s._repr_html_()
    # Two info rows, the header and two parameters; the header's ">" escaped.
    assert html.count("<tr>") == 2 + 1 + 2
    assert "P&gt;|z|" in html and "P>|z|" not in html


def test_summary_without_inference_has_only_coefficients() -> None:
    cols, rows = param_rows(["a"], None, np.array([[3.0]]))
    assert cols == ("coef",) and rows == (("a", (3.0,)),)
