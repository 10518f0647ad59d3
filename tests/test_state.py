"""Regulatory state as of a day: certain where the record decides it, uncertain where a date straddles the day."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import biopipe
import query_strategies as qst
from biopipe import Agency, DateBasis, EventKind, FactDate, PartialDate, RegulatoryEvent, RegulatoryState, state_as_of
from biopipe.query import happened_by
from biopipe.testing import strategies as bst

JS212 = biopipe.example("js212")
S = RegulatoryState


@pytest.mark.parametrize(
    ("jurisdiction", "day", "possible"),
    [
        ("CN", "2025-02-15", [S.IND_PENDING]),
        ("CN", "2025-03-15", [S.IND_PENDING, S.MAY_RUN_TRIALS]),
        ("CN", "2025-04-01", [S.MAY_RUN_TRIALS]),
        ("CN", "2024-12-31", [S.NOTHING_ON_RECORD]),
        ("US", "2025-11-30", [S.NOTHING_ON_RECORD, S.MAY_RUN_TRIALS]),
        ("US", "2025-12-13", [S.NOTHING_ON_RECORD, S.MAY_RUN_TRIALS]),
        ("US", "2025-12-14", [S.MAY_RUN_TRIALS]),
        ("US", "2025-12-15", [S.MAY_RUN_TRIALS]),
        ("EU", "2026-01-01", [S.NOTHING_ON_RECORD]),
    ],
)
def test_js212_answers(jurisdiction: str, day: str, possible: list[RegulatoryState]) -> None:
    """The JS212 questions of the brief, answered with their certainty."""
    answer = state_as_of(JS212, jurisdiction, day)
    assert list(answer.possible) == possible
    assert answer.certain is (len(possible) == 1)
    assert answer.state is possible[0]
    assert answer.as_of == dt.date.fromisoformat(day)


def test_js212_justifying_events() -> None:
    """The answer names the events that moved the state, and the straddling ones apart."""
    accepted, cleared, combo, fda = JS212.events
    assert state_as_of(JS212, "CN", "2025-04-01").events == (accepted, cleared)
    straddled = state_as_of(JS212, "CN", "2025-03-15")
    assert (straddled.events, straddled.pending) == ((accepted,), (cleared,))
    # The November combination clearance is its own application, which may run trials too: both are cited.
    assert state_as_of(JS212, "CN", "2025-12-31").events == (accepted, cleared, combo)
    assert state_as_of(JS212, "US", "2025-12-15").events == (fda,)
    us = state_as_of(JS212, "US", "2025-11-30")
    assert (us.events, us.pending) == ((), (fda,))


def test_as_of_accepts_dates_and_day_partial_dates() -> None:
    """A datetime.date, a day PartialDate and ISO text give the same answer."""
    a = state_as_of(JS212, "us", dt.date(2025, 12, 15))
    assert a == state_as_of(JS212, "US", PartialDate(2025, 12, 15)) == state_as_of(JS212, "US", "2025-12-15")
    assert a.jurisdiction == "US"


@pytest.mark.parametrize("day", ["2025-12", "2025", "someday", "2025-02-30"])
def test_as_of_must_be_a_calendar_day(day: str) -> None:
    """A month or year is not a day to answer for; the error shows the value."""
    with pytest.raises(biopipe.InvalidPartialDate, match=repr(day)):
        state_as_of(JS212, "US", day)


def test_unknown_jurisdiction_is_an_error() -> None:
    """Jurisdictions are ISO country codes or EU."""
    with pytest.raises(biopipe.UnknownCode, match="'XX'"):
        state_as_of(JS212, "XX", "2025-12-15")


def _event(kind: EventKind, date: str, agency: Agency = Agency.FDA, **kw: Any) -> RegulatoryEvent:
    return RegulatoryEvent(agency=agency, kind=kind, date=FactDate.parse(date), **kw)


def _with(*events: RegulatoryEvent) -> biopipe.Asset:
    return attrs.evolve(JS212, events=events)


def test_hold_and_lift() -> None:
    """A hold stops trials until lifted; a further clearance does not lift it."""
    asset = _with(
        _event(EventKind.IND_CLEARED, "2024-01-10"),
        _event(EventKind.CLINICAL_HOLD, "2024-03-01"),
        _event(EventKind.IND_CLEARED, "2024-04-01"),
        _event(EventKind.HOLD_LIFTED, "2024-06-01"),
    )
    assert state_as_of(asset, "US", "2024-05-01").state is S.ON_CLINICAL_HOLD
    assert state_as_of(asset, "US", "2024-06-01").state is S.MAY_RUN_TRIALS


def test_marketing_track_outranks_the_trial_track() -> None:
    """Marketing pending, then approved; an approval stands until withdrawn."""
    asset = _with(
        _event(EventKind.IND_CLEARED, "2020-01-10"),
        _event(EventKind.MARKETING_SUBMITTED, "2024-01-10"),
        _event(EventKind.COMPLETE_RESPONSE, "2024-11-10"),
        _event(EventKind.MARKETING_SUBMITTED, "2025-01-10"),
        _event(EventKind.MARKETING_APPROVED, "2025-09-10"),
        _event(EventKind.MARKETING_REFUSED, "2025-10-10"),
        _event(EventKind.APPROVAL_WITHDRAWN, "2026-10-10"),
    )
    expected = {
        "2023-12-31": S.MAY_RUN_TRIALS,
        "2024-06-01": S.MARKETING_PENDING,
        "2024-12-01": S.COMPLETE_RESPONSE,
        "2025-02-01": S.MARKETING_PENDING,
        "2025-12-01": S.APPROVED,
        "2026-12-01": S.WITHDRAWN,
    }
    assert {day: state_as_of(asset, "US", day).state for day in expected} == expected


def test_plans_and_designations_are_not_states() -> None:
    """An estimated event never counts as happened; a designation is not a regulatory state."""
    asset = _with(
        _event(EventKind.MARKETING_SUBMITTED, "2025-H1 (estimated)"),
        _event(EventKind.DESIGNATION_GRANTED, "2025-01-05", designation=biopipe.Designation.FAST_TRACK),
    )
    answer = state_as_of(asset, "US", "2026-01-01")
    assert (answer.state, answer.certain, answer.events) == (S.NOTHING_ON_RECORD, True, ())


def test_scope_narrows_to_matching_and_unscoped_events() -> None:
    """Asking about one protocol ignores decisions on another."""
    asset = _with(
        _event(EventKind.IND_ACCEPTED, "2025-01", Agency.NMPA),
        _event(EventKind.IND_CLEARED, "2025-03", Agency.NMPA, scope="monotherapy"),
        _event(EventKind.IND_ACCEPTED, "2025-06", Agency.NMPA, scope="combination"),
    )
    assert state_as_of(asset, "CN", "2025-07-01").state is S.MAY_RUN_TRIALS
    assert state_as_of(asset, "CN", "2025-07-01", scope="Combination").state is S.IND_PENDING


def test_announced_date_is_uncertain_before_its_announcement_unless_the_record_bounds_it() -> None:
    """'On or before 2025-12' may have happened any day before December's end; a filing on record bounds it."""
    asset = _with(_event(EventKind.IND_CLEARED, "on or before 2025-12"))
    assert state_as_of(asset, "US", "2020-01-01").possible == (S.NOTHING_ON_RECORD, S.MAY_RUN_TRIALS)
    bounded = _with(
        _event(EventKind.IND_SUBMITTED, "2025-10-20"), _event(EventKind.IND_CLEARED, "on or before 2025-12")
    )
    assert state_as_of(bounded, "US", "2025-10-19").possible == (S.NOTHING_ON_RECORD,)
    assert state_as_of(bounded, "US", "2025-11-30").possible == (S.IND_PENDING, S.MAY_RUN_TRIALS)
    assert state_as_of(asset, "US", "2025-12-10").possible == (S.NOTHING_ON_RECORD, S.MAY_RUN_TRIALS)
    assert state_as_of(asset, "US", "2025-12-31").possible == (S.MAY_RUN_TRIALS,)


def test_answer_renders_to_text_and_a_document() -> None:
    """str() reads as a sentence; its JSON document carries the fields, `certain`, and the events in full."""
    answer = state_as_of(JS212, "CN", "2025-03-15")
    assert str(answer) == "JS212 in CN as of 2025-03-15: uncertain (ind pending or may run trials)"
    assert answer.render() == str(answer) + "\n"
    d = json.loads(answer.render("json"))
    assert (d["format"], d["version"]) == ("biopipe-state", 1)
    assert (d["certain"], d["possible"], d["as_of"]) == (False, ["ind_pending", "may_run_trials"], "2025-03-15")
    assert [biopipe.document.converter.structure(e, biopipe.RegulatoryEvent) for e in d["pending"]] == [JS212.events[1]]


# -- properties ------------------------------------------------------------------------

DAYS = bst.days(2020, 2030)
PLACES = st.sampled_from(["US", "CN", "EU"])


@given(qst.assets(), PLACES, DAYS)
def test_answer_is_consistent(asset: biopipe.Asset, place: str, day: dt.date) -> None:
    """The known state is possible; pending events straddle the day; justifying events happened."""
    answer = state_as_of(asset, place, day)
    assert attrs.evolve(answer) == answer  # built without validators; evolve validates it
    assert answer.state in answer.possible
    assert answer.certain is (len(answer.possible) == 1)
    assert all(happened_by(e, day) is None for e in answer.pending)
    assert all(happened_by(e, day) is True and e.jurisdiction == place for e in answer.events)
    if not answer.pending:
        assert answer.certain


@given(qst.assets(), PLACES, bst.days(2020, 2028), st.lists(qst.events(2029, 2031), min_size=1, max_size=3))
def test_facts_after_the_day_do_not_change_the_answer(
    asset: biopipe.Asset, place: str, day: dt.date, later: list[RegulatoryEvent]
) -> None:
    """The answer depends only on facts whose earliest possible day is on or before the day.

    An announced fact ("on or before X") has no earliest day of its own: it may have happened before the day,
    so the later facts are drawn with actual dates here. A later filing is a fact about the past too: the
    announced decision it is answered by cannot precede it (`earliest_possible`), so filings are left out.
    """
    later = [attrs.evolve(e, date=FactDate(e.date.date, DateBasis.ACTUAL)) for e in later if not e.kind.is_filing]
    assert all(e.date.date.earliest > day for e in later)
    extended = attrs.evolve(asset, events=(*asset.events, *later))
    assert state_as_of(extended, place, day) == state_as_of(asset, place, day)


@given(qst.assets(), PLACES, DAYS, st.lists(qst.events(), min_size=1, max_size=3))
def test_plans_never_change_the_answer(
    asset: biopipe.Asset, place: str, day: dt.date, plans: list[RegulatoryEvent]
) -> None:
    """Estimated (planned) events, whenever dated, are not facts about the past."""
    planned = [attrs.evolve(e, date=FactDate(e.date.date, DateBasis.ESTIMATED)) for e in plans]
    extended = attrs.evolve(asset, events=(*asset.events, *planned))
    assert state_as_of(extended, place, day) == state_as_of(asset, place, day)


@given(qst.assets(), PLACES, DAYS, st.integers(1, 800), qst.events(2020, 2033))
def test_a_certain_answer_never_flips_while_nothing_new_happens(
    asset: biopipe.Asset, place: str, day: dt.date, gap: int, later: RegulatoryEvent
) -> None:
    """A certain answer holds at any later day if no fact of the jurisdiction falls in between.

    A later, non-straddling fact (one that starts after the day) added to the
    record changes nothing either. An announced fact has no start of its own: it may have happened any day
    before its announcement, so it counts as falling in between.
    """
    answer = state_as_of(asset, place, day)
    assume(answer.certain)
    after = day + dt.timedelta(days=gap)
    between = [
        e
        for e in asset.events
        if e.jurisdiction == place and e.date.basis is not DateBasis.ESTIMATED
        if e.date.date.latest > day and (e.date.earliest is None or e.date.date.earliest <= after)
    ]
    if not between:
        assert state_as_of(asset, place, after).possible == answer.possible
    if later.date.earliest is not None and later.date.earliest > day:
        extended = attrs.evolve(asset, events=(*asset.events, later))
        assert state_as_of(extended, place, day).possible == answer.possible
