"""The timeline: every dated fact of one asset or many, in one documented order."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, overload

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model import _validate as v
from ..model._application import Actor, Application, Pathway
from ..model._asset import Asset, Portfolio, RegulatoryEvent
from ..model._dates import FactDate, PartialDate
from ..model._errors import InvalidPartialDate, UnknownCode
from ..model._geography import as_jurisdiction, covers
from ..model._parties import Deal, Party, Territory
from ..model._trial import TRIAL_DATES, Trial
from ..model._vocab import Agency, DateBasis, EventKind, Vocabulary
from ._arguments import as_assets, unchecked
from ._known import as_known_on, public_by

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["Milestone", "Timeline", "TimelineEntry", "timeline"]


class Milestone(Vocabulary):
    """A dated fact other than a regulatory event that a timeline shows: a trial's dates, a deal, a party's rights.

    ``deal`` is a `Deal`; ``rights_start`` and ``rights_end`` are a `Party`'s
    start and end (a party whose start is the date of a deal naming it is shown
    by the deal alone: one fact, one entry).

    >>> from biopipe.query import Milestone
    >>> Milestone.TRIAL_START.code, Milestone.TRIAL_START.label, Milestone.DEAL.label
    ('trial_start', 'trial start', 'deal')
    """

    TRIAL_START = "trial_start"
    TRIAL_PRIMARY_COMPLETION = "trial_primary_completion"
    TRIAL_COMPLETION = "trial_completion"
    DEAL = "deal"
    RIGHTS_START = "rights_start"
    RIGHTS_END = "rights_end"


#: Kind rank for ties on the same date: regulatory events in lifecycle order, then trial milestones.
_KIND_RANK: dict[EventKind | Milestone, int] = {k: i for i, k in enumerate((*EventKind, *Milestone))}
_TRIAL_DATES = tuple(
    zip(
        (Milestone.TRIAL_START, Milestone.TRIAL_PRIMARY_COMPLETION, Milestone.TRIAL_COMPLETION),
        TRIAL_DATES,
        strict=True,
    )
)
_BASIS_RANK = {b: i for i, b in enumerate(DateBasis)}
_FAR = dt.date.max


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """One dated fact of an asset: a regulatory event, a trial milestone, a deal or a party's rights starting or ending.

    ``date`` is None only for a planned trial that has no date yet; such entries
    sort after every dated one. ``planned`` marks estimates and plans: an
    estimated date, or a trial that has not started (planned, not yet recruiting).
    ``fact`` is the `RegulatoryEvent`, `Trial`, `Deal` or `Party` the entry was read from.

    >>> import biopipe
    >>> first = biopipe.timeline(biopipe.example("js212"))[0]
    >>> first.asset, str(first.date), first.kind, first.agency, first.jurisdiction, first.planned
    ('JS212', '2025-01', EventKind.IND_ACCEPTED, Agency.NMPA, 'CN', False)
    """

    asset: str = attrs.field(validator=v.text)
    kind: EventKind | Milestone = attrs.field(validator=v.instance((EventKind, Milestone), "an EventKind or Milestone"))
    date: FactDate | None = attrs.field(validator=v.optional(v.instance(FactDate, "a FactDate")))
    label: str = attrs.field(validator=v.text)
    fact: RegulatoryEvent | Trial | Deal | Party = attrs.field(
        validator=v.instance((RegulatoryEvent, Trial, Deal, Party), "an event, trial, deal or party"),
        metadata={"document": False},
    )
    planned: bool = attrs.field(default=False, validator=v.instance(bool, "a boolean"))
    agency: Agency | None = attrs.field(default=None, validator=v.optional(v.instance(Agency, "an Agency")))
    jurisdiction: str | None = attrs.field(default=None, validator=v.optional(v.text))
    countries: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())
    trial: str | None = attrs.field(default=None, validator=v.optional(v.text))

    @property
    def sort_key(self) -> tuple[bool, dt.date, dt.date, str, int, str, int, str, str]:
        """The key of the timeline order.

        Dated entries first; then the written date's earliest day, then its
        latest day (finer precision first); then asset code, kind (regulatory
        events in lifecycle order, then trial start, primary completion,
        completion), label, how the date is known (actual, announced, estimated),
        and last the agency code and where (so two agencies' same-day events of
        one kind keep one order whatever the input order).
        An announced date ("on or before X") sorts at X.
        """
        agency = "" if self.agency is None else self.agency.code
        if self.date is None:
            return (True, _FAR, _FAR, self.asset, _KIND_RANK[self.kind], self.label, 0, agency, self.where)
        written = self.date.date
        basis = _BASIS_RANK[self.date.basis]
        return (
            False, written.earliest, written.latest, self.asset, _KIND_RANK[self.kind], self.label, basis,
            agency, self.where,
        )  # fmt: skip

    @property
    def where(self) -> str:
        """The jurisdiction of an event, or a trial's countries joined with ``/`` (``-`` when none)."""
        if self.jurisdiction is not None:
            return self.jurisdiction
        return "/".join(self.countries) or "-"


#: How each lifecycle step reads, with ``{a}`` the application: its type and number (``BLA 761139``), or the
#: track's generic name when the event names no application.
_STEP: dict[EventKind, str] = {
    EventKind.IND_SUBMITTED: "{a} submitted",
    EventKind.IND_ACCEPTED: "{a} accepted",
    EventKind.IND_CLEARED: "{a} cleared",
    EventKind.IND_REJECTED: "{a} rejected",
    EventKind.IND_WITHDRAWN: "{a} withdrawn",
    EventKind.MARKETING_SUBMITTED: "{a} submitted",
    EventKind.MARKETING_ACCEPTED: "{a} accepted",
    EventKind.MARKETING_APPROVED: "{a} approved",
    EventKind.MARKETING_REFUSED: "{a} refused",
    EventKind.MARKETING_WITHDRAWN: "{a} withdrawn",
    EventKind.COMPLETE_RESPONSE: "complete response to {a}",
    EventKind.APPROVAL_WITHDRAWN: "approval of {a} withdrawn",
    EventKind.REVIEW_EXTENDED: "review of {a} extended",
    EventKind.APPROVAL_CONVERTED: "approval of {a} converted to traditional",
    EventKind.CLINICAL_HOLD: "clinical hold on {a}",
    EventKind.HOLD_LIFTED: "clinical hold on {a} lifted",
}
#: The same steps for an event naming no application, where the kind's own label says it best.
_UNNAMED: dict[EventKind, str] = {
    EventKind.COMPLETE_RESPONSE: "complete response",
    EventKind.APPROVAL_WITHDRAWN: "approval withdrawn",
    EventKind.REVIEW_EXTENDED: "review extended",
    EventKind.APPROVAL_CONVERTED: "approval converted to traditional",
    EventKind.CLINICAL_HOLD: "clinical hold",
    EventKind.HOLD_LIFTED: "clinical hold lifted",
}
_BY = {Actor.SPONSOR: "by the sponsor", Actor.AGENCY: "by the agency"}


def _application_name(application: Application) -> str:
    return application.kind.label + (f" {application.number}" if application.number else "")


def event_label(asset: Asset, event: RegulatoryEvent) -> str:
    """What an event says, as one line: the step of its application, with review, goal date, pathway and actor.

    An event naming an application of *asset* reads with that application's
    type and number (``BLA 761139 accepted``); otherwise with the kind's own
    words (``marketing application accepted``). Review type and goal date,
    pathway (other than traditional), and who withdrew are part of the one
    line: one press-release fact, one entry.

    >>> import biopipe
    >>> from biopipe import Agency, EventKind, FactDate, Pathway, PartialDate, ReviewType
    >>> bla = biopipe.Application(id="US BLA", agency=Agency.FDA, kind=biopipe.ApplicationType.BLA)
    >>> asset = biopipe.Asset(code="X1", sponsor="Acme", modality=biopipe.Modality.PEPTIDE, applications=(bla,))
    >>> accepted = biopipe.RegulatoryEvent(agency=Agency.FDA, kind=EventKind.MARKETING_ACCEPTED,
    ...     date=FactDate.parse("2023-12-21"), application="US BLA", review=ReviewType.PRIORITY,
    ...     goal_date=PartialDate(2024, 6, 26))
    >>> event_label(asset, accepted)
    'BLA accepted (priority review, goal 2024-06-26)'
    >>> import attrs
    >>> event_label(asset, attrs.evolve(accepted, kind=EventKind.MARKETING_APPROVED, review=None,
    ...                                 goal_date=None, pathway=Pathway.ACCELERATED, application=None))
    'marketing application approved (accelerated)'
    """
    kind = event.kind
    application = None if event.application is None else asset.application(event.application)
    step = _STEP.get(kind)
    if step is None:
        text = kind.label
    elif application is not None:
        text = step.format(a=_application_name(application))
    else:
        text = _UNNAMED.get(kind) or kind.label
    details = []
    if event.designation is not None:
        details.append(event.designation.code.replace("_", " "))
    if event.review is not None:
        details.append(event.review.label)
    if event.goal_date is not None:
        details.append(f"goal {event.goal_date}")
    if event.pathway is not None and not (
        event.pathway is Pathway.TRADITIONAL and kind is EventKind.APPROVAL_CONVERTED
    ):
        details.append(event.pathway.label)
    if event.by is not None:
        text += " " + _BY[event.by]
    if details:
        text += f" ({', '.join(details)})"
    detail = event.scope or event.indication
    if detail:
        text += f": {detail}"
    return text


def _event_entry(asset: Asset, event: RegulatoryEvent) -> TimelineEntry:
    return unchecked(
        TimelineEntry,
        asset=asset.code,
        kind=event.kind,
        date=event.date,
        label=event_label(asset, event),
        fact=event,
        planned=event.date.is_planned,
        agency=event.agency,
        jurisdiction=event.jurisdiction,
    )


def _listed(territory: Territory | None) -> tuple[str, ...]:
    """The countries a territory lists (none for a worldwide one): where the entry's filter finds it."""
    return () if territory is None else territory.countries


def _deal_entry(asset: Asset, deal: Deal) -> TimelineEntry:
    terms = [str(deal.territory)] if deal.territory is not None else []
    terms += [f"upfront {deal.upfront}"] if deal.upfront is not None else []
    terms += [f"up to {deal.total}"] if deal.total is not None else []
    label = f"{deal.kind.label}: {', '.join(deal.parties)}" + (f" ({'; '.join(terms)})" if terms else "")
    return unchecked(
        TimelineEntry,
        asset=asset.code,
        kind=Milestone.DEAL,
        date=deal.date,
        label=label,
        fact=deal,
        planned=deal.date.is_planned,
        countries=_listed(deal.territory),
    )


def _party_entries(asset: Asset, party: Party) -> Iterator[TimelineEntry]:
    name = party.name.casefold()
    dealt = any(d.date.date == party.start and name in (p.casefold() for p in d.parties) for d in asset.deals)
    ends = ((Milestone.RIGHTS_START, party.start, "becomes"), (Milestone.RIGHTS_END, party.end, "no longer"))
    for milestone, day, verb in ends:
        if day is None or (milestone is Milestone.RIGHTS_START and dealt):
            continue  # a start that a deal naming the party dates is that deal's entry
        yield unchecked(
            TimelineEntry,
            asset=asset.code,
            kind=milestone,
            date=FactDate(day),
            label=f"{party.name} {verb} {party.role.label} ({party.territory})",
            fact=party,
            countries=_listed(party.territory),
        )


def _trial_entries(asset: Asset, trial: Trial) -> Iterator[TimelineEntry]:
    dated = False
    for milestone, name in _TRIAL_DATES:
        date: FactDate | None = getattr(trial, name)
        if date is None:
            continue
        dated = True
        yield unchecked(
            TimelineEntry,
            asset=asset.code,
            kind=milestone,
            date=date,
            label=f"{milestone.label}: {trial.title}",
            fact=trial,
            planned=date.is_planned or trial.is_planned,
            countries=trial.countries,
            trial=trial.key,
        )
    if not dated and trial.is_planned:
        # A plan with no date yet is still news ("to start in the near term"): shown undated, last.
        yield unchecked(
            TimelineEntry,
            asset=asset.code,
            kind=Milestone.TRIAL_START,
            date=None,
            label=f"{Milestone.TRIAL_START.label}: {trial.title}",
            fact=trial,
            planned=True,
            countries=trial.countries,
            trial=trial.key,
        )


def entries_of(asset: Asset) -> Iterator[TimelineEntry]:
    """Every timeline entry of *asset*, in record order (events, each trial's dates, deals, parties' dates)."""
    for event in asset.events:
        yield _event_entry(asset, event)
    for trial in asset.trials:
        yield from _trial_entries(asset, trial)
    for deal in asset.deals:
        yield _deal_entry(asset, deal)
    for party in asset.parties:
        yield from _party_entries(asset, party)


def _as_partial(value: PartialDate | dt.date | str | None, name: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        try:
            return PartialDate.parse(value)
        except InvalidPartialDate as e:
            raise InvalidPartialDate(value, f"a {name} date such as '2025', '2025-03' or '2025-03-15'") from e
    raise InvalidPartialDate(value, f"a {name} date: a PartialDate, datetime.date or text")


def as_agency(value: Agency | str) -> Agency:
    """The agency for an `Agency`, a wire code or an abbreviation (case-insensitive).

    >>> from biopipe.query import as_agency
    >>> as_agency("NMPA"), as_agency("fda")
    (Agency.NMPA, Agency.FDA)
    """
    if isinstance(value, Agency):
        return value
    folded = value.casefold()
    for agency in Agency:
        if folded in (agency.code, agency.abbreviation.casefold()):
            return agency
    raise UnknownCode(value, "an agency code or abbreviation: " + ", ".join(Agency.codes()))


def as_kinds(
    value: EventKind | Milestone | str | Iterable[EventKind | Milestone | str],
) -> frozenset[EventKind | Milestone]:
    """The set of kinds for one or several `EventKind`/`Milestone` values or codes.

    >>> from biopipe.query import as_kinds
    >>> sorted(k.code for k in as_kinds(["ind_cleared", "trial_start"]))
    ['ind_cleared', 'trial_start']
    """
    items = [value] if isinstance(value, (str, EventKind, Milestone)) else list(value)
    kinds: set[EventKind | Milestone] = set()
    for item in items:
        if isinstance(item, (EventKind, Milestone)):
            kinds.add(item)
            continue
        for vocab in (EventKind, Milestone):
            if item in vocab.codes():
                kinds.add(vocab.from_code(item))
                break
        else:
            allowed = ", ".join((*EventKind.codes(), *Milestone.codes()))
            raise UnknownCode(item, f"an event kind or trial milestone: {allowed}")
    return frozenset(kinds)


@attrs.frozen
class Timeline(Result):
    """An ordered tuple of `TimelineEntry` values, with filters and renderings.

    Build one with `timeline` (or `Timeline.from_entries`, which sorts); the
    order is `TimelineEntry.sort_key`. It is a sequence: ``len``, indexing and
    iteration work.

    >>> import biopipe
    >>> tl = biopipe.timeline(biopipe.example("js212"))
    >>> print(tl.render(), end="")
    2025-01                  JS212  CN  NMPA  IND accepted
    2025-03                  JS212  CN  NMPA  IND cleared: Phase 1/2 study of JS212 in patients with
                                                  advanced solid tumors
    2025-11                  JS212  CN  NMPA  IND cleared: multi-cohort combination therapy studies
    on or before 2025-12-14  JS212  US  FDA   IND cleared: advanced solid tumors
    on or before 2025-12-15  JS212  CN  -     trial start: Phase 1/2 study of JS212 in patients with
                                                  advanced solid tumors
    undated                  JS212  CN  -     trial start: Multi-cohort combination therapy studies of JS212 [planned]
    """

    document_name: ClassVar[str] = "timeline"

    entries: tuple[TimelineEntry, ...] = attrs.field(validator=v.tuple_of_type(TimelineEntry, "TimelineEntry values"))

    @classmethod
    def from_entries(cls, entries: Iterable[TimelineEntry]) -> Timeline:
        """A timeline of *entries* in the documented order (a stable sort).

        >>> import biopipe
        >>> tl = biopipe.timeline(biopipe.example("js212"))
        >>> Timeline.from_entries(reversed(tl)) == tl
        True
        """
        return cls(tuple(sorted(entries, key=lambda e: e.sort_key)))

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[TimelineEntry]:
        return iter(self.entries)

    def __reversed__(self) -> Iterator[TimelineEntry]:
        return reversed(self.entries)

    @overload
    def __getitem__(self, index: int) -> TimelineEntry: ...
    @overload
    def __getitem__(self, index: slice) -> Timeline: ...
    def __getitem__(self, index: int | slice) -> TimelineEntry | Timeline:
        if isinstance(index, slice):
            return Timeline(self.entries[index])
        return self.entries[index]

    def filter(
        self,
        *,
        since: PartialDate | dt.date | str | None = None,
        until: PartialDate | dt.date | str | None = None,
        agency: Agency | str | None = None,
        jurisdiction: str | None = None,
        kind: EventKind | Milestone | str | Iterable[EventKind | Milestone | str] | None = None,
        asset: str | Iterable[str] | None = None,
        known_on: dt.date | PartialDate | str | None = None,
    ) -> Timeline:
        """The entries that pass every given filter, in the same order.

        - *since*/*until*: a partial date, day or text (``2025``, ``2025-03``,
          ``March 2025``). An entry is kept when its written date overlaps
          ``[since.earliest, until.latest]``: ``2025-03`` is kept by
          ``until="2025-03-10"``. An announced date ("on or before X") is taken at
          X, as the order takes it. Undated entries are dropped by either bound.
        - *agency*: an `Agency` or its code/abbreviation (``nmpa``, ``FDA``);
          keeps regulatory events only.
        - *jurisdiction*: ``US``, ``CN``, ``EU``...: events of that jurisdiction's
          agencies and trial entries with a site there (``EU`` covers member states).
        - *kind*: `EventKind`/`Milestone` values or codes (one or several).
        - *asset*: one asset code or several.
        - *known_on*: a day; keeps the entries whose fact was public by then
          (`RegulatoryEvent.public_on`, `Deal.public_on`, `Party.public_on`; a
          trial's earliest dated source), as an
          analyst saw the record that day. Facts with no public date are dropped.

        >>> import biopipe
        >>> tl = biopipe.timeline(biopipe.example("js212"))
        >>> [str(e.date) for e in tl.filter(since="2025-03", until="2025-11-30")]
        ['2025-03', '2025-11']
        >>> [e.label for e in tl.filter(agency="FDA")]
        ['IND cleared: advanced solid tumors']
        >>> len(tl.filter(jurisdiction="CN", kind="trial_start"))
        2
        >>> [e.label for e in tl.filter(known_on="2025-12-14")]
        ['IND cleared: advanced solid tumors']
        """
        low = _as_partial(since, "since")
        high = _as_partial(until, "until")
        who = None if agency is None else as_agency(agency)
        place = None if jurisdiction is None else as_jurisdiction(jurisdiction)
        kinds = None if kind is None else as_kinds(kind)
        codes = None if asset is None else frozenset([asset] if isinstance(asset, str) else asset)
        known = as_known_on(known_on)
        start = low.earliest if low is not None else None
        end = high.latest if high is not None else None

        def keep(e: TimelineEntry) -> bool:
            if start is not None or end is not None:
                if e.date is None:
                    return False
                if start is not None and e.date.date.latest < start:
                    return False
                if end is not None and e.date.date.earliest > end:
                    return False
            if who is not None and e.agency is not who:
                return False
            if place is not None and e.jurisdiction != place and not any(covers(place, c) for c in e.countries):
                return False
            if kinds is not None and e.kind not in kinds:
                return False
            if known is not None and not public_by(e.fact.public_on, known):
                return False
            return codes is None or e.asset in codes

        return Timeline(tuple(e for e in self.entries if keep(e)))

    # -- renderings ----------------------------------------------------------------------

    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        return [
            (
                "undated" if e.date is None else str(e.date),
                e.asset,
                e.where,
                e.agency.abbreviation if e.agency is not None else "-",
                e.label + (" [planned]" if e.planned else ""),
            )
            for e in self.entries
        ]

    def _text(self) -> str:
        """Plain text, one entry a line: date, asset, where, agency, what (``[planned]`` for plans).

        Columns are padded to line up; an empty timeline is ``(no entries)``.
        """
        rows = [tuple(map(display_text, r)) for r in self._rows()]
        if not rows:
            return "(no entries)"
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        return "\n".join("  ".join([*(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)), r[4]]) for r in rows)

    def _markdown(self) -> str:
        lines = ["| Date | Asset | Where | Agency | What |", "| --- | --- | --- | --- | --- |"]
        lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in self._rows()]
        return "\n".join(lines)


def timeline(
    assets: Asset | Portfolio | Iterable[Asset],
    *,
    since: PartialDate | dt.date | str | None = None,
    until: PartialDate | dt.date | str | None = None,
    agency: Agency | str | None = None,
    jurisdiction: str | None = None,
    kind: EventKind | Milestone | str | Iterable[EventKind | Milestone | str] | None = None,
    asset: str | Iterable[str] | None = None,
    known_on: dt.date | PartialDate | str | None = None,
) -> Timeline:
    """Every dated fact of one asset or many, in the documented total order.

    Entries are the regulatory events and each trial's start, primary completion
    and completion dates; a planned trial with no date yet appears once, undated,
    at the end. Order: `TimelineEntry.sort_key` (earliest day, then precision,
    then asset code, kind and label), so the result does not depend on the order
    of the input. Filters are those of `Timeline.filter`; *known_on* keeps the
    facts public by that day (knowledge time).

    Every entry belongs to an asset: a portfolio's root trials (registry trials
    not linked to an asset, ``Portfolio.trials``) are not in its timeline; link
    them to an asset to see their milestones.

    >>> import biopipe
    >>> tl = biopipe.timeline(biopipe.example("js212"))
    >>> [(str(e.date), e.kind.code) for e in tl][:4]
    [('2025-01', 'ind_accepted'), ('2025-03', 'ind_cleared'), ('2025-11', 'ind_cleared'),
     ('on or before 2025-12-14', 'ind_cleared')]
    >>> [e.planned for e in tl][-1]
    True
    """
    found = Timeline.from_entries(e for a in as_assets(assets) for e in entries_of(a))
    if all(f is None for f in (since, until, agency, jurisdiction, kind, asset, known_on)):
        return found
    return found.filter(
        since=since, until=until, agency=agency, jurisdiction=jurisdiction, kind=kind, asset=asset, known_on=known_on
    )
