"""``biopipe watch``: the changes and due events of the assets, targets and sponsors on a watch list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..document import FORMATS
from ..query import as_day
from ..review import catalysts_due, read_watchlist, watch
from ._core import add_max_bytes, option, read_document, write_output

if TYPE_CHECKING:
    import argparse


def _watch(args: argparse.Namespace) -> int:
    watchlist = read_watchlist(args.watchlist, max_bytes=args.max_bytes)
    old, new = (read_document(path, args.max_bytes) for path in (args.old, args.new))
    report = watch(watchlist, old, new, as_of=option("--as-of", as_day, args.as_of), due=catalysts_due)
    write_output(report.render(args.format), args.output)
    return 1 if args.exit_code and report else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register watch."""
    wat = sub.add_parser(
        "watch",
        help="changes and due events for the assets, targets and sponsors on a watch list",
        description=(
            "WATCHLIST.json names assets (codes or aliases), targets (HGNC gene names) and sponsors: "
            '{"assets": ["JS212"], "targets": ["HER3"], "sponsors": ["Junshi"]}. '
            "Exit 0, or with --exit-code 1 when there is something to report; 2 on bad input."
        ),
    )
    wat.add_argument("watchlist", type=Path, metavar="WATCHLIST")
    wat.add_argument("old", type=Path, metavar="OLD")
    wat.add_argument("new", type=Path, metavar="NEW")
    wat.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day due and overdue events are checked for (today)")
    wat.add_argument("--format", choices=FORMATS, default="text")
    wat.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    wat.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed or is due, 0 otherwise")
    add_max_bytes(wat)
    wat.set_defaults(handler=_watch)
