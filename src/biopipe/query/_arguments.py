"""What queries share: reading their arguments (assets, days) and building their results."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs
from attrs import AttrsInstance

from ..model._asset import Asset, Portfolio
from ..model._dates import PartialDate
from ..model._errors import InvalidPartialDate, InvalidValue

__all__ = ["as_assets", "as_day", "unchecked"]

T = TypeVar("T", bound=AttrsInstance)


def as_day(value: dt.date | PartialDate | str) -> dt.date:
    """A calendar day from a `datetime.date`, a day-precision `PartialDate`, or text naming a day.

    Every ``as_of`` of biopipe reads its argument with this function, so all
    accept the same days and refuse a month with the same message.

    >>> from biopipe.query import as_day
    >>> as_day("2025-12-15"), as_day("December 15, 2025")
    (datetime.date(2025, 12, 15), datetime.date(2025, 12, 15))
    >>> as_day("2025-12")
    Traceback (most recent call last):
    ...
    biopipe.InvalidPartialDate: invalid value '2025-12': expected a calendar day such as '2025-12-15'
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    date = PartialDate.parse(value) if isinstance(value, str) else value
    if date.day is None:
        raise InvalidPartialDate(value, "a calendar day such as '2025-12-15'")
    return date.earliest


def as_assets(assets: object) -> tuple[Asset, ...]:
    """The assets of an asset, a portfolio or an iterable of assets; anything else is an `InvalidValue`."""
    if isinstance(assets, Asset):
        return (assets,)
    if isinstance(assets, Portfolio):
        return assets.assets
    if isinstance(assets, Iterable) and not isinstance(assets, str | bytes):
        found = tuple(assets)
        if all(isinstance(a, Asset) for a in found):
            return found
    raise InvalidValue(assets, "an Asset or Portfolio (or an iterable of assets)")


def unchecked(cls: type[T], **fields: Any) -> T:
    """An instance of the frozen attrs class *cls* built without running its validators.

    Only for query results derived from already-validated model objects, where
    validating again would cost most of the query's time. ``attrs.evolve`` on the
    result validates as usual (the tests do this to prove the results valid).
    """
    instance = object.__new__(cls)
    for name, default in _plain_defaults(cls):
        value = fields.get(name, default)
        if value is attrs.NOTHING:
            raise TypeError(f"{cls.__name__}.{name} needs a value")
        object.__setattr__(instance, name, value)
    return instance


@functools.cache
def _plain_defaults(cls: type[AttrsInstance]) -> tuple[tuple[str, object], ...]:
    spec = tuple((f.name, f.default) for f in attrs.fields(cls))
    if any(hasattr(default, "factory") for _, default in spec):
        raise TypeError(f"{cls.__name__} has factory defaults, which unchecked() does not fill in")
    return spec
