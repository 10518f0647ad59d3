"""The status matrix, parties and rights, and their command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import biopipe
from biopipe import (
    Agency,
    Asset,
    Designation,
    EventKind,
    FactDate,
    PartialDate,
    Party,
    PartyRole,
    RegulatoryEvent,
    RegulatoryState,
    Territory,
)
from biopipe.cli import main
from biopipe.query import MATRIX_FORMATS, has_party, rights_holders, select, sponsored_by, status_matrix
from biopipe.testing import strategies as bst

JS212 = biopipe.example("js212")
S = RegulatoryState

ORIGINATOR = attrs.evolve(JS212.parties[0], territory=Territory(countries=("CN", "HK", "MO")))
LICENSEE = Party(
    name="Acme Pharma",
    role=PartyRole.LICENSEE,
    territory=Territory(worldwide=True, excluding=("CN", "HK", "MO")),
    start=PartialDate(2026, 3),
    disclosed=PartialDate(2026, 3, 2),
)
PARTNERED = attrs.evolve(JS212, parties=(ORIGINATOR, LICENSEE))


def test_rights_holders_by_country_day_and_knowledge_day() -> None:
    """Territory, effective dates (uncertain while a partial start straddles the day) and known_on."""
    assert [p.name for p in rights_holders(PARTNERED, "US", "2026-04-01").holders] == ["Acme Pharma"]
    assert [p.name for p in rights_holders(PARTNERED, "CN", "2026-04-01").holders] == ["Junshi Biosciences"]
    march = rights_holders(PARTNERED, "US", "2026-03-15")
    assert (march.holders, march.possible, march.certain) == ((), (LICENSEE,), False)
    assert rights_holders(PARTNERED, "US", "2026-02-01").holders == ()
    assert rights_holders(PARTNERED, "DE", "2026-04-01").holders == (LICENSEE,)
    assert rights_holders(PARTNERED, "US", "2026-04-01", known_on="2026-03-01").holders == ()
    doc = json.loads(rights_holders(PARTNERED, "US", "2026-03-15").render("json"))
    assert (doc["format"], doc["certain"], doc["possible"][0]["name"]) == ("biopipe-rights", False, "Acme Pharma")
    assert "| Acme Pharma | licensee |" in rights_holders(PARTNERED, "US", "2026-04-01").render("markdown")


def test_has_party_and_sponsored_by_find_partners() -> None:
    """A partner finds the asset by name, with or without its role; the sponsor counts when no role is asked."""
    assert select([PARTNERED], has_party("acme pharma")) == (PARTNERED,)
    assert select([PARTNERED], has_party("Acme Pharma", "licensee")) == (PARTNERED,)
    assert select([PARTNERED], has_party("Acme Pharma", PartyRole.CO_DEVELOPER)) == ()
    assert select([PARTNERED], sponsored_by("ACME PHARMA")) == (PARTNERED,)
    assert select([JS212], has_party("Junshi Biosciences")) == (JS212,)
    assert select([JS212], has_party("Acme")) == ()
    with pytest.raises(biopipe.UnknownCode):
        has_party("Acme", "partner")


def test_matrix_rows_for_js212() -> None:
    """One row per indication x jurisdiction; each row is the narrowed state, designations and phase.

    The FDA IND and the trial say "advanced solid tumors", a synonym of the record's indication, so they
    count in its row; without the synonym they would make rows of their own.
    """
    matrix = status_matrix(JS212, "2025-12-31")
    assert [(r.indication, r.jurisdiction, r.state, r.phase) for r in matrix.rows] == [
        ("advanced malignant solid tumors", "CN", S.MAY_RUN_TRIALS, biopipe.Phase.PHASE1_2),
        ("advanced malignant solid tumors", "US", S.MAY_RUN_TRIALS, None),
    ]
    bare = attrs.evolve(JS212, indications=tuple(attrs.evolve(i, synonyms=()) for i in JS212.indications))
    assert [(r.indication, r.jurisdiction) for r in status_matrix(bare, "2025-12-31").rows] == [
        ("advanced malignant solid tumors", "CN"),
        ("advanced malignant solid tumors", "US"),
        ("advanced solid tumors", "CN"),
        ("advanced solid tumors", "US"),
    ]
    for row in matrix.rows:
        answer = biopipe.state_as_of(JS212, row.jurisdiction, "2025-12-31", indication=row.indication)
        assert (row.possible, row.certain) == (answer.possible, answer.certain)


def test_matrix_known_on_and_jurisdictions() -> None:
    """As of 30 November, known on that day: nothing; in valid time the US cell is uncertain."""
    # Known on 30 November, only the record's own indication is there (the facts naming others were not public).
    (row,) = status_matrix(JS212, "2025-11-30", known_on="2025-11-30", jurisdictions=["US"]).rows
    assert (row.state, row.certain) == (S.NOTHING_ON_RECORD, True)
    valid = status_matrix(JS212, "2025-11-30", jurisdictions=["us"])
    assert [r.certain for r in valid.rows] == [False]
    assert status_matrix(JS212, "2025-11-30", known_on="2025-11-30").rows == ()


def test_matrix_designations_column() -> None:
    """Designations in effect appear in their row and in the CSV."""
    btd = RegulatoryEvent(
        agency=Agency.NMPA,
        kind=EventKind.DESIGNATION_GRANTED,
        designation=Designation.BREAKTHROUGH_THERAPY,
        date=FactDate.parse("2025-06-02"),
        indication="advanced solid tumors",
    )
    asset = attrs.evolve(JS212, events=(*JS212.events, btd))
    matrix = status_matrix(asset, "2025-12-31", jurisdictions=["CN"])
    rows = list(csv.DictReader(io.StringIO(matrix.render("csv"))))
    assert [r["designations"] for r in rows] == [
        "NMPA breakthrough therapy (advanced solid tumors) since 2025-06-02",
    ]


@given(bst.portfolios(max_assets=2), bst.days(2020, 2030))
def test_matrix_csv_reads_back_row_for_row(portfolio: biopipe.Portfolio, day: dt.date) -> None:
    """The CSV is one header and one line per row, whatever the text in the record (the csv module quotes it)."""
    matrix = status_matrix(portfolio, day)
    rows = list(csv.reader(io.StringIO(matrix.to_csv())))
    assert rows[0][:3] == ["asset", "indication", "jurisdiction"]
    assert [tuple(r) for r in rows[1:]] == [r.cells() for r in matrix.rows]
    assert json.loads(matrix.render("json"))["format"] == "biopipe-matrix"
    assert len(matrix.render("markdown").splitlines()) == len(matrix.rows) + 2


def test_matrix_of_an_asset_without_indications() -> None:
    """No indication on record: one row per jurisdiction, about the whole asset."""
    asset = Asset(
        code="X1",
        sponsor="Acme",
        modality=biopipe.Modality.ADC,
        events=(RegulatoryEvent(agency=Agency.FDA, kind=EventKind.IND_CLEARED, date=FactDate.parse("2024-01-10")),),
    )
    (row,) = status_matrix(asset, "2025-01-01").rows
    assert (row.indication, row.jurisdiction, row.state) == (None, "US", S.MAY_RUN_TRIALS)
    assert "| X1 | - | US | may run trials | - | - |" in status_matrix(asset, "2025-01-01").render("markdown")


# -- command line ---------------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_matrix_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """text, markdown, json and csv print what the library renders; -o writes the file."""
    matrix = status_matrix(JS212, "2025-12-31")
    for fmt in MATRIX_FORMATS:
        code, out, _ = _run(capsys, "matrix", "--example", "js212", "--as-of", "2025-12-31", "--format", fmt)
        assert (code, out) == (0, matrix.render(fmt))
    out_file = tmp_path / "m.csv"
    assert main(["matrix", "--example", "js212", "--as-of", "2025-12-31", "--format", "csv", "-o", str(out_file)]) == 0
    assert out_file.read_text("utf-8") == matrix.to_csv()


def test_cli_matrix_known_on_and_jurisdiction(capsys: pytest.CaptureFixture[str]) -> None:
    """--known-on and repeated --jurisdiction narrow the matrix; bad days exit 2 naming the option."""
    argv = ["matrix", "--example", "js212", "--as-of", "2025-11-30", "--jurisdiction", "US", "--format", "csv"]
    code, out, _ = _run(capsys, *argv, "--known-on", "2025-11-30")
    assert code == 0
    assert out == status_matrix(JS212, "2025-11-30", known_on="2025-11-30", jurisdictions=["US"]).to_csv()
    code, _, err = _run(capsys, *argv, "--known-on", "2025-11")
    assert code == 2
    assert "--known-on" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            ["status", "--jurisdiction", "US", "--as-of", "2025-11-30"],
            "JS212 in US as of 2025-11-30 (known on 2025-11-30): nothing on record\n",
        ),
        (["phase"], "JS212: no started trial\n"),
        (["timeline"], "(no entries)\n"),
    ],
)
def test_cli_known_on_on_status_phase_timeline(
    capsys: pytest.CaptureFixture[str], command: list[str], expected: str
) -> None:
    """--known-on 2025-11-30: nothing about JS212 was public yet."""
    code, out, _ = _run(capsys, *command, "--example", "js212", "--known-on", "2025-11-30")
    assert (code, out) == (0, expected)
