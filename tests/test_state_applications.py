"""State answers per application: pathways, review types, withdrawal, designations, indications."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
import query_strategies as qst
from biopipe import (
    Actor,
    Agency,
    Application,
    ApplicationType,
    Asset,
    Designation,
    EventKind,
    FactDate,
    Indication,
    Modality,
    Pathway,
    RegulatoryEvent,
    RegulatoryState,
    ReviewType,
    state_as_of,
)
from biopipe.query import earliest_possible, happened_by
from biopipe.testing import strategies as bst

S = RegulatoryState
JS212 = biopipe.example("js212")


def _event(kind: EventKind, date: str, agency: Agency = Agency.FDA, **kw: Any) -> RegulatoryEvent:
    return RegulatoryEvent(agency=agency, kind=kind, date=FactDate.parse(date), **kw)


def _asset(*events: RegulatoryEvent, **kw: Any) -> Asset:
    return Asset(code="X1", sponsor="Acme", modality=Modality.ADC, events=events, **kw)


BLA_A = Application(id="BLA A", agency=Agency.FDA, kind=ApplicationType.BLA, indications=("NSCLC",))
BLA_B = Application(id="BLA B", agency=Agency.FDA, kind=ApplicationType.BLA, indications=("breast cancer",))
IND = Application(id="IND", agency=Agency.FDA, kind=ApplicationType.IND)


def test_two_pending_applications_are_both_cited() -> None:
    """Two pending BLAs: the answer cites both, with their review types."""
    a = _event(EventKind.MARKETING_ACCEPTED, "2024-01-10", application="BLA A", review=ReviewType.PRIORITY)
    b = _event(EventKind.MARKETING_ACCEPTED, "2024-03-10", application="BLA B", review=ReviewType.STANDARD)
    answer = state_as_of(_asset(a, b, applications=(BLA_A, BLA_B)), "US", "2024-06-01")
    assert answer.state is S.MARKETING_PENDING
    assert answer.events == (a, b)
    assert [(x.application, x.review) for x in answer.applications] == [
        ("BLA A", ReviewType.PRIORITY),
        ("BLA B", ReviewType.STANDARD),
    ]
    assert answer.review is None  # they differ
    assert str(answer) == "X1 in US as of 2024-06-01: marketing pending (priority review; standard review)"


def test_priority_review_and_accelerated_approval_converted_to_traditional() -> None:
    """One fact each: accepted with priority review, approved on the accelerated pathway, converted later."""
    accepted = _event(EventKind.MARKETING_ACCEPTED, "2023-12-21", application="BLA A", review=ReviewType.PRIORITY)
    approved = _event(EventKind.MARKETING_APPROVED, "2024-06-26", application="BLA A", pathway=Pathway.ACCELERATED)
    converted = _event(EventKind.APPROVAL_CONVERTED, "2026-02-01", application="BLA A", pathway=Pathway.TRADITIONAL)
    asset = _asset(accepted, approved, converted, applications=(BLA_A,))
    pending = state_as_of(asset, "US", "2024-01-15")
    assert (pending.qualified, pending.review) == ("marketing pending (priority review)", ReviewType.PRIORITY)
    early = state_as_of(asset, "US", "2025-01-01")
    assert (str(early), early.pathway) == ("X1 in US as of 2025-01-01: approved (accelerated)", Pathway.ACCELERATED)
    assert early.events == (accepted, approved)
    late = state_as_of(asset, "US", "2026-03-01")
    assert (late.qualified, late.pathway) == ("approved (traditional)", Pathway.TRADITIONAL)


@pytest.mark.parametrize("with_ind", [False, True])
@pytest.mark.parametrize("by", [Actor.SPONSOR, Actor.AGENCY, None])
def test_a_withdrawn_marketing_application_is_one_state_whatever_else_is_on_record(
    with_ind: bool, by: Actor | None
) -> None:
    """marketing_withdrawn with or without an IND on record; the trial track is reported beside it."""
    events = [
        _event(EventKind.MARKETING_SUBMITTED, "2024-01-10"),
        _event(EventKind.MARKETING_WITHDRAWN, "2024-05-10", by=by),
    ]
    if with_ind:
        events.insert(0, _event(EventKind.IND_CLEARED, "2020-01-10"))
    answer = state_as_of(_asset(*events), "US", "2024-06-01")
    assert answer.state is S.MARKETING_WITHDRAWN
    assert answer.certain
    assert answer.by is by
    assert answer.trials is (S.MAY_RUN_TRIALS if with_ind else S.NOTHING_ON_RECORD)
    text = str(answer)
    assert text.startswith("X1 in US as of 2024-06-01: marketing withdrawn")
    assert ("(by " in text) is (by is not None)
    assert by is None or f"(by {by.code})" in text
    assert ("; trials: may run trials" in text) is with_ind


def test_an_approval_withdrawn_and_an_ind_withdrawn_stay_withdrawn() -> None:
    """`withdrawn` is the IND's or the approval's withdrawal; an approval withdrawal shows the trial track too."""
    ind_only = _asset(_event(EventKind.IND_CLEARED, "2020-01-10"), _event(EventKind.IND_WITHDRAWN, "2021-01-10"))
    assert state_as_of(ind_only, "US", "2022-01-01").state is S.WITHDRAWN
    approval = _asset(
        _event(EventKind.IND_CLEARED, "2020-01-10"),
        _event(EventKind.MARKETING_APPROVED, "2022-01-10"),
        _event(EventKind.APPROVAL_WITHDRAWN, "2023-01-10", by=Actor.SPONSOR),
    )
    answer = state_as_of(approval, "US", "2024-01-01")
    assert (answer.state, answer.trials, answer.by) == (S.WITHDRAWN, S.MAY_RUN_TRIALS, Actor.SPONSOR)


def test_designations_in_effect() -> None:
    """Granted and not revoked; a denial grants nothing; scope and agency are kept; other agencies' do not show."""
    asset = _asset(
        _event(EventKind.IND_CLEARED, "2020-01-10"),
        _event(EventKind.DESIGNATION_GRANTED, "2021-01-10", designation=Designation.BREAKTHROUGH_THERAPY,
               indication="NSCLC"),
        _event(EventKind.DESIGNATION_GRANTED, "2021-02-10", designation=Designation.FAST_TRACK),
        _event(EventKind.DESIGNATION_REVOKED, "2022-02-10", designation=Designation.FAST_TRACK),
        _event(EventKind.DESIGNATION_DENIED, "2021-03-10", designation=Designation.ORPHAN_DRUG),
        _event(EventKind.DESIGNATION_GRANTED, "2021-03-10", Agency.EMA, designation=Designation.PRIME),
    )  # fmt: skip
    early = state_as_of(asset, "US", "2021-06-01")
    assert [(d.agency, d.designation, d.indication) for d in early.designations] == [
        (Agency.FDA, Designation.BREAKTHROUGH_THERAPY, "NSCLC"),
        (Agency.FDA, Designation.FAST_TRACK, None),
    ]
    assert str(early).endswith(
        "may run trials; designations: FDA breakthrough therapy (NSCLC) since 2021-01-10, "
        "FDA fast track since 2021-02-10"
    )
    late = state_as_of(asset, "US", "2022-06-01")
    assert [d.designation for d in late.designations] == [Designation.BREAKTHROUGH_THERAPY]
    assert [d.designation for d in state_as_of(asset, "EU", "2022-06-01").designations] == [Designation.PRIME]
    assert state_as_of(asset, "US", "2020-06-01").designations == ()
    doc = json.loads(late.render("json"))
    assert doc["designations"][0]["designation"] == "breakthrough_therapy"


NPC = Indication(name="nasopharyngeal carcinoma", synonyms=("NPC",), ids=("ICD10:C11",))


def test_indication_matches_by_synonym_and_identifier() -> None:
    """'NPC', 'Nasopharyngeal-Carcinoma' and 'ICD10:C11' ask the same question; another disease is narrowed away."""
    asset = _asset(
        _event(EventKind.MARKETING_ACCEPTED, "2024-01-10", Agency.NMPA, indication="nasopharyngeal carcinoma"),
        _event(EventKind.MARKETING_ACCEPTED, "2024-02-10", Agency.NMPA, indication="lung cancer"),
        _event(EventKind.MARKETING_APPROVED, "2024-09-10", Agency.NMPA, indication="lung cancer"),
    )
    asset = attrs.evolve(asset, indications=(NPC, Indication(name="lung cancer")))
    for term in ("NPC", "Nasopharyngeal-Carcinoma", "icd10:c11"):
        answer = state_as_of(asset, "CN", "2024-12-01", indication=term)
        assert (answer.state, answer.certain, answer.indication_on_record) == (S.MARKETING_PENDING, True, True)
    assert state_as_of(asset, "CN", "2024-12-01", indication="lung cancer").state is S.APPROVED
    whole = state_as_of(asset, "CN", "2024-12-01")
    assert whole.state is S.APPROVED
    assert len(whole.applications) == 2


def test_an_application_indication_counts_for_its_events() -> None:
    """An event naming no indication takes its application's."""
    a = _event(EventKind.MARKETING_ACCEPTED, "2024-01-10", application="BLA A")
    b = _event(EventKind.MARKETING_APPROVED, "2024-05-10", application="BLA B")
    asset = _asset(a, b, applications=(BLA_A, BLA_B))
    assert state_as_of(asset, "US", "2024-06-01", indication="nsclc").state is S.MARKETING_PENDING
    assert state_as_of(asset, "US", "2024-06-01", indication="Breast Cancer").state is S.APPROVED


def test_an_indication_not_on_record_is_reported_never_a_certain_nothing() -> None:
    """A typo or unknown disease: not certain, says so, and suggests close names."""
    asset = attrs.evolve(_asset(), indications=(NPC,))
    answer = state_as_of(asset, "CN", "2024-12-01", indication="nasopharyngeal carcinomma")
    assert (answer.indication_on_record, answer.certain) == (False, False)
    assert answer.suggestions == ("nasopharyngeal carcinoma",)
    assert "indication 'nasopharyngeal carcinomma' is not on record for X1" in str(answer)
    assert "did you mean 'nasopharyngeal carcinoma'?" in str(answer)
    assert json.loads(answer.render("json"))["certain"] is False
    # JS212's facts name 'advanced solid tumors' (its events and applications): on record.
    assert state_as_of(JS212, "US", "2025-12-15", indication="Advanced Solid Tumors").certain


def test_announced_decision_bounded_by_its_own_application_filing() -> None:
    """The filing of the same application bounds an announced decision; another application's filing does not."""
    other = _event(EventKind.IND_SUBMITTED, "2024-01-10", application="OTHER")
    filed = _event(EventKind.IND_SUBMITTED, "2025-10-01", application="IND")
    cleared = _event(EventKind.IND_CLEARED, "on or before 2025-12-14", application="IND")
    other_app = Application(id="OTHER", agency=Agency.FDA, kind=ApplicationType.IND)
    asset = _asset(other, filed, cleared, applications=(IND, other_app))
    assert earliest_possible(cleared, asset.events) == dt.date(2025, 10, 1)
    assert state_as_of(asset, "US", "2025-09-30").possible == (S.IND_PENDING,)
    assert state_as_of(asset, "US", "2025-11-30").possible == (S.IND_PENDING, S.MAY_RUN_TRIALS)


@given(qst.assets(), st.sampled_from(["US", "CN", "EU"]), bst.days(2020, 2030))
def test_every_justifying_event_happened_and_every_application_is_listed(
    asset: Asset, place: str, day: dt.date
) -> None:
    """The cited events happened by the day; an answer's state is one of its applications' (or nothing)."""
    answer = state_as_of(asset, place, day)
    assert all(happened_by(e, day, earliest=earliest_possible(e, asset.events)) for e in answer.events)
    states = {a.state for a in answer.applications}
    assert answer.state is S.NOTHING_ON_RECORD or answer.state in states
    assert all(attrs.evolve(a) == a for a in answer.applications)


def test_an_eu_member_state_sees_the_eu_authorisation() -> None:
    """The European Commission's conditional authorisation of amivantamab covers Germany and France, not Norway."""
    ami = biopipe.example("amivantamab")
    for place in ("EU", "DE", "FR"):
        answer = biopipe.state_as_of(ami, place, "2022-03-01")
        assert (answer.state, answer.certain) == (RegulatoryState.APPROVED, True), place
        assert answer.pathway is biopipe.Pathway.CONDITIONAL
    assert biopipe.state_as_of(ami, "NO", "2022-03-01").state is RegulatoryState.NOTHING_ON_RECORD
