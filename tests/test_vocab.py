"""Vocabularies: stable codes, ordering and the ClinicalTrials.gov / FHIR maps."""

from __future__ import annotations

import itertools

import pytest

from biopipe import (
    Agency,
    ApplicationKind,
    Designation,
    EventKind,
    Modality,
    Phase,
    Precision,
    TrialStatus,
    UnknownCode,
    Vocabulary,
)

ALL_VOCABULARIES = Vocabulary.__subclasses__()


@pytest.mark.parametrize("vocab", ALL_VOCABULARIES, ids=lambda v: v.__name__)
def test_codes_are_lowercase_unique_and_round_trip(vocab: type[Vocabulary]) -> None:
    """Every wire code is lowercase, unique, and from_code inverts .code."""
    codes = vocab.codes()
    assert len(set(codes)) == len(codes)
    for member in vocab:
        assert member.code == member.code.lower()
        assert vocab.from_code(member.code) is member


def test_unknown_code_lists_the_allowed_codes() -> None:
    """'phase7' is rejected with the list of allowed phase codes."""
    with pytest.raises(UnknownCode) as info:
        Phase.from_code("phase7")
    message = str(info.value)
    assert "'phase7'" in message
    assert all(repr(code) in message for code in Phase.codes())


def test_phases_are_ordered_from_preclinical_to_phase4() -> None:
    """Development order; a combined phase sits between its bases; N/A ranks lowest."""
    order = [
        Phase.PRECLINICAL,
        Phase.EARLY_PHASE1,
        Phase.PHASE1,
        Phase.PHASE1_2,
        Phase.PHASE2,
        Phase.PHASE2_3,
        Phase.PHASE3,
        Phase.PHASE4,
    ]
    assert all(a < b for a, b in itertools.pairwise(order))
    assert min(Phase) is Phase.NOT_APPLICABLE
    assert max([Phase.NOT_APPLICABLE, Phase.PRECLINICAL]) is Phase.PRECLINICAL


@pytest.mark.parametrize(
    ("phase", "bases"),
    [
        (Phase.PHASE1_2, (Phase.PHASE1, Phase.PHASE2)),
        (Phase.PHASE2_3, (Phase.PHASE2, Phase.PHASE3)),
        (Phase.PHASE3, (Phase.PHASE3,)),
    ],
)
def test_a_combined_phase_knows_its_bases(phase: Phase, bases: tuple[Phase, ...]) -> None:
    """Phase 1/2 is one value spanning phases 1 and 2."""
    assert phase.bases == bases
    assert (phase.lowest, phase.highest) == (bases[0], bases[-1])
    assert phase.is_combined == (len(bases) == 2)


@pytest.mark.parametrize("phase", [p for p in Phase if p is not Phase.PRECLINICAL])
def test_phase_maps_losslessly_to_ctgov_and_fhir(phase: Phase) -> None:
    """Every clinical phase round-trips through ClinicalTrials.gov lists and FHIR codes."""
    assert Phase.from_ctgov(list(phase.ctgov_codes)) is phase
    assert Phase.from_ctgov(list(reversed(phase.ctgov_codes))) is phase
    assert phase.fhir_code is not None
    assert Phase.from_fhir(phase.fhir_code) is phase


def test_preclinical_has_no_registry_code() -> None:
    """Preclinical exists in biopipe only."""
    assert Phase.PRECLINICAL.ctgov_codes == ()
    assert Phase.PRECLINICAL.fhir_code is None


@pytest.mark.parametrize("codes", [["PHASE7"], ["PHASE1", "PHASE3"], [], ["PHASE1", "PHASE1"]])
def test_unknown_ctgov_phase_lists_are_rejected(codes: list[str]) -> None:
    """Lists with no biopipe phase are errors, not guesses."""
    with pytest.raises(UnknownCode):
        Phase.from_ctgov(codes)


def test_agencies_know_their_jurisdictions() -> None:
    """FDA decides for the US, NMPA for China, EMA and the Commission for the EU."""
    assert {a: a.jurisdiction for a in (Agency.FDA, Agency.NMPA, Agency.EMA, Agency.EC, Agency.PMDA)} == {
        Agency.FDA: "US",
        Agency.NMPA: "CN",
        Agency.EMA: "EU",
        Agency.EC: "EU",
        Agency.PMDA: "JP",
    }
    assert all(len(a.jurisdiction) == 2 and a.full_name for a in Agency)


def test_event_kinds_are_grouped_by_application() -> None:
    """IND/CTA events, marketing events and designations form three groups."""
    assert EventKind.CLINICAL_HOLD.application is ApplicationKind.CLINICAL_TRIAL
    assert EventKind.COMPLETE_RESPONSE.application is ApplicationKind.MARKETING
    assert EventKind.DESIGNATION_GRANTED.application is ApplicationKind.DESIGNATION
    assert {k.application for k in EventKind} == set(ApplicationKind)
    assert all(k.label for k in EventKind)


@pytest.mark.parametrize("status", [s for s in TrialStatus if s is not TrialStatus.PLANNED])
def test_trial_status_maps_to_ctgov(status: TrialStatus) -> None:
    """Every ClinicalTrials.gov overall status maps both ways; 'planned' is biopipe's own."""
    assert status.ctgov_code is not None
    assert TrialStatus.from_ctgov(status.ctgov_code) is status


@pytest.mark.parametrize("code", ["PLANNED", "recruiting", "OPEN"])
def test_trial_status_rejects_non_ctgov_codes(code: str) -> None:
    """Only upper-case ClinicalTrials.gov codes are accepted from ClinicalTrials.gov."""
    with pytest.raises(UnknownCode):
        TrialStatus.from_ctgov(code)


def test_bispecific_modalities() -> None:
    """Only the bispecific modalities require two targets."""
    assert {m for m in Modality if m.is_bispecific} == {Modality.BISPECIFIC_ANTIBODY, Modality.BISPECIFIC_ADC}


def test_precision_is_ordered_finest_first() -> None:
    """Day < month < quarter < half < year."""
    assert all(a < b for a, b in itertools.pairwise(Precision))


def test_designations_are_not_phases() -> None:
    """Designation codes never collide with phase codes."""
    assert not set(Designation.codes()) & set(Phase.codes())
