"""Many ClinicalTrials.gov records at once: files in, an import report out; adding the trials to a portfolio."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, ClassVar

import attrs

from ...document._jsonio import read_json
from ...document._results import Result, display_text, markdown_cell
from ...model._asset import Asset, Portfolio
from ...model._errors import BiopipeError, Problem
from ...model._trial import with_trials
from ._bulk import ImportBatch, ImportedRecord, iter_import
from ._study import UNMAPPED_KINDS

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from ...model._trial import Trial
    from ...model._vocab import Modality

__all__ = ["ImportReport", "add_trials", "import_files", "studies_in"]


def studies_in(path: str | os.PathLike[str]) -> list[tuple[str, object]]:
    """The study objects in one file (one study, or a search response's ``studies``), each labelled.

    The file is read under the document loader's limits (`biopipe.document.read_json`).

    >>> import json, pathlib, tempfile
    >>> from biopipe.interop.ctgov import studies_in
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = pathlib.Path(tmp, "page.json")
    ...     _ = page.write_text(json.dumps({"studies": [{"protocolSection": {}}, {"protocolSection": {}}]}))
    ...     [label.rpartition("#")[2] for label, _ in studies_in(page)]
    ['studies[0]', 'studies[1]']
    """
    data = read_json(path)
    if isinstance(data, dict) and "protocolSection" not in data and isinstance(data.get("studies"), list):
        return [(f"{path}#studies[{i}]", study) for i, study in enumerate(data["studies"])]
    return [(str(path), data)]


def _source_of(problem: Problem) -> str:
    """The record a failure belongs to: its path up to the record's own path (``a.json: protocolSection``)."""
    return problem.path.partition(": ")[0]


def _failed_records(report: ImportReport) -> int:
    return len({_source_of(p) for p in report.failures})


def _read_records(report: ImportReport) -> int:
    return len(report.records) + report.failed


def _unmapped_kinds(report: ImportReport) -> dict[str, int]:
    counts = Counter(u.kind for r in report.records for u in r.unmapped)
    return {kind: counts[kind] for kind in UNMAPPED_KINDS if counts[kind]}


@attrs.frozen(kw_only=True)
class ImportReport(Result):
    """What an import read: each record with its unmapped parts, each failure with its path, and the counts.

    ``read`` counts the records read, ``failed`` those that failed (a file that
    cannot be read or parsed counts as one), ``unmapped_kinds`` the unmapped
    parts by `Unmapped.kind`. Built by hand, they default to what ``records``
    and ``failures`` say; an import fills them in, also when it keeps only the
    counts of each record's unmapped parts. The text rendering lists each record's
    unmapped parts and each failure, and ends with one summary line.

    >>> from biopipe.interop.ctgov import ImportReport, ImportedRecord, from_ctgov
    >>> r = from_ctgov({"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "A"},
    ...                                     "statusModule": {"overallStatus": "COMPLETED"},
    ...                                     "oversightModule": {"oversightHasDmc": True}}})
    >>> report = ImportReport(records=(ImportedRecord(source="a.json", trial=r.trial, unmapped=r.unmapped),))
    >>> print(report.render(), end="")
    a.json (NCT00000001): 1 unmapped
      protocolSection.oversightModule: oversight and regulation flags are not modelled
    read 1 record: 1 imported, 0 failed; unmapped: 1 path (not modelled 1)
    """

    document_name: ClassVar[str] = "ctgov-import"
    document_properties: ClassVar[tuple[str, ...]] = ("trials",)

    records: tuple[ImportedRecord, ...] = ()
    failures: tuple[Problem, ...] = ()
    failed: int = attrs.field(default=attrs.Factory(_failed_records, takes_self=True), metadata={"document": "always"})
    read: int = attrs.field(default=attrs.Factory(_read_records, takes_self=True), metadata={"document": "always"})
    unmapped_kinds: dict[str, int] = attrs.field(
        default=attrs.Factory(_unmapped_kinds, takes_self=True), metadata={"document": "always"}
    )

    @classmethod
    def from_batches(cls, batches: Iterable[ImportBatch]) -> ImportReport:
        """One report of the batches of an import (`iter_import`), in their order."""
        records: list[ImportedRecord] = []
        failures: list[Problem] = []
        read = failed = 0
        kinds: Counter[str] = Counter()
        for batch in batches:
            records += batch.records
            failures += batch.failures
            read += batch.read
            failed += batch.failed
            kinds.update(batch.unmapped)
        return cls(
            records=tuple(records),
            failures=tuple(failures),
            failed=failed,
            read=read,
            unmapped_kinds={kind: kinds[kind] for kind in UNMAPPED_KINDS if kinds[kind]},
        )

    @property
    def trials(self) -> tuple[str, ...]:
        """The keys of the imported trials, in reading order."""
        return tuple(r.key for r in self.records)

    @property
    def imported(self) -> int:
        """The number of records imported."""
        return self.read - self.failed

    @property
    def repeated(self) -> tuple[str, ...]:
        """The keys of trials read more than once, in reading order (adding them keeps the last one read)."""
        seen: set[str] = set()
        repeated: dict[str, None] = {}
        for key in self.trials:
            if key in seen:
                repeated[key] = None
            seen.add(key)
        return tuple(repeated)

    @property
    def ok(self) -> bool:
        """Whether every record was imported."""
        return not self.failures and not self.failed

    @property
    def summary(self) -> str:
        """One line: records read, imported and failed, and the unmapped parts by kind.

        >>> from biopipe.interop.ctgov import ImportReport
        >>> ImportReport(read=14, failed=1, unmapped_kinds={"not modelled": 98, "unrecognised": 2}).summary
        'read 14 records: 13 imported, 1 failed; unmapped: 100 paths (not modelled 98, unrecognised 2)'
        """
        total = sum(self.unmapped_kinds.values())
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.unmapped_kinds.items())
        unmapped = f"{total} path{'s' if total != 1 else ''} ({kinds})" if total else "none"
        records = f"{self.read} record{'s' if self.read != 1 else ''}"
        return f"read {records}: {self.imported} imported, {self.failed} failed; unmapped: {unmapped}"

    def _text(self) -> str:
        lines = []
        for record in self.records:
            if not record.unmapped:
                continue
            groups = Counter((re.sub(r"\[\d+\]", "[*]", u.path), u.reason) for u in record.unmapped)
            lines.append(f"{record.source} ({record.key}): {len(record.unmapped)} unmapped")
            lines += [f"  {path}{f' ({n}x)' if n > 1 else ''}: {reason}" for (path, reason), n in groups.items()]
        lines += [f"failed: {p}" for p in self.failures]
        lines.append(self.summary)
        return "\n".join(map(display_text, lines))

    def _markdown(self) -> str:
        lines = ["| source | trial | unmapped path | reason |", "| --- | --- | --- | --- |"]
        for record in self.records:
            source = markdown_cell(record.source)
            lines += [
                f"| {source} | {markdown_cell(record.key)} | {markdown_cell(u.path)} | {markdown_cell(u.reason)} |"
                for u in record.unmapped
            ]
        lines += [f"| {markdown_cell(p.path)} | (failed) | | {markdown_cell(p.expected)} |" for p in self.failures]
        lines += ["", markdown_cell(self.summary)]
        return "\n".join(lines)


def import_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    keep_source_terms: bool = False,
    lenient: bool = False,
    strict: bool = False,
    workers: int = 1,
    batch_size: int = 500,
    details: bool = True,
) -> ImportReport:
    """Import every study in *paths* into one report; a bad record is a failure in the report, not an exception.

    *paths* are files, folders, globs, search responses, JSON Lines and zip archives,
    as `iter_import` reads them; a file that cannot be read or parsed fails as a whole,
    every other record is imported on its own, so one bad record does not hide the rest.
    With *strict*, the first bad record raises a `ValidationError`. The report keeps
    every record (its trial, and with *details* its unmapped parts): for corpora too
    large for that, consume `iter_import` batch by batch.

    >>> import json, pathlib, tempfile
    >>> from biopipe.interop.ctgov import import_files
    >>> study = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "A"},
    ...                              "statusModule": {"overallStatus": "COMPLETED"}}}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "a.json").write_text(json.dumps(study))
    ...     _ = pathlib.Path(tmp, "b.json").write_text("{not json")
    ...     report = import_files([tmp])
    >>> report.trials, report.failed, report.ok
    (('NCT00000001',), 1, False)
    """
    return ImportReport.from_batches(
        iter_import(
            paths,
            keep_source_terms=keep_source_terms,
            lenient=lenient,
            strict=strict,
            workers=workers,
            batch_size=batch_size,
            details=details,
        )
    )


def add_trials(
    portfolio: Portfolio,
    trials: Iterable[Trial],
    *,
    asset: str | None = None,
    modality: Modality | None = None,
    sponsor: str | None = None,
) -> Portfolio:
    """*portfolio* with *trials* added to the asset coded *asset*, or, without *asset*, to its registry trials.

    A trial whose key is already there (on the asset, or among the portfolio's
    root trials) replaces it in place; new trials go last; among *trials*, the
    last of a key wins. If the portfolio has no asset coded *asset*, one is
    created: it needs *modality*, and its sponsor is *sponsor* or the first
    trial's lead sponsor. Registry trials keep their sponsor as the registry
    gives it.

    >>> import biopipe
    >>> from biopipe.interop.ctgov import add_trials
    >>> js212 = biopipe.example("js212")
    >>> p = add_trials(biopipe.Portfolio(assets=(js212,)), js212.trials[:1], asset="JS212")
    >>> len(p["JS212"].trials)
    2
    >>> registry = add_trials(biopipe.Portfolio(), [*js212.trials, js212.trials[0]])
    >>> len(registry), [t.key for t in registry.trials] == [t.key for t in js212.trials]
    (0, True)
    """
    added = tuple(trials)
    if asset is None:
        return attrs.evolve(portfolio, trials=with_trials(portfolio.trials, added))
    assets = list(portfolio.assets)
    for i, existing in enumerate(assets):
        if existing.code == asset:
            assets[i] = existing.with_trials(added)
            return attrs.evolve(portfolio, assets=tuple(assets))
    by_key = {t.key: t for t in added}
    if modality is None:
        raise BiopipeError(f"no asset {asset!r} on record: give a modality (and a sponsor) to create it")
    lead = sponsor or next((t.sponsor.name for t in by_key.values() if t.sponsor is not None), None)
    if lead is None:
        raise BiopipeError("the records name no lead sponsor: give a sponsor")
    new = Asset(code=asset, sponsor=lead, modality=modality, trials=tuple(by_key.values()))
    return attrs.evolve(portfolio, assets=(*assets, new))
