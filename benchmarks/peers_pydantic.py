"""The biopipe document format as pydantic v2 models, for benchmarks.

Same wire format, same strictness as far as pydantic allows: ``extra="forbid"``,
``strict=True`` (no ``"1"`` for 1, no 1 for ``"1"``), frozen models, enums by
their biopipe codes, non-empty text, id and date patterns, calendar-valid
partial dates, distinct items where biopipe wants them, and the same
cross-field rules (bispecifics name two targets, designations, actual end not
before actual start, distinct asset codes, ...).

Differences from biopipe: dates stay ISO strings (checked, not parsed into
objects with earliest/latest), registry ids are strings, and errors are
pydantic's (``loc`` tuples rather than biopipe paths).

>>> import biopipe, peers_pydantic
>>> doc = peers_pydantic.Document.model_validate_json(biopipe.document.example_text("js212"))
>>> doc.assets[0].code
'JS212'
"""

from __future__ import annotations

from typing import Annotated, Literal, Self, TypeVar

from _peer_rules import COUNTRIES, REGISTRY, check_trial_dates, fact_parts, iso_date_ok
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, model_validator

from biopipe import (
    Agency,
    AliasKind,
    Allocation,
    AntibodyOrigin,
    ApplicationKind,
    ArmType,
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
)
from biopipe.model._ids import ENSEMBL_GENE, HGNC_ID, UNIPROT

__all__ = ["Document"]

T = TypeVar("T")


def _date(text: str) -> str:
    if not iso_date_ok(text):
        raise ValueError("expected a partial date YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Hn")
    return text


def _fact_date(text: str) -> str:
    if fact_parts(text) is None:
        raise ValueError("expected a fact date such as '2025-01' or 'on or before 2025-12-14'")
    return text


def _distinct(items: tuple[T, ...]) -> tuple[T, ...]:
    if len(set(items)) != len(items):
        raise ValueError("expected distinct items")
    return items


def _countries(items: tuple[str, ...]) -> tuple[str, ...]:
    if any(c not in COUNTRIES for c in items):
        raise ValueError("expected ISO 3166-1 alpha-2 codes")
    return _distinct(items)


def _nonnegative(n: int) -> int:
    if n < 0:
        raise ValueError("expected a non-negative integer")
    return n


Text = Annotated[str, StringConstraints(pattern=r"\S")]
DateText = Annotated[str, AfterValidator(_date)]
FactText = Annotated[str, AfterValidator(_fact_date)]
TextSet = Annotated[tuple[Text, ...], AfterValidator(_distinct)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(_Model):
    title: Text
    publisher: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s/?#]+[^\s]*$")] | None = None
    published: DateText | None = None


class Target(_Model):
    symbol: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Za-z0-9-]*$")]
    name: Text | None = None
    aliases: TextSet = ()
    hgnc_id: Annotated[str, StringConstraints(pattern=f"^(?:{HGNC_ID})$")] | None = None
    uniprot_id: Annotated[str, StringConstraints(pattern=f"^(?:{UNIPROT})$")] | None = None
    ensembl_id: Annotated[str, StringConstraints(pattern=f"^(?:{ENSEMBL_GENE})$")] | None = None


class Alias(_Model):
    name: Text
    kind: AliasKind


class Indication(_Model):
    name: Text
    role: IndicationRole = IndicationRole.INTENDED


class RegulatoryEvent(_Model):
    agency: Agency
    kind: EventKind
    date: FactText
    designation: Designation | None = None
    scope: Text | None = None
    indication: Text | None = None
    reference: Text | None = None
    inferred_by: Text | None = None
    note: Text | None = None
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _designation(self) -> Self:
        if (self.kind.application is ApplicationKind.DESIGNATION) != (self.designation is not None):
            raise ValueError("a designation exactly when the kind is a designation")
        return self


class Endpoint(_Model):
    kind: EndpointKind
    description: Text
    role: EndpointRole | None = None
    time_frame: Text | None = None


class TrialDesign(_Model):
    allocation: Allocation | None = None
    masking: Masking | None = None
    intervention_model: InterventionModel | None = None
    primary_purpose: PrimaryPurpose | None = None
    parts: Annotated[tuple[DesignPart, ...], AfterValidator(_distinct)] = ()
    therapy: TherapyMode | None = None
    combination_partners: TextSet = ()

    @model_validator(mode="after")
    def _partners(self) -> Self:
        if self.combination_partners and self.therapy not in (TherapyMode.COMBINATION, TherapyMode.BOTH):
            raise ValueError("no partners unless therapy is 'combination' or 'both'")
        return self


class Organization(_Model):
    name: Text
    kind: SponsorClass | None = None


class Intervention(_Model):
    name: Text
    type: InterventionType | None = None
    description: str | None = None
    other_names: tuple[Text, ...] = ()


class Arm(_Model):
    label: Text
    type: ArmType | None = None
    description: str | None = None
    interventions: tuple[Text, ...] = ()


class Enrollment(_Model):
    count: Annotated[int, AfterValidator(_nonnegative)]
    estimated: bool = False


class SourceTerm(_Model):
    field: Text
    value: str


class Trial(_Model):
    title: Text
    status: TrialStatus
    phase: Phase | None = None
    ids: Annotated[
        tuple[Annotated[str, StringConstraints(pattern=f"^(?:{REGISTRY})$")], ...], AfterValidator(_distinct)
    ] = ()
    official_title: Text | None = None
    acronym: Text | None = None
    study_type: StudyType | None = None
    design: TrialDesign = TrialDesign()
    endpoints: tuple[Endpoint, ...] = ()
    conditions: TextSet = ()
    arms: tuple[Arm, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    countries: Annotated[tuple[str, ...], AfterValidator(_countries)] = ()
    sponsor: Organization | None = None
    collaborators: tuple[Organization, ...] = ()
    enrollment: Enrollment | None = None
    start: FactText | None = None
    primary_completion: FactText | None = None
    completion: FactText | None = None
    why_stopped: Text | None = None
    last_known_status: TrialStatus | None = None
    source_terms: tuple[SourceTerm, ...] = ()
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _cross_field(self) -> Self:
        check_trial_dates(self.status is TrialStatus.PLANNED, self.start, self.primary_completion, self.completion)
        if self.last_known_status is not None and self.status is not TrialStatus.UNKNOWN:
            raise ValueError("no last known status unless status is 'unknown'")
        return self


class Asset(_Model):
    code: Text
    sponsor: Text
    modality: Modality
    antibody_origin: AntibodyOrigin | None = None
    description: Text | None = None
    aliases: tuple[Alias, ...] = ()
    targets: tuple[Target, ...] = ()
    indications: tuple[Indication, ...] = ()
    events: tuple[RegulatoryEvent, ...] = ()
    trials: tuple[Trial, ...] = ()
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _cross_field(self) -> Self:
        if self.modality.is_bispecific and len(self.targets) != 2:
            raise ValueError("exactly two targets for a bispecific")
        if self.antibody_origin is not None and not self.modality.is_antibody_based:
            raise ValueError("no antibody origin for this modality")
        if len({t.symbol for t in self.targets}) != len(self.targets):
            raise ValueError("distinct target symbols")
        keys = [t.ids[0] if t.ids else t.title for t in self.trials]
        if len(set(keys)) != len(keys):
            raise ValueError("distinct trials")
        return self


class Document(_Model):
    format: Literal["biopipe"]
    version: Literal[1, 2]
    assets: tuple[Asset, ...] = ()

    @model_validator(mode="after")
    def _distinct_codes(self) -> Self:
        if len({a.code for a in self.assets}) != len(self.assets):
            raise ValueError("distinct asset codes")
        return self
