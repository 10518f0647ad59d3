"""Timeline entries of the format-2 facts: application steps in one line, deals and rights as entries."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings

import biopipe
from biopipe import (
    Actor,
    Agency,
    Application,
    ApplicationType,
    Asset,
    Deal,
    DealKind,
    EventKind,
    FactDate,
    Modality,
    Money,
    PartialDate,
    Party,
    PartyRole,
    Pathway,
    RegulatoryEvent,
    ReviewType,
    Territory,
    timeline,
)
from biopipe.query import Milestone
from format2_strategies import format2_assets

BLA = Application(id="US BLA", agency=Agency.FDA, kind=ApplicationType.BLA, number="761139")
EX_CN = Territory(worldwide=True, excluding=("CN",))


def _event(kind: EventKind, date: str, **fields: Any) -> RegulatoryEvent:
    return RegulatoryEvent(agency=Agency.FDA, kind=kind, date=FactDate.parse(date), **fields)


def _asset(**fields: Any) -> Asset:
    return Asset(code="X1", sponsor="Acme", modality=Modality.MONOCLONAL_ANTIBODY, **fields)


def test_an_application_lifecycle_reads_one_line_per_fact() -> None:
    """Each step names its application with review, goal date, pathway and who withdrew: one entry each."""
    events = (
        _event(
            EventKind.MARKETING_ACCEPTED,
            "2023-12-21",
            application="US BLA",
            review=ReviewType.PRIORITY,
            goal_date=PartialDate(2024, 6, 26),
        ),
        _event(EventKind.REVIEW_EXTENDED, "2024-06-01", application="US BLA", goal_date=PartialDate(2024, 9, 26)),
        _event(EventKind.MARKETING_APPROVED, "2024-09-20", application="US BLA", pathway=Pathway.ACCELERATED),
        _event(EventKind.APPROVAL_CONVERTED, "2025-10-01", application="US BLA", pathway=Pathway.TRADITIONAL),
    )
    tl = timeline(_asset(applications=(BLA,), events=events))
    assert [e.label for e in tl] == [
        "BLA 761139 accepted (priority review, goal 2024-06-26)",
        "review of BLA 761139 extended (goal 2024-09-26)",
        "BLA 761139 approved (accelerated)",
        "approval of BLA 761139 converted to traditional",
    ]
    assert [e.fact for e in tl] == list(events)
    text = tl.render().splitlines()
    assert text[0].split("  ")[-1] == "BLA 761139 accepted (priority review, goal 2024-06-26)"
    assert "FDA" in text[0]


def test_events_naming_no_application_read_with_the_kinds_words() -> None:
    """A sponsor's withdrawal and a complete response without an application on record."""
    events = (
        _event(EventKind.COMPLETE_RESPONSE, "2024-01-10"),
        _event(EventKind.MARKETING_WITHDRAWN, "2024-03-01", by=Actor.SPONSOR),
        _event(EventKind.APPROVAL_CONVERTED, "2025-01"),
    )
    assert [e.label for e in timeline(_asset(events=events))] == [
        "complete response",
        "marketing application withdrawn by the sponsor",
        "approval converted to traditional",
    ]
    assert [e.label for e in timeline(_asset(applications=(BLA,), events=(events[0],)))] == ["complete response"]
    named = _event(EventKind.COMPLETE_RESPONSE, "2024-01-10", application="US BLA")
    assert [e.label for e in timeline(_asset(applications=(BLA,), events=(named,)))] == [
        "complete response to BLA 761139"
    ]


def test_deals_and_rights_are_entries_and_a_deal_dated_start_is_the_deal_only() -> None:
    """A licence on 2023-12-01 and the licensee it makes from that day: one deal entry; the end is its own."""
    deal = Deal(
        kind=DealKind.LICENSE,
        date=FactDate.parse("2023-12-01"),
        parties=("Acme", "Partner"),
        territory=EX_CN,
        upfront=Money(amount=100_000_000, currency="USD"),
        total=Money(amount=1_000_000_000, currency="USD"),
    )
    partner = Party(
        name="Partner", role=PartyRole.LICENSEE, territory=EX_CN, start=PartialDate(2023, 12, 1), end=PartialDate(2025)
    )
    tl = timeline(_asset(deals=(deal,), parties=(partner,)))
    assert [(e.kind, str(e.date), e.label) for e in tl] == [
        (
            Milestone.DEAL,
            "2023-12-01",
            "license: Acme, Partner (worldwide except CN; upfront USD 100,000,000; up to USD 1,000,000,000)",
        ),
        (Milestone.RIGHTS_END, "2025", "Partner no longer licensee (worldwide except CN)"),
    ]
    assert [e.fact for e in tl] == [deal, partner]
    # A party's start that no deal dates is an entry of its own.
    co = Party(
        name="Other", role=PartyRole.CO_DEVELOPER, territory=Territory(countries=("US",)), start=PartialDate(2022)
    )
    [entry] = timeline(_asset(parties=(co,)))
    assert (entry.kind, entry.label, entry.countries) == (
        Milestone.RIGHTS_START,
        "Other becomes co-developer (US)",
        ("US",),
    )
    assert len(timeline(_asset(deals=(deal,), parties=(partner, co)), kind="deal")) == 1
    assert len(timeline(_asset(parties=(co,)), jurisdiction="US")) == 1
    data = json.loads(timeline(_asset(deals=(deal,))).render("json"))
    assert data["entries"][0]["kind"] == "deal"


# -- properties -------------------------------------------------------------------------------------


@settings(max_examples=max(10, settings().max_examples // 2))
@given(format2_assets())
def test_one_fact_one_entry(asset: Asset) -> None:
    """Each event and each deal is exactly one entry; a party yields its start unless a deal dates it, and its end."""
    tl = timeline(asset)
    facts = [id(e.fact) for e in tl]
    for event in asset.events:
        assert facts.count(id(event)) == 1
    for deal in asset.deals:
        assert facts.count(id(deal)) == 1
    for party in asset.parties:
        dealt = any(
            d.date.date == party.start and party.name.casefold() in (p.casefold() for p in d.parties)
            for d in asset.deals
        )
        expected = (party.start is not None and not dealt) + (party.end is not None)
        assert facts.count(id(party)) == expected
    trial_dates = sum(
        1 for t in asset.trials for name in ("start", "primary_completion", "completion") if getattr(t, name)
    )
    assert (
        len(tl) == len(asset.events) + len(asset.deals) + sum(facts.count(id(p)) for p in asset.parties) + trial_dates
    )


def test_deals_and_parties_enter_a_knowledge_time_timeline_when_public() -> None:
    """Under known_on, a deal or a party's start is shown only once its own public date has passed."""
    iza = biopipe.example("izalontamab_brengitecan")
    deal = iza.deals[0]
    assert deal.public_on is not None
    day = deal.public_on.latest
    before = biopipe.timeline(iza, known_on=day - dt.timedelta(days=1))
    after = biopipe.timeline(iza, known_on=day)
    assert deal not in [e.fact for e in before.entries]
    assert deal in [e.fact for e in after.entries]
