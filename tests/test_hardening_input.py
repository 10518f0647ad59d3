"""Hostile input: linear-time text checks, one rule set for the loader and the JSON Schema, bounded reads."""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biopipe
from biopipe.cli import main
from biopipe.document import _jsonio
from biopipe.model import _dates, _validate
from biopipe.model._ids import Registry

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# -- 1. every pattern runs in linear time --------------------------------------------------------


def _schema_patterns(node: Any) -> set[str]:
    """Every ``pattern`` in a JSON Schema."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.add(value)
            else:
                found |= _schema_patterns(value)
    elif isinstance(node, list):
        for item in node:
            found |= _schema_patterns(item)
    return found


SCHEMA_PATTERNS = sorted(_schema_patterns(biopipe.document.json_schema()))
MODEL_PATTERNS: dict[str, re.Pattern[str]] = {
    **_validate.PATTERNS,
    "partial date": _dates._ISO,
    "year": _dates._YEAR,
    "day": _dates._DAY,
    "half": _dates._HALF,
    "quarter": _dates._QUARTER,
    **{f"registry {r.code}": re.compile(r.pattern) for r in Registry},
}

N = 10**6
#: Starts of valid values, so that a pattern gets past its first characters before the long run.
PREFIXES = ("", "http://", "https://a/", "on or before ", "2025-", "HGNC:1", "ENSG", "P0", "NCT", "ChiCTR-", "E")
FILLS = ("a", "0", "/", " ")
ENDS = ("", " ", "\n")
BOUND = 2.0  # CPU seconds for 10^6 characters: linear takes milliseconds, quadratic hours


def _hostile() -> list[str]:
    return [prefix + fill * N + end for prefix in PREFIXES for fill in FILLS for end in ENDS]


def _slowest(match: Any) -> tuple[float, str]:
    worst = (0.0, "")
    for value in _hostile():
        start = time.process_time()
        match(value)
        elapsed = time.process_time() - start
        if elapsed > worst[0]:
            worst = (elapsed, value[:20] + "..." + repr(value[-3:]))
    return worst


def test_the_pattern_lists_are_complete() -> None:
    """The model's field patterns and the schema's are all collected (the tests below cover them)."""
    assert "an absolute http(s) URL" in _validate.PATTERNS
    assert len(_validate.PATTERNS) >= 5
    assert len(SCHEMA_PATTERNS) >= 8


@pytest.mark.parametrize("name", sorted(MODEL_PATTERNS))
def test_model_pattern_is_linear(name: str) -> None:
    """Each regex the model matches text with fails 10^6-character hostile strings in well under BOUND."""
    elapsed, value = _slowest(MODEL_PATTERNS[name].fullmatch)
    assert elapsed < BOUND, f"{name}: {elapsed:.2f} s on {value}"


@pytest.mark.parametrize("regex", SCHEMA_PATTERNS)
def test_schema_pattern_is_linear(regex: str) -> None:
    """Each JSON Schema pattern, searched as jsonschema does, runs in well under BOUND on hostile strings."""
    compiled = re.compile(regex)
    elapsed, value = _slowest(compiled.search)
    assert elapsed < BOUND, f"{regex}: {elapsed:.2f} s on {value}"


def _with_url(url: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(biopipe.document.example_text("js212"))
    doc["assets"][0]["events"][0]["sources"][0]["url"] = url
    return doc


def test_long_url_ending_in_a_space_is_rejected_quickly() -> None:
    """The issue's case at 10x its size: a 1 MB URL ending in a space, through loads and the schema."""
    doc = _with_url("http://" + "a" * N + " ")
    start = time.process_time()
    with pytest.raises(biopipe.ValidationError, match="http"):
        biopipe.loads(json.dumps(doc))
    assert not jsonschema.Draft202012Validator(biopipe.document.json_schema()).is_valid(doc)
    assert time.process_time() - start < BOUND


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org", True),
        ("https://example.org/a/b?c=d#e", True),
        ("http://a?x", True),
        ("http://a#", True),
        ("https://", False),
        ("https:///path", False),
        ("http://a b", False),
        ("http://a/b c", False),
        ("http://a\u3000", False),
        ("http://a\x1c", False),
        ("http://a\n", False),
        ("ftp://a", False),
    ],
)
def test_url_rule_is_unchanged_and_the_schema_agrees(url: str, ok: bool) -> None:
    """The linear URL pattern accepts what the old one did; the schema agrees, final newline included."""
    assert (_validate.url.ok(url)) is ok
    assert (re.fullmatch(r"https?://[^\s/?#]+[^\s]*", url) is not None) is ok
    schema = jsonschema.Draft202012Validator(biopipe.document.json_schema())
    assert schema.is_valid(_with_url(url)) is ok


def test_whitespace_class_is_what_isspace_says() -> None:
    """The spelt-out white-space class (used in the schema) holds exactly the characters str.isspace accepts."""
    everything = "".join(map(chr, range(0x110000)))
    assert set(re.findall(f"[{_validate.WHITESPACE}]", everything)) == {c for c in everything if c.isspace()}


# -- 2, 3. one rule set: every JSON backend gives the same answer, and it is the schema's ------------

BACKENDS = ["orjson", "json", "above-switch"]


@contextlib.contextmanager
def backend(name: str) -> Iterator[None]:
    """Parse with orjson (below the 16 MiB switch), the standard library, or as above the switch."""
    if name == "orjson" and _jsonio._orjson() is None:
        pytest.skip("orjson is not installed")
    with contextlib.ExitStack() as stack:
        if name == "json":
            stack.enter_context(mock.patch.object(_jsonio, "_orjson", return_value=None))
        elif name == "above-switch":
            stack.enter_context(mock.patch.object(_jsonio, "_LARGE", 0))
        yield


def js212_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(biopipe.document.example_text("js212"))
    return doc


def _outcome(text: str | bytes) -> object:
    """A loaded portfolio, or the sorted (path, expected) of the problems loading reports."""
    try:
        return biopipe.loads(text)
    except biopipe.ValidationError as e:
        return sorted((p.path, p.expected.split(" (")[0]) for p in e.problems)


JS212_TEXT = biopipe.document.example_text("js212")
DUPLICATED = {
    "root": '{"format": "biopipe", "version": 1, "version": 1, "assets": []}',
    "asset code": JS212_TEXT.replace('"code": "JS212"', '"code": "A", "code": "JS212"', 1),
    "same value": JS212_TEXT.replace('"code": "JS212"', '"code": "JS212", "code": "JS212"', 1),
    "spaced": JS212_TEXT.replace('"code": "JS212"', '"code" : "JS212",\n "code"\t:"JS212"', 1),
    "nested": JS212_TEXT.replace('"symbol": "EGFR"', '"symbol": "EGFR", "symbol": "EGFR"', 1),
}
DUPLICATE_PATHS = {
    "root": "version",
    "asset code": "assets[0].code",
    "same value": "assets[0].code",
    "spaced": "assets[0].code",
    "nested": "assets[0].targets[0].symbol",
}


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize("case", sorted(DUPLICATED))
def test_duplicate_key_is_an_error_naming_its_path(name: str, case: str) -> None:
    """{"code": "A", "code": "B"} is an error at the key's path on every backend, as text and as bytes."""
    with backend(name):
        for text in (DUPLICATED[case], DUPLICATED[case].encode()):
            with pytest.raises(biopipe.ValidationError) as info:
                biopipe.loads(text)
            [problem] = info.value.problems
            assert problem.path == DUPLICATE_PATHS[case]
            assert "each key once" in problem.expected
        with pytest.raises(biopipe.ValidationError, match="each key once"):
            biopipe.document.parse_json(DUPLICATED[case])


@pytest.mark.parametrize("name", BACKENDS)
def test_good_documents_in_any_layout_still_load(name: str) -> None:
    """Non-canonical text (minified, ASCII escapes, other key order) is not mistaken for duplicates."""
    doc = js212_doc()
    expected = biopipe.loads(JS212_TEXT)
    texts = [
        json.dumps(doc),
        json.dumps(doc, separators=(",", ":")),
        json.dumps(doc, ensure_ascii=True, indent=4),
        json.dumps(doc, sort_keys=True),
        JS212_TEXT.replace('"title": "', '"title": "\\":', 1),  # an escaped quote before a colon
    ]
    with backend(name):
        for text in texts:
            loaded = biopipe.loads(text)
            assert loaded == expected or text is texts[-1]


BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]


@pytest.mark.parametrize("name", BACKENDS)
def test_byte_order_mark_is_refused_the_same_everywhere(name: str, tmp_path: Path) -> None:
    """A BOM (UTF-8 or UTF-16) is refused with a clear message: loads of text or bytes, load, parse_json."""
    with backend(name):
        for bom in BOMS:
            data = bom + JS212_TEXT.encode()
            path = tmp_path / "bom.json"
            path.write_bytes(data)
            readers: list[Callable[[], object]] = [
                functools.partial(biopipe.loads, data),
                functools.partial(biopipe.load, path),
                functools.partial(biopipe.document.parse_json, data),
                functools.partial(biopipe.document.read_json, path),
            ]
            for read in readers:
                with pytest.raises(biopipe.ValidationError, match="byte-order mark"):
                    read()
        with pytest.raises(biopipe.ValidationError, match="byte-order mark"):
            biopipe.loads("\ufeff" + JS212_TEXT)


def test_utf16_text_is_refused_on_every_backend() -> None:
    """The standard library alone would decode UTF-16 bytes; biopipe reads UTF-8 only, everywhere."""
    data = JS212_TEXT.encode("utf-16-le")
    outcomes = []
    for name in BACKENDS:
        with backend(name), pytest.raises(biopipe.ValidationError, match="valid JSON") as info:
            biopipe.loads(data)
        outcomes.append(str(info.value))
    assert len(set(outcomes)) == 1


def _with_count(count: str) -> str:
    doc = js212_doc()
    doc["assets"][0]["trials"][0]["enrollment"] = {"count": 0}
    return json.dumps(doc).replace('"count": 0', f'"count": {count}')


@pytest.mark.parametrize(
    "count",
    ["7", "1" + "0" * 25, "1" + "0" * 309, "1" + "0" * 400, "9" * 4300, "1" + "0" * 4300, "-" + "1" * 400, "1e400"],
    ids=lambda c: f"{len(c)} chars",
)
def test_big_integers_get_one_answer_on_every_backend(count: str) -> None:
    """Integers of 20 to 4,300 digits load exactly on every backend and either side of the switch; longer fail."""
    text = _with_count(count)
    outcomes = []
    for name in BACKENDS:
        with backend(name):
            outcomes.append(_outcome(text))
            outcomes.append(_outcome(text.encode()))
    assert all(o == outcomes[0] for o in outcomes), outcomes
    loaded = outcomes[0]
    if count.isdigit() and len(count) <= 4300:
        assert isinstance(loaded, biopipe.Portfolio)
        enrollment = loaded["JS212"].trials[0].enrollment
        assert enrollment is not None
        assert enrollment.count == int(count)
    else:
        assert not isinstance(loaded, biopipe.Portfolio)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_is_not_json_on_any_backend(constant: str) -> None:
    text = JS212_TEXT.replace('"version": 2', f'"version": {constant}')
    for name in BACKENDS:
        with backend(name), pytest.raises(biopipe.ValidationError, match="valid JSON"):
            biopipe.loads(text)


@pytest.mark.parametrize(
    "value",
    [
        "\u0662\u0660\u0662\u0665-\u0660\u0661",
        "\u0662\u0660\u0662\u0665",
        "\uff12\uff10\uff12\uff15-01",
        "2025-\u0660\u0661-14",
        "2025-Q\u0663",
        "on or before \u0662\u0660\u0662\u0665",
    ],
)
def test_non_ascii_digits_are_rejected_by_loader_and_schema(value: str) -> None:
    """Dates with Arabic-Indic or full-width digits: the loader rejects them, as the JSON Schema does."""
    doc = js212_doc()
    doc["assets"][0]["events"][0]["date"] = value
    assert not SCHEMA.is_valid(doc)
    for name in BACKENDS:
        with backend(name), pytest.raises(biopipe.ValidationError, match=r"events\[0\]\.date"):
            biopipe.loads(json.dumps(doc, ensure_ascii=False))
    with pytest.raises(biopipe.InvalidPartialDate):
        biopipe.PartialDate.parse_iso(value)
    with pytest.raises(biopipe.InvalidPartialDate):
        biopipe.PartialDate.parse(value.replace("on or before ", ""))


SCHEMA = jsonschema.Draft202012Validator(biopipe.document.json_schema())

#: What the loader checks and a JSON Schema cannot say (the schema's description lists them).
BEYOND_SCHEMA = re.compile(
    r"day out of range|designation|exactly two targets|no antibody origin|distinct |not before the actual start"
    r"|unless|while the trial is planned"
    # cross-field rules of format version 2 (applications, parties, deals, event kinds)
    r"|an application id|an application filed in|application for kind|an application type the|a pathway the"
    r"|no review type|no goal date|no pathway|'traditional'|no actor|an end on or after|at least two parties"
    r"|a total in|at least one country|no listed countries"
    # field rules the schema states only in part: a target's symbol fits its pattern but is not an approved one
    r"|an approved HGNC gene symbol"
)

HOSTILE_STRINGS = [
    "", " ", "\u3000", "\x1c", "\x85", "\ufeff", "\u2028", "a\n", "\nEGFR", "EGFR\n", "EGFR ", "x\x00y", "\x1b[2J",
    "\u0662\u0660\u0662\u0665-\u0660\u0661", "\u0662\u0660\u0662\u0665",
    "2025-02-29", "2024-02-29", "2025-13", "2025-Q5", "2025-H1", "2025-H1 (estimated)",
    "on or before 2025-02-29", "on or before 2025 (estimated)", "on or before 2025-03", "2026 (estimated)",
    "NCT1234567\uff18", "NCT12345678", "NCT05288205\n", "http://a b", "https://x\u2028", "https://ok.example/x?y#z",
    "http://", "HGNC:\u0663", "HGNC:3236", "P00533", "ENSG00000146648", "ENSG00000146648\n", "phase1", "fda", "us",
    "US", "EU", "ERBB3", "erbb3", "small_molecule", "x" * (_validate.MAX_STRING + 1),
]  # fmt: skip
HOSTILE_VALUES: list[object] = [0, -1, 1, 2**70, 10**400, True, None, 1.5, 1.0, [], {}, ["EGFR"], {"x": 1}]


def _leaves(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _leaves(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _leaves(v, (*path, i))
    return out


@st.composite
def fuzzed(draw: st.DrawFn) -> Any:
    """JS212 with one to three values swapped for hostile ones (or keys dropped or added)."""
    doc: Any = js212_doc()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_leaves(doc)[1:]))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        what = draw(st.sampled_from(["string", "text", "value", "drop", "add"]))
        if what == "drop":
            del parent[path[-1]]
        elif what == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["code", "url", "x", "date", "count"]))] = draw(
                st.sampled_from(HOSTILE_STRINGS)
            )
        elif what == "value":
            # A copy: the lists and dicts among the hostile values would otherwise be shared between places (and
            # examples), so a later "add" could mutate the constant or put a value inside itself.
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(HOSTILE_VALUES)))
        elif what == "text":
            parent[path[-1]] = draw(st.text(st.characters(exclude_categories=["Cs"]), max_size=6))
        else:
            parent[path[-1]] = draw(st.sampled_from(HOSTILE_STRINGS))
    return doc


@pytest.mark.parametrize("name", BACKENDS)
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(doc=fuzzed(), ascii_only=st.booleans())
def test_loader_accepts_exactly_what_the_schema_accepts(name: str, doc: Any, ascii_only: bool) -> None:
    """Over fuzzed documents, on each backend: loaded iff schema-valid, up to the rules a schema cannot say."""
    check_against_schema(name, doc, ascii_only)


def check_against_schema(name: str, doc: Any, ascii_only: bool) -> None:
    """Loaded => schema-valid; schema-valid but refused => only for rules a JSON Schema cannot state."""
    text = json.dumps(doc, ensure_ascii=ascii_only)
    with backend(name):
        try:
            biopipe.loads(text)
            problems = None
        except biopipe.ValidationError as e:
            problems = e.problems
    schema_ok = SCHEMA.is_valid(doc)
    if problems is None:
        assert schema_ok, sorted(e.message[:120] for e in SCHEMA.iter_errors(doc))
    elif schema_ok:
        beyond = [p for p in problems if BEYOND_SCHEMA.search(p.expected) or _integral_float(p.value)]
        assert beyond == list(problems), problems


def _integral_float(value: object) -> bool:
    """1.0: an integer to JSON Schema, a float (refused where an integer is expected) to the loader."""
    return isinstance(value, float) and value.is_integer()


def test_lone_surrogate_is_refused_on_every_backend() -> None:
    r"""A "\ud800" escape parses (as JSON allows) but no field may hold it: an error everywhere."""
    text = JS212_TEXT.replace('"code": "JS212"', '"code": "JS\\ud800"', 1)
    for name in BACKENDS:
        with backend(name), pytest.raises(biopipe.ValidationError):
            biopipe.loads(text)


# -- 4. a bound on input, and only regular files ---------------------------------------------------


def test_max_bytes_bounds_load_and_read_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over the bound is refused, by keyword or environment variable; at the bound it loads."""
    path = tmp_path / "js212.json"
    path.write_text(JS212_TEXT, "utf-8")
    size = path.stat().st_size
    assert biopipe.document.MAX_BYTES == 1 << 30
    assert len(biopipe.load(path, max_bytes=size)) == 1
    assert biopipe.document.read_json(path, max_bytes=size)["format"] == "biopipe"
    with pytest.raises(biopipe.BiopipeError, match=f"at most {size - 1} bytes"):
        biopipe.load(path, max_bytes=size - 1)
    with pytest.raises(biopipe.BiopipeError, match="at most 100 bytes"):
        biopipe.document.read_json(path, max_bytes=100)
    monkeypatch.setenv("BIOPIPE_MAX_BYTES", "100")
    assert biopipe.document.default_max_bytes() == 100
    with pytest.raises(biopipe.BiopipeError, match="BIOPIPE_MAX_BYTES"):
        biopipe.load(path)
    monkeypatch.setenv("BIOPIPE_MAX_BYTES", "lots")
    with pytest.raises(biopipe.BiopipeError, match="BIOPIPE_MAX_BYTES"):
        biopipe.load(path)


def test_a_growing_file_is_read_no_further_than_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when the size stat reports is small (a file in /proc, one still growing), reading stops at the bound."""
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 5000)
    real_fstat = os.fstat

    class Small:
        def __init__(self, info: Any) -> None:
            self.st_mode, self.st_size = info.st_mode, 0

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(biopipe.BiopipeError, match="at most 1000 bytes"):
        _jsonio.read_bounded(path, 1000)


@pytest.mark.parametrize("reader", [biopipe.load, biopipe.document.read_json], ids=["load", "read_json"])
def test_non_regular_files_are_refused_without_reading(tmp_path: Path, reader: Any) -> None:
    """A FIFO with no writer, /dev/zero and a folder: a clear error at once, never a hang or a flood."""
    fifo = tmp_path / "pipe.json"
    _mkfifo(fifo)
    cases = {fifo: "FIFO", tmp_path: "folder"}
    if Path("/dev/zero").exists():
        cases[Path("/dev/zero")] = "character device"
    for path, kind in cases.items():
        start = time.monotonic()
        with pytest.raises(biopipe.BiopipeError, match=f"regular file.*{kind}"):
            reader(path)
        assert time.monotonic() - start < 5


def test_validate_dev_zero_exits_2_quickly() -> None:
    """`biopipe validate /dev/zero` (the issue's case): exit 2 with a message, in seconds."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    result = subprocess.run(
        [sys.executable, "-m", "biopipe", "validate", "/dev/zero"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_fifo_through_the_cli_does_not_block(tmp_path: Path) -> None:
    """A FIFO with no writer given to `biopipe show`: exit 2, no hang."""
    fifo = tmp_path / "pipe.json"
    _mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "biopipe", "show", str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "FIFO" in result.stderr


# -- 8. messages ---------------------------------------------------------------------------------


def test_invalid_utf8_is_reported_at_its_byte_offset(tmp_path: Path) -> None:
    """Not 'line 1 column 1': the offset, line and column of the bad byte, on every backend."""
    data = JS212_TEXT.encode()
    offset = data.index(b"Junshi")
    bad = data[:offset] + b"\xff" + data[offset + 1 :]
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    for name in BACKENDS:
        with backend(name), pytest.raises(biopipe.ValidationError) as info:
            biopipe.loads(bad)
        assert f"byte 0xff at byte offset {offset} (line {line}, column {column})" in str(info.value)
    path = tmp_path / "bad.json"
    path.write_bytes(bad)
    with pytest.raises(biopipe.ValidationError, match=f"byte offset {offset}"):
        biopipe.load(path)


def test_february_29_says_the_day_is_out_of_range() -> None:
    """2025-02-29: the message says the day is out of range for that month, in loads and parse_iso."""
    doc = js212_doc()
    doc["assets"][0]["events"][0]["date"] = "2025-02-29"
    with pytest.raises(biopipe.ValidationError, match=r"day out of range for month: 2025-02 has 28 days"):
        biopipe.loads(json.dumps(doc))
    with pytest.raises(biopipe.InvalidPartialDate, match="2025-02 has 28 days"):
        biopipe.PartialDate.parse_iso("2025-02-29")
    assert biopipe.PartialDate.parse_iso("2024-02-29") == biopipe.PartialDate(2024, 2, 29)


def test_diff_names_the_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`diff bad.json ok.json` (and the other way round) says which file is bad."""
    ok = tmp_path / "ok.json"
    ok.write_text(JS212_TEXT, "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(JS212_TEXT.replace('"modality": "bispecific_adc"', '"modality": "pill"'), "utf-8")
    for args in ([bad, ok], [ok, bad]):
        assert main(["diff", *map(str, args)]) == 2
        err = capsys.readouterr().err
        assert f"in {bad}:" in err
        assert f"in {ok}" not in err


def test_errors_show_a_bounded_excerpt_quickly() -> None:
    """A 1 MiB string or a huge array in an error: the message stays short and costs no giant repr."""
    huge = "x" * _validate.MAX_STRING
    values: list[object] = [huge, [huge] * 1000, list(range(10**6)), {str(i): i for i in range(10**5)}, 10**5000]
    for value in values:
        start = time.process_time()
        text = str(biopipe.Problem("assets[0].code", value, "a code"))
        assert time.process_time() - start < 0.5
        assert len(text) < 200
    doc = js212_doc()
    doc["assets"][0]["code"] = ["y" * 1000] * 1000
    with pytest.raises(biopipe.ValidationError) as info:
        biopipe.loads(json.dumps(doc))
    assert len(str(info.value)) < 500


@pytest.mark.fuzz
@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE") != "fuzz", reason="long runs under HYPOTHESIS_PROFILE=fuzz")
@pytest.mark.parametrize("name", BACKENDS)
@given(doc=fuzzed(), ascii_only=st.booleans())
def test_fuzz_loader_accepts_exactly_what_the_schema_accepts(name: str, doc: Any, ascii_only: bool) -> None:
    check_against_schema(name, doc, ascii_only)


@pytest.mark.parametrize("name", BACKENDS)
def test_integers_written_with_a_fraction_are_refused(name: str) -> None:
    """1.0 where an integer belongs: refused on every backend (JSON Schema would count it an integer: documented)."""
    doc = js212_doc()
    doc["assets"][0]["trials"][0]["enrollment"] = {"count": 5.0}
    with backend(name), pytest.raises(biopipe.ValidationError, match=r"count: got 5\.0, expected an integer"):
        biopipe.loads(json.dumps(doc))
    assert SCHEMA.is_valid(doc)
    assert "1.0" in biopipe.document.json_schema()["description"]


@pytest.mark.parametrize("command", [["validate"], ["show"], ["timeline"], ["diff", "{doc}"]], ids=lambda c: c[0])
def test_max_bytes_option(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """--max-bytes N on the command line: a larger input exits 2 naming the bound; at the bound it reads."""
    doc = tmp_path / "js212.json"
    doc.write_text(JS212_TEXT, "utf-8")
    size = doc.stat().st_size
    argv = [c.format(doc=doc) for c in command]
    assert main([*argv, str(doc), "--max-bytes", str(size - 1)]) == 2
    assert f"at most {size - 1} bytes" in capsys.readouterr().err
    assert main([*argv, str(doc), "--max-bytes", str(size)]) == 0
    assert main([*argv, str(doc), "--max-bytes", "0"]) == 2
    assert "positive number of bytes" in capsys.readouterr().err


def _mkfifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)
