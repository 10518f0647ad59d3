"""Provenance: where a fact comes from."""

from __future__ import annotations

import attrs

from . import _validate as v
from ._dates import PartialDate

__all__ = ["Source", "public_on"]


@attrs.frozen(kw_only=True)
class Source:
    """A publication a fact is taken from. Intelligence without provenance is rumour.

    >>> from biopipe import PartialDate, Source
    >>> src = Source(title="JS212 gains FDA IND clearance", publisher="Junshi Biosciences",
    ...              published=PartialDate(2025, 12, 15))
    >>> src.published
    PartialDate(2025, 12, 15)
    """

    title: str = attrs.field(validator=v.text)
    publisher: str | None = attrs.field(default=None, validator=v.optional(v.text))
    url: str | None = attrs.field(default=None, validator=v.optional(v.url))
    published: PartialDate | None = attrs.field(
        default=None, validator=v.optional(v.instance(PartialDate, "a PartialDate"))
    )


def public_on(disclosed: PartialDate | None, sources: tuple[Source, ...]) -> PartialDate | None:
    """When a fact became public: *disclosed* when given, else its earliest-published source's date.

    None when neither is known. "Earliest" compares first possible days (the
    earliest source could have made the fact public).

    >>> from biopipe import PartialDate, Source
    >>> from biopipe.model import public_on
    >>> a = Source(title="A", published=PartialDate(2025, 12, 15))
    >>> b = Source(title="B", published=PartialDate(2025, 12))
    >>> public_on(None, (a, b)), public_on(PartialDate(2025, 11, 2), (a,))
    (PartialDate(2025, 12), PartialDate(2025, 11, 2))
    """
    if disclosed is not None:
        return disclosed
    dates = [s.published for s in sources if s.published is not None]
    return min(dates, key=lambda d: (d.earliest, d.latest)) if dates else None
