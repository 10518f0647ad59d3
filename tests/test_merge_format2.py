"""Merging the format-2 facts: applications, parties and deals combine with their sources; conflicts reported."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from biopipe import (
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
    Portfolio,
    RegulatoryEvent,
    Source,
    Territory,
)
from biopipe.curate import merge
from format2_strategies import BLA, format2_assets
from test_merge import _facts, _some

PRESS = Source(title="Acme press release")
FILING = Source(title="Partner annual report")
PARTNER = Party(
    name="Partner",
    role=PartyRole.LICENSEE,
    territory=Territory(worldwide=True, excluding=("CN",)),
    start=PartialDate(2023, 12),
    sources=(PRESS,),
)
DEAL = Deal(
    kind=DealKind.LICENSE,
    date=FactDate.parse("2023-12-01"),
    parties=("Acme", "Partner"),
    upfront=Money(amount=100_000_000, currency="USD"),
    sources=(PRESS,),
)


def _asset(**fields: Any) -> Asset:
    return Asset(code="X1", sponsor="Acme", modality=Modality.MONOCLONAL_ANTIBODY, **fields)


def test_applications_combine_by_id_with_their_sources() -> None:
    """One side knows the number, the other a source: one application with both, no conflict."""
    a = _asset(applications=(attrs.evolve(BLA, number="761139"),))
    b = _asset(applications=(attrs.evolve(BLA, sources=(FILING,)),))
    report = merge(a, b)
    assert report.conflicts == ()
    assert report.portfolio["X1"].applications == (attrs.evolve(BLA, number="761139", sources=(FILING,)),)


def test_one_application_id_with_two_agencies_kinds_or_numbers_is_reported() -> None:
    """Same id, different agency, kind and number: three conflicts on its fields, a's values kept."""
    a = _asset(applications=(attrs.evolve(BLA, number="761139", sources=(PRESS,)),))
    other = Application(
        id="US BLA", agency=Agency.EMA, kind=ApplicationType.MAA, number="EMEA/H/C/1", sources=(FILING,)
    )
    report = merge(a, _asset(applications=(other,)))
    assert [(c.path, c.a, c.b) for c in report.conflicts] == [
        ("assets[X1].applications[US BLA].agency", Agency.FDA, Agency.EMA),
        ("assets[X1].applications[US BLA].kind", ApplicationType.BLA, ApplicationType.MAA),
        ("assets[X1].applications[US BLA].number", "761139", "EMEA/H/C/1"),
    ]
    assert all((c.a_sources, c.b_sources) == ((PRESS,), (FILING,)) for c in report.conflicts)
    assert report.portfolio["X1"].applications == (attrs.evolve(BLA, number="761139", sources=(PRESS, FILING)),)
    assert [(f.code, f.severity.code) for f in report.findings] == [("merge-conflict", "error")] * 3


def test_an_application_of_one_side_comes_with_the_events_naming_it() -> None:
    """b's BLA and its acceptance join a's record, which had neither."""
    accepted = RegulatoryEvent(
        agency=Agency.FDA, kind=EventKind.MARKETING_ACCEPTED, date=FactDate.parse("2024-01"), application="US BLA"
    )
    report = merge(_asset(), _asset(applications=(BLA,), events=(accepted,)))
    assert report.conflicts == ()
    assert report.portfolio["X1"].lifecycle("US BLA") == (accepted,)


def test_one_party_with_two_territories_is_a_conflict_never_a_union() -> None:
    """The licensee 'worldwide except CN' and 'worldwide except CN, HK': kept as a's, reported, not united."""
    narrower = attrs.evolve(
        PARTNER, territory=Territory(worldwide=True, excluding=("CN", "HK")), start=None, sources=(FILING,)
    )
    report = merge(_asset(parties=(PARTNER,)), _asset(parties=(narrower,)))
    [conflict] = report.conflicts
    assert conflict.path == "assets[X1].parties[Partner licensee].territory"
    assert str(conflict) == (
        "assets[X1].parties[Partner licensee].territory: worldwide except CN (kept) vs worldwide except CN, HK"
    )
    assert (conflict.a_sources, conflict.b_sources) == ((PRESS,), (FILING,))
    assert report.portfolio["X1"].parties == (attrs.evolve(PARTNER, sources=(PRESS, FILING)),)
    # Listed countries are a territory too: ("US",) against ("US", "CA") is a conflict, not ("US", "CA").
    us, us_ca = (attrs.evolve(PARTNER, territory=Territory(countries=c)) for c in (("US",), ("US", "CA")))
    [conflict] = merge(_asset(parties=(us,)), _asset(parties=(us_ca,))).conflicts
    assert conflict.path.endswith(".territory")


def test_deals_combine_by_kind_date_and_parties() -> None:
    """The same licence with two upfronts is a conflict; a redated one a date conflict; another deal is kept."""
    label = "assets[X1].deals[license 2023-12-01 Acme + Partner]"
    more = attrs.evolve(DEAL, parties=("Partner", "Acme"), upfront=Money(amount=150_000_000, currency="USD"))
    [conflict] = merge(_asset(deals=(DEAL,)), _asset(deals=(more,))).conflicts
    assert (conflict.path, str(conflict.a), str(conflict.b)) == (
        f"{label}.upfront",
        "USD 100,000,000",
        "USD 150,000,000",
    )
    redated = attrs.evolve(DEAL, date=FactDate.parse("2023-12-04"))
    [conflict] = merge(_asset(deals=(DEAL,)), _asset(deals=(redated,))).conflicts
    assert conflict.path == f"{label}.date"
    option = Deal(kind=DealKind.OPTION, date=FactDate.parse("2022-05"), parties=("Acme", "Other"))
    report = merge(_asset(deals=(DEAL,)), _asset(deals=(option,)))
    assert report.conflicts == ()
    assert report.portfolio["X1"].deals == (DEAL, option)


# -- properties -------------------------------------------------------------------------------------

_LIGHT = settings(max_examples=max(10, settings().max_examples // 2))


@st.composite
def _part_of(draw: st.DrawFn, asset: Asset) -> Asset:
    """Some of *asset*'s facts: fewer events, parties and deals, optional fields left out (applications named
    by a kept event stay)."""
    events = _some(draw, asset.events)
    named = {e.application for e in events}
    applications = tuple(
        attrs.evolve(a, number=draw(st.sampled_from([a.number, None])))
        for a in asset.applications
        if a.id in named or draw(st.booleans())
    )
    parties = tuple(attrs.evolve(p, start=draw(st.sampled_from([p.start, None]))) for p in _some(draw, asset.parties))
    deals = tuple(attrs.evolve(d, upfront=draw(st.sampled_from([d.upfront, None]))) for d in _some(draw, asset.deals))
    return attrs.evolve(asset, events=events, applications=applications, parties=parties, deals=deals)


@_LIGHT
@given(format2_assets())
def test_merging_a_format2_asset_with_itself_changes_nothing(asset: Asset) -> None:
    report = merge(asset, asset)
    assert report.portfolio == Portfolio(assets=(asset,))
    assert report.conflicts == ()


@_LIGHT
@given(st.data(), format2_assets())
def test_merging_a_part_of_the_applications_parties_and_deals_changes_nothing(
    data: st.DataObject, whole: Asset
) -> None:
    part = data.draw(_part_of(whole))
    report = merge(whole, part)
    assert report.conflicts == ()
    assert report.portfolio == Portfolio(assets=(whole,))
    back = merge(part, whole)
    assert back.conflicts == ()
    assert _facts(back.portfolio) == _facts(Portfolio(assets=(whole,)))


@_LIGHT
@given(st.data(), format2_assets())
def test_without_conflicts_the_order_does_not_change_the_format2_facts(data: st.DataObject, whole: Asset) -> None:
    a, b = data.draw(_part_of(whole)), data.draw(_part_of(whole))
    forward, backward = merge(a, b), merge(b, a)
    assume(not forward.conflicts and not backward.conflicts)
    assert _facts(forward.portfolio) == _facts(backward.portfolio)
