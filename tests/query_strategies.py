"""Lean Hypothesis strategies for the query tests, built from biopipe.testing.strategies' dates.

Queries read only codes, dates, statuses, phases, countries and scopes, so these
assets carry nothing else: they are many times cheaper to draw than
``biopipe.testing.strategies.assets()`` and keep the query properties fast.
"""

from __future__ import annotations

from hypothesis import strategies as st

from biopipe import (
    Agency,
    ApplicationKind,
    Asset,
    DateBasis,
    Designation,
    EventKind,
    FactDate,
    Modality,
    Phase,
    Portfolio,
    RegulatoryEvent,
    Trial,
    TrialStatus,
)
from biopipe.testing import strategies as bst

#: Few agencies and jurisdictions, so that drawn events meet each other and the question.
AGENCIES = (Agency.FDA, Agency.NMPA, Agency.EMA)
COUNTRIES = ("US", "CN", "DE", "FR", "JP")
SCOPES = st.none() | st.sampled_from(("monotherapy", "combination"))


KINDS = st.sampled_from(EventKind)
PHASES = st.none() | st.sampled_from(Phase)
STATUSES = st.sampled_from(TrialStatus)
SITES = st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True).map(tuple)


def _event(agency: Agency, kind: EventKind, date: FactDate, scope: str | None) -> RegulatoryEvent:
    designation = Designation.ORPHAN_DRUG if kind.application is ApplicationKind.DESIGNATION else None
    return RegulatoryEvent(agency=agency, kind=kind, date=date, designation=designation, scope=scope)


def events(min_year: int = 2020, max_year: int = 2030) -> st.SearchStrategy[RegulatoryEvent]:
    """Regulatory events of every kind and date basis from a few agencies."""
    return st.builds(_event, st.sampled_from(AGENCIES), KINDS, bst.fact_dates(min_year, max_year), SCOPES)


def _trial(
    title: str,
    status: TrialStatus,
    phase: Phase | None,
    countries: tuple[str, ...],
    start: FactDate | None,
    completion: FactDate | None,
) -> Trial:
    if status is TrialStatus.PLANNED and start is not None and start.basis is DateBasis.ACTUAL:
        start = FactDate(start.date, DateBasis.ESTIMATED)
    if completion is not None and start is not None and completion.latest < start.date.earliest:
        completion = FactDate(start.date, DateBasis.ESTIMATED)
    return Trial(title=title, status=status, phase=phase, countries=countries, start=start, completion=completion)


_DATES = bst.fact_dates(2020, 2030)
_EVENTS = events()
_MAYBE_DATES = st.none() | _DATES


def trials(title: str = "trial") -> st.SearchStrategy[Trial]:
    """Trials with status, phase, countries and start/completion dates (valid combinations only)."""
    return st.builds(_trial, st.just(title), STATUSES, PHASES, SITES, _MAYBE_DATES, _MAYBE_DATES)


_TRIALS = tuple(trials(f"trial {i}") for i in range(3))


@st.composite
def assets(draw: st.DrawFn, code: str = "A", max_events: int = 6) -> Asset:
    """A small-molecule asset with events and up to three trials only."""
    n = draw(st.integers(0, len(_TRIALS)))
    return Asset(
        code=code,
        sponsor="S",
        modality=Modality.SMALL_MOLECULE,
        events=tuple(draw(st.lists(_EVENTS, max_size=max_events))),
        trials=tuple(draw(t) for t in _TRIALS[:n]),
    )


_ASSETS = tuple(assets(code=f"A{i}") for i in range(4))


@st.composite
def portfolios(draw: st.DrawFn, max_assets: int = 3) -> Portfolio:
    """Portfolios of lean assets with distinct codes."""
    n = draw(st.integers(0, min(max_assets, len(_ASSETS))))
    return Portfolio(assets=tuple(draw(a) for a in _ASSETS[:n]))
