"""Consistency checks: each rule on a record built to trip it, JS212, rule selection, and never raising."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, cast

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Agency,
    Asset,
    DateBasis,
    EventKind,
    FactDate,
    Modality,
    PartialDate,
    Portfolio,
    RegulatoryEvent,
    Trial,
    TrialStatus,
)
from biopipe.review import Severity, check
from biopipe.testing import strategies as bst


def _event(agency: Agency, kind: EventKind, date: str) -> RegulatoryEvent:
    return RegulatoryEvent(agency=agency, kind=kind, date=FactDate.parse(date))


def _trial(status: TrialStatus, countries: tuple[str, ...], start: str | None, title: str = "Study A") -> Trial:
    return Trial(
        title=title, status=status, countries=countries, start=None if start is None else FactDate.parse(start)
    )


def _asset(events: tuple[RegulatoryEvent, ...] = (), trials: tuple[Trial, ...] = ()) -> Asset:
    return Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=events, trials=trials)


def _codes(findings: Iterable[biopipe.review.Finding]) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity.code, f.path) for f in findings]


def test_js212_has_no_errors_and_two_infos() -> None:
    """JS212: no errors; infos for the unfiled FDA clearance and the trial start known only as 'on or before'."""
    found = check(biopipe.example("js212"))
    assert all(f.severity is not Severity.ERROR for f in found)
    assert _codes(found) == [
        ("trial-without-clearance", "info", "assets[0].trials[0]"),
        ("decision-without-filing", "info", "assets[0].events[3]"),
    ]


def test_trial_recruiting_without_any_clearance_is_an_error() -> None:
    """A US trial with only an NMPA clearance: error naming the country."""
    asset = _asset(
        events=(_event(Agency.NMPA, EventKind.IND_CLEARED, "2025-03"),),
        trials=(_trial(TrialStatus.RECRUITING, ("CN", "US"), "2025-06-01"),),
    )
    found = check(asset, rules=["trial-without-clearance"])
    assert _codes(found) == [("trial-without-clearance", "error", "assets[0].trials[0]")]
    assert "in US" in found[0].message


def test_clearance_after_start_is_an_error_and_same_month_a_warning() -> None:
    """Clearance certainly after the start is an error; a month clearance in the start's month only a warning."""
    late = _asset(
        events=(_event(Agency.NMPA, EventKind.IND_CLEARED, "2025-07"),),
        trials=(_trial(TrialStatus.COMPLETED, ("CN",), "2025-06-15"),),
    )
    assert _codes(check(late, rules=["trial-without-clearance"])) == [
        ("trial-without-clearance", "error", "assets[0].trials[0]")
    ]
    same_month = attrs.evolve(late, events=(_event(Agency.NMPA, EventKind.IND_CLEARED, "2025-06"),))
    assert _codes(check(same_month, rules=["trial-without-clearance"])) == [
        ("trial-without-clearance", "warning", "assets[0].trials[0]")
    ]
    on_time = attrs.evolve(late, events=(_event(Agency.NMPA, EventKind.IND_CLEARED, "2025-05"),))
    assert check(on_time, rules=["trial-without-clearance"]).findings == ()


def test_eu_decision_covers_member_states_and_planned_trials_are_not_checked() -> None:
    """An EMA-level clearance covers a trial in Germany; a planned trial needs no clearance yet."""
    asset = _asset(
        events=(_event(Agency.EMA, EventKind.IND_CLEARED, "2024-01-10"),),
        trials=(
            _trial(TrialStatus.RECRUITING, ("DE",), "2024-03"),
            _trial(TrialStatus.PLANNED, ("JP",), None, title="Study B"),
        ),
    )
    assert check(asset, rules=["trial-without-clearance"]).findings == ()


def test_estimated_clearance_does_not_count() -> None:
    """A planned (estimated) clearance is not a clearance."""
    asset = _asset(
        events=(_event(Agency.FDA, EventKind.IND_CLEARED, "2024-01 (estimated)"),),
        trials=(_trial(TrialStatus.RECRUITING, ("US",), "2024-03"),),
    )
    assert [f.severity for f in check(asset, rules=["trial-without-clearance"])] == [Severity.ERROR]


def test_acceptance_before_submission() -> None:
    """Acceptance certainly before the submission of the same agency is an error; same month is fine."""
    bad = _asset(
        events=(
            _event(Agency.NMPA, EventKind.IND_SUBMITTED, "2025-02-10"),
            _event(Agency.NMPA, EventKind.IND_ACCEPTED, "2025-01"),
        )
    )
    assert _codes(check(bad, rules=["acceptance-before-submission"])) == [
        ("acceptance-before-submission", "error", "assets[0].events[1].date")
    ]
    fine = _asset(
        events=(
            _event(Agency.NMPA, EventKind.IND_SUBMITTED, "2025-01"),
            _event(Agency.NMPA, EventKind.IND_ACCEPTED, "2025-01-05"),
            _event(Agency.FDA, EventKind.IND_SUBMITTED, "2025-06-01"),
        )
    )
    assert check(fine, rules=["acceptance-before-submission"]).findings == ()


def test_decision_without_filing_is_info_and_before_filing_a_warning() -> None:
    """No filing on record: info. Every filing after the decision: warning."""
    none = _asset(events=(_event(Agency.FDA, EventKind.MARKETING_APPROVED, "2025-01-02"),))
    assert _codes(check(none, rules=["decision-without-filing"])) == [
        ("decision-without-filing", "info", "assets[0].events[0]")
    ]
    before = _asset(
        events=(
            _event(Agency.FDA, EventKind.MARKETING_APPROVED, "2025-01-02"),
            _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2025-03"),
        )
    )
    assert _codes(check(before, rules=["decision-without-filing"])) == [
        ("decision-without-filing", "warning", "assets[0].events[0]")
    ]


def test_recruiting_on_hold_until_lifted() -> None:
    """A recruiting US trial under an unlifted FDA hold is an error; lifting the hold clears it."""
    hold = _event(Agency.FDA, EventKind.CLINICAL_HOLD, "2025-04-02")
    trial = _trial(TrialStatus.RECRUITING, ("US",), "2025-01")
    cleared = _event(Agency.FDA, EventKind.IND_CLEARED, "2024-12")
    held = _asset(events=(cleared, hold), trials=(trial,))
    assert _codes(check(held, rules=["recruiting-on-hold"])) == [("recruiting-on-hold", "error", "assets[0].trials[0]")]
    lifted = attrs.evolve(held, events=(*held.events, _event(Agency.FDA, EventKind.HOLD_LIFTED, "2025-06")))
    assert check(lifted, rules=["recruiting-on-hold"]).findings == ()
    other_protocol = attrs.evolve(held, events=(cleared, attrs.evolve(hold, scope="Study Z")))
    assert check(other_protocol, rules=["recruiting-on-hold"]).findings == ()


def test_duplicate_events() -> None:
    """The second copy of a fact (sources aside) is reported, pointing at the first."""
    e = _event(Agency.NMPA, EventKind.IND_ACCEPTED, "2025-01")
    asset = _asset(events=(e, _event(Agency.NMPA, EventKind.IND_SUBMITTED, "2024-12"), attrs.evolve(e, note="again")))
    found = check(asset, rules=["duplicate-event"])
    assert _codes(found) == [("duplicate-event", "warning", "assets[0].events[2]")]
    assert "events[0]" in found[0].message


def test_future_dates_need_as_of() -> None:
    """Actual dates after as_of are errors, announced ones warnings, estimates fine; no as_of, no finding."""
    asset = _asset(
        events=(
            _event(Agency.FDA, EventKind.IND_SUBMITTED, "2026-02"),
            _event(Agency.FDA, EventKind.IND_CLEARED, "on or before 2026-03-01"),
            _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2027 (estimated)"),
        ),
        trials=(_trial(TrialStatus.RECRUITING, ("US",), "2025-12"),),
    )
    assert check(asset, rules=["future-date"]).findings == ()
    found = check(asset, rules=["future-date"], as_of=dt.date(2026, 1, 31))
    assert _codes(found) == [
        ("future-date", "error", "assets[0].events[0].date"),
        ("future-date", "warning", "assets[0].events[1].date"),
    ]
    # A month straddling as_of is not certainly in the future.
    assert check(asset, rules=["future-date"], as_of=dt.date(2026, 2, 10))[0].severity is Severity.WARNING


def test_rules_are_selectable_and_unknown_codes_rejected() -> None:
    """Rules are chosen by code; custom rules run too; an unknown code lists the known ones."""
    assert [r.code for r in biopipe.review.CHECK_RULES] == [
        "trial-without-clearance",
        "acceptance-before-submission",
        "decision-without-filing",
        "recruiting-on-hold",
        "duplicate-event",
        "application-out-of-order",
        "conversion-without-accelerated-approval",
        "ambiguous-application",
        "territory-overlap",
        "deal-party-not-on-record",
        "future-date",
    ]
    assert all(r.summary for r in biopipe.review.CHECK_RULES)
    js212 = biopipe.example("js212")
    assert _codes(check(js212, rules=["decision-without-filing"])) == [
        ("decision-without-filing", "info", "assets[0].events[3]")
    ]
    with pytest.raises(biopipe.UnknownCode, match="'duplicate-event'"):
        check(js212, rules=["no-such-rule"])


def test_portfolio_paths_index_assets() -> None:
    """In a portfolio, paths name each asset's index."""
    other = _asset(events=(_event(Agency.FDA, EventKind.MARKETING_APPROVED, "2025-01-02"),))
    found = check(Portfolio(assets=(other, biopipe.example("js212"))), rules=["decision-without-filing"])
    assert [f.path for f in found] == ["assets[0].events[0]", "assets[1].events[3]"]


def test_render_formats() -> None:
    """Text, Markdown and JSON renderings carry every finding."""
    found = check(biopipe.example("js212"))
    text = found.render("text")
    assert text.count("\n") == 2
    assert "[decision-without-filing]" in text
    md = found.render("markdown")
    assert md.splitlines()[0] == "| severity | code | path | message |"
    assert len(md.splitlines()) == 4
    doc = json.loads(found.render("json"))
    assert (doc["format"], doc["version"]) == ("biopipe-findings", 1)
    assert [d["code"] for d in doc["findings"]] == [f.code for f in found]
    with pytest.raises(biopipe.UnknownCode):
        found.render(cast("Any", "html"))


def test_findings_is_a_sequence_with_errors() -> None:
    """check() returns Findings: len, indexing, iteration, truth, and the errors among them."""
    found = check(biopipe.example("js212"))
    assert len(found) == len(found.findings) == 2
    assert list(found) == [found[0], found[1]]
    assert found
    assert not found.errors
    assert not check(biopipe.example("js212"), rules=["duplicate-event"])


def test_as_of_takes_text_and_refuses_a_month() -> None:
    """as_of is a day as a date or text; a month is refused with the same message as every query."""
    js212 = biopipe.example("js212")
    assert check(js212, as_of="2026-01-01") == check(js212, as_of=dt.date(2026, 1, 1))
    with pytest.raises(biopipe.InvalidPartialDate, match="a calendar day"):
        check(js212, as_of="2026-01")
    with pytest.raises(biopipe.InvalidPartialDate, match="a calendar day"):
        biopipe.state_as_of(js212, "US", "2026-01")


# Full generated assets are costly to draw (about 0.2 s each); a quarter of the profile's examples is plenty here.
@settings(max_examples=max(10, settings().max_examples // 4))
@given(bst.assets(), bst.days(2000, 2040))
def test_check_never_raises(asset: Asset, as_of: dt.date) -> None:
    """Every rule runs on any valid asset and every finding points into the document."""
    codes = {r.code for r in biopipe.review.CHECK_RULES}
    for finding in check(asset, as_of=as_of):
        assert finding.path.startswith("assets[0]")
        assert finding.code in codes
        assert finding.message


#: Kinds that show an application in effect (written apart from the implementation).
_IMPLYING = {
    EventKind.CLINICAL_HOLD,
    EventKind.HOLD_LIFTED,
    EventKind.MARKETING_SUBMITTED,
    EventKind.MARKETING_ACCEPTED,
    EventKind.REVIEW_EXTENDED,
    EventKind.COMPLETE_RESPONSE,
    EventKind.MARKETING_REFUSED,
    EventKind.APPROVAL_CONVERTED,
}
_KINDS = [k for k in EventKind if k.application is not biopipe.ApplicationKind.DESIGNATION]


@st.composite
def _dense_assets(draw: st.DrawFn) -> Asset:
    """Small assets whose events and trials share agencies, countries, scopes and years, so rules fire."""
    events = draw(
        st.lists(
            st.builds(
                RegulatoryEvent,
                agency=st.sampled_from([Agency.FDA, Agency.NMPA, Agency.EMA]),
                kind=st.sampled_from(_KINDS),
                date=bst.fact_dates(2024, 2026),
                scope=st.sampled_from([None, "Study A"]),
            ),
            max_size=8,
        )
    )
    trials = []
    for title in draw(st.lists(st.sampled_from(["Study A", "Study B"]), unique=True)):
        status = draw(st.sampled_from(TrialStatus))
        start = draw(st.none() | bst.fact_dates(2024, 2026))
        if status is TrialStatus.PLANNED and start is not None and start.basis is DateBasis.ACTUAL:
            start = FactDate(start.date, DateBasis.ESTIMATED)
        countries = tuple(draw(st.lists(st.sampled_from(["US", "CN", "DE"]), unique=True)))
        trials.append(Trial(title=title, status=status, countries=countries, start=start))
    return _asset(events=tuple(events), trials=tuple(trials))


@given(_dense_assets(), bst.days(2024, 2026))
def test_rules_compose_and_errors_are_real(asset: Asset, as_of: dt.date) -> None:
    """Rules run alone agree with all rules together; an error from trial-without-clearance means no clearance
    in the trial's jurisdiction is dated on or before its start."""
    codes = [r.code for r in biopipe.review.CHECK_RULES]
    everything = check(asset, as_of=as_of)
    assert list(everything) == [f for code in codes for f in check(asset, rules=[code], as_of=as_of)]
    for f in everything:
        if f.code == "trial-without-clearance" and f.severity is Severity.ERROR:
            trial = asset.trials[int(f.path.removeprefix("assets[0].trials[").rstrip("]"))]
            country = f.message.split(" in ")[1][:2]
            start_latest = trial.start.latest if trial.start is not None else dt.date.max
            # Neither a clearance nor a fact implying one (a hold, a marketing filing or review) may precede it.
            assert not any(
                e.kind in (EventKind.IND_CLEARED, EventKind.MARKETING_APPROVED)
                and e.date.basis is not DateBasis.ESTIMATED
                and e.jurisdiction in (country, "EU" if country == "DE" else country)
                and (e.date.earliest or dt.date.min) <= start_latest
                for e in asset.events
            )
            assert not any(
                e.kind in _IMPLYING
                and e.date.basis is not DateBasis.ESTIMATED
                and e.jurisdiction in (country, "EU" if country == "DE" else country)
                for e in asset.events
            )


def test_check_rejects_other_types() -> None:
    """check accepts an Asset or a Portfolio, nothing else."""
    with pytest.raises(biopipe.BiopipeError, match="Asset or Portfolio"):
        check(cast("Any", PartialDate(2025)))
