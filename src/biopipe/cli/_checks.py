"""``biopipe check``, ``biopipe diff`` and ``biopipe clocks``: the record-checking queries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..document import FORMATS
from ..query import as_day
from ..review import CHECK_RULES, check, clock_report, diff
from ._core import add_input_arguments, add_max_bytes, option, read_document, read_portfolio, write_output

if TYPE_CHECKING:
    import argparse


def _check(args: argparse.Namespace) -> int:
    findings = check(read_portfolio(args), rules=args.rule or None, as_of=option("--as-of", as_day, args.as_of))
    write_output(findings.render(args.format), args.output)
    return 1 if findings.errors else 0


def _diff(args: argparse.Namespace) -> int:
    old, new = (read_document(path, args.max_bytes) for path in (args.old, args.new))
    changes = diff(old, new)
    write_output(changes.render(args.format), args.output)
    return 1 if args.exit_code and changes else 0


def _clocks(args: argparse.Namespace) -> int:
    report = clock_report(read_portfolio(args), as_of=option("--as-of", as_day, args.as_of), pilot=args.pilot)
    write_output(report.render(args.format), args.output)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register check, diff and clocks."""
    codes = [r.code for r in CHECK_RULES]
    chk = sub.add_parser(
        "check",
        help="consistency-check records; exit 1 if any error is found",
        description="Rules: " + ", ".join(codes) + ". Exit 0 with no errors, 1 with errors, 2 on bad input.",
    )
    add_input_arguments(chk)
    chk.add_argument("--format", choices=FORMATS, default="text")
    chk.add_argument("--rule", action="append", choices=codes, help="run only this rule (repeatable)")
    chk.add_argument("--as-of", metavar="YYYY-MM-DD", help="flag actual dates after this day")
    chk.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    chk.set_defaults(handler=_check)

    dif = sub.add_parser(
        "diff",
        help="what changed between two snapshots of a record",
        description="Exit 0, or with --exit-code 1 when anything changed (as git diff --exit-code); 2 on bad input.",
    )
    dif.add_argument("old", type=Path, metavar="OLD")
    dif.add_argument("new", type=Path, metavar="NEW")
    dif.add_argument("--format", choices=FORMATS, default="text")
    dif.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    dif.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when anything changed, 0 when nothing did (the report still prints)",
    )
    add_max_bytes(dif)
    dif.set_defaults(handler=_diff)

    clk = sub.add_parser("clocks", help="review clocks: when pending applications' decisions are due")
    add_input_arguments(clk)
    clk.add_argument(
        "--pilot", action="store_true", help="apply pilot rules (NMPA 30 working days for innovative drugs)"
    )
    clk.add_argument("--as-of", metavar="YYYY-MM-DD", help="also list events presumed by this day")
    clk.add_argument("--format", choices=FORMATS, default="text")
    clk.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    clk.set_defaults(handler=_clocks)
