"""``biopipe catalysts``: what is due next in a window, as text, Markdown, JSON, CSV or iCalendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..model import BiopipeError
from ..query import as_day
from ..review import CATALYST_FORMATS, catalysts
from ._core import add_input_arguments, option, read_portfolio, write_output

if TYPE_CHECKING:
    import argparse


def _catalysts(args: argparse.Namespace) -> int:
    start = option("--from", as_day, args.start)
    end = option("--to", as_day, args.end)
    if start is None or end is None:
        raise BiopipeError("--from and --to: give both days of the window")
    if end < start:
        raise BiopipeError(f"--to: got {end.isoformat()}, expected a day on or after --from {start.isoformat()}")
    answer = catalysts(
        read_portfolio(args),
        start,
        end,
        known_on=option("--known-on", as_day, args.known_on),
        as_of=option("--as-of", as_day, args.as_of),
    )
    write_output(answer.render(args.format), args.output)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register catalysts."""
    cat = sub.add_parser(
        "catalysts",
        help="what is due next: expected decisions, guidance and trial readouts in a window",
        description=(
            "Expected events whose date range meets --from..--to, each with its basis (recorded goal date, "
            "derived from a review-clock rule, sponsor guidance, estimated primary completion). Overdue: the "
            "whole range is before the reference day (--as-of, else --known-on, else today)."
        ),
    )
    add_input_arguments(cat)
    cat.add_argument("--from", dest="start", metavar="YYYY-MM-DD", required=True, help="first day of the window")
    cat.add_argument("--to", dest="end", metavar="YYYY-MM-DD", required=True, help="last day of the window")
    cat.add_argument("--known-on", metavar="YYYY-MM-DD", help="use only facts public on or before this day")
    cat.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="reference day for overdue (default: --known-on, else today)"
    )
    cat.add_argument("--format", choices=CATALYST_FORMATS, default="text", help="ics needs the 'calendar' extra")
    cat.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    cat.set_defaults(handler=_catalysts)
