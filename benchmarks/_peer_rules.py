"""Checks the peer models (pydantic, msgspec) share: partial dates, fact dates, registry ids.

>>> from _peer_rules import date_bounds, fact_parts
>>> fact_parts("on or before 2025-12-14")
('2025-12-14', 'announced')
>>> date_bounds("2025-Q1")
(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from biopipe import Registry
from biopipe.model._geography import COUNTRIES

__all__ = ["COUNTRIES", "REGISTRY", "check_trial_dates", "date_bounds", "fact_parts", "iso_date_ok"]

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q([1-4])|-H([12]))?")
#: One regular expression for every registry id format.
REGISTRY = "|".join(f"(?:{r.pattern})" for r in Registry)


def date_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """(earliest, latest) day of a partial date, or None if it is not a calendar-valid one."""
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    year = int(m.group(1))
    if year < 1:
        return None
    if m.group(4):
        first, last = 3 * int(m.group(4)) - 2, 3 * int(m.group(4))
    elif m.group(5):
        first, last = 6 * int(m.group(5)) - 5, 6 * int(m.group(5))
    elif m.group(2):
        first = last = int(m.group(2))
        if not 1 <= first <= 12:
            return None
    else:
        first, last = 1, 12
    days = calendar.monthrange(year, last)[1]
    if m.group(3):
        day = int(m.group(3))
        if not 1 <= day <= days:
            return None
        return dt.date(year, first, day), dt.date(year, last, day)
    return dt.date(year, first, 1), dt.date(year, last, days)


def iso_date_ok(text: str) -> bool:
    """Whether *text* is a calendar-valid partial date (``2025``, ``2025-01``, ``2025-Q3``, ...)."""
    return date_bounds(text) is not None


def fact_parts(text: str) -> tuple[str, str] | None:
    """(date text, basis) of a fact date, or None when malformed."""
    basis = "actual"
    if text.startswith("on or before "):
        basis, text = "announced", text[len("on or before ") :]
    elif text.endswith(" (estimated)"):
        basis, text = "estimated", text[: -len(" (estimated)")]
    return (text, basis) if iso_date_ok(text) else None


def check_trial_dates(planned: bool, start: str | None, *ends: str | None) -> None:
    """Raise ValueError if an actual end precedes an actual start, or a planned trial has an actual start."""
    if start is None:
        return
    start_text, basis = fact_parts(start) or ("", "")
    if basis != "actual":
        return
    if planned:
        raise ValueError("no actual start date while the trial is planned")
    first = date_bounds(start_text)
    for end in ends:
        parts = fact_parts(end) if end is not None else None
        if parts is not None and parts[1] == "actual" and first is not None:
            bounds = date_bounds(parts[0])
            if bounds is not None and bounds[1] < first[0]:
                raise ValueError("an actual end not before the actual start")
