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
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._asset import Asset, Portfolio
from .._errors import BiopipeError, InvalidValue, ValidationError
from .._jsonio import dumps, load, write_atomic
from .._vocab import Modality
from ..interop.ctgov import CtgovImport, from_ctgov
from ._core import write_output

if TYPE_CHECKING:
    from .._trial import Trial

#: The ``format`` of the JSON report ``--unmapped`` writes.
REPORT_FORMAT = "biopipe-ctgov-unmapped"


def _studies(path: Path) -> list[tuple[str, object]]:
    """The study objects in one file, each labelled for messages and the report."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as e:
        raise InvalidValue(str(path), "a readable file", detail=e.strerror) from None
    except (ValueError, RecursionError) as e:
        raise InvalidValue(str(path), "a JSON file", detail=str(e)) from None
    if isinstance(data, dict) and "protocolSection" not in data and isinstance(data.get("studies"), list):
        return [(f"{path}#studies[{i}]", study) for i, study in enumerate(data["studies"])]
    return [(str(path), data)]


def _import_all(args: argparse.Namespace) -> list[tuple[str, CtgovImport]] | None:
    results: list[tuple[str, CtgovImport]] = []
    failed = False
    for path in args.files:
        for label, study in _studies(path):
            if not isinstance(study, dict):
                failed = True
                expected = "expected a JSON object with protocolSection"
                print(f"{label}: not a ClinicalTrials.gov study ({expected})", file=sys.stderr)
                continue
            try:
                result = from_ctgov(study, keep_source_terms=args.keep_source_terms, lenient=args.lenient)
            except ValidationError as e:
                failed = True
                print(f"{label}: invalid ClinicalTrials.gov record ({len(e.problems)} problem(s))", file=sys.stderr)
                for problem in e.problems:
                    print(f"  {problem}", file=sys.stderr)
                continue
            results.append((label, result))
    return None if failed else results


def _unique(trials: list[Trial]) -> list[Trial]:
    """The trials with one per key (the last one read wins)."""
    by_key: dict[str, Trial] = {}
    for trial in trials:
        if trial.key in by_key:
            print(f"note: {trial.key} was given more than once; the last one read is kept", file=sys.stderr)
        by_key[trial.key] = trial
    return list(by_key.values())


def _attach(trials: list[Trial], args: argparse.Namespace) -> Portfolio:
    portfolio = load(args.into) if args.into is not None else Portfolio()
    assets = list(portfolio.assets)
    for i, asset in enumerate(assets):
        if asset.code == args.asset:
            replacements = {t.key: t for t in trials}
            merged = [replacements.pop(t.key, t) for t in asset.trials]  # same key: replaced in place
            merged += replacements.values()  # new trials go last
            assets[i] = attrs.evolve(asset, trials=tuple(merged))
            return Portfolio(assets=tuple(assets))
    if args.modality is None:
        where = f" in {args.into}" if args.into is not None else ""
        raise BiopipeError(f"no asset {args.asset!r}{where}: give --modality (and --sponsor) to create it")
    sponsor = args.sponsor
    if sponsor is None:
        sponsor = next((t.sponsor.name for t in trials if t.sponsor is not None), None)
        if sponsor is None:
            raise BiopipeError("the records name no lead sponsor: give --sponsor")
    asset = Asset(code=args.asset, sponsor=sponsor, modality=Modality.from_code(args.modality), trials=tuple(trials))
    return Portfolio(assets=(*assets, asset))


def _summary(label: str, result: CtgovImport) -> list[str]:
    """Human lines for one record: unmapped paths grouped over array indexes, with counts and reasons."""
    groups: Counter[tuple[str, str]] = Counter((re.sub(r"\[\d+\]", "[*]", u.path), u.reason) for u in result.unmapped)
    lines = [f"{label} ({result.trial.key}): {len(result.unmapped)} unmapped"]
    for (pattern, reason), n in groups.items():
        count = f" ({n}x)" if n > 1 else ""
        lines.append(f"  {pattern}{count}: {reason}")
    return lines


def _report(results: list[tuple[str, CtgovImport]]) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "records": [
            {"source": label, "trial": result.trial.key, "unmapped": [u.to_json() for u in result.unmapped]}
            for label, result in results
        ],
    }


def _ctgov(args: argparse.Namespace) -> int:
    results = _import_all(args)
    if results is None:
        return 2
    portfolio = _attach(_unique([r.trial for _, r in results]), args)
    text = dumps(portfolio)
    if args.unmapped is not None:
        report = json.dumps(_report(results), indent=2, ensure_ascii=False) + "\n"
        write_atomic(args.unmapped, report.encode("utf-8"))
    else:
        for label, result in results:
            for line in _summary(label, result):
                print(line, file=sys.stderr)
    write_output(text, args.output)
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
