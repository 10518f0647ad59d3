"""A seeded synthetic portfolio that looks like real pipeline data, for benchmarks.

Each asset has 1-6 regulatory events (some designations, some with a source),
0-4 trials with 1-6 endpoints each, 1-2 targets (exactly two for bispecifics),
indications, aliases, and partial dates of mixed precision (day, month,
quarter, half, year) with every date basis.

>>> from _portfolio import synthetic_portfolio
>>> p = synthetic_portfolio(20, seed=1)
>>> len(p), p == synthetic_portfolio(20, seed=1)
(20, True)
"""

from __future__ import annotations

import random

from biopipe import (
    Agency,
    Alias,
    AliasKind,
    AntibodyOrigin,
    Asset,
    DateBasis,
    Designation,
    DesignPart,
    Endpoint,
    EndpointKind,
    EndpointRole,
    Enrollment,
    EventKind,
    FactDate,
    Indication,
    IndicationRole,
    Masking,
    Modality,
    Organization,
    PartialDate,
    Phase,
    Portfolio,
    RegistryId,
    RegulatoryEvent,
    Source,
    SponsorClass,
    StudyType,
    Target,
    TherapyMode,
    Trial,
    TrialDesign,
    TrialStatus,
)

__all__ = ["synthetic_portfolio"]

_TARGETS = (
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
_MODALITIES = (
    Modality.SMALL_MOLECULE,
    Modality.SMALL_MOLECULE,
    Modality.MONOCLONAL_ANTIBODY,
    Modality.ADC,
    Modality.BISPECIFIC_ANTIBODY,
    Modality.BISPECIFIC_ADC,
    Modality.CAR_T,
)
_ANTIBODY = (Modality.MONOCLONAL_ANTIBODY, Modality.ADC, Modality.BISPECIFIC_ANTIBODY, Modality.BISPECIFIC_ADC)
_AGENCIES = (Agency.FDA, Agency.FDA, Agency.NMPA, Agency.NMPA, Agency.EMA, Agency.PMDA, Agency.MHRA)
_KINDS = (
    EventKind.IND_SUBMITTED,
    EventKind.IND_ACCEPTED,
    EventKind.IND_CLEARED,
    EventKind.IND_CLEARED,
    EventKind.CLINICAL_HOLD,
    EventKind.HOLD_LIFTED,
    EventKind.DESIGNATION_GRANTED,
    EventKind.MARKETING_SUBMITTED,
    EventKind.MARKETING_APPROVED,
)
_DESIGNATIONS = (Designation.BREAKTHROUGH_THERAPY, Designation.FAST_TRACK, Designation.ORPHAN_DRUG)
_DISEASES = (
    "non-small cell lung cancer",
    "colorectal cancer",
    "head and neck squamous cell carcinoma",
    "gastric cancer",
    "multiple myeloma",
    "diffuse large B-cell lymphoma",
    "triple-negative breast cancer",
    "advanced malignant solid tumors",
)
_COUNTRIES = ("US", "CN", "JP", "DE", "FR", "GB", "KR", "AU", "CA", "ES")
_ENDPOINTS = (
    (EndpointKind.SAFETY, "Incidence of treatment-emergent adverse events"),
    (EndpointKind.TOLERABILITY, "Dose-limiting toxicities"),
    (EndpointKind.PHARMACOKINETICS, "Maximum plasma concentration (Cmax)"),
    (EndpointKind.ORR, "Objective response rate per RECIST v1.1"),
    (EndpointKind.PFS, "Progression-free survival"),
    (EndpointKind.OS, "Overall survival"),
    (EndpointKind.DOR, "Duration of response"),
)
_STATUSES = (
    TrialStatus.PLANNED,
    TrialStatus.NOT_YET_RECRUITING,
    TrialStatus.RECRUITING,
    TrialStatus.RECRUITING,
    TrialStatus.ACTIVE_NOT_RECRUITING,
    TrialStatus.COMPLETED,
    TrialStatus.TERMINATED,
)
_PHASES = (Phase.PHASE1, Phase.PHASE1_2, Phase.PHASE2, Phase.PHASE2_3, Phase.PHASE3)
_PUBLISHERS = ("PR Newswire", "Business Wire", "GlobeNewswire", "company website", "VCBeat")


def _partial_date(rng: random.Random) -> PartialDate:
    year = rng.randint(2012, 2027)
    precision = rng.random()
    if precision < 0.3:
        return PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
    if precision < 0.75:
        return PartialDate(year, rng.randint(1, 12))
    if precision < 0.85:
        return PartialDate(year, quarter=rng.randint(1, 4))
    if precision < 0.92:
        return PartialDate(year, half=rng.randint(1, 2))
    return PartialDate(year)


def _source(rng: random.Random, code: str) -> Source:
    published = PartialDate(rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28))
    return Source(
        title=f"{code} receives regulatory update",
        publisher=rng.choice(_PUBLISHERS),
        url=f"https://example.com/news/{code.lower()}/{rng.randint(1, 99_999)}",
        published=published,
    )


def _event(rng: random.Random, code: str) -> RegulatoryEvent:
    kind = rng.choice(_KINDS)
    agency = rng.choice(_AGENCIES)
    granted = [d for d in _DESIGNATIONS if d.granted_by(agency)]  # each agency grants its own designations
    return RegulatoryEvent(
        agency=agency,
        kind=kind,
        date=FactDate(_partial_date(rng), rng.choice((DateBasis.ACTUAL, DateBasis.ACTUAL, DateBasis.ANNOUNCED))),
        designation=rng.choice(granted) if kind is EventKind.DESIGNATION_GRANTED else None,
        scope="combination therapy cohorts" if rng.random() < 0.15 else None,
        sources=(_source(rng, code),) if rng.random() < 0.5 else (),
    )


def _trial(rng: random.Random, code: str, serial: int) -> Trial:
    status = rng.choice(_STATUSES)
    planned = status is TrialStatus.PLANNED
    start = FactDate(_partial_date(rng), DateBasis.ESTIMATED if planned else DateBasis.ACTUAL)
    endpoints = tuple(
        Endpoint(
            kind=kind,
            description=text,
            role=rng.choice((EndpointRole.PRIMARY, EndpointRole.SECONDARY, None)),
            time_frame="Up to 24 months" if rng.random() < 0.5 else None,
        )
        for kind, text in rng.sample(_ENDPOINTS, rng.randint(1, 6))
    )
    therapy = rng.choice((TherapyMode.MONOTHERAPY, TherapyMode.COMBINATION))
    return Trial(
        title=f"A Phase study of {code} in patients with {rng.choice(_DISEASES)} ({serial})",
        status=status,
        phase=rng.choice(_PHASES),
        ids=() if planned else (RegistryId(f"NCT{serial:08d}"),),
        study_type=StudyType.INTERVENTIONAL,
        design=TrialDesign(
            masking=Masking.NONE,
            parts=(DesignPart.DOSE_ESCALATION, DesignPart.DOSE_EXPANSION) if rng.random() < 0.5 else (),
            therapy=therapy,
            combination_partners=("pembrolizumab",) if therapy is TherapyMode.COMBINATION else (),
        ),
        endpoints=endpoints,
        conditions=tuple(rng.sample(_DISEASES, rng.randint(1, 2))),
        countries=tuple(rng.sample(_COUNTRIES, rng.randint(1, 4))),
        sponsor=Organization(name=f"Sponsor {rng.randint(1, 300)}", kind=SponsorClass.INDUSTRY),
        enrollment=Enrollment(count=rng.randint(12, 900), estimated=planned or rng.random() < 0.5),
        start=start,
        primary_completion=FactDate(PartialDate(start.date.year + rng.randint(1, 4)), DateBasis.ESTIMATED),
    )


def _asset(rng: random.Random, i: int) -> Asset:
    code = f"SYN-{i:06d}"
    modality = rng.choice(_MODALITIES)
    n_targets = 2 if modality.is_bispecific else rng.randint(1, 2)
    targets = tuple(
        Target(symbol=symbol, aliases=aliases, hgnc_id=hgnc, uniprot_id=uniprot, ensembl_id=ensembl)
        for symbol, aliases, hgnc, uniprot, ensembl in rng.sample(_TARGETS, n_targets)
    )
    indications = (
        Indication(name=rng.choice(_DISEASES)),
        *(Indication(name=name, role=IndicationRole.RATIONALE) for name in rng.sample(_DISEASES, rng.randint(0, 2))),
    )
    return Asset(
        code=code,
        sponsor=f"Sponsor {rng.randint(1, 300)}",
        modality=modality,
        antibody_origin=rng.choice(tuple(AntibodyOrigin)) if modality in _ANTIBODY else None,
        description=f"Investigational {modality.code.replace('_', ' ')} targeting "
        + " and ".join(t.symbol for t in targets),
        aliases=(Alias(name=f"SYN{i}", kind=AliasKind.CODE),) if rng.random() < 0.4 else (),
        targets=targets,
        indications=indications,
        events=tuple(_event(rng, code) for _ in range(rng.randint(1, 6))),
        trials=tuple(_trial(rng, code, 10_000_000 + 5 * i + j) for j in range(rng.randint(0, 4))),
        sources=(_source(rng, code),),
    )


def synthetic_portfolio(n: int, seed: int = 0) -> Portfolio:
    """A reproducible portfolio of *n* realistic assets: same *n* and *seed*, same portfolio.

    >>> from _portfolio import synthetic_portfolio
    >>> asset = synthetic_portfolio(3, seed=7).assets[0]
    >>> 1 <= len(asset.events) <= 6 and len(asset.trials) <= 4
    True
    """
    rng = random.Random(seed)
    return Portfolio(assets=tuple(_asset(rng, i) for i in range(n)))
