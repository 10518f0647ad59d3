"""Timeline pictures: the dated facts of assets drawn for a report or a slide, as PNG, SVG or PDF.

matplotlib is imported on first use (``pip install 'biopipe-intel[plot]'``) and only
through its object API with the Agg canvas: no pyplot, no screen, no global
state.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import textwrap
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs

from .document._files import write_atomic
from .document._results import display_text
from .model._asset import Asset, Portfolio, RegulatoryEvent
from .model._dates import FactDate
from .model._errors import BiopipeError, InvalidValue
from .model._trial import TRIAL_DATES, Trial
from .model._vocab import ApplicationKind, DateBasis, EventKind
from .query._arguments import as_assets, as_day
from .query._timeline import Milestone, Timeline

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


__all__ = ["plot_timeline", "timeline_figure"]

#: Picture formats `plot_timeline` writes, by file suffix.
FORMATS = ("png", "svg", "pdf")

# Okabe-Ito colours (and black and grey): distinguishable with the common colour-vision deficiencies.
# Filing (submitted, accepted), clearance and approval each have their own colour.
_COLOURS = {
    "filed": "#56B4E9",
    "cleared": "#0072B2",
    "approved": "#009E73",
    "other": "#8C8C8C",
    "designation": "#CC79A7",
    "setback": "#D55E00",
    "trial": "#E69F00",
    "expected": "#7A5195",
}
_CATEGORY_LABELS = {
    "filed": "submitted or accepted",
    "cleared": "cleared (trial may start)",
    "approved": "approved",
    "other": "other regulatory event",
    "designation": "designation",
    "setback": "hold, refusal or withdrawal",
    "trial": "trial milestone",
    "expected": "expected (range)",
}
_FILED = frozenset(
    {EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED, EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED}
)
_CLEARED = frozenset({EventKind.IND_CLEARED, EventKind.HOLD_LIFTED})
_APPROVED = frozenset({EventKind.MARKETING_APPROVED, EventKind.APPROVAL_CONVERTED})
_SETBACKS = frozenset(
    {
        EventKind.IND_REJECTED,
        EventKind.CLINICAL_HOLD,
        EventKind.IND_WITHDRAWN,
        EventKind.DESIGNATION_DENIED,
        EventKind.DESIGNATION_REVOKED,
        EventKind.COMPLETE_RESPONSE,
        EventKind.MARKETING_REFUSED,
        EventKind.MARKETING_WITHDRAWN,
        EventKind.APPROVAL_WITHDRAWN,
    }
)
_BAR_HEIGHT = 0.3
_ARROW_POINTS = 26
#: Labels are wrapped (never cut) at this many characters a line; a word longer than that keeps its line.
_LABEL_WIDTH = 40
_TITLE_WIDTH = 60
#: The picture's shape: 16:9, as a slide. Height of the smallest picture (inches), and per row.
_ASPECT = 16 / 9
_MIN_HEIGHT = 7.5
_ROW_HEIGHT = 0.7
_LABEL_POINTS = 7.5


@attrs.frozen
class _Item:
    """One dated fact placed on a row of the picture."""

    row: str
    label: str
    date: FactDate
    category: str


@attrs.frozen
class _Picture:
    """What the picture shows: rows in order, dated items, undated plans."""

    title: str
    rows: tuple[str, ...]
    items: tuple[_Item, ...]
    undated: tuple[str, ...]
    #: (row, from, to): a trial's course, drawn as a thin line from its start to its last milestone.
    courses: tuple[tuple[str, dt.date, dt.date], ...] = ()
    #: Where the facts come from: distinct publishers (with their web hosts), for the footnote.
    sources: tuple[str, ...] = ()
    #: Expected events: (row, from, to), each on its own row after the others.
    ranges: tuple[tuple[str, dt.date, dt.date], ...] = ()


#: Text is drawn as written: ``$`` in a title or scope is a dollar sign, never the start of mathtext or TeX.
_PLAIN_TEXT = {"text.parse_math": False, "text.usetex": False}


def _mpl() -> Any:
    """The matplotlib package, or a BiopipeError saying how to install it."""
    try:
        import matplotlib
        import matplotlib.backends.backend_agg
        import matplotlib.dates
        import matplotlib.figure
        import matplotlib.lines
        import matplotlib.patches
    except ImportError:
        raise BiopipeError("timeline pictures need matplotlib: pip install 'biopipe-intel[plot]'") from None
    return matplotlib


@attrs.frozen
class _Fact:
    """One fact to draw: a regulatory event, or one milestone of a trial (None date: an undated plan)."""

    asset: str
    fact: RegulatoryEvent | Trial
    date: FactDate | None
    milestone: str = ""


def _facts_of(asset: Asset) -> Iterator[_Fact]:
    for event in asset.events:
        yield _Fact(asset.code, event, event.date)
    for trial in asset.trials:
        dated = False
        for attr in TRIAL_DATES:
            date: FactDate | None = getattr(trial, attr)
            if date is not None:
                dated = True
                yield _Fact(asset.code, trial, date, attr.replace("_", " "))
        if not dated and trial.is_planned:
            yield _Fact(asset.code, trial, None, "start")


def _facts(obj: object) -> list[_Fact]:
    if isinstance(obj, Timeline):
        return [
            _Fact(e.asset, e.fact, e.date, e.kind.label.removeprefix("trial ") if isinstance(e.kind, Milestone) else "")
            for e in obj
            if isinstance(e.fact, RegulatoryEvent | Trial)  # deals and parties' rights are not drawn
        ]
    try:
        assets = as_assets(obj)
    except InvalidValue:
        raise InvalidValue(_short(repr(obj)), "a Timeline, an Asset, a Portfolio or an iterable of assets") from None
    return [f for a in assets for f in _facts_of(a)]


def _short(text: str, limit: int = 60) -> str:
    """*text* for an error message: at most *limit* characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _wrap(text: str, width: int = _LABEL_WIDTH) -> str:
    """*text* on lines of at most *width* characters, broken between words: nothing is cut."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _category(kind: EventKind) -> str:
    if kind in _SETBACKS:
        return "setback"
    if kind.application is ApplicationKind.DESIGNATION:
        return "designation"
    if kind in _FILED:
        return "filed"
    if kind in _CLEARED:
        return "cleared"
    if kind in _APPROVED:
        return "approved"
    return "other"


def _trial_row(code: str, trial: Trial) -> str:
    phase = trial.phase.label if trial.phase is not None else "trial"
    places = f" ({', '.join(trial.countries[:3])}{', ...' if len(trial.countries) > 3 else ''})"
    return f"{display_text(code)} \u00b7 {phase}{places if trial.countries else ''}"


def _event_label(event: RegulatoryEvent) -> str:
    label = f"{event.agency.abbreviation} {event.kind.label}"
    if event.designation is not None:
        label += f": {event.designation.code.replace('_', ' ')}"
    detail = event.scope or event.indication
    return f"{label}\n{event.date}" + (f"\n{_wrap(display_text(detail))}" if detail else "")


def _picture(facts: list[_Fact], title: str | None, ranges: Sequence[tuple[str, dt.date, dt.date]] = ()) -> _Picture:
    """Rows and items: per asset, one row per jurisdiction of its events, then one per dated trial."""
    codes = list(dict.fromkeys(f.asset for f in facts))
    row_keys: dict[str, tuple[int, int, int]] = {}
    trial_rows: dict[tuple[str, int], str] = {}
    spans: dict[str, list[FactDate]] = {}
    items: list[_Item] = []
    undated: list[str] = []
    for fact in facts:
        if fact.date is None:
            assert isinstance(fact.fact, Trial)
            undated.append(display_text(f"{fact.asset}: {fact.fact.title} ({fact.fact.status.code.replace('_', ' ')})"))
            continue
        if isinstance(fact.fact, RegulatoryEvent):
            row = f"{display_text(fact.asset)} \u00b7 {fact.fact.jurisdiction}"
            row_keys.setdefault(row, (codes.index(fact.asset), 0, len(row_keys)))
            items.append(_Item(row, _event_label(fact.fact), fact.date, _category(fact.fact.kind)))
            continue
        trial = fact.fact
        row = trial_rows.get((fact.asset, id(trial)), "")
        label = f"{fact.milestone} {fact.date}"
        if not row:
            row = base = _trial_row(fact.asset, trial)
            n = 2
            while row in row_keys:
                row, n = f"{base} #{n}", n + 1
            trial_rows[fact.asset, id(trial)] = row
            row_keys[row] = (codes.index(fact.asset), 1, len(row_keys))
            label = (
                f"{_wrap(display_text(trial.title), _TITLE_WIDTH)}\n{label}"  # the title once, on the first milestone
            )
        same = next((n for n, i in enumerate(items) if i.row == row and i.date == fact.date and i.label), None)
        if same is not None:  # one label for milestones on one date: "primary completion, completion 2025-03"
            first = items[same]
            head, _, last = first.label.rpartition("\n")
            merged = last.replace(f" {fact.date}", f", {fact.milestone} {fact.date}", 1)
            items[same] = attrs.evolve(first, label=f"{head}\n{merged}" if head else merged)
            label = ""
        items.append(_Item(row, label, fact.date, "trial"))
        spans.setdefault(row, []).append(fact.date)
    if title is None:
        shown = ", ".join(codes[:4]) + (", ..." if len(codes) > 4 else "")
        title = f"{shown} timeline" if codes else "timeline"
    title = display_text(title)
    rows = tuple(sorted(row_keys, key=row_keys.__getitem__))
    courses = []
    for row, dates in spans.items():
        begin = min(d.latest for d in dates)
        end = max(d.date.earliest for d in dates)
        if begin < end:
            courses.append((row, begin, end))
    expected: list[tuple[str, dt.date, dt.date]] = []
    for label, earliest, latest in ranges:
        row = base = _wrap(f"expected: {display_text(label)}", _LABEL_WIDTH)
        n = 2
        while row in row_keys or row in (r for r, _, _ in expected):
            row, n = f"{base} #{n}", n + 1
        expected.append((row, earliest, latest))
    return _Picture(title, rows, tuple(items), tuple(undated), tuple(courses), _sources(facts), tuple(expected))


def _sources(facts: list[_Fact]) -> tuple[str, ...]:
    """The distinct publishers of the facts' sources, each with its web hosts; a host or title when none is named."""
    hosts: dict[str, dict[str, None]] = {}
    for fact in facts:
        for source in fact.fact.sources:
            host = urlsplit(source.url).hostname or "" if source.url else ""
            host = host.removeprefix("www.")
            name = source.publisher or host or source.title
            known = hosts.setdefault(display_text(name), {})
            if host and host.casefold() != name.casefold():
                known[display_text(host)] = None
    return tuple(f"{name} ({', '.join(h)})" if h else name for name, h in hosts.items())


def _check_ranges(ranges: Sequence[tuple[str, dt.date | str, dt.date | str]]) -> list[tuple[str, dt.date, dt.date]]:
    out = []
    for i, entry in enumerate(ranges):
        given: object = entry  # callers without types may pass anything
        if not (isinstance(given, tuple) and len(given) == 3 and isinstance(given[0], str)):
            raise InvalidValue(_short(repr(entry)), f"ranges[{i}] as (label, earliest, latest)")
        label, earliest, latest = entry[0], as_day(entry[1]), as_day(entry[2])
        if latest < earliest:
            raise InvalidValue(_short(repr(entry)), f"ranges[{i}] with its latest day on or after its earliest")
        out.append((label, earliest, latest))
    return out


def timeline_figure(
    obj: Timeline | Asset | Portfolio | Iterable[Asset],
    *,
    title: str | None = None,
    today: dt.date | str | None = None,
    ranges: Sequence[tuple[str, dt.date | str, dt.date | str]] = (),
) -> Figure:
    """The timeline of one or many assets as a matplotlib ``Figure`` (not yet saved), 16:9 as a slide.

    One row per asset and jurisdiction holds its regulatory events; one row per
    dated trial holds its start and completion. A partial date is a bar from its
    earliest to its latest day (``2025-01`` spans January); an announced date
    ("on or before") is its bar with an arrow pointing back in time; estimated
    (planned) dates are hatched and hollow. Submissions and acceptances,
    clearances and approvals each have their own colour. Trials without any
    date are listed in a box beside the chart. Use `plot_timeline` to write PNG,
    SVG or PDF.

    Labels are wrapped, never cut, and placed so that none overlaps another: a
    crowded picture grows (keeping 16:9) until they fit. The publishers of the
    facts' sources are named in a footnote. *today* draws a dashed "today"
    line on that day; *ranges* are expected events as ``(label, earliest,
    latest)``, drawn as bars on rows of their own below the others.

    Pass assets to draw everything, or a `Timeline` (see `biopipe.timeline`)
    to draw just the entries it holds.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> data = [("Phase 1 data", "2026-04-01", "2026-09-30")]
    >>> fig = biopipe.plot.timeline_figure(js212, today="2026-01-15", ranges=data)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['JS212 · CN', 'JS212 · US', 'JS212 · Phase 1/2 (CN)', 'expected: Phase 1 data']
    >>> round(float(fig.get_figwidth() / fig.get_figheight()), 3)
    1.778
    >>> fig = biopipe.plot.timeline_figure(biopipe.timeline(js212, agency="NMPA"))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['JS212 · CN']
    """
    mpl = _mpl()
    day = None if today is None else as_day(today)
    picture = _picture(_facts(obj), title, _check_ranges(ranges))
    with warnings.catch_warnings(), mpl.rc_context(_PLAIN_TEXT):
        # A label in a script DejaVu Sans lacks still draws (as boxes); that is no reason to fail a report.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        scale = 1.0
        for _ in range(8):
            fig, labels = _draw(mpl, picture, day, scale)
            if _place_labels(fig, labels):
                break
            scale *= 1.25
        return fig


def _draw(mpl: Any, picture: _Picture, today: dt.date | None, scale: float) -> tuple[Figure, list[_Label]]:
    mdates = mpl.dates
    rows = picture.rows + tuple(r for r, _, _ in picture.ranges)
    n_rows = max(len(rows), 1)
    height = max(_MIN_HEIGHT, 1.9 + _ROW_HEIGHT * n_rows) * scale
    fig: Figure = mpl.figure.Figure(figsize=(height * _ASPECT, height), layout="constrained")
    mpl.backends.backend_agg.FigureCanvasAgg(fig)
    if picture.undated:
        grid = fig.add_gridspec(1, 2, width_ratios=(4.0, 1.0))
        ax: Axes = fig.add_subplot(grid[0, 0])
        side: Axes | None = fig.add_subplot(grid[0, 1])
    else:
        ax, side = fig.add_subplot(), None
    fig.suptitle(picture.title, fontsize=15, fontweight="bold")

    y_of = {row: i for i, row in enumerate(rows)}
    ax.set_ylim(n_rows - 0.5, -1.0)  # half a row more above the first: room for its labels
    ax.set_yticks(range(len(rows)), list(rows))
    ax.tick_params(axis="y", length=0, labelsize=9)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)

    labels: list[_Label] = []
    days = [d for i in picture.items for d in (i.date.date.earliest, i.date.latest)]
    days += [d for _, begin, end in picture.ranges for d in (begin, end)]
    days += [today] if today is not None else []
    if not days:
        ax.text(0.5, 0.5, "no dated facts", transform=ax.transAxes, ha="center", va="center", color="0.4")
        ax.set_xticks([])
    else:
        lo, hi = min(days), max(days)
        pad = max(dt.timedelta(days=31), (hi - lo) / 12)
        ax.set_xlim(float(mdates.date2num(lo - pad)), float(mdates.date2num(hi + pad)))
        locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        for n, (row, begin, end) in enumerate(picture.courses):
            ax.plot(
                [float(mdates.date2num(begin)), float(mdates.date2num(end))],
                [y_of[row], y_of[row]],
                color=_COLOURS["trial"],
                linewidth=2,
                alpha=0.45,
                solid_capstyle="butt",
                zorder=1,
                gid=f"biopipe-course-{n}",
            )
        ordered = sorted(enumerate(picture.items), key=lambda p: (y_of[p[1].row], p[1].date.date, p[0]))
        for index, item in ordered:
            labels.append(_draw_item(mpl, ax, item, y_of[item.row], index=index))
        for n, (row, begin, end) in enumerate(picture.ranges):
            x0 = float(mdates.date2num(begin))
            ax.add_patch(
                mpl.patches.Rectangle(
                    (x0, y_of[row] - _BAR_HEIGHT / 2),
                    float((end - begin).days + 1),
                    _BAR_HEIGHT,
                    facecolor=_COLOURS["expected"],
                    edgecolor=_COLOURS["expected"],
                    alpha=0.45,
                    hatch="..",
                    linewidth=1.2,
                    gid=f"biopipe-range-{n}",
                )
            )
        if today is not None:
            x = float(mdates.date2num(today))
            ax.axvline(x, color="0.15", linestyle="--", linewidth=1.3, zorder=3, gid="biopipe-today")
            ax.annotate(
                f"today {today.isoformat()}",
                xy=(x, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8.5,
                fontweight="bold",
                gid="biopipe-today-label",
            )

    categories = list(dict.fromkeys(i.category for i in picture.items))
    categories += ["expected"] if picture.ranges else []
    handles: list[Any] = [
        mpl.patches.Patch(facecolor=_COLOURS[c], edgecolor=_COLOURS[c], label=_CATEGORY_LABELS[c]) for c in categories
    ]
    handles += [
        mpl.patches.Patch(facecolor="0.55", edgecolor="0.55", label="actual: bar spans the date's precision"),
        mpl.lines.Line2D(
            [], [], color="0.35", linestyle="--", marker="<", markersize=6, label="announced: on or before"
        ),
        mpl.patches.Patch(facecolor="none", edgecolor="0.35", hatch="////", label="estimated or planned"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=6, fontsize=8.5, frameon=False)
    if picture.sources:
        width = max(60, int(height * _ASPECT * 72 / (7.5 * 0.52)))
        note = textwrap.fill("Sources: " + "; ".join(picture.sources), width, break_long_words=False)
        fig.supxlabel(note, x=0.01, ha="left", fontsize=7.5, color="0.3", linespacing=1.3)

    if side is not None:
        side.axis("off")
        lines = [textwrap.fill(u, 36, subsequent_indent="  ", break_long_words=False) for u in picture.undated]
        side.text(
            0.0,
            1.0,
            "Undated (no date given)\n\n" + "\n".join(f"\u2022 {line}" for line in lines),
            transform=side.transAxes,
            va="top",
            ha="left",
            fontsize=8.5,
            linespacing=1.4,
            bbox={"boxstyle": "round,pad=0.6", "facecolor": "#f6f6f6", "edgecolor": "0.7"},
            gid="biopipe-undated",
        )
    return fig, labels


@attrs.frozen
class _Label:
    """A label drawn for an item, and the row it belongs to (its y in data units)."""

    text: Any
    y: int


def _place_labels(fig: Figure, labels: list[_Label]) -> bool:
    """Move each label above or below its bar, nearest first, so that it overlaps no other label and no bar.

    A label stays within a row of its own (it may use the free space of the
    next row, never go further). The layout is computed once and then fixed,
    so the positions hold when the picture is saved. False when some label
    finds no free place: the caller draws a bigger picture.
    """
    fig.canvas.draw()
    fig.set_layout_engine("none")
    canvas: Any = fig.canvas  # the Agg canvas _draw attached
    renderer = canvas.get_renderer()
    points = fig.dpi / 72
    placed: list[Any] = []
    if labels:
        ax = labels[0].text.axes
        placed += [p.get_window_extent(renderer) for p in ax.patches if str(p.get_gid()).startswith("biopipe-")]
        placed += [m.get_window_extent(renderer) for m in ax.lines if str(m.get_gid()).startswith("biopipe-day-")]
        placed += [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "biopipe-today-label"]
    for label in labels:
        if not label.text.get_text():
            continue
        ax = label.text.axes
        top, bottom = ax.transData.transform([(0, label.y - 1.0), (0, label.y + 1.0)])[:, 1]
        frame = ax.get_window_extent(renderer)
        low, high = max(min(top, bottom), frame.y0), min(max(top, bottom), frame.y1)
        for above, lift, shift in _candidates():
            label.text.set_verticalalignment("bottom" if above else "top")
            label.text.xyann = (shift, lift if above else -lift)
            label.text.xy = (label.text.xy[0], label.y + (-1 if above else 1) * _BAR_HEIGHT / 2)
            box = label.text.get_window_extent(renderer)
            if box.y0 < low or box.y1 > high:
                continue
            padded = box.padded(points)
            if not any(padded.overlaps(other) for other in placed):
                placed.append(box)
                break
        else:
            return False
    return True


def _candidates() -> Iterator[tuple[bool, float, float]]:
    """Offsets (above?, points from the bar, points sideways) to try, nearest first, alternating above and below."""
    for lift in range(2, 160, 3):
        for shift in (0.0, -30.0, 30.0, -60.0, 60.0):
            yield True, float(lift), shift
            yield False, float(lift), shift


def _draw_item(mpl: Any, ax: Axes, item: _Item, y: int, *, index: int) -> _Label:
    mdates = mpl.dates
    colour = _COLOURS[item.category]
    date = item.date.date
    x0 = float(mdates.date2num(date.earliest))
    width = float((date.latest - date.earliest).days + 1)
    estimated = item.date.basis is DateBasis.ESTIMATED
    announced = item.date.basis is DateBasis.ANNOUNCED
    bar = mpl.patches.Rectangle(
        (x0, y - _BAR_HEIGHT / 2),
        width,
        _BAR_HEIGHT,
        facecolor="white" if estimated else colour,
        edgecolor=colour,
        hatch="////" if estimated else None,
        linewidth=1.2,
        alpha=0.6 if announced else 0.9,
        gid=f"biopipe-span-{index}",
    )
    ax.add_patch(bar)
    centre = x0 + width / 2
    if width <= 3:
        # A day is a sliver at the scale of years; a marker keeps it visible.
        ax.plot(
            [centre],
            [y],
            marker="D",
            markersize=6,
            color=colour,
            markerfacecolor="white" if estimated else colour,
            gid=f"biopipe-day-{index}",
        )
    if announced:
        ax.annotate(
            "",
            xy=(x0, y),
            xytext=(-_ARROW_POINTS, 0),
            textcoords="offset points",
            arrowprops={"arrowstyle": "<|-", "color": colour, "linestyle": "--", "linewidth": 1.2},
            gid=f"biopipe-announced-{index}",
        )
    text = ax.annotate(
        item.label,
        xy=(centre, y - _BAR_HEIGHT / 2),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=_LABEL_POINTS,
        linespacing=1.15,
        annotation_clip=False,
        gid=f"biopipe-label-{index}",
    )
    return _Label(text, y)


def plot_timeline(
    obj: Timeline | Asset | Portfolio | Iterable[Asset],
    path: str | os.PathLike[str] | None = None,
    *,
    format: str | None = None,
    title: str | None = None,
    today: dt.date | str | None = None,
    ranges: Sequence[tuple[str, dt.date | str, dt.date | str]] = (),
    dpi: int = 150,
) -> bytes:
    """Draw the timeline (see `timeline_figure`) as PNG, SVG or PDF; write it to *path* atomically if given.

    The format comes from *format*, else from the suffix of *path*, else PNG.
    Returns the image bytes. SVG and PDF keep text as text (searchable,
    selectable); PDF is what a slide deck or a printed report takes. *dpi*
    sets the PNG's pixels per inch.

    >>> import biopipe, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data = biopipe.plot.plot_timeline(biopipe.example("js212"), pathlib.Path(tmp, "js212.svg"))
    ...     written = pathlib.Path(tmp, "js212.svg").read_bytes()
    >>> written == data, b"IND accepted" in data
    (True, True)
    >>> biopipe.plot.plot_timeline(biopipe.example("js212"), format="pdf", today="2026-01-15")[:5]
    b'%PDF-'
    >>> biopipe.plot.plot_timeline(biopipe.example("js212"), format="jpeg")
    Traceback (most recent call last):
    ...
    biopipe.InvalidValue: invalid value 'jpeg': expected a picture format: 'png', 'svg' or 'pdf'
    """
    kind = _format(path, format)
    fig = timeline_figure(obj, title=title, today=today, ranges=ranges)
    buffer = io.BytesIO()
    rc = {"svg.fonttype": "none", "svg.hashsalt": "biopipe", "pdf.fonttype": 42, **_PLAIN_TEXT}
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}.get(kind, {"Software": None})
    with _mpl().rc_context(rc):
        fig.savefig(buffer, format=kind, dpi=dpi, metadata=metadata)
    data = buffer.getvalue()
    if path is not None:
        write_atomic(Path(path), data)
    return data


def _format(path: str | os.PathLike[str] | None, format: str | None) -> str:
    if format is not None:
        if format not in FORMATS:
            raise InvalidValue(format, "a picture format: 'png', 'svg' or 'pdf'")
        return format
    if path is None:
        return "png"
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidValue(os.fspath(path), "a file name ending in .png, .svg or .pdf (or pass format=)")
    return suffix
