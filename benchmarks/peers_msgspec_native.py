r"""The biopipe document format as msgspec Structs, written as a msgspec expert would: the real limit.

Beside `peers_msgspec` (which runs most checks as Python ``__post_init__`` rules), this peer puts
every rule msgspec can state into the type, so that the decoder checks it in C:

* text, ids and dates as ``Meta(pattern=..., max_length=...)``; the patterns end in ``\Z`` (``$``
  would accept a trailing newline, which biopipe's ``fullmatch`` refuses);
* partial dates as one pattern that also checks the calendar (days per month, 29 February only in
  leap years, no year 0000): no Python date parsing while decoding;
* fact dates (``on or before ...``, ``... (estimated)``) as a pattern over the same date pattern;
* vocabularies as enums (biopipe's own), countries as a ``Literal`` of the ISO codes;
* ``gc=False`` (no cycles are possible), ``frozen``, ``forbid_unknown_fields``, ``omit_defaults``
  (the same short output as biopipe; ``array_like`` is not used: it would change the JSON);
* Python ``__post_init__`` only for what no msgspec constraint can say: distinct items, and rules
  between fields (bispecifics name two targets, designations, trial dates, distinct codes), each
  written to cost nothing when it cannot fail (a one-item tuple has no duplicates).

Same wire format as biopipe: the benchmark checks the bytes before timing. Errors are msgspec's
(the first one found, with a ``$.assets[0]...`` path); dates and ids stay checked strings.

>>> import biopipe, peers_msgspec_native as native
>>> doc = native.decode(biopipe.document.example_text("js212").encode())
>>> doc.assets[0].code, native.encode(doc) == biopipe.document.dumps_bytes(biopipe.example("js212"))
('JS212', True)
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from _peer_rules import REGISTRY
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
from biopipe.model import approved_symbols
from biopipe.model._geography import COUNTRIES
from biopipe.model._ids import ENSEMBL_GENE, HGNC_ID, UNIPROT
from biopipe.model._validate import MAX_STRING

__all__ = ["DATE", "FACT", "Document", "decode", "encode"]


def _full(regex: str) -> str:
    """*regex* matching a whole string under ``re.search`` (msgspec's way)."""
    return f"^(?:{regex})\\Z"


# -- partial dates, calendar included ------------------------------------------------------------
_YEAR = "(?!0000)[0-9]{4}"
_LEAP = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH = "(?:0[1-9]|1[0-2])"
_MONTH_DAY = (
    "(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"  # every month has 28 days
    "|(?:0[13-9]|1[0-2])-(?:29|30)"  # all but February have 30
    "|(?:0[13578]|1[02])-31"
)
#: YYYY, YYYY-MM, YYYY-MM-DD (a real calendar day), YYYY-Qn, YYYY-Hn.
DATE = f"{_YEAR}(?:-(?:{_MONTH_DAY})|-{_MONTH}|-Q[1-4]|-H[12])?|{_LEAP}-02-29"
#: A fact date: the date, ``on or before <date>`` or ``<date> (estimated)``.
FACT = f"(?:on or before )?(?:{DATE})|(?:{DATE}) \\(estimated\\)"

Text = Annotated[str, Meta(pattern=r"\S", max_length=MAX_STRING)]
String = Annotated[str, Meta(max_length=MAX_STRING)]
DateText = Annotated[str, Meta(pattern=_full(DATE))]
FactText = Annotated[str, Meta(pattern=_full(FACT))]
Url = Annotated[str, Meta(pattern=_full(r"https?://[^\s/?#][^\s]*"), max_length=MAX_STRING)]  # linear: no nested +*
RegistryText = Annotated[str, Meta(pattern=_full(REGISTRY))]
Country = Literal[tuple(sorted(COUNTRIES))]  # type: ignore[valid-type]  # benchmarks are not type-checked

_DESIGNATION_KINDS = frozenset(k for k in EventKind if k.application is ApplicationKind.DESIGNATION)
_BISPECIFIC = frozenset(m for m in Modality if m.is_bispecific)
_ANTIBODY = frozenset(m for m in Modality if m.is_antibody_based)
_PARTNERED = frozenset((TherapyMode.COMBINATION, TherapyMode.BOTH))


def _distinct(items: tuple[object, ...], what: str) -> None:
    if len(items) > 1 and len(set(items)) != len(items):
        raise ValueError(f"{what}: expected distinct items")


class _Struct(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True, gc=False):
    pass


class Source(_Struct):
    title: Text
    publisher: Text | None = None
    url: Url | None = None
    published: DateText | None = None


# The model takes approved HGNC symbols only (`biopipe.model.approved_symbols`): a Literal, checked in C.
_Symbol = Literal[approved_symbols()]


class Target(_Struct):
    symbol: _Symbol
    name: Text | None = None
    aliases: tuple[Text, ...] = ()
    hgnc_id: Annotated[str, Meta(pattern=_full(HGNC_ID), max_length=MAX_STRING)] | None = None
    uniprot_id: Annotated[str, Meta(pattern=_full(UNIPROT))] | None = None
    ensembl_id: Annotated[str, Meta(pattern=_full(ENSEMBL_GENE), max_length=MAX_STRING)] | None = None

    def __post_init__(self) -> None:
        _distinct(self.aliases, "aliases")


class Alias(_Struct):
    name: Text
    kind: AliasKind


class Indication(_Struct):
    name: Text
    role: IndicationRole = IndicationRole.INTENDED


class RegulatoryEvent(_Struct):
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

    def __post_init__(self) -> None:
        if (self.kind in _DESIGNATION_KINDS) is (self.designation is None):
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
        _distinct(self.parts, "parts")
        if self.combination_partners:
            _distinct(self.combination_partners, "combination_partners")
            if self.therapy not in _PARTNERED:
                raise ValueError("no partners unless therapy is 'combination' or 'both'")


class Organization(_Struct):
    name: Text
    kind: SponsorClass | None = None


class Intervention(_Struct):
    name: Text
    type: InterventionType | None = None
    description: String | None = None
    other_names: tuple[Text, ...] = ()


class Arm(_Struct):
    label: Text
    type: ArmType | None = None
    description: String | None = None
    interventions: tuple[Text, ...] = ()


class Enrollment(_Struct):
    count: Annotated[int, Meta(ge=0)]
    estimated: bool = False


class SourceTerm(_Struct):
    field: Text
    value: String


def _bounds(fact: str) -> tuple[dt.date, dt.date] | None:
    """(earliest, latest) of an actual fact date; None for announced or estimated ones."""
    if fact[0] == "o" or fact[-1] == ")":
        return None
    year = int(fact[:4])
    if len(fact) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    tag = fact[5]
    if tag in "QH":
        months = 3 if tag == "Q" else 6
        last = int(fact[6]) * months
        first = last - months + 1
    else:
        first = last = int(fact[5:7])
        if len(fact) == 10:
            day = dt.date(year, first, int(fact[8:]))
            return day, day
    end = dt.date(year + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, first, 1), end


class Trial(_Struct):
    title: Text
    status: TrialStatus
    phase: Phase | None = None
    ids: tuple[RegistryText, ...] = ()
    official_title: Text | None = None
    acronym: Text | None = None
    study_type: StudyType | None = None
    design: TrialDesign = TrialDesign()
    endpoints: tuple[Endpoint, ...] = ()
    conditions: tuple[Text, ...] = ()
    arms: tuple[Arm, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    countries: tuple[Country, ...] = ()
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

    def __post_init__(self) -> None:
        _distinct(self.ids, "ids")
        _distinct(self.conditions, "conditions")
        _distinct(self.countries, "countries")
        if self.last_known_status is not None and self.status is not TrialStatus.UNKNOWN:
            raise ValueError("no last known status unless status is 'unknown'")
        start = None if self.start is None else _bounds(self.start)
        if start is None:
            return
        if self.status is TrialStatus.PLANNED:
            raise ValueError("no actual start date while the trial is planned")
        for end in (self.primary_completion, self.completion):
            bounds = None if end is None else _bounds(end)
            if bounds is not None and bounds[1] < start[0]:
                raise ValueError("an actual end not before the actual start")


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
        targets = self.targets
        if self.modality in _BISPECIFIC and len(targets) != 2:
            raise ValueError("exactly two targets for a bispecific")
        if self.antibody_origin is not None and self.modality not in _ANTIBODY:
            raise ValueError("no antibody origin for this modality")
        if len(targets) > 1:
            _distinct(tuple(t.symbol for t in targets), "target symbols")
        if len(self.trials) > 1:
            _distinct(tuple(t.ids[0] if t.ids else t.title for t in self.trials), "trials")


class Document(_Struct):
    format: Literal["biopipe"]
    version: Literal[1, 2]
    assets: tuple[Asset, ...] = ()

    def __post_init__(self) -> None:
        _distinct(tuple(a.code for a in self.assets), "asset codes")


_DECODER = msgspec.json.Decoder(Document)
_ENCODER = msgspec.json.Encoder()


def decode(data: bytes) -> Document:
    """Parse and validate a document (raises ``msgspec.ValidationError`` or ``msgspec.DecodeError``)."""
    return _DECODER.decode(data)


def encode(doc: Document) -> bytes:
    """The document as biopipe's canonical bytes (2-space indent, final newline)."""
    return msgspec.json.format(_ENCODER.encode(doc), indent=2) + b"\n"
