"""`biopipe check`, `biopipe diff` and `biopipe clocks`: output, exit codes, and never a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import attrs
import pytest

import biopipe
from biopipe import Agency, EventKind, FactDate, RegulatoryEvent
from biopipe.cli import main

JS212 = biopipe.example("js212")


def _write(path: Path, obj: biopipe.Asset | biopipe.Portfolio) -> Path:
    biopipe.dump(obj, path)
    return path


def test_check_js212_exits_0_with_two_infos(capsys: pytest.CaptureFixture[str]) -> None:
    """JS212 has no errors: exit 0; the text lists the two info findings."""
    assert main(["check", "--example", "js212"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("info assets[0].") for line in lines)


def test_check_exits_1_on_errors_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record with an acceptance before its submission exits 1; --format json lists the finding."""
    bad = attrs.evolve(
        JS212,
        events=(
            *JS212.events,
            RegulatoryEvent(agency=Agency.NMPA, kind=EventKind.IND_SUBMITTED, date=FactDate.parse("2025-02-20")),
        ),
    )
    path = _write(tmp_path / "bad.json", bad)
    out = tmp_path / "findings.json"
    assert main(["check", str(path), "--format", "json", "-o", str(out)]) == 1
    found = json.loads(out.read_text("utf-8"))["findings"]
    assert any(f["code"] == "acceptance-before-submission" and f["severity"] == "error" for f in found)
    assert capsys.readouterr().out == ""
    # Selecting only another rule: no errors, exit 0.
    assert main(["check", str(path), "--rule", "duplicate-event"]) == 0
    assert capsys.readouterr().out == "no findings\n"


def test_check_as_of_flags_future_dates(capsys: pytest.CaptureFixture[str]) -> None:
    """--as-of before JS212's events turns its actual dates into errors."""
    assert main(["check", "--example", "js212", "--rule", "future-date", "--as-of", "2025-02-01"]) == 1
    out = capsys.readouterr().out
    assert "error assets[0].events[1].date: actual date 2025-03 is after 2025-02-01 [future-date]" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "--as-of", "2025-13-01", "--example", "js212"],
        ["check", "--rule", "nope", "--example", "js212"],
        ["check", "--format", "html", "--example", "js212"],
        ["diff", "missing-old.json", "missing-new.json"],
        ["clocks"],
    ],
)
def test_bad_input_exits_2_without_traceback(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Missing input, bad dates, unknown rules or formats and missing files exit 2 with a message."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error" in err
    assert "Traceback" not in err


def test_check_invalid_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid document is bad input (2), not a check failure (1)."""
    path = tmp_path / "bad.json"
    path.write_text('{"format": "biopipe", "version": 1, "assets": [{"code": 1}]}', "utf-8")
    assert main(["check", str(path)]) == 2
    assert "assets[0].code" in capsys.readouterr().err


def test_diff_between_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """diff OLD NEW prints one line per change; the same file twice prints 'no changes'."""
    old = _write(tmp_path / "old.json", JS212)
    new = _write(tmp_path / "new.json", attrs.evolve(JS212, sponsor="Shanghai Junshi Biosciences"))
    assert main(["diff", str(old), str(old)]) == 0
    assert capsys.readouterr().out == "no changes\n"
    assert main(["diff", str(old), str(new)]) == 0
    assert capsys.readouterr().out == "~ assets[JS212].sponsor: 'Junshi Biosciences' -> 'Shanghai Junshi Biosciences'\n"
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"][0]["path"] == "assets[JS212].sponsor"
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("| change | path | old | new |")


def test_clocks_js212(capsys: pytest.CaptureFixture[str]) -> None:
    """clocks prints JS212's NMPA due range; --pilot the 30-working-day one."""
    pytest.importorskip("holidays")
    assert main(["clocks", "--example", "js212"]) == 0
    assert "due 2025-04-01..2025-04-28 under nmpa-ind-60-working-days" in capsys.readouterr().out
    assert main(["clocks", "--example", "js212", "--pilot", "--format", "json"]) == 0
    (clock,) = json.loads(capsys.readouterr().out)["clocks"]
    assert (clock["earliest"], clock["latest"]) == ("2025-02-18", "2025-03-17")
    assert main(["clocks", "--example", "js212", "--format", "markdown"]) == 0
    assert "| assets[0].events[0] | NMPA IND accepted 2025-01 |" in capsys.readouterr().out


def test_clocks_infers_with_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --as-of, an unanswered FDA IND past 30 days is listed as inferred."""
    pytest.importorskip("holidays")
    asset = attrs.evolve(
        JS212,
        events=(RegulatoryEvent(agency=Agency.FDA, kind=EventKind.IND_SUBMITTED, date=FactDate.parse("2025-11-14")),),
    )
    path = _write(tmp_path / "fda.json", asset)
    assert main(["clocks", str(path), "--as-of", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert "pending" in out
    assert "inferred: FDA IND cleared 2025-12-14 (fda-ind-30-days)" in out


def test_clocks_without_holidays_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the optional package the command exits 2 naming the extra."""
    from biopipe.review import _clocks

    monkeypatch.setitem(sys.modules, "holidays", None)
    _clocks._calendar.cache_clear()
    try:
        assert main(["clocks", "--example", "js212"]) == 2
        err = capsys.readouterr().err
        assert "biopipe-intel[clocks]" in err
        assert "Traceback" not in err
    finally:
        _clocks._calendar.cache_clear()


def test_diff_exit_code_is_1_on_changes_0_without_and_2_on_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--exit-code works as git diff --exit-code: 1 when anything changed, 0 when nothing did; the report prints."""
    old = _write(tmp_path / "old.json", JS212)
    new = _write(tmp_path / "new.json", attrs.evolve(JS212, sponsor="Shanghai Junshi Biosciences"))
    assert main(["diff", str(old), str(old), "--exit-code"]) == 0
    assert capsys.readouterr().out == "no changes\n"
    assert main(["diff", str(old), str(new), "--exit-code"]) == 1
    assert capsys.readouterr().out.startswith("~ assets[JS212].sponsor:")
    out = tmp_path / "report.json"
    assert main(["diff", str(old), str(new), "--exit-code", "--format", "json", "-o", str(out)]) == 1
    assert json.loads(out.read_text("utf-8"))["changes"][0]["path"] == "assets[JS212].sponsor"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "biopipe", "version": 2, "assets": [{"code": 1}]}', "utf-8")
    assert main(["diff", str(old), str(bad), "--exit-code"]) == 2
    err = capsys.readouterr().err
    assert "assets[0].code" in err
    assert "Traceback" not in err
    assert main(["diff", str(old), str(tmp_path / "missing.json"), "--exit-code"]) == 2
    assert "Traceback" not in capsys.readouterr().err
