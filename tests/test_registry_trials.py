"""Registry trials not linked to an asset: the portfolio's root ``trials``, format version 2, and every reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import jsonschema
import pytest
from hypothesis import given

import biopipe
from biopipe import Asset, Modality, Portfolio, Trial, TrialStatus, ValidationError
from biopipe.cli import main
from biopipe.document import converter, to_document
from biopipe.document._fast import structure_trials, unstructure_trial
from biopipe.interop.arrow import ROOT_TRIALS, from_arrow, read_parquet, to_arrow, write_parquet
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = jsonschema.Draft202012Validator(biopipe.document.json_schema())
JS212 = biopipe.example("js212")


def registry() -> Portfolio:
    """JS212 as an asset, and its trials again as registry trials (root trials)."""
    return Portfolio(assets=(JS212,), trials=JS212.trials)


def registry_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(biopipe.dumps(registry()))
    return doc


def problems(doc: object) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        biopipe.document.from_document(doc)
    return [(p.path, p.expected) for p in info.value.problems]


# -- the model ---------------------------------------------------------------------------------


def test_root_trials_are_not_assets() -> None:
    """len, iteration and `in` stay about assets; the trials are `portfolio.trials`."""
    p = Portfolio(trials=JS212.trials)
    assert len(p) == 0
    assert list(p) == []
    assert p.get(JS212.trials[0].key) is None
    assert p.trials == JS212.trials
    assert len(registry()) == 1
    assert [a.code for a in registry()] == ["JS212"]


def test_root_trial_keys_are_distinct() -> None:
    """Two root trials with one key are a ValidationError at the second one's path."""
    trial = JS212.trials[0]
    with pytest.raises(ValidationError) as info:
        Portfolio(trials=(trial, JS212.trials[1], attrs.evolve(trial, status=TrialStatus.COMPLETED)))
    [problem] = info.value.problems
    assert problem.path == "trials[2]"
    assert "distinct trials" in problem.expected


def test_root_trials_are_validated_like_asset_trials() -> None:
    not_trials: Any = (JS212,)  # an asset is not a trial
    with pytest.raises(ValidationError) as info:
        Portfolio(trials=not_trials)
    assert "Trial values" in str(info.value)


# -- the document format: versions -------------------------------------------------------------


def test_a_document_without_root_trials_is_version_2_without_the_key() -> None:
    """Every document is written as the current version; root ``trials`` only when there are some."""
    assert biopipe.document.FORMAT_VERSION == 2
    doc = to_document(JS212)
    assert doc["version"] == 2
    assert "trials" not in doc
    assert biopipe.dumps(JS212) == biopipe.document.example_text("js212")


def test_a_document_with_root_trials_is_version_2() -> None:
    doc = registry_doc()
    assert (doc["format"], doc["version"]) == ("biopipe", 2)
    assert [t["title"] for t in doc["trials"]] == [t.title for t in JS212.trials]
    assert list(doc) == ["format", "version", "assets", "trials"]
    assert biopipe.loads(json.dumps(doc)) == registry()


def test_version_1_documents_load_unchanged() -> None:
    """The JS212 record as 0.1 wrote it (version 1) loads with every value it holds, and nothing added."""
    doc = json.loads((Path(__file__).parent / "data" / "js212-v1.json").read_text("utf-8"))
    assert doc["version"] == 1
    old = biopipe.document.from_document(doc)["JS212"]
    assert old.applications == ()
    assert old.parties == ()
    assert [e.application for e in old.events] == [None] * 4
    # Version 2's JS212 says more (applications, the originator, the day Junshi announced the FDA clearance,
    # a synonym of its indication).
    stripped = attrs.evolve(
        JS212,
        indications=tuple(attrs.evolve(i, synonyms=()) for i in JS212.indications),
        applications=(),
        parties=(),
        events=tuple(attrs.evolve(e, application=None, disclosed=None) for e in JS212.events),
    )
    assert old == stripped


def test_version_2_document_may_omit_root_trials() -> None:
    doc = json.loads(biopipe.document.example_text("js212"))
    doc["version"] = 2
    assert biopipe.document.from_document(doc).trials == ()
    assert SCHEMA.is_valid(doc)


def test_version_1_document_with_root_trials_is_an_error_naming_the_version() -> None:
    """Loader and schema agree: root trials need version 2."""
    doc = registry_doc()
    doc["version"] = 1
    [(path, expected)] = problems(doc)
    assert path == "version"
    assert expected == "format version 2 or newer for a document with root trials"
    assert not SCHEMA.is_valid(doc)
    doc["trials"] = []
    assert [p for p, _ in problems(doc)] == ["version"]
    assert not SCHEMA.is_valid(doc)


def test_newer_versions_are_refused() -> None:
    doc = registry_doc()
    doc["version"] = 3
    assert problems(doc) == [("version", "an integer format version from 1 to 2")]
    assert not SCHEMA.is_valid(doc)


# -- the document format: errors with paths ----------------------------------------------------


def test_bad_root_trial_is_reported_with_its_path() -> None:
    """The slow path names ``trials[i].field``, like asset trials, and lists every problem."""
    doc = registry_doc()
    doc["trials"] = doc["trials"] * 2
    doc["trials"][3] = dict(doc["trials"][3], status="done")
    doc["trials"][0] = dict(doc["trials"][0], phase="phase7")
    found = problems(doc)
    assert [p for p, _ in found] == ["trials[0].phase", "trials[3].status"]
    assert "'recruiting'" in found[1][1]
    assert not SCHEMA.is_valid(doc)


def test_root_trials_must_be_an_array_of_objects() -> None:
    doc = registry_doc()
    doc["trials"] = {"title": "x"}
    assert problems(doc) == [("trials", "an array")]
    doc["trials"] = [1]
    assert [p for p, _ in problems(doc)] == ["trials[0]"]


def test_duplicate_root_trials_in_a_document() -> None:
    doc = registry_doc()
    doc["trials"].append(doc["trials"][0])
    [(path, expected)] = problems(doc)
    assert path == "trials[2]"
    assert "distinct trials" in expected


def test_bad_asset_and_bad_root_trial_are_both_reported() -> None:
    doc = registry_doc()
    del doc["assets"][0]["sponsor"]
    doc["trials"][1]["start"] = "2025-13"
    assert {p for p, _ in problems(doc)} == {"assets[0].sponsor", "trials[1].start"}


@given(bst.portfolios(max_assets=1, max_trials=3))
def test_round_trip_with_root_trials(portfolio: Portfolio) -> None:
    """loads(dumps(x)) == x, the text is canonical, valid by the schema, and version 2 exactly when it has root trials.

    The fast path (generated) and the converter agree on root trials.
    """
    text = biopipe.dumps(portfolio)
    doc = json.loads(text)
    assert doc["version"] == biopipe.document.FORMAT_VERSION
    loaded = biopipe.loads(text)
    assert loaded == portfolio
    assert biopipe.dumps(loaded) == text
    SCHEMA.validate(doc)
    data = [unstructure_trial(t) for t in portfolio.trials]
    assert data == [converter.unstructure(t, Trial) for t in portfolio.trials]
    assert structure_trials(data) == converter.structure(data, tuple[Trial, ...]) == portfolio.trials


# -- queries and checks read assets only --------------------------------------------------------


def unchecked_asset() -> Asset:
    """An asset whose recruiting trial has no clearance on record: `trial-without-clearance` fires."""
    return Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, trials=JS212.trials[:1])


def test_check_does_not_fire_asset_rules_on_root_trials() -> None:
    """The same trial is an error on an asset without events, and nothing as a registry trial."""
    asset = unchecked_asset()
    on_asset = biopipe.review.check(asset)
    assert "trial-without-clearance" in {f.code for f in on_asset.errors}
    assert len(biopipe.review.check(Portfolio(trials=asset.trials))) == 0
    both = biopipe.review.check(Portfolio(assets=(asset,), trials=asset.trials))
    assert both == on_asset
    assert all(f.path.startswith("assets[0].") for f in both)


def test_timeline_leaves_out_root_trials() -> None:
    """A timeline entry belongs to an asset: root trials are not in it (documented)."""
    assert len(biopipe.timeline(Portfolio(trials=JS212.trials))) == 0
    assert biopipe.timeline(registry()) == biopipe.timeline(JS212)


# -- tables ------------------------------------------------------------------------------------


def test_root_trials_are_rows_with_the_empty_asset_code() -> None:
    tables = to_arrow(registry())
    trials = tables["trials"].select(["asset_code", "position", "trial_key"]).to_pylist()
    n = len(JS212.trials)
    assert [r["asset_code"] for r in trials] == ["JS212"] * n + [ROOT_TRIALS] * n
    assert [(r["position"], r["trial_key"]) for r in trials[n:]] == list(enumerate(t.key for t in JS212.trials))
    countries = tables["trial_countries"].to_pylist()
    root_countries = [(r["trial_key"], r["country"]) for r in countries if r["asset_code"] == ROOT_TRIALS]
    assert root_countries == [(t.key, c) for t in JS212.trials for c in t.countries]
    assert from_arrow(tables) == registry()


@given(bst.portfolios(max_assets=1, max_trials=2))
def test_any_portfolio_with_root_trials_survives_arrow_round_trip(portfolio: Portfolio) -> None:
    assert from_arrow(to_arrow(portfolio)) == portfolio


def test_root_trials_survive_parquet(tmp_path: Path) -> None:
    write_parquet(registry(), tmp_path)
    assert read_parquet(tmp_path) == registry()


# -- the command line --------------------------------------------------------------------------


def test_cli_validate_counts_registry_trials(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "registry.json"
    biopipe.dump(registry(), path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: valid (1 asset, 2 registry trials)\n"


def test_cli_export_parquet_keeps_root_trials(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    biopipe.dump(registry(), path)
    assert main(["export", "parquet", str(path), "-o", str(tmp_path / "tables")]) == 0
    assert read_parquet(tmp_path / "tables") == registry()
