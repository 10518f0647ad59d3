"""Linking registry trials to assets: by normalised names, with evidence; ambiguous and unmatched never guessed."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import Alias, AliasKind, Asset, Intervention, Modality, Portfolio, Target, Trial, TrialStatus
from biopipe.cli import main
from biopipe.curate import LinkReport, MatchKind, link, normalise_name
from biopipe.interop.ctgov import from_ctgov
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from pathlib import Path

JS212 = biopipe.example("js212")
#: A second asset, known by an INN and a brand as well as its code.
JS001 = Asset(
    code="JS001",
    sponsor="Junshi Biosciences",
    modality=Modality.MONOCLONAL_ANTIBODY,
    aliases=(Alias(name="toripalimab", kind=AliasKind.INN), Alias(name="Tuoyi", kind=AliasKind.BRAND)),
    targets=(Target(symbol="PDCD1"),),
)
PORTFOLIO = Portfolio(assets=(JS212, JS001))


def _study(nct: str, title: str, *interventions: tuple[str, list[str]]) -> dict[str, Any]:
    """A ClinicalTrials.gov API v2 study record with these interventions (name, other names)."""
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": title},
            "statusModule": {"overallStatus": "RECRUITING"},
            "armsInterventionsModule": {
                "interventions": [
                    {"type": "BIOLOGICAL", "name": name, **({"otherNames": other} if other else {})}
                    for name, other in interventions
                ]
            },
        }
    }


#: Imported records naming the example assets by their code names, written as registrants write them.
STUDIES = [
    _study("NCT09000001", "First-in-human study of an EGFR/HER3 bispecific ADC", ("JS-212", [])),
    _study("NCT09000002", "Expansion cohorts in solid tumours", ("Study drug", ["js 212"]), ("Placebo", [])),
    _study("NCT09000003", "Adjuvant anti-PD-1 therapy", ("Toripalimab Injection", ["JS-001"])),
    _study("NCT09000004", "Combination cohorts", ("JS-212 + toripalimab", [])),
]


def _imported(refdata: Path) -> list[Trial]:
    """The records above, then every real record of the shared reference data, imported from ClinicalTrials.gov."""
    records = [*STUDIES, *(json.loads(p.read_text("utf-8")) for p in sorted((refdata / "ctgov").glob("*.json")))]
    return [from_ctgov(record).trial for record in records]


def test_imported_trials_link_by_code_names_and_the_rest_are_unmatched(refdata: Path) -> None:
    """Must show: the trials naming JS212 and JS001 link, the one naming both is ambiguous, the real ones unmatched."""
    trials = _imported(refdata)
    real = sorted(p.stem for p in (refdata / "ctgov").glob("*.json"))
    assert len(real) == 14

    report = link(PORTFOLIO, trials)

    assert [(x.trial, x.asset, [(e.field, e.name, e.asset_field, e.asset_name, e.how) for e in x.evidence])
            for x in report.links] == [
        ("NCT09000001", "JS212", [("interventions[0].name", "JS-212", "code", "JS212", MatchKind.NORMALISED)]),
        ("NCT09000002", "JS212",
         [("interventions[0].other_names[0]", "js 212", "code", "JS212", MatchKind.NORMALISED)]),
        ("NCT09000003", "JS001",
         [("interventions[0].name", "Toripalimab Injection", "aliases[0]", "toripalimab", MatchKind.NORMALISED),
          ("interventions[0].other_names[0]", "JS-001", "code", "JS001", MatchKind.NORMALISED)]),
    ]  # fmt: skip
    [ambiguous] = report.ambiguous
    assert ambiguous.trial == "NCT09000004"
    assert [(c.asset, [e.name for e in c.evidence]) for c in ambiguous.candidates] == [
        ("JS212", ["JS-212"]),
        ("JS001", ["toripalimab"]),
    ]
    assert sorted(u.trial for u in report.unmatched) == real
    dupilumab = next(u for u in report.unmatched if u.trial == "NCT02210780")
    assert dupilumab.names == ("Dupilumab", "REGN668", "SAR231893", "Dupixent", "Placebo")

    # The linked trials are on their assets, after the ones already there; nothing else is.
    linked = report.portfolio
    assert [t.key for t in linked["JS212"].trials] == [*(t.key for t in JS212.trials), "NCT09000001", "NCT09000002"]
    assert [t.key for t in linked["JS001"].trials] == ["NCT09000003"]
    assert linked["JS212"].trials[2] == trials[0]
    # The ambiguous and the unmatched trials stay registry trials, in reading order.
    assert [t.key for t in linked.trials] == ["NCT09000004", *(t.key for t in trials[4:])]
    assert report.render().splitlines()[-1] == "3 linked, 1 ambiguous, 14 unmatched"

    # The same trials held as the portfolio's registry trials (an import without an asset) link the same way.
    registry = link(Portfolio(assets=PORTFOLIO.assets, trials=tuple(trials)))
    assert registry == report
    # And the result round-trips through the JSON format (version 2: it has registry trials).
    assert biopipe.loads(biopipe.dumps(linked)) == linked


def test_the_report_renders_as_text_markdown_and_json() -> None:
    trials = [from_ctgov(s).trial for s in STUDIES]
    report = link(PORTFOLIO, trials)
    text = report.render()
    assert "linked NCT09000001 -> JS212: interventions[0].name 'JS-212' = code 'JS212' (normalised)" in text
    assert "ambiguous NCT09000004 matches 2 assets: JS212 (" in text
    markdown = report.render("markdown").splitlines()
    assert markdown[0] == "| trial | outcome | asset | evidence |"
    assert "| NCT09000004 | ambiguous | JS001 |" in markdown[-1]
    doc = json.loads(report.render("json"))
    assert doc["format"] == "biopipe-link"
    assert "portfolio" not in doc
    assert doc["links"][0] == {
        "trial": "NCT09000001",
        "asset": "JS212",
        "evidence": [
            {"field": "interventions[0].name", "name": "JS-212", "asset_field": "code", "asset_name": "JS212",
             "how": "normalised"}
        ],
    }  # fmt: skip
    assert doc["ambiguous"][0]["trial"] == "NCT09000004"
    assert doc["unmatched"] == []


def _trial(title: str, *names: str, other: tuple[str, ...] = ()) -> Trial:
    interventions = tuple(Intervention(name=n) for n in names)
    if other:
        interventions += (Intervention(name="study drug", other_names=other),)
    return Trial(title=title, status=TrialStatus.RECRUITING, interventions=interventions)


@pytest.mark.parametrize(
    ("name", "asset_name", "how"),
    [
        ("JS212", "JS212", MatchKind.EXACT),
        ("js_212", "JS212", MatchKind.NORMALISED),
        ("JS212 for injection 3 mg/kg", "JS212", MatchKind.NORMALISED),
        ("TNF-\N{GREEK SMALL LETTER ALPHA} inhibitor XY-1", "TNF alpha inhibitor XY1", MatchKind.NORMALISED),
        ("\N{GREEK CAPITAL LETTER BETA}-blocker 7", "beta blocker 7", MatchKind.NORMALISED),
        ("Tuoyi®", "Tuoyi", MatchKind.NORMALISED),
        ("trastuzumab-dkst", "Trastuzumab", MatchKind.SUFFIX_STRIPPED),
        ("Trastuzumab", "trastuzumab-anns", MatchKind.SUFFIX_STRIPPED),
    ],
)
def test_each_way_a_name_matches(name: str, asset_name: str, how: MatchKind) -> None:
    asset = Asset(
        code="X1", sponsor="Acme", modality=Modality.OTHER, aliases=(Alias(name=asset_name, kind=AliasKind.OTHER),)
    )
    report = link(Portfolio(assets=(asset,)), [_trial("t", name)])
    [linked] = report.links
    assert [(e.name, e.asset_name, e.how) for e in linked.evidence] == [(name, asset_name, how)]


@pytest.mark.parametrize(
    "name",
    [
        "JS2120",  # another code
        "SC-212",  # a code with a formulation-like prefix is not the formulation word
        "trastuzumab deruxtecan",  # another drug sharing a word
        "Injection",  # nothing left once the formulation word is dropped
        "212",
    ],
)
def test_names_that_must_not_match(name: str) -> None:
    assets = (
        Asset(code="JS212", sponsor="Acme", modality=Modality.OTHER),
        Asset(
            code="T1", sponsor="Acme", modality=Modality.OTHER, aliases=(Alias(name="trastuzumab", kind=AliasKind.INN),)
        ),
    )
    report = link(Portfolio(assets=assets), [_trial("Study", name)])
    assert report.links == ()
    assert report.ambiguous == ()


def test_an_exact_name_beats_a_suffix_stripped_one() -> None:
    """A biosimilar named exactly links to the biosimilar, not also to the originator its INN strips to."""
    originator = Asset(code="ORIG", sponsor="A", modality=Modality.MONOCLONAL_ANTIBODY,
                       aliases=(Alias(name="trastuzumab", kind=AliasKind.INN),))  # fmt: skip
    biosimilar = Asset(code="BIOS", sponsor="B", modality=Modality.MONOCLONAL_ANTIBODY,
                       aliases=(Alias(name="trastuzumab-dkst", kind=AliasKind.INN),))  # fmt: skip
    report = link(
        Portfolio(assets=(originator, biosimilar)), [_trial("a", "trastuzumab-dkst"), _trial("b", "trastuzumab-qyyp")]
    )
    assert [(x.trial, x.asset, x.evidence[0].how) for x in report.links] == [("a", "BIOS", MatchKind.EXACT)]
    # Another biosimilar strips to both: ambiguous, not guessed.
    [ambiguous] = report.ambiguous
    assert (ambiguous.trial, [c.asset for c in ambiguous.candidates]) == ("b", ["ORIG", "BIOS"])


def test_codes_in_titles_and_acronyms_count_but_protein_variants_do_not() -> None:
    trial = attrs.evolve(_trial("Phase 1 study of JS 212 in KRAS G12C tumours"), acronym="G12C-1")
    report = link(Portfolio(assets=(JS212,)), [trial])
    [linked] = report.links
    assert [(e.field, e.name) for e in linked.evidence] == [("title", "JS 212")]
    variant = Asset(code="G12C", sponsor="Acme", modality=Modality.OTHER)
    assert link(Portfolio(assets=(variant,)), [_trial("A study in KRAS G12C tumours")]).links == ()


def test_a_name_shared_by_two_assets_is_ambiguous() -> None:
    twin = Asset(
        code="JS212-B", sponsor="Acme", modality=Modality.OTHER, aliases=(Alias(name="JS 212", kind=AliasKind.CODE),)
    )
    report = link(Portfolio(assets=(JS212, twin)), [_trial("t", "JS-212")])
    assert report.links == ()
    assert [c.asset for c in report.ambiguous[0].candidates] == ["JS212", "JS212-B"]
    assert report.portfolio == Portfolio(assets=(JS212, twin), trials=(_trial("t", "JS-212"),))


def test_a_trial_already_on_the_asset_is_replaced_in_place() -> None:
    """The same key replaces (the rule of a ClinicalTrials.gov import); the last of a key among the trials wins."""
    first = attrs.evolve(JS212.trials[0], interventions=(Intervention(name="JS212"),), status=TrialStatus.COMPLETED)
    again = attrs.evolve(first, status=TrialStatus.TERMINATED)
    report = link(Portfolio(assets=(JS212,)), [first, again])
    trials = report.portfolio["JS212"].trials
    assert [t.key for t in trials] == [t.key for t in JS212.trials]
    assert trials[0].status is TrialStatus.TERMINATED
    assert len(report.links) == 1


# -- properties -------------------------------------------------------------------------------------

#: Names whose spellings stay apart: no two share a normalised form, none holds a dose or formulation word.
NAMES = ("JS212", "JS001", "AB123", "XY9", "toripalimab", "tislelizumab", "QL1706")


def _canonical(name: str) -> str:
    return re.sub(r"[\W_]", "", name).casefold()


@st.composite
def _spellings(draw: st.DrawFn, name: str) -> str:
    """*name* as a registrant might write it: any case, with spaces, hyphens or underscores between characters."""
    out = []
    for i, ch in enumerate(name):
        if i:
            out.append(draw(st.sampled_from(["", "", "", " ", "-", "_"])))
        out.append(ch.upper() if draw(st.booleans()) else ch.lower())
    return "".join(out)


@st.composite
def _portfolios(draw: st.DrawFn, registry: bool = True) -> Portfolio:
    codes = draw(st.lists(st.sampled_from(NAMES), max_size=4, unique=True))
    assets = []
    for code in codes:
        alias = draw(st.one_of(st.none(), st.sampled_from([n for n in NAMES if n != code])))
        aliases = () if alias is None else (Alias(name=alias, kind=AliasKind.OTHER),)
        assets.append(Asset(code=code, sponsor="Acme", modality=Modality.OTHER, aliases=aliases))
    trials = draw(_trials(first=100)) if registry else []
    return Portfolio(assets=tuple(assets), trials=tuple(trials))


@st.composite
def _trials(draw: st.DrawFn, first: int = 0) -> list[Trial]:
    trials = []
    for i in range(first, first + draw(st.integers(0, 5))):
        names = draw(st.lists(st.sampled_from(NAMES).flatmap(_spellings), max_size=3))
        status = draw(st.sampled_from(TrialStatus))
        interventions = tuple(Intervention(name=n) for n in names)
        trials.append(Trial(title=f"Trial number {i}", status=status, interventions=interventions))
    return trials


@given(_portfolios(), _trials())
def test_a_trial_links_to_exactly_the_asset_its_names_name(portfolio: Portfolio, trials: list[Trial]) -> None:
    """Against an independent oracle: one asset named -> linked; two or more -> ambiguous; none -> unmatched."""
    report = link(portfolio, trials)
    trials = [*portfolio.trials, *trials]
    outcome: dict[str, tuple[str, tuple[str, ...]]] = {x.trial: ("linked", (x.asset,)) for x in report.links}
    outcome |= {a.trial: ("ambiguous", tuple(sorted(c.asset for c in a.candidates))) for a in report.ambiguous}
    outcome |= {u.trial: ("unmatched", ()) for u in report.unmatched}
    for trial in trials:
        names = {_canonical(i.name) for i in trial.interventions}
        named = tuple(sorted(a.code for a in portfolio if names & {_canonical(n) for n in a.names}))
        expected = "linked" if len(named) == 1 else "ambiguous" if named else "unmatched"
        assert outcome[trial.key] == (expected, named if named else ())
        if expected == "linked":
            assert trial in portfolio[named[0]].trials or trial in report.portfolio[named[0]].trials


@given(_portfolios(), _trials())
def test_linking_is_idempotent(portfolio: Portfolio, trials: list[Trial]) -> None:
    """Linking the result again, with the same trials or with none, changes nothing; no trial is lost."""
    once = link(portfolio, trials)
    assert link(once.portfolio, trials).portfolio == once.portfolio
    assert link(once.portfolio).portfolio == once.portfolio
    held = [t.key for a in once.portfolio for t in a.trials] + [t.key for t in once.portfolio.trials]
    before = [t.key for a in portfolio for t in a.trials]
    assert sorted(held) == sorted([*before, *{t.key for t in (*portfolio.trials, *trials)}])


@settings(max_examples=max(10, settings().max_examples // 3))  # drawing portfolios is the slow part
@given(bst.portfolios(max_assets=2), st.lists(bst.trials(), max_size=3, unique_by=lambda t: t.key))
def test_never_links_a_trial_whose_names_match_no_asset_name(portfolio: Portfolio, trials: list[Trial]) -> None:
    """Whatever the names: each link's evidence pairs a name the trial gives with a name the asset has."""
    report = link(portfolio, trials)
    by_key = {t.key: t for t in trials}
    for linked in [*report.links, *(c for a in report.ambiguous for c in a.candidates)]:
        trial, asset = by_key[linked.trial], portfolio[linked.asset]
        assert linked.evidence
        for e in linked.evidence:
            assert e.asset_name in asset.names
            given_names = [i.name for i in trial.interventions] + [
                n for i in trial.interventions for n in i.other_names
            ]
            given_names += [t for t in (trial.title, trial.official_title, trial.acronym) if t is not None]
            assert any(e.name in n for n in given_names)
            strip = e.how is MatchKind.SUFFIX_STRIPPED
            assert normalise_name(e.name, strip_suffix=strip) == normalise_name(e.asset_name, strip_suffix=strip)
            assert normalise_name(e.name, strip_suffix=strip) != ""
    changed = {a.code for a in report.portfolio if a != portfolio[a.code]}
    assert changed == {x.asset for x in report.links}


def test_link_report_type() -> None:
    assert issubclass(LinkReport, biopipe.document.Result)


# -- the command line -------------------------------------------------------------------------------


def test_link_cli_writes_the_linked_document_and_the_report(
    refdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`biopipe link PORTFOLIO TRIALS -o OUT [--report REPORT]`: the same links as the library, exit 0."""
    trials = _imported(refdata)
    portfolio, registry, out, report = (tmp_path / n for n in ("p.json", "trials.json", "out.json", "r.json"))
    biopipe.dump(PORTFOLIO, portfolio)
    biopipe.dump(Portfolio(trials=tuple(trials)), registry)
    assert main(["link", str(portfolio), str(registry), "-o", str(out)]) == 0
    expected = link(PORTFOLIO, trials)
    assert capsys.readouterr().out == expected.render()
    assert biopipe.load(out) == expected.portfolio

    assert main(["link", str(out), "-o", str(out), "--report", str(report)]) == 0
    assert capsys.readouterr().out == ""
    doc = json.loads(report.read_text("utf-8"))
    assert (doc["format"], doc["links"]) == ("biopipe-link", [])  # linking again links nothing new
    assert len(doc["unmatched"]) == 14
    assert biopipe.load(out) == expected.portfolio


def test_link_cli_refuses_trials_documents_with_assets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    biopipe.dump(PORTFOLIO, path)
    assert main(["link", str(path), str(path), "-o", str(tmp_path / "out.json")]) == 2
    assert "holds assets" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()
