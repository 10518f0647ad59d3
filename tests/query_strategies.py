"""Lean Hypothesis strategies for the query tests, built from biopipe.strategies' dates.

Queries read only codes, dates, statuses, phases, countries and scopes, so these
assets carry nothing else: they are many times cheaper to draw than
``biopipe.strategies.assets()`` and keep the query properties fast.
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
from biopipe import strategies as bst

#: Few agencies and jurisdictions, so that drawn events meet each other and the question.
AGENCIES = (Agency.FDA, Agency.NMPA, Agency.EMA)
COUNTRIES = ("US", "CN", "DE", "FR", "JP")
SCOPES = st.none() | st.sampled_from(("monotherapy", "combination"))


@st.composite
def events(draw: st.DrawFn, min_year: int = 2020, max_year: int = 2030) -> RegulatoryEvent:
    """Regulatory events of every kind and date basis from a few agencies."""
    kind = draw(st.sampled_from(EventKind))
    designation = Designation.ORPHAN_DRUG if kind.application is ApplicationKind.DESIGNATION else None
    return RegulatoryEvent(
        agency=draw(st.sampled_from(AGENCIES)),
        kind=kind,
        date=draw(bst.fact_dates(min_year, max_year)),
        designation=designation,
        scope=draw(SCOPES),
    )


@st.composite
def trials(draw: st.DrawFn, title: str = "trial", min_year: int = 2020, max_year: int = 2030) -> Trial:
    """Trials with status, phase, countries and start/completion dates (valid combinations only)."""
    status = draw(st.sampled_from(TrialStatus))
    start = draw(st.none() | bst.fact_dates(min_year, max_year))
    if status is TrialStatus.PLANNED and start is not None and start.basis is DateBasis.ACTUAL:
        start = FactDate(start.date, DateBasis.ESTIMATED)
    completion = draw(st.none() | bst.fact_dates(min_year, max_year))
    if completion is not None and start is not None and completion.latest < start.date.earliest:
        completion = FactDate(start.date, DateBasis.ESTIMATED)
    return Trial(
        title=title,
        status=status,
        phase=draw(st.none() | st.sampled_from(Phase)),
        countries=tuple(draw(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True))),
        start=start,
        completion=completion,
    )


@st.composite
def assets(draw: st.DrawFn, code: str = "A", max_events: int = 6, max_trials: int = 3) -> Asset:
    """A small-molecule asset with events and trials only."""
    n = draw(st.integers(0, max_trials))
    return Asset(
        code=code,
        sponsor="S",
        modality=Modality.SMALL_MOLECULE,
        events=tuple(draw(st.lists(events(), max_size=max_events))),
        trials=tuple(draw(trials(title=f"trial {i}")) for i in range(n)),
    )


@st.composite
def portfolios(draw: st.DrawFn, max_assets: int = 3) -> Portfolio:
    """Portfolios of lean assets with distinct codes."""
    n = draw(st.integers(0, max_assets))
    return Portfolio(assets=tuple(draw(assets(code=f"A{i}")) for i in range(n)))
