"""Diffs between snapshots: identity matching, stable order, renderings, and exactly the edited facts."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, cast

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
import query_strategies as qst
from biopipe import Agency, Asset, EventKind, FactDate, Modality, PartialDate, Portfolio, RegistryId, RegulatoryEvent
from biopipe.review import ChangeKind, diff
from biopipe.review._diff import _ATOMS, _KEYED
from biopipe.testing import strategies as bst

JS212 = biopipe.example("js212")


def _rows(d: biopipe.review.Diff) -> list[tuple[str, str]]:
    return [(c.kind.code, c.path) for c in d]


def test_identical_snapshots_have_no_changes() -> None:
    """diff(a, a) is empty, falsy and renders as 'no changes'."""
    d = diff(JS212, JS212)
    assert not d
    assert len(d) == 0
    assert d.render() == "no changes\n"
    assert json.loads(d.render("json")) == {"format": "biopipe-diff", "version": 1, "changes": []}


def test_changed_date_is_one_change_not_removed_and_added() -> None:
    """Moving the NMPA clearance to a day in March is a 'changed' on that event's date."""
    events = list(JS212.events)
    events[1] = attrs.evolve(events[1], date=FactDate(PartialDate(2025, 3, 18)))
    d = diff(JS212, attrs.evolve(JS212, events=tuple(events)))
    (change,) = d.changes
    assert change.kind is ChangeKind.CHANGED
    assert change.path.startswith("assets[JS212].events[nmpa ind_cleared scope=")
    assert change.path.endswith("].date")
    assert (str(change.old), str(change.new)) == ("2025-03", "2025-03-18")


def test_trial_keeps_identity_when_it_gains_a_registry_id() -> None:
    """Adding an NCT id changes Trial.key, yet the trial is matched (by title) and only its ids change."""
    trial = attrs.evolve(JS212.trials[0], ids=(RegistryId("NCT05288205"),))
    d = diff(JS212, attrs.evolve(JS212, trials=(trial, JS212.trials[1])))
    assert _rows(d) == [("added", "assets[JS212].trials[NCT05288205].ids[NCT05288205]")]


def test_additions_removals_and_nested_changes_in_stable_order() -> None:
    """Removals of a collection come before its additions and edits; nested fields get dotted paths."""
    t0 = JS212.trials[0]
    trial = attrs.evolve(t0, countries=("CN", "US"), endpoints=t0.endpoints[:3])
    fda_submitted = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.IND_SUBMITTED, date=FactDate.parse("2025-11"))
    new = attrs.evolve(
        JS212,
        events=(*JS212.events[1:], fda_submitted),
        trials=(trial, JS212.trials[1]),
        targets=(attrs.evolve(JS212.targets[0], aliases=("HER1",)), JS212.targets[1]),
    )
    d = diff(JS212, new)
    title = t0.title
    assert _rows(d) == [
        ("changed", "assets[JS212].targets[EGFR].aliases"),
        ("removed", "assets[JS212].events[nmpa ind_accepted]"),
        ("added", "assets[JS212].events[fda ind_submitted]"),
        ("removed", f"assets[JS212].trials[{title}].endpoints[efficacy 'preliminary efficacy']"),
        ("changed", f"assets[JS212].trials[{title}].countries"),
    ]
    assert _rows(diff(JS212, new)) == _rows(d)
    # The reverse diff swaps additions and removals.
    assert sorted(k for k, _ in _rows(diff(new, JS212))) == ["added", "added", "changed", "changed", "removed"]


def test_repeated_identity_is_numbered() -> None:
    """Two events with the same identity are told apart as key and key#2."""
    e = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.CLINICAL_HOLD, date=FactDate.parse("2024-01"))
    old = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=(e,))
    new = attrs.evolve(old, events=(e, attrs.evolve(e, date=FactDate.parse("2024-06"))))
    assert _rows(diff(old, new)) == [("added", "assets[X1].events[fda clinical_hold#2]")]


def test_portfolio_assets_matched_by_code() -> None:
    """Assets are matched by code across portfolios; an asset against a portfolio works too."""
    other = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE)
    d = diff(JS212, Portfolio(assets=(other, attrs.evolve(JS212, description=None))))
    assert _rows(d) == [("added", "assets[X1]"), ("changed", "assets[JS212].description")]
    assert d.changes[1].new is None


def test_renderings() -> None:
    """Text, Markdown and JSON carry the same changes."""
    new = attrs.evolve(JS212, sponsor="Shanghai Junshi Biosciences", trials=JS212.trials[:1])
    d = diff(JS212, new)
    text = d.render("text").splitlines()
    assert text[0] == "~ assets[JS212].sponsor: 'Junshi Biosciences' -> 'Shanghai Junshi Biosciences'"
    assert text[1].startswith("- assets[JS212].trials[Multi-cohort combination therapy studies of JS212]: {")
    md = d.render("markdown").splitlines()
    assert md[:2] == ["| change | path | old | new |", "| --- | --- | --- | --- |"]
    assert len(md) == 4
    data = json.loads(d.render("json"))["changes"]
    assert data[0] == {
        "kind": "changed",
        "path": "assets[JS212].sponsor",
        "old": "Junshi Biosciences",
        "new": "Shanghai Junshi Biosciences",
    }
    assert "new" not in data[1]  # None is the default: omitted, as every document omits defaults
    assert data[1]["old"]["status"] == "planned"
    with pytest.raises(biopipe.UnknownCode):
        d.render(cast("Any", "html"))
    with pytest.raises(biopipe.BiopipeError, match="Asset or Portfolio"):
        diff(JS212, cast("Any", "JS212"))


# -- properties --------------------------------------------------------------------------------------

_LIGHT = settings(max_examples=max(10, settings().max_examples // 3))


def _event_label(e: RegulatoryEvent) -> str:
    """The documented event identity, written independently of the implementation."""
    parts = [e.agency.code, e.kind.code]
    parts += [e.designation.code] if e.designation is not None else []
    parts += [f"scope={e.scope!r}"] if e.scope is not None else []
    parts += [f"indication={e.indication!r}"] if e.indication is not None else []
    return " ".join(parts)


def _labels(events: tuple[RegulatoryEvent, ...]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for e in events:
        key = _event_label(e)
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


@_LIGHT
@given(bst.assets())
def test_diff_with_itself_is_empty(asset: Asset) -> None:
    """diff(a, a) has no changes, for any asset, and so does diff of equal copies."""
    assert diff(asset, asset).changes == ()
    assert diff(asset, biopipe.loads(biopipe.dumps(asset))).changes == ()


@_LIGHT
@given(bst.assets(max_events=5), st.data())
def test_diff_reports_exactly_the_edits(asset: Asset, data: st.DataObject) -> None:
    """Random edits (sponsor, event dates, trials, removed and added events) are exactly what diff reports."""
    where = f"assets[{asset.code}]"
    expected: set[tuple[str, str, object, object]] = set()
    new = asset
    # Distinct dates outside the strategies' years, so no edited event equals another.
    fresh = (FactDate(PartialDate(2099, 1, d)) for d in range(1, 32))

    if data.draw(st.booleans(), "edit sponsor"):
        new = attrs.evolve(new, sponsor=asset.sponsor + " (renamed)")
        expected.add(("changed", f"{where}.sponsor", asset.sponsor, new.sponsor))

    events = list(asset.events)
    labels = _labels(asset.events)
    # Only an event whose identity is unique can be removed unambiguously (identity is all diff can go by).
    keys = [_event_label(e) for e in events]
    removable = [i for i, key in enumerate(keys) if keys.count(key) == 1]
    removed = data.draw(st.sets(st.sampled_from(removable)) if removable else st.just(set[int]()), "removed")
    for i in sorted(removed):
        expected.add(("removed", f"{where}.events[{labels[i]}]", events[i], None))
    kept = [i for i in range(len(events)) if i not in removed]
    edited = data.draw(st.sets(st.sampled_from(kept)) if kept else st.just(set[int]()), "edited")
    for i in edited:
        events[i] = attrs.evolve(events[i], date=next(fresh))
    new_events = [events[i] for i in kept]
    added = RegulatoryEvent(agency=Agency.TGA, kind=EventKind.IND_SUBMITTED, date=next(fresh))
    # An addition with the identity of a removed event is that event changed (diff goes by identity): not drawn.
    if data.draw(st.booleans(), "add event") and all(_event_label(events[i]) != _event_label(added) for i in removed):
        new_events.append(added)
        expected.add(("added", f"{where}.events[{_labels(tuple(new_events))[-1]}]", None, new_events[-1]))
    new_labels = _labels(tuple(new_events))
    for pos, i in enumerate(kept):
        if i in edited:
            expected.add(("changed", f"{where}.events[{new_labels[pos]}].date", asset.events[i].date, events[i].date))
    new = attrs.evolve(new, events=tuple(new_events))

    trials = list(new.trials)
    for i in sorted(data.draw(st.sets(st.integers(0, len(trials) - 1)) if trials else st.just(set[int]()))):
        text = f"edited {i}"
        trials[i] = attrs.evolve(trials[i], why_stopped=text)
        if asset.trials[i].why_stopped != text:
            expected.add(("changed", f"{where}.trials[{trials[i].key}].why_stopped", asset.trials[i].why_stopped, text))
    new = attrs.evolve(new, trials=tuple(trials))

    got = {(c.kind.code, c.path, c.old, c.new) for c in diff(asset, new)}
    assert got == expected
    assert len(diff(asset, new)) == len(expected)
    # The reverse diff has the same paths for edits, with additions and removals swapped.
    back = {(c.kind.code, c.old, c.new) for c in diff(new, asset)}
    swap = {"added": "removed", "removed": "added", "changed": "changed"}
    assert back == {(swap[k], n, o) for k, _, o, n in expected}


# -- the index-based matcher against a straightforward reference -------------------------------------


def _reference_match(old: Sequence[Any], new: Sequence[Any], keys: tuple[Callable[[Any], str], ...]) -> dict[int, int]:
    """Pair old indexes with new ones as documented, the obvious quadratic way."""
    pairs: dict[int, int] = {}
    free_old = list(range(len(old)))
    free_new = list(range(len(new)))
    for key in keys:
        for exact in (True, False):
            for j in list(free_new):
                same = [i for i in free_old if key(old[i]) == key(new[j])]
                pick = next((i for i in same if not exact or old[i] == new[j]), None)
                if pick is not None:
                    pairs[pick] = j
                    free_old.remove(pick)
                    free_new.remove(j)
    return pairs


def _reference_labels(items: Sequence[Any], key: Callable[[Any], str]) -> list[str]:
    keys = [key(item) for item in items]
    return [k if keys[:n].count(k) == 0 else f"{k}#{keys[:n].count(k) + 1}" for n, k in enumerate(keys)]


def _reference_diff(old: Any, new: Any, path: str, out: list[tuple[str, str, object, object]]) -> None:
    """The documented diff, written plainly: compare, recurse into attrs fields, match keyed tuples."""
    if old == new:
        return
    cls = type(old)
    if type(new) is not cls or not attrs.has(cls) or isinstance(old, _ATOMS):
        out.append(("changed", path, old, new))
        return
    for field in attrs.fields(cls):
        a, b = getattr(old, field.name), getattr(new, field.name)
        where = f"{path}.{field.name}"
        keys = _KEYED.get((cls, field.name))
        if keys is None:
            _reference_diff(a, b, where, out)
            continue
        pairs = _reference_match(a, b, keys)
        old_labels, new_labels = _reference_labels(a, keys[0]), _reference_labels(b, keys[0])
        out += [("removed", f"{where}[{old_labels[i]}]", x, None) for i, x in enumerate(a) if i not in pairs]
        by_new = {j: i for i, j in pairs.items()}
        for j, y in enumerate(b):
            if j in by_new:
                _reference_diff(a[by_new[j]], y, f"{where}[{new_labels[j]}]", out)
            else:
                out.append(("added", f"{where}[{new_labels[j]}]", None, y))


def _as_rows(d: biopipe.review.Diff) -> list[tuple[str, str, object, object]]:
    return [(c.kind.code, c.path, c.old, c.new) for c in d]


def _reference(old: Portfolio, new: Portfolio) -> list[tuple[str, str, object, object]]:
    out: list[tuple[str, str, object, object]] = []
    _reference_diff(old, new, "", out)
    return [(kind, path[1:], o, n) for kind, path, o, n in out]  # "" + ".assets[...]" -> "assets[...]"


@st.composite
def _shuffled_edits(draw: st.DrawFn, items: tuple[Any, ...]) -> tuple[Any, ...]:
    """*items* reordered, with some dropped and some repeated (repeated identities get '#2')."""
    kept = draw(st.lists(st.sampled_from(items), max_size=len(items) + 2)) if items else []
    return tuple(draw(st.permutations(kept)))


@st.composite
def _edited_portfolio(draw: st.DrawFn, portfolio: Portfolio) -> Portfolio:
    assets = []
    for asset in portfolio.assets:
        if draw(st.integers(0, 4)) == 0:
            continue  # removed
        events = list(draw(_shuffled_edits(asset.events)))
        for i in draw(st.sets(st.integers(0, len(events) - 1))) if events else ():
            events[i] = attrs.evolve(events[i], date=FactDate(PartialDate(2099, i % 12 + 1)))
        trials = draw(st.permutations(asset.trials))
        assets.append(attrs.evolve(asset, events=tuple(events), trials=tuple(trials)))
    return Portfolio(assets=tuple(draw(st.permutations(assets))))


@given(qst.portfolios(), qst.portfolios())
def test_matcher_agrees_with_the_reference_on_independent_portfolios(old: Portfolio, new: Portfolio) -> None:
    """Two lean portfolios drawn apart (same codes, few agencies, so identities collide): same changes, same order."""
    assert _as_rows(diff(old, new)) == _reference(old, new)


@_LIGHT
@given(bst.portfolios(), st.data())
def test_matcher_agrees_with_the_reference_on_edited_portfolios(old: Portfolio, data: st.DataObject) -> None:
    """A portfolio against itself reordered, with assets dropped and events dropped, repeated and redated."""
    new = data.draw(_edited_portfolio(old), "new")
    assert _as_rows(diff(old, new)) == _reference(old, new)
    assert _as_rows(diff(new, old)) == _reference(new, old)
