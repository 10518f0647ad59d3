"""Regulatory state of an asset in a jurisdiction as of a day, honest about uncertain dates.

Two time axes: *as_of* is the day the answer is about (valid time), *known_on*
the day the answer could have been given (knowledge time: only facts public by
then count).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, ClassVar

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model import _validate as v
from ..model._application import Actor, ApplicationType, Pathway, ReviewType
from ..model._asset import Asset, RegulatoryEvent
from ..model._dates import FactDate
from ..model._geography import as_jurisdiction, covers
from ..model._vocab import Agency, ApplicationKind, DateBasis, Designation, EventKind, Vocabulary
from ._arguments import as_day, unchecked
from ._known import as_known_on, indication_key, public_by, same_indication

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model._dates import PartialDate

__all__ = [
    "ApplicationState",
    "DesignationInEffect",
    "RegulatoryState",
    "StateAnswer",
    "earliest_possible",
    "happened_by",
    "state_as_of",
]


class RegulatoryState(Vocabulary):
    """Where an asset stands with one jurisdiction's regulators.

    - ``nothing_on_record``: no clinical-trial or marketing event (designations do not count).
    - ``ind_pending``: an IND/CTA submitted or accepted, not yet decided.
    - ``ind_rejected``: the application was refused (and nothing cleared).
    - ``may_run_trials``: an IND/CTA cleared (or a hold lifted).
    - ``on_clinical_hold``: a clinical hold not (yet) lifted.
    - ``marketing_pending``: a marketing application (NDA/BLA/MAA) submitted or accepted.
    - ``complete_response``: the agency answered the marketing application with a complete response.
    - ``marketing_refused``: the marketing application was refused.
    - ``marketing_withdrawn``: the marketing application was withdrawn before a decision
      (by the sponsor or the agency: ``StateAnswer.by``).
    - ``approved``: marketing approved (on the pathway ``StateAnswer.pathway`` gives).
    - ``withdrawn``: the IND, or the marketing approval, was withdrawn.

    The rule that combines them, whatever else is on record: each application
    has its own state; the jurisdiction's marketing track is its most advanced
    marketing application (approved, then pending, complete response, approval
    withdrawn, refused, application withdrawn) and its trial track its most
    telling clinical-trial application (on hold, then may run trials, pending,
    rejected, withdrawn). When the marketing track holds any fact, the state is
    the marketing track's, and the trial track is reported beside it
    (``StateAnswer.trials``); otherwise the state is the trial track's. So a
    withdrawn marketing application gives ``marketing_withdrawn`` with or
    without an IND on record.

    >>> from biopipe import RegulatoryState
    >>> RegulatoryState.from_code("may_run_trials").label
    'may run trials'
    """

    NOTHING_ON_RECORD = "nothing_on_record"
    IND_PENDING = "ind_pending"
    IND_REJECTED = "ind_rejected"
    MAY_RUN_TRIALS = "may_run_trials"
    ON_CLINICAL_HOLD = "on_clinical_hold"
    MARKETING_PENDING = "marketing_pending"
    COMPLETE_RESPONSE = "complete_response"
    MARKETING_REFUSED = "marketing_refused"
    MARKETING_WITHDRAWN = "marketing_withdrawn"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class _Trials(enum.Enum):
    NONE = 0
    WITHDRAWN = 1
    REJECTED = 2
    PENDING = 3
    CLEARED = 4
    HOLD = 5  # the value is the rank: the most telling application gives the jurisdiction's trial track


class _Marketing(enum.Enum):
    NONE = 0
    APPLICATION_WITHDRAWN = 1
    REFUSED = 2
    APPROVAL_WITHDRAWN = 3
    COMPLETE_RESPONSE = 4
    PENDING = 5
    APPROVED = 6  # the value is the rank: the most advanced application gives the marketing track


_Track = _Trials | _Marketing
_OPEN = (_Trials.NONE, _Trials.REJECTED, _Trials.WITHDRAWN)


def _trial_step(t: _Trials, kind: EventKind) -> _Trials:
    """One clinical-trial application's machine."""
    if kind in (EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED):
        return _Trials.PENDING if t in _OPEN else t
    if kind is EventKind.IND_CLEARED:
        # A clearance (of this or another protocol) does not lift a hold; only hold_lifted does.
        return _Trials.CLEARED if t in (*_OPEN, _Trials.PENDING) else t
    if kind is EventKind.IND_REJECTED:
        return _Trials.REJECTED if t in (_Trials.NONE, _Trials.PENDING) else t
    if kind is EventKind.CLINICAL_HOLD:
        return _Trials.HOLD
    if kind is EventKind.HOLD_LIFTED:
        return _Trials.CLEARED if t is _Trials.HOLD else t
    if kind is EventKind.IND_WITHDRAWN:
        return _Trials.WITHDRAWN
    return t


def _marketing_step(m: _Marketing, kind: EventKind) -> _Marketing:
    """One marketing application's machine: an approval stands until withdrawn, whatever else is filed."""
    if kind in (EventKind.MARKETING_APPROVED, EventKind.APPROVAL_CONVERTED):
        return _Marketing.APPROVED
    if kind is EventKind.APPROVAL_WITHDRAWN:
        return _Marketing.APPROVAL_WITHDRAWN
    if m is _Marketing.APPROVED:
        return m
    return _MARKETING_STEP.get(kind, m)


_MARKETING_STEP = {
    EventKind.MARKETING_SUBMITTED: _Marketing.PENDING,
    EventKind.MARKETING_ACCEPTED: _Marketing.PENDING,
    EventKind.REVIEW_EXTENDED: _Marketing.PENDING,
    EventKind.COMPLETE_RESPONSE: _Marketing.COMPLETE_RESPONSE,
    EventKind.MARKETING_REFUSED: _Marketing.REFUSED,
    EventKind.MARKETING_WITHDRAWN: _Marketing.APPLICATION_WITHDRAWN,
}


def _step(track: _Track, kind: EventKind) -> _Track:
    if isinstance(track, _Trials):
        return _trial_step(track, kind)
    return _marketing_step(track, kind)


_FROM_MARKETING = {
    _Marketing.NONE: RegulatoryState.NOTHING_ON_RECORD,
    _Marketing.PENDING: RegulatoryState.MARKETING_PENDING,
    _Marketing.COMPLETE_RESPONSE: RegulatoryState.COMPLETE_RESPONSE,
    _Marketing.REFUSED: RegulatoryState.MARKETING_REFUSED,
    _Marketing.APPLICATION_WITHDRAWN: RegulatoryState.MARKETING_WITHDRAWN,
    _Marketing.APPROVED: RegulatoryState.APPROVED,
    _Marketing.APPROVAL_WITHDRAWN: RegulatoryState.WITHDRAWN,
}
_FROM_TRIALS = {
    _Trials.NONE: RegulatoryState.NOTHING_ON_RECORD,
    _Trials.PENDING: RegulatoryState.IND_PENDING,
    _Trials.REJECTED: RegulatoryState.IND_REJECTED,
    _Trials.CLEARED: RegulatoryState.MAY_RUN_TRIALS,
    _Trials.HOLD: RegulatoryState.ON_CLINICAL_HOLD,
    _Trials.WITHDRAWN: RegulatoryState.WITHDRAWN,
}


def _label(track: _Track) -> RegulatoryState:
    return _FROM_TRIALS[track] if isinstance(track, _Trials) else _FROM_MARKETING[track]


def _state(t: _Trials, m: _Marketing) -> RegulatoryState:
    """The one rule: the marketing track when it holds any fact, else the trial track."""
    return _FROM_MARKETING[m] if m is not _Marketing.NONE else _FROM_TRIALS[t]


def happened_by(event: RegulatoryEvent, day: dt.date, *, earliest: dt.date | None = None) -> bool | None:
    """Whether *event* had happened by the end of *day*: True, False, or None when unknown.

    The written date's days decide: True when its last day is on or before
    *day*, False when its first possible day is after *day*, None when it
    straddles *day*. An announced date ("on or before X") has no first day of
    its own: before X it is None (it may already have happened), unless
    *earliest* — the first day the record allows, such as the day of the
    filing the event answers (see `earliest_possible`) — is after *day*, when
    it is False. A plan (estimated date) never counts as happened: False.

    >>> import datetime, biopipe
    >>> accepted, cleared, _, fda = biopipe.example("js212").events
    >>> happened_by(cleared, datetime.date(2025, 3, 15)), happened_by(accepted, datetime.date(2025, 3, 15))
    (None, True)
    >>> happened_by(fda, datetime.date(2025, 11, 30)), happened_by(fda, datetime.date(2025, 12, 14))
    (None, True)
    >>> happened_by(fda, datetime.date(2025, 11, 30), earliest=datetime.date(2025, 12, 1))
    False
    """
    if event.date.basis is DateBasis.ESTIMATED:
        return False
    written = event.date.date
    if written.latest <= day:
        return True
    first = written.earliest if event.date.basis is DateBasis.ACTUAL else earliest
    if first is not None and first > day:
        return False
    return None


def earliest_possible(event: RegulatoryEvent, record: Iterable[RegulatoryEvent]) -> dt.date | None:
    """The first day *record* allows for *event*: its own first day, or for an announced answer the filing's.

    An actual date gives its own first day. An announced decision, hold or
    withdrawal ("on or before X") cannot precede the filing it answers: the
    filings of *record* on the same application (``event.application``), or,
    when the event names none, of the same agency on the same track (trials or
    marketing), that could precede it. Their earliest first day is the bound
    (the weakest: any of them may be the one answered). None when nothing
    bounds it: no such filing, a filing that is itself only announced, a
    filing or plan, or a designation. A withdrawal that names its application
    also follows every step of that application dated (actual) before its
    announcement: an application that got a complete response in June was
    still open then, so its withdrawal came later.

    >>> import biopipe
    >>> accepted, cleared, _, fda = biopipe.example("js212").events
    >>> earliest_possible(cleared, [accepted, cleared]), earliest_possible(fda, [accepted, fda]) is None
    (datetime.date(2025, 3, 1), True)
    >>> import attrs
    >>> filed = attrs.evolve(accepted, agency=biopipe.Agency.FDA, application="US IND",
    ...                      date=biopipe.FactDate.parse("2025-11-10"))
    >>> earliest_possible(fda, [filed, fda])
    datetime.date(2025, 11, 10)
    """
    basis = event.date.basis
    if basis is DateBasis.ACTUAL:
        return event.date.date.earliest
    track = event.kind.application
    if basis is DateBasis.ESTIMATED or event.kind.is_filing or track is ApplicationKind.DESIGNATION:
        return None
    firsts: list[dt.date | None] = [
        f.date.earliest
        for f in record
        if f.kind.is_filing
        and f.kind.application is track
        and f.date.basis is not DateBasis.ESTIMATED
        and f.date.date.earliest <= event.date.date.latest
        and (f.application == event.application if event.application is not None else f.agency is event.agency)
    ]
    bound = None if not firsts or any(d is None for d in firsts) else min(d for d in firsts if d is not None)
    if event.application is not None and event.kind.is_withdrawal:
        # A withdrawn application was open until then: its own steps dated before the announcement precede it.
        steps = [
            f.date.date.earliest
            for f in record
            if f.application == event.application
            and not f.kind.is_withdrawal
            and f.kind.application is not ApplicationKind.DESIGNATION
            and f.date.basis is DateBasis.ACTUAL
            and f.date.date.latest <= event.date.date.latest
        ]
        if steps:
            bound = max(steps) if bound is None else max(bound, *steps)
    return bound


def _chronological(event: RegulatoryEvent) -> tuple[dt.date, dt.date, int]:
    return event.date.date.earliest, event.date.date.latest, _KIND_ORDER[event.kind]


_KIND_ORDER = {k: i for i, k in enumerate(EventKind)}
_TRACKED = frozenset(k for k in EventKind if k.application is not ApplicationKind.DESIGNATION)
_STATE_RANK = {s: i for i, s in enumerate(RegulatoryState)}
_MARKETING_STATES = frozenset(_FROM_MARKETING.values()) - {
    RegulatoryState.NOTHING_ON_RECORD,
    RegulatoryState.WITHDRAWN,
}


@attrs.frozen(kw_only=True)
class ApplicationState:
    """The state of one application on the day: the record's `Application`, or an unnamed one.

    Events that name no ``application`` form one unnamed application per track
    (clinical trials, marketing) and indication. ``review`` is the review type
    of its latest known filing, acceptance, extension or approval that names
    one; ``pathway`` that of its latest approval or conversion (a conversion is
    ``traditional`` from its date); ``by`` who withdrew it. ``events`` moved its
    state; ``pending`` straddle the day.

    >>> import biopipe
    >>> answer = biopipe.state_as_of(biopipe.example("js212"), "CN", "2025-12-31")
    >>> [(a.application, a.state.code) for a in answer.applications]
    [('CN IND', 'may_run_trials'), ('CN IND combination', 'may_run_trials')]
    >>> print(answer.applications[0])
    CN IND (IND): may run trials
    """

    application: str | None = attrs.field(validator=v.optional(v.text))
    track: ApplicationKind = attrs.field(validator=v.instance(ApplicationKind, "an ApplicationKind"))
    state: RegulatoryState = attrs.field(validator=v.instance(RegulatoryState, "a RegulatoryState"))
    possible: tuple[RegulatoryState, ...] = attrs.field(
        validator=v.tuple_of_type(RegulatoryState, "RegulatoryState values", unique=True)
    )
    kind: ApplicationType | None = attrs.field(
        default=None, validator=v.optional(v.instance(ApplicationType, "an ApplicationType"))
    )
    indication: str | None = attrs.field(default=None, validator=v.optional(v.text))
    review: ReviewType | None = attrs.field(default=None, validator=v.optional(v.instance(ReviewType, "a ReviewType")))
    pathway: Pathway | None = attrs.field(default=None, validator=v.optional(v.instance(Pathway, "a Pathway")))
    by: Actor | None = attrs.field(default=None, validator=v.optional(v.instance(Actor, "an Actor")))
    events: tuple[RegulatoryEvent, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(RegulatoryEvent, "RegulatoryEvent values")
    )
    pending: tuple[RegulatoryEvent, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(RegulatoryEvent, "RegulatoryEvent values")
    )

    @property
    def name(self) -> str:
        """The application's id with its type, or ``unnamed <track> application`` (with its indication)."""
        if self.application is not None:
            return self.application + (f" ({self.kind.label})" if self.kind is not None else "")
        return f"unnamed {self.track.label} application" + (f" for {self.indication}" if self.indication else "")

    @property
    def qualified(self) -> str:
        """The state's label with its review type, pathway or who withdrew it: ``approved (accelerated)``."""
        return _qualified(self.state, [self])

    def __str__(self) -> str:
        if len(self.possible) > 1:
            return f"{self.name}: uncertain (" + " or ".join(s.label for s in self.possible) + ")"
        return f"{self.name}: {self.qualified}"


def _qualified(state: RegulatoryState, applications: Iterable[ApplicationState]) -> str:
    found = list(applications)
    notes: list[str] = []
    if state is RegulatoryState.APPROVED:
        notes = [a.pathway.code.replace("_", " ") for a in found if a.pathway is not None]
    elif state in (RegulatoryState.MARKETING_PENDING, RegulatoryState.COMPLETE_RESPONSE):
        notes = [a.review.label for a in found if a.review is not None]
    elif state in (RegulatoryState.MARKETING_WITHDRAWN, RegulatoryState.WITHDRAWN):
        notes = [f"by {a.by.code}" for a in found if a.by is not None]
    distinct = list(dict.fromkeys(notes))
    return state.label + (f" ({'; '.join(distinct)})" if distinct else "")


@attrs.frozen(kw_only=True)
class DesignationInEffect:
    """A designation in effect on the day: granted, known to have happened, and not revoked since.

    >>> import attrs, biopipe
    >>> js212 = biopipe.example("js212")
    >>> btd = biopipe.RegulatoryEvent(agency=biopipe.Agency.NMPA, kind=biopipe.EventKind.DESIGNATION_GRANTED,
    ...     designation=biopipe.Designation.BREAKTHROUGH_THERAPY, date=biopipe.FactDate.parse("2025-06-02"),
    ...     indication="advanced solid tumors")
    >>> answer = biopipe.state_as_of(attrs.evolve(js212, events=(*js212.events, btd)), "CN", "2025-07-01")
    >>> print(answer.designations[0])
    NMPA breakthrough therapy (advanced solid tumors) since 2025-06-02
    """

    agency: Agency = attrs.field(validator=v.instance(Agency, "an Agency"))
    designation: Designation = attrs.field(validator=v.instance(Designation, "a Designation"))
    granted: FactDate = attrs.field(validator=v.instance(FactDate, "a FactDate"))
    scope: str | None = attrs.field(default=None, validator=v.optional(v.text))
    indication: str | None = attrs.field(default=None, validator=v.optional(v.text))
    event: RegulatoryEvent = attrs.field(
        validator=v.instance(RegulatoryEvent, "a RegulatoryEvent"), metadata={"document": False}
    )

    def __str__(self) -> str:
        detail = self.scope or self.indication
        name = self.designation.code.replace("_", " ")
        return f"{self.agency.abbreviation} {name}" + (f" ({detail})" if detail else "") + f" since {self.granted}"


@attrs.frozen(kw_only=True)
class StateAnswer(Result):
    """The answer to "what was the asset's regulatory state in J as of D (as known on K)?".

    ``state`` is the state the events known to have happened by D give.
    ``possible`` lists every state the record allows, in `RegulatoryState`
    order: more than one when some event's date straddles D (``pending``). The
    answer is `certain` when only one state is possible and the indication asked
    about is on record. ``events`` are the known events that moved the
    applications that justify the state, oldest first (every one of them: two
    pending BLAs are both cited); ``applications`` the state of each
    application; ``trials`` the trial track beside a marketing state;
    ``review``, ``pathway`` and ``by`` qualify the state when its applications
    agree; ``designations`` are those in effect on D.

    ``known_on`` is the knowledge day: only facts public by then counted, and
    ``unpublished`` counts the facts of the jurisdiction left out because their
    publication date is unknown. ``indication_on_record`` is False when the
    indication asked about is nowhere on the record (then ``suggestions`` lists
    close names).

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> a = biopipe.state_as_of(js212, "CN", "2025-03-15")
    >>> a.certain, [s.code for s in a.possible]
    (False, ['ind_pending', 'may_run_trials'])
    >>> print(a)
    JS212 in CN as of 2025-03-15: uncertain (ind pending or may run trials)
    """

    document_name: ClassVar[str] = "state"
    document_properties: ClassVar[tuple[str, ...]] = ("certain",)

    asset: str = attrs.field(validator=v.text)
    jurisdiction: str = attrs.field(validator=v.text)
    as_of: dt.date = attrs.field(validator=v.instance(dt.date, "a datetime.date"))
    state: RegulatoryState = attrs.field(validator=v.instance(RegulatoryState, "a RegulatoryState"))
    possible: tuple[RegulatoryState, ...] = attrs.field(
        validator=v.tuple_of_type(RegulatoryState, "RegulatoryState values", unique=True)
    )
    events: tuple[RegulatoryEvent, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(RegulatoryEvent, "RegulatoryEvent values")
    )
    pending: tuple[RegulatoryEvent, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(RegulatoryEvent, "RegulatoryEvent values")
    )
    trials: RegulatoryState = attrs.field(
        default=RegulatoryState.NOTHING_ON_RECORD, validator=v.instance(RegulatoryState, "a RegulatoryState")
    )
    review: ReviewType | None = attrs.field(default=None, validator=v.optional(v.instance(ReviewType, "a ReviewType")))
    pathway: Pathway | None = attrs.field(default=None, validator=v.optional(v.instance(Pathway, "a Pathway")))
    by: Actor | None = attrs.field(default=None, validator=v.optional(v.instance(Actor, "an Actor")))
    applications: tuple[ApplicationState, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(ApplicationState, "ApplicationState values")
    )
    designations: tuple[DesignationInEffect, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(DesignationInEffect, "DesignationInEffect values")
    )
    indication: str | None = attrs.field(default=None, validator=v.optional(v.text))
    indication_on_record: bool = attrs.field(default=True, validator=v.instance(bool, "a boolean"))
    suggestions: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())
    known_on: dt.date | None = attrs.field(default=None, validator=v.optional(v.instance(dt.date, "a datetime.date")))
    unpublished: int = attrs.field(default=0, validator=v.nonnegative_int)

    @property
    def certain(self) -> bool:
        """Whether the record allows exactly one state (and the indication asked about is on record)."""
        return len(self.possible) == 1 and self.indication_on_record

    @property
    def qualified(self) -> str:
        """The state's label and what qualifies it: ``approved (accelerated)``, ``marketing pending (priority review)``.

        The qualifiers come from the applications in that state (several, joined by ``;``, when they differ).
        """
        return _qualified(self.state, (a for a in self.applications if a.state is self.state))

    def __str__(self) -> str:
        when = self.as_of.isoformat() + (f" (known on {self.known_on.isoformat()})" if self.known_on else "")
        head = f"{self.asset} in {self.jurisdiction} as of {when}: "
        if not self.indication_on_record:
            hint = f" (did you mean {' or '.join(map(repr, self.suggestions))}?)" if self.suggestions else ""
            head += f"indication {self.indication!r} is not on record for {self.asset}{hint}; events naming none give "
        if len(self.possible) == 1:
            body = self.qualified
        else:
            body = "uncertain (" + " or ".join(s.label for s in self.possible) + ")"
        if self.state in _MARKETING_STATES and self.trials is not RegulatoryState.NOTHING_ON_RECORD:
            body += f"; trials: {self.trials.label}"
        if self.designations:
            body += "; designations: " + ", ".join(str(d) for d in self.designations)
        return head + body

    def _text(self) -> str:
        lines = [str(self)]
        if self.unpublished:
            lines.append(f"  left out: {self.unpublished} fact(s) with no known publication date")
        return "\n".join(map(display_text, lines))

    def _markdown(self) -> str:
        possible = self.qualified if len(self.possible) == 1 else " or ".join(s.label for s in self.possible)
        events = "; ".join(f"{e.agency.abbreviation} {e.kind.label} {e.date}" for e in self.events) or "-"
        designations = ", ".join(str(d) for d in self.designations) or "-"
        return "\n".join(
            [
                "| Asset | Where | As of | State | Trials | Designations | Events |",
                "| --- | --- | --- | --- | --- | --- | --- |",
                f"| {markdown_cell(self.asset)} | {self.jurisdiction} | {self.as_of.isoformat()} "
                f"| {markdown_cell(possible)} | {self.trials.label} | {markdown_cell(designations)} "
                f"| {markdown_cell(events)} |",
            ]
        )


def _scope_applies(event: RegulatoryEvent, scope: str | None) -> bool:
    return scope is None or event.scope is None or event.scope.casefold() == scope.casefold()


def _indications_of(asset: Asset, event: RegulatoryEvent) -> tuple[str, ...]:
    if event.indication is not None:
        return (event.indication,)
    if event.application is not None:
        application = asset.application(event.application)
        if application is not None:
            return application.indications
    return ()


def _on_record(asset: Asset, events: Iterable[RegulatoryEvent], known_on: dt.date | None) -> list[str]:
    """Every indication name the (known) record uses for *asset*."""
    names = [n for i in asset.indications for n in i.names]
    names += [n for e in events for n in _indications_of(asset, e)]
    names += [c for t in asset.trials if public_by(t.public_on, known_on) for c in t.conditions]
    return list(dict.fromkeys(names))


def _suggest(term: str, names: list[str]) -> tuple[str, ...]:
    import difflib  # only when an indication is not on record

    return tuple(difflib.get_close_matches(term, names, n=3, cutoff=0.6))


@attrs.define
class _Group:
    """One application's events and what they give on the day."""

    key: tuple[object, ...]
    track: ApplicationKind
    events: list[RegulatoryEvent] = attrs.field(factory=list)


def _group_key(asset: Asset, event: RegulatoryEvent) -> tuple[object, ...]:
    track = event.kind.application
    if event.application is not None:
        return (track, event.application)
    names = _indications_of(asset, event)
    return (track, None, indication_key(asset, names[0]) if names else None)


def _run(
    asset: Asset, group: _Group, day: dt.date, record: list[RegulatoryEvent]
) -> tuple[ApplicationState, _Track, frozenset[_Track]]:
    start: _Track = _Trials.NONE if group.track is ApplicationKind.CLINICAL_TRIAL else _Marketing.NONE
    known, worlds = start, {start}
    moved: list[RegulatoryEvent] = []
    pending: list[RegulatoryEvent] = []
    happened: list[RegulatoryEvent] = []
    for event in sorted(group.events, key=_chronological):
        status = happened_by(event, day, earliest=earliest_possible(event, record))
        if status is False:
            continue
        if status is True:
            happened.append(event)
            after = _step(known, event.kind)
            if after != known:
                moved.append(event)
            known = after
            worlds = {_step(w, event.kind) for w in worlds}
        else:
            # A straddling event may or may not have happened: keep both branches.
            pending.append(event)
            worlds |= {_step(w, event.kind) for w in worlds}
    application = asset.application(group.key[1]) if isinstance(group.key[1], str) else None
    names = [n for e in group.events for n in _indications_of(asset, e)]
    review = next((e.review for e in reversed(happened) if e.review is not None), None)
    pathway = next(
        (
            Pathway.TRADITIONAL if e.kind is EventKind.APPROVAL_CONVERTED else e.pathway
            for e in reversed(happened)
            if e.kind in (EventKind.MARKETING_APPROVED, EventKind.APPROVAL_CONVERTED)
        ),
        None,
    )
    by = next((e.by for e in reversed(happened) if e.kind.value.endswith("_withdrawn")), None)
    answer = unchecked(
        ApplicationState,
        application=application.id if application is not None else None,
        track=group.track,
        state=_label(known),
        possible=tuple(sorted({_label(w) for w in worlds}, key=_STATE_RANK.__getitem__)),
        kind=application.kind if application is not None else None,
        indication=names[0] if names else None,
        review=review,
        pathway=pathway if known is _Marketing.APPROVED else None,
        by=by
        if known in (_Marketing.APPLICATION_WITHDRAWN, _Marketing.APPROVAL_WITHDRAWN, _Trials.WITHDRAWN)
        else None,
        events=tuple(moved),
        pending=tuple(pending),
    )
    return answer, known, frozenset(worlds)


def _designations(events: list[RegulatoryEvent], day: dt.date) -> tuple[DesignationInEffect, ...]:
    granted: dict[tuple[object, ...], RegulatoryEvent] = {}
    for event in sorted(events, key=_chronological):
        if event.designation is None or happened_by(event, day) is not True:
            continue
        key = (event.agency, event.designation, event.scope, event.indication)
        if event.kind is EventKind.DESIGNATION_GRANTED:
            granted.setdefault(key, event)
        elif event.kind is EventKind.DESIGNATION_REVOKED:
            granted.pop(key, None)
    return tuple(
        unchecked(
            DesignationInEffect,
            agency=e.agency,
            designation=e.designation,
            granted=e.date,
            scope=e.scope,
            indication=e.indication,
            event=e,
        )
        for e in granted.values()
    )


def _unique(values: Iterable[object]) -> object:
    found = set(values)
    return found.pop() if len(found) == 1 else None


def state_as_of(
    asset: Asset,
    jurisdiction: str,
    as_of: dt.date | PartialDate | str,
    *,
    scope: str | None = None,
    indication: str | None = None,
    known_on: dt.date | PartialDate | str | None = None,
) -> StateAnswer:
    """The regulatory state of *asset* in *jurisdiction* at the end of day *as_of* (as known on *known_on*).

    Only clinical-trial and marketing events of that jurisdiction's agencies
    make the state (designations are reported beside it); for a member state
    of the EU, the EU agencies' (EMA, European Commission) count too. Events are grouped
    by application (``event.application``; events naming none form one unnamed
    application per track and indication) and each application runs its own
    machine: submitted or accepted -> pending; cleared -> may run trials (a
    clearance does not lift a hold; ``hold_lifted`` does); marketing submitted
    or accepted -> pending; approved or converted -> approved, which stands
    until withdrawn. The applications combine by the one rule of
    `RegulatoryState`.

    Each event is judged by `happened_by`, bounded by `earliest_possible`:
    known events are applied in date order; events whose date straddles the day
    are each applied or not, and every resulting state is ``possible``; events
    after the day, and plans, are ignored. An announced event ("on or before
    X") with nothing on record before it is uncertain before X.

    *known_on* (knowledge time) keeps only facts whose public date
    (`RegulatoryEvent.public_on`) ends on or before it: the answer an analyst
    could have given that day. A fact with no public date does not count, and
    is counted in ``unpublished``.

    *scope* narrows the question to events with that scope (case-insensitive)
    plus events that name none; *indication* to events for that disease (the
    event's indication, else its application's; matched by
    `Indication.matches`: a synonym or identifier of the record's indication
    counts) plus events that name none. An indication nowhere on record gives
    an answer that is not certain and says so.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> for day in ("2025-02-15", "2025-03-15", "2025-04-01"):
    ...     print(biopipe.state_as_of(js212, "CN", day))
    JS212 in CN as of 2025-02-15: ind pending
    JS212 in CN as of 2025-03-15: uncertain (ind pending or may run trials)
    JS212 in CN as of 2025-04-01: may run trials
    >>> print(biopipe.state_as_of(js212, "US", "2025-11-30"))
    JS212 in US as of 2025-11-30: uncertain (nothing on record or may run trials)
    >>> print(biopipe.state_as_of(js212, "US", "2025-11-30", known_on="2025-11-30"))
    JS212 in US as of 2025-11-30 (known on 2025-11-30): nothing on record
    >>> [str(e.date) for e in biopipe.state_as_of(js212, "US", "2025-12-15").events]
    ['on or before 2025-12-14']
    >>> odd = biopipe.state_as_of(js212, "US", "2025-12-15", indication="NSCLC")
    >>> odd.certain, odd.indication_on_record, odd.state.code
    (False, False, 'nothing_on_record')
    >>> str(odd).split(": ", 1)[1]
    "indication 'NSCLC' is not on record for JS212; events naming none give nothing on record"
    """
    day = as_day(as_of)
    known_day = as_known_on(known_on)
    place = as_jurisdiction(jurisdiction)
    # An EU member state also sees the EU agencies' events: an EU authorisation covers it.
    local = [e for e in asset.events if covers(e.agency.jurisdiction, place)]
    record = [e for e in local if public_by(e.public_on, known_day)]
    unpublished = 0 if known_day is None else sum(e.public_on is None for e in local)
    wanted = None if indication is None else indication_key(asset, indication)
    on_record = True
    suggestions: tuple[str, ...] = ()
    if indication is not None and wanted is not None:
        names = _on_record(asset, asset.events if known_day is None else record, known_day)
        on_record = same_indication(asset, names, wanted)
        if not on_record:
            suggestions = _suggest(indication, names)

    def applies(e: RegulatoryEvent) -> bool:
        if not _scope_applies(e, scope):
            return False
        named = _indications_of(asset, e)
        return wanted is None or not named or same_indication(asset, named, wanted)

    narrowed = [e for e in record if applies(e)]
    groups: dict[tuple[object, ...], _Group] = {}
    for event in narrowed:
        if event.kind in _TRACKED:
            key = _group_key(asset, event)
            groups.setdefault(key, _Group(key, event.kind.application)).events.append(event)

    t, m = _Trials.NONE, _Marketing.NONE
    pairs: set[tuple[_Trials, _Marketing]] = {(t, m)}
    runs: list[tuple[ApplicationState, _Track]] = []
    for group in groups.values():
        answer, known, worlds = _run(asset, group, day, record)
        if isinstance(known, _Trials):
            t = max(t, known, key=lambda x: x.value)
            pairs = {(max(a, w, key=lambda x: x.value), b) for a, b in pairs for w in worlds if isinstance(w, _Trials)}
        else:
            m = max(m, known, key=lambda x: x.value)
            pairs = {
                (a, max(b, w, key=lambda x: x.value)) for a, b in pairs for w in worlds if isinstance(w, _Marketing)
            }
        if answer.events or answer.pending:
            runs.append((answer, known))
    state = _state(t, m)
    winner: _Track = m if m is not _Marketing.NONE else t
    justifying = [a for a, known in runs if known is winner and known not in (_Trials.NONE, _Marketing.NONE)]
    events = sorted({id(e): e for a in justifying for e in a.events}.values(), key=_chronological)
    possible = sorted({_state(a, b) for a, b in pairs}, key=_STATE_RANK.__getitem__)
    pending = [e for a, _ in runs for e in a.pending]
    designations = [e for e in narrowed if e.kind.application is ApplicationKind.DESIGNATION]
    return unchecked(
        StateAnswer,
        asset=asset.code,
        jurisdiction=place,
        as_of=day,
        state=state,
        possible=tuple(possible),
        events=tuple(events),
        pending=tuple(sorted(pending, key=_chronological)),
        trials=_FROM_TRIALS[t],
        review=_unique(a.review for a in justifying),
        pathway=_unique(a.pathway for a in justifying),
        by=_unique(a.by for a in justifying),
        applications=tuple(a for a, _ in runs),
        designations=_designations(designations, day),
        indication=indication,
        indication_on_record=on_record,
        suggestions=suggestions,
        known_on=known_day,
        unpublished=unpublished,
    )
