"""The command line: exit codes, messages, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import biopipe
from biopipe.cli import main


def test_show_summarises_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`biopipe show --example js212` prints the asset, its targets and events."""
    assert main(["show", "--example", "js212"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("JS212 - Junshi Biosciences")
    assert "ERBB3 (HER3)" in out
    assert "on or before 2025-12-14  FDA IND cleared" in out


def test_validate_accepts_a_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid file exits 0 and says so."""
    path = tmp_path / "ok.json"
    biopipe.dump(biopipe.example("js212"), path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: valid (1 asset)\n"


def test_validate_lists_every_problem_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid file exits 2 and lists each problem with its path, without a traceback."""
    doc = json.loads(biopipe.document.example_text("js212"))
    doc["assets"][0]["trials"][0]["phase"] = "phase7"
    doc["assets"][0]["events"][1]["date"] = "2025-04-31"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), "utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "invalid (2 problem(s))" in err
    assert "assets[0].trials[0].phase: got 'phase7'" in err
    assert "assets[0].events[1].date: got '2025-04-31'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("content", ["", "{", "[]", "null", '{"format": "biopipe"}', "\udc80"])
def test_validate_survives_garbage(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    """Truncated, empty or wrong-shaped files exit 2 with a message."""
    path = tmp_path / "garbage.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "invalid" in err
    assert "Traceback" not in err


def test_missing_file_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A missing file exits 2 with a message naming it."""
    missing = tmp_path / "missing.json"
    assert main(["validate", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


def test_no_input_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """No FILE and no --example exits 2."""
    assert main(["show"]) == 2
    assert "no input" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse usage errors exit 2 without a traceback."""
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_schema_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """`biopipe schema` prints biopipe.document.json_schema() as JSON."""
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == biopipe.document.json_schema()


def test_schema_writes_a_file(tmp_path: Path) -> None:
    """`biopipe schema -o FILE` writes the schema atomically."""
    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text("utf-8")) == biopipe.document.json_schema()


def test_python_dash_m_runs_the_cli() -> None:
    """`python -m biopipe` is the same CLI, with exit codes passed through."""
    ok = subprocess.run(
        [sys.executable, "-m", "biopipe", "validate", "--example", "js212"], capture_output=True, text=True
    )
    assert (ok.returncode, ok.stdout) == (0, "js212: valid (1 asset)\n")
    bad = subprocess.run(
        [sys.executable, "-m", "biopipe", "validate", "/nonexistent.json"], capture_output=True, text=True
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_a_bad_file_among_several_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With several inputs, the error says which file is broken."""
    good = tmp_path / "good.json"
    good.write_text(biopipe.dumps(biopipe.example("js212")), "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "biopipe", "version": 1, "assets": [{"code": 1}]}', "utf-8")
    assert main(["timeline", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"problem(s) in {bad}:" in err
    assert "assets[0].code" in err
    assert "Traceback" not in err
