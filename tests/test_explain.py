"""Tests of crossentropy.explain: the worked derivations agree with the library."""

from __future__ import annotations

import importlib
import math
import re
import subprocess
import sys
import types

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crossentropy as xe
from crossentropy.coding import expected_length, huffman_code
from crossentropy.explain import (
    Explanation,
    explain_code,
    explain_cross_entropy,
    explain_entropy,
    explain_information,
    explain_kl_divergence,
    fmt,
)

P, Q = [0.7, 0.2, 0.1], [0.5, 0.2, 0.3]
FOUR_BALLS = [1 / 2, 1 / 4, 1 / 8, 1 / 8]


def distributions(max_k: int = 12) -> st.SearchStrategy:
    weights = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=max_k)
    return weights.filter(lambda w: sum(w) > 0).map(lambda w: np.array(w) / math.fsum(w))


def result_line(e: Explanation, lhs: str) -> str:
    """The number on the '= value unit' line that ends the derivation of ``lhs``."""
    lines = e.text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"{lhs} = "))
    last = lines[start + 1] if start + 1 < len(lines) and lines[start + 1].strip() else ""
    return (last or lines[start]).split("=")[-1].split()[0]


def table_rows(e: Explanation) -> list[list[str]]:
    """Rows of the text table (lines indented by two spaces)."""
    rows = [
        ln.split()
        for ln in e.text.splitlines()
        if ln.startswith("  ") and not ln.lstrip().startswith(("=", "..."))
    ]
    return rows[1:]


# ---------------------------------------------------------------- agreement with the library


@pytest.mark.parametrize("base", [None, 2, "bans", 3.0])
def test_values_are_the_library_values(base: object) -> None:
    assert explain_entropy(P, base=base).value == xe.entropy(P, base=base)
    assert explain_cross_entropy(P, Q, base=base).value == xe.cross_entropy(P, Q, base=base)
    assert explain_kl_divergence(P, Q, base=base).value == xe.kl_divergence(P, Q, base=base)
    np.testing.assert_array_equal(
        explain_information(P, base=base).value, xe.information(P, base=base)
    )
    assert explain_code(P).value == expected_length(huffman_code(P), P)


@given(distributions(), distributions(), st.sampled_from([None, 2, 10]))
def test_shown_numbers_agree_with_the_library(
    p: np.ndarray, q_raw: np.ndarray, base: object
) -> None:
    k = min(len(p), len(q_raw))
    if p[:k].sum() == 0 or q_raw[:k].sum() == 0:
        return
    p = p[:k] / p[:k].sum()
    q = q_raw[:k] / q_raw[:k].sum()
    for e, lhs, func in (
        (explain_entropy(p, base=base), "H(P)", lambda: xe.entropy(p, base=base)),
        (
            explain_cross_entropy(p, q, base=base),
            "H(P, Q)",
            lambda: xe.cross_entropy(p, q, base=base),
        ),
        (
            explain_kl_divergence(p, q, base=base),
            "KL(P || Q)",
            lambda: xe.kl_divergence(p, q, base=base),
        ),
    ):
        value = float(func())
        assert result_line(e, lhs) == fmt(value)
        # The terms shown add up to the result; each term is one rounding away from
        # exact, so their float64 sum is within ~1e-15 * K of the library's sum.
        if math.isfinite(value):
            assert math.fsum(e.terms) == pytest.approx(value, rel=1e-12, abs=1e-14)
        else:
            assert math.fsum(e.terms) == value
        # Each table row shows its term, to the digits printed.
        for row, term in zip(table_rows(e), e.terms, strict=True):
            assert row[-1] == fmt(term)


def test_mission_numbers_in_the_text() -> None:
    e = explain_entropy(FOUR_BALLS, base="bits")
    assert "= 1.75 bits" in e.text
    assert "0.5 + 0.5 + 0.375 + 0.375" in e.text
    assert "log2 4 = 2 bits" in e.text
    e = explain_kl_divergence(P, Q)
    assert "= 0.125669 nats" in e.text
    assert "0.927488 - 0.801819" in e.text
    e = explain_kl_divergence(P, Q, base="bits")
    assert "= 0.181303 bits" in e.text
    e = explain_code(FOUR_BALLS, symbols="abcd")
    rows = {r[0]: r[2] for r in table_rows(e)}
    assert rows == {"a": "1", "b": "01", "c": "001", "d": "000"}
    assert "= 1.75 bits" in e.text and "L = H(P)" in e.text
    e = explain_code(FOUR_BALLS, [1 / 4] * 4)
    assert "= 2 bits" in e.text
    assert "KL(P || Q) = H(P, Q) - H(P) = 0.25 bits" in e.text


def test_code_explanation_lists_the_merges() -> None:
    e = explain_code([0.4, 0.3, 0.2, 0.1], base=3)
    assert "step 1: merge (dummy) (0) + 4 (0.1) + 3 (0.2) -> 0.3" in e.text
    assert "step 2: merge 2 (0.3) + {3,4} (0.3) + 1 (0.4) -> 1" in e.text
    assert "base-3 digits" in e.text
    certain = explain_code([1.0, 0.0])
    assert "L = H(P) + 1" in certain.text


def test_non_dyadic_model_is_said_so() -> None:
    e = explain_code(P, Q)
    assert "not 2-adic" in e.text
    assert "P's own Huffman code needs 1.3 bits" in e.text


def test_information_of_one_event_and_of_many() -> None:
    e = explain_information(0.125, base=2)
    assert e.value == 3.0
    assert "-log2 0.125" in e.text and "= 3 bits" in e.text
    e = explain_information([1.0, 0.5, 0.0], base=2)
    assert [r[-1] for r in table_rows(e)] == ["0", "1", "inf"]


def test_infinities_and_zeros() -> None:
    e = explain_cross_entropy([0.5, 0.5], [1.0, 0.0])
    assert e.value == math.inf
    assert "= inf nats" in e.text
    assert r"\infty" in e.latex
    assert "∞" in e.markdown
    e = explain_kl_divergence([1.0, 0.0], [0.5, 0.5])
    # A class with p = 0 contributes nothing: its log-ratio is not shown.
    assert table_rows(e)[1][3] == "-"
    assert e.value == xe.kl_divergence([1.0, 0.0], [0.5, 0.5])


# ---------------------------------------------------------------- formats


def _balanced(tex: str) -> bool:
    depth = 0
    for m in re.finditer(r"(?<!\\)[{}]", tex):
        depth += 1 if m.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize(
    "e",
    [
        explain_entropy(P, base=2),
        explain_cross_entropy(P, Q),
        explain_kl_divergence(P, Q),
        explain_information([0.5, 0.25]),
        explain_code(FOUR_BALLS, symbols=["x_1", "a&b", "{c}", "d%"]),
        explain_code(P, Q),
    ],
)
def test_three_formats(e: Explanation) -> None:
    assert str(e) == e.text == e.format("text")
    assert e.format("markdown") == e.markdown
    # Markdown: a pipe table with a header, an alignment row and one row per outcome.
    table = [ln for ln in e.markdown.splitlines() if ln.startswith("|")]
    assert table[1].startswith("|---:")
    assert len(table) == 2 + len(e.terms)
    assert e._repr_markdown_() == e.markdown
    # LaTeX: display maths, balanced braces, special characters escaped.
    assert e.latex.startswith("\\[") and e.latex.rstrip().endswith("\\]")
    assert _balanced(e.latex)
    assert e.latex.count(r"\begin{array}") == e.latex.count(r"\end{array}")
    assert e._repr_latex_().startswith("$$") and e._repr_latex_().endswith("$$")
    assert "a&b" not in e.latex and "d%" not in e.latex


def test_long_distributions_are_shortened() -> None:
    p = np.full(100, 0.01)
    e = explain_entropy(p, max_rows=5)
    assert "(95 more rows)" in e.text
    assert "(93 more terms)" in e.text
    assert len(e.terms) == 100
    assert e.value == xe.entropy(p)


def test_counts_are_normalised_when_asked() -> None:
    e = explain_entropy([3, 1], normalize=True, base=2)
    assert e.value == xe.entropy([0.75, 0.25], base=2)
    assert table_rows(e)[0][1] == "0.75"


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: explain_entropy([[0.5, 0.5]]), ValueError, "one distribution"),
        (lambda: explain_entropy([0.5, 0.6]), ValueError, "sum to 1"),
        (lambda: explain_cross_entropy([0.5, 0.5], [1.0]), ValueError, "same number"),
        (lambda: explain_kl_divergence([0.5, -0.5, 1.0], P), ValueError, "non-negative"),
        (lambda: explain_information(1.5), ValueError, r"\[0, 1\]"),
        (lambda: explain_entropy(P, symbols="ab"), ValueError, "3 outcomes"),
        (lambda: explain_entropy(P, max_rows=0), ValueError, "max_rows"),
        (lambda: explain_code(P, base=1), ValueError, "from 2 to 36"),
        (lambda: explain_entropy(P).format("html"), ValueError, "'text', 'markdown'"),
    ],
)
def test_bad_input(call: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]


def test_option_checks() -> None:
    # The shared checks of _validation: types are not coerced, ranges are named.
    for call, match in (
        (lambda: explain_entropy(P, digits=0), r"`digits` must be an integer from 1 to 17"),
        (lambda: explain_entropy(P, digits=2.0), r"`digits` must be .*got float 2.0"),
        (lambda: explain_entropy(P, max_rows=True), r"`max_rows` must be .*got bool"),
        (lambda: explain_entropy(P, normalize="yes"), r"`normalize` must be True or False"),
        (lambda: explain_code(P, digits=18), r"`digits` must be an integer from 1 to 17"),
    ):
        with pytest.raises(ValueError, match=match):
            call()
    assert "0.80 nats" not in explain_entropy(P, digits=17).text
    assert "= 0.8 nats" in explain_entropy(P, digits=1).text


# ---------------------------------------------------------------- infinities said in words


def test_infinite_kl_and_cross_entropy_are_said_in_words() -> None:
    e = explain_kl_divergence([0.5, 0.5], [1.0, 0.0])
    assert e.value == math.inf
    words = " ".join(e.text.split())
    assert "Q calls outcome 2 impossible, but P gives it 0.5." in words
    assert "so KL(P || Q) = inf" in words
    assert "Q calls outcome 2 impossible, but P gives it $0.5$" in e.markdown
    e = explain_cross_entropy([0.2, 0.3, 0.5], [0.0, 0.0, 1.0], symbols=["a", "b", "c"])
    words = " ".join(e.text.split())
    assert "Q calls outcomes a and b impossible, but P gives them 0.2 and 0.3." in words
    assert "so H(P, Q) = inf" in words
    # Finite values say nothing of the kind, and neither does a q = 0 where p = 0.
    for e in (
        explain_kl_divergence(P, Q),
        explain_kl_divergence([1.0, 0.0], [0.5, 0.5]),
        explain_cross_entropy([1.0, 0.0], [1.0, 0.0]),
    ):
        assert "impossible" not in e.text


def test_impossible_event_carries_infinite_information() -> None:
    e = explain_information([0.5, 0.0], base="bits")
    assert "-log2 0 = inf" in e.text
    assert "impossible" not in explain_information([0.5, 1.0]).text


# ---------------------------------------------------------------- xe.explain


def test_explain_dispatches_on_what_it_is_given() -> None:
    assert xe.explain(P).text == explain_entropy(P).text
    assert xe.explain(P, Q, base="bits").text == explain_cross_entropy(P, Q, base="bits").text
    assert xe.explain(0.125, base=2).text == explain_information(0.125, base=2).text
    assert xe.explain("kl", P, Q).text == explain_kl_divergence(P, Q).text
    assert xe.explain("KL_divergence", P, Q).text == explain_kl_divergence(P, Q).text
    assert (
        xe.explain("code", FOUR_BALLS, symbols="abcd").text
        == explain_code(FOUR_BALLS, symbols="abcd").text
    )
    assert xe.explain("information", [0.5, 0.25]).measure == "information"
    with pytest.raises(ValueError, match="one of the topics information, entropy"):
        xe.explain("entropie", P)
    with pytest.raises(TypeError, match="one distribution, or two"):
        xe.explain(P, Q, Q)


def test_topics_are_listed_in_the_order_of_the_line_of_thought() -> None:
    names = list(xe.explain.topics())
    assert names == [
        "information",
        "entropy",
        "cross-entropy",
        "kl",
        "code",
        "dice",
        "mse",
        "bce",
        "categorical",
        "softmax-gradient",
        "newton-step",
    ]
    assert all(xe.explain.topics().values())
    # Every topic runs with the arguments of its own example.
    from crossentropy.explain._topics import TOPICS, find_topic

    for t in TOPICS:
        e = eval(t.example, {"explain": xe.explain})  # our own literal
        # The measure names the topic ("kl-divergence" is the topic kl).
        assert isinstance(e, Explanation) and find_topic(e.measure) == t, t.name


def test_explain_is_the_callable_and_crossentropy_explain_the_package() -> None:
    import crossentropy.explain as ex_attr  # Python reads the attribute of crossentropy

    pkg = sys.modules["crossentropy.explain"]
    assert isinstance(pkg, types.ModuleType)
    assert importlib.import_module("crossentropy.explain") is pkg
    assert ex_attr is xe.explain is pkg.explain
    assert callable(xe.explain) and not isinstance(xe.explain, types.ModuleType)
    # The package's names answer on the callable too, as when it was the module.
    assert xe.explain.explain_entropy is pkg.explain_entropy is explain_entropy
    assert xe.explain.Explanation is Explanation
    assert {"topics", "explain_dice", "explain_newton_step"} <= set(dir(xe.explain))
    assert set(pkg.__all__) <= set(dir(pkg))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        xe.explain.nothing  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        pkg.nothing  # noqa: B018


@pytest.mark.parametrize(
    "first",
    [
        "import crossentropy.explain",
        "from crossentropy.explain import explain_entropy",
        "from crossentropy.explain import _measures",
        "import crossentropy.cli._explain",
    ],
)
def test_explain_stays_callable_whatever_is_imported_first(first: str) -> None:
    code = (
        f"{first}\nimport crossentropy as xe, crossentropy.explain as ex\n"
        "print(xe.explain([0.5, 0.5]).value, ex.explain_entropy([1.0]).value)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0.6931471805599453", "0.0"]


def test_import_crossentropy_loads_no_explainer() -> None:
    code = (
        "import sys, crossentropy as xe\n"
        "print(sorted(m for m in sys.modules if m.startswith('crossentropy.explain.')))\n"
        "xe.explain.explain_entropy\n"
        "print(sorted(m for m in sys.modules if m.startswith('crossentropy.explain.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = out.stdout.splitlines()
    assert before == "[]"
    assert "crossentropy.explain._measures" in after
