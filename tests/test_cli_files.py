"""The command line's files: written whole or not at all, where the user said."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crossentropy.cli import main
from crossentropy.cli._files import figure_path, write_bytes


def test_a_failed_write_leaves_the_old_file_and_no_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "summary.json"
    target.write_text("old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]
    monkeypatch.undo()
    write_bytes(target, b"new")
    assert target.read_text() == "new" and len(list(tmp_path.iterdir())) == 1


def test_figure_paths_are_the_files_written(tmp_path: Path) -> None:
    assert figure_path(tmp_path, "challenger.png") == tmp_path / "challenger.png"
    assert figure_path(tmp_path / "fig", "x.png") == tmp_path / "fig.png"
    assert figure_path(tmp_path / "fig.svg", "x.png") == tmp_path / "fig.svg"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_an_error_not_a_success(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["challenger", "--out", "/dev/full"]) == 2
    captured = capsys.readouterr()
    assert "figure saved" not in captured.out
    assert captured.err.strip() == "xent challenger: error: /dev/full: No space left on device"


def test_out_a_folder_writes_inside_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["challenger", "--out", str(tmp_path)]) == 0
    assert f"figure saved to {tmp_path / 'challenger.png'}" in capsys.readouterr().out
    assert (tmp_path / "challenger.png").read_bytes()[:4] == b"\x89PNG"
    assert not tmp_path.with_name(tmp_path.name + ".png").exists()
    assert main(["plot", "binary-entropy", "--out", str(tmp_path / "coin")]) == 0
    assert f"wrote {tmp_path / 'coin.png'}" in capsys.readouterr().out
    assert (tmp_path / "coin.png").read_bytes()[:4] == b"\x89PNG"
