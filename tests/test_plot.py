"""Timeline pictures: what is drawn, how partial and announced dates look, and the files written."""

from __future__ import annotations

import datetime as dt
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import matplotlib.dates
import numpy as np
import pytest
from hypothesis import given, settings
from matplotlib.figure import Figure, SubFigure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

import biopipe
from biopipe import (
    Agency,
    Asset,
    DateBasis,
    Designation,
    EventKind,
    FactDate,
    Modality,
    PartialDate,
    Portfolio,
    RegulatoryEvent,
    Trial,
    TrialStatus,
)
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from collections.abc import Callable

JS212 = biopipe.example("js212")
date2num: Callable[[dt.date], float] = matplotlib.dates.date2num


def _spans(fig: Figure | SubFigure) -> list[Rectangle]:
    ax = fig.axes[0]
    return [p for p in ax.patches if isinstance(p, Rectangle) and str(p.get_gid()).startswith("biopipe-span-")]


def _dated_facts(asset: Asset) -> list[FactDate]:
    facts = [e.date for e in asset.events]
    for trial in asset.trials:
        facts += [d for d in (trial.start, trial.primary_completion, trial.completion) if d is not None]
    return facts


def _expected_spans(facts: list[FactDate]) -> list[tuple[float, float]]:
    return sorted((float(date2num(f.date.earliest)), float((f.date.latest - f.date.earliest).days + 1)) for f in facts)


def _event(date: FactDate, kind: EventKind = EventKind.IND_CLEARED, agency: Agency = Agency.FDA) -> RegulatoryEvent:
    return RegulatoryEvent(agency=agency, kind=kind, date=date)


def test_png_is_written_atomically_and_is_a_png(tmp_path: Path) -> None:
    target = tmp_path / "js212.png"
    data = biopipe.plot.plot_timeline(JS212, target)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["js212.png"]


def test_svg_parses_and_names_the_asset_every_event_and_the_undated_plan(tmp_path: Path) -> None:
    target = tmp_path / "js212.svg"
    biopipe.plot.plot_timeline(JS212, target)
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join(t for el in root.iter("{http://www.w3.org/2000/svg}text") for t in el.itertext())
    assert "JS212" in text
    for event in JS212.events:
        assert f"{event.agency.abbreviation} {event.kind.label}" in text
        assert str(event.date) in text
    (planned,) = [t for t in JS212.trials if t.status is TrialStatus.PLANNED]
    assert "Multi-cohort combination" in planned.title
    assert "Multi-cohort combination" in text


def test_svg_output_is_reproducible() -> None:
    assert biopipe.plot.plot_timeline(JS212, format="svg") == biopipe.plot.plot_timeline(JS212, format="svg")


def test_js212_rows_are_jurisdictions_then_dated_trials() -> None:
    fig = biopipe.plot.timeline_figure(JS212)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["JS212 · CN", "JS212 · US", "JS212 · Phase 1/2 (CN)"]


def test_js212_spans_are_as_wide_as_their_precision() -> None:
    """A month-precision event is a bar across the month; a day is one day wide."""
    spans = _spans(biopipe.plot.timeline_figure(JS212))
    actual = sorted((float(r.get_x()), float(r.get_width())) for r in spans)
    assert actual == _expected_spans(_dated_facts(JS212))
    widths = sorted(float(r.get_width()) for r in spans)
    assert widths == [1.0, 1.0, 30.0, 31.0, 31.0]  # two announced days; March, January, November


@pytest.mark.parametrize(
    ("date", "days"),
    [
        (PartialDate(2025, 2, 3), 1),
        (PartialDate(2024, 2), 29),
        (PartialDate(2025, quarter=2), 91),
        (PartialDate(2025, half=2), 184),
        (PartialDate(2024), 366),
    ],
)
def test_each_precision_is_drawn_from_earliest_to_latest_day(date: PartialDate, days: int) -> None:
    asset = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=(_event(FactDate(date)),))
    (span,) = _spans(biopipe.plot.timeline_figure(asset))
    assert span.get_width() == days
    assert span.get_x() == date2num(date.earliest)


def test_announced_dates_get_an_arrow_back_in_time_and_estimates_are_hatched_and_hollow() -> None:
    announced = _event(FactDate(PartialDate(2025, 6, 1), DateBasis.ANNOUNCED))
    estimated = _event(FactDate(PartialDate(2026, half=1), DateBasis.ESTIMATED), EventKind.MARKETING_SUBMITTED)
    actual = _event(FactDate(PartialDate(2025, 1)), EventKind.IND_SUBMITTED)
    asset = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=(announced, estimated, actual))
    fig = biopipe.plot.timeline_figure(asset)
    ax = fig.axes[0]
    arrows = [t for t in ax.texts if isinstance(t, Annotation) and str(t.get_gid()).startswith("biopipe-announced-")]
    assert len(arrows) == 1
    assert tuple(arrows[0].xy) == (date2num(PartialDate(2025, 6, 1).earliest), 0.0)
    spans = {int(str(r.get_gid()).rsplit("-", 1)[1]): r for r in _spans(fig)}
    assert spans[1].get_hatch() == "////"
    assert spans[1].get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert not spans[0].get_hatch()
    assert not spans[2].get_hatch()
    assert spans[2].get_facecolor()[:3] != (1.0, 1.0, 1.0)


def test_designations_are_named() -> None:
    granted = RegulatoryEvent(
        agency=Agency.FDA,
        kind=EventKind.DESIGNATION_GRANTED,
        designation=Designation.FAST_TRACK,
        date=FactDate(PartialDate(2025, 5)),
    )
    asset = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=(granted,))
    texts = [t.get_text() for t in biopipe.plot.timeline_figure(asset).axes[0].texts]
    assert any(t.startswith(f"FDA {EventKind.DESIGNATION_GRANTED.label}: fast track") for t in texts)


def test_a_portfolio_gets_one_row_per_asset_and_jurisdiction() -> None:
    other = Asset(
        code="X1",
        sponsor="Acme",
        modality=Modality.SMALL_MOLECULE,
        events=(_event(FactDate(PartialDate(2024, 3)), agency=Agency.EMA), _event(FactDate(PartialDate(2024)))),
    )
    fig = biopipe.plot.timeline_figure(Portfolio(assets=(JS212, other)), title="Two assets")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-2:] == ["X1 · EU", "X1 · US"]
    assert fig.get_suptitle() == "Two assets"


def test_an_asset_without_dates_still_draws_and_lists_its_plans() -> None:
    plan = Trial(title="First-in-human study", status=TrialStatus.PLANNED)
    asset = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, trials=(plan,))
    fig = biopipe.plot.timeline_figure(asset)
    assert _spans(fig) == []
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "no dated facts" in texts
    assert any("First-in-human study (planned)" in t for t in texts)
    assert biopipe.plot.plot_timeline(asset)[:4] == b"\x89PNG"


@settings(max_examples=15)
@given(bst.assets())
def test_every_dated_fact_is_one_span_of_its_precision(asset: Asset) -> None:
    spans = _spans(biopipe.plot.timeline_figure(asset))
    assert sorted((float(r.get_x()), float(r.get_width())) for r in spans) == _expected_spans(_dated_facts(asset))


def test_missing_matplotlib_is_a_biopipe_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(biopipe.BiopipeError, match=r"pip install 'biopipe-intel\[plot\]'"):
        biopipe.plot.plot_timeline(JS212)


def test_unknown_picture_formats_are_refused_before_drawing(tmp_path: Path) -> None:
    with pytest.raises(biopipe.InvalidValue, match=r"js212\.gif.*expected a file name ending in \.png, \.svg or \.pdf"):
        biopipe.plot.plot_timeline(JS212, tmp_path / "js212.gif")
    with pytest.raises(biopipe.InvalidValue, match=r"'jpeg'.*'png', 'svg' or 'pdf'"):
        biopipe.plot.plot_timeline(JS212, format="jpeg")
    assert list(tmp_path.iterdir()) == []


def test_format_overrides_the_suffix(tmp_path: Path) -> None:
    target = tmp_path / "picture.png"
    biopipe.plot.plot_timeline(JS212, target, format="svg")
    assert target.read_bytes().lstrip().startswith(b"<?xml")


def test_other_objects_are_refused_with_what_was_expected() -> None:
    with pytest.raises(
        biopipe.InvalidValue, match="expected a Timeline, an Asset, a Portfolio or an iterable of assets"
    ):
        biopipe.plot.timeline_figure(cast("Any", ["JS212"]))


def test_a_trial_with_a_start_and_an_end_shows_its_course_between_them() -> None:
    trial = Trial(
        title="Pivotal study",
        status=TrialStatus.COMPLETED,
        start=FactDate(PartialDate(2023)),
        completion=FactDate(PartialDate(2025, quarter=1)),
    )
    asset = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, trials=(trial,))
    ax = biopipe.plot.timeline_figure(asset).axes[0]
    (course,) = [line for line in ax.lines if str(line.get_gid()).startswith("biopipe-course-")]
    xs = np.asarray(course.get_xdata(), dtype=float).tolist()
    assert xs == [date2num(dt.date(2023, 12, 31)), date2num(dt.date(2025, 1, 1))]


def test_a_timeline_draws_the_same_spans_as_its_assets() -> None:
    from_assets = _spans(biopipe.plot.timeline_figure(JS212))
    from_timeline = _spans(biopipe.plot.timeline_figure(biopipe.timeline(JS212)))
    assert sorted((r.get_x(), r.get_width()) for r in from_timeline) == sorted(
        (r.get_x(), r.get_width()) for r in from_assets
    )


def test_a_filtered_timeline_draws_only_its_entries() -> None:
    fda = biopipe.timeline(JS212, agency="FDA")
    fig = biopipe.plot.timeline_figure(fda)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["JS212 · US"]
    (span,) = _spans(fig)
    assert span.get_x() == date2num(dt.date(2025, 12, 14))
    assert len(fig.axes) == 1  # the undated plan is not in this timeline, so no side box


# -- slide-ready pictures ---------------------------------------------------------------------------------

CTGOV = Path(__file__).resolve().parents[1].parent / "shared" / "refdata" / "ctgov"


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(" ".join(t for el in root.iter("{http://www.w3.org/2000/svg}text") for t in el.itertext()).split())


def test_pictures_are_16_to_9_and_pdf_is_written_by_its_suffix(tmp_path: Path) -> None:
    fig = biopipe.plot.timeline_figure(JS212)
    assert fig.get_figwidth() / fig.get_figheight() == pytest.approx(16 / 9)
    target = tmp_path / "js212.pdf"
    data = biopipe.plot.plot_timeline(JS212, target)
    assert data.startswith(b"%PDF-")
    assert target.read_bytes() == data
    assert biopipe.plot.plot_timeline(JS212, format="pdf") == data  # reproducible: no creation date


def test_the_today_line_is_drawn_on_its_day_and_only_when_asked() -> None:
    ax = biopipe.plot.timeline_figure(JS212, today="2026-01-15").axes[0]
    (line,) = [line for line in ax.lines if line.get_gid() == "biopipe-today"]
    assert np.asarray(line.get_xdata(), dtype=float).tolist() == [date2num(dt.date(2026, 1, 15))] * 2
    assert "today 2026-01-15" in [t.get_text() for t in ax.texts]
    assert ax.get_xlim()[0] < date2num(dt.date(2026, 1, 15)) < ax.get_xlim()[1]
    plain = biopipe.plot.timeline_figure(JS212).axes[0]
    assert not [line for line in plain.lines if line.get_gid() == "biopipe-today"]


def test_the_sources_are_a_footnote_of_distinct_publishers() -> None:
    fig = biopipe.plot.timeline_figure(JS212)
    note = fig.get_supxlabel()
    assert note == "Sources: VCBeat (vcbeatglobal.com)"  # seven facts cite it: named once
    asset = Asset(
        code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=(_event(FactDate(PartialDate(2025))),)
    )
    assert biopipe.plot.timeline_figure(asset).get_supxlabel() == ""


def test_a_long_title_is_wrapped_whole_never_cut() -> None:
    title = "A Randomized Study of Xylotamab Versus Placebo in Solid Tumors"
    assert len(title) >= 60
    trial = Trial(title=title, status=TrialStatus.RECRUITING, start=FactDate(PartialDate(2025, 3)))
    event = RegulatoryEvent(
        agency=Agency.FDA, kind=EventKind.IND_CLEARED, date=FactDate(PartialDate(2025, 1)), scope=title
    )
    asset = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=(event,), trials=(trial,))
    text = _svg_text(biopipe.plot.plot_timeline(asset, format="svg"))
    assert text.count(title) == 2  # the trial's label and the event's scope
    assert "\u2026" not in text


def test_accepted_cleared_and_approved_have_distinct_colours() -> None:
    kinds = (EventKind.IND_ACCEPTED, EventKind.IND_CLEARED, EventKind.MARKETING_APPROVED)
    events = tuple(_event(FactDate(PartialDate(2020 + i)), kind) for i, kind in enumerate(kinds))
    asset = Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE, events=events)
    spans = {int(str(r.get_gid()).rsplit("-", 1)[1]): r for r in _spans(biopipe.plot.timeline_figure(asset))}
    colours = [tuple(spans[i].get_facecolor()[:3]) for i in range(3)]
    assert len(set(colours)) == 3
    legend = [t.get_text() for t in biopipe.plot.timeline_figure(asset).legends[0].get_texts()]
    assert legend[:3] == ["submitted or accepted", "cleared (trial may start)", "approved"]


def test_expected_ranges_are_bars_on_rows_of_their_own() -> None:
    ranges = [("FDA decision", "2026-03-01", "2026-06-30"), ("data", dt.date(2026, 9, 1), dt.date(2026, 9, 1))]
    ax = biopipe.plot.timeline_figure(JS212, today="2026-01-15", ranges=ranges).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-2:] == ["expected: FDA decision", "expected: data"]
    bars = sorted(
        (p for p in ax.patches if str(p.get_gid()).startswith("biopipe-range-")), key=lambda p: str(p.get_gid())
    )
    assert [(float(b.get_x()), float(b.get_width())) for b in bars] == [
        (date2num(dt.date(2026, 3, 1)), 122.0),
        (date2num(dt.date(2026, 9, 1)), 1.0),
    ]
    with pytest.raises(biopipe.InvalidValue, match=r"ranges\[0\] with its latest day on or after its earliest"):
        biopipe.plot.timeline_figure(JS212, ranges=[("backwards", "2026-06-30", "2026-03-01")])


def _ctgov_portfolio() -> Portfolio:
    if not CTGOV.is_dir():
        pytest.skip(f"the shared ClinicalTrials.gov records are not at {CTGOV} (../shared is absent)")
    from biopipe.interop.ctgov import import_files

    report = import_files([CTGOV])
    assets = [JS212]
    for record in report.records:
        sponsor = record.trial.sponsor.name if record.trial.sponsor is not None else "unknown"
        assets.append(Asset(code=record.key, sponsor=sponsor, modality=Modality.OTHER, trials=(record.trial,)))
    return Portfolio(assets=tuple(assets))


def test_no_two_labels_overlap_in_a_portfolio_of_15_trials_from_ctgov() -> None:
    portfolio = _ctgov_portfolio()
    assert sum(len(a.trials) for a in portfolio) >= 15
    fig = biopipe.plot.timeline_figure(portfolio, today="2026-01-15", ranges=[("readout", "2026-04-01", "2026-09-30")])
    canvas = cast("Any", fig.canvas)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if str(t.get_gid()).startswith("biopipe-label-") and t.get_text()]
    assert len(labels) >= 30
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlaps = [
        (labels[i].get_text(), labels[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlaps == []
    frame = fig.bbox
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    titles = " ".join(t.get_text().replace("\n", " ") for t in labels)
    for asset in portfolio.assets[1:]:
        assert asset.trials[0].title in titles  # every title whole, however long (up to 174 characters)
