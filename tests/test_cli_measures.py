"""Tests of the `xent` measure commands and `xent plot` (cli/_measures.py, cli/_plot.py)."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

import crossentropy as xe
from crossentropy.cli import main
from crossentropy.coding import decode, huffman_code

# The covid / diabetes / heart example of MISSION.md as --p and --q arguments.
PQ = ("--p", "0.7", "0.2", "0.1", "--q", "0.5", "0.2", "0.3")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


# ---------------------------------------------------------------- MISSION.md's numbers


def test_entropy_of_the_four_balls(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "entropy", "0.5", "0.25", "0.125", "0.125", "--unit", "bits")
    assert (code, out, err) == (0, "H(P) = 1.75 bits\n", "")


def test_fair_coin_in_nats_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "entropy", "1/2", "1/2")[1] == "H(P) = 0.693147 nats\n"


def test_kl_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kl", *PQ)
    assert (code, out) == (0, "KL(P || Q) = 0.125669 nats\n")
    data = run_json(capsys, "kl", *PQ, "--unit", "bits")
    assert data["value"] == xe.kl_divergence([0.7, 0.2, 0.1], [0.5, 0.2, 0.3], base=2)
    assert data["unit"] == "bits" and data["measure"] == "kl-divergence"
    assert data["p"] == [0.7, 0.2, 0.1] and data["q"] == [0.5, 0.2, 0.3]


def test_cross_entropy_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "cross-entropy", "--p", "0.7,0.2,0.1", "--q", "0.5,0.2,0.3")[1]
    assert out == "H(P, Q) = 0.927488 nats\n"
    data = run_json(
        capsys,
        "cross-entropy",
        "--p",
        "1/2",
        "1/4",
        "1/8",
        "1/8",
        "--q",
        "1/4",
        "1/4",
        "1/4",
        "1/4",
        "--unit",
        "bits",
    )
    assert data["value"] == 2.0


def test_counts(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "entropy", "--counts", "3", "1", "1", "--unit", "bits")
    assert data["value"] == xe.entropy([3, 1, 1], normalize=True, base=2)
    data = run_json(capsys, "kl", "--counts", "--p", "7", "2", "1", "--q", "5", "2", "3")
    assert data["value"] == xe.kl_divergence([0.7, 0.2, 0.1], [0.5, 0.2, 0.3])


def test_units(capsys: pytest.CaptureFixture[str]) -> None:
    for unit, base in (("bits", 2), ("nats", None), ("bans", 10)):
        data = run_json(capsys, "entropy", "0.7", "0.2", "0.1", "--unit", unit)
        assert data["value"] == xe.entropy([0.7, 0.2, 0.1], base=base)


def test_information(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "information", "0.5", "--unit", "bits")[1] == "I = -log p = 1 bit\n"
    data = run_json(capsys, "information", "1", "0.5", "0.125", "0", "--unit", "bits")
    assert data["value"] == [0.0, 1.0, 3.0, "inf"]


def test_code_of_the_four_balls(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "code", "1/2", "1/4", "1/8", "1/8", "--symbols", "a", "b", "c", "d")
    assert code == 0
    rows = {ln.split()[0]: ln.split()[2] for ln in out.splitlines()[1:5]}
    assert rows == {"a": "1", "b": "01", "c": "001", "d": "000"}
    assert "L = 1.75 bits per symbol; entropy H(P) = 1.75 bits" in out
    data = run_json(capsys, "code", "1/2", "1/4", "1/8", "1/8", "--q", "1/4", "1/4", "1/4", "1/4")
    assert data["expected_length"] == 2.0
    assert data["kl_divergence"] == pytest.approx(0.25, rel=4e-16)
    assert data["dyadic"] is True
    assert data["kraft_sum"] == 1.0


def test_code_of_a_text_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "code", "--text", "abracadabra")
    code = huffman_code([5, 2, 2, 1, 1], symbols="abrcd", normalize=True)
    assert data["codewords"] == dict(code)
    assert "".join(decode(data["encoded"], data["codewords"])) == "abracadabra"
    assert data["bits_per_symbol"] == len(data["encoded"]) / 11
    out = run(capsys, "code", "--text", "abracadabra")[1]
    assert "23 digits for 11 symbols" in out


def test_code_in_base_three(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "code", "0.4", "0.3", "0.2", "0.1", "--base", "3")
    assert data["unit"] == "base-3 digits"
    assert sorted(data["lengths"]) == [1, 1, 2, 2]


# ---------------------------------------------------------------- explanations


def test_explain_text_markdown_latex(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "entropy", "0.5", "0.25", "0.125", "0.125", "--unit", "bits", "--explain")[1]
    assert out.startswith("Entropy: H(P) = -sum_c p_c log2 p_c")
    assert "= 1.75 bits" in out
    md = run(capsys, "kl", *PQ, "--explain", "--format", "markdown")[1]
    assert md.startswith("**KL divergence**") and "|---:|" in md
    tex = run(capsys, "cross-entropy", *PQ, "--explain", "--format", "latex")[1]
    assert tex.startswith("\\[") and "0.927488" in tex
    data = run_json(capsys, "code", "0.5", "0.5", "--explain")
    assert data["explanation"].startswith("Huffman code (base 2)")
    out = run(capsys, "information", "1/6", "--explain", "--unit", "bits")[1]
    assert "-log2 0.166667" in out


def test_explanations_follow_counts_and_digits(capsys: pytest.CaptureFixture[str]) -> None:
    # --counts scales Q as well as P in the explanation of a code built for Q.
    code, out, err = run(
        capsys, "code", "--counts", "7", "2", "1", "--q", "5", "2", "3", "--explain"
    )
    assert code == 0, err
    assert "KL(P || Q) = H(P, Q) - H(P) = 0.181303 bits" in out
    # --digits applies to an explanation inside JSON as it does to one printed.
    data = run_json(capsys, "entropy", "0.7", "0.2", "0.1", "--explain", "--digits", "3")
    assert "     = 0.802 nats" in data["explanation"]


# ---------------------------------------------------------------- files and standard input


def test_column_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "d.csv"
    f.write_text("# four balls\nname,p,q\na,0.5,0.25\nb,0.25,0.25\nc,0.125,0.25\nd,0.125,0.25\n")
    # A column of names is fine as long as it is not the one used.
    assert (
        run_json(capsys, "entropy", "--file", str(f), "--column", "p", "--unit", "bits")["value"]
        == 1.75
    )
    assert run_json(capsys, "entropy", "--file", str(f), "--column", "3")["value"] == math.log(4)
    code, _, err = run(capsys, "entropy", "--file", str(f), "--column", "name")
    assert code == 2 and "line 3, column name: 'a' is not a number" in err
    code, _, err = run(capsys, "entropy", "--file", str(f), "--column", "r")
    assert code == 2 and "no column 'r' (its columns: name, p, q" in err
    f.write_text("p,q\n0.5,0.25\n0.25,0.25\n0.125,0.25\n0.125,0.25\n")
    # Two columns are P and Q for the two-distribution commands.
    assert run_json(capsys, "kl", "--file", str(f), "--unit", "bits")["value"] == pytest.approx(
        0.25, rel=4e-16
    )
    assert run_json(
        capsys,
        "cross-entropy",
        "--file",
        str(f),
        "--p-column",
        "q",
        "--q-column",
        "p",
        "--unit",
        "bits",
    )["value"] == pytest.approx(2.25, rel=4e-16)


def test_rows_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "rows.tsv"
    f.write_text("0.5\t0.5\n0.9\t0.1\n1\t0\n")
    data = run_json(capsys, "entropy", "--file", str(f), "--rows", "--unit", "bits")
    assert data["value"] == [1.0, xe.binary_entropy(0.9, base=2), 0.0]
    out = run(capsys, "entropy", "--file", str(f), "--rows", "--unit", "bits")[1]
    assert out.splitlines()[0] == "row  H(P) [bits]"
    assert len(out.splitlines()) == 4
    code, _, err = run(capsys, "entropy", "--file", str(f))
    assert code == 2 and "--column" in err and "--rows" in err


def test_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("p\n0.5\n0.5\n"))
    assert run(capsys, "entropy", "--file", "-", "--unit", "bits")[1] == "H(P) = 1 bit\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO("0.7 0.2 0.1\n0.5 0.2 0.3\n"))
    out = run(capsys, "kl", "--file", "-")[1]
    assert out == "KL(P || Q) = 0.125669 nats\n"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (
            ["entropy", "0.5", "-0.2", "0.7"],
            "`p` must be non-negative; got -0.2 at index 1 (the 2nd value)",
        ),
        (["entropy", "0.5", "0.6"], "sum to 1"),
        (["kl", "--p", "0.5", "0.6", "--q", "0.5", "0.5"], "1.1. Pass --counts to scale counts"),
        (["entropy", "0.5", "abc"], "got 'abc'"),
        (["entropy"], "no numbers given"),
        (["entropy", "0.5", "nan", "0.5"], "finite"),
        (["kl", "--p", "0.5", "0.5"], "Q (--q) is missing"),
        (["kl", "0.7", "0.2", "0.1", "0.5", "0.2", "0.3"], "put Q after --q: `0.7 0.2 0.1 --q"),
        (["kl", "0.5", "0.5", "--p", "0.5", "0.5", "--q", "1", "0"], "give P once"),
        (
            ["kl", "--p", "0.5", "0.5", "--q", "1/3", "1/3", "1/3"],
            "--p has 2 numbers and --q has 3",
        ),
        (["cross-entropy", "--p", "1", "0", "--q", "0.5", "x"], "got 'x'"),
        (["information", "1.5"], "[0, 1]"),
        (["code", "0.5", "0.5", "--base", "1"], "from 2 to 36"),
        (["code", "0.5", "0.5", "--symbols", "a"], "2 outcomes"),
        (["code", "--text", ""], "--text is empty"),
        (["entropy", "--file", "/no/such/file.csv"], "no such file"),
        (["entropy", "0.5", "0.5", "--file", "x.csv"], "one way only"),
        (["entropy", "0.5", "0.5", "--digits", "0"], "--digits must be from 1 to 17"),
        (["plot"], "name a figure"),
        (["plot", "no-such-figure"], "no figure named 'no-such-figure'"),
        (["plot", "binary-entropy", "--set", "colour=red"], "no option 'colour'"),
    ],
)
def test_bad_input_is_one_line_with_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"xent {argv[0]}: error: ")
    assert needle in err
    assert "Traceback" not in err


def test_rows_not_summing_to_one_name_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "rows.csv"
    f.write_text("0.5,0.5\n0.5,0.6\n")
    code, _, err = run(capsys, "entropy", "--file", str(f), "--rows")
    assert code == 2 and "row 2 of" in err and "--counts" in err and err.count("\n") == 1


def test_bad_cells_in_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("p\n0.5\nhalf\n")
    code, _, err = run(capsys, "entropy", "--file", str(f))
    assert code == 2 and "line 3, column p: 'half' is not a number" in err
    f.write_text("0.5,0.5\n0.5\n")
    code, _, err = run(capsys, "entropy", "--file", str(f), "--rows")
    assert code == 2 and "line 2: expected 2 values, got 1" in err


def test_subprocess_exit_status_and_one_line_stderr() -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    proc = subprocess.run(
        [sys.executable, "-m", "crossentropy.cli", "entropy", "0.5", "-0.2", "0.7"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0
    assert "non-negative" in proc.stderr and "Traceback" not in proc.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "crossentropy.cli", "kl", *PQ, "--unit", "bits"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (ok.returncode, ok.stdout) == (0, "KL(P || Q) = 0.181303 bits\n")


# ---------------------------------------------------------------- help


@pytest.mark.parametrize(
    "command", ["entropy", "cross-entropy", "kl", "information", "code", "plot"]
)
def test_help_has_examples(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"xent {command}" in out


# ---------------------------------------------------------------- xent plot


def test_plot_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plot", "--list")
    assert code == 0
    names = [ln.split()[0] for ln in out.splitlines()]
    from crossentropy.plotting import FIGURES

    # Every registered figure is listed once, in registry order, the measures' first.
    assert names == list(FIGURES)
    assert names[:5] == [
        "binary-entropy",
        "entropy-peaked",
        "dice-likelihood",
        "huffman-tree",
        "kl-asymmetry",
    ]


def test_plot_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "tree.png"
    code, text, _ = run(
        capsys,
        "plot",
        "huffman-tree",
        "--out",
        str(out),
        "--dpi",
        "50",
        "--set",
        "p=0.4,0.3,0.2,0.1",
        "--set",
        "symbols=w,x,y,z",
    )
    assert code == 0 and text == f"wrote {out}\n"
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000


def test_plot_options_are_parsed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "counts.png"
    argv = [
        "plot",
        "huffman-tree",
        "--set",
        "p=45,13,12,16,9,5",
        "--set",
        "normalize=true",
        "--set",
        "base=3",
        "--out",
        str(out),
        "--dpi",
        "40",
    ]
    assert run(capsys, *argv)[0] == 0 and out.stat().st_size > 2000
    code, _, err = run(capsys, "plot", "huffman-tree", "--set", "p=45,13,12,16,9,5")
    assert code == 2 and "sum to 1" in err
    assert "Pass --set normalize=true" in err and "normalize=True" not in err


def test_plot_default_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "plot", "dice-likelihood", "--dpi", "40")[0] == 0
    assert (tmp_path / "xent-out" / "dice-likelihood.png").stat().st_size > 2000


def test_a_reader_that_closes_the_pipe_early_gets_no_traceback() -> None:
    # `xent code ... | head -1`: the reader goes away while xent still writes rows.
    counts = [str(i) for i in range(1, 3001)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossentropy.cli", "code", "--counts", *counts],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    code = proc.wait(timeout=60)
    assert first.startswith(b"symbol")
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert code == 141


@pytest.mark.parametrize("dpi", ["0", "-5", "100000"])
def test_plot_dpi_is_bounded_before_drawing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dpi: str
) -> None:
    out = tmp_path / "x.png"
    code, _, err = run(capsys, "plot", "dice-likelihood", "--dpi", dpi, "--out", str(out))
    assert code == 2 and f"--dpi must be from 1 to 2400; got {dpi}" in err
    assert not out.exists()


SYNONYMS = [
    ("bit", "1 bit"),
    ("log2", "1 bit"),
    ("nat", "0.693147 nats"),
    ("ln", "0.693147 nats"),
    ("Hartley", "0.30103 bans"),
    ("dit", "0.30103 bans"),
]


@pytest.mark.parametrize(("unit", "value"), SYNONYMS)
def test_unit_synonyms(unit: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entropy", "0.5", "0.5", "--unit", unit]) == 0
    assert capsys.readouterr().out.strip() == f"H(P) = {value}"
    with pytest.raises(SystemExit):
        main(["entropy", "0.5", "0.5", "--unit", "furlong"])
    assert "unknown unit 'furlong'" in capsys.readouterr().err


def test_p_after_the_command_and_q_after_its_option(capsys: pytest.CaptureFixture[str]) -> None:
    for cmd in ("kl", "cross-entropy"):
        assert main([cmd, "0.7", "0.2", "0.1", "--q", "0.5", "0.2", "0.3"]) == 0
        positional = capsys.readouterr().out
        assert main([cmd, "--p", "0.7", "0.2", "0.1", "--q", "0.5", "0.2", "0.3"]) == 0
        assert capsys.readouterr().out == positional
