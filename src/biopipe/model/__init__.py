"""The domain model: value types, vocabularies, trials, assets and portfolios, and the errors they raise.

The bottom layer: it imports nothing else of biopipe. Its types, vocabularies and
errors are also the top level's, which is where scripts should take them from; the
geography (`COUNTRIES`, `EU_MEMBERS`, `JURISDICTIONS`, `as_jurisdiction`) and `MISSING`
are only here.

>>> from biopipe.model import Asset, Modality
>>> Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE).code
'X1'
"""

from __future__ import annotations

from ._application import Actor, Application, ApplicationType, Pathway, ReviewType
from ._asset import DISEASE_ID, Alias, Asset, Indication, Portfolio, RegulatoryEvent, Target, normalize_term
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
from ._genes import GENES_RELEASE, Gene, approved_symbols, gene, resolve_symbol
from ._geography import COUNTRIES, EU_MEMBERS, JURISDICTIONS, as_jurisdiction
from ._ids import Registry, RegistryId
from ._parties import Deal, DealKind, Money, Party, PartyRole, Territory
from ._source import Source, public_on
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

__all__ = [
    "COUNTRIES",
    "DISEASE_ID",
    "EU_MEMBERS",
    "GENES_RELEASE",
    "JURISDICTIONS",
    "MISSING",
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
    "Gene",
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
    "ReviewType",
    "Source",
    "SourceTerm",
    "SponsorClass",
    "StudyType",
    "Target",
    "Territory",
    "TherapyMode",
    "Trial",
    "TrialDesign",
    "TrialStatus",
    "UnknownCode",
    "ValidationError",
    "Vocabulary",
    "approved_symbols",
    "as_jurisdiction",
    "gene",
    "normalize_term",
    "public_on",
    "resolve_symbol",
]
