"""The cattrs converter behind biopipe's JSON format, and the error walker.

Parsing lives here, in structure hooks, not in attrs converters: the model's
fields stay precisely typed and the hooks are strict (no ``str(1)``, no
``int(2.9)``, unknown keys and codes are errors).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ..model._dates import FactDate, PartialDate
from ..model._errors import MISSING, BiopipeError, InvalidValue, Problem, short_repr
from ..model._ids import RegistryId
from ..model._validate import problems_from
from ..model._vocab import Vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["configure_converter", "converter", "make_converter", "problems_of"]

_JSON_TYPE = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


def _strict(cls: type) -> Callable[[Any, type], Any]:
    expected = _JSON_TYPE[cls]

    def structure(obj: Any, _: type) -> Any:
        # type() rather than isinstance(): bool is an int subclass, and we accept no coercion.
        if type(obj) is not cls and not (cls is float and type(obj) is int):
            raise InvalidValue(obj, expected)
        return obj

    return structure


def _structure_vocabulary(obj: Any, cls: type[Vocabulary]) -> Vocabulary:
    if type(obj) is not str:
        allowed = ", ".join(repr(c) for c in cls.codes())
        raise InvalidValue(obj, f"one of {allowed}")
    return cls.from_code(obj)


def _structure_day(obj: Any, _: type) -> dt.date:
    if type(obj) is not str:
        raise InvalidValue(obj, "a calendar day as text, such as '2025-12-15'")
    try:
        return dt.date.fromisoformat(obj)
    except ValueError:
        raise InvalidValue(obj, "a calendar day as text, such as '2025-12-15'") from None


def _structure_partial_date(obj: Any, _: type) -> PartialDate:
    return PartialDate.parse_iso(obj)


def _structure_registry_id(obj: Any, _: type) -> RegistryId:
    if type(obj) is not str:
        return RegistryId.parse(obj)
    return RegistryId(obj)


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook_factory(t: Any, conv: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    item_type = get_args(t)[0]
    item_hook = conv.get_structure_hook(item_type)

    def structure(obj: Any, _: Any) -> tuple[Any, ...]:
        if type(obj) is not list:
            raise InvalidValue(obj, "an array")
        items = []
        errors: list[Exception] = []
        for i, item in enumerate(obj):
            try:
                items.append(item_hook(item, item_type))
            except Exception as e:
                e.__notes__ = [
                    *getattr(e, "__notes__", []),
                    IterableValidationNote(f"@ index {i}", i, item_type),
                ]
                errors.append(e)
        if errors:
            raise IterableValidationError(f"While structuring {t!r}", errors, t)
        return tuple(items)

    return structure


def _attrs_hook_factory(cls: type, conv: cattrs.Converter) -> Callable[[Any, type], Any]:
    inner: Callable[[Any, type], Any] = make_dict_structure_fn(cls, conv)
    expected = f"an object ({cls.__name__})"

    def structure(obj: Any, t: type) -> Any:
        if type(obj) is not dict:
            raise InvalidValue(obj, expected)
        try:
            return inner(obj, t)
        except BaseExceptionGroup as group:
            # Keep the input so the error can show the value of each unknown key.
            for sub in group.exceptions:
                if isinstance(sub, ForbiddenExtraKeysError):
                    vars(sub)["biopipe_input"] = obj
            raise

    return structure


def _is_result(t: Any) -> bool:
    """A `Result` (it names its document), or an attrs class with fields left out of documents."""
    if not (isinstance(t, type) and attrs.has(t)):
        return False
    return isinstance(getattr(t, "document_name", None), str) or any(
        a.metadata.get("document") is False for a in attrs.fields(t)
    )


def _result_unstructure_factory(cls: type, conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    """Unstructure a `Result`: its fields as the model's are, less ``document=False`` ones, plus its properties.

    A field with ``document="always"`` in its metadata is written even at its default (counts that default
    to what other fields say, which a reader should not have to work out).
    """
    omitted: dict[str, Any] = {
        a.name: override(omit=True) for a in attrs.fields(cls) if a.metadata.get("document") is False
    }
    omitted |= {
        a.name: override(omit_if_default=False) for a in attrs.fields(cls) if a.metadata.get("document") == "always"
    }
    fields: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls, conv, _cattrs_omit_if_default=conv.omit_if_default, **omitted
    )
    properties: tuple[str, ...] = getattr(cls, "document_properties", ())

    def unstructure(obj: Any) -> dict[str, Any]:
        d = fields(obj)
        for name in properties:
            d[name] = conv.unstructure(getattr(obj, name))
        return d

    return unstructure


def configure_converter(conv: cattrs.Converter) -> None:
    """Install biopipe's hooks on *conv*: strict primitives, codes, partial dates, ids.

    The converter should be built with ``forbid_extra_keys=True`` and
    ``detailed_validation=True`` (as `make_converter` does) for errors to carry paths.

    >>> import cattrs
    >>> from biopipe import PartialDate
    >>> from biopipe.document import configure_converter
    >>> conv = cattrs.Converter(forbid_extra_keys=True)
    >>> configure_converter(conv)
    >>> conv.structure("2025-01", PartialDate), conv.unstructure(PartialDate(2025, 1))
    (PartialDate(2025, 1), '2025-01')
    """
    for primitive in _JSON_TYPE:
        conv.register_structure_hook(primitive, _strict(primitive))
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Vocabulary), _structure_vocabulary
    )
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Vocabulary), lambda member: member.value
    )
    conv.register_structure_hook(PartialDate, _structure_partial_date)
    conv.register_unstructure_hook(PartialDate, PartialDate.format_iso)
    conv.register_structure_hook(FactDate, lambda obj, _: FactDate.parse(obj))
    conv.register_unstructure_hook(FactDate, str)
    conv.register_structure_hook(RegistryId, _structure_registry_id)
    conv.register_unstructure_hook(RegistryId, lambda rid: rid.value)
    conv.register_unstructure_hook(
        Problem, lambda p: {"path": p.path, "value": short_repr(p.value), "expected": p.expected}
    )
    # A field typed ``object`` (a diff's old and new values) is written by its value's own type.
    conv.register_unstructure_hook_func(lambda t: t is object, lambda value: conv.unstructure(value, type(value)))
    conv.register_structure_hook(dt.date, _structure_day)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook_factory(_is_result, _result_unstructure_factory)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook_factory)
    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and t not in (PartialDate, FactDate, RegistryId), _attrs_hook_factory
    )


def make_converter() -> cattrs.Converter:
    """A new converter configured for biopipe's JSON format.

    Strict, forbids unknown keys, collects every error with its path, and omits
    fields left at their defaults so documents stay short and canonical.

    >>> from biopipe import Source
    >>> from biopipe.document import make_converter
    >>> conv = make_converter()
    >>> conv.unstructure(Source(title="Press release"))
    {'title': 'Press release'}
    """
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True, detailed_validation=True)
    configure_converter(conv)
    return conv


#: The converter biopipe's `loads` and `dumps` use.
converter = make_converter()


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def problems_of(exc: BaseException, path: str = "") -> list[Problem]:
    r"""Flatten a structuring error (cattrs or biopipe) into `Problem`\\ s with paths.

    >>> import biopipe
    >>> from biopipe import Source
    >>> from biopipe.document import converter, problems_of
    >>> try:
    ...     converter.structure({"title": 1, "urll": "x"}, Source)
    ... except Exception as e:
    ...     for p in problems_of(e):
    ...         print(p)
    title: got 1, expected a string
    urll: got 'x', expected no such field (allowed: title, publisher, url, published)
    """
    out: list[Problem] = []
    _collect(exc, path, out)
    return out


def _collect(exc: BaseException, path: str, out: list[Problem]) -> None:
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = ", ".join(f.name for f in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ""
        value_of = vars(exc).get("biopipe_input", {})
        for key in sorted(exc.extra_fields):
            out.append(Problem(_join(path, key), value_of.get(key, MISSING), f"no such field (allowed: {allowed})"))
        return
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    sub_path = _join(path, note.name)
                elif isinstance(note, IterableValidationNote):
                    sub_path = f"{path}[{note.index}]"
            _collect(sub, sub_path, out)
        return
    if isinstance(exc, KeyError) and not isinstance(exc, BiopipeError):
        out.append(Problem(path, MISSING, "a value (required field)"))
        return
    if isinstance(exc, BiopipeError):
        out.extend(problems_from(exc, path))
        return
    out.append(Problem(path, MISSING, f"a valid value ({type(exc).__name__}: {exc})"))
