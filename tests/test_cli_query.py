"""`biopipe timeline`, `biopipe status` and `biopipe phase`: the query layer on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import biopipe
from biopipe.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_timeline_text_is_the_library_rendering(capsys: pytest.CaptureFixture[str]) -> None:
    """The text output is Timeline.render(), one line per entry, in the press-release order."""
    code, out, _ = _run(capsys, "timeline", "--example", "js212")
    assert code == 0
    assert out == biopipe.timeline(biopipe.example("js212")).render()
    dates = [line.split("  JS212")[0].strip() for line in out.splitlines()]
    assert dates[:4] == ["2025-01", "2025-03", "2025-11", "on or before 2025-12-14"]


def test_timeline_filters_and_formats(capsys: pytest.CaptureFixture[str]) -> None:
    """--since/--until/--agency/--jurisdiction/--kind filter; --format json and markdown render."""
    code, out, _ = _run(
        capsys, "timeline", "--example", "js212", "--since", "2025-03", "--until", "2025-11", "--format", "json"
    )
    assert code == 0
    assert [e["date"] for e in json.loads(out)["entries"]] == ["2025-03", "2025-11"]
    _, out, _ = _run(capsys, "timeline", "--example", "js212", "--agency", "FDA", "--format", "markdown")
    assert out.splitlines()[2] == "| on or before 2025-12-14 | JS212 | US | FDA | IND cleared: advanced solid tumors |"
    _, out, _ = _run(
        capsys, "timeline", "--example", "js212", "--jurisdiction", "cn", "--kind", "trial_start", "--format", "json"
    )
    assert [e.get("planned", False) for e in json.loads(out)["entries"]] == [False, True]


def test_timeline_reads_files_and_writes_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """FILE arguments are read; -o writes the rendering to a file."""
    record, out = tmp_path / "js212.json", tmp_path / "timeline.json"
    biopipe.dump(biopipe.example("js212"), record)
    assert main(["timeline", str(record), "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text("utf-8")) == biopipe.document.to_document(biopipe.timeline(biopipe.load(record)))


@pytest.mark.parametrize(
    ("jurisdiction", "day", "expected"),
    [
        ("CN", "2025-02-15", "JS212 in CN as of 2025-02-15: ind pending"),
        ("CN", "2025-03-15", "JS212 in CN as of 2025-03-15: uncertain (ind pending or may run trials)"),
        ("CN", "2025-04-01", "JS212 in CN as of 2025-04-01: may run trials"),
        ("US", "2025-11-30", "JS212 in US as of 2025-11-30: uncertain (nothing on record or may run trials)"),
        ("US", "2025-12-15", "JS212 in US as of 2025-12-15: may run trials"),
    ],
)
def test_status_answers_the_js212_questions(
    capsys: pytest.CaptureFixture[str], jurisdiction: str, day: str, expected: str
) -> None:
    """Each required JS212 answer is reachable from the command line."""
    code, out, _ = _run(capsys, "status", "--example", "js212", "--jurisdiction", jurisdiction, "--as-of", day)
    assert code == 0
    assert out.splitlines()[0] == expected


def test_status_json_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON carries certainty, possible states and the justifying events; Markdown is a table."""
    _, out, _ = _run(
        capsys, "status", "--example", "js212", "--jurisdiction", "CN", "--as-of", "2025-03-15", "--format", "json"
    )
    (answer,) = json.loads(out)["answers"]
    assert (answer["certain"], answer["possible"]) == (False, ["ind_pending", "may_run_trials"])
    assert [e["date"] for e in answer["events"]] == ["2025-01"]
    assert [e["date"] for e in answer["pending"]] == ["2025-03"]
    _, out, _ = _run(
        capsys, "status", "--example", "js212", "--jurisdiction", "US", "--as-of", "2025-12-15", "--format", "markdown"
    )
    assert "| JS212 | US | 2025-12-15 | may_run_trials | yes |" in out


def test_phase_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`biopipe phase` prints the highest phase, per country, under the chosen policy."""
    assert _run(capsys, "phase", "--example", "js212")[1] == "JS212: Phase 1/2 (CN: Phase 1/2)\n"
    _, out, _ = _run(capsys, "phase", "--example", "js212", "--policy", "lower", "--format", "json")
    assert json.loads(out)["answers"][0]["phase"] == "phase1"
    assert _run(capsys, "phase", "--example", "js212", "--as-of", "2025-12-01")[1] == "JS212: no started trial\n"


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["status", "--jurisdiction", "XX", "--as-of", "2025-12-15"], "--jurisdiction: invalid value 'XX'"),
        (["status", "--jurisdiction", "US", "--as-of", "2025-13-01"], "--as-of: invalid value '2025-13-01'"),
        (["status", "--jurisdiction", "US", "--as-of", "2025-12"], "--as-of: invalid value '2025-12'"),
        (["timeline", "--since", "soon"], "--since: invalid value 'soon'"),
        (["timeline", "--until", "2025-02-30"], "--until: invalid value '2025-02-30'"),
        (["timeline", "--agency", "xyz"], "--agency: invalid value 'xyz'"),
        (["timeline", "--kind", "launch"], "--kind: invalid value 'launch'"),
        (["phase", "--as-of", "later"], "--as-of: invalid value 'later'"),
    ],
)
def test_bad_dates_and_codes_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], shown: str
) -> None:
    """Bad input exits 2 with a message naming the option and the value; never a traceback."""
    code, out, err = _run(capsys, *argv, "--example", "js212")
    assert code == 2
    assert out == ""
    assert shown in err
    assert "Traceback" not in err


def test_status_requires_jurisdiction_and_day(capsys: pytest.CaptureFixture[str]) -> None:
    """Missing required options are usage errors (exit 2)."""
    assert _run(capsys, "status", "--example", "js212")[0] == 2


def test_readme_first_command_runs() -> None:
    """The README's set-up command runs the timeline on the bundled example."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    assert "biopipe timeline --example js212" in readme
    done = subprocess.run(
        [sys.executable, "-m", "biopipe", "timeline", "--example", "js212"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("2025-01")
