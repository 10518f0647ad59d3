"""Consistency checks of a record: rules that report findings, each with a code, severity and path.

Every rule is data (a `CheckRule` in `CHECK_RULES`), so callers choose which to run.
Dates are compared honestly: a fact known to a month or only "on or before" a day
may or may not precede another, and such a maybe is reported more softly than a
certainty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model._application import Pathway
from ..model._asset import Asset, Portfolio, RegulatoryEvent
from ..model._errors import UnknownCode
from ..model._geography import EU_MEMBERS, covers
from ..model._order import KeyOrdered
from ..model._parties import Party, PartyRole, Territory
from ..model._trial import TRIAL_DATES
from ..model._vocab import Agency, DateBasis, Designation, EventKind, TrialStatus, Vocabulary
from ..query._arguments import as_assets, as_day

if TYPE_CHECKING:
    from ..model._dates import FactDate, PartialDate
    from ..model._trial import Trial

__all__ = ["CHECK_RULES", "CheckRule", "Finding", "Findings", "Severity", "check"]


class Severity(KeyOrdered, Vocabulary):
    """How serious a `Finding` is, ordered ``info < warning < error``.

    >>> from biopipe.review import Severity
    >>> Severity.INFO < Severity.WARNING < Severity.ERROR
    True
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def _order_key(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@attrs.frozen(kw_only=True)
class Finding:
    """One thing a check found: rule code, severity, message and the path of the fact concerned.

    ``path`` is relative to the document root, as in `Problem`
    (``assets[0].trials[1]``); a lone `Asset` is ``assets[0]``.

    >>> from biopipe.review import Finding, Severity
    >>> f = Finding(code="duplicate-event", severity=Severity.WARNING,
    ...             message="same fact as events[0]", path="assets[0].events[1]")
    >>> str(f)
    'warning assets[0].events[1]: same fact as events[0] [duplicate-event]'
    """

    code: str
    severity: Severity
    message: str
    path: str

    def __str__(self) -> str:
        return f"{self.severity.code} {self.path}: {self.message} [{self.code}]"


_RuleFn = Callable[[Asset, "dt.date | None"], Iterable[Finding]]


@attrs.frozen(kw_only=True)
class CheckRule:
    """A named consistency rule: its code, the most severe finding it reports, and what it checks.

    ``run(asset, as_of)`` yields the rule's findings with paths relative to
    the asset (``events[2]``); `check` prefixes them with ``assets[i].``.
    Write your own rule the same way and pass it to `check`.

    >>> from biopipe.review import CHECK_RULES
    >>> rule = CHECK_RULES[0]
    >>> rule.code, rule.severity.code
    ('trial-without-clearance', 'error')

    >>> import biopipe
    >>> from biopipe.review import CheckRule, Finding, Severity
    >>> def no_sources(asset, as_of):
    ...     if not asset.sources:
    ...         yield Finding(code="no-sources", severity=Severity.WARNING, message="no sources", path="sources")
    >>> mine = CheckRule(code="no-sources", severity=Severity.WARNING, summary="An asset cites sources.",
    ...                  run=no_sources)
    >>> bare = biopipe.Asset(code="X1", sponsor="Acme", modality=biopipe.Modality.PEPTIDE)
    >>> [str(f) for f in biopipe.review.check(bare, rules=[mine])]
    ['warning assets[0].sources: no sources [no-sources]']
    """

    code: str
    severity: Severity
    summary: str
    run: _RuleFn = attrs.field(repr=False, eq=False)


# -- date helpers: intervals with open ends ------------------------------------------------------


def _lo(fd: FactDate | None) -> dt.date:
    """First day a dated fact may have happened (unbounded below: date.min)."""
    if fd is None or fd.earliest is None:
        return dt.date.min
    return fd.earliest


def _hi(fd: FactDate | None) -> dt.date:
    """Last day a dated fact may have happened (unknown date: date.max)."""
    return dt.date.max if fd is None else fd.latest


def _certainly_before(a: FactDate, b: FactDate) -> bool:
    """Whether *a* happened strictly before *b* whatever their precision."""
    return _hi(a) < _lo(b)


def _is_observed(event: RegulatoryEvent) -> bool:
    return event.date.basis is not DateBasis.ESTIMATED


def _scopes_compatible(a: RegulatoryEvent, b: RegulatoryEvent) -> bool:
    # An event with no scope concerns the whole application, so it pairs with any scope.
    return a.scope is None or b.scope is None or a.scope == b.scope


# -- rules ----------------------------------------------------------------------------------------

_RUNNING = frozenset(
    {
        TrialStatus.RECRUITING,
        TrialStatus.ENROLLING_BY_INVITATION,
        TrialStatus.ACTIVE_NOT_RECRUITING,
        TrialStatus.COMPLETED,
    }
)
_CLEARANCES = frozenset({EventKind.IND_CLEARED, EventKind.MARKETING_APPROVED})
#: Designations an agency grants only to a product under an active IND or clinical-trial application.
_TRIAL_DESIGNATIONS: dict[Agency, frozenset[Designation]] = {
    Agency.FDA: frozenset({Designation.BREAKTHROUGH_THERAPY, Designation.FAST_TRACK, Designation.RMAT}),
    Agency.NMPA: frozenset({Designation.BREAKTHROUGH_THERAPY}),
}
#: Events that need an application in effect before them: a hold is placed on an active IND, and a
#: marketing application rests on trials already run under one.
_IMPLYING = frozenset(
    {
        EventKind.CLINICAL_HOLD,
        EventKind.HOLD_LIFTED,
        EventKind.MARKETING_SUBMITTED,
        EventKind.MARKETING_ACCEPTED,
        EventKind.REVIEW_EXTENDED,
        EventKind.COMPLETE_RESPONSE,
        EventKind.MARKETING_REFUSED,
        EventKind.APPROVAL_CONVERTED,
    }
)
#: What the rule assumes of a trial whose registry status is unknown (not verified for two years).
_UNKNOWN_STATUS = "status unknown (assumed to have run)"


def _implies_clearance(event: RegulatoryEvent) -> bool:
    """Whether *event* implies an IND/CTA in effect in its jurisdiction on or before its date."""
    if event.kind is EventKind.DESIGNATION_GRANTED:
        return event.designation in _TRIAL_DESIGNATIONS.get(event.agency, frozenset())
    return event.kind in _IMPLYING


@attrs.frozen
class _Evidence:
    """A fact showing an application in effect in a jurisdiction: its earliest and latest possible day."""

    lo: dt.date
    hi: dt.date
    text: str
    implied: bool = False


def _clearance_evidence(asset: Asset, country: str) -> list[_Evidence]:
    evidence = []
    for e in asset.events:
        if not _is_observed(e) or not covers(e.jurisdiction, country):
            continue
        if e.kind in _CLEARANCES:
            evidence.append(_Evidence(_lo(e.date), _hi(e.date), str(e.date)))
        elif _implies_clearance(e):
            what = e.kind.label if e.designation is None else e.designation.code.replace("_", " ")
            # It shows an application in effect by its date, cleared on a day not known: unbounded below.
            text = f"{e.agency.abbreviation} {what} {e.date} implies one"
            evidence.append(_Evidence(dt.date.min, _hi(e.date), text, implied=True))
    return evidence


def _trial_without_clearance(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    code = "trial-without-clearance"
    for i, trial in enumerate(asset.trials):
        unknown = trial.status is TrialStatus.UNKNOWN
        if trial.status not in _RUNNING and not unknown:
            continue
        path = f"trials[{i}]"
        status = _UNKNOWN_STATUS if unknown else trial.status.code
        for country in trial.countries:
            evidence = _clearance_evidence(asset, country)
            start = trial.start
            when = f"its start ({start if start is not None else 'date unknown'})"
            if any(c.hi <= _lo(start) for c in evidence):
                continue
            if not any(c.lo <= _hi(start) for c in evidence):
                yield Finding(
                    code=code,
                    severity=Severity.WARNING if unknown else Severity.ERROR,
                    message=f"{status} in {country} with no clearance there dated on or before {when}",
                    path=path,
                )
                continue
            # A clearance exists that may precede the start; only the dates' precision leaves doubt.
            bounded = start is not None and start.earliest is not None
            candidates = [c for c in evidence if c.lo <= _hi(start)]
            implied_only = all(c.implied for c in candidates)
            dates = ", ".join(c.text for c in candidates)
            yield Finding(
                code=code,
                severity=Severity.WARNING if bounded and not implied_only and not unknown else Severity.INFO,
                message=f"{status} in {country}: cannot confirm that a clearance there ({dates}) precedes {when}",
                path=path,
            )


_SUBMISSION_OF = {
    EventKind.IND_ACCEPTED: EventKind.IND_SUBMITTED,
    EventKind.MARKETING_ACCEPTED: EventKind.MARKETING_SUBMITTED,
}


def _acceptance_before_submission(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    events = asset.events
    for i, acc in enumerate(events):
        submitted_kind = _SUBMISSION_OF.get(acc.kind)
        if submitted_kind is None or not _is_observed(acc):
            continue
        submissions = [
            (j, e)
            for j, e in enumerate(events)
            if e.kind is submitted_kind and e.agency is acc.agency and _scopes_compatible(e, acc) and _is_observed(e)
        ]
        if submissions and all(_certainly_before(acc.date, s.date) for _, s in submissions):
            first = min(submissions, key=lambda js: _lo(js[1].date))
            yield Finding(
                code="acceptance-before-submission",
                severity=Severity.ERROR,
                message=(
                    f"{acc.agency.abbreviation} {acc.kind.label} {acc.date} is before the submission "
                    f"{first[1].date} (events[{first[0]}])"
                ),
                path=f"events[{i}].date",
            )


_FILINGS = {
    EventKind.IND_CLEARED: (EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED),
    EventKind.IND_REJECTED: (EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED),
    EventKind.MARKETING_APPROVED: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
    EventKind.COMPLETE_RESPONSE: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
    EventKind.MARKETING_REFUSED: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
}


def _decision_without_filing(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    events = asset.events
    for i, decision in enumerate(events):
        if not decision.kind.is_decision or not _is_observed(decision):
            continue
        filings = [
            e
            for e in events
            if e.kind in _FILINGS[decision.kind] and e.agency is decision.agency and _scopes_compatible(e, decision)
        ]
        what = f"{decision.agency.abbreviation} {decision.kind.label} {decision.date}"
        if not filings:
            # Releases often announce only the decision, so a missing filing is worth a note, no more.
            yield Finding(
                code="decision-without-filing",
                severity=Severity.INFO,
                message=f"{what}: no submission or acceptance of the application on record",
                path=f"events[{i}]",
            )
        elif all(_certainly_before(decision.date, f.date) for f in filings):
            if decision.application is not None and any(f.application == decision.application for f in filings):
                continue  # its own application's filings: application-out-of-order reports it
            yield Finding(
                code="decision-without-filing",
                severity=Severity.WARNING,
                message=f"{what} is before every submission or acceptance of the application on record",
                path=f"events[{i}]",
            )


_ENROLLING = frozenset({TrialStatus.RECRUITING, TrialStatus.ENROLLING_BY_INVITATION})


def _hold_names(trial: Trial) -> set[str]:
    names = {trial.title, *(str(i) for i in trial.ids)}
    names.update(n for n in (trial.official_title, trial.acronym) if n is not None)
    return names


def _recruiting_on_hold(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    events = asset.events
    for h, hold in enumerate(events):
        if hold.kind is not EventKind.CLINICAL_HOLD or not _is_observed(hold):
            continue
        lifted = any(
            e.kind is EventKind.HOLD_LIFTED
            and e.agency is hold.agency
            and _scopes_compatible(e, hold)
            and not _certainly_before(e.date, hold.date)
            for e in events
        )
        if lifted:
            continue
        for i, trial in enumerate(asset.trials):
            if trial.status not in _ENROLLING:
                continue
            if hold.scope is not None and hold.scope not in _hold_names(trial):
                continue
            countries = [c for c in trial.countries if covers(hold.jurisdiction, c)]
            if countries:
                yield Finding(
                    code="recruiting-on-hold",
                    severity=Severity.ERROR,
                    message=(
                        f"{trial.status.code} in {', '.join(countries)} while the {hold.agency.abbreviation} "
                        f"clinical hold of {hold.date} (events[{h}]) is not lifted"
                    ),
                    path=f"trials[{i}]",
                )


def _event_identity(e: RegulatoryEvent) -> tuple[object, ...]:
    return (e.agency, e.kind, e.designation, e.scope, e.indication, e.reference, e.date)


def _duplicate_event(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    seen: dict[tuple[object, ...], int] = {}
    for i, event in enumerate(asset.events):
        key = _event_identity(event)
        if key in seen:
            yield Finding(
                code="duplicate-event",
                severity=Severity.WARNING,
                message=(
                    f"{event.agency.abbreviation} {event.kind.label} {event.date} repeats events[{seen[key]}] "
                    "(same agency, kind, designation, scope, indication, reference and date)"
                ),
                path=f"events[{i}]",
            )
        else:
            seen[key] = i


def _dated_facts(asset: Asset) -> Iterator[tuple[str, FactDate]]:
    for i, event in enumerate(asset.events):
        yield f"events[{i}].date", event.date
    for i, trial in enumerate(asset.trials):
        for name in TRIAL_DATES:
            fd: FactDate | None = getattr(trial, name)
            if fd is not None:
                yield f"trials[{i}].{name}", fd
    for i, deal in enumerate(asset.deals):
        yield f"deals[{i}].date", deal.date


def _future_date(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    if as_of is None:
        return
    for path, fd in _dated_facts(asset):
        if fd.basis is DateBasis.ACTUAL and fd.date.earliest > as_of:
            yield Finding(
                code="future-date",
                severity=Severity.ERROR,
                message=f"actual date {fd} is after {as_of.isoformat()}",
                path=path,
            )
        elif fd.basis is DateBasis.ANNOUNCED and fd.date.earliest > as_of:
            yield Finding(
                code="future-date",
                severity=Severity.WARNING,
                message=f"announced date {fd} is after {as_of.isoformat()}",
                path=path,
            )


# -- applications, parties and deals ------------------------------------------------------------------

#: For each lifecycle step of an application, the steps that must come before it (any one of them).
_NEEDS: dict[EventKind, tuple[EventKind, ...]] = {
    EventKind.IND_CLEARED: (EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED),
    EventKind.IND_REJECTED: (EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED),
    EventKind.MARKETING_APPROVED: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
    EventKind.COMPLETE_RESPONSE: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
    EventKind.MARKETING_REFUSED: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
    EventKind.REVIEW_EXTENDED: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
    EventKind.MARKETING_WITHDRAWN: (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED),
    EventKind.APPROVAL_CONVERTED: (EventKind.MARKETING_APPROVED,),
    EventKind.APPROVAL_WITHDRAWN: (EventKind.MARKETING_APPROVED,),
}


def _application_name(asset: Asset, event: RegulatoryEvent) -> str:
    return f"application {event.application!r}" if event.application is not None else "the application"


def _application_out_of_order(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    events = asset.events
    for i, event in enumerate(events):
        if not _is_observed(event):
            continue
        what = f"{event.agency.abbreviation} {event.kind.label} {event.date}"
        if event.goal_date is not None and event.goal_date.latest < _lo(event.date):
            yield Finding(
                code="application-out-of-order",
                severity=Severity.ERROR,
                message=f"{what} sets a goal date {event.goal_date} before the event itself",
                path=f"events[{i}].goal_date",
            )
        needed = _NEEDS.get(event.kind)
        if needed is None or event.application is None:
            continue  # events naming no application: see decision-without-filing
        earlier = [
            (j, e)
            for j, e in enumerate(events)
            if e.application == event.application and e.kind in needed and _is_observed(e)
        ]
        if earlier and all(_certainly_before(event.date, e.date) for _, e in earlier):
            j, first = min(earlier, key=lambda je: _lo(je[1].date))
            yield Finding(
                code="application-out-of-order",
                severity=Severity.ERROR,
                message=(
                    f"{what} is before the {first.kind.label} {first.date} (events[{j}]) of "
                    f"{_application_name(asset, event)}"
                ),
                path=f"events[{i}].date",
            )
    for i, event in enumerate(events):
        if event.goal_date is None or event.application is None or not _is_observed(event):
            continue
        submissions = [
            (j, e)
            for j, e in enumerate(events)
            if e.application == event.application and e.kind is EventKind.MARKETING_SUBMITTED and _is_observed(e)
        ]
        if submissions and all(event.goal_date.latest < _lo(e.date) for _, e in submissions):
            j, first = submissions[0]
            yield Finding(
                code="application-out-of-order",
                severity=Severity.ERROR,
                message=(
                    f"goal date {event.goal_date} is before the submission {first.date} (events[{j}]) of "
                    f"{_application_name(asset, event)}"
                ),
                path=f"events[{i}].goal_date",
            )


def _conversion_without_accelerated_approval(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    events = asset.events
    for i, conversion in enumerate(events):
        if conversion.kind is not EventKind.APPROVAL_CONVERTED:
            continue
        if conversion.application is not None:
            approvals = [
                e for e in events if e.kind is EventKind.MARKETING_APPROVED and e.application == conversion.application
            ]
        else:
            approvals = [
                e
                for e in events
                if e.kind is EventKind.MARKETING_APPROVED
                and e.agency is conversion.agency
                and _scopes_compatible(e, conversion)
            ]
        what = f"{conversion.agency.abbreviation} approval converted {conversion.date}"
        of = _application_name(asset, conversion)
        if not approvals:
            yield Finding(
                code="conversion-without-accelerated-approval",
                severity=Severity.WARNING,
                message=f"{what}: no approval of {of} on record to convert",
                path=f"events[{i}]",
            )
        elif all(a.pathway is Pathway.TRADITIONAL for a in approvals):
            yield Finding(
                code="conversion-without-accelerated-approval",
                severity=Severity.ERROR,
                message=(
                    f"{what}: every approval of {of} on record is traditional; only an accelerated or "
                    "conditional approval converts"
                ),
                path=f"events[{i}]",
            )


#: Steps that belong to one marketing application: naming none is ambiguous when there are several.
_ONE_APPLICATION = frozenset(
    {
        EventKind.MARKETING_APPROVED,
        EventKind.COMPLETE_RESPONSE,
        EventKind.MARKETING_REFUSED,
        EventKind.MARKETING_WITHDRAWN,
        EventKind.APPROVAL_WITHDRAWN,
        EventKind.REVIEW_EXTENDED,
        EventKind.APPROVAL_CONVERTED,
    }
)


def _ambiguous_application(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    for i, event in enumerate(asset.events):
        if event.kind not in _ONE_APPLICATION or event.application is not None:
            continue
        candidates = [a.id for a in asset.applications if a.kind.is_marketing and a.jurisdiction == event.jurisdiction]
        if len(candidates) > 1:
            yield Finding(
                code="ambiguous-application",
                severity=Severity.WARNING,
                message=(
                    f"{event.agency.abbreviation} {event.kind.label} {event.date} names no application, and "
                    f"{event.jurisdiction} has {len(candidates)} marketing applications on record "
                    f"({', '.join(repr(c) for c in candidates)})"
                ),
                path=f"events[{i}].application",
            )


def _territories_overlap(a: Territory, b: Territory) -> bool:
    if a.worldwide and b.worldwide:
        return True
    listed, other = (b, a) if a.worldwide else (a, b)
    for code in listed.countries:
        places = EU_MEMBERS if code == "EU" else (code,)
        if any(other.covers(place) for place in places):
            return True
    return False


def _periods_overlap(a: Party, b: Party) -> bool:
    """Whether two parties' periods [start, end) overlap: not when partial dates let one end as the other starts."""
    for first, second in ((a, b), (b, a)):
        if first.end is not None and second.start is not None and first.end.earliest <= second.start.latest:
            return False
    return True


def _territory_overlap(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    parties = asset.parties
    for i, licensee in enumerate(parties):
        if licensee.role is not PartyRole.LICENSEE:
            continue
        for j, other in enumerate(parties):
            if j == i or other.name.casefold() == licensee.name.casefold():
                continue
            if other.role not in (PartyRole.LICENSEE, PartyRole.ORIGINATOR) or (
                other.role is PartyRole.LICENSEE and j < i
            ):
                continue
            if not (_territories_overlap(licensee.territory, other.territory) and _periods_overlap(licensee, other)):
                continue
            two_licensees = other.role is PartyRole.LICENSEE
            yield Finding(
                code="territory-overlap",
                severity=Severity.WARNING if two_licensees else Severity.INFO,
                message=(
                    f"{other.role.label} {other.name!r} ({other.territory}) holds rights where licensee "
                    f"{licensee.name!r} ({licensee.territory}) does, in the same period"
                    + (
                        ": two licences of one territory are unusual unless neither is exclusive"
                        if two_licensees
                        else ": end the originator's rights there at the licence, or narrow its territory, "
                        "unless the licence is not exclusive"
                    )
                ),
                path=f"parties[{j}]",
            )


def _deal_party_not_on_record(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    known = {p.name.casefold() for p in asset.parties} | {asset.sponsor.casefold()}
    for i, deal in enumerate(asset.deals):
        for k, name in enumerate(deal.parties):
            if name.casefold() not in known:
                yield Finding(
                    code="deal-party-not-on-record",
                    severity=Severity.INFO,
                    message=(
                        f"{deal.kind.label} of {deal.date} names {name!r}, which is neither the sponsor nor "
                        "among the asset's parties"
                    ),
                    path=f"deals[{i}].parties[{k}]",
                )


#: The rules `check` runs by default, in the order it reports them.
CHECK_RULES: tuple[CheckRule, ...] = (
    CheckRule(
        code="trial-without-clearance",
        severity=Severity.ERROR,
        summary=(
            "A trial recruiting, active or completed in a country needs an IND/CTA clearance or a marketing "
            "approval in that country's jurisdiction (EU-level decisions cover member states) dated on or "
            "before its start: error when there is none, warning when partial dates leave it uncertain, "
            "info when the start is unknown or only 'on or before'. Facts that imply an application in "
            "effect count as a clearance on or before their date: an FDA breakthrough therapy, fast track or "
            "RMAT designation or an NMPA breakthrough therapy designation, a clinical hold or its lifting, and "
            "a marketing application's filing or review (it rests on trials already run); a trial that only "
            "such a fact may precede is info. A trial of unknown status is assumed to have run (its message "
            "says so) and reported at most as a warning."
        ),
        run=_trial_without_clearance,
    ),
    CheckRule(
        code="acceptance-before-submission",
        severity=Severity.ERROR,
        summary=(
            "An acceptance (IND or marketing) dated certainly before every submission of the same agency and "
            "application (scope) is an error."
        ),
        run=_acceptance_before_submission,
    ),
    CheckRule(
        code="decision-without-filing",
        severity=Severity.WARNING,
        summary=(
            "A decision (cleared, rejected, approved, complete response, refused) on an application with no "
            "submission or acceptance on record is info (releases often skip filings); warning when every "
            "filing on record is dated after the decision (application-out-of-order reports a decision "
            "before its own application's filings)."
        ),
        run=_decision_without_filing,
    ),
    CheckRule(
        code="recruiting-on-hold",
        severity=Severity.ERROR,
        summary=(
            "A trial recruiting in a jurisdiction under a clinical hold that no later 'hold lifted' event "
            "ends is an error (a hold with a scope concerns only the trial it names)."
        ),
        run=_recruiting_on_hold,
    ),
    CheckRule(
        code="duplicate-event",
        severity=Severity.WARNING,
        summary="Two events with the same agency, kind, designation, scope, indication, reference and date.",
        run=_duplicate_event,
    ),
    CheckRule(
        code="application-out-of-order",
        severity=Severity.ERROR,
        summary=(
            "One application's lifecycle out of order: a decision, extension or withdrawal certainly before "
            "every submission and acceptance of the application it names, a conversion or withdrawal of an "
            "approval certainly before every approval of it, or a goal date before the event that sets it or "
            "before the application's submission."
        ),
        run=_application_out_of_order,
    ),
    CheckRule(
        code="conversion-without-accelerated-approval",
        severity=Severity.ERROR,
        summary=(
            "An 'approval converted' event needs an accelerated or conditional approval of the same "
            "application (or, naming none, of the same agency and scope): error when every approval on record "
            "is traditional, warning when there is none."
        ),
        run=_conversion_without_accelerated_approval,
    ),
    CheckRule(
        code="ambiguous-application",
        severity=Severity.WARNING,
        summary=(
            "An approval, complete response, refusal, extension, conversion or withdrawal that names no "
            "application where the asset has several marketing applications in that jurisdiction."
        ),
        run=_ambiguous_application,
    ),
    CheckRule(
        code="territory-overlap",
        severity=Severity.WARNING,
        summary=(
            "Two licensees whose territories and periods overlap (warning: licences are usually exclusive), "
            "or an originator keeping rights in a licensee's territory and period (info)."
        ),
        run=_territory_overlap,
    ),
    CheckRule(
        code="deal-party-not-on-record",
        severity=Severity.INFO,
        summary="A deal names a party that is neither the asset's sponsor nor one of its parties.",
        run=_deal_party_not_on_record,
    ),
    CheckRule(
        code="future-date",
        severity=Severity.ERROR,
        summary=(
            "With as_of given: an actual date wholly after as_of is an error, an announced one a warning; "
            "estimates may lie in the future."
        ),
        run=_future_date,
    ),
)


def _select(rules: Iterable[str | CheckRule] | None) -> tuple[CheckRule, ...]:
    if rules is None:
        return CHECK_RULES
    by_code = {r.code: r for r in CHECK_RULES}
    chosen = []
    for rule in rules:
        if isinstance(rule, CheckRule):
            chosen.append(rule)
        elif rule in by_code:
            chosen.append(by_code[rule])
        else:
            raise UnknownCode(rule, "one of " + ", ".join(repr(c) for c in by_code))
    return tuple(chosen)


@attrs.frozen
class Findings(Result):
    """What `check` found, in a stable order: a read-only sequence of `Finding` values.

    >>> import biopipe
    >>> from biopipe import review
    >>> found = review.check(biopipe.example("js212"))
    >>> len(found), len(found.errors), found[0].code
    (2, 0, 'trial-without-clearance')
    >>> print(found.render("markdown"), end="")
    | severity | code | path | message |
    | --- | --- | --- | --- |
    | info | trial-without-clearance | assets[0].trials[0] | recruiting in CN: ... |
    | info | decision-without-filing | assets[0].events[3] | FDA IND cleared ... |
    >>> print(review.Findings(()).render(), end="")
    no findings
    """

    document_name: ClassVar[str] = "findings"

    findings: tuple[Finding, ...]

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]

    def __bool__(self) -> bool:
        return bool(self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``error`` (a `check` run fails on these)."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def _text(self) -> str:
        return "\n".join(display_text(str(f)) for f in self.findings) if self.findings else "no findings"

    def _markdown(self) -> str:
        lines = ["| severity | code | path | message |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {f.severity.code} | {f.code} | {markdown_cell(f.path)} | {markdown_cell(f.message)} |"
            for f in self.findings
        ]
        return "\n".join(lines)


def check(
    subject: Asset | Portfolio | Iterable[Asset],
    *,
    rules: Iterable[str | CheckRule] | None = None,
    as_of: dt.date | PartialDate | str | None = None,
) -> Findings:
    """Run consistency rules over an asset or portfolio and return what they find.

    *rules* selects rules by code (or passes your own `CheckRule`); the default
    is every rule in `CHECK_RULES`. Findings come asset by asset, then rule by
    rule, in record order. *as_of* (a day: a date or ``YYYY-MM-DD``) enables
    the ``future-date`` rule.

    The rules are about assets: a portfolio's root trials (registry trials not
    linked to an asset, ``Portfolio.trials``) are not checked, since rules such
    as ``trial-without-clearance`` need the asset's regulatory events.

    JS212 has no errors. It has an info finding for the FDA clearance (no FDA
    filing on record) and one for the Phase 1/2 trial, whose start is known only
    as "on or before 2025-12-15", so the NMPA clearance of 2025-03 cannot be
    confirmed to precede it:

    >>> import biopipe
    >>> from biopipe import review
    >>> found = review.check(biopipe.example("js212"))
    >>> for finding in found:
    ...     print(finding.severity.code, finding.code, finding.path)
    info trial-without-clearance assets[0].trials[0]
    info decision-without-filing assets[0].events[3]
    >>> print(found[0].message)
    recruiting in CN: cannot confirm that a clearance there (2025-03, 2025-11) precedes its start (on or ...)
    >>> len(review.check(biopipe.example("js212"), rules=["duplicate-event"]))
    0
    """
    assets = as_assets(subject)
    selected = _select(rules)
    day = None if as_of is None else as_day(as_of)
    findings: list[Finding] = []
    for i, asset in enumerate(assets):
        for rule in selected:
            findings.extend(attrs.evolve(f, path=f"assets[{i}].{f.path}") for f in rule.run(asset, day))
    return Findings(tuple(findings))
