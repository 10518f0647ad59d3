"""``biopipe export fhir``: the Bundle streamed asset by asset, to a file or stdout, or Bulk Data NDJSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import biopipe
from biopipe.cli import main
from biopipe.document import json_text
from biopipe.interop.fhir import NDJSON_TYPES, to_bundle


def test_stdout_and_file_hold_exactly_the_bundle(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """The streamed Bundle is byte for byte what json_text(to_bundle(...)) writes, on stdout and in a file."""
    expected = json_text(to_bundle(biopipe.example("js212"))).encode("utf-8")
    assert main(["export", "fhir", "--example", "js212"]) == 0
    assert capsysbinary.readouterr().out == expected
    out = tmp_path / "bundle.json"
    assert main(["export", "fhir", "--example", "js212", "-o", str(out)]) == 0
    assert out.read_bytes() == expected


def test_ndjson_writes_one_file_per_resource_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--ndjson DIR writes one file per type, one resource per line, each of that type."""
    folder = tmp_path / "bulk"
    assert main(["export", "fhir", "--example", "js212", "--ndjson", str(folder)]) == 0
    assert "NDJSON files" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.ndjson" for t in NDJSON_TYPES)
    for path in folder.iterdir():
        kinds = {json.loads(line)["resourceType"] for line in path.read_text("utf-8").splitlines()}
        assert kinds <= {path.stem}


def test_output_and_ndjson_are_exclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Asking for both is a usage error (exit 2), and nothing is written."""
    out = tmp_path / "b.json"
    assert main(["export", "fhir", "--example", "js212", "-o", str(out), "--ndjson", str(tmp_path / "d")]) == 2
    assert "not allowed with" in capsys.readouterr().err
    assert not out.exists()
