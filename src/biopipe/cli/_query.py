"""``biopipe timeline``, ``biopipe status`` and ``biopipe phase``: the query layer on the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import FORMATS
from ..model import PartialDate, as_jurisdiction
from ..plot import plot_timeline
from ..query import (
    MATRIX_FORMATS,
    PhasePolicy,
    as_agency,
    as_day,
    as_kinds,
    phase_report,
    status_matrix,
    status_report,
    timeline,
)
from ..review import catalysts
from ._core import add_input_arguments, option, read_portfolio, write_output

#: How far after --today the picture draws catalysts.
_AHEAD = dt.timedelta(days=366)

if TYPE_CHECKING:
    import argparse


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")


def _timeline(args: argparse.Namespace) -> int:
    portfolio = read_portfolio(args)
    known = option("--known-on", as_day, args.known_on)
    found = timeline(
        portfolio,
        since=option("--since", PartialDate.parse, args.since),
        until=option("--until", PartialDate.parse, args.until),
        agency=option("--agency", as_agency, args.agency),
        jurisdiction=option("--jurisdiction", as_jurisdiction, args.jurisdiction),
        kind=[k for code in args.kind for k in (option("--kind", as_kinds, code) or ())] or None,
        asset=args.asset or None,
        known_on=known,
    )
    if args.plot is not None:
        today = option("--today", as_day, args.today)
        # With a today line, what is due in the year after it is drawn to its right.
        ahead = () if today is None else catalysts(portfolio, today, today + _AHEAD, known, as_of=today).ranges()
        plot_timeline(found, args.plot, today=today, ranges=ahead)
    write_output(found.render(args.format), args.output)
    return 0


def _status(args: argparse.Namespace) -> int:
    place = option("--jurisdiction", as_jurisdiction, args.jurisdiction)
    day = option("--as-of", as_day, args.as_of)
    assert place is not None  # the option is required
    assert day is not None  # the option is required
    report = status_report(
        read_portfolio(args),
        place,
        day,
        scope=args.scope,
        indication=args.indication,
        known_on=option("--known-on", as_day, args.known_on),
    )
    write_output(report.render(args.format), args.output)
    return 0


def _phase(args: argparse.Namespace) -> int:
    report = phase_report(
        read_portfolio(args),
        option("--as-of", as_day, args.as_of),
        jurisdiction=option("--jurisdiction", as_jurisdiction, args.jurisdiction),
        indication=args.indication,
        policy=PhasePolicy.from_code(args.policy),
        known_on=option("--known-on", as_day, args.known_on),
    )
    write_output(report.render(args.format), args.output)
    return 0


def _matrix(args: argparse.Namespace) -> int:
    day = option("--as-of", as_day, args.as_of)
    assert day is not None  # the option is required
    matrix = status_matrix(
        read_portfolio(args),
        day,
        known_on=option("--known-on", as_day, args.known_on),
        jurisdictions=[j for code in args.jurisdiction if (j := option("--jurisdiction", as_jurisdiction, code))]
        or None,
    )
    write_output(matrix.render(args.format), args.output)
    return 0


def _add_known_on(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--known-on",
        metavar="YYYY-MM-DD",
        help="answer as an analyst could on this day: only facts public by then count",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register timeline, status, phase and matrix."""
    tl = sub.add_parser("timeline", help="every dated fact of the assets, in order")
    add_input_arguments(tl)
    tl.add_argument("--since", metavar="DATE", help="keep entries whose date overlaps from DATE on (2025, 2025-03)")
    tl.add_argument("--until", metavar="DATE", help="keep entries whose date overlaps up to DATE")
    tl.add_argument("--agency", help="keep events of this agency (code or abbreviation: fda, NMPA)")
    tl.add_argument("--jurisdiction", metavar="CODE", help="keep events and trial sites in US, CN, EU, ...")
    tl.add_argument("--kind", action="append", default=[], help="keep this event kind or trial milestone (repeatable)")
    tl.add_argument("--asset", action="append", default=[], metavar="CODE", help="keep this asset (repeatable)")
    _add_known_on(tl)
    _add_output(tl)
    tl.add_argument(
        "--plot",
        type=Path,
        metavar="PATH",
        help="also draw the timeline as a .png, .svg or .pdf picture, 16:9 (needs the plot extra)",
    )
    tl.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="with --plot: draw a 'today' line on this day, and the catalysts of the year after it as ranges",
    )
    tl.set_defaults(handler=_timeline)

    status = sub.add_parser("status", help="regulatory state in a jurisdiction as of a day, and whether it is certain")
    add_input_arguments(status)
    status.add_argument("--jurisdiction", required=True, metavar="CODE", help="US, CN, EU, JP, ...")
    status.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the day to answer for (its end)")
    status.add_argument("--scope", help="only events with this scope (and those naming none)")
    status.add_argument("--indication", help="only events for this indication (and those naming none)")
    _add_known_on(status)
    _add_output(status)
    status.set_defaults(handler=_status)

    phase = sub.add_parser("phase", help="highest phase reached by started trials, overall and per country")
    add_input_arguments(phase)
    phase.add_argument("--as-of", metavar="YYYY-MM-DD", help="only trials known to have started by this day")
    phase.add_argument("--jurisdiction", metavar="CODE", help="only trials with a site in this jurisdiction")
    phase.add_argument("--indication", help="only trials whose conditions name this indication")
    phase.add_argument("--policy", choices=PhasePolicy.codes(), default="combined", help="how 1/2 and 2/3 trials count")
    _add_known_on(phase)
    _add_output(phase)
    phase.set_defaults(handler=_phase)

    matrix = sub.add_parser(
        "matrix", help="state, designations and highest phase per asset, indication and jurisdiction"
    )
    add_input_arguments(matrix)
    matrix.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the day to answer for (its end)")
    _add_known_on(matrix)
    matrix.add_argument(
        "--jurisdiction",
        action="append",
        default=[],
        metavar="CODE",
        help="only this jurisdiction (repeatable; default: every one with an event or trial site)",
    )
    matrix.add_argument("--format", choices=MATRIX_FORMATS, default="text", help="output format (default: text)")
    matrix.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    matrix.set_defaults(handler=_matrix)
