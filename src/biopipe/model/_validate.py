"""Reusable attrs validators that raise `ValidationError` naming the field.

Each validator reports one `Problem` whose path is the attribute name; the
loader prefixes it with the path of the object being built. Every validator also
carries the JSON Schema fragment it enforces, so `biopipe.document.json_schema` is derived
from the very checks the model runs and cannot drift from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from ._errors import BiopipeError, InvalidValue, Problem, ValidationError
from ._geography import COUNTRIES, JURISDICTIONS

#: A JSON Schema fragment.
Schema = dict[str, Any]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

#: The longest string (in characters) any field may hold: 1 MiB of free text. Construction, loading and the
#: JSON Schema all enforce it, so every valid object can be written and read back.
MAX_STRING = 1 << 20


def fail(name: str, value: object, expected: str) -> ValidationError:
    """A one-problem `ValidationError` at attribute *name*."""
    return ValidationError([Problem(name, value, _expected(value, expected))], subject=f"field {name!r}")


def _expected(value: object, expected: str) -> str:
    """*expected*, or the length limit when that is what *value* breaks."""
    if isinstance(value, str) and len(value) > MAX_STRING:
        return f"{expected} of at most {MAX_STRING} characters"
    return expected


def raise_problems(obj: object, problems: Iterable[Problem]) -> None:
    """Raise one `ValidationError` for *problems* if there are any."""
    found = tuple(problems)
    if found:
        raise ValidationError(found, subject=type(obj).__name__)


@attrs.frozen
class Check:
    """A predicate on one value, what it expects in words, and its JSON Schema."""

    ok: Callable[[object], bool]
    expected: str
    schema: Schema = attrs.field(factory=dict)

    def __call__(self, _: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not self.ok(value):
            raise fail(attribute.name, value, self.expected)


@attrs.frozen
class Optional:
    """None, or a value *inner* accepts."""

    inner: Check | TupleOf

    @property
    def schema(self) -> Schema:
        return self.inner.schema

    def __call__(self, obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            inner = self.inner
            # One call level less for the common case: validators run on every construction.
            if type(inner) is Check:
                if not inner.ok(value):
                    raise fail(attribute.name, value, inner.expected)
            else:
                inner(obj, attribute, value)


@attrs.frozen
class TupleOf:
    """A tuple whose items each pass *item*; optionally without duplicates."""

    item: Check
    unique: bool = False

    @property
    def schema(self) -> Schema:
        schema: Schema = {"type": "array", "items": self.item.schema}
        if self.unique:
            schema["uniqueItems"] = True
        return schema

    def __call__(self, _: object, attribute: attrs.Attribute[Any], value: object) -> None:
        name = attribute.name
        if not isinstance(value, tuple):
            raise fail(name, value, f"a tuple of {self.item.expected}")
        ok = self.item.ok
        if all(map(ok, value)) and (not self.unique or len(set(value)) == len(value)):
            return
        problems = [
            Problem(f"{name}[{i}]", item, _expected(item, self.item.expected))
            for i, item in enumerate(value)
            if not ok(item)
        ]
        if self.unique and not problems and len(set(value)) != len(value):
            seen: set[object] = set()
            for i, item in enumerate(value):
                if item in seen:
                    problems.append(Problem(f"{name}[{i}]", item, "no duplicates"))
                seen.add(item)
        if problems:
            raise ValidationError(problems, subject=f"field {name!r}")


def optional(inner: Check | TupleOf) -> Optional:
    """None, or a value *inner* accepts."""
    return Optional(inner)


def instance(cls: type | tuple[type, ...], expected: str) -> Check:
    """The value is an instance of *cls* (a bool is never accepted as an int)."""
    if cls is bool:
        return Check(lambda value: isinstance(value, bool), expected)
    if isinstance(cls, type) and not issubclass(int, cls) and not issubclass(cls, int):
        # No bool can be an instance: the type's own check (a C call) is the whole test.
        return Check(cls.__instancecheck__, expected)
    return Check(lambda value: isinstance(value, cls) and not isinstance(value, bool), expected)


#: A UTF-16 surrogate on its own: Python strings may hold one, but no UTF-8 or JSON encoder can write it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(value: str) -> bool:
    """*value* is at most `MAX_STRING` long and holds only Unicode scalar values (so it can be written as UTF-8)."""
    return len(value) <= MAX_STRING and (value.isascii() or _SURROGATE.search(value) is None)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not value.isspace() and value != "" and _unicode(value)


#: The characters `str.isspace` counts as white space, as the body of a regex character class. Spelt
#: out rather than ``\s`` so that a JSON Schema pattern means the same in every dialect: ECMA-262's
#: ``\s`` and Python's differ (U+001C-U+001F, U+0085, U+FEFF).
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


#: A string with at least one non-space character.
text = Check(_is_text, "a non-empty string", {"type": "string", "pattern": f"[^{WHITESPACE}]", "maxLength": MAX_STRING})

#: Any string (free text, may be empty).
string = Check(
    lambda value: isinstance(value, str) and _unicode(value), "a string", {"type": "string", "maxLength": MAX_STRING}
)


#: Every regular expression the model matches text with, by name: a test checks each runs in linear time.
PATTERNS: dict[str, re.Pattern[str]] = {}


def anchored(regex: str) -> str:
    r"""*regex* as a JSON Schema ``pattern`` matching whole strings, alike in ECMA-262 and Python.

    ``$`` alone would let Python accept a final newline; ``(?!\n)`` after it rules that out in both.

    >>> import re
    >>> anchored("[0-9]+")
    '^(?:[0-9]+)$(?!\\n)'
    >>> bool(re.search(anchored("[0-9]+"), "12")), bool(re.search(anchored("[0-9]+"), "12\n"))
    (True, False)
    """
    return f"^(?:{regex})$(?!\\n)"


def pattern(regex: str, expected: str) -> Check:
    """A string matching *regex* in full.

    Every *regex* must match in linear time: no two adjacent quantified parts that can match the
    same character (``[a-z]+[a-z0-9]*`` backtracks quadratically on a long string that fails at its end).
    """
    compiled = PATTERNS[expected] = re.compile(regex)
    return Check(
        lambda value: isinstance(value, str) and compiled.fullmatch(value) is not None and _unicode(value),
        expected,
        {"type": "string", "pattern": anchored(regex), "maxLength": MAX_STRING},
    )


#: An absolute http(s) URL without white space. The host part stops at the first ``/``, ``?`` or ``#``,
#: and what follows starts with one of them, so the two parts never compete for a character (linear time).
url = pattern(
    rf"https?://[^{WHITESPACE}/?#]+(?:[/?#][^{WHITESPACE}]*)?",
    "an absolute http(s) URL",
)


def tuple_of_type(cls: type, expected: str, *, unique: bool = False) -> TupleOf:
    """A tuple of *cls* instances."""
    return TupleOf(instance(cls, expected), unique)


def tuple_of_text(expected: str = "non-empty strings", *, unique: bool = True) -> TupleOf:
    """A tuple of non-empty strings."""
    return TupleOf(Check(_is_text, expected, text.schema), unique)


#: A tuple of distinct ISO 3166-1 alpha-2 country codes.
countries = TupleOf(
    Check(lambda value: value in COUNTRIES if isinstance(value, str) else False,
          "ISO 3166-1 alpha-2 country codes", {"enum": sorted(COUNTRIES)}),
    unique=True,
)  # fmt: skip

#: An ISO 3166-1 alpha-2 code or ``EU``.
jurisdiction = Check(
    lambda value: value in JURISDICTIONS if isinstance(value, str) else False,
    "an ISO 3166-1 alpha-2 country code or 'EU'",
    {"enum": sorted(JURISDICTIONS)},
)

#: A tuple of distinct jurisdiction codes (ISO 3166-1 alpha-2 or ``EU``).
jurisdictions = TupleOf(jurisdiction, unique=True)

#: An int >= 0 (not a bool).
nonnegative_int = Check(
    lambda value: isinstance(value, int) and not isinstance(value, bool) and value >= 0,
    "a non-negative integer",
    {"type": "integer", "minimum": 0},
)


def problems_from(error: BiopipeError, path: str) -> list[Problem]:
    """The problems an error describes, rooted at *path*."""
    if isinstance(error, ValidationError):
        return [p.under(path) for p in error.problems]
    if isinstance(error, InvalidValue):
        detail = f" ({error.detail})" if error.detail else ""
        return [Problem(path, error.value, error.expected + detail)]
    return [Problem(path, None, str(error))]
