"""Catalysts: marketing-review clocks checked by hand, recorded goals, guidance, readouts, outputs, properties."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import cast

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import biopipe
from biopipe import (
    Agency,
    Application,
    ApplicationType,
    Asset,
    EventKind,
    FactDate,
    Modality,
    PartialDate,
    Portfolio,
    RegulatoryEvent,
    ReviewType,
    Source,
)
from biopipe.cli import main
from biopipe.document import dumps
from biopipe.review import (
    CLOCK_RULES,
    Catalyst,
    CatalystBasis,
    CatalystFormat,
    Catalysts,
    ClockCase,
    ClockRule,
    add_clock,
    catalysts,
    rule_in_effect,
)
from biopipe.testing import strategies as bst

pytest.importorskip("holidays", reason="the 'clocks' extra (holidays) is part of the test group")

D = dt.date
RULES = {r.code: r for r in CLOCK_RULES}
SOURCE = Source(title="Company press release", publisher="Acme", url="https://example.com/pr", published=None)


def _app(id: str, agency: Agency, kind: ApplicationType, note: str | None = None) -> Application:
    return Application(id=id, agency=agency, kind=kind, note=note)


def _event(
    agency: Agency,
    kind: EventKind,
    date: str,
    application: str | None = None,
    *,
    review: ReviewType | None = None,
    goal_date: PartialDate | None = None,
    note: str | None = None,
    disclosed: PartialDate | None = None,
) -> RegulatoryEvent:
    """An event with a source, disclosed on its last possible day unless told otherwise."""
    fact = FactDate.parse(date)
    return RegulatoryEvent(
        agency=agency,
        kind=kind,
        date=fact,
        application=application,
        review=review,
        goal_date=goal_date,
        note=note,
        disclosed=disclosed or PartialDate.from_date(fact.latest),
        sources=(SOURCE,),
    )


def _asset(applications: tuple[Application, ...], *events: RegulatoryEvent) -> Asset:
    return Asset(
        code="X1",
        sponsor="Acme",
        modality=Modality.MONOCLONAL_ANTIBODY,
        applications=applications,
        events=tuple(events),
    )


def _all(subject: Asset | Portfolio, *, as_of: str = "2020-01-01", known_on: str | None = None) -> Catalysts:
    return catalysts(subject, "2000-01-01", "2040-12-31", known_on, as_of=as_of)


def _one(subject: Asset | Portfolio, *, as_of: str = "2020-01-01", known_on: str | None = None) -> Catalyst:
    (c,) = _all(subject, as_of=as_of, known_on=known_on).catalysts
    return c


# -- hand-checked clocks ---------------------------------------------------------------------------------


def test_fda_priority_bla_counts_from_the_60_day_filing_date() -> None:
    """An original BLA is under PDUFA's "Program": receipt + 60 days, then the review goal.

    By hand: received Thu 15 Jan 2026; 60 days = 16 (Jan 16-31) + 28 (Feb) + 16 (Mar 1-16) -> filing
    date Mon 16 Mar 2026; priority review 6 months -> Wed 16 Sep 2026. One reading (kind and review
    are on record), so the range is one day.
    """
    bla = _app("BLA 761999", Agency.FDA, ApplicationType.BLA)
    filed = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2026-01-15", "BLA 761999", review=ReviewType.PRIORITY)
    c = _one(_asset((bla,), filed))
    assert (c.earliest, c.latest) == (D(2026, 9, 16), D(2026, 9, 16))
    assert c.basis is CatalystBasis.DERIVED_FROM_RULE
    assert c.rules == ("fda-pdufa-program-priority",)
    assert c.what == "FDA decision on BLA 761999"
    assert c.path == "assets[0].events[0]"
    assert "PDUFA" in c.rests_on
    assert c.url == "https://example.com/pr"


def test_fda_standard_nme_nda() -> None:
    """An NDA flagged as a new molecular entity (its note says NME) is under the Program.

    By hand: received Mon 3 Mar 2025; 60 days = 28 (Mar 4-31) + 30 (Apr) + 2 (May 1-2) -> filing date
    Fri 2 May 2025; standard review 10 months -> Mon 2 Mar 2026.
    Without the flag the NME status is unknown and the range covers the non-NME reading too:
    10 months from receipt -> 3 Jan 2026, so 2026-01-03..2026-03-02.
    """
    nme = _app("NDA 219999", Agency.FDA, ApplicationType.NDA, note="NME; first-in-class")
    filed = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2025-03-03", "NDA 219999", review=ReviewType.STANDARD)
    c = _one(_asset((nme,), filed))
    assert (c.earliest, c.latest, c.rules) == (D(2026, 3, 2), D(2026, 3, 2), ("fda-pdufa-program-standard",))
    assert add_clock(RULES["fda-pdufa-program-standard"], D(2025, 3, 3)) == D(2026, 3, 2)
    unflagged = _one(_asset((attrs.evolve(nme, note=None),), filed))
    assert (unflagged.earliest, unflagged.latest) == (D(2026, 1, 3), D(2026, 3, 2))
    assert set(unflagged.rules) == {"fda-pdufa-program-standard", "fda-pdufa-original-standard"}
    assert unflagged.note is not None
    assert "NME status not on record" in unflagged.note


def test_fda_class_2_resubmission() -> None:
    """A resubmission after a complete response letter: class 2 is 6 months from receipt.

    By hand: resubmitted Fri 29 Aug 2025 (note: "class 2") -> 29 Feb 2026, which does not exist in
    2026 (not a leap year), so the last day of February: Sat 28 Feb 2026. Without the class on record
    both classes are covered: class 1 (2 months) -> Wed 29 Oct 2025, so 2025-10-29..2026-02-28.
    """
    nda = _app("NDA 210000", Agency.FDA, ApplicationType.NDA)
    first = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2024-02-01", "NDA 210000", review=ReviewType.STANDARD)
    crl = _event(Agency.FDA, EventKind.COMPLETE_RESPONSE, "2024-12-01", "NDA 210000")
    again = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2025-08-29", "NDA 210000", note="class 2 resubmission")
    c = _one(_asset((nda,), first, crl, again))
    assert (c.earliest, c.latest, c.rules) == (D(2026, 2, 28), D(2026, 2, 28), ("fda-pdufa-resubmission-class-2",))
    assert c.path == "assets[0].events[2]"
    unknown = _one(_asset((nda,), first, crl, attrs.evolve(again, note=None)))
    assert (unknown.earliest, unknown.latest) == (D(2025, 10, 29), D(2026, 2, 28))


def test_nmpa_priority_marketing_review_across_spring_festival_2026() -> None:
    """NMPA priority review: 130 working days from acceptance, then up to 20 for the approval decision.

    Accepted Tue 20 Jan 2026 (the day itself not counted). Working days by month:
      Jan 21-23, 26-30 -> 8 (8);
      Feb: 2-6, 9-13 -> 10; Sat 14 worked (adjusted) -> 1; Spring Festival Mon 16 - Mon 23 off;
           24-27 -> 4; Sat 28 worked (adjusted) -> 1: 16 (24);
      Mar: 22 weekdays (46); Apr: 22 weekdays less Qingming Mon 6 -> 21 (67);
      May: 21 weekdays less 1, 4, 5 (Labour Day) plus Sat 9 worked -> 19 (86);
      Jun: 22 weekdays less Dragon Boat Fri 19 -> 21 (107); Jul 1-31: 23 weekdays -> 130 on Fri 31 Jul.
    Plus 20 working days (Aug 3-7, 10-14, 17-21, 24-28) -> Fri 28 Aug 2026.
    """
    cn = _app("CN NDA", Agency.NMPA, ApplicationType.NMPA_MARKETING)
    accepted = _event(Agency.NMPA, EventKind.MARKETING_ACCEPTED, "2026-01-20", "CN NDA", review=ReviewType.PRIORITY)
    c = _one(_asset((cn,), accepted))
    assert (c.earliest, c.latest) == (D(2026, 7, 31), D(2026, 8, 28))
    assert c.rules == ("nmpa-marketing-130-working-days",)
    assert "Art. 96" in c.rests_on


def test_ema_range_with_clock_stops_and_the_commission_decision() -> None:
    """EMA: 210 active days from the start of the procedure, plus up to 180 days of clock stops.

    By hand: started Thu 30 Jan 2025; +210 days: Jan 31 (1), Feb (29), Mar (60), Apr (90), May (121),
    Jun (151), Jul (182), Aug 28 (210) -> opinion from Thu 28 Aug 2025; +180 more: Aug 31 (3), Sep (33),
    Oct (64), Nov (94), Dec (125), Jan (156), Feb 24 (180) -> by Tue 24 Feb 2026.
    The Commission decides within 67 days of the opinion: Aug 28 + 67 = Nov 3 2025 (3 + 30 + 31 + 3);
    Feb 24 + 67 = May 2 2026 (4 + 31 + 30 + 2).
    """
    maa = _app("EU MAA", Agency.EMA, ApplicationType.MAA)
    started = _event(Agency.EMA, EventKind.MARKETING_ACCEPTED, "2025-01-30", "EU MAA", review=ReviewType.STANDARD)
    opinion, decision = _all(_asset((maa,), started)).catalysts
    assert (opinion.what, opinion.earliest, opinion.latest) == (
        "CHMP opinion on EU MAA",
        D(2025, 8, 28),
        D(2026, 2, 24),
    )
    assert (decision.what, decision.earliest, decision.latest) == (
        "EC decision on EU MAA",
        D(2025, 11, 3),
        D(2026, 5, 2),
    )
    assert decision.rules == ("ema-maa-210-days", "ec-decision-67-days")
    # Once the opinion is on record (8 Oct 2025), only the decision is expected: 67 days later, 14 Dec 2025.
    positive = _event(Agency.EMA, EventKind.MARKETING_APPROVED, "2025-10-08", "EU MAA")
    (after,) = _all(_asset((maa,), started, positive)).catalysts
    assert (after.what, after.earliest, after.latest) == ("EC decision on EU MAA", D(2025, 12, 14), D(2025, 12, 14))
    # And the Commission's decision ends it.
    granted = _event(Agency.EC, EventKind.MARKETING_APPROVED, "2025-12-10", "EU MAA")
    assert _all(_asset((maa,), started, positive, granted)).catalysts == ()


def test_pmda_priority_9_months() -> None:
    """PMDA priority review: 9 months from submission. Submitted 31 May 2025 -> 28 Feb 2026 (month end kept)."""
    jp = _app("JP NDA", Agency.PMDA, ApplicationType.NDA)
    filed = _event(Agency.PMDA, EventKind.MARKETING_SUBMITTED, "2025-05-31", "JP NDA", review=ReviewType.PRIORITY)
    c = _one(_asset((jp,), filed))
    assert (c.earliest, c.latest, c.rules) == (D(2026, 2, 28), D(2026, 2, 28), ("pmda-priority-9-months",))


def test_recorded_goal_date_wins_and_a_major_amendment_moves_it() -> None:
    """A goal date on record wins over the derived one (which would be 16 Sep 2026), and says so.

    A later review extension that names no new goal moves it by three months: 26 Jun -> 26 Sep 2026.
    An extension that names its goal date wins again.
    """
    bla = _app("BLA 761999", Agency.FDA, ApplicationType.BLA)
    filed = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2026-01-15", "BLA 761999", review=ReviewType.PRIORITY)
    accepted = _event(
        Agency.FDA, EventKind.MARKETING_ACCEPTED, "2026-03-16", "BLA 761999", goal_date=PartialDate(2026, 6, 26)
    )
    c = _one(_asset((bla,), filed, accepted))
    assert (c.earliest, c.latest, c.basis) == (D(2026, 6, 26), D(2026, 6, 26), CatalystBasis.RECORDED_GOAL_DATE)
    assert c.basis.label == "recorded goal date"
    assert c.path == "assets[0].events[1]"
    extended = _event(Agency.FDA, EventKind.REVIEW_EXTENDED, "2026-05-01", "BLA 761999")
    moved = _one(_asset((bla,), filed, accepted, extended))
    assert (moved.earliest, moved.basis, moved.rules) == (
        D(2026, 9, 26),
        CatalystBasis.RECORDED_GOAL_DATE,
        ("fda-pdufa-major-amendment-3-months",),
    )
    named = attrs.evolve(extended, goal_date=PartialDate(2026, 9, 30))
    assert _one(_asset((bla,), filed, accepted, named)).earliest == D(2026, 9, 30)


def test_rule_selection_by_case_and_review() -> None:
    """Marketing rules are chosen by case and review type; trial-application lookups are unchanged."""
    day = D(2025, 6, 1)
    assert rule_in_effect(Agency.FDA, EventKind.MARKETING_SUBMITTED, day) is None
    chosen = rule_in_effect(
        Agency.FDA, EventKind.MARKETING_SUBMITTED, day, case=ClockCase.ORIGINAL, review=ReviewType.STANDARD
    )
    assert chosen is RULES["fda-pdufa-original-standard"]
    resub = rule_in_effect(Agency.FDA, EventKind.MARKETING_SUBMITTED, day, case=ClockCase.RESUBMISSION_1)
    assert resub is RULES["fda-pdufa-resubmission-class-1"]
    ind = rule_in_effect(Agency.NMPA, EventKind.IND_ACCEPTED, day)
    assert ind is not None
    assert ind.code == "nmpa-ind-60-working-days"


def test_fda_acceptance_without_receipt_allows_for_the_filing_lead() -> None:
    """Only the acceptance is on record (Mon 16 Mar 2026): receipt was up to 74 days before (1 Jan 2026).

    Priority BLA: from 1 Jan 2026, +60 days -> 2 Mar, +6 months -> 2 Sep 2026; from 16 Mar 2026 (receipt on
    the acceptance day at the latest), +60 -> 15 May, +6 months -> 15 Nov 2026.
    """
    bla = _app("BLA 761999", Agency.FDA, ApplicationType.BLA)
    accepted = _event(Agency.FDA, EventKind.MARKETING_ACCEPTED, "2026-03-16", "BLA 761999", review=ReviewType.PRIORITY)
    c = _one(_asset((bla,), accepted))
    assert (c.earliest, c.latest) == (D(2026, 9, 2), D(2026, 11, 15))


def test_a_decision_on_record_ends_the_catalyst() -> None:
    bla = _app("BLA 761999", Agency.FDA, ApplicationType.BLA)
    filed = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2026-01-15", "BLA 761999", review=ReviewType.PRIORITY)
    approved = _event(Agency.FDA, EventKind.MARKETING_APPROVED, "2026-09-10", "BLA 761999")
    assert _all(_asset((bla,), filed, approved)).catalysts == ()
    # Before the approval was public, the decision was still expected (no look-ahead).
    before = _one(_asset((bla,), filed, approved), known_on="2026-09-09")
    assert before.what == "FDA decision on BLA 761999"
    # Before the filing was public, nothing was expected.
    assert _all(_asset((bla,), filed, approved), known_on="2026-01-14").catalysts == ()


def test_sponsor_guidance_is_a_catalyst_until_the_fact_is_on_record() -> None:
    """'BLA submission planned for 1H 2026' is an estimated event: a catalyst over the half-year."""
    bla = _app("BLA 761999", Agency.FDA, ApplicationType.BLA)
    plan = _event(
        Agency.FDA,
        EventKind.MARKETING_SUBMITTED,
        "2026-H1 (estimated)",
        "BLA 761999",
        disclosed=PartialDate(2025, 11, 3),
    )
    c = _one(_asset((bla,), plan), as_of="2026-07-01")
    assert (c.earliest, c.latest, c.basis) == (D(2026, 1, 1), D(2026, 6, 30), CatalystBasis.SPONSOR_GUIDANCE)
    assert c.overdue  # the whole half-year has passed on 1 Jul 2026 with no submission on record
    assert c.source == "Company press release (Acme)"
    done = _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2026-05-20", "BLA 761999", review=ReviewType.STANDARD)
    (decision,) = _all(_asset((bla,), plan, done)).catalysts
    assert decision.basis is CatalystBasis.DERIVED_FROM_RULE  # the guidance is met; the review clock runs


def test_js212_answers_for_2026_with_what_is_pending_but_undated() -> None:
    """JS212's record holds no estimated date: no catalyst in 2026, and its two trials listed as undated."""
    answer = catalysts(biopipe.example("js212"), "2026-01-01", "2026-12-31", as_of="2026-01-01")
    assert answer.catalysts == ()
    assert len(answer.undated) == 2
    assert all("no primary completion date on record" in u for u in answer.undated)


def _js212_with_registry_trials(tmp_path: Path, refdata: Path) -> Path:
    doc = tmp_path / "js212.json"
    doc.write_text(dumps(Portfolio(assets=(biopipe.example("js212"),))), encoding="utf-8")
    out = tmp_path / "portfolio.json"
    assert main(["import", "ctgov", str(refdata / "ctgov"), "--into", str(doc), "-o", str(out)]) == 0
    return out


def test_cli_js212_and_the_shared_records_for_2026(
    tmp_path: Path, refdata: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JS212 with the shared ClinicalTrials.gov records as registry trials: two readouts fall in 2026.

    NCT05288205 estimates its primary completion in March 2026 (a month: 1-31 Mar), overdue on 1 Jun 2026;
    NCT06385925 on 30 Oct 2026 (a day), still open.
    """
    doc = _js212_with_registry_trials(tmp_path, refdata)
    capsys.readouterr()
    args = ["catalysts", str(doc), "--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-06-01"]
    assert main([*args, "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["format"] == "biopipe-catalysts"
    rows = [
        (c["what"].split(":")[0], c["earliest"], c["latest"], c["basis"], c.get("overdue", False))
        for c in answer["catalysts"]
    ]
    assert rows == [
        ("primary completion of NCT05288205", "2026-03-01", "2026-03-31", "estimated_primary_completion", True),
        ("primary completion of NCT06385925", "2026-10-30", "2026-10-30", "estimated_primary_completion", False),
    ]
    assert main([*args]) == 0
    text = capsys.readouterr().out
    assert "2026-03-01..2026-03-31 OVERDUE primary completion of NCT05288205" in text
    assert "undated: JS212: Phase 1/2 study of JS212" in text
    out = tmp_path / "cat.csv"
    assert main([*args, "--format", "csv", "-o", str(out)]) == 0
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["earliest"], r["latest"], r["overdue"]) for r in table] == [
        ("2026-03-01", "2026-03-31", "true"),
        ("2026-10-30", "2026-10-30", "false"),
    ]


def test_cli_example_and_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalysts", "--example", "js212", "--from", "2026-01-01", "--to", "2026-12-31"]) == 0
    assert "catalysts 2026-01-01..2026-12-31" in capsys.readouterr().out
    assert main(["catalysts", "--example", "js212", "--from", "2026-01", "--to", "2026-12-31"]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(["catalysts", "--example", "js212", "--from", "2026-12-31", "--to", "2026-01-01"]) == 2
    assert "--to: got 2026-01-01, expected a day on or after --from 2026-12-31" in capsys.readouterr().err
    with pytest.raises(biopipe.BiopipeError, match="end: got 2025-12-31"):
        catalysts(biopipe.example("js212"), "2026-01-01", "2025-12-31")
    assert main(["catalysts", "--example", "js212", "--to", "2026-01-01"]) == 2


def _three() -> Asset:
    bla = _app("BLA 761999", Agency.FDA, ApplicationType.BLA)
    maa = _app("EU MAA", Agency.EMA, ApplicationType.MAA)
    return _asset(
        (bla, maa),
        _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "2026-01-15", "BLA 761999", review=ReviewType.PRIORITY),
        _event(Agency.EMA, EventKind.MARKETING_ACCEPTED, "2025-01-30", "EU MAA", review=ReviewType.STANDARD),
    )


def test_ics_parses_back_with_icalendar(tmp_path: Path) -> None:
    """One all-day or multi-day event per catalyst: DTEND is the day after the latest day (exclusive)."""
    icalendar = pytest.importorskip("icalendar")
    answer = _all(_three(), as_of="2026-01-01")
    out = tmp_path / "catalysts.ics"
    out.write_text(answer.render("ics"), encoding="utf-8")
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(answer.catalysts) == 3
    for event, c in zip(events, answer.catalysts, strict=True):
        assert event.decoded("dtstart") == c.earliest
        assert event.decoded("dtend") == c.latest + dt.timedelta(days=1)
        assert str(event["uid"]) == c.uid
        assert str(event["summary"]) == f"X1: {c.what}"
        description = str(event["description"])
        assert f"Basis: {c.basis.label}" in description
        assert "URL: https://example.com/pr" in description
    # On 1 Jan 2026 every range is still open (the EC decision's runs to 2 May 2026).
    assert [c.overdue for c in answer.catalysts] == [False, False, False]
    # UIDs are stable across runs and reference days.
    again = _all(_three(), as_of="2027-01-01")
    assert [c.uid for c in again.catalysts] == [c.uid for c in answer.catalysts]
    assert [c.overdue for c in again.catalysts] == [True, True, True]


def test_cli_ics_written_atomically(tmp_path: Path) -> None:
    pytest.importorskip("icalendar")
    doc = tmp_path / "x1.json"
    doc.write_text(dumps(Portfolio(assets=(_three(),))), encoding="utf-8")
    out = tmp_path / "x1.ics"
    args = ["catalysts", str(doc), "--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-01-01"]
    assert main([*args, "--format", "ics", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20260916" in out.read_text(encoding="utf-8")


def test_ics_without_the_extra_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "icalendar", None)
    code = main(["catalysts", "--example", "js212", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "ics"])
    assert code == 2
    assert "biopipe-intel[calendar]" in capsys.readouterr().err


def test_markdown_and_render_formats() -> None:
    answer = _all(_three(), as_of="2026-01-01")
    md = answer.render("markdown")
    assert "| 2026-09-16 | 2026-09-16 | X1 | FDA decision on BLA 761999 |" in md
    with pytest.raises(biopipe.UnknownCode):
        answer.render(cast("CatalystFormat", "xml"))


# -- properties ------------------------------------------------------------------------------------------

_KINDS = {
    "bla": (Agency.FDA, ApplicationType.BLA, EventKind.MARKETING_SUBMITTED),
    "nda": (Agency.FDA, ApplicationType.NDA, EventKind.MARKETING_SUBMITTED),
    "nda_nme": (Agency.FDA, ApplicationType.NDA, EventKind.MARKETING_SUBMITTED),
    "supplement": (Agency.FDA, ApplicationType.SUPPLEMENT, EventKind.MARKETING_SUBMITTED),
    "nmpa": (Agency.NMPA, ApplicationType.NMPA_MARKETING, EventKind.MARKETING_ACCEPTED),
    "ema": (Agency.EMA, ApplicationType.MAA, EventKind.MARKETING_ACCEPTED),
    "pmda": (Agency.PMDA, ApplicationType.NDA, EventKind.MARKETING_SUBMITTED),
}


@attrs.frozen
class _Drawn:
    asset: Asset
    outcome: RegulatoryEvent
    rule: ClockRule
    true_start: dt.date


@st.composite
def _filed_then_decided(draw: st.DrawFn) -> _Drawn:
    """A filing as a record may hold it (partial date, review type maybe unknown, NME flag maybe absent),
    the truth behind it (the start day, review type and NME status), and the decision on a day the rule allows.
    """
    name = draw(st.sampled_from(sorted(_KINDS)))
    agency, kind, starts_on = _KINDS[name]
    recorded = draw(st.sampled_from([None, ReviewType.STANDARD, ReviewType.PRIORITY]))
    review = recorded or draw(st.sampled_from([ReviewType.STANDARD, ReviewType.PRIORITY]))
    if agency is Agency.FDA:
        nme = name in ("bla", "nda_nme") or (name == "nda" and draw(st.booleans()))
        case = ClockCase.PROGRAM if nme else ClockCase.ORIGINAL
    else:
        case = ClockCase.ORIGINAL
    day = draw(st.dates(D(2021, 1, 1), D(2027, 12, 31)))
    precision = draw(st.sampled_from(["day", "month", "quarter"]))
    partial = {
        "day": PartialDate(day.year, day.month, day.day),
        "month": PartialDate(day.year, day.month),
        "quarter": PartialDate(day.year, quarter=(day.month - 1) // 3 + 1),
    }[precision]
    true_start = draw(st.dates(partial.earliest, partial.latest))
    recorded_kind = starts_on
    if agency is Agency.FDA and draw(st.booleans()):
        # Only the acceptance is on record: FDA filed it up to 74 days after receipt (the Day-74 letter).
        recorded_kind = EventKind.MARKETING_ACCEPTED
        true_start = partial.earliest - dt.timedelta(days=draw(st.integers(0, 74)))
    rule = rule_in_effect(agency, starts_on, true_start, case=case, review=review)
    assert rule is not None
    lo, hi = add_clock(rule, true_start), add_clock(rule, true_start, allowance=True)
    decided = draw(st.dates(lo, hi))
    note = "NME" if name == "nda_nme" else None
    application = _app("A1", agency, kind, note=note)
    filing = RegulatoryEvent(
        agency=agency,
        kind=recorded_kind,
        date=FactDate(partial),
        application="A1",
        review=recorded,
        disclosed=PartialDate.from_date(partial.latest),
        sources=(SOURCE,),
    )
    outcome = RegulatoryEvent(
        agency=agency,
        kind=EventKind.MARKETING_APPROVED,
        date=FactDate(PartialDate.from_date(decided)),
        application="A1",
        disclosed=PartialDate.from_date(decided),
        sources=(SOURCE,),
    )
    return _Drawn(_asset((application,), filing), outcome, rule, true_start)


def _decision(answer: Catalysts) -> Catalyst:
    (found,) = [c for c in answer.catalysts if "EC decision" not in c.what]
    return found


@given(_filed_then_decided())
def test_every_range_contains_the_outcome_when_the_rule_held(drawn: _Drawn) -> None:
    """Derive the catalyst from the filing alone; record a decision the rule allows; the range contains it.

    Whatever the record leaves open (review type, NME status, the day within a month or quarter), the
    range covers the truth. Known on the day before the decision became public, the answer is the same
    as without it, and nothing in it is overdue (its range is still open); once public, it is gone.
    """
    decided = drawn.outcome.date.latest
    alone = _all(drawn.asset, as_of=decided.isoformat())
    c = _decision(alone)
    assert c.contains(decided), (c, drawn.rule.code, drawn.true_start)
    assert not c.overdue
    with_outcome = attrs.evolve(drawn.asset, events=(*drawn.asset.events, drawn.outcome))
    day_before = (decided - dt.timedelta(days=1)).isoformat()
    assert _all(with_outcome, known_on=day_before, as_of=decided.isoformat()).catalysts == alone.catalysts
    after = _all(with_outcome, as_of=decided.isoformat())
    assert all(c.what != x.what for x in after.catalysts)


@given(
    bst.portfolios(max_assets=3, max_trials=3),
    bst.days(2015, 2035),
    st.integers(0, 3000),
    bst.days(2015, 2035),
)
def test_nothing_is_overdue_while_its_range_is_open(
    portfolio: Portfolio, start: dt.date, length: int, reference: dt.date
) -> None:
    """On any record: every catalyst meets the window, is sorted, and is overdue exactly when its range has passed."""
    end = start + dt.timedelta(days=length)
    answer = catalysts(portfolio, start, end, as_of=reference)
    assert answer.as_of == reference
    for c in answer.catalysts:
        assert c.earliest <= c.latest
        assert c.earliest <= end
        assert c.latest >= start
        assert c.overdue is (c.latest < reference)
    keys = [(c.earliest, c.latest, c.asset or "", c.what) for c in answer.catalysts]
    assert keys == sorted(keys)
    # The JSON document round-trips as JSON, whatever the record holds.
    assert json.loads(answer.render("json"))["format"] == "biopipe-catalysts"


def test_what_cannot_be_dated_is_listed_not_dropped() -> None:
    """A filing dated only "on or before", an NMPA submission without its acceptance, and an MHRA
    application (no marketing rule) are pending: listed as undated, with the reason."""
    us = _app("US NDA", Agency.FDA, ApplicationType.NDA)
    cn = _app("CN NDA", Agency.NMPA, ApplicationType.NMPA_MARKETING)
    uk = _app("UK MAA", Agency.MHRA, ApplicationType.MAA)
    answer = _all(
        _asset(
            (us, cn, uk),
            _event(Agency.FDA, EventKind.MARKETING_SUBMITTED, "on or before 2026-02-01", "US NDA"),
            _event(Agency.NMPA, EventKind.MARKETING_SUBMITTED, "2026-02-01", "CN NDA"),
            _event(Agency.MHRA, EventKind.MARKETING_SUBMITTED, "2026-02-01", "UK MAA"),
        )
    )
    assert answer.catalysts == ()
    assert len(answer.undated) == 3
    assert "no lower bound" in answer.undated[0]
    assert "counts from marketing application accepted" in answer.undated[1]
    assert "no marketing-review rule" in answer.undated[2]


def test_an_unpublished_working_day_calendar_is_noted() -> None:
    """NMPA accepted 2026-09-20: the clock runs into 2027, whose adjusted working days may not be published."""
    import holidays

    cn = _app("CN NDA", Agency.NMPA, ApplicationType.NMPA_MARKETING)
    accepted = _event(Agency.NMPA, EventKind.MARKETING_ACCEPTED, "2026-09-20", "CN NDA", review=ReviewType.PRIORITY)
    c = _one(_asset((cn,), accepted))
    calendar = holidays.country_holidays("CN", years=[2027])
    published = any(d.year == 2027 for d in calendar.weekend_workdays)
    assert (c.note is not None and "not yet published" in c.note) is not published
    if c.note is not None:
        assert f"    note: {c.note}" in _all(_asset((cn,), accepted)).render()


@pytest.mark.parametrize("name", biopipe.example_names())
def test_every_example_record_answers_for_2026(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`biopipe catalysts` over each bundled record for 2026: what is expected, and what cannot be dated.

    iza-bren's NMPA application for nasopharyngeal carcinoma (accepted 2025-11, priority review) is
    due 130 working days on (a range, the month's days and the holiday calendar); its second
    application, only announced by 2026-01-20, cannot be dated; JS212's trials have no estimated
    completion; the BLAs of HER3-DXd (withdrawn) and amivantamab (decided) expect nothing.
    """
    assert main(["catalysts", "--example", name, "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = [(c["what"], c["earliest"], c["latest"], c["basis"]) for c in doc.get("catalysts", [])]
    expected = {
        "izalontamab_brengitecan": [
            ("NMPA decision on CN NDA nasopharyngeal carcinoma", "2026-05-13", "2026-07-09", "derived_from_rule")
        ],
    }
    assert found == expected.get(name, [])
    undated = doc.get("undated", [])
    assert len(undated) == {"izalontamab_brengitecan": 1, "js212": 2}.get(name, 0)
