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
from ..model._asset import Asset, Portfolio, RegulatoryEvent
from ..model._errors import UnknownCode
from ..model._geography import covers
from ..model._order import KeyOrdered
from ..model._trial import TRIAL_DATES
from ..model._vocab import DateBasis, EventKind, TrialStatus, Vocabulary
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


def _trial_without_clearance(asset: Asset, as_of: dt.date | None) -> Iterator[Finding]:
    code = "trial-without-clearance"
    for i, trial in enumerate(asset.trials):
        if trial.status not in _RUNNING:
            continue
        path = f"trials[{i}]"
        for country in trial.countries:
            clearances = [
                e for e in asset.events if e.kind in _CLEARANCES and _is_observed(e) and covers(e.jurisdiction, country)
            ]
            start = trial.start
            when = f"its start ({start if start is not None else 'date unknown'})"
            if any(_hi(c.date) <= _lo(start) for c in clearances):
                continue
            if not any(_lo(c.date) <= _hi(start) for c in clearances):
                yield Finding(
                    code=code,
                    severity=Severity.ERROR,
                    message=f"{trial.status.code} in {country} with no clearance there dated on or before {when}",
                    path=path,
                )
                continue
            # A clearance exists that may precede the start; only the dates' precision leaves doubt.
            bounded = start is not None and start.earliest is not None
            dates = ", ".join(str(c.date) for c in clearances if _lo(c.date) <= _hi(start))
            yield Finding(
                code=code,
                severity=Severity.WARNING if bounded else Severity.INFO,
                message=(
                    f"{trial.status.code} in {country}: cannot confirm that a clearance there ({dates}) precedes {when}"
                ),
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


#: The rules `check` runs by default, in the order it reports them.
CHECK_RULES: tuple[CheckRule, ...] = (
    CheckRule(
        code="trial-without-clearance",
        severity=Severity.ERROR,
        summary=(
            "A trial recruiting, active or completed in a country needs an IND/CTA clearance or a marketing "
            "approval in that country's jurisdiction (EU-level decisions cover member states) dated on or "
            "before its start: error when there is none, warning when partial dates leave it uncertain, "
            "info when the start is unknown or only 'on or before'."
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
            "filing on record is dated after the decision."
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
