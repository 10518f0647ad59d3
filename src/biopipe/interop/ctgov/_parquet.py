"""ClinicalTrials.gov records straight to a Parquet dataset, batch by batch: memory bounded by the batch."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ...model._asset import Portfolio
from ...model._errors import InvalidValue
from ._batch import ImportReport
from ._bulk import iter_import

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ...model._trial import Trial
    from ._bulk import ImportBatch

__all__ = ["TRIAL_TABLES", "import_to_parquet"]

#: The tables of registry trials (`biopipe.interop.arrow.TABLES` less the asset tables), one folder each.
TRIAL_TABLES = (
    "trials",
    "trial_ids",
    "trial_conditions",
    "trial_countries",
    "endpoints",
    "arms",
    "interventions",
    "collaborators",
    "source_terms",
    "sources",
)
# Tables join by key (trial key, part keys); only the registry trials' own order, ``position``, counts
# across the portfolio, so it is shifted by the trials of earlier batches to keep the import's order.


def _tables(trials: tuple[Trial, ...]) -> dict[str, Any]:
    """The trial tables of one batch (runs in the worker): the batch's trials as registry trials.

    A key given twice in a batch is kept once, the last one read in the place of the first.
    """
    from ..arrow import to_arrow

    by_key: dict[str, Trial] = {}
    for trial in trials:
        by_key[trial.key] = trial
    tables = to_arrow(Portfolio(trials=tuple(by_key.values())))
    return {name: tables[name] for name in TRIAL_TABLES}


def import_to_parquet(
    paths: Iterable[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    workers: int = 1,
    batch_size: int = 2000,
    strict: bool = False,
    lenient: bool = False,
    keep_source_terms: bool = False,
) -> ImportReport:
    """Import every study in *paths* (as `iter_import` reads them) into a Parquet dataset in *directory*.

    Each table of `TRIAL_TABLES` is a folder of part files, one a batch
    (``DIRECTORY/trials/part-000000.parquet``, ...), that DuckDB, Polars, Spark or
    ``pyarrow.parquet.read_table(DIRECTORY / "trials")`` read as one table. The rows
    are those `biopipe.interop.arrow.to_arrow` writes for a portfolio of these
    trials as registry trials (asset code ``""``), with positions numbered across the
    whole dataset. Batches are imported (and their tables built) in *workers*
    processes and written here in input order; only a few batches are in memory at
    once. The report has the counts and the failures, not the records. *directory*
    must be empty or new. A trial whose key comes again is written once, the last one
    read in the place of the first, whether the two are in one batch or not (`to_arrow`
    of the portfolio the serial import would add them to): a later batch's repeat
    rewrites the earlier batch's part files. The importer keeps each key read
    (about 100 bytes a trial) to find them.

    >>> import json, tempfile, pathlib
    >>> import pyarrow.parquet as pq
    >>> from biopipe.interop.ctgov import import_to_parquet
    >>> study = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "A"},
    ...                              "statusModule": {"overallStatus": "COMPLETED"}}}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "a.json").write_text(json.dumps(study))
    ...     report = import_to_parquet([pathlib.Path(tmp, "a.json")], pathlib.Path(tmp, "tables"))
    ...     pq.read_table(pathlib.Path(tmp, "tables", "trials")).column("trial_key").to_pylist()
    ['NCT00000001']
    >>> report.summary
    'read 1 record: 1 imported, 0 failed; unmapped: none'
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ..arrow import _schema

    out = Path(directory)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidValue(str(out), "an empty or new folder for the Parquet dataset")
    for name in TRIAL_TABLES:
        (out / name).mkdir(parents=True, exist_ok=True)
    # Part files are numbered by batch (gaps where a batch has no rows for a table), so that a repeat can
    # add rows to an earlier batch's part of a table that had none.
    parts: dict[str, set[int]] = {name: set() for name in TRIAL_TABLES}
    where: dict[str, int] = {}  # trial key -> the batch whose part files hold it
    offset = 0
    batches: list[ImportBatch] = []

    def path_of(name: str, number: int) -> Path:
        return out / name / f"part-{number:06d}.parquet"

    def write(name: str, number: int, table: Any) -> None:
        path = path_of(name, number)
        temporary = path.with_name(f".{path.name}.tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, path)
        parts[name].add(number)

    def replace_earlier(number: int, keys: set[str], tables: dict[str, Any]) -> None:
        """Put the rows of *keys* from *tables* in the place of those in batch *number*'s part files."""
        old_trials = pq.read_table(path_of("trials", number), columns=["trial_key", "position"])
        order = {key: rank for rank, key in enumerate(old_trials.column("trial_key").to_pylist())}
        positions = dict(zip(order, old_trials.column("position").to_pylist(), strict=True))
        value_set = pa.array(sorted(keys), pa.string())
        for name in TRIAL_TABLES:
            new = tables[name].filter(pc.is_in(tables[name].column("trial_key"), value_set=value_set))
            old = pq.read_table(path_of(name, number)) if number in parts[name] else None
            if old is not None:
                old = old.filter(pc.invert(pc.is_in(old.column("trial_key"), value_set=value_set)))
            if name == "trials":  # the first one's place in the dataset
                index = new.schema.get_field_index("position")
                moved = pa.array([positions[k] for k in new.column("trial_key").to_pylist()], pa.int32())
                new = new.set_column(index, new.schema.field(index), moved)
            merged = new if old is None else pa.concat_tables([old, new.cast(old.schema)])
            if merged.num_rows == 0:
                if number in parts[name]:
                    path_of(name, number).unlink()
                    parts[name].discard(number)
                continue
            # Rows are grouped by trial in the batch's trial order; the sort is stable, so each trial's rows
            # keep their own order.
            ranks = pa.array([order[k] for k in merged.column("trial_key").to_pylist()], pa.int64())
            write(name, number, merged.take(pc.sort_indices(ranks)))

    stream: Iterator[ImportBatch] = iter_import(
        paths,
        batch_size=batch_size,
        workers=workers,
        strict=strict,
        lenient=lenient,
        keep_source_terms=keep_source_terms,
        convert=_tables,
    )
    empty: dict[str, Any] = {}
    for number, batch in enumerate(stream):
        tables: dict[str, Any] = batch.output
        keys = tables["trials"].column("trial_key").to_pylist()
        earlier: dict[int, set[str]] = {}
        for key in keys:
            if key in where:
                earlier.setdefault(where[key], set()).add(key)
            else:
                where[key] = number
        if earlier:
            for earlier_number, again in earlier.items():
                replace_earlier(earlier_number, again, tables)
            repeated = pa.array(sorted(set().union(*earlier.values())), pa.string())
            tables = {
                name: table.filter(pc.invert(pc.is_in(table.column("trial_key"), value_set=repeated)))
                for name, table in tables.items()
            }
        count = tables["trials"].num_rows
        for name in TRIAL_TABLES:
            table = tables[name]
            if table.num_rows == 0:
                empty.setdefault(name, table)
                continue
            if name == "trials":  # numbered across the dataset: shifted by the trials already written
                index = table.schema.get_field_index("position")
                moved = pa.array(range(offset, offset + count), pa.int32())
                table = table.set_column(index, table.schema.field(index), moved)
            write(name, number, table)
        offset += count
        batches.append(_counts_only(batch))
    for name in TRIAL_TABLES:
        if not parts[name]:  # a table no record had rows for: one empty part, so that the folder reads
            write(name, 0, empty.get(name, pa.Table.from_pylist([], schema=_schema(name))))
    return ImportReport.from_batches(batches)


def _counts_only(batch: ImportBatch) -> ImportBatch:
    return attrs.evolve(batch, records=(), output=None)
