"""JSON Schema (draft 2020-12) of biopipe's JSON format, derived from the model itself.

Structure comes from the attrs classes' field types; constraints come from the
same validators the classes run on construction, so schema and loader agree.
What a schema cannot say (calendar validity such as 31 April, cross-field rules
such as "a bispecific names exactly two targets") is checked by the loader only;
the schema's description says so. One field-level check is also the loader's only: a
target's ``symbol`` must be an approved HGNC symbol (`biopipe.model.approved_symbols`,
about 44,000 of them); the schema gives its pattern, which every approved symbol fits,
rather than an ``enum`` of them all.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

import attrs

from ..model._asset import Asset
from ..model._dates import FactDate, PartialDate
from ..model._ids import Registry, RegistryId
from ..model._validate import Check, Optional, Schema, TupleOf, anchored
from ..model._vocab import Vocabulary
from ._format import FORMAT_NAME, FORMAT_VERSION, TRIALS_VERSION

__all__ = ["json_schema"]

_PARTIAL_DATE = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?|-Q[1-4]|-H[12])?"
_SCHEMA_ID = f"https://biopipe.invalid/schema/biopipe-v{FORMAT_VERSION}.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a biopipe document (draft 2020-12).

    Every document `biopipe.dumps` writes validates against it: format
    versions 1 and 2, where root ``trials`` need version 2. It checks
    structure, codes and formats; calendar validity and cross-field rules are
    the loader's (see the description).

    >>> import biopipe
    >>> schema = biopipe.document.json_schema()
    >>> schema["properties"]["version"], schema["then"]
    ({'enum': [1, 2]}, {'properties': {'version': {'minimum': 2}}})
    >>> schema["$defs"]["RegulatoryEvent"]["properties"]["agency"]["enum"][:3]
    ['fda', 'nmpa', 'ema']
    """
    return _build()


@functools.cache
def _build() -> dict[str, Any]:
    defs: dict[str, Schema] = {}
    _define(Asset, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": f"biopipe document, format version {FORMAT_VERSION}",
        "description": (
            "A portfolio of drug-development assets, and registry trials not linked to an asset (root "
            f"trials, format version {TRIALS_VERSION} and newer). The loader also checks calendar validity of dates "
            "and cross-field rules (a bispecific names exactly two targets, an actual end is not before "
            "an actual start, designation events carry a designation, asset codes are distinct, root trials are "
            "distinct, ...), that a target's symbol is an approved HGNC symbol (the schema gives its pattern "
            "only), and that integers are written as integers (1, not 1.0, which JSON Schema counts as an integer)."
        ),
        "type": "object",
        "properties": {
            "format": {"const": FORMAT_NAME},
            "version": {"enum": list(range(1, FORMAT_VERSION + 1))},
            "assets": {"type": "array", "items": {"$ref": "#/$defs/Asset"}},
            "trials": {"type": "array", "items": {"$ref": "#/$defs/Trial"}},
        },
        "required": ["format", "version", "assets"],
        "additionalProperties": False,
        # Root trials are new in version 2: a version-1 document with them is refused, as the loader does.
        "if": {"required": ["trials"]},
        "then": {"properties": {"version": {"minimum": TRIALS_VERSION}}},
        "$defs": dict(sorted(defs.items())),
    }


def _define(cls: type, defs: dict[str, Schema]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder: breaks cycles while fields are walked
    hints = typing.get_type_hints(cls)
    properties: dict[str, Schema] = {}
    required = []
    for field in attrs.fields(cls):
        properties[field.name] = _field_schema(hints[field.name], field.validator, defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    doc = (cls.__doc__ or "").strip().splitlines()
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if doc:
        schema = {"description": doc[0], **schema}
    if required:
        schema["required"] = required
    defs[cls.__name__] = schema


def _field_schema(tp: Any, validator: Any, defs: dict[str, Schema]) -> Schema:
    if isinstance(validator, Optional):
        return _type_schema(tp, validator.inner, defs)
    return _type_schema(tp, validator, defs)


def _type_schema(tp: Any, validator: Any, defs: dict[str, Schema]) -> Schema:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (a for a in args if a is not type(None))
        return {"anyOf": [_type_schema(inner, validator, defs), {"type": "null"}]}
    if origin is tuple:
        items = _type_schema(args[0], validator.item if isinstance(validator, TupleOf) else None, defs)
        schema: Schema = {"type": "array", "items": items}
        if isinstance(validator, TupleOf) and validator.unique:
            schema["uniqueItems"] = True
        return schema
    constraint = validator.schema if isinstance(validator, Check) else {}
    return {**_base_schema(tp, defs), **constraint}


def _base_schema(tp: Any, defs: dict[str, Schema]) -> Schema:
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if isinstance(tp, type) and issubclass(tp, Vocabulary):
        return {"enum": list(tp.codes())}
    if tp is PartialDate:
        return {"type": "string", "pattern": anchored(_PARTIAL_DATE)}
    if tp is FactDate:
        # Announced ("on or before D") or actual or estimated ("D (estimated)"), never both prefix and suffix.
        return {
            "type": "string",
            "pattern": anchored(f"on or before {_PARTIAL_DATE}|{_PARTIAL_DATE}(?: \\(estimated\\))?"),
        }
    if tp is RegistryId:
        return {"type": "string", "pattern": anchored("|".join(f"(?:{r.pattern})" for r in Registry))}
    if attrs.has(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a model type without a schema is a bug
