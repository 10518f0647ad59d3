"""Partial-precision dates and how a dated fact's date is known."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Self

import attrs

from ._errors import InvalidPartialDate
from ._order import KeyOrdered
from ._validate import instance
from ._vocab import DateBasis, Vocabulary

if TYPE_CHECKING:
    from dateutil.parser import parserinfo

__all__ = ["FactDate", "PartialDate", "Precision"]


class Precision(KeyOrdered, Vocabulary):
    """How precisely a `PartialDate` is known, finest first.

    >>> from biopipe import PartialDate, Precision
    >>> PartialDate.parse("1H 2026").precision
    Precision.HALF
    >>> Precision.DAY < Precision.YEAR
    True
    """

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    def _order_key(self) -> int:
        return _PRECISIONS.index(self)


_PRECISIONS = tuple(Precision)

# ASCII digits only, as the JSON Schema says: ``\d`` and int() would also read "٢٠٢٥" as 2025.
_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?|-Q([0-9])|-H([0-9]))?")
_EXPECTED_ISO = "an ISO-style partial date: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Hn"
_EXPECTED_TEXT = (
    "a date such as '2025', '2025-01', '2025-01-14', 'January 2025', 'Dec 14, 2025', "
    "'14 December 2025', 'Q3 2025' or '1H 2026'"
)
_EXPECTED_VALID = "a calendar date written as YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Hn"


@functools.cache
def _months() -> parserinfo:
    """Dateutil's month names, imported on first prose parse (the parser module is slow to import)."""
    from dateutil.parser import parserinfo

    return parserinfo()


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: see calendar.isleap

_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@attrs.frozen(order=False, repr=False)
class PartialDate(KeyOrdered):
    """A calendar date known to day, month, quarter, half-year or year precision.

    A partial date denotes every day it covers: ``2025-01`` is the whole of
    January 2025, never the 1st. `earliest` and `latest` are those bounds.

    >>> from biopipe import PartialDate
    >>> d = PartialDate(2025, 1)
    >>> d, str(d), d.precision.code
    (PartialDate(2025, 1), '2025-01', 'month')
    >>> d.earliest, d.latest
    (datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))
    >>> PartialDate(2026, half=1).latest
    datetime.date(2026, 6, 30)

    Ordering is total: by `earliest` day, then by precision (finer first),
    which is the same as ordering by ``(earliest, latest)``.

    >>> sorted([PartialDate(2025), PartialDate(2025, 1, 1), PartialDate(2025, 1)])
    [PartialDate(2025, 1, 1), PartialDate(2025, 1), PartialDate(2025)]
    """

    year: int
    month: int | None = None
    day: int | None = None
    quarter: int | None = attrs.field(default=None, kw_only=True)
    half: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        y, m, d, q, h = self.year, self.month, self.day, self.quarter, self.half
        expected = "year 1-9999 with month 1-12 (and day), or quarter 1-4, or half 1-2"
        # type(...) is int first: the usual case, decided without a call (bool is not int).
        if (type(y) is not int and not _is_int(y)) or not 1 <= y <= 9999:
            raise InvalidPartialDate(y, "a year from 1 to 9999")
        for part in (m, d, q, h):
            if part is not None and type(part) is not int and not _is_int(part):
                raise InvalidPartialDate((y, m, d, q, h), expected, detail="parts must be integers")
        if q is not None:
            if m is not None or d is not None or h is not None or not 1 <= q <= 4:
                raise InvalidPartialDate(self._parts(), expected)
        elif h is not None:
            if m is not None or d is not None or not 1 <= h <= 2:
                raise InvalidPartialDate(self._parts(), expected)
        elif m is not None:
            if not 1 <= m <= 12:
                raise InvalidPartialDate(self._parts(), expected, detail="month out of range")
            if d is not None and not 1 <= d <= (_DAYS_IN_MONTH[m] if m != 2 else 29 if calendar.isleap(y) else 28):
                days = calendar.monthrange(y, m)[1]
                detail = f"day out of range for month: {y:04d}-{m:02d} has {days} days"
                raise InvalidPartialDate(self._parts(), expected, detail=detail)
        elif d is not None:
            raise InvalidPartialDate(self._parts(), expected, detail="a day needs a month")

    def _parts(self) -> str:
        return repr(self)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_date(cls, day: dt.date) -> Self:
        """The day-precision partial date of a `datetime.date`.

        >>> import datetime
        >>> PartialDate.from_date(datetime.date(2025, 12, 14))
        PartialDate(2025, 12, 14)
        """
        return cls(day.year, day.month, day.day)

    @classmethod
    def parse_iso(cls, text: str) -> Self:
        """Parse the ISO-style form that `format_iso` writes; the exact inverse.

        Accepts ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn`` and ``YYYY-Hn``.

        >>> PartialDate.parse_iso("2025-Q3")
        PartialDate(2025, quarter=3)
        >>> PartialDate.parse_iso("2025-13")
        Traceback (most recent call last):
        ...
        biopipe.InvalidPartialDate: invalid value '2025-13': expected a calendar date ... (month out of range)
        """
        if not isinstance(text, str):
            raise InvalidPartialDate(text, _EXPECTED_ISO)
        match = _ISO.fullmatch(text)
        if match is None:
            raise InvalidPartialDate(text, _EXPECTED_ISO)
        y, m, d, q, h = (None if g is None else int(g) for g in match.groups())
        assert y is not None
        try:
            return cls(y, m, d, quarter=q, half=h)
        except InvalidPartialDate as e:
            raise InvalidPartialDate(text, _EXPECTED_VALID, detail=e.detail) from None

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ISO-style text or the prose that press releases use.

        Precision is never invented: ``January 2025`` is a month, ``2025`` a year.

        >>> PartialDate.parse("January 2025")
        PartialDate(2025, 1)
        >>> PartialDate.parse("Dec 14, 2025")
        PartialDate(2025, 12, 14)
        >>> PartialDate.parse("1H 2026"), PartialDate.parse("third quarter of 2025")
        (PartialDate(2026, half=1), PartialDate(2025, quarter=3))
        >>> PartialDate.parse("in the near term")
        Traceback (most recent call last):
        ...
        biopipe.InvalidPartialDate: invalid value 'in the near term': expected a date such as ...
        """
        if not isinstance(text, str):
            raise InvalidPartialDate(text, _EXPECTED_TEXT)
        cleaned = " ".join(text.replace(",", " ").split()).strip()
        if _ISO.fullmatch(cleaned):
            return cls.parse_iso(cleaned)
        words = cleaned.lower().replace(".", "").split(" ")
        try:
            result = cls._parse_words(words)
        except InvalidPartialDate as e:
            raise InvalidPartialDate(text, _EXPECTED_TEXT, detail=e.detail) from None
        if result is None:
            raise InvalidPartialDate(text, _EXPECTED_TEXT)
        return result

    @classmethod
    def _parse_words(cls, words: list[str]) -> Self | None:
        if words and words[0] == "in":
            words = words[1:]
        if words and words[0] == "the":
            words = words[1:]
        if not words or not _YEAR.fullmatch(words[-1]):
            return None
        year = int(words[-1])
        head = words[:-1]
        if head and head[-1] == "of":
            head = head[:-1]
        if not head:
            return cls(year)
        if len(head) == 1:
            word = head[0]
            month = _months().month(word) if len(word) >= 3 else None
            if month is not None:
                return cls(year, month)
            if m := _HALF.fullmatch(word):
                return cls(year, half=int(m.group(1) or m.group(2)))
            if m := _QUARTER.fullmatch(word):
                return cls(year, quarter=int(m.group(1) or m.group(2)))
            return None
        if len(head) == 2:
            first, second = head
            if second in ("half", "quarter") and first in _ORDINALS:
                n = _ORDINALS[first]
                if second == "half":
                    return cls(year, half=n) if n <= 2 else None
                return cls(year, quarter=n)
            month_first = _months().month(first) if len(first) >= 3 else None
            if month_first is not None and (day := _DAY.fullmatch(second)):
                return cls(year, month_first, int(day.group(1)))
            month_second = _months().month(second) if len(second) >= 3 else None
            if month_second is not None and (day := _DAY.fullmatch(first)):
                return cls(year, month_second, int(day.group(1)))
        return None

    # -- views ----------------------------------------------------------------------------

    @property
    def precision(self) -> Precision:
        """The precision this date is known to."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        if self.quarter is not None:
            return Precision.QUARTER
        if self.half is not None:
            return Precision.HALF
        return Precision.YEAR

    @property
    def _month_span(self) -> tuple[int, int]:
        if self.month is not None:
            return self.month, self.month
        if self.quarter is not None:
            return 3 * self.quarter - 2, 3 * self.quarter
        if self.half is not None:
            return 6 * self.half - 5, 6 * self.half
        return 1, 12

    @property
    def earliest(self) -> dt.date:
        """The first calendar day this date covers."""
        first, _ = self._month_span
        return dt.date(self.year, first, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last calendar day this date covers."""
        _, last = self._month_span
        if self.day is not None:
            return dt.date(self.year, last, self.day)
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    def contains(self, day: dt.date) -> bool:
        """Whether *day* falls within this date.

        >>> import datetime
        >>> PartialDate(2025, 12).contains(datetime.date(2025, 12, 10))
        True
        """
        return self.earliest <= day <= self.latest

    def format_iso(self) -> str:
        """The ISO-style text form; `parse_iso` is its exact inverse.

        >>> PartialDate(2026, half=2).format_iso()
        '2026-H2'
        """
        y = f"{self.year:04d}"
        if self.day is not None:
            return f"{y}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{y}-{self.month:02d}"
        if self.quarter is not None:
            return f"{y}-Q{self.quarter}"
        if self.half is not None:
            return f"{y}-H{self.half}"
        return y

    def __str__(self) -> str:
        return self.format_iso()

    def __repr__(self) -> str:
        if self.quarter is not None:
            return f"PartialDate({self.year}, quarter={self.quarter})"
        if self.half is not None:
            return f"PartialDate({self.year}, half={self.half})"
        parts = [str(p) for p in (self.year, self.month, self.day) if p is not None]
        return f"PartialDate({', '.join(parts)})"

    # -- ordering -------------------------------------------------------------------------

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        """``(earliest, latest)``: the key of the documented total order."""
        return self.earliest, self.latest

    def _order_key(self) -> tuple[dt.date, dt.date]:
        return self.sort_key


_YEAR = re.compile(r"[0-9]{4}")
_DAY = re.compile(r"([0-9]{1,2})(st|nd|rd|th)?")
_HALF = re.compile(r"([12])h|h([12])")
_QUARTER = re.compile(r"([1-4])q|q([1-4])")
_ANNOUNCED_PREFIX = "on or before "
_ESTIMATED_SUFFIX = " (estimated)"
_EXPECTED_FACT = "a dated fact such as '2025-01', 'on or before 2025-12-14' or '2026-H1 (estimated)'"


@attrs.frozen(repr=False)
class FactDate:
    """The date of a fact together with how it is known (`DateBasis`).

    On the wire it is the text `str` writes, which `parse` reads back.

    >>> from biopipe import DateBasis, FactDate, PartialDate
    >>> fda = FactDate(PartialDate(2025, 12, 14), DateBasis.ANNOUNCED)
    >>> str(fda)
    'on or before 2025-12-14'
    >>> fda.earliest is None, fda.latest
    (True, datetime.date(2025, 12, 14))
    >>> FactDate.parse("2026-H1 (estimated)")
    FactDate(PartialDate(2026, half=1), DateBasis.ESTIMATED)

    An announced date bounds the fact from above only: it happened on or before
    the announcement, so `earliest` is unknown (None).
    """

    date: PartialDate = attrs.field(validator=instance(PartialDate, "a PartialDate"))
    basis: DateBasis = attrs.field(default=DateBasis.ACTUAL, validator=instance(DateBasis, "a DateBasis"))

    @property
    def earliest(self) -> dt.date | None:
        """First day the fact may have happened on; None when unbounded (announced)."""
        if self.basis is DateBasis.ANNOUNCED:
            return None
        return self.date.earliest

    @property
    def latest(self) -> dt.date:
        """Last day the fact may have happened on (or is planned for)."""
        return self.date.latest

    @property
    def is_planned(self) -> bool:
        """Whether this is an estimate or plan rather than an observed fact."""
        return self.basis is DateBasis.ESTIMATED

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse the form `str` writes; its exact inverse.

        >>> FactDate.parse("on or before 2025-12-14").basis
        DateBasis.ANNOUNCED
        """
        if not isinstance(text, str):
            raise InvalidPartialDate(text, _EXPECTED_FACT)
        basis, body = DateBasis.ACTUAL, text
        if body.startswith(_ANNOUNCED_PREFIX):
            basis, body = DateBasis.ANNOUNCED, body[len(_ANNOUNCED_PREFIX) :]
        elif body.endswith(_ESTIMATED_SUFFIX):
            basis, body = DateBasis.ESTIMATED, body[: -len(_ESTIMATED_SUFFIX)]
        try:
            return cls(PartialDate.parse_iso(body), basis)
        except InvalidPartialDate as e:
            raise InvalidPartialDate(text, _EXPECTED_FACT, detail=e.detail) from None

    def __str__(self) -> str:
        if self.basis is DateBasis.ANNOUNCED:
            return f"{_ANNOUNCED_PREFIX}{self.date}"
        if self.basis is DateBasis.ESTIMATED:
            return f"{self.date}{_ESTIMATED_SUFFIX}"
        return str(self.date)

    def __repr__(self) -> str:
        if self.basis is DateBasis.ACTUAL:
            return f"FactDate({self.date!r})"
        return f"FactDate({self.date!r}, {self.basis!r})"
