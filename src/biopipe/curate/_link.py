"""Linking registry trials to assets by the names they give their interventions, with the evidence of each link."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, ClassVar

import attrs

from ..document._results import Result, markdown_cell
from ..model._asset import Asset, Portfolio
from ..model._trial import with_trials
from ..model._vocab import Vocabulary

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ..model._trial import Trial

__all__ = ["Ambiguous", "Evidence", "Link", "LinkReport", "MatchKind", "Unmatched", "link", "normalise_name"]


class MatchKind(Vocabulary):
    """How a trial's name matched an asset's name, strongest first.

    ``exact``: the same text. ``normalised``: the same after `normalise_name`
    (case, spaces, hyphens, Greek letters, dose and formulation words).
    ``suffix_stripped``: the same once an INN's four-letter biosimilar suffix
    (``-dkst``) is dropped from both.

    >>> from biopipe.curate import MatchKind
    >>> MatchKind.SUFFIX_STRIPPED.label
    'suffix stripped'
    """

    EXACT = "exact"
    NORMALISED = "normalised"
    SUFFIX_STRIPPED = "suffix_stripped"


# -- normalising names ------------------------------------------------------------------------------

# Greek letters spelt out, from their Unicode names ("GREEK SMALL LETTER FINAL SIGMA" is sigma); NFKC has
# already made the symbol forms (the micro sign, the phi symbol) letters.
_GREEK = {
    chr(cp): unicodedata.name(chr(cp)).rsplit(" ", 1)[-1].lower().replace("lamda", "lambda")
    for cp in range(0x3B1, 0x3CA)
}
_GREEK_LETTER = re.compile("[" + "".join(_GREEK) + "]")

# A word stands alone: not inside a word, and not joined by a hyphen (``SC-101`` is a code, not "SC 101").
_ALONE_BEFORE, _ALONE_AFTER = r"(?<![\w-])", r"(?![\w-])"
_DOSE = re.compile(
    _ALONE_BEFORE + r"\d+(?:[.,]\d+)?\s*(?:mg/kg|mg/m2|mg/m²|mg|mcg|μg|ug|ng|g|ml|iu|units?|%)" + _ALONE_AFTER
)
# Dose and formulation words dropped from names ("JS212 for injection", "Olaparib tablets 150 mg").
_FORMULATION_WORDS = (
    "for injection", "for infusion", "injection", "injections", "infusion", "tablet", "tablets", "capsule",
    "capsules", "oral", "solution", "suspension", "powder", "lyophilized", "lyophilised", "concentrate",
    "intravenous", "subcutaneous", "intramuscular", "iv", "sc", "po", "dose", "doses", "dosing",
)  # fmt: skip
_FORMULATION = re.compile(
    _ALONE_BEFORE + "(?:" + "|".join(re.escape(w) for w in _FORMULATION_WORDS) + ")" + _ALONE_AFTER
)
# An INN (one word of letters) with a US biosimilar suffix: four lowercase letters after a hyphen.
_INN_SUFFIX = re.compile(_ALONE_BEFORE + r"([A-Za-z]{5,})-[a-z]{4}" + _ALONE_AFTER)
_MARKS = re.compile("[®™©]")


def normalise_name(name: str, *, strip_suffix: bool = False) -> str:
    """*name* as names are compared when linking: case-folded, without separators, Greek spelt out.

    Dose amounts (``10 mg``, ``3 mg/kg``) and formulation words standing
    alone (``injection``, ``for infusion``, ``tablets``, ``oral``, ``iv``,
    ``dose`` ...; not ``SC`` in ``SC-101``) are dropped, as are ``®`` and
    ``™``; then every character
    that is not a letter or digit (spaces, hyphens, underscores, brackets).
    With *strip_suffix*, an INN's biosimilar suffix is dropped first
    (``trastuzumab-dkst`` is ``trastuzumab``). A name of only such words
    normalises to ``""``, which matches nothing.

    >>> from biopipe.curate import normalise_name
    >>> normalise_name("JS-212"), normalise_name("js 212"), normalise_name("JS_212 for injection, 3 mg/kg")
    ('js212', 'js212', 'js212')
    >>> normalise_name("TNF-\N{GREEK SMALL LETTER ALPHA} blocker"), normalise_name("KEYTRUDA®")
    ('tnfalphablocker', 'keytruda')
    >>> normalise_name("Trastuzumab-dkst"), normalise_name("Trastuzumab-dkst", strip_suffix=True)
    ('trastuzumabdkst', 'trastuzumab')
    """
    text = unicodedata.normalize("NFKC", name)
    if strip_suffix:
        text = _INN_SUFFIX.sub(r"\1", text)
    text = _MARKS.sub(" ", text.casefold())
    text = _FORMULATION.sub(" ", _DOSE.sub(" ", text))
    text = _GREEK_LETTER.sub(lambda m: _GREEK[m[0]], text)
    return "".join(ch for ch in text if ch.isalnum())


def _forms(name: str) -> Iterator[tuple[MatchKind, str]]:
    yield MatchKind.EXACT, name
    yield MatchKind.NORMALISED, normalise_name(name)
    yield MatchKind.SUFFIX_STRIPPED, normalise_name(name, strip_suffix=True)


# -- the names a trial gives ------------------------------------------------------------------------

# One intervention may name several drugs: "JS212 + toripalimab", "Mavrostobart (PT199)".
_COMBINATION = re.compile(r"\s*(?:\+|;|,|\bplus\b|\bin combination with\b|\bcombined with\b)\s*", re.I)
_BRACKETED = re.compile(r"\(([^()]*)\)")
# A research code in a title or acronym: letters then digits ("JS212", "JAB-21822", "LY3537982", "JS 212").
_CODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,6}-?\d{2,}|[A-Z]{2,6} \d{2,})(?:[A-Z0-9]*)(?:-[A-Z0-9]+)*(?![\w-])")
# A protein variant in a title ("KRAS G12C") is not a drug's code.
_VARIANT = re.compile(r"[ACDEFGHIKLMNPQRSTVWY]\d{1,4}[ACDEFGHIKLMNPQRSTVWYX]")


def _parts(text: str) -> list[str]:
    """*text* and the names inside it: each drug of a combination, and what brackets hold."""
    found = [text]
    for piece in _COMBINATION.split(text):
        outside = _BRACKETED.sub(" ", piece).strip()
        found += [outside, *(m.strip() for m in _BRACKETED.findall(piece))]
    unique: list[str] = []
    for part in found:
        if part and part not in unique:
            unique.append(part)
    return unique


def _trial_names(trial: Trial) -> list[tuple[str, str]]:
    """(field, name) for every name the trial gives: interventions, their other names, codes in its titles."""
    names: list[tuple[str, str]] = []
    for i, intervention in enumerate(trial.interventions):
        names += [(f"interventions[{i}].name", part) for part in _parts(intervention.name)]
        for j, other in enumerate(intervention.other_names):
            names += [(f"interventions[{i}].other_names[{j}]", part) for part in _parts(other)]
    for field in ("title", "official_title", "acronym"):
        text: str | None = getattr(trial, field)
        if text is not None:
            names += [(field, m[0]) for m in _CODE.finditer(text) if not _VARIANT.fullmatch(m[0])]
    unique: list[tuple[str, str]] = []
    for entry in names:
        if entry not in unique:
            unique.append(entry)
    return unique


# -- the report -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Evidence:
    """Why a trial is linked to an asset: which of the trial's names matched which of the asset's, and how.

    ``field`` is where the name is in the trial (``interventions[0].name``,
    ``title``); ``asset_field`` is ``code`` or ``aliases[i]``.

    >>> from biopipe.curate import Evidence, MatchKind
    >>> print(Evidence(field="interventions[0].name", name="JS-212", asset_field="code", asset_name="JS212",
    ...                how=MatchKind.NORMALISED))
    interventions[0].name 'JS-212' = code 'JS212' (normalised)
    """

    field: str
    name: str
    asset_field: str
    asset_name: str
    how: MatchKind

    def __str__(self) -> str:
        return f"{self.field} {self.name!r} = {self.asset_field} {self.asset_name!r} ({self.how.label})"


@attrs.frozen(kw_only=True)
class Link:
    """A trial (by key) linked to an asset (by code), with every match that supports it.

    >>> import biopipe
    >>> from biopipe.curate import link
    >>> trial = biopipe.Trial(title="A study of JS-212", status=biopipe.TrialStatus.PLANNED)
    >>> (found,) = link(biopipe.Portfolio(assets=(biopipe.example("js212"),)), [trial]).links
    >>> found.trial, found.asset
    ('A study of JS-212', 'JS212')
    """

    trial: str
    asset: str
    evidence: tuple[Evidence, ...]

    def __str__(self) -> str:
        return f"{self.trial} -> {self.asset}: " + "; ".join(str(e) for e in self.evidence)


@attrs.frozen(kw_only=True)
class Ambiguous:
    """A trial whose names match more than one asset: each candidate with its evidence; it is not linked.

    >>> import attrs, biopipe
    >>> from biopipe.curate import link
    >>> js212 = biopipe.example("js212")
    >>> twin = attrs.evolve(js212, code="JS212B", aliases=(biopipe.Alias(name="JS 212", kind=biopipe.AliasKind.CODE),))
    >>> trial = biopipe.Trial(title="A study of JS-212", status=biopipe.TrialStatus.PLANNED)
    >>> (amb,) = link(biopipe.Portfolio(assets=(js212, twin)), [trial]).ambiguous
    >>> sorted(c.asset for c in amb.candidates)
    ['JS212', 'JS212B']
    """

    trial: str
    candidates: tuple[Link, ...]

    def __str__(self) -> str:
        return f"{self.trial} matches {len(self.candidates)} assets: " + ", ".join(
            f"{c.asset} ({'; '.join(str(e) for e in c.evidence)})" for c in self.candidates
        )


@attrs.frozen(kw_only=True)
class Unmatched:
    """A trial whose names match no asset: the names that were tried; it is not linked.

    >>> import biopipe
    >>> from biopipe.curate import link
    >>> trial = biopipe.Trial(title="A study of XY-9", status=biopipe.TrialStatus.PLANNED)
    >>> (miss,) = link(biopipe.Portfolio(assets=(biopipe.example("js212"),)), [trial]).unmatched
    >>> miss.trial
    'A study of XY-9'
    """

    trial: str
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.trial}: no asset named " + (", ".join(repr(n) for n in self.names) or "(it gives no names)")


@attrs.frozen(kw_only=True)
class LinkReport(Result):
    """What `link` did: the linked portfolio, each link with its evidence, and the trials it left alone.

    ``portfolio`` is the linked portfolio: linked trials on their assets, the
    others as its registry trials. It is not part of the report's JSON
    document (write it with `biopipe.dump`).

    >>> import biopipe
    >>> from biopipe import Intervention, Trial, TrialStatus
    >>> from biopipe.curate import link
    >>> trial = Trial(title="A study", status=TrialStatus.RECRUITING,
    ...               interventions=(Intervention(name="JS-212 for injection"),))
    >>> report = link(biopipe.Portfolio(assets=(biopipe.example("js212"),)), [trial])
    >>> print(report.render(), end="")
    linked A study -> JS212: interventions[0].name 'JS-212 for injection' = code 'JS212' (normalised)
    1 linked, 0 ambiguous, 0 unmatched
    >>> [t.title for t in report.portfolio["JS212"].trials][-1]
    'A study'
    """

    document_name: ClassVar[str] = "link"

    portfolio: Portfolio = attrs.field(metadata={"document": False})
    links: tuple[Link, ...]
    ambiguous: tuple[Ambiguous, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def summary(self) -> str:
        """One line: how many trials were linked, ambiguous and unmatched."""
        return f"{len(self.links)} linked, {len(self.ambiguous)} ambiguous, {len(self.unmatched)} unmatched"

    def _text(self) -> str:
        lines = [f"linked {x}" for x in self.links]
        lines += [f"ambiguous {x}" for x in self.ambiguous]
        lines += [f"unmatched {x}" for x in self.unmatched]
        return "\n".join([*lines, self.summary])

    def _markdown(self) -> str:
        lines = ["| trial | outcome | asset | evidence |", "| --- | --- | --- | --- |"]
        for x in self.links:
            lines.append(f"| {markdown_cell(x.trial)} | linked | {markdown_cell(x.asset)} | {_cell(x.evidence)} |")
        for a in self.ambiguous:
            lines += [
                f"| {markdown_cell(a.trial)} | ambiguous | {markdown_cell(c.asset)} | {_cell(c.evidence)} |"
                for c in a.candidates
            ]
        for u in self.unmatched:
            names = markdown_cell(", ".join(u.names))
            lines.append(f"| {markdown_cell(u.trial)} | unmatched | | names: {names} |")
        return "\n".join(lines)


def _cell(evidence: tuple[Evidence, ...]) -> str:
    return markdown_cell("; ".join(str(e) for e in evidence))


# -- linking ----------------------------------------------------------------------------------------

_Named = tuple[str, str, str]  # asset code, asset field, asset name


def _index(assets: Iterable[Asset]) -> dict[tuple[MatchKind, str], list[_Named]]:
    """Every asset name under each of its forms."""
    index: dict[tuple[MatchKind, str], list[_Named]] = {}
    for asset in assets:
        named = [("code", asset.code)] + [(f"aliases[{i}]", a.name) for i, a in enumerate(asset.aliases)]
        for field, name in named:
            for how, form in _forms(name):
                if form:
                    index.setdefault((how, form), []).append((asset.code, field, name))
    return index


def _candidates(trial: Trial, index: dict[tuple[MatchKind, str], list[_Named]]) -> dict[str, list[Evidence]]:
    """The assets the trial's names match, each with its evidence: every name at the strongest form it matches."""
    found: dict[str, list[Evidence]] = {}
    for field, name in _trial_names(trial):
        for how, form in _forms(name):
            hits = index.get((how, form), []) if form else []
            for code, asset_field, asset_name in hits:
                evidence = Evidence(field=field, name=name, asset_field=asset_field, asset_name=asset_name, how=how)
                found.setdefault(code, []).append(evidence)
            if hits:
                break
    return found


def link(portfolio: Portfolio, trials: Iterable[Trial] = ()) -> LinkReport:
    """Link registry trials to the assets of *portfolio* by the names they give; report every outcome.

    The trials linked are the portfolio's registry trials (``Portfolio.trials``)
    and then *trials*; among them, the last of a key wins. A trial's names are
    its interventions' names and other names (each drug of a combination such
    as ``A + B`` and a name in brackets count on their own) and the research
    codes in its title, official title and acronym (``JS212``,
    ``JAB-21822``). Each is compared with every asset's code and alias names:
    exactly, then normalised (`normalise_name`), then with INN biosimilar
    suffixes stripped; a name counts at the strongest form it matches.

    A trial whose names match exactly one asset is linked to it: it is added
    to the asset by `biopipe.Asset.with_trials` (the same key replaces, new
    trials go last), leaves the registry trials, and the report gives the link
    with its `Evidence`. A trial matching two or more assets is `Ambiguous` and
    one matching none `Unmatched`: neither is linked, and neither is guessed;
    both stay (or are added) as registry trials, by the same rule.

    Linking is idempotent: linking the result again, with the same trials or
    none, changes nothing.

    >>> import biopipe
    >>> from biopipe import Intervention, Trial, TrialStatus
    >>> from biopipe.curate import link
    >>> js212 = biopipe.example("js212")
    >>> trials = [Trial(title="JS-212 in solid tumours", status=TrialStatus.RECRUITING),
    ...           Trial(title="Another drug", status=TrialStatus.COMPLETED,
    ...                 interventions=(Intervention(name="Dupilumab", other_names=("REGN668",)),))]
    >>> report = link(biopipe.Portfolio(assets=(js212,)), trials)
    >>> for line in report.render().splitlines():
    ...     print(line)
    linked JS-212 in solid tumours -> JS212: title 'JS-212' = code 'JS212' (normalised)
    unmatched Another drug: no asset named 'Dupilumab', 'REGN668'
    1 linked, 0 ambiguous, 1 unmatched
    >>> [t.title for t in report.portfolio.trials]
    ['Another drug']
    """
    index = _index(portfolio.assets)
    by_key: dict[str, Trial] = {}
    for trial in (*portfolio.trials, *trials):
        by_key[trial.key] = trial
    attached: dict[str, list[Trial]] = {}
    links: list[Link] = []
    ambiguous: list[Ambiguous] = []
    unmatched: list[Unmatched] = []
    for key, trial in by_key.items():
        found = _candidates(trial, index)
        if len(found) == 1:
            [(code, evidence)] = found.items()
            links.append(Link(trial=key, asset=code, evidence=tuple(evidence)))
            attached.setdefault(code, []).append(trial)
        elif found:
            candidates = tuple(Link(trial=key, asset=c, evidence=tuple(e)) for c, e in found.items())
            ambiguous.append(Ambiguous(trial=key, candidates=candidates))
        else:
            names = tuple(dict.fromkeys(name for _, name in _trial_names(trial)))
            unmatched.append(Unmatched(trial=key, names=names))
    assets = tuple(a.with_trials(attached.get(a.code, ())) for a in portfolio.assets)
    linked_keys = {x.trial for x in links}
    registry = with_trials(
        tuple(t for t in portfolio.trials if t.key not in linked_keys),
        (t for key, t in by_key.items() if key not in linked_keys),
    )
    if assets == portfolio.assets and registry == portfolio.trials:
        result = portfolio
    else:
        result = attrs.evolve(portfolio, assets=assets, trials=registry)
    return LinkReport(portfolio=result, links=tuple(links), ambiguous=tuple(ambiguous), unmatched=tuple(unmatched))
