"""Regulatory state of an asset in a jurisdiction as of a day, honest about uncertain dates."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, ClassVar

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model import _validate as v
from ..model._asset import Asset, RegulatoryEvent
from ..model._geography import as_jurisdiction
from ..model._vocab import ApplicationKind, DateBasis, EventKind, Vocabulary
from ._arguments import as_day, unchecked

if TYPE_CHECKING:
    from ..model._dates import PartialDate

__all__ = ["RegulatoryState", "StateAnswer", "happened_by", "state_as_of"]


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
    - ``approved``: marketing approved.
    - ``withdrawn``: the IND, or the marketing approval, was withdrawn.

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
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class _Trials(enum.Enum):
    NONE = 0
    PENDING = 1
    REJECTED = 2
    CLEARED = 3
    HOLD = 4
    WITHDRAWN = 5


class _Marketing(enum.Enum):
    NONE = 0
    PENDING = 1
    COMPLETE_RESPONSE = 2
    REFUSED = 3
    APPLICATION_WITHDRAWN = 4
    APPROVED = 5
    APPROVAL_WITHDRAWN = 6


_World = tuple[_Trials, _Marketing]
_OPEN = (_Trials.NONE, _Trials.REJECTED, _Trials.WITHDRAWN)


def _step(world: _World, kind: EventKind) -> _World:
    """The two-track state machine: clinical-trial application and marketing application."""
    t, m = world
    if kind in (EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED):
        return (_Trials.PENDING if t in _OPEN else t), m
    if kind is EventKind.IND_CLEARED:
        # A clearance (of this or another protocol) does not lift a hold; only hold_lifted does.
        return (_Trials.CLEARED if t in (*_OPEN, _Trials.PENDING) else t), m
    if kind is EventKind.IND_REJECTED:
        return (_Trials.REJECTED if t in (_Trials.NONE, _Trials.PENDING) else t), m
    if kind is EventKind.CLINICAL_HOLD:
        return _Trials.HOLD, m
    if kind is EventKind.HOLD_LIFTED:
        return (_Trials.CLEARED if t is _Trials.HOLD else t), m
    if kind is EventKind.IND_WITHDRAWN:
        return _Trials.WITHDRAWN, m
    if kind is EventKind.MARKETING_APPROVED:
        return t, _Marketing.APPROVED
    if kind is EventKind.APPROVAL_WITHDRAWN:
        return t, _Marketing.APPROVAL_WITHDRAWN
    if m is _Marketing.APPROVED:
        return world  # an approval stands until withdrawn, whatever else is filed
    return t, _MARKETING_STEP.get(kind, m)


_MARKETING_STEP = {
    EventKind.MARKETING_SUBMITTED: _Marketing.PENDING,
    EventKind.MARKETING_ACCEPTED: _Marketing.PENDING,
    EventKind.COMPLETE_RESPONSE: _Marketing.COMPLETE_RESPONSE,
    EventKind.MARKETING_REFUSED: _Marketing.REFUSED,
    EventKind.MARKETING_WITHDRAWN: _Marketing.APPLICATION_WITHDRAWN,
}


_FROM_MARKETING = {
    _Marketing.PENDING: RegulatoryState.MARKETING_PENDING,
    _Marketing.COMPLETE_RESPONSE: RegulatoryState.COMPLETE_RESPONSE,
    _Marketing.REFUSED: RegulatoryState.MARKETING_REFUSED,
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


def _state(world: _World) -> RegulatoryState:
    t, m = world
    if m in _FROM_MARKETING:
        return _FROM_MARKETING[m]
    if m is _Marketing.APPLICATION_WITHDRAWN and t is _Trials.NONE:
        return RegulatoryState.WITHDRAWN
    return _FROM_TRIALS[t]


def happened_by(event: RegulatoryEvent, day: dt.date) -> bool | None:
    """Whether *event* had happened by the end of *day*: True, False, or None when unknown.

    The written date's days decide: True when its last day is on or before
    *day*, False when its first day is after *day*, None when it straddles
    *day*. An announced date ("on or before X") enters the record on X, so it
    is judged by X's own days: the record does not show it before then.
    A plan (estimated date) never counts as happened: False.

    >>> import datetime, biopipe
    >>> accepted, cleared, *_ = biopipe.example("js212").events
    >>> happened_by(cleared, datetime.date(2025, 3, 15)), happened_by(accepted, datetime.date(2025, 3, 15))
    (None, True)
    """
    if event.date.basis is DateBasis.ESTIMATED:
        return False
    written = event.date.date
    if written.latest <= day:
        return True
    if written.earliest > day:
        return False
    return None


def _chronological(event: RegulatoryEvent) -> tuple[dt.date, dt.date, int]:
    return event.date.date.earliest, event.date.date.latest, _KIND_ORDER[event.kind]


_KIND_ORDER = {k: i for i, k in enumerate(EventKind)}
_TRACKED = frozenset(k for k in EventKind if k.application is not ApplicationKind.DESIGNATION)
_STATE_RANK = {s: i for i, s in enumerate(RegulatoryState)}


@attrs.frozen(kw_only=True)
class StateAnswer(Result):
    """The answer to "what was the asset's regulatory state in J as of D?".

    ``state`` is the state the events known to have happened by D give.
    ``possible`` lists every state the record allows, in `RegulatoryState`
    order: more than one when some event's date straddles D (``pending``). The
    answer is `certain` when only one state is possible. ``events`` are the
    known events that moved the state, oldest first.

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

    @property
    def certain(self) -> bool:
        """Whether the record allows exactly one state."""
        return len(self.possible) == 1

    def __str__(self) -> str:
        head = f"{self.asset} in {self.jurisdiction} as of {self.as_of.isoformat()}: "
        if self.certain:
            return head + self.state.label
        return head + "uncertain (" + " or ".join(s.label for s in self.possible) + ")"

    def _text(self) -> str:
        return display_text(str(self))

    def _markdown(self) -> str:
        possible = " or ".join(s.label for s in self.possible)
        events = "; ".join(f"{e.agency.abbreviation} {e.kind.label} {e.date}" for e in self.events) or "-"
        return "\n".join(
            [
                "| Asset | Where | As of | State | Events |",
                "| --- | --- | --- | --- | --- |",
                f"| {markdown_cell(self.asset)} | {self.jurisdiction} | {self.as_of.isoformat()} "
                f"| {markdown_cell(possible)} | {markdown_cell(events)} |",
            ]
        )


def _applies(event: RegulatoryEvent, scope: str | None, indication: str | None) -> bool:
    if scope is not None and event.scope is not None and event.scope.casefold() != scope.casefold():
        return False
    return not (
        indication is not None and event.indication is not None and event.indication.casefold() != indication.casefold()
    )


def state_as_of(
    asset: Asset,
    jurisdiction: str,
    as_of: dt.date | PartialDate | str,
    *,
    scope: str | None = None,
    indication: str | None = None,
) -> StateAnswer:
    """The regulatory state of *asset* in *jurisdiction* at the end of day *as_of*.

    Only clinical-trial and marketing events of that jurisdiction's agencies
    count (designations are not a state). Each event is judged by `happened_by`:
    known events are applied in date order; events whose date straddles the
    day are each applied or not, and every resulting state is ``possible``;
    events after the day, and plans, are ignored. The machine: submitted or
    accepted -> ``ind_pending``; cleared -> ``may_run_trials`` (a clearance does
    not lift a hold; ``hold_lifted`` does); a marketing application outranks the
    trial track, and an approval stands until withdrawn.

    *scope* / *indication* narrow the question to events with that scope or
    indication (case-insensitive) plus events that name none.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> for day in ("2025-02-15", "2025-03-15", "2025-04-01"):
    ...     print(biopipe.state_as_of(js212, "CN", day))
    JS212 in CN as of 2025-02-15: ind pending
    JS212 in CN as of 2025-03-15: uncertain (ind pending or may run trials)
    JS212 in CN as of 2025-04-01: may run trials
    >>> us = biopipe.state_as_of(js212, "US", "2025-11-30")
    >>> us.state.code, us.certain
    ('nothing_on_record', True)
    >>> [str(e.date) for e in biopipe.state_as_of(js212, "US", "2025-12-15").events]
    ['on or before 2025-12-14']
    """
    day = as_day(as_of)
    place = as_jurisdiction(jurisdiction)
    narrow = scope is not None or indication is not None
    relevant = sorted(
        (
            e
            for e in asset.events
            if e.kind in _TRACKED and e.agency.jurisdiction == place and (not narrow or _applies(e, scope, indication))
        ),
        key=_chronological,
    )
    known: _World = (_Trials.NONE, _Marketing.NONE)
    moved: list[RegulatoryEvent] = []
    worlds: set[_World] = {known}
    pending: list[RegulatoryEvent] = []
    for event in relevant:
        status = happened_by(event, day)
        if status is False:
            continue
        if status is True:
            after = _step(known, event.kind)
            if after != known:
                moved.append(event)
            known = after
            worlds = {_step(w, event.kind) for w in worlds}
        else:
            # A straddling event may or may not have happened: keep both branches (at most 42 worlds).
            pending.append(event)
            worlds |= {_step(w, event.kind) for w in worlds}
    possible = sorted({_state(w) for w in worlds}, key=_STATE_RANK.__getitem__)
    return unchecked(
        StateAnswer,
        asset=asset.code,
        jurisdiction=place,
        as_of=day,
        state=_state(known),
        possible=tuple(possible),
        events=tuple(moved),
        pending=tuple(pending),
    )
