"""The two time axes: valid time (as_of) and knowledge time (known_on), by example and as properties."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
import query_strategies as qst
from biopipe import (
    Agency,
    Asset,
    DateBasis,
    EventKind,
    FactDate,
    PartialDate,
    RegulatoryEvent,
    RegulatoryState,
    Source,
    state_as_of,
)
from biopipe.query import highest_phase, phase_report, status_report, timeline
from biopipe.testing import strategies as bst

JS212 = biopipe.example("js212")
S = RegulatoryState


@pytest.mark.parametrize(
    ("jurisdiction", "day", "known_on", "possible"),
    [
        ("CN", "2025-02-15", None, [S.IND_PENDING]),
        ("CN", "2025-03-15", None, [S.IND_PENDING, S.MAY_RUN_TRIALS]),
        ("CN", "2025-04-01", None, [S.MAY_RUN_TRIALS]),
        ("US", "2025-12-15", None, [S.MAY_RUN_TRIALS]),
        ("US", "2025-11-30", None, [S.NOTHING_ON_RECORD, S.MAY_RUN_TRIALS]),
        ("US", "2025-11-30", "2025-11-30", [S.NOTHING_ON_RECORD]),
        # Disclosed on 14 December: known that day, not the day before.
        ("US", "2025-12-14", "2025-12-13", [S.NOTHING_ON_RECORD]),
        ("US", "2025-12-14", "2025-12-14", [S.MAY_RUN_TRIALS]),
        # The NMPA facts were published on 15 December: an analyst on 1 December knew none of them.
        ("CN", "2025-04-01", "2025-12-01", [S.NOTHING_ON_RECORD]),
        ("CN", "2025-04-01", "2025-12-15", [S.MAY_RUN_TRIALS]),
    ],
)
def test_js212_on_both_axes(jurisdiction: str, day: str, known_on: str | None, possible: list[RegulatoryState]) -> None:
    """The brief's JS212 answers, and the same questions asked as of a knowledge day."""
    answer = state_as_of(JS212, jurisdiction, day, known_on=known_on)
    assert list(answer.possible) == possible
    assert answer.certain is (len(possible) == 1)
    assert answer.known_on == (None if known_on is None else dt.date.fromisoformat(known_on))


def test_known_on_is_shown_and_unpublished_facts_are_counted() -> None:
    """A fact with no public date does not count under known_on, and the answer says how many were left out."""
    secret = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.IND_CLEARED, date=FactDate.parse("2025-06-01"))
    asset = attrs.evolve(JS212, events=(*JS212.events, secret))
    valid = state_as_of(asset, "US", "2025-07-01")
    assert valid.state is S.MAY_RUN_TRIALS
    known = state_as_of(asset, "US", "2025-07-01", known_on="2026-01-01")
    assert (known.possible, known.unpublished) == ((S.NOTHING_ON_RECORD, S.MAY_RUN_TRIALS), 1)
    assert "left out: 1 fact(s) with no known publication date" in known.render()
    assert str(known).startswith("JS212 in US as of 2025-07-01 (known on 2026-01-01): ")


def test_a_public_date_straddling_the_knowledge_day_does_not_count() -> None:
    """Published 'December 2025': not known on 10 December, known on 31 December."""
    event = RegulatoryEvent(
        agency=Agency.FDA,
        kind=EventKind.IND_CLEARED,
        date=FactDate.parse("2025-06-01"),
        disclosed=PartialDate(2025, 12),
    )
    asset = attrs.evolve(JS212, events=(event,))
    assert state_as_of(asset, "US", "2025-07-01", known_on="2025-12-10").state is S.NOTHING_ON_RECORD
    assert state_as_of(asset, "US", "2025-07-01", known_on="2025-12-31").state is S.MAY_RUN_TRIALS


def test_other_queries_take_known_on() -> None:
    """timeline, highest_phase, status_report and phase_report as of a knowledge day."""
    assert [e.kind.code for e in timeline(JS212, known_on="2025-12-14")] == ["ind_cleared"]
    assert len(timeline(JS212, known_on="2025-12-15")) == len(timeline(JS212))
    assert highest_phase(JS212, known_on="2025-12-14") is None
    assert highest_phase(JS212, known_on="2025-12-15") == biopipe.Phase.PHASE1_2
    assert highest_phase(JS212, "2026-01-01", known_on="2025-12-15") == biopipe.Phase.PHASE1_2
    (answer,) = status_report(JS212, "US", "2025-11-30", known_on="2025-11-30").answers
    assert answer.certain
    assert answer.state is S.NOTHING_ON_RECORD
    report = phase_report(JS212, known_on="2025-12-14")
    assert report.known_on == dt.date(2025, 12, 14)
    assert report.answers[0].phase is None


def test_selectors_take_known_on() -> None:
    """in_state and phase_at_least as of a knowledge day."""
    from biopipe.query import in_state, phase_at_least

    assert not in_state("US", "nothing_on_record", as_of="2025-11-30")(JS212)
    assert in_state("US", "nothing_on_record", as_of="2025-11-30", known_on="2025-11-30")(JS212)
    assert phase_at_least("phase1")(JS212)
    assert not phase_at_least("phase1", known_on="2025-12-14")(JS212)


# -- properties -----------------------------------------------------------------------------

PLACES = st.sampled_from(["US", "CN", "EU"])
KNOWN = bst.days(2021, 2027)


def _published(event: RegulatoryEvent, day: dt.date) -> RegulatoryEvent:
    return attrs.evolve(event, disclosed=PartialDate.from_date(day))


@st.composite
def public_events(draw: st.DrawFn, low: dt.date, high: dt.date) -> RegulatoryEvent:
    """An event whose public day falls in [low, high] (by ``disclosed`` or by a dated source)."""
    event = draw(qst.events(2020, 2030))
    day = draw(st.dates(low, high))
    if draw(st.booleans()):
        return _published(event, day)
    return attrs.evolve(event, sources=(Source(title="press release", published=PartialDate.from_date(day)),))


@st.composite
def public_assets(draw: st.DrawFn) -> Asset:
    """Assets whose every event and trial has a public day (2020-2030)."""
    asset = draw(qst.assets())
    days = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    events = tuple(_published(e, draw(days)) for e in asset.events)
    trials = tuple(
        attrs.evolve(t, sources=(Source(title="registry", published=PartialDate.from_date(draw(days))),))
        for t in asset.trials
    )
    return attrs.evolve(asset, events=events, trials=trials)


@given(public_assets(), PLACES, bst.days(2020, 2030), KNOWN, st.data())
def test_answers_under_known_on_never_depend_on_facts_published_later(
    asset: Asset, place: str, day: dt.date, known: dt.date, data: st.DataObject
) -> None:
    """(a) Adding, removing or altering facts published after K leaves the answer under known_on=K equal."""
    later = data.draw(st.lists(public_events(known + dt.timedelta(days=1), dt.date(2031, 12, 31)), max_size=3))
    before = state_as_of(asset, place, day, known_on=known)
    extended = attrs.evolve(asset, events=(*asset.events, *later))
    assert state_as_of(extended, place, day, known_on=known) == before
    # Removing the facts published after K (or altering them: here, into other kinds) changes nothing either.
    kept = tuple(e for e in asset.events if e.public_on is not None and e.public_on.latest <= known)
    assert state_as_of(attrs.evolve(asset, events=kept), place, day, known_on=known) == before
    altered = tuple(
        e if e in kept else attrs.evolve(e, date=FactDate(e.date.date, DateBasis.ESTIMATED)) for e in asset.events
    )
    assert state_as_of(attrs.evolve(asset, events=altered), place, day, known_on=known) == before


@given(public_assets(), PLACES, bst.days(2020, 2030), KNOWN, st.integers(1, 900), st.data())
def test_a_later_published_fact_never_changes_an_earlier_knowledge_answer(
    asset: Asset, place: str, day: dt.date, known: dt.date, gap: int, data: st.DataObject
) -> None:
    """(b) A fact published after K, added to the record, leaves every answer under known_on=K as it was.

    It may change the answer under a later knowledge day K + gap, which is the point of the axis.
    """
    published = known + dt.timedelta(days=gap)
    fact = data.draw(public_events(published, published))
    extended = attrs.evolve(asset, events=(*asset.events, fact))
    assert state_as_of(extended, place, day, known_on=known) == state_as_of(asset, place, day, known_on=known)
    assert timeline(extended, known_on=known) == timeline(asset, known_on=known)


@given(public_assets(), PLACES, bst.days(2020, 2030))
def test_no_known_on_equals_a_far_knowledge_day_when_every_fact_is_public(
    asset: Asset, place: str, day: dt.date
) -> None:
    """(c) known_on=None equals known_on in the far future when every fact has a public date."""
    far = state_as_of(asset, place, day, known_on="2099-12-31")
    assert attrs.evolve(far, known_on=None) == state_as_of(asset, place, day)
    assert timeline(asset, known_on="2099-12-31") == timeline(asset)


@given(bst.assets(), PLACES, bst.days(2020, 2030), KNOWN)
def test_known_on_answers_are_valid_for_any_asset(asset: Asset, place: str, day: dt.date, known: dt.date) -> None:
    """Any asset of the model's strategies gives a valid answer under known_on; facts left out are counted."""
    answer = state_as_of(asset, place, day, known_on=known)
    assert attrs.evolve(answer) == answer
    assert answer.unpublished == sum(e.public_on is None for e in asset.events if e.jurisdiction == place)
    assert highest_phase(asset, day, known_on=known) == highest_phase(
        attrs.evolve(asset, trials=tuple(t for t in asset.trials if _public_by(t, known))), day
    )


def _public_by(trial: biopipe.Trial, known: dt.date) -> bool:
    dates = [s.published for s in trial.sources if s.published is not None]
    return bool(dates) and min(dates, key=lambda d: (d.earliest, d.latest)).latest <= known
