"""Merging two documents: facts combine with their sources; every conflict is kept and reported, none settled."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Enrollment,
    FactDate,
    PartialDate,
    Phase,
    Portfolio,
    RegistryId,
    Source,
    Trial,
    TrialStatus,
)
from biopipe.cli import main
from biopipe.curate import link, merge
from biopipe.document import to_document
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from pathlib import Path

JS212 = biopipe.example("js212")
NEWS = Source(
    title="Junshi Biosciences interim results", publisher="Junshi Biosciences", url="https://example.org/js212"
)
EVENT = "assets[JS212].events[nmpa ind_cleared scope='Phase 1/2 study of JS212 in patients with advanced solid tumors']"


def _later_snapshot() -> biopipe.Asset:
    """JS212 with the NMPA clearance of the phase 1/2 study dated to a day, and one more source for it."""
    events = list(JS212.events)
    events[1] = attrs.evolve(events[1], date=FactDate(PartialDate(2025, 3, 18)), sources=(*events[1].sources, NEWS))
    return attrs.evolve(JS212, events=tuple(events))


def test_two_snapshots_merge_with_exactly_the_one_conflicting_date() -> None:
    """Must show: one conflict, naming that event's date with both values and sources; the added source kept."""
    later = _later_snapshot()
    report = merge(JS212, later)

    [conflict] = report.conflicts
    assert conflict.path == f"{EVENT}.date"
    assert (str(conflict.a), str(conflict.b)) == ("2025-03", "2025-03-18")
    assert conflict.a_sources == JS212.events[1].sources
    assert conflict.b_sources == (*JS212.events[1].sources, NEWS)
    assert conflict.reason is None

    merged = report.portfolio["JS212"]
    assert str(merged.events[1].date) == "2025-03"  # the first document's value is kept
    assert merged.events[1].sources == (*JS212.events[1].sources, NEWS)  # the added source is kept
    assert attrs.evolve(merged, events=JS212.events) == JS212  # nothing else changed

    # The other way round: the same one conflict, the other value kept.
    [back] = merge(later, JS212).conflicts
    assert (back.path, str(back.a), str(back.b)) == (conflict.path, "2025-03-18", "2025-03")


def test_merge_cli_exits_1_and_reports_the_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`biopipe merge A B -o C --report R`: C holds the merged document, R exactly the one conflict."""
    a, b, out, report = (tmp_path / n for n in ("a.json", "b.json", "c.json", "r.json"))
    biopipe.dump(JS212, a)
    biopipe.dump(_later_snapshot(), b)
    assert main(["merge", str(a), str(b), "-o", str(out), "--report", str(report)]) == 1
    assert capsys.readouterr().out == ""
    doc = json.loads(report.read_text("utf-8"))
    assert doc["format"] == "biopipe-merge"
    [conflict] = doc["conflicts"]
    assert (conflict["path"], conflict["a"], conflict["b"]) == (f"{EVENT}.date", "2025-03", "2025-03-18")
    assert conflict["b_sources"][-1]["title"] == NEWS.title
    merged = biopipe.load(out)
    assert merged["JS212"].events[1].sources[-1] == NEWS

    # Without --report the text goes to stdout; without conflicts the exit code is 0.
    assert main(["merge", str(a), str(b), "-o", str(out)]) == 1
    text = capsys.readouterr().out
    assert text.startswith(f"conflict {EVENT}.date: 2025-03 (kept) vs 2025-03-18\n")
    assert text.endswith("1 conflict\n")
    assert main(["merge", str(a), str(a), "-o", str(out)]) == 0
    assert capsys.readouterr().out == "no conflicts\n"
    assert biopipe.load(out) == Portfolio(assets=(JS212,))


def test_merge_cli_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", "utf-8")
    assert main(["merge", str(bad), str(bad), "-o", str(tmp_path / "out.json")]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_fields_one_side_lacks_are_filled_and_lists_united() -> None:
    trial = JS212.trials[1]
    richer = attrs.evolve(trial, phase=Phase.PHASE2, countries=("CN", "US"), enrollment=Enrollment(count=40))
    report = merge(attrs.evolve(JS212, trials=(JS212.trials[0], trial)), attrs.evolve(JS212, trials=(richer,)))
    assert report.conflicts == ()
    merged = report.portfolio["JS212"].trials
    assert merged == (JS212.trials[0], richer)


def test_two_phases_and_two_sponsors_are_conflicts_by_identity_path() -> None:
    t0 = JS212.trials[0]
    other = attrs.evolve(
        JS212,
        sponsor="Shanghai Junshi Biosciences",
        trials=(attrs.evolve(t0, phase=Phase.PHASE1), JS212.trials[1]),
    )
    report = merge(JS212, other)
    assert [(c.path, c.a, c.b) for c in report.conflicts] == [
        ("assets[JS212].sponsor", "Junshi Biosciences", "Shanghai Junshi Biosciences"),
        (f"assets[JS212].trials[{t0.key}].phase", Phase.PHASE1_2, Phase.PHASE1),
    ]
    assert report.conflicts[1].a_sources == t0.sources
    findings = report.findings
    assert [(f.code, f.severity.code, f.path) for f in findings] == [
        ("merge-conflict", "error", c.path) for c in report.conflicts
    ]
    assert report.render("markdown").splitlines()[2].startswith("| assets[JS212].sponsor | 'Junshi Biosciences' |")


def test_trials_are_one_trial_by_a_shared_registry_id_or_by_title_without_ids() -> None:
    t = JS212.trials[1]
    with_id = attrs.evolve(t, ids=(RegistryId("NCT05288205"),))
    # Gaining an id: the same trial (same title, one side without ids).
    assert merge(JS212, attrs.evolve(JS212, trials=(JS212.trials[0], with_id))).portfolio["JS212"].trials[1] == with_id
    # Two different ids under one title: two trials.
    other_id = attrs.evolve(t, ids=(RegistryId("NCT04956640"),))
    report = merge(attrs.evolve(JS212, trials=(with_id,)), attrs.evolve(JS212, trials=(other_id,)))
    assert report.portfolio["JS212"].trials == (with_id, other_id)
    assert report.conflicts == ()
    # A shared id, listed in another order: one trial.
    both = attrs.evolve(t, ids=(RegistryId("NCT04956640"), RegistryId("NCT05288205")))
    assert merge(attrs.evolve(JS212, trials=(with_id,)), attrs.evolve(JS212, trials=(both,))).portfolio[
        "JS212"
    ].trials == (attrs.evolve(t, ids=(RegistryId("NCT05288205"), RegistryId("NCT04956640"))),)


def test_versions_that_cannot_be_combined_keep_the_first_whole_and_say_why() -> None:
    """A planned trial and a started one: the status conflicts, and the filled start would be invalid."""
    planned = Trial(title="T", status=TrialStatus.PLANNED)
    started = Trial(title="T", status=TrialStatus.RECRUITING, start=FactDate.parse("2025-04-01"))
    report = merge(attrs.evolve(JS212, trials=(planned,)), attrs.evolve(JS212, trials=(started,)))
    assert report.portfolio["JS212"].trials == (planned,)
    assert [(c.path, c.reason is not None) for c in report.conflicts] == [
        ("assets[JS212].trials[T].status", False),
        ("assets[JS212].trials[T]", True),
    ]
    assert "no actual start date while the trial is planned" in str(report.conflicts[1])


def test_repeated_identities_pair_with_the_version_that_agrees() -> None:
    """Two FDA IND clearances without scope: a copy of the second pairs with the second, not the first."""
    fda = JS212.events[3]
    second = attrs.evolve(fda, date=FactDate.parse("2026-02"), note="second")
    a = attrs.evolve(JS212, events=(fda, second))
    b = attrs.evolve(JS212, events=(attrs.evolve(second, note=None, sources=(NEWS,)),))
    report = merge(a, b)
    assert report.conflicts == ()
    assert report.portfolio["JS212"].events == (fda, attrs.evolve(second, sources=(*second.sources, NEWS)))


def test_a_registry_trial_and_its_linked_version_are_one_trial() -> None:
    """Before and after `link`: the trial is on the asset once, and no longer a registry trial."""
    named = Trial(
        title="JS212 first-in-human",
        status=TrialStatus.RECRUITING,
        ids=(RegistryId("NCT09000001"),),
        interventions=(biopipe.Intervention(name="JS-212"),),
    )
    other = Trial(title="Something else", status=TrialStatus.COMPLETED, ids=(RegistryId("NCT09000009"),))
    before = Portfolio(assets=(JS212,), trials=(named, other))
    after = link(before).portfolio
    assert [t.key for t in after.trials] == ["NCT09000009"]
    for a, b in ((before, after), (after, before)):
        report = merge(a, b)
        assert report.conflicts == ()
        assert report.portfolio == after
    # The registry's record says phase 1, the linked one phase 2: a conflict at the linked trial, a's value kept.
    report = merge(
        attrs.evolve(before, trials=(attrs.evolve(named, phase=Phase.PHASE1), other)),
        attrs.evolve(after, assets=(after["JS212"].with_trials([attrs.evolve(named, phase=Phase.PHASE2)]),)),
    )
    assert [(c.path, c.a, c.b) for c in report.conflicts] == [
        ("assets[JS212].trials[NCT09000001].phase", Phase.PHASE1, Phase.PHASE2)
    ]
    assert report.portfolio["JS212"].trials[-1].phase is Phase.PHASE1
    assert [t.key for t in report.portfolio.trials] == ["NCT09000009"]


def test_registry_trials_combine_by_identity() -> None:
    t = Trial(title="T", status=TrialStatus.RECRUITING, ids=(RegistryId("NCT09000001"),))
    richer = attrs.evolve(t, phase=Phase.PHASE3, countries=("US",))
    report = merge(Portfolio(trials=(t,)), Portfolio(trials=(richer, JS212.trials[0])))
    assert report.conflicts == ()
    assert report.portfolio.trials == (richer, JS212.trials[0])
    stopped = attrs.evolve(t, status=TrialStatus.COMPLETED)
    [conflict] = merge(Portfolio(trials=(t,)), Portfolio(trials=(stopped,))).conflicts
    assert conflict.path == "trials[NCT09000001].status"


# -- properties -------------------------------------------------------------------------------------

# Drawing whole portfolios is the slow part of these properties (merging them takes milliseconds).
_LIGHT = settings(max_examples=max(10, settings().max_examples // 3))


def _canonical(value: Any) -> Any:
    """A document's data with every list sorted: the same facts, whatever their order."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _facts(portfolio: Portfolio) -> Any:
    return _canonical(to_document(portfolio))


def _some(draw: st.DrawFn, items: tuple[Any, ...]) -> tuple[Any, ...]:
    keep = draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
    return tuple(item for item, kept in zip(items, keep, strict=True) if kept)


@st.composite
def _part_of(draw: st.DrawFn, portfolio: Portfolio) -> Portfolio:
    """Some of the facts of *portfolio*: fewer assets, events, trials, sources; optional fields left out."""
    assets = []
    for asset in _some(draw, portfolio.assets):
        events = tuple(attrs.evolve(e, sources=_some(draw, e.sources), note=None) for e in _some(draw, asset.events))
        trials = tuple(
            attrs.evolve(t, sources=_some(draw, t.sources), countries=_some(draw, t.countries), enrollment=None)
            for t in _some(draw, asset.trials)
        )
        assets.append(
            attrs.evolve(
                asset,
                description=draw(st.sampled_from([asset.description, None])),
                aliases=_some(draw, asset.aliases),
                indications=_some(draw, asset.indications),
                events=events,
                trials=trials,
                sources=_some(draw, asset.sources),
            )
        )
    registry = tuple(attrs.evolve(t, sources=_some(draw, t.sources)) for t in _some(draw, portfolio.trials))
    return Portfolio(assets=tuple(assets), trials=registry)


@_LIGHT
@given(bst.portfolios(max_assets=2, max_trials=2))
def test_merging_a_document_with_itself_changes_nothing(portfolio: Portfolio) -> None:
    report = merge(portfolio, portfolio)
    assert report.portfolio == portfolio
    assert report.conflicts == ()


@_LIGHT
@given(st.data(), bst.portfolios(max_assets=2, max_trials=2))
def test_merging_a_part_into_the_whole_changes_nothing(data: st.DataObject, whole: Portfolio) -> None:
    part = data.draw(_part_of(whole))
    report = merge(whole, part)
    assert report.conflicts == ()
    assert report.portfolio == whole
    # The other way round: the same facts, without a conflict.
    back = merge(part, whole)
    assert back.conflicts == ()
    assert _facts(back.portfolio) == _facts(whole)


@_LIGHT
@given(st.data(), bst.portfolios(max_assets=2, max_trials=2), bst.portfolios(max_assets=2, max_trials=2))
def test_without_conflicts_the_order_of_the_documents_does_not_change_the_facts(
    data: st.DataObject, whole: Portfolio, other: Portfolio
) -> None:
    """Two parts of one document, plus unrelated assets: merge(a, b) and merge(b, a) hold the same facts."""
    a = data.draw(_part_of(whole))
    b = data.draw(_part_of(whole))
    codes = {x.code for x in whole}
    b = Portfolio(assets=(*b.assets, *(x for x in other if x.code not in codes)))
    forward, backward = merge(a, b), merge(b, a)
    assume(not forward.conflicts and not backward.conflicts)
    assert _facts(forward.portfolio) == _facts(backward.portfolio)


def test_merge_accepts_assets_and_portfolios() -> None:
    assert merge(JS212, Portfolio(assets=(JS212,))).portfolio == Portfolio(assets=(JS212,))
