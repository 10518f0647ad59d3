"""Controlled vocabularies: enums with stable lowercase wire codes.

Each vocabulary maps losslessly to the ClinicalTrials.gov API v2 and HL7 FHIR R5
codes where those have an equivalent.
"""

from __future__ import annotations

import enum
from typing import Self

from ._errors import UnknownCode
from ._order import KeyOrdered

__all__ = [
    "Agency",
    "Allocation",
    "AliasKind",
    "AntibodyOrigin",
    "ApplicationKind",
    "ArmType",
    "DateBasis",
    "Designation",
    "DesignPart",
    "EndpointKind",
    "EndpointRole",
    "EventKind",
    "IndicationRole",
    "InterventionModel",
    "InterventionType",
    "Masking",
    "Modality",
    "Phase",
    "PrimaryPurpose",
    "SponsorClass",
    "StudyType",
    "TherapyMode",
    "TrialStatus",
]


class Vocabulary(enum.Enum):
    """Base of every biopipe vocabulary: the value is the stable wire code.

    >>> from biopipe import Agency, Vocabulary
    >>> issubclass(Agency, Vocabulary), Agency.FDA.code, Agency.from_code("fda")
    (True, 'fda', Agency.FDA)
    """

    @property
    def code(self) -> str:
        """The stable lowercase code used on the wire."""
        value: str = self.value
        return value

    @classmethod
    def from_code(cls, code: str) -> Self:
        """Return the member whose wire code is *code*; `UnknownCode` lists the allowed codes."""
        try:
            return cls(code)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in cls)
            raise UnknownCode(code, f"one of {allowed}") from None

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        """All wire codes, in definition order."""
        return tuple(m.value for m in cls)

    @property
    def label(self) -> str:
        """A short human label: the code with spaces (vocabularies with better wording override it).

        >>> from biopipe import InterventionModel
        >>> InterventionModel.from_code("single_group").label
        'single group'
        """
        return self.code.replace("_", " ")

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class Phase(KeyOrdered, Vocabulary):
    """Development phase of a trial or asset, ordered from preclinical to phase 4.

    A combined phase is one value that knows both base phases:

    >>> from biopipe import Phase
    >>> Phase.PHASE1_2.bases
    (Phase.PHASE1, Phase.PHASE2)
    >>> Phase.PHASE1_2.highest, Phase.PHASE1_2.lowest
    (Phase.PHASE2, Phase.PHASE1)
    >>> Phase.PHASE1 < Phase.PHASE1_2 < Phase.PHASE2
    True
    >>> Phase.from_ctgov(["PHASE1", "PHASE2"]), Phase.PHASE1_2.fhir_code
    (Phase.PHASE1_2, 'phase-1-phase-2')

    ``NOT_APPLICABLE`` (device or behavioural studies) says nothing about
    development progress and ranks below every other phase, so ``max()`` never
    prefers it.
    """

    PRECLINICAL = "preclinical"
    EARLY_PHASE1 = "early_phase1"
    PHASE1 = "phase1"
    PHASE1_2 = "phase1_2"
    PHASE2 = "phase2"
    PHASE2_3 = "phase2_3"
    PHASE3 = "phase3"
    PHASE4 = "phase4"
    NOT_APPLICABLE = "not_applicable"

    @property
    def rank(self) -> int:
        """Position in the development order (``NOT_APPLICABLE`` is 0)."""
        return _PHASE_ORDER.index(self)

    def _order_key(self) -> int:
        return self.rank

    @property
    def bases(self) -> tuple[Phase, ...]:
        """The base phases a combined phase spans; a single phase is its own base."""
        return _PHASE_BASES.get(self, (self,))

    @property
    def is_combined(self) -> bool:
        """Whether this phase spans two base phases (1/2 or 2/3)."""
        return len(self.bases) > 1

    @property
    def lowest(self) -> Phase:
        """The lower base phase (the conservative reading of a combined phase)."""
        return self.bases[0]

    @property
    def highest(self) -> Phase:
        """The higher base phase (the optimistic reading of a combined phase)."""
        return self.bases[-1]

    @property
    def ctgov_codes(self) -> tuple[str, ...]:
        """The ClinicalTrials.gov v2 ``designModule.phases`` list for this phase.

        Preclinical has no ClinicalTrials.gov equivalent and gives ``()``.
        """
        return _PHASE_CTGOV.get(self, ())

    @property
    def fhir_code(self) -> str | None:
        """The FHIR ``research-study-phase`` code, or None for preclinical."""
        return _PHASE_FHIR.get(self)

    @property
    def label(self) -> str:
        """Human label: ``Phase 1/2``, ``Preclinical``, ...

        >>> Phase.PHASE2_3.label
        'Phase 2/3'
        """
        return _PHASE_LABEL[self]

    @classmethod
    def from_ctgov(cls, phases: list[str] | tuple[str, ...]) -> Phase:
        """The phase for a ClinicalTrials.gov ``phases`` list such as ``["PHASE1", "PHASE2"]``."""
        key = tuple(sorted(phases, key=lambda c: _CTGOV_SORT.get(c, len(_CTGOV_SORT))))
        for phase, codes in _PHASE_CTGOV.items():
            if codes == key:
                return phase
        allowed = ", ".join(repr(list(c)) for c in _PHASE_CTGOV.values())
        raise UnknownCode(list(phases), f"one of {allowed}")

    @classmethod
    def from_fhir(cls, code: str) -> Phase:
        """The phase for a FHIR ``research-study-phase`` code."""
        for phase, fhir in _PHASE_FHIR.items():
            if fhir == code:
                return phase
        allowed = ", ".join(repr(c) for c in _PHASE_FHIR.values())
        raise UnknownCode(code, f"one of {allowed}")


_PHASE_ORDER = (Phase.NOT_APPLICABLE, *(p for p in Phase if p is not Phase.NOT_APPLICABLE))
_PHASE_BASES = {
    Phase.PHASE1_2: (Phase.PHASE1, Phase.PHASE2),
    Phase.PHASE2_3: (Phase.PHASE2, Phase.PHASE3),
}
_PHASE_CTGOV = {
    Phase.NOT_APPLICABLE: ("NA",),
    Phase.EARLY_PHASE1: ("EARLY_PHASE1",),
    Phase.PHASE1: ("PHASE1",),
    Phase.PHASE1_2: ("PHASE1", "PHASE2"),
    Phase.PHASE2: ("PHASE2",),
    Phase.PHASE2_3: ("PHASE2", "PHASE3"),
    Phase.PHASE3: ("PHASE3",),
    Phase.PHASE4: ("PHASE4",),
}
_CTGOV_SORT = {"NA": 0, "EARLY_PHASE1": 1, "PHASE1": 2, "PHASE2": 3, "PHASE3": 4, "PHASE4": 5}
_PHASE_FHIR = {
    Phase.NOT_APPLICABLE: "n-a",
    Phase.EARLY_PHASE1: "early-phase-1",
    Phase.PHASE1: "phase-1",
    Phase.PHASE1_2: "phase-1-phase-2",
    Phase.PHASE2: "phase-2",
    Phase.PHASE2_3: "phase-2-phase-3",
    Phase.PHASE3: "phase-3",
    Phase.PHASE4: "phase-4",
}
_PHASE_LABEL = {
    Phase.NOT_APPLICABLE: "Not applicable",
    Phase.PRECLINICAL: "Preclinical",
    Phase.EARLY_PHASE1: "Early phase 1",
    Phase.PHASE1: "Phase 1",
    Phase.PHASE1_2: "Phase 1/2",
    Phase.PHASE2: "Phase 2",
    Phase.PHASE2_3: "Phase 2/3",
    Phase.PHASE3: "Phase 3",
    Phase.PHASE4: "Phase 4",
}


class Agency(Vocabulary):
    """A regulatory agency, each with the jurisdiction it decides for.

    >>> from biopipe import Agency
    >>> Agency.NMPA.jurisdiction, Agency.FDA.jurisdiction, Agency.EMA.jurisdiction
    ('CN', 'US', 'EU')
    >>> Agency.NMPA.full_name
    'National Medical Products Administration'
    """

    FDA = "fda"
    NMPA = "nmpa"
    EMA = "ema"
    EC = "ec"
    PMDA = "pmda"
    MHLW = "mhlw"
    MHRA = "mhra"
    HEALTH_CANADA = "health_canada"
    TGA = "tga"
    MFDS = "mfds"
    SWISSMEDIC = "swissmedic"
    ANVISA = "anvisa"
    CDSCO = "cdsco"
    HSA = "hsa"
    TFDA = "tfda"

    @property
    def jurisdiction(self) -> str:
        """ISO 3166-1 alpha-2 code of the jurisdiction (``EU`` for the Union)."""
        return _AGENCY_INFO[self][0]

    @property
    def full_name(self) -> str:
        """The agency's full English name."""
        return _AGENCY_INFO[self][1]

    @property
    def abbreviation(self) -> str:
        """The usual short name: ``FDA``, ``Health Canada``, ..."""
        return _AGENCY_INFO[self][2]


_AGENCY_INFO = {
    Agency.FDA: ("US", "Food and Drug Administration", "FDA"),
    Agency.NMPA: ("CN", "National Medical Products Administration", "NMPA"),
    Agency.EMA: ("EU", "European Medicines Agency", "EMA"),
    Agency.EC: ("EU", "European Commission", "European Commission"),
    Agency.PMDA: ("JP", "Pharmaceuticals and Medical Devices Agency", "PMDA"),
    Agency.MHLW: ("JP", "Ministry of Health, Labour and Welfare", "MHLW"),
    Agency.MHRA: ("GB", "Medicines and Healthcare products Regulatory Agency", "MHRA"),
    Agency.HEALTH_CANADA: ("CA", "Health Canada", "Health Canada"),
    Agency.TGA: ("AU", "Therapeutic Goods Administration", "TGA"),
    Agency.MFDS: ("KR", "Ministry of Food and Drug Safety", "MFDS"),
    Agency.SWISSMEDIC: ("CH", "Swissmedic", "Swissmedic"),
    Agency.ANVISA: ("BR", "Agência Nacional de Vigilância Sanitária", "ANVISA"),
    Agency.CDSCO: ("IN", "Central Drugs Standard Control Organisation", "CDSCO"),
    Agency.HSA: ("SG", "Health Sciences Authority", "HSA"),
    Agency.TFDA: ("TW", "Taiwan Food and Drug Administration", "TFDA"),
}


class ApplicationKind(Vocabulary):
    """The application a regulatory event belongs to.

    >>> from biopipe import ApplicationKind, EventKind
    >>> EventKind.IND_CLEARED.application
    ApplicationKind.CLINICAL_TRIAL
    """

    CLINICAL_TRIAL = "clinical_trial"
    MARKETING = "marketing"
    DESIGNATION = "designation"


class EventKind(Vocabulary):
    """What happened in a regulatory event, grouped by the application it belongs to.

    Clinical-trial applications (IND, CTA, CTN) are ``ind_*`` and the hold codes;
    marketing applications (NDA, BLA, MAA) are ``marketing_*``, ``complete_response``,
    ``approval_withdrawn``, ``review_extended`` (the agency moved its goal date, e.g. after a
    major amendment) and ``approval_converted`` (an accelerated or conditional approval
    converted to a traditional one); designations carry a `Designation`.

    >>> from biopipe import EventKind
    >>> EventKind.from_code("ind_cleared").label
    'IND cleared'
    """

    IND_SUBMITTED = "ind_submitted"
    IND_ACCEPTED = "ind_accepted"
    IND_CLEARED = "ind_cleared"
    IND_REJECTED = "ind_rejected"
    CLINICAL_HOLD = "clinical_hold"
    HOLD_LIFTED = "hold_lifted"
    IND_WITHDRAWN = "ind_withdrawn"
    DESIGNATION_GRANTED = "designation_granted"
    DESIGNATION_DENIED = "designation_denied"
    DESIGNATION_REVOKED = "designation_revoked"
    MARKETING_SUBMITTED = "marketing_submitted"
    MARKETING_ACCEPTED = "marketing_accepted"
    MARKETING_APPROVED = "marketing_approved"
    COMPLETE_RESPONSE = "complete_response"
    MARKETING_REFUSED = "marketing_refused"
    MARKETING_WITHDRAWN = "marketing_withdrawn"
    APPROVAL_WITHDRAWN = "approval_withdrawn"
    REVIEW_EXTENDED = "review_extended"
    APPROVAL_CONVERTED = "approval_converted"

    @property
    def application(self) -> ApplicationKind:
        """The application group of this event kind."""
        return _APPLICATION_OF_KIND[self._value_]  # looked up by code: Enum hashing runs in Python

    @property
    def label(self) -> str:
        """A short human label."""
        return _KIND_LABEL[self]

    @property
    def is_filing(self) -> bool:
        """Whether this is an application being filed (submitted or accepted), awaiting an answer.

        >>> from biopipe import EventKind
        >>> EventKind.IND_ACCEPTED.is_filing, EventKind.IND_CLEARED.is_filing
        (True, False)
        """
        return self in _FILINGS

    @property
    def is_decision(self) -> bool:
        """Whether this is the agency's decision on the merits of an application.

        Clearance, rejection, approval, complete response or refusal: each needs a filing before it.

        >>> from biopipe import EventKind
        >>> EventKind.COMPLETE_RESPONSE.is_decision, EventKind.CLINICAL_HOLD.is_decision
        (True, False)
        """
        return self in _DECISIONS

    @property
    def is_withdrawal(self) -> bool:
        """Whether this is an application or approval being withdrawn (the only kinds that say ``by`` whom).

        >>> from biopipe import EventKind
        >>> EventKind.MARKETING_WITHDRAWN.is_withdrawal, EventKind.MARKETING_REFUSED.is_withdrawal
        (True, False)
        """
        return self in _WITHDRAWALS

    @property
    def ends_review(self) -> bool:
        """Whether this answers a pending application, stopping its review clock.

        A decision, a clinical hold, or the application's withdrawal.

        >>> from biopipe import EventKind
        >>> EventKind.CLINICAL_HOLD.ends_review, EventKind.HOLD_LIFTED.ends_review
        (True, False)
        """
        return self in _DECISIONS or self in _REVIEW_ENDERS


_MARKETING_KINDS = frozenset(
    {
        EventKind.MARKETING_SUBMITTED,
        EventKind.MARKETING_ACCEPTED,
        EventKind.MARKETING_APPROVED,
        EventKind.COMPLETE_RESPONSE,
        EventKind.MARKETING_REFUSED,
        EventKind.MARKETING_WITHDRAWN,
        EventKind.APPROVAL_WITHDRAWN,
        EventKind.REVIEW_EXTENDED,
        EventKind.APPROVAL_CONVERTED,
    }
)
_APPLICATION_OF_KIND: dict[str, ApplicationKind] = {
    kind.value: ApplicationKind.DESIGNATION
    if kind.value.startswith("designation_")
    else ApplicationKind.MARKETING
    if kind in _MARKETING_KINDS
    else ApplicationKind.CLINICAL_TRIAL
    for kind in EventKind
}
_FILINGS = frozenset(
    {EventKind.IND_SUBMITTED, EventKind.IND_ACCEPTED, EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED}
)
_DECISIONS = frozenset(
    {
        EventKind.IND_CLEARED,
        EventKind.IND_REJECTED,
        EventKind.MARKETING_APPROVED,
        EventKind.COMPLETE_RESPONSE,
        EventKind.MARKETING_REFUSED,
    }
)
_WITHDRAWALS = frozenset({EventKind.IND_WITHDRAWN, EventKind.MARKETING_WITHDRAWN, EventKind.APPROVAL_WITHDRAWN})
_REVIEW_ENDERS = frozenset({EventKind.CLINICAL_HOLD, EventKind.IND_WITHDRAWN, EventKind.MARKETING_WITHDRAWN})
_KIND_LABEL = {
    EventKind.IND_SUBMITTED: "IND submitted",
    EventKind.IND_ACCEPTED: "IND accepted",
    EventKind.IND_CLEARED: "IND cleared",
    EventKind.IND_REJECTED: "IND rejected",
    EventKind.CLINICAL_HOLD: "clinical hold",
    EventKind.HOLD_LIFTED: "clinical hold lifted",
    EventKind.IND_WITHDRAWN: "IND withdrawn",
    EventKind.DESIGNATION_GRANTED: "designation granted",
    EventKind.DESIGNATION_DENIED: "designation denied",
    EventKind.DESIGNATION_REVOKED: "designation revoked",
    EventKind.MARKETING_SUBMITTED: "marketing application submitted",
    EventKind.MARKETING_ACCEPTED: "marketing application accepted",
    EventKind.MARKETING_APPROVED: "marketing application approved",
    EventKind.COMPLETE_RESPONSE: "complete response",
    EventKind.MARKETING_REFUSED: "marketing application refused",
    EventKind.MARKETING_WITHDRAWN: "marketing application withdrawn",
    EventKind.APPROVAL_WITHDRAWN: "approval withdrawn",
    EventKind.REVIEW_EXTENDED: "review extended",
    EventKind.APPROVAL_CONVERTED: "approval converted",
}


class Designation(Vocabulary):
    """An expedited-programme or special-status designation (not a phase).

    >>> from biopipe import Designation
    >>> Designation.from_code("breakthrough_therapy")
    Designation.BREAKTHROUGH_THERAPY
    """

    BREAKTHROUGH_THERAPY = "breakthrough_therapy"
    FAST_TRACK = "fast_track"
    ORPHAN_DRUG = "orphan_drug"
    PRIORITY_REVIEW = "priority_review"
    ACCELERATED_APPROVAL = "accelerated_approval"
    RMAT = "rmat"
    RARE_PEDIATRIC_DISEASE = "rare_pediatric_disease"
    QIDP = "qidp"
    PRIME = "prime"
    SAKIGAKE = "sakigake"
    CONDITIONAL_APPROVAL = "conditional_approval"

    def granted_by(self, agency: Agency) -> bool:
        """Whether *agency* grants this designation (PRIME is the EMA's, fast track the FDA's, ...).

        >>> from biopipe import Agency, Designation
        >>> Designation.PRIME.granted_by(Agency.EMA), Designation.PRIME.granted_by(Agency.FDA)
        (True, False)
        >>> Designation.BREAKTHROUGH_THERAPY.granted_by(Agency.NMPA)
        True
        """
        agencies = _DESIGNATION_AGENCIES.get(self)
        if agencies is None:
            return agency is not Agency.FDA  # conditional approval: not an FDA programme
        return not agencies or agency in agencies


_FDA_ONLY = frozenset({Agency.FDA})
#: The agencies that grant each designation; an empty set means any agency may.
_DESIGNATION_AGENCIES: dict[Designation, frozenset[Agency]] = {
    Designation.BREAKTHROUGH_THERAPY: frozenset({Agency.FDA, Agency.NMPA}),
    Designation.FAST_TRACK: _FDA_ONLY,
    Designation.ORPHAN_DRUG: frozenset(),
    Designation.PRIORITY_REVIEW: frozenset(),
    Designation.ACCELERATED_APPROVAL: _FDA_ONLY,
    Designation.RMAT: _FDA_ONLY,
    Designation.RARE_PEDIATRIC_DISEASE: _FDA_ONLY,
    Designation.QIDP: _FDA_ONLY,
    Designation.PRIME: frozenset({Agency.EMA}),
    Designation.SAKIGAKE: frozenset({Agency.MHLW, Agency.PMDA}),
}


class DateBasis(Vocabulary):
    """How a dated fact's date is known.

    - ``actual``: the fact happened on (within) the date.
    - ``announced``: the date is when the fact was announced; it happened on or before it.
    - ``estimated``: a plan or forecast; the fact has not (yet) been seen to happen.

    >>> from biopipe import DateBasis
    >>> DateBasis.ANNOUNCED.code
    'announced'
    """

    ACTUAL = "actual"
    ANNOUNCED = "announced"
    ESTIMATED = "estimated"


class TrialStatus(Vocabulary):
    """Recruitment status of a trial: the ClinicalTrials.gov overall statuses, plus ``planned``.

    >>> from biopipe import TrialStatus
    >>> TrialStatus.from_ctgov("ACTIVE_NOT_RECRUITING")
    TrialStatus.ACTIVE_NOT_RECRUITING
    >>> TrialStatus.PLANNED.ctgov_code is None
    True
    """

    PLANNED = "planned"
    NOT_YET_RECRUITING = "not_yet_recruiting"
    RECRUITING = "recruiting"
    ENROLLING_BY_INVITATION = "enrolling_by_invitation"
    ACTIVE_NOT_RECRUITING = "active_not_recruiting"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"
    AVAILABLE = "available"
    NO_LONGER_AVAILABLE = "no_longer_available"
    TEMPORARILY_NOT_AVAILABLE = "temporarily_not_available"
    APPROVED_FOR_MARKETING = "approved_for_marketing"
    WITHHELD = "withheld"

    @property
    def is_stopped(self) -> bool:
        """Whether a trial with this status stopped early: terminated, withdrawn or suspended.

        >>> from biopipe import TrialStatus
        >>> TrialStatus.SUSPENDED.is_stopped, TrialStatus.COMPLETED.is_stopped
        (True, False)
        """
        return self in (TrialStatus.TERMINATED, TrialStatus.WITHDRAWN, TrialStatus.SUSPENDED)

    @property
    def ctgov_code(self) -> str | None:
        """The ClinicalTrials.gov ``overallStatus`` code (None for ``planned``)."""
        return None if self is TrialStatus.PLANNED else self.value.upper()

    @classmethod
    def from_ctgov(cls, code: str) -> TrialStatus:
        """The status for a ClinicalTrials.gov ``overallStatus`` code."""
        if code != code.upper() or code == "PLANNED":
            allowed = ", ".join(repr(m.ctgov_code) for m in cls if m.ctgov_code)
            raise UnknownCode(code, f"one of {allowed}")
        try:
            return cls.from_code(code.lower())
        except UnknownCode:
            allowed = ", ".join(repr(m.ctgov_code) for m in cls if m.ctgov_code)
            raise UnknownCode(code, f"one of {allowed}") from None


class StudyType(Vocabulary):
    """ClinicalTrials.gov study type.

    >>> from biopipe import StudyType
    >>> StudyType.from_code('observational')
    StudyType.OBSERVATIONAL
    """

    INTERVENTIONAL = "interventional"
    OBSERVATIONAL = "observational"
    EXPANDED_ACCESS = "expanded_access"


class Allocation(Vocabulary):
    """How participants are allocated to arms.

    >>> from biopipe import Allocation
    >>> Allocation.RANDOMIZED.code
    'randomized'
    """

    RANDOMIZED = "randomized"
    NON_RANDOMIZED = "non_randomized"
    NOT_APPLICABLE = "not_applicable"


class Masking(Vocabulary):
    """Blinding; ``none`` is open-label.

    >>> from biopipe import Masking
    >>> Masking.from_code('none')
    Masking.NONE
    """

    NONE = "none"
    SINGLE = "single"
    DOUBLE = "double"
    TRIPLE = "triple"
    QUADRUPLE = "quadruple"


class InterventionModel(Vocabulary):
    """ClinicalTrials.gov interventional assignment model.

    >>> from biopipe import InterventionModel
    >>> InterventionModel.SEQUENTIAL.code
    'sequential'
    """

    SINGLE_GROUP = "single_group"
    PARALLEL = "parallel"
    CROSSOVER = "crossover"
    FACTORIAL = "factorial"
    SEQUENTIAL = "sequential"


class PrimaryPurpose(Vocabulary):
    """ClinicalTrials.gov primary purpose.

    >>> from biopipe import PrimaryPurpose
    >>> PrimaryPurpose.TREATMENT.code
    'treatment'
    """

    TREATMENT = "treatment"
    PREVENTION = "prevention"
    DIAGNOSTIC = "diagnostic"
    ECT = "ect"
    SUPPORTIVE_CARE = "supportive_care"
    SCREENING = "screening"
    HEALTH_SERVICES_RESEARCH = "health_services_research"
    BASIC_SCIENCE = "basic_science"
    DEVICE_FEASIBILITY = "device_feasibility"
    OTHER = "other"


class DesignPart(Vocabulary):
    """A named part of a trial's design (a protocol may have several).

    >>> from biopipe import DesignPart
    >>> DesignPart.from_code('dose_expansion')
    DesignPart.DOSE_EXPANSION
    """

    DOSE_ESCALATION = "dose_escalation"
    DOSE_EXPANSION = "dose_expansion"
    DOSE_OPTIMIZATION = "dose_optimization"
    MULTI_COHORT = "multi_cohort"
    RANDOMIZED_CONTROLLED = "randomized_controlled"
    SINGLE_ARM = "single_arm"
    EXTENSION = "extension"


class TherapyMode(Vocabulary):
    """Whether the asset is given alone or with partner therapies.

    >>> from biopipe import TherapyMode
    >>> TherapyMode.COMBINATION.code
    'combination'
    """

    MONOTHERAPY = "monotherapy"
    COMBINATION = "combination"
    BOTH = "both"


class ArmType(Vocabulary):
    """ClinicalTrials.gov arm group type.

    >>> from biopipe import ArmType
    >>> ArmType.PLACEBO_COMPARATOR.code
    'placebo_comparator'
    """

    EXPERIMENTAL = "experimental"
    ACTIVE_COMPARATOR = "active_comparator"
    PLACEBO_COMPARATOR = "placebo_comparator"
    SHAM_COMPARATOR = "sham_comparator"
    NO_INTERVENTION = "no_intervention"
    OTHER = "other"


class InterventionType(Vocabulary):
    """ClinicalTrials.gov intervention type.

    >>> from biopipe import InterventionType
    >>> InterventionType.BIOLOGICAL.code
    'biological'
    """

    BEHAVIORAL = "behavioral"
    BIOLOGICAL = "biological"
    COMBINATION_PRODUCT = "combination_product"
    DEVICE = "device"
    DIAGNOSTIC_TEST = "diagnostic_test"
    DIETARY_SUPPLEMENT = "dietary_supplement"
    DRUG = "drug"
    GENETIC = "genetic"
    PROCEDURE = "procedure"
    RADIATION = "radiation"
    OTHER = "other"


class SponsorClass(Vocabulary):
    """ClinicalTrials.gov agency class of a sponsor or collaborator.

    >>> from biopipe import SponsorClass
    >>> SponsorClass.INDUSTRY.code
    'industry'
    """

    NIH = "nih"
    FED = "fed"
    OTHER_GOV = "other_gov"
    INDIV = "indiv"
    INDUSTRY = "industry"
    NETWORK = "network"
    AMBIG = "ambig"
    OTHER = "other"
    UNKNOWN = "unknown"


class EndpointRole(Vocabulary):
    """Whether an endpoint is primary, secondary or exploratory.

    >>> from biopipe import EndpointRole
    >>> EndpointRole.from_code('primary')
    EndpointRole.PRIMARY
    """

    PRIMARY = "primary"
    SECONDARY = "secondary"
    EXPLORATORY = "exploratory"


class EndpointKind(Vocabulary):
    """What an endpoint measures.

    ``efficacy`` is for unspecified (e.g. "preliminary") efficacy; the named
    efficacy measures have their own codes.

    >>> from biopipe import EndpointKind
    >>> EndpointKind.from_code("pfs")
    EndpointKind.PFS
    """

    SAFETY = "safety"
    TOLERABILITY = "tolerability"
    PHARMACOKINETICS = "pharmacokinetics"
    PHARMACODYNAMICS = "pharmacodynamics"
    IMMUNOGENICITY = "immunogenicity"
    EFFICACY = "efficacy"
    ORR = "orr"
    PFS = "pfs"
    OS = "os"
    DOR = "dor"
    DCR = "dcr"
    EFS = "efs"
    DFS = "dfs"
    PCR = "pcr"
    QUALITY_OF_LIFE = "quality_of_life"
    DOSE_FINDING = "dose_finding"
    OTHER = "other"


class Modality(Vocabulary):
    """What kind of therapeutic an asset is.

    >>> from biopipe import Modality
    >>> Modality.BISPECIFIC_ADC.is_bispecific, Modality.ADC.is_bispecific
    (True, False)
    """

    SMALL_MOLECULE = "small_molecule"
    PEPTIDE = "peptide"
    PROTEIN = "protein"
    MONOCLONAL_ANTIBODY = "monoclonal_antibody"
    BISPECIFIC_ANTIBODY = "bispecific_antibody"
    MULTISPECIFIC_ANTIBODY = "multispecific_antibody"
    ADC = "adc"
    BISPECIFIC_ADC = "bispecific_adc"
    RADIOLIGAND = "radioligand"
    OLIGONUCLEOTIDE = "oligonucleotide"
    SIRNA = "sirna"
    MRNA = "mrna"
    CELL_THERAPY = "cell_therapy"
    CAR_T = "car_t"
    TCR_T = "tcr_t"
    GENE_THERAPY = "gene_therapy"
    VACCINE = "vaccine"
    OTHER = "other"

    @property
    def is_bispecific(self) -> bool:
        """Whether an asset of this modality names exactly two targets."""
        return self in (Modality.BISPECIFIC_ANTIBODY, Modality.BISPECIFIC_ADC)

    @property
    def is_antibody_based(self) -> bool:
        """Whether assets of this modality are built on an antibody (and so have an origin).

        >>> Modality.ADC.is_antibody_based, Modality.SMALL_MOLECULE.is_antibody_based
        (True, False)
        """
        return self in _ANTIBODY_MODALITIES


_ANTIBODY_MODALITIES = frozenset(
    {
        Modality.MONOCLONAL_ANTIBODY,
        Modality.BISPECIFIC_ANTIBODY,
        Modality.MULTISPECIFIC_ANTIBODY,
        Modality.ADC,
        Modality.BISPECIFIC_ADC,
        Modality.RADIOLIGAND,
    }
)


class AntibodyOrigin(Vocabulary):
    """Origin of an antibody's variable regions (INN ``-xi-``, ``-zu-``, ``-u-`` stems).

    >>> from biopipe import AntibodyOrigin
    >>> AntibodyOrigin.HUMANIZED.code
    'humanized'
    """

    MURINE = "murine"
    CHIMERIC = "chimeric"
    HUMANIZED = "humanized"
    HUMAN = "human"


class AliasKind(Vocabulary):
    """What kind of name an asset alias is.

    >>> from biopipe import AliasKind
    >>> AliasKind.INN.code
    'inn'
    """

    CODE = "code"
    INN = "inn"
    BRAND = "brand"
    OTHER = "other"


class IndicationRole(Vocabulary):
    """Why an indication is on record.

    - ``intended``: what the asset is developed for.
    - ``rationale``: named by the source as a setting that supports the mechanism
      (e.g. tumours where the targets are highly expressed), not a claimed indication.

    >>> from biopipe import IndicationRole
    >>> IndicationRole.RATIONALE.code
    'rationale'
    """

    INTENDED = "intended"
    RATIONALE = "rationale"
