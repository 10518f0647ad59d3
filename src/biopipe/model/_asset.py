"""Assets (drug candidates), their targets, indications and regulatory events."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator

import attrs

from . import _genes
from . import _validate as v
from ._application import Actor, Application, Pathway, ReviewType
from ._dates import FactDate, PartialDate
from ._errors import Problem
from ._ids import ENSEMBL_GENE, HGNC_ID, UNIPROT
from ._parties import Deal, Party
from ._source import Source, public_on
from ._trial import Trial, with_trials
from ._vocab import (
    Agency,
    AliasKind,
    AntibodyOrigin,
    ApplicationKind,
    Designation,
    EventKind,
    IndicationRole,
    Modality,
)

__all__ = ["DISEASE_ID", "Alias", "Asset", "Indication", "Portfolio", "RegulatoryEvent", "Target", "normalize_term"]


@attrs.frozen(kw_only=True)
class Target:
    """A molecular target: HGNC symbol, aliases and optional HGNC, UniProt and Ensembl ids.

    >>> from biopipe import Target
    >>> her3 = Target(symbol="ERBB3", aliases=("HER3",), hgnc_id="HGNC:3431",
    ...               uniprot_id="P21860", ensembl_id="ENSG00000065361")
    >>> her3.matches("her3"), her3.matches("EGFR")
    (True, False)
    >>> Target(symbol="ERBB3", uniprot_id="P2186")
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in field 'uniprot_id':
      uniprot_id: got 'P2186', expected a UniProtKB accession such as 'P21860'

    The symbol is the gene's approved HGNC symbol (`biopipe.model.resolve_symbol` finds it); HGNC's
    previous symbols and aliases of it match without being listed in ``aliases``:

    >>> Target(symbol="ERBB2").matches("HER2")
    True
    >>> Target(symbol="TROP2")
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in field 'symbol':
      symbol: got 'TROP2', expected an approved HGNC gene symbol
      ('TROP2' is an alias of TACSTD2: use the approved symbol 'TACSTD2')
    """

    symbol: str = attrs.field(validator=_genes.approved_symbol)
    name: str | None = attrs.field(default=None, validator=v.optional(v.text))
    aliases: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())
    hgnc_id: str | None = attrs.field(
        default=None, validator=v.optional(v.pattern(HGNC_ID, "an HGNC id such as 'HGNC:3431'"))
    )
    uniprot_id: str | None = attrs.field(
        default=None, validator=v.optional(v.pattern(UNIPROT, "a UniProtKB accession such as 'P21860'"))
    )
    ensembl_id: str | None = attrs.field(
        default=None,
        validator=v.optional(v.pattern(ENSEMBL_GENE, "an Ensembl gene id such as 'ENSG00000065361'")),
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The symbol followed by every alias."""
        return (self.symbol, *self.aliases)

    def matches(self, name: str) -> bool:
        """Whether *name* is this target's symbol or an alias (case-insensitive), in the record or in HGNC.

        HGNC's previous symbols and aliases of the symbol count too (``HER2`` matches ERBB2), by HGNC's
        precedence: a name that is another gene's approved symbol matches that gene only, and an alias
        that several genes share matches each of them.
        """
        folded = name.casefold()
        return any(n.casefold() == folded for n in self.names) or self.symbol in _genes.symbols_named(name)


@attrs.frozen(kw_only=True)
class Alias:
    """Another name of an asset: research code, INN or brand.

    >>> from biopipe import Alias, AliasKind
    >>> Alias(name="JS-212", kind=AliasKind.CODE).kind.code
    'code'
    """

    name: str = attrs.field(validator=v.text)
    kind: AliasKind = attrs.field(validator=v.instance(AliasKind, "an AliasKind"))


#: Disease identifiers an indication may carry: MeSH descriptors or supplementary concepts, MONDO, EFO,
#: NCI Thesaurus and ICD-10 (WHO or CM) codes, each with its prefix.
DISEASE_ID = r"MESH:[CD][0-9]{6,9}|MONDO:[0-9]{7}|EFO:[0-9]{7}|NCIT:C[0-9]{1,7}|ICD10:[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?"


def normalize_term(name: str) -> str:
    """*name* folded for matching: case, accents, hyphens, slashes and runs of spaces do not count.

    >>> from biopipe.model import normalize_term
    >>> normalize_term("Non-Small-Cell  Lung Cancer"), normalize_term("nasopharyngeal CARCINOMA")
    ('non small cell lung cancer', 'nasopharyngeal carcinoma')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Cf"))
    return " ".join(_PUNCTUATION.sub(" ", plain.casefold()).split())


_PUNCTUATION = re.compile("[-\u2010-\u2015_/,;:()'\u2019.]")


@attrs.frozen(kw_only=True)
class Indication:
    """A disease an asset is developed for, or named as a rationale for it, with synonyms and identifiers.

    ``synonyms`` are other names of the disease (abbreviations such as ``NPC``);
    ``ids`` are identifiers in public vocabularies (``MESH:D000077274``,
    ``MONDO:0015459``, ``ICD10:C11``, ``EFO:...``, ``NCIT:C...``). `matches`
    compares a name or identifier with all of them.

    >>> from biopipe import Indication, IndicationRole
    >>> Indication(name="lung cancer", role=IndicationRole.RATIONALE).role.code
    'rationale'
    >>> npc = Indication(name="nasopharyngeal carcinoma", synonyms=("NPC",), ids=("MESH:D000077274", "ICD10:C11"))
    >>> npc.matches("npc"), npc.matches("Nasopharyngeal  Carcinoma"), npc.matches("icd10:c11"), npc.matches("NCP")
    (True, True, True, False)
    """

    name: str = attrs.field(validator=v.text)
    role: IndicationRole = attrs.field(
        default=IndicationRole.INTENDED, validator=v.instance(IndicationRole, "an IndicationRole")
    )
    synonyms: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())
    ids: tuple[str, ...] = attrs.field(
        default=(),
        validator=v.TupleOf(
            v.pattern(DISEASE_ID, "disease identifiers such as 'MESH:D000077274', 'MONDO:0015459' or 'ICD10:C11'"),
            unique=True,
        ),
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every synonym.

        >>> Indication(name="nasopharyngeal carcinoma", synonyms=("NPC",)).names
        ('nasopharyngeal carcinoma', 'NPC')
        """
        return (self.name, *self.synonyms)

    def matches(self, term: str) -> bool:
        """Whether *term* is this indication's identifier (case-insensitive) or a name or synonym, normalised."""
        upper = term.strip().upper()
        if any(upper == i.upper() for i in self.ids):
            return True
        folded = normalize_term(term)
        return any(folded == normalize_term(n) for n in self.names)


@attrs.frozen(kw_only=True)
class RegulatoryEvent:
    """A dated regulatory fact: which agency did what, and when (with how the date is known).

    ``scope`` names the protocol or programme an agency decided on where it
    authorises per trial (NMPA, EU), e.g. a combination-therapy study.
    ``inferred_by`` names the rule that inferred an event that no source states.

    One press-release sentence is one event: ``application`` names the asset's
    `Application` the event belongs to; ``review`` (priority or standard) and
    ``goal_date`` (e.g. the PDUFA date) come with a submission, acceptance or
    extension; ``pathway`` with an approval (``accelerated``, ``conditional``)
    or a conversion; ``by`` says who withdrew (the sponsor or the agency).
    ``disclosed`` is the day the fact became public when no source's
    publication date says it (see `public_on`).

    >>> from biopipe import Actor, Pathway, ReviewType
    >>> accepted = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.MARKETING_ACCEPTED,
    ...                            date=FactDate.parse("2023-12-21"), review=ReviewType.PRIORITY,
    ...                            goal_date=PartialDate(2024, 6, 26), application="US BLA")
    >>> accepted.review.label, str(accepted.goal_date)
    ('priority review', '2024-06-26')
    >>> RegulatoryEvent(agency=Agency.FDA, kind=EventKind.DESIGNATION_GRANTED, designation=Designation.PRIME,
    ...                 date=FactDate.parse("2024-01"))
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in RegulatoryEvent:
      designation: got Designation.PRIME, expected a designation the FDA grants

    >>> from biopipe import Agency, DateBasis, EventKind, FactDate, PartialDate, RegulatoryEvent
    >>> fda = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.IND_CLEARED,
    ...                       date=FactDate(PartialDate(2025, 12, 14), DateBasis.ANNOUNCED))
    >>> fda.jurisdiction, str(fda.date)
    ('US', 'on or before 2025-12-14')
    """

    agency: Agency = attrs.field(validator=v.instance(Agency, "an Agency"))
    kind: EventKind = attrs.field(validator=v.instance(EventKind, "an EventKind"))
    date: FactDate = attrs.field(validator=v.instance(FactDate, "a FactDate"))
    designation: Designation | None = attrs.field(
        default=None, validator=v.optional(v.instance(Designation, "a Designation"))
    )
    scope: str | None = attrs.field(default=None, validator=v.optional(v.text))
    indication: str | None = attrs.field(default=None, validator=v.optional(v.text))
    reference: str | None = attrs.field(default=None, validator=v.optional(v.text))
    application: str | None = attrs.field(default=None, validator=v.optional(v.text))
    review: ReviewType | None = attrs.field(default=None, validator=v.optional(v.instance(ReviewType, "a ReviewType")))
    pathway: Pathway | None = attrs.field(default=None, validator=v.optional(v.instance(Pathway, "a Pathway")))
    goal_date: PartialDate | None = attrs.field(
        default=None, validator=v.optional(v.instance(PartialDate, "a PartialDate"))
    )
    by: Actor | None = attrs.field(default=None, validator=v.optional(v.instance(Actor, "an Actor")))
    disclosed: PartialDate | None = attrs.field(
        default=None, validator=v.optional(v.instance(PartialDate, "a PartialDate"))
    )
    inferred_by: str | None = attrs.field(default=None, validator=v.optional(v.text))
    note: str | None = attrs.field(default=None, validator=v.optional(v.text))
    sources: tuple[Source, ...] = attrs.field(default=(), validator=v.tuple_of_type(Source, "Source values"))

    def __attrs_post_init__(self) -> None:
        kind = self.kind
        if (
            self.designation is None
            and self.review is None
            and self.pathway is None
            and self.goal_date is None
            and self.by is None
            and kind.application is not ApplicationKind.DESIGNATION
        ):
            return  # the common case: nothing kind-specific to check
        v.raise_problems(self, self._kind_problems())

    def _kind_problems(self) -> list[Problem]:
        kind, code, problems = self.kind, self.kind.code, []
        if kind.application is ApplicationKind.DESIGNATION:
            if self.designation is None:
                problems.append(Problem("designation", None, f"a Designation for kind {code!r}"))
            elif not self.designation.granted_by(self.agency):
                problems.append(
                    Problem("designation", self.designation, f"a designation the {self.agency.abbreviation} grants")
                )
        elif self.designation is not None:
            problems.append(Problem("designation", self.designation, f"no designation for kind {code!r}"))
        if self.review is not None and kind not in _REVIEWED:
            problems.append(Problem("review", self.review, f"no review type for kind {code!r}"))
        if self.goal_date is not None and kind not in _GOAL_SETTING:
            problems.append(Problem("goal_date", self.goal_date, f"no goal date for kind {code!r}"))
        if self.pathway is not None:
            if kind not in (EventKind.MARKETING_APPROVED, EventKind.APPROVAL_CONVERTED):
                problems.append(Problem("pathway", self.pathway, f"no pathway for kind {code!r}"))
            elif kind is EventKind.APPROVAL_CONVERTED and self.pathway is not Pathway.TRADITIONAL:
                problems.append(Problem("pathway", self.pathway, "'traditional' (a conversion ends in one)"))
            elif not self.pathway.allowed_for(self.agency):
                problems.append(
                    Problem("pathway", self.pathway, f"a pathway the {self.agency.abbreviation} approves on")
                )
        if self.by is not None and not kind.is_withdrawal:
            problems.append(Problem("by", self.by, f"no actor for kind {code!r} (only withdrawals name one)"))
        return problems

    @property
    def public_on(self) -> PartialDate | None:
        """When the event became public: ``disclosed`` if given, else its earliest source's publication.

        >>> import biopipe
        >>> [str(e.public_on) for e in biopipe.example("js212").events]
        ['2025-12-15', '2025-12-15', '2025-12-15', '2025-12-14']
        """
        return public_on(self.disclosed, self.sources)

    @property
    def jurisdiction(self) -> str:
        """The jurisdiction of the deciding agency (ISO code or ``EU``)."""
        return self.agency.jurisdiction

    @property
    def is_inferred(self) -> bool:
        """Whether a rule inferred this event rather than a source stating it."""
        return self.inferred_by is not None

    @property
    def key(self) -> str:
        """The event's identity: agency, kind, designation, scope and indication (not its date).

        Two snapshots of one event have the same key when its date, reference or
        sources change. An asset may hold two events with one key (two clinical
        holds); flat tables number the later ones ``#2``, ``#3``.

        >>> import biopipe
        >>> [e.key for e in biopipe.example("js212").events][2:]
        ["nmpa ind_cleared scope='multi-cohort combination therapy studies'", \
"fda ind_cleared indication='advanced solid tumors'"]
        """
        parts = [self.agency.code, self.kind.code]
        if self.designation is not None:
            parts.append(self.designation.code)
        if self.scope is not None:
            parts.append(f"scope={self.scope!r}")
        if self.indication is not None:
            parts.append(f"indication={self.indication!r}")
        return " ".join(parts)


_REVIEWED = frozenset(
    {
        EventKind.MARKETING_SUBMITTED,
        EventKind.MARKETING_ACCEPTED,
        EventKind.REVIEW_EXTENDED,
        EventKind.MARKETING_APPROVED,
    }
)
_GOAL_SETTING = frozenset({EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED, EventKind.REVIEW_EXTENDED})


@attrs.frozen(kw_only=True)
class Asset:
    """A drug candidate with its targets, indications, regulatory events and trials.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> js212.code, js212.modality.code, [t.symbol for t in js212.targets]
    ('JS212', 'bispecific_adc', ['EGFR', 'ERBB3'])

    A bispecific names exactly two targets:

    >>> import attrs
    >>> attrs.evolve(js212, targets=js212.targets[:1])
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in Asset:
      targets: got (Target(symbol='EGFR', ..., expected exactly two targets for modality 'bispecific_adc'
    """

    code: str = attrs.field(validator=v.text)
    sponsor: str = attrs.field(validator=v.text)
    modality: Modality = attrs.field(validator=v.instance(Modality, "a Modality"))
    antibody_origin: AntibodyOrigin | None = attrs.field(
        default=None, validator=v.optional(v.instance(AntibodyOrigin, "an AntibodyOrigin"))
    )
    description: str | None = attrs.field(default=None, validator=v.optional(v.text))
    aliases: tuple[Alias, ...] = attrs.field(default=(), validator=v.tuple_of_type(Alias, "Alias values"))
    targets: tuple[Target, ...] = attrs.field(default=(), validator=v.tuple_of_type(Target, "Target values"))
    indications: tuple[Indication, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(Indication, "Indication values")
    )
    events: tuple[RegulatoryEvent, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(RegulatoryEvent, "RegulatoryEvent values")
    )
    trials: tuple[Trial, ...] = attrs.field(default=(), validator=v.tuple_of_type(Trial, "Trial values"))
    applications: tuple[Application, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(Application, "Application values")
    )
    parties: tuple[Party, ...] = attrs.field(default=(), validator=v.tuple_of_type(Party, "Party values"))
    deals: tuple[Deal, ...] = attrs.field(default=(), validator=v.tuple_of_type(Deal, "Deal values"))
    sources: tuple[Source, ...] = attrs.field(default=(), validator=v.tuple_of_type(Source, "Source values"))

    def __attrs_post_init__(self) -> None:
        v.raise_problems(self, self._cross_field_problems())

    def _cross_field_problems(self) -> list[Problem]:
        problems = []
        if self.modality.is_bispecific and len(self.targets) != 2:
            problems.append(
                Problem("targets", self.targets, f"exactly two targets for modality {self.modality.code!r}")
            )
        if self.antibody_origin is not None and not self.modality.is_antibody_based:
            problems.append(
                Problem(
                    "antibody_origin",
                    self.antibody_origin,
                    f"no antibody origin for modality {self.modality.code!r}",
                )
            )
        seen: set[str] = set()
        for i, target in enumerate(self.targets):
            if target.symbol in seen:
                problems.append(Problem(f"targets[{i}].symbol", target.symbol, "distinct target symbols"))
            seen.add(target.symbol)
        keys: set[str] = set()
        for i, trial in enumerate(self.trials):
            if trial.key in keys:
                problems.append(Problem(f"trials[{i}]", trial.key, "distinct trials (by first id or title)"))
            keys.add(trial.key)
        if self.applications or any(e.application is not None for e in self.events):
            problems += self._application_problems()
        return problems

    def _application_problems(self) -> list[Problem]:
        problems = []
        by_id: dict[str, Application] = {}
        for i, application in enumerate(self.applications):
            if application.id in by_id:
                problems.append(Problem(f"applications[{i}].id", application.id, "distinct application ids"))
            by_id[application.id] = application
        for i, event in enumerate(self.events):
            if event.application is None:
                continue
            named = by_id.get(event.application)
            if named is None:
                known = ", ".join(repr(a) for a in by_id) or "none on record"
                problems.append(Problem(f"events[{i}].application", event.application, f"an application id ({known})"))
                continue
            application = named
            if application.jurisdiction != event.jurisdiction:
                problems.append(
                    Problem(
                        f"events[{i}].application",
                        event.application,
                        f"an application filed in {event.jurisdiction} (it is filed with the "
                        f"{application.agency.abbreviation})",
                    )
                )
            elif event.kind.application not in (ApplicationKind.DESIGNATION, application.kind.track):
                problems.append(
                    Problem(
                        f"events[{i}].application",
                        event.application,
                        f"a {event.kind.application.label} application for kind {event.kind.code!r} "
                        f"(it is a {application.kind.label})",
                    )
                )
        return problems

    def application(self, id: str) -> Application | None:
        """The application with this id, or None.

        >>> import biopipe
        >>> biopipe.example("js212").application("US IND").kind
        ApplicationType.IND
        """
        return next((a for a in self.applications if a.id == id), None)

    def lifecycle(self, application: str) -> tuple[RegulatoryEvent, ...]:
        """The events of one application, in record order: its dated lifecycle.

        >>> import biopipe
        >>> [(e.kind.code, str(e.date)) for e in biopipe.example("js212").lifecycle("CN IND")]
        [('ind_accepted', '2025-01'), ('ind_cleared', '2025-03')]
        """
        return tuple(e for e in self.events if e.application == application)

    def indications_named(self, term: str) -> tuple[Indication, ...]:
        """The indications that `Indication.matches` *term* (a name, synonym or identifier).

        >>> import biopipe
        >>> [i.name for i in biopipe.example("js212").indications_named("Lung-Cancer")]
        ['lung cancer']
        """
        return tuple(i for i in self.indications if i.matches(term))

    @property
    def names(self) -> tuple[str, ...]:
        """The code followed by every alias name."""
        return (self.code, *(a.name for a in self.aliases))

    def with_trials(self, trials: Iterable[Trial]) -> Asset:
        """The asset with *trials* added: a trial whose key it holds is replaced in place, new ones go last.

        Among *trials*, the last of a key wins. This is the one rule for
        attaching trials to an asset (a ClinicalTrials.gov import, linking).

        >>> import attrs, biopipe
        >>> js212 = biopipe.example("js212")
        >>> recruiting = attrs.evolve(js212.trials[1], status=biopipe.TrialStatus.RECRUITING)
        >>> [t.status.code for t in js212.with_trials([recruiting]).trials]
        ['recruiting', 'recruiting']
        >>> len(js212.with_trials([attrs.evolve(recruiting, title="Another study")]).trials)
        3
        """
        held = with_trials(self.trials, trials)
        return self if held is self.trials else attrs.evolve(self, trials=held)

    def targets_named(self, name: str) -> tuple[Target, ...]:
        """The targets whose symbol or alias is *name* (``HER3`` finds ERBB3).

        >>> import biopipe
        >>> [t.symbol for t in biopipe.example("js212").targets_named("HER3")]
        ['ERBB3']
        """
        return tuple(t for t in self.targets if t.matches(name))


@attrs.frozen(kw_only=True)
class Portfolio(Collection[Asset]):
    """Many assets, each code at most once, and registry trials not linked to any asset: a biopipe document.

    A read-only collection of its assets: ``len``, iteration (in record order)
    and ``in`` work, and ``portfolio[name]`` finds an asset by its code or by
    any alias (case-insensitive; an exact code wins). A name that no asset or
    more than one asset carries is a `KeyError` that says so.

    ``trials`` holds registry trials that are not (yet) linked to an asset,
    such as a ClinicalTrials.gov import without ``--asset``; each keeps its
    sponsor as the registry gives it, and their keys are distinct. They are not
    assets: ``len``, iteration and ``in`` are about the assets only, and
    queries and checks over a portfolio (timeline, state, `biopipe.review.check`)
    read its assets only; what holds or compares records (diff, the FHIR
    export and the flat tables) reads its trials too.

    >>> import biopipe
    >>> p = biopipe.Portfolio(assets=(biopipe.example("js212"),))
    >>> p["JS212"].sponsor
    'Junshi Biosciences'
    >>> len(p), [a.code for a in p], "JS212" in p, "js212" in p, "JS001" in p
    (1, ['JS212'], True, True, False)
    >>> p.get("JS001") is None
    True
    >>> registry = biopipe.Portfolio(trials=p["JS212"].trials)
    >>> len(registry), [t.phase for t in registry.trials]
    (0, [Phase.PHASE1_2, None])
    """

    assets: tuple[Asset, ...] = attrs.field(default=(), validator=v.tuple_of_type(Asset, "Asset values"))
    trials: tuple[Trial, ...] = attrs.field(default=(), validator=v.tuple_of_type(Trial, "Trial values"))

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        problems = []
        for i, asset in enumerate(self.assets):
            if asset.code in seen:
                problems.append(Problem(f"assets[{i}].code", asset.code, "distinct asset codes"))
            seen.add(asset.code)
        keys: set[str] = set()
        for i, trial in enumerate(self.trials):
            if trial.key in keys:
                problems.append(Problem(f"trials[{i}]", trial.key, "distinct trials (by first id or title)"))
            keys.add(trial.key)
        v.raise_problems(self, problems)

    def __getitem__(self, name: str) -> Asset:
        for asset in self.assets:
            if asset.code == name:
                return asset
        try:
            folded = name.casefold()
        except AttributeError:  # not a name: no asset has it
            raise KeyError(name) from None
        found = [a for a in self.assets if folded in (n.casefold() for n in a.names)]
        if len(found) == 1:
            return found[0]
        if found:
            codes = ", ".join(a.code for a in found)
            raise KeyError(f"{name!r} names more than one asset ({codes}); use the asset code")
        raise KeyError(name)

    def get(self, name: str, default: Asset | None = None) -> Asset | None:
        """The asset with code or alias *name*, or *default* when there is none."""
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Asset):
            return item in self.assets
        if not isinstance(item, str):
            return False
        folded = item.casefold()
        return any(folded == n.casefold() for a in self.assets for n in a.names)

    def __iter__(self) -> Iterator[Asset]:
        return iter(self.assets)

    def __len__(self) -> int:
        return len(self.assets)
