"""``biopipe import ctgov``: ClinicalTrials.gov API v2 records become trials in a biopipe document.

Each PATH is a study file (/api/v2/studies/{nctId}), a search response
({"studies": [...]}; several pages are several files), JSON Lines (one study a
line), a zip archive of study files such as the registry's bulk download (read
without unpacking), a folder (searched for *.json, *.jsonl and *.zip files) or a
glob. Without --asset the trials are the document's registry trials (its root
"trials", not linked to any asset), each with its sponsor as the registry gives
it. With --asset CODE they are the trials of that asset:

  * with --into DOC, the asset of that code in DOC receives the trials (a trial
    with the same key, its NCT id, is replaced) and the whole document is written;
  * otherwise, or if DOC has no such asset, a new asset is made: it needs
    --modality, and its sponsor is --sponsor or the first trial's lead sponsor.

A bad record is named with its file and its path in the record, and the rest
are imported (exit 1); --strict stops at the first bad record and writes
nothing (exit 2). One summary line ends the run: records read, imported and
failed, and the unmapped parts by kind; --unmapped REPORT writes every unmapped
part as JSON. On a terminal a progress line shows the counts and the rate;
--quiet leaves it out, and the notes about repeated records. Exit status: 0 when
every record was imported, 1 when some failed and the rest were written, 2 on a
usage error, with --strict, or when no record could be imported.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..document import dumps
from ..interop.ctgov import ImportReport, add_trials, iter_import
from ..model import Modality, Portfolio, ValidationError
from ._core import read_document, write_output

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..interop.ctgov import ImportBatch


class Progress:
    r"""One line of progress on a terminal, rewritten in place (``\r``) at most ten times a second.

    Shows the records read, imported and failed and the rate; `clear` wipes the
    line before other output, `done` ends it. Does nothing unless *enabled*.
    """

    def __init__(self, stream: TextIO, *, enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.enabled = enabled
        self.clock = clock
        self.start = clock()
        self.last = float("-inf")
        self.width = 0

    def update(self, read: int, failed: int, *, force: bool = False) -> None:
        """Show the counts, unless the line was drawn less than 0.1 s ago (and not *force*)."""
        if not self.enabled:
            return
        now = self.clock()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        rate = read / (now - self.start) if now > self.start else 0.0
        text = f"{read:,} records read: {read - failed:,} imported, {failed:,} failed ({rate:,.0f} records/s)"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        """Wipe the line (before other output on the same stream)."""
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def done(self, read: int, failed: int) -> None:
        """Draw the final counts and end the line."""
        if self.enabled:
            self.update(read, failed, force=True)
            self.stream.write("\n")
            self.stream.flush()
            self.width = 0


def _fail(problem: object, progress: Progress) -> None:
    progress.clear()
    print(f"biopipe: invalid ClinicalTrials.gov record: {problem}", file=sys.stderr)


def _ctgov(args: argparse.Namespace) -> int:
    if args.asset is None and (args.modality is not None or args.sponsor is not None):
        print("biopipe: error: --modality and --sponsor describe a new asset: give --asset CODE", file=sys.stderr)
        return 2
    progress = Progress(sys.stderr, enabled=not args.quiet and sys.stderr.isatty())
    batches: list[ImportBatch] = []
    read = failed = 0
    try:
        for batch in iter_import(
            args.paths,
            batch_size=args.batch_size,
            workers=args.workers,
            strict=args.strict,
            lenient=args.lenient,
            keep_source_terms=args.keep_source_terms,
            details=args.unmapped is not None,
        ):
            for problem in batch.failures:
                _fail(problem, progress)
            batches.append(batch)
            read, failed = read + batch.read, failed + batch.failed
            progress.update(read, failed)
    except ValidationError as e:  # --strict: the first bad record
        for problem in e.problems:
            _fail(problem, progress)
        print("biopipe: stopped at the first bad record (--strict); nothing written", file=sys.stderr)
        return 2
    progress.done(read, failed)
    report = ImportReport.from_batches(batches)
    if report.imported == 0:
        print(report.summary, file=sys.stderr)
        print("biopipe: error: no ClinicalTrials.gov record could be imported; nothing written", file=sys.stderr)
        return 2
    if not args.quiet:
        for key in report.repeated:
            print(f"note: {key} was given more than once; the last one read is kept", file=sys.stderr)
    portfolio = add_trials(
        read_document(args.into) if args.into is not None else Portfolio(),
        (r.trial for r in report.records),
        asset=args.asset,
        modality=None if args.modality is None else Modality.from_code(args.modality),
        sponsor=args.sponsor,
    )
    if args.unmapped is not None:
        write_output(report.render("json"), args.unmapped)
    write_output(dumps(portfolio), args.output)
    print(report.summary, file=sys.stderr)
    return 1 if report.failed else 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``import ctgov``."""
    imp = sub.add_parser("import", help="read records from another format (ClinicalTrials.gov)")
    sources = imp.add_subparsers(dest="source", metavar="SOURCE", required=True)
    ctgov = sources.add_parser(
        "ctgov",
        help="ClinicalTrials.gov API v2 study JSON -> registry trials or an asset's trials in a biopipe document",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ctgov.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="study JSON, search responses, JSON Lines, zip archives, folders or globs",
    )
    ctgov.add_argument("--asset", metavar="CODE", help="the asset the trials belong to (default: registry trials)")
    ctgov.add_argument("--modality", choices=Modality.codes(), help="modality of a new asset")
    ctgov.add_argument("--sponsor", help="sponsor of a new asset (default: the first trial's lead sponsor)")
    ctgov.add_argument("--into", type=Path, metavar="DOC", help="add the trials to this biopipe document")
    ctgov.add_argument("-o", "--output", type=Path, help="write the document to this file (atomically)")
    ctgov.add_argument("--unmapped", type=Path, metavar="REPORT", help="write what did not map as JSON here")
    ctgov.add_argument(
        "--keep-source-terms", action="store_true", help="keep the raw value behind each normalised term"
    )
    ctgov.add_argument("--lenient", action="store_true", help="report bad optional values as unmapped")
    ctgov.add_argument("--strict", action="store_true", help="stop at the first bad record and write nothing")
    ctgov.add_argument("--workers", type=_positive, default=1, metavar="N", help="import in N processes (default 1)")
    ctgov.add_argument(
        "--batch-size", type=_positive, default=500, metavar="N", help="records a batch (memory; default 500)"
    )
    ctgov.add_argument("-q", "--quiet", action="store_true", help="no progress line and no notes; errors still show")
    ctgov.set_defaults(handler=_ctgov)
