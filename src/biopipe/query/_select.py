"""Portfolio questions: composable predicates over assets, applied in one pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from ..model._asset import Asset
from ..model._geography import as_jurisdiction
from ..model._parties import PartyRole
from ..model._vocab import Modality, Phase
from ._arguments import as_assets, as_day
from ._known import as_known_on
from ._phase import PhasePolicy, highest_phase
from ._state import RegulatoryState, state_as_of

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from ..model._asset import Portfolio
    from ..model._dates import PartialDate

__all__ = [
    "Query",
    "has_modality",
    "has_party",
    "has_target",
    "in_state",
    "phase_at_least",
    "select",
    "sponsored_by",
]


@attrs.frozen
class Query:
    """A yes/no question about one asset; combine with ``&``, ``|`` and ``~``.

    Call it on an asset, or pass it to `select`. ``description`` says what it
    asks, for messages and reprs.

    >>> import biopipe
    >>> q = biopipe.query.has_target("HER3") & ~biopipe.query.has_modality("small_molecule")
    >>> q.description
    "(target 'HER3' and not modality 'small_molecule')"
    >>> q(biopipe.example("js212"))
    True
    """

    test: Callable[[Asset], bool] = attrs.field(repr=False)
    description: str

    def __call__(self, asset: Asset) -> bool:
        return self.test(asset)

    def __and__(self, other: Query) -> Query:
        a, b = self.test, other.test
        return Query(lambda x: a(x) and b(x), f"({self.description} and {other.description})")

    def __or__(self, other: Query) -> Query:
        a, b = self.test, other.test
        return Query(lambda x: a(x) or b(x), f"({self.description} or {other.description})")

    def __invert__(self) -> Query:
        a = self.test
        return Query(lambda x: not a(x), f"not {self.description}")


def select(assets: Asset | Portfolio | Iterable[Asset], *queries: Query) -> tuple[Asset, ...]:
    """The assets for which every query holds, in input order (one pass: O(n) queries).

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> from biopipe.query import has_target, phase_at_least, select, sponsored_by
    >>> found = select([js212], has_target("her3"), sponsored_by("junshi biosciences"))
    >>> [a.code for a in found]
    ['JS212']
    >>> select([js212], phase_at_least("phase2"))
    ()
    """
    return tuple(a for a in as_assets(assets) if all(q.test(a) for q in queries))


def has_target(name: str) -> Query:
    """Assets with a target named *name*: its symbol, a record alias, or an HGNC previous symbol or alias of it.

    Case-insensitive; HER3 finds ERBB3 whether or not the record lists HER3 (see `biopipe.Target.matches`).

    >>> import biopipe
    >>> from biopipe.query import has_target
    >>> has_target("HER3")(biopipe.example("js212")), has_target("HER2")(biopipe.example("js212"))
    (True, False)
    """
    return Query(lambda a: any(t.matches(name) for t in a.targets), f"target {name!r}")


def has_modality(*modalities: Modality | str) -> Query:
    """Assets of any of *modalities* (members or wire codes; unknown codes raise `UnknownCode`).

    >>> import biopipe
    >>> biopipe.query.has_modality("bispecific_adc", biopipe.Modality.ADC)(biopipe.example("js212"))
    True
    """
    wanted = frozenset(m if isinstance(m, Modality) else Modality.from_code(m) for m in modalities)
    names = " or ".join(repr(m.code) for m in sorted(wanted, key=list(Modality).index))
    return Query(lambda a: a.modality in wanted, f"modality {names}")


def sponsored_by(name: str) -> Query:
    """Assets whose sponsor, or any party on record (originator, licensee, co-developer...), is *name*.

    Whole name, case-insensitive. A partner is found as the sponsor is: a
    partnered asset is the partner's asset too. `has_party` narrows by role.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> biopipe.query.sponsored_by("JUNSHI BIOSCIENCES")(js212), biopipe.query.sponsored_by("Junshi")(js212)
    (True, False)
    """
    folded = name.casefold()
    return Query(
        lambda a: a.sponsor.casefold() == folded or any(p.name.casefold() == folded for p in a.parties),
        f"sponsor {name!r}",
    )


def has_party(name: str, role: PartyRole | str | None = None) -> Query:
    """Assets with a party named *name* (whole name, case-insensitive), in *role* when given.

    Without *role*, the asset's sponsor counts as a party too (its role is not
    recorded); with one, only the `Party` records of that role count.

    >>> import attrs, biopipe
    >>> from biopipe.query import has_party
    >>> js212 = biopipe.example("js212")
    >>> has_party("junshi biosciences", "originator")(js212), has_party("Junshi Biosciences", "licensee")(js212)
    (True, False)
    >>> partner = biopipe.Party(name="Acme Pharma", role=biopipe.PartyRole.LICENSEE,
    ...                         territory=biopipe.Territory(countries=("US",)))
    >>> has_party("ACME PHARMA")(attrs.evolve(js212, parties=(*js212.parties, partner)))
    True
    """
    folded = name.casefold()
    wanted = None if role is None else role if isinstance(role, PartyRole) else PartyRole.from_code(role)

    def test(a: Asset) -> bool:
        if wanted is None and a.sponsor.casefold() == folded:
            return True
        return any(p.name.casefold() == folded and (wanted is None or p.role is wanted) for p in a.parties)

    return Query(test, f"party {name!r}" + (f" as {wanted.label}" if wanted is not None else ""))


def phase_at_least(
    phase: Phase | str,
    as_of: dt.date | PartialDate | str | None = None,
    *,
    jurisdiction: str | None = None,
    policy: PhasePolicy = PhasePolicy.COMBINED,
    known_on: dt.date | PartialDate | str | None = None,
) -> Query:
    """Assets whose `highest_phase` is at least *phase*.

    The phase is that reached as of *as_of*, in *jurisdiction*, under *policy*, as known on *known_on*.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> biopipe.query.phase_at_least("phase1")(js212), biopipe.query.phase_at_least("phase2")(js212)
    (True, False)
    >>> biopipe.query.phase_at_least("phase2", policy=biopipe.query.PhasePolicy.UPPER)(js212)
    True
    """
    floor = phase if isinstance(phase, Phase) else Phase.from_code(phase)
    known = as_known_on(known_on)
    day = None if as_of is None else as_day(as_of)
    place = None if jurisdiction is None else as_jurisdiction(jurisdiction)

    def test(a: Asset) -> bool:
        reached = highest_phase(a, day, jurisdiction=place, policy=policy, known_on=known)
        return reached is not None and reached >= floor

    return Query(test, f"phase at least {floor.label}")


def in_state(
    jurisdiction: str,
    *states: RegulatoryState | str,
    as_of: dt.date | PartialDate | str,
    certain: bool = True,
    known_on: dt.date | PartialDate | str | None = None,
) -> Query:
    """Assets whose `state_as_of` in *jurisdiction* on *as_of* (known on *known_on*) is one of *states*.

    With ``certain=True`` (the default) the answer must be certain; with
    ``certain=False`` it is enough that one of *states* is possible.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> biopipe.query.in_state("CN", "may_run_trials", as_of="2025-03-15")(js212)
    False
    >>> biopipe.query.in_state("CN", "may_run_trials", as_of="2025-03-15", certain=False)(js212)
    True
    >>> biopipe.query.in_state("US", "nothing_on_record", as_of="2025-11-30", known_on="2025-11-30")(js212)
    True
    """
    wanted = frozenset(s if isinstance(s, RegulatoryState) else RegulatoryState.from_code(s) for s in states)
    day = as_day(as_of)
    known = as_known_on(known_on)
    place = as_jurisdiction(jurisdiction)

    def test(a: Asset) -> bool:
        answer = state_as_of(a, place, day, known_on=known)
        if certain:
            return answer.certain and answer.state in wanted
        return any(s in wanted for s in answer.possible)

    names = " or ".join(s.code for s in sorted(wanted, key=list(RegulatoryState).index))
    known_text = f" known on {known.isoformat()}" if known is not None else ""
    return Query(test, f"{'' if certain else 'possibly '}{names} in {place} as of {day.isoformat()}{known_text}")
