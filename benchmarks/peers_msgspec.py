"""The biopipe document format as msgspec Structs, for benchmarks.

Same wire format, same strictness as far as msgspec allows: msgspec is strict
by default (no ``"1"`` for 1), ``forbid_unknown_fields=True``, frozen structs,
enums by their biopipe codes, non-empty text and id formats via ``Meta``
patterns, ``omit_defaults=True`` for the same short output, and the rules
msgspec cannot express declaratively (calendar-valid dates, distinct items,
country codes, cross-field rules) in ``__post_init__``, which msgspec runs
while decoding.

Differences from biopipe: dates stay ISO strings (checked, not parsed into
objects), registry ids are strings, and errors are msgspec's (one error, the
first found, with a ``$.assets[0]...`` path) where biopipe collects every
problem.

>>> import biopipe, peers_msgspec
>>> doc = peers_msgspec.decode(biopipe.document.example_text("js212").encode())
>>> doc.assets[0].code
'JS212'
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from _peer_rules import COUNTRIES, REGISTRY, check_trial_dates, fact_parts, iso_date_ok
from msgspec import Meta

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

__all__ = ["Document", "decode", "encode"]

Text = Annotated[str, Meta(pattern=r"\S")]
DateText = Annotated[str, Meta(pattern=r"^\d{4}(?:-\d{2}(?:-\d{2})?|-Q[1-4]|-H[12])?$")]


def _distinct(name: str, items: tuple[Any, ...]) -> None:
    if len(set(items)) != len(items):
        raise ValueError(f"{name}: expected distinct items")


def _dates(*facts: str | None) -> None:
    for fact in facts:
        if fact is not None and fact_parts(fact) is None:
            raise ValueError(f"expected a fact date, got {fact!r}")


class _Struct(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    pass


class Source(_Struct):
    title: Text
    publisher: Text | None = None
    url: Annotated[str, Meta(pattern=r"^https?://[^\s/?#]+[^\s]*$")] | None = None
    published: DateText | None = None

    def __post_init__(self) -> None:
        if self.published is not None and not iso_date_ok(self.published):
            raise ValueError("published: expected a calendar date")


class Target(_Struct):
    symbol: Annotated[str, Meta(pattern=r"^[A-Z0-9][A-Za-z0-9-]*$")]
    name: Text | None = None
    aliases: tuple[Text, ...] = ()
    hgnc_id: Annotated[str, Meta(pattern=f"^(?:{HGNC_ID})$")] | None = None
    uniprot_id: Annotated[str, Meta(pattern=f"^(?:{UNIPROT})$")] | None = None
    ensembl_id: Annotated[str, Meta(pattern=f"^(?:{ENSEMBL_GENE})$")] | None = None

    def __post_init__(self) -> None:
        _distinct("aliases", self.aliases)


class Alias(_Struct):
    name: Text
    kind: AliasKind


class Indication(_Struct):
    name: Text
    role: IndicationRole = IndicationRole.INTENDED


class RegulatoryEvent(_Struct):
    agency: Agency
    kind: EventKind
    date: str
    designation: Designation | None = None
    scope: Text | None = None
    indication: Text | None = None
    reference: Text | None = None
    inferred_by: Text | None = None
    note: Text | None = None
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        _dates(self.date)
        if (self.kind.application is ApplicationKind.DESIGNATION) != (self.designation is not None):
            raise ValueError("a designation exactly when the kind is a designation")


class Endpoint(_Struct):
    kind: EndpointKind
    description: Text
    role: EndpointRole | None = None
    time_frame: Text | None = None


class TrialDesign(_Struct):
    allocation: Allocation | None = None
    masking: Masking | None = None
    intervention_model: InterventionModel | None = None
    primary_purpose: PrimaryPurpose | None = None
    parts: tuple[DesignPart, ...] = ()
    therapy: TherapyMode | None = None
    combination_partners: tuple[Text, ...] = ()

    def __post_init__(self) -> None:
        _distinct("parts", self.parts)
        _distinct("combination_partners", self.combination_partners)
        if self.combination_partners and self.therapy not in (TherapyMode.COMBINATION, TherapyMode.BOTH):
            raise ValueError("no partners unless therapy is 'combination' or 'both'")


class Organization(_Struct):
    name: Text
    kind: SponsorClass | None = None


class Intervention(_Struct):
    name: Text
    type: InterventionType | None = None
    description: str | None = None
    other_names: tuple[Text, ...] = ()


class Arm(_Struct):
    label: Text
    type: ArmType | None = None
    description: str | None = None
    interventions: tuple[Text, ...] = ()


class Enrollment(_Struct):
    count: Annotated[int, Meta(ge=0)]
    estimated: bool = False


class SourceTerm(_Struct):
    field: Text
    value: str


class Trial(_Struct):
    title: Text
    status: TrialStatus
    phase: Phase | None = None
    ids: tuple[Annotated[str, Meta(pattern=f"^(?:{REGISTRY})$")], ...] = ()
    official_title: Text | None = None
    acronym: Text | None = None
    study_type: StudyType | None = None
    design: TrialDesign = TrialDesign()
    endpoints: tuple[Endpoint, ...] = ()
    conditions: tuple[Text, ...] = ()
    arms: tuple[Arm, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    countries: tuple[str, ...] = ()
    sponsor: Organization | None = None
    collaborators: tuple[Organization, ...] = ()
    enrollment: Enrollment | None = None
    start: str | None = None
    primary_completion: str | None = None
    completion: str | None = None
    why_stopped: Text | None = None
    last_known_status: TrialStatus | None = None
    source_terms: tuple[SourceTerm, ...] = ()
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        _distinct("ids", self.ids)
        _distinct("conditions", self.conditions)
        _distinct("countries", self.countries)
        if any(c not in COUNTRIES for c in self.countries):
            raise ValueError("countries: expected ISO 3166-1 alpha-2 codes")
        _dates(self.start, self.primary_completion, self.completion)
        check_trial_dates(self.status is TrialStatus.PLANNED, self.start, self.primary_completion, self.completion)
        if self.last_known_status is not None and self.status is not TrialStatus.UNKNOWN:
            raise ValueError("no last known status unless status is 'unknown'")


class Asset(_Struct):
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

    def __post_init__(self) -> None:
        if self.modality.is_bispecific and len(self.targets) != 2:
            raise ValueError("exactly two targets for a bispecific")
        if self.antibody_origin is not None and not self.modality.is_antibody_based:
            raise ValueError("no antibody origin for this modality")
        _distinct("targets", tuple(t.symbol for t in self.targets))
        _distinct("trials", tuple(t.ids[0] if t.ids else t.title for t in self.trials))


class Document(_Struct):
    format: Literal["biopipe"]
    version: Literal[1, 2]
    assets: tuple[Asset, ...] = ()

    def __post_init__(self) -> None:
        _distinct("assets", tuple(a.code for a in self.assets))


_DECODER = msgspec.json.Decoder(Document)
_ENCODER = msgspec.json.Encoder()


def decode(data: bytes) -> Document:
    """Parse and validate a document (raises ``msgspec.ValidationError``)."""
    return _DECODER.decode(data)


def encode(doc: Document, *, indent: int = 2) -> bytes:
    """The document as JSON, indented like biopipe's canonical text (``indent=0``: compact)."""
    data = _ENCODER.encode(doc)
    return msgspec.json.format(data, indent=indent) + b"\n" if indent else data
