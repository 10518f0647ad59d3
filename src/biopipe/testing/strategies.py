"""Hypothesis strategies that build valid biopipe objects, for property-testing your own code.

Importing this module registers a strategy for every model type, so
``st.from_type(Asset)`` works; ``import biopipe`` alone never imports Hypothesis.

The strategies pass Hypothesis's health checks at its default settings: they
build valid data directly (no filtering, no ``assume``), every building block
is constructed once and reused, one draw decides which optional fields an
object has, identifiers are drawn as integers and formatted, and collections
are small by default (an asset has at most 3 events and 2 trials, a trial at
most 3 endpoints). ``benchmarks/bench_strategies.py`` measures the cost per
generated asset.

Two flavours of asset:

- the default explores the model: any Unicode text, every vocabulary value,
  dates of every precision and basis in any order; a quarter of the assets have
  applications, parties or deals (each half the time), a quarter of the events name an application
  (of a type their agency receives, on their track), and review type, goal date,
  pathway and who withdrew appear on the kinds that allow them;
- ``assets(realistic=True)`` (and ``portfolios(realistic=True)``) looks like
  real pipeline data: ASCII codes such as ``JS212``, real gene targets,
  regulatory histories in order (an IND submitted, then accepted, then
  cleared, each later than the one before, then designations and marketing
  applications, each event naming its application), priority or standard
  review with FDA goal dates, accelerated or conditional approvals, the
  sponsor as originator and sometimes a licensee or co-developer outside the
  home country with its dated deal, indications with synonyms and MeSH/ICD-10
  ids, and trials that start after a clearance in their countries.

>>> from hypothesis import given, settings
>>> from biopipe.testing import strategies as bst
>>> @settings(max_examples=5)
... @given(bst.assets())
... def test_codes_are_nonempty(asset):
...     assert asset.code.strip()
>>> test_codes_are_nonempty()
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import string
from typing import TYPE_CHECKING, Any, TypeVar

from hypothesis import strategies as st

from ..model._application import Actor, Application, ApplicationType, Pathway, ReviewType, _received_by
from ..model._asset import Alias, Asset, Indication, Portfolio, RegulatoryEvent, Target
from ..model._dates import FactDate, PartialDate
from ..model._genes import approved_symbols
from ..model._geography import COUNTRIES, JURISDICTIONS
from ..model._ids import Registry, RegistryId
from ..model._parties import Deal, DealKind, Money, Party, PartyRole, Territory
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

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable, Sequence

__all__ = [
    "aliases",
    "applications",
    "arms",
    "assets",
    "days",
    "deals",
    "endpoints",
    "enrollments",
    "fact_dates",
    "indications",
    "interventions",
    "organizations",
    "partial_dates",
    "parties",
    "portfolios",
    "registry_ids",
    "regulatory_events",
    "source_terms",
    "sources",
    "targets",
    "territories",
    "texts",
    "trial_designs",
    "trials",
]

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)

# -- building blocks, each built once ---------------------------------------------------------------


def _visible(s: str) -> str:
    # The model wants a character that is not white space; a drawn blank string gets one.
    return "x" + s[1:] if s.isspace() else s


@functools.cache
def _texts(max_size: int) -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=max_size).map(_visible)


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    """Non-empty text with at least one visible character (any Unicode), at most *max_size* long.

    One draw per string (a blank draw gets an ``x`` in front).

    >>> from hypothesis import given
    >>> @given(texts())
    ... def test_visible(s):
    ...     assert s.strip()
    >>> test_visible()
    """
    return _texts(max_size)


_TEXT = texts()
_SHORT = texts(12)
_ANY_TEXT = st.text(max_size=20)  # free text, may be empty


@functools.cache
def _mask(n: int) -> st.SearchStrategy[int]:
    return st.integers(0, (1 << n) - 1)


def _fields(
    draw: st.DrawFn,
    optional: Sequence[tuple[str, st.SearchStrategy[Any]]],
    rare: Sequence[tuple[str, st.SearchStrategy[Any]]] = (),
) -> dict[str, Any]:
    """The optional fields an object has, as keyword arguments: one draw says which, then one per field present.

    Each *optional* field is present half the time, each *rare* one a quarter
    of the time (both of its two bits set). Shrinking the first draws towards 0
    removes fields.
    """
    present = draw(_mask(len(optional)))
    out = {name: draw(strategy) for n, (name, strategy) in enumerate(optional) if present >> n & 1}
    if rare:
        pairs = draw(_mask(2 * len(rare)))
        out.update((name, draw(strategy)) for n, (name, strategy) in enumerate(rare) if pairs >> 2 * n & 3 == 3)
    return out


@functools.cache
def _tuples(strategy: st.SearchStrategy[T], max_size: int, min_size: int = 0) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(strategy, min_size=min_size, max_size=max_size).map(tuple)


@functools.cache
def _distinct(strategy: st.SearchStrategy[Hashable], max_size: int, min_size: int = 0) -> st.SearchStrategy[Any]:
    # Duplicates are dropped, not redrawn (Hypothesis's unique=True retries, which costs draws).
    return st.lists(strategy, min_size=min_size, max_size=max_size).map(lambda xs: tuple(dict.fromkeys(xs)))


@functools.cache
def _enum(cls: type[E]) -> st.SearchStrategy[E]:
    return st.sampled_from(cls)


# -- dates --------------------------------------------------------------------------------------------

_PRECISIONS = ("year", "half", "quarter", "month", "day")


@functools.cache
def _date_index(min_year: int, max_year: int) -> dict[str, st.SearchStrategy[int]]:
    """Per precision: which date of that precision, as one integer (a day as its ordinal)."""
    years = max_year - min_year + 1
    return {
        "year": st.integers(0, years - 1),
        "half": st.integers(0, 2 * years - 1),
        "quarter": st.integers(0, 4 * years - 1),
        "month": st.integers(0, 12 * years - 1),
        "day": st.integers(dt.date(min_year, 1, 1).toordinal(), dt.date(max_year, 12, 31).toordinal()),
    }


def _decode_date(min_year: int, precision: str, n: int) -> PartialDate:
    if precision == "year":
        return PartialDate(min_year + n)
    if precision == "half":
        return PartialDate(min_year + n // 2, half=n % 2 + 1)
    if precision == "quarter":
        return PartialDate(min_year + n // 4, quarter=n % 4 + 1)
    if precision == "month":
        return PartialDate(min_year + n // 12, n % 12 + 1)
    return PartialDate.from_date(dt.date.fromordinal(n))


@functools.cache
def _partial_dates(min_year: int, max_year: int) -> st.SearchStrategy[PartialDate]:
    index = _date_index(min_year, max_year)
    precision = st.sampled_from(_PRECISIONS)

    @st.composite
    def draw_date(draw: st.DrawFn) -> PartialDate:
        # Two draws: the precision, then which date of that precision.
        kind = draw(precision)
        return _decode_date(min_year, kind, draw(index[kind]))

    return draw_date()


def partial_dates(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[PartialDate]:
    """Partial dates of every precision between *min_year* and *max_year*.

    >>> from hypothesis import given
    >>> @given(partial_dates(2025, 2025))
    ... def test_year(d):
    ...     assert d.earliest.year == 2025
    >>> test_year()
    """
    return _partial_dates(min_year, max_year)


@functools.cache
def _fact_dates(min_year: int, max_year: int) -> st.SearchStrategy[FactDate]:
    index = _date_index(min_year, max_year)
    kinds = st.sampled_from([(precision, basis) for basis in DateBasis for precision in _PRECISIONS])

    @st.composite
    def draw_fact_date(draw: st.DrawFn) -> FactDate:
        # Two draws: the precision and basis together, then which date.
        precision, basis = draw(kinds)
        return FactDate(_decode_date(min_year, precision, draw(index[precision])), basis)

    return draw_fact_date()


def fact_dates(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[FactDate]:
    """Fact dates with every `DateBasis`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(fact_dates())
    ... def check(fd):
    ...     assert fd.latest >= fd.date.earliest
    >>> check()
    """
    return _fact_dates(min_year, max_year)


def days(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[dt.date]:
    """Calendar days in the given years (for as-of queries).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(days(2025, 2025))
    ... def check(day):
    ...     assert day.year == 2025
    >>> check()
    """
    return _days(min_year, max_year)


@functools.cache
def _days(min_year: int, max_year: int) -> st.SearchStrategy[dt.date]:
    return st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31))


# -- identifiers ----------------------------------------------------------------------------------------


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.integers(0, 10**n - 1).map(lambda k: f"{k:0{n}d}")


def _jrct(k: int) -> str:
    return f"jRCT{'12s'[k // 10**9]}{k % 10**9:09d}"


_REGISTRY_IDS: dict[Registry, st.SearchStrategy[RegistryId]] = {
    Registry.NCT: _digits(8).map(lambda d: RegistryId("NCT" + d)),
    Registry.CTR: _digits(8).map(lambda d: RegistryId("CTR" + d)),
    Registry.CHICTR: _digits(10).map(lambda d: RegistryId("ChiCTR" + d)),
    Registry.EU_CT: _digits(13).map(lambda d: RegistryId(f"{d[:4]}-5{d[4:9]}-{d[9:11]}-{d[11:]}")),
    Registry.EUDRACT: _digits(12).map(lambda d: RegistryId(f"{d[:4]}-{d[4:10]}-{d[10:]}")),
    Registry.JRCT: st.integers(0, 3 * 10**9 - 1).map(lambda k: RegistryId(_jrct(k))),
    Registry.ISRCTN: _digits(8).map(lambda d: RegistryId("ISRCTN" + d)),
}
_ANY_REGISTRY_ID = st.one_of(*_REGISTRY_IDS.values())


def registry_ids(registry: Registry | None = None) -> st.SearchStrategy[RegistryId]:
    """Well-formed ids of every registry (or of *registry*).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(registry_ids(Registry.NCT))
    ... def check(rid):
    ...     assert rid.value.startswith('NCT')
    >>> check()
    """
    return _ANY_REGISTRY_ID if registry is None else _REGISTRY_IDS[registry]


_ALNUM = string.ascii_uppercase + string.digits


def _base(k: int, alphabet: str, width: int) -> str:
    out = []
    for _ in range(width):
        k, r = divmod(k, len(alphabet))
        out.append(alphabet[r])
    return "".join(out)


# UniProt accessions, both forms (6 and 10 characters), decoded from one integer.
_UNIPROT_A = 3 * 10 * 36**3 * 10  # [OPQ][0-9][A-Z0-9]{3}[0-9]
_UNIPROT_B = 23 * 10 * (26 * 36**2 * 10)  # [A-NR-Z][0-9][A-Z][A-Z0-9]{2}[0-9]


def _uniprot(k: int) -> str:
    if k < _UNIPROT_A:
        k, first = divmod(k, 3)
        k, d1 = divmod(k, 10)
        middle, d2 = divmod(k, 10)
        return f"{'OPQ'[first]}{d1}{_base(middle, _ALNUM, 3)}{d2}"
    k -= _UNIPROT_A
    k, first = divmod(k, 23)
    k, d1 = divmod(k, 10)
    k, letter = divmod(k, 26)
    two, d2 = divmod(k, 10)
    return f"{'ABCDEFGHIJKLMNRSTUVWXYZ'[first]}{d1}{string.ascii_uppercase[letter]}{_base(two, _ALNUM, 2)}{d2}"


# Approved HGNC symbols (the model refuses any other), from the shipped index, read on the first draw.
_SYMBOL = st.deferred(lambda: st.sampled_from(approved_symbols()))
_UNIPROT = st.integers(0, _UNIPROT_A + _UNIPROT_B - 1).map(_uniprot)
_HGNC = st.integers(1, 60000).map(lambda n: f"HGNC:{n}")
_ENSEMBL = st.integers(0, 10**11 - 1).map(lambda n: f"ENSG{n:011d}")


def _urls() -> st.SearchStrategy[str]:
    return st.builds(
        lambda host, path: f"https://{host}.example/{path}",
        st.text(string.ascii_lowercase, min_size=1, max_size=10),
        st.text(string.ascii_letters + string.digits + "/-_", max_size=15),
    )


# -- small records --------------------------------------------------------------------------------------

_SOURCE_FIELDS = (
    ("publisher", _TEXT),
    ("url", _urls()),
    ("published", partial_dates()),
)


@st.composite
def _source(draw: st.DrawFn) -> Source:
    return Source(title=draw(_TEXT), **_fields(draw, _SOURCE_FIELDS))


_SOURCE = _source()
_SOURCES = _tuples(_SOURCE, 2, 1)


def sources() -> st.SearchStrategy[Source]:
    """Sources with optional publisher, url and published date.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(sources())
    ... def check(src):
    ...     assert src.title.strip()
    >>> check()
    """
    return _SOURCE


_TARGET_FIELDS = (
    ("name", _TEXT),
    ("aliases", _distinct(_SHORT, 2, 1)),
    ("hgnc_id", _HGNC),
    ("uniprot_id", _UNIPROT),
    ("ensembl_id", _ENSEMBL),
)


def _draw_target(draw: st.DrawFn, symbol: str) -> Target:
    return Target(symbol=symbol, **_fields(draw, _TARGET_FIELDS))


@functools.cache
def _targets(symbol: st.SearchStrategy[str]) -> st.SearchStrategy[Target]:
    @st.composite
    def draw_target(draw: st.DrawFn) -> Target:
        return _draw_target(draw, draw(symbol))

    return draw_target()


def targets(symbol: st.SearchStrategy[str] = _SYMBOL) -> st.SearchStrategy[Target]:
    """Targets with valid HGNC, UniProt and Ensembl ids where present.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(targets())
    ... def check(target):
    ...     assert target.matches(target.symbol)
    >>> check()
    """
    return _targets(symbol)


_ENDPOINT_FIELDS = (("role", _enum(EndpointRole)), ("time_frame", _TEXT))


@st.composite
def _endpoint(draw: st.DrawFn) -> Endpoint:
    return Endpoint(kind=draw(_enum(EndpointKind)), description=draw(_TEXT), **_fields(draw, _ENDPOINT_FIELDS))


_ENDPOINT = _endpoint()


def endpoints() -> st.SearchStrategy[Endpoint]:
    """Endpoints of every kind and role.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(endpoints())
    ... def check(endpoint):
    ...     assert endpoint.description.strip()
    >>> check()
    """
    return _ENDPOINT


_DESIGN_FIELDS = (
    ("allocation", _enum(Allocation)),
    ("masking", _enum(Masking)),
    ("intervention_model", _enum(InterventionModel)),
    ("primary_purpose", _enum(PrimaryPurpose)),
    ("parts", _mask(len(DesignPart)).map(lambda bits: tuple(p for n, p in enumerate(DesignPart) if bits >> n & 1))),
    ("therapy", _enum(TherapyMode)),
)
_PARTNERS = _distinct(texts(15), 3, 1)


@st.composite
def _trial_design(draw: st.DrawFn) -> TrialDesign:
    fields = _fields(draw, _DESIGN_FIELDS)
    if fields.get("therapy") in (TherapyMode.COMBINATION, TherapyMode.BOTH) and draw(st.booleans()):
        fields["combination_partners"] = draw(_PARTNERS)
    return TrialDesign(**fields)


_TRIAL_DESIGN = _trial_design()


def trial_designs() -> st.SearchStrategy[TrialDesign]:
    """Trial designs; partners only with combination therapy.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(trial_designs())
    ... def check(design):
    ...     assert not design.combination_partners or design.therapy is not None
    >>> check()
    """
    return _TRIAL_DESIGN


_ORGANIZATION = st.builds(Organization, name=_TEXT, kind=st.none() | _enum(SponsorClass))


def organizations() -> st.SearchStrategy[Organization]:
    """Sponsors and collaborators, with or without a class.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(organizations())
    ... def check(org):
    ...     assert org.name.strip()
    >>> check()
    """
    return _ORGANIZATION


_ARM_FIELDS = (
    ("type", _enum(ArmType)),
    ("description", _ANY_TEXT),
    ("interventions", _tuples(texts(10), 2, 1)),
)


@st.composite
def _arm(draw: st.DrawFn) -> Arm:
    return Arm(label=draw(_TEXT), **_fields(draw, _ARM_FIELDS))


_ARM = _arm()


def arms() -> st.SearchStrategy[Arm]:
    """Trial arms naming their interventions.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(arms())
    ... def check(arm):
    ...     assert arm.label.strip()
    >>> check()
    """
    return _ARM


_INTERVENTION_FIELDS = (
    ("type", _enum(InterventionType)),
    ("description", _ANY_TEXT),
    ("other_names", _tuples(texts(10), 2, 1)),
)


@st.composite
def _intervention(draw: st.DrawFn) -> Intervention:
    return Intervention(name=draw(_TEXT), **_fields(draw, _INTERVENTION_FIELDS))


_INTERVENTION = _intervention()


def interventions() -> st.SearchStrategy[Intervention]:
    """Interventions of every type.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(interventions())
    ... def check(intervention):
    ...     assert intervention.name.strip()
    >>> check()
    """
    return _INTERVENTION


_ENROLLMENT = st.builds(Enrollment, count=st.integers(0, 100_000), estimated=st.booleans())


def enrollments() -> st.SearchStrategy[Enrollment]:
    """Actual or estimated participant counts.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(enrollments())
    ... def check(enrollment):
    ...     assert enrollment.count >= 0
    >>> check()
    """
    return _ENROLLMENT


_SOURCE_TERM = st.builds(SourceTerm, field=texts(15), value=st.text(max_size=15))


def source_terms() -> st.SearchStrategy[SourceTerm]:
    """Raw source values kept beside normalised fields.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(source_terms())
    ... def check(term):
    ...     assert term.field.strip()
    >>> check()
    """
    return _SOURCE_TERM


_ALIAS = st.builds(Alias, name=_SHORT, kind=_enum(AliasKind))


def aliases() -> st.SearchStrategy[Alias]:
    """Asset aliases of every kind.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(aliases())
    ... def check(alias):
    ...     assert alias.name.strip()
    >>> check()
    """
    return _ALIAS


def _icd_tail(n: int) -> str:
    # An ICD-10 code may have one subdivision digit: C90 or C90.0 ... C90.9.
    return "" if n == 0 else f".{n - 1}"


_DISEASE_ID_FORMATS = (
    (10**6, lambda n: f"MESH:D{n:06d}"),
    (10**7, lambda n: f"MONDO:{n:07d}"),
    (10**7, lambda n: f"EFO:{n:07d}"),
    (10**7, lambda n: f"NCIT:C{n}"),
    (26 * 100 * 11, lambda n: f"ICD10:{chr(65 + n % 26)}{n // 26 % 100:02d}" + _icd_tail(n // 2600)),
)
_DISEASE_ID = st.one_of(*(st.integers(0, size - 1).map(fmt) for size, fmt in _DISEASE_ID_FORMATS))
_INDICATION_FIELDS = (("synonyms", _distinct(texts(15), 2, 1)), ("ids", _distinct(_DISEASE_ID, 2, 1)))
_INDICATION_ROLE = _enum(IndicationRole)


@st.composite
def _indication_extras(draw: st.DrawFn) -> dict[str, Any]:
    return _fields(draw, _INDICATION_FIELDS)


_INDICATION_EXTRAS = (("extras", _indication_extras()),)


@st.composite
def _indication(draw: st.DrawFn) -> Indication:
    # A quarter of indications have synonyms or ids (each then half the time): they cost draws.
    extras = _fields(draw, (), _INDICATION_EXTRAS).get("extras", {})
    return Indication(name=draw(_TEXT), role=draw(_INDICATION_ROLE), **extras)


_INDICATION = _indication()


def indications() -> st.SearchStrategy[Indication]:
    """Indications, intended or named as a rationale; some with synonyms and disease identifiers (MeSH, ICD-10...).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(indications())
    ... def check(indication):
    ...     assert indication.name.strip()
    >>> check()
    """
    return _INDICATION


# -- trials and events --------------------------------------------------------------------------------

_COUNTRY_CODES = tuple(sorted(COUNTRIES))


@functools.cache
def _trials(min_year: int, max_year: int) -> st.SearchStrategy[Trial]:
    date = fact_dates(min_year, max_year)
    optional = (
        ("phase", _enum(Phase)),
        ("ids", _distinct(_ANY_REGISTRY_ID, 2, 1)),
        ("study_type", _enum(StudyType)),
        ("endpoints", _tuples(_ENDPOINT, 3, 1)),
        ("conditions", _distinct(texts(20), 2, 1)),
        ("countries", _distinct(st.sampled_from(_COUNTRY_CODES), 3, 1)),
        ("sponsor", _ORGANIZATION),
        ("enrollment", _ENROLLMENT),
    )
    rare = (
        ("official_title", _TEXT),
        ("acronym", texts(10)),
        ("design", _TRIAL_DESIGN),
        ("why_stopped", _TEXT),
        ("sources", _SOURCES),
        ("arms", _tuples(_ARM, 2, 1)),
        ("interventions", _tuples(_INTERVENTION, 2, 1)),
        ("collaborators", _tuples(_ORGANIZATION, 2, 1)),
        ("source_terms", _tuples(_SOURCE_TERM, 2, 1)),
    )
    dates = tuple((name, date) for name in ("start", "primary_completion", "completion"))
    status_strategy = _enum(TrialStatus)
    last_known = st.none() | status_strategy

    @st.composite
    def draw_trial(draw: st.DrawFn) -> Trial:
        status = draw(status_strategy)
        fields = _fields(draw, optional, rare)
        fields.update(_fields(draw, dates))
        start: FactDate | None = fields.get("start")
        if start is not None and start.basis is DateBasis.ACTUAL:
            if status is TrialStatus.PLANNED:
                start = fields["start"] = FactDate(start.date, DateBasis.ESTIMATED)
            else:
                # An actual end is never before an actual start: such an end moves to the start.
                for name in ("primary_completion", "completion"):
                    end: FactDate | None = fields.get(name)
                    if end is not None and end.basis is DateBasis.ACTUAL and end.latest < start.date.earliest:
                        fields[name] = FactDate(start.date, DateBasis.ACTUAL)
        if status is TrialStatus.UNKNOWN:
            fields["last_known_status"] = draw(last_known)
        return Trial(title=draw(_TEXT), status=status, **fields)

    return draw_trial()


def trials(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[Trial]:
    """Trials that satisfy every cross-field rule (an actual end is not before an actual start).

    At most 2 ids, 3 endpoints, 2 conditions and 3 countries; titles, design,
    reason stopped, sources, arms, interventions, collaborators and source
    terms (at most 2 of each) are rarer.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(trials())
    ... def check(trial):
    ...     assert trial.key
    >>> check()
    """
    return _trials(min_year, max_year)


_EVENT_FIELDS = (("scope", _TEXT), ("indication", _TEXT))
#: The designations each agency grants (`Designation.granted_by`).
_GRANTED_BY = {a: tuple(d for d in Designation if d.granted_by(a)) for a in Agency}
_RARE_EVENT_FIELDS = (
    ("reference", _SHORT),
    ("inferred_by", _SHORT),
    ("note", _TEXT),
    ("sources", _SOURCES),
    ("disclosed", partial_dates()),
)
#: The pathways each agency approves on (`Pathway.allowed_for`).
_PATHWAYS = {a: tuple(p for p in Pathway if p.allowed_for(a)) for a in Agency}
_REVIEWED = (
    EventKind.MARKETING_SUBMITTED,
    EventKind.MARKETING_ACCEPTED,
    EventKind.REVIEW_EXTENDED,
    EventKind.MARKETING_APPROVED,
)
_GOAL_SETTING = (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED, EventKind.REVIEW_EXTENDED)


@functools.cache
def _kind_fields(kind: EventKind, agency: Agency) -> tuple[tuple[str, st.SearchStrategy[Any]], ...]:
    """The optional fields an event of *kind* by *agency* may have: review, goal date, pathway, who withdrew."""
    out: list[tuple[str, st.SearchStrategy[Any]]] = []
    if kind in _REVIEWED:
        out.append(("review", _enum(ReviewType)))
    if kind in _GOAL_SETTING:
        out.append(("goal_date", partial_dates()))
    if kind is EventKind.MARKETING_APPROVED:
        out.append(("pathway", st.sampled_from(_PATHWAYS[agency])))
    elif kind is EventKind.APPROVAL_CONVERTED:
        out.append(("pathway", st.just(Pathway.TRADITIONAL)))
    if kind.is_withdrawal:
        out.append(("by", _enum(Actor)))
    return tuple(out)


@functools.cache
def _regulatory_events(min_year: int, max_year: int) -> st.SearchStrategy[RegulatoryEvent]:
    date = fact_dates(min_year, max_year)

    @st.composite
    def draw_event(draw: st.DrawFn) -> RegulatoryEvent:
        kind = draw(_enum(EventKind))
        agency = draw(_enum(Agency))
        designation = (
            draw(st.sampled_from(_GRANTED_BY[agency])) if kind.application is ApplicationKind.DESIGNATION else None
        )
        fields = _fields(draw, _EVENT_FIELDS, _RARE_EVENT_FIELDS)
        specific = _kind_fields(kind, agency)
        if specific:
            fields.update(_fields(draw, specific))
        return RegulatoryEvent(agency=agency, kind=kind, date=draw(date), designation=designation, **fields)

    return draw_event()


def regulatory_events(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[RegulatoryEvent]:
    """Regulatory events of every kind, agency and date; designation kinds always carry a designation.

    Review type, goal date, pathway and who withdrew appear on the kinds that
    allow them (a pathway the agency approves on); ``disclosed`` is rare.
    ``application`` is left unset: only an asset knows its applications
    (`assets` links its events to them).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(regulatory_events())
    ... def check(event):
    ...     assert event.jurisdiction
    >>> check()
    """
    return _regulatory_events(min_year, max_year)


# -- applications, parties and deals ----------------------------------------------------------------

#: The application types each agency receives.
_RECEIVES = {a: tuple(k for k in ApplicationType if _received_by(k, a)) for a in Agency}
_APPLICATION_FIELDS = (("number", _SHORT), ("indications", _distinct(_TEXT, 2, 1)))
_RARE_APPLICATION_FIELDS = (("note", _TEXT), ("sources", _SOURCES))


@st.composite
def _application(draw: st.DrawFn) -> Application:
    agency = draw(_enum(Agency))
    return Application(
        id=draw(_SHORT),
        agency=agency,
        kind=draw(st.sampled_from(_RECEIVES[agency])),
        **_fields(draw, _APPLICATION_FIELDS, _RARE_APPLICATION_FIELDS),
    )


_APPLICATION = _application()


def applications() -> st.SearchStrategy[Application]:
    """Applications of a type their agency receives (no IND to the EMA), some with number and indications.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(applications())
    ... def check(application):
    ...     assert application.kind in {a.kind for a in [application]}
    ...     assert application.jurisdiction == application.agency.jurisdiction
    >>> check()
    """
    return _APPLICATION


_JURISDICTION_CODES = tuple(sorted(JURISDICTIONS))
_SOME_JURISDICTIONS = _distinct(st.sampled_from(_JURISDICTION_CODES), 3, 1)
_EXCEPTIONS = _distinct(st.sampled_from(_JURISDICTION_CODES), 2)


@st.composite
def _territory(draw: st.DrawFn) -> Territory:
    if draw(st.booleans()):
        return Territory(worldwide=True, excluding=draw(_EXCEPTIONS))
    return Territory(countries=draw(_SOME_JURISDICTIONS))


_TERRITORY = _territory()


def territories() -> st.SearchStrategy[Territory]:
    """Territories: worldwide (with up to 2 exceptions) or up to 3 listed jurisdictions.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(territories())
    ... def check(territory):
    ...     assert territory.worldwide or not territory.excluding
    >>> check()
    """
    return _TERRITORY


_PARTY_FIELDS = (("territory", _TERRITORY), ("start", partial_dates()), ("end", partial_dates()))
_RARE_PARTY_FIELDS = (("disclosed", partial_dates()), ("note", _TEXT), ("sources", _SOURCES))


@st.composite
def _party(draw: st.DrawFn) -> Party:
    fields = _fields(draw, _PARTY_FIELDS, _RARE_PARTY_FIELDS)
    start: PartialDate | None = fields.get("start")
    end: PartialDate | None = fields.get("end")
    if start is not None and end is not None and end.latest < start.earliest:
        fields["start"], fields["end"] = end, start  # an end before the start: the two swapped are in order
    return Party(name=draw(_SHORT), role=draw(_enum(PartyRole)), **fields)


_PARTY = _party()


def parties() -> st.SearchStrategy[Party]:
    """Parties with a role, a territory (worldwide by default) and a period whose end is not before its start.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(parties())
    ... def check(party):
    ...     assert party.holds_rights_in("US", "2020-01-01") in (True, False, None)
    >>> check()
    """
    return _PARTY


_CURRENCIES = ("USD", "EUR", "CNY", "JPY", "GBP", "CHF")
_AMOUNT = st.integers(0, 10**11)


@st.composite
def _amounts(draw: st.DrawFn) -> dict[str, Money]:
    """An upfront, a total or both (in one currency, the upfront not above the total)."""
    currency = draw(st.sampled_from(_CURRENCIES))
    which = draw(st.integers(0, 2))
    low, high = sorted((draw(_AMOUNT), draw(_AMOUNT)))
    if which == 0:
        return {"upfront": Money(amount=low, currency=currency)}
    if which == 1:
        return {"total": Money(amount=high, currency=currency)}
    return {"upfront": Money(amount=low, currency=currency), "total": Money(amount=high, currency=currency)}


_DEAL_FIELDS = (("territory", _TERRITORY), ("money", _amounts()))
_RARE_DEAL_FIELDS = (("disclosed", partial_dates()), ("note", _TEXT), ("sources", _SOURCES))
_DEAL_PARTIES = _distinct(_SHORT, 3, 2)


def _two_or_more(names: tuple[str, ...]) -> tuple[str, ...]:
    # Distinct names dropped a repeat: a second party is named after the first instead of being redrawn.
    return names if len(names) >= 2 else (*names, names[0] + " 2")


@functools.cache
def _deals(min_year: int, max_year: int) -> st.SearchStrategy[Deal]:
    date = fact_dates(min_year, max_year)

    @st.composite
    def draw_deal(draw: st.DrawFn) -> Deal:
        fields = _fields(draw, _DEAL_FIELDS, _RARE_DEAL_FIELDS)
        fields.update(fields.pop("money", {}))
        parties = _two_or_more(draw(_DEAL_PARTIES))
        return Deal(kind=draw(_enum(DealKind)), date=draw(date), parties=parties, **fields)

    return draw_deal()


def deals(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[Deal]:
    """Deals between two or three distinct parties, some with a territory and an upfront and/or total amount.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(deals())
    ... def check(deal):
    ...     assert len(set(deal.parties)) >= 2
    ...     assert deal.upfront is None or deal.total is None or deal.upfront.amount <= deal.total.amount
    >>> check()
    """
    return _deals(min_year, max_year)


def _first_by_id(found: Iterable[Application]) -> tuple[Application, ...]:
    # An asset's application ids are distinct: of drawn applications with one id the first is kept.
    kept: dict[str, Application] = {}
    for application in found:
        kept.setdefault(application.id, application)
    return tuple(kept.values())


#: Per agency and event track: the application types the agency receives on that track.
_ON_TRACK = {
    (a, track): tuple(k for k in _RECEIVES[a] if track is ApplicationKind.DESIGNATION or k.track is track)
    for a in Agency
    for track in ApplicationKind
}


def _linked(
    draw: st.DrawFn, events: tuple[RegulatoryEvent, ...], apps: tuple[Application, ...]
) -> tuple[tuple[RegulatoryEvent, ...], tuple[Application, ...]]:
    """*events*, some naming an application filed in their jurisdiction on their track, and the applications.

    An event that no drawn application fits gets one of its own, of a type its agency receives.
    """
    import attrs

    mask = draw(_mask(2 * len(events)))
    if not mask:
        return events, apps
    held = list(apps)
    out = []
    for n, event in enumerate(events):
        if mask >> 2 * n & 3 == 3:  # a quarter of the events name an application
            track = event.kind.application
            fits = [
                a.id
                for a in held
                if a.jurisdiction == event.jurisdiction and track in (ApplicationKind.DESIGNATION, a.kind.track)
            ]
            if fits:
                chosen = fits[draw(st.integers(0, len(fits) - 1))]
            else:
                # Named after its agency and place (no text draw): "fda 2" is distinct among the asset's ids.
                taken = {a.id for a in held}
                chosen = f"{event.agency.code} {n}"
                while chosen in taken:
                    chosen += "'"
                kind = draw(st.sampled_from(_ON_TRACK[event.agency, track]))
                held.append(Application(id=chosen, agency=event.agency, kind=kind))
            event = attrs.evolve(event, application=chosen)
        out.append(event)
    return tuple(out), tuple(held)


# -- assets and portfolios ------------------------------------------------------------------------------

_ASSET_FIELDS = (
    ("description", _TEXT),
    ("aliases", _tuples(_ALIAS, 2, 1)),
    ("indications", _tuples(_INDICATION, 2, 1)),
    ("sources", _SOURCES),
)


@st.composite
def _business(draw: st.DrawFn) -> dict[str, Any]:
    return _fields(draw, _BUSINESS_FIELDS)


#: The business facts of format version 2; an asset has them a quarter of the time, each then half the time.
_BUSINESS_FIELDS = (
    ("applications", _tuples(_APPLICATION, 2, 1).map(_first_by_id)),
    ("parties", _tuples(_PARTY, 2, 1)),
    ("deals", _tuples(deals(), 1, 1)),
)
_BUSINESS = _business()
_MODALITY = _enum(Modality)
_ORIGIN = _enum(AntibodyOrigin)
_TARGET_COUNT = st.integers(0, 3)


def _distinct_symbols(draw: st.DrawFn, n: int) -> list[str]:
    # An asset's targets are distinct; a suffix would not be an approved symbol, so a repeat is redrawn
    # (among 40,000 symbols a repeat is rare, so this does not filter in practice).
    out: list[str] = []
    while len(out) < n:
        symbol = draw(_SYMBOL)
        if symbol not in out:
            out.append(symbol)
    return out


def _first_by_key(trial_list: Iterable[Trial]) -> tuple[Trial, ...]:
    # Trials of one asset have distinct keys: of drawn trials with equal keys the first is kept.
    kept: dict[str, Trial] = {}
    for trial in trial_list:
        kept.setdefault(trial.key, trial)
    return tuple(kept.values())


def _draw_default_asset(draw: st.DrawFn, code: str, max_events: int, max_trials: int) -> Asset:
    modality = draw(_MODALITY)
    n_targets = 2 if modality.is_bispecific else draw(_TARGET_COUNT)
    symbols = _distinct_symbols(draw, n_targets)
    fields = _fields(draw, _ASSET_FIELDS, (("business", _BUSINESS),))
    fields.update(fields.pop("business", {}))
    if modality.is_antibody_based and draw(st.booleans()):
        fields["antibody_origin"] = draw(_ORIGIN)
    trial_list = draw(_tuples(trials(), max_trials))
    events, fields["applications"] = _linked(
        draw, draw(_tuples(regulatory_events(), max_events)), fields.get("applications", ())
    )
    return Asset(
        code=code,
        sponsor=draw(_TEXT),
        modality=modality,
        targets=tuple(_draw_target(draw, s) for s in symbols),
        events=events,
        trials=_first_by_key(trial_list),
        **fields,
    )


@functools.cache
def _assets(
    code: st.SearchStrategy[str] | None, max_events: int, max_trials: int, realistic: bool
) -> st.SearchStrategy[Asset]:
    codes = code if code is not None else (_REALISTIC_CODE if realistic else _SHORT)
    build = _draw_realistic_asset if realistic else _draw_default_asset

    @st.composite
    def draw_asset(draw: st.DrawFn) -> Asset:
        return build(draw, draw(codes), max_events, max_trials)

    return draw_asset()


def assets(
    code: st.SearchStrategy[str] | None = None,
    max_events: int = 3,
    max_trials: int = 2,
    *,
    realistic: bool = False,
) -> st.SearchStrategy[Asset]:
    """Assets that satisfy every cross-field rule (a bispecific has exactly two targets).

    At most *max_events* regulatory events and *max_trials* trials (distinct by
    `Trial.key`), 3 targets, 2 aliases and 2 indications. With *realistic*, assets
    look like pipeline data (see the module docstring): an ASCII code such as
    ``JS212`` (unless *code* is given), real gene targets, an ordered regulatory
    history per agency, and trials that start after a clearance in their
    countries; *max_events* then does not apply (a history has what its stages need).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(assets())
    ... def check(asset):
    ...     assert not asset.modality.is_bispecific or len(asset.targets) == 2
    >>> check()
    >>> @settings(max_examples=10)
    ... @given(assets(realistic=True))
    ... def check_realistic(asset):
    ...     assert asset.code.isascii() and asset.code.isalnum() or "-" in asset.code
    >>> check_realistic()
    """
    return _assets(code, max_events, max_trials, realistic)


def _distinct_codes(found: list[Asset]) -> tuple[Asset, ...]:
    # Equal drawn codes get a suffix instead of being redrawn: a portfolio's codes are distinct.
    seen: set[str] = set()
    out = []
    for i, asset in enumerate(found):
        code = asset.code
        while code in seen:
            code += f"-{i}"
        seen.add(code)
        out.append(asset if code == asset.code else _with_code(asset, code))
    return tuple(out)


def _with_code(asset: Asset, code: str) -> Asset:
    import attrs

    return attrs.evolve(asset, code=code)


@functools.cache
def _portfolios(max_assets: int, realistic: bool, max_trials: int) -> st.SearchStrategy[Portfolio]:
    found = st.lists(assets(realistic=realistic), max_size=max_assets)
    if not max_trials:
        return found.map(lambda a: Portfolio(assets=_distinct_codes(a)))
    root = st.lists(trials(), max_size=max_trials).map(_first_by_key)
    return st.tuples(found, root).map(lambda ar: Portfolio(assets=_distinct_codes(ar[0]), trials=ar[1]))


def portfolios(max_assets: int = 3, *, realistic: bool = False, max_trials: int = 0) -> st.SearchStrategy[Portfolio]:
    """Portfolios of up to *max_assets* assets with distinct codes (realistic ones with *realistic*).

    With *max_trials*, also up to that many registry trials (``Portfolio.trials``) with distinct keys.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(portfolios())
    ... def check(portfolio):
    ...     assert len({a.code for a in portfolio.assets}) == len(portfolio)
    >>> check()
    """
    return _portfolios(max_assets, realistic, max_trials)


# -- the realistic flavour --------------------------------------------------------------------------------

#: Real gene targets: symbol, aliases, HGNC, UniProt and Ensembl ids.
_REAL_TARGETS = (
    ("EGFR", ("ERBB1", "HER1"), "HGNC:3236", "P00533", "ENSG00000146648"),
    ("ERBB2", ("HER2",), "HGNC:3430", "P04626", "ENSG00000141736"),
    ("ERBB3", ("HER3",), "HGNC:3431", "P21860", "ENSG00000065361"),
    ("KRAS", (), "HGNC:6407", "P01116", "ENSG00000133703"),
    ("MET", ("HGFR",), "HGNC:7029", "P08581", "ENSG00000105976"),
    ("CD19", (), "HGNC:1633", "P15391", "ENSG00000177455"),
    ("TNFRSF17", ("BCMA",), "HGNC:11913", "Q02223", "ENSG00000048462"),
    ("PDCD1", ("PD-1",), "HGNC:8760", "Q15116", "ENSG00000188389"),
    ("CD274", ("PD-L1",), "HGNC:17635", "Q9NZQ7", "ENSG00000120217"),
    ("TACSTD2", ("TROP2",), "HGNC:11530", "P09758", "ENSG00000184292"),
    ("CLDN18", (), "HGNC:2039", "P56856", "ENSG00000066405"),
    ("DLL3", (), "HGNC:2909", "Q9NYJ7", "ENSG00000090932"),
)
_REAL_TARGET_OBJECTS = tuple(
    Target(symbol=s, aliases=a, hgnc_id=h, uniprot_id=u, ensembl_id=e) for s, a, h, u, e in _REAL_TARGETS
)
_DISEASES = (
    "non-small cell lung cancer",
    "colorectal cancer",
    "head and neck squamous cell carcinoma",
    "gastric cancer",
    "multiple myeloma",
    "diffuse large B-cell lymphoma",
    "triple-negative breast cancer",
    "advanced solid tumors",
)
#: Each disease's abbreviation, MeSH descriptor and ICD-10 code (where it has them).
_DISEASE_FACTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "non-small cell lung cancer": (("NSCLC",), ("MESH:D002289", "ICD10:C34")),
    "colorectal cancer": (("CRC",), ("MESH:D015179", "ICD10:C18")),
    "head and neck squamous cell carcinoma": (("HNSCC",), ("MESH:D000077195",)),
    "gastric cancer": (("GC", "stomach cancer"), ("MESH:D013274", "ICD10:C16")),
    "multiple myeloma": (("MM",), ("MESH:D009101", "ICD10:C90.0")),
    "diffuse large B-cell lymphoma": (("DLBCL",), ("MESH:D016403", "ICD10:C83.3")),
    "triple-negative breast cancer": (("TNBC",), ("MESH:D064726",)),
    "advanced solid tumors": ((), ()),
}
_REAL_INDICATIONS = {
    name: Indication(name=name, synonyms=synonyms, ids=ids) for name, (synonyms, ids) in _DISEASE_FACTS.items()
}
_PARTNER_NAMES = ("Global Pharma", "Atlas Oncology", "Beacon Medicines", "Orchid Biopharma")
_SPONSOR_NAMES = ("Apex", "Lumen", "Northstar", "Helix", "Corvid", "Meridian", "Sable", "Tidewater")
_SPONSOR_KINDS = ("Biosciences", "Therapeutics", "Pharma", "Biologics")
_PUBLISHERS = ("PR Newswire", "Business Wire", "GlobeNewswire", "company website")
_ENDPOINT_TEXTS = (
    (EndpointKind.SAFETY, "Incidence of treatment-emergent adverse events"),
    (EndpointKind.TOLERABILITY, "Dose-limiting toxicities"),
    (EndpointKind.PHARMACOKINETICS, "Maximum plasma concentration (Cmax)"),
    (EndpointKind.ORR, "Objective response rate per RECIST v1.1"),
    (EndpointKind.PFS, "Progression-free survival"),
    (EndpointKind.OS, "Overall survival"),
)
_REAL_MODALITIES = (
    Modality.SMALL_MOLECULE,
    Modality.MONOCLONAL_ANTIBODY,
    Modality.ADC,
    Modality.BISPECIFIC_ANTIBODY,
    Modality.BISPECIFIC_ADC,
    Modality.CAR_T,
)


@st.composite
def _realistic_code(draw: st.DrawFn) -> str:
    prefix = draw(st.text(string.ascii_uppercase, min_size=2, max_size=4))
    number = draw(st.integers(1, 9999))
    return f"{prefix}{'-' if draw(st.booleans()) else ''}{number:03d}"


_REALISTIC_CODE = _realistic_code()


#: Per agency that authorises trials: the stages of an IND/CTA, each with (fewest, most) days after the one before.
_IND_STAGES: dict[Agency, tuple[tuple[EventKind, int, int], ...]] = {
    Agency.FDA: ((EventKind.IND_SUBMITTED, 0, 0), (EventKind.IND_CLEARED, 30, 45)),
    Agency.NMPA: ((EventKind.IND_SUBMITTED, 0, 0), (EventKind.IND_ACCEPTED, 3, 10), (EventKind.IND_CLEARED, 60, 90)),
    Agency.PMDA: ((EventKind.IND_SUBMITTED, 0, 0), (EventKind.IND_CLEARED, 30, 60)),
    Agency.MHRA: ((EventKind.IND_SUBMITTED, 0, 0), (EventKind.IND_ACCEPTED, 5, 14), (EventKind.IND_CLEARED, 30, 60)),
    Agency.MFDS: ((EventKind.IND_SUBMITTED, 0, 0), (EventKind.IND_CLEARED, 30, 60)),
    Agency.TGA: ((EventKind.IND_SUBMITTED, 0, 0), (EventKind.IND_CLEARED, 20, 40)),
}
_MARKETING_STAGES = (
    (EventKind.MARKETING_SUBMITTED, 0, 0),
    (EventKind.MARKETING_ACCEPTED, 45, 60),
    (EventKind.MARKETING_APPROVED, 180, 330),
)
_DESIGNATIONS = {
    Agency.FDA: (Designation.FAST_TRACK, Designation.ORPHAN_DRUG, Designation.BREAKTHROUGH_THERAPY),
    Agency.NMPA: (Designation.BREAKTHROUGH_THERAPY,),
}
_IND_AGENCIES = tuple(_IND_STAGES)
_FIRST_DAY = dt.date(2015, 1, 1).toordinal()
_LAST_FIRST_DAY = dt.date(2024, 12, 31).toordinal()


def _month_after(a: dt.date, b: dt.date) -> bool:
    return (b.year, b.month) > (a.year, a.month)


def _dated(days: list[dt.date], monthly: list[bool]) -> list[PartialDate]:
    """Partial dates for days in increasing order, each to the month where that keeps them strictly increasing."""
    out = []
    for i, day in enumerate(days):
        month_ok = (i == 0 or _month_after(days[i - 1], day)) and (i + 1 == len(days) or _month_after(day, days[i + 1]))
        out.append(PartialDate(day.year, day.month) if monthly[i] and month_ok else PartialDate.from_date(day))
    return out


def _history(
    draw: st.DrawFn, stages: Sequence[tuple[EventKind, int, int]], first: dt.date
) -> tuple[list[tuple[EventKind, dt.date]], bool]:
    """How far one application got (at least its filing), on which days; and whether it reached a decision."""
    reached = draw(st.integers(1, len(stages)))
    days, day = [], first
    for kind, low, high in stages[:reached]:
        day = day + dt.timedelta(days=draw(st.integers(low, high)))
        days.append((kind, day))
    return days, reached == len(stages)


def _events_for(
    draw: st.DrawFn,
    agency: Agency,
    steps: list[tuple[EventKind, dt.date]],
    code: str,
    designation: Designation | None,
    application: str | None = None,
    extra: dict[EventKind, dict[str, Any]] | None = None,
) -> list[RegulatoryEvent]:
    dates = _dated([d for _, d in steps], [draw(st.booleans()) for _ in steps])
    out = []
    for (kind, day), date in zip(steps, dates, strict=True):
        decision = kind.is_decision or kind is EventKind.DESIGNATION_GRANTED
        # Decisions are often known only from the announcement: "on or before" that day.
        basis = DateBasis.ANNOUNCED if decision and date.day is not None and draw(st.booleans()) else DateBasis.ACTUAL
        sources: tuple[Source, ...] = ()
        if decision and draw(st.booleans()):
            what = kind.label if designation is None else f"{designation.code.replace('_', ' ')} designation"
            sources = (
                Source(
                    title=f"{code} receives {agency.abbreviation} {what}",
                    publisher=draw(st.sampled_from(_PUBLISHERS)),
                    url=f"https://www.example.com/news/{code.lower()}-{agency.code}-{kind.code}",
                    published=PartialDate.from_date(day),
                ),
            )
        designated = designation if kind is EventKind.DESIGNATION_GRANTED else None
        fields = dict((extra or {}).get(kind, {}))
        if not sources and decision and draw(st.integers(0, 3)) == 0:
            # Announced later than it happened, with no source to date it: a disclosed day says when.
            fields["disclosed"] = PartialDate.from_date(day + dt.timedelta(days=draw(st.integers(0, 30))))
        out.append(
            RegulatoryEvent(
                agency=agency,
                kind=kind,
                date=FactDate(date, basis),
                designation=designated,
                application=application,
                sources=sources,
                **fields,
            )
        )
    return out


#: The trial application type each agency of `_IND_STAGES` receives (the UK's is a CTA).
_TRIAL_APPLICATION = {a: ApplicationType.CTA if a is Agency.MHRA else ApplicationType.IND for a in _IND_STAGES}


def _marketing_type(agency: Agency, biologic: bool) -> ApplicationType:
    if agency is Agency.FDA:
        return ApplicationType.BLA if biologic else ApplicationType.NDA
    if agency is Agency.NMPA:
        return ApplicationType.NMPA_MARKETING
    return ApplicationType.MAA if agency is Agency.MHRA else ApplicationType.MARKETING


def _marketing_facts(draw: st.DrawFn, agency: Agency, accepted: dt.date | None) -> dict[EventKind, dict[str, Any]]:
    """Review type and goal date of the acceptance, pathway of the approval (FDA: accelerated; others: conditional)."""
    priority = draw(st.integers(0, 2)) == 0
    review = ReviewType.PRIORITY if priority else ReviewType.STANDARD
    accepted_facts: dict[str, Any] = {"review": review}
    if agency is Agency.FDA and accepted is not None:
        goal = accepted + dt.timedelta(days=(120 if priority else 240) + draw(st.integers(0, 20)))
        accepted_facts["goal_date"] = PartialDate.from_date(goal)
    expedited = Pathway.ACCELERATED if agency is Agency.FDA else Pathway.CONDITIONAL
    pathway = expedited if draw(st.integers(0, 3)) == 0 else Pathway.TRADITIONAL
    return {EventKind.MARKETING_ACCEPTED: accepted_facts, EventKind.MARKETING_APPROVED: {"pathway": pathway}}


def _realistic_events(
    draw: st.DrawFn, code: str, biologic: bool
) -> tuple[list[RegulatoryEvent], dict[str, dt.date], list[Application]]:
    """An ordered regulatory history, the last day of each observed clearance by country, and the applications."""
    first_agency = draw(st.sampled_from(_IND_AGENCIES))
    agencies = [first_agency]
    if draw(st.booleans()):
        second = draw(st.sampled_from(_IND_AGENCIES))
        if second is not first_agency:
            agencies.append(second)
    start = dt.date.fromordinal(draw(st.integers(_FIRST_DAY, _LAST_FIRST_DAY)))
    events: list[RegulatoryEvent] = []
    cleared: dict[str, dt.date] = {}
    applications: list[Application] = []
    for n, agency in enumerate(agencies):
        first = start + dt.timedelta(days=n * draw(st.integers(30, 400)))
        steps, decided = _history(draw, _IND_STAGES[agency], first)
        trial_type = _TRIAL_APPLICATION[agency]
        trial_app = Application(id=f"{agency.jurisdiction} {trial_type.label}", agency=agency, kind=trial_type)
        applications.append(trial_app)
        history = _events_for(draw, agency, steps, code, None, trial_app.id)
        if decided:
            cleared[agency.jurisdiction] = history[-1].date.latest
            later = steps[-1][1]
            if agency in _DESIGNATIONS and draw(st.booleans()):
                designation = draw(st.sampled_from(_DESIGNATIONS[agency]))
                later += dt.timedelta(days=draw(st.integers(60, 540)))
                history += _events_for(draw, agency, [(EventKind.DESIGNATION_GRANTED, later)], code, designation)
            if draw(st.integers(0, 3)) == 0:
                filed = later + dt.timedelta(days=draw(st.integers(700, 1800)))
                marketing, _ = _history(draw, _MARKETING_STAGES, filed)
                kind = _marketing_type(agency, biologic)
                app = Application(id=f"{agency.jurisdiction} {kind.label}", agency=agency, kind=kind)
                applications.append(app)
                accepted = marketing[1][1] if len(marketing) > 1 else None
                facts = _marketing_facts(draw, agency, accepted)
                history += _events_for(draw, agency, marketing, code, None, app.id, facts)
        events += history
    events.sort(key=lambda e: e.date.date.earliest)  # stable: an agency's own events stay in their order
    return events, cleared, applications


_RUNNING_STATUSES = (
    TrialStatus.RECRUITING,
    TrialStatus.ACTIVE_NOT_RECRUITING,
    TrialStatus.COMPLETED,
    TrialStatus.TERMINATED,
)
_TRIAL_PHASES = (Phase.PHASE1, Phase.PHASE1_2, Phase.PHASE2, Phase.PHASE3)
_WHY_STOPPED = ("Sponsor decision", "Slow enrollment", "Portfolio prioritisation")


def _realistic_trial(
    draw: st.DrawFn, asset_code: str, sponsor: str, diseases: Sequence[str], cleared: dict[str, dt.date], nct: int
) -> Trial:
    serial = nct % 10
    countries = sorted(cleared)
    chosen = countries[: draw(st.integers(1, len(countries)))] if countries else []
    phase = draw(st.sampled_from(_TRIAL_PHASES))
    disease = draw(st.sampled_from(diseases))
    title = f"A {phase.label} Study of {asset_code} in Patients With {disease[0].upper()}{disease[1:]} ({serial})"
    if not chosen:  # no clearance yet: only a plan
        status, after = TrialStatus.PLANNED, dt.date(2026, 1, 1)
    else:
        status = draw(st.sampled_from((TrialStatus.NOT_YET_RECRUITING, *_RUNNING_STATUSES)))
        after = max(cleared[c] for c in chosen)
    first = after + dt.timedelta(days=draw(st.integers(1, 180)))
    planned = status in (TrialStatus.PLANNED, TrialStatus.NOT_YET_RECRUITING)
    start = FactDate(PartialDate.from_date(first), DateBasis.ESTIMATED if planned else DateBasis.ACTUAL)
    primary_end = first + dt.timedelta(days=draw(st.integers(365, 1095)))
    ended = status in (TrialStatus.COMPLETED, TrialStatus.TERMINATED)
    end_basis = DateBasis.ACTUAL if ended else DateBasis.ESTIMATED
    n_endpoints = draw(st.integers(1, 3))
    endpoint_list = tuple(
        Endpoint(
            kind=kind,
            description=text,
            role=EndpointRole.PRIMARY if i == 0 else EndpointRole.SECONDARY,
            time_frame="Up to 24 months",
        )
        for i, (kind, text) in enumerate(_ENDPOINT_TEXTS[serial % 2 : serial % 2 + n_endpoints])
    )
    early = phase in (Phase.PHASE1, Phase.PHASE1_2)
    return Trial(
        title=title,
        status=status,
        phase=phase,
        ids=() if status is TrialStatus.PLANNED else (RegistryId(f"NCT{nct:08d}"),),
        study_type=StudyType.INTERVENTIONAL,
        design=TrialDesign(
            masking=Masking.NONE if early else Masking.DOUBLE,
            primary_purpose=PrimaryPurpose.TREATMENT,
            parts=(DesignPart.DOSE_ESCALATION, DesignPart.DOSE_EXPANSION) if early else (),
            therapy=TherapyMode.MONOTHERAPY,
        ),
        endpoints=endpoint_list,
        conditions=(disease,),
        countries=tuple(chosen),
        sponsor=Organization(name=sponsor, kind=SponsorClass.INDUSTRY),
        enrollment=Enrollment(count=draw(st.integers(12, 600)), estimated=not ended),
        start=start,
        primary_completion=FactDate(PartialDate(primary_end.year, primary_end.month), end_basis),
        why_stopped=draw(st.sampled_from(_WHY_STOPPED)) if status is TrialStatus.TERMINATED else None,
    )


def _realistic_partners(
    draw: st.DrawFn, sponsor: str, events: Sequence[RegulatoryEvent]
) -> tuple[tuple[Party, ...], tuple[Deal, ...]]:
    """The sponsor as originator; sometimes a licensee outside the first agency's country, by a dated deal."""
    originator = Party(name=sponsor, role=PartyRole.ORIGINATOR)
    if not events or draw(st.integers(0, 2)):
        return (originator,), ()
    home = events[0].jurisdiction
    partner = draw(st.sampled_from(_PARTNER_NAMES))
    signed = events[0].date.latest + dt.timedelta(days=draw(st.integers(30, 720)))
    territory = Territory(worldwide=True, excluding=(home,))
    kind = draw(st.sampled_from((DealKind.LICENSE, DealKind.CO_DEVELOPMENT)))
    role = PartyRole.LICENSEE if kind is DealKind.LICENSE else PartyRole.CO_DEVELOPER
    upfront = draw(st.integers(1, 50)) * 10_000_000
    deal = Deal(
        kind=kind,
        date=FactDate(PartialDate.from_date(signed), DateBasis.ACTUAL),
        parties=(sponsor, partner),
        territory=territory,
        upfront=Money(amount=upfront, currency="USD"),
        total=Money(amount=upfront * draw(st.integers(2, 20)), currency="USD"),
    )
    licensee = Party(name=partner, role=role, territory=territory, start=PartialDate.from_date(signed))
    return (originator, licensee), (deal,)


def _draw_realistic_asset(draw: st.DrawFn, code: str, max_events: int, max_trials: int) -> Asset:
    del max_events  # a history has the events its stages need
    modality = draw(st.sampled_from(_REAL_MODALITIES))
    first = draw(st.integers(0, len(_REAL_TARGET_OBJECTS) - 1))
    n_targets = 2 if modality.is_bispecific else draw(st.integers(1, 2))
    chosen = [_REAL_TARGET_OBJECTS[(first + k * draw(st.integers(1, 5))) % len(_REAL_TARGET_OBJECTS)] for k in (0, 1)]
    target_list = tuple({t.symbol: t for t in chosen[:n_targets]}.values())
    if len(target_list) < n_targets:  # the same target twice: take its neighbour
        target_list += (_REAL_TARGET_OBJECTS[(first + 1) % len(_REAL_TARGET_OBJECTS)],)
    diseases = sorted({_DISEASES[draw(st.integers(0, len(_DISEASES) - 1))] for _ in range(draw(st.integers(1, 2)))})
    sponsor = f"{draw(st.sampled_from(_SPONSOR_NAMES))} {draw(st.sampled_from(_SPONSOR_KINDS))}"
    events, cleared, applications = _realistic_events(draw, code, modality.is_antibody_based)
    parties, deals = _realistic_partners(draw, sponsor, events)
    n_trials = draw(st.integers(0, max_trials))
    nct = draw(st.integers(10**6, 10**7 - 1)) * 10  # the trials' ids: nct + 1, nct + 2, ...
    return Asset(
        code=code,
        sponsor=sponsor,
        modality=modality,
        antibody_origin=AntibodyOrigin.HUMANIZED if modality.is_antibody_based else None,
        description=f"Investigational {modality.code.replace('_', ' ')} targeting "
        + " and ".join(t.symbol for t in target_list),
        targets=target_list,
        indications=tuple(_REAL_INDICATIONS[d] for d in diseases),
        events=tuple(events),
        applications=tuple(applications),
        parties=parties,
        deals=deals,
        trials=tuple(_realistic_trial(draw, code, sponsor, diseases, cleared, nct + i + 1) for i in range(n_trials)),
    )


# Importing this module is enough for ``st.from_type(Asset)``: registration is
# the entry point's job, and it runs here too in case entry points are disabled.
_hypothesis_setup_hook()
