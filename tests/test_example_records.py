"""The example records beside JS212: each loads, is canonical, checks clean, cites its sources,
and writes each fact of issue 9's "Why" as one fact that the queries answer right."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Actor,
    Agency,
    Designation,
    EventKind,
    PartyRole,
    Pathway,
    RegulatoryState,
    ReviewType,
)
from biopipe.cli import main
from biopipe.query import has_party, rights_holders, select, status_matrix
from biopipe.review import Severity, check

NEW = ("amivantamab", "izalontamab_brengitecan", "patritumab_deruxtecan")


def _one(events: tuple[biopipe.RegulatoryEvent, ...]) -> biopipe.RegulatoryEvent:
    assert len(events) == 1, events
    return events[0]


def test_the_examples_are_listed() -> None:
    assert set(NEW) | {"js212"} == set(biopipe.example_names())


@pytest.mark.parametrize("name", NEW)
def test_record_is_canonical(name: str) -> None:
    assert biopipe.dumps(biopipe.example(name)) == biopipe.document.example_text(name)


@pytest.mark.parametrize("name", NEW)
def test_record_checks_without_errors(name: str) -> None:
    report = check(biopipe.example(name))
    assert report.errors == ()
    # the only finding: the EC conditional authorisation of amivantamab has no MAA submission on record
    # (no source with its date was found); it is an informational finding, not an error
    assert [f.code for f in report] == (["decision-without-filing"] if name == "amivantamab" else [])
    assert all(f.severity is Severity.INFO for f in report)


@pytest.mark.parametrize("name", NEW)
def test_every_fact_cites_a_source_with_a_url(name: str) -> None:
    asset = biopipe.example(name)
    cited: list[tuple[object, tuple[biopipe.Source, ...]]] = [
        *((e, e.sources) for e in asset.events),
        *((p, p.sources) for p in asset.parties),
        *((d, d.sources) for d in asset.deals),
        *((a, a.sources) for a in asset.applications),
    ]
    assert cited
    for fact, sources in cited:
        assert sources, fact
        assert all(s.url and s.url.startswith(("http://", "https://")) for s in sources), fact
    assert any(s.published is not None for _, sources in cited for s in sources)


@pytest.mark.parametrize("name", NEW)
def test_no_fact_is_bent_into_a_designation(name: str) -> None:
    """Priority review and accelerated approval are facts of an application, never designation events."""
    bent = {Designation.PRIORITY_REVIEW, Designation.ACCELERATED_APPROVAL, Designation.CONDITIONAL_APPROVAL}
    assert not [e for e in biopipe.example(name).events if e.designation in bent]


@pytest.mark.parametrize("name", NEW)
def test_every_application_event_names_a_known_application(name: str) -> None:
    asset = biopipe.example(name)
    tracked = [e for e in asset.events if e.kind is not EventKind.DESIGNATION_GRANTED]
    assert tracked
    assert all(e.application is not None and asset.application(e.application) for e in tracked)


# --- patritumab deruxtecan: priority review, complete response, withdrawal by the sponsor, co-development


def test_priority_review_acceptance_is_one_event() -> None:
    her3 = biopipe.example("patritumab_deruxtecan")
    accepted = _one(tuple(e for e in her3.events if e.kind is EventKind.MARKETING_ACCEPTED))
    assert accepted.review is ReviewType.PRIORITY
    assert str(accepted.goal_date) == "2024-06-26"
    assert str(accepted.date) == "on or before 2023-12-22"
    assert str(accepted.public_on) == "2023-12-22"
    assert accepted.application == "US BLA"
    bla = her3.application("US BLA")
    assert bla is not None
    assert bla.kind is biopipe.ApplicationType.BLA


def test_complete_response_and_sponsor_withdrawal_close_the_bla() -> None:
    her3 = biopipe.example("patritumab_deruxtecan")
    lifecycle = her3.lifecycle("US BLA")
    assert [e.kind for e in lifecycle] == [
        EventKind.MARKETING_ACCEPTED,
        EventKind.COMPLETE_RESPONSE,
        EventKind.MARKETING_WITHDRAWN,
    ]
    withdrawn = _one(tuple(e for e in lifecycle if e.kind is EventKind.MARKETING_WITHDRAWN))
    assert withdrawn.by is Actor.SPONSOR
    # known on each day (only facts public by then), the answers are certain
    states = {
        day: biopipe.state_as_of(her3, "US", day, known_on=day) for day in ("2023-06-01", "2024-03-01", "2024-09-01")
    }
    assert {d: a.state for d, a in states.items()} == {
        "2023-06-01": RegulatoryState.NOTHING_ON_RECORD,
        "2024-03-01": RegulatoryState.MARKETING_PENDING,
        "2024-09-01": RegulatoryState.COMPLETE_RESPONSE,
    }
    assert all(a.certain for a in states.values())
    # in valid time the withdrawal, announced on 2025-05-29, may already have happened after the CRL
    after_crl = biopipe.state_as_of(her3, "US", "2024-09-01")
    assert after_crl.possible == (RegulatoryState.COMPLETE_RESPONSE, RegulatoryState.MARKETING_WITHDRAWN)
    after = biopipe.state_as_of(her3, "US", "2025-06-01")
    assert (after.state, after.certain, after.by, after.qualified) == (
        RegulatoryState.MARKETING_WITHDRAWN,
        True,
        Actor.SPONSOR,
        "marketing withdrawn (by sponsor)",
    )


def test_announced_acceptance_is_uncertain_in_valid_time_but_unknown_on_the_day_before() -> None:
    her3 = biopipe.example("patritumab_deruxtecan")
    valid = biopipe.state_as_of(her3, "US", "2023-12-21")
    assert not valid.certain
    assert {RegulatoryState.NOTHING_ON_RECORD, RegulatoryState.MARKETING_PENDING} <= set(valid.possible)
    known = biopipe.state_as_of(her3, "US", "2023-12-21", known_on="2023-12-21")
    assert (known.state, known.certain, known.designations) == (RegulatoryState.NOTHING_ON_RECORD, True, ())
    assert biopipe.state_as_of(her3, "US", "2023-12-22", known_on="2023-12-22").state is (
        RegulatoryState.MARKETING_PENDING
    )


def test_priority_review_pending_with_the_breakthrough_designation() -> None:
    her3 = biopipe.example("patritumab_deruxtecan")
    answer = biopipe.state_as_of(her3, "US", "2024-03-01", known_on="2024-03-01")
    assert (answer.qualified, answer.review, answer.certain) == (
        "marketing pending (priority review)",
        ReviewType.PRIORITY,
        True,
    )
    assert [(d.agency, d.designation, str(d.granted)) for d in answer.designations] == [
        (Agency.FDA, Designation.BREAKTHROUGH_THERAPY, "2021-12")
    ]


def test_withdrawal_cannot_precede_the_complete_response_it_followed() -> None:
    """The withdrawal, announced 2025-05-29, came after the CRL of 2024-06-26 on the same BLA (still open then)."""
    her3 = biopipe.example("patritumab_deruxtecan")
    answer = biopipe.state_as_of(her3, "US", "2024-03-01")
    assert (answer.certain, answer.state) == (True, RegulatoryState.MARKETING_PENDING)


def test_has_party_selects_the_co_developer() -> None:
    examples = [biopipe.example(n) for n in biopipe.example_names()]
    assert [a.code for a in select(examples, has_party("merck & co."))] == ["HER3-DXd"]
    assert [a.code for a in select(examples, has_party("Merck & Co.", PartyRole.CO_DEVELOPER))] == ["HER3-DXd"]
    assert select(examples, has_party("Merck")) == ()  # the whole name, not a part of it
    assert [a.code for a in select(examples, has_party("Bristol Myers Squibb", "licensee"))] == ["BL-B01D1"]


def test_co_development_deal_with_upfront_and_total() -> None:
    her3 = biopipe.example("patritumab_deruxtecan")
    deal = _one_deal(her3)
    assert deal.kind is biopipe.DealKind.CO_DEVELOPMENT
    assert (deal.upfront, deal.total) == (
        biopipe.Money(amount=4_000_000_000, currency="USD"),
        biopipe.Money(amount=22_000_000_000, currency="USD"),
    )
    assert str(deal.territory) == "worldwide except JP"
    merck = [p for p in her3.parties if p.name == "Merck & Co." and p.role is PartyRole.CO_DEVELOPER]
    assert [p.holds_rights_in("US", "2024-01-15") for p in merck] == [True]
    assert [p.holds_rights_in("JP", "2024-01-15") for p in merck] == [False]
    assert [p.holds_rights_in("US", "2023-06-01") for p in merck] == [False]


def _one_deal(asset: biopipe.Asset) -> biopipe.Deal:
    assert len(asset.deals) == 1
    return asset.deals[0]


# --- amivantamab: accelerated approval, its conversion, a conditional marketing authorisation


def test_accelerated_approval_is_one_approval_event() -> None:
    ami = biopipe.example("amivantamab")
    approvals = tuple(e for e in ami.lifecycle("US BLA") if e.kind is EventKind.MARKETING_APPROVED)
    approval = _one(approvals)
    assert approval.pathway is Pathway.ACCELERATED
    assert str(approval.date) == "2021-05-21"
    answer = biopipe.state_as_of(ami, "US", "2021-07-01")
    assert (answer.state, answer.pathway, answer.qualified) == (
        RegulatoryState.APPROVED,
        Pathway.ACCELERATED,
        "approved (accelerated)",
    )


def test_conversion_to_traditional_approval_is_one_event() -> None:
    ami = biopipe.example("amivantamab")
    converted = _one(tuple(e for e in ami.events if e.kind is EventKind.APPROVAL_CONVERTED))
    assert (converted.application, converted.pathway, str(converted.date)) == (
        "US BLA",
        Pathway.TRADITIONAL,
        "2024-03-01",
    )
    before = biopipe.state_as_of(ami, "US", "2024-02-29")
    after = biopipe.state_as_of(ami, "US", "2024-03-01")
    assert (before.qualified, after.qualified) == ("approved (accelerated)", "approved (traditional)")
    assert [(a.application, a.pathway) for a in after.applications] == [
        ("US BLA", Pathway.TRADITIONAL),
        ("US sBLA first line", Pathway.TRADITIONAL),
    ]
    # reported on 2024-03-02: known on the day of the conversion, the approval still reads accelerated
    assert biopipe.state_as_of(ami, "US", "2024-03-01", known_on="2024-03-01").pathway is Pathway.ACCELERATED


def test_priority_review_rides_on_the_submission() -> None:
    ami = biopipe.example("amivantamab")
    submitted = _one(tuple(e for e in ami.events if e.kind is EventKind.MARKETING_SUBMITTED))
    assert submitted.review is ReviewType.PRIORITY
    answer = biopipe.state_as_of(ami, "US", "2021-03-01")
    assert (answer.state, answer.review, answer.qualified) == (
        RegulatoryState.MARKETING_PENDING,
        ReviewType.PRIORITY,
        "marketing pending (priority review)",
    )
    assert [(d.agency, d.designation, str(d.granted)) for d in answer.designations] == [
        (Agency.FDA, Designation.BREAKTHROUGH_THERAPY, "2020-03")
    ]


def test_what_an_analyst_could_say_the_day_before_the_approval() -> None:
    ami = biopipe.example("amivantamab")
    answer = biopipe.state_as_of(ami, "US", "2021-05-20", known_on="2021-05-20")
    assert (answer.qualified, answer.certain) == ("marketing pending (priority review)", True)
    # the approval of 2021-05-21 was public from the reports of 2021-05-24
    assert [biopipe.state_as_of(ami, "US", "2021-05-21", known_on=k).state for k in ("2021-05-23", "2021-05-24")] == [
        RegulatoryState.MARKETING_PENDING,
        RegulatoryState.APPROVED,
    ]
    # the designation's only source is the BLA release of 2020-12-03
    early = biopipe.state_as_of(ami, "US", "2020-06-01", known_on="2020-06-01")
    assert (early.state, early.designations) == (RegulatoryState.NOTHING_ON_RECORD, ())


def test_conditional_marketing_authorisation() -> None:
    ami = biopipe.example("amivantamab")
    eu = _one(ami.lifecycle("EU MAA"))
    assert (eu.agency, eu.kind, eu.pathway) == (Agency.EC, EventKind.MARKETING_APPROVED, Pathway.CONDITIONAL)
    answer = biopipe.state_as_of(ami, "EU", "2022-03-01")
    assert (answer.state, answer.qualified) == (RegulatoryState.APPROVED, "approved (conditional)")
    # the record's source for it is of 2023-10-06
    assert [biopipe.state_as_of(ami, "EU", "2022-03-01", known_on=k).state for k in ("2023-10-05", "2023-10-06")] == [
        RegulatoryState.NOTHING_ON_RECORD,
        RegulatoryState.APPROVED,
    ]


# --- izalontamab brengitecan: a licence with territories, NMPA breakthrough designations and applications


def test_licence_with_territory_worldwide_except_china() -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    deal = _one_deal(iza)
    assert deal.kind is biopipe.DealKind.LICENSE
    assert str(deal.territory) == "worldwide except CN"
    assert (deal.upfront, deal.total) == (
        biopipe.Money(amount=800_000_000, currency="USD"),
        biopipe.Money(amount=8_400_000_000, currency="USD"),
    )


@pytest.mark.parametrize(
    ("country", "holders"),
    [
        ("DE", ["Bristol Myers Squibb"]),
        ("JP", ["Bristol Myers Squibb"]),
        ("CN", ["Sichuan Biokin Pharmaceutical"]),
        ("US", ["SystImmune", "SystImmune", "Bristol Myers Squibb", "Bristol Myers Squibb"]),
    ],
)
def test_who_holds_the_rights_where(country: str, holders: list[str]) -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    assert [p.name for p in iza.parties if p.holds_rights_in(country, "2024-06-01")] == holders
    before = [p.name for p in iza.parties if p.holds_rights_in(country, "2023-06-01")]
    assert before == ["Sichuan Biokin Pharmaceutical"]


@given(
    day=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)),
    country=st.sampled_from(["CN", "DE", "JP", "GB", "BR", "FR", "KR"]),
)
def test_exclusive_rights_outside_the_us_are_held_by_at_most_one_party(day: dt.date, country: str) -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    answers = [p.holds_rights_in(country, day) for p in iza.parties]
    assert answers.count(True) <= 1
    if True not in answers:  # only in December 2023, when the hand-over day is not known
        assert (day.year, day.month) == (2023, 12)
        assert None in answers


def test_nmpa_breakthrough_designations_and_priority_review_applications() -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    btd = [e for e in iza.events if e.designation is Designation.BREAKTHROUGH_THERAPY]
    assert [e.agency for e in btd].count(Agency.NMPA) == 4
    assert all(e.designation is not None and e.designation.granted_by(e.agency) for e in btd)
    accepted = [e for e in iza.events if e.kind is EventKind.MARKETING_ACCEPTED]
    assert [(e.application, e.review) for e in accepted] == [
        ("CN NDA nasopharyngeal carcinoma", ReviewType.PRIORITY),
        ("CN NDA esophageal squamous cell carcinoma", ReviewType.PRIORITY),
    ]
    applications = [iza.application(e.application or "") for e in accepted]
    assert all(a is not None and a.kind is biopipe.ApplicationType.NMPA_MARKETING for a in applications)
    # the ESCC acceptance, announced 2026-01-20 with no filing on record, may already have happened by June 2025
    june = biopipe.state_as_of(iza, "CN", "2025-06-01")
    assert (june.state, june.possible) == (
        RegulatoryState.NOTHING_ON_RECORD,
        (RegulatoryState.NOTHING_ON_RECORD, RegulatoryState.MARKETING_PENDING),
    )
    december = biopipe.state_as_of(iza, "CN", "2025-12-15")
    assert (december.qualified, december.certain) == ("marketing pending (priority review)", True)


def test_four_nmpa_breakthrough_designations_in_effect() -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    june = biopipe.state_as_of(iza, "CN", "2025-06-01")
    assert [(d.agency, d.designation, d.indication, str(d.granted)) for d in june.designations] == [
        (Agency.NMPA, Designation.BREAKTHROUGH_THERAPY, "nasopharyngeal carcinoma", "2024-04"),
        (
            Agency.NMPA,
            Designation.BREAKTHROUGH_THERAPY,
            "EGFR-mutated non-squamous non-small cell lung cancer",
            "2024-09",
        ),
        (Agency.NMPA, Designation.BREAKTHROUGH_THERAPY, "EGFR wild-type non-small cell lung cancer", "2024-09"),
        (Agency.NMPA, Designation.BREAKTHROUGH_THERAPY, "esophageal squamous cell carcinoma", "2024-10"),
    ]
    us = biopipe.state_as_of(iza, "US", "2025-09-01")
    assert us.state is RegulatoryState.NOTHING_ON_RECORD  # the record holds no US IND
    assert [(d.agency, d.designation) for d in us.designations] == [(Agency.FDA, Designation.BREAKTHROUGH_THERAPY)]
    assert biopipe.state_as_of(iza, "US", "2025-08-01").designations == ()


def test_whole_asset_answer_cites_both_priority_review_applications() -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    answer = biopipe.state_as_of(iza, "CN", "2026-02-01")
    assert [(a.application, a.state, a.review) for a in answer.applications] == [
        ("CN NDA nasopharyngeal carcinoma", RegulatoryState.MARKETING_PENDING, ReviewType.PRIORITY),
        ("CN NDA esophageal squamous cell carcinoma", RegulatoryState.MARKETING_PENDING, ReviewType.PRIORITY),
    ]
    assert [e.application for e in answer.events] == [a.application for a in answer.applications]
    assert (answer.qualified, answer.certain) == ("marketing pending (priority review)", True)


def test_iza_known_on_leaves_out_the_facts_with_no_publication_date() -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    for day in ("2025-11-15", "2025-12-15"):
        known = biopipe.state_as_of(iza, "CN", day, known_on=day)
        assert (known.state, known.certain, known.unpublished) == (RegulatoryState.NOTHING_ON_RECORD, True, 5)
    later = biopipe.state_as_of(iza, "CN", "2026-02-01", known_on="2026-02-01")
    assert [a.application for a in later.applications] == ["CN NDA esophageal squamous cell carcinoma"]
    assert later.qualified == "marketing pending (priority review)"


@pytest.mark.parametrize(
    ("country", "holders"),
    [
        ("US", ["SystImmune", "SystImmune", "Bristol Myers Squibb", "Bristol Myers Squibb"]),
        ("CN", ["Sichuan Biokin Pharmaceutical"]),
        ("DE", ["Bristol Myers Squibb"]),
    ],
)
def test_rights_holders_by_country(country: str, holders: list[str]) -> None:
    iza = biopipe.example("izalontamab_brengitecan")
    answer = rights_holders(iza, country, "2024-06-01")
    assert ([p.name for p in answer.holders], answer.certain) == (holders, True)
    assert [p.name for p in rights_holders(iza, country, "2023-06-01").holders] == ["Sichuan Biokin Pharmaceutical"]
    december = rights_holders(iza, country, "2023-12-20")
    assert (december.holders, december.certain) == ((), False)
    assert "Sichuan Biokin Pharmaceutical" in [p.name for p in december.possible]
    # every party is on record from the announcement of 2023-12-11
    assert rights_holders(iza, country, "2023-06-01", known_on="2023-06-01").holders == ()


@pytest.mark.parametrize(
    ("name", "term", "found"),
    [
        ("izalontamab_brengitecan", "NPC", ["nasopharyngeal carcinoma"]),
        ("izalontamab_brengitecan", "mesh:d000077274", ["nasopharyngeal carcinoma"]),
        ("izalontamab_brengitecan", "oesophageal squamous cell carcinoma", ["esophageal squamous cell carcinoma"]),
        ("patritumab_deruxtecan", "EGFRm NSCLC", ["EGFR-mutated non-small cell lung cancer"]),
        ("amivantamab", "MESH:D002289", ["NSCLC with EGFR exon 20 insertion mutations"]),
    ],
)
def test_indications_match_by_synonym_and_identifier(name: str, term: str, found: list[str]) -> None:
    assert [i.name for i in biopipe.example(name).indications_named(term)] == found


# --- the status matrix of each record, on the command line


@pytest.mark.parametrize(
    ("name", "as_of", "known_on", "rows"),
    [
        (
            "amivantamab",
            "2024-06-01",
            None,
            [
                ("NSCLC with EGFR exon 20 insertion mutations", "EU", "approved (conditional)", "yes"),
                ("NSCLC with EGFR exon 20 insertion mutations", "US", "approved (traditional)", "yes"),
            ],
        ),
        (
            "amivantamab",
            "2021-07-01",
            None,
            [
                ("NSCLC with EGFR exon 20 insertion mutations", "EU", "nothing on record", "yes"),
                ("NSCLC with EGFR exon 20 insertion mutations", "US", "approved (accelerated)", "yes"),
            ],
        ),
        (
            "patritumab_deruxtecan",
            "2025-06-01",
            None,
            [("EGFR-mutated non-small cell lung cancer", "US", "marketing withdrawn (by sponsor)", "yes")],
        ),
        (
            "patritumab_deruxtecan",
            "2024-03-01",
            "2024-03-01",
            [("EGFR-mutated non-small cell lung cancer", "US", "marketing pending (priority review)", "yes")],
        ),
        (
            "izalontamab_brengitecan",
            "2026-02-01",
            None,
            [
                ("nasopharyngeal carcinoma", "CN", "marketing pending (priority review)", "yes"),
                ("nasopharyngeal carcinoma", "US", "nothing on record", "yes"),
                ("esophageal squamous cell carcinoma", "CN", "marketing pending (priority review)", "yes"),
                ("esophageal squamous cell carcinoma", "US", "nothing on record", "yes"),
                ("non-small cell lung cancer", "CN", "nothing on record", "yes"),
                ("non-small cell lung cancer", "US", "nothing on record", "yes"),
            ],
        ),
    ],
)
def test_matrix_on_the_command_line(
    name: str, as_of: str, known_on: str | None, rows: list[tuple[str, ...]], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["matrix", "--example", name, "--as-of", as_of, "--format", "csv"]
    assert main([*args, *(["--known-on", known_on] if known_on else [])]) == 0
    lines = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    asset = biopipe.example(name)
    names = {i.name for i in asset.indications}
    found = [(r["indication"], r["jurisdiction"], r["state"], r["certain"]) for r in lines if r["indication"] in names]
    assert found == rows
    assert {r["asset"] for r in lines} == {asset.code}


@pytest.mark.parametrize("name", NEW)
def test_every_matrix_row_with_one_possible_state_is_certain(name: str) -> None:
    rows = status_matrix(biopipe.example(name), "2026-02-01").rows
    assert all(r.certain for r in rows if len(r.possible) == 1)
