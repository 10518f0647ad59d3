"""HL7 FHIR R5 export: trials as ResearchStudy, regulatory events as RegulatedAuthorization.

The output is plain JSON-ready dicts; nothing here imports ``fhir.resources``
(the tests validate the output with it). Every code is taken from a code
system listed below; terms that have no standard FHIR code system use a
biopipe code system under `CODE_SYSTEM_BASE` whose codes are biopipe's own
wire codes.

Dates
    FHIR ``date`` and ``dateTime`` allow ``YYYY``, ``YYYY-MM`` and
    ``YYYY-MM-DD``, so a partial date stays partial (``2025-01``, never
    ``2025-01-01T00:00:00``). Quarter and half-year dates have no FHIR form:
    they are written as their year, which covers them, and the element
    carries the `EXT_FACT_DATE` extension with biopipe's exact text
    (``2025-Q3``). A date known only as "on or before" (`DateBasis.ANNOUNCED`)
    is never written as an exact date: a regulatory case gets ``datePeriod``
    with only an ``end`` and no ``statusDate``; a trial milestone keeps its
    date but carries the `EXT_FACT_DATE` extension (``on or before
    2025-12-15``). Estimated dates are ``progressStatus.actual = false`` on a
    trial and status ``anticipated`` on a regulatory event.

Trial status (`TrialStatus`) to ``progressStatus.state`` (R5
``http://hl7.org/fhir/research-study-status``): see `TRIAL_STATE`. Statuses
with no R5 equivalent (planned, unknown, and the expanded-access statuses)
use the biopipe ``trial-status`` code system.

Large records
    `to_bundle` builds the whole Bundle in memory, about 20 times the size of
    the biopipe document. `write_bundle` (or `bundle_chunks`, for a stream)
    writes the same bytes one asset at a time, and `write_ndjson` writes FHIR
    Bulk Data NDJSON (one file per resource type, one resource per line, with
    ``id`` and ``Type/id`` references); both keep memory at one asset's
    resources. `iter_entries` and `iter_resources` give the same resources
    one asset at a time for your own writer.

Registry trials
    A portfolio's root trials (registry trials linked to no asset,
    ``Portfolio.trials``) become ``ResearchStudy`` resources after the
    assets' resources, one per trial, with the sponsor as the registry gives
    it (``associatedParty`` lead-sponsor); no product refers to them. Every
    export (`to_bundle`, `write_bundle`, `bundle_chunks`, `iter_entries`,
    `iter_resources`, `write_ndjson`) writes them: a portfolio gives as many
    ``ResearchStudy`` resources as its assets' trials and its root trials.

>>> import biopipe
>>> from biopipe.interop.fhir import to_bundle
>>> bundle = to_bundle(biopipe.example("js212"))
>>> [e["resource"]["resourceType"] for e in bundle["entry"]][:3]
['MedicinalProductDefinition', 'ResearchStudy', 'ResearchStudy']
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..document._files import atomic_path
from ..document._jsonio import json_backend, json_text
from ..model._asset import Asset, Portfolio, RegulatoryEvent
from ..model._dates import FactDate, PartialDate, Precision
from ..model._errors import InvalidValue
from ..model._ids import Registry
from ..model._vocab import (
    ApplicationKind,
    ArmType,
    DateBasis,
    EventKind,
    PrimaryPurpose,
    TrialStatus,
    Vocabulary,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Sequence

    from ..model._application import Application
    from ..model._ids import RegistryId
    from ..model._parties import Party
    from ..model._source import Source
    from ..model._trial import Arm, Endpoint, Organization, Trial

__all__ = [
    "CODE_SYSTEM_BASE",
    "EXT_FACT_DATE",
    "EXT_PERIOD",
    "EXT_TERRITORY",
    "NDJSON_TYPES",
    "TRIAL_STATE",
    "biopipe_system",
    "bundle_chunks",
    "iter_entries",
    "iter_resources",
    "to_bundle",
    "to_medicinal_product",
    "to_regulated_authorization",
    "to_research_study",
    "write_bundle",
    "write_ndjson",
]

JSON = dict[str, Any]

#: Namespace of biopipe's own code systems: ``CODE_SYSTEM_BASE + "allocation"`` and so on.
CODE_SYSTEM_BASE = "https://biopipe.dev/fhir/CodeSystem/"
#: Extension holding biopipe's exact text of a date FHIR cannot say exactly (``on or before 2025-12-14``, ``2025-Q3``).
EXT_FACT_DATE = "https://biopipe.dev/fhir/StructureDefinition/fact-date"
#: Extension on a product ``contact`` (a party): the territory where the party's role runs (``worldwide except CN``).
EXT_TERRITORY = "https://biopipe.dev/fhir/StructureDefinition/territory"
#: Extension on a product ``contact`` (a party): the period the party's role runs (``valuePeriod``).
EXT_PERIOD = "https://biopipe.dev/fhir/StructureDefinition/period"

PHASE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-phase"
STATUS_SYSTEM = "http://hl7.org/fhir/research-study-status"
PARTY_ROLE_SYSTEM = "http://hl7.org/fhir/research-study-party-role"
PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type"
ARM_TYPE_SYSTEM = "http://hl7.org/fhir/research-study-arm-type"
OBJECTIVE_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-objective-type"
PUBLICATION_STATUS_SYSTEM = "http://hl7.org/fhir/publication-status"
AUTHORIZATION_TYPE_SYSTEM = "http://hl7.org/fhir/regulated-authorization-type"
ISO_3166 = "urn:iso:std:iso:3166"
HGNC_SYSTEM = "http://www.genenames.org/geneId"

#: Registry id systems. ClinicalTrials.gov follows the HL7 example record; the others name the registry's site.
REGISTRY_SYSTEM: dict[Registry, str] = {
    Registry.NCT: "https://clinicaltrials.gov",
    Registry.CTR: "http://www.chinadrugtrials.org.cn",
    Registry.CHICTR: "https://www.chictr.org.cn",
    Registry.EU_CT: "https://euclinicaltrials.eu",
    Registry.EUDRACT: "https://www.clinicaltrialsregister.eu",
    Registry.JRCT: "https://jrct.niph.go.jp",
    Registry.ISRCTN: "https://www.isrctn.com",
}

#: `TrialStatus` to its R5 ``research-study-status`` code; absent statuses use the biopipe ``trial-status`` system.
#: A suspended study is "temporarily closed to accrual": recruitment stopped, to resume.
TRIAL_STATE: dict[TrialStatus, tuple[str, str]] = {
    TrialStatus.NOT_YET_RECRUITING: ("not-yet-recruiting", "Not Yet Recruiting"),
    TrialStatus.RECRUITING: ("recruiting", "Recruiting"),
    TrialStatus.ENROLLING_BY_INVITATION: ("enrolling-by-invitation", "Enrolling by Invitation"),
    TrialStatus.ACTIVE_NOT_RECRUITING: ("active-but-not-recruiting", "Active, but not recruiting"),
    TrialStatus.SUSPENDED: ("temporarily-closed-to-accrual", "Temporarily Closed to Accrual"),
    TrialStatus.TERMINATED: ("terminated", "Terminated"),
    TrialStatus.COMPLETED: ("completed", "Completed"),
    TrialStatus.WITHDRAWN: ("withdrawn", "Withdrawn"),
}

_PURPOSE = {
    PrimaryPurpose.TREATMENT: "treatment",
    PrimaryPurpose.PREVENTION: "prevention",
    PrimaryPurpose.DIAGNOSTIC: "diagnostic",
    PrimaryPurpose.SUPPORTIVE_CARE: "supportive-care",
    PrimaryPurpose.SCREENING: "screening",
    PrimaryPurpose.HEALTH_SERVICES_RESEARCH: "health-services-research",
    PrimaryPurpose.BASIC_SCIENCE: "basic-science",
    PrimaryPurpose.DEVICE_FEASIBILITY: "device-feasibility",
}
_ARM_TYPE = {
    ArmType.EXPERIMENTAL: "experimental",
    ArmType.ACTIVE_COMPARATOR: "active-comparator",
    ArmType.PLACEBO_COMPARATOR: "placebo-comparator",
    ArmType.SHAM_COMPARATOR: "sham-comparator",
    ArmType.NO_INTERVENTION: "no-intervention",
    ArmType.OTHER: "other-arm",
}

# Authorization status per event kind: publication-status where it says the same thing
# (an authorization in force is active, one withdrawn is retired), else biopipe's own.
_ACTIVE = (EventKind.IND_CLEARED, EventKind.HOLD_LIFTED, EventKind.DESIGNATION_GRANTED, EventKind.MARKETING_APPROVED)
_RETIRED = (
    EventKind.IND_WITHDRAWN,
    EventKind.DESIGNATION_REVOKED,
    EventKind.MARKETING_WITHDRAWN,
    EventKind.APPROVAL_WITHDRAWN,
)
#: biopipe ``authorization-status`` codes, for states publication-status has no word for.
AUTHORIZATION_STATUS = ("pending", "refused", "suspended", "anticipated")
#: biopipe ``authorization-type`` codes: clinical-trial authorisation (IND, CTA, CTN), marketing authorisation,
#: and one code per `Designation` (its wire code).
AUTHORIZATION_TYPE = ("clinical-trial-authorization", "marketing-authorization")
#: biopipe ``trial-milestone`` codes, for milestones research-study-status has no code for.
TRIAL_MILESTONE = ("primary-completion",)
#: Other biopipe code systems named by `biopipe_system` that are not vocabularies.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://biopipe.dev/fhir")


def biopipe_system(name: str) -> str:
    """The URI of the biopipe code system *name*.

    >>> biopipe_system("allocation")
    'https://biopipe.dev/fhir/CodeSystem/allocation'
    """
    return CODE_SYSTEM_BASE + name


def _coding(system: str, code: str, display: str | None = None) -> JSON:
    out: JSON = {"system": system, "code": code}
    if display is not None:
        out["display"] = display
    return out


def _concept(system: str, code: str, display: str | None = None, text: str | None = None) -> JSON:
    out: JSON = {"coding": [_coding(system, code, display)]}
    if text is not None:
        out["text"] = text
    return out


def _vocab_concept(system_name: str, value: Vocabulary) -> JSON:
    return _concept(biopipe_system(system_name), value.code)


_NAMESPACE_BYTES = _NAMESPACE.bytes


def _uuid_text(*parts: str) -> str:
    """The text of ``uuid.uuid5(_NAMESPACE, US.join(parts))`` (US the unit separator) without a UUID object."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + "\x1f".join(parts).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _uuid(*parts: str) -> str:
    # uuid5 of the record's path: the same asset always gives the same fullUrls.
    return "urn:uuid:" + _uuid_text(*parts)


def _bundle_ref(resource_type: str, uid: str) -> str:
    # Inside a Bundle, a resource is found by its fullUrl.
    return "urn:uuid:" + uid


def _ndjson_ref(resource_type: str, uid: str) -> str:
    # In a Bulk Data export, a resource is found by its type and id.
    return f"{resource_type}/{uid}"


def _has_text(text: str | None) -> bool:
    # FHIR strings need a character that is not whitespace; a blank value cannot be written.
    return text is not None and bool(text.strip())


# -- dates -------------------------------------------------------------------------------


def _date_text(date: PartialDate) -> tuple[str, bool]:
    """The FHIR date for *date* and whether it says exactly the same thing."""
    if date.precision in (Precision.QUARTER, Precision.HALF):
        return f"{date.year:04d}", False
    return date.format_iso(), True


def _fact_extension(text: str) -> JSON:
    return {"extension": [{"url": EXT_FACT_DATE, "valueString": text}]}


def _put_date(target: JSON, key: str, fact: FactDate | PartialDate) -> None:
    """Set ``target[key]`` to a FHIR date; say what it cannot in the fact-date extension on ``_key``."""
    date = fact.date if isinstance(fact, FactDate) else fact
    text, exact = _date_text(date)
    target[key] = text
    if not exact or (isinstance(fact, FactDate) and fact.basis is DateBasis.ANNOUNCED):
        target["_" + key] = _fact_extension(str(fact))


# -- ResearchStudy -----------------------------------------------------------------------


def _identifier(trial_id: RegistryId) -> JSON:
    registry = trial_id.registry
    return {"type": {"text": registry.full_name}, "system": REGISTRY_SYSTEM[registry], "value": trial_id.value}


def _state(trial: Trial) -> JSON:
    mapped = TRIAL_STATE.get(trial.status)
    if mapped is not None:
        concept = _concept(STATUS_SYSTEM, mapped[0], mapped[1])
    else:
        concept = _vocab_concept("trial-status", trial.status)
    if trial.last_known_status is not None:
        concept["text"] = f"{trial.status.code} (last known status: {trial.last_known_status.code})"
    return {"state": concept}


def _progress(trial: Trial) -> list[JSON]:
    """Recruitment state, then dated milestones; a period holds only dates with the same actual flag."""
    out = [_state(trial)]
    overall = _concept(STATUS_SYSTEM, "overall-study", "Overall Study")
    start, end = trial.start, trial.completion
    if start is not None and end is not None and start.is_planned == end.is_planned:
        period: JSON = {}
        _put_date(period, "start", start)
        _put_date(period, "end", end)
        out.append({"state": overall, "actual": not start.is_planned, "period": period})
    else:
        for key, fact in (("start", start), ("end", end)):
            if fact is not None:
                period = {}
                _put_date(period, key, fact)
                out.append({"state": overall, "actual": not fact.is_planned, "period": period})
    if trial.primary_completion is not None:
        period = {}
        _put_date(period, "end", trial.primary_completion)
        state = _concept(biopipe_system("trial-milestone"), "primary-completion", "Primary completion")
        out.append({"state": state, "actual": not trial.primary_completion.is_planned, "period": period})
    return out


def _party(org: Organization, role: str, display: str) -> JSON:
    out: JSON = {"name": org.name, "role": _concept(PARTY_ROLE_SYSTEM, role, display)}
    if org.kind is not None:
        out["classifier"] = [_vocab_concept("sponsor-class", org.kind)]
    return out


def _design(trial: Trial) -> list[JSON]:
    d = trial.design
    out = []
    if trial.study_type is not None:
        out.append(_vocab_concept("study-type", trial.study_type))
    for name, value in (
        ("allocation", d.allocation),
        ("masking", d.masking),
        ("intervention-model", d.intervention_model),
        ("therapy-mode", d.therapy),
    ):
        if value is not None:
            out.append(_vocab_concept(name, value))
    out.extend(_vocab_concept("design-part", part) for part in d.parts)
    return out


def _arm(arm: Arm, index: int) -> JSON:
    out: JSON = {"linkId": f"arm-{index}", "name": arm.label}
    if arm.type is not None:
        out["type"] = _concept(ARM_TYPE_SYSTEM, _ARM_TYPE[arm.type])
    if _has_text(arm.description):
        out["description"] = arm.description
    if arm.interventions:
        out["intendedExposure"] = [{"display": name} for name in arm.interventions]
    return out


def _outcome(endpoint: Endpoint) -> JSON:
    types = []
    if endpoint.role is not None:
        types.append(_concept(OBJECTIVE_TYPE_SYSTEM, endpoint.role.code))
    types.append(_vocab_concept("endpoint-kind", endpoint.kind))
    out: JSON = {"name": endpoint.description, "type": types}
    if endpoint.time_frame is not None:
        out["description"] = f"Time frame: {endpoint.time_frame}"
    return out


def _artifact(source: Source) -> JSON:
    out: JSON = {"type": "citation", "display": source.title}
    if source.publisher is not None:
        out["citation"] = source.publisher
    if source.url is not None:
        out["document"] = {"url": source.url}
    if source.published is not None:
        _put_date(out, "publicationDate", source.published)
    return out


def to_research_study(trial: Trial) -> JSON:
    """The FHIR R5 ``ResearchStudy`` (a JSON-ready dict) for *trial*.

    ``status`` is the publication status of the resource (always ``active``);
    the study's own state is in ``progressStatus``. A preclinical phase has no
    ``research-study-phase`` code and gives no ``phase``. ``whyStopped`` is
    written only for a terminated, withdrawn or suspended trial; a reason
    recorded for any other status goes to ``note``. Interventions become
    ``focus`` concepts, sources ``relatedArtifact`` citations.

    >>> import biopipe
    >>> from biopipe.interop.fhir import to_research_study
    >>> rs = to_research_study(biopipe.example("js212").trials[0])
    >>> rs["phase"]["coding"][0]["code"], rs["progressStatus"][0]["state"]["coding"][0]["code"]
    ('phase-1-phase-2', 'recruiting')
    >>> rs["progressStatus"][1]["period"]["start"], rs["progressStatus"][1]["period"]["_start"]
    ('2025-12-15', {'extension': [{'url': '...fact-date', 'valueString': 'on or before 2025-12-15'}]})
    """
    return _research_study(trial, None)


def _research_study(trial: Trial, uid: str | None) -> JSON:
    rs: JSON = {"resourceType": "ResearchStudy"}
    if uid is not None:
        rs["id"] = uid
    if trial.ids:
        rs["identifier"] = [_identifier(i) for i in trial.ids]
    rs["title"] = trial.title
    labels = []
    if trial.official_title is not None:
        labels.append({"type": {"text": "Official Title"}, "value": trial.official_title})
    if trial.acronym is not None:
        labels.append({"type": {"text": "Acronym"}, "value": trial.acronym})
    if labels:
        rs["label"] = labels
    if trial.sources:
        rs["relatedArtifact"] = [_artifact(s) for s in trial.sources]
    rs["status"] = "active"
    purpose = trial.design.primary_purpose
    if purpose is not None:
        code = _PURPOSE.get(purpose)
        rs["primaryPurposeType"] = (
            _concept(PURPOSE_SYSTEM, code) if code is not None else _vocab_concept("primary-purpose", purpose)
        )
    if trial.phase is not None and trial.phase.fhir_code is not None:
        rs["phase"] = _concept(PHASE_SYSTEM, trial.phase.fhir_code, trial.phase.label)
    design = _design(trial)
    if design:
        rs["studyDesign"] = design
    focus = [i.name for i in trial.interventions]
    focus += [p for p in trial.design.combination_partners if p not in focus]
    if focus:
        rs["focus"] = [{"concept": {"text": name}} for name in focus]
    if trial.conditions:
        rs["condition"] = [{"text": c} for c in trial.conditions]
    if trial.countries:
        rs["region"] = [_concept(ISO_3166, c) for c in trial.countries]
    if trial.why_stopped is not None and not trial.status.is_stopped:
        rs["note"] = [{"text": f"Reason stopped (recorded with status {trial.status.code}): {trial.why_stopped}"}]
    parties = [_party(trial.sponsor, "lead-sponsor", "Lead Sponsor")] if trial.sponsor is not None else []
    parties += [_party(c, "collaborator", "Collaborator") for c in trial.collaborators]
    if parties:
        rs["associatedParty"] = parties
    rs["progressStatus"] = _progress(trial)
    if trial.why_stopped is not None and trial.status.is_stopped:
        rs["whyStopped"] = {"text": trial.why_stopped}
    if trial.enrollment is not None:
        key = "targetNumber" if trial.enrollment.estimated else "actualNumber"
        rs["recruitment"] = {key: trial.enrollment.count}
    if trial.arms:
        rs["comparisonGroup"] = [_arm(a, i) for i, a in enumerate(trial.arms)]
    if trial.endpoints:
        rs["outcomeMeasure"] = [_outcome(e) for e in trial.endpoints]
    return rs


# -- RegulatedAuthorization ----------------------------------------------------------------


def _authorization_type(event: RegulatoryEvent) -> JSON:
    application = event.kind.application
    if application is ApplicationKind.DESIGNATION:
        assert event.designation is not None  # the model requires one for designation kinds
        coding = [_coding(biopipe_system("designation"), event.designation.code)]
        if event.designation.code == "orphan_drug":
            coding.append(_coding(AUTHORIZATION_TYPE_SYSTEM, "Orphan"))
        return {"coding": coding}
    if application is ApplicationKind.MARKETING:
        return {
            "coding": [
                _coding(biopipe_system("authorization-type"), "marketing-authorization"),
                _coding(AUTHORIZATION_TYPE_SYSTEM, "MarketingAuth"),
            ]
        }
    return _concept(biopipe_system("authorization-type"), "clinical-trial-authorization")


def _authorization_status(event: RegulatoryEvent) -> JSON:
    label = event.kind.label
    if event.date.is_planned:
        return _concept(biopipe_system("authorization-status"), "anticipated", text=f"anticipated: {label}")
    if event.kind in _ACTIVE:
        return _concept(PUBLICATION_STATUS_SYSTEM, "active", text=label)
    if event.kind in _RETIRED:
        return _concept(PUBLICATION_STATUS_SYSTEM, "retired", text=label)
    if event.kind.is_filing:
        return _concept(biopipe_system("authorization-status"), "pending", text=label)
    if event.kind is EventKind.CLINICAL_HOLD:
        return _concept(biopipe_system("authorization-status"), "suspended", text=label)
    return _concept(biopipe_system("authorization-status"), "refused", text=label)


def _put_case_date(target: JSON, fact: FactDate) -> None:
    """A case's ``date[x]``: an exact (partial) date, or a period that says no more than is known."""
    date = fact.date
    if fact.basis is DateBasis.ANNOUNCED:
        period: JSON = {}
        _put_date(period, "end", fact)
        target["datePeriod"] = period
    elif date.precision in (Precision.QUARTER, Precision.HALF):
        first, last = date.earliest, date.latest
        target["datePeriod"] = {
            "extension": _fact_extension(str(fact))["extension"],
            "start": f"{first.year:04d}-{first.month:02d}",
            "end": f"{last.year:04d}-{last.month:02d}",
        }
    else:
        target["dateDateTime"] = date.format_iso()


def _application_identifier(application: Application) -> JSON:
    """The application as an Identifier: the agency's number when known (assigned by the agency), else its id."""
    if application.number is not None:
        return {
            "type": {"text": application.kind.label},
            "value": application.number,
            "assigner": {"display": application.agency.full_name},
        }
    return {"system": biopipe_system("application-id"), "value": application.id}


def _case_part(event: RegulatoryEvent, application: Application | None = None, *, step: bool = False) -> JSON:
    """A case (or, with *step*, one of its applications): identifier, type, status and date.

    R5 ``RegulatedAuthorization.case``: "the case or regulatory procedure for granting or
    amending a regulated authorization"; ``case.type`` is "the defining type of case": the
    application's type (IND, BLA, ...) when the event names its `Application`, else the
    event's track (clinical trial, marketing, designation). ``case.identifier`` is the
    application's (its number, else biopipe's id for it); a step keeps the event's own reference.
    """
    out: JSON = {}
    if application is not None and not step:
        out["identifier"] = _application_identifier(application)
    elif event.reference is not None:
        out["identifier"] = {"value": event.reference}
    if application is not None:
        out["type"] = _concept(
            biopipe_system("application-type"), application.kind.code, display=application.kind.label
        )
    else:
        out["type"] = _concept(biopipe_system("application-kind"), event.kind.application.code)
    out["status"] = _concept(biopipe_system("event-kind"), event.kind.code, text=event.kind.label)
    _put_case_date(out, event.date)
    return out


def _applications(event: RegulatoryEvent, asset: Asset) -> list[RegulatoryEvent]:
    """The steps that led to an event: its application's earlier lifecycle, else the matching submissions.

    For an event that names an application, every other event of that application
    (designations aside) not dated after it; otherwise, for a decision, the
    submissions of the same agency, application kind and scope, not dated later.
    """
    if event.application is not None:
        return [
            e
            for e in asset.events
            if e.application == event.application
            and e is not event
            and e.kind.application is not ApplicationKind.DESIGNATION
            and e.date.date.earliest <= event.date.latest
        ]
    if event.kind.is_filing:
        return []
    return [
        e
        for e in asset.events
        if e.kind.is_filing
        and e.agency is event.agency
        and e.kind.application is event.kind.application
        and e.designation is event.designation
        and (e.scope is None or e.scope == event.scope)
        and e.date.date.earliest <= event.date.latest
    ]


def _basis(event: RegulatoryEvent) -> list[JSON]:
    """R5 ``RegulatedAuthorization.basis``: the approval pathway and the review procedure.

    The spec defines ``basis`` (0..*) as "the legal or regulatory framework against which this
    authorization is granted, or other reasons for it". An accelerated or conditional approval
    is granted under its own legal framework (21 CFR 314/601 subpart H/E; EU Regulation 507/2006),
    and priority review is the procedure the application was reviewed under, so both are bases.
    Its example code system (``regulated-authorization-basis``: Full, NewSubstance, ...) names EU
    dossier types, not pathways, so biopipe's ``pathway`` and ``review-type`` systems are used.
    Not ``intendedUse`` ("prevention, treatment, diagnosis") nor ``type`` (the authorization's
    overall type: marketing authorisation, orphan designation).
    """
    out = []
    if event.pathway is not None:
        out.append(_concept(biopipe_system("pathway"), event.pathway.code, text=f"{event.pathway.label} approval"))
    if event.review is not None:
        out.append(_concept(biopipe_system("review-type"), event.review.code, text=event.review.label))
    return out


def _description(event: RegulatoryEvent) -> str | None:
    lines = []
    if event.scope is not None:
        lines.append(f"Scope: {event.scope}")
    if event.goal_date is not None:
        lines.append(f"Goal date: {event.goal_date}")
    if event.by is not None:
        lines.append(f"Withdrawn by: the {event.by.code}")
    if event.disclosed is not None:
        lines.append(f"Disclosed: {event.disclosed}")
    if event.note is not None:
        lines.append(f"Note: {event.note}")
    if event.inferred_by is not None:
        lines.append(f"Inferred by rule: {event.inferred_by} (no source states this event)")
    lines += [f"Source: {s.title}" + (f" <{s.url}>" if s.url else "") for s in event.sources]
    return "\n\n".join(lines) or None


def to_regulated_authorization(event: RegulatoryEvent, asset: Asset) -> JSON:
    """The FHIR R5 ``RegulatedAuthorization`` for one regulatory event of *asset*.

    ``subject`` references the asset's ``MedicinalProductDefinition`` by its
    ``urn:uuid`` (see `to_bundle`); ``region`` is the agency's jurisdiction
    (ISO 3166, with the reserved code ``EU`` for the Union); ``case`` holds
    the procedure: its type (the application kind), its status (the event
    kind) and its date, plus, for a decision, the earlier submissions of the
    same agency, application and scope as ``case.application``. An announced
    date is a ``datePeriod`` with only an ``end``, and no ``statusDate``.

    >>> import biopipe
    >>> from biopipe.interop.fhir import to_regulated_authorization
    >>> js212 = biopipe.example("js212")
    >>> ra = to_regulated_authorization(js212.events[-1], js212)
    >>> ra["region"][0]["coding"][0]["code"], ra["regulator"]["display"]
    ('US', 'Food and Drug Administration')
    >>> ra["case"]["datePeriod"]["end"], "statusDate" in ra
    ('2025-12-14', False)
    """
    return _regulated_authorization(event, asset, _uuid("asset", asset.code), None)


def _regulated_authorization(event: RegulatoryEvent, asset: Asset, subject: str, uid: str | None) -> JSON:
    ra: JSON = {"resourceType": "RegulatedAuthorization"}
    if uid is not None:
        ra["id"] = uid
    if event.reference is not None:
        ra["identifier"] = [{"value": event.reference}]
    ra["subject"] = [{"reference": subject, "display": asset.code}]
    ra["type"] = _authorization_type(event)
    description = _description(event)
    if description is not None:
        ra["description"] = description
    ra["region"] = [_concept(ISO_3166, event.jurisdiction)]
    ra["status"] = _authorization_status(event)
    if event.date.basis is DateBasis.ACTUAL and _date_text(event.date.date)[1]:
        ra["statusDate"] = event.date.date.format_iso()
    application = None if event.application is None else asset.application(event.application)
    if event.indication is not None:
        ra["indication"] = [{"concept": {"text": event.indication}}]
    elif application is not None and application.indications:
        ra["indication"] = [{"concept": {"text": name}} for name in application.indications]
    basis = _basis(event)
    if basis:
        ra["basis"] = basis
    ra["regulator"] = {"display": event.agency.full_name}
    case = _case_part(event, application)
    applications = [_case_part(e, application, step=True) for e in _applications(event, asset)]
    if applications:
        case["application"] = applications
    ra["case"] = case
    return ra


# -- MedicinalProductDefinition and Bundle ------------------------------------------------


def _party_contact(party: Party) -> JSON:
    """A party as a ``MedicinalProductDefinition.contact``: its role, its name, its territory and period.

    R5 defines ``contact`` (0..*) as "a product specific contact, person (in a role), or an
    organization", with ``type`` "allows the contact to be classified, for example QPPV,
    pharmacovigilance enquiry point" and ``contact`` a Reference(Organization | PractitionerRole):
    an organisation in its role for this product, which is what a party is. The alternatives do
    not fit: ``RegulatedAuthorization.holder`` is "the organization that has been granted this
    authorization, by the regulator" (a licensee or co-developer is not, and the model does not
    record who holds an authorization), and ``MedicinalProductDefinition.operation`` is "a
    manufacturing or administrative process or step associated with (or performed on) the
    medicinal product", with manufacturing operation types. FHIR has no element for a
    territory of rights, so the territory and the period ride in the `EXT_TERRITORY` and
    `EXT_PERIOD` extensions (a quarter or half-year bound is written as its year, as elsewhere).
    """
    out: JSON = {}
    extension: list[JSON] = [{"url": EXT_TERRITORY, "valueString": str(party.territory)}]
    if party.start is not None or party.end is not None:
        period: JSON = {}
        if party.start is not None:
            period["start"] = _date_text(party.start)[0]
        if party.end is not None:
            period["end"] = _date_text(party.end)[0]
        extension.append({"url": EXT_PERIOD, "valuePeriod": period})
    out["extension"] = extension
    out["type"] = _concept(biopipe_system("party-role"), party.role.code, text=party.role.label)
    out["contact"] = {"display": party.name}
    return out


def to_medicinal_product(asset: Asset) -> JSON:
    """The FHIR R5 ``MedicinalProductDefinition`` for *asset* (identifier = the asset code).

    >>> import biopipe
    >>> from biopipe.interop.fhir import to_medicinal_product
    >>> mpd = to_medicinal_product(biopipe.example("js212"))
    >>> mpd["identifier"][0]["value"], [c["valueCodeableConcept"]["text"] for c in mpd["characteristic"][:2]]
    ('JS212', ['EGFR', 'ERBB3'])
    """
    return _medicinal_product(asset, [_uuid("asset", asset.code, "trial", t.key) for t in asset.trials], None)


def _medicinal_product(asset: Asset, trial_refs: list[str], uid: str | None) -> JSON:
    names = [{"productName": asset.code, "type": _concept(biopipe_system("alias-kind"), "code")}]
    names += [{"productName": a.name, "type": _vocab_concept("alias-kind", a.kind)} for a in asset.aliases]
    mpd: JSON = {"resourceType": "MedicinalProductDefinition"}
    if uid is not None:
        mpd["id"] = uid
    mpd["identifier"] = [{"system": biopipe_system("asset-code"), "value": asset.code}]
    mpd["type"] = _vocab_concept("modality", asset.modality)
    if asset.description is not None:
        mpd["description"] = asset.description
    intended = [i.name for i in asset.indications if i.role.code == "intended"]
    if intended:
        mpd["indication"] = "\n".join(f"- {name}" for name in intended)
    if asset.antibody_origin is not None:
        mpd["classification"] = [_vocab_concept("antibody-origin", asset.antibody_origin)]
    mpd["contact"] = [{"type": {"text": "sponsor"}, "contact": {"display": asset.sponsor}}]
    mpd["contact"] += [_party_contact(p) for p in asset.parties]
    if trial_refs:
        mpd["clinicalTrial"] = [{"reference": ref} for ref in trial_refs]
    mpd["name"] = names
    characteristics = []
    for target in asset.targets:
        value: JSON = {"text": target.symbol}
        if target.hgnc_id is not None:
            value["coding"] = [_coding(HGNC_SYSTEM, target.hgnc_id, target.symbol)]
        characteristics.append({"type": {"text": "target"}, "valueCodeableConcept": value})
    characteristics += [
        {"type": {"text": f"{i.role.code} indication"}, "valueCodeableConcept": {"text": i.name}}
        for i in asset.indications
    ]
    if characteristics:
        mpd["characteristic"] = characteristics
    return mpd


# -- a whole record: Bundle and Bulk Data NDJSON ---------------------------------------------------

#: The resource types of an export, in the order each asset's resources come; one NDJSON file each.
NDJSON_TYPES = ("MedicinalProductDefinition", "ResearchStudy", "RegulatedAuthorization")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while resources are built.

    An export builds millions of small dicts and lists and no cycles; with the
    collector on, each full collection walks every object built so far and
    every object of the loaded portfolio (most of the time of a large export).
    The collector is restarted only if it was running. Never held across a
    ``yield``: a caller's loop runs with the collector as the caller set it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _asset_resources(asset: Asset, ref: Callable[[str, str], str], ids: bool) -> list[tuple[str, JSON]]:
    """(uuid, resource) for the asset's product, a study per trial and an authorization per event, in that order.

    *ref* writes a reference from the target's type and uuid; with *ids* each resource carries its uuid as ``id``.
    """
    code = asset.code
    product = _uuid_text("asset", code)
    studies = [_uuid_text("asset", code, "trial", t.key) for t in asset.trials]
    trial_refs = [ref("ResearchStudy", uid) for uid in studies]
    out = [(product, _medicinal_product(asset, trial_refs, product if ids else None))]
    out += [(uid, _research_study(t, uid if ids else None)) for uid, t in zip(studies, asset.trials, strict=True)]
    subject = ref("MedicinalProductDefinition", product)
    for i, event in enumerate(asset.events):
        uid = _uuid_text("asset", code, "event", str(i))
        out.append((uid, _regulated_authorization(event, asset, subject, uid if ids else None)))
    return out


def _entries(asset: Asset) -> list[JSON]:
    return [{"fullUrl": "urn:uuid:" + uid, "resource": r} for uid, r in _asset_resources(asset, _bundle_ref, False)]


def _root_trials(obj: object) -> tuple[Trial, ...]:
    """The root trials of *obj* (registry trials linked to no asset): a portfolio's, else none."""
    return obj.trials if isinstance(obj, Portfolio) else ()


def _root_uid(trial: Trial) -> str:
    # Not under "asset": a root trial's study differs from the study of an asset's trial of the same key.
    return _uuid_text("registry-trial", trial.key)


def _root_resource(trial: Trial, ids: bool) -> tuple[str, JSON]:
    """(uuid, ResearchStudy) of a root trial; with *ids* the study carries its uuid as ``id``."""
    uid = _root_uid(trial)
    return uid, _research_study(trial, uid if ids else None)


def _root_entry(trial: Trial) -> JSON:
    uid, resource = _root_resource(trial, False)
    return {"fullUrl": "urn:uuid:" + uid, "resource": resource}


def _assets_of(obj: Asset | Portfolio | Iterable[Asset]) -> Iterator[Asset]:
    """The assets of *obj* one at a time (an iterable is not materialised); codes must be distinct."""
    if isinstance(obj, Asset):
        yield obj
        return
    if isinstance(obj, Portfolio):
        yield from obj.assets
        return
    candidate: object = obj  # the annotation is a promise the caller may not keep
    if not isinstance(candidate, Iterable) or isinstance(candidate, str | bytes):
        raise InvalidValue(obj, "an Asset or Portfolio (or an iterable of assets)")
    seen: set[str] = set()
    for asset in candidate:
        if not isinstance(asset, Asset):
            raise InvalidValue(asset, "an Asset")
        if asset.code in seen:
            raise InvalidValue(asset.code, "distinct asset codes (resource ids derive from them)")
        seen.add(asset.code)
        yield asset


def _bundle_header(assets: Sequence[Asset], trials: Sequence[Trial] = ()) -> JSON:
    codes = [a.code for a in assets]
    # With root trials their keys count too (after the number of codes, so no split of the parts is ambiguous).
    parts = ["bundle", *codes] if not trials else ["bundle with registry trials", str(len(codes)), *codes]
    parts += [t.key for t in trials]
    return {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": _uuid(*parts)},
        "type": "collection",
    }


def to_bundle(obj: Asset | Portfolio) -> JSON:
    """A FHIR R5 ``Bundle`` (type collection) of an asset or a whole portfolio.

    Per asset: its ``MedicinalProductDefinition``, a ``ResearchStudy`` per
    trial and a ``RegulatedAuthorization`` per event; then a ``ResearchStudy``
    per root trial of a portfolio (registry trials linked to no asset). Every
    ``fullUrl`` is a ``urn:uuid`` derived from the asset code (and trial key
    or event position) or the root trial's key, so the same input always
    gives the same output.

    The whole Bundle is built in memory (several times the size of its JSON);
    for a large portfolio `write_bundle` writes the same bytes entry by entry,
    and `write_ndjson` writes FHIR Bulk Data files.

    >>> import biopipe
    >>> from biopipe.interop.fhir import to_bundle
    >>> b = to_bundle(biopipe.example("js212"))
    >>> b["type"], len(b["entry"])
    ('collection', 7)
    >>> to_bundle(biopipe.example("js212")) == b
    True
    >>> registry = biopipe.Portfolio(trials=biopipe.example("js212").trials)
    >>> [e["resource"]["resourceType"] for e in to_bundle(registry)["entry"]]
    ['ResearchStudy', 'ResearchStudy']
    """
    assets = (obj,) if isinstance(obj, Asset) else obj.assets
    trials = _root_trials(obj)
    with _gc_paused():
        bundle = _bundle_header(assets, trials)
        bundle["entry"] = [entry for asset in assets for entry in _entries(asset)]
        bundle["entry"] += [_root_entry(t) for t in trials]
        return bundle


def iter_entries(obj: Asset | Portfolio | Iterable[Asset]) -> Iterator[JSON]:
    """The entries of `to_bundle` (``fullUrl`` and ``resource``), built one asset (or root trial) at a time.

    >>> import biopipe
    >>> from biopipe.interop.fhir import iter_entries, to_bundle
    >>> js212 = biopipe.example("js212")
    >>> list(iter_entries(js212)) == to_bundle(js212)["entry"]
    True
    """
    for asset in _assets_of(obj):
        with _gc_paused():
            entries = _entries(asset)
        yield from entries
    for trial in _root_trials(obj):
        yield _root_entry(trial)


def iter_resources(obj: Asset | Portfolio | Iterable[Asset]) -> Iterator[JSON]:
    """Every resource of the record as FHIR Bulk Data holds it, one asset (or root trial) at a time.

    The resources of `to_bundle`, each with an ``id`` (the uuid of its
    ``fullUrl``) and references by type and id (``MedicinalProductDefinition/<id>``,
    ``ResearchStudy/<id>``) instead of ``urn:uuid`` ones, which only resolve
    inside a Bundle. An iterable of assets is read lazily, so memory stays at
    one asset's resources.

    >>> import biopipe
    >>> from biopipe.interop.fhir import iter_resources
    >>> product, study = list(iter_resources(biopipe.example("js212")))[:2]
    >>> product["clinicalTrial"][0]["reference"] == "ResearchStudy/" + study["id"]
    True
    """
    for asset in _assets_of(obj):
        with _gc_paused():
            resources = [r for _, r in _asset_resources(asset, _ndjson_ref, True)]
        yield from resources
    for trial in _root_trials(obj):
        yield _root_resource(trial, True)[1]


#: Characters that JSON may leave raw in a string but that some line readers (Python's
#: ``str.splitlines``, older JavaScript) take for a line break: NEL, LINE and PARAGRAPH SEPARATOR.
_LINE_BREAKS = ((b"\xc2\x85", b"\\u0085"), (b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def _one_line(data: bytes) -> bytes:
    # In UTF-8 these byte sequences are only ever those characters, and in JSON they only occur inside strings.
    for raw, escaped in _LINE_BREAKS:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _standard_line(resource: JSON) -> bytes:
    """One resource as one line of UTF-8 JSON (no spaces), newline included; every reader sees one line."""
    return _one_line((_COMPACT.encode(resource) + "\n").encode("utf-8"))


def _ndjson_encoder() -> Callable[[JSON], bytes]:
    """`_standard_line`, by orjson when it is the JSON backend (the same bytes, faster)."""
    if json_backend() != "orjson":
        return _standard_line
    import orjson

    def fast(resource: JSON) -> bytes:
        try:
            line: bytes = orjson.dumps(resource, option=orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError:  # an integer beyond 64 bits: the standard library writes it
            return _standard_line(resource)
        return _one_line(line)

    return fast


def write_ndjson(obj: Asset | Portfolio | Iterable[Asset], directory: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write FHIR Bulk Data NDJSON: ``DIRECTORY/<ResourceType>.ndjson``, one resource per line; return the paths.

    One file per type in `NDJSON_TYPES` (empty when the record has none of
    that type), each line one resource of `iter_resources`. Assets are
    converted and written one at a time, so memory stays bounded by one asset
    whatever the size of the record (pass an iterable of assets to avoid
    holding a whole portfolio). Each file is written to a temporary file
    beside it and all are renamed into place only when every one is complete:
    after an error no file is changed.

    >>> import biopipe, json, pathlib, tempfile
    >>> from biopipe.interop.fhir import write_ndjson
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_ndjson(biopipe.example("js212"), tmp)
    ...     lines = {p.name: p.read_text("utf-8").splitlines() for p in paths}
    >>> {name: len(found) for name, found in lines.items()}
    {'MedicinalProductDefinition.ndjson': 1, 'ResearchStudy.ndjson': 2, 'RegulatedAuthorization.ndjson': 4}
    >>> json.loads(lines["ResearchStudy.ndjson"][0])["resourceType"]
    'ResearchStudy'
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = tuple(folder / f"{name}.ndjson" for name in NDJSON_TYPES)
    encode = _ndjson_encoder()
    with contextlib.ExitStack() as stack, _gc_paused():
        files: dict[str, IO[bytes]] = {}
        for name, path in zip(NDJSON_TYPES, paths, strict=True):
            tmp = stack.enter_context(atomic_path(path))
            files[name] = stack.enter_context(open(tmp, "wb"))  # closed by the stack
        for asset in _assets_of(obj):
            for _, resource in _asset_resources(asset, _ndjson_ref, True):
                files[resource["resourceType"]].write(encode(resource))
        for trial in _root_trials(obj):
            files["ResearchStudy"].write(encode(_root_resource(trial, True)[1]))
    return paths


def bundle_chunks(obj: Asset | Portfolio) -> Iterator[bytes]:
    """The bytes of ``json_text(to_bundle(obj))``, entry by entry, without building the Bundle.

    The text is the same as `biopipe.document.json_text` writes for the whole
    Bundle (two-space indents, UTF-8, a final newline); only one asset's
    entries are in memory at a time. For writing to a stream, such as standard output.

    >>> import biopipe
    >>> from biopipe.document import json_text
    >>> from biopipe.interop.fhir import bundle_chunks, to_bundle
    >>> js212 = biopipe.example("js212")
    >>> b"".join(bundle_chunks(js212)) == json_text(to_bundle(js212)).encode()
    True
    """
    assets = (obj,) if isinstance(obj, Asset) else obj.assets
    trials = _root_trials(obj)
    header = json_text(_bundle_header(assets, trials))
    # '{ ... "type": "collection"\n}\n' -> '{ ... "type": "collection",\n  "entry": ['
    yield (header[: -len("\n}\n")] + ',\n  "entry": [').encode("utf-8")
    first = True
    for asset in assets:
        parts = []
        with _gc_paused():
            for entry in _entries(asset):
                parts.append("\n    " if first else ",\n    ")
                parts.append(json_text(entry)[:-1].replace("\n", "\n    "))  # nested two levels deeper
                first = False
        if parts:
            yield "".join(parts).encode("utf-8")
    for trial in trials:  # the root trials, one entry at a time
        yield (("\n    " if first else ",\n    ") + json_text(_root_entry(trial))[:-1].replace("\n", "\n    ")).encode(
            "utf-8"
        )
        first = False
    yield b"]\n}\n" if first else b"\n  ]\n}\n"


def write_bundle(obj: Asset | Portfolio, path: str | os.PathLike[str]) -> Path:
    """Write the Bundle of `to_bundle` as JSON to *path* (atomically) without building it in memory.

    The file holds exactly ``json_text(to_bundle(obj))`` (see `bundle_chunks`).

    >>> import biopipe, json, pathlib, tempfile
    >>> from biopipe.interop.fhir import to_bundle, write_bundle
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_bundle(biopipe.example("js212"), pathlib.Path(tmp, "js212.fhir.json"))
    ...     json.loads(path.read_text("utf-8")) == to_bundle(biopipe.example("js212"))
    True
    """
    target = Path(path)
    with atomic_path(target) as tmp, open(tmp, "wb") as f:
        for chunk in bundle_chunks(obj):
            f.write(chunk)
    return target
