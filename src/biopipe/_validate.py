"""Reusable attrs validators that raise `ValidationError` naming the field.

Each validator reports one `Problem` whose path is the attribute name; the
loader prefixes it with the path of the object being built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import attrs

from ._countries import is_country, is_jurisdiction
from ._errors import BiopipeError, InvalidValue, Problem, ValidationError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def fail(name: str, value: object, expected: str) -> ValidationError:
    """A one-problem `ValidationError` at attribute *name*."""
    return ValidationError([Problem(name, value, expected)], subject=f"field {name!r}")


def raise_problems(obj: object, problems: Iterable[Problem]) -> None:
    """Raise one `ValidationError` for *problems* if there are any."""
    found = tuple(problems)
    if found:
        raise ValidationError(found, subject=type(obj).__name__)


def instance(cls: type | tuple[type, ...], expected: str) -> Validator:
    """The value is an instance of *cls* (bool is never an int)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, cls) or (isinstance(value, bool) and bool not in _as_tuple(cls)):
            raise fail(attribute.name, value, expected)

    return check


def _as_tuple(cls: type | tuple[type, ...]) -> tuple[type, ...]:
    return cls if isinstance(cls, tuple) else (cls,)


def optional(inner: Validator) -> Validator:
    """None, or a value *inner* accepts."""

    def check(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            inner(obj, attribute, value)

    return check


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A string with at least one non-space character."""
    if not _is_text(value):
        raise fail(attribute.name, value, "a non-empty string")


def string(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Any string (free text, may be empty)."""
    if not isinstance(value, str):
        raise fail(attribute.name, value, "a string")


def pattern(regex: str, expected: str) -> Validator:
    """A string matching *regex* in full."""
    compiled = re.compile(regex)

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or compiled.fullmatch(value) is None:
            raise fail(attribute.name, value, expected)

    return check


def url(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An absolute http(s) URL without spaces."""
    if not isinstance(value, str) or _URL.fullmatch(value) is None:
        raise fail(attribute.name, value, "an absolute http(s) URL")


_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")


def tuple_of(check_item: Callable[[object], bool], expected: str, *, unique: bool = False) -> Validator:
    """A tuple whose items each pass *check_item*; optionally without duplicates."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise fail(attribute.name, value, f"a tuple of {expected}")
        problems = [
            Problem(f"{attribute.name}[{i}]", item, expected) for i, item in enumerate(value) if not check_item(item)
        ]
        if unique and not problems:
            seen: set[object] = set()
            for i, item in enumerate(value):
                if item in seen:
                    problems.append(Problem(f"{attribute.name}[{i}]", item, "no duplicates"))
                seen.add(item)
        if problems:
            raise ValidationError(problems, subject=f"field {attribute.name!r}")

    return check


def tuple_of_type(cls: type, expected: str, *, unique: bool = False) -> Validator:
    """A tuple of *cls* instances."""
    return tuple_of(lambda item: isinstance(item, cls), expected, unique=unique)


def tuple_of_text(expected: str = "non-empty strings", *, unique: bool = True) -> Validator:
    """A tuple of non-empty strings."""
    return tuple_of(_is_text, expected, unique=unique)


def countries(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of distinct ISO 3166-1 alpha-2 codes."""
    tuple_of(is_country, "ISO 3166-1 alpha-2 country codes", unique=True)(_, attribute, value)


def jurisdiction(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An ISO 3166-1 alpha-2 code or ``EU``."""
    if not is_jurisdiction(value):
        raise fail(attribute.name, value, "an ISO 3166-1 alpha-2 country code or 'EU'")


def nonnegative_int(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An int >= 0 (not a bool)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise fail(attribute.name, value, "a non-negative integer")


def problems_from(error: BiopipeError, path: str) -> list[Problem]:
    """The problems an error describes, rooted at *path*."""
    if isinstance(error, ValidationError):
        return [p.under(path) for p in error.problems]
    if isinstance(error, InvalidValue):
        return [Problem(path, error.value, error.expected)]
    return [Problem(path, None, str(error))]
