"""Highest phase reached, and the composable portfolio queries built on it."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
import query_strategies as qst
from biopipe import DateBasis, FactDate, Modality, PartialDate, Phase, Portfolio, Trial, TrialStatus, highest_phase
from biopipe.query import (
    PhasePolicy,
    has_modality,
    has_target,
    in_state,
    phase_at_least,
    phases_by_jurisdiction,
    select,
    sponsored_by,
)
from biopipe.testing import strategies as bst

JS212 = biopipe.example("js212")


def _trial(title: str, phase: Phase, status: TrialStatus, start: str | None, *countries: str) -> Trial:
    return Trial(
        title=title,
        phase=phase,
        status=status,
        countries=countries,
        start=None if start is None else FactDate.parse(start),
    )


def test_js212_has_reached_phase_1_2() -> None:
    """The recruiting phase 1/2 trial counts; the planned combination studies do not."""
    assert highest_phase(JS212) is Phase.PHASE1_2
    assert highest_phase(JS212, "2025-12-15") is Phase.PHASE1_2
    assert highest_phase(JS212, "2025-12-14") is None  # the start is only known on 15 December
    assert highest_phase(JS212, jurisdiction="CN") is Phase.PHASE1_2
    assert highest_phase(JS212, jurisdiction="US") is None
    assert phases_by_jurisdiction(JS212) == {"CN": Phase.PHASE1_2}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [(PhasePolicy.COMBINED, Phase.PHASE1_2), (PhasePolicy.LOWER, Phase.PHASE1), (PhasePolicy.UPPER, Phase.PHASE2)],
)
def test_policy_decides_how_a_combined_phase_counts(policy: PhasePolicy, expected: Phase) -> None:
    """1/2 counts as itself, as 1, or as 2."""
    assert highest_phase(JS212, policy=policy) is expected


def test_unstarted_trials_do_not_count() -> None:
    """Planned, not-yet-recruiting and withdrawn trials reach no phase; stopped trials that ran do."""
    asset = attrs.evolve(
        JS212,
        trials=(
            _trial("a", Phase.PHASE3, TrialStatus.NOT_YET_RECRUITING, "2026 (estimated)", "US"),
            _trial("b", Phase.PHASE3, TrialStatus.WITHDRAWN, None, "US"),
            _trial("c", Phase.PHASE2, TrialStatus.TERMINATED, "2024-05", "DE"),
            _trial("d", Phase.PHASE1, TrialStatus.COMPLETED, "2022-01-10", "US"),
        ),
    )
    assert highest_phase(asset) is Phase.PHASE2
    assert highest_phase(asset, "2024-05-15") is Phase.PHASE1  # May 2024 straddles the day
    assert highest_phase(asset, "2024-06-01") is Phase.PHASE2
    assert phases_by_jurisdiction(asset) == {"DE": Phase.PHASE2, "EU": Phase.PHASE2, "US": Phase.PHASE1}
    assert highest_phase(asset, jurisdiction="EU") is Phase.PHASE2


def test_indication_keeps_trials_whose_conditions_name_it() -> None:
    """Per-indication phase reads trial conditions, case-insensitively."""
    assert highest_phase(JS212, indication="Advanced Solid Tumors") is Phase.PHASE1_2
    assert highest_phase(JS212, indication="lung cancer") is None


@given(qst.assets(), bst.days(2020, 2030), bst.days(2020, 2030))
def test_phase_never_goes_down_as_time_passes(asset: biopipe.Asset, a: dt.date, b: dt.date) -> None:
    """Reached is reached: the highest phase as of a later day is at least that of an earlier one."""
    early, late = sorted((a, b))
    before, after = highest_phase(asset, early), highest_phase(asset, late)
    if before is not None:
        assert after is not None
        assert after >= before
    overall = highest_phase(asset)
    if after is not None:
        assert overall is not None
        assert overall >= after


@given(qst.assets(), st.none() | bst.days(2020, 2030))
def test_policies_bracket_the_combined_reading(asset: biopipe.Asset, day: dt.date | None) -> None:
    """LOWER <= COMBINED <= UPPER, and each per-jurisdiction phase is at most the overall one."""
    lower = highest_phase(asset, day, policy=PhasePolicy.LOWER)
    combined = highest_phase(asset, day, policy=PhasePolicy.COMBINED)
    upper = highest_phase(asset, day, policy=PhasePolicy.UPPER)
    assert (lower is None) == (combined is None) == (upper is None)
    if lower is not None and combined is not None and upper is not None:
        assert lower <= combined <= upper
        assert not lower.is_combined
        assert not upper.is_combined
    for phase in phases_by_jurisdiction(asset, day).values():
        assert combined is not None
        assert phase <= combined


# -- portfolio queries ---------------------------------------------------------------


def _portfolio() -> Portfolio:
    other = attrs.evolve(
        JS212,
        code="XY-1",
        sponsor="Other Pharma",
        modality=Modality.SMALL_MOLECULE,
        antibody_origin=None,
        targets=(biopipe.Target(symbol="KRAS"),),
        events=(),
        trials=(_trial("x", Phase.PHASE3, TrialStatus.RECRUITING, "2023-02", "US", "DE"),),
    )
    return Portfolio(assets=(JS212, other))


def test_queries_select_by_target_alias_modality_sponsor_phase_and_state() -> None:
    """Each query narrows the portfolio; HER3 finds ERBB3."""
    p = _portfolio()

    def codes(*queries: biopipe.query.Query) -> list[str]:
        return [a.code for a in select(p, *queries)]

    assert codes() == ["JS212", "XY-1"]
    assert codes(has_target("HER3")) == codes(has_target("erbb3")) == ["JS212"]
    assert codes(has_modality(Modality.SMALL_MOLECULE)) == ["XY-1"]
    assert codes(sponsored_by("other pharma")) == ["XY-1"]
    assert codes(phase_at_least(Phase.PHASE1)) == ["JS212", "XY-1"]
    assert codes(phase_at_least("phase2")) == ["XY-1"]
    assert codes(phase_at_least("phase2", jurisdiction="CN")) == []
    assert codes(phase_at_least("phase1", "2024-01-01")) == ["XY-1"]
    assert codes(in_state("US", "may_run_trials", as_of="2025-12-15")) == ["JS212"]
    assert codes(in_state("US", "nothing_on_record", as_of="2025-12-15")) == ["XY-1"]


def test_queries_compose_with_and_or_not() -> None:
    """&, | and ~ combine queries; select with several queries is their conjunction."""
    p = _portfolio()
    her3, small = has_target("HER3"), has_modality("small_molecule")
    assert select(p, her3 | small) == p.assets
    assert select(p, her3 & small) == ()
    assert select(p, ~her3) == select(p, small)
    assert select(p, her3, ~small) == select(p, her3 & ~small)
    assert "not" in (~her3).description


def test_queries_reject_unknown_codes() -> None:
    """Unknown modality, phase, state or jurisdiction codes raise errors that show the value."""
    with pytest.raises(biopipe.UnknownCode, match="'pill'"):
        has_modality("pill")
    with pytest.raises(biopipe.UnknownCode, match="'phase9'"):
        phase_at_least("phase9")
    with pytest.raises(biopipe.UnknownCode, match="'approvedish'"):
        in_state("US", "approvedish", as_of="2025-01-01")
    with pytest.raises(biopipe.UnknownCode, match="'USA'"):
        in_state("USA", "approved", as_of="2025-01-01")


@given(qst.portfolios(max_assets=4), st.sampled_from(Phase), bst.days(2020, 2030))
def test_select_agrees_with_the_functions_it_wraps(portfolio: Portfolio, floor: Phase, day: dt.date) -> None:
    """phase_at_least and in_state select exactly the assets the underlying answers say."""
    at_least = [a for a in portfolio.assets if (h := highest_phase(a, day)) is not None and h >= floor]
    assert list(select(portfolio, phase_at_least(floor, day))) == at_least
    may_run = (biopipe.RegulatoryState.MAY_RUN_TRIALS,)
    cleared = [a for a in portfolio.assets if biopipe.state_as_of(a, "US", day).possible == may_run]
    assert list(select(portfolio, in_state("US", "may_run_trials", as_of=day))) == cleared


def test_estimated_start_is_not_a_start() -> None:
    """A trial whose start is only estimated has not started by any day."""
    trial = Trial(
        title="t",
        status=TrialStatus.RECRUITING,
        phase=Phase.PHASE2,
        start=FactDate(PartialDate(2020), DateBasis.ESTIMATED),
    )
    assert highest_phase(attrs.evolve(JS212, trials=(trial,)), "2030-01-01") is None
