"""Output safety: atomic writes and exports, outputs that clash with inputs, crashes, and what text shows."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import attrs
import pytest

import biopipe
from biopipe.cli import main
from biopipe.document import _files
from biopipe.document._files import STALE_AFTER, atomic_folder, atomic_path, write_atomic
from biopipe.document._results import display_text, markdown_cell
from biopipe.interop import arrow

JS212 = biopipe.example("js212")
JS212_TEXT = biopipe.document.example_text("js212")
SRC = str(Path(biopipe.__file__).resolve().parents[1])


def _document(tmp_path: Path, name: str = "js212.json") -> Path:
    path = tmp_path / name
    path.write_text(JS212_TEXT, "utf-8")
    return path


# -- 5. atomic writes: semantics -------------------------------------------------------------------


def test_writing_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    """The link stays a link; the file it points to gets the new content."""
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text() == "new"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "created.txt")
    write_atomic(dangling, b"x")
    assert dangling.is_symlink()
    assert (tmp_path / "created.txt").read_bytes() == b"x"


def test_a_hard_link_keeps_the_old_content(tmp_path: Path) -> None:
    """Replacing gives the path a new file: another hard link to the old file still shows the old content."""
    path = tmp_path / "a.txt"
    path.write_text("old")
    other = tmp_path / "b.txt"
    os.link(path, other)
    write_atomic(path, b"new")
    assert path.read_text() == "new"
    assert other.read_text() == "old"
    assert not os.path.samefile(path, other)


def test_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old")
    path.chmod(0o604)
    write_atomic(path, b"new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_owner_is_kept_where_allowed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old")
    os.chown(path, 12345, 23456)
    write_atomic(path, b"new")
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (12345, 23456)


def test_write_errors_name_the_destination(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while writing names the file asked for, never the hidden temporary file."""
    target = tmp_path / "out.json"

    def fail(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device", str(src))

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left") as info:
        write_atomic(target, b"x")
    assert info.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_write_error_message_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err
    assert ".tmp" not in err


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_non_regular_destinations_are_refused(tmp_path: Path, kind: str) -> None:
    """A FIFO, a device or a folder is not replaced by a regular file: an error before anything is written."""
    if kind == "fifo":
        target = tmp_path / "pipe"
        _mkfifo(target)
    elif kind == "device":
        target = Path("/dev/null")
        if not target.exists():
            pytest.skip("no /dev/null")
    else:
        target = tmp_path / "folder"
        target.mkdir()
    before = os.stat(target)
    with pytest.raises(biopipe.BiopipeError, match="regular file"):
        write_atomic(target, b"x")
    after = os.stat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_folder_is_synced_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    real = _files._sync_directory

    def sync(directory: Path) -> None:
        synced.append(directory)
        real(directory)

    monkeypatch.setattr(_files, "_sync_directory", sync)
    write_atomic(tmp_path / "a.txt", b"x")
    assert synced == [tmp_path.resolve()]


def _stale(tmp_path: Path, name: str, *, age: float = 0.0, folder: bool = False) -> Path:
    path = tmp_path / name
    if folder:
        path.mkdir()
        (path / "assets.parquet").write_bytes(b"half")
    else:
        path.write_bytes(b"half")
    if age:
        then = time.time() - age
        os.utime(path, (then, then))
    return path


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temp_files_of_killed_writes_are_cleaned(tmp_path: Path) -> None:
    """The next write to a file removes its temporary files whose writer is gone, and only those."""
    dead = _dead_pid()
    gone = _stale(tmp_path, f".out.json.{dead}.abcd1234.tmp")
    old = _stale(tmp_path, ".out.json.k2j3h4g5.tmp", age=STALE_AFTER + 60)  # no process id: by age
    live = _stale(tmp_path, f".out.json.{os.getppid()}.zzzz9999.tmp")  # a writer still running
    other = _stale(tmp_path, f".other.json.{dead}.abcd1234.tmp")  # another file's
    write_atomic(tmp_path / "out.json", b"{}")
    assert not gone.exists()
    assert not old.exists()
    assert live.exists()
    assert other.exists()
    assert (tmp_path / "out.json").read_bytes() == b"{}"


def test_temp_files_are_named_with_the_writer(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "out.json") as tmp:
        assert re.fullmatch(rf"\.out\.json\.{os.getpid()}\.[a-z0-9_]+\.tmp", tmp.name)
        tmp.write_bytes(b"x")


# -- 5. whole-export atomicity for Parquet -----------------------------------------------------------


def _other_portfolio() -> biopipe.Portfolio:
    return biopipe.Portfolio(assets=(attrs.evolve(JS212, code="JS999", sponsor="Someone Else"),))


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_parquet_export_replaces_every_table_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    """A failure half-way through leaves every old table; a success gives every new one; no temp folder is left."""
    if not exchange:
        monkeypatch.setattr(_files, "_exchange", lambda a, b: False)
    out = tmp_path / "tables"
    arrow.write_parquet(JS212, out)
    import pyarrow.parquet as pq

    real = pq.write_table
    written: list[object] = []

    def fail_on_third(table: Any, where: Any, **kwargs: Any) -> None:
        written.append(where)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        real(table, where, **kwargs)

    monkeypatch.setattr(pq, "write_table", fail_on_third)
    with pytest.raises(OSError, match="No space left"):
        arrow.write_parquet(_other_portfolio(), out)
    assert arrow.read_parquet(out) == biopipe.Portfolio(assets=(JS212,))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
    monkeypatch.setattr(pq, "write_table", real)
    paths = arrow.write_parquet(_other_portfolio(), out)
    assert arrow.read_parquet(out) == _other_portfolio()
    assert {p.name for p in paths} == {f"{t}.parquet" for t in arrow.TABLES}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


def test_parquet_export_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    """The swap would lose files it did not write: a folder holding them is refused, untouched."""
    out = tmp_path / "tables"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(biopipe.BiopipeError, match=r"notes\.txt"):
        arrow.write_parquet(JS212, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {src!r})
    import attrs, biopipe
    import pyarrow.parquet as pq
    from biopipe.interop import arrow
    real, count = pq.write_table, [0]
    def write_then_die(table, where, **kwargs):
        count[0] += 1
        if count[0] == {n}:
            os.kill(os.getpid(), signal.SIGKILL)
        real(table, where, **kwargs)
    pq.write_table = write_then_die
    js212 = biopipe.example("js212")
    arrow.write_parquet(attrs.evolve(js212, code="JS999", sponsor="Someone Else"), sys.argv[1])
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("n", [1, 4, len(arrow.TABLES)])
def test_export_killed_mid_write_leaves_the_old_tables(tmp_path: Path, n: int) -> None:
    """A writer killed after n tables: read_parquet still gives the old portfolio; the next export cleans up."""
    out = tmp_path / "tables"
    arrow.write_parquet(JS212, out)
    script = tmp_path / "kill.py"
    script.write_text(KILLER.format(src=SRC, n=n))
    result = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, timeout=120, check=False)
    assert result.returncode == -signal.SIGKILL
    assert arrow.read_parquet(out) == biopipe.Portfolio(assets=(JS212,))
    assert len([p for p in tmp_path.iterdir() if p.name.startswith(".tables.")]) == 1  # the dead writer's
    arrow.write_parquet(_other_portfolio(), out)
    assert arrow.read_parquet(out) == _other_portfolio()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kill.py", "tables"]


def test_atomic_folder_keeps_nothing_on_error(tmp_path: Path) -> None:
    out = tmp_path / "out"

    def fill_then_fail() -> None:
        with atomic_folder(out) as part:
            (part / "a.txt").write_text("x")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fill_then_fail()
    assert list(tmp_path.iterdir()) == []


def test_export_parquet_without_pyarrow_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)
    assert main(["export", "parquet", "--example", "js212", "-o", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert "pyarrow" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_export_parquet_to_stdout_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "parquet", "--example", "js212", "-o", "-"]) == 2
    assert "standard output" in capsys.readouterr().err
    assert not Path("-").exists()


# -- 5. -o and the inputs -------------------------------------------------------------------------

WITH_INPUT: dict[str, list[str]] = {
    "check": ["check", "{doc}"],
    "timeline": ["timeline", "{doc}"],
    "status": ["status", "{doc}", "--jurisdiction", "US", "--as-of", "2025-12-31"],
    "phase": ["phase", "{doc}"],
    "clocks": ["clocks", "{doc}"],
    "diff old": ["diff", "{doc}", "{other}"],
    "diff new": ["diff", "{other}", "{doc}"],
    "export fhir": ["export", "fhir", "{doc}"],
    "timeline --plot": ["timeline", "{doc}", "--plot", "{doc}"],
}


@pytest.mark.parametrize("spelling", ["same", "relative", "symlink", "hardlink"])
@pytest.mark.parametrize("command", sorted(WITH_INPUT))
def test_output_onto_an_input_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str, spelling: str
) -> None:
    """-o F where F is (the same file as) an input: exit 2, F untouched, whatever the spelling."""
    doc = _document(tmp_path)
    other = _document(tmp_path, "other.json")
    monkeypatch.chdir(tmp_path)
    target = {"same": str(doc), "relative": "./js212.json", "symlink": str(tmp_path / "link.json")}.get(
        spelling, str(tmp_path / "hard.json")
    )
    if spelling == "symlink":
        (tmp_path / "link.json").symlink_to(doc)
    elif spelling == "hardlink":
        os.link(doc, tmp_path / "hard.json")
    argv = [a.format(doc=doc, other=other) for a in WITH_INPUT[command]]
    if "--plot" in argv:
        argv[argv.index("--plot") + 1] = target
    else:
        argv += ["-o", target]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "is the input" in err
    assert doc.read_text("utf-8") == JS212_TEXT


def test_import_in_place_is_allowed_but_unmapped_onto_the_document_is_not(
    refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--into F -o F updates F; --unmapped F with --into F or -o F would overwrite it: refused."""
    record = refdata / "ctgov" / "NCT05288205.json"
    doc = _document(tmp_path)
    base = ["import", "ctgov", str(record), "--asset", "JS212", "--into", str(doc)]
    for extra in (
        ["--unmapped", str(doc)],
        ["-o", str(tmp_path / "new.json"), "--unmapped", str(tmp_path / "new.json")],
    ):
        assert main([*base, *extra]) == 2
        assert "Traceback" not in capsys.readouterr().err
        assert doc.read_text("utf-8") == JS212_TEXT
    assert main([*base, "-o", str(doc), "--unmapped", str(tmp_path / "report.json")]) == 0
    assert len(biopipe.load(doc)["JS212"].trials) == len(JS212.trials) + 1
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))["format"] == "biopipe-ctgov-import"


def test_output_dash_is_standard_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkey_dash = tmp_path / "-"
    assert main(["timeline", "--example", "js212", "-o", "-"]) == 0
    assert "JS212" in capsys.readouterr().out
    assert not monkey_dash.exists()
    assert not Path("-").exists()


def test_output_onto_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """-o FIFO: exit 2 at once; the FIFO stays a FIFO."""
    fifo = tmp_path / "pipe"
    _mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "biopipe", "schema", "-o", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert result.returncode == 2
    assert "FIFO" in result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# -- 6. no traceback ------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["default", "json"])
def test_import_with_a_lone_surrogate_writes_an_escaped_report(
    refdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    r"""A record holding "\ud800" in an unmapped part: the report is written (as the escape), exit 0."""
    if backend == "json":
        from biopipe.document import _jsonio

        monkeypatch.setattr(_jsonio, "_orjson", lambda: None)
    record = json.loads((refdata / "ctgov" / "NCT05288205.json").read_text("utf-8"))
    record["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = "bad \ud800 text"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), "utf-8")
    report = tmp_path / "report.json"
    argv = [
        "import",
        "ctgov",
        str(path),
        "--asset",
        "X",
        "--modality",
        "small_molecule",
        "-o",
        str(tmp_path / "o.json"),
    ]
    assert main([*argv, "--unmapped", str(report)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    text = report.read_text("utf-8")
    assert "bad \\ud800 text" in text
    assert json.loads(text)["format"] == "biopipe-ctgov-import"
    assert main([*argv[:-2], "--unmapped", "-"]) == 0
    assert "bad \\ud800 text" in capsys.readouterr().out


def test_timeline_plot_with_dollar_signs(tmp_path: Path) -> None:
    """Text with $...$ (and a malformed one) is drawn as written, not parsed as mathtext."""
    pytest.importorskip("matplotlib")
    event = attrs.evolve(JS212.events[1], scope=r"costs $5 and $\frac{1}{ and $x^2$")
    asset = attrs.evolve(JS212, events=(event, *JS212.events[2:]), trials=())
    doc = tmp_path / "doc.json"
    biopipe.dump(asset, doc)
    picture = tmp_path / "t.svg"
    assert main(["timeline", str(doc), "--plot", str(picture), "-o", str(tmp_path / "t.txt")]) == 0
    assert "costs $5 and $\\frac{1}{ and" in picture.read_text("utf-8")


# -- 7. control characters never reach the output unescaped ---------------------------------------

FAKE = "Phase 1\r\x1b[2K2025-12  JS212  US  FDA  FDA BLA approved\n\u2028\x85\x9b\x7f\u202e"


def _crafted(tmp_path: Path) -> Path:
    event = attrs.evolve(JS212.events[1], scope=FAKE)
    trial = attrs.evolve(JS212.trials[0], title="Trial\nFDA BLA approved")
    asset = attrs.evolve(JS212, events=(event, *JS212.events[2:]), trials=(trial, *JS212.trials[1:]))
    path = tmp_path / "crafted.json"
    biopipe.dump(asset, path)
    return path


COMMANDS = {
    "show": ["show"],
    "timeline": ["timeline"],
    "status": ["status", "--jurisdiction", "CN", "--as-of", "2026-01-01"],
    "clocks": ["clocks", "--as-of", "2026-06-01"],
    "check": ["check"],
}
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


@pytest.mark.parametrize(
    ("command", "fmt"), [(c, f) for c in sorted(COMMANDS) for f in ("text", "markdown") if c != "show" or f == "text"]
)
def test_control_characters_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, fmt: str
) -> None:
    """A crafted scope or title cannot print a fake line or move the cursor: every control is a visible escape."""
    path = _crafted(tmp_path)
    argv = [*COMMANDS[command], str(path)] + (["--format", fmt] if command != "show" else [])
    main(argv)
    out = capsys.readouterr().out
    assert UNSAFE.search(out) is None, repr(out)
    assert not any(line.startswith("FDA BLA approved") for line in out.splitlines())
    if command in ("show", "timeline"):
        assert "\\r\\x1b[2K" in out


def test_diff_text_escapes_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crafted = _crafted(tmp_path)
    plain = _document(tmp_path)
    for fmt in ("text", "markdown"):
        assert main(["diff", str(plain), str(crafted), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert UNSAFE.search(out) is None, repr(out)
        assert "\\x1b" in out


def test_display_text_and_markdown_cell() -> None:
    assert display_text("a\x1b[31mb\r\n\t\x00\x7f\x85\u2028\u2029\u202e\ud800") == (
        "a\\x1b[31mb\\r\\n\\t\\x00\\x7f\\x85\\u2028\\u2029\\u202e\\ud800"
    )
    for text in ["", "plain", "caf\u00e9 \u4e2d\u6587 \u0645\u0631\u062d\u0628\u0627", "a\\nb"]:
        assert display_text(text) is text
    assert markdown_cell("a | b\nc\rd") == "a \\| b\\nc\\rd"


def test_picture_escapes_control_characters(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    portfolio = biopipe.load(_crafted(tmp_path))
    svg = biopipe.plot.plot_timeline(portfolio, format="svg").decode("utf-8")
    assert "\\r\\x1b[2K" in svg
    assert "\x1b" not in svg


def test_missing_folder_error_names_the_destination(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "out.json"
    with pytest.raises(FileNotFoundError) as info:
        write_atomic(target, b"x")
    assert info.value.filename == str(target)
    assert main(["schema", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err
    assert ".tmp" not in err


def _mkfifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)
