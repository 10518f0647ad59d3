"""The export subcommands: FHIR Bundle JSON and Parquet tables."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import biopipe
from biopipe.cli import main
from biopipe.interop.arrow import TABLES, read_parquet
from biopipe.interop.fhir import to_bundle

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def test_export_fhir_writes_the_bundle(tmp_path: Path) -> None:
    """`biopipe export fhir FILE -o OUT` writes the asset's Bundle as JSON."""
    source = tmp_path / "js212.json"
    biopipe.dump(biopipe.example("js212"), source)
    out = tmp_path / "bundle.json"
    assert main(["export", "fhir", str(source), "-o", str(out)]) == 0
    assert json.loads(out.read_text("utf-8")) == to_bundle(biopipe.example("js212"))


def test_export_fhir_prints_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """Without -o the Bundle goes to stdout."""
    assert main(["export", "fhir", "--example", "js212"]) == 0
    assert json.loads(capsys.readouterr().out)["resourceType"] == "Bundle"


def test_export_parquet_writes_every_table(tmp_path: Path) -> None:
    """`biopipe export parquet FILE -o DIR` writes one file per table, which read back equal."""
    assert main(["export", "parquet", "--example", "js212", "-o", str(tmp_path / "tables")]) == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    assert read_parquet(tmp_path / "tables")["JS212"] == biopipe.example("js212")


def test_export_bad_input_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid document is exit 2 with a message, no traceback; parquet without -o is a usage error."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "biopipe", "version": 1, "assets": [{"code": 1}]}', "utf-8")
    assert main(["export", "fhir", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["export", "parquet", "--example", "js212"]) == 2
