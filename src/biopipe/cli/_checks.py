"""``biopipe check``, ``biopipe diff`` and ``biopipe clocks``: the record-checking queries."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from .._check import CHECK_RULES, Severity, check, render_findings
from .._clocks import infer_events, review_clocks
from .._diff import diff
from .._jsonio import load
from ._core import add_input_arguments, read_portfolio, write_output

_FORMATS = ("text", "markdown", "json")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD") from None


def _check(args: argparse.Namespace) -> int:
    findings = check(read_portfolio(args), rules=args.rule or None, as_of=args.as_of)
    write_output(render_findings(findings, args.format), args.output)
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def _diff(args: argparse.Namespace) -> int:
    write_output(diff(load(args.old), load(args.new)).render(args.format), args.output)
    return 0


def _clocks(args: argparse.Namespace) -> int:
    portfolio = read_portfolio(args)
    clocks = review_clocks(portfolio, pilot=args.pilot)
    inferred = infer_events(portfolio, as_of=args.as_of, pilot=args.pilot) if args.as_of else ()
    if args.format == "json":
        doc = {
            "clocks": [c.to_dict() for c in clocks],
            "inferred": [
                {"agency": e.agency.code, "kind": e.kind.code, "date": str(e.date), "inferred_by": e.inferred_by}
                for e in inferred
            ],
        }
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        lines = [
            "| path | start | rule | earliest due | latest due | decision |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for c in clocks:
            d = c.to_dict()
            start = f"{c.event.agency.abbreviation} {c.event.kind.label} {c.event.date}"
            lines.append(
                f"| {c.path} | {start} | {c.rule.code} | {d['earliest'] or 'unknown'} | {d['latest']} "
                f"| {d['decision'] or 'pending'} |"
            )
        lines += [f"\nInferred: {e.agency.abbreviation} {e.kind.label} {e.date} ({e.inferred_by})" for e in inferred]
        text = "\n".join(lines) + "\n"
    else:
        lines = [f"{c.path}: {c}" for c in clocks] or ["no review clocks"]
        lines += [f"inferred: {e.agency.abbreviation} {e.kind.label} {e.date} ({e.inferred_by})" for e in inferred]
        text = "\n".join(lines) + "\n"
    write_output(text, args.output)
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
    chk.add_argument("--format", choices=_FORMATS, default="text")
    chk.add_argument("--rule", action="append", choices=codes, help="run only this rule (repeatable)")
    chk.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD", help="flag actual dates after this day")
    chk.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    chk.set_defaults(handler=_check)

    dif = sub.add_parser("diff", help="what changed between two snapshots of a record")
    dif.add_argument("old", type=Path, metavar="OLD")
    dif.add_argument("new", type=Path, metavar="NEW")
    dif.add_argument("--format", choices=_FORMATS, default="text")
    dif.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    dif.set_defaults(handler=_diff)

    clk = sub.add_parser("clocks", help="review clocks: when pending applications' decisions are due")
    add_input_arguments(clk)
    clk.add_argument(
        "--pilot", action="store_true", help="apply pilot rules (NMPA 30 working days for innovative drugs)"
    )
    clk.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD", help="also list events presumed by this day")
    clk.add_argument("--format", choices=_FORMATS, default="text")
    clk.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    clk.set_defaults(handler=_clocks)
