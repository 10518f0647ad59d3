"""``biopipe link`` and ``biopipe merge``: curating records from many sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..curate import link, merge
from ..document import dumps
from ..model import BiopipeError
from ._core import read_document, write_output

if TYPE_CHECKING:
    import argparse

    from ..document import Result
    from ..model import Trial


def _report(result: Result, path: Path | None) -> None:
    """Print the result as text, or write its JSON document to *path*."""
    write_output(result.render("json" if path is not None else "text"), path)


def _link(args: argparse.Namespace) -> int:
    portfolio = read_document(args.portfolio)
    trials: list[Trial] = []
    for path in args.trials:
        document = read_document(path)
        if document.assets:
            raise BiopipeError(f"{path}: holds assets; link reads registry trials only (merge documents with assets)")
        trials += document.trials
    report = link(portfolio, trials)
    write_output(dumps(report.portfolio), args.output)
    _report(report, args.report)
    return 0


def _merge(args: argparse.Namespace) -> int:
    report = merge(read_document(args.a), read_document(args.b))
    write_output(dumps(report.portfolio), args.output)
    _report(report, args.report)
    return 1 if report.conflicts else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register link and merge."""
    lnk = sub.add_parser(
        "link",
        help="link registry trials to the assets they name",
        description=(
            "Each registry trial (of PORTFOLIO and of each TRIALS document, such as an import without --asset) "
            "whose intervention names, other names or title codes name exactly one asset of PORTFOLIO - by code or "
            "alias, compared exactly, normalised, or with INN suffixes stripped - is added to that asset. Trials "
            "naming several assets or none stay registry trials. The report lists each link with its evidence, "
            "and the ambiguous and unmatched trials."
        ),
    )
    lnk.add_argument("portfolio", type=Path, metavar="PORTFOLIO", help="the document whose assets trials link to")
    lnk.add_argument("trials", type=Path, nargs="*", metavar="TRIALS", help="documents of registry trials")
    lnk.add_argument("-o", "--output", type=Path, required=True, help="write the linked document here (atomically)")
    lnk.add_argument("--report", type=Path, metavar="REPORT", help="write the report as JSON here, not as text")
    lnk.set_defaults(handler=_link)

    mrg = sub.add_parser(
        "merge",
        help="merge two documents; exit 1 if they conflict",
        description=(
            "Facts about the same asset, trial or event combine with their sources. A field both documents set "
            "differently is a conflict: the merged document keeps A's value, and the report lists both values "
            "and both sides' sources. Exit 0 without conflicts, 1 with conflicts, 2 on bad input."
        ),
    )
    mrg.add_argument("a", type=Path, metavar="A", help="the first document (its values are kept in a conflict)")
    mrg.add_argument("b", type=Path, metavar="B", help="the second document")
    mrg.add_argument("-o", "--output", type=Path, required=True, help="write the merged document here (atomically)")
    mrg.add_argument("--report", type=Path, metavar="REPORT", help="write the conflicts as JSON here, not as text")
    mrg.set_defaults(handler=_merge)
