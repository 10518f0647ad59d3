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
from ._schema import json_schema
from ._source import Source
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
    from ._convert import configure_converter, converter, make_converter, problems_of
    from .interop.arrow import from_arrow, read_parquet, to_arrow, write_parquet
    from .interop.fhir import to_bundle, to_medicinal_product, to_regulated_authorization, to_research_study

# Imported on first access, so that ``import biopipe`` stays quick (cattrs, the interop modules).
_LAZY = {
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
}

__all__ = [
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
    "DateBasis",
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
    "Organization",
    "PartialDate",
    "Phase",
    "Portfolio",
    "Precision",
    "PrimaryPurpose",
    "Problem",
    "Registry",
    "RegistryId",
    "RegulatoryEvent",
    "Source",
    "SourceTerm",
    "SponsorClass",
    "StudyType",
    "Target",
    "TherapyMode",
    "Trial",
    "TrialDesign",
    "TrialStatus",
    "UnknownCode",
    "ValidationError",
    "Vocabulary",
    "__version__",
    "configure_converter",
    "converter",
    "dump",
    "dumps",
    "dumps_bytes",
    "example",
    "example_names",
    "example_text",
    "from_arrow",
    "from_document",
    "json_schema",
    "load",
    "loads",
    "make_converter",
    "problems_of",
    "read_parquet",
    "to_arrow",
    "to_bundle",
    "to_document",
    "to_medicinal_product",
    "to_regulated_authorization",
    "to_research_study",
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
        globals()[name] = value
        return value
    raise AttributeError(f"module 'biopipe' has no attribute {name!r}")
