"""Checks over the format-2 facts: implied clearances, application lifecycles, parties and deals."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import given, settings

import biopipe
from biopipe import (
    Agency,
    Application,
    ApplicationType,
    Asset,
    Deal,
    DealKind,
    Designation,
    EventKind,
    FactDate,
    Modality,
    PartialDate,
    Party,
    PartyRole,
    Pathway,
    RegulatoryEvent,
    ReviewType,
    Territory,
    Trial,
    TrialStatus,
)
from biopipe.review import Finding, Severity, check
from format2_strategies import BLA, SBLA, format2_assets


def _event(kind: EventKind, date: str, agency: Agency = Agency.FDA, **fields: Any) -> RegulatoryEvent:
    return RegulatoryEvent(agency=agency, kind=kind, date=FactDate.parse(date), **fields)


def _asset(**fields: Any) -> Asset:
    return Asset(code="X1", sponsor="Acme", modality=Modality.MONOCLONAL_ANTIBODY, **fields)


def _trial(start: str, status: TrialStatus = TrialStatus.RECRUITING, countries: tuple[str, ...] = ("US",)) -> Trial:
    return Trial(title="Study A", status=status, countries=countries, start=FactDate.parse(start))


def _codes(findings: Iterable[Finding]) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity.code, f.path) for f in findings]


# -- trial-without-clearance counts the facts that imply an application in effect ---------------------


def test_us_breakthrough_designation_implies_an_active_ind() -> None:
    """A US trial with no IND clearance on record but an FDA breakthrough designation is no error."""
    btd = _event(EventKind.DESIGNATION_GRANTED, "2024-05", designation=Designation.BREAKTHROUGH_THERAPY)
    without = _asset(trials=(_trial("2023-01-10"),))
    assert _codes(check(without, rules=["trial-without-clearance"])) == [
        ("trial-without-clearance", "error", "assets[0].trials[0]")
    ]
    after = check(attrs.evolve(without, events=(btd,)), rules=["trial-without-clearance"])
    assert _codes(after) == [("trial-without-clearance", "info", "assets[0].trials[0]")]
    assert "FDA breakthrough therapy 2024-05 implies one" in after[0].message
    # Granted before the trial started: the IND was in effect by then, nothing to report.
    before = attrs.evolve(without, events=(attrs.evolve(btd, date=FactDate.parse("2022-11")),))
    assert not check(before, rules=["trial-without-clearance"])


def test_designations_that_do_not_imply_an_ind_do_not_count() -> None:
    """An orphan designation is granted before any trial: it implies nothing; nor does an EMA PRIME for the US."""
    orphan = _event(EventKind.DESIGNATION_GRANTED, "2022-01", designation=Designation.ORPHAN_DRUG)
    prime = _event(EventKind.DESIGNATION_GRANTED, "2022-01", agency=Agency.EMA, designation=Designation.PRIME)
    asset = _asset(events=(orphan, prime), trials=(_trial("2023-01-10"),))
    assert _codes(check(asset, rules=["trial-without-clearance"])) == [
        ("trial-without-clearance", "error", "assets[0].trials[0]")
    ]


def test_a_marketing_application_and_a_clinical_hold_imply_trials_under_an_application() -> None:
    """A BLA submission or an FDA clinical hold in the trial's jurisdiction counts as evidence of an IND."""
    for implying in (
        _event(EventKind.MARKETING_SUBMITTED, "2024-02"),
        _event(EventKind.CLINICAL_HOLD, "2023-06"),
        _event(EventKind.DESIGNATION_GRANTED, "2023-06", designation=Designation.FAST_TRACK),
    ):
        asset = _asset(events=(implying,), trials=(_trial("2023-01-10", TrialStatus.COMPLETED),))
        found = check(asset, rules=["trial-without-clearance"])
        assert _codes(found) == [("trial-without-clearance", "info", "assets[0].trials[0]")], implying
        assert "implies one" in found[0].message
    # In another jurisdiction it proves nothing here.
    elsewhere = _asset(
        events=(_event(EventKind.MARKETING_SUBMITTED, "2024-02", agency=Agency.NMPA),),
        trials=(_trial("2023-01-10"),),
    )
    assert _codes(check(elsewhere, rules=["trial-without-clearance"]))[0][1] == "error"


def test_a_trial_of_unknown_status_is_assumed_to_have_run_and_the_message_says_so() -> None:
    """Unknown status: checked as if it ran, reported as a warning whose message states the assumption."""
    asset = _asset(trials=(_trial("2019-03-01", TrialStatus.UNKNOWN),))
    found = check(asset, rules=["trial-without-clearance"])
    assert _codes(found) == [("trial-without-clearance", "warning", "assets[0].trials[0]")]
    assert found[0].message.startswith("status unknown (assumed to have run) in US with no clearance")
    cleared = attrs.evolve(asset, events=(_event(EventKind.IND_CLEARED, "2019-01"),))
    assert not check(cleared, rules=["trial-without-clearance"])


# -- application-out-of-order -------------------------------------------------------------------------


def test_approval_before_its_own_submission_is_an_error_reported_once() -> None:
    """Approved before the BLA it names was submitted: one error, not also a decision-without-filing warning."""
    asset = _asset(
        applications=(BLA,),
        events=(
            _event(EventKind.MARKETING_SUBMITTED, "2024-03-01", application="US BLA"),
            _event(EventKind.MARKETING_APPROVED, "2024-01-15", application="US BLA"),
        ),
    )
    found = check(asset)
    assert _codes(found) == [("application-out-of-order", "error", "assets[0].events[1].date")]
    assert "before the marketing application submitted 2024-03-01 (events[0]) of application 'US BLA'" in (
        found[0].message
    )
    # Another application's submission does not order this one's approval.
    other = attrs.evolve(
        asset,
        applications=(BLA, SBLA),
        events=(asset.events[0], attrs.evolve(asset.events[1], application="US sBLA")),
    )
    assert not check(other, rules=["application-out-of-order"])


def test_goal_date_before_the_event_or_the_submission_is_an_error() -> None:
    """A PDUFA date before the acceptance that sets it, or before the application's submission."""
    accepted = _event(
        EventKind.MARKETING_ACCEPTED,
        "2024-03-01",
        application="US BLA",
        review=ReviewType.PRIORITY,
        goal_date=PartialDate(2024, 2, 1),
    )
    asset = _asset(applications=(BLA,), events=(accepted,))
    assert _codes(check(asset, rules=["application-out-of-order"])) == [
        ("application-out-of-order", "error", "assets[0].events[0].goal_date")
    ]
    submitted = _event(
        EventKind.MARKETING_SUBMITTED, "2024-03-01", application="US BLA", goal_date=PartialDate(2025, 1)
    )
    extended = _event(EventKind.REVIEW_EXTENDED, "2024-09", application="US BLA", goal_date=PartialDate(2024, 2))
    found = check(_asset(applications=(BLA,), events=(submitted, extended)), rules=["application-out-of-order"])
    assert _codes(found) == [
        ("application-out-of-order", "error", "assets[0].events[1].goal_date"),
        ("application-out-of-order", "error", "assets[0].events[1].goal_date"),
    ]
    assert "before the submission 2024-03-01" in found[1].message
    fine = attrs.evolve(accepted, goal_date=PartialDate(2024, 9, 1))
    assert not check(_asset(applications=(BLA,), events=(fine,)), rules=["application-out-of-order"])


# -- conversion-without-accelerated-approval ----------------------------------------------------------


def test_conversion_needs_an_accelerated_approval_of_that_application() -> None:
    """Converted with only a traditional approval: error; with no approval: warning; accelerated: fine."""
    converted = _event(EventKind.APPROVAL_CONVERTED, "2025-06", application="US BLA", pathway=Pathway.TRADITIONAL)
    approved = _event(EventKind.MARKETING_APPROVED, "2023-06", application="US BLA", pathway=Pathway.TRADITIONAL)
    rule = ["conversion-without-accelerated-approval"]
    assert _codes(check(_asset(applications=(BLA,), events=(approved, converted)), rules=rule)) == [
        ("conversion-without-accelerated-approval", "error", "assets[0].events[1]")
    ]
    assert _codes(check(_asset(applications=(BLA,), events=(converted,)), rules=rule)) == [
        ("conversion-without-accelerated-approval", "warning", "assets[0].events[0]")
    ]
    accelerated = attrs.evolve(approved, pathway=Pathway.ACCELERATED)
    assert not check(_asset(applications=(BLA,), events=(accelerated, converted)), rules=rule)
    # The accelerated approval of another application does not count.
    other = attrs.evolve(accelerated, application="US sBLA")
    assert _codes(check(_asset(applications=(BLA, SBLA), events=(other, converted)), rules=rule))[0][1] == "warning"


# -- ambiguous-application ----------------------------------------------------------------------------


def test_a_decision_naming_no_application_among_several_is_ambiguous() -> None:
    """A complete response naming no application where the US has a BLA and a supplement: warning."""
    crl = _event(EventKind.COMPLETE_RESPONSE, "2024-06")
    found = check(_asset(applications=(BLA, SBLA), events=(crl,)), rules=["ambiguous-application"])
    assert _codes(found) == [("ambiguous-application", "warning", "assets[0].events[0].application")]
    assert "'US BLA', 'US sBLA'" in found[0].message
    assert not check(_asset(applications=(BLA,), events=(crl,)), rules=["ambiguous-application"])
    named = attrs.evolve(crl, application="US sBLA")
    assert not check(_asset(applications=(BLA, SBLA), events=(named,)), rules=["ambiguous-application"])
    # The IND of the same jurisdiction is no candidate.
    ind = Application(id="US IND", agency=Agency.FDA, kind=ApplicationType.IND)
    assert not check(_asset(applications=(BLA, ind), events=(crl,)), rules=["ambiguous-application"])


# -- territory-overlap and deal-party-not-on-record -----------------------------------------------------


def _party(name: str, role: PartyRole, territory: Territory, start: str | None = None, end: str | None = None) -> Party:
    return Party(
        name=name,
        role=role,
        territory=territory,
        start=None if start is None else PartialDate.parse(start),
        end=None if end is None else PartialDate.parse(end),
    )


def test_overlapping_licensee_territories() -> None:
    """Two licensees of the EU and Germany at once: warning; one after the other, or disjoint places: none."""
    eu = _party("Partner A", PartyRole.LICENSEE, Territory(countries=("EU",)), "2022-01", "2024-01")
    de = _party("Partner B", PartyRole.LICENSEE, Territory(countries=("DE", "CH")), "2023-06")
    found = check(_asset(parties=(eu, de)), rules=["territory-overlap"])
    assert _codes(found) == [("territory-overlap", "warning", "assets[0].parties[1]")]
    assert "'Partner B' (DE, CH) holds rights where licensee 'Partner A' (EU) does" in found[0].message
    later = attrs.evolve(de, start=PartialDate(2024, 1))
    assert not check(_asset(parties=(eu, later)), rules=["territory-overlap"])
    swiss = attrs.evolve(de, territory=Territory(countries=("CH",)))
    assert not check(_asset(parties=(eu, swiss)), rules=["territory-overlap"])


def test_originator_keeping_a_licensed_territory_is_info() -> None:
    """The originator listed worldwide beside an ex-China licensee: info; narrowed to China: none."""
    licensee = _party("Partner", PartyRole.LICENSEE, Territory(worldwide=True, excluding=("CN",)), "2023-12")
    originator = _party("Acme", PartyRole.ORIGINATOR, Territory(worldwide=True))
    assert _codes(check(_asset(parties=(originator, licensee)), rules=["territory-overlap"])) == [
        ("territory-overlap", "info", "assets[0].parties[0]")
    ]
    china = attrs.evolve(originator, territory=Territory(countries=("CN",)))
    assert not check(_asset(parties=(china, licensee)), rules=["territory-overlap"])
    co_developer = _party("Other", PartyRole.CO_DEVELOPER, Territory(worldwide=True))
    assert not check(_asset(parties=(co_developer, licensee)), rules=["territory-overlap"])


def test_deal_party_not_on_record() -> None:
    """A deal's party that is neither the sponsor nor a party of the asset: info naming the deal party's path."""
    deal = Deal(kind=DealKind.LICENSE, date=FactDate.parse("2023-12-01"), parties=("Acme", "Partner"))
    found = check(_asset(deals=(deal,)), rules=["deal-party-not-on-record"])
    assert _codes(found) == [("deal-party-not-on-record", "info", "assets[0].deals[0].parties[1]")]
    partner = _party("partner", PartyRole.LICENSEE, Territory(worldwide=True))
    assert not check(_asset(deals=(deal,), parties=(partner,)), rules=["deal-party-not-on-record"])


def test_future_deal_dates() -> None:
    """A deal dated after as_of is a future-date error, like any actual date."""
    deal = Deal(kind=DealKind.LICENSE, date=FactDate.parse("2030-01-01"), parties=("Acme", "Partner"))
    assert _codes(check(_asset(deals=(deal,)), rules=["future-date"], as_of="2025-01-01")) == [
        ("future-date", "error", "assets[0].deals[0].date")
    ]


# -- properties ---------------------------------------------------------------------------------------

_PATH = re.compile(r"\.?([a-z_]+)(?:\[(\d+)\])?")


def _resolve(root: Any, path: str) -> Any:
    """The value a finding's path names (``assets[0].events[1].goal_date``)."""
    value = root
    for name, index in _PATH.findall(path):
        value = getattr(value, name)
        if index:
            value = value[int(index)]
    return value


@settings(max_examples=max(10, settings().max_examples // 2))
@given(format2_assets())
def test_findings_on_format2_facts_never_raise_and_name_real_paths(asset: Asset) -> None:
    """Every rule runs on any such asset; every finding's path names a fact of the document."""
    portfolio = biopipe.Portfolio(assets=(asset,))
    found = check(portfolio, as_of="2025-06-01")
    for f in found:
        _resolve(portfolio, f.path)
    # An error from application-out-of-order on a date names an event certainly before a step it needs.
    for f in found:
        if f.code == "application-out-of-order" and f.path.endswith(".date"):
            event = _resolve(portfolio, f.path.removesuffix(".date"))
            assert event.application is not None
            assert event.date.latest < max(
                (e.date.latest for e in asset.events if e.application == event.application and e is not event),
                default=event.date.latest,
            )
    assert all(f.severity is not Severity.ERROR for f in found if f.code == "deal-party-not-on-record")
