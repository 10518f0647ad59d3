"""One ClinicalTrials.gov API v2 study record in, one `Trial` and its unmapped parts out."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

import attrs

from ...model._dates import FactDate, PartialDate
from ...model._errors import MISSING, BiopipeError, InvalidValue, Problem, ValidationError
from ...model._geography import COUNTRIES
from ...model._ids import RegistryId
from ...model._source import Source
from ...model._trial import Arm, Endpoint, Enrollment, Intervention, Organization, SourceTerm, Trial, TrialDesign
from ...model._vocab import (
    Allocation,
    ArmType,
    DateBasis,
    EndpointKind,
    EndpointRole,
    InterventionModel,
    InterventionType,
    Masking,
    Phase,
    PrimaryPurpose,
    SponsorClass,
    StudyType,
    TrialStatus,
    Vocabulary,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["UNMAPPED_KINDS", "CtgovImport", "Unmapped", "country_code", "endpoint_kind", "format_path", "from_ctgov"]

#: A path in the source record: object keys and array indexes.
Path = tuple[str | int, ...]
V = TypeVar("V", bound=Vocabulary)

_PS = "protocolSection"
_ID = (_PS, "identificationModule")
_STATUS = (_PS, "statusModule")
_SPONSOR = (_PS, "sponsorCollaboratorsModule")
_DESIGN = (_PS, "designModule")
_ARMS = (_PS, "armsInterventionsModule")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CTGOV_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


def format_path(path: Path) -> str:
    """The text form of a record path: ``protocolSection.outcomesModule.primaryOutcomes[0].measure``.

    Keys that are not plain names are quoted: ``a["b.c"]``.

    >>> format_path(("protocolSection", "conditionsModule", "keywords", 2))
    'protocolSection.conditionsModule.keywords[2]'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


@attrs.frozen
class Unmapped:
    """A part of a ClinicalTrials.gov record that biopipe does not keep, and why.

    ``path`` is where it is in the record (object keys joined by dots, array
    indexes in brackets), ``value`` the JSON value found there.

    >>> from biopipe.interop.ctgov import Unmapped
    >>> u = Unmapped("protocolSection.oversightModule.oversightHasDmc", True, "oversight flags are not modelled")
    >>> str(u)
    'protocolSection.oversightModule.oversightHasDmc: True (oversight flags are not modelled)'
    """

    path: str
    value: object
    reason: str

    def __str__(self) -> str:
        text = repr(self.value)
        if len(text) > 80:
            text = text[:77] + "..."
        return f"{self.path}: {text} ({self.reason})"

    @property
    def kind(self) -> str:
        """What kind of part this is, for summaries (one of `UNMAPPED_KINDS`).

        ``not modelled``: biopipe has no place for it; ``unrecognised``: a value
        biopipe does not know (a country name, an id that is no registry id);
        ``invalid``: a bad value read leniently; ``unknown``: not a part of a
        study record as biopipe knows it.

        >>> from biopipe.interop.ctgov import Unmapped
        >>> Unmapped("protocolSection.oversightModule", {}, "oversight and regulation flags are not modelled").kind
        'not modelled'
        >>> Unmapped("protocolSection.designModule.phases", "P1", "expected a JSON array").kind
        'invalid'
        """
        return _kind(self.reason)


def _kind(reason: str) -> str:
    if reason.startswith("expected "):
        return "invalid"
    if reason in _UNRECOGNISED:
        return "unrecognised"
    if reason in _UNKNOWN:
        return "unknown"
    return "not modelled"


#: The kinds of `Unmapped` parts (`Unmapped.kind`), in the order summaries list them.
UNMAPPED_KINDS = ("not modelled", "unrecognised", "invalid", "unknown")


@attrs.frozen
class CtgovImport:
    """The result of `from_ctgov`: the trial and what of the record did not map.

    >>> from biopipe.interop.ctgov import from_ctgov
    >>> r = from_ctgov({"protocolSection": {"identificationModule": {"briefTitle": "A study"},
    ...                                     "statusModule": {"overallStatus": "COMPLETED"}}})
    >>> r.trial.title, r.unmapped
    ('A study', ())
    """

    trial: Trial
    unmapped: tuple[Unmapped, ...] = ()


# -- countries -------------------------------------------------------------------------------------


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.replace("&", " and ")).split())


# Names ClinicalTrials.gov uses (now or in older records) that differ from the ISO short names.
_COUNTRY_ALIASES = {
    "Turkey": "TR",
    "Turkiye": "TR",
    "Czech Republic": "CZ",
    "Macedonia": "MK",
    "Macedonia, The Former Yugoslav Republic of": "MK",
    "Former Yugoslav Republic of Macedonia": "MK",
    "North Macedonia, Republic of": "MK",
    "Swaziland": "SZ",
    "Korea, Republic of": "KR",
    "Republic of Korea": "KR",
    "South Korea": "KR",
    "Korea": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Iran, Islamic Republic of": "IR",
    "Moldova, Republic of": "MD",
    "Republic of Moldova": "MD",
    "Tanzania, United Republic of": "TZ",
    "Venezuela, Bolivarian Republic of": "VE",
    "Bolivia, Plurinational State of": "BO",
    "Vietnam": "VN",
    "Syria": "SY",
    "Laos": "LA",
    "Libyan Arab Jamahiriya": "LY",
    "Congo, The Democratic Republic of the": "CD",
    "Democratic Republic of the Congo": "CD",
    "Congo, Democratic Republic of": "CD",
    "Republic of the Congo": "CG",
    "Cote D'Ivoire": "CI",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Taiwan, Province of China": "TW",
    "Hong Kong SAR": "HK",
    "Macau": "MO",
    "Brunei": "BN",
    "Burma": "MM",
    "East Timor": "TL",
    "Palestinian Territory, occupied": "PS",
    "Palestinian Territories": "PS",
    "Palestine": "PS",
    "Holy See (Vatican City State)": "VA",
    "Vatican City": "VA",
    "Micronesia, Federated States of": "FM",
    "Federated States of Micronesia": "FM",
    "Virgin Islands, U.S.": "VI",
    "US Virgin Islands": "VI",
    "Virgin Islands, British": "VG",
    "United States of America": "US",
    "USA": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Saint Martin": "MF",
    "Sint Maarten": "SX",
    "Falkland Islands": "FK",
    "Netherlands, The": "NL",
    "The Netherlands": "NL",
    "Gambia, The": "GM",
    "The Gambia": "GM",
    "Bahamas, The": "BS",
    "The Bahamas": "BS",
}
_COUNTRY_INDEX = {_fold(name): code for code, name in COUNTRIES.items()} | {
    _fold(alias): code for alias, code in _COUNTRY_ALIASES.items()
}


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country name as ClinicalTrials.gov writes it, or None.

    Case, accents and punctuation do not matter; former and alternative names
    that ClinicalTrials.gov uses are known.

    >>> from biopipe.interop.ctgov import country_code
    >>> [country_code(n) for n in ("Turkey", "Türkiye", "Korea, Republic of", "Czech Republic", "Swaziland")]
    ['TR', 'TR', 'KR', 'CZ', 'SZ']
    >>> country_code("Atlantis") is None
    True
    """
    if name in _COUNTRY_OF:
        return _COUNTRY_OF[name]
    found = _COUNTRY_INDEX.get(_fold(name))
    if len(_COUNTRY_OF) < _MEMO_SIZE:
        _COUNTRY_OF[name] = found
    return found


#: Memos of pure functions over the record's vocabulary (keys, country names, outcome measures), bounded
#: so that hostile input cannot grow them without limit.
_MEMO_SIZE = 1 << 14
_COUNTRY_OF: dict[str, str | None] = {}
_KIND_OF: dict[str, EndpointKind] = {}


# -- endpoint kinds --------------------------------------------------------------------------------

_I = "(?i)"
_KIND_PATTERNS = [
    (EndpointKind.ORR, rf"{_I}\b(objective|overall|best overall) response rate\b|\bORR\b"),
    (EndpointKind.PFS, rf"{_I}progression[- ]free survival|\bPFS\b"),
    (EndpointKind.OS, rf"{_I}\boverall survival\b|\bOS\b"),
    (EndpointKind.DOR, rf"{_I}\bduration of (overall )?response\b|\bDoR\b|\bDOR\b"),
    (EndpointKind.DCR, rf"{_I}\bdisease control rate\b|\bDCR\b"),
    (EndpointKind.EFS, rf"{_I}\bevent[- ]free survival\b|\bEFS\b"),
    (EndpointKind.DFS, rf"{_I}\bdisease[- ]free survival\b|\bDFS\b"),
    (EndpointKind.PCR, rf"{_I}\bpathologic(al)? complete response\b|\bpCR\b"),
    (
        EndpointKind.PHARMACOKINETICS,
        rf"{_I}pharmacokinetic|plasma concentration|serum concentration|\bhalf[- ]life\b"
        r"|\bC ?max\b|\bT ?max\b|\bAUC|\bPK\b",
    ),
    (
        EndpointKind.DOSE_FINDING,
        rf"{_I}\bdose[- ]limiting toxicit|\bmaximum tolerated dose\b|\brecommended phase[- ]?(2|II) dose\b"
        r"|\bDLTs?\b|\bMTD\b|\bRP2D\b",
    ),
    (EndpointKind.SAFETY, rf"{_I}\badverse events?\b|\bsafety\b|\bT?E?AEs?\b|\bSAEs?\b"),
    (EndpointKind.TOLERABILITY, rf"{_I}\btolerability\b"),
    (EndpointKind.QUALITY_OF_LIFE, rf"{_I}\bquality of life\b|\bQoL\b"),
    (EndpointKind.IMMUNOGENICITY, rf"{_I}\bimmunogenicity\b|\banti-drug antibod|\bADAs?\b"),
]
_KIND_REGEXES = [(kind, re.compile(p)) for kind, p in _KIND_PATTERNS]
# One search says whether any kind is named at all (most measures name none or one).
_ANY_KIND = re.compile("|".join(f"(?:{p.removeprefix(_I)})" for _, p in _KIND_PATTERNS), re.IGNORECASE)


def endpoint_kind(measure: str) -> EndpointKind:
    """The kind of an outcome measure when its text names exactly one kind, else ``other``.

    >>> from biopipe.interop.ctgov import endpoint_kind
    >>> endpoint_kind("Objective response rate (ORR)"), endpoint_kind("Dose-limiting Toxicity (DLT)")
    (EndpointKind.ORR, EndpointKind.DOSE_FINDING)
    >>> endpoint_kind("ORR and PFS"), endpoint_kind("Body Composition")
    (EndpointKind.OTHER, EndpointKind.OTHER)
    """
    kind = _KIND_OF.get(measure)
    if kind is None:
        kind = _endpoint_kind(measure)
        if len(_KIND_OF) < _MEMO_SIZE:
            _KIND_OF[measure] = kind
    return kind


def _endpoint_kind(measure: str) -> EndpointKind:
    if not _ANY_KIND.search(measure):
        return EndpointKind.OTHER
    found = {kind for kind, regex in _KIND_REGEXES if regex.search(measure)}
    if found == {EndpointKind.SAFETY, EndpointKind.TOLERABILITY}:
        return EndpointKind.SAFETY  # "safety and tolerability" is a safety endpoint
    return found.pop() if len(found) == 1 else EndpointKind.OTHER


# -- why parts do not map --------------------------------------------------------------------------

_NOT_RECOGNISED_ID = "not a trial registry id biopipe recognises"
_UNKNOWN_COUNTRY = "not a country name biopipe recognises"
_NO_ARM = "names no arm group of the record"
_NOT_READ = "not a part of a ClinicalTrials.gov study record biopipe reads"
_NOT_READ_PROTOCOL = "not a part of the study record biopipe reads"
_UNRECOGNISED = frozenset({_NOT_RECOGNISED_ID, _UNKNOWN_COUNTRY, _NO_ARM})
_UNKNOWN = frozenset({_NOT_READ, _NOT_READ_PROTOCOL})


_REASONS: dict[tuple[str, ...], str] = {
    ("resultsSection",): "study results are not modelled",
    ("documentSection",): "attached documents are not modelled",
    ("derivedSection",): "derived by ClinicalTrials.gov (MeSH terms, record versions), not registered data",
    ("annotationSection",): "ClinicalTrials.gov annotations are not modelled",
    ("hasResults",): "study results are not modelled",
    (_PS,): _NOT_READ_PROTOCOL,
    (_PS, "identificationModule"): "not modelled",
    (_PS, "identificationModule", "organization"): "the registering organization is not modelled "
    "(it differs from the lead sponsor)",
    (_PS, "identificationModule", "orgStudyIdInfo"): _NOT_RECOGNISED_ID,
    (_PS, "identificationModule", "secondaryIdInfos"): _NOT_RECOGNISED_ID,
    (_PS, "identificationModule", "nctIdAliases"): "obsolete NCT ids are not kept",
    (_PS, "statusModule"): "registry record-keeping data, not a trial milestone",
    (_PS, "statusModule", "expandedAccessInfo"): "expanded-access links are not modelled",
    (_PS, "statusModule", "lastKnownStatus"): "a last known status is kept only for status UNKNOWN",
    (_PS, "sponsorCollaboratorsModule"): "not modelled",
    (_PS, "sponsorCollaboratorsModule", "responsibleParty"): "the responsible party is not modelled",
    (_PS, "oversightModule"): "oversight and regulation flags are not modelled",
    (_PS, "descriptionModule"): "free-text summaries are not modelled",
    (_PS, "conditionsModule"): "not modelled",
    (_PS, "conditionsModule", "keywords"): "keywords are not conditions",
    (_PS, "designModule"): "this design detail is not modelled",
    (_PS, "designModule", "designInfo", "maskingInfo", "whoMasked"): "who is masked is not modelled",
    (_PS, "designModule", "designInfo", "maskingInfo", "maskingDescription"): "masking details are not modelled",
    (_PS, "designModule", "designInfo", "observationalModel"): "observational design terms are not modelled",
    (_PS, "designModule", "designInfo", "timePerspective"): "observational design terms are not modelled",
    (_PS, "armsInterventionsModule"): "not modelled",
    (_PS, "armsInterventionsModule", "interventions"): "not modelled for interventions",
    (_PS, "armsInterventionsModule", "armGroups"): "not modelled for arms",
    (_PS, "outcomesModule"): "outcome descriptions are not modelled (measure and time frame are kept)",
    (_PS, "eligibilityModule"): "eligibility criteria are not modelled",
    (_PS, "contactsLocationsModule"): "people, contacts and sites are not modelled; each location's country is kept",
    (_PS, "referencesModule"): "literature references are not modelled (the record itself is the trial's source)",
    (_PS, "ipdSharingStatementModule"): "data-sharing statements are not modelled",
    (_PS, "largeDocumentModule"): "attached documents are not modelled",
}

# _REASONS as a tree over object keys: key -> [the reason of that prefix or None, the tree below it].
_ReasonTrie = dict[str, list[Any]]
_REASON_TRIE: _ReasonTrie = {}
_NO_REASONS: _ReasonTrie = {}
for _keys, _why in _REASONS.items():
    _node = _REASON_TRIE
    for _key in _keys[:-1]:
        _node = _node.setdefault(_key, [None, {}])[1]
    _node.setdefault(_keys[-1], [None, {}])[0] = _why
_KIND_OF_REASON = {why: _kind(why) for why in (*_REASONS.values(), _NOT_READ)}


def _reason(keys: tuple[str, ...]) -> str:
    """Why the part at a path with these object keys (array indexes left out) does not map."""
    found = _REASON_OF.get(keys)
    if found is not None:
        return found
    reason = _NOT_READ
    for n in range(len(keys), 0, -1):
        known = _REASONS.get(keys[:n])
        if known is not None:
            reason = known
            break
    if len(_REASON_OF) < _MEMO_SIZE:
        _REASON_OF[keys] = reason
    return reason


_REASON_OF: dict[tuple[str, ...], str] = {}
_KEY_TEXT: dict[str, str] = {}


def _join_key(text: str, key: str) -> str:
    """``format_path`` of a path extended by one object key, from the text of the path."""
    part = _KEY_TEXT.get(key)
    if part is None:
        part = f".{key}" if _KEY.fullmatch(key) else f"[{json.dumps(key, ensure_ascii=False)}]"
        if len(_KEY_TEXT) < _MEMO_SIZE:
            _KEY_TEXT[key] = part
    if text or part[0] == "[":
        return text + part
    return part[1:]


#: The action of a used part in `_Reader._actions`.
_SKIP = object()


def _is_object(value: object) -> TypeGuard[Mapping[str, Any]]:
    return type(value) is dict or isinstance(value, Mapping)


def _is_array(value: object) -> TypeGuard[list[Any] | tuple[Any, ...]]:
    return type(value) is list or isinstance(value, list | tuple)


# -- the reader ------------------------------------------------------------------------------------

_STARTED = frozenset(
    {
        TrialStatus.RECRUITING,
        TrialStatus.ENROLLING_BY_INVITATION,
        TrialStatus.ACTIVE_NOT_RECRUITING,
        TrialStatus.SUSPENDED,
        TrialStatus.TERMINATED,
        TrialStatus.COMPLETED,
    }
)
_ENDED = frozenset({TrialStatus.TERMINATED, TrialStatus.COMPLETED})
_ENROLLED = frozenset(
    {TrialStatus.COMPLETED, TrialStatus.TERMINATED, TrialStatus.WITHDRAWN, TrialStatus.ACTIVE_NOT_RECRUITING}
)
_BASIS = {"ACTUAL": DateBasis.ACTUAL, "ESTIMATED": DateBasis.ESTIMATED, "ANTICIPATED": DateBasis.ESTIMATED}
_ENROLLMENT_TYPES = {"ACTUAL": False, "ESTIMATED": True, "ANTICIPATED": True}
_ROLES = (
    ("primaryOutcomes", EndpointRole.PRIMARY),
    ("secondaryOutcomes", EndpointRole.SECONDARY),
    ("otherOutcomes", EndpointRole.EXPLORATORY),
)
_DATES = (
    ("startDateStruct", "start", _STARTED),
    ("primaryCompletionDateStruct", "primary_completion", _ENDED),
    ("completionDateStruct", "completion", _ENDED),
)


class _Reader:
    """Walks one record, remembering which paths were used, what was wrong and the raw terms."""

    def __init__(self, study: Mapping[str, Any], *, lenient: bool, keep_terms: bool) -> None:
        self.study = study
        self.lenient = lenient
        self.keep_terms = keep_terms
        self.used: set[Path] = set()
        self.problems: list[Problem] = []
        self.explicit: dict[Path, Unmapped] = {}
        self.terms: list[SourceTerm] = []

    # --- access -------------------------------------------------------------------------

    def lookup(self, path: Path) -> object:
        node: object = self.study
        for part in path:
            if type(node) is dict:  # the usual case, parsed JSON: one look-up a step
                node = node.get(part, MISSING)
                if node is MISSING:
                    return MISSING
                continue
            if isinstance(part, int):
                if not _is_array(node) or part >= len(node):
                    return MISSING
                node = node[part]
            else:
                if not _is_object(node) or part not in node:
                    return MISSING
                node = node[part]
        return node

    def problem(self, path: Path, value: object, expected: str, *, required: bool = False) -> None:
        """Record a bad value: a problem, or (lenient, optional and present) an unmapped part."""
        self.used.add(path)
        if self.lenient and not required and value is not MISSING:
            self.unmap(path, value, f"expected {expected}")
        else:
            self.problems.append(Problem(format_path(path), value, expected))

    def unmap(self, path: Path, value: object, reason: str) -> None:
        """Report the value at *path* as unmapped with its own *reason*."""
        self.used.add(path)
        self.explicit[path] = Unmapped(format_path(path), value, reason)

    def mapping(self, path: Path) -> Mapping[str, Any] | None:
        value = self.lookup(path)
        if value is MISSING or value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(path, value, "a JSON object")
            return None
        if not value:
            self.used.add(path)  # an empty object says nothing
        return value

    def items(self, path: Path) -> Iterator[tuple[Path, object]]:
        """The (path, value) of each element of the array at *path* (none if absent)."""
        value = self.lookup(path)
        if value is MISSING or value is None:
            return
        if not isinstance(value, list | tuple):
            self.problem(path, value, "a JSON array")
            return
        if not value:
            self.used.add(path)  # an empty array says nothing
        for i, item in enumerate(value):
            yield (*path, i), item

    def text(self, path: Path, *, required: bool = False) -> str | None:
        """A string at *path*; empty or blank text counts as absent."""
        value = self.lookup(path)
        if value is MISSING or value is None:
            if required:
                self.problem(path, value, "a non-empty string", required=True)
            return None
        self.used.add(path)
        if not isinstance(value, str):
            self.problem(path, value, "a string", required=required)
            return None
        if not value.strip():
            if required:
                self.problem(path, value, "a non-empty string", required=True)
            return None
        return value

    def texts(self, path: Path) -> list[str]:
        out: list[str] = []
        for p, _ in self.items(path):
            text = self.text(p)
            if text is not None:
                out.append(text)
        return out

    def term(self, field: str, value: str) -> None:
        if self.keep_terms:
            self.terms.append(SourceTerm(field=field, value=value))

    def code(self, path: Path, vocab: type[V], field: str, special: Mapping[str, V] | None = None) -> V | None:
        """A ClinicalTrials.gov upper-case code read as a biopipe vocabulary member."""
        raw = self.text(path)
        if raw is None:
            return None
        member = (special or {}).get(raw)
        if member is None and raw == raw.upper():
            try:
                member = vocab.from_code(raw.lower())
            except BiopipeError:
                member = None
        if member is None:
            allowed = [c.upper() for c in vocab.codes()] + list(special or {})
            self.problem(path, raw, "one of " + ", ".join(repr(c) for c in dict.fromkeys(allowed)))
            return None
        self.term(field, raw)
        return member

    # --- the parts of a trial -------------------------------------------------------------

    def ids(self) -> tuple[RegistryId, ...]:
        found: list[RegistryId] = []
        nct = self.text((*_ID, "nctId"))
        if nct is not None:
            try:
                found.append(RegistryId(nct))
            except BiopipeError:
                self.problem((*_ID, "nctId"), nct, "an NCT number such as 'NCT05288205'")
        candidates: list[Path] = []
        if self.mapping((*_ID, "orgStudyIdInfo")) is not None:
            candidates.append((*_ID, "orgStudyIdInfo"))
        for path, item in self.items((*_ID, "secondaryIdInfos")):
            if isinstance(item, Mapping):
                candidates.append(path)
            else:
                self.problem(path, item, "a JSON object")
        for path in candidates:
            value = self.lookup((*path, "id"))
            if not isinstance(value, str):
                continue
            try:
                rid = RegistryId(value.strip())
            except BiopipeError:
                continue  # not a registry id: reported as unmapped
            self.used.add(path)
            if rid not in found:
                found.append(rid)
        return tuple(found)

    def organization(self, path: Path, name_key: str, field: str) -> Organization | None:
        if self.mapping(path) is None:
            return None
        name = self.text((*path, name_key))
        if name is None:
            return None  # a class without a name is reported as unmapped
        return Organization(name=name, kind=self.code((*path, "class"), SponsorClass, f"{field}.kind"))

    def status(self) -> tuple[TrialStatus, TrialStatus | None, str | None]:
        path = (*_STATUS, "overallStatus")
        raw = self.text(path, required=True)
        if raw is None:
            return TrialStatus.UNKNOWN, None, None  # a problem is recorded; no trial is built
        try:
            status = TrialStatus.from_ctgov(raw)
        except BiopipeError as e:
            expected = e.expected if isinstance(e, InvalidValue) else "a ClinicalTrials.gov overall status"
            self.problem(path, raw, expected, required=True)
            return TrialStatus.UNKNOWN, None, None
        self.term("status", raw)
        last: TrialStatus | None = None
        last_path = (*_STATUS, "lastKnownStatus")
        if status is TrialStatus.UNKNOWN:
            last = self.code(last_path, TrialStatus, "last_known_status")
        why = self.text((*_STATUS, "whyStopped"))
        return status, last, why

    def fact_date(self, key: str, field: str, happened: bool) -> FactDate | None:
        path = (*_STATUS, key)
        if self.mapping(path) is None:
            return None
        raw = self.text((*path, "date"))
        if raw is None:
            return None
        try:
            if not _CTGOV_DATE.fullmatch(raw):
                raise InvalidValue(raw, "a date")
            date = PartialDate.parse_iso(raw)
        except BiopipeError:
            self.problem((*path, "date"), raw, "a date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
            return None
        self.term(field, raw)
        basis: DateBasis | None = None
        type_path = (*path, "type")
        type_raw = self.text(type_path)
        if type_raw is not None:
            basis = _BASIS.get(type_raw)
            if basis is None:
                self.problem(type_path, type_raw, "one of 'ACTUAL', 'ESTIMATED'")
            else:
                self.term(f"{field}.basis", type_raw)
        if basis is None:
            basis = DateBasis.ACTUAL if happened else DateBasis.ESTIMATED
        return FactDate(date, basis)

    def phase(self) -> Phase | None:
        path = (*_DESIGN, "phases")
        value = self.lookup(path)
        if value is MISSING or value is None:
            return None
        codes = self.texts(path)
        if not isinstance(value, list | tuple) or len(codes) != len(value):
            return None
        if not codes:
            return None
        try:
            phase = Phase.from_ctgov(codes)
        except BiopipeError as e:
            self.problem(path, value, e.expected if isinstance(e, InvalidValue) else "a phase list")
            return None
        self.term("phase", ", ".join(codes))
        return phase

    def design(self) -> TrialDesign:
        info = (*_DESIGN, "designInfo")
        if self.mapping(info) is None:
            return TrialDesign()
        masking: Masking | None = None
        if self.mapping((*info, "maskingInfo")) is not None:
            masking = self.code((*info, "maskingInfo", "masking"), Masking, "design.masking")
        return TrialDesign(
            allocation=self.code(
                (*info, "allocation"), Allocation, "design.allocation", {"NA": Allocation.NOT_APPLICABLE}
            ),
            masking=masking,
            intervention_model=self.code((*info, "interventionModel"), InterventionModel, "design.intervention_model"),
            primary_purpose=self.code((*info, "primaryPurpose"), PrimaryPurpose, "design.primary_purpose"),
        )

    def enrollment(self, status: TrialStatus) -> Enrollment | None:
        path = (*_DESIGN, "enrollmentInfo")
        if self.mapping(path) is None:
            return None
        count_path = (*path, "count")
        count = self.lookup(count_path)
        if count is MISSING or count is None:
            return None
        self.used.add(count_path)
        if type(count) is not int or count < 0:
            self.problem(count_path, count, "a non-negative integer")
            return None
        estimated = status not in _ENROLLED
        type_raw = self.text((*path, "type"))
        if type_raw is not None:
            given = _ENROLLMENT_TYPES.get(type_raw)
            if given is None:
                self.problem((*path, "type"), type_raw, "one of 'ACTUAL', 'ESTIMATED'")
            else:
                estimated = given
                self.term("enrollment.estimated", type_raw)
        return Enrollment(count=count, estimated=estimated)

    def interventions(self) -> list[tuple[Path, Intervention, list[str]]]:
        found: list[tuple[Path, Intervention, list[str]]] = []
        for path, item in self.items((*_ARMS, "interventions")):
            if not isinstance(item, Mapping):
                self.problem(path, item, "a JSON object")
                continue
            name = self.text((*path, "name"))
            if name is None:
                continue
            i = len(found)
            kind = self.code((*path, "type"), InterventionType, f"interventions[{i}].type")
            description = self.text((*path, "description"))
            others = self.texts((*path, "otherNames"))
            arm_labels: list[str] = []
            for label_path, label in self.items((*path, "armGroupLabels")):
                if isinstance(label, str) and label.strip():
                    arm_labels.append(label)
                else:
                    self.problem(label_path, label, "a non-empty string")
            found.append(
                (
                    path,
                    Intervention(name=name, type=kind, description=description, other_names=tuple(others)),
                    arm_labels,
                )
            )
        return found

    def arms(self, interventions: list[tuple[Path, Intervention, list[str]]]) -> list[Arm]:
        """The arms; each lists its interventions by name (``Drug: X`` in the record is ``X``)."""
        by_label: dict[str, str] = {}
        for _, intervention, _labels in interventions:
            if intervention.type is not None:
                by_label.setdefault(f"{_type_label(intervention.type)}: {intervention.name}", intervention.name)
        arms: list[Arm] = []
        labels: list[str] = []
        for path, item in self.items((*_ARMS, "armGroups")):
            if not isinstance(item, Mapping):
                self.problem(path, item, "a JSON object")
                continue
            label = self.text((*path, "label"))
            if label is None:
                continue
            a = len(arms)
            kind = self.code((*path, "type"), ArmType, f"arms[{a}].type")
            description = self.text((*path, "description"))
            names: list[str] = []
            for n_path, _ in self.items((*path, "interventionNames")):
                text = self.text(n_path)
                if text is None:
                    continue
                name = by_label.get(text, text)
                if name != text:
                    self.term(f"arms[{a}].interventions[{len(names)}]", text)
                if name not in names:
                    names.append(name)
            labels.append(label)
            arms.append(Arm(label=label, type=kind, description=description, interventions=tuple(names)))
        # An intervention's armGroupLabels is the same relation seen from the other side: it is used
        # where it names an arm of the record (adding the intervention to that arm if the arm did not list it).
        for path, intervention, arm_labels in interventions:
            for j, label in enumerate(arm_labels):
                label_path = (*path, "armGroupLabels", j)
                if label not in labels:
                    self.unmap(label_path, label, _NO_ARM)
                    continue
                self.used.add(label_path)
                a = labels.index(label)
                if intervention.name not in arms[a].interventions:
                    arms[a] = attrs.evolve(arms[a], interventions=(*arms[a].interventions, intervention.name))
        return arms

    def endpoints(self) -> list[Endpoint]:
        found: list[Endpoint] = []
        for key, role in _ROLES:
            for path, item in self.items((_PS, "outcomesModule", key)):
                if not isinstance(item, Mapping):
                    self.problem(path, item, "a JSON object")
                    continue
                measure = self.text((*path, "measure"))
                if measure is None:
                    continue
                self.term(f"endpoints[{len(found)}].role", key)
                found.append(
                    Endpoint(
                        kind=endpoint_kind(measure),
                        description=measure,
                        role=role,
                        time_frame=self.text((*path, "timeFrame")),
                    )
                )
        return found

    def countries(self) -> list[str]:
        codes: list[str] = []
        raw_seen: set[str] = set()
        for path, item in self.items((_PS, "contactsLocationsModule", "locations")):
            if not isinstance(item, Mapping):
                self.problem(path, item, "a JSON object")
                continue
            country_path = (*path, "country")
            value = item.get("country", MISSING)  # a site at a time: the item is at hand, no look-up from the root
            if not isinstance(value, str):
                if value is not MISSING and value is not None:
                    self.problem(country_path, value, "a country name")
                continue
            code = country_code(value)
            if code is None:
                self.unmap(country_path, value, _UNKNOWN_COUNTRY)
                continue
            self.used.add(country_path)
            if code not in codes:
                codes.append(code)
            if value not in raw_seen:
                raw_seen.add(value)
                self.term(f"countries[{codes.index(code)}]", value)
        return codes

    def conditions(self) -> list[str]:
        return list(dict.fromkeys(self.texts((_PS, "conditionsModule", "conditions"))))

    def source(self, ids: tuple[RegistryId, ...]) -> tuple[Source, ...]:
        nct = next((i.value for i in ids if i.value.startswith("NCT")), None)
        if nct is None:
            return ()
        published: PartialDate | None = None
        path = (*_STATUS, "lastUpdatePostDateStruct", "date")
        raw = self.lookup(path)
        if isinstance(raw, str) and _CTGOV_DATE.fullmatch(raw):
            try:
                published = PartialDate.parse_iso(raw)
            except BiopipeError:
                published = None
            else:
                self.used.add(path)
        return (
            Source(
                title=f"ClinicalTrials.gov record {nct}",
                publisher="ClinicalTrials.gov",
                url=f"https://clinicaltrials.gov/study/{nct}",
                published=published,
            ),
        )

    # --- assembling -----------------------------------------------------------------------

    def trial(self) -> Trial:
        title_path = (*_ID, "briefTitle")
        official = self.text((*_ID, "officialTitle"))
        title = self.text(title_path) or official
        if title is None and not any(p.path == format_path(title_path) for p in self.problems):
            expected = "a non-empty string (briefTitle, or else officialTitle)"
            self.problem(title_path, self.lookup(title_path), expected, required=True)
        status, last_known, why = self.status()
        ids = self.ids()
        if self.mapping(_SPONSOR) is not None:
            sponsor = self.organization((*_SPONSOR, "leadSponsor"), "name", "sponsor")
        else:
            sponsor = None
        collaborators: list[Organization] = []
        for path, item in self.items((*_SPONSOR, "collaborators")):
            if not isinstance(item, Mapping):
                self.problem(path, item, "a JSON object")
                continue
            org = self.organization(path, "name", f"collaborators[{len(collaborators)}]")
            if org is not None:
                collaborators.append(org)
        self._registering_organization(sponsor)
        dates = {
            field: self.fact_date(key, field, _happened(status, last_known, started)) for key, field, started in _DATES
        }
        interventions = self.interventions()
        fields: dict[str, Any] = {
            "title": title,
            "status": status,
            "phase": self.phase(),
            "ids": ids,
            "official_title": official if official != title else None,
            "acronym": self.text((*_ID, "acronym")),
            "study_type": self.code((*_DESIGN, "studyType"), StudyType, "study_type"),
            "design": self.design(),
            "endpoints": tuple(self.endpoints()),
            "conditions": tuple(self.conditions()),
            "arms": tuple(self.arms(interventions)),
            "interventions": tuple(i for _, i, _ in interventions),
            "countries": tuple(self.countries()),
            "sponsor": sponsor,
            "collaborators": tuple(collaborators),
            "enrollment": self.enrollment(status),
            **dates,
            "why_stopped": why,
            "last_known_status": last_known,
            "sources": self.source(ids),
        }
        if self.problems:
            raise ValidationError(self.problems, subject="ClinicalTrials.gov record")
        fields["source_terms"] = tuple(self.terms)
        try:
            return Trial(**fields)
        except ValidationError as e:
            raise ValidationError(e.problems, subject="trial built from the ClinicalTrials.gov record") from None

    def _registering_organization(self, sponsor: Organization | None) -> None:
        """The record's organization is used when it is the lead sponsor (the usual case)."""
        path = (*_ID, "organization")
        org = self.lookup(path)
        if sponsor is None or not isinstance(org, Mapping):
            return
        if org.get("fullName") == sponsor.name:
            self.used.add((*path, "fullName"))
            if sponsor.kind is not None and org.get("class") == sponsor.kind.code.upper():
                self.used.add((*path, "class"))

    def _actions(self) -> dict[str | int, Any] | None:
        """What to do at each part of the record, as a tree keyed like the record (None: the record is used).

        A part is a dict of its children's actions when it is partly used (walk into it), `_SKIP`
        when used, its `Unmapped` when reported with its own reason; a part missing from its
        parent's dict is unmapped as a whole. A used part hides what is below it.
        """
        if () in self.used:
            return None
        tree: dict[str | int, Any] = {}
        leaves: list[tuple[Path, object]] = [(path, _SKIP) for path in self.used]
        leaves += self.explicit.items()
        for path, leaf in leaves:
            node = tree
            for part in path[:-1]:
                child = node.get(part)
                if child is None:
                    child = node[part] = {}
                elif type(child) is not dict:  # a used (or explicitly reported) part hides what is below
                    break
                node = child
            else:
                node[path[-1]] = leaf
        return tree

    def unmapped(self) -> tuple[Unmapped, ...]:
        """Every part of the record not used, in record order, at the highest level where nothing below was used.

        Parts reported with their own reason (a bad value read leniently, an unknown country) come in
        their place.
        """
        tree = self._actions()
        if tree is None:
            return ()
        out: list[Unmapped] = []
        # (the value, what to do with it, its path as text, its object keys (what the reason depends on))
        stack: list[tuple[object, object, str, tuple[str, ...]]] = [(self.study, tree, "", ())]
        pop, push = stack.pop, stack.append
        while stack:
            node, action, text, keys = pop()
            if action is None:
                out.append(Unmapped(text, node, _reason(keys)))
            elif type(action) is dict:
                if _is_object(node):
                    for k, v in reversed(list(node.items())):
                        key = str(k)
                        push((v, action.get(key), _join_key(text, key), (*keys, key)))
                elif _is_array(node):
                    for i in range(len(node) - 1, -1, -1):
                        push((node[i], action.get(i), f"{text}[{i}]", keys))
            elif isinstance(action, Unmapped):
                out.append(action)
        return tuple(out)

    def unmapped_kinds(self) -> Counter[str]:
        """How many parts `unmapped` would report, by `Unmapped.kind`, without making them (quicker).

        Parts unmapped as a whole are counted where their parent is walked, many at once; only
        partly used parts are walked into.
        """
        kinds: Counter[str] = Counter()
        tree = self._actions()
        if tree is None:
            return kinds
        # (the value, the actions of its parts, the reason so far, the reasons below it by key)
        stack: list[tuple[object, dict[str | int, Any], str, _ReasonTrie]] = [
            (self.study, tree, _NOT_READ, _REASON_TRIE)
        ]
        pop, push = stack.pop, stack.append
        kind_of = _KIND_OF_REASON
        while stack:
            node, actions, reason, trie = pop()
            if type(node) is dict or isinstance(node, Mapping):
                if not trie:  # no part below has a reason of its own: count the whole parts at once
                    present = 0
                    for part, action in actions.items():
                        if part not in node or not isinstance(part, str):
                            continue
                        present += 1
                        if type(action) is dict:
                            push((node[part], action, reason, trie))
                        elif action is not _SKIP:
                            kinds[action.kind] += 1
                    if len(node) > present:
                        kinds[kind_of.get(reason) or _kind(reason)] += len(node) - present
                    continue
                whole = node.keys() - actions.keys()
                if whole:
                    own = whole & trie.keys()  # parts whose reason is their own, not the parent's
                    for name in own:
                        why = trie[name][0] or reason
                        kinds[kind_of.get(why) or _kind(why)] += 1
                    if len(whole) > len(own):
                        kinds[kind_of.get(reason) or _kind(reason)] += len(whole) - len(own)
                for part, action in actions.items():
                    if part not in node or not isinstance(part, str):
                        continue
                    if type(action) is dict:
                        entry = trie.get(part)
                        if entry is None:
                            push((node[part], action, reason, _NO_REASONS))
                        else:
                            push((node[part], action, entry[0] or reason, entry[1]))
                    elif action is not _SKIP:
                        kinds[action.kind] += 1
            elif type(node) is list or isinstance(node, list | tuple):
                n = len(node)
                inside = 0
                for index, action in actions.items():
                    if not isinstance(index, int) or index >= n:
                        continue
                    inside += 1
                    if type(action) is dict:
                        push((node[index], action, reason, trie))
                    elif action is not _SKIP:
                        kinds[action.kind] += 1
                if n > inside:
                    kinds[kind_of.get(reason) or _kind(reason)] += n - inside
        return kinds


def _happened(status: TrialStatus, last_known: TrialStatus | None, states: frozenset[TrialStatus]) -> bool:
    effective = last_known if status is TrialStatus.UNKNOWN and last_known is not None else status
    return effective in states


def _type_label(kind: InterventionType) -> str:
    """The prefix ClinicalTrials.gov writes before an intervention name in an arm: ``Drug``, ``Dietary Supplement``."""
    return kind.code.replace("_", " ").title()


def from_ctgov(study: Mapping[str, Any], *, keep_source_terms: bool = False, lenient: bool = False) -> CtgovImport:
    """Import one ClinicalTrials.gov API v2 study record as a `Trial`; see `biopipe.interop.ctgov`.

    With ``keep_source_terms=True`` the trial's ``source_terms`` keep the raw
    value behind every normalised term (``status`` ``RECRUITING``,
    ``countries[0]`` ``Korea, Republic of``, ``start.basis`` ``ACTUAL``...).

    >>> from biopipe.interop.ctgov import from_ctgov
    >>> r = from_ctgov({"protocolSection": {
    ...     "identificationModule": {"briefTitle": "A study"},
    ...     "statusModule": {"overallStatus": "UNKNOWN", "lastKnownStatus": "RECRUITING"},
    ...     "contactsLocationsModule": {"locations": [{"country": "Korea, Republic of", "city": "Seoul"}]}}},
    ...     keep_source_terms=True)
    >>> r.trial.status, r.trial.last_known_status, r.trial.countries
    (TrialStatus.UNKNOWN, TrialStatus.RECRUITING, ('KR',))
    >>> [(t.field, t.value) for t in r.trial.source_terms]
    [('status', 'UNKNOWN'), ('last_known_status', 'RECRUITING'), ('countries[0]', 'Korea, Republic of')]
    >>> [u.path for u in r.unmapped]
    ['protocolSection.contactsLocationsModule.locations[0].city']

    A record that is not a study is a `ValidationError` naming the path:

    >>> from_ctgov({"studies": []})
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in ClinicalTrials.gov record:
      protocolSection: got <missing>, expected a JSON object (the study's protocol section)
    """
    if not isinstance(study, Mapping):
        raise ValidationError([Problem("", study, "a ClinicalTrials.gov study (a JSON object)")], subject="input")
    reader = _Reader(study, lenient=lenient, keep_terms=keep_source_terms)
    if reader.mapping((_PS,)) is None:
        problem = Problem(_PS, study.get(_PS, MISSING), "a JSON object (the study's protocol section)")
        raise ValidationError([problem], subject="ClinicalTrials.gov record")
    return CtgovImport(trial=reader.trial(), unmapped=reader.unmapped())


def _import_study(
    study: Mapping[str, Any], *, keep_source_terms: bool, lenient: bool, details: bool
) -> tuple[Trial, tuple[Unmapped, ...], Counter[str]]:
    """`from_ctgov` for bulk imports: the trial, the unmapped parts (with *details*) and their counts by kind.

    Without *details* the parts are only counted, which is quicker and keeps nothing of the record.
    """
    reader = _Reader(study, lenient=lenient, keep_terms=keep_source_terms)
    if reader.mapping((_PS,)) is None:
        problem = Problem(_PS, study.get(_PS, MISSING), "a JSON object (the study's protocol section)")
        raise ValidationError([problem], subject="ClinicalTrials.gov record")
    trial = reader.trial()
    if details:
        unmapped = reader.unmapped()
        return trial, unmapped, Counter(u.kind for u in unmapped)
    return trial, (), reader.unmapped_kinds()
