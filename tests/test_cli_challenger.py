"""Tests of ``xent challenger``."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossentropy.cli import main


def test_prints_the_summary_and_the_31f_prediction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "fig" / "challenger.png"
    assert main(["challenger", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "any O-ring distress ~ temperature" in text
    assert "15.0429" in text and "-0.2322" in text and "7.3786" in text
    # P = 0.99961 with the statsmodels interval 0.481609 to 0.99999986.
    assert "at 31 °F) = 0.99961, 95% interval 0.4816 to 1 - 1.4e-07" in text
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"figure saved to {out}" in text


def test_binomial_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["challenger", "--binomial", "--no-plot", "--at", "60", "--level", "0.9"]) == 0
    text = capsys.readouterr().out
    assert "5.0850" in text and "[0.05" in text and "at 60 °F)" in text
    assert "extrapolation" not in text  # 60 F is inside the data
    assert "figure saved" not in text


def test_bad_level_is_one_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["challenger", "--level", "2", "--no-plot"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--level" in err
