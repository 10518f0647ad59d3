"""Every fact of Junshi Biosciences' JS212 press release (15 Dec 2025), as the bundled record states it.

The record is loaded from the package; each test names the fact and the release's wording.
"""

from __future__ import annotations

import datetime as dt

import pytest

import biopipe
from biopipe import (
    Agency,
    AntibodyOrigin,
    Asset,
    DateBasis,
    DesignPart,
    EndpointKind,
    EventKind,
    IndicationRole,
    Masking,
    Modality,
    PartialDate,
    Phase,
    Precision,
    TherapyMode,
    TrialStatus,
)


@pytest.fixture(scope="module")
def js212() -> Asset:
    return biopipe.example("js212")


def test_code_sponsor_and_modality(js212: Asset) -> None:
    """'JS212 is a recombinant humanized bispecific antibody-drug conjugate (ADC)' by Junshi Biosciences."""
    assert (js212.code, js212.sponsor) == ("JS212", "Junshi Biosciences")
    assert js212.modality is Modality.BISPECIFIC_ADC
    assert js212.antibody_origin is AntibodyOrigin.HUMANIZED


def test_targets_egfr_and_her3(js212: Asset) -> None:
    """'targeting both ... EGFR and ... HER3'; HER3 is an alias of the HGNC symbol ERBB3."""
    assert [t.symbol for t in js212.targets] == ["EGFR", "ERBB3"]
    egfr, erbb3 = js212.targets
    assert "HER3" in erbb3.aliases
    assert (egfr.hgnc_id, egfr.uniprot_id, egfr.ensembl_id) == ("HGNC:3236", "P00533", "ENSG00000146648")
    assert (erbb3.hgnc_id, erbb3.uniprot_id, erbb3.ensembl_id) == ("HGNC:3431", "P21860", "ENSG00000065361")
    assert js212.targets_named("HER3") == (erbb3,)


def test_indications(js212: Asset) -> None:
    """'advanced malignant solid tumors'; lung, colorectal, head and neck named as high-expression settings."""
    intended = [i.name for i in js212.indications if i.role is IndicationRole.INTENDED]
    rationale = [i.name for i in js212.indications if i.role is IndicationRole.RATIONALE]
    assert intended == ["advanced malignant solid tumors"]
    assert rationale == ["lung cancer", "colorectal cancer", "head and neck cancer"]


def _event(js212: Asset, agency: Agency, kind: EventKind, scope: str | None = None) -> biopipe.RegulatoryEvent:
    [event] = [e for e in js212.events if e.agency is agency and e.kind is kind and (scope is None or e.scope == scope)]
    return event


def test_nmpa_accepted_the_ind_in_january_2025(js212: Asset) -> None:
    """'In January 2025, the clinical trial application ... was accepted by ... NMPA' (month precision)."""
    event = _event(js212, Agency.NMPA, EventKind.IND_ACCEPTED)
    assert event.date.date == PartialDate(2025, 1)
    assert event.date.date.precision is Precision.MONTH
    assert event.date.basis is DateBasis.ACTUAL
    assert event.jurisdiction == "CN"


def test_nmpa_approved_the_trial_in_march_2025(js212: Asset) -> None:
    """'... and approval was granted in March 2025.'"""
    first, _ = [e for e in js212.events if e.agency is Agency.NMPA and e.kind is EventKind.IND_CLEARED]
    assert first.date.date == PartialDate(2025, 3)
    assert first.date.basis is DateBasis.ACTUAL


def test_the_phase_1_2_trial_in_mainland_china(js212: Asset) -> None:
    """'open-label, dose-escalation and dose-expansion Phase 1/2 clinical trial in mainland China'."""
    trial = js212.trials[0]
    assert trial.phase is Phase.PHASE1_2
    assert trial.countries == ("CN",)
    assert trial.design.masking is Masking.NONE
    assert trial.design.parts == (DesignPart.DOSE_ESCALATION, DesignPart.DOSE_EXPANSION)
    assert trial.status is TrialStatus.RECRUITING
    assert trial.start is not None
    assert (trial.start.basis, trial.start.latest) == (DateBasis.ANNOUNCED, dt.date(2025, 12, 15))


def test_the_trial_evaluates_four_endpoints(js212: Asset) -> None:
    """'safety, tolerability, pharmacokinetics, and preliminary efficacy' (roles not stated, so None)."""
    endpoints = js212.trials[0].endpoints
    assert [e.kind for e in endpoints] == [
        EndpointKind.SAFETY,
        EndpointKind.TOLERABILITY,
        EndpointKind.PHARMACOKINETICS,
        EndpointKind.EFFICACY,
    ]
    assert endpoints[3].description == "preliminary efficacy"
    assert all(e.role is None for e in endpoints)


def test_nmpa_approved_combination_studies_in_november_2025(js212: Asset) -> None:
    """'multi-cohort combination therapy studies ... received approval from the NMPA in November 2025'."""
    event = _event(js212, Agency.NMPA, EventKind.IND_CLEARED, scope="multi-cohort combination therapy studies")
    assert event.date.date == PartialDate(2025, 11)


def test_the_combination_studies_are_planned(js212: Asset) -> None:
    """'... with related clinical research planned to commence in the near term' (no date is invented)."""
    planned = js212.trials[1]
    assert planned.status is TrialStatus.PLANNED
    assert planned.design.therapy is TherapyMode.COMBINATION
    assert DesignPart.MULTI_COHORT in planned.design.parts
    assert planned.start is None
    assert planned.phase is None


def test_fda_clearance_is_dated_by_its_announcement(js212: Asset) -> None:
    """'On December 14, Junshi ... announced that the IND ... has been approved by the ... FDA': on or before."""
    event = _event(js212, Agency.FDA, EventKind.IND_CLEARED)
    assert event.date.basis is DateBasis.ANNOUNCED
    assert event.date.date == PartialDate(2025, 12, 14)
    assert event.date.earliest is None
    assert event.jurisdiction == "US"
    assert event.indication == "advanced solid tumors"


def test_every_fact_cites_the_release(js212: Asset) -> None:
    """The release is the source of the asset, each event and each trial."""
    (source,) = js212.sources
    assert source.published == PartialDate(2025, 12, 15)
    assert all(e.sources == (source,) for e in js212.events)
    assert all(t.sources == (source,) for t in js212.trials)


def test_the_events_are_the_four_in_the_release(js212: Asset) -> None:
    """Exactly four regulatory events, in the release's order."""
    assert [(e.agency, e.kind, str(e.date)) for e in js212.events] == [
        (Agency.NMPA, EventKind.IND_ACCEPTED, "2025-01"),
        (Agency.NMPA, EventKind.IND_CLEARED, "2025-03"),
        (Agency.NMPA, EventKind.IND_CLEARED, "2025-11"),
        (Agency.FDA, EventKind.IND_CLEARED, "on or before 2025-12-14"),
    ]


@pytest.mark.parametrize(
    "wording",
    [
        "In January 2025, the clinical trial application for JS212 was accepted",
        "approval was granted in March 2025",
        "open-label, dose-escalation and dose-expansion Phase 1/2 clinical trial in mainland China",
        "safety, tolerability, pharmacokinetics, and preliminary efficacy",
        "received approval from the NMPA in November 2025",
        "On December 14, Junshi Biosciences announced",
        "recombinant humanized bispecific antibody-drug conjugate",
        "lung cancer, colorectal cancer, and head and neck cancer",
    ],
)
def test_the_release_says_what_the_record_encodes(press_release: str, wording: str) -> None:
    """The shared press release contains the wording each fact above is taken from.

    The release uses non-breaking spaces; whitespace is normalised before comparing.
    """
    assert wording in " ".join(press_release.split())
