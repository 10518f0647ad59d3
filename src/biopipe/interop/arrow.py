"""Flat tables: a portfolio as Apache Arrow tables, Parquet files, a partitioned dataset or CSV, and back.

Rows join by **keys**, never by position: every table carries ``asset_code``;
a trial and its parts carry ``trial_key`` (`Trial.key`: the first registry id,
such as an NCT id, else the title); an event carries ``event_key``
(`RegulatoryEvent.key`). A portfolio's root trials (registry trials not linked
to an asset) have the empty asset code `ROOT_TRIALS` (``""``), which no asset
can have; it is a value, not null, so equality joins on ``(asset_code,
trial_key)`` keep them in every engine. A part that the model does not keep
distinct by itself has its own key column (``endpoint_key``, ``arm_key``, ...:
its identity, with ``#2``, ``#3`` for a repeat within its owner).

``position`` is the row's place within its owner (the asset's events, the
trial's countries, the portfolio's assets or root trials), kept so that reading
rebuilds every order exactly; it is for sorting, not for joining, and it is
the same across snapshots only as long as nothing is inserted before the row.

Derived columns for queries are written but never read back: the parts' own
key columns, ``phase_rank`` of a trial (`Phase.rank`: not applicable 0 <
preclinical < early phase 1 < 1 < 1/2 < 2 < 2/3 < 3 < 4), ``jurisdiction``,
``track`` (``clinical_trial``, ``marketing`` or ``designation``) and
``public_on`` (`RegulatoryEvent.public_on`) of an event, ``jurisdiction`` and
``track`` of an application, ``territory`` (its text, ``worldwide except
CN``) of a party or deal, ``excluded`` of a territory's country, ``registry``
of a trial id, and ``*_earliest`` / ``*_latest`` (Arrow dates) beside every
fact date. A fact date is two columns: ``start`` (ISO-style text, ``2025-01``
or ``2025-Q3``, so precision survives) and ``start_basis`` (``actual``,
``announced`` or ``estimated``); a plain partial date (``goal_date``,
``disclosed``, a party's ``start``) is one text column. ``trial_key``,
``event_key``, ``application_id``, ``party_key`` and ``deal_key`` are read
back: parts and sources name their owner by them, and each must be its row's key.

Tables (`TABLES`), keys first:

- ``assets`` (asset_code), ``asset_aliases`` (asset_code, alias_key),
  ``targets`` (asset_code, symbol), ``indications`` (asset_code,
  indication_key; ``synonyms`` and ``ids`` are list columns), ``events``
  (asset_code, event_key); an event's ``application`` is the
  ``application_id`` of its application;
- ``applications`` (asset_code, application_id: ``Application.id``) and
  ``application_indications`` (asset_code, application_id, position: the
  model lets an application list an indication twice);
- ``parties`` (asset_code, party_key: name, role and territory, such as
  ``Partner Co licensee worldwide except CN``) and ``party_countries``
  (asset_code, party_key, country): the territory's countries, or its
  exceptions when ``worldwide`` is true (``excluded`` says which);
- ``deals`` (asset_code, deal_key: kind and parties, such as ``license: Acme,
  Partner Co``), ``deal_parties`` (asset_code, deal_key, position) and
  ``deal_countries`` (asset_code, deal_key, country): a deal's territory as a
  party's (``worldwide`` null: the deal names none); amounts are
  ``upfront_amount``/``upfront_currency`` and ``total_amount``/``total_currency``;
- ``trials`` (asset_code, trial_key), and the trial's parts, each keyed by
  (asset_code, trial_key, own key): ``trial_ids`` (id), ``trial_conditions``
  (condition), ``trial_countries`` (country), ``endpoints`` (endpoint_key),
  ``arms`` (arm_key), ``interventions`` (intervention_key), ``collaborators``
  (collaborator_key), ``source_terms`` (source_term_key);
- ``sources`` (asset_code, owner, trial_key, event_key, application_id,
  party_key, deal_key, source_key): ``owner`` is ``asset``, ``event``,
  ``application``, ``party``, ``deal`` or ``trial``, and the owner's key
  column is set (the others are null).

Event, party and deal keys leave dates out, so a key stays when a date is
corrected; two with one identity are numbered ``#2``, ``#3``.

Other short string tuples (target aliases, design parts, combination partners,
an arm's interventions, other names) are list columns; CSV writes them as JSON
text.

pyarrow is imported on first use (``pip install biopipe-intel[arrow]``).

>>> import biopipe
>>> from biopipe.interop.arrow import from_arrow, to_arrow
>>> tables = to_arrow(biopipe.example("js212"))
>>> tables["events"].column("jurisdiction").to_pylist()
['CN', 'CN', 'CN', 'US']
>>> tables["trial_countries"].select(["asset_code", "trial_key", "country"]).to_pylist()[0]
{'asset_code': 'JS212', 'trial_key': 'Phase 1/2 study of JS212 in patients with advanced solid tumors', \
'country': 'CN'}
>>> tables["applications"].select(["application_id", "kind", "track"]).to_pylist()[2]
{'application_id': 'US IND', 'kind': 'ind', 'track': 'clinical_trial'}
>>> from_arrow(tables)["JS212"] == biopipe.example("js212")
True
"""

from __future__ import annotations

import contextlib
import functools
import json
import uuid
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from ..document._convert import problems_of
from ..document._files import atomic_folder, atomic_path
from ..model._application import Actor, Application, ApplicationType, Pathway, ReviewType
from ..model._asset import Alias, Asset, Indication, Portfolio, RegulatoryEvent, Target
from ..model._dates import FactDate, PartialDate
from ..model._errors import MISSING, BiopipeError, InvalidValue, Problem, ValidationError
from ..model._ids import RegistryId
from ..model._parties import Deal, DealKind, Money, Party, PartyRole, Territory
from ..model._source import Source
from ..model._trial import Arm, Endpoint, Enrollment, Intervention, Organization, SourceTerm, Trial, TrialDesign
from ..model._vocab import (
    Agency,
    AliasKind,
    Allocation,
    AntibodyOrigin,
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
    import os
    from collections.abc import Iterator, Sequence

__all__ = [
    "ROOT_TRIALS",
    "TABLES",
    "concat_tables",
    "from_arrow",
    "read_dataset",
    "read_parquet",
    "to_arrow",
    "write_csv",
    "write_dataset",
    "write_parquet",
]

Row = dict[str, Any]

#: The ``asset_code`` of a portfolio's root trials (registry trials not linked to an asset) and their parts.
ROOT_TRIALS = ""


def _pa() -> Any:
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - depends on the environment
        raise BiopipeError("flat tables need pyarrow: pip install 'biopipe-intel[arrow]'") from None
    return pyarrow


# -- column codecs --------------------------------------------------------------------------


class _Codec:
    """How one model field becomes columns and back."""

    def __init__(self, kind: str, decode: Callable[[Any], Any] | None = None) -> None:
        self.kind = kind
        self.decode_value = decode or (lambda x: x)

    def columns(self, name: str) -> list[tuple[str, str]]:
        return [(name, self.kind)]

    def encode(self, name: str, value: Any) -> Row:
        if isinstance(value, Vocabulary):
            return {name: value.code}
        if isinstance(value, PartialDate):
            return {name: value.format_iso()}
        if isinstance(value, RegistryId):
            return {name: value.value}
        if isinstance(value, tuple):
            return {name: [v.code if isinstance(v, Vocabulary) else str(v) for v in value]}
        return {name: value}

    def decode(self, name: str, row: Row) -> Any:
        value = row[name]
        if value is None:
            return None
        if self.kind == "strings":
            return tuple(self.decode_value(v) for v in value)
        return self.decode_value(value)


class _FactCodec(_Codec):
    def __init__(self) -> None:
        super().__init__("fact")

    def columns(self, name: str) -> list[tuple[str, str]]:
        return [(name, "string"), (f"{name}_basis", "string"), (f"{name}_earliest", "date"), (f"{name}_latest", "date")]

    def encode(self, name: str, value: Any) -> Row:
        if value is None:
            return {name: None, f"{name}_basis": None, f"{name}_earliest": None, f"{name}_latest": None}
        fact: FactDate = value
        return {
            name: fact.date.format_iso(),
            f"{name}_basis": fact.basis.code,
            f"{name}_earliest": fact.earliest,
            f"{name}_latest": fact.latest,
        }

    def decode(self, name: str, row: Row) -> Any:
        text, basis = row[name], row[f"{name}_basis"]
        if text is None and basis is None:
            return None
        if text is None or basis is None:
            raise InvalidValue((text, basis), f"both {name} and {name}_basis, or neither")
        return FactDate(PartialDate.parse_iso(text), DateBasis.from_code(basis))


def _vocab(cls: type[Vocabulary]) -> _Codec:
    return _Codec("string", cls.from_code)


def _vocabs(cls: type[Vocabulary]) -> _Codec:
    return _Codec("strings", cls.from_code)


_TEXT = _Codec("string")
_TEXTS = _Codec("strings")
_INT = _Codec("int64")
_BOOL = _Codec("bool")
_PDATE = _Codec("string", PartialDate.parse_iso)
_FACT = _FactCodec()

# (column, attribute path, codec); a dotted path is a field of a nested object.
_Fields = tuple[tuple[str, str, _Codec], ...]

_ASSET: _Fields = (
    ("sponsor", "sponsor", _TEXT),
    ("modality", "modality", _vocab(Modality)),
    ("antibody_origin", "antibody_origin", _vocab(AntibodyOrigin)),
    ("description", "description", _TEXT),
)
_ALIAS: _Fields = (("name", "name", _TEXT), ("kind", "kind", _vocab(AliasKind)))
_TARGET: _Fields = (
    ("symbol", "symbol", _TEXT),
    ("name", "name", _TEXT),
    ("aliases", "aliases", _TEXTS),
    ("hgnc_id", "hgnc_id", _TEXT),
    ("uniprot_id", "uniprot_id", _TEXT),
    ("ensembl_id", "ensembl_id", _TEXT),
)
_INDICATION: _Fields = (
    ("name", "name", _TEXT),
    ("role", "role", _vocab(IndicationRole)),
    ("synonyms", "synonyms", _TEXTS),
    ("ids", "ids", _TEXTS),
)
_EVENT: _Fields = (
    ("agency", "agency", _vocab(Agency)),
    ("kind", "kind", _vocab(EventKind)),
    ("date", "date", _FACT),
    ("designation", "designation", _vocab(Designation)),
    ("scope", "scope", _TEXT),
    ("indication", "indication", _TEXT),
    ("reference", "reference", _TEXT),
    ("application", "application", _TEXT),
    ("review", "review", _vocab(ReviewType)),
    ("pathway", "pathway", _vocab(Pathway)),
    ("goal_date", "goal_date", _PDATE),
    ("by", "by", _vocab(Actor)),
    ("disclosed", "disclosed", _PDATE),
    ("inferred_by", "inferred_by", _TEXT),
    ("note", "note", _TEXT),
)
_APPLICATION: _Fields = (
    ("agency", "agency", _vocab(Agency)),
    ("kind", "kind", _vocab(ApplicationType)),
    ("number", "number", _TEXT),
    ("note", "note", _TEXT),
)
_APPLICATION_INDICATION: _Fields = (("indication", "", _TEXT),)
_PARTY: _Fields = (
    ("name", "name", _TEXT),
    ("role", "role", _vocab(PartyRole)),
    ("worldwide", "territory.worldwide", _BOOL),
    ("start", "start", _PDATE),
    ("end", "end", _PDATE),
    ("disclosed", "disclosed", _PDATE),
    ("note", "note", _TEXT),
)
_DEAL: _Fields = (
    ("kind", "kind", _vocab(DealKind)),
    ("date", "date", _FACT),
    ("worldwide", "territory.worldwide", _BOOL),
    ("upfront_amount", "upfront.amount", _INT),
    ("upfront_currency", "upfront.currency", _TEXT),
    ("total_amount", "total.amount", _INT),
    ("total_currency", "total.currency", _TEXT),
    ("disclosed", "disclosed", _PDATE),
    ("note", "note", _TEXT),
)
_DEAL_PARTY: _Fields = (("party", "", _TEXT),)
_TERRITORY_COUNTRY: _Fields = (("country", "country", _TEXT),)
_TRIAL: _Fields = (
    ("title", "title", _TEXT),
    ("status", "status", _vocab(TrialStatus)),
    ("phase", "phase", _vocab(Phase)),
    ("official_title", "official_title", _TEXT),
    ("acronym", "acronym", _TEXT),
    ("study_type", "study_type", _vocab(StudyType)),
    ("allocation", "design.allocation", _vocab(Allocation)),
    ("masking", "design.masking", _vocab(Masking)),
    ("intervention_model", "design.intervention_model", _vocab(InterventionModel)),
    ("primary_purpose", "design.primary_purpose", _vocab(PrimaryPurpose)),
    ("design_parts", "design.parts", _vocabs(DesignPart)),
    ("therapy", "design.therapy", _vocab(TherapyMode)),
    ("combination_partners", "design.combination_partners", _TEXTS),
    ("sponsor_name", "sponsor.name", _TEXT),
    ("sponsor_kind", "sponsor.kind", _vocab(SponsorClass)),
    ("enrollment_count", "enrollment.count", _INT),
    ("enrollment_estimated", "enrollment.estimated", _BOOL),
    ("start", "start", _FACT),
    ("primary_completion", "primary_completion", _FACT),
    ("completion", "completion", _FACT),
    ("why_stopped", "why_stopped", _TEXT),
    ("last_known_status", "last_known_status", _vocab(TrialStatus)),
)
_TRIAL_ID: _Fields = (("id", "", _Codec("string", RegistryId)),)
_CONDITION: _Fields = (("condition", "", _TEXT),)
_COUNTRY: _Fields = (("country", "", _TEXT),)
_ENDPOINT: _Fields = (
    ("kind", "kind", _vocab(EndpointKind)),
    ("description", "description", _TEXT),
    ("role", "role", _vocab(EndpointRole)),
    ("time_frame", "time_frame", _TEXT),
)
_ARM: _Fields = (
    ("label", "label", _TEXT),
    ("type", "type", _vocab(ArmType)),
    ("description", "description", _TEXT),
    ("interventions", "interventions", _TEXTS),
)
_INTERVENTION: _Fields = (
    ("name", "name", _TEXT),
    ("type", "type", _vocab(InterventionType)),
    ("description", "description", _TEXT),
    ("other_names", "other_names", _TEXTS),
)
_ORGANIZATION: _Fields = (("name", "name", _TEXT), ("kind", "kind", _vocab(SponsorClass)))
_SOURCE_TERM: _Fields = (("field", "field", _TEXT), ("value", "value", _TEXT))
_SOURCE: _Fields = (
    ("title", "title", _TEXT),
    ("publisher", "publisher", _TEXT),
    ("url", "url", _TEXT),
    ("published", "published", _PDATE),
)


@attrs.frozen
class _Table:
    """One table's layout: owner columns, its own key, derived columns and the model fields."""

    #: The columns that name the row's owner (read back: rows are grouped by them).
    owner: tuple[str, ...]
    #: The row's own key column, or "" when a field is the key (targets' symbol, a trial's country).
    key: str
    #: The identity behind the own key; None when the key is read back rather than derived.
    identity: Callable[[Any], str] | None
    fields: _Fields
    derived: tuple[tuple[str, str], ...] = ()
    derive: Callable[[Any], Row] | None = None


_ASSET_OWNER = ("asset_code",)
_TRIAL_OWNER = ("asset_code", "trial_key")
_SOURCE_OWNER = ("asset_code", "owner", "trial_key", "event_key", "application_id", "party_key", "deal_key")
_APPLICATION_OWNER = ("asset_code", "application_id")
_PARTY_OWNER = ("asset_code", "party_key")
_DEAL_OWNER = ("asset_code", "deal_key")


def _party_key(party: Party) -> str:
    """A party's identity in the tables: name, role and territory (not its dates)."""
    return f"{party.name} {party.role.code} {party.territory}"


def _deal_key(deal: Deal) -> str:
    """A deal's identity in the tables: kind and parties (not its date or amounts)."""
    return f"{deal.kind.code}: {', '.join(deal.parties)}"


class _Listed(NamedTuple):
    """A country a territory lists: one of its countries, or an exception when it is worldwide."""

    country: str
    excluded: bool


def _territory_rows(territory: Territory | None) -> list[_Listed]:
    """The countries a territory lists: its exceptions when worldwide (it lists no others then)."""
    if territory is None:
        return []
    if territory.worldwide:
        return [_Listed(c, True) for c in territory.excluding]
    return [_Listed(c, False) for c in territory.countries]


def _public_on(event: RegulatoryEvent) -> str | None:
    day = event.public_on
    return None if day is None else day.format_iso()


#: Table name -> layout, in the order `to_arrow` writes the tables.
_LAYOUT: dict[str, _Table] = {
    "assets": _Table((), "asset_code", None, _ASSET),
    "asset_aliases": _Table(_ASSET_OWNER, "alias_key", lambda a: a.name, _ALIAS),
    "targets": _Table(_ASSET_OWNER, "", None, _TARGET),
    "indications": _Table(_ASSET_OWNER, "indication_key", lambda i: i.name, _INDICATION),
    "events": _Table(
        _ASSET_OWNER,
        "event_key",
        None,
        _EVENT,
        (("jurisdiction", "string"), ("track", "string"), ("public_on", "string")),
        lambda e: {"jurisdiction": e.jurisdiction, "track": e.kind.application.code, "public_on": _public_on(e)},
    ),
    "applications": _Table(
        _ASSET_OWNER,
        "application_id",
        None,
        _APPLICATION,
        (("jurisdiction", "string"), ("track", "string")),
        lambda a: {"jurisdiction": a.jurisdiction, "track": a.kind.track.code},
    ),
    "application_indications": _Table(_APPLICATION_OWNER, "", None, _APPLICATION_INDICATION),
    "parties": _Table(
        _ASSET_OWNER, "party_key", None, _PARTY, (("territory", "string"),), lambda p: {"territory": str(p.territory)}
    ),
    "party_countries": _Table(
        _PARTY_OWNER, "", None, _TERRITORY_COUNTRY, (("excluded", "bool"),), lambda c: {"excluded": c.excluded}
    ),
    "deals": _Table(
        _ASSET_OWNER,
        "deal_key",
        None,
        _DEAL,
        (("territory", "string"),),
        lambda d: {"territory": None if d.territory is None else str(d.territory)},
    ),
    "deal_parties": _Table(_DEAL_OWNER, "", None, _DEAL_PARTY),
    "deal_countries": _Table(
        _DEAL_OWNER, "", None, _TERRITORY_COUNTRY, (("excluded", "bool"),), lambda c: {"excluded": c.excluded}
    ),
    "trials": _Table(
        _ASSET_OWNER,
        "trial_key",
        None,
        _TRIAL,
        (("phase_rank", "int32"),),
        lambda t: {"phase_rank": None if t.phase is None else t.phase.rank},
    ),
    "trial_ids": _Table(
        _TRIAL_OWNER, "", None, _TRIAL_ID, (("registry", "string"),), lambda i: {"registry": i.registry.code}
    ),
    "trial_conditions": _Table(_TRIAL_OWNER, "", None, _CONDITION),
    "trial_countries": _Table(_TRIAL_OWNER, "", None, _COUNTRY),
    "endpoints": _Table(_TRIAL_OWNER, "endpoint_key", lambda e: e.key, _ENDPOINT),
    "arms": _Table(_TRIAL_OWNER, "arm_key", lambda a: a.label, _ARM),
    "interventions": _Table(_TRIAL_OWNER, "intervention_key", lambda i: i.name, _INTERVENTION),
    "collaborators": _Table(_TRIAL_OWNER, "collaborator_key", lambda o: o.name, _ORGANIZATION),
    "source_terms": _Table(_TRIAL_OWNER, "source_term_key", lambda s: s.field, _SOURCE_TERM),
    "sources": _Table(_SOURCE_OWNER, "source_key", lambda s: s.title, _SOURCE),
}
#: The tables `to_arrow` writes, in order.
TABLES: tuple[str, ...] = tuple(_LAYOUT)

# The trial's parts: table -> (Trial field, class or None for a plain value).
_TRIAL_PARTS: tuple[tuple[str, str, type | None], ...] = (
    ("trial_ids", "ids", None),
    ("trial_conditions", "conditions", None),
    ("trial_countries", "countries", None),
    ("endpoints", "endpoints", Endpoint),
    ("arms", "arms", Arm),
    ("interventions", "interventions", Intervention),
    ("collaborators", "collaborators", Organization),
    ("source_terms", "source_terms", SourceTerm),
)
# Columns that may be null although they are keys: a source names a trial or an event, or neither.
_NULLABLE_KEYS = {("sources", c) for c in _SOURCE_OWNER[2:]}


def _event_identity(event: RegulatoryEvent) -> str:
    return event.key


def _key_columns(name: str) -> list[str]:
    layout = _LAYOUT[name]
    return [*layout.owner, *([layout.key] if layout.key else []), "position"]


def _read_columns(name: str) -> list[str]:
    """The columns `from_arrow` reads: owner, a read-back own key, position, and the fields (no derived days)."""
    layout = _LAYOUT[name]
    keys = [*layout.owner, *([layout.key] if layout.key and layout.identity is None else []), "position"]
    return keys + [c for column, _, codec in layout.fields for c, _ in codec.columns(column)[:2]]


@functools.cache
def _schema(name: str) -> Any:
    pa = _pa()
    types = {
        "string": pa.string(),
        "strings": pa.list_(pa.string()),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }
    layout = _LAYOUT[name]
    fields = [
        pa.field(c, pa.int32() if c == "position" else pa.string(), nullable=(name, c) in _NULLABLE_KEYS)
        for c in _key_columns(name)
    ]
    columns = list(layout.derived)
    for column, _, codec in layout.fields:
        columns += codec.columns(column)
    fields += [pa.field(c, types[t]) for c, t in columns]
    return pa.schema(fields)


def _occurrence_keys(items: Iterable[Any], identity: Callable[[Any], str]) -> list[str]:
    """Each item's identity, made distinct: a repeat is ``key#2``, ``key#3``, never an identity already taken."""
    keys = [identity(x) for x in items]
    taken = set(keys)
    seen: set[str] = set()
    out = []
    for key in keys:
        label = key
        if key in seen:
            n = 2
            while f"{key}#{n}" in taken:
                n += 1
            label = f"{key}#{n}"
            taken.add(label)
        seen.add(key)
        out.append(label)
    return out


# -- writing ----------------------------------------------------------------------------------


def _get(obj: Any, path: str) -> Any:
    if not path:
        return obj
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _encode(fields: _Fields, obj: Any, row: Row) -> Row:
    for column, path, codec in fields:
        row.update(codec.encode(column, _get(obj, path)))
    return row


def _rows(portfolio: Portfolio) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {name: [] for name in TABLES}

    def add(table: str, items: Sequence[Any], owner: Row, keys: Sequence[str] | None = None) -> None:
        layout = _LAYOUT[table]
        if keys is None and layout.identity is not None:
            keys = _occurrence_keys(items, layout.identity)
        for i, item in enumerate(items):
            row = dict(owner)
            if keys is not None:
                row[layout.key] = keys[i]
            row["position"] = i
            if layout.derive is not None:
                row.update(layout.derive(item))
            rows[table].append(_encode(layout.fields, item, row))

    def sources(code: str, owner: str, items: Sequence[Source], **key: str) -> None:
        row: Row = dict.fromkeys(_SOURCE_OWNER[2:])
        add("sources", items, {**row, "asset_code": code, "owner": owner, **key})

    def trials(code: str, items: Sequence[Trial]) -> None:
        add("trials", items, {"asset_code": code}, [t.key for t in items])
        for trial in items:
            owner = {"asset_code": code, "trial_key": trial.key}
            for table, field, _ in _TRIAL_PARTS:
                add(table, getattr(trial, field), owner)
            sources(code, "trial", trial.sources, trial_key=trial.key)

    add("assets", portfolio.assets, {}, [a.code for a in portfolio.assets])
    for asset in portfolio.assets:
        code = asset.code
        owner = {"asset_code": code}
        add("asset_aliases", asset.aliases, owner)
        add("targets", asset.targets, owner)
        add("indications", asset.indications, owner)
        event_keys = _occurrence_keys(asset.events, _event_identity)
        add("events", asset.events, owner, event_keys)
        for event, key in zip(asset.events, event_keys, strict=True):
            sources(code, "event", event.sources, event_key=key)
        add("applications", asset.applications, owner, [a.id for a in asset.applications])
        for application in asset.applications:
            app_owner = {"asset_code": code, "application_id": application.id}
            add("application_indications", application.indications, app_owner)
            sources(code, "application", application.sources, application_id=application.id)
        party_keys = _occurrence_keys(asset.parties, _party_key)
        add("parties", asset.parties, owner, party_keys)
        for party, key in zip(asset.parties, party_keys, strict=True):
            add("party_countries", _territory_rows(party.territory), {"asset_code": code, "party_key": key})
            sources(code, "party", party.sources, party_key=key)
        deal_keys = _occurrence_keys(asset.deals, _deal_key)
        add("deals", asset.deals, owner, deal_keys)
        for deal, key in zip(asset.deals, deal_keys, strict=True):
            deal_owner = {"asset_code": code, "deal_key": key}
            add("deal_parties", deal.parties, deal_owner)
            add("deal_countries", _territory_rows(deal.territory), deal_owner)
            sources(code, "deal", deal.sources, deal_key=key)
        trials(code, asset.trials)
        sources(code, "asset", asset.sources)
    trials(ROOT_TRIALS, portfolio.trials)
    return rows


def _portfolio(obj: Asset | Portfolio | Trial) -> Portfolio:
    if isinstance(obj, Asset):
        return Portfolio(assets=(obj,))
    if isinstance(obj, Trial):
        return Portfolio(trials=(obj,))
    return obj


def to_arrow(obj: Asset | Portfolio | Trial) -> dict[str, Any]:
    """The flat tables of an asset, a portfolio or one registry trial: table name -> ``pyarrow.Table``.

    A `Trial` is a root trial (``asset_code`` `ROOT_TRIALS`): this is the
    per-record step of an import that runs in a distributed engine (one
    ClinicalTrials.gov record -> its tables); `concat_tables` puts the pieces together.

    >>> import biopipe
    >>> from biopipe.interop.arrow import to_arrow
    >>> tables = to_arrow(biopipe.example("js212"))
    >>> tables["trials"].select(["trial_key", "phase", "phase_rank", "start", "start_basis"]).to_pylist()[0]
    {'trial_key': 'Phase 1/2 study of JS212 in patients with advanced solid tumors', 'phase': 'phase1_2', \
'phase_rank': 4, 'start': '2025-12-15', 'start_basis': 'announced'}
    >>> tables["events"].column("event_key").to_pylist()[:2]
    ['nmpa ind_accepted', "nmpa ind_cleared scope='Phase 1/2 study of JS212 in patients with advanced solid tumors'"]
    """
    pa = _pa()
    rows = _rows(_portfolio(obj))
    return {name: pa.Table.from_pylist(rows[name], schema=_schema(name)) for name in TABLES}


def _shift_positions(tables: Mapping[str, Any], assets: int, root_trials: int) -> dict[str, Any]:
    """*tables* with the portfolio-level positions (assets, root trials) moved on by the counts already taken."""
    import pyarrow.compute as pc

    pa = _pa()
    out = dict(tables)
    if assets:
        table = tables["assets"]
        position = pc.add(table.column("position"), pa.scalar(assets, pa.int32()))
        i = table.schema.get_field_index("position")
        out["assets"] = table.set_column(i, table.schema.field(i), position)
    if root_trials:
        table = tables["trials"]
        root = pc.equal(table.column("asset_code"), ROOT_TRIALS)
        moved = pc.add(table.column("position"), pa.scalar(root_trials, pa.int32()))
        position = pc.if_else(root, moved, table.column("position"))
        i = table.schema.get_field_index("position")
        out["trials"] = table.set_column(i, table.schema.field(i), position)
    return out


def _root_trial_count(trials: Any) -> int:
    import pyarrow.compute as pc

    return int(pc.sum(pc.equal(trials.column("asset_code"), ROOT_TRIALS)).as_py() or 0)


def _checked_tables(tables: Mapping[str, Any]) -> Mapping[str, Any]:
    problems = [
        Problem(name, tables[name].schema.names if name in tables else MISSING, "a table as to_arrow writes it")
        for name in TABLES
        if name not in tables or not tables[name].schema.equals(_schema(name))
    ]
    if problems:
        raise ValidationError(problems, subject="tables")
    return tables


def concat_tables(parts: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The tables of several `to_arrow` results as one portfolio's, in the order given.

    Positions of assets and root trials follow on from part to part, so that
    the tables of records converted one by one (in a Dask bag, say) are the
    tables of the whole import; `from_arrow` rebuilds it. Assets and root
    trials must be distinct across the parts, as in one portfolio.

    >>> import biopipe
    >>> from biopipe.interop.arrow import concat_tables, to_arrow
    >>> trials = biopipe.example("js212").trials
    >>> pieces = [to_arrow(t) for t in trials]
    >>> concat_tables(pieces) == to_arrow(biopipe.Portfolio(trials=trials))
    True
    """
    pa = _pa()
    collected: dict[str, list[Any]] = {name: [] for name in TABLES}
    assets = root_trials = 0
    for part in parts:
        shifted = _shift_positions(_checked_tables(part), assets, root_trials)
        for name in TABLES:
            collected[name].append(shifted[name])
        assets += part["assets"].num_rows
        root_trials += _root_trial_count(part["trials"])
    return {
        name: pa.concat_tables(collected[name]) if collected[name] else _schema(name).empty_table() for name in TABLES
    }


# -- reading ----------------------------------------------------------------------------------

_OPTIONAL_NESTED: dict[str, type] = {
    "sponsor": Organization,
    "enrollment": Enrollment,
    "upfront": Money,
    "total": Money,
}
_REQUIRED_NESTED: dict[str, type] = {"design": TrialDesign}


def _decode(cls: type, fields: _Fields, row: Row) -> Any:
    kwargs: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = defaultdict(dict)
    problems: list[Problem] = []
    for column, path, codec in fields:
        try:
            value = codec.decode(column, row)
        except (BiopipeError, ValueError, TypeError) as e:
            problems.extend(problems_of(e, column))
            continue
        head, _, tail = path.partition(".")
        if tail:
            nested[head][tail] = value
        elif value is not None:
            kwargs[path] = value
    if problems:
        raise ValidationError(problems)
    for name, parts in nested.items():
        if name in _REQUIRED_NESTED:
            kwargs[name] = _REQUIRED_NESTED[name](**{k: v for k, v in parts.items() if v is not None})
        elif name not in _OPTIONAL_NESTED:  # built by the caller from this and other tables (a territory)
            kwargs[name] = parts
        elif any(v is not None for v in parts.values()):
            kwargs[name] = _OPTIONAL_NESTED[name](**{k: v for k, v in parts.items() if v is not None})
    return cls(**kwargs)


def _decode_value(fields: _Fields, row: Row) -> Any:
    """The one value of a one-column part (a trial's id, condition or country)."""
    ((column, _, codec),) = fields
    try:
        return codec.decode(column, row)
    except (BiopipeError, ValueError, TypeError) as e:
        raise ValidationError(problems_of(e, column)) from None


class _Kwargs:
    """The keyword arguments decoded for a class that also needs its children (sources, trials...)."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class _Reader:
    """Rows of every table, grouped by owner and ordered by position; collects every problem."""

    def __init__(self, tables: Mapping[str, Any]) -> None:
        self.problems: list[Problem] = []
        self.groups: dict[str, dict[tuple[Any, ...], list[tuple[int, Row]]]] = {}
        for name in TABLES:
            owner_columns = _LAYOUT[name].owner
            wanted = _read_columns(name)
            table = tables.get(name)
            if table is None:
                self.problems.append(Problem(name, MISSING, "a table as to_arrow writes it"))
                continue
            missing = [c for c in wanted if c not in table.column_names]
            if missing:
                self.problems += [Problem(f"{name}.{c}", MISSING, "a column as to_arrow writes it") for c in missing]
                continue
            groups: dict[tuple[Any, ...], list[tuple[int, Row]]] = defaultdict(list)
            for index, row in enumerate(table.select(wanted).to_pylist()):
                groups[tuple(row[c] for c in owner_columns)].append((index, row))
            for owner, members in groups.items():
                members.sort(key=lambda m: (m[1]["position"] is None, m[1]["position"]))
                positions = [row["position"] for _, row in members]
                if positions != list(range(len(members))):
                    self.problems.append(Problem(name, owner, f"positions 0..{len(members) - 1} per owner"))
            self.groups[name] = groups
        self.used: dict[str, set[tuple[Any, ...]]] = defaultdict(set)

    def rows(self, table: str, owner: tuple[Any, ...]) -> list[tuple[int, Row]]:
        """The rows of *owner* in *table*, in position order, with their row indexes; marks them used."""
        self.used[table].add(owner)
        return self.groups.get(table, {}).get(owner, [])

    def build(self, table: str, owner: tuple[Any, ...], make: Callable[[Row], Any]) -> tuple[Any, ...]:
        out = []
        for index, row in self.rows(table, owner):
            try:
                out.append(make(row))
            except (BiopipeError, ValueError, TypeError, BaseExceptionGroup) as e:
                self.problems.extend(problems_of(e, f"{table}[{index}]"))
        return tuple(out)

    def check_keys(self, table: str, owner: tuple[Any, ...], keys: Sequence[str]) -> None:
        """Each row's own key column is the key of what it holds (a trial's key, an event's key)."""
        column = _LAYOUT[table].key
        for (index, row), key in zip(self.groups.get(table, {}).get(owner, []), keys, strict=True):
            if row[column] != key:
                self.problems.append(Problem(f"{table}[{index}].{column}", row[column], f"the row's key {key!r}"))

    def orphans(self) -> None:
        for table, groups in self.groups.items():
            for owner, members in groups.items():
                if table != "assets" and owner not in self.used[table]:
                    self.problems.append(Problem(f"{table}[{members[0][0]}]", owner, "an owner row that exists"))


def from_arrow(tables: Mapping[str, Any]) -> Portfolio:
    """The portfolio that `to_arrow` made these tables from (derived and extra columns are ignored).

    Rows are grouped by their owner's keys and ordered by ``position``, so the
    tables may come in any row order (from a partitioned dataset, say). Raises
    one `ValidationError` listing every problem, with the table and row index
    as its path.

    >>> import biopipe
    >>> from biopipe.interop.arrow import from_arrow, to_arrow
    >>> tables = to_arrow(biopipe.example("js212"))
    >>> bad = dict(tables, events=tables["events"].drop_columns(["kind"]))
    >>> from_arrow(bad)
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in document:
      events.kind: got <missing>, expected a column as to_arrow writes it
    """
    reader = _Reader(tables)
    if reader.problems:
        raise ValidationError(reader.problems)

    def sources(code: str, owner: str, **key: str) -> tuple[Source, ...]:
        group = (code, owner, *(key.get(c) for c in _SOURCE_OWNER[2:]))
        return reader.build("sources", group, functools.partial(_decode, Source, _SOURCE))

    def part(fields: _Fields, cls: type | None) -> Callable[[Row], Any]:
        return functools.partial(_decode, cls, fields) if cls is not None else functools.partial(_decode_value, fields)

    # Children are built before their owner's own fields, so a bad owner row still claims its
    # children (they are checked too, and not reported as orphans).
    def trial(code: str, row: Row) -> Trial:
        key = row["trial_key"]
        parts: dict[str, Any] = {
            field: reader.build(table, (code, key), part(_LAYOUT[table].fields, cls))
            for table, field, cls in _TRIAL_PARTS
        }
        parts["sources"] = sources(code, "trial", trial_key=key)
        return Trial(**_decode(_Kwargs, _TRIAL, row).kwargs, **parts)

    def trials(code: str) -> tuple[Trial, ...]:
        before = len(reader.problems)
        built = reader.build("trials", (code,), lambda r: trial(code, r))
        if len(reader.problems) == before:
            reader.check_keys("trials", (code,), [t.key for t in built])
        return built

    def event(code: str, row: Row) -> RegulatoryEvent:
        event_sources = sources(code, "event", event_key=row["event_key"])
        return RegulatoryEvent(**_decode(_Kwargs, _EVENT, row).kwargs, sources=event_sources)

    def application(code: str, row: Row) -> Application:
        id_ = row["application_id"]
        indications = reader.build(
            "application_indications", (code, id_), functools.partial(_decode_value, _APPLICATION_INDICATION)
        )
        app_sources = sources(code, "application", application_id=id_)
        fields = _decode(_Kwargs, _APPLICATION, row).kwargs
        return Application(id=id_, **fields, indications=indications, sources=app_sources)

    def territory(table: str, owner: tuple[str, str], worldwide: bool | None) -> Territory | None:
        listed = reader.build(table, owner, functools.partial(_decode_value, _TERRITORY_COUNTRY))
        if worldwide is None:
            if listed:
                raise InvalidValue(worldwide, f"worldwide true or false: {table} lists {len(listed)} countries")
            return None
        return Territory(worldwide=True, excluding=listed) if worldwide else Territory(countries=listed)

    def party(code: str, row: Row) -> Party:
        key = row["party_key"]
        party_sources = sources(code, "party", party_key=key)
        where = territory("party_countries", (code, key), row["worldwide"])
        fields = _decode(_Kwargs, _PARTY, row).kwargs
        del fields["territory"]
        if where is None:
            raise InvalidValue(None, "worldwide true or false (a party always has a territory)")
        return Party(**fields, territory=where, sources=party_sources)

    def deal(code: str, row: Row) -> Deal:
        key = row["deal_key"]
        parties = reader.build("deal_parties", (code, key), functools.partial(_decode_value, _DEAL_PARTY))
        deal_sources = sources(code, "deal", deal_key=key)
        where = territory("deal_countries", (code, key), row["worldwide"])
        fields = _decode(_Kwargs, _DEAL, row).kwargs
        del fields["territory"]
        return Deal(**fields, parties=parties, territory=where, sources=deal_sources)

    def keyed(table: str, code: str, make: Callable[[str, Row], Any], identity: Callable[[Any], str]) -> Any:
        before = len(reader.problems)
        built = reader.build(table, (code,), lambda r: make(code, r))
        if len(reader.problems) == before:
            reader.check_keys(table, (code,), _occurrence_keys(built, identity))
        return built

    def asset(row: Row) -> Asset:
        code = row["asset_code"]
        before = len(reader.problems)
        events = reader.build("events", (code,), lambda r: event(code, r))
        if len(reader.problems) == before:
            reader.check_keys("events", (code,), _occurrence_keys(events, _event_identity))
        children: dict[str, Any] = {
            "aliases": reader.build("asset_aliases", (code,), functools.partial(_decode, Alias, _ALIAS)),
            "targets": reader.build("targets", (code,), functools.partial(_decode, Target, _TARGET)),
            "indications": reader.build("indications", (code,), functools.partial(_decode, Indication, _INDICATION)),
            "events": events,
            "applications": reader.build("applications", (code,), lambda r: application(code, r)),
            "parties": keyed("parties", code, party, _party_key),
            "deals": keyed("deals", code, deal, _deal_key),
            "trials": trials(code),
            "sources": sources(code, "asset"),
        }
        return Asset(code=code, **_decode(_Kwargs, _ASSET, row).kwargs, **children)

    assets = reader.build("assets", (), asset)
    root_trials = trials(ROOT_TRIALS)
    reader.orphans()
    if not reader.problems:
        try:
            return Portfolio(assets=assets, trials=root_trials)
        except BiopipeError as e:
            reader.problems.extend(problems_of(e, "assets"))
    raise ValidationError(reader.problems)


# -- Parquet files ----------------------------------------------------------------------------


def write_parquet(obj: Asset | Portfolio | Trial, directory: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write the flat tables as ``DIRECTORY/<table>.parquet``, all at once; return the paths.

    The export is atomic as a whole, not file by file: every table is written
    into a temporary folder beside *directory*, synced to disk, and that folder
    then replaces *directory* (the document layer's ``atomic_folder``).
    A reader, `read_parquet` included, sees all the old tables or all the
    new ones, never a mix, and a write that fails or is killed leaves the old
    folder as it was (its temporary folder is removed by the next export).
    *directory* must be new, or a folder holding only ``<table>.parquet``
    files: anything else in it would be lost in the swap, so it is refused.

    >>> import biopipe, tempfile
    >>> from biopipe.interop.arrow import read_parquet, write_parquet
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_parquet(biopipe.example("js212"), tmp)
    ...     back = read_parquet(tmp)
    >>> [p.name for p in paths][:3], back["JS212"] == biopipe.example("js212")
    (['assets.parquet', 'asset_aliases.parquet', 'targets.parquet'], True)
    """
    _pa()
    import pyarrow.parquet as pq

    out = Path(directory)
    tables = to_arrow(obj)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_folder(out, replaceable=[f"{name}.parquet" for name in TABLES]) as tmp:
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet")
    return tuple(out / f"{name}.parquet" for name in tables)


def read_parquet(directory: str | os.PathLike[str]) -> Portfolio:
    """Read the tables `write_parquet` wrote and rebuild the exact portfolio.

    >>> import biopipe, tempfile
    >>> from biopipe.interop.arrow import read_parquet, write_parquet
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_parquet(biopipe.example("js212"), tmp)
    ...     [t.phase for t in read_parquet(tmp)["JS212"].trials]
    [Phase.PHASE1_2, None]
    """
    _pa()
    import pyarrow.parquet as pq

    folder = Path(directory)
    tables: dict[str, Any] = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise InvalidValue(str(path), f"the {name} table written by write_parquet")
        tables[name] = pq.read_table(path)
    return from_arrow(tables)


# -- CSV --------------------------------------------------------------------------------------


def write_csv(obj: Asset | Portfolio | Trial, directory: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write the flat tables as ``DIRECTORY/<table>.csv`` (UTF-8, a header row, each file atomically).

    The columns are `to_arrow`'s. A list column (target aliases, design parts,
    an arm's interventions...) is one cell of JSON text, ``["HER3"]``; an
    empty cell is null, and ``""`` is the empty text (the asset code of root
    trials). Return the paths.

    >>> import biopipe, csv, tempfile
    >>> from biopipe.interop.arrow import write_csv
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_csv(biopipe.example("js212"), tmp)
    ...     with open(f"{tmp}/targets.csv", newline="", encoding="utf-8") as f:
    ...         rows = list(csv.DictReader(f))
    >>> len(paths), [(r["asset_code"], r["symbol"], r["aliases"]) for r in rows]
    (22, [('JS212', 'EGFR', '["ERBB1", "HER1"]'), ('JS212', 'ERBB3', '["HER3"]')])
    """
    import pyarrow.csv as pacsv

    pa = _pa()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in to_arrow(obj).items():
        for i, field in enumerate(table.schema):
            if pa.types.is_list(field.type):
                cells = [None if v is None else json.dumps(v, ensure_ascii=False) for v in table.column(i).to_pylist()]
                table = table.set_column(i, field.name, pa.array(cells, pa.string()))
        path = out / f"{name}.csv"
        with atomic_path(path) as tmp:
            pacsv.write_csv(table, tmp)
        paths.append(path)
    return tuple(paths)


# -- partitioned datasets ---------------------------------------------------------------------

#: Rows buffered per table before they are written as one row group.
_ROW_GROUP = 65_536


def _bucket_column(name: str) -> str:
    """The key a table's rows are bucketed by: a trial's key for a trial and its parts, else the asset code."""
    return "trial_key" if "trial_key" in _LAYOUT[name].owner or name == "trials" else "asset_code"


def _buckets_of(name: str, table: Any, buckets: int) -> Any:
    """Each row's bucket: the CRC-32 of its key (the same in every process and release) modulo *buckets*."""
    import pyarrow.compute as pc

    pa = _pa()
    keys = table.column(_bucket_column(name))
    if name == "sources":  # a trial's sources go with the trial; others with their asset
        keys = pc.coalesce(keys, table.column("asset_code"))
    encoded = keys.combine_chunks().dictionary_encode()
    values = pa.array([zlib.crc32(k.encode("utf-8")) % buckets for k in encoded.dictionary.to_pylist()], pa.int32())
    return pc.take(values, encoded.indices)


def _batches(data: Any) -> Iterator[Mapping[str, Any]]:
    """The tables of each batch: *data* is one batch or an iterable of them."""
    if isinstance(data, Asset | Portfolio | Trial | Mapping):
        data = (data,)
    for batch in data:
        if isinstance(batch, Mapping):
            yield _checked_tables(batch)
        elif isinstance(batch, Asset | Portfolio | Trial):
            yield to_arrow(batch)
        else:
            yield to_arrow(Portfolio(trials=tuple(batch)))


def _dataset(folder: Path) -> Any:
    import pyarrow.dataset as ds

    return ds.dataset(folder, format="parquet", partitioning="hive")


class _DatasetWriter:
    """One Parquet file per table and bucket, written row group by row group, renamed into place at the end."""

    def __init__(self, out: Path, buckets: int, stack: contextlib.ExitStack) -> None:
        self.out, self.buckets, self.stack = out, buckets, stack
        self.name = f"part-{uuid.uuid4().hex}.parquet"
        self.writers: dict[tuple[str, int], Any] = {}
        self.pending: dict[str, list[Any]] = defaultdict(list)
        self.pending_rows: dict[str, int] = defaultdict(int)
        self.paths: list[Path] = []

    def writer(self, name: str, bucket: int) -> Any:
        import pyarrow.parquet as pq

        if (name, bucket) not in self.writers:
            path = self.out / name / f"bucket={bucket}" / self.name
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.stack.enter_context(atomic_path(path))
            writer = pq.ParquetWriter(tmp, _schema(name))
            self.stack.callback(writer.close)  # closed before atomic_path renames it (last in, first out)
            self.writers[name, bucket] = writer
            self.paths.append(path)
        return self.writers[name, bucket]

    def add(self, name: str, table: Any) -> None:
        if table.num_rows:
            self.pending[name].append(table)
            self.pending_rows[name] += table.num_rows
            if self.pending_rows[name] >= _ROW_GROUP:
                self.flush(name)

    def flush(self, name: str) -> None:
        import pyarrow.compute as pc

        pa = _pa()
        if not self.pending[name]:
            return
        table = pa.concat_tables(self.pending.pop(name))
        self.pending_rows[name] = 0
        buckets = _buckets_of(name, table, self.buckets)
        for bucket in sorted(pc.unique(buckets).to_pylist()):
            self.writer(name, bucket).write_table(table.filter(pc.equal(buckets, bucket)))

    def finish(self) -> None:
        for name in TABLES:
            self.flush(name)
            # A table no batch had rows for still gets a file, so that readers know its columns.
            folder = self.out / name
            if not any(folder.glob("bucket=*/*.parquet")) and not any(n == name for n, _ in self.writers):
                self.writer(name, 0)


def write_dataset(
    data: Asset | Portfolio | Trial | Iterable[Asset | Portfolio | Trial | Iterable[Trial] | Mapping[str, Any]],
    directory: str | os.PathLike[str],
    *,
    buckets: int = 8,
) -> tuple[Path, ...]:
    """Add the flat tables to a Hive-partitioned Parquet dataset, ``DIRECTORY/<table>/bucket=<n>/*.parquet``.

    *data* is one asset, portfolio or trial, or an iterable of batches, each an
    asset, a portfolio, a trial, an iterable of trials (registry trials) or the
    tables `to_arrow` returns, converted and written one batch at a time, so
    memory holds a batch (and at most 65,536 buffered rows per table), not the
    corpus. Each call writes at most one file per table and bucket, renamed into
    place when the call ends (readers never see half a file); a later call adds
    files beside them. Positions of assets and root trials continue from those
    already in the dataset, so `read_dataset` rebuilds the whole portfolio; an
    asset code or root trial written twice is its error. One writer at a time.

    A row's bucket is the CRC-32 of its ``trial_key`` (a trial, its parts and
    its sources) or else its ``asset_code``, modulo *buckets*: a trial and its
    parts share a bucket. DuckDB (``read_parquet('DIR/trials/**/*.parquet',
    hive_partitioning = true)``), Polars (``pl.scan_parquet``) and Spark
    (``spark.read.parquet('DIR/trials')``) read each table folder as one table,
    with the extra column ``bucket``. Return the files written.

    >>> import biopipe, tempfile
    >>> from biopipe.interop.arrow import read_dataset, write_dataset
    >>> js212 = biopipe.example("js212")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_dataset(biopipe.Portfolio(assets=(js212,)), tmp, buckets=4)
    ...     _ = write_dataset([js212.trials[:1], js212.trials[1:]], tmp, buckets=4)  # two batches, appended
    ...     back = read_dataset(tmp)
    >>> back == biopipe.Portfolio(assets=(js212,), trials=js212.trials)
    True
    >>> sorted({p.relative_to(tmp).parts[1] for p in paths if p.parts[-3] == "trials"})
    ['bucket=1', 'bucket=3']
    """
    if isinstance(buckets, bool) or buckets < 1:
        raise InvalidValue(buckets, "a whole number of buckets, at least 1")
    out = Path(directory)
    assets = root_trials = 0
    if (out / "assets").is_dir():
        assets = _dataset(out / "assets").count_rows()
    if (out / "trials").is_dir():
        import pyarrow.dataset as ds

        root_trials = _dataset(out / "trials").count_rows(filter=ds.field("asset_code") == ROOT_TRIALS)
    with contextlib.ExitStack() as stack:
        writer = _DatasetWriter(out, buckets, stack)
        for tables in _batches(data):
            for name, table in _shift_positions(tables, assets, root_trials).items():
                writer.add(name, table)
            assets += tables["assets"].num_rows
            root_trials += _root_trial_count(tables["trials"])
        writer.finish()
    return tuple(writer.paths)


def read_dataset(directory: str | os.PathLike[str]) -> Portfolio:
    """Read a dataset `write_dataset` wrote (every call's files) and rebuild the exact portfolio.

    >>> import biopipe, tempfile
    >>> from biopipe.interop.arrow import read_dataset, write_dataset
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_dataset(biopipe.example("js212"), tmp)
    ...     read_dataset(tmp)["JS212"] == biopipe.example("js212")
    True
    """
    _pa()
    folder = Path(directory)
    tables: dict[str, Any] = {}
    for name in TABLES:
        path = folder / name
        if not path.is_dir():
            raise InvalidValue(str(path), f"the {name} folder written by write_dataset")
        tables[name] = _dataset(path).to_table()
    return from_arrow(tables)
