"""Who holds the rights to an asset in a country on a day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model import _validate as v
from ..model._geography import as_jurisdiction
from ..model._parties import Party
from ..model._source import public_on
from ._arguments import as_day, unchecked
from ._known import as_known_on, public_by

if TYPE_CHECKING:
    from ..model._asset import Asset
    from ..model._dates import PartialDate

__all__ = ["RightsAnswer", "rights_holders"]


def _party_line(party: Party) -> str:
    when = []
    if party.start is not None:
        when.append(f"from {party.start}")
    if party.end is not None:
        when.append(f"until {party.end}")
    tail = f", {' '.join(when)}" if when else ""
    return f"{party.name} ({party.role.label}, {party.territory}{tail})"


@attrs.frozen(kw_only=True)
class RightsAnswer(Result):
    """The answer to "who holds the rights to the asset in country C on day D (as known on K)?".

    ``holders`` certainly hold rights then (a role that holds rights, a
    territory covering C, a period covering D); ``possible`` may: a partial
    start or end date straddles D. The answer is `certain` when nothing is only
    possible. ``unpublished`` counts the parties left out under ``known_on``
    because their publication date is unknown.

    >>> import biopipe
    >>> from biopipe.query import rights_holders
    >>> answer = rights_holders(biopipe.example("js212"), "US", "2025-12-15")
    >>> [p.name for p in answer.holders], answer.certain
    (['Junshi Biosciences'], True)
    >>> print(answer)
    JS212 in US on 2025-12-15: Junshi Biosciences (originator, worldwide)
    """

    document_name: ClassVar[str] = "rights"
    document_properties: ClassVar[tuple[str, ...]] = ("certain",)

    asset: str = attrs.field(validator=v.text)
    country: str = attrs.field(validator=v.text)
    as_of: dt.date = attrs.field(validator=v.instance(dt.date, "a datetime.date"))
    holders: tuple[Party, ...] = attrs.field(default=(), validator=v.tuple_of_type(Party, "Party values"))
    possible: tuple[Party, ...] = attrs.field(default=(), validator=v.tuple_of_type(Party, "Party values"))
    known_on: dt.date | None = attrs.field(default=None, validator=v.optional(v.instance(dt.date, "a datetime.date")))
    unpublished: int = attrs.field(default=0, validator=v.nonnegative_int)

    @property
    def certain(self) -> bool:
        """Whether every party's rights on the day are known (no partial date straddles it)."""
        return not self.possible

    def __str__(self) -> str:
        when = self.as_of.isoformat() + (f" (known on {self.known_on.isoformat()})" if self.known_on else "")
        head = f"{self.asset} in {self.country} on {when}: "
        body = "; ".join(_party_line(p) for p in self.holders) or "no party on record holds rights"
        if self.possible:
            body += "; possibly " + "; ".join(_party_line(p) for p in self.possible)
        return head + body

    def _text(self) -> str:
        lines = [str(self)]
        if self.unpublished:
            lines.append(f"  left out: {self.unpublished} party record(s) with no known publication date")
        return "\n".join(map(display_text, lines))

    def _markdown(self) -> str:
        lines = [
            "| Asset | Country | On | Party | Role | Territory | Certain |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for party, sure in [*((p, "yes") for p in self.holders), *((p, "no") for p in self.possible)]:
            cells = (
                self.asset,
                self.country,
                self.as_of.isoformat(),
                party.name,
                party.role.label,
                str(party.territory),
            )
            lines.append("| " + " | ".join(markdown_cell(c) for c in (*cells, sure)) + " |")
        return "\n".join(lines)


def rights_holders(
    asset: Asset,
    country: str,
    as_of: dt.date | PartialDate | str,
    *,
    known_on: dt.date | PartialDate | str | None = None,
) -> RightsAnswer:
    """The parties that hold rights to *asset* in *country* on *as_of*, from its `Party` records.

    A party holds rights when its role does (`PartyRole.holds_rights`: not a
    licensor), its territory covers *country* (``EU`` covers its members) and
    its period ``[start, end)`` covers the day (`Party.holds_rights_in`); a
    partial start or end straddling the day makes it only ``possible``. The
    sponsor is not presumed to hold anything: record it as a party.
    *known_on* keeps the parties public by then (``disclosed``, else the
    earliest source's publication).

    >>> import attrs, biopipe
    >>> from biopipe.query import rights_holders
    >>> js212 = biopipe.example("js212")
    >>> licensee = biopipe.Party(name="Acme Pharma", role=biopipe.PartyRole.LICENSEE,
    ...     territory=biopipe.Territory(worldwide=True, excluding=("CN", "HK", "MO")),
    ...     start=biopipe.PartialDate(2026, 3), disclosed=biopipe.PartialDate(2026, 3, 2))
    >>> originator = attrs.evolve(js212.parties[0], territory=biopipe.Territory(countries=("CN", "HK", "MO")))
    >>> deal = attrs.evolve(js212, parties=(originator, licensee))
    >>> march = rights_holders(deal, "US", "2026-03-15")
    >>> march.holders, [p.name for p in march.possible], march.certain
    ((), ['Acme Pharma'], False)
    >>> [p.name for p in rights_holders(deal, "US", "2026-04-01").holders]
    ['Acme Pharma']
    >>> [p.name for p in rights_holders(deal, "CN", "2026-04-01").holders]
    ['Junshi Biosciences']
    >>> rights_holders(deal, "US", "2026-04-01", known_on="2026-03-01").holders
    ()
    """
    day = as_day(as_of)
    known = as_known_on(known_on)
    place = as_jurisdiction(country)
    holders: list[Party] = []
    possible: list[Party] = []
    unpublished = 0
    for party in asset.parties:
        public = public_on(party.disclosed, party.sources)
        if not public_by(public, known):
            unpublished += public is None
            continue
        verdict = party.holds_rights_in(place, day)
        if verdict is True:
            holders.append(party)
        elif verdict is None:
            possible.append(party)
    return unchecked(
        RightsAnswer,
        asset=asset.code,
        country=place,
        as_of=day,
        holders=tuple(holders),
        possible=tuple(possible),
        known_on=known,
        unpublished=unpublished,
    )
