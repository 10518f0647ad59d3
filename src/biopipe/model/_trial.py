"""Trials: design, endpoints, arms and the dates of a study."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from . import _validate as v
from ._dates import FactDate, PartialDate
from ._errors import Problem
from ._ids import RegistryId
from ._source import Source, public_on
from ._vocab import (
    Allocation,
    ArmType,
    DateBasis,
    DesignPart,
    EndpointKind,
    EndpointRole,
    InterventionModel,
    InterventionType,
    Masking,
    Phase,
    PrimaryPurpose,
    SponsorClass,
    StudyType,
    TherapyMode,
    TrialStatus,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "Arm",
    "Endpoint",
    "Enrollment",
    "Intervention",
    "Organization",
    "SourceTerm",
    "Trial",
    "TrialDesign",
]


def _opt(cls: type, expected: str) -> v.Optional:
    return v.optional(v.instance(cls, expected))


@attrs.frozen(kw_only=True)
class Endpoint:
    """What a trial measures: kind, description, role (when the source says) and time frame.

    >>> from biopipe import Endpoint, EndpointKind, EndpointRole
    >>> Endpoint(kind=EndpointKind.ORR, description="Objective response rate", role=EndpointRole.PRIMARY)
    Endpoint(kind=EndpointKind.ORR, description='Objective response rate', role=EndpointRole.PRIMARY, time_frame=None)
    """

    kind: EndpointKind = attrs.field(validator=v.instance(EndpointKind, "an EndpointKind"))
    description: str = attrs.field(validator=v.text)
    role: EndpointRole | None = attrs.field(default=None, validator=_opt(EndpointRole, "an EndpointRole"))
    time_frame: str | None = attrs.field(default=None, validator=v.optional(v.text))

    @property
    def key(self) -> str:
        """The endpoint's identity within its trial: kind and description (not role or time frame).

        >>> from biopipe import Endpoint, EndpointKind
        >>> Endpoint(kind=EndpointKind.ORR, description="Objective response rate").key
        "orr 'Objective response rate'"
        """
        return f"{self.kind.code} {self.description!r}"


@attrs.frozen(kw_only=True)
class TrialDesign:
    """How a trial is designed: allocation, masking, model, purpose, parts and therapy mode.

    Combination partners are named only for combination therapy.

    >>> from biopipe import DesignPart, Masking, TrialDesign
    >>> d = TrialDesign(masking=Masking.NONE,
    ...                 parts=(DesignPart.DOSE_ESCALATION, DesignPart.DOSE_EXPANSION))
    >>> d.is_open_label
    True
    """

    allocation: Allocation | None = attrs.field(default=None, validator=_opt(Allocation, "an Allocation"))
    masking: Masking | None = attrs.field(default=None, validator=_opt(Masking, "a Masking"))
    intervention_model: InterventionModel | None = attrs.field(
        default=None, validator=_opt(InterventionModel, "an InterventionModel")
    )
    primary_purpose: PrimaryPurpose | None = attrs.field(
        default=None, validator=_opt(PrimaryPurpose, "a PrimaryPurpose")
    )
    parts: tuple[DesignPart, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(DesignPart, "DesignPart values", unique=True)
    )
    therapy: TherapyMode | None = attrs.field(default=None, validator=_opt(TherapyMode, "a TherapyMode"))
    combination_partners: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())

    def __attrs_post_init__(self) -> None:
        if self.combination_partners and self.therapy not in (TherapyMode.COMBINATION, TherapyMode.BOTH):
            v.raise_problems(
                self,
                [
                    Problem(
                        "combination_partners",
                        self.combination_partners,
                        "no partners unless therapy is 'combination' or 'both'",
                    )
                ],
            )

    @property
    def is_open_label(self) -> bool:
        """Whether the trial is unmasked."""
        return self.masking is Masking.NONE


@attrs.frozen(kw_only=True)
class Organization:
    """A sponsor or collaborator, with its ClinicalTrials.gov class when known.

    >>> from biopipe import Organization, SponsorClass
    >>> Organization(name="Junshi Biosciences", kind=SponsorClass.INDUSTRY).name
    'Junshi Biosciences'
    """

    name: str = attrs.field(validator=v.text)
    kind: SponsorClass | None = attrs.field(default=None, validator=_opt(SponsorClass, "a SponsorClass"))


@attrs.frozen(kw_only=True)
class Intervention:
    """A drug, device or procedure a trial gives.

    >>> from biopipe import Intervention, InterventionType
    >>> Intervention(name="JS212", type=InterventionType.DRUG).other_names
    ()
    """

    name: str = attrs.field(validator=v.text)
    type: InterventionType | None = attrs.field(default=None, validator=_opt(InterventionType, "an InterventionType"))
    description: str | None = attrs.field(default=None, validator=v.optional(v.string))
    other_names: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text(unique=False))


@attrs.frozen(kw_only=True)
class Arm:
    """An arm, cohort or group of a trial and the interventions (by name) it receives.

    >>> from biopipe import Arm, ArmType
    >>> Arm(label="Dose escalation", type=ArmType.EXPERIMENTAL, interventions=("JS212",)).label
    'Dose escalation'
    """

    label: str = attrs.field(validator=v.text)
    type: ArmType | None = attrs.field(default=None, validator=_opt(ArmType, "an ArmType"))
    description: str | None = attrs.field(default=None, validator=v.optional(v.string))
    interventions: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text(unique=False))


@attrs.frozen(kw_only=True)
class Enrollment:
    """Number of participants, actual or estimated.

    >>> from biopipe import Enrollment
    >>> Enrollment(count=120, estimated=True).count
    120
    """

    count: int = attrs.field(validator=v.nonnegative_int)
    estimated: bool = attrs.field(default=False, validator=v.instance(bool, "a boolean"))


@attrs.frozen(kw_only=True)
class SourceTerm:
    """The raw source value behind a normalised field, kept for audit.

    *field* is the path of the normalised field within its record.

    >>> from biopipe import SourceTerm
    >>> SourceTerm(field="countries[0]", value="Korea, Republic of").value
    'Korea, Republic of'
    """

    field: str = attrs.field(validator=v.text)
    value: str = attrs.field(validator=v.string)


#: The dated milestones of a trial, as its field names, in lifecycle order.
TRIAL_DATES = ("start", "primary_completion", "completion")


@attrs.frozen(kw_only=True)
class Trial:
    """A clinical trial (or a planned one): ids, phase, status, design, endpoints, places and dates.

    ``phase`` is None where the source gives none (observational studies, or a
    planned study whose phase is not yet public).

    >>> from biopipe import FactDate, PartialDate, Phase, Trial, TrialStatus
    >>> t = Trial(title="First-in-human study", phase=Phase.PHASE1,
    ...           status=TrialStatus.RECRUITING, countries=("CN",),
    ...           start=FactDate(PartialDate(2025, 4)))
    >>> t.phase.label, t.countries
    ('Phase 1', ('CN',))

    An actual end is never before an actual start:

    >>> Trial(title="x", status=TrialStatus.COMPLETED, start=FactDate(PartialDate(2025, 4)),
    ...       completion=FactDate(PartialDate(2024)))
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in Trial:
      completion: got FactDate(PartialDate(2024)), expected an actual date not before the actual start 2025-04
    """

    title: str = attrs.field(validator=v.text)
    status: TrialStatus = attrs.field(validator=v.instance(TrialStatus, "a TrialStatus"))
    phase: Phase | None = attrs.field(default=None, validator=_opt(Phase, "a Phase"))
    ids: tuple[RegistryId, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(RegistryId, "RegistryId values", unique=True)
    )
    official_title: str | None = attrs.field(default=None, validator=v.optional(v.text))
    acronym: str | None = attrs.field(default=None, validator=v.optional(v.text))
    study_type: StudyType | None = attrs.field(default=None, validator=_opt(StudyType, "a StudyType"))
    design: TrialDesign = attrs.field(factory=TrialDesign, validator=v.instance(TrialDesign, "a TrialDesign"))
    endpoints: tuple[Endpoint, ...] = attrs.field(default=(), validator=v.tuple_of_type(Endpoint, "Endpoint values"))
    conditions: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())
    arms: tuple[Arm, ...] = attrs.field(default=(), validator=v.tuple_of_type(Arm, "Arm values"))
    interventions: tuple[Intervention, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(Intervention, "Intervention values")
    )
    countries: tuple[str, ...] = attrs.field(default=(), validator=v.countries)
    sponsor: Organization | None = attrs.field(default=None, validator=_opt(Organization, "an Organization"))
    collaborators: tuple[Organization, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(Organization, "Organization values")
    )
    enrollment: Enrollment | None = attrs.field(default=None, validator=_opt(Enrollment, "an Enrollment"))
    start: FactDate | None = attrs.field(default=None, validator=_opt(FactDate, "a FactDate"))
    primary_completion: FactDate | None = attrs.field(default=None, validator=_opt(FactDate, "a FactDate"))
    completion: FactDate | None = attrs.field(default=None, validator=_opt(FactDate, "a FactDate"))
    why_stopped: str | None = attrs.field(default=None, validator=v.optional(v.text))
    last_known_status: TrialStatus | None = attrs.field(default=None, validator=_opt(TrialStatus, "a TrialStatus"))
    source_terms: tuple[SourceTerm, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(SourceTerm, "SourceTerm values")
    )
    sources: tuple[Source, ...] = attrs.field(default=(), validator=v.tuple_of_type(Source, "Source values"))

    def __attrs_post_init__(self) -> None:
        v.raise_problems(self, self._cross_field_problems())

    @property
    def public_on(self) -> PartialDate | None:
        """When the trial became public: its earliest source's publication (a trial has no ``disclosed``).

        >>> import biopipe
        >>> [str(t.public_on) for t in biopipe.example("js212").trials]
        ['2025-12-15', '2025-12-15']
        """
        return public_on(None, self.sources)

    def _cross_field_problems(self) -> list[Problem]:
        problems = []
        start = self.start
        if start is not None and start.basis is DateBasis.ACTUAL:
            for name in TRIAL_DATES[1:]:
                end: FactDate | None = getattr(self, name)
                if end is not None and end.basis is DateBasis.ACTUAL and end.latest < start.date.earliest:
                    problems.append(Problem(name, end, f"an actual date not before the actual start {start.date}"))
        if self.last_known_status is not None and self.status is not TrialStatus.UNKNOWN:
            problems.append(
                Problem(
                    "last_known_status",
                    self.last_known_status,
                    "no last known status unless status is 'unknown'",
                )
            )
        if self.status is TrialStatus.PLANNED and start is not None and start.basis is DateBasis.ACTUAL:
            problems.append(Problem("start", start, "no actual start date while the trial is planned"))
        return problems

    @property
    def key(self) -> str:
        """A stable identity for diffs and joins: the first registry id, else the title."""
        return self.ids[0].value if self.ids else self.title

    @property
    def is_planned(self) -> bool:
        """Whether the trial has not started: planned or not yet recruiting."""
        return self.status in (TrialStatus.PLANNED, TrialStatus.NOT_YET_RECRUITING)

    @property
    def is_stopped(self) -> bool:
        """Whether the trial was terminated, withdrawn or suspended."""
        return self.status.is_stopped


def with_trials(held: tuple[Trial, ...], added: Iterable[Trial]) -> tuple[Trial, ...]:
    """*held* with *added*: a trial whose key is held replaces it in place; new trials go last.

    Among *added*, the last of a key wins. The one rule for adding trials to a
    list of them (`Asset.with_trials` and the registry trials of a portfolio).
    """
    by_key: dict[str, Trial] = {}
    for trial in added:
        by_key[trial.key] = trial
    if not by_key:
        return held
    kept = [by_key.pop(t.key, t) for t in held]
    return (*kept, *by_key.values())
