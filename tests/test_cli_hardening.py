"""The CLI on hostile input and failing output: exit 2, a message, no traceback, no partial file."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import biopipe
from biopipe.cli import main

HOSTILE: dict[str, str | bytes] = {
    "deep": '{"format": "biopipe", "version": 1, "assets": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "deep-field": '{"format": "biopipe", "version": 1, "assets": [{"code": ' + "[" * 500 + "]" * 500 + "}]}",
    "huge-string": '{"format": "biopipe", "version": 1, "assets": [{"code": "'
    + "x" * (biopipe.document.MAX_STRING + 1)
    + '"}]}',
    "binary": b"\x00\xff\xfe{\x80",
    "nan": '{"format": "biopipe", "version": NaN, "assets": []}',
    "big-int": '{"format": "biopipe", "version": 1' + "0" * 5000 + ', "assets": []}',
    "lone-surrogate": '{"format": "biopipe", "version": 1, "assets": [{"code": "\\ud800"}]}',
}
COMMANDS = [["show"], ["validate"], ["export", "fhir"]]


def _file(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "input.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], name: str
) -> None:
    """Deep nesting, huge strings, bytes that are not UTF-8, NaN, huge numbers: exit 2 and a short message."""
    path = _file(tmp_path, HOSTILE[name])
    assert main([*command, str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "invalid" in captured.err or "error" in captured.err
    assert len(captured.err) < 5_000
    assert captured.out == ""


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_directory_or_missing_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """A folder or a missing path where a file is expected exits 2."""
    for path in (tmp_path, tmp_path / "missing.json"):
        assert main([*command, str(path)]) == 2
        assert "Traceback" not in capsys.readouterr().err


def test_deep_file_through_the_real_entry_point(tmp_path: Path) -> None:
    """`python -m biopipe validate` on a 100 000-deep document: exit 2, no traceback on stderr."""
    path = _file(tmp_path, HOSTILE["deep"])
    result = subprocess.run(
        [sys.executable, "-m", "biopipe", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "nested" in result.stderr or "valid JSON" in result.stderr


# -- output that fails while being written ---------------------------------------------------------

WRITERS = [
    ["export", "fhir", "--example", "js212", "-o"],
    ["schema", "-o"],
]


def _fail_fsync(fd: int) -> None:
    raise OSError(errno.EIO, "Input/output error (simulated)")


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_failure_mid_write_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """An I/O error after the data is written but before it is on disk: exit 2, no output, no temp file."""
    monkeypatch.setattr(os, "fsync", _fail_fsync)
    target = tmp_path / "out.json"
    assert main([*command, str(target)]) == 2
    err = capsys.readouterr().err
    assert "Input/output error" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_failure_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """A failed write never replaces what was there: the old file is intact and alone."""
    target = tmp_path / "out.json"
    target.write_text("old", "utf-8")
    monkeypatch.setattr(os, "fsync", _fail_fsync)
    assert main([*command, str(target)]) == 2
    assert target.read_text("utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_interrupt_mid_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the file is being written: exit 130 and no file, not even the temporary one."""

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    assert main(["schema", "-o", str(tmp_path / "out.json")]) == 130
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_output_into_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """An output path in a folder that does not exist: exit 2, a message, nothing created."""
    target = tmp_path / "no" / "such" / "out.json"
    assert main([*command, str(target)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_output_onto_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output path that is a folder: exit 2, the folder untouched, no temp file left."""
    (tmp_path / "out.json").mkdir()
    assert main(["schema", "-o", str(tmp_path / "out.json")]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert list((tmp_path / "out.json").iterdir()) == []


def test_dump_failure_mid_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """biopipe.dump behind the CLI: an error mid-write propagates and leaves nothing behind."""
    monkeypatch.setattr(os, "fsync", _fail_fsync)
    with pytest.raises(OSError, match="simulated"):
        biopipe.dump(biopipe.example("js212"), tmp_path / "js212.json")
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    """Atomic writes do not leave the temporary file's owner-only mode on the result."""
    old = os.umask(0o022)
    try:
        out = tmp_path / "js212.json"
        biopipe.dump(biopipe.example("js212"), out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)
        biopipe.dump(biopipe.example("js212"), out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)
