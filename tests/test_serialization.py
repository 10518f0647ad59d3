"""The JSON format: exact round trips, canonical text, schema agreement, strict errors with paths."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
from biopipe import BiopipeError, Portfolio, ValidationError
from biopipe.document import converter
from biopipe.testing import strategies as bst

SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(biopipe.document.json_schema())


def js212_doc() -> dict[str, Any]:
    """A fresh, mutable copy of the bundled JS212 document."""
    doc: dict[str, Any] = json.loads(biopipe.document.example_text("js212"))
    return doc


def problems(doc: object) -> list[tuple[str, str]]:
    """(path, expected) for every problem loading *doc* reports."""
    with pytest.raises(ValidationError) as info:
        biopipe.document.from_document(doc)
    return [(p.path, p.expected) for p in info.value.problems]


# -- round trips ---------------------------------------------------------------------------


@given(bst.portfolios())
def test_round_trip_canonical_text_and_schema(portfolio: Portfolio) -> None:
    """For every portfolio x with text s = dumps(x).

    - loads(s) == x (nothing lost or altered);
    - dumps(loads(s)) == s (canonical text is a fixed point);
    - s validates against the JSON Schema (schema and writer agree).

    One property checks all three so the expensive portfolio generation is shared.
    """
    text = biopipe.dumps(portfolio)
    loaded = biopipe.loads(text)
    assert loaded == portfolio
    assert biopipe.dumps(loaded) == text
    SCHEMA_VALIDATOR.validate(json.loads(text))


@pytest.mark.parametrize(
    ("cls", "strategy"),
    [
        (biopipe.PartialDate, bst.partial_dates()),
        (biopipe.FactDate, bst.fact_dates()),
        (biopipe.RegistryId, bst.registry_ids()),
        (biopipe.Source, bst.sources()),
        (biopipe.Target, bst.targets()),
        (biopipe.Endpoint, bst.endpoints()),
        (biopipe.Organization, bst.organizations()),
        (biopipe.Arm, bst.arms()),
        (biopipe.Intervention, bst.interventions()),
        (biopipe.Enrollment, bst.enrollments()),
        (biopipe.SourceTerm, bst.source_terms()),
        (biopipe.Alias, bst.aliases()),
        (biopipe.Indication, bst.indications()),
        (biopipe.TrialDesign, bst.trial_designs()),
        (biopipe.Trial, bst.trials()),
        (biopipe.RegulatoryEvent, bst.regulatory_events()),
        (biopipe.Asset, bst.assets()),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_every_model_type_round_trips_through_the_converter(cls: type, strategy: st.SearchStrategy[Any]) -> None:
    """structure(unstructure(x)) == x for each model type on its own, via JSON text."""

    @given(strategy)
    def check(obj: Any) -> None:
        text = json.dumps(converter.unstructure(obj, cls))
        assert converter.structure(json.loads(text), cls) == obj

    check()


@given(bst.portfolios())
def test_output_is_deterministic(portfolio: Portfolio) -> None:
    """Equal objects give identical text."""
    rebuilt = biopipe.document.from_document(copy.deepcopy(biopipe.document.to_document(portfolio)))
    assert biopipe.dumps(rebuilt) == biopipe.dumps(portfolio)


def test_the_bundled_record_is_canonical() -> None:
    """The shipped JS212 file is exactly what dumps writes for it."""
    assert biopipe.dumps(biopipe.example("js212")) == biopipe.document.example_text("js212")


def test_every_document_carries_its_format_version() -> None:
    """The root names the format and its version: the current one, with or without root trials."""
    doc = json.loads(biopipe.dumps(biopipe.example("js212")))
    assert (doc["format"], doc["version"]) == ("biopipe", biopipe.document.FORMAT_VERSION)
    registry = Portfolio(trials=biopipe.example("js212").trials)
    doc = json.loads(biopipe.dumps(registry))
    assert (doc["format"], doc["version"]) == ("biopipe", biopipe.document.FORMAT_VERSION)


# -- bad input -------------------------------------------------------------------------------


def test_truncated_json_is_a_validation_error() -> None:
    """Half a document is reported as invalid JSON, not a JSONDecodeError traceback."""
    text = biopipe.document.example_text("js212")
    with pytest.raises(ValidationError) as info:
        biopipe.loads(text[: len(text) // 2])
    assert "valid JSON" in str(info.value)


def test_unknown_phase_code_names_path_and_allowed_codes() -> None:
    """'phase7' is rejected at assets[0].trials[0].phase with the allowed codes."""
    doc = js212_doc()
    doc["assets"][0]["trials"][0]["phase"] = "phase7"
    [(path, expected)] = problems(doc)
    assert path == "assets[0].trials[0].phase"
    assert "'phase1_2'" in expected


@pytest.mark.parametrize(("date", "detail"), [("2025-13", "month"), ("2025-04-31", "day")])
def test_impossible_dates_name_their_path(date: str, detail: str) -> None:
    """Month 13 and 31 April are rejected where they stand."""
    doc = js212_doc()
    doc["assets"][0]["events"][2]["date"] = date
    with pytest.raises(ValidationError) as info:
        biopipe.document.from_document(doc)
    [problem] = info.value.problems
    assert (problem.path, problem.value) == ("assets[0].events[2].date", date)


def test_malformed_nct_id() -> None:
    """NCT123 is rejected at the trial's ids."""
    doc = js212_doc()
    doc["assets"][0]["trials"][0]["ids"] = ["NCT05288205", "NCT123"]
    [(path, expected)] = problems(doc)
    assert path == "assets[0].trials[0].ids[1]"
    assert "trial registry id" in expected


def test_malformed_uniprot_id() -> None:
    """A bad UniProt accession is rejected at the target's field."""
    doc = js212_doc()
    doc["assets"][0]["targets"][1]["uniprot_id"] = "P2186"
    [(path, expected)] = problems(doc)
    assert path == "assets[0].targets[1].uniprot_id"
    assert "UniProtKB" in expected


@pytest.mark.parametrize("n", [1, 3])
def test_bispecific_with_wrong_target_count(n: int) -> None:
    """A bispecific ADC with one or three targets fails at assets[0].targets."""
    doc = js212_doc()
    targets = doc["assets"][0]["targets"]
    doc["assets"][0]["targets"] = targets[:1] if n == 1 else [*targets, {"symbol": "MET"}]
    [(path, expected)] = problems(doc)
    assert path == "assets[0].targets"
    assert "exactly two targets" in expected


def test_unknown_keys_are_errors_that_name_them() -> None:
    """Typos are not ignored: each unknown key is reported at its own path."""
    doc = js212_doc()
    doc["assets"][0]["sponser"] = "Junshi"
    doc["assets"][0]["events"][0]["agencyy"] = "fda"
    doc["extra"] = 1
    found = dict(problems(doc))
    assert set(found) == {"assets[0].sponser", "assets[0].events[0].agencyy", "extra"}
    assert all("no such field" in e for e in found.values())


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("code",), 212, "a string"),
        (("trials", 0, "countries"), "CN", "an array"),
        (("trials", 0, "enrollment"), {"count": "12"}, "an integer"),
        (("trials", 0, "enrollment"), {"count": 12.0}, "an integer"),
        (("trials", 0, "enrollment"), {"count": True}, "an integer"),
        (("events", 0), "ind_accepted", "an object (RegulatoryEvent)"),
        (("modality",), None, "one of"),
    ],
)
def test_wrong_types_are_not_coerced(path: tuple[str | int, ...], value: object, expected: str) -> None:
    """No str(1), no int(12.0), no bool as int, no string as array."""
    doc = js212_doc()
    node = doc["assets"][0]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    found = problems(doc)
    assert any(expected in e for _, e in found), found
    prefix = "assets[0]." + ".".join(f"{k}" if isinstance(k, str) else f"[{k}]" for k in path).replace(".[", "[")
    assert any(p.startswith(prefix) for p, _ in found), (prefix, found)


def test_every_problem_is_reported_not_only_the_first() -> None:
    """Three independent errors give three problems in one ValidationError."""
    doc = js212_doc()
    asset = doc["assets"][0]
    asset["events"][0]["date"] = "2025-13"
    asset["targets"][0]["hgnc_id"] = "3236"
    asset["trials"][1]["status"] = "ongoing"
    paths = {p for p, _ in problems(doc)}
    assert paths == {"assets[0].events[0].date", "assets[0].targets[0].hgnc_id", "assets[0].trials[1].status"}


def test_missing_required_fields_are_reported() -> None:
    """A missing required key is a problem at its path."""
    doc = js212_doc()
    del doc["assets"][0]["sponsor"]
    del doc["version"]
    assert {p for p, _ in problems(doc)} == {"version", "assets[0].sponsor"}


def test_newer_format_versions_are_refused() -> None:
    """A document from a newer format version is an error, not a best effort."""
    doc = js212_doc()
    doc["version"] = biopipe.document.FORMAT_VERSION + 1
    assert [p for p, _ in problems(doc)] == ["version"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_arbitrary_json_raises_only_biopipe_errors(value: object) -> None:
    """Whatever JSON arrives, the loader answers with a BiopipeError (or a portfolio)."""
    with contextlib.suppress(BiopipeError):
        biopipe.loads(json.dumps(value))


@given(json_values, st.sampled_from(["assets", "targets", "events", "trials"]))
def test_arbitrary_values_inside_a_real_document_raise_only_biopipe_errors(value: object, key: str) -> None:
    """Garbage nested inside a valid document is reported, never a crash."""
    doc = js212_doc()
    if key == "assets":
        doc["assets"].append(value)
    else:
        doc["assets"][0][key].append(value)
    with contextlib.suppress(BiopipeError):
        biopipe.document.from_document(doc)


# -- files -----------------------------------------------------------------------------------


def test_dump_and_load_a_file(tmp_path: Path) -> None:
    """dump writes the canonical text; load reads it back equal."""
    target = tmp_path / "out.json"
    biopipe.dump(biopipe.example("js212"), target)
    assert target.read_text("utf-8") == biopipe.document.example_text("js212")
    assert biopipe.load(target)["JS212"] == biopipe.example("js212")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_dump_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure mid-write leaves the previous file intact and no temporary file behind."""
    target = tmp_path / "out.json"
    target.write_text("old", "utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        biopipe.dump(biopipe.example("js212"), target)
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_load_of_a_missing_file_is_a_biopipe_error(tmp_path: Path) -> None:
    """A missing file is reported as bad input, not an OSError traceback."""
    with pytest.raises(BiopipeError):
        biopipe.load(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("trials", 0, "phase"), "phase7"),
        (("trials", 0, "ids"), ["NCT123"]),
        (("targets", 1, "uniprot_id"), "P2186"),
        (("events", 0, "date"), "2025-1"),
        (("events", 0, "date"), "before 2025-01"),
        (("trials", 0, "countries"), ["CN", "CN"]),
        (("trials", 0, "countries"), ["XX"]),
        (("code",), " "),
        (("sponsor",), 7),
        (("events", 0, "agencyy"), "fda"),
    ],
)
def test_schema_and_loader_reject_the_same_documents(path: tuple[str | int, ...], value: object) -> None:
    """Where the schema can express a rule, it rejects exactly what the loader rejects."""
    doc = js212_doc()
    assert SCHEMA_VALIDATOR.is_valid(doc)
    node = doc["assets"][0]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert not SCHEMA_VALIDATOR.is_valid(doc)
    with pytest.raises(ValidationError):
        biopipe.document.from_document(doc)
