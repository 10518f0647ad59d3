"""Review clocks: worked examples checked by hand against the calendar, JS212, versioning, inference, properties."""

from __future__ import annotations

import datetime as dt
import sys

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
from biopipe import Agency, Asset, DateBasis, EventKind, FactDate, Modality, PartialDate, RegulatoryEvent
from biopipe.review import (
    CLOCK_RULES,
    ClockRule,
    ClockUnit,
    _clocks,
    add_clock,
    due_range,
    infer_events,
    review_clocks,
    rule_in_effect,
)
from biopipe.testing import strategies as bst

pytest.importorskip("holidays", reason="the 'clocks' extra (holidays) is part of the test group")

RULES = {r.code: r for r in CLOCK_RULES}
FDA = RULES["fda-ind-30-days"]
NMPA = RULES["nmpa-ind-60-working-days"]
PILOT = RULES["nmpa-ind-30-working-days-pilot-2024"]
D = dt.date


def _rule(duration: int, unit: ClockUnit = ClockUnit.WORKING_DAYS, since: dt.date | None = None) -> ClockRule:
    return ClockRule(
        code=f"test-{duration}-{since}",
        agency=Agency.NMPA,
        starts_on=EventKind.IND_ACCEPTED,
        duration=duration,
        unit=unit,
        effective_from=since or D(2000, 1, 1),
        infers=EventKind.IND_CLEARED,
        source="test",
    )


def _asset(*events: RegulatoryEvent) -> Asset:
    return Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=events)


def _event(agency: Agency, kind: EventKind, date: str) -> RegulatoryEvent:
    return RegulatoryEvent(agency=agency, kind=kind, date=FactDate.parse(date))


def test_nmpa_60_working_days_across_spring_festival_2025() -> None:
    """Accepted Mon 20 Jan 2025: the 60th working day is Mon 21 Apr 2025.

    By hand (the acceptance day is not counted; Spring Festival off Tue 28 Jan - Tue 4 Feb;
    Sun 26 Jan and Sat 8 Feb are adjusted working days; Qingming Fri 4 Apr off):
      Jan 21-24 -> 1-4; Sun Jan 26 -> 5; Jan 27 -> 6; Feb 5-7 -> 7-9; Sat Feb 8 -> 10;
      Feb 10-14 -> 11-15; Feb 17-21 -> 16-20; Feb 24-28 -> 21-25; Mar 3-7 -> 26-30;
      Mar 10-14 -> 31-35; Mar 17-21 -> 36-40; Mar 24-28 -> 41-45; Mar 31-Apr 3 -> 46-49;
      Apr 7-11 -> 50-54; Apr 14-18 -> 55-59; Mon Apr 21 -> 60.
    """
    assert add_clock(NMPA, D(2025, 1, 20)) == D(2025, 4, 21)


def test_adjusted_working_weekend_days_count() -> None:
    """One working day after Fri 7 Feb 2025 is Sat 8 Feb (worked); after Fri 24 Jan, Sun 26 Jan (worked).

    An ordinary weekend is skipped: one working day after Fri 14 Feb 2025 is Mon 17 Feb.
    Spring Festival days are skipped: one working day after Mon 27 Jan 2025 is Wed 5 Feb.
    """
    one = _rule(1)
    assert add_clock(one, D(2025, 2, 7)) == D(2025, 2, 8)
    assert add_clock(one, D(2025, 1, 24)) == D(2025, 1, 26)
    assert add_clock(one, D(2025, 2, 14)) == D(2025, 2, 17)
    assert add_clock(one, D(2025, 1, 27)) == D(2025, 2, 5)


def test_fda_30_calendar_days() -> None:
    """FDA: receipt + 30 calendar days, weekends and US holidays included.

    By hand: 14 Nov 2025 + 30 = 14 Dec 2025 (16 days to 30 Nov, 14 more);
    15 Feb 2024 + 30 = 16 Mar 2024 (14 days to 29 Feb in the leap year, 16 more).
    """
    assert add_clock(FDA, D(2025, 11, 14)) == D(2025, 12, 14)
    assert add_clock(FDA, D(2024, 2, 15)) == D(2024, 3, 16)
    (clock,) = review_clocks(_asset(_event(Agency.FDA, EventKind.IND_SUBMITTED, "2025-11-14")))
    assert (clock.earliest, clock.latest, clock.rule, clock.pending) == (D(2025, 12, 14), D(2025, 12, 14), FDA, True)


def test_js212_month_acceptance_gives_a_due_range() -> None:
    """JS212: NMPA accepted the IND in January 2025, so 60 working days run out from 1 Apr to 28 Apr 2025.

    By hand, from Wed 1 Jan: Jan 2-3 -> 1-2; Jan 6-24 -> 3-17; Sun Jan 26 -> 18; Jan 27 -> 19;
      Feb 5-7 -> 20-22; Sat Feb 8 -> 23; Feb 10-28 -> 24-38; Mar 3-28 -> 39-58; Mar 31 -> 59; Tue Apr 1 -> 60.
    From Fri 31 Jan (a holiday): Feb 5-7 -> 1-3; Sat Feb 8 -> 4; Feb 10-28 -> 5-19; Mar 3-28 -> 20-39;
      Mar 31-Apr 3 -> 40-43; Apr 7-25 -> 44-58; Sun Apr 27 (worked, Labour Day swap) -> 59; Mon Apr 28 -> 60.
    The recorded clearance (March 2025) came before the clock ran out: an explicit approval within the window.
    """
    js212 = biopipe.example("js212")
    (clock,) = review_clocks(js212)
    assert (clock.earliest, clock.latest) == (D(2025, 4, 1), D(2025, 4, 28))
    assert clock.rule is NMPA
    assert clock.path == "assets[0].events[0]"
    assert clock.basis is DateBasis.ACTUAL
    assert clock.decision == js212.events[1]
    assert clock.decision.date.latest < D(2025, 4, 1)  # cleared by 31 March, before the earliest due day
    assert not clock.pending
    assert not clock.provisional


def test_js212_under_the_pilot_overlaps_the_clearance() -> None:
    """With the 2024 pilot's 30 working days the range is 18 Feb - 17 Mar 2025, which March 2025 overlaps.

    By hand: from 1 Jan the 30th working day is Tue 18 Feb (19 by Jan 27, Feb 5-8 -> 20-23,
    Feb 10-14 -> 24-28, Feb 17-18 -> 29-30); from 31 Jan it is Mon 17 Mar (Feb 5-8 -> 1-4,
    Feb 10-28 -> 5-19, Mar 3-14 -> 20-29, Mar 17 -> 30).
    """
    js212 = biopipe.example("js212")
    (clock,) = review_clocks(js212, pilot=True)
    assert (clock.earliest, clock.latest, clock.rule) == (D(2025, 2, 18), D(2025, 3, 17), PILOT)
    cleared = js212.events[1].date.date
    assert clock.earliest is not None
    assert clock.earliest <= cleared.latest
    assert cleared.earliest <= clock.latest


def test_rule_versions_by_effective_date() -> None:
    """The rule in effect on the start day applies; a start range spanning a change takes both into account.

    Rules: 10 calendar days from 1 Jan 2025, 2 calendar days from 16 Jan 2025. A start in January 2025:
    Jan 1 -> Jan 11 (old); Jan 15 -> Jan 25 (old, latest possible under it); Jan 16 -> Jan 18 (new);
    Jan 31 -> Feb 2 (new). So the due range is 11 Jan - 2 Feb and both versions are listed.
    """
    old, new = _rule(10, ClockUnit.CALENDAR_DAYS, D(2025, 1, 1)), _rule(2, ClockUnit.CALENDAR_DAYS, D(2025, 1, 16))
    assert rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, D(2025, 1, 15), rules=[old, new]) is old
    assert rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, D(2025, 1, 16), rules=[old, new]) is new
    (clock,) = review_clocks(_asset(_event(Agency.NMPA, EventKind.IND_ACCEPTED, "2025-01")), rules=[old, new])
    assert (clock.earliest, clock.latest, clock.rules) == (D(2025, 1, 11), D(2025, 2, 2), (old, new))
    # Before the first version there is no clock at all.
    assert review_clocks(_asset(_event(Agency.NMPA, EventKind.IND_ACCEPTED, "2024-12")), rules=[old, new]) == ()
    # The bundled NMPA rules: 2018 announcement, then the 2020 Provisions.
    assert rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, D(2019, 5, 1)) is RULES["nmpa-ind-60-working-days-2018"]
    assert (
        rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, D(2025, 10, 1), pilot=True)
        is RULES["nmpa-ind-30-working-days-2025"]
    )
    # Before the pilot existed, asking for it falls back to the standard rule.
    assert rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, D(2024, 1, 1), pilot=True) is NMPA


def test_announced_start_has_no_earliest_due() -> None:
    """A submission known only as 'on or before' a day gives 'due on or before'."""
    (clock,) = review_clocks(_asset(_event(Agency.FDA, EventKind.IND_SUBMITTED, "on or before 2025-03-10")))
    assert (clock.earliest, clock.latest) == (None, D(2025, 4, 9))
    assert clock.runs_out_by(D(2025, 4, 10)) is True
    assert clock.runs_out_by(D(2025, 4, 1)) is None
    assert "due on or before 2025-04-09" in str(clock)


def test_infer_presumed_clearance_after_the_clock() -> None:
    """An FDA IND submitted 14 Nov 2025 with no decision is presumed in effect from 14 Dec 2025, once past."""
    asset = _asset(_event(Agency.FDA, EventKind.IND_SUBMITTED, "2025-11-14"))
    assert infer_events(asset, as_of=D(2025, 12, 14)) == ()
    (presumed,) = infer_events(asset, as_of=D(2025, 12, 15))
    assert (presumed.agency, presumed.kind, str(presumed.date)) == (Agency.FDA, EventKind.IND_CLEARED, "2025-12-14")
    assert presumed.inferred_by == "fda-ind-30-days"
    assert presumed.is_inferred


def test_recorded_facts_win_over_inference() -> None:
    """A recorded clearance or hold means no inferred event; estimated starts and placeholders infer nothing."""
    submitted = _event(Agency.FDA, EventKind.IND_SUBMITTED, "2025-11-14")
    later = D(2026, 6, 1)
    assert infer_events(_asset(submitted, _event(Agency.FDA, EventKind.IND_CLEARED, "2025-12")), as_of=later) == ()
    assert infer_events(_asset(submitted, _event(Agency.FDA, EventKind.CLINICAL_HOLD, "2025-12-10")), as_of=later) == ()
    planned = _event(Agency.FDA, EventKind.IND_SUBMITTED, "2025-11 (estimated)")
    assert infer_events(_asset(planned), as_of=later) == ()
    ema = _asset(_event(Agency.EMA, EventKind.IND_SUBMITTED, "2025-03-01"))
    (clock,) = review_clocks(ema)
    assert clock.rule.placeholder
    assert infer_events(ema, as_of=later) == ()
    # JS212 has its clearance on record.
    assert infer_events(biopipe.example("js212"), as_of=later) == ()


def test_inferred_date_covers_the_due_range() -> None:
    """A month-precision acceptance infers a clearance dated by the finest partial date covering the range."""
    (presumed,) = infer_events(_asset(_event(Agency.NMPA, EventKind.IND_ACCEPTED, "2025-01")), as_of=D(2025, 6, 1))
    assert str(presumed.date) == "2025-04"  # 1-28 April 2025
    quarter = _asset(_event(Agency.NMPA, EventKind.IND_ACCEPTED, "2025-Q1"))
    (clock,) = review_clocks(quarter)
    (wide,) = infer_events(quarter, as_of=D(2026, 1, 1))
    assert clock.earliest is not None
    assert wide.date.date.earliest <= clock.earliest
    assert clock.latest <= wide.date.latest


def test_unpublished_calendar_years_are_provisional() -> None:
    """China announces each year's working weekends in the autumn before: far-future windows are provisional."""
    (clock,) = review_clocks(_asset(_event(Agency.NMPA, EventKind.IND_ACCEPTED, "2035-06-01")))
    assert clock.provisional
    assert "calendar provisional" in str(clock)


def test_missing_holidays_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the optional 'holidays' package, working-day clocks raise a BiopipeError naming the extra."""
    monkeypatch.setitem(sys.modules, "holidays", None)
    _clocks._calendar.cache_clear()
    try:
        with pytest.raises(biopipe.BiopipeError, match=r"biopipe-intel\[clocks\]"):
            add_clock(NMPA, D(2025, 1, 20))
        # Calendar-day clocks need no calendar.
        assert add_clock(FDA, D(2025, 1, 20)) == D(2025, 2, 19)
    finally:
        _clocks._calendar.cache_clear()


def test_rules_are_documented_data() -> None:
    """Every bundled rule cites a source; rule codes are unique; placeholders never infer."""
    assert len(RULES) == len(CLOCK_RULES)
    for rule in CLOCK_RULES:
        assert rule.source.strip()
        assert rule.describe().startswith(rule.agency.abbreviation)
        assert not (rule.placeholder and rule.infers is not None)
    with pytest.raises(biopipe.ValidationError):
        attrs.evolve(FDA, duration=-1)


# -- properties --------------------------------------------------------------------------------------

_ACTUAL_DATES = st.builds(FactDate, bst.partial_dates(2019, 2027), st.just(DateBasis.ACTUAL))


@given(_ACTUAL_DATES, st.booleans())
def test_due_range_is_ordered_and_after_the_start(date: FactDate, pilot: bool) -> None:
    """earliest <= latest, and every due day is after the first day the start may have happened."""
    (clock,) = review_clocks(
        _asset(RegulatoryEvent(agency=Agency.NMPA, kind=EventKind.IND_ACCEPTED, date=date)), pilot=pilot
    )
    assert clock.earliest is not None
    assert date.date.earliest < clock.earliest <= clock.latest
    assert clock.latest > date.latest


@given(bst.days(2019, 2027), bst.days(2019, 2027), st.sampled_from([FDA, NMPA, PILOT]))
def test_due_day_is_monotone_in_the_start(a: dt.date, b: dt.date, rule: ClockRule) -> None:
    """A later start never gives an earlier due day."""
    first, second = sorted((a, b))
    assert add_clock(rule, first) <= add_clock(rule, second)


@given(bst.days(2019, 2026), st.integers(1, 80))
def test_due_day_is_the_nth_working_day(start: dt.date, n: int) -> None:
    """The due day is a working day and exactly n working days follow the start up to it."""
    import holidays

    calendar = holidays.country_holidays("CN")
    due = add_clock(_rule(n), start)
    days = [start + dt.timedelta(days=k) for k in range(1, (due - start).days + 1)]
    assert calendar.is_working_day(due)
    assert sum(calendar.is_working_day(d) for d in days) == n


@given(st.builds(FactDate, bst.partial_dates(2019, 2027), st.just(DateBasis.ACTUAL)), st.data())
def test_projection_is_monotone_in_the_start(date: FactDate, data: st.DataObject) -> None:
    """A start date wholly later than another has a due range that is no earlier, end for end."""
    shift = data.draw(st.integers(1, 400))
    later_day = date.date.latest + dt.timedelta(days=shift)
    later = FactDate(PartialDate.from_date(later_day))
    (a,) = review_clocks(_asset(RegulatoryEvent(agency=Agency.NMPA, kind=EventKind.IND_ACCEPTED, date=date)))
    (b,) = review_clocks(_asset(RegulatoryEvent(agency=Agency.NMPA, kind=EventKind.IND_ACCEPTED, date=later)))
    assert a.earliest is not None
    assert b.earliest is not None
    assert a.earliest <= b.earliest
    assert a.latest <= b.latest


# -- marketing-review rules ------------------------------------------------------------------------------


def test_month_clocks_keep_to_the_last_day_of_the_month() -> None:
    """Months are calendar months; a day the target month lacks becomes its last day.

    By hand: 31 Aug 2025 + 6 months -> 31 Feb 2026 does not exist -> 28 Feb 2026;
    31 Aug 2023 + 6 months -> 29 Feb 2024 (leap year); 15 Jan 2026 + 2 months -> 15 Mar 2026.
    """
    class_2 = RULES["fda-pdufa-resubmission-class-2"]
    class_1 = RULES["fda-pdufa-resubmission-class-1"]
    assert add_clock(class_2, D(2025, 8, 31)) == D(2026, 2, 28)
    assert add_clock(class_2, D(2023, 8, 31)) == D(2024, 2, 29)
    assert add_clock(class_1, D(2026, 1, 15)) == D(2026, 3, 15)


def test_program_clocks_count_from_the_60_day_filing_date() -> None:
    """Received 31 Dec 2025: filing date 1 Mar 2026 (31 Jan + 28 Feb + 1 = 60 days), + 10 months = 1 Jan 2027.

    The non-Program clock counts from receipt: 31 Dec 2025 + 10 months = 31 Oct 2026.
    """
    assert add_clock(RULES["fda-pdufa-program-standard"], D(2025, 12, 31)) == D(2027, 1, 1)
    assert add_clock(RULES["fda-pdufa-original-standard"], D(2025, 12, 31)) == D(2026, 10, 31)


def test_due_range_adds_the_allowance_to_the_latest_day_only() -> None:
    """EMA accelerated assessment: 150 days, plus 30 of clock stop.

    By hand: started 1 Mar 2025; +150 -> 29 Jul 2025 (30 Mar, 60 Apr, 91 May, 121 Jun, 150 on Jul 29);
    +180 -> 28 Aug 2025 (2 more in Jul, 28 in Aug).
    """
    rule = RULES["ema-maa-accelerated-150-days"]
    assert due_range(rule, D(2025, 3, 1), D(2025, 3, 1)) == (D(2025, 7, 29), D(2025, 8, 28))
    assert add_clock(rule, D(2025, 3, 1), allowance=True) == D(2025, 8, 28)


def test_marketing_rules_are_cited_and_cased() -> None:
    """Every marketing rule names its case and a source; trial-application rules have no case."""
    for rule in CLOCK_RULES:
        assert rule.source
        if rule.starts_on.application is biopipe.ApplicationKind.MARKETING:
            assert rule.case is not None, rule.code
            assert rule.infers is None, rule.code  # no decision is presumed for a marketing application
        else:
            assert rule.case is None, rule.code
    assert "(+ up to 20 working days)" in RULES["nmpa-marketing-130-working-days"].describe()
    assert "+ 60 days" in RULES["fda-pdufa-program-priority"].describe()


def test_review_clocks_leave_marketing_applications_to_catalysts() -> None:
    """A marketing submission starts no trial-application clock (its clock is a catalyst's)."""
    filed = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2025-11-14")
    assert review_clocks(_asset(filed)) == ()
