"""The knowledge-time axis: which facts were public on a day (``known_on``), shared by every query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model._asset import normalize_term
from ._arguments import as_day

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from ..model._asset import Asset
    from ..model._dates import PartialDate

__all__ = ["as_known_on", "indication_key", "public_by", "same_indication"]


def as_known_on(value: dt.date | PartialDate | str | None) -> dt.date | None:
    """*value* read as a day by `as_day`, or None."""
    return None if value is None else as_day(value)


def public_by(public: PartialDate | None, known_on: dt.date | None) -> bool:
    """Whether a fact first made public on *public* was known by the end of *known_on*.

    No *known_on*: every fact counts. Otherwise the public date's last day must
    be on or before *known_on*: a partial date straddling it does not count, and
    a fact with no public date does not count either.
    """
    if known_on is None:
        return True
    return public is not None and public.latest <= known_on


def indication_key(asset: Asset, term: str) -> str:
    """One key per disease of *asset*: the normalised name of the record's indication *term* matches, else *term*'s."""
    for indication in asset.indications:
        if indication.matches(term):
            return normalize_term(indication.name)
    return normalize_term(term)


def same_indication(asset: Asset, names: Iterable[str], wanted: str) -> bool:
    """Whether any of *names* is the disease with key *wanted* (see `indication_key`)."""
    return any(indication_key(asset, n) == wanted for n in names)
