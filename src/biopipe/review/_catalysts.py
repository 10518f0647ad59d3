"""What is due next: expected decisions, sponsor guidance and trial readouts in a window, as date ranges.

Each `Catalyst` is one expected event with the range of days it is expected
on (``earliest``..``latest``), the `CatalystBasis` of that range and the fact
or rule it rests on, with the source. Four bases, strongest first:

- ``recorded_goal_date``: a goal date the record holds (e.g. a PDUFA date from
  a press release). It always wins over a derived one.
- ``derived_from_rule``: a review clock (`CLOCK_RULES`) run from the filing on
  record, over every reading the record leaves open (review type unknown, an
  NDA not flagged as a new molecular entity, a resubmission's class, a partial
  filing date): the range covers them all.
- ``sponsor_guidance``: an estimated event on record (``2026-H1 (estimated)``).
- ``estimated_primary_completion``: a trial's estimated primary completion.

The reference day for ``overdue`` is ``as_of`` (default: ``known_on``, else
today): a catalyst is overdue when its latest day is before the reference day.
Catalysts with an outcome on record are not listed: an expected event that
happened is no longer expected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, ClassVar, Literal

import attrs

from ..document._results import Result, csv_text, display_text, markdown_cell
from ..model._application import Application, ApplicationType, ReviewType
from ..model._asset import Asset, Portfolio, RegulatoryEvent
from ..model._errors import BiopipeError, UnknownCode
from ..model._vocab import Agency, ApplicationKind, DateBasis, EventKind, TrialStatus, Vocabulary
from ..query._arguments import as_assets, as_day
from ..query._known import public_by
from ._clock_rules import CLOCK_RULES, ClockCase, ClockRule, ClockUnit
from ._clocks import _add_months, _calendar, _published, _starts, due_range, review_clocks, rule_in_effect

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..model._dates import PartialDate
    from ..model._source import Source
    from ..model._trial import Trial

__all__ = ["CATALYST_FORMATS", "Catalyst", "CatalystBasis", "CatalystFormat", "Catalysts", "catalysts"]

#: The renderings of a `Catalysts` answer: the three every result offers, CSV and iCalendar.
CatalystFormat = Literal["text", "markdown", "json", "csv", "ics"]
CATALYST_FORMATS: tuple[CatalystFormat, ...] = ("text", "markdown", "json", "csv", "ics")


class CatalystBasis(Vocabulary):
    """What a catalyst's date range rests on.

    >>> from biopipe.review import CatalystBasis
    >>> CatalystBasis.RECORDED_GOAL_DATE.label
    'recorded goal date'
    """

    RECORDED_GOAL_DATE = "recorded_goal_date"
    DERIVED_FROM_RULE = "derived_from_rule"
    SPONSOR_GUIDANCE = "sponsor_guidance"
    ESTIMATED_PRIMARY_COMPLETION = "estimated_primary_completion"

    @property
    def label(self) -> str:
        """``recorded goal date``, ``derived from rule``, ..."""
        return self.code.replace("_", " ")


@attrs.frozen(kw_only=True)
class Catalyst:
    """One expected event: what, for which asset, on which days, on what basis, and resting on what.

    ``rests_on`` describes the fact (the filing, the estimated event, the
    trial) and ``rules`` the codes of the clock rules applied; ``source`` and
    ``url`` name the fact's source (or, for a derived range, also the rule's).
    ``path`` is where the fact sits in the input. ``overdue`` says the whole
    range is before the reference day of the answer.

    >>> import datetime
    >>> from biopipe.review import Catalyst, CatalystBasis
    >>> c = Catalyst(asset="X1", what="FDA decision on BLA 761999", earliest=datetime.date(2026, 6, 26),
    ...              latest=datetime.date(2026, 6, 26), basis=CatalystBasis.RECORDED_GOAL_DATE,
    ...              rests_on="FDA accepted 2025-12-21, goal date 2026-06-26", path="assets[0].events[1]")
    >>> c.span, len(c.uid) > 20
    ('2026-06-26', True)
    """

    asset: str | None
    what: str
    earliest: dt.date
    latest: dt.date
    basis: CatalystBasis
    rests_on: str
    path: str
    rules: tuple[str, ...] = ()
    source: str | None = None
    url: str | None = None
    overdue: bool = False
    note: str | None = None

    @property
    def span(self) -> str:
        """``2026-03-02`` or ``2026-03-02..2026-07-02``."""
        if self.earliest == self.latest:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"

    @property
    def uid(self) -> str:
        """A stable identifier (a hash of asset and what), the same in every export of the same catalyst."""
        digest = hashlib.sha256(f"{self.asset or ''}\x1f{self.what}".encode("utf-8", "backslashreplace"))
        return f"{digest.hexdigest()[:32]}@biopipe"

    def contains(self, day: dt.date) -> bool:
        """Whether *day* is in the expected range."""
        return self.earliest <= day <= self.latest

    def __str__(self) -> str:
        overdue = " OVERDUE" if self.overdue else ""
        rules = f" [{', '.join(self.rules)}]" if self.rules else ""
        asset = f"{self.asset}: " if self.asset else ""
        return f"{self.span}{overdue} {asset}{self.what} ({self.basis.label}{rules}; {self.rests_on})"


@attrs.frozen(kw_only=True)
class Catalysts(Result):
    """The expected events of a record in a window, and what is pending but cannot be dated.

    ``as_of`` is the reference day for ``overdue``; ``known_on`` (if given) the
    day whose public facts were used. ``undated`` lists what is pending with
    no date range (an ongoing trial without an estimated primary completion,
    an application without a rule), so nothing is silently left out.

    >>> import biopipe
    >>> from biopipe import review
    >>> answer = review.catalysts(biopipe.example("js212"), "2026-01-01", "2026-12-31", as_of="2026-01-01")
    >>> answer.catalysts
    ()
    >>> print(answer.render(), end="")
    catalysts 2026-01-01..2026-12-31 (reference day 2026-01-01): none
    undated: JS212: Phase 1/2 study of JS212 in patients with advanced solid tumors: ...
    undated: JS212: Multi-cohort combination therapy studies of JS212: ...
    """

    document_name: ClassVar[str] = "catalysts"

    start: dt.date
    end: dt.date
    as_of: dt.date
    catalysts: tuple[Catalyst, ...]
    known_on: dt.date | None = None
    undated: tuple[str, ...] = ()

    def ranges(self) -> tuple[tuple[str, dt.date, dt.date], ...]:
        """``(label, earliest, latest)`` per catalyst: what `biopipe.plot.plot_timeline` draws as ``ranges=``.

        >>> import biopipe
        >>> found = biopipe.review.catalysts(biopipe.example("izalontamab_brengitecan"), "2026-01-01", "2026-12-31")
        >>> found.ranges()
        (('BL-B01D1: NMPA decision on CN NDA nasopharyngeal carcinoma', datetime.date(2026, 5, 13), \
datetime.date(2026, 7, 9)),)
        """
        return tuple((f"{c.asset}: {c.what}" if c.asset else c.what, c.earliest, c.latest) for c in self.catalysts)

    def render(self, format: CatalystFormat = "text") -> str:
        """Text, Markdown, JSON, CSV (one row per catalyst) or iCalendar (needs the ``calendar`` extra)."""
        if format == "csv":
            return self._csv()
        if format == "ics":
            return self._ics()
        if format == "text" or format == "markdown" or format == "json":
            return super().render(format)
        raise UnknownCode(format, "one of " + ", ".join(repr(f) for f in CATALYST_FORMATS))

    def _header(self) -> str:
        known = f", known on {self.known_on.isoformat()}" if self.known_on is not None else ""
        return (
            f"catalysts {self.start.isoformat()}..{self.end.isoformat()} "
            f"(reference day {self.as_of.isoformat()}{known})"
        )

    def _text(self) -> str:
        lines = [self._header() + ("" if self.catalysts else ": none")]
        for c in self.catalysts:
            lines.append(str(c))
            if c.note is not None:
                lines.append(f"    note: {c.note}")
        lines += [f"undated: {u}" for u in self.undated]
        return "\n".join(map(display_text, lines))

    def _markdown(self) -> str:
        lines = [
            f"**{markdown_cell(self._header())}**",
            "",
            "| earliest | latest | asset | what | basis | rests on | overdue | note |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for c in self.catalysts:
            basis = c.basis.label + (f" ({', '.join(c.rules)})" if c.rules else "")
            lines.append(
                f"| {c.earliest.isoformat()} | {c.latest.isoformat()} | {markdown_cell(c.asset or '')} "
                f"| {markdown_cell(c.what)} | {markdown_cell(basis)} | {markdown_cell(c.rests_on)} "
                f"| {'yes' if c.overdue else ''} | {markdown_cell(c.note or '')} |"
            )
        lines += [f"\nUndated: {markdown_cell(u)}" for u in self.undated]
        return "\n".join(lines)

    def _csv(self) -> str:
        header = [
            "asset",
            "what",
            "earliest",
            "latest",
            "basis",
            "rules",
            "rests_on",
            "source",
            "url",
            "overdue",
            "path",
        ]
        rows = (
            [
                c.asset or "",
                c.what,
                c.earliest.isoformat(),
                c.latest.isoformat(),
                c.basis.code,
                " ".join(c.rules),
                c.rests_on,
                c.source or "",
                c.url or "",
                "true" if c.overdue else "false",
                c.path,
            ]
            for c in self.catalysts
        )
        return csv_text(header, rows)

    def _ics(self) -> str:
        try:
            import icalendar
        except ImportError:
            raise BiopipeError(
                "iCalendar output needs the optional 'icalendar' package: pip install 'biopipe-intel[calendar]'"
            ) from None
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//biopipe//catalysts//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"biopipe catalysts {self.start.isoformat()}..{self.end.isoformat()}")
        stamp = dt.datetime.combine(self.as_of, dt.time(0, 0), tzinfo=dt.UTC)
        for c in self.catalysts:
            event = icalendar.Event()
            event.add("uid", c.uid)
            event.add("dtstamp", stamp)
            event.add("summary", f"{c.asset}: {c.what}" if c.asset else c.what)
            event.add("dtstart", c.earliest)
            event.add("dtend", c.latest + dt.timedelta(days=1))  # exclusive end of an all-day event
            event.add("transp", "TRANSPARENT")
            event.add("description", _description(c))
            if c.url is not None:
                event.add("url", c.url)
            calendar.add_component(event)
        return bytes(calendar.to_ical()).decode("utf-8")


def _description(c: Catalyst) -> str:
    lines = [f"Expected {c.span}" + (" (OVERDUE)" if c.overdue else ""), f"Basis: {c.basis.label}"]
    if c.rules:
        lines.append("Rules: " + ", ".join(c.rules))
    lines.append(f"Rests on: {c.rests_on}")
    if c.source is not None:
        lines.append(f"Source: {c.source}")
    if c.url is not None:
        lines.append(f"URL: {c.url}")
    if c.note is not None:
        lines.append(f"Note: {c.note}")
    return "\n".join(lines)


# -- which facts count ---------------------------------------------------------------------------------


def _source_of(sources: Sequence[Source]) -> tuple[str | None, str | None]:
    if not sources:
        return None, None
    first = sources[0]
    title = first.title if first.publisher is None else f"{first.title} ({first.publisher})"
    return title, first.url


# -- marketing reviews ---------------------------------------------------------------------------------

_FILINGS = (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED)
_CLOSERS = (
    EventKind.MARKETING_APPROVED,
    EventKind.COMPLETE_RESPONSE,
    EventKind.MARKETING_REFUSED,
    EventKind.MARKETING_WITHDRAWN,
)
_NME = re.compile(r"\bNME\b|new molecular entity|new chemical entity", re.IGNORECASE)
_CLASS = re.compile(r"\bclass\s*([12])\b", re.IGNORECASE)
#: How long after receipt FDA's acceptance (filing) may be announced: the Day-74 letter (to verify).
_FDA_FILING_LEAD = 74


@attrs.frozen
class _Cycle:
    """One review cycle of a marketing application: its events (indexes into the asset's events)."""

    events: list[tuple[int, RegulatoryEvent]] = attrs.field(factory=list)
    resubmission: bool = False
    opinion: tuple[int, RegulatoryEvent] | None = None


def _application_groups(
    asset: Asset, indexes: Sequence[int]
) -> dict[tuple[str, str], list[tuple[int, RegulatoryEvent]]]:
    groups: dict[tuple[str, str], list[tuple[int, RegulatoryEvent]]] = {}
    for i in indexes:
        event = asset.events[i]
        if event.kind.application is not ApplicationKind.MARKETING or event.date.basis is DateBasis.ESTIMATED:
            continue
        key = (event.application or "", event.jurisdiction)
        groups.setdefault(key, []).append((i, event))
    for events in groups.values():
        events.sort(key=lambda pair: pair[1].date.date.sort_key)
    return groups


def _open_cycle(events: list[tuple[int, RegulatoryEvent]]) -> _Cycle | None:
    """The application's pending review cycle: the filings after its last decision, or None."""
    cycle: _Cycle | None = None
    last_closer: EventKind | None = None
    for i, event in events:
        if event.kind in _FILINGS:
            if cycle is None:
                cycle = _Cycle(resubmission=last_closer is EventKind.COMPLETE_RESPONSE)
            cycle.events.append((i, event))
        elif event.kind is EventKind.REVIEW_EXTENDED and cycle is not None:
            cycle.events.append((i, event))
        elif event.kind in _CLOSERS and cycle is not None:
            if event.agency is Agency.EMA and event.kind in (EventKind.MARKETING_APPROVED, EventKind.MARKETING_REFUSED):
                cycle = attrs.evolve(cycle, opinion=(i, event))  # the CHMP opinion; the Commission decides
                continue
            last_closer, cycle = event.kind, None
        elif event.kind in _CLOSERS:
            last_closer = event.kind
    return cycle


def _review_types(cycle: _Cycle) -> tuple[ReviewType, ...]:
    found = [e.review for _, e in cycle.events if e.review is not None]
    return (found[-1],) if found else (ReviewType.STANDARD, ReviewType.PRIORITY)


def _label(application: Application | None, agency: Agency) -> str:
    if application is None:
        return "marketing application" if agency is not Agency.EMA else "MAA"
    return application.id


class _Builder:
    def __init__(self, asset: Asset, a: int, rules: tuple[ClockRule, ...]) -> None:
        self.asset, self.a, self.rules = asset, a, rules
        self.found: list[Catalyst] = []
        self.undated: list[str] = []

    def path(self, i: int) -> str:
        return f"assets[{self.a}].events[{i}]"

    def add(
        self,
        *,
        what: str,
        earliest: dt.date,
        latest: dt.date,
        basis: CatalystBasis,
        rests_on: str,
        path: str,
        rules: tuple[str, ...] = (),
        source: str | None = None,
        url: str | None = None,
        note: str | None = None,
    ) -> None:
        self.found.append(
            Catalyst(
                asset=self.asset.code,
                what=what,
                earliest=earliest,
                latest=latest,
                basis=basis,
                rests_on=rests_on,
                path=path,
                rules=rules,
                source=source,
                url=url,
                note=note,
            )
        )

    def skip(self, text: str) -> None:
        self.undated.append(f"{self.asset.code}: {text}")

    def derive(
        self,
        start: RegulatoryEvent,
        agency: Agency,
        kind: EventKind,
        readings: Iterable[tuple[ClockCase, ReviewType | None]],
        lead: int = 0,
    ) -> tuple[dt.date, dt.date, tuple[ClockRule, ...]] | None:
        first, last = start.date.earliest, start.date.latest
        if first is None:
            return None
        lows, highs, applied = [], [], []
        versions = [r for r in self.rules if r.agency is agency and r.starts_on is kind]
        for case, review in readings:
            for day in _starts(first, last, versions):
                rule = rule_in_effect(agency, kind, day, rules=self.rules, case=case, review=review)
                if rule is None:
                    continue
                lo, hi = due_range(rule, day - dt.timedelta(days=lead), day)
                lows.append(lo)
                highs.append(hi)
                if rule not in applied:
                    applied.append(rule)
        if not applied:
            return None
        return min(lows), max(highs), tuple(applied)


def _describe(event: RegulatoryEvent) -> str:
    review = f", {event.review.label}" if event.review is not None else ""
    return f"{event.agency.abbreviation} {event.kind.label} {event.date}{review}"


def _marketing(b: _Builder, key: tuple[str, str], cycle: _Cycle) -> None:
    asset = b.asset
    application = asset.application(key[0]) if key[0] else None
    agency = cycle.events[0][1].agency
    if agency is Agency.EC:
        agency = Agency.EMA
    label = _label(application, agency)
    # A recorded goal date wins: the last goal on record, moved by later extensions that name none.
    goal_at = [n for n, (_, e) in enumerate(cycle.events) if e.goal_date is not None]
    if goal_at:
        n = goal_at[-1]
        i, event = cycle.events[n]
        goal = event.goal_date
        assert goal is not None
        lo, hi = goal.earliest, goal.latest
        later = [e for _, e in cycle.events[n + 1 :] if e.kind is EventKind.REVIEW_EXTENDED]
        lo, hi, rules = _extend(b, agency, lo, hi, later)
        title, url = _source_of(event.sources)
        b.add(
            what=f"{agency.abbreviation} decision on {label}",
            earliest=lo,
            latest=hi,
            basis=CatalystBasis.RECORDED_GOAL_DATE,
            rests_on=f"{_describe(event)}: goal date {goal}",
            path=b.path(i),
            rules=tuple(r.code for r in rules),
            source=title,
            url=url,
            note="moved by a major amendment" if rules else None,
        )
        return
    if agency is Agency.FDA:
        _fda(b, cycle, application, label)
    elif agency is Agency.NMPA:
        _simple(b, cycle, label, Agency.NMPA, EventKind.MARKETING_ACCEPTED)
    elif agency is Agency.PMDA:
        _simple(b, cycle, label, Agency.PMDA, EventKind.MARKETING_SUBMITTED)
    elif agency is Agency.EMA:
        _eu(b, cycle, label)
    else:
        b.skip(f"{label} pending with the {agency.abbreviation}: no marketing-review rule for that agency")


def _extend(
    b: _Builder, agency: Agency, lo: dt.date, hi: dt.date, extensions: list[RegulatoryEvent]
) -> tuple[dt.date, dt.date, tuple[ClockRule, ...]]:
    applied: list[ClockRule] = []
    for extension in extensions:
        rule = rule_in_effect(
            agency, EventKind.REVIEW_EXTENDED, extension.date.latest, rules=b.rules, case=ClockCase.MAJOR_AMENDMENT
        )
        if rule is None:
            continue
        lo, hi = _add_months(lo, rule.duration), _add_months(hi, rule.duration)
        applied.append(rule)
    return lo, hi, tuple(applied)


def _provisional(rule: ClockRule, start: dt.date, due: dt.date) -> bool:
    """Whether a year between *start* and *due* lacks its published adjusted working days (China only)."""
    if rule.calendar != "CN":
        return False
    calendar = _calendar(rule.calendar)
    return not all(_published(calendar, year) for year in range(start.year, due.year + 1))


def _first(cycle: _Cycle, kind: EventKind) -> tuple[int, RegulatoryEvent] | None:
    return next(((i, e) for i, e in cycle.events if e.kind is kind), None)


def _fda(b: _Builder, cycle: _Cycle, application: Application | None, label: str) -> None:
    start = _first(cycle, EventKind.MARKETING_SUBMITTED)
    lead = 0
    if start is None:
        start, lead = _first(cycle, EventKind.MARKETING_ACCEPTED), _FDA_FILING_LEAD
    assert start is not None
    i, event = start
    notes = []
    readings: list[tuple[ClockCase, ReviewType | None]]
    if cycle.resubmission:
        found = {m.group(1) for e in (event, *(x for _, x in cycle.events)) for m in _CLASS.finditer(e.note or "")}
        classes = sorted(found) or ["1", "2"]
        if not found:
            notes.append("resubmission class not on record: class 1 and class 2 both covered")
        readings = [(ClockCase.RESUBMISSION_1 if c == "1" else ClockCase.RESUBMISSION_2, None) for c in classes]
    else:
        kind = application.kind if application is not None else None
        if kind is ApplicationType.BLA:
            cases = [ClockCase.PROGRAM]
        elif kind is ApplicationType.SUPPLEMENT:
            cases = [ClockCase.ORIGINAL]
        elif kind is ApplicationType.NDA and application is not None and _NME.search(application.note or ""):
            cases = [ClockCase.PROGRAM]
        else:
            cases = [ClockCase.PROGRAM, ClockCase.ORIGINAL]
            notes.append("NME status not on record: both the Program (NME) and non-NME clocks covered")
        reviews = _review_types(cycle)
        if len(reviews) > 1:
            notes.append("review type not on record: standard and priority both covered")
        readings = [(case, review) for case in cases for review in reviews]
    derived = b.derive(event, Agency.FDA, EventKind.MARKETING_SUBMITTED, readings, lead=lead)
    _add_derived(b, cycle, i, event, derived, f"FDA decision on {label}", notes, Agency.FDA)


def _simple(b: _Builder, cycle: _Cycle, label: str, agency: Agency, starts_on: EventKind) -> None:
    start = _first(cycle, starts_on)
    if start is None:
        b.skip(f"{label}: the {agency.abbreviation} clock counts from {starts_on.label}, not on record")
        return
    i, event = start
    reviews = _review_types(cycle)
    notes = ["review type not on record: standard and priority both covered"] if len(reviews) > 1 else []
    derived = b.derive(event, agency, starts_on, [(ClockCase.ORIGINAL, r) for r in reviews])
    _add_derived(b, cycle, i, event, derived, f"{agency.abbreviation} decision on {label}", notes, agency)


def _add_derived(
    b: _Builder,
    cycle: _Cycle,
    i: int,
    event: RegulatoryEvent,
    derived: tuple[dt.date, dt.date, tuple[ClockRule, ...]] | None,
    what: str,
    notes: list[str],
    agency: Agency,
) -> None:
    if derived is None:
        if event.date.earliest is None:
            b.skip(f"{what}: the filing is only dated {event.date}, so the clock's start has no lower bound")
        else:
            b.skip(f"{what}: no rule in effect for {_describe(event)}")
        return
    lo, hi, rules = derived
    extensions = [e for _, e in cycle.events if e.kind is EventKind.REVIEW_EXTENDED]
    lo, hi, extended = _extend(b, agency, lo, hi, extensions)
    if any(r.unit is ClockUnit.WORKING_DAYS for r in rules) and _provisional(rules[-1], event.date.latest, hi):
        notes = [*notes, f"working-day calendar not yet published for a year up to {hi.year}: days may move"]
    title, url = _source_of(event.sources)
    rule = rules[-1]
    cited = f"rule: {rule.source}" if len(rules) == 1 else f"{len(rules)} readings, one rule each (see rules)"
    b.add(
        what=what,
        earliest=lo,
        latest=hi,
        basis=CatalystBasis.DERIVED_FROM_RULE,
        rests_on=f"{_describe(event)}; {cited}",
        path=b.path(i),
        rules=tuple(r.code for r in (*rules, *extended)),
        source=title,
        url=url or rule.url,
        note="; ".join(notes) or None,
    )


def _eu(b: _Builder, cycle: _Cycle, label: str) -> None:
    if cycle.opinion is not None:
        i, opinion = cycle.opinion
        first = opinion.date.earliest
        if first is None:
            b.skip(f"EC decision on {label}: the CHMP opinion is only dated {opinion.date}")
            return
        rule = rule_in_effect(
            Agency.EC, EventKind.MARKETING_APPROVED, first, rules=b.rules, case=ClockCase.COMMISSION_DECISION
        )
        if rule is None:
            b.skip(f"EC decision on {label}: no rule in effect")
            return
        lo, hi = due_range(rule, first, opinion.date.latest)
        title, url = _source_of(opinion.sources)
        b.add(
            what=f"EC decision on {label}",
            earliest=lo,
            latest=hi,
            basis=CatalystBasis.DERIVED_FROM_RULE,
            rests_on=f"CHMP opinion ({_describe(opinion)}); rule: {rule.source}",
            path=b.path(i),
            rules=(rule.code,),
            source=title,
            url=url or rule.url,
        )
        return
    start = _first(cycle, EventKind.MARKETING_ACCEPTED)
    if start is None:
        b.skip(
            f"CHMP opinion on {label}: the EMA clock counts from the start of the procedure (accepted), not on record"
        )
        return
    i, event = start
    reviews = _review_types(cycle)
    notes = ["review type not on record: standard and accelerated assessment both covered"] if len(reviews) > 1 else []
    derived = b.derive(event, Agency.EMA, EventKind.MARKETING_ACCEPTED, [(ClockCase.ORIGINAL, r) for r in reviews])
    _add_derived(b, cycle, i, event, derived, f"CHMP opinion on {label}", notes, Agency.EMA)
    expected = b.found[-1] if derived is not None else None
    if expected is None:
        return
    rule = rule_in_effect(
        Agency.EC, EventKind.MARKETING_APPROVED, expected.earliest, rules=b.rules, case=ClockCase.COMMISSION_DECISION
    )
    if rule is None:
        return
    lo, hi = due_range(rule, expected.earliest, expected.latest)
    b.add(
        what=f"EC decision on {label}",
        earliest=lo,
        latest=hi,
        basis=CatalystBasis.DERIVED_FROM_RULE,
        rests_on=f"the CHMP opinion expected {expected.span}; rule: {rule.source}",
        path=expected.path,
        rules=(*expected.rules, rule.code),
        source=expected.source,
        url=expected.url,
        note=expected.note,
    )


# -- trial applications, guidance and readouts ---------------------------------------------------------


def _ind_clocks(b: _Builder, asset: Asset, indexes: list[int]) -> None:
    known = attrs.evolve(asset, events=tuple(asset.events[i] for i in indexes))
    for clock in review_clocks(known, rules=b.rules):
        if clock.decision is not None or clock.basis is DateBasis.ESTIMATED:
            continue
        i = indexes[int(clock.path.rsplit("[", 1)[1].rstrip("]"))]
        event = clock.event
        what = f"{event.agency.abbreviation} decision on {event.application or event.kind.label}"
        if clock.earliest is None:
            b.skip(f"{what}: due on or before {clock.latest.isoformat()} (the filing date has no lower bound)")
            continue
        title, url = _source_of(event.sources)
        b.add(
            what=what,
            earliest=clock.earliest,
            latest=clock.latest,
            basis=CatalystBasis.DERIVED_FROM_RULE,
            rests_on=f"{_describe(event)}; rule: {clock.rule.source}",
            path=b.path(i),
            rules=tuple(r.code for r in clock.rules),
            source=title,
            url=url or clock.rule.url,
        )


def _same_fact(estimate: RegulatoryEvent, event: RegulatoryEvent) -> bool:
    return (
        event.date.basis is not DateBasis.ESTIMATED
        and event.agency is estimate.agency
        and event.kind is estimate.kind
        and (estimate.application is None or event.application in (None, estimate.application))
        and (estimate.scope is None or event.scope in (None, estimate.scope))
    )


def _guidance(b: _Builder, asset: Asset, indexes: list[int]) -> None:
    known = [asset.events[i] for i in indexes]
    for i in indexes:
        event = asset.events[i]
        if event.date.basis is not DateBasis.ESTIMATED or any(_same_fact(event, e) for e in known):
            continue
        title, url = _source_of(event.sources)
        target = f" ({event.application})" if event.application else ""
        b.add(
            what=f"{event.agency.abbreviation} {event.kind.label}{target}",
            earliest=event.date.date.earliest,
            latest=event.date.latest,
            basis=CatalystBasis.SPONSOR_GUIDANCE,
            rests_on=_describe(event),
            path=b.path(i),
            source=title,
            url=url,
            note=event.note,
        )


_DONE = (TrialStatus.COMPLETED, TrialStatus.APPROVED_FOR_MARKETING)


def _readouts(
    trials: Sequence[Trial], prefix: str, asset: str | None, known_on: dt.date | None
) -> tuple[list[Catalyst], list[str]]:
    found, undated = [], []
    for j, trial in enumerate(trials):
        if not public_by(trial.public_on, known_on) or trial.is_stopped:
            continue
        name = f"{trial.key}: {trial.title}" if trial.ids else trial.title
        owner = f"{asset}: " if asset else ""
        completion = trial.primary_completion
        if completion is None:
            if trial.status not in _DONE:
                undated.append(f"{owner}{name}: {trial.status.code}, no primary completion date on record")
            continue
        if completion.basis is not DateBasis.ESTIMATED or trial.status in _DONE:
            continue
        title, url = _source_of(trial.sources)
        found.append(
            Catalyst(
                asset=asset,
                what=f"primary completion of {name}",
                earliest=completion.date.earliest,
                latest=completion.latest,
                basis=CatalystBasis.ESTIMATED_PRIMARY_COMPLETION,
                rests_on=f"estimated primary completion {completion.date} ({trial.status.code})",
                path=f"{prefix}[{j}]",
                source=title,
                url=url,
            )
        )
    return found, undated


def catalysts(
    subject: Asset | Portfolio | Iterable[Asset],
    start: dt.date | PartialDate | str,
    end: dt.date | PartialDate | str,
    known_on: dt.date | PartialDate | str | None = None,
    *,
    as_of: dt.date | PartialDate | str | None = None,
    rules: Iterable[ClockRule] = CLOCK_RULES,
) -> Catalysts:
    """The expected events of *subject* whose date range meets [*start*, *end*], each with its basis.

    Under *known_on* only facts public on or before that day count (an event's
    `public_on`, a trial's earliest source): what an analyst could have known,
    with no look-ahead. *as_of* is the reference day for ``overdue`` (default:
    *known_on*, else today). Sorted by earliest day, then latest, asset and what.

    A priority BLA submitted 15 January 2026 is an original BLA under PDUFA's
    "Program": filed 60 days later (16 March), goal 6 months after that.

    >>> import attrs, biopipe
    >>> from biopipe import Agency, Application, ApplicationType, EventKind, FactDate, RegulatoryEvent, ReviewType
    >>> bla = Application(id="BLA 761999", agency=Agency.FDA, kind=ApplicationType.BLA)
    >>> filed = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.MARKETING_SUBMITTED, application="BLA 761999",
    ...                         date=FactDate.parse("2026-01-15"), review=ReviewType.PRIORITY)
    >>> asset = attrs.evolve(biopipe.example("js212"), applications=(bla,), events=(filed,), trials=())
    >>> (c,) = biopipe.review.catalysts(asset, "2026-01-01", "2026-12-31", as_of="2026-02-01").catalysts
    >>> print(c)
    2026-09-16 JS212: FDA decision on BLA 761999 (derived from rule [fda-pdufa-program-priority]; ...)
    """
    first, last = as_day(start), as_day(end)
    if last < first:
        raise BiopipeError(f"end: got {last.isoformat()}, expected a day on or after start {first.isoformat()}")
    known = as_day(known_on) if known_on is not None else None
    reference = as_day(as_of) if as_of is not None else known if known is not None else dt.date.today()
    chosen = tuple(rules)
    found: list[Catalyst] = []
    undated: list[str] = []
    portfolio = subject if isinstance(subject, Portfolio) else None
    for a, asset in enumerate(as_assets(subject)):
        b = _Builder(asset, a, chosen)
        indexes = [i for i, e in enumerate(asset.events) if public_by(e.public_on, known)]
        _ind_clocks(b, asset, indexes)
        for key, events in _application_groups(asset, indexes).items():
            cycle = _open_cycle(events)
            if cycle is not None:
                _marketing(b, key, cycle)
        _guidance(b, asset, indexes)
        readouts, waiting = _readouts(asset.trials, f"assets[{a}].trials", asset.code, known)
        found += b.found + readouts
        undated += b.undated + waiting
    if portfolio is not None:
        readouts, waiting = _readouts(portfolio.trials, "trials", None, known)
        found += readouts
        undated += waiting
    listed = sorted(
        (attrs.evolve(c, overdue=c.latest < reference) for c in found if c.earliest <= last and c.latest >= first),
        key=lambda c: (c.earliest, c.latest, c.asset or "", c.what),
    )
    return Catalysts(
        start=first, end=last, as_of=reference, known_on=known, catalysts=tuple(listed), undated=tuple(undated)
    )
