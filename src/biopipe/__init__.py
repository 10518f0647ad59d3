"""biopipe: a typed, immutable model of drug-development pipelines, with queries and interop.

>>> import biopipe
>>> js212 = biopipe.example("js212")
>>> js212.code, js212.sponsor
('JS212', 'Junshi Biosciences')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._asset import Alias, Asset, Indication, Portfolio, RegulatoryEvent, Target
from ._dates import FactDate, PartialDate, Precision
from ._errors import (
    MISSING,
    BiopipeError,
    InvalidIdentifier,
    InvalidPartialDate,
    InvalidValue,
    Problem,
    UnknownCode,
    ValidationError,
)
from ._examples import example, example_names, example_text
from ._ids import Registry, RegistryId
from ._jsonio import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_DEPTH,
    MAX_STRING,
    dump,
    dumps,
    dumps_bytes,
    from_document,
    load,
    loads,
    to_document,
)
from ._phase import PhasePolicy, highest_phase, phases_by_jurisdiction, trial_started_by
from ._query import Query, has_modality, has_target, in_state, phase_at_least, select, sponsored_by
from ._schema import json_schema
from ._source import Source
from ._state import RegulatoryState, StateAnswer, happened_by, state_as_of
from ._timeline import Milestone, Timeline, TimelineEntry, timeline
from ._trial import Arm, Endpoint, Enrollment, Intervention, Organization, SourceTerm, Trial, TrialDesign
from ._vocab import (
    Agency,
    AliasKind,
    Allocation,
    AntibodyOrigin,
    ApplicationKind,
    ArmType,
    DateBasis,
    Designation,
    DesignPart,
    EndpointKind,
    EndpointRole,
    EventKind,
    IndicationRole,
    InterventionModel,
    InterventionType,
    Masking,
    Modality,
    Phase,
    PrimaryPurpose,
    SponsorClass,
    StudyType,
    TherapyMode,
    TrialStatus,
    Vocabulary,
)

if TYPE_CHECKING:
    from ._check import CHECK_RULES, CheckRule, Finding, Severity, check, render_findings
    from ._clock_rules import CLOCK_RULES, ClockRule, ClockUnit
    from ._clocks import ClockProjection, add_clock, infer_events, review_clocks, rule_in_effect
    from ._convert import configure_converter, converter, make_converter, problems_of
    from ._diff import Change, ChangeKind, Diff, diff
    from ._plot import plot_timeline, timeline_figure
    from .interop.arrow import from_arrow, read_parquet, to_arrow, write_parquet
    from .interop.ctgov import CtgovImport, Unmapped, from_ctgov
    from .interop.fhir import to_bundle, to_medicinal_product, to_regulated_authorization, to_research_study

# Imported on first access, so that ``import biopipe`` stays quick (cattrs, the interop modules,
# and the query modules that the model and JSON format do not need).
_LAZY = {
    "CHECK_RULES": "._check",
    "CheckRule": "._check",
    "Finding": "._check",
    "Severity": "._check",
    "check": "._check",
    "render_findings": "._check",
    "CLOCK_RULES": "._clock_rules",
    "ClockRule": "._clock_rules",
    "ClockUnit": "._clock_rules",
    "ClockProjection": "._clocks",
    "add_clock": "._clocks",
    "infer_events": "._clocks",
    "review_clocks": "._clocks",
    "rule_in_effect": "._clocks",
    "Change": "._diff",
    "ChangeKind": "._diff",
    "Diff": "._diff",
    "diff": "._diff",
    "plot_timeline": "._plot",
    "timeline_figure": "._plot",
    "configure_converter": "._convert",
    "converter": "._convert",
    "make_converter": "._convert",
    "problems_of": "._convert",
    "from_arrow": ".interop.arrow",
    "read_parquet": ".interop.arrow",
    "to_arrow": ".interop.arrow",
    "write_parquet": ".interop.arrow",
    "to_bundle": ".interop.fhir",
    "to_medicinal_product": ".interop.fhir",
    "to_regulated_authorization": ".interop.fhir",
    "to_research_study": ".interop.fhir",
    "CtgovImport": ".interop.ctgov",
    "Unmapped": ".interop.ctgov",
    "from_ctgov": ".interop.ctgov",
}

__all__ = [
    "CHECK_RULES",
    "CLOCK_RULES",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_STRING",
    "MISSING",
    "Agency",
    "Alias",
    "AliasKind",
    "Allocation",
    "AntibodyOrigin",
    "ApplicationKind",
    "Arm",
    "ArmType",
    "Asset",
    "BiopipeError",
    "Change",
    "ChangeKind",
    "CheckRule",
    "ClockProjection",
    "ClockRule",
    "ClockUnit",
    "CtgovImport",
    "DateBasis",
    "DesignPart",
    "Designation",
    "Diff",
    "Endpoint",
    "EndpointKind",
    "EndpointRole",
    "Enrollment",
    "EventKind",
    "FactDate",
    "Finding",
    "Indication",
    "IndicationRole",
    "Intervention",
    "InterventionModel",
    "InterventionType",
    "InvalidIdentifier",
    "InvalidPartialDate",
    "InvalidValue",
    "Masking",
    "Milestone",
    "Modality",
    "Organization",
    "PartialDate",
    "Phase",
    "PhasePolicy",
    "Portfolio",
    "Precision",
    "PrimaryPurpose",
    "Problem",
    "Query",
    "Registry",
    "RegistryId",
    "RegulatoryEvent",
    "RegulatoryState",
    "Severity",
    "Source",
    "SourceTerm",
    "SponsorClass",
    "StateAnswer",
    "StudyType",
    "Target",
    "TherapyMode",
    "Timeline",
    "TimelineEntry",
    "Trial",
    "TrialDesign",
    "TrialStatus",
    "UnknownCode",
    "Unmapped",
    "ValidationError",
    "Vocabulary",
    "__version__",
    "add_clock",
    "check",
    "configure_converter",
    "converter",
    "diff",
    "dump",
    "dumps",
    "dumps_bytes",
    "example",
    "example_names",
    "example_text",
    "from_arrow",
    "from_ctgov",
    "from_document",
    "happened_by",
    "has_modality",
    "has_target",
    "highest_phase",
    "in_state",
    "infer_events",
    "json_schema",
    "load",
    "loads",
    "make_converter",
    "phase_at_least",
    "phases_by_jurisdiction",
    "plot_timeline",
    "problems_of",
    "read_parquet",
    "render_findings",
    "review_clocks",
    "rule_in_effect",
    "select",
    "sponsored_by",
    "state_as_of",
    "timeline",
    "timeline_figure",
    "to_arrow",
    "to_bundle",
    "to_document",
    "to_medicinal_product",
    "to_regulated_authorization",
    "to_research_study",
    "trial_started_by",
    "write_parquet",
]


# Public classes report the package, not the private module they live in, in reprs and tracebacks.
for _name in __all__:
    _obj = globals().get(_name)
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("biopipe")
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        if isinstance(value, type):
            value.__module__ = __name__
        globals()[name] = value
        return value
    raise AttributeError(f"module 'biopipe' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
