"""Highest development phase an asset has reached, as of a day, overall or per jurisdiction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model._geography import as_jurisdiction, covers
from ..model._vocab import DateBasis, Phase, TrialStatus, Vocabulary
from ._arguments import as_day

if TYPE_CHECKING:
    import datetime as dt

    from ..model._asset import Asset
    from ..model._dates import PartialDate
    from ..model._trial import Trial

__all__ = ["PhasePolicy", "highest_phase", "phases_by_jurisdiction", "trial_started_by"]


class PhasePolicy(Vocabulary):
    """How a combined-phase trial (1/2, 2/3) counts towards the highest phase reached.

    - ``combined`` (the default): as itself; Phase 1 < Phase 1/2 < Phase 2.
    - ``lower``: as its lower base phase (a 1/2 trial has reached phase 1), the conservative reading.
    - ``upper``: as its higher base phase (a 1/2 trial has reached phase 2), the optimistic reading.

    >>> from biopipe import Phase
    >>> from biopipe.query import PhasePolicy
    >>> [PhasePolicy(p).apply(Phase.PHASE1_2).label for p in PhasePolicy.codes()]
    ['Phase 1/2', 'Phase 1', 'Phase 2']
    """

    COMBINED = "combined"
    LOWER = "lower"
    UPPER = "upper"

    def apply(self, phase: Phase) -> Phase:
        """The phase *phase* counts as under this policy."""
        if self is PhasePolicy.LOWER:
            return phase.lowest
        if self is PhasePolicy.UPPER:
            return phase.highest
        return phase


#: Statuses of trials that have not started or never enrolled; they reach no phase.
_NOT_STARTED = frozenset({TrialStatus.PLANNED, TrialStatus.NOT_YET_RECRUITING, TrialStatus.WITHDRAWN})


def trial_started_by(trial: Trial, day: dt.date | None = None) -> bool:
    """Whether *trial* had started by the end of *day* (or at all, when *day* is None).

    A planned, not-yet-recruiting or withdrawn trial has not started. Otherwise,
    with a *day*, the start date must be on record by then: an actual or
    announced start whose written date ends on or before *day*. A start that
    straddles *day*, an estimated start, or no start date at all does not count
    (phase answers are conservative: reached means known to be reached).

    >>> import datetime, biopipe
    >>> first, planned = biopipe.example("js212").trials
    >>> trial_started_by(first), trial_started_by(first, datetime.date(2025, 12, 1)), trial_started_by(planned)
    (True, False, False)
    """
    if trial.status in _NOT_STARTED:
        return False
    if day is None:
        return True
    start = trial.start
    return start is not None and start.basis is not DateBasis.ESTIMATED and start.date.latest <= day


def _reached(
    asset: Asset, day: dt.date | None, jurisdiction: str | None, indication: str | None, policy: PhasePolicy
) -> Phase | None:
    best: Phase | None = None
    folded = None if indication is None else indication.casefold()
    for trial in asset.trials:
        if trial.phase is None or not trial_started_by(trial, day):
            continue
        if jurisdiction is not None and not any(covers(jurisdiction, c) for c in trial.countries):
            continue
        if folded is not None and all(c.casefold() != folded for c in trial.conditions):
            continue
        phase = policy.apply(trial.phase)
        if best is None or phase > best:
            best = phase
    return best


def highest_phase(
    asset: Asset,
    as_of: dt.date | PartialDate | str | None = None,
    *,
    jurisdiction: str | None = None,
    indication: str | None = None,
    policy: PhasePolicy = PhasePolicy.COMBINED,
) -> Phase | None:
    """The highest phase of the trials of *asset* that had started by *as_of* (None if none).

    Started means `trial_started_by`. *jurisdiction* keeps trials with a site
    there (``EU`` covers its member states); *indication* keeps trials whose
    conditions name it (case-insensitive). *policy* says how 1/2 and 2/3 trials
    count (`PhasePolicy`). Trials without a phase are skipped; designations are
    never a phase.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> biopipe.highest_phase(js212).label
    'Phase 1/2'
    >>> biopipe.highest_phase(js212, policy=biopipe.query.PhasePolicy.LOWER).label
    'Phase 1'
    >>> biopipe.highest_phase(js212, "2025-12-01") is None, biopipe.highest_phase(js212, jurisdiction="US") is None
    (True, True)
    """
    day = None if as_of is None else as_day(as_of)
    place = None if jurisdiction is None else as_jurisdiction(jurisdiction)
    return _reached(asset, day, place, indication, policy)


def phases_by_jurisdiction(
    asset: Asset,
    as_of: dt.date | PartialDate | str | None = None,
    *,
    indication: str | None = None,
    policy: PhasePolicy = PhasePolicy.COMBINED,
) -> dict[str, Phase]:
    """The highest phase reached in each country with a started trial, sorted by country code.

    ``EU`` is added when any member state has one.

    >>> import biopipe
    >>> {c: p.label for c, p in biopipe.query.phases_by_jurisdiction(biopipe.example("js212")).items()}
    {'CN': 'Phase 1/2'}
    """
    day = None if as_of is None else as_day(as_of)
    places = {c for t in asset.trials for c in t.countries}
    places |= {"EU"} if any(covers("EU", c) for c in places) else set()
    found = {p: _reached(asset, day, p, indication, policy) for p in sorted(places)}
    return {p: phase for p, phase in found.items() if phase is not None}
