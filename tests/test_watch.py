"""Watch lists and ``biopipe watch``: the changes and due events of what a watch list names."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
import query_strategies as qst
from biopipe import Agency, Asset, EventKind, FactDate, Modality, Party, PartyRole, Portfolio, RegulatoryEvent, Target
from biopipe.cli import main
from biopipe.review import Expected, WatchList, diff, parse_watchlist, watch

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from biopipe.review._watch import DueSource

JS212 = biopipe.example("js212")
OTHER = Asset(
    code="ZW-9", sponsor="Zymo Therapeutics", modality=Modality.SMALL_MOLECULE, targets=(Target(symbol="KRAS"),)
)
FDA_FILED = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.MARKETING_SUBMITTED, date=FactDate.parse("2026-02-03"))


def _snapshots() -> tuple[Portfolio, Portfolio]:
    old = Portfolio(assets=(JS212, OTHER))
    new = Portfolio(
        assets=(
            attrs.evolve(JS212, sponsor="Shanghai Junshi Biosciences"),
            attrs.evolve(OTHER, events=(FDA_FILED,)),
        )
    )
    return old, new


def _paths(report: biopipe.review.WatchReport) -> list[str]:
    return [c.path for c in report.changes]


@pytest.mark.parametrize(
    ("watchlist", "watched"),
    [
        (WatchList(assets=("js212",)), ["JS212"]),
        (WatchList(targets=("HER3",)), ["JS212"]),  # an HGNC alias of ERBB3
        (WatchList(targets=("kras2",)), ["ZW-9"]),  # a previous symbol of KRAS
        (WatchList(sponsors=("junshi",)), ["JS212"]),
        (WatchList(sponsors=("Zymo",)), ["ZW-9"]),
        (WatchList(targets=("EGFR",), sponsors=("Zymo Therapeutics",)), ["JS212", "ZW-9"]),
    ],
)
def test_changes_are_kept_for_the_watched_assets_only(watchlist: WatchList, watched: list[str]) -> None:
    old, new = _snapshots()
    report = watch(watchlist, old, new)
    assert [w.asset for w in report.watched] == watched
    everything = diff(old, new).changes
    assert report.changes == tuple(c for c in everything if any(c.path.startswith(f"assets[{a}]") for a in watched))
    assert report.unmatched == ()
    assert bool(report)


def test_a_sponsor_matches_whole_words_of_the_sponsor_or_a_party() -> None:
    partnered = attrs.evolve(
        OTHER, parties=(Party(name="Bristol-Myers Squibb", role=PartyRole.LICENSEE),), sponsor="Zymo"
    )
    assert WatchList(sponsors=("bristol myers",)).reasons(partnered) == ("sponsor bristol myers",)
    assert WatchList(sponsors=("Zym",)).reasons(partnered) == ()  # a part of a word is not a match
    assert WatchList(sponsors=("Squibb Bristol",)).reasons(partnered) == ()  # the words in order


def test_an_asset_becomes_watched_when_it_gains_a_watched_target() -> None:
    old = Portfolio(assets=(OTHER,))
    new = Portfolio(assets=(attrs.evolve(OTHER, targets=(*OTHER.targets, Target(symbol="ERBB3"))),))
    report = watch(WatchList(targets=("HER3",)), old, new)
    assert [str(w) for w in report.watched] == ["ZW-9 (target HER3)"]
    assert _paths(report) == ["assets[ZW-9].targets[ERBB3]"]


def test_added_and_removed_watched_assets_are_reported() -> None:
    report = watch(WatchList(assets=("JS212", "ZW-9")), Portfolio(assets=(JS212,)), Portfolio(assets=(OTHER,)))
    assert [(c.kind.code, c.path) for c in report.changes] == [("removed", "assets[JS212]"), ("added", "assets[ZW-9]")]


def test_unchanged_watched_assets_report_nothing_and_unmatched_entries_are_listed() -> None:
    old, _ = _snapshots()
    report = watch(WatchList(assets=("JS212", "NOPE-1"), targets=("BRAF",)), old, old)
    assert not report
    assert report.unmatched == ("asset NOPE-1", "target BRAF")
    assert report.render("text").splitlines() == [
        "watching: JS212 (asset JS212)",
        "no changes",
        "expected events: not checked",
        "matched no asset: asset NOPE-1, target BRAF",
    ]


def test_the_report_renders_as_markdown_and_a_json_document() -> None:
    old, new = _snapshots()
    report = watch(WatchList(sponsors=("Zymo",)), old, new)
    doc = json.loads(report.render("json"))
    assert doc["format"] == "biopipe-watch"
    assert [c["path"] for c in doc["changes"]] == ["assets[ZW-9].events[fda marketing_submitted]"]
    assert doc["watched"] == [{"asset": "ZW-9", "because": ["sponsor Zymo"]}]
    markdown = report.render("markdown").splitlines()
    assert markdown[0] == "| watched | kind | path or event | old or range | new |"
    assert markdown[2].startswith("| ZW-9 | added | assets[ZW-9].events[fda marketing_submitted] |")


# -- expected events, through the due= seam --------------------------------------------------------------


@attrs.frozen
class _Catalyst:
    """An expected event as a catalyst source might give it (any object with these attributes)."""

    asset: str
    label: str
    earliest: dt.date
    latest: dt.date
    overdue: bool

    def __str__(self) -> str:
        return self.label


def _readouts(by_code: dict[str, tuple[dt.date, dt.date]]) -> DueSource:
    def source(portfolio: Portfolio, day: dt.date) -> Iterable[_Catalyst]:
        for asset in portfolio:
            if asset.code in by_code:
                earliest, latest = by_code[asset.code]
                yield _Catalyst(asset.code, "readout", earliest, latest, overdue=latest < day)

    return source


JAN, JUN = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-12-31", []),  # the range has not opened: not due yet
        ("2026-01-01", ["* due JS212 readout 2026-01-01..2026-06-30"]),
        ("2026-06-30", ["* due JS212 readout 2026-01-01..2026-06-30"]),  # still open: not overdue
        ("2026-07-01", ["! overdue JS212 readout 2026-01-01..2026-06-30"]),
    ],
)
def test_due_and_overdue_events_of_watched_assets(as_of: str, expected: list[str]) -> None:
    old, _ = _snapshots()
    source = _readouts({"JS212": (JAN, JUN), "ZW-9": (JAN, JUN)})
    report = watch(WatchList(assets=("JS212",)), old, old, as_of=as_of, due=source)
    assert [str(d) for d in report.due] == expected  # ZW-9 is not watched
    assert report.as_of == dt.date.fromisoformat(as_of)
    assert bool(report) is bool(expected)


def test_an_event_due_only_in_the_new_snapshot_is_new() -> None:
    old, new = _snapshots()
    before = _readouts({"JS212": (JAN, JUN)})
    after = _readouts({"JS212": (JAN, JUN), "ZW-9": (dt.date(2026, 2, 1), dt.date(2026, 3, 31))})

    def source(portfolio: Portfolio, day: dt.date) -> Iterable[Expected]:
        """The ZW-9 readout is expected once its FDA filing is on record (only in the new snapshot)."""
        filed = any(a.events for a in portfolio if a.code == "ZW-9")
        return (after if filed else before)(portfolio, day)

    report = watch(WatchList(assets=("JS212", "ZW-9")), old, new, as_of="2026-04-01", due=source)
    assert [str(d) for d in report.due] == [
        "* due JS212 readout 2026-01-01..2026-06-30",
        "! overdue ZW-9 readout 2026-02-01..2026-03-31 (new)",
    ]
    assert json.loads(report.render("json"))["due"][1] == {
        "asset": "ZW-9",
        "what": "readout",
        "earliest": "2026-02-01",
        "latest": "2026-03-31",
        "overdue": True,
        "new": True,
    }


def test_as_of_defaults_to_today_when_events_are_checked() -> None:
    report = watch(WatchList(assets=("JS212",)), JS212, JS212, due=lambda p, d: [])
    assert report.as_of is not None
    assert abs((report.as_of - dt.date.today()).days) <= 1
    assert watch(WatchList(assets=("JS212",)), JS212, JS212).as_of is None


@given(qst.portfolios(max_assets=4), qst.portfolios(max_assets=4), st.sets(st.sampled_from(["A0", "A1", "A2", "A3"])))
def test_watch_keeps_exactly_the_diff_of_the_watched_assets(old: Portfolio, new: Portfolio, codes: set[str]) -> None:
    """Property: watching some codes keeps exactly diff's changes under those codes, in diff's order."""
    if not codes:
        return
    report = watch(WatchList(assets=tuple(sorted(codes))), old, new)
    everything = diff(old, new).changes
    assert report.changes == tuple(c for c in everything if c.path.split("]", 1)[0].removeprefix("assets[") in codes)
    present = {a.code for a in (*old, *new)}
    assert {w.asset for w in report.watched} == codes & present
    assert set(report.unmatched) == {f"asset {c}" for c in codes - present}
    assert bool(report) == bool(report.changes)


# -- reading watch lists ------------------------------------------------------------------------------------


def test_watch_lists_are_read_strictly_with_paths() -> None:
    with pytest.raises(biopipe.ValidationError) as info:
        parse_watchlist('{"assets": "JS212", "targets": ["HER3", 3], "sponsorz": []}')
    assert {p.path: p.expected for p in info.value.problems} == {
        "assets": "an array",
        "targets[1]": "a string",
        "sponsorz": "no such field (allowed: name, assets, targets, sponsors)",
    }
    with pytest.raises(biopipe.ValidationError) as info:
        parse_watchlist('{"targets": ["HER3", "EGRF"]}')
    ((path, expected),) = [(p.path, p.expected) for p in info.value.problems]
    assert path == "targets[1]"
    assert expected.startswith("an HGNC symbol, previous symbol or alias (did you mean 'EGFR'")
    with pytest.raises(biopipe.ValidationError, match="at least one asset, target or sponsor"):
        parse_watchlist("{}")
    with pytest.raises(biopipe.ValidationError, match="a JSON object"):
        parse_watchlist('["JS212"]')
    with pytest.raises(biopipe.ValidationError):
        parse_watchlist('{"assets": ["JS212"')


# -- the command line --------------------------------------------------------------------------------------


def _files(tmp_path: Path, watchlist: object) -> list[str]:
    old, new = _snapshots()
    biopipe.dump(old, tmp_path / "old.json")
    biopipe.dump(new, tmp_path / "new.json")
    (tmp_path / "watch.json").write_text(json.dumps(watchlist), "utf-8")
    return [str(tmp_path / n) for n in ("watch.json", "old.json", "new.json")]


def test_cli_watch_prints_the_report_and_exits_by_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _files(tmp_path, {"targets": ["KRAS"]})
    assert main(["watch", *files]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "watching: ZW-9 (target KRAS)",
        "+ assets[ZW-9].events[fda marketing_submitted]: "
        '{"agency": "fda", "kind": "marketing_submitted", "date": "2026-02-03"}',
    ]
    assert main(["watch", *files, "--exit-code"]) == 1
    capsys.readouterr()
    unchanged = [files[0], files[1], files[1]]
    assert main(["watch", *unchanged, "--exit-code", "--as-of", "2026-01-01"]) == 0
    assert main(["watch", *files, "--format", "json", "-o", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text("utf-8"))["format"] == "biopipe-watch"


@pytest.mark.parametrize(
    ("watchlist", "argv", "message"),
    [
        ({"targets": ["EGRF"]}, [], "targets[0]"),
        ({"asset": ["JS212"]}, [], "asset: got"),
        ({"assets": ["JS212"]}, ["--as-of", "2026-13-01"], "--as-of"),
        ({"assets": ["JS212"]}, ["-o", "WATCH"], "would be overwritten"),
    ],
)
def test_cli_watch_bad_input_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], watchlist: object, argv: list[str], message: str
) -> None:
    files = _files(tmp_path, watchlist)
    argv = [files[0] if a == "WATCH" else a for a in argv]
    assert main(["watch", *files, *argv, "--exit-code"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert json.loads((tmp_path / "watch.json").read_text("utf-8")) == watchlist
