"""Diffs of the format-2 facts: applications, parties and deals by identity, and the new event fields."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Actor,
    Agency,
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
    Portfolio,
    RegulatoryEvent,
    ReviewType,
    Territory,
)
from biopipe.review import diff
from format2_strategies import BLA, SBLA, format2_assets
from test_diff import _reference

ACME = Party(name="Acme", role=PartyRole.ORIGINATOR)
PARTNER = Party(
    name="Partner", role=PartyRole.LICENSEE, territory=Territory(worldwide=True, excluding=("CN",)), start=None
)
DEAL = Deal(
    kind=DealKind.LICENSE,
    date=FactDate.parse("2023-12-01"),
    parties=("Partner", "Acme"),
    upfront=Money(amount=100, currency="USD"),
)
ACCEPTED = RegulatoryEvent(
    agency=Agency.FDA, kind=EventKind.MARKETING_ACCEPTED, date=FactDate.parse("2023-12-21"), application="US BLA"
)
BASE = Asset(
    code="X1",
    sponsor="Acme",
    modality=Modality.MONOCLONAL_ANTIBODY,
    applications=(BLA,),
    events=(ACCEPTED,),
    parties=(ACME, PARTNER),
    deals=(DEAL,),
)


def _rows(old: Asset, new: Asset) -> list[tuple[str, str]]:
    return [(c.kind.code, c.path) for c in diff(old, new)]


def test_applications_are_matched_by_id() -> None:
    """A new number is one change of that application; a new application is one addition; a renamed one two."""
    numbered = attrs.evolve(BASE, applications=(attrs.evolve(BLA, number="761139"),))
    (change,) = diff(BASE, numbered)
    assert (change.kind.code, change.path, change.old, change.new) == (
        "changed",
        "assets[X1].applications[US BLA].number",
        None,
        "761139",
    )
    assert _rows(BASE, attrs.evolve(BASE, applications=(BLA, SBLA))) == [("added", "assets[X1].applications[US sBLA]")]


def test_parties_are_matched_by_name_and_role_and_a_territory_is_one_value() -> None:
    """A licensee's territory gaining Hong Kong is one change; a changed role is a change of the same party."""
    wider = attrs.evolve(PARTNER, territory=Territory(worldwide=True, excluding=("CN", "HK")))
    (change,) = diff(BASE, attrs.evolve(BASE, parties=(ACME, wider)))
    assert change.path == "assets[X1].parties[Partner licensee].territory"
    assert str(change) == (
        "~ assets[X1].parties[Partner licensee].territory: worldwide except CN -> worldwide except CN, HK"
    )
    co = attrs.evolve(PARTNER, role=PartyRole.CO_DEVELOPER)
    assert _rows(BASE, attrs.evolve(BASE, parties=(ACME, co))) == [
        ("changed", "assets[X1].parties[Partner co_developer].role")
    ]
    assert _rows(BASE, attrs.evolve(BASE, parties=(ACME,))) == [("removed", "assets[X1].parties[Partner licensee]")]


def test_deals_are_matched_by_kind_date_and_parties() -> None:
    """Deals are labelled kind, date and sorted parties; a redated deal or a new upfront is one change."""
    label = "assets[X1].deals[license 2023-12-01 Acme + Partner]"
    assert _rows(attrs.evolve(BASE, deals=()), BASE) == [("added", label)]
    redated = attrs.evolve(DEAL, date=FactDate.parse("2023-12-04"))
    assert _rows(BASE, attrs.evolve(BASE, deals=(redated,))) == [
        ("changed", "assets[X1].deals[license 2023-12-04 Acme + Partner].date")
    ]
    more = attrs.evolve(DEAL, upfront=Money(amount=200, currency="USD"))
    (change,) = diff(BASE, attrs.evolve(BASE, deals=(more,)))
    assert str(change) == f"~ {label}.upfront: USD 100 -> USD 200"


def test_each_new_event_field_is_one_change_of_the_one_event() -> None:
    """review, pathway, goal_date, by, application and disclosed: each edit is one change on the event's path."""
    path = "assets[X1].events[fda marketing_accepted]"
    edits: dict[str, Any] = {
        "review": ReviewType.PRIORITY,
        "goal_date": PartialDate(2024, 6, 26),
        "application": None,
        "disclosed": PartialDate(2023, 12, 22),
    }
    for name, value in edits.items():
        (change,) = diff(BASE, attrs.evolve(BASE, events=(attrs.evolve(ACCEPTED, **{name: value}),)))
        assert (change.kind.code, change.path, change.new) == ("changed", f"{path}.{name}", value)
    approved = attrs.evolve(ACCEPTED, kind=EventKind.MARKETING_APPROVED, pathway=Pathway.ACCELERATED)
    (change,) = diff(
        attrs.evolve(BASE, events=(approved,)),
        attrs.evolve(BASE, events=(attrs.evolve(approved, pathway=Pathway.TRADITIONAL),)),
    )
    assert change.path == "assets[X1].events[fda marketing_approved].pathway"
    withdrawn = attrs.evolve(ACCEPTED, kind=EventKind.MARKETING_WITHDRAWN)
    (change,) = diff(
        attrs.evolve(BASE, events=(withdrawn,)),
        attrs.evolve(BASE, events=(attrs.evolve(withdrawn, by=Actor.SPONSOR),)),
    )
    assert (change.path, change.new) == ("assets[X1].events[fda marketing_withdrawn].by", Actor.SPONSOR)


def test_a_bla_accepted_with_priority_review_is_one_added_event() -> None:
    """The press release 'BLA accepted with priority review, PDUFA date 2024-06-26' is one addition."""
    bare = attrs.evolve(BASE, events=())
    accepted = attrs.evolve(ACCEPTED, review=ReviewType.PRIORITY, goal_date=PartialDate(2024, 6, 26))
    d = diff(bare, attrs.evolve(bare, events=(accepted,)))
    assert [(c.kind.code, c.path, c.new) for c in d] == [
        ("added", "assets[X1].events[fda marketing_accepted]", accepted)
    ]


# -- properties ----------------------------------------------------------------------------------------

_LIGHT = settings(max_examples=max(10, settings().max_examples // 2))


@_LIGHT
@given(format2_assets())
def test_diff_of_format2_assets_with_themselves_is_empty(asset: Asset) -> None:
    """diff(a, a) and diff of a round-tripped copy are empty for assets with applications, parties and deals."""
    assert not diff(asset, asset)
    assert not diff(asset, biopipe.loads(biopipe.dumps(asset)))


@_LIGHT
@given(format2_assets(), format2_assets())
def test_matcher_agrees_with_the_reference_on_format2_assets(a: Asset, b: Asset) -> None:
    """Two independent assets of one code: the diff is the documented one, written plainly, both ways."""
    old, new = Portfolio(assets=(a,)), Portfolio(assets=(b,))
    assert [(c.kind.code, c.path, c.old, c.new) for c in diff(old, new)] == _reference(old, new)
    assert [(c.kind.code, c.path, c.old, c.new) for c in diff(new, old)] == _reference(new, old)


@_LIGHT
@given(format2_assets(), st.data())
def test_diff_reports_exactly_the_edits_of_applications_parties_and_deals(asset: Asset, data: st.DataObject) -> None:
    """Edited application numbers, party territories and deal amounts: one change each, at identity paths."""
    where = "assets[X1]"
    expected: set[tuple[str, str]] = set()
    apps = list(asset.applications)
    for i in data.draw(st.sets(st.integers(0, len(apps) - 1)) if apps else st.just(set[int]()), "apps"):
        apps[i] = attrs.evolve(apps[i], number=f"N{i}")
        expected.add(("changed", f"{where}.applications[{apps[i].id}].number"))
    parties = list(asset.parties)
    party_keys = [f"{p.name} {p.role.code}" for p in parties]
    unique = [i for i, k in enumerate(party_keys) if party_keys.count(k) == 1]
    for i in data.draw(st.sets(st.sampled_from(unique)) if unique else st.just(set[int]()), "parties"):
        parties[i] = attrs.evolve(parties[i], territory=Territory(countries=("JP",)))
        if parties[i] != asset.parties[i]:
            expected.add(("changed", f"{where}.parties[{party_keys[i]}].territory"))
    deals = list(asset.deals)
    deal_keys = [f"{d.kind.code} {d.date} {' + '.join(sorted(d.parties))}" for d in deals]
    unique = [i for i, k in enumerate(deal_keys) if deal_keys.count(k) == 1]
    for i in data.draw(st.sets(st.sampled_from(unique)) if unique else st.just(set[int]()), "deals"):
        deals[i] = attrs.evolve(deals[i], upfront=Money(amount=10**12, currency="EUR"))
        expected.add(("changed", f"{where}.deals[{deal_keys[i]}].upfront"))
    new = attrs.evolve(asset, applications=tuple(apps), parties=tuple(parties), deals=tuple(deals))
    assert {(c.kind.code, c.path) for c in diff(asset, new)} == expected
    assert len(diff(asset, new)) == len(expected)
