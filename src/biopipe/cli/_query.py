"""``biopipe timeline``, ``biopipe status`` and ``biopipe phase``: the query layer on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .._arguments import as_day
from .._dates import PartialDate
from .._errors import BiopipeError, InvalidValue
from .._jurisdiction import as_jurisdiction
from .._phase import PhasePolicy, highest_phase, phases_by_jurisdiction
from .._plot import plot_timeline
from .._state import StateAnswer, state_as_of
from .._timeline import as_agency, as_kinds, timeline
from ._core import add_input_arguments, read_portfolio, write_output

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from .._asset import RegulatoryEvent

_FORMATS = ("text", "markdown", "json")
T = TypeVar("T")


def _option(name: str, parse: Callable[[str], T], value: str | None) -> T | None:
    """*value* checked by *parse*; a bad value's error names the option it came from."""
    if value is None:
        return None
    try:
        return parse(value)
    except InvalidValue as e:
        raise BiopipeError(f"{name}: {e}") from None


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=_FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")


def _timeline(args: argparse.Namespace) -> int:
    found = timeline(
        read_portfolio(args),
        since=_option("--since", PartialDate.parse, args.since),
        until=_option("--until", PartialDate.parse, args.until),
        agency=_option("--agency", as_agency, args.agency),
        jurisdiction=_option("--jurisdiction", as_jurisdiction, args.jurisdiction),
        kind=[k for code in args.kind for k in (_option("--kind", as_kinds, code) or ())] or None,
        asset=args.asset or None,
    )
    if args.plot is not None:
        plot_timeline(found, args.plot)
    if args.format == "json":
        text = found.to_json()
    else:
        text = (found.to_markdown() if args.format == "markdown" else found.to_text()) + "\n"
    write_output(text, args.output)
    return 0


def _event_line(event: RegulatoryEvent) -> str:
    scope = f": {event.scope}" if event.scope else ""
    return f"{event.date}  {event.agency.abbreviation} {event.kind.label}{scope}"


def _status_text(answers: list[StateAnswer]) -> str:
    lines = []
    for answer in answers:
        lines.append(str(answer))
        lines += [f"  because {_event_line(e)}" for e in answer.events]
        lines += [f"  not known whether by then: {_event_line(e)}" for e in answer.pending]
    return "\n".join(lines) + "\n"


def _status_markdown(answers: list[StateAnswer]) -> str:
    lines = [
        "| Asset | Jurisdiction | As of | State | Certain | Possible | Events |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for a in answers:
        events = "; ".join(_event_line(e) for e in (*a.events, *a.pending)).replace("|", "\\|")
        possible = ", ".join(s.code for s in a.possible)
        cells = (a.asset, a.jurisdiction, a.as_of.isoformat(), a.state.code, "yes" if a.certain else "no", possible)
        lines.append("| " + " | ".join((*cells, events or "-")) + " |")
    return "\n".join(lines) + "\n"


def _status(args: argparse.Namespace) -> int:
    place = _option("--jurisdiction", as_jurisdiction, args.jurisdiction)
    day = _option("--as-of", as_day, args.as_of)
    assert place is not None  # the option is required
    assert day is not None  # the option is required
    answers = [
        state_as_of(asset, place, day, scope=args.scope, indication=args.indication)
        for asset in read_portfolio(args).assets
    ]
    if args.format == "json":
        doc = {"format": "biopipe-status", "version": 1, "answers": [a.to_dict() for a in answers]}
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _status_markdown(answers) if args.format == "markdown" else _status_text(answers)
    write_output(text, args.output)
    return 0


def _phase(args: argparse.Namespace) -> int:
    policy = PhasePolicy.from_code(args.policy)
    place = _option("--jurisdiction", as_jurisdiction, args.jurisdiction)
    day = _option("--as-of", as_day, args.as_of)
    rows: list[dict[str, Any]] = []
    for asset in read_portfolio(args).assets:
        overall = highest_phase(asset, args.as_of, jurisdiction=place, indication=args.indication, policy=policy)
        by_place = {} if place else phases_by_jurisdiction(asset, day, policy=policy)
        rows.append(
            {
                "asset": asset.code,
                "as_of": None if day is None else day.isoformat(),
                "jurisdiction": place,
                "policy": policy.code,
                "phase": None if overall is None else overall.code,
                "label": "no started trial" if overall is None else overall.label,
                "by_jurisdiction": {p: ph.code for p, ph in by_place.items()},
                "by_jurisdiction_labels": {p: ph.label for p, ph in by_place.items()},
            }
        )
    if args.format == "json":
        text = json.dumps({"format": "biopipe-phase", "version": 1, "answers": rows}, indent=2) + "\n"
    elif args.format == "markdown":
        lines = ["| Asset | Highest phase | By jurisdiction |", "| --- | --- | --- |"]
        lines += [f"| {r['asset']} | {r['label']} | {_places(r) or '-'} |" for r in rows]
        text = "\n".join(lines) + "\n"
    else:
        text = "".join(f"{r['asset']}: {r['label']}" + (f" ({_places(r)})" if _places(r) else "") + "\n" for r in rows)
    write_output(text, args.output)
    return 0


def _places(row: dict[str, Any]) -> str:
    return ", ".join(f"{p}: {label}" for p, label in row["by_jurisdiction_labels"].items())


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register timeline, status and phase."""
    tl = sub.add_parser("timeline", help="every dated fact of the assets, in order")
    add_input_arguments(tl)
    tl.add_argument("--since", metavar="DATE", help="keep entries whose date overlaps from DATE on (2025, 2025-03)")
    tl.add_argument("--until", metavar="DATE", help="keep entries whose date overlaps up to DATE")
    tl.add_argument("--agency", help="keep events of this agency (code or abbreviation: fda, NMPA)")
    tl.add_argument("--jurisdiction", metavar="CODE", help="keep events and trial sites in US, CN, EU, ...")
    tl.add_argument("--kind", action="append", default=[], help="keep this event kind or trial milestone (repeatable)")
    tl.add_argument("--asset", action="append", default=[], metavar="CODE", help="keep this asset (repeatable)")
    _add_output(tl)
    tl.add_argument(
        "--plot", type=Path, metavar="PATH", help="also draw the timeline as a .png or .svg picture (biopipe[plot])"
    )
    tl.set_defaults(handler=_timeline)

    status = sub.add_parser("status", help="regulatory state in a jurisdiction as of a day, and whether it is certain")
    add_input_arguments(status)
    status.add_argument("--jurisdiction", required=True, metavar="CODE", help="US, CN, EU, JP, ...")
    status.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the day to answer for (its end)")
    status.add_argument("--scope", help="only events with this scope (and those naming none)")
    status.add_argument("--indication", help="only events for this indication (and those naming none)")
    _add_output(status)
    status.set_defaults(handler=_status)

    phase = sub.add_parser("phase", help="highest phase reached by started trials, overall and per country")
    add_input_arguments(phase)
    phase.add_argument("--as-of", metavar="YYYY-MM-DD", help="only trials known to have started by this day")
    phase.add_argument("--jurisdiction", metavar="CODE", help="only trials with a site in this jurisdiction")
    phase.add_argument("--indication", help="only trials whose conditions name this indication")
    phase.add_argument("--policy", choices=PhasePolicy.codes(), default="combined", help="how 1/2 and 2/3 trials count")
    _add_output(phase)
    phase.set_defaults(handler=_phase)
