"""biopipe: a typed, immutable model of drug-development pipelines, with queries and interop.

The top level holds what a script needs: the model types and vocabularies, the
errors, reading and writing documents, the bundled examples and the main
queries. The optional areas are sub-modules: `biopipe.query` (portfolio
selection and more), `biopipe.review` (checks, diffs, review clocks),
`biopipe.curate` (linking trials to assets, merging documents),
`biopipe.document` (the converter, the JSON Schema, the limits),
`biopipe.interop.ctgov`, `biopipe.interop.fhir`, `biopipe.interop.arrow`,
`biopipe.plot` and `biopipe.testing.strategies`.

>>> import biopipe
>>> js212 = biopipe.example("js212")
>>> js212.code, js212.sponsor
('JS212', 'Junshi Biosciences')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .document import dump, dumps, example, example_names, load, loads
from .model import (
    Actor,
    Agency,
    Alias,
    AliasKind,
    Allocation,
    AntibodyOrigin,
    Application,
    ApplicationKind,
    ApplicationType,
    Arm,
    ArmType,
    Asset,
    BiopipeError,
    DateBasis,
    Deal,
    DealKind,
    Designation,
    DesignPart,
    Endpoint,
    EndpointKind,
    EndpointRole,
    Enrollment,
    EventKind,
    FactDate,
    Indication,
    IndicationRole,
    Intervention,
    InterventionModel,
    InterventionType,
    InvalidIdentifier,
    InvalidPartialDate,
    InvalidValue,
    Masking,
    Modality,
    Money,
    Organization,
    PartialDate,
    Party,
    PartyRole,
    Pathway,
    Phase,
    Portfolio,
    Precision,
    PrimaryPurpose,
    Problem,
    Registry,
    RegistryId,
    RegulatoryEvent,
    ReviewType,
    Source,
    SourceTerm,
    SponsorClass,
    StudyType,
    Target,
    Territory,
    TherapyMode,
    Trial,
    TrialDesign,
    TrialStatus,
    UnknownCode,
    ValidationError,
    Vocabulary,
)
from .model._naming import publish

if TYPE_CHECKING:  # loaded on first use (``import biopipe`` stays quick): see __getattr__
    from .query import RegulatoryState, StateAnswer, Timeline, TimelineEntry, highest_phase, state_as_of, timeline

__all__ = [
    "Actor",
    "Agency",
    "Alias",
    "AliasKind",
    "Allocation",
    "AntibodyOrigin",
    "Application",
    "ApplicationKind",
    "ApplicationType",
    "Arm",
    "ArmType",
    "Asset",
    "BiopipeError",
    "DateBasis",
    "Deal",
    "DealKind",
    "DesignPart",
    "Designation",
    "Endpoint",
    "EndpointKind",
    "EndpointRole",
    "Enrollment",
    "EventKind",
    "FactDate",
    "Indication",
    "IndicationRole",
    "Intervention",
    "InterventionModel",
    "InterventionType",
    "InvalidIdentifier",
    "InvalidPartialDate",
    "InvalidValue",
    "Masking",
    "Modality",
    "Money",
    "Organization",
    "PartialDate",
    "Party",
    "PartyRole",
    "Pathway",
    "Phase",
    "Portfolio",
    "Precision",
    "PrimaryPurpose",
    "Problem",
    "Registry",
    "RegistryId",
    "RegulatoryEvent",
    "RegulatoryState",
    "ReviewType",
    "Source",
    "SourceTerm",
    "SponsorClass",
    "StateAnswer",
    "StudyType",
    "Target",
    "Territory",
    "TherapyMode",
    "Timeline",
    "TimelineEntry",
    "Trial",
    "TrialDesign",
    "TrialStatus",
    "UnknownCode",
    "ValidationError",
    "Vocabulary",
    "dump",
    "dumps",
    "example",
    "example_names",
    "highest_phase",
    "load",
    "loads",
    "state_as_of",
    "timeline",
    "__version__",
]

#: The distribution that installs this package (``pip install biopipe-intel``); the import name is ``biopipe``.
DISTRIBUTION = "biopipe-intel"

# The query names of the top level load with biopipe.query on first use (it publishes them itself).
# The model classes annotate with names the package itself exports: cattrs resolves them there, on first use.
publish(__all__, globals(), resolve=False)

# 0.1 names that moved to a sub-module: still reachable here for one release, with a DeprecationWarning.
_MOVED = {
    **dict.fromkeys(
        ("FORMAT_NAME", "FORMAT_VERSION", "MAX_DEPTH", "MAX_STRING", "configure_converter", "converter",
         "dumps_bytes", "example_text", "from_document", "json_schema", "make_converter", "problems_of",
         "to_document"),
        "biopipe.document",
    ),
    **dict.fromkeys(
        ("Milestone", "PhasePolicy", "Query", "happened_by", "has_modality", "has_target", "in_state",
         "phase_at_least", "phases_by_jurisdiction", "select", "sponsored_by", "trial_started_by"),
        "biopipe.query",
    ),
    **dict.fromkeys(
        ("CHECK_RULES", "CLOCK_RULES", "Change", "ChangeKind", "CheckRule", "ClockProjection", "ClockRule",
         "ClockUnit", "Diff", "Finding", "Severity", "add_clock", "check", "diff", "infer_events", "review_clocks",
         "rule_in_effect"),
        "biopipe.review",
    ),
    "MISSING": "biopipe.model",
    **dict.fromkeys(("from_arrow", "read_parquet", "to_arrow", "write_parquet"), "biopipe.interop.arrow"),
    **dict.fromkeys(("CtgovImport", "Unmapped", "from_ctgov"), "biopipe.interop.ctgov"),
    **dict.fromkeys(
        ("to_bundle", "to_medicinal_product", "to_regulated_authorization", "to_research_study"), "biopipe.interop.fhir"
    ),
    **dict.fromkeys(("plot_timeline", "timeline_figure"), "biopipe.plot"),
}  # fmt: skip


# Optional areas, imported when first reached as ``biopipe.<name>`` (``import biopipe`` stays quick).
_SUBMODULES = frozenset({"cli", "curate", "interop", "plot", "review", "testing"})


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":  # a query name (the rest are imported above)
        from . import query

        value = getattr(query, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name == "__version__":
        from importlib.metadata import version

        return version(DISTRIBUTION)
    if name in _MOVED:
        import importlib
        import warnings

        module = _MOVED[name]
        warnings.warn(
            f"biopipe.{name} moved to {module}.{name}; the old name goes in 0.3", DeprecationWarning, stacklevel=2
        )
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'biopipe' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
