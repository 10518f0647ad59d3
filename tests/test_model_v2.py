"""The facts of format version 2: applications, parties and territories, deals, indications, designations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Actor,
    Agency,
    Application,
    ApplicationType,
    Asset,
    Deal,
    DealKind,
    Designation,
    EventKind,
    FactDate,
    Indication,
    Modality,
    Money,
    PartialDate,
    Party,
    PartyRole,
    Pathway,
    RegulatoryEvent,
    ReviewType,
    Territory,
    ValidationError,
)
from biopipe.model import COUNTRIES, EU_MEMBERS, normalize_term

CODES = sorted(COUNTRIES)


def problems(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(p.path, p.expected) for p in error.value.problems]


# -- applications and the events that name them ------------------------------------------------------


def bla(**changes: Any) -> Application:
    return attrs.evolve(Application(id="US BLA", agency=Agency.FDA, kind=ApplicationType.BLA), **changes)


def event(kind: EventKind, agency: Agency = Agency.FDA, **fields: Any) -> RegulatoryEvent:
    return RegulatoryEvent(agency=agency, kind=kind, date=FactDate.parse("2024-06"), **fields)


def asset(*events: RegulatoryEvent, applications: tuple[Application, ...] = ()) -> Asset:
    return Asset(code="X1", sponsor="Acme", modality=Modality.ADC, events=events, applications=applications)


def test_one_press_release_fact_is_one_event() -> None:
    """'BLA accepted with priority review, PDUFA date 2024-06-26': one event holds all of it."""
    accepted = event(
        EventKind.MARKETING_ACCEPTED,
        application="US BLA",
        review=ReviewType.PRIORITY,
        goal_date=PartialDate(2024, 6, 26),
    )
    a = asset(accepted, applications=(bla(),))
    assert a.lifecycle("US BLA") == (accepted,)
    assert (accepted.review, accepted.goal_date) == (ReviewType.PRIORITY, PartialDate(2024, 6, 26))


def test_an_event_must_name_an_application_of_the_asset_in_its_jurisdiction_and_track() -> None:
    with pytest.raises(ValidationError) as e:
        asset(event(EventKind.MARKETING_ACCEPTED, application="EU MAA"), applications=(bla(),))
    assert problems(e) == [("events[0].application", "an application id ('US BLA')")]
    with pytest.raises(ValidationError) as e:
        asset(event(EventKind.MARKETING_ACCEPTED, Agency.NMPA, application="US BLA"), applications=(bla(),))
    assert problems(e) == [
        ("events[0].application", "an application filed in CN (it is filed with the FDA)"),
    ]
    with pytest.raises(ValidationError) as e:
        asset(event(EventKind.IND_CLEARED, application="US BLA"), applications=(bla(),))
    assert problems(e) == [
        ("events[0].application", "a clinical trial application for kind 'ind_cleared' (it is a BLA)"),
    ]
    with pytest.raises(ValidationError) as e:
        asset(applications=(bla(), bla(kind=ApplicationType.NDA)))
    assert problems(e) == [("applications[1].id", "distinct application ids")]


def test_a_designation_may_name_the_application_it_belongs_to() -> None:
    """A priority review designation (NMPA) names the marketing application it speeds up."""
    nmpa = Application(id="CN NDA", agency=Agency.NMPA, kind=ApplicationType.NMPA_MARKETING)
    granted = event(
        EventKind.DESIGNATION_GRANTED, Agency.NMPA, designation=Designation.PRIORITY_REVIEW, application="CN NDA"
    )
    assert asset(granted, applications=(nmpa,)).lifecycle("CN NDA") == (granted,)


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        (EventKind.IND_CLEARED, {"review": ReviewType.PRIORITY}, ("review", "no review type for kind 'ind_cleared'")),
        (
            EventKind.MARKETING_APPROVED,
            {"goal_date": PartialDate(2024, 6, 26)},
            ("goal_date", "no goal date for kind 'marketing_approved'"),
        ),
        (
            EventKind.MARKETING_ACCEPTED,
            {"pathway": Pathway.ACCELERATED},
            ("pathway", "no pathway for kind 'marketing_accepted'"),
        ),
        (
            EventKind.APPROVAL_CONVERTED,
            {"pathway": Pathway.ACCELERATED},
            ("pathway", "'traditional' (a conversion ends in one)"),
        ),
        (
            EventKind.COMPLETE_RESPONSE,
            {"by": Actor.SPONSOR},
            ("by", "no actor for kind 'complete_response' (only withdrawals name one)"),
        ),
    ],
)
def test_kind_specific_fields_only_on_their_kinds(
    kind: EventKind, fields: dict[str, Any], expected: tuple[str, str]
) -> None:
    with pytest.raises(ValidationError) as e:
        event(kind, **fields)
    assert problems(e) == [expected]


def test_pathways_belong_to_agencies() -> None:
    assert event(EventKind.MARKETING_APPROVED, pathway=Pathway.ACCELERATED).pathway is Pathway.ACCELERATED
    assert event(EventKind.MARKETING_APPROVED, Agency.NMPA, pathway=Pathway.CONDITIONAL).pathway is Pathway.CONDITIONAL
    with pytest.raises(ValidationError) as e:
        event(EventKind.MARKETING_APPROVED, Agency.NMPA, pathway=Pathway.ACCELERATED)
    assert problems(e) == [("pathway", "a pathway the NMPA approves on")]
    with pytest.raises(ValidationError) as e:
        event(EventKind.MARKETING_APPROVED, pathway=Pathway.CONDITIONAL)
    assert problems(e) == [("pathway", "a pathway the FDA approves on")]


def test_withdrawals_say_who_withdrew() -> None:
    withdrawn = event(EventKind.MARKETING_WITHDRAWN, by=Actor.SPONSOR)
    assert withdrawn.by is Actor.SPONSOR
    assert biopipe.loads(biopipe.dumps(asset(withdrawn)))["X1"].events == (withdrawn,)


def test_application_types_belong_to_agencies() -> None:
    with pytest.raises(ValidationError) as e:
        Application(id="A", agency=Agency.EMA, kind=ApplicationType.BLA)
    assert problems(e) == [("kind", "an application type the EMA receives (not 'bla')")]
    with pytest.raises(ValidationError):
        Application(id="A", agency=Agency.FDA, kind=ApplicationType.NMPA_MARKETING)
    assert Application(id="A", agency=Agency.EMA, kind=ApplicationType.MAA).jurisdiction == "EU"


# -- designations -----------------------------------------------------------------------------------


@given(st.sampled_from(list(Designation)), st.sampled_from(list(Agency)))
def test_a_designation_is_valid_exactly_when_its_agency_grants_it(designation: Designation, agency: Agency) -> None:
    """PRIME by the FDA is refused; every designation some agency grants is accepted from that agency."""
    if designation.granted_by(agency):
        assert event(EventKind.DESIGNATION_GRANTED, agency, designation=designation).designation is designation
    else:
        with pytest.raises(ValidationError) as e:
            event(EventKind.DESIGNATION_GRANTED, agency, designation=designation)
        assert [p.path for p in e.value.problems] == ["designation"]


def test_designations_known_by_their_agencies() -> None:
    assert not Designation.PRIME.granted_by(Agency.FDA)
    assert not Designation.FAST_TRACK.granted_by(Agency.NMPA)
    assert Designation.BREAKTHROUGH_THERAPY.granted_by(Agency.NMPA)
    assert not Designation.CONDITIONAL_APPROVAL.granted_by(Agency.FDA)
    assert Designation.SAKIGAKE.granted_by(Agency.MHLW)
    assert all(any(d.granted_by(a) for a in Agency) for d in Designation)


# -- territories and parties ------------------------------------------------------------------------

territories = st.one_of(
    st.builds(
        lambda ex: Territory(worldwide=True, excluding=tuple(ex)),
        st.lists(st.sampled_from([*CODES, "EU"]), unique=True, max_size=4),
    ),
    st.builds(
        lambda cs: Territory(countries=tuple(cs)),
        st.lists(st.sampled_from([*CODES, "EU"]), unique=True, min_size=1, max_size=4),
    ),
)


@given(territories, st.sampled_from(CODES))
def test_a_territory_covers_a_country_by_its_listing(territory: Territory, country: str) -> None:
    """Listed (or an EU member under 'EU') for a list; not excepted for worldwide; never both."""
    listed = country in territory.countries or ("EU" in territory.countries and country in EU_MEMBERS)
    excepted = country in territory.excluding or ("EU" in territory.excluding and country in EU_MEMBERS)
    assert territory.covers(country) == (not excepted if territory.worldwide else listed)


@given(territories)
def test_territories_round_trip(territory: Territory) -> None:
    party = Party(name="P", role=PartyRole.LICENSEE, territory=territory)
    a = Asset(code="X1", sponsor="Acme", modality=Modality.ADC, parties=(party,))
    assert biopipe.loads(biopipe.dumps(a))["X1"].parties == (party,)


def test_bad_territories_are_refused() -> None:
    with pytest.raises(ValidationError) as e:
        Territory()
    assert problems(e) == [("countries", "at least one country, or worldwide")]
    with pytest.raises(ValidationError) as e:
        Territory(worldwide=True, countries=("US",))
    assert problems(e) == [("countries", "no listed countries when worldwide")]
    with pytest.raises(ValidationError):
        Territory(countries=("XX",))


days = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
partials = days.flatmap(
    lambda d: st.sampled_from([PartialDate(d.year), PartialDate(d.year, d.month), PartialDate(d.year, d.month, d.day)])
)


@given(partials, st.one_of(st.none(), partials), days, st.sampled_from(list(PartyRole)))
def test_rights_follow_the_period_and_are_unknown_only_when_a_bound_straddles_the_day(
    start: PartialDate, end: PartialDate | None, day: dt.date, role: PartyRole
) -> None:
    if end is not None and end.latest < start.earliest:
        return
    party = Party(name="P", role=role, start=start, end=end)
    held = party.holds_rights_in("US", day)
    if not role.holds_rights or start.earliest > day or (end is not None and end.latest <= day):
        assert held is False
    elif start.latest <= day and (end is None or end.earliest > day):
        assert held is True
    else:
        assert held is None


def test_a_licensee_outside_china() -> None:
    bms = Party(
        name="Bristol Myers Squibb",
        role=PartyRole.LICENSEE,
        territory=Territory(worldwide=True, excluding=("CN",)),
        start=PartialDate(2023, 12, 12),
    )
    assert bms.holds_rights_in("us", "2024-01-01") is True
    assert bms.holds_rights_in("CN", "2024-01-01") is False
    assert bms.holds_rights_in("US", "2023-12-11") is False
    with pytest.raises(ValidationError):
        Party(name="P", role=PartyRole.LICENSEE, start=PartialDate(2024), end=PartialDate(2023))


# -- deals and money --------------------------------------------------------------------------------


def test_deals_hold_their_amounts_exactly() -> None:
    deal = Deal(
        kind=DealKind.CO_DEVELOPMENT,
        date=FactDate.parse("2023-10-19"),
        parties=("Daiichi Sankyo", "Merck & Co."),
        upfront=Money(amount=4_000_000_000, currency="USD"),
        total=Money(amount=22_000_000_000, currency="USD"),
    )
    a = Asset(code="X1", sponsor="Acme", modality=Modality.ADC, deals=(deal,))
    assert biopipe.loads(biopipe.dumps(a))["X1"].deals == (deal,)
    with pytest.raises(ValidationError) as e:
        attrs.evolve(deal, total=Money(amount=1, currency="USD"))
    assert problems(e) == [("total", "a total in USD of at least the upfront")]
    with pytest.raises(ValidationError) as e:
        attrs.evolve(deal, parties=("Daiichi Sankyo",))
    assert problems(e) == [("parties", "at least two parties")]
    with pytest.raises(ValidationError):
        Money(amount=-1, currency="USD")
    with pytest.raises(ValidationError):
        Money(amount=1, currency="usd")


# -- indications ------------------------------------------------------------------------------------


@given(st.text(st.sampled_from("abc -_/"), min_size=1, max_size=12))
def test_normalising_is_idempotent_and_ignores_case_and_separators(name: str) -> None:
    once = normalize_term(name)
    assert normalize_term(once) == once
    assert normalize_term(name.upper()) == once
    assert normalize_term(name.replace("-", " ")) == once


def test_indications_match_by_synonym_or_identifier_only() -> None:
    npc = Indication(name="nasopharyngeal carcinoma", synonyms=("NPC",), ids=("MESH:D000077274", "ICD10:C11"))
    assert npc.matches("Nasopharyngeal-Carcinoma")
    assert npc.matches("npc")
    assert npc.matches("mesh:d000077274")
    assert not npc.matches("NCP")
    assert not npc.matches("carcinoma")
    with pytest.raises(ValidationError) as e:
        Indication(name="x", ids=("C11",))
    assert [p.path for p in e.value.problems] == ["ids[0]"]


# -- public dates -----------------------------------------------------------------------------------


def test_a_fact_is_public_from_its_disclosure_or_its_earliest_source() -> None:
    js212 = biopipe.example("js212")
    fda = js212.events[-1]
    assert fda.public_on == PartialDate(2025, 12, 14)
    assert attrs.evolve(fda, disclosed=None).public_on == PartialDate(2025, 12, 15)
    assert attrs.evolve(fda, disclosed=None, sources=()).public_on is None
