"""Reading format version 1 and writing it as version 2: `biopipe.document.migrate` and ``biopipe migrate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import biopipe
from biopipe.cli import main
from biopipe.document import FORMAT_VERSION, from_document, migrate

V1 = Path(__file__).parent / "data" / "js212-v1.json"


def test_migrate_keeps_every_value_and_writes_the_current_version() -> None:
    """The JS212 record as 0.1 wrote it: version 2 out, the same portfolio, nothing inferred."""
    old = json.loads(V1.read_text("utf-8"))
    new = migrate(old)
    assert (old["version"], new["version"]) == (1, FORMAT_VERSION)
    assert from_document(new) == from_document(old)
    assert new["assets"] == old["assets"]
    assert migrate(new) == new


def test_cli_migrate_writes_version_2_atomically(tmp_path: Path) -> None:
    out = tmp_path / "js212.json"
    assert main(["migrate", str(V1), "-o", str(out)]) == 0
    written = json.loads(out.read_text("utf-8"))
    assert written["version"] == FORMAT_VERSION
    assert biopipe.load(out) == biopipe.load(V1)
    assert [p.name for p in tmp_path.iterdir()] == ["js212.json"]


def test_cli_migrate_refuses_to_overwrite_its_input_and_reports_bad_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "v1.json"
    copy.write_text(V1.read_text("utf-8"), "utf-8")
    assert main(["migrate", str(copy), "-o", str(copy)]) == 2
    assert "would be overwritten" in capsys.readouterr().err
    assert json.loads(copy.read_text("utf-8"))["version"] == 1
    bad = json.loads(V1.read_text("utf-8"))
    # Version 1 allowed any agency for a designation; version 2 refuses PRIME from the FDA, naming the event.
    bad["assets"][0]["events"].append(
        {"agency": "fda", "kind": "designation_granted", "designation": "prime", "date": "2025-06"}
    )
    copy.write_text(json.dumps(bad), "utf-8")
    assert main(["migrate", str(copy), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert "assets[0].events[4].designation" in err
    assert "a designation the FDA grants" in err
    assert not (tmp_path / "out.json").exists()
