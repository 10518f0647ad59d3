"""Provenance: where a fact comes from."""

from __future__ import annotations

import attrs

from . import _validate as v
from ._dates import PartialDate

__all__ = ["Source"]


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
