"""A seeded generator of realistic synthetic portfolios for benchmarks.

``synthetic_portfolio(n, seed)`` returns the same `biopipe.Portfolio` for the same
arguments. Each asset has 1-6 regulatory events that follow a plausible life
cycle (IND filed, accepted and cleared in a home jurisdiction, sometimes abroad;
holds and lifts; designations; for a few, a marketing application and a
decision) and 0-4 trials whose phases rise over time, with sites, statuses and
start/completion dates of mixed precision and basis (actual, announced,
estimated). Every object is built through the validating constructors.

    >>> from synthetic import synthetic_portfolio
    >>> p = synthetic_portfolio(100, seed=1)
    >>> len(p), p == synthetic_portfolio(100, seed=1)
    (100, True)
"""

from __future__ import annotations

import datetime as dt
import random

from biopipe import (
    Agency,
    Asset,
    DateBasis,
    Designation,
    EventKind,
    FactDate,
    Modality,
    PartialDate,
    Phase,
    Portfolio,
    RegulatoryEvent,
    Target,
    Trial,
    TrialStatus,
)

__all__ = ["synthetic_portfolio"]

_TARGETS = (
    ("EGFR", ("ERBB1", "HER1")),
    ("ERBB2", ("HER2",)),
    ("ERBB3", ("HER3",)),
    ("CD274", ("PD-L1",)),
    ("PDCD1", ("PD-1",)),
    ("KRAS", ()),
    ("TACSTD2", ("TROP2",)),
    ("CLDN18", ("CLAUDIN18.2",)),
    ("MET", ("c-Met",)),
    ("VEGFA", ("VEGF",)),
    ("CD3E", ("CD3",)),
    ("MS4A1", ("CD20",)),
    ("CD19", ()),
    ("TNFRSF17", ("BCMA",)),
    ("GPRC5D", ()),
    ("DLL3", ()),
    ("NECTIN4", ()),
    ("FOLR1", ("FRalpha",)),
    ("CTLA4", ()),
    ("LAG3", ()),
)
_SPONSORS = tuple(f"Sponsor {c}{i}" for c in "ABCDEFGH" for i in range(1, 7))
_MODALITIES = (
    (Modality.SMALL_MOLECULE, 30),
    (Modality.MONOCLONAL_ANTIBODY, 20),
    (Modality.ADC, 12),
    (Modality.BISPECIFIC_ANTIBODY, 10),
    (Modality.BISPECIFIC_ADC, 5),
    (Modality.CAR_T, 6),
    (Modality.VACCINE, 4),
)
_HOME = ((Agency.NMPA, 40), (Agency.FDA, 40), (Agency.EMA, 8), (Agency.PMDA, 6), (Agency.MFDS, 6))
_ABROAD = (Agency.FDA, Agency.NMPA, Agency.EMA, Agency.PMDA, Agency.MHRA, Agency.HEALTH_CANADA, Agency.TGA)
_COUNTRY = {
    Agency.FDA: "US",
    Agency.NMPA: "CN",
    Agency.EMA: "DE",
    Agency.PMDA: "JP",
    Agency.MFDS: "KR",
    Agency.MHRA: "GB",
    Agency.HEALTH_CANADA: "CA",
    Agency.TGA: "AU",
}
_PHASES = (Phase.PHASE1, Phase.PHASE1_2, Phase.PHASE2, Phase.PHASE2_3, Phase.PHASE3)
_STATUSES = (
    (TrialStatus.RECRUITING, 35),
    (TrialStatus.ACTIVE_NOT_RECRUITING, 15),
    (TrialStatus.COMPLETED, 20),
    (TrialStatus.NOT_YET_RECRUITING, 8),
    (TrialStatus.PLANNED, 7),
    (TrialStatus.TERMINATED, 8),
    (TrialStatus.WITHDRAWN, 3),
    (TrialStatus.UNKNOWN, 4),
)


def _pick(rnd: random.Random, weighted: tuple[tuple[object, int], ...]) -> object:
    values, weights = zip(*weighted, strict=True)
    return rnd.choices(values, weights)[0]


def _partial(rnd: random.Random, day: dt.date) -> PartialDate:
    """*day* at the precision a press release would give: mostly month or day, sometimes quarter or year."""
    precision = rnd.choices(("day", "month", "quarter", "half", "year"), (35, 45, 10, 5, 5))[0]
    if precision == "day":
        return PartialDate(day.year, day.month, day.day)
    if precision == "month":
        return PartialDate(day.year, day.month)
    if precision == "quarter":
        return PartialDate(day.year, quarter=(day.month - 1) // 3 + 1)
    if precision == "half":
        return PartialDate(day.year, half=1 if day.month <= 6 else 2)
    return PartialDate(day.year)


def _fact(rnd: random.Random, day: dt.date, today: dt.date) -> FactDate:
    if day > today:
        return FactDate(_partial(rnd, day), DateBasis.ESTIMATED)
    basis = DateBasis.ANNOUNCED if rnd.random() < 0.2 else DateBasis.ACTUAL
    return FactDate(_partial(rnd, day), basis)


def _events(rnd: random.Random, first: dt.date, today: dt.date) -> list[RegulatoryEvent]:
    home = _pick(rnd, _HOME)
    assert isinstance(home, Agency)
    n = rnd.randint(1, 6)
    day = first
    plan: list[tuple[Agency, EventKind, Designation | None]] = [(home, EventKind.IND_ACCEPTED, None)]
    plan.append((home, EventKind.IND_CLEARED, None))
    while len(plan) < n:
        roll = rnd.random()
        if roll < 0.35:
            abroad = rnd.choice([a for a in _ABROAD if a is not home])
            plan += [(abroad, EventKind.IND_CLEARED, None)]
        elif roll < 0.5:
            plan += [(home, EventKind.CLINICAL_HOLD, None), (home, EventKind.HOLD_LIFTED, None)]
        elif roll < 0.75:
            granted = rnd.choice((Designation.ORPHAN_DRUG, Designation.FAST_TRACK, Designation.BREAKTHROUGH_THERAPY))
            plan += [(Agency.FDA, EventKind.DESIGNATION_GRANTED, granted)]
        else:
            decision = rnd.choice((EventKind.MARKETING_APPROVED, EventKind.COMPLETE_RESPONSE))
            plan += [(home, EventKind.MARKETING_SUBMITTED, None), (home, decision, None)]
    events = []
    for agency, kind, designation in plan[:n]:
        events.append(RegulatoryEvent(agency=agency, kind=kind, date=_fact(rnd, day, today), designation=designation))
        day += dt.timedelta(days=rnd.randint(20, 400))
    return events


def _trials(rnd: random.Random, code: str, first: dt.date, today: dt.date, countries: list[str]) -> list[Trial]:
    trials = []
    start = first + dt.timedelta(days=rnd.randint(30, 200))
    level = 0
    for i in range(rnd.randint(0, 4)):
        status = _pick(rnd, _STATUSES)
        assert isinstance(status, TrialStatus)
        planned = status in (TrialStatus.PLANNED, TrialStatus.NOT_YET_RECRUITING, TrialStatus.WITHDRAWN)
        if not planned and start > today:
            status = TrialStatus.NOT_YET_RECRUITING
            planned = True
        start_date: FactDate | None
        if status is TrialStatus.PLANNED and rnd.random() < 0.5:
            start_date = None
        elif planned:
            start_date = FactDate(_partial(rnd, max(start, today)), DateBasis.ESTIMATED)
        else:
            start_date = _fact(rnd, start, today)
        end_day = start + dt.timedelta(days=rnd.randint(300, 1500))
        completion = None
        if start_date is not None and start_date.basis is not DateBasis.ESTIMATED:
            done = status is TrialStatus.COMPLETED and end_day <= today
            completion = FactDate(_partial(rnd, end_day), DateBasis.ACTUAL if done else DateBasis.ESTIMATED)
            if done and completion.latest < start_date.date.earliest:
                completion = FactDate(start_date.date, DateBasis.ACTUAL)
        trials.append(
            Trial(
                title=f"{code} study {i + 1}",
                status=status,
                phase=_PHASES[min(level, len(_PHASES) - 1)],
                countries=tuple(sorted(rnd.sample(countries, rnd.randint(1, len(countries))))),
                start=start_date,
                completion=completion,
            )
        )
        level += rnd.choice((0, 1, 1, 2))
        start += dt.timedelta(days=rnd.randint(90, 700))
    return trials


def synthetic_portfolio(n: int, seed: int = 0) -> Portfolio:
    """A portfolio of *n* synthetic assets, the same for the same *seed*."""
    rnd = random.Random(seed)
    today = dt.date(2025, 12, 15)
    assets = []
    for i in range(n):
        code = f"SYN-{i:06d}"
        modality = _pick(rnd, _MODALITIES)
        assert isinstance(modality, Modality)
        k = 2 if modality.is_bispecific else rnd.choice((1, 1, 1, 2))
        targets = tuple(Target(symbol=s, aliases=a) for s, a in rnd.sample(_TARGETS, k))
        first = dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randint(0, 365 * 11))
        events = _events(rnd, first, today)
        countries = sorted({_COUNTRY.get(e.agency, "US") for e in events} | {rnd.choice(("US", "CN", "DE", "FR"))})
        assets.append(
            Asset(
                code=code,
                sponsor=rnd.choice(_SPONSORS),
                modality=modality,
                targets=targets,
                events=tuple(events),
                trials=tuple(_trials(rnd, code, first, today, countries)),
            )
        )
    return Portfolio(assets=tuple(assets))
