"""Many ClinicalTrials.gov records at once: files in, an import report out; adding the trials to an asset."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

import attrs

from ...document._jsonio import read_json
from ...document._results import Result, display_text, markdown_cell
from ...model._asset import Asset, Portfolio
from ...model._errors import BiopipeError, Problem, ValidationError
from ...model._trial import Trial
from ._study import Unmapped, from_ctgov

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from ...model._vocab import Modality

__all__ = ["ImportReport", "ImportedRecord", "add_trials", "import_files", "studies_in"]


def studies_in(path: str | os.PathLike[str]) -> list[tuple[str, object]]:
    """The study objects in one file (one study, or a search response's ``studies``), each labelled.

    The file is read under the document loader's limits (`biopipe.document.read_json`).
    """
    data = read_json(path)
    if isinstance(data, dict) and "protocolSection" not in data and isinstance(data.get("studies"), list):
        return [(f"{path}#studies[{i}]", study) for i, study in enumerate(data["studies"])]
    return [(str(path), data)]


@attrs.frozen(kw_only=True)
class ImportedRecord:
    """One record read: where it came from, the trial it became, and what of it did not map.

    Its JSON document names the trial by ``key`` (the trial itself is in the imported biopipe document).
    """

    document_properties: ClassVar[tuple[str, ...]] = ("key",)

    source: str
    trial: Trial = attrs.field(metadata={"document": False})
    unmapped: tuple[Unmapped, ...] = ()

    @property
    def key(self) -> str:
        """The trial's key (its NCT id when it has one)."""
        return self.trial.key


@attrs.frozen(kw_only=True)
class ImportReport(Result):
    """What an import read: each record with its unmapped parts, and each record that failed with its problems.

    >>> from biopipe.interop.ctgov import ImportReport, ImportedRecord, from_ctgov
    >>> r = from_ctgov({"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "A"},
    ...                                     "statusModule": {"overallStatus": "COMPLETED"},
    ...                                     "oversightModule": {"oversightHasDmc": True}}})
    >>> report = ImportReport(records=(ImportedRecord(source="a.json", trial=r.trial, unmapped=r.unmapped),))
    >>> print(report.render(), end="")
    a.json (NCT00000001): 1 unmapped
      protocolSection.oversightModule: oversight and regulation flags are not modelled
    """

    document_name: ClassVar[str] = "ctgov-import"
    document_properties: ClassVar[tuple[str, ...]] = ("trials",)

    records: tuple[ImportedRecord, ...]
    failures: tuple[Problem, ...] = ()

    @property
    def trials(self) -> tuple[str, ...]:
        """The keys of the imported trials, in reading order."""
        return tuple(r.key for r in self.records)

    @property
    def ok(self) -> bool:
        """Whether every record was imported."""
        return not self.failures

    def _text(self) -> str:
        lines = []
        for record in self.records:
            groups = Counter((re.sub(r"\[\d+\]", "[*]", u.path), u.reason) for u in record.unmapped)
            lines.append(f"{record.source} ({record.key}): {len(record.unmapped)} unmapped")
            lines += [f"  {path}{f' ({n}x)' if n > 1 else ''}: {reason}" for (path, reason), n in groups.items()]
        lines += [f"failed: {p}" for p in self.failures]
        return "\n".join(map(display_text, lines)) if lines else "no records"

    def _markdown(self) -> str:
        lines = ["| source | trial | unmapped path | reason |", "| --- | --- | --- | --- |"]
        for record in self.records:
            source = markdown_cell(record.source)
            lines += [
                f"| {source} | {markdown_cell(record.key)} | {markdown_cell(u.path)} | {markdown_cell(u.reason)} |"
                for u in record.unmapped
            ]
        lines += [f"| {markdown_cell(p.path)} | (failed) | | {markdown_cell(p.expected)} |" for p in self.failures]
        return "\n".join(lines)


def import_files(
    paths: Iterable[str | os.PathLike[str]], *, keep_source_terms: bool = False, lenient: bool = False
) -> ImportReport:
    """Import every study in *paths*; a bad record is a failure in the report (with its path), not an exception.

    A file that cannot be read or parsed fails as a whole; every other record is
    imported on its own, so one bad record does not hide the rest.
    """
    records: list[ImportedRecord] = []
    failures: list[Problem] = []
    for path in paths:
        try:
            studies = studies_in(path)
        except ValidationError as e:
            failures += [p.under(str(path)) if p.path else attrs.evolve(p, path=str(path)) for p in e.problems]
            continue
        except BiopipeError as e:
            failures.append(Problem(str(path), str(path), str(e)))
            continue
        for label, study in studies:
            if not isinstance(study, Mapping):
                failures.append(
                    Problem(label, study, "a ClinicalTrials.gov study (a JSON object with protocolSection)")
                )
                continue
            try:
                result = from_ctgov(study, keep_source_terms=keep_source_terms, lenient=lenient)
            except ValidationError as e:
                failures += [attrs.evolve(p, path=f"{label}:{p.path}" if p.path else label) for p in e.problems]
                continue
            records.append(ImportedRecord(source=label, trial=result.trial, unmapped=result.unmapped))
    return ImportReport(records=tuple(records), failures=tuple(failures))


def add_trials(
    portfolio: Portfolio,
    trials: Iterable[Trial],
    *,
    asset: str,
    modality: Modality | None = None,
    sponsor: str | None = None,
) -> Portfolio:
    """*portfolio* with *trials* added to the asset coded *asset*.

    A trial whose key is already on the asset replaces it in place; new trials
    go last; among *trials*, the last of a key wins. If the portfolio has no
    such asset, one is created: it needs *modality*, and its sponsor is
    *sponsor* or the first trial's lead sponsor.

    >>> import biopipe
    >>> from biopipe.interop.ctgov import add_trials
    >>> js212 = biopipe.example("js212")
    >>> p = add_trials(biopipe.Portfolio(assets=(js212,)), js212.trials[:1], asset="JS212")
    >>> len(p["JS212"].trials)
    2
    """
    by_key: dict[str, Trial] = {}
    for trial in trials:
        by_key[trial.key] = trial
    assets = list(portfolio.assets)
    for i, existing in enumerate(assets):
        if existing.code == asset:
            merged = [by_key.pop(t.key, t) for t in existing.trials]
            assets[i] = attrs.evolve(existing, trials=(*merged, *by_key.values()))
            return Portfolio(assets=tuple(assets))
    if modality is None:
        raise BiopipeError(f"no asset {asset!r} on record: give a modality (and a sponsor) to create it")
    lead = sponsor or next((t.sponsor.name for t in by_key.values() if t.sponsor is not None), None)
    if lead is None:
        raise BiopipeError("the records name no lead sponsor: give a sponsor")
    new = Asset(code=asset, sponsor=lead, modality=modality, trials=tuple(by_key.values()))
    return Portfolio(assets=(*assets, new))
