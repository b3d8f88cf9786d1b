"""Tests of `xent explain TOPIC` (cli/_explain.py) and of where `xent --help` points."""

from __future__ import annotations

import pytest

import crossentropy as xe
from crossentropy.cli import main
from crossentropy.explain import (
    Explanation,
    explain_categorical_cross_entropy,
    explain_code,
    explain_dice,
    explain_information,
    explain_kl_divergence,
    explain_newton_step,
    explain_softmax_gradient,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_every_topic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "--list")
    assert (code, err) == (0, "")
    for name, summary in xe.explain.topics().items():
        assert f"  {name}" in out and summary in out
    # Without a topic: the same list, and the status of a usage error.
    code, out2, _ = run(capsys, "explain")
    assert (code, out2) == (2, out)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("kl", "0.5", "0.5", "--q", "1", "0"), explain_kl_divergence([0.5, 0.5], [1.0, 0.0])),
        (("information", "1/8", "--unit", "bits"), explain_information(0.125, base="bits")),
        (
            ("code", "1/2", "1/4", "1/8", "1/8", "--symbols", "a", "b", "c", "d"),
            explain_code([0.5, 0.25, 0.125, 0.125], symbols="abcd"),
        ),
        (("dice", "--reds", "10", "--throws", "20"), explain_dice(10, 20)),
        (
            ("softmax-gradient", "-1", "2", "3", "--label", "2"),
            explain_softmax_gradient([-1.0, 2.0, 3.0], 2),
        ),
        (
            ("categorical", "--y", "0", "2", "--p", "0.7", "0.2", "0.1", "--p", "0.1,0.3,0.6"),
            explain_categorical_cross_entropy([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]),
        ),
        (
            ("newton-step", "--x", "1", "2", "3", "4", "5", "--y", "0", "0", "1", "0", "1"),
            explain_newton_step([1.0, 2, 3, 4, 5], [0.0, 0, 1, 0, 1]),
        ),
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else "",
)
def test_topic_prints_the_library_explanation(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], expected: Explanation
) -> None:
    code, out, err = run(capsys, "explain", *argv)
    assert (code, err) == (0, "")
    assert out == expected.text + "\n"


def test_formats_and_digits(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("bce", "--y", "1", "0", "--logits", "2", "-1", "--format", "latex")
    out = run(capsys, "explain", *argv)[1]
    assert out.startswith("\\[") and r"\textbf{Bernoulli outcome" in out
    md = run(
        capsys, "explain", "mse", "--y", "1", "2", "--pred", "1.5", "2", "--format", "markdown"
    )[1]
    assert md.startswith("**Gaussian noise -> mean squared error**")
    out = run(capsys, "explain", "entropy", "0.7", "0.2", "0.1", "--digits", "3")[1]
    assert "     = 0.802 nats" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("entropy", "0.5", "0.6"), "`p` must sum to 1"),
        (("kl", "0.5", "0.5", "--q", "1"), "same number of outcomes"),
        (("dice", "--digits", "0"), "`digits` must be an integer from 1 to 17; got 0"),
        (("softmax-gradient", "1", "2", "--label", "5"), "`label` must be an integer from 0 to 1"),
        (("newton-step", "--x", "1", "2"), "given together"),
        (("mse", "--y", "1", "x", "--pred", "1"), "--y must be numbers"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, "explain", *argv)
    assert (code, out) == (2, "")
    assert err.startswith("xent explain: error: ") and message in err
    assert err.count("\n") == 1


def test_missing_arguments_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    # No example data stands in for numbers that were not given.
    for argv in (("mse", "--y", "1"), ("kl", "0.5", "0.5"), ("softmax-gradient", "1", "2")):
        with pytest.raises(SystemExit) as exc:
            main(["explain", *argv])
        assert exc.value.code == 2
        assert "required" in capsys.readouterr().err


def test_help_points_to_explain_and_the_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "explain worked derivations" in out
    assert "xent explain --list" in out
    assert "--explain" in out and "--format text, markdown or latex" in out
    assert "documentation" in out and "docs/" in out
    with pytest.raises(SystemExit):
        main(["explain", "newton-step", "--help"])
    out = capsys.readouterr().out
    assert "--theta" in out and "xent explain newton-step" in out
