"""Which countries a jurisdiction covers, and turning query arguments into checked values."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

import attrs
from attrs import AttrsInstance

from ._asset import Asset, Portfolio
from ._countries import JURISDICTIONS
from ._dates import PartialDate
from ._errors import InvalidPartialDate, UnknownCode

if TYPE_CHECKING:
    from collections.abc import Iterable
from typing import Any, TypeVar

__all__ = ["EU_MEMBERS", "as_assets", "as_day", "as_jurisdiction", "covers", "unchecked"]

T = TypeVar("T", bound=AttrsInstance)

#: The 27 member states of the European Union, whose trials EU authorisations cover.
EU_MEMBERS = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


def covers(jurisdiction: str, country: str) -> bool:
    """Whether a trial site in *country* lies in *jurisdiction* (``EU`` covers its member states)."""
    return country == jurisdiction or (jurisdiction == "EU" and country in EU_MEMBERS)


def as_jurisdiction(code: str) -> str:
    """*code* upper-cased, checked to be an ISO 3166-1 alpha-2 code or ``EU``."""
    folded = code.upper()
    if folded not in JURISDICTIONS:
        raise UnknownCode(code, "a jurisdiction: an ISO 3166-1 alpha-2 country code such as 'US' or 'CN', or 'EU'")
    return folded


def as_day(value: dt.date | PartialDate | str) -> dt.date:
    """A calendar day from a `datetime.date`, a day-precision `PartialDate` or ``YYYY-MM-DD`` text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    date = PartialDate.parse(value) if isinstance(value, str) else value
    if date.day is None:
        raise InvalidPartialDate(value, "a calendar day such as '2025-12-15'")
    return date.earliest


def as_assets(assets: Asset | Portfolio | Iterable[Asset]) -> tuple[Asset, ...]:
    """The assets of an asset, a portfolio or an iterable of assets."""
    if isinstance(assets, Asset):
        return (assets,)
    if isinstance(assets, Portfolio):
        return assets.assets
    return tuple(assets)


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
