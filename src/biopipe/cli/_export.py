"""``biopipe export fhir|parquet|csv``: write records as a FHIR R5 Bundle, Parquet tables or CSV tables."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..interop.arrow import write_csv, write_parquet
from ..interop.fhir import bundle_chunks, write_bundle, write_ndjson
from ..model._errors import BiopipeError
from ._core import add_input_arguments, read_portfolio

if TYPE_CHECKING:
    import argparse


def _fhir(args: argparse.Namespace) -> int:
    # One collection Bundle holds every asset of every input (each asset's resources reference its own product),
    # written asset by asset: memory stays at the loaded records, not the whole Bundle.
    portfolio = read_portfolio(args)
    if args.ndjson is not None:
        paths = write_ndjson(portfolio, args.ndjson)
        print(f"wrote {len(paths)} NDJSON files to {args.ndjson}")
        return 0
    if args.output is None or str(args.output) == "-":
        for chunk in bundle_chunks(portfolio):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    else:
        write_bundle(portfolio, args.output)
    return 0


def _parquet(args: argparse.Namespace) -> int:
    if str(args.output) == "-":
        raise BiopipeError("export parquet writes a folder of tables: -o - (standard output) is not possible")
    paths = write_parquet(read_portfolio(args), args.output)
    print(f"wrote {len(paths)} tables to {args.output}")
    return 0


def _csv(args: argparse.Namespace) -> int:
    paths = write_csv(read_portfolio(args), args.output)
    print(f"wrote {len(paths)} tables to {args.output}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``export fhir``, ``export parquet`` and ``export csv``."""
    export = sub.add_parser("export", help="write records in another format (FHIR R5, Parquet, CSV)")
    formats = export.add_subparsers(dest="format", metavar="FORMAT", required=True)

    fhir = formats.add_parser("fhir", help="a FHIR R5 Bundle (collection) of all assets, as JSON")
    add_input_arguments(fhir)
    where = fhir.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="write the Bundle to this file (atomically; - for stdout)")
    where.add_argument(
        "--ndjson", type=Path, metavar="DIR", help="write FHIR Bulk Data NDJSON instead: one file per resource type"
    )
    fhir.set_defaults(handler=_fhir)

    parquet = formats.add_parser("parquet", help="flat tables, one Parquet file per table, for DuckDB/Polars/Spark")
    add_input_arguments(parquet)
    parquet.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder for the files")
    parquet.set_defaults(handler=_parquet)

    csv = formats.add_parser("csv", help="flat tables, one CSV file per table (lists as JSON text)")
    add_input_arguments(csv)
    csv.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder for the files")
    csv.set_defaults(handler=_csv)
