"""The exception hierarchy: every error biopipe raises on purpose is a `BiopipeError`."""

from __future__ import annotations

import functools
import reprlib
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "MISSING",
    "BiopipeError",
    "InvalidIdentifier",
    "InvalidPartialDate",
    "InvalidValue",
    "Problem",
    "UnknownCode",
    "ValidationError",
]


class _Missing:
    """The value of a `Problem` whose field was absent."""

    def __repr__(self) -> str:
        return "<missing>"


#: Stands for an absent value in a `Problem`.
MISSING = _Missing()


class BiopipeError(Exception):
    """Base class of every error biopipe raises on purpose.

    Catch this to handle any bad input in one place:

    >>> import biopipe
    >>> try:
    ...     biopipe.PartialDate.parse_iso("2025-13")
    ... except biopipe.BiopipeError as e:
    ...     print(type(e).__name__)
    InvalidPartialDate
    """


class InvalidValue(BiopipeError, ValueError):
    """A single value is malformed; the message shows the value and what was expected.

    >>> from biopipe import InvalidValue
    >>> e = InvalidValue("7", "a phase code")
    >>> str(e)
    "invalid value '7': expected a phase code"
    >>> e.value, e.expected
    ('7', 'a phase code')
    """

    def __init__(self, value: object, expected: str, *, detail: str | None = None) -> None:
        self.value = value
        self.expected = expected
        self.detail = detail
        msg = f"invalid value {value!r}: expected {expected}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)


class InvalidPartialDate(InvalidValue):
    """A partial date could not be parsed or names a day that does not exist.

    >>> from biopipe import PartialDate
    >>> PartialDate.parse_iso("2025-04-31")
    Traceback (most recent call last):
    ...
    biopipe.InvalidPartialDate: invalid value '2025-04-31': expected ... (day out of range for month: ... 30 days)
    """


class InvalidIdentifier(InvalidValue):
    """An identifier does not match its registry's format.

    >>> from biopipe import RegistryId
    >>> RegistryId.parse("NCT123")
    Traceback (most recent call last):
    ...
    biopipe.InvalidIdentifier: invalid value 'NCT123': expected a trial registry id: ...
    """


class UnknownCode(InvalidValue):
    """A vocabulary code is not one of the allowed codes; the message lists them.

    >>> from biopipe import Phase
    >>> Phase.from_code("phase7")
    Traceback (most recent call last):
    ...
    biopipe.UnknownCode: invalid value 'phase7': expected one of 'preclinical', 'early_phase1', ...
    """


@attrs.frozen
class Problem:
    """One problem found while validating: where, what was found, what was expected.

    ``path`` uses dotted attribute names and ``[i]`` indexes, relative to the
    document root (``assets[0].events[2].date``); an empty path is the root.

    >>> from biopipe import Problem
    >>> p = Problem("assets[0].code", "", "a non-empty string")
    >>> str(p)
    "assets[0].code: got '', expected a non-empty string"
    """

    path: str
    value: object
    expected: str

    def __str__(self) -> str:
        where = self.path or "(document)"
        return f"{where}: got {short_repr(self.value)}, expected {self.expected}"

    def under(self, prefix: str) -> Problem:
        """Return this problem with *prefix* prepended to its path.

        >>> Problem("date", "x", "a date").under("events[2]").path
        'events[2].date'
        """
        if not prefix:
            return self
        if not self.path:
            return Problem(prefix, self.value, self.expected)
        sep = "" if self.path.startswith("[") else "."
        return Problem(prefix + sep + self.path, self.value, self.expected)


class ValidationError(BiopipeError, ValueError):
    """One or more problems, each with its path, the bad value and the expectation.

    Loading a document raises one `ValidationError` that lists *every* problem
    found, rather than stopping at the first.

    >>> import biopipe
    >>> try:
    ...     biopipe.loads('{"format": "biopipe", "version": 1, "assets": [{"code": 1}]}')
    ... except biopipe.ValidationError as e:
    ...     for p in e.problems:
    ...         print(p.path)
    assets[0].code
    assets[0].sponsor
    assets[0].modality
    """

    def __init__(self, problems: Iterable[Problem], *, subject: str = "document") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.subject = subject
        lines = [f"{len(self.problems)} problem(s) in {subject}:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


def short_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to *limit* characters, without building the repr of a huge value first.

    Strings and bytes are cut before their repr is taken; containers show their
    first items (`reprlib`), so a 1 MiB string or a list of a million items
    costs as little as a short one.

    >>> short_repr("x" * 10**6)[-6:], len(short_repr("x" * 10**6))
    ('xxx...', 80)
    >>> short_repr(list(range(10**6)), 30)
    '[0, 1, 2, 3, 4, 5, 6, 7, 8,...'
    """
    if isinstance(value, (str, bytes, bytearray)):
        text = repr(value[:limit])
    elif isinstance(value, int) and value.bit_length() > 1000:
        text = f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"  # too long for repr to write
    else:
        text = _bounded_repr(limit).repr(value)
    if len(text) > limit:
        return text[: limit - 3] + "..."
    return text


@functools.cache
def _bounded_repr(limit: int) -> reprlib.Repr:
    bounded = reprlib.Repr()
    bounded.maxlevel = 6
    bounded.maxstring = bounded.maxother = bounded.maxlong = limit
    bounded.maxlist = bounded.maxtuple = bounded.maxdict = bounded.maxset = bounded.maxfrozenset = limit // 2
    return bounded
