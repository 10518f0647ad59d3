"""FHIR R5 export: resources validate with fhir.resources and every code belongs to its code system."""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs
import pytest
from fhir.resources import get_fhir_model_class
from hypothesis import given
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Agency,
    AliasKind,
    Allocation,
    AntibodyOrigin,
    ApplicationKind,
    ApplicationType,
    DateBasis,
    Designation,
    DesignPart,
    EndpointKind,
    EventKind,
    FactDate,
    InterventionModel,
    Masking,
    Modality,
    PartialDate,
    PartyRole,
    Pathway,
    Phase,
    PrimaryPurpose,
    RegulatoryEvent,
    ReviewType,
    SponsorClass,
    StudyType,
    TherapyMode,
    Trial,
    TrialStatus,
)
from biopipe.document import json_text
from biopipe.interop import fhir
from biopipe.model import JURISDICTIONS
from biopipe.model._ids import HGNC_ID
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from collections.abc import Iterator

    from biopipe import Asset

# The code systems the export uses, each with every code it defines. HL7 lists are copied from
# hl7.org/fhir/R5 (see ../shared/research/domain.md section 2); biopipe's are its vocabularies.
HL7_CODES: dict[str, frozenset[str]] = {
    "http://terminology.hl7.org/CodeSystem/research-study-phase": frozenset(
        ["n-a", "early-phase-1", "phase-1", "phase-1-phase-2", "phase-2", "phase-2-phase-3", "phase-3", "phase-4"]
    ),
    "http://hl7.org/fhir/research-study-status": frozenset(
        [
            "overall-study",
            "active",
            "active-but-not-recruiting",
            "administratively-completed",
            "approved",
            "closed-to-accrual",
            "closed-to-accrual-and-intervention",
            "completed",
            "disapproved",
            "enrolling-by-invitation",
            "in-review",
            "not-yet-recruiting",
            "recruiting",
            "temporarily-closed-to-accrual",
            "temporarily-closed-to-accrual-and-intervention",
            "terminated",
            "withdrawn",
        ]
    ),
    "http://hl7.org/fhir/research-study-party-role": frozenset(
        [
            "sponsor",
            "lead-sponsor",
            "sponsor-investigator",
            "primary-investigator",
            "collaborator",
            "funding-source",
            "general-contact",
            "recruitment-contact",
            "sub-investigator",
            "study-director",
            "study-chair",
            "irb",
        ]
    ),
    "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type": frozenset(
        [
            "treatment",
            "prevention",
            "diagnostic",
            "supportive-care",
            "screening",
            "health-services-research",
            "basic-science",
            "device-feasibility",
        ]
    ),
    "http://hl7.org/fhir/research-study-arm-type": frozenset(
        ["active-comparator", "placebo-comparator", "sham-comparator", "no-intervention", "experimental", "other-arm"]
    ),
    "http://terminology.hl7.org/CodeSystem/research-study-objective-type": frozenset(
        ["primary", "secondary", "exploratory"]
    ),
    "http://hl7.org/fhir/publication-status": frozenset(["draft", "active", "retired", "unknown"]),
    "http://hl7.org/fhir/regulated-authorization-type": frozenset(["MarketingAuth", "Orphan", "Pediatric"]),
    "urn:iso:std:iso:3166": frozenset(JURISDICTIONS),
}
BIOPIPE_CODES: dict[str, frozenset[str]] = {
    fhir.biopipe_system(name): frozenset(codes)
    for name, codes in {
        "trial-status": TrialStatus.codes(),
        "trial-milestone": fhir.TRIAL_MILESTONE,
        "sponsor-class": SponsorClass.codes(),
        "study-type": StudyType.codes(),
        "allocation": Allocation.codes(),
        "masking": Masking.codes(),
        "intervention-model": InterventionModel.codes(),
        "therapy-mode": TherapyMode.codes(),
        "design-part": DesignPart.codes(),
        "primary-purpose": PrimaryPurpose.codes(),
        "endpoint-kind": EndpointKind.codes(),
        "designation": Designation.codes(),
        "authorization-type": fhir.AUTHORIZATION_TYPE,
        "authorization-status": fhir.AUTHORIZATION_STATUS,
        "application-kind": ApplicationKind.codes(),
        "application-type": ApplicationType.codes(),
        "pathway": Pathway.codes(),
        "review-type": ReviewType.codes(),
        "party-role": PartyRole.codes(),
        "event-kind": EventKind.codes(),
        "alias-kind": AliasKind.codes(),
        "modality": Modality.codes(),
        "antibody-origin": AntibodyOrigin.codes(),
    }.items()
}
KNOWN_CODES = {**HL7_CODES, **BIOPIPE_CODES}
# Open code systems (one code per gene) are checked by the format of their codes.
PATTERN_CODES = {fhir.HGNC_SYSTEM: re.compile(HGNC_ID)}
# Plain `code` elements and the value sets they are bound to (required bindings).
CODE_ELEMENTS = {
    ("ResearchStudy", "status"): HL7_CODES["http://hl7.org/fhir/publication-status"],
    ("Bundle", "type"): frozenset({"collection"}),
    ("RelatedArtifact", "type"): frozenset({"citation"}),
}


def codings(node: Any) -> list[tuple[str, str]]:
    """Every (system, code) pair of every Coding anywhere in *node*."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if "system" in node and "code" in node:
            found.append((node["system"], node["code"]))
        for value in node.values():
            found += codings(value)
    elif isinstance(node, list):
        for item in node:
            found += codings(item)
    return found


def bad_codes(resource: dict[str, Any]) -> list[tuple[str, str]]:
    """The codings whose system is unknown or whose code that system does not define."""
    return [
        (s, c)
        for s, c in codings(resource)
        if c not in KNOWN_CODES.get(s, frozenset()) and not (s in PATTERN_CODES and PATTERN_CODES[s].fullmatch(c))
    ]


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """Validate with the fhir.resources R5 model and return what the model writes back."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    out: dict[str, Any] = json.loads(model.model_dump_json(exclude_none=True))
    return out


def check_resource(resource: dict[str, Any]) -> None:
    assert resource == validated(resource)
    assert bad_codes(resource) == []
    if resource["resourceType"] == "ResearchStudy":
        assert resource["status"] in CODE_ELEMENTS["ResearchStudy", "status"]
        for artifact in resource.get("relatedArtifact", []):
            assert artifact["type"] in CODE_ELEMENTS["RelatedArtifact", "type"]


def check_bundle(bundle: dict[str, Any]) -> None:
    assert bundle == validated(bundle)
    assert bundle["type"] in CODE_ELEMENTS["Bundle", "type"]
    for entry in bundle["entry"]:
        check_resource(entry["resource"])


@pytest.fixture
def js212() -> Asset:
    return biopipe.example("js212")


def test_js212_exports_to_a_bundle_that_validates(js212: Asset) -> None:
    """The JS212 record becomes one collection Bundle: product, 2 studies and 4 authorizations, all valid R5."""
    bundle = fhir.to_bundle(js212)
    check_bundle(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["MedicinalProductDefinition"] + ["ResearchStudy"] * 2 + ["RegulatedAuthorization"] * 4


def test_js212_fda_clearance_is_a_regulated_authorization_in_region_us(js212: Asset) -> None:
    """The FDA IND clearance is a RegulatedAuthorization for JS212 in region US, decided on or before 2025-12-14."""
    bundle = fhir.to_bundle(js212)
    product_url = bundle["entry"][0]["fullUrl"]
    fda = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "RegulatedAuthorization"
        and e["resource"]["regulator"]["display"] == "Food and Drug Administration"
    ]
    assert len(fda) == 1
    assert fda[0]["region"] == [{"coding": [{"system": "urn:iso:std:iso:3166", "code": "US"}]}]
    assert [{"reference": product_url, "display": "JS212"}] == fda[0]["subject"]
    assert (
        fda[0]["type"]["coding"][0]["code"],
        fda[0]["case"]["status"]["coding"][0]["code"],
    ) == ("clinical-trial-authorization", "ind_cleared")
    product = bundle["entry"][0]["resource"]
    assert product["identifier"] == [{"system": fhir.biopipe_system("asset-code"), "value": "JS212"}]


def test_announced_date_is_an_upper_bound_not_a_decision_date(js212: Asset) -> None:
    """'On or before 2025-12-14' becomes case.datePeriod with only an end (and its text), never statusDate."""
    fda = fhir.to_regulated_authorization(js212.events[3], js212)
    assert "statusDate" not in fda
    assert fda["case"]["datePeriod"] == {
        "end": "2025-12-14",
        "_end": {"extension": [{"url": fhir.EXT_FACT_DATE, "valueString": "on or before 2025-12-14"}]},
    }
    assert "dateDateTime" not in fda["case"]


def test_partial_dates_stay_partial(js212: Asset) -> None:
    """NMPA's month-precision dates stay '2025-01' and '2025-03' in the case and its application."""
    cleared = fhir.to_regulated_authorization(js212.events[1], js212)
    assert cleared["case"]["dateDateTime"] == "2025-03"
    assert cleared["statusDate"] == "2025-03"
    assert [(a["status"]["coding"][0]["code"], a["dateDateTime"]) for a in cleared["case"]["application"]] == [
        ("ind_accepted", "2025-01")
    ]


def test_quarter_date_is_the_months_it_covers_with_its_exact_text() -> None:
    """An actual 2025-Q3 decision is the period 2025-07..2025-09; FHIR has no quarter, so the text rides along."""
    asset = biopipe.Asset(
        code="X1",
        sponsor="Acme",
        modality=Modality.SMALL_MOLECULE,
        events=(
            RegulatoryEvent(
                agency=Agency.EMA,
                kind=EventKind.DESIGNATION_GRANTED,
                designation=Designation.ORPHAN_DRUG,
                date=FactDate(PartialDate(2025, quarter=3)),
            ),
        ),
    )
    ra = fhir.to_regulated_authorization(asset.events[0], asset)
    check_resource(ra)
    assert ra["case"]["datePeriod"] == {
        "extension": [{"url": fhir.EXT_FACT_DATE, "valueString": "2025-Q3"}],
        "start": "2025-07",
        "end": "2025-09",
    }
    assert ra["region"][0]["coding"][0]["code"] == "EU"
    assert {"orphan_drug", "Orphan"} == {c["code"] for c in ra["type"]["coding"]}


def test_estimated_event_is_anticipated_not_in_force() -> None:
    """A forecast approval is status 'anticipated', never 'active'."""
    event = RegulatoryEvent(
        agency=Agency.FDA,
        kind=EventKind.MARKETING_APPROVED,
        date=FactDate(PartialDate(2026, half=1), DateBasis.ESTIMATED),
    )
    asset = biopipe.Asset(code="X1", sponsor="Acme", modality=Modality.PROTEIN, events=(event,))
    ra = fhir.to_regulated_authorization(event, asset)
    check_resource(ra)
    assert [{"system": fhir.biopipe_system("authorization-status"), "code": "anticipated"}] == ra["status"]["coding"]


def test_trial_dates_keep_precision_and_actual_flag() -> None:
    """Start and completion with different bases are separate overall-study entries with their own actual flag."""
    trial = Trial(
        title="T",
        status=TrialStatus.RECRUITING,
        phase=Phase.PHASE1,
        start=FactDate(PartialDate(2025, 1)),
        completion=FactDate(PartialDate(2027, half=2), DateBasis.ESTIMATED),
        primary_completion=FactDate(PartialDate(2026, 6, 30), DateBasis.ESTIMATED),
    )
    rs = fhir.to_research_study(trial)
    check_resource(rs)
    assert [
        {"state": {"coding": [{"system": fhir.STATUS_SYSTEM, "code": "recruiting", "display": "Recruiting"}]}},
        {
            "state": {"coding": [{"system": fhir.STATUS_SYSTEM, "code": "overall-study", "display": "Overall Study"}]},
            "actual": True,
            "period": {"start": "2025-01"},
        },
        {
            "state": {"coding": [{"system": fhir.STATUS_SYSTEM, "code": "overall-study", "display": "Overall Study"}]},
            "actual": False,
            "period": {
                "end": "2027",
                "_end": {"extension": [{"url": fhir.EXT_FACT_DATE, "valueString": "2027-H2 (estimated)"}]},
            },
        },
        {
            "state": {
                "coding": [
                    {
                        "system": fhir.biopipe_system("trial-milestone"),
                        "code": "primary-completion",
                        "display": "Primary completion",
                    }
                ]
            },
            "actual": False,
            "period": {"end": "2026-06-30"},
        },
    ] == rs["progressStatus"]


def test_why_stopped_only_for_a_stopped_trial() -> None:
    """whyStopped is written for a withdrawn trial; a reason kept with another status becomes a note."""
    withdrawn = fhir.to_research_study(Trial(title="T", status=TrialStatus.WITHDRAWN, why_stopped="No funding"))
    completed = fhir.to_research_study(Trial(title="T", status=TrialStatus.COMPLETED, why_stopped="No funding"))
    assert withdrawn["whyStopped"] == {"text": "No funding"}
    assert "whyStopped" not in completed
    assert [n["text"] for n in completed["note"]] == ["Reason stopped (recorded with status completed): No funding"]


@pytest.mark.parametrize(("status", "code"), [(s, c) for s, (c, _) in fhir.TRIAL_STATE.items()])
def test_every_mapped_status_is_an_r5_research_study_status(status: TrialStatus, code: str) -> None:
    """The status map only names codes of the R5 research-study-status system."""
    rs = fhir.to_research_study(Trial(title="T", status=status))
    assert code in HL7_CODES[fhir.STATUS_SYSTEM]
    assert code == rs["progressStatus"][0]["state"]["coding"][0]["code"]


def test_preclinical_has_no_phase() -> None:
    """Preclinical has no research-study-phase code, so no phase is written."""
    assert "phase" not in fhir.to_research_study(Trial(title="T", status=TrialStatus.PLANNED, phase=Phase.PRECLINICAL))


def test_bundle_is_canonical(js212: Asset) -> None:
    """The same asset always gives the same fullUrls; another asset gives others."""
    other = attrs.evolve(js212, code="JS213")
    urls = [e["fullUrl"] for e in fhir.to_bundle(js212)["entry"]]
    assert urls == [e["fullUrl"] for e in fhir.to_bundle(js212)["entry"]]
    assert not set(urls) & {e["fullUrl"] for e in fhir.to_bundle(other)["entry"]}


def test_code_lists_agree_with_the_official_r5_example(refdata: Path) -> None:
    """The official R5 ResearchStudy example uses only codes our HL7 code lists contain."""
    example = json.loads((refdata / "fhir" / "R5" / "ResearchStudy-example-ctgov-study-record.json").read_text())
    used = [(s, c) for s, c in codings(example) if s in HL7_CODES]
    assert used
    assert [(s, c) for s, c in used if c not in HL7_CODES[s]] == []
    validated(example)


def test_import_biopipe_does_not_import_fhir_resources() -> None:
    """fhir.resources is a test dependency only: importing biopipe and its FHIR export never loads it."""
    code = "import sys, biopipe, biopipe.interop.fhir; print('fhir' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@given(bst.trials())
def test_any_trial_exports_to_a_valid_research_study(trial: Trial) -> None:
    """Property: every generated trial gives a ResearchStudy that validates and uses only known codes."""
    check_resource(fhir.to_research_study(trial))


@given(bst.assets())
def test_any_asset_exports_to_a_valid_bundle(asset: Asset) -> None:
    """Property: every generated asset gives a Bundle whose resources all validate with known codes."""
    check_bundle(fhir.to_bundle(asset))


# -- large exports: Bulk Data NDJSON and the streamed Bundle -------------------------------------------


def _ndjson(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Each file's resources, checking that every line is exactly one JSON object and the file ends in a newline."""
    out = {}
    for path in sorted(directory.iterdir()):
        text = path.read_text("utf-8")
        assert text == "" or text.endswith("\n"), path.name
        lines = text.split("\n")[:-1]
        assert lines == text.splitlines(), "no character any reader could take for a line break"
        assert all(line and line == line.strip() for line in lines), "no blank or padded lines"
        resources = [json.loads(line) for line in lines]
        assert all(isinstance(r, dict) and "resourceType" in r for r in resources)
        out[path.name] = resources
    return out


def _as_in_bundle(resource: dict[str, Any], urls: dict[str, str]) -> dict[str, Any]:
    """The Bundle form of an NDJSON resource: no id, references by fullUrl instead of type and id."""
    plain: dict[str, Any] = json.loads(json.dumps(resource))
    del plain["id"]
    for key in ("subject", "clinicalTrial"):
        for ref in plain.get(key, []):
            ref["reference"] = urls[ref["reference"].split("/", 1)[1]]
    return plain


def check_ndjson(directory: Path, obj: Asset | biopipe.Portfolio) -> None:
    """Files per type, one valid resource per line, ids unique, references resolved, the Bundle's resources."""
    files = _ndjson(directory)
    assert list(files) == sorted(f"{t}.ndjson" for t in fhir.NDJSON_TYPES)
    ids: dict[str, set[str]] = {}
    for name, resources in files.items():
        kind = name.removesuffix(".ndjson")
        assert {r["resourceType"] for r in resources} <= {kind}, "one resource type per file"
        ids[kind] = {r["id"] for r in resources}
        assert len(ids[kind]) == len(resources), "ids are unique"
        for resource in resources:
            check_resource(resource)
    for resources in files.values():
        for resource in resources:
            for ref in resource.get("subject", []) + resource.get("clinicalTrial", []):
                kind, _, target = ref["reference"].partition("/")
                assert target in ids[kind], ref
    entries = fhir.to_bundle(obj)["entry"]
    urls = {e["fullUrl"].removeprefix("urn:uuid:"): e["fullUrl"] for e in entries}
    by_type = {t: [e["resource"] for e in entries if e["resource"]["resourceType"] == t] for t in fhir.NDJSON_TYPES}
    for kind, expected in by_type.items():
        assert [_as_in_bundle(r, urls) for r in files[f"{kind}.ndjson"]] == expected


def test_js212_exports_to_ndjson_one_file_per_type(js212: Asset, tmp_path: Path) -> None:
    """Bulk Data: a product, 2 studies and 4 authorizations, one valid resource per line, in their type's file."""
    paths = fhir.write_ndjson(js212, tmp_path)
    assert [p.name for p in paths] == [
        "MedicinalProductDefinition.ndjson",
        "ResearchStudy.ndjson",
        "RegulatedAuthorization.ndjson",
    ]
    check_ndjson(tmp_path, js212)
    counts = {name: len(resources) for name, resources in _ndjson(tmp_path).items()}
    assert counts == {
        "MedicinalProductDefinition.ndjson": 1,
        "RegulatedAuthorization.ndjson": 4,
        "ResearchStudy.ndjson": 2,
    }
    product = _ndjson(tmp_path)["MedicinalProductDefinition.ndjson"][0]
    assert product["id"] == fhir.to_bundle(js212)["entry"][0]["fullUrl"].removeprefix("urn:uuid:")
    assert "\n" not in (tmp_path / "ResearchStudy.ndjson").read_text("utf-8").rstrip("\n").split("\n")[0]


def test_ndjson_of_a_record_without_trials_has_an_empty_study_file(tmp_path: Path) -> None:
    """Every type's file is written, empty when the record has none of that type (so no stale file remains)."""
    (tmp_path / "ResearchStudy.ndjson").write_text("stale\n", "utf-8")
    asset = biopipe.Asset(code="X1", sponsor="Acme", modality=Modality.SMALL_MOLECULE)
    fhir.write_ndjson(asset, tmp_path)
    assert (tmp_path / "ResearchStudy.ndjson").read_bytes() == b""
    assert len(_ndjson(tmp_path)["MedicinalProductDefinition.ndjson"]) == 1


@given(bst.portfolios(max_assets=2))
def test_any_portfolio_exports_to_valid_ndjson(portfolio: biopipe.Portfolio) -> None:
    """Property: generated portfolios give NDJSON whose every line validates, with the Bundle's resources."""
    with tempfile.TemporaryDirectory() as tmp:
        fhir.write_ndjson(portfolio, tmp)
        check_ndjson(Path(tmp), portfolio)


def test_ndjson_reads_an_iterable_lazily_and_an_error_changes_no_file(js212: Asset, tmp_path: Path) -> None:
    """Assets are converted as they come (one at a time); a failure half way leaves the old files and no temp files."""
    fhir.write_ndjson(js212, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    pulled = []

    def assets() -> Iterator[Asset]:
        pulled.append(js212.code)
        yield js212
        raise RuntimeError("the source failed")

    resources = fhir.iter_resources(assets())
    assert next(resources)["resourceType"] == "MedicinalProductDefinition"
    assert pulled == ["JS212"], "the first resource comes before the source is exhausted"
    with pytest.raises(RuntimeError, match="source failed"):
        fhir.write_ndjson(assets(), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert gc.isenabled()


def test_ndjson_refuses_what_is_not_assets(js212: Asset, tmp_path: Path) -> None:
    """Resource ids derive from asset codes, so an iterable with a code twice is refused, as is a non-asset."""
    with pytest.raises(biopipe.InvalidValue, match="distinct asset codes"):
        fhir.write_ndjson([js212, js212], tmp_path)
    with pytest.raises(biopipe.InvalidValue, match="an Asset"):
        fhir.write_ndjson(cast("Any", [js212, "JS213"]), tmp_path)
    with pytest.raises(biopipe.InvalidValue):
        fhir.write_ndjson(cast("Any", "JS212"), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == []


def test_streamed_bundle_is_byte_identical(js212: Asset, tmp_path: Path) -> None:
    """write_bundle and bundle_chunks write exactly json_text(to_bundle(...)), also for an empty portfolio."""
    for obj in (js212, biopipe.Portfolio(), biopipe.Portfolio(assets=(js212, attrs.evolve(js212, code="JS213")))):
        expected = json_text(fhir.to_bundle(obj)).encode("utf-8")
        assert b"".join(fhir.bundle_chunks(obj)) == expected
        assert fhir.write_bundle(obj, tmp_path / "b.json").read_bytes() == expected
    assert list(fhir.iter_entries(js212)) == fhir.to_bundle(js212)["entry"]
    assert gc.isenabled()


@given(bst.portfolios(max_assets=2))
def test_any_streamed_bundle_is_byte_identical(portfolio: biopipe.Portfolio) -> None:
    """Property: the streamed Bundle is the Bundle, byte for byte."""
    assert b"".join(fhir.bundle_chunks(portfolio)) == json_text(fhir.to_bundle(portfolio)).encode("utf-8")


@given(bst.trials())
def test_both_json_backends_write_the_same_lines(trial: Trial) -> None:
    """orjson and the standard library write the same NDJSON line (line breaks inside strings escaped)."""
    resource = fhir.to_research_study(trial)
    line = fhir._ndjson_encoder()(resource)
    assert line == fhir._standard_line(resource)
    assert line.endswith(b"\n")
    assert len(line.decode("utf-8").splitlines()) == 1
    assert json.loads(line) == resource


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_fast_uuid_is_uuid5(parts: list[str]) -> None:
    """The resource uuids are RFC 4122 version 5 uuids of the record path, as uuid.uuid5 makes them."""
    assert fhir._uuid_text(*parts) == str(uuid.uuid5(fhir._NAMESPACE, "\x1f".join(parts)))


def test_export_restores_the_garbage_collector(js212: Asset) -> None:
    """The collector is paused while resources are built and restarted after, even when it was off before."""
    fhir.to_bundle(js212)
    assert gc.isenabled()
    gc.disable()
    try:
        fhir.to_bundle(js212)
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- format version 2: applications, pathways, review types, parties ------------------------------------


def _accelerated() -> Asset:
    """A BLA accepted with priority review and a goal date, approved on the accelerated pathway, then converted."""
    bla = biopipe.Application(
        id="US BLA",
        agency=Agency.FDA,
        kind=ApplicationType.BLA,
        number="761139",
        indications=("HER2-positive breast cancer",),
    )
    day = FactDate.parse

    def event(kind: EventKind, date: str, **fields: Any) -> RegulatoryEvent:
        return RegulatoryEvent(agency=Agency.FDA, kind=kind, date=day(date), application="US BLA", **fields)

    return biopipe.Asset(
        code="X2",
        sponsor="Acme",
        modality=Modality.ADC,
        applications=(bla,),
        parties=(
            biopipe.Party(name="Acme", role=PartyRole.ORIGINATOR),
            biopipe.Party(
                name="Partner Co",
                role=PartyRole.LICENSEE,
                territory=biopipe.Territory(worldwide=True, excluding=("CN",)),
                start=PartialDate(2023, 12),
            ),
        ),
        events=(
            event(EventKind.MARKETING_SUBMITTED, "2023-10-02"),
            event(
                EventKind.MARKETING_ACCEPTED,
                "2023-12-01",
                review=ReviewType.PRIORITY,
                goal_date=PartialDate(2024, 6, 26),
            ),
            event(EventKind.MARKETING_APPROVED, "2024-06-20", pathway=Pathway.ACCELERATED),
            event(EventKind.APPROVAL_CONVERTED, "2025-03", pathway=Pathway.TRADITIONAL),
            event(EventKind.MARKETING_WITHDRAWN, "2025-06", by=biopipe.Actor.SPONSOR),
        ),
    )


def test_application_is_the_case_with_its_number_type_and_lifecycle() -> None:
    """The approval's case is the BLA: its number (assigned by the FDA), its type, and the steps before it."""
    asset = _accelerated()
    approved = fhir.to_regulated_authorization(asset.events[2], asset)
    check_resource(approved)
    case = approved["case"]
    assert case["identifier"] == {
        "type": {"text": "BLA"},
        "value": "761139",
        "assigner": {"display": "Food and Drug Administration"},
    }
    assert case["type"]["coding"] == [
        {"system": fhir.biopipe_system("application-type"), "code": "bla", "display": "BLA"}
    ]
    assert [(a["status"]["coding"][0]["code"], a["dateDateTime"]) for a in case["application"]] == [
        ("marketing_submitted", "2023-10-02"),
        ("marketing_accepted", "2023-12-01"),
    ]
    assert approved["indication"] == [{"concept": {"text": "HER2-positive breast cancer"}}]


def test_pathway_and_review_type_are_the_bases_of_the_authorization() -> None:
    """Accelerated approval and priority review are RegulatedAuthorization.basis codings, not type or intendedUse."""
    asset = _accelerated()
    accepted, approved, converted = (fhir.to_regulated_authorization(e, asset) for e in asset.events[1:4])
    for resource in (accepted, approved, converted):
        check_resource(resource)
        assert "intendedUse" not in resource
    assert accepted["basis"] == [
        {
            "coding": [{"system": fhir.biopipe_system("review-type"), "code": "priority"}],
            "text": "priority review",
        }
    ]
    assert "Goal date: 2024-06-26" in accepted["description"]
    assert [b["coding"][0]["code"] for b in approved["basis"]] == ["accelerated"]
    assert [b["coding"][0]["code"] for b in converted["basis"]] == ["traditional"]
    assert approved["type"]["coding"][1]["code"] == "MarketingAuth"


def test_who_withdrew_is_said() -> None:
    """A withdrawal by the sponsor says so; it is retired, as every withdrawal."""
    asset = _accelerated()
    withdrawn = fhir.to_regulated_authorization(asset.events[4], asset)
    check_resource(withdrawn)
    assert "Withdrawn by: the sponsor" in withdrawn["description"]
    assert withdrawn["status"]["coding"][0]["code"] == "retired"


def test_parties_are_product_contacts_with_role_territory_and_period() -> None:
    """Each party is a MedicinalProductDefinition.contact: role coded, name, territory and period as extensions."""
    mpd = fhir.to_medicinal_product(_accelerated())
    check_resource(mpd)
    assert [c["type"].get("coding", [{}])[0].get("code") for c in mpd["contact"]] == [None, "originator", "licensee"]
    licensee = mpd["contact"][2]
    assert licensee["contact"] == {"display": "Partner Co"}
    assert licensee["extension"] == [
        {"url": fhir.EXT_TERRITORY, "valueString": "worldwide except CN"},
        {"url": fhir.EXT_PERIOD, "valuePeriod": {"start": "2023-12"}},
    ]


def test_format2_asset_exports_to_valid_bundle_and_ndjson(tmp_path: Path) -> None:
    """The whole record validates as a Bundle, streamed and as NDJSON, with the same resources."""
    asset = _accelerated()
    check_bundle(fhir.to_bundle(asset))
    fhir.write_ndjson(asset, tmp_path / "ndjson")
    check_ndjson(tmp_path / "ndjson", asset)
    fhir.write_bundle(asset, tmp_path / "bundle.json")
    assert json.loads((tmp_path / "bundle.json").read_text("utf-8")) == fhir.to_bundle(asset)


@given(bst.assets(realistic=True))
def test_any_realistic_asset_exports_to_a_valid_bundle(asset: Asset) -> None:
    """Property: realistic assets (applications, review types, pathways, parties) give valid Bundles."""
    check_bundle(fhir.to_bundle(asset))
