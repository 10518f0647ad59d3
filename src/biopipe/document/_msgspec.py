"""Loading with msgspec when it is installed (the ``fast`` extra): the same rules, checked mostly in C.

`loads` decodes a document with msgspec into Structs generated from the model's attrs
classes on first use, then builds the model's own objects from them. Nothing here decides
what is valid on its own:

* each Struct field carries, as ``msgspec.Meta``, only constraints taken from the model: a
  validator whose predicate is exactly a msgspec constraint (non-empty text, a string
  limit, a full-match pattern, a non-negative integer, a vocabulary, a country code) becomes
  that constraint, and the generated builder then leaves that validator out, as `biopipe.document._fast`
  leaves out validators that only repeat a type check (`_exact_meta` says which, and the tests
  check each against its validator on hostile text);
* every other validator, every ``__attrs_post_init__`` (the rules between fields), the date
  and registry-id parsers and `Portfolio` itself run as in any construction;
* anything msgspec or the model refuses, and anything this path is not sure about (an integer
  beyond 64 bits, a key given twice), makes `loads` return None: the caller then runs the usual
  path, which accepts or rejects the document and reports every problem with its path. So this
  path can only be faster, never looser or more talkative.

The result equals the usual path's (tested over the strategies' portfolios and the examples).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast, get_origin

import attrs
import msgspec

from ..model import _validate as v
from ..model._asset import Asset, Portfolio
from ..model._dates import FactDate, PartialDate
from ..model._errors import BiopipeError
from ..model._geography import COUNTRIES
from ..model._ids import ANY_REGISTRY_ID, RegistryId
from ..model._trial import Trial
from ..model._vocab import Vocabulary
from ._fast import Fallback, _implied, _optional_of, _tuple_of, building, parse_fact, parse_partial
from ._format import FORMAT_NAME, FORMAT_VERSION, TRIALS_VERSION

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["BLANK", "NOT_SURE", "REGISTRY_ID_TEXT", "loads", "parse"]

_TUPLE: Any = tuple  # subscripted with types made at run time
_LIST: Any = list

#: Integers outside this range go to the usual path (JSON backends differ beyond 64 bits).
_INT_LIMIT = (1 << 63) - 1

_PATTERN_CODE = v.url.ok.__code__  # made by `v.pattern`, as every full-match check is
_STRING_CODE = v.string.ok.__code__
_NONNEGATIVE_CODE = v.nonnegative_int.ok.__code__
_BOOL_CODE = v.instance(bool, "a boolean").ok.__code__
_COUNTRY_CODE = v.countries.item.ok.__code__


def _pattern_meta(check: v.Check) -> dict[str, Any] | None:
    """The Meta of a `v.pattern` check: its compiled regex, matched in full, and the string limit."""
    cells = [c.cell_contents for c in check.ok.__closure__ or ()]
    compiled = [c for c in cells if isinstance(c, re.Pattern)]
    if len(compiled) != 1 or not isinstance(compiled[0].pattern, str) or compiled[0].flags & ~(re.UNICODE | re.ASCII):
        return None
    prefix = "(?a)" if compiled[0].flags & re.ASCII else ""
    return {"pattern": f"{prefix}^(?:{compiled[0].pattern})\\Z", "max_length": v.MAX_STRING}


#: The builders' inline test that text is blank (empty or only white space), for ``.format(name)``.
BLANK = "not {0} or {0}.isspace()"


def _exact_meta(check: object) -> tuple[Any, dict[str, Any], bool] | None:
    """(type, Meta arguments, whether text must not be `BLANK`) stating exactly what *check* accepts, or None.

    msgspec never produces a lone surrogate from JSON (it refuses them), so the surrogate half
    of the model's text checks is always met; the rest is a length, checked by msgspec, and not
    blank, checked by the builders in Python: as a msgspec pattern (non-space) it cost a call
    into ``re`` from C for every string, ~0.3 us against ~0.03 us (measured, 95k strings).
    """
    if type(check) is not v.Check:
        return None
    ok = check.ok
    code = getattr(ok, "__code__", None)
    if ok is v._is_text:
        return str, {"max_length": v.MAX_STRING}, True
    if code is _STRING_CODE:
        return str, {"max_length": v.MAX_STRING}, False
    if code is _PATTERN_CODE:
        meta = _pattern_meta(check)
        return None if meta is None else (str, meta, False)
    if code is _NONNEGATIVE_CODE:
        return int, {"ge": 0, "le": _INT_LIMIT}, False
    if code is _BOOL_CODE:
        return bool, {}, False
    if code is _COUNTRY_CODE:
        return Literal[tuple(sorted(COUNTRIES))], {}, False
    return None


#: The Struct type of a registry id: text that one of the registries' formats matches in full.
REGISTRY_ID_TEXT = Annotated[str, msgspec.Meta(pattern=f"^(?:{ANY_REGISTRY_ID})\\Z", max_length=v.MAX_STRING)]
_ID_BUILDING = building(RegistryId)


def _registry_id(text: str, new: Any = object.__new__) -> RegistryId:
    """A `RegistryId` of *text*, which the Struct's pattern (`ANY_REGISTRY_ID`) already checked."""
    o = new(_ID_BUILDING)
    o.value = text
    o.__class__ = RegistryId
    return cast("RegistryId", o)


class _Gen:
    """Generates, per attrs class, a msgspec Struct and the function that builds the class from it."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "Fallback": Fallback,
            "UNSET": msgspec.UNSET,
            "new": object.__new__,
            "parse_partial": parse_partial,
            "parse_fact": parse_fact,
            "registry_id": _registry_id,
            "tuple": tuple,
            "map": map,
            "len": len,
            "set": set,
        }
        self.structs: dict[type, Any] = {}
        self.sources: dict[type, str] = {}  # the generated code, for the tests and for reading
        # (validator, Struct type, whether the builders also test `BLANK`): the validators they leave out
        self.exact: list[tuple[object, Any, bool]] = []
        self.count = 0

    def name(self, obj: object, prefix: str) -> str:
        """A new global name for *obj* in the generated code's namespace."""
        self.count += 1
        name = f"{prefix}{self.count}"
        self.ns[name] = obj
        return name

    def validation(self, validator: object, f: attrs.Attribute[Any]) -> str:
        """The line running *validator* on field *f* of the object ``o``."""
        return f"    {self.name(validator, 'validator')}(o, {self.name(f, 'attribute')}, o.{f.name})"

    def leaf(self, t: Any, validator: object) -> tuple[Any, str | None, bool, bool]:
        """(Struct type, converting function's name or None, whether *validator* is implied, test `BLANK`)."""
        if t is str or t is int or t is bool:
            found = _exact_meta(validator)
            if found is not None and (found[0] is t or (t is str and get_origin(found[0]) is Literal)):
                kind, meta, blank = found
                struct_type = Annotated[kind, msgspec.Meta(**meta)] if meta else kind
                self.exact.append((validator, struct_type, blank))
                return struct_type, None, True, blank
            if t is int:
                return Annotated[int, msgspec.Meta(ge=-_INT_LIMIT, le=_INT_LIMIT)], None, False, False
            if t is str:  # the fast path's own rule for any string (`_fast._string`)
                return Annotated[str, msgspec.Meta(max_length=v.MAX_STRING)], None, False, False
            return t, None, False, False
        if isinstance(t, type) and issubclass(t, Vocabulary):
            return t, None, _implied(validator, t), False
        if t is PartialDate:
            return str, "parse_partial", _implied(validator, t), False
        if t is FactDate:
            return str, "parse_fact", _implied(validator, t), False
        if t is RegistryId:
            # The Struct checks the text against every registry's format (what RegistryId's
            # __attrs_post_init__ checks), so the id is made as the attrs __init__ would, without it.
            return REGISTRY_ID_TEXT, "registry_id", _implied(validator, t), False
        if attrs.has(t):
            return self.add(t), f"c_{t.__name__}", _implied(validator, t), False
        raise TypeError(f"no msgspec path for {t!r}")

    def add(self, cls: type) -> Any:
        """The Struct mirroring *cls*; defines ``c_<cls>`` (Struct -> *cls*) in the namespace.

        ``c_<cls>`` builds the instance as the attrs ``__init__`` does (every field set, the
        validators, then ``__attrs_post_init__``), leaving out the validators its Struct's types
        already enforce, and adds the number of keys the object held to ``KEYS``.
        """
        if cls in self.structs:
            return self.structs[cls]
        attrs.resolve_types(cls)
        struct_fields: list[tuple[Any, ...]] = []
        body: list[str] = []
        checks: list[str] = []  # the validators the Struct types do not state, run once every field is set
        required = 0
        for f in attrs.fields(cls):
            if not f.init or f.converter is not None or f.alias not in (None, f.name):
                raise TypeError(f"no msgspec path for {cls.__name__}.{f.name}")
            validator = f.validator
            optional = _optional_of(f.type)
            base = f.type if optional is None else optional
            inner = validator if optional is None else validator.inner if type(validator) is v.Optional else None
            item = _tuple_of(base)
            # steps: statements finishing ``v``, the value given (not None for an optional field)
            if item is not None:
                item_check = inner.item if type(inner) is v.TupleOf else None
                item_type, convert, implied, blank = self.leaf(item, item_check)
                struct_type = _TUPLE[item_type, ...]
                steps = ["for x in v:", f"    if {BLANK.format('x')}:", "        raise Fallback"] if blank else []
                if convert is not None:
                    steps.append(f"v = tuple(map({convert}, v))")
                implied = implied and type(inner) is v.TupleOf
                if implied and isinstance(inner, v.TupleOf) and inner.unique:
                    steps += ["if len(v) > 1 and len(set(v)) != len(v):", "    raise Fallback"]
            else:
                struct_type, convert, implied, blank = self.leaf(base, inner)
                steps = [f"if {BLANK.format('v')}:", "    raise Fallback"] if blank else []
                if convert is not None:
                    steps.append(f"v = {convert}(v)")
            if optional is not None:
                struct_type = struct_type | None
            if validator is None:
                implied = True
            if not implied:
                checks.append(self.validation(validator, f))
            if f.default is attrs.NOTHING:
                struct_fields.append((f.name, struct_type))
                required += 1
                if not steps:
                    body.append(f"    o.{f.name} = s.{f.name}")
                    continue
                body.append(f"    v = s.{f.name}")
                pad = "    "
            else:
                # Absent is UNSET, so that the keys present can be counted (see `loads`); the model's
                # default is used as the attrs __init__ would use it.
                struct_fields.append((f.name, struct_type | msgspec.UnsetType, msgspec.UNSET))
                default = f.default
                factory = getattr(default, "factory", None)
                if factory is not None and default.takes_self:
                    raise TypeError(f"no msgspec path for {cls.__name__}.{f.name}")
                if factory is not None:
                    made = f"{self.name(factory, 'factory')}()"
                elif default is None or (type(default) is tuple and not default):
                    made = repr(default)
                else:
                    made = self.name(default, "default")
                body += [
                    f"    v = s.{f.name}",
                    "    if v is UNSET:",
                    f"        v = {made}",
                    "    else:",
                    "        n += 1",
                ]
                pad = "        "
                if steps and item is not None and optional is None:
                    body.append(f"{pad}if v:")  # nothing to finish in an empty tuple
                    pad += "    "
            if steps and optional is not None:
                body.append(f"{pad}if v is not None:")
                pad += "    "
            body += [pad + step for step in steps]
            body.append(f"    o.{f.name} = v")
        # Made in `building(cls)`, then a *cls*; the validators and __attrs_post_init__ after every field.
        head = [
            f"def c_{cls.__name__}(s):",
            "    global KEYS",
            f"    o = new({self.name(building(cls), 'building')})",
            f"    n = {required}",
        ]
        tail = [f"    o.__class__ = {self.name(cls, 'cls')}", *checks, "    KEYS += n"]
        if hasattr(cls, "__attrs_post_init__"):
            tail.append("    o.__attrs_post_init__()")
        tail.append("    return o")
        source = "\n".join(head + body + tail)
        exec(source, self.ns)  # the source is generated above from the model's own fields
        self.sources[cls] = source
        struct = msgspec.defstruct(
            f"{cls.__name__}Struct", struct_fields, kw_only=True, forbid_unknown_fields=True, gc=False
        )
        self.structs[cls] = struct
        return struct


@functools.cache
def _generated() -> tuple[msgspec.json.Decoder[Any], Callable[[Any], Asset], _Gen]:
    """The decoder and the asset builder, generated on first use (``import biopipe`` does not import msgspec)."""
    gen = _Gen()
    asset = gen.add(Asset)
    trial = gen.add(Trial)
    document = msgspec.defstruct(
        "DocumentStruct",
        [
            ("format", Literal[FORMAT_NAME]),
            ("version", Literal[tuple(range(1, FORMAT_VERSION + 1))]),
            ("assets", _LIST[asset]),
            ("trials", _LIST[trial] | msgspec.UnsetType, msgspec.UNSET),  # registry trials (format version 2)
        ],
        forbid_unknown_fields=True,
        gc=False,
    )
    return msgspec.json.Decoder(document), gen.ns["c_Asset"], gen


_ROOT_KEYS = 3  # format, version, assets: required; trials counted when given
_LOCK = threading.Lock()  # the builders count keys in one global


def _key_marks(compact: str | bytes) -> int:
    """The number of ``":`` in msgspec's compact JSON: at least the number of keys.

    Every key's closing quote is followed directly by its colon; other ``":`` are an escaped
    quote before a colon inside a string, or the opening quote of a string that starts with one.
    """
    if isinstance(compact, bytes):
        return compact.count(b'":')
    return compact.count('":')


def _keys(data: str | bytes) -> int:
    """The exact number of keys in JSON *data*, each time a key is given (slow: the standard library parses)."""
    sizes: list[int] = []

    def count(pairs: list[tuple[str, Any]]) -> None:
        sizes.append(len(pairs))

    json.loads(data, object_pairs_hook=count)
    return sum(sizes)


#: What `parse` returns when it cannot vouch for its answer (the strict parser decides).
NOT_SURE: Any = object()


def _held_keys(doc: object) -> int:
    """The number of keys in the objects of a parsed JSON value (iterative: nesting cannot exhaust the stack)."""
    held = 0
    stack = [doc]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        items: Any
        if type(value) is dict:
            held += len(value)
            items = value.values()
        elif type(value) is list:
            items = value
        else:
            continue
        for item in items:
            t = type(item)
            if t is dict or t is list:
                push(item)
    return held


def parse(data: str | bytes) -> Any:
    """JSON *data* parsed by msgspec if no key is given twice in it, else `NOT_SURE`.

    msgspec keeps the last value of a key given twice; the keys are counted as in `loads`: the
    keys the parsed objects hold against `_key_marks` (an upper bound of the keys in the text),
    and any difference is left to the strict parser. What msgspec parses otherwise equals the
    standard library's value (integers beyond 64 bits included, unlike orjson); what it refuses
    (``Infinity``, ``1e400``, lone surrogates, invalid UTF-8, deep nesting) is `NOT_SURE` too.
    """
    try:
        marks = _key_marks(msgspec.json.format(data, indent=-1))
        doc = msgspec.json.decode(data)
    except (msgspec.DecodeError, UnicodeEncodeError, RecursionError):
        return NOT_SURE
    return doc if _held_keys(doc) == marks else NOT_SURE


def loads(data: str | bytes) -> Portfolio | None:
    """The portfolio of a biopipe document, or None if msgspec or the model declines it (or it is not sure).

    msgspec keeps the last value of a key given twice, as orjson and the standard library do, so the
    keys are counted: the builders count the keys the objects hold, `_key_marks` bounds the keys in
    the text from above, and only if the two differ are the text's keys counted exactly (`_keys`).
    More keys in the text than in the objects is a key given twice, left to the usual path.
    """
    decoder, build, gen = _generated()
    ns = gen.ns
    try:
        compact = msgspec.json.format(data, indent=-1)
        marks = _key_marks(compact)
        # The compact text holds the same values (only white space differs) with less to skip: ~10 % faster.
        doc = decoder.decode(compact)
    except (msgspec.DecodeError, UnicodeEncodeError, RecursionError):  # not JSON, not UTF-8, nested too deep
        return None
    del compact
    assets, trials = doc.assets, doc.trials
    if trials is not msgspec.UNSET and doc.version < TRIALS_VERSION:
        return None  # the usual path reports it
    del doc  # the Structs are freed one by one as their objects are built
    try:
        with _LOCK:
            ns["KEYS"] = _ROOT_KEYS
            parts = [(assets, build)]
            if trials is not msgspec.UNSET:
                ns["KEYS"] += 1
                parts.append((trials, ns["c_Trial"]))
            for items, make in parts:
                for i, item in enumerate(items):
                    items[i] = make(item)
            held = ns["KEYS"]
        # held <= keys in the text <= marks: equal ends mean that no key was given twice.
        if held != marks and held != _keys(data):
            return None
        if trials is msgspec.UNSET:
            return Portfolio(assets=tuple(assets))
        return Portfolio(assets=tuple(assets), trials=tuple(trials))
    except (Fallback, BiopipeError, ValueError, TypeError):
        return None
