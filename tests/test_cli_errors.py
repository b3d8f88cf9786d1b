"""The `xent` error net: what the user can mend is one line on stderr and exit status 2;
a bug keeps its traceback."""

from __future__ import annotations

import argparse
import errno

import pytest

from crossentropy import cli


def _parser_raising(exc: BaseException) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xent")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("boom")

    def handler(args: argparse.Namespace) -> int:
        raise exc

    p.set_defaults(handler=handler)
    return parser


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ValueError("`p` must be non-negative;\n got -0.2"), "`p` must be non-negative; got -0.2"),
        (
            PermissionError(errno.EACCES, "Permission denied", "/ro/model.npz"),
            "/ro/model.npz: Permission denied",
        ),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "out"), "out: Is a directory"),
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (FileExistsError(errno.EEXIST, "File exists", "x"), "x: File exists"),
        (MemoryError(), "not enough memory"),
        (
            MemoryError("Unable to allocate 7.7 GiB"),
            "not enough memory: Unable to allocate 7.7 GiB",
        ),
        (
            OverflowError("int too large to convert to float"),
            "a number is too large: int too large to convert to float",
        ),
    ],
)
def test_user_errors_are_one_line_with_status_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exc: BaseException,
    expected: str,
) -> None:
    monkeypatch.setattr(cli, "build_parser", lambda: _parser_raising(exc))
    assert cli.main(["boom"]) == 2
    err = capsys.readouterr().err
    assert err == f"xent boom: error: {expected}\n"


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "build_parser", lambda: _parser_raising(KeyError("bug")))
    with pytest.raises(KeyError, match="bug"):
        cli.main(["boom"])


def test_interrupt_is_status_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "build_parser", lambda: _parser_raising(KeyboardInterrupt()))
    assert cli.main(["boom"]) == 130
    assert capsys.readouterr().err == "xent boom: interrupted\n"
