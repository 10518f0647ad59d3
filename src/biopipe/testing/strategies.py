"""Hypothesis strategies that build valid biopipe objects, for property-testing your own code.

Importing this module registers a strategy for every model type, so
``st.from_type(Asset)`` works; ``import biopipe`` alone never imports Hypothesis.
Strategies build valid data directly (no heavy filtering), so they stay fast.

>>> from hypothesis import given, settings
>>> from biopipe.testing import strategies as bst
>>> @settings(max_examples=5)
... @given(bst.assets())
... def test_codes_are_nonempty(asset):
...     assert asset.code.strip()
>>> test_codes_are_nonempty()
"""

from __future__ import annotations

import calendar
import datetime as dt
import string
from typing import TypeVar

from hypothesis import strategies as st

from ..model._asset import Alias, Asset, Indication, Portfolio, RegulatoryEvent, Target
from ..model._dates import FactDate, PartialDate
from ..model._genes import approved_symbols
from ..model._geography import COUNTRIES
from ..model._ids import Registry, RegistryId
from ..model._source import Source
from ..model._trial import Arm, Endpoint, Enrollment, Intervention, Organization, SourceTerm, Trial, TrialDesign
from ..model._vocab import (
    Agency,
    AliasKind,
    Allocation,
    AntibodyOrigin,
    ApplicationKind,
    ArmType,
    DateBasis,
    Designation,
    DesignPart,
    EndpointKind,
    EndpointRole,
    EventKind,
    IndicationRole,
    InterventionModel,
    InterventionType,
    Masking,
    Modality,
    Phase,
    PrimaryPurpose,
    SponsorClass,
    StudyType,
    TherapyMode,
    TrialStatus,
)
from ._hook import _hypothesis_setup_hook

__all__ = [
    "aliases",
    "arms",
    "assets",
    "days",
    "endpoints",
    "enrollments",
    "fact_dates",
    "indications",
    "interventions",
    "organizations",
    "partial_dates",
    "portfolios",
    "registry_ids",
    "regulatory_events",
    "source_terms",
    "sources",
    "targets",
    "texts",
    "trial_designs",
    "trials",
]

T = TypeVar("T")


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    """Non-empty text with at least one visible character (any Unicode).

    >>> from hypothesis import given
    >>> @given(texts())
    ... def test_visible(s):
    ...     assert s.strip()
    >>> test_visible()
    """
    return st.builds(
        lambda head, tail: head + tail,
        st.characters(categories=("L", "N")),
        st.text(max_size=max_size - 1),
    )


def _opt(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def _tuples(
    strategy: st.SearchStrategy[T], max_size: int = 3, *, unique: bool = False
) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(strategy, max_size=max_size, unique=unique).map(tuple)


@st.composite
def partial_dates(draw: st.DrawFn, min_year: int = 1990, max_year: int = 2040) -> PartialDate:
    """Partial dates of every precision between *min_year* and *max_year*.

    >>> from hypothesis import given
    >>> @given(partial_dates(2025, 2025))
    ... def test_year(d):
    ...     assert d.earliest.year == 2025
    >>> test_year()
    """
    year = draw(st.integers(min_year, max_year))
    precision = draw(st.sampled_from(("year", "half", "quarter", "month", "day")))
    if precision == "year":
        return PartialDate(year)
    if precision == "half":
        return PartialDate(year, half=draw(st.integers(1, 2)))
    if precision == "quarter":
        return PartialDate(year, quarter=draw(st.integers(1, 4)))
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(1, calendar.monthrange(year, month)[1])))


def fact_dates(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[FactDate]:
    """Fact dates with every `DateBasis`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(fact_dates())
    ... def check(fd):
    ...     assert fd.latest >= fd.date.earliest
    >>> check()
    """
    return st.builds(FactDate, partial_dates(min_year, max_year), st.sampled_from(DateBasis))


@st.composite
def registry_ids(draw: st.DrawFn, registry: Registry | None = None) -> RegistryId:
    """Well-formed ids of every registry (or of *registry*).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(registry_ids(Registry.NCT))
    ... def check(rid):
    ...     assert rid.value.startswith('NCT')
    >>> check()
    """
    reg = registry or draw(st.sampled_from(Registry))

    def d(n: int) -> str:
        return draw(st.text(string.digits, min_size=n, max_size=n))

    if reg is Registry.NCT:
        return RegistryId("NCT" + d(8))
    if reg is Registry.CTR:
        return RegistryId("CTR" + d(8))
    if reg is Registry.CHICTR:
        return RegistryId("ChiCTR" + d(10))
    if reg is Registry.EU_CT:
        return RegistryId(f"{d(4)}-5{d(5)}-{d(2)}-{d(2)}")
    if reg is Registry.EUDRACT:
        return RegistryId(f"{d(4)}-{d(6)}-{d(2)}")
    if reg is Registry.JRCT:
        return RegistryId("jRCT" + draw(st.sampled_from("12s")) + d(9))
    return RegistryId("ISRCTN" + d(8))


def _urls() -> st.SearchStrategy[str]:
    return st.builds(
        lambda host, path: f"https://{host}.example/{path}",
        st.text(string.ascii_lowercase, min_size=1, max_size=10),
        st.text(string.ascii_letters + string.digits + "/-_", max_size=15),
    )


def sources() -> st.SearchStrategy[Source]:
    """Sources with optional publisher, url and published date.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(sources())
    ... def check(src):
    ...     assert src.title.strip()
    >>> check()
    """
    return st.builds(
        Source,
        title=texts(),
        publisher=_opt(texts()),
        url=_opt(_urls()),
        published=_opt(partial_dates()),
    )


# Approved HGNC symbols (the model refuses any other), from the shipped index, read on the first draw.
_SYMBOL = st.deferred(lambda: st.sampled_from(approved_symbols()))
_UNIPROT = st.from_regex(r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9][A-Z][A-Z0-9]{2}[0-9]", fullmatch=True)


def targets(symbol: st.SearchStrategy[str] = _SYMBOL) -> st.SearchStrategy[Target]:
    """Targets with valid HGNC, UniProt and Ensembl ids where present.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(targets())
    ... def check(target):
    ...     assert target.matches(target.symbol)
    >>> check()
    """
    return st.builds(
        Target,
        symbol=symbol,
        name=_opt(texts()),
        aliases=_tuples(texts(12), unique=True),
        hgnc_id=_opt(st.integers(1, 60000).map(lambda n: f"HGNC:{n}")),
        uniprot_id=_opt(_UNIPROT),
        ensembl_id=_opt(st.integers(0, 10**11 - 1).map(lambda n: f"ENSG{n:011d}")),
    )


def endpoints() -> st.SearchStrategy[Endpoint]:
    """Endpoints of every kind and role.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(endpoints())
    ... def check(endpoint):
    ...     assert endpoint.description.strip()
    >>> check()
    """
    return st.builds(
        Endpoint,
        kind=st.sampled_from(EndpointKind),
        description=texts(),
        role=_opt(st.sampled_from(EndpointRole)),
        time_frame=_opt(texts()),
    )


@st.composite
def trial_designs(draw: st.DrawFn) -> TrialDesign:
    """Trial designs; partners only with combination therapy.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(trial_designs())
    ... def check(design):
    ...     assert not design.combination_partners or design.therapy is not None
    >>> check()
    """
    therapy = draw(_opt(st.sampled_from(TherapyMode)))
    combo = therapy in (TherapyMode.COMBINATION, TherapyMode.BOTH)
    return TrialDesign(
        allocation=draw(_opt(st.sampled_from(Allocation))),
        masking=draw(_opt(st.sampled_from(Masking))),
        intervention_model=draw(_opt(st.sampled_from(InterventionModel))),
        primary_purpose=draw(_opt(st.sampled_from(PrimaryPurpose))),
        parts=draw(_tuples(st.sampled_from(DesignPart), unique=True)),
        therapy=therapy,
        combination_partners=draw(_tuples(texts(15), unique=True)) if combo else (),
    )


def organizations() -> st.SearchStrategy[Organization]:
    """Sponsors and collaborators, with or without a class.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(organizations())
    ... def check(org):
    ...     assert org.name.strip()
    >>> check()
    """
    return st.builds(Organization, name=texts(), kind=_opt(st.sampled_from(SponsorClass)))


def arms() -> st.SearchStrategy[Arm]:
    """Trial arms naming their interventions.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(arms())
    ... def check(arm):
    ...     assert arm.label.strip()
    >>> check()
    """
    return st.builds(
        Arm,
        label=texts(),
        type=_opt(st.sampled_from(ArmType)),
        description=_opt(st.text(max_size=20)),
        interventions=_tuples(texts(10)),
    )


def interventions() -> st.SearchStrategy[Intervention]:
    """Interventions of every type.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(interventions())
    ... def check(intervention):
    ...     assert intervention.name.strip()
    >>> check()
    """
    return st.builds(
        Intervention,
        name=texts(),
        type=_opt(st.sampled_from(InterventionType)),
        description=_opt(st.text(max_size=20)),
        other_names=_tuples(texts(10)),
    )


def enrollments() -> st.SearchStrategy[Enrollment]:
    """Actual or estimated participant counts.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(enrollments())
    ... def check(enrollment):
    ...     assert enrollment.count >= 0
    >>> check()
    """
    return st.builds(Enrollment, count=st.integers(0, 100_000), estimated=st.booleans())


def source_terms() -> st.SearchStrategy[SourceTerm]:
    """Raw source values kept beside normalised fields.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(source_terms())
    ... def check(term):
    ...     assert term.field.strip()
    >>> check()
    """
    return st.builds(SourceTerm, field=texts(15), value=st.text(max_size=15))


def aliases() -> st.SearchStrategy[Alias]:
    """Asset aliases of every kind.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(aliases())
    ... def check(alias):
    ...     assert alias.name.strip()
    >>> check()
    """
    return st.builds(Alias, name=texts(12), kind=st.sampled_from(AliasKind))


def indications() -> st.SearchStrategy[Indication]:
    """Indications, intended or named as a rationale.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(indications())
    ... def check(indication):
    ...     assert indication.name.strip()
    >>> check()
    """
    return st.builds(Indication, name=texts(), role=st.sampled_from(IndicationRole))


@st.composite
def trials(draw: st.DrawFn, min_year: int = 1990, max_year: int = 2040) -> Trial:
    """Trials that satisfy every cross-field rule (an actual end is not before an actual start).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(trials())
    ... def check(trial):
    ...     assert trial.key
    >>> check()
    """
    status = draw(st.sampled_from(TrialStatus))
    start = draw(_opt(fact_dates(min_year, max_year)))
    if status is TrialStatus.PLANNED and start is not None and start.basis is DateBasis.ACTUAL:
        start = FactDate(start.date, DateBasis.ESTIMATED)

    def end() -> FactDate | None:
        fd = draw(_opt(fact_dates(min_year, max_year)))
        if (
            fd is not None
            and start is not None
            and start.basis is DateBasis.ACTUAL
            and fd.basis is DateBasis.ACTUAL
            and fd.latest < start.date.earliest
        ):
            return FactDate(start.date, DateBasis.ACTUAL)
        return fd

    return Trial(
        title=draw(texts()),
        status=status,
        phase=draw(_opt(st.sampled_from(Phase))),
        ids=draw(_tuples(registry_ids(), 2, unique=True)),
        official_title=draw(_opt(texts())),
        acronym=draw(_opt(texts(10))),
        study_type=draw(_opt(st.sampled_from(StudyType))),
        design=draw(trial_designs()),
        endpoints=draw(_tuples(endpoints())),
        conditions=draw(_tuples(texts(20), unique=True)),
        arms=draw(_tuples(arms(), 2)),
        interventions=draw(_tuples(interventions(), 2)),
        countries=draw(_tuples(st.sampled_from(sorted(COUNTRIES)), 4, unique=True)),
        sponsor=draw(_opt(organizations())),
        collaborators=draw(_tuples(organizations(), 2)),
        enrollment=draw(_opt(enrollments())),
        start=start,
        primary_completion=end(),
        completion=end(),
        why_stopped=draw(_opt(texts())),
        last_known_status=draw(_opt(st.sampled_from(TrialStatus))) if status is TrialStatus.UNKNOWN else None,
        source_terms=draw(_tuples(source_terms(), 2)),
        sources=draw(_tuples(sources(), 2)),
    )


@st.composite
def regulatory_events(draw: st.DrawFn, min_year: int = 1990, max_year: int = 2040) -> RegulatoryEvent:
    """Regulatory events; designation kinds always carry a designation.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(regulatory_events())
    ... def check(event):
    ...     assert event.jurisdiction
    >>> check()
    """
    kind = draw(st.sampled_from(EventKind))
    needs_designation = kind.application is ApplicationKind.DESIGNATION
    return RegulatoryEvent(
        agency=draw(st.sampled_from(Agency)),
        kind=kind,
        date=draw(fact_dates(min_year, max_year)),
        designation=draw(st.sampled_from(Designation)) if needs_designation else None,
        scope=draw(_opt(texts())),
        indication=draw(_opt(texts())),
        reference=draw(_opt(texts(12))),
        inferred_by=draw(_opt(texts(12))),
        note=draw(_opt(texts())),
        sources=draw(_tuples(sources(), 2)),
    )


@st.composite
def assets(
    draw: st.DrawFn,
    code: st.SearchStrategy[str] | None = None,
    max_events: int = 4,
    max_trials: int = 2,
) -> Asset:
    """Assets that satisfy every cross-field rule (a bispecific has exactly two targets).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(assets())
    ... def check(asset):
    ...     assert not asset.modality.is_bispecific or len(asset.targets) == 2
    >>> check()
    """
    modality = draw(st.sampled_from(Modality))
    n_targets = 2 if modality.is_bispecific else draw(st.integers(0, 3))
    symbols = draw(st.lists(_SYMBOL, min_size=n_targets, max_size=n_targets, unique=True))
    trial_list = draw(st.lists(trials(), max_size=max_trials, unique_by=lambda t: t.key))
    return Asset(
        code=draw(code if code is not None else texts(12)),
        sponsor=draw(texts()),
        modality=modality,
        antibody_origin=draw(_opt(st.sampled_from(AntibodyOrigin))) if modality.is_antibody_based else None,
        description=draw(_opt(texts())),
        aliases=draw(_tuples(aliases())),
        targets=tuple(draw(targets(st.just(s))) for s in symbols),
        indications=draw(_tuples(st.builds(Indication, name=texts(), role=st.sampled_from(IndicationRole)))),
        events=tuple(draw(st.lists(regulatory_events(), max_size=max_events))),
        trials=tuple(trial_list),
        sources=draw(_tuples(sources(), 2)),
    )


@st.composite
def portfolios(draw: st.DrawFn, max_assets: int = 3, max_trials: int = 0) -> Portfolio:
    """Portfolios of assets with distinct codes; with *max_trials*, also root trials with distinct keys.

    >>> from hypothesis import HealthCheck, given, settings
    >>> @settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow])
    ... @given(portfolios())
    ... def check(portfolio):
    ...     assert len({a.code for a in portfolio.assets}) == len(portfolio)
    >>> check()
    """
    found = draw(st.lists(assets(), max_size=max_assets, unique_by=lambda a: a.code))
    root = draw(st.lists(trials(), max_size=max_trials, unique_by=lambda t: t.key)) if max_trials else []
    return Portfolio(assets=tuple(found), trials=tuple(root))


def days(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[dt.date]:
    """Calendar days in the given years (for as-of queries).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(days(2025, 2025))
    ... def check(day):
    ...     assert day.year == 2025
    >>> check()
    """
    return st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31))


# Importing this module is enough for ``st.from_type(Asset)``: registration is
# the entry point's job, and it runs here too in case entry points are disabled.
_hypothesis_setup_hook()
