"""Bulk ClinicalTrials.gov import: folders, globs, zip, JSON Lines, search pages; lenient, strict, parallel; the CLI.

The real records are copied into ``tmp_path`` inside each test (never into the repository).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq
import pytest

import biopipe
from biopipe import Portfolio, ValidationError
from biopipe.cli import main
from biopipe.cli._import import Progress
from biopipe.interop.arrow import to_arrow
from biopipe.interop.ctgov import (
    TRIAL_TABLES,
    ImportReport,
    Unmapped,
    add_trials,
    from_ctgov,
    import_files,
    import_to_parquet,
    input_files,
    iter_import,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

BROKEN = "NCT09999999"
STATUS = "protocolSection.statusModule.overallStatus"


def records(refdata: Path) -> list[Path]:
    return sorted((refdata / "ctgov").glob("*.json"))


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def broken_record(refdata: Path) -> dict[str, Any]:
    """A real record with a new NCT id and an overall status ClinicalTrials.gov does not have."""
    record = read(refdata / "ctgov" / "NCT05288205.json")
    record["protocolSection"]["identificationModule"]["nctId"] = BROKEN
    record["protocolSection"]["statusModule"]["overallStatus"] = "DONE"
    return record


def copy_folder(refdata: Path, tmp_path: Path, *, broken: bool = False) -> Path:
    """The real records copied into tmp_path/ctgov (and, with *broken*, one bad record in a subfolder)."""
    folder = tmp_path / "ctgov"
    shutil.copytree(refdata / "ctgov", folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    if broken:
        (folder / "more").mkdir()
        (folder / "more" / f"{BROKEN}.json").write_text(json.dumps(broken_record(refdata)), "utf-8")
    return folder


def expected_trials(refdata: Path) -> list[biopipe.Trial]:
    return [from_ctgov(read(p)).trial for p in records(refdata)]


# -- the command line: the must-show cases --------------------------------------------------------


def test_cli_imports_a_folder_as_registry_trials(
    refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``biopipe import ctgov DIR -o trials.json`` without --asset: registry trials, one summary line, exit 0."""
    folder = copy_folder(refdata, tmp_path)
    out = tmp_path / "trials.json"
    assert main(["import", "ctgov", str(folder), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    summary = [line for line in err.splitlines() if line.startswith("read ")]
    assert summary == [err.splitlines()[-1]]
    assert re.fullmatch(
        r"read 14 records: 14 imported, 0 failed; unmapped: \d+ paths \(not modelled \d+(, unrecognised \d+)?\)",
        summary[0],
    )
    assert "\r" not in err  # stderr is not a terminal here: no progress line
    document = biopipe.load(out)
    assert len(document) == 0
    assert list(document.trials) == expected_trials(refdata)
    assert json.loads(out.read_text("utf-8"))["version"] == 2


def test_cli_folder_with_a_broken_record_imports_the_rest_and_exits_1(
    refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bad record: it is named with its file and path on stderr, the other 14 are written, exit 1."""
    folder = copy_folder(refdata, tmp_path, broken=True)
    out = tmp_path / "trials.json"
    assert main(["import", "ctgov", str(folder), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    broken = folder / "more" / f"{BROKEN}.json"
    assert f"biopipe: invalid ClinicalTrials.gov record: {broken}: {STATUS}: got 'DONE', expected" in err
    assert err.splitlines()[-1].startswith("read 15 records: 14 imported, 1 failed; unmapped: ")
    assert list(biopipe.load(out).trials) == expected_trials(refdata)


def test_cli_strict_stops_at_the_first_bad_record_and_writes_nothing(
    refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_folder(refdata, tmp_path, broken=True)
    out = tmp_path / "trials.json"
    assert main(["import", "ctgov", str(folder), "--strict", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{BROKEN}.json: {STATUS}: got 'DONE'" in err
    assert "nothing written" in err
    assert not out.exists()


def test_cli_nothing_imported_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out.json"
    assert main(["import", "ctgov", str(empty), "-o", str(out)]) == 2
    assert "read 0 records: 0 imported, 0 failed" in capsys.readouterr().err
    assert main(["import", "ctgov", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "missing.json: got" in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("argument", ["--workers=0", "--batch-size=x"])
def test_cli_bad_numbers_are_usage_errors(tmp_path: Path, argument: str) -> None:
    assert main(["import", "ctgov", str(tmp_path), argument]) == 2


def test_cli_modality_without_asset_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "ctgov", str(tmp_path), "--modality", "other"]) == 2
    assert "give --asset CODE" in capsys.readouterr().err


def test_cli_workers_give_the_same_document(refdata: Path, tmp_path: Path) -> None:
    """--workers 2 with small batches writes exactly the bytes that one worker writes."""
    folder = copy_folder(refdata, tmp_path, broken=True)
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert main(["import", "ctgov", str(folder), "-q", "-o", str(one)]) == 1
    assert main(["import", "ctgov", str(folder), "-q", "--workers", "2", "--batch-size", "3", "-o", str(two)]) == 1
    assert one.read_bytes() == two.read_bytes()


def test_cli_asset_keeps_todays_behaviour(refdata: Path, tmp_path: Path) -> None:
    """With --asset the trials are that asset's, as before; the document stays version 1."""
    folder = copy_folder(refdata, tmp_path)
    out = tmp_path / "asset.json"
    assert main(["import", "ctgov", str(folder), "--asset", "X1", "--modality", "other", "-o", str(out)]) == 0
    document = biopipe.load(out)
    assert document.trials == ()
    assert list(document["X1"].trials) == expected_trials(refdata)
    assert json.loads(out.read_text("utf-8"))["version"] == biopipe.document.FORMAT_VERSION


def test_cli_into_adds_registry_trials_replacing_by_key(refdata: Path, tmp_path: Path) -> None:
    """--into without --asset adds to the document's registry trials; a repeated import replaces, not duplicates."""
    folder = copy_folder(refdata, tmp_path)
    doc = tmp_path / "doc.json"
    biopipe.dump(biopipe.example("js212"), doc)
    for _ in range(2):
        assert main(["import", "ctgov", str(folder / "NCT05288205.json"), "--into", str(doc), "-o", str(doc)]) == 0
    document = biopipe.load(doc)
    assert document["JS212"] == biopipe.example("js212")
    assert [t.key for t in document.trials] == ["NCT05288205"]


def test_cli_repeated_record_note_and_quiet(refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(records(refdata)[0])
    out = tmp_path / "out.json"
    assert main(["import", "ctgov", source, source, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"note: {records(refdata)[0].stem} was given more than once; the last one read is kept" in err
    assert main(["import", "ctgov", source, source, "-q", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("read 2 records: 2 imported")


# -- progress ---------------------------------------------------------------------------------------


def test_progress_line_only_on_a_terminal(
    refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A terminal gets a \\r progress line with counts and rate; --quiet leaves it out; a pipe never gets it."""
    folder = copy_folder(refdata, tmp_path)
    out = tmp_path / "out.json"
    assert main(["import", "ctgov", str(folder), "-o", str(out)]) == 0
    assert "\r" not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["import", "ctgov", str(folder), "--batch-size", "5", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "\r14 records read: 14 imported, 0 failed (" in err
    assert "records/s)" in err
    assert err.splitlines()[-1].startswith("read 14 records")
    assert main(["import", "ctgov", str(folder), "--quiet", "-o", str(out)]) == 0
    assert "\r" not in capsys.readouterr().err


def test_progress_is_throttled_to_ten_lines_a_second() -> None:
    """With a clock that advances 10 ms a call, 100 updates draw about ten lines (no real time is measured)."""
    ticks = iter(i / 100 for i in range(1000))
    stream = io.StringIO()
    progress = Progress(stream, enabled=True, clock=lambda: next(ticks))
    for n in range(100):
        progress.update(n, 0)
    drawn = stream.getvalue().count("\r")
    assert 9 <= drawn <= 11
    progress.clear()
    progress.done(100, 1)
    assert stream.getvalue().endswith("100 records read: 99 imported, 1 failed (99 records/s)\n")


def test_progress_disabled_writes_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=False)
    progress.update(1, 0)
    progress.clear()
    progress.done(1, 0)
    assert stream.getvalue() == ""


# -- the library: inputs ------------------------------------------------------------------------------


def test_zip_archive_is_read_member_by_member_without_unpacking(refdata: Path, tmp_path: Path) -> None:
    """The registry's bulk download: one study a member; a bad member is named ``archive.zip:member``."""
    archive = tmp_path / "ctgov.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in records(refdata):
            zf.write(path, path.name)
        zf.writestr(f"{BROKEN}.json", json.dumps(broken_record(refdata)))
        zf.writestr("README.txt", "not a record")
    before = sorted(p.name for p in tmp_path.iterdir())
    report = import_files([archive])
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert [r.trial for r in report.records] == expected_trials(refdata)
    assert report.records[0].source == f"{archive}:{records(refdata)[0].name}"
    assert (report.read, report.failed, report.imported) == (15, 1, 14)
    assert str(report.failures[0]).startswith(f"{archive}:{BROKEN}.json: {STATUS}: got 'DONE', expected one of")


class _Unseekable(io.RawIOBase):
    """A write-only stream without seek: zipfile then writes sizes after each member's data."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += bytes(b)
        return len(b)


def test_zip_members_with_sizes_after_the_data_and_bad_members(refdata: Path, tmp_path: Path) -> None:
    """An archive written as a stream (sizes after the data) is read by zipfile; a corrupt member fails alone."""
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in records(refdata)[:3]:
            zf.writestr(path.name, path.read_bytes())
    streamed = tmp_path / "streamed.zip"
    streamed.write_bytes(bytes(stream.data))
    assert [r.trial for r in import_files([streamed]).records] == expected_trials(refdata)[:3]

    stored = tmp_path / "stored.zip"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zf:
        for path in records(refdata)[:3]:
            zf.writestr(path.name, path.read_bytes())
    data = bytearray(stored.read_bytes())
    second = data.index(b"PK\x03\x04", 4)  # the second member's local header
    data[second + 30 + len(records(refdata)[1].name) + 10] ^= 0xFF  # flip a byte of its content
    stored.write_bytes(bytes(data))
    report = import_files([stored])
    assert [r.trial for r in report.records] == [expected_trials(refdata)[i] for i in (0, 2)]
    [failure] = report.failures
    assert failure.path == f"{stored}:{records(refdata)[1].name}"
    assert failure.expected == "a zip member whose CRC-32 matches its content"


def test_an_empty_zip_archive_has_no_records(tmp_path: Path) -> None:
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w"):
        pass
    report = import_files([empty])
    assert (report.read, report.failed) == (0, 0)


def test_json_lines_one_study_a_line(refdata: Path, tmp_path: Path) -> None:
    lines = tmp_path / "studies.jsonl"
    studies = [json.dumps(read(p)) for p in records(refdata)[:3]]
    lines.write_text("\n".join([studies[0], "", studies[1], "{not json", studies[2]]) + "\n", "utf-8")
    report = import_files([lines])
    assert [r.source for r in report.records] == [f"{lines}:1", f"{lines}:3", f"{lines}:5"]
    assert [r.trial for r in report.records] == expected_trials(refdata)[:3]
    [failure] = report.failures
    assert failure.path == f"{lines}:4"
    assert "valid JSON" in failure.expected


def test_search_response_pages(refdata: Path, tmp_path: Path) -> None:
    """Several pages of a search response are several files; each study is labelled with its index."""
    studies = [read(p) for p in records(refdata)]
    pages = [tmp_path / "page1.json", tmp_path / "page2.json"]
    pages[0].write_text(json.dumps({"studies": studies[:8], "nextPageToken": "abc"}), "utf-8")
    pages[1].write_text(json.dumps({"studies": [*studies[8:], 7]}), "utf-8")
    report = import_files(pages)
    assert [r.trial for r in report.records] == expected_trials(refdata)
    assert report.records[8].source == f"{pages[1]}#studies[0]"
    [failure] = report.failures
    expected = "a ClinicalTrials.gov study (a JSON object with protocolSection)"
    assert str(failure) == f"{pages[1]}#studies[6]: got 7, expected {expected}"
    assert (report.read, report.failed) == (15, 1)


def test_globs_and_missing_paths(refdata: Path, tmp_path: Path) -> None:
    folder = copy_folder(refdata, tmp_path)
    found = list(input_files([str(folder / "NCT05*.json"), str(tmp_path / "nothing*.json"), tmp_path / "gone.json"]))
    names = [p.name for p in found if not isinstance(p, biopipe.Problem)]
    assert names == sorted(p.name for p in records(refdata) if p.name.startswith("NCT05"))
    problems = [p for p in found if isinstance(p, biopipe.Problem)]
    assert [p.expected for p in problems] == ["a glob that matches files", "a file, folder or glob that names files"]
    report = import_files([folder / "NCT05288205.json", tmp_path / "gone.json"])
    assert (report.read, report.imported, report.failed) == (2, 1, 1)


def test_recursive_folder_order_is_sorted_and_only_known_suffixes(tmp_path: Path) -> None:
    for name in ("b/z.json", "b/a.zip", "a.jsonl", "c.txt", "d/e/f.ndjson"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", "utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in input_files([tmp_path]) if not isinstance(p, biopipe.Problem)]
    assert found == ["a.jsonl", "b/a.zip", "b/z.json", "d/e/f.ndjson"]


def test_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_text("not a zip", "utf-8")
    report = import_files([bad])
    [failure] = report.failures
    assert failure.path == str(bad)
    assert failure.expected.startswith("a zip archive")
    assert (report.read, report.failed) == (1, 1)


# -- the library: lenient, strict, parallel, bounded -------------------------------------------------


def test_strict_raises_at_the_first_bad_record(refdata: Path, tmp_path: Path) -> None:
    folder = copy_folder(refdata, tmp_path, broken=True)
    with pytest.raises(ValidationError) as info:
        import_files([folder], strict=True)
    assert [p.path for p in info.value.problems] == [f"{folder / 'more' / BROKEN}.json: {STATUS}"]


def test_strict_with_workers_raises_the_same(refdata: Path, tmp_path: Path) -> None:
    folder = copy_folder(refdata, tmp_path, broken=True)
    with pytest.raises(ValidationError) as info:
        import_files([folder], strict=True, workers=2, batch_size=2)
    assert [p.path for p in info.value.problems] == [f"{folder / 'more' / BROKEN}.json: {STATUS}"]


def mixed_inputs(refdata: Path, tmp_path: Path) -> list[Path]:
    """A folder with a broken record, a zip archive, JSON Lines and a search response page."""
    folder = copy_folder(refdata, tmp_path, broken=True)
    archive = tmp_path / "bulk.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in records(refdata)[:5]:
            zf.write(path, f"studies/{path.name}")
    lines = tmp_path / "more.jsonl"
    lines.write_text("\n".join(json.dumps(read(p)) for p in records(refdata)[5:9]) + "\n", "utf-8")
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"studies": [read(p) for p in records(refdata)[9:]]}), "utf-8")
    return [folder, archive, lines, page]


def test_workers_give_the_same_report_as_one(refdata: Path, tmp_path: Path) -> None:
    """Two worker processes and small batches: the same records, failures and counts, in the same order."""
    inputs = mixed_inputs(refdata, tmp_path)
    serial = import_files(inputs)
    parallel = import_files(inputs, workers=2, batch_size=3)
    assert parallel == serial
    assert serial.render("json") == parallel.render("json")
    assert (serial.read, serial.imported, serial.failed) == (15 + 5 + 4 + 5, 28, 1)


def test_batches_hold_the_counts_and_details_only_when_asked(refdata: Path, tmp_path: Path) -> None:
    inputs = mixed_inputs(refdata, tmp_path)
    batches = list(iter_import(inputs, batch_size=4))
    assert all(b.read <= 4 or b.read == 5 for b in batches)  # a search page is one raw record of 5 studies
    assert all(r.unmapped == () for b in batches for r in b.records)
    detailed = import_files(inputs, batch_size=4)
    assert ImportReport.from_batches(batches).unmapped_kinds == detailed.unmapped_kinds
    assert sum(detailed.unmapped_kinds.values()) == sum(len(r.unmapped) for r in detailed.records) > 0


def counting(paths: list[Path], pulled: list[int]) -> Iterator[Path]:
    for path in paths:
        pulled[0] += 1
        yield path


@pytest.mark.parametrize("workers", [1, 2])
def test_memory_is_bounded_by_batches_not_the_corpus(refdata: Path, tmp_path: Path, workers: int) -> None:
    """When the first batch arrives, only a few batches' worth of inputs have been read."""
    paths = [p for p in records(refdata) for _ in range(10)]  # 140 records
    pulled = [0]
    stream = iter_import(counting(paths, pulled), batch_size=5, workers=workers)
    first = next(stream)
    assert first.read == 5
    assert pulled[0] <= 5 * 2 * workers + 1 < len(paths)
    stream.close()


def test_lenient_reads_bad_optional_values_as_unmapped(refdata: Path, tmp_path: Path) -> None:
    record = read(refdata / "ctgov" / "NCT05288205.json")
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = "many"
    path = tmp_path / "lenient.json"
    path.write_text(json.dumps(record), "utf-8")
    assert import_files([path]).failed == 1
    report = import_files([path], lenient=True)
    assert (report.imported, report.unmapped_kinds.get("invalid")) == (1, 1)


def test_unmapped_kinds() -> None:
    assert [Unmapped("p", 1, r).kind for r in ("expected a string", "not a country name biopipe recognises")] == [
        "invalid",
        "unrecognised",
    ]
    assert Unmapped("p", 1, "not a part of a ClinicalTrials.gov study record biopipe reads").kind == "unknown"
    assert Unmapped("p", 1, "free-text summaries are not modelled").kind == "not modelled"


def test_report_text_ends_with_one_summary_line(refdata: Path, tmp_path: Path) -> None:
    report = import_files(mixed_inputs(refdata, tmp_path))
    lines = report.render("text").splitlines()
    assert [line for line in lines if line.startswith("read ")] == [lines[-1]] == [report.summary]
    assert sum(line.startswith("failed: ") for line in lines) == 1
    doc = json.loads(report.render("json"))
    assert (doc["read"], doc["failed"]) == (29, 1)
    assert doc["unmapped_kinds"] == report.unmapped_kinds


# -- Parquet, streamed -------------------------------------------------------------------------------


def test_import_to_parquet_streams_the_tables_of_the_serial_import(refdata: Path, tmp_path: Path) -> None:
    """A part file a batch, positions numbered across the dataset: read as one table, it is to_arrow's table.

    The inputs repeat the folder's records in later batches: each is written once (see test_parquet_repeats.py).
    """
    inputs = mixed_inputs(refdata, tmp_path)
    report = import_to_parquet(inputs, tmp_path / "tables", workers=2, batch_size=4)
    serial = import_files(inputs)
    assert (report.read, report.failed, report.records) == (serial.read, serial.failed, ())
    keys = [r.key for r in serial.records]
    assert len(set(keys)) == len(keys) - 14  # the folder and the other inputs repeat records, across batches
    tables = to_arrow(add_trials(Portfolio(), [r.trial for r in serial.records]))
    first = pq.read_table(tmp_path / "tables" / "trials")
    assert first.num_rows == len(set(keys))
    assert first.column("position").to_pylist() == list(range(len(set(keys))))
    assert first.column("trial_key").to_pylist() == list(dict.fromkeys(keys))
    for name in TRIAL_TABLES:
        assert len(list((tmp_path / "tables" / name).glob("part-*.parquet"))) >= 1
        assert pq.read_table(tmp_path / "tables" / name).equals(tables[name]), name


def test_import_to_parquet_equals_to_arrow(refdata: Path, tmp_path: Path) -> None:
    folder = copy_folder(refdata, tmp_path)
    import_to_parquet([folder], tmp_path / "tables", batch_size=3)
    expected = to_arrow(Portfolio(trials=tuple(expected_trials(refdata))))
    for name in TRIAL_TABLES:
        assert pq.read_table(tmp_path / "tables" / name).equals(expected[name]), name


def test_import_to_parquet_needs_an_empty_folder(refdata: Path, tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "old.parquet").write_bytes(b"")
    with pytest.raises(biopipe.BiopipeError, match="an empty or new folder"):
        import_to_parquet([records(refdata)[0]], tmp_path / "tables")


def test_deep_nesting_is_counted_or_bounded_never_a_crash(tmp_path: Path) -> None:
    """Without details a deep unused part is counted, not walked; a deep bad value is kept only as a bounded text."""
    deep = "[" * 900 + "]" * 900
    study = (
        '{"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "A"}, '
        '"statusModule": {"overallStatus": "COMPLETED"}}, "extra": ' + deep + "}"
    )
    bad = '{"protocolSection": {"identificationModule": {"briefTitle": "B"}, "statusModule": {"overallStatus": '
    bad += deep + "}}}"
    lines = tmp_path / "deep.jsonl"
    lines.write_text(study + "\n" + bad + "\n", "utf-8")
    counted = ImportReport.from_batches(iter_import([lines]))
    assert (counted.imported, counted.failed, counted.unmapped_kinds) == (1, 1, {"unknown": 1})
    [failure] = counted.failures
    assert failure.path == f"{lines}:2: {STATUS}"
    assert str(failure).endswith("got '[[[[[[...]]]]]]', expected a string")
    detailed = import_files([lines])  # details keep parts of the record: the loader's limits apply
    assert detailed.imported == 0
    assert all("nested at most 64 deep" in p.expected for p in detailed.failures)


def test_counting_unmapped_parts_agrees_with_listing_them(refdata: Path) -> None:
    """The quick count by kind (no details) equals the kinds of the listed parts, record by record."""
    from collections import Counter

    from biopipe.interop.ctgov._study import _import_study

    for path in records(refdata):
        study = read(path)
        for lenient in (False, True):
            listed = from_ctgov(study, lenient=lenient).unmapped
            _, _, counted = _import_study(study, keep_source_terms=False, lenient=lenient, details=False)
            assert counted == Counter(u.kind for u in listed), path.name
