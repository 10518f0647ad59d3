"""``biopipe import ctgov --asset``: records become an asset's trials in a biopipe document; bad input is exit 2.

Registry trials (no --asset), folders, archives and the rest are in test_bulk_import.py.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

import biopipe
from biopipe import Modality
from biopipe.cli import main
from biopipe.interop.ctgov import from_ctgov
from biopipe.model import MISSING

if TYPE_CHECKING:
    from pathlib import Path


def record_path(refdata: Path, nct: str) -> Path:
    return refdata / "ctgov" / f"{nct}.json"


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def resolve(record: object, path: str) -> object:
    node = record
    for name, index in re.findall(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", path):
        if index:
            if not isinstance(node, list) or int(index) >= len(node):
                return MISSING
            node = node[int(index)]
        else:
            if not isinstance(node, dict) or name not in node:
                return MISSING
            node = node[name]
    return node


def test_new_asset_gets_the_trials(refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two records become the trials of a new asset whose sponsor is the first lead sponsor; stderr sums up."""
    files = [record_path(refdata, n) for n in ("NCT05288205", "NCT04956640")]
    out = tmp_path / "out.json"
    code = main(
        ["import", "ctgov", *map(str, files), "--asset", "JAB-21822", "--modality", "small_molecule", "-o", str(out)]
    )
    assert code == 0
    asset = biopipe.load(out)["JAB-21822"]
    assert asset.sponsor == "Allist Pharmaceuticals, Inc."
    assert asset.modality is Modality.SMALL_MOLECULE
    assert asset.trials == tuple(from_ctgov(read(f)).trial for f in files)
    err = capsys.readouterr().err
    assert err.startswith("read 2 records: 2 imported, 0 failed; unmapped: ")
    assert err.count("\n") == 1


def test_unmapped_report_as_json(refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--unmapped writes every entry with a path that resolves in its record; stderr has only the summary."""
    source = record_path(refdata, "NCT03475563")
    report_path = tmp_path / "unmapped.json"
    args = ["import", "ctgov", str(source), "--asset", "BIOSS", "--modality", "other", "--sponsor", "VHIR"]
    assert main([*args, "--unmapped", str(report_path)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("read 1 record: 1 imported, 0 failed; unmapped: ")
    assert captured.err.count("\n") == 1
    assert biopipe.loads(captured.out)["BIOSS"].sponsor == "VHIR"
    report = read(report_path)
    assert (report["format"], report["version"]) == ("biopipe-ctgov-import", 1)
    assert (report["read"], report["failed"]) == (1, 0)
    [entry] = report["records"]
    assert (entry["source"], entry["key"]) == (str(source), "NCT03475563")
    record = read(source)
    assert len(entry["unmapped"]) == len(from_ctgov(record).unmapped)
    for item in entry["unmapped"]:
        assert resolve(record, item["path"]) == item["value"]


def test_into_an_existing_document_adds_and_replaces(refdata: Path, tmp_path: Path) -> None:
    """--into attaches trials to the named asset; importing the same record again replaces, not duplicates."""
    doc = tmp_path / "js212.json"
    biopipe.dump(biopipe.example("js212"), doc)
    source = str(record_path(refdata, "NCT06385925"))
    assert main(["import", "ctgov", source, "--asset", "JS212", "--into", str(doc), "-o", str(doc)]) == 0
    assert main(["import", "ctgov", source, "--asset", "JS212", "--into", str(doc), "-o", str(doc)]) == 0
    asset = biopipe.load(doc)["JS212"]
    original = biopipe.example("js212")
    assert asset.trials[: len(original.trials)] == original.trials
    assert [t.key for t in asset.trials[len(original.trials) :]] == ["NCT06385925"]
    assert attrs_without_trials(asset) == attrs_without_trials(original)


def attrs_without_trials(asset: biopipe.Asset) -> tuple[object, ...]:
    return (asset.code, asset.sponsor, asset.modality, asset.targets, asset.events)


def test_search_response_file(refdata: Path, tmp_path: Path) -> None:
    """A file holding {"studies": [...]} imports every study."""
    studies = [read(record_path(refdata, n)) for n in ("NCT05438667", "NCT06898385")]
    search = tmp_path / "search.json"
    search.write_text(json.dumps({"studies": studies}), "utf-8")
    out = tmp_path / "out.json"
    assert main(["import", "ctgov", str(search), "--asset", "TCR", "--modality", "tcr_t", "-o", str(out)]) == 0
    assert [t.key for t in biopipe.load(out)["TCR"].trials] == ["NCT05438667", "NCT06898385"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "expected valid JSON"),
        ('{"studies": [1]}', "bad.json#studies[0]: got 1, expected a ClinicalTrials.gov study"),
        (
            '{"protocolSection": {"statusModule": {"overallStatus": "DONE"}}}',
            "protocolSection.statusModule.overallStatus",
        ),
        ("[]", "expected a ClinicalTrials.gov study (a JSON object with protocolSection)"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    """Bad JSON or a bad record: exit 2, the path in the message, no traceback, no output file."""
    bad = tmp_path / "bad.json"
    bad.write_text(content, "utf-8")
    out = tmp_path / "out.json"
    assert main(["import", "ctgov", str(bad), "--asset", "X", "--modality", "other", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_new_asset_needs_a_modality_and_asset_is_optional(
    refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --modality no asset can be made (exit 2); without --asset the trials are registry trials."""
    source = str(record_path(refdata, "NCT05288205"))
    assert main(["import", "ctgov", source, "--asset", "X"]) == 2
    assert "give a modality" in capsys.readouterr().err
    assert main(["import", "ctgov", source]) == 0
    printed = biopipe.loads(capsys.readouterr().out)
    assert [t.key for t in printed.trials] == ["NCT05288205"]
    assert printed.trials[0].sponsor is not None
    assert printed.trials[0].sponsor.name == "Allist Pharmaceuticals, Inc."
    assert main(["import", "ctgov", str(tmp_path / "missing.json"), "--asset", "X", "--modality", "other"]) == 2
    assert "Traceback" not in capsys.readouterr().err
