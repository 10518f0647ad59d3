"""Review clocks: when a pending application's decision is due, and events presumed when a clock runs out.

Working days come from the optional ``holidays`` package (``pip install
'biopipe-intel[clocks]'``), whose China calendar lists the official holidays and the
adjusted working weekends (调休) that the State Council announces each year.
It is imported only when a working-day clock is computed.
"""

from __future__ import annotations

import calendar as _calendar_module
import datetime as dt
import functools
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model._asset import Asset, Portfolio, RegulatoryEvent
from ..model._dates import FactDate, PartialDate
from ..model._errors import BiopipeError
from ..model._vocab import DateBasis, EventKind
from ..query._arguments import as_assets, as_day
from ._clock_rules import CLOCK_RULES, ClockCase, ClockRule, ClockUnit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model._application import ReviewType
    from ..model._vocab import Agency

__all__ = [
    "ClockProjection",
    "ClockReport",
    "add_clock",
    "clock_report",
    "due_range",
    "infer_events",
    "review_clocks",
    "rule_in_effect",
]

_ONE_DAY = dt.timedelta(days=1)


@functools.cache
def _calendar(country: str) -> Any:
    try:
        import holidays
    except ImportError:
        raise BiopipeError(
            "working-day review clocks need the optional 'holidays' package: pip install 'biopipe-intel[clocks]'"
        ) from None
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:
        raise BiopipeError(f"no working-day calendar for country {country!r} in the 'holidays' package") from None


def _published(calendar: Any, year: int) -> bool:
    """Whether the calendar lists the adjusted working days of *year* (China announces them each autumn)."""
    calendar.get(dt.date(year, 1, 1))  # loads the year
    return any(d.year == year for d in calendar.weekend_workdays)


def _add_months(day: dt.date, months: int) -> dt.date:
    """*day* moved by *months* calendar months, kept to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, _calendar_module.monthrange(year, month)[1]))


def _count(rule: ClockRule, start: dt.date, amount: int) -> dt.date:
    if rule.unit is ClockUnit.CALENDAR_DAYS:
        return start + dt.timedelta(days=amount)
    if rule.unit is ClockUnit.MONTHS:
        return _add_months(start, amount)
    calendar = _calendar(rule.calendar)
    day, counted = start, 0
    while counted < amount:
        day += _ONE_DAY
        if calendar.is_working_day(day):
            counted += 1
    return day


def add_clock(rule: ClockRule, start: dt.date, *, allowance: bool = False) -> dt.date:
    """The day a clock started on *start* runs out under *rule* (the start day itself is not counted).

    The rule's ``offset`` calendar days pass first; with *allowance* the rule's
    allowance (clock stops, the decision step) is added to its duration.

    >>> import datetime
    >>> from biopipe.review import CLOCK_RULES, add_clock
    >>> fda = CLOCK_RULES[0]
    >>> add_clock(fda, datetime.date(2025, 11, 14))
    datetime.date(2025, 12, 14)

    Working days skip weekends and holidays but count adjusted working
    weekends: 30 NMPA working days from Fri 24 Jan 2025 cross the Spring
    Festival (28 Jan-4 Feb off; Sun 26 Jan and Sat 8 Feb worked).

    >>> pilot = next(r for r in CLOCK_RULES if r.code == "nmpa-ind-30-working-days-pilot-2024")
    >>> add_clock(pilot, datetime.date(2025, 1, 24))
    datetime.date(2025, 3, 13)

    A standard NME NDA received 3 March 2025 is filed 60 days later (2 May),
    and its PDUFA goal is 10 months after that:

    >>> nme = next(r for r in CLOCK_RULES if r.code == "fda-pdufa-program-standard")
    >>> add_clock(nme, datetime.date(2025, 3, 3))
    datetime.date(2026, 3, 2)
    """
    begin = start + dt.timedelta(days=rule.offset)
    return _count(rule, begin, rule.duration + (rule.allowance if allowance else 0))


def due_range(rule: ClockRule, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The due days of a clock whose start lies in [*first*, *last*]: earliest and latest.

    The earliest counts from ``first - rule.lead`` without allowance; the
    latest from *last* with the allowance (clock stops, the decision step).

    >>> import datetime
    >>> from biopipe.review import CLOCK_RULES, due_range
    >>> ema = next(r for r in CLOCK_RULES if r.code == "ema-maa-210-days")
    >>> due_range(ema, datetime.date(2025, 1, 30), datetime.date(2025, 1, 30))
    (datetime.date(2025, 8, 28), datetime.date(2026, 2, 24))
    """
    return add_clock(rule, first - dt.timedelta(days=rule.lead)), add_clock(rule, last, allowance=True)


def rule_in_effect(
    agency: Agency,
    starts_on: EventKind,
    on: dt.date,
    *,
    pilot: bool = False,
    rules: Iterable[ClockRule] = CLOCK_RULES,
    case: ClockCase | None = None,
    review: ReviewType | None = None,
) -> ClockRule | None:
    """The rule for a clock of *agency* started by a *starts_on* event on day *on*, or None.

    The latest version effective on or before *on* applies. With *pilot*, a
    pilot rule in effect wins over the standard one. Marketing-review rules
    are chosen by *case* and *review* type (a rule without a review type
    applies to both).

    >>> import datetime
    >>> from biopipe import Agency, EventKind
    >>> from biopipe.review import rule_in_effect
    >>> day = datetime.date(2025, 1, 15)
    >>> rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, day).code
    'nmpa-ind-60-working-days'
    >>> rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, day, pilot=True).code
    'nmpa-ind-30-working-days-pilot-2024'
    >>> rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, datetime.date(2017, 1, 1)) is None
    True
    >>> from biopipe import ReviewType
    >>> from biopipe.review import ClockCase
    >>> rule_in_effect(Agency.FDA, EventKind.MARKETING_SUBMITTED, day, case=ClockCase.PROGRAM,
    ...                review=ReviewType.PRIORITY).code
    'fda-pdufa-program-priority'
    """
    candidates = [
        r
        for r in rules
        if r.agency is agency
        and r.starts_on is starts_on
        and r.effective_from <= on
        and r.case is case
        and (r.review is None or r.review is review)
    ]
    for want_pilot in (True, False) if pilot else (False,):
        versions = [r for r in candidates if r.pilot is want_pilot]
        if versions:
            return max(versions, key=lambda r: r.effective_from)
    return None


@attrs.frozen(kw_only=True)
class ClockProjection:
    """When a review clock runs out: a range of days, because the start date may be partial.

    ``earliest`` is the due day for the first day the start event may have
    happened (None when that is unbounded, for an "on or before" date) and
    ``latest`` the due day for its last. ``rules`` are the rule versions
    applied across that range; ``decision`` the recorded event that answered
    the application, if any. ``provisional`` says the working-day calendar of a
    year in the window is not yet published (so the due days may move).

    >>> import biopipe
    >>> (clock,) = biopipe.review.review_clocks(biopipe.example("js212"))
    >>> clock.earliest, clock.latest
    (datetime.date(2025, 4, 1), datetime.date(2025, 4, 28))
    """

    event: RegulatoryEvent
    path: str
    rules: tuple[ClockRule, ...]
    earliest: dt.date | None
    latest: dt.date
    basis: DateBasis
    decision: RegulatoryEvent | None = None
    provisional: bool = False

    @property
    def rule(self) -> ClockRule:
        """The rule applied to the start's last possible day."""
        return self.rules[-1]

    @property
    def pending(self) -> bool:
        """Whether no decision on the application is on record."""
        return self.decision is None

    def runs_out_by(self, day: dt.date) -> bool | None:
        """Whether the clock has run out by *day*: True, False, or None when the range straddles it."""
        if self.latest < day:
            return True
        if self.earliest is not None and self.earliest >= day:
            return False
        return None

    def __str__(self) -> str:
        due = self.latest.isoformat() if self.earliest is None else _span(self.earliest, self.latest)
        if self.earliest is None:
            due = f"on or before {due}"
        state = "pending" if self.decision is None else f"decided: {self.decision.kind.label} {self.decision.date}"
        extra = " (calendar provisional)" if self.provisional else ""
        return (
            f"{self.event.agency.abbreviation} {self.event.kind.label} {self.event.date}: due {due} "
            f"under {self.rule.code}; {state}{extra}"
        )


def _span(a: dt.date, b: dt.date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}"


def _starts(lo: dt.date, hi: dt.date, rules: list[ClockRule]) -> list[dt.date]:
    """Days in [lo, hi] where the due day can be extreme: the ends and each side of a rule change."""
    days = {lo, hi}
    for r in rules:
        if lo < r.effective_from <= hi:
            days.update({r.effective_from - _ONE_DAY, r.effective_from})
    return sorted(days)


def _decision(start: RegulatoryEvent, events: Iterable[RegulatoryEvent]) -> RegulatoryEvent | None:
    found = [
        e
        for e in events
        if e.kind.ends_review
        and e.kind.application is start.kind.application
        and e.agency is start.agency
        and e.date.basis is not DateBasis.ESTIMATED
        and (e.scope is None or start.scope is None or e.scope == start.scope)
        and not (e.date.latest < (start.date.earliest or dt.date.min))
    ]
    return min(found, key=lambda e: e.date.date) if found else None


def _project(
    event: RegulatoryEvent, path: str, events: tuple[RegulatoryEvent, ...], pilot: bool, rules: tuple[ClockRule, ...]
) -> ClockProjection | None:
    hi = event.date.latest
    lo = event.date.earliest
    relevant = [r for r in rules if r.agency is event.agency and r.starts_on is event.kind and r.case is None]
    if not relevant:
        return None
    first_rule = min(r.effective_from for r in relevant)
    lo_day = max(lo, first_rule) if lo is not None else first_rule
    if hi < first_rule:
        return None
    applied: list[ClockRule] = []
    dues: list[dt.date] = []
    provisional = False
    for day in _starts(lo_day, hi, relevant):
        rule = rule_in_effect(event.agency, event.kind, day, pilot=pilot, rules=relevant)
        if rule is None:
            continue
        due = add_clock(rule, day)
        dues.append(due)
        if rule not in applied:
            applied.append(rule)
        if rule.unit is ClockUnit.WORKING_DAYS and rule.calendar == "CN":
            calendar = _calendar(rule.calendar)
            provisional |= not all(_published(calendar, y) for y in range(day.year, due.year + 1))
    return ClockProjection(
        event=event,
        path=path,
        rules=tuple(applied),
        # A start that may predate every rule version (or is only "on or before") has no earliest due day.
        earliest=min(dues) if lo is not None and lo >= first_rule else None,
        latest=max(dues),
        basis=event.date.basis,
        decision=_decision(event, events),
        provisional=provisional,
    )


def review_clocks(
    subject: Asset | Portfolio | Iterable[Asset], *, pilot: bool = False, rules: Iterable[ClockRule] = CLOCK_RULES
) -> tuple[ClockProjection, ...]:
    """Every trial-application review clock the record's events start, with its due range and any decision.

    Marketing-review clocks (rules with a ``case``) are projected by
    `biopipe.review.catalysts`, which knows the application and review type.

    JS212's NMPA IND was accepted in January 2025 (month precision), so 60
    working days run out between 1 April (from 1 January) and 28 April 2025
    (from 31 January, across the Spring Festival). The recorded clearance,
    March 2025, came before the clock ran out. Under the 2024 pilot's 30
    working days the range is 18 February to 17 March, which the clearance
    overlaps.

    >>> import biopipe
    >>> (clock,) = biopipe.review.review_clocks(biopipe.example("js212"))
    >>> print(clock)
    NMPA IND accepted 2025-01: due 2025-04-01..2025-04-28 under nmpa-ind-60-working-days; decided: IND cleared 2025-03
    >>> (pilot,) = biopipe.review.review_clocks(biopipe.example("js212"), pilot=True)
    >>> pilot.earliest, pilot.latest, pilot.rule.duration
    (datetime.date(2025, 2, 18), datetime.date(2025, 3, 17), 30)
    """
    chosen = tuple(rules)
    found = []
    for a, asset in enumerate(as_assets(subject)):
        for i, event in enumerate(asset.events):
            projection = _project(event, f"assets[{a}].events[{i}]", asset.events, pilot, chosen)
            if projection is not None:
                found.append(projection)
    return tuple(found)


def _covering(lo: dt.date | None, hi: dt.date) -> FactDate:
    """The finest partial date covering [lo, hi]; 'on or before hi' when lo is unknown or years apart."""
    if lo is None or lo.year != hi.year:
        return FactDate(PartialDate.from_date(hi), DateBasis.ANNOUNCED)
    candidates = [
        PartialDate(hi.year, hi.month, hi.day),
        PartialDate(hi.year, hi.month),
        PartialDate(hi.year, quarter=(hi.month - 1) // 3 + 1),
        PartialDate(hi.year, half=(hi.month - 1) // 6 + 1),
        PartialDate(hi.year),
    ]
    return FactDate(next(p for p in candidates if p.earliest <= lo))


def infer_events(
    subject: Asset | Portfolio | Iterable[Asset],
    *,
    as_of: dt.date | PartialDate | str,
    pilot: bool = False,
    rules: Iterable[ClockRule] = CLOCK_RULES,
) -> tuple[RegulatoryEvent, ...]:
    """Events the law presumes because a clock ran out before *as_of* with no decision on record.

    Each inferred event names its rule in ``inferred_by`` and is dated by the
    finest partial date covering the due range. Recorded facts win: a clock
    answered by any recorded decision (clearance, rejection, hold, withdrawal)
    infers nothing, nor do planned starts or placeholder rules. The record is
    not changed; add the events with ``attrs.evolve`` if you want them.

    >>> import datetime, attrs, biopipe
    >>> js212 = biopipe.example("js212")
    >>> biopipe.review.infer_events(js212, as_of=datetime.date(2026, 1, 1))
    ()
    >>> accepted_only = attrs.evolve(js212, events=js212.events[:1])
    >>> (presumed,) = biopipe.review.infer_events(accepted_only, as_of=datetime.date(2026, 1, 1))
    >>> presumed.kind.code, str(presumed.date), presumed.inferred_by
    ('ind_cleared', '2025-04', 'nmpa-ind-60-working-days')
    """
    day = as_day(as_of)
    inferred = []
    for clock in review_clocks(subject, pilot=pilot, rules=rules):
        rule = clock.rule
        if (
            clock.decision is not None
            or rule.infers is None
            or any(r.placeholder or r.infers is None for r in clock.rules)
            or clock.basis is DateBasis.ESTIMATED
            or not clock.latest < day
        ):
            continue
        start = clock.event
        unit = rule.unit.code.replace("_", " ")
        inferred.append(
            RegulatoryEvent(
                agency=start.agency,
                kind=rule.infers,
                date=_covering(clock.earliest, clock.latest),
                scope=start.scope,
                indication=start.indication,
                reference=start.reference,
                inferred_by=rule.code,
                note=f"presumed: no decision within {rule.duration} {unit} of {start.kind.label} {start.date}",
            )
        )
    return tuple(inferred)


@attrs.frozen(kw_only=True)
class ClockReport(Result):
    """The review clocks of a record and, given a day, the events their running out lets one presume.

    >>> import biopipe
    >>> from biopipe import review
    >>> report = review.clock_report(biopipe.example("js212"), as_of="2026-01-01")
    >>> print(report.render(), end="")
    assets[0].events[0]: NMPA IND accepted 2025-01: due 2025-04-01..2025-04-28 under nmpa-ind-60-working-days; ...
    """

    document_name: ClassVar[str] = "clocks"

    clocks: tuple[ClockProjection, ...]
    as_of: dt.date | None = None
    inferred: tuple[RegulatoryEvent, ...] = ()

    def _text(self) -> str:
        lines = [f"{c.path}: {c}" for c in self.clocks] or ["no review clocks"]
        lines += [f"inferred: {_brief(e)}" for e in self.inferred]
        return "\n".join(map(display_text, lines))

    def _markdown(self) -> str:
        lines = [
            "| path | start | rule | earliest due | latest due | decision |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for c in self.clocks:
            start = f"{c.event.agency.abbreviation} {c.event.kind.label} {c.event.date}"
            earliest = "unknown" if c.earliest is None else c.earliest.isoformat()
            decision = "pending" if c.decision is None else f"{c.decision.kind.label} {c.decision.date}"
            lines.append(
                f"| {c.path} | {markdown_cell(start)} | {c.rule.code} | {earliest} | {c.latest.isoformat()} "
                f"| {markdown_cell(decision)} |"
            )
        lines += [f"\nInferred: {markdown_cell(_brief(e))}" for e in self.inferred]
        return "\n".join(lines)


def _brief(event: RegulatoryEvent) -> str:
    return f"{event.agency.abbreviation} {event.kind.label} {event.date} ({event.inferred_by})"


def clock_report(
    subject: Asset | Portfolio | Iterable[Asset],
    *,
    as_of: dt.date | PartialDate | str | None = None,
    pilot: bool = False,
    rules: Iterable[ClockRule] = CLOCK_RULES,
) -> ClockReport:
    """`review_clocks` and, when *as_of* is given, `infer_events` as one result to render or write.

    >>> import biopipe
    >>> from biopipe import review
    >>> len(review.clock_report(biopipe.example("js212")).clocks)
    1
    """
    chosen = tuple(rules)
    clocks = review_clocks(subject, pilot=pilot, rules=chosen)
    if as_of is None:
        return ClockReport(clocks=clocks)
    day = as_day(as_of)
    return ClockReport(clocks=clocks, as_of=day, inferred=infer_events(subject, as_of=day, pilot=pilot, rules=chosen))
