"""Timeline pictures: the dated facts of assets drawn for a report, as PNG or SVG.

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

import attrs

from .document._files import write_atomic
from .document._results import display_text
from .model._asset import Asset, Portfolio, RegulatoryEvent
from .model._dates import FactDate
from .model._errors import BiopipeError, InvalidValue
from .model._trial import TRIAL_DATES, Trial
from .model._vocab import ApplicationKind, DateBasis, EventKind
from .query._arguments import as_assets
from .query._timeline import Milestone, Timeline

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


__all__ = ["plot_timeline", "timeline_figure"]

#: Picture formats `plot_timeline` writes, by file suffix.
FORMATS = ("png", "svg")

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
_COLOURS = {
    "clinical": "#0072B2",
    "marketing": "#009E73",
    "designation": "#CC79A7",
    "setback": "#D55E00",
    "trial": "#E69F00",
}
_CATEGORY_LABELS = {
    "clinical": "trial application (IND/CTA)",
    "marketing": "marketing application",
    "designation": "designation",
    "setback": "hold, refusal or withdrawal",
    "trial": "trial milestone",
}
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
_LABEL_WIDTH = 34


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


def _short(text: str, limit: int = _LABEL_WIDTH) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _category(kind: EventKind) -> str:
    if kind in _SETBACKS:
        return "setback"
    if kind.application is ApplicationKind.DESIGNATION:
        return "designation"
    if kind.application is ApplicationKind.MARKETING:
        return "marketing"
    return "clinical"


def _trial_row(code: str, trial: Trial) -> str:
    phase = trial.phase.label if trial.phase is not None else "trial"
    places = f" ({', '.join(trial.countries[:3])}{', ...' if len(trial.countries) > 3 else ''})"
    return f"{display_text(code)} \u00b7 {phase}{places if trial.countries else ''}"


def _event_label(event: RegulatoryEvent) -> str:
    label = f"{event.agency.abbreviation} {event.kind.label}"
    if event.designation is not None:
        label += f": {event.designation.code.replace('_', ' ')}"
    detail = event.scope or event.indication
    return f"{label}\n{event.date}" + (f"\n{_short(display_text(detail))}" if detail else "")


def _picture(facts: list[_Fact], title: str | None) -> _Picture:
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
        if not row:
            row = base = _trial_row(fact.asset, trial)
            n = 2
            while row in row_keys:
                row, n = f"{base} #{n}", n + 1
            trial_rows[fact.asset, id(trial)] = row
            row_keys[row] = (codes.index(fact.asset), 1, len(row_keys))
        items.append(
            _Item(row, f"{_short(display_text(trial.title))}\n{fact.milestone} {fact.date}", fact.date, "trial")
        )
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
    return _Picture(title, rows, tuple(items), tuple(undated), tuple(courses))


def timeline_figure(obj: Timeline | Asset | Portfolio | Iterable[Asset], *, title: str | None = None) -> Figure:
    """The timeline of one or many assets as a matplotlib ``Figure`` (not yet saved).

    One row per asset and jurisdiction holds its regulatory events; one row per
    dated trial holds its start and completion. A partial date is a bar from its
    earliest to its latest day (``2025-01`` spans January); an announced date
    ("on or before") is its bar with an arrow pointing back in time; estimated
    (planned) dates are hatched and hollow. Trials without any date are listed
    in a box beside the chart. Use `plot_timeline` to write PNG or SVG.

    Pass assets to draw everything, or a `Timeline` (see `biopipe.timeline`)
    to draw just the entries it holds.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> fig = biopipe.plot.timeline_figure(js212)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['JS212 · CN', 'JS212 · US', 'JS212 · Phase 1/2 (CN)']
    >>> fig = biopipe.plot.timeline_figure(biopipe.timeline(js212, agency="NMPA"))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['JS212 · CN']
    """
    mpl = _mpl()
    picture = _picture(_facts(obj), title)
    with warnings.catch_warnings(), mpl.rc_context(_PLAIN_TEXT):
        # A label in a script DejaVu Sans lacks still draws (as boxes); that is no reason to fail a report.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        return _draw(mpl, picture)


def _draw(mpl: Any, picture: _Picture) -> Figure:
    mdates = mpl.dates
    n_rows = max(len(picture.rows), 1)
    fig: Figure = mpl.figure.Figure(figsize=(11.0, 1.9 + 1.0 * n_rows), layout="constrained")
    mpl.backends.backend_agg.FigureCanvasAgg(fig)
    if picture.undated:
        grid = fig.add_gridspec(1, 2, width_ratios=(3.2, 1.0))
        ax: Axes = fig.add_subplot(grid[0, 0])
        side: Axes | None = fig.add_subplot(grid[0, 1])
    else:
        ax, side = fig.add_subplot(), None
    fig.suptitle(picture.title, fontsize=13, fontweight="bold")

    y_of = {row: i for i, row in enumerate(picture.rows)}
    ax.set_ylim(n_rows - 0.4, -0.6)
    ax.set_yticks(range(len(picture.rows)), list(picture.rows))
    ax.tick_params(axis="y", length=0, labelsize=9)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)

    if not picture.items:
        ax.text(0.5, 0.5, "no dated facts", transform=ax.transAxes, ha="center", va="center", color="0.4")
        ax.set_xticks([])
    else:
        lo = min(i.date.date.earliest for i in picture.items)
        hi = max(i.date.latest for i in picture.items)
        pad = max(dt.timedelta(days=31), (hi - lo) / 12)
        ax.set_xlim(float(mdates.date2num(lo - pad)), float(mdates.date2num(hi + pad)))
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
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
        per_row: dict[str, int] = {}
        ordered = sorted(enumerate(picture.items), key=lambda p: (y_of[p[1].row], p[1].date.date, p[0]))
        for index, item in ordered:
            slot = per_row.get(item.row, 0)
            per_row[item.row] = slot + 1
            _draw_item(mpl, ax, item, y_of[item.row], above=slot % 2 == 0, index=index)

    categories = list(dict.fromkeys(i.category for i in picture.items))
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
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)

    if side is not None:
        side.axis("off")
        lines = [textwrap.fill(u, 36, subsequent_indent="  ") for u in picture.undated]
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
    return fig


def _draw_item(mpl: Any, ax: Axes, item: _Item, y: int, *, above: bool, index: int) -> None:
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
    edge = y - _BAR_HEIGHT / 2 if above else y + _BAR_HEIGHT / 2
    offset = (0, 3) if above else (0, -3)
    ax.annotate(
        item.label,
        xy=(centre, edge),
        xytext=offset,
        textcoords="offset points",
        ha="center",
        va="bottom" if above else "top",
        fontsize=7.5,
        linespacing=1.15,
        annotation_clip=False,
        gid=f"biopipe-label-{index}",
    )


def plot_timeline(
    obj: Timeline | Asset | Portfolio | Iterable[Asset],
    path: str | os.PathLike[str] | None = None,
    *,
    format: str | None = None,
    title: str | None = None,
) -> bytes:
    """Draw the timeline (see `timeline_figure`) as PNG or SVG; write it to *path* atomically if given.

    The format comes from *format*, else from the suffix of *path*, else PNG.
    Returns the image bytes. SVG keeps text as text (searchable, selectable).

    >>> import biopipe, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data = biopipe.plot.plot_timeline(biopipe.example("js212"), pathlib.Path(tmp, "js212.svg"))
    ...     written = pathlib.Path(tmp, "js212.svg").read_bytes()
    >>> written == data, b"IND accepted" in data
    (True, True)
    >>> biopipe.plot.plot_timeline(biopipe.example("js212"), format="pdf")
    Traceback (most recent call last):
    ...
    biopipe.InvalidValue: invalid value 'pdf': expected a picture format: 'png' or 'svg'
    """
    kind = _format(path, format)
    fig = timeline_figure(obj, title=title)
    buffer = io.BytesIO()
    rc = {"svg.fonttype": "none", "svg.hashsalt": "biopipe", **_PLAIN_TEXT}
    with _mpl().rc_context(rc):
        metadata = {"Date": None} if kind == "svg" else {"Software": None}
        fig.savefig(buffer, format=kind, dpi=150, metadata=metadata)
    data = buffer.getvalue()
    if path is not None:
        write_atomic(Path(path), data)
    return data


def _format(path: str | os.PathLike[str] | None, format: str | None) -> str:
    if format is not None:
        if format not in FORMATS:
            raise InvalidValue(format, "a picture format: 'png' or 'svg'")
        return format
    if path is None:
        return "png"
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidValue(os.fspath(path), "a file name ending in .png or .svg (or pass format=)")
    return suffix
