"""Who develops and sells an asset where: parties with roles and territories, and the deals between them."""

from __future__ import annotations

import datetime as dt

import attrs

from . import _validate as v
from ._dates import FactDate, PartialDate
from ._errors import Problem
from ._geography import EU_MEMBERS
from ._source import Source, public_on
from ._vocab import Vocabulary

__all__ = ["Deal", "DealKind", "Money", "Party", "PartyRole", "Territory"]

_CURRENCY = r"[A-Z]{3}"


class PartyRole(Vocabulary):
    """What an organisation does for an asset.

    - ``originator``: discovered or owns the asset.
    - ``licensor`` / ``licensee``: granted / took a licence to it (in a territory).
    - ``co_developer``: shares its development (and usually its costs).
    - ``co_commercializer``: shares its sales.

    >>> from biopipe import PartyRole
    >>> PartyRole.CO_DEVELOPER.label, PartyRole.LICENSEE.holds_rights
    ('co-developer', True)
    """

    ORIGINATOR = "originator"
    LICENSOR = "licensor"
    LICENSEE = "licensee"
    CO_DEVELOPER = "co_developer"
    CO_COMMERCIALIZER = "co_commercializer"

    @property
    def label(self) -> str:
        """``co-developer``, ``licensee``, ..."""
        return self.code.replace("_", "-")

    @property
    def holds_rights(self) -> bool:
        """Whether the role holds rights to the asset in its territory (a licensor has granted them away)."""
        return self is not PartyRole.LICENSOR


@attrs.frozen(kw_only=True)
class Territory:
    """Where rights run: listed jurisdictions, or worldwide with optional exceptions.

    Codes are ISO 3166-1 alpha-2 countries or ``EU`` (which covers its member states).

    >>> from biopipe import Territory
    >>> ex_china = Territory(worldwide=True, excluding=("CN", "HK", "MO"))
    >>> str(ex_china), ex_china.covers("US"), ex_china.covers("CN")
    ('worldwide except CN, HK, MO', True, False)
    >>> Territory(countries=("EU",)).covers("DE")
    True
    >>> Territory(countries=("US",), excluding=("CN",))
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in Territory:
      excluding: got ('CN',), expected no exceptions unless worldwide
    """

    worldwide: bool = attrs.field(default=False, validator=v.instance(bool, "a boolean"))
    countries: tuple[str, ...] = attrs.field(default=(), validator=v.jurisdictions)
    excluding: tuple[str, ...] = attrs.field(default=(), validator=v.jurisdictions)

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.worldwide and self.countries:
            problems.append(Problem("countries", self.countries, "no listed countries when worldwide"))
        if not self.worldwide and not self.countries:
            problems.append(Problem("countries", self.countries, "at least one country, or worldwide"))
        if self.excluding and not self.worldwide:
            problems.append(Problem("excluding", self.excluding, "no exceptions unless worldwide"))
        v.raise_problems(self, problems)

    def covers(self, country: str) -> bool:
        """Whether the territory includes *country* (a jurisdiction code; ``EU`` covers member states)."""
        if self.worldwide:
            return not _listed(self.excluding, country)
        return _listed(self.countries, country)

    def __str__(self) -> str:
        if self.worldwide:
            return "worldwide" + (" except " + ", ".join(self.excluding) if self.excluding else "")
        return ", ".join(self.countries)


def _listed(codes: tuple[str, ...], country: str) -> bool:
    return country in codes or ("EU" in codes and country in EU_MEMBERS)


WORLDWIDE = Territory(worldwide=True)


def _in_effect(start: PartialDate | None, end: PartialDate | None, day: dt.date) -> bool | None:
    """Whether a period [start, end) covers *day*: True, False, or None when a partial bound straddles it."""
    verdicts = []
    if start is not None:
        verdicts.append(True if start.latest <= day else False if start.earliest > day else None)
    if end is not None:
        verdicts.append(False if end.latest <= day else True if end.earliest > day else None)
    if False in verdicts:
        return False
    return None if None in verdicts else True


@attrs.frozen(kw_only=True)
class Party:
    """An organisation's role in an asset, where (territory) and when (start, end) it holds.

    >>> import biopipe
    >>> bms = biopipe.Party(name="Bristol Myers Squibb", role=biopipe.PartyRole.LICENSEE,
    ...                     territory=biopipe.Territory(worldwide=True, excluding=("CN",)),
    ...                     start=biopipe.PartialDate(2023, 12))
    >>> bms.holds_rights_in("US", "2024-06-01"), bms.holds_rights_in("CN", "2024-06-01")
    (True, False)
    >>> bms.holds_rights_in("US", "2023-12-15") is None  # the deal's day within December is not known
    True
    """

    name: str = attrs.field(validator=v.text)
    role: PartyRole = attrs.field(validator=v.instance(PartyRole, "a PartyRole"))
    territory: Territory = attrs.field(default=WORLDWIDE, validator=v.instance(Territory, "a Territory"))
    start: PartialDate | None = attrs.field(
        default=None, validator=v.optional(v.instance(PartialDate, "a PartialDate"))
    )
    end: PartialDate | None = attrs.field(default=None, validator=v.optional(v.instance(PartialDate, "a PartialDate")))
    disclosed: PartialDate | None = attrs.field(
        default=None, validator=v.optional(v.instance(PartialDate, "a PartialDate"))
    )
    note: str | None = attrs.field(default=None, validator=v.optional(v.text))
    sources: tuple[Source, ...] = attrs.field(default=(), validator=v.tuple_of_type(Source, "Source values"))

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end.latest < self.start.earliest:
            v.raise_problems(self, [Problem("end", self.end, f"an end on or after the start {self.start}")])

    @property
    def public_on(self) -> PartialDate | None:
        """When the party's role became public: ``disclosed``, else its earliest source's publication.

        >>> import biopipe
        >>> [str(p.public_on) for p in biopipe.example("patritumab_deruxtecan").parties if p.name == "Merck & Co."]
        ['2023-10-19', '2023-10-19']
        """
        return public_on(self.disclosed, self.sources)

    def holds_rights_in(self, country: str, day: dt.date | str) -> bool | None:
        """Whether the party holds rights in *country* on *day*: True, False, or None when a date straddles it."""
        when = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        if not self.role.holds_rights or not self.territory.covers(country.upper()):
            return False
        return _in_effect(self.start, self.end, when)


class DealKind(Vocabulary):
    """What a deal grants.

    >>> from biopipe import DealKind
    >>> DealKind.CO_DEVELOPMENT.label
    'co-development'
    """

    LICENSE = "license"
    CO_DEVELOPMENT = "co_development"
    COLLABORATION = "collaboration"
    OPTION = "option"
    ACQUISITION = "acquisition"

    @property
    def label(self) -> str:
        """``license``, ``co-development``, ..."""
        return self.code.replace("_", "-")


@attrs.frozen(kw_only=True)
class Money:
    """An amount in whole units of an ISO 4217 currency.

    >>> from biopipe import Money
    >>> str(Money(amount=4_000_000_000, currency="USD"))
    'USD 4,000,000,000'
    """

    amount: int = attrs.field(validator=v.nonnegative_int)
    currency: str = attrs.field(validator=v.pattern(_CURRENCY, "an ISO 4217 currency code such as 'USD'"))

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,}"


@attrs.frozen(kw_only=True)
class Deal:
    """A dated agreement between parties about an asset, with its amounts when disclosed.

    ``upfront`` is paid on signing; ``total`` is the potential value (upfront,
    milestones and other payments, not royalties), as the parties announce it.

    >>> import biopipe
    >>> deal = biopipe.Deal(kind=biopipe.DealKind.CO_DEVELOPMENT,
    ...                     date=biopipe.FactDate.parse("2023-10-19"),
    ...                     parties=("Daiichi Sankyo", "Merck & Co."),
    ...                     upfront=biopipe.Money(amount=4_000_000_000, currency="USD"),
    ...                     total=biopipe.Money(amount=22_000_000_000, currency="USD"))
    >>> str(deal)
    '2023-10-19 co-development: Daiichi Sankyo, Merck & Co. (upfront USD 4,000,000,000; up to USD 22,000,000,000)'
    """

    kind: DealKind = attrs.field(validator=v.instance(DealKind, "a DealKind"))
    date: FactDate = attrs.field(validator=v.instance(FactDate, "a FactDate"))
    parties: tuple[str, ...] = attrs.field(validator=v.tuple_of_text())
    territory: Territory | None = attrs.field(default=None, validator=v.optional(v.instance(Territory, "a Territory")))
    upfront: Money | None = attrs.field(default=None, validator=v.optional(v.instance(Money, "a Money")))
    total: Money | None = attrs.field(default=None, validator=v.optional(v.instance(Money, "a Money")))
    disclosed: PartialDate | None = attrs.field(
        default=None, validator=v.optional(v.instance(PartialDate, "a PartialDate"))
    )
    note: str | None = attrs.field(default=None, validator=v.optional(v.text))
    sources: tuple[Source, ...] = attrs.field(default=(), validator=v.tuple_of_type(Source, "Source values"))

    def __attrs_post_init__(self) -> None:
        problems = []
        if len(self.parties) < 2:
            problems.append(Problem("parties", self.parties, "at least two parties"))
        if (
            self.upfront is not None
            and self.total is not None
            and (self.upfront.currency != self.total.currency or self.upfront.amount > self.total.amount)
        ):
            problems.append(Problem("total", self.total, f"a total in {self.upfront.currency} of at least the upfront"))
        v.raise_problems(self, problems)

    @property
    def public_on(self) -> PartialDate | None:
        """When the deal became public: ``disclosed``, else its earliest source's publication.

        >>> import biopipe
        >>> str(biopipe.example("izalontamab_brengitecan").deals[0].public_on)
        '2023-12-11'
        """
        return public_on(self.disclosed, self.sources)

    def __str__(self) -> str:
        money = [f"upfront {self.upfront}"] if self.upfront else []
        money += [f"up to {self.total}"] if self.total else []
        tail = f" ({'; '.join(money)})" if money else ""
        return f"{self.date} {self.kind.label}: {', '.join(self.parties)}{tail}"
