"""ClinicalTrials.gov API v2 import: every reference record maps as read by hand, and nothing is lost silently."""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from fhir.resources import get_fhir_model_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Allocation,
    Asset,
    BiopipeError,
    DateBasis,
    EndpointKind,
    EndpointRole,
    InterventionModel,
    InterventionType,
    Masking,
    Modality,
    Phase,
    Precision,
    PrimaryPurpose,
    RegistryId,
    SponsorClass,
    StudyType,
    TrialStatus,
    ValidationError,
)
from biopipe.interop.ctgov import country_code, endpoint_kind, from_ctgov
from biopipe.model import MISSING

if TYPE_CHECKING:
    from pathlib import Path

A, E = DateBasis.ACTUAL, DateBasis.ESTIMATED
DAY, MONTH = Precision.DAY, Precision.MONTH

#: (ISO text, precision, basis) of a date as the record gives it.
DateSpec = tuple[str, Precision, DateBasis] | None


@attrs.frozen(kw_only=True)
class Expected:
    """What a record says, written down by reading its JSON (not computed by the importer)."""

    nct: str
    phase: Phase | None
    status: TrialStatus
    study_type: StudyType
    start: DateSpec
    primary_completion: DateSpec
    completion: DateSpec
    countries: tuple[str, ...]
    primary: tuple[tuple[str, str], ...]  # (measure, time frame)
    allocation: Allocation | None = None
    masking: Masking | None = None
    model: InterventionModel | None = None
    purpose: PrimaryPurpose | None = None
    last_known: TrialStatus | None = None
    why_stopped: str | None = None
    other_ids: tuple[str, ...] = ()
    sponsor: tuple[str, SponsorClass | None] | None = None


PC_MEASURES = tuple(
    (f"Certolizumab Pegol Plasma Concentration at {when}", frame)
    for when, frame in [
        ("Baseline", "Baseline (Week 0)"),
        ("Week 1", "Week 1"),
        ("Week 2", "Week 2"),
        ("Week 4", "Week 4"),
        ("Week 12", "Week 12"),
        ("Week 24", "Week 24"),
        ("Week 36", "Week 36"),
        ("Week 52", "Week 52"),
        ("Follow-Up (FU) Visit", "Follow-up Visit (up to Week 60)"),
    ]
)

EXPECTED = [
    # No start type in the record; the trial is COMPLETED, so the start happened.
    Expected(
        nct="NCT00763412",
        phase=Phase.NOT_APPLICABLE,
        status=TrialStatus.COMPLETED,
        study_type=StudyType.INTERVENTIONAL,
        start=("2006-11", MONTH, A),
        primary_completion=("2013-01", MONTH, A),
        completion=("2013-01", MONTH, A),
        countries=("US",),
        primary=(
            ("BMI", "2 year/end of study"),
            ("Body Composition", "2 year/end of study"),
            ("CRP", "2 year/end of study"),
        ),
        allocation=Allocation.RANDOMIZED,
        masking=Masking.QUADRUPLE,
        model=InterventionModel.PARALLEL,
        purpose=PrimaryPurpose.OTHER,
        sponsor=("Arbelaez, Ana Maria", SponsorClass.INDIV),
    ),
    # WITHDRAWN: never started, so the untyped start is only a plan.
    Expected(
        nct="NCT00973089",
        phase=Phase.NOT_APPLICABLE,
        status=TrialStatus.WITHDRAWN,
        study_type=StudyType.INTERVENTIONAL,
        start=("2010-05", MONTH, E),
        primary_completion=("2015-03", MONTH, A),
        completion=("2015-03", MONTH, A),
        countries=("IL",),
        primary=(
            ("The success of the alternative treatment of the deep carious lesion.", "Half annually for three years"),
        ),
        allocation=Allocation.RANDOMIZED,
        masking=Masking.SINGLE,
        model=InterventionModel.PARALLEL,
        purpose=PrimaryPurpose.TREATMENT,
        why_stopped="recruiting or enrolling participants has halted prematurely and will not resume",
        sponsor=("Hadassah Medical Organization", SponsorClass.OTHER),
    ),
    Expected(
        nct="NCT02210780",
        phase=Phase.PHASE2,
        status=TrialStatus.COMPLETED,
        study_type=StudyType.INTERVENTIONAL,
        start=("2014-08-05", DAY, A),
        primary_completion=("2015-09-15", DAY, A),
        completion=("2015-09-15", DAY, A),
        countries=("US",),
        primary=(
            (
                "Percentage of Participants With a Positive Response (≥4-Fold Increase) to Tetanus Toxoid "
                "(the Adacel [Tdap] Vaccine) at Week 16",
                "Week 16",
            ),
        ),
        allocation=Allocation.RANDOMIZED,
        masking=Masking.TRIPLE,
        model=InterventionModel.PARALLEL,
        purpose=PrimaryPurpose.TREATMENT,
        sponsor=("Regeneron Pharmaceuticals", SponsorClass.INDUSTRY),
    ),
    Expected(
        nct="NCT02552212",
        phase=Phase.PHASE3,
        status=TrialStatus.COMPLETED,
        study_type=StudyType.INTERVENTIONAL,
        start=("2015-09", MONTH, A),
        primary_completion=("2018-05", MONTH, A),
        completion=("2020-05", MONTH, A),
        countries=("US", "AU", "BG", "CA", "CZ", "HU", "PL", "RU", "TW"),
        primary=(
            (
                "Percentage of Subjects With Ankylosing Spondylitis Disease Activity Score Major Improvement "
                "(ASDAS-MI) Response Criteria Response at Week 52",
                "Week 52",
            ),
            (
                "Percentage of Subjects With Axial SpondyloArthritis International Society 40% Response Criteria "
                "(ASAS40) Response at Week 12",
                "Week 12",
            ),
            *PC_MEASURES,
        ),
        allocation=Allocation.RANDOMIZED,
        masking=Masking.QUADRUPLE,
        model=InterventionModel.PARALLEL,
        purpose=PrimaryPurpose.TREATMENT,
        other_ids=("2015-001894-41",),
        sponsor=("UCB BIOSCIENCES GmbH", SponsorClass.INDUSTRY),
    ),
    # Field-restricted: no date types, no design info; TERMINATED, so start and end happened.
    Expected(
        nct="NCT02576665",
        phase=Phase.PHASE1,
        status=TrialStatus.TERMINATED,
        study_type=StudyType.INTERVENTIONAL,
        start=("2016-07", MONTH, A),
        primary_completion=None,
        completion=("2019-12-20", DAY, A),
        countries=("US",),
        primary=(),
        sponsor=("Tocagen Inc.", None),
    ),
    Expected(
        nct="NCT03475563",
        phase=None,
        status=TrialStatus.UNKNOWN,
        last_known=TrialStatus.RECRUITING,
        study_type=StudyType.OBSERVATIONAL,
        start=("2018-08-16", DAY, A),
        primary_completion=("2019-12-30", DAY, E),
        completion=("2019-12-30", DAY, E),
        countries=("ES",),
        primary=(("Successful angioplasty", "1 day"), ("MACE", "30 days"), ("MACE", "1 year")),
        sponsor=("Hospital Universitari Vall d'Hebron Research Institute", SponsorClass.OTHER),
    ),
    # "South Korea" in the locations.
    Expected(
        nct="NCT04956640",
        phase=Phase.PHASE1_2,
        status=TrialStatus.RECRUITING,
        study_type=StudyType.INTERVENTIONAL,
        start=("2021-07-19", DAY, A),
        primary_completion=("2027-04", MONTH, E),
        completion=("2027-04", MONTH, E),
        countries=("US", "AU", "CA", "FR", "JP", "KR"),
        primary=(
            (
                "Phase 1a: To determine the recommended phase 2 dose (RP2D) of LY3537982 monotherapy",
                "Cycle 1 (21 Days)",
            ),
            (
                "Phase 1b: To assess the safety and tolerability of LY3537982 when administered alone or in "
                "combination with other investigational agents",
                "Cycle 1 (21 Days)",
            ),
            (
                "Phase 1b: To determine the optimal dose of LY3537982 to be administered to treatment-naïve "
                "participants with advanced NSCLC in combination with pembrolizumab",
                "Estimated up to 2 years",
            ),
            (
                "To determine the optimal dose of LY3537982 to be administered to participants who have received at "
                "least one prior oxaliplatin- or irinotecan-containing regimen for advanced or metastatic CRC in "
                "combination with cetuximab",
                "Estimated up to 2 years",
            ),
            (
                "To assess the antitumor activity of LY3537982 monotherapy in participants with advanced pancreatic "
                "cancer with KRAS G12C mutation",
                "Estimated up to 2 years",
            ),
        ),
        allocation=Allocation.NON_RANDOMIZED,
        masking=Masking.NONE,
        model=InterventionModel.SEQUENTIAL,
        purpose=PrimaryPurpose.TREATMENT,
        other_ids=("2021-000595-12", "2022-502756-31-00"),
        sponsor=("Eli Lilly and Company", SponsorClass.INDUSTRY),
    ),
    Expected(
        nct="NCT05052671",
        phase=None,
        status=TrialStatus.RECRUITING,
        study_type=StudyType.OBSERVATIONAL,
        start=("2022-05-25", DAY, A),
        primary_completion=("2025-12", MONTH, E),
        completion=("2027-12", MONTH, E),
        countries=("US",),
        primary=(
            ("ctDNA Positivity in Patients with Resectable Pancreatic Cancer", "Baseline"),
            ("Progression free survival (PFS)", "2 years"),
        ),
        sponsor=("University of Oklahoma", SponsorClass.OTHER),
    ),
    Expected(
        nct="NCT05288205",
        phase=Phase.PHASE1_2,
        status=TrialStatus.RECRUITING,
        study_type=StudyType.INTERVENTIONAL,
        start=("2022-04-14", DAY, A),
        primary_completion=("2026-03", MONTH, E),
        completion=("2026-03", MONTH, E),
        countries=("CN",),
        primary=(
            ("recommended phase-2 dose (RP2D).", "Approximately 2 years"),
            ("Number of participants with dose limiting toxicities", "Approximately 2 years"),
        ),
        allocation=Allocation.NON_RANDOMIZED,
        masking=Masking.NONE,
        model=InterventionModel.SEQUENTIAL,
        purpose=PrimaryPurpose.TREATMENT,
        sponsor=("Allist Pharmaceuticals, Inc.", SponsorClass.INDUSTRY),
    ),
    # Field-restricted, RECRUITING: the untyped start happened, the untyped completion is a plan.
    Expected(
        nct="NCT05431270",
        phase=Phase.PHASE1_2,
        status=TrialStatus.RECRUITING,
        study_type=StudyType.INTERVENTIONAL,
        start=("2022-08-11", DAY, A),
        primary_completion=None,
        completion=("2028-08", MONTH, E),
        countries=(),
        primary=(),
        sponsor=("Phanes Therapeutics", None),
    ),
    Expected(
        nct="NCT05438667",
        phase=Phase.EARLY_PHASE1,
        status=TrialStatus.RECRUITING,
        study_type=StudyType.INTERVENTIONAL,
        start=("2023-06-01", DAY, A),
        primary_completion=("2028-06-30", DAY, E),
        completion=("2028-06-30", DAY, E),
        countries=("CN",),
        primary=(("objective response rate\uff08ORR\uff09", "At 12months after the TCR-T cell infusion"),),
        allocation=Allocation.NOT_APPLICABLE,
        masking=Masking.NONE,
        model=InterventionModel.SINGLE_GROUP,
        purpose=PrimaryPurpose.TREATMENT,
        sponsor=("Sun Yat-Sen Memorial Hospital of Sun Yat-Sen University", SponsorClass.OTHER),
    ),
    Expected(
        nct="NCT06171568",
        phase=None,
        status=TrialStatus.NOT_YET_RECRUITING,
        study_type=StudyType.OBSERVATIONAL,
        start=("2024-02-01", DAY, E),
        primary_completion=("2025-02-01", DAY, E),
        completion=("2025-02-01", DAY, E),
        countries=("FR",),
        primary=(("Evaluation of the functional..", "1 year"),),
        sponsor=("Assistance Publique - Hôpitaux de Paris", SponsorClass.OTHER),
    ),
    Expected(
        nct="NCT06385925",
        phase=Phase.PHASE1_2,
        status=TrialStatus.RECRUITING,
        study_type=StudyType.INTERVENTIONAL,
        start=("2024-04-29", DAY, A),
        primary_completion=("2026-10-30", DAY, E),
        completion=("2027-04-30", DAY, E),
        countries=("US", "CN"),
        primary=(
            ("Dose limiting toxicities (DLTs) in phase 1 part", "21 days"),
            ("Objective response rate (ORR) in phase 2 part", "Up to 3 years"),
        ),
        allocation=Allocation.NON_RANDOMIZED,
        masking=Masking.NONE,
        model=InterventionModel.SEQUENTIAL,
        purpose=PrimaryPurpose.TREATMENT,
        sponsor=("Tyligand Pharmaceuticals (Suzhou) Limited", SponsorClass.INDUSTRY),
    ),
    Expected(
        nct="NCT06898385",
        phase=Phase.PHASE1,
        status=TrialStatus.RECRUITING,
        study_type=StudyType.INTERVENTIONAL,
        start=("2025-03-27", DAY, A),
        primary_completion=("2027-03-27", DAY, E),
        completion=("2027-09-27", DAY, E),
        countries=("CN",),
        primary=(
            ("Dose-limiting Toxicity (DLT)", "4 weeks"),
            ("Adverse Events (AEs)", "2 years"),
            ("Serious Adverse Events (SAEs)", "2 years"),
        ),
        allocation=Allocation.NOT_APPLICABLE,
        masking=Masking.NONE,
        model=InterventionModel.SINGLE_GROUP,
        purpose=PrimaryPurpose.TREATMENT,
        sponsor=("Sun Yat-sen University", SponsorClass.OTHER),
    ),
]
NCTS = [e.nct for e in EXPECTED]


def read_record(refdata: Path, nct: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((refdata / "ctgov" / f"{nct}.json").read_text("utf-8"))
    return data


def resolve(record: object, path: str) -> object:
    """The value at an unmapped-report path (``a.b[2]["c.d"]``), or MISSING if it does not exist."""
    node = record
    for name, quoted, index in re.findall(r'\.?([A-Za-z_][A-Za-z0-9_]*)|\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]', path):
        if index:
            if not isinstance(node, list) or int(index) >= len(node):
                return MISSING
            node = node[int(index)]
        else:
            key = name or json.loads(quoted)
            if not isinstance(node, dict) or key not in node:
                return MISSING
            node = node[key]
    return node


def check_date(actual: biopipe.FactDate | None, spec: DateSpec) -> None:
    if spec is None:
        assert actual is None
        return
    assert actual is not None
    text, precision, basis = spec
    assert (actual.date.format_iso(), actual.date.precision, actual.basis) == (text, precision, basis)


def test_every_reference_record_has_expectations(refdata: Path) -> None:
    """The parametrised expectations cover every record in refdata/ctgov (a new record needs its own)."""
    assert sorted(p.stem for p in (refdata / "ctgov").glob("*.json")) == sorted(NCTS)


@pytest.mark.parametrize("expected", EXPECTED, ids=NCTS)
def test_record_maps_as_read_by_hand(refdata: Path, expected: Expected) -> None:
    """Phase, status, dates with precision and basis, design, primary outcomes, countries and ids."""
    trial = from_ctgov(read_record(refdata, expected.nct)).trial
    assert trial.ids == tuple(RegistryId(i) for i in (expected.nct, *expected.other_ids))
    assert trial.phase is expected.phase
    assert trial.status is expected.status
    assert trial.last_known_status is expected.last_known
    assert trial.why_stopped == expected.why_stopped
    assert trial.study_type is expected.study_type
    check_date(trial.start, expected.start)
    check_date(trial.primary_completion, expected.primary_completion)
    check_date(trial.completion, expected.completion)
    design = trial.design
    assert (design.allocation, design.masking, design.intervention_model, design.primary_purpose) == (
        expected.allocation,
        expected.masking,
        expected.model,
        expected.purpose,
    )
    primary = [(e.description, e.time_frame) for e in trial.endpoints if e.role is EndpointRole.PRIMARY]
    assert tuple(primary) == expected.primary
    assert trial.countries == expected.countries
    assert trial.sponsor is not None
    assert (trial.sponsor.name, trial.sponsor.kind) == expected.sponsor


def test_lilly_record_in_detail(refdata: Path) -> None:
    """NCT04956640: arms list their interventions by plain name, endpoint roles and kinds, enrollment, partners."""
    trial = from_ctgov(read_record(refdata, "NCT04956640")).trial
    assert [a.label for a in trial.arms] == [
        "LY3537982 (Dose Escalation)",
        "LY3537982 (Dose Expansion)",
        "LY3537982 (Dose Optimization)",
    ]
    assert trial.arms[0].interventions == ("LY3537982",)
    assert trial.arms[2].interventions == ("LY3537982", "Pembrolizumab", "Cetuximab")
    assert [(i.name, i.type) for i in trial.interventions][:2] == [
        ("LY3537982", InterventionType.DRUG),
        ("Pembrolizumab", InterventionType.DRUG),
    ]
    assert trial.interventions[0].other_names == ("Olomorasib",)
    roles = [e.role for e in trial.endpoints]
    assert roles == [EndpointRole.PRIMARY] * 5 + [EndpointRole.SECONDARY] * 11
    assert [e.kind for e in trial.endpoints[:2]] == [EndpointKind.DOSE_FINDING, EndpointKind.SAFETY]
    assert trial.enrollment == biopipe.Enrollment(count=540, estimated=True)
    assert [(c.name, c.kind) for c in trial.collaborators] == [("Merck Sharp & Dohme LLC", SponsorClass.INDUSTRY)]
    assert trial.conditions[0] == "Carcinoma, Non-Small-Cell Lung"
    assert trial.sources[0].url == "https://clinicaltrials.gov/study/NCT04956640"
    assert str(trial.sources[0].published) == "2025-09-25"


def test_field_restricted_record_without_types(refdata: Path) -> None:
    """NCT05431270 holds few modules: interventions without type, no arms, no countries, untyped enrollment."""
    result = from_ctgov(read_record(refdata, "NCT05431270"))
    trial = result.trial
    assert [i.name for i in trial.interventions][:2] == ["Mavrostobart (PT199)", "Tislelizumab"]
    assert all(i.type is None for i in trial.interventions)
    assert trial.arms == ()
    assert trial.enrollment == biopipe.Enrollment(count=40, estimated=True)
    assert [u.path for u in result.unmapped] == [
        "protocolSection.descriptionModule",
        "protocolSection.eligibilityModule",
    ]


def test_source_terms_keep_the_raw_values(refdata: Path) -> None:
    """keep_source_terms stores the raw code or name behind each normalised term."""
    trial = from_ctgov(read_record(refdata, "NCT04956640"), keep_source_terms=True).trial
    terms = {(t.field, t.value) for t in trial.source_terms}
    assert {
        ("phase", "PHASE1, PHASE2"),
        ("status", "RECRUITING"),
        ("design.allocation", "NON_RANDOMIZED"),
        ("design.masking", "NONE"),
        ("start", "2021-07-19"),
        ("start.basis", "ACTUAL"),
        ("countries[5]", "South Korea"),
        ("arms[0].interventions[0]", "Drug: LY3537982"),
        ("sponsor.kind", "INDUSTRY"),
        ("enrollment.estimated", "ESTIMATED"),
    } <= terms
    assert from_ctgov(read_record(refdata, "NCT04956640")).trial.source_terms == ()


@pytest.mark.parametrize("nct", NCTS)
def test_round_trip_through_the_biopipe_format(refdata: Path, nct: str) -> None:
    """import -> dumps -> loads gives an equal trial (with source terms kept)."""
    trial = from_ctgov(read_record(refdata, nct), keep_source_terms=True).trial
    asset = Asset(code="X", sponsor="Y", modality=Modality.OTHER, trials=(trial,))
    assert biopipe.loads(biopipe.dumps(asset))["X"].trials == (trial,)


@pytest.mark.parametrize("nct", NCTS)
def test_fhir_export_validates(refdata: Path, nct: str) -> None:
    """The imported trial exports to a ResearchStudy that fhir.resources R5 accepts unchanged."""
    resource = biopipe.interop.fhir.to_research_study(from_ctgov(read_record(refdata, nct)).trial)
    model = get_fhir_model_class("ResearchStudy").model_validate(resource)
    assert json.loads(model.model_dump_json(exclude_none=True)) == resource
    assert resource["identifier"][0]["value"] == nct


@pytest.mark.parametrize("nct", NCTS)
def test_unmapped_paths_exist_and_do_not_overlap(refdata: Path, nct: str) -> None:
    """Each unmapped entry's path resolves in the record to its value; no entry lies inside another."""
    record = read_record(refdata, nct)
    unmapped = from_ctgov(record).unmapped
    for u in unmapped:
        assert resolve(record, u.path) == u.value, u.path
        assert u.reason
    paths = [u.path for u in unmapped]
    assert len(set(paths)) == len(paths)
    for p in paths:
        assert not any(q != p and q.startswith((p + ".", p + "[")) for q in paths)


def leaves(node: object, path: str = "") -> list[tuple[str, object]]:
    if isinstance(node, dict):
        return [x for k, v in node.items() for x in leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(node, list):
        return [x for i, v in enumerate(node) for x in leaves(v, f"{path}[{i}]")]
    return [(path, node)]


def under(path: str, prefixes: set[str]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in prefixes)


# Recognised registry ids are kept as ids; the registry is known from the id itself.
ID_DETAIL = re.compile(
    r"protocolSection\.identificationModule\.(secondaryIdInfos\[\d+\]|orgStudyIdInfo)\.(type|domain)"
)


@pytest.mark.parametrize("nct", NCTS)
def test_nothing_is_dropped_silently(refdata: Path, nct: str) -> None:
    """Every leaf of the record is reported unmapped, or its value is in the imported trial's JSON."""
    record = read_record(refdata, nct)
    result = from_ctgov(record, keep_source_terms=True)
    reported = {u.path for u in result.unmapped}
    asset = Asset(code="X", sponsor="Y", modality=Modality.OTHER, trials=(result.trial,))
    kept = biopipe.document.to_document(asset)["assets"][0]["trials"][0]
    kept_values = {json.dumps(v, ensure_ascii=False) for _, v in leaves(kept)}
    kept_text = json.dumps(kept, ensure_ascii=False)
    for path, value in leaves(record):
        if under(path, reported) or ID_DETAIL.fullmatch(path):
            continue
        assert json.dumps(value, ensure_ascii=False) in kept_values or (
            isinstance(value, str) and value in kept_text
        ), path


def test_specific_parts_are_reported_with_reasons(refdata: Path) -> None:
    """Eligibility, results, non-registry ids and site details are reported; mapped fields are not."""
    record = read_record(refdata, "NCT00763412")
    reasons = {u.path: u.reason for u in from_ctgov(record).unmapped}
    assert "eligibility" in reasons["protocolSection.eligibilityModule"]
    assert "results" in reasons["resultsSection"]
    assert "registry id" in reasons["protocolSection.identificationModule.orgStudyIdInfo"]
    assert "registry id" in reasons["protocolSection.identificationModule.secondaryIdInfos"]
    assert "sites" in reasons["protocolSection.contactsLocationsModule.locations[0].city"]
    assert "protocolSection.contactsLocationsModule.locations[0].country" not in reasons
    assert not any(p.startswith("protocolSection.designModule.phases") for p in reasons)
    assert not any(p.startswith("protocolSection.statusModule.overallStatus") for p in reasons)


# -- countries and endpoint kinds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("United States", "US"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Russian Federation", "RU"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Macedonia, The Former Yugoslav Republic of", "MK"),
        ("North Macedonia", "MK"),
        ("Swaziland", "SZ"),
        ("Eswatini", "SZ"),
        ("Iran, Islamic Republic of", "IR"),
        ("Taiwan", "TW"),
        ("Hong Kong", "HK"),
        ("Côte D'Ivoire", "CI"),
        ("Congo, The Democratic Republic of the", "CD"),
        ("Viet Nam", "VN"),
        ("Moldova, Republic of", "MD"),
        ("Réunion", "RE"),
    ],
)
def test_country_names(name: str, code: str) -> None:
    """ClinicalTrials.gov country names, current and former, become ISO 3166-1 codes."""
    assert country_code(name) == code


def test_unknown_country_is_reported() -> None:
    """A location country biopipe does not know is listed as unmapped, not guessed."""
    result = from_ctgov(study(contactsLocationsModule={"locations": [{"country": "Atlantis"}, {"country": "Turkey"}]}))
    assert result.trial.countries == ("TR",)
    assert [(u.path, u.value) for u in result.unmapped] == [
        ("protocolSection.contactsLocationsModule.locations[0].country", "Atlantis")
    ]


@pytest.mark.parametrize(
    ("measure", "kind"),
    [
        ("Objective Response Rate (ORR)", EndpointKind.ORR),
        ("Progression-free survival", EndpointKind.PFS),
        ("Overall Survival (OS)", EndpointKind.OS),
        ("Duration of response", EndpointKind.DOR),
        ("Number of participants with treatment-emergent adverse events", EndpointKind.SAFETY),
        ("Maximum plasma concentration (Cmax) of X", EndpointKind.PHARMACOKINETICS),
        ("Maximum tolerated dose", EndpointKind.DOSE_FINDING),
        ("Safety and tolerability", EndpointKind.SAFETY),
        ("ORR and PFS", EndpointKind.OTHER),
        ("MACE", EndpointKind.OTHER),
        ("Cosmetic outcome", EndpointKind.OTHER),
    ],
)
def test_endpoint_kind_is_inferred_conservatively(measure: str, kind: EndpointKind) -> None:
    """One named kind is recognised; several or none give 'other'."""
    assert endpoint_kind(measure) is kind


# -- errors ----------------------------------------------------------------------------------------


def study(**modules: object) -> dict[str, Any]:
    """A minimal valid study with *modules* added to its protocol section."""
    ps: dict[str, Any] = {
        "identificationModule": {"nctId": "NCT01234567", "briefTitle": "A study"},
        "statusModule": {"overallStatus": "RECRUITING"},
    }
    ps.update(modules)
    return {"protocolSection": ps}


def problem_paths(record: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        from_ctgov(record)
    return [p.path for p in info.value.problems]


@pytest.mark.parametrize(
    ("record", "paths"),
    [
        ([], [""]),
        ({"studies": []}, ["protocolSection"]),
        ({"protocolSection": []}, ["protocolSection"]),
        (
            {"protocolSection": {}},
            ["protocolSection.identificationModule.briefTitle", "protocolSection.statusModule.overallStatus"],
        ),
        (study(statusModule={"overallStatus": "Recruiting"}), ["protocolSection.statusModule.overallStatus"]),
        (study(designModule={"phases": ["PHASE5"]}), ["protocolSection.designModule.phases"]),
        (study(designModule={"phases": "PHASE1"}), ["protocolSection.designModule.phases"]),
        (
            study(designModule={"designInfo": {"allocation": "RANDOM", "maskingInfo": {"masking": 2}}}),
            [
                "protocolSection.designModule.designInfo.maskingInfo.masking",
                "protocolSection.designModule.designInfo.allocation",
            ],
        ),
        (
            study(statusModule={"overallStatus": "COMPLETED", "startDateStruct": {"date": "2025-13"}}),
            ["protocolSection.statusModule.startDateStruct.date"],
        ),
        (
            study(designModule={"enrollmentInfo": {"count": True}}),
            ["protocolSection.designModule.enrollmentInfo.count"],
        ),
        (
            study(armsInterventionsModule={"interventions": [3]}),
            ["protocolSection.armsInterventionsModule.interventions[0]"],
        ),
        (
            {
                "protocolSection": {
                    "identificationModule": {"nctId": "NCT1", "briefTitle": "x"},
                    "statusModule": {"overallStatus": "COMPLETED"},
                }
            },
            ["protocolSection.identificationModule.nctId"],
        ),
    ],
)
def test_bad_records_are_validation_errors_naming_every_path(record: object, paths: list[str]) -> None:
    """A record that is not a study, or holds bad values, raises one ValidationError listing each path."""
    assert sorted(problem_paths(record)) == sorted(paths)


def test_actual_end_before_actual_start_is_an_error() -> None:
    """The Trial's own rules apply to imported data too."""
    record = study(
        statusModule={
            "overallStatus": "COMPLETED",
            "startDateStruct": {"date": "2020-05", "type": "ACTUAL"},
            "completionDateStruct": {"date": "2019-01", "type": "ACTUAL"},
        }
    )
    with pytest.raises(ValidationError, match="completion"):
        from_ctgov(record)


def test_lenient_reports_bad_optional_values_as_unmapped() -> None:
    """lenient=True keeps going: a bad optional code is an unmapped entry saying what was expected."""
    record = study(designModule={"phases": ["PHASE5"], "studyType": "INTERVENTIONAL"})
    result = from_ctgov(record, lenient=True)
    assert result.trial.phase is None
    assert result.trial.study_type is StudyType.INTERVENTIONAL
    [u] = result.unmapped
    assert (u.path, u.value) == ("protocolSection.designModule.phases", ["PHASE5"])
    assert u.reason.startswith("expected one of")
    with pytest.raises(ValidationError):
        from_ctgov({"protocolSection": {"identificationModule": {"briefTitle": "x"}}}, lenient=True)


def test_title_falls_back_to_the_official_title_and_unknown_status_has_last_known() -> None:
    """Without briefTitle the official title is the title; lastKnownStatus is kept only for UNKNOWN."""
    record = {
        "protocolSection": {
            "identificationModule": {"officialTitle": "Official"},
            "statusModule": {"overallStatus": "COMPLETED", "lastKnownStatus": "RECRUITING"},
        }
    }
    result = from_ctgov(record)
    assert (result.trial.title, result.trial.official_title, result.trial.last_known_status) == ("Official", None, None)
    assert [u.path for u in result.unmapped] == ["protocolSection.statusModule.lastKnownStatus"]


# -- properties ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
CODES = st.sampled_from(
    ["RECRUITING", "COMPLETED", "UNKNOWN", "NA", "PHASE1", "PHASE2", "ACTUAL", "ESTIMATED", "2025-01", "", "Turkey"]
)


def check_import(record: Any) -> None:
    try:
        result = from_ctgov(record)
    except BiopipeError:
        return
    for u in result.unmapped:
        assert resolve(record, u.path) == u.value


# Marked fuzz as well: `nox -s fuzz` runs these with the long profile; the default run keeps its budget.
@pytest.mark.fuzz
@given(json_values)
def test_arbitrary_json_raises_only_biopipe_errors(value: Any) -> None:
    """Any JSON value, or one put where the protocol section belongs, imports or raises a BiopipeError."""
    check_import(value)
    check_import({"protocolSection": value})
    check_import(study(statusModule=value))


@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_real_records_raise_only_biopipe_errors(refdata: Path, data: st.DataObject) -> None:
    """A real record with values replaced (arbitrary JSON, plausible codes) or deleted imports or fails cleanly."""
    nct = data.draw(st.sampled_from(["NCT04956640", "NCT03475563", "NCT00973089", "NCT05431270"]))
    if nct not in RECORDS:
        RECORDS[nct] = read_record(refdata, nct)
    record = copy.deepcopy(RECORDS[nct])
    paths = [p for p, _ in containers(record) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent: Any = record
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values | CODES)
        paths = [p for p, _ in containers(record) if p]
    check_import(record)


RECORDS: dict[str, dict[str, Any]] = {}


def containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) in *node* within the protocol section (where the importer reads)."""
    out = [(path, node)]
    if isinstance(node, dict):
        for k, v in node.items():
            if path or k == "protocolSection":
                out += containers(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            out += containers(v, (*path, i))
    return out


def test_resolve_helper_reads_quoted_keys() -> None:
    """The test's own path resolver understands quoted keys and indexes (so the checks above can fail)."""
    assert resolve({"a": [{"b.c": 1}]}, 'a[0]["b.c"]') == 1
    assert resolve({"a": []}, "a[0]") is MISSING


def test_lenient_still_needs_a_title() -> None:
    """A bad briefTitle with no officialTitle fails even when lenient, naming the path."""
    record = {
        "protocolSection": {"identificationModule": {"briefTitle": 5}, "statusModule": {"overallStatus": "COMPLETED"}}
    }
    with pytest.raises(ValidationError) as info:
        from_ctgov(record, lenient=True)
    assert [p.path for p in info.value.problems] == ["protocolSection.identificationModule.briefTitle"]


def test_odd_keys_are_quoted_in_paths() -> None:
    """Keys that are not plain names are quoted, so every path still resolves."""
    record = {**study(), "x.y": {"a b": 1}}
    [u] = from_ctgov(record).unmapped
    assert u.path == '["x.y"]'
    assert resolve(record, u.path) == {"a b": 1}


def test_secondary_ids_with_and_without_type() -> None:
    """Registry ids are recognised by format whatever their type; other ids are reported, not kept as ids."""
    record = study(
        identificationModule={
            "nctId": "NCT01234567",
            "briefTitle": "A study",
            "orgStudyIdInfo": {"id": "CTR20250123"},
            "secondaryIdInfos": [
                {"id": "ChiCTR2000029308"},
                {"id": "ABC-1", "type": "OTHER", "domain": "Sponsor"},
                {"id": "2015-001234-12", "type": "EUDRACT_NUMBER"},
            ],
        }
    )
    result = from_ctgov(record)
    assert [i.value for i in result.trial.ids] == ["NCT01234567", "CTR20250123", "ChiCTR2000029308", "2015-001234-12"]
    assert [(u.path, u.value) for u in result.unmapped] == [
        (
            "protocolSection.identificationModule.secondaryIdInfos[1]",
            {"id": "ABC-1", "type": "OTHER", "domain": "Sponsor"},
        )
    ]


@pytest.mark.parametrize(
    ("status", "extra", "basis"),
    [
        ("RECRUITING", {}, DateBasis.ACTUAL),
        ("NOT_YET_RECRUITING", {}, DateBasis.ESTIMATED),
        ("WITHDRAWN", {}, DateBasis.ESTIMATED),
        ("UNKNOWN", {"lastKnownStatus": "ACTIVE_NOT_RECRUITING"}, DateBasis.ACTUAL),
        ("UNKNOWN", {"lastKnownStatus": "NOT_YET_RECRUITING"}, DateBasis.ESTIMATED),
        ("UNKNOWN", {}, DateBasis.ESTIMATED),
    ],
)
def test_untyped_start_basis_follows_the_status(status: str, extra: dict[str, str], basis: DateBasis) -> None:
    """A start date without type is actual once the trial (or its last known state) has started."""
    record = study(statusModule={"overallStatus": status, **extra, "startDateStruct": {"date": "2025-01"}})
    start = from_ctgov(record).trial.start
    assert start is not None
    assert (start.date.format_iso(), start.date.precision, start.basis) == ("2025-01", Precision.MONTH, basis)
