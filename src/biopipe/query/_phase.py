"""Highest development phase an asset has reached, as of a day, overall or per jurisdiction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model._geography import as_jurisdiction, covers
from ..model._vocab import DateBasis, Phase, TrialStatus, Vocabulary
from ._arguments import as_day
from ._known import as_known_on, indication_key, public_by, same_indication

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
    asset: Asset,
    day: dt.date | None,
    jurisdiction: str | None,
    indication: str | None,
    policy: PhasePolicy,
    known_on: dt.date | None = None,
) -> Phase | None:
    best: Phase | None = None
    wanted = None if indication is None else indication_key(asset, indication)
    for trial in asset.trials:
        if trial.phase is None or not trial_started_by(trial, day):
            continue
        if not public_by(trial.public_on, known_on):
            continue
        if jurisdiction is not None and not any(covers(jurisdiction, c) for c in trial.countries):
            continue
        if wanted is not None and not same_indication(asset, trial.conditions, wanted):
            continue
        phase = policy.apply(trial.phase)
        if best is None or phase > best:
            best = phase
    return best


def _days(
    as_of: dt.date | PartialDate | str | None, known_on: dt.date | PartialDate | str | None
) -> tuple[dt.date | None, dt.date | None]:
    known = as_known_on(known_on)
    day = known if as_of is None else as_day(as_of)
    return day, known


def highest_phase(
    asset: Asset,
    as_of: dt.date | PartialDate | str | None = None,
    *,
    jurisdiction: str | None = None,
    indication: str | None = None,
    policy: PhasePolicy = PhasePolicy.COMBINED,
    known_on: dt.date | PartialDate | str | None = None,
) -> Phase | None:
    """The highest phase of the trials of *asset* that had started by *as_of* (None if none).

    Started means `trial_started_by`. *jurisdiction* keeps trials with a site
    there (``EU`` covers its member states); *indication* keeps trials whose
    conditions name it (matched as `Indication.matches` does: a synonym or
    identifier of the record's indication counts). *policy* says how 1/2 and
    2/3 trials count (`PhasePolicy`). Trials without a phase are skipped;
    designations are never a phase.

    *known_on* (knowledge time) keeps only trials public by that day: a trial
    has no disclosure date of its own, so its earliest source's publication
    date counts (a trial with no dated source does not count), and the trial's
    record (status, phase, start) is taken as it stands. Without *as_of*, the
    day is *known_on* itself.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> biopipe.highest_phase(js212).label
    'Phase 1/2'
    >>> biopipe.highest_phase(js212, policy=biopipe.query.PhasePolicy.LOWER).label
    'Phase 1'
    >>> biopipe.highest_phase(js212, "2025-12-01") is None, biopipe.highest_phase(js212, jurisdiction="US") is None
    (True, True)
    >>> biopipe.highest_phase(js212, "2025-12-31", known_on="2025-12-14") is None  # its source is of 15 December
    True
    """
    day, known = _days(as_of, known_on)
    place = None if jurisdiction is None else as_jurisdiction(jurisdiction)
    return _reached(asset, day, place, indication, policy, known)


def phases_by_jurisdiction(
    asset: Asset,
    as_of: dt.date | PartialDate | str | None = None,
    *,
    indication: str | None = None,
    policy: PhasePolicy = PhasePolicy.COMBINED,
    known_on: dt.date | PartialDate | str | None = None,
) -> dict[str, Phase]:
    """The highest phase reached in each country with a started trial, sorted by country code.

    ``EU`` is added when any member state has one. *known_on* as in `highest_phase`.

    >>> import biopipe
    >>> {c: p.label for c, p in biopipe.query.phases_by_jurisdiction(biopipe.example("js212")).items()}
    {'CN': 'Phase 1/2'}
    """
    day, known = _days(as_of, known_on)
    places = {c for t in asset.trials for c in t.countries}
    places |= {"EU"} if any(covers("EU", c) for c in places) else set()
    found = {p: _reached(asset, day, p, indication, policy, known) for p in sorted(places)}
    return {p: phase for p, phase in found.items() if phase is not None}
