"""``biopipe import ctgov``: ClinicalTrials.gov API v2 records become the trials of an asset.

A biopipe document holds assets, and a trial belongs to the asset it studies,
so the imported trials are attached to the asset named by --asset CODE:

  * with --into DOC, the asset of that code in DOC receives the trials (a trial
    with the same key, its NCT id, is replaced) and the whole document is written;
  * otherwise, or if DOC has no such asset, a new asset is made: it needs
    --modality, and its sponsor is --sponsor or the first trial's lead sponsor.

Each FILE holds one study (/api/v2/studies/{nctId}) or a search response
({"studies": [...]}). What did not map is summarised on stderr, or written in
full as JSON with --unmapped REPORT. If any record is bad, each problem is
listed with its path in the record and nothing is written (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..document import dumps
from ..interop.ctgov import add_trials, import_files
from ..model import Modality, Portfolio
from ._core import read_document, write_output


def _ctgov(args: argparse.Namespace) -> int:
    report = import_files(args.files, keep_source_terms=args.keep_source_terms, lenient=args.lenient)
    if not report.ok:
        for problem in report.failures:
            print(f"biopipe: invalid ClinicalTrials.gov record: {problem}", file=sys.stderr)
        return 2
    seen: set[str] = set()
    for key in report.trials:
        if key in seen:
            print(f"note: {key} was given more than once; the last one read is kept", file=sys.stderr)
        seen.add(key)
    portfolio = add_trials(
        read_document(args.into) if args.into is not None else Portfolio(),
        (r.trial for r in report.records),
        asset=args.asset,
        modality=None if args.modality is None else Modality.from_code(args.modality),
        sponsor=args.sponsor,
    )
    if args.unmapped is not None:
        write_output(report.render("json"), args.unmapped)
    else:
        sys.stderr.write(report.render("text"))
    write_output(dumps(portfolio), args.output)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``import ctgov``."""
    imp = sub.add_parser("import", help="read records from another format (ClinicalTrials.gov)")
    sources = imp.add_subparsers(dest="source", metavar="SOURCE", required=True)
    ctgov = sources.add_parser(
        "ctgov",
        help="ClinicalTrials.gov API v2 study JSON -> the trials of an asset in a biopipe document",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ctgov.add_argument(
        "files", nargs="+", metavar="FILE", type=Path, help="study JSON (one study or a search response)"
    )
    ctgov.add_argument("--asset", required=True, metavar="CODE", help="the asset the trials belong to")
    ctgov.add_argument("--modality", choices=Modality.codes(), help="modality of a new asset")
    ctgov.add_argument("--sponsor", help="sponsor of a new asset (default: the first trial's lead sponsor)")
    ctgov.add_argument("--into", type=Path, metavar="DOC", help="add the trials to this biopipe document")
    ctgov.add_argument("-o", "--output", type=Path, help="write the document to this file (atomically)")
    ctgov.add_argument("--unmapped", type=Path, metavar="REPORT", help="write what did not map as JSON here")
    ctgov.add_argument(
        "--keep-source-terms", action="store_true", help="keep the raw value behind each normalised term"
    )
    ctgov.add_argument("--lenient", action="store_true", help="report bad optional values as unmapped")
    ctgov.set_defaults(handler=_ctgov)
