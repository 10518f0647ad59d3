"""Generated fast paths between the model and plain JSON data (the happy path of loads/dumps).

The cattrs converter (`biopipe.document.converter`) is the reference: strict, and on bad
input it reports every problem with its path. That bookkeeping costs time on
every document, good or bad. This module generates, per model class, one
plain Python function that does the same conversion with the same strictness
but no bookkeeping:

* `structure_assets` (and `structure_trials`, for a document's root trials)
  raises `Fallback` at the first thing it does not like; the loader then runs
  the converter, which raises the detailed errors. It builds each instance as
  the attrs ``__init__`` does (set the fields, run the validators, then
  ``__attrs_post_init__``), leaving out only the validators that repeat a type
  check the generated code has just made (`_implied`): every other validator
  and every cross-field rule still runs.
* `unstructure_asset` (and `unstructure_trial`) writes the same dicts as
  ``converter.unstructure`` (fields in model order, fields at their default omitted).

The tests check both against the converter (equal objects, equal dicts).
"""

from __future__ import annotations

import functools
import itertools
import types
from typing import TYPE_CHECKING, Any, Union, cast, get_args, get_origin

import attrs

from ..model._asset import Asset
from ..model._dates import _ANNOUNCED_PREFIX, _ESTIMATED_SUFFIX, FactDate, PartialDate
from ..model._errors import BiopipeError
from ..model._ids import RegistryId
from ..model._trial import Trial
from ..model._validate import MAX_STRING, Check, Optional, TupleOf
from ..model._vocab import DateBasis, Vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Fallback", "structure_assets", "structure_trials", "unstructure_asset", "unstructure_trial"]


class Fallback(Exception):
    """The fast path declines the input; the converter will report why."""


_MISSING = object()


def _optional_of(t: Any) -> Any:
    """X for ``X | None``, else None."""
    if get_origin(t) in (Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        if len(args) == 1 and len(get_args(t)) == 2:
            return args[0]
    return None


def _tuple_of(t: Any) -> Any:
    """X for ``tuple[X, ...]``, else None."""
    args = get_args(t)
    if get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def _fail() -> Any:
    raise Fallback


def _string(v: Any) -> str:
    if type(v) is not str or len(v) > MAX_STRING:
        raise Fallback
    return v


def _strings(v: Any) -> tuple[str, ...]:
    if type(v) is not list:
        raise Fallback
    for x in v:
        if type(x) is not str or len(x) > MAX_STRING:
            raise Fallback
    return tuple(v)


def _registry_id(v: Any) -> RegistryId:
    if type(v) is not str:
        raise Fallback
    return RegistryId(v)


# -- date formatting for dumps ---------------------------------------------------------------------
# A portfolio has several dates per trial and event, and `PartialDate.format_iso` spends most of its
# time in format specs (``f"{m:02d}"`` costs ~7x a table look-up). These give the same text by
# look-ups in prebuilt tables, in one call per date instead of three (FactDate.__str__ -> str ->
# format_iso). The tests check that they agree with `FactDate.__str__` for arbitrary dates.

#: "00" to "99": months and days (validated 1-12 and 1-31) index it directly.
_TWO = tuple(f"{i:02d}" for i in range(100))


class _Years(dict[int, str]):
    """Year -> its 4-digit text, filled on first use (at most 9999 entries: years are validated)."""

    def __missing__(self, year: int) -> str:
        text = self[year] = f"{year:04d}"
        return text


_YEARS = _Years()


def _format_partial(p: PartialDate) -> str:
    """``p.format_iso()``, by table look-ups."""
    year = _YEARS[p.year]
    month = p.month
    if month is not None:
        day = p.day  # validated: a day comes with a month
        return f"{year}-{_TWO[month]}" if day is None else f"{year}-{_TWO[month]}-{_TWO[day]}"
    if p.quarter is not None:
        return f"{year}-Q{p.quarter}"
    if p.half is not None:
        return f"{year}-H{p.half}"
    return year


def _format_fact(f: FactDate) -> str:
    """``str(f)``: the partial date with the basis's prefix or suffix."""
    text = _format_partial(f.date)
    basis = f.basis
    if basis is _ACTUAL:
        return text
    if basis is _ANNOUNCED:
        return _ANNOUNCED_PREFIX + text
    if basis is _ESTIMATED:
        return text + _ESTIMATED_SUFFIX
    return str(f)  # a basis added later: its own text


_ACTUAL, _ANNOUNCED, _ESTIMATED = DateBasis.ACTUAL, DateBasis.ANNOUNCED, DateBasis.ESTIMATED


@functools.cache
def building(cls: type) -> Any:
    """The class the loaders build instances of frozen, slotted attrs class *cls* in.

    A subclass that adds no slots and keeps Python's own attribute setting: each field is set by
    one plain ``o.name = value`` (a slot store the interpreter specialises, where a frozen class
    needs a call to each slot's descriptor), then ``o.__class__ = cls`` makes the object an
    instance of *cls* (the interpreter refuses unless the two layouts agree). The builders then
    run the validators and ``__attrs_post_init__``, as the attrs ``__init__`` does after
    setting every field.
    """
    return type(
        f"{cls.__name__}Building",
        (cls,),
        {"__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__, "__module__": __name__},
    )


@functools.cache
def _date_makers() -> tuple[Callable[..., PartialDate], Callable[[PartialDate, DateBasis], FactDate]]:
    """Constructors for PartialDate and FactDate that do what their attrs ``__init__`` does, with less overhead.

    PartialDate: set the five fields, then ``__attrs_post_init__`` (which validates them all). FactDate:
    set its two fields; their validators only check the types, which the callers here guarantee (a
    `PartialDate` just built, a `DateBasis` member). If the classes ever gain anything else (a field
    validator, a converter, another field), the classes themselves are returned.
    """
    attrs.resolve_types(PartialDate)
    attrs.resolve_types(FactDate)
    partial_fields = attrs.fields(PartialDate)
    fact_fields = attrs.fields(FactDate)
    if (
        tuple(f.name for f in partial_fields) != ("year", "month", "day", "quarter", "half")
        or any(f.validator is not None or f.converter is not None or not f.init for f in partial_fields)
        or tuple(f.name for f in fact_fields) != ("date", "basis")
        or not all(_implied(f.validator, f.type) for f in fact_fields)
        or any(f.converter is not None or not f.init for f in fact_fields)
        or hasattr(FactDate, "__attrs_post_init__")
        or hasattr(PartialDate, "__attrs_pre_init__")
    ):
        return PartialDate, FactDate
    # Each object is made as an instance of a subclass that adds no slots and keeps Python's own
    # attribute setting (each field one slot store), then becomes an instance of the model's class.
    partial_building, fact_building = building(PartialDate), building(FactDate)
    new = object.__new__

    def make_partial(
        y: int, m: int | None = None, d: int | None = None, *, quarter: int | None = None, half: int | None = None
    ) -> PartialDate:
        o = new(partial_building)
        o.year = y
        o.month = m
        o.day = d
        o.quarter = quarter
        o.half = half
        o.__class__ = PartialDate
        o.__attrs_post_init__()
        return cast("PartialDate", o)

    def make_fact(p: PartialDate, b: DateBasis) -> FactDate:
        o = new(fact_building)
        o.date = p
        o.basis = b
        o.__class__ = FactDate
        return cast("FactDate", o)

    return make_partial, make_fact


#: What follows ``YYYY-`` in the usual shapes, as the parts it stands for (ASCII digits only, by construction).
_MONTH_DAYS = {f"{m:02d}-{d:02d}": (m, d) for m in range(1, 13) for d in range(1, 32)}
_MONTHS = {f"{m:02d}": m for m in range(1, 13)}
_QUARTERS = {f"Q{q}": q for q in range(1, 5)}
_HALVES = {f"H{h}": h for h in range(1, 3)}


def _parse_partial(text: str) -> PartialDate:
    """``PartialDate.parse_iso(text)``, with the usual shapes read by slicing (the constructor still validates).

    ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn`` and ``YYYY-Hn`` in ASCII digits (months and days
    looked up in tables of their texts); anything else is the model's own parser's (the tests check
    both give the same date or both refuse).
    """
    year = text[:4]
    if text.isascii() and year.isdigit():
        make = _date_makers()[0]
        if len(text) == 4:
            return make(int(year))
        if text[4:5] == "-":
            rest = text[5:]
            if (month_day := _MONTH_DAYS.get(rest)) is not None:
                return make(int(year), month_day[0], month_day[1])
            if (month := _MONTHS.get(rest)) is not None:
                return make(int(year), month)
            if (quarter := _QUARTERS.get(rest)) is not None:
                return make(int(year), quarter=quarter)
            if (half := _HALVES.get(rest)) is not None:
                return make(int(year), half=half)
    return PartialDate.parse_iso(text)


def _parse_fact(text: str) -> FactDate:
    """``FactDate.parse(text)``, its date taken from `parse_partial` (shared with every other date of that text)."""
    _make_fact = _date_makers()[1]
    if text.startswith(_ANNOUNCED_PREFIX):
        return _make_fact(parse_partial(text[len(_ANNOUNCED_PREFIX) :]), _ANNOUNCED)
    if text.endswith(_ESTIMATED_SUFFIX):
        return _make_fact(parse_partial(text[: -len(_ESTIMATED_SUFFIX)]), _ESTIMATED)
    return _make_fact(parse_partial(text), _ACTUAL)


# Dates repeat across a portfolio and are immutable: parse each text once, share the object. Module-level,
# so that every loading path shares them (and a benchmark can empty them: `clear_caches`).
parse_partial = functools.lru_cache(maxsize=1 << 16)(_parse_partial)
parse_fact = functools.lru_cache(maxsize=1 << 16)(_parse_fact)


def clear_caches() -> None:
    """Forget the parsed dates (for measurements that must start cold)."""
    parse_partial.cache_clear()
    parse_fact.cache_clear()


def _implied(validator: object, t: Any) -> bool:
    """Whether *validator* only checks what the generated code already guarantees: the type."""
    if isinstance(validator, Optional):
        inner = _optional_of(t)
        return inner is not None and _implied(validator.inner, inner)
    if isinstance(validator, TupleOf):
        item = _tuple_of(t)
        return item is not None and not validator.unique and _implied(validator.item, item)
    if isinstance(validator, Check):
        ok = validator.ok
        # instance(cls) uses cls.__instancecheck__ for classes that no bool can belong to.
        return getattr(ok, "__self__", None) is t and getattr(ok, "__name__", "") == "__instancecheck__"
    return False


class _Gen:
    """Writes the source of one structure and one unstructure function per attrs class."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "Fallback": Fallback,
            "MISSING": _MISSING,
            "MAX": MAX_STRING,
            "_string": _string,
            "_strings": _strings,
            "_registry_id": _registry_id,
            "parse_partial": parse_partial,
            "parse_fact": parse_fact,
            "new": object.__new__,
            "setattr": object.__setattr__,
            # Formatting is not cached: hashing and comparing dates costs as much as formatting them.
            "format_partial": _format_partial,
            "format_fact": _format_fact,
        }
        self.names: dict[Any, str] = {}
        self.done: set[type] = set()
        self.counter = itertools.count()

    def name_of(self, obj: Any, prefix: str, key: Any = None) -> str:
        """The global name under which the generated code sees *obj* (one per *key*, default *obj*)."""
        key = (type(obj), obj) if key is None else key
        if key not in self.names:
            self.names[key] = f"{prefix}{next(self.counter)}"
            self.ns[self.names[key]] = obj
        name: str = self.names[key]
        return name

    # -- structure: JSON value expression -> model value expression ----------------------------

    def s_expr(self, t: Any, v: str) -> str:
        """An expression converting JSON value *v* to type *t*, raising on anything unexpected."""
        if t is str:
            return f"_string({v})"
        if t is int:
            return f"({v} if type({v}) is int else _fail())"
        if t is bool:
            return f"({v} if type({v}) is bool else _fail())"
        if t is PartialDate:
            return f"parse_partial({v})"
        if t is FactDate:
            return f"parse_fact({v})"
        if t is RegistryId:
            return f"_registry_id({v})"
        if isinstance(t, type) and issubclass(t, Vocabulary):
            # A dict of code -> member: a list or dict key raises TypeError, an unknown code KeyError.
            table = self.name_of({m.value: m for m in t}, "codes", key=t)
            return f"{table}[{v}]"
        if attrs.has(t):
            self.add(t)
            return f"s_{t.__name__}({v})"
        if (inner := _optional_of(t)) is not None:
            return f"(None if {v} is None else {self.s_expr(inner, v)})"
        if (item := _tuple_of(t)) is not None:
            if item is str:
                return f"_strings({v})"
            return f"tuple([{self.s_expr(item, 'x')} for x in ({v} if type({v}) is list else _fail())])"
        raise TypeError(f"no fast structure path for {t!r}")

    def s_check(self, t: Any, pad: str) -> list[str]:
        """Statements that check (and convert, in place) the JSON value ``v`` for type *t*."""
        if t is str:
            return [f"{pad}if type(v) is not str or len(v) > MAX:", f"{pad}    raise Fallback"]
        if t in (int, bool):
            return [f"{pad}if type(v) is not {t.__name__}:", f"{pad}    raise Fallback"]
        return [f"{pad}v = {self.s_expr(t, 'v')}"]

    def u_expr(self, t: Any, v: str) -> str:
        """An expression converting model value *v* of type *t* to JSON data."""
        if t in (str, int, bool):
            return v
        if t is PartialDate:
            return f"format_partial({v})"
        if t is FactDate:
            return f"format_fact({v})"
        if t is RegistryId:
            return f"{v}.value"
        if isinstance(t, type) and issubclass(t, Vocabulary):
            return f"{v}._value_"
        if attrs.has(t):
            self.add(t)
            return f"u_{t.__name__}({v})"
        if (inner := _optional_of(t)) is not None:
            return f"(None if {v} is None else {self.u_expr(inner, v)})"
        if (item := _tuple_of(t)) is not None:
            if item is str:
                return f"list({v})"
            return f"[{self.u_expr(item, 'x')} for x in {v}]"
        raise TypeError(f"no fast unstructure path for {t!r}")

    def add(self, cls: type) -> None:
        if cls in self.done:
            return
        self.done.add(cls)
        attrs.resolve_types(cls)
        fields = attrs.fields(cls)
        cls_name = self.name_of(cls, "cls")
        allowed = self.name_of(frozenset(f.name for f in fields), "keys")
        # Build the instance as the attrs __init__ does (set every field, run the validators, then
        # __attrs_post_init__), minus the validators that only repeat a type check made here.
        s_lines = [
            f"def s_{cls.__name__}(d):",
            f"    if type(d) is not dict or not d.keys() <= {allowed}:",
            "        raise Fallback",
            f"    o = new({self.name_of(building(cls), 'building')})",
        ]
        for f in fields:
            if not f.init or f.converter is not None or f.alias not in (None, f.name):
                raise TypeError(f"no fast structure path for {cls.__name__}.{f.name}")
            required = f.default is attrs.NOTHING
            optional = _optional_of(f.type)
            inner = f.type if optional is None else optional
            pad = "    "
            if required:
                s_lines.append(f"    v = d[{f.name!r}]")
            else:
                factory = getattr(f.default, "factory", None)
                if factory is not None and f.default.takes_self:
                    raise TypeError(f"no fast structure path for {cls.__name__}.{f.name}")
                fallback = f"{self.name_of(factory, 'factory')}()" if factory else self.name_of(f.default, "default")
                s_lines += [
                    f"    v = d.get({f.name!r}, MISSING)",
                    "    if v is MISSING:",
                    f"        v = {fallback}",
                    "    else:",
                ]
                pad = "        "
            if optional is not None:
                s_lines.append(f"{pad}if v is not None:")
                s_lines += self.s_check(inner, pad + "    ")
            else:
                s_lines += self.s_check(inner, pad)
            if f.validator is not None and not _implied(f.validator, f.type):
                validator = self.name_of(f.validator, "validator", key=("validator", cls, f.name))
                attribute = self.name_of(f, "attribute", key=("attribute", cls, f.name))
                s_lines.append(f"{pad}{validator}(o, {attribute}, v)")  # a given value (defaults are valid)
            s_lines.append(f"    o.{f.name} = v")
        s_lines.append(f"    o.__class__ = {cls_name}")  # every field set: a *cls* (see `building`)
        if hasattr(cls, "__attrs_post_init__"):
            s_lines.append("    o.__attrs_post_init__()")
        s_lines.append("    return o")
        exec("\n".join(s_lines), self.ns)  # the source is generated above from the model's own fields
        exec(self.u_source(cls), self.ns)

    def u_source(self, cls: type) -> str:
        """The source of ``u_<cls>``: a dict of the fields in model order, those at their default left out.

        Tricks, each measured on the benchmark portfolio:

        * the leading required fields go into one dict display (one BUILD_MAP, not a store each);
        * a field whose default is the empty tuple is tested by truth (``if v:``): validators make it
          a tuple, and a tuple is false exactly when empty, so this is ``v != ()`` without the compare;
        * a field whose default is an attrs instance with every field at its default (``TrialDesign()``)
          is unstructured first and written if the dict is not empty: an empty dict means every field
          is at its default, which is ``v == default``, without calling the attrs ``__eq__``.
        """
        head: list[str] = []  # items of the leading dict display
        body: list[str] = []
        for f in attrs.fields(cls):
            if f.default is attrs.NOTHING:
                expr = self.u_expr(f.type, f"o.{f.name}")
                if body:
                    body.append(f"    d[{f.name!r}] = {expr}")
                else:
                    head.append(f"{f.name!r}: {expr}")
                continue
            optional = _optional_of(f.type)
            factory = getattr(f.default, "factory", None)
            if factory is not None and f.default.takes_self:
                body.append(f"    d[{f.name!r}] = {self.u_expr(f.type, f'o.{f.name}')}")  # no fixed default
                continue
            value = factory() if factory is not None else f.default
            body.append(f"    v = o.{f.name}")
            if value is None and optional is not None:
                body += ["    if v is not None:", f"        d[{f.name!r}] = {self.u_expr(optional, 'v')}"]
            elif type(value) is tuple and not value and _tuple_of(f.type) is not None:
                body += ["    if v:", f"        d[{f.name!r}] = {self.u_expr(f.type, 'v')}"]
            elif self.empty_when_default(f.type, value):
                body[-1] = f"    v = {self.u_expr(f.type, f'o.{f.name}')}"
                body += ["    if v:", f"        d[{f.name!r}] = v"]
            else:
                default = self.name_of(value, "default")
                body += [f"    if v != {default}:", f"        d[{f.name!r}] = {self.u_expr(f.type, 'v')}"]
        return "\n".join([f"def u_{cls.__name__}(o):", f"    d = {{{', '.join(head)}}}", *body, "    return d"])

    def empty_when_default(self, t: Any, value: object) -> bool:
        """Whether ``u_<t>(x)`` is empty exactly when ``x == value`` (see `u_source`)."""
        if not (isinstance(t, type) and attrs.has(t) and type(value) is t):
            return False
        # attrs' __eq__ compares exactly the eq fields; t() needs a default for each.
        if not all(g.eq and g.eq_key is None and g.default is not attrs.NOTHING for g in attrs.fields(t)):
            return False
        try:
            empty = t()
        except BiopipeError:  # the class has no valid all-defaults instance
            return False
        if value != empty:
            return False
        self.add(t)
        return bool(self.ns[f"u_{t.__name__}"](value) == {})


@functools.cache
def _functions() -> dict[str, Callable[[Any], Any]]:
    """Generate on first use, so that ``import biopipe`` stays quick: the generated namespace."""
    gen = _Gen()
    gen.ns["_fail"] = _fail
    gen.add(Asset)
    gen.add(Trial)  # already made as a part of Asset; named here because root trials use it directly
    return gen.ns


def _generated() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """The generated structure and unstructure functions of `Asset`."""
    ns = _functions()
    return ns["s_Asset"], ns["u_Asset"]


def _structure_list(structure: Callable[[Any], Any], data: object, consume: bool) -> tuple[Any, ...]:
    if type(data) is not list:
        raise Fallback
    try:
        if not consume:
            return tuple([structure(a) for a in data])
        for i, item in enumerate(data):
            data[i] = structure(item)
        return tuple(data)
    except Fallback:
        raise
    except Exception as e:
        raise Fallback from e


def structure_assets(data: object, *, consume: bool = False) -> tuple[Asset, ...]:
    """The assets of a document's ``assets`` array; `Fallback` on anything unexpected.

    With *consume*, each item of *data* is replaced by its `Asset` as soon as
    it is built, so the dicts can be freed while the rest is read.

    >>> import json, biopipe
    >>> from biopipe.document._fast import structure_assets
    >>> doc = json.loads(biopipe.document.example_text("js212"))
    >>> structure_assets(doc["assets"])[0] == biopipe.example("js212")
    True
    """
    return _structure_list(_generated()[0], data, consume)


def structure_trials(data: object, *, consume: bool = False) -> tuple[Trial, ...]:
    """The trials of a document's root ``trials`` array; `Fallback` on anything unexpected.

    *consume* as for `structure_assets`.

    >>> import biopipe
    >>> from biopipe.document._fast import structure_trials, unstructure_trial
    >>> trials = biopipe.example("js212").trials
    >>> structure_trials([unstructure_trial(t) for t in trials]) == trials
    True
    """
    return _structure_list(_functions()["s_Trial"], data, consume)


def unstructure_asset(asset: Asset) -> dict[str, Any]:
    """The JSON data of *asset*, equal to ``converter.unstructure(asset, Asset)``.

    >>> import biopipe
    >>> from biopipe.document._fast import unstructure_asset
    >>> js212 = biopipe.example("js212")
    >>> unstructure_asset(js212) == biopipe.document.converter.unstructure(js212, biopipe.Asset)
    True
    """
    result: dict[str, Any] = _generated()[1](asset)
    return result


def unstructure_trial(trial: Trial) -> dict[str, Any]:
    """The JSON data of *trial*, equal to ``converter.unstructure(trial, Trial)``.

    >>> import biopipe
    >>> from biopipe.document._fast import unstructure_trial
    >>> trial = biopipe.example("js212").trials[0]
    >>> unstructure_trial(trial) == biopipe.document.converter.unstructure(trial, biopipe.Trial)
    True
    """
    result: dict[str, Any] = _functions()["u_Trial"](trial)
    return result
