"""The shipped Hypothesis strategies: valid data, Hypothesis's default health checks, and the realistic mode."""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections import defaultdict

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import ApplicationKind, Asset, DateBasis, EventKind, Portfolio, RegulatoryEvent
from biopipe.testing import strategies as bst

#: Hypothesis's own defaults (100 examples, 200 ms deadline, every health check), whatever profile conftest loaded.
DEFAULTS = settings(settings.get_profile("default"))


def test_the_default_profile_checks_everything() -> None:
    """The settings the tests below use suppress no health check and keep the default deadline."""
    assert DEFAULTS.suppress_health_check == ()
    assert DEFAULTS.max_examples == 100
    assert DEFAULTS.deadline is not None
    assert set(HealthCheck) >= {HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example}


@DEFAULTS
@given(st.from_type(Asset))
def test_from_type_asset_passes_the_default_health_checks(asset: Asset) -> None:
    """st.from_type(Asset) draws valid assets fast enough for Hypothesis's default settings."""
    assert isinstance(asset, Asset)
    assert biopipe.loads(biopipe.dumps(asset)) == Portfolio(assets=(asset,))


@DEFAULTS
@given(st.from_type(Portfolio))
def test_from_type_portfolio_passes_the_default_health_checks(portfolio: Portfolio) -> None:
    """Portfolios too (up to 3 assets, distinct codes)."""
    assert len(portfolio) <= 3
    assert len({a.code for a in portfolio}) == len(portfolio)
    assert biopipe.loads(biopipe.dumps(portfolio)) == portfolio


@DEFAULTS
@given(bst.portfolios(realistic=True))
def test_realistic_portfolios_pass_the_default_health_checks(portfolio: Portfolio) -> None:
    """Realistic portfolios are valid documents with distinct codes."""
    assert len({a.code for a in portfolio}) == len(portfolio)
    assert biopipe.loads(biopipe.dumps(portfolio)) == portfolio


_CODE = re.compile(r"[A-Z]{2,4}-?[0-9]{3,4}(-[0-9]+)?")
#: The order of an application's stages: filing, acceptance, then the decision.
_STAGE = {
    EventKind.IND_SUBMITTED: 0,
    EventKind.IND_ACCEPTED: 1,
    EventKind.IND_CLEARED: 2,
    EventKind.MARKETING_SUBMITTED: 0,
    EventKind.MARKETING_ACCEPTED: 1,
    EventKind.MARKETING_APPROVED: 2,
    EventKind.DESIGNATION_GRANTED: 0,
}


def _by_application(events: tuple[RegulatoryEvent, ...]) -> dict[tuple[str, ApplicationKind], list[RegulatoryEvent]]:
    groups: dict[tuple[str, ApplicationKind], list[RegulatoryEvent]] = defaultdict(list)
    for event in events:
        groups[event.agency.code, event.kind.application].append(event)
    return groups


@DEFAULTS
@given(bst.assets(realistic=True))
def test_realistic_histories_are_ordered(asset: Asset) -> None:
    """Per agency and application: submitted, then accepted, then cleared or approved, each strictly later."""
    assert _CODE.fullmatch(asset.code), asset.code
    assert asset.events, "a realistic asset has at least one filing"
    days = [e.date.date.earliest for e in asset.events]
    assert days == sorted(days), "the history is in date order"
    cleared = {}
    for (agency, application), events in _by_application(asset.events).items():
        stages = [_STAGE[e.kind] for e in events]
        assert stages == sorted(set(stages)), (agency, [e.kind.code for e in events])
        if application is not ApplicationKind.DESIGNATION:
            assert stages[0] == 0, "every application starts with its filing"
        for before, after in itertools.pairwise(events):
            assert before.date.date.latest < after.date.date.earliest, (str(before.date), str(after.date))
        for event in events:
            assert event.date.basis in (DateBasis.ACTUAL, DateBasis.ANNOUNCED)
            if event.kind is EventKind.IND_CLEARED:
                cleared[event.jurisdiction] = event.date.latest
    for trial in asset.trials:
        assert trial.start is not None
        for country in trial.countries:
            assert cleared[country] < trial.start.date.earliest, "a trial starts after its clearance there"
    # Nothing the consistency rules would call an error or a warning.
    assert [f for f in biopipe.review.check(asset) if f.severity.code != "info"] == []


def test_realistic_examples_look_real() -> None:
    """The realistic flavour's data: ASCII codes, real targets, NCT ids (checked over many draws)."""
    seen: list[Asset] = []

    @settings(max_examples=60, database=None)
    @given(bst.assets(realistic=True))
    def collect(asset: Asset) -> None:
        seen.append(asset)

    collect()
    assert all(a.code.isascii() for a in seen)
    assert {t.symbol for a in seen for t in a.targets} <= {
        "EGFR", "ERBB2", "ERBB3", "KRAS", "MET", "CD19", "TNFRSF17", "PDCD1", "CD274", "TACSTD2", "CLDN18", "DLL3",
    }  # fmt: skip
    kinds = {e.kind for a in seen for e in a.events}
    assert {EventKind.IND_SUBMITTED, EventKind.IND_CLEARED} <= kinds
    assert any(a.trials for a in seen)
    assert all(str(i).startswith("NCT") for a in seen for t in a.trials for i in t.ids)


@pytest.mark.parametrize("name", bst.__all__)
def test_every_strategy_is_built_once(name: str) -> None:
    """Calling a strategy function twice with the same arguments gives the same strategy object (no rebuilding)."""
    make = getattr(bst, name)
    assert make() is make()


# -- format version 2 facts -----------------------------------------------------------------------------


@functools.cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(biopipe.document.json_schema())


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(bst.portfolios(max_assets=2), bst.portfolios(max_assets=2, realistic=True)))
def test_generated_documents_are_schema_valid_and_load_back(portfolio: Portfolio) -> None:
    """Property: applications, parties, deals and the new event fields are written as the schema says, and load."""
    text = biopipe.dumps(portfolio)
    errors = [e.message[:120] for e in _schema_validator().iter_errors(json.loads(text))]
    assert errors == []
    assert biopipe.loads(text) == portfolio


@settings(max_examples=60)
@given(bst.assets(realistic=True))
def test_realistic_events_name_applications_of_their_track(asset: Asset) -> None:
    """Realistic histories: every event but a designation names an application filed in its jurisdiction."""
    ids = {a.id: a for a in asset.applications}
    for event in asset.events:
        if event.kind.application is ApplicationKind.DESIGNATION:
            continue
        application = ids[event.application or ""]
        assert application.jurisdiction == event.jurisdiction
        assert application.kind.track is event.kind.application
    assert asset.parties[0].role is biopipe.PartyRole.ORIGINATOR
