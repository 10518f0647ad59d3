"""ClinicalTrials.gov API v2 import: study records become `Trial` values, and what does not map is reported.

`from_ctgov` reads one study object (the JSON of ``/api/v2/studies/{nctId}``,
or one element of a search response's ``studies``; it has a top-level
``protocolSection``). Modules may be missing: records fetched with ``fields=``
hold only some of them.

What maps
    titles and acronym; the NCT id and every secondary or sponsor id that is a
    registry id biopipe recognises (`RegistryId`); overall status, last known
    status and why it stopped; start, primary completion and completion dates
    with their precision (``2025-01`` stays a month); phase; study type,
    allocation, masking, intervention model and primary purpose; enrollment;
    lead sponsor and collaborators with their class; conditions; interventions;
    arms; outcomes (primary, secondary and other become endpoint roles
    primary, secondary and exploratory); the countries of the locations,
    normalised to ISO 3166-1 codes (``Turkey``, ``Korea, Republic of`` ...).
    The record itself becomes the trial's `Source` (its URL, published at the
    record's last update).

How dates are known
    A date struct's ``type`` ``ACTUAL`` or ``ESTIMATED`` gives the `DateBasis`.
    Older and field-restricted records omit ``type``; then the overall status
    decides: a start is actual once the trial has started (recruiting, active,
    suspended, terminated, completed; for ``UNKNOWN`` the last known status),
    a (primary) completion once it is completed or terminated; otherwise the
    date is an estimate. Enrollment without a type is actual for completed,
    terminated, withdrawn and active-not-recruiting trials.

Endpoint kind
    Inferred from the outcome's measure only when exactly one kind is named
    (``Objective response rate (ORR)`` is `EndpointKind.ORR`, ``Number of
    participants with dose limiting toxicities`` is dose finding); anything
    else is `EndpointKind.OTHER`. The measure text is always kept as the
    description.

What does not map
    Every part of the record that is not used is listed in
    `CtgovImport.unmapped` as an `Unmapped` with its path in the record
    (``protocolSection.eligibilityModule.eligibilityCriteria``), its value and
    why; a subtree that is wholly unused is one entry.

Many records
    `import_files` (one report) and `iter_import` (batches, streamed) read study
    files, search responses, JSON Lines, zip archives such as the registry's bulk
    download, folders and globs, leniently per record (a bad record is a failure
    named by its file and path; the rest are imported) or strictly, in one process
    or several with the same output. `import_to_parquet` streams the trials into a
    Parquet dataset; `add_trials` adds trials to an asset or, without one, to a
    portfolio's registry trials.

Errors
    A record that is not a study (no ``protocolSection``, wrong JSON types,
    no title or status, an unknown code) raises one `ValidationError` listing
    every problem with its path in the record. With ``lenient=True`` a bad
    optional value is reported as unmapped instead; a record without a title
    or a valid status still fails.

>>> from biopipe.interop.ctgov import from_ctgov
>>> result = from_ctgov({"protocolSection": {
...     "identificationModule": {"nctId": "NCT05288205", "briefTitle": "JAB-21822 plus JAB-3312"},
...     "statusModule": {"overallStatus": "RECRUITING",
...                      "startDateStruct": {"date": "2022-04-14", "type": "ACTUAL"}},
...     "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE1", "PHASE2"]},
...     "eligibilityModule": {"sex": "ALL"}}})
>>> t = result.trial
>>> t.phase, t.status, str(t.start), t.ids
(Phase.PHASE1_2, TrialStatus.RECRUITING, '2022-04-14', (RegistryId('NCT05288205'),))
>>> [str(u) for u in result.unmapped]
["protocolSection.eligibilityModule: {'sex': 'ALL'} (eligibility criteria are not modelled)"]
"""

from __future__ import annotations

from ._batch import ImportReport, add_trials, import_files, studies_in
from ._bulk import INPUT_SUFFIXES, ImportBatch, ImportedRecord, input_files, iter_import
from ._parquet import TRIAL_TABLES, import_to_parquet
from ._study import UNMAPPED_KINDS, CtgovImport, Unmapped, country_code, endpoint_kind, format_path, from_ctgov

__all__ = [
    "INPUT_SUFFIXES",
    "TRIAL_TABLES",
    "UNMAPPED_KINDS",
    "CtgovImport",
    "ImportBatch",
    "ImportReport",
    "ImportedRecord",
    "Unmapped",
    "add_trials",
    "country_code",
    "endpoint_kind",
    "format_path",
    "from_ctgov",
    "import_files",
    "import_to_parquet",
    "input_files",
    "iter_import",
    "studies_in",
]
