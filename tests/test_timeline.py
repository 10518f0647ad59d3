"""The timeline: every dated fact, in one documented total order, filterable and rendered three ways."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
import query_strategies as qst
from biopipe import Agency, DateBasis, EventKind, FactDate, PartialDate, Timeline, TimelineEntry, TrialStatus, timeline
from biopipe.query import Milestone
from biopipe.testing import strategies as bst

JS212 = biopipe.example("js212")


def test_js212_order_is_the_press_release_order() -> None:
    """NMPA IND accepted, NMPA clearance, combination clearance, FDA (announced), then the trials."""
    tl = timeline(JS212)
    assert [(str(e.date), e.agency, e.kind) for e in tl][:4] == [
        ("2025-01", Agency.NMPA, EventKind.IND_ACCEPTED),
        ("2025-03", Agency.NMPA, EventKind.IND_CLEARED),
        ("2025-11", Agency.NMPA, EventKind.IND_CLEARED),
        ("on or before 2025-12-14", Agency.FDA, EventKind.IND_CLEARED),
    ]
    assert "combination" in (tl[2].label)
    started, planned = tl[4], tl[5]
    assert (started.kind, str(started.date), started.planned) == (
        Milestone.TRIAL_START,
        "on or before 2025-12-15",
        False,
    )
    assert started.trial == JS212.trials[0].key
    assert started.countries == ("CN",)
    assert (planned.date, planned.planned, planned.fact) == (None, True, JS212.trials[1])
    assert len(tl) == 6


def test_entries_carry_their_source_fact() -> None:
    """Each event entry points at the very RegulatoryEvent it was read from."""
    tl = timeline(JS212, kind=list(EventKind))
    assert [e.fact for e in tl] == list(JS212.events)


def test_estimated_dates_are_planned_and_actual_ones_not() -> None:
    """A trial's estimated completion is a planned entry; its actual start is not."""
    trial = biopipe.Trial(
        title="T",
        status=TrialStatus.RECRUITING,
        start=FactDate(PartialDate(2025, 4)),
        primary_completion=FactDate(PartialDate(2027), DateBasis.ESTIMATED),
    )
    asset = attrs.evolve(JS212, trials=(trial,), events=())
    kinds = [(e.kind, e.planned) for e in timeline(asset)]
    assert kinds == [(Milestone.TRIAL_START, False), (Milestone.TRIAL_PRIMARY_COMPLETION, True)]


def test_undated_trials_that_are_not_planned_do_not_appear() -> None:
    """Only planned trials without dates appear (undated, last); a recruiting trial without dates adds nothing."""
    trial = biopipe.Trial(title="T", status=TrialStatus.RECRUITING)
    asset = attrs.evolve(JS212, trials=(trial,), events=())
    assert len(timeline(asset)) == 0


def test_since_until_keep_entries_that_overlap() -> None:
    """A month-precision date overlaps a range that covers only part of it."""
    tl = timeline(JS212)
    assert [str(e.date) for e in tl.filter(since="2025-03-31", until="2025-03-31")] == ["2025-03"]
    assert [str(e.date) for e in tl.filter(since=PartialDate(2025, quarter=4))] == [
        "2025-11",
        "on or before 2025-12-14",
        "on or before 2025-12-15",
    ]
    assert len(tl.filter(until="2024")) == 0


def test_filters_by_agency_jurisdiction_kind_and_asset() -> None:
    """Agency codes and abbreviations, jurisdictions (trial sites too), kinds and asset codes all filter."""
    tl = timeline(JS212)
    assert [e.agency for e in tl.filter(agency="nmpa")] == [Agency.NMPA] * 3
    assert tl.filter(agency="FDA") == tl.filter(agency=Agency.FDA) == tl.filter(jurisdiction="us")
    assert len(tl.filter(jurisdiction="CN")) == 5
    assert len(tl.filter(kind="ind_cleared")) == 3
    assert len(tl.filter(kind=Milestone.TRIAL_START)) == 2
    assert len(tl.filter(asset="OTHER")) == 0
    assert tl.filter(asset=["JS212"]) == tl


def test_eu_jurisdiction_covers_member_state_sites() -> None:
    """A trial with a site in Germany is an EU entry."""
    trial = biopipe.Trial(
        title="T", status=TrialStatus.RECRUITING, countries=("DE",), start=FactDate(PartialDate(2025))
    )
    asset = attrs.evolve(JS212, trials=(trial,), events=())
    assert len(timeline(asset, jurisdiction="EU")) == 1
    assert len(timeline(asset, jurisdiction="FR")) == 0


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        ({"since": "soon"}, "'soon'"),
        ({"until": "2025-13"}, "'2025-13'"),
        ({"agency": "nope"}, "'nope'"),
        ({"jurisdiction": "XX"}, "'XX'"),
        ({"kind": "launch"}, "'launch'"),
    ],
)
def test_bad_filter_values_raise_biopipe_errors_naming_the_value(arguments: dict[str, Any], shown: str) -> None:
    """Bad filters are `BiopipeError`s whose message shows the value."""
    with pytest.raises(biopipe.BiopipeError, match=shown):
        timeline(JS212, **arguments)


def test_renderings() -> None:
    """Text lines up, Markdown is a table, JSON round-trips through the dict form with ISO-style dates."""
    tl = timeline(JS212)
    text = tl.render("text").splitlines()
    assert len(text) == 6
    assert len({line.index("JS212") for line in text}) == 1
    assert text[-1].endswith("[planned]")
    md = tl.render("markdown").splitlines()
    assert md[0] == "| Date | Asset | Where | Agency | What |"
    assert len(md) == 2 + len(tl)
    doc = json.loads(tl.render("json"))
    assert doc == biopipe.document.to_document(tl)
    assert (doc["format"], doc["version"]) == ("biopipe-timeline", 1)
    assert [e["date"] for e in doc["entries"]] == [
        "2025-01",
        "2025-03",
        "2025-11",
        "on or before 2025-12-14",
        "on or before 2025-12-15",
        None,
    ]
    assert doc["entries"][0] == {
        "asset": "JS212",
        "date": "2025-01",
        "kind": "ind_accepted",
        "label": "IND accepted",
        "agency": "nmpa",
        "jurisdiction": "CN",
    }
    assert Timeline(()).render() == "(no entries)\n"


def test_markdown_escapes_pipes() -> None:
    """A | in a label does not break the table."""
    event = attrs.evolve(JS212.events[0], scope="a | b")
    md = timeline(attrs.evolve(JS212, events=(event,), trials=())).render("markdown")
    assert "a \\| b" in md


def test_slicing_gives_a_timeline() -> None:
    """Timelines slice to timelines and index to entries."""
    tl = timeline(JS212)
    assert isinstance(tl[1:3], Timeline)
    assert list(tl[1:3]) == [tl[1], tl[2]]
    assert isinstance(tl[0], TimelineEntry)


# -- properties ------------------------------------------------------------------------


def _expected_facts(portfolio: biopipe.Portfolio) -> Counter[tuple[str, str, str | None]]:
    """The record's dated facts, computed independently of the timeline code."""
    facts: Counter[tuple[str, str, str | None]] = Counter()
    for asset in portfolio.assets:
        for event in asset.events:
            facts[(asset.code, event.kind.code, str(event.date))] += 1
        for trial in asset.trials:
            dates = {"trial_start": trial.start, "trial_primary_completion": trial.primary_completion}
            dates["trial_completion"] = trial.completion
            for kind, date in dates.items():
                if date is not None:
                    facts[(asset.code, kind, str(date))] += 1
            if all(d is None for d in dates.values()) and trial.status in (
                TrialStatus.PLANNED,
                TrialStatus.NOT_YET_RECRUITING,
            ):
                facts[(asset.code, "trial_start", None)] += 1
        for deal in asset.deals:
            facts[(asset.code, "deal", str(deal.date))] += 1
        for party in asset.parties:
            # A party's start on the very day of a deal that names it is that deal's entry.
            dealt = any(
                d.date.date == party.start and party.name.casefold() in {n.casefold() for n in d.parties}
                for d in asset.deals
            )
            if party.start is not None and not dealt:
                facts[(asset.code, "rights_start", str(party.start))] += 1
            if party.end is not None:
                facts[(asset.code, "rights_end", str(party.end))] += 1
    return facts


@given(qst.portfolios())
def test_timeline_is_sorted_and_a_permutation_of_the_dated_facts(portfolio: biopipe.Portfolio) -> None:
    """Every dated fact appears exactly once, dated entries by (earliest, latest) day, undated last."""
    tl = timeline(portfolio)
    seen = Counter((e.asset, e.kind.code, None if e.date is None else str(e.date)) for e in tl)
    assert seen == _expected_facts(portfolio)
    keys = [e.sort_key for e in tl]
    assert keys == sorted(keys)
    dated = [e.date.date for e in tl if e.date is not None]
    assert all(a.sort_key <= b.sort_key for a, b in itertools.pairwise(dated))
    undated = [e.date is None for e in tl]
    assert undated == sorted(undated)
    # Entries are built without re-running validators; evolve runs them and must accept every entry.
    assert all(attrs.evolve(e) == e for e in tl)


@settings(max_examples=15)
@given(bst.assets())
def test_timeline_of_any_model_asset_is_a_sorted_permutation(asset: biopipe.Asset) -> None:
    """The same holds for fully populated assets from biopipe.testing.strategies (designations, ids, sources)."""
    portfolio = biopipe.Portfolio(assets=(asset,))
    tl = timeline(portfolio)
    seen = Counter((e.asset, e.kind.code, None if e.date is None else str(e.date)) for e in tl)
    assert seen == _expected_facts(portfolio)
    assert [e.sort_key for e in tl] == sorted(e.sort_key for e in tl)


@given(qst.portfolios())
def test_timeline_does_not_depend_on_asset_order(portfolio: biopipe.Portfolio) -> None:
    """The order is total up to facts of one asset with equal keys, which keep record order."""
    assert timeline(portfolio) == timeline(reversed(portfolio.assets))


_FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "since": bst.partial_dates(),
        "until": bst.partial_dates(),
        "agency": st.sampled_from(Agency),
        "jurisdiction": st.sampled_from(["US", "CN", "EU", "DE", "JP"]),
        "kind": st.lists(st.sampled_from([*EventKind, *Milestone]), min_size=1, max_size=3),
    },
)


@given(qst.portfolios(), _FILTERS, st.randoms(use_true_random=False))
def test_filtering_commutes_with_sorting(
    portfolio: biopipe.Portfolio, filters: dict[str, Any], rnd: random.Random
) -> None:
    """Sorting then filtering gives the same timeline as filtering a shuffled list then sorting."""
    tl = timeline(portfolio)
    shuffled = list(tl)
    rnd.shuffle(shuffled)
    filtered = Timeline(tuple(shuffled)).filter(**filters)
    assert Timeline.from_entries(filtered) == tl.filter(**filters)
    assert timeline(portfolio, **filters) == tl.filter(**filters)


@given(qst.portfolios(), bst.partial_dates(2018, 2032), bst.partial_dates(2018, 2032))
def test_since_until_keep_exactly_the_overlapping_dated_entries(
    portfolio: biopipe.Portfolio, since: PartialDate, until: PartialDate
) -> None:
    """An entry is kept iff its written date overlaps [since.earliest, until.latest]."""
    tl = timeline(portfolio)
    kept = tl.filter(since=since, until=until)
    expected = [
        e
        for e in tl
        if e.date is not None and e.date.date.latest >= since.earliest and e.date.date.earliest <= until.latest
    ]
    assert list(kept) == expected
