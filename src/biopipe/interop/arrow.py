"""Flat tables: a portfolio as Apache Arrow tables and Parquet files, and back, exactly.

Every table carries ``asset_code``; rows of a trial's parts carry ``trial_ordinal``;
``ordinal`` is the row's position in its tuple, so reading keeps every order.
Derived columns for queries are written but never read back: ``jurisdiction``
and ``application`` of an event, ``trial_key`` of a trial, and ``*_earliest`` /
``*_latest`` (Arrow dates) beside every fact date. A fact date is two columns:
``start`` (ISO-style text, ``2025-01`` or ``2025-Q3``, so precision survives)
and ``start_basis`` (``actual``, ``announced`` or ``estimated``).

Tables (`TABLES`): assets, asset_aliases, targets, indications, events, trials,
trial_countries, endpoints, arms, interventions, collaborators, source_terms and
sources (``owner`` is ``asset``, ``event`` or ``trial``, ``owner_ordinal`` the
event or trial position). Short string tuples (target aliases, trial ids,
conditions, design parts, partners, an arm's interventions, other names) are
list columns.

pyarrow is imported on first use (``pip install biopipe-intel[arrow]``).

>>> import biopipe
>>> from biopipe.interop.arrow import from_arrow, to_arrow
>>> tables = to_arrow(biopipe.example("js212"))
>>> tables["events"].column("jurisdiction").to_pylist()
['CN', 'CN', 'CN', 'US']
>>> from_arrow(tables)["JS212"] == biopipe.example("js212")
True
"""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document._convert import problems_of
from ..document._files import atomic_folder
from ..model._asset import Alias, Asset, Indication, Portfolio, RegulatoryEvent, Target
from ..model._dates import FactDate, PartialDate
from ..model._errors import MISSING, BiopipeError, InvalidValue, Problem, ValidationError
from ..model._ids import RegistryId
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
    from collections.abc import Callable, Iterable, Mapping

__all__ = ["TABLES", "from_arrow", "read_parquet", "to_arrow", "write_parquet"]

Row = dict[str, Any]


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
_INDICATION: _Fields = (("name", "name", _TEXT), ("role", "role", _vocab(IndicationRole)))
_EVENT: _Fields = (
    ("agency", "agency", _vocab(Agency)),
    ("kind", "kind", _vocab(EventKind)),
    ("date", "date", _FACT),
    ("designation", "designation", _vocab(Designation)),
    ("scope", "scope", _TEXT),
    ("indication", "indication", _TEXT),
    ("reference", "reference", _TEXT),
    ("inferred_by", "inferred_by", _TEXT),
    ("note", "note", _TEXT),
)
_TRIAL: _Fields = (
    ("title", "title", _TEXT),
    ("status", "status", _vocab(TrialStatus)),
    ("phase", "phase", _vocab(Phase)),
    ("ids", "ids", _Codec("strings", RegistryId)),
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
    ("conditions", "conditions", _TEXTS),
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

_ASSET_KEY = (("asset_code", "string"),)
_CHILD_KEY = (("asset_code", "string"), ("ordinal", "int32"))
_TRIAL_CHILD_KEY = (("asset_code", "string"), ("trial_ordinal", "int32"), ("ordinal", "int32"))
_SOURCE_KEY = (("asset_code", "string"), ("owner", "string"), ("owner_ordinal", "int32"), ("ordinal", "int32"))

#: Table name -> (key columns, derived columns, fields).
_LAYOUT: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], _Fields]] = {
    "assets": (_CHILD_KEY, (), _ASSET),
    "asset_aliases": (_CHILD_KEY, (), _ALIAS),
    "targets": (_CHILD_KEY, (), _TARGET),
    "indications": (_CHILD_KEY, (), _INDICATION),
    "events": (_CHILD_KEY, (("jurisdiction", "string"), ("application", "string")), _EVENT),
    "trials": (_CHILD_KEY, (("trial_key", "string"),), _TRIAL),
    "trial_countries": (_TRIAL_CHILD_KEY, (), _COUNTRY),
    "endpoints": (_TRIAL_CHILD_KEY, (), _ENDPOINT),
    "arms": (_TRIAL_CHILD_KEY, (), _ARM),
    "interventions": (_TRIAL_CHILD_KEY, (), _INTERVENTION),
    "collaborators": (_TRIAL_CHILD_KEY, (), _ORGANIZATION),
    "source_terms": (_TRIAL_CHILD_KEY, (), _SOURCE_TERM),
    "sources": (_SOURCE_KEY, (), _SOURCE),
}
#: The tables `to_arrow` writes, in order.
TABLES: tuple[str, ...] = tuple(_LAYOUT)


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
    keys, derived, fields = _LAYOUT[name]
    columns = [*keys, *derived]
    for column, _, codec in fields:
        columns += codec.columns(column)
    return pa.schema([pa.field(c, types[t], nullable=c not in ("asset_code", "ordinal")) for c, t in columns])


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

    def sources(code: str, owner: str, owner_ordinal: int | None, items: Iterable[Source]) -> None:
        for i, s in enumerate(items):
            key = {"asset_code": code, "owner": owner, "owner_ordinal": owner_ordinal, "ordinal": i}
            rows["sources"].append(_encode(_SOURCE, s, key))

    for a_i, asset in enumerate(portfolio.assets):
        code = asset.code
        rows["assets"].append(_encode(_ASSET, asset, {"asset_code": code, "ordinal": a_i}))
        for table, fields, items in (
            ("asset_aliases", _ALIAS, asset.aliases),
            ("targets", _TARGET, asset.targets),
            ("indications", _INDICATION, asset.indications),
        ):
            rows[table] += [_encode(fields, x, {"asset_code": code, "ordinal": i}) for i, x in enumerate(items)]
        for i, event in enumerate(asset.events):
            key = {
                "asset_code": code,
                "ordinal": i,
                "jurisdiction": event.jurisdiction,
                "application": event.kind.application.code,
            }
            rows["events"].append(_encode(_EVENT, event, key))
            sources(code, "event", i, event.sources)
        for t_i, trial in enumerate(asset.trials):
            rows["trials"].append(_encode(_TRIAL, trial, {"asset_code": code, "ordinal": t_i, "trial_key": trial.key}))
            for table, fields, parts in (
                ("trial_countries", _COUNTRY, trial.countries),
                ("endpoints", _ENDPOINT, trial.endpoints),
                ("arms", _ARM, trial.arms),
                ("interventions", _INTERVENTION, trial.interventions),
                ("collaborators", _ORGANIZATION, trial.collaborators),
                ("source_terms", _SOURCE_TERM, trial.source_terms),
            ):
                rows[table] += [
                    _encode(fields, x, {"asset_code": code, "trial_ordinal": t_i, "ordinal": i})
                    for i, x in enumerate(parts)
                ]
            sources(code, "trial", t_i, trial.sources)
        sources(code, "asset", None, asset.sources)
    return rows


def to_arrow(obj: Asset | Portfolio) -> dict[str, Any]:
    """The flat tables of an asset or portfolio: table name -> ``pyarrow.Table`` (see `TABLES`).

    >>> import biopipe
    >>> from biopipe.interop.arrow import to_arrow
    >>> tables = to_arrow(biopipe.example("js212"))
    >>> tables["trials"].select(["trial_key", "phase", "start", "start_basis"]).to_pylist()[0]
    {'trial_key': 'Phase 1/2 study of JS212 in patients with advanced solid tumors', 'phase': 'phase1_2', \
'start': '2025-12-15', 'start_basis': 'announced'}
    """
    pa = _pa()
    portfolio = Portfolio(assets=(obj,)) if isinstance(obj, Asset) else obj
    rows = _rows(portfolio)
    return {name: pa.Table.from_pylist(rows[name], schema=_schema(name)) for name in TABLES}


# -- reading ----------------------------------------------------------------------------------

_OPTIONAL_NESTED: dict[str, type] = {"sponsor": Organization, "enrollment": Enrollment}
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
        elif any(v is not None for v in parts.values()):
            kwargs[name] = _OPTIONAL_NESTED[name](**{k: v for k, v in parts.items() if v is not None})
    return cls(**kwargs)


class _Kwargs:
    """The keyword arguments decoded for a class that also needs its children (sources, trials...)."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class _Reader:
    """Rows of every table, grouped by owner and ordered by ordinal; collects every problem."""

    def __init__(self, tables: Mapping[str, Any]) -> None:
        self.problems: list[Problem] = []
        self.groups: dict[str, dict[tuple[Any, ...], list[tuple[int, Row]]]] = {}
        for name in TABLES:
            keys, derived, _ = _LAYOUT[name]
            derived_names = {c for c, _ in derived}
            wanted = [
                c for c in _schema(name).names if c not in derived_names and not c.endswith(("_earliest", "_latest"))
            ]
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
                owner = tuple(row[k] for k, _ in keys if k != "ordinal") if name != "assets" else ()
                groups[owner].append((index, row))
            for owner, members in groups.items():
                members.sort(key=lambda m: (m[1]["ordinal"] is None, m[1]["ordinal"]))
                ordinals = [row["ordinal"] for _, row in members]
                if ordinals != list(range(len(members))):
                    self.problems.append(Problem(f"{name}", owner, f"ordinals 0..{len(members) - 1} per owner"))
            self.groups[name] = groups
        self.used: dict[str, set[tuple[Any, ...]]] = defaultdict(set)

    def build(self, table: str, owner: tuple[Any, ...], make: Callable[[Row], Any]) -> tuple[Any, ...]:
        self.used[table].add(owner)
        out = []
        for index, row in self.groups.get(table, {}).get(owner, []):
            try:
                out.append(make(row))
            except (BiopipeError, ValueError, TypeError, BaseExceptionGroup) as e:
                self.problems.extend(problems_of(e, f"{table}[{index}]"))
        return tuple(out)

    def orphans(self) -> None:
        for table, groups in self.groups.items():
            for owner, members in groups.items():
                if table != "assets" and owner not in self.used[table]:
                    self.problems.append(Problem(f"{table}[{members[0][0]}]", owner, "an owner row that exists"))


def from_arrow(tables: Mapping[str, Any]) -> Portfolio:
    """The portfolio that `to_arrow` made these tables from (columns beyond `TABLES`' are ignored).

    Raises one `ValidationError` listing every problem, with the table and row index as its path.

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

    def sources(code: str, owner: str, ordinal: int | None) -> tuple[Source, ...]:
        return reader.build("sources", (code, owner, ordinal), functools.partial(_decode, Source, _SOURCE))

    def trial(code: str, row: Row) -> Trial:
        t = row["ordinal"]
        parts: dict[str, Any] = {
            name: reader.build(table, (code, t), functools.partial(_decode, cls, fields))
            for name, table, cls, fields in (
                ("endpoints", "endpoints", Endpoint, _ENDPOINT),
                ("arms", "arms", Arm, _ARM),
                ("interventions", "interventions", Intervention, _INTERVENTION),
                ("collaborators", "collaborators", Organization, _ORGANIZATION),
                ("source_terms", "source_terms", SourceTerm, _SOURCE_TERM),
            )
        }
        parts["countries"] = reader.build("trial_countries", (code, t), lambda r: r["country"])
        parts["sources"] = sources(code, "trial", t)
        base = _decode(_Kwargs, _TRIAL, row)
        return Trial(**base.kwargs, **parts)

    # Children are built before their owner's own fields, so a bad owner row still claims its
    # children (they are checked too, and not reported as orphans).
    def event(code: str, row: Row) -> RegulatoryEvent:
        event_sources = sources(code, "event", row["ordinal"])
        return RegulatoryEvent(**_decode(_Kwargs, _EVENT, row).kwargs, sources=event_sources)

    def asset(row: Row) -> Asset:
        code = row["asset_code"]
        children: dict[str, Any] = {
            "aliases": reader.build("asset_aliases", (code,), functools.partial(_decode, Alias, _ALIAS)),
            "targets": reader.build("targets", (code,), functools.partial(_decode, Target, _TARGET)),
            "indications": reader.build("indications", (code,), functools.partial(_decode, Indication, _INDICATION)),
            "events": reader.build("events", (code,), lambda r: event(code, r)),
            "trials": reader.build("trials", (code,), lambda r: trial(code, r)),
            "sources": sources(code, "asset", None),
        }
        return Asset(code=code, **_decode(_Kwargs, _ASSET, row).kwargs, **children)

    assets = reader.build("assets", (), asset)
    reader.orphans()
    if not reader.problems:
        try:
            return Portfolio(assets=assets)
        except BiopipeError as e:
            reader.problems.extend(problems_of(e, "assets"))
    raise ValidationError(reader.problems)


# -- Parquet ----------------------------------------------------------------------------------


def write_parquet(obj: Asset | Portfolio, directory: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write the flat tables as ``DIRECTORY/<table>.parquet``, all at once; return the paths.

    The export is atomic as a whole, not file by file: every table is written
    into a temporary folder beside *directory*, synced to disk, and that folder
    then replaces *directory* (see `biopipe.document._files.atomic_folder`).
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
