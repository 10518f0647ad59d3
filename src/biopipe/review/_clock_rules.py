"""Review-clock rules as data: which event starts an agency's clock, how long it runs, and since when.

A rule is versioned by ``effective_from``: for a clock started on day D, the
rule in effect is the one with the latest ``effective_from`` on or before D.
Each rule cites where it comes from; rules marked ``placeholder`` are rough
models kept so that other agencies have a place, and never infer events.

Trial-application clocks (IND, CTA, CTN) have no ``case``; marketing-review
clocks (PDUFA goal dates, NMPA, EMA and PMDA reviews) name the `ClockCase`
they apply to and, where the agency distinguishes them, the review type.
Figures marked "to verify" in a rule's note are not yet checked against the
primary text.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..model import _validate as v
from ..model._application import ReviewType
from ..model._vocab import Agency, EventKind, Vocabulary

__all__ = ["CLOCK_RULES", "ClockCase", "ClockRule", "ClockUnit"]


class ClockUnit(Vocabulary):
    """How a review clock counts: calendar days, or the working days of the agency's country.

    >>> from biopipe.review import ClockUnit
    >>> ClockUnit.WORKING_DAYS.code
    'working_days'
    """

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


class ClockCase(Vocabulary):
    """Which marketing-review clock a rule sets (trial-application rules have none).

    - ``program``: an original application under PDUFA's "Program" (NME NDAs and
      original BLAs), counted from the 60-day filing date.
    - ``original``: any other original application or efficacy supplement,
      counted from receipt (for NMPA, EMA and PMDA: their one marketing review).
    - ``resubmission_1`` / ``resubmission_2``: an FDA resubmission after a
      complete response letter, class 1 or class 2.
    - ``major_amendment``: an extension of a goal date after a major amendment
      (added to the goal, not counted from the event).
    - ``commission_decision``: the European Commission's decision after the
      CHMP opinion.

    >>> from biopipe.review import ClockCase
    >>> ClockCase.RESUBMISSION_2.code
    'resubmission_2'
    """

    PROGRAM = "program"
    ORIGINAL = "original"
    RESUBMISSION_1 = "resubmission_1"
    RESUBMISSION_2 = "resubmission_2"
    MAJOR_AMENDMENT = "major_amendment"
    COMMISSION_DECISION = "commission_decision"


@attrs.frozen(kw_only=True)
class ClockRule:
    """One version of an agency's review clock.

    The clock starts on the day of a ``starts_on`` event (that day is not
    counted) and runs ``duration`` days in ``unit``; when it runs out with no
    decision on record, ``infers`` (if set) is the event the law presumes.
    ``pilot`` rules apply only when asked for (e.g. NMPA's 30-working-day
    channel for innovative drugs).

    Marketing-review rules also say which ``case`` and ``review`` type they
    apply to; ``offset`` calendar days pass before the count starts (PDUFA's
    60-day filing period); ``lead`` days is how long before the start event the
    clock may really have started (an FDA acceptance is announced up to Day 74
    after receipt); ``allowance`` (in ``unit``) widens the latest due day for
    clock stops and the decision step (EMA's clock stops, NMPA's 20 working
    days for the approval decision).

    >>> from biopipe.review import CLOCK_RULES
    >>> fda = next(r for r in CLOCK_RULES if r.code == "fda-ind-30-days")
    >>> fda.duration, fda.unit.code, fda.starts_on.code, fda.infers.code
    (30, 'calendar_days', 'ind_submitted', 'ind_cleared')
    """

    code: str = attrs.field(validator=v.text)
    agency: Agency = attrs.field(validator=v.instance(Agency, "an Agency"))
    starts_on: EventKind = attrs.field(validator=v.instance(EventKind, "an EventKind"))
    duration: int = attrs.field(validator=v.nonnegative_int)
    unit: ClockUnit = attrs.field(validator=v.instance(ClockUnit, "a ClockUnit"))
    effective_from: dt.date = attrs.field(validator=v.instance(dt.date, "a datetime.date"))
    source: str = attrs.field(validator=v.text)
    url: str | None = attrs.field(default=None, validator=v.optional(v.url))
    infers: EventKind | None = attrs.field(default=None, validator=v.optional(v.instance(EventKind, "an EventKind")))
    pilot: bool = attrs.field(default=False, validator=v.instance(bool, "a boolean"))
    placeholder: bool = attrs.field(default=False, validator=v.instance(bool, "a boolean"))
    note: str | None = attrs.field(default=None, validator=v.optional(v.text))
    case: ClockCase | None = attrs.field(default=None, validator=v.optional(v.instance(ClockCase, "a ClockCase")))
    review: ReviewType | None = attrs.field(default=None, validator=v.optional(v.instance(ReviewType, "a ReviewType")))
    offset: int = attrs.field(default=0, validator=v.nonnegative_int)
    lead: int = attrs.field(default=0, validator=v.nonnegative_int)
    allowance: int = attrs.field(default=0, validator=v.nonnegative_int)

    @property
    def calendar(self) -> str:
        """The country whose working days the clock counts (the agency's jurisdiction)."""
        return self.agency.jurisdiction

    def describe(self) -> str:
        """A one-line human description.

        >>> from biopipe.review import CLOCK_RULES
        >>> CLOCK_RULES[0].describe()
        'FDA: 30 calendar days from IND submitted (since 1987-06-17)'
        """
        unit = self.unit.code.replace("_", " ")
        pilot = " [pilot]" if self.pilot else ""
        placeholder = " [placeholder]" if self.placeholder else ""
        review = f" ({self.review.label})" if self.review is not None else ""
        offset = f" + {self.offset} days" if self.offset else ""
        allowance = f" (+ up to {self.allowance} {unit})" if self.allowance else ""
        return (
            f"{self.agency.abbreviation}{review}: {self.duration} {unit}{allowance} from {self.starts_on.label}"
            f"{offset} (since {self.effective_from.isoformat()}){pilot}{placeholder}"
        )


#: The bundled rules. Citations are to the texts that set each clock; verify before relying on them.
CLOCK_RULES: tuple[ClockRule, ...] = (
    ClockRule(
        code="fda-ind-30-days",
        agency=Agency.FDA,
        starts_on=EventKind.IND_SUBMITTED,
        duration=30,
        unit=ClockUnit.CALENDAR_DAYS,
        effective_from=dt.date(1987, 6, 17),
        infers=EventKind.IND_CLEARED,
        source="21 CFR 312.40(b)(1): an IND goes into effect 30 days after FDA receives it, unless placed on hold",
        url="https://www.ecfr.gov/current/title-21/chapter-I/subchapter-D/part-312/subpart-D/section-312.40",
        note="From the 1987 IND rewrite (effective date to verify). The clock counts from FDA's receipt.",
    ),
    ClockRule(
        code="nmpa-ind-60-working-days-2018",
        agency=Agency.NMPA,
        starts_on=EventKind.IND_ACCEPTED,
        duration=60,
        unit=ClockUnit.WORKING_DAYS,
        effective_from=dt.date(2018, 7, 27),
        infers=EventKind.IND_CLEARED,
        source="NMPA Announcement 2018 No. 50 on adjusting the review and approval of drug clinical trials",
        note="Introduced implied approval: no objection within 60 days of acceptance means the trial may start.",
    ),
    ClockRule(
        code="nmpa-ind-60-working-days",
        agency=Agency.NMPA,
        starts_on=EventKind.IND_ACCEPTED,
        duration=60,
        unit=ClockUnit.WORKING_DAYS,
        effective_from=dt.date(2020, 7, 1),
        infers=EventKind.IND_CLEARED,
        source="Provisions for Drug Registration (SAMR Order No. 27, 2020), Art. 23; time limits in working days",
        note="Decision within 60 working days of acceptance; no notice by then is deemed approval.",
    ),
    ClockRule(
        code="nmpa-ind-30-working-days-pilot-2024",
        agency=Agency.NMPA,
        starts_on=EventKind.IND_ACCEPTED,
        duration=30,
        unit=ClockUnit.WORKING_DAYS,
        effective_from=dt.date(2024, 7, 30),
        infers=EventKind.IND_CLEARED,
        pilot=True,
        source="NMPA Pilot Work Programme for Optimising the Review and Approval of Innovative Drug Clinical Trials",
        note="Adopted 30 July 2024; pilot regions (Beijing, Shanghai); eligible innovative drugs only.",
    ),
    ClockRule(
        code="nmpa-ind-30-working-days-2025",
        agency=Agency.NMPA,
        starts_on=EventKind.IND_ACCEPTED,
        duration=30,
        unit=ClockUnit.WORKING_DAYS,
        effective_from=dt.date(2025, 9, 12),
        infers=EventKind.IND_CLEARED,
        pilot=True,
        source="NMPA Announcement of 12 September 2025 on optimising the review of innovative-drug clinical trials",
        note="Nationwide 30-working-day channel for eligible Category 1 innovative drugs; 60 otherwise.",
    ),
    ClockRule(
        code="eu-ctr-initial-60-days",
        agency=Agency.EMA,
        starts_on=EventKind.IND_SUBMITTED,
        duration=60,
        unit=ClockUnit.CALENDAR_DAYS,
        effective_from=dt.date(2022, 1, 31),
        placeholder=True,
        source="Regulation (EU) No 536/2014 (CTIS), Arts 5-8: validation 10, assessment 45, decision 5 days",
        url="https://eur-lex.europa.eu/eli/reg/2014/536/oj",
        note="Placeholder: member states decide; requests for information extend the clock; not inferred.",
    ),
    ClockRule(
        code="pmda-ctn-30-days",
        agency=Agency.PMDA,
        starts_on=EventKind.IND_SUBMITTED,
        duration=30,
        unit=ClockUnit.CALENDAR_DAYS,
        effective_from=dt.date(1997, 4, 1),
        placeholder=True,
        source="PMD Act Art. 80-2: 30-day investigation of an initial clinical trial notification",
        note="Placeholder: first notification for a new active ingredient only; effective date not verified.",
    ),
    # Marketing reviews. FDA: PDUFA VII (FY 2023-2027) commitment letter, section I.A; the same goals run
    # since PDUFA V (FY 2013), which created "the Program" for NME NDAs and original BLAs.
    *(
        ClockRule(
            code=f"fda-pdufa-{case_name}-{review.code}",
            agency=Agency.FDA,
            starts_on=EventKind.MARKETING_SUBMITTED,
            duration=months,
            unit=ClockUnit.MONTHS,
            offset=offset,
            effective_from=dt.date(2012, 10, 1),
            case=case,
            review=review,
            source=(
                "PDUFA Reauthorization Performance Goals and Procedures FY 2023-2027 (PDUFA VII commitment "
                f"letter), I.A: {text}"
            ),
            url="https://www.fda.gov/media/151712/download",
            note=(
                f"{note} Goals unchanged since PDUFA V (FY 2013, from 2012-10-01); effective date and the letter's "
                "section numbers to verify."
            ),
        )
        for case_name, case, review, months, offset, text, note in (
            (
                "program",
                ClockCase.PROGRAM,
                ReviewType.STANDARD,
                10,
                60,
                "review and act on 90% of standard NME NDAs and original BLAs within 10 months of the 60-day "
                "filing date",
                "Counted from receipt + 60 days (the filing date), then 10 months.",
            ),
            (
                "program",
                ClockCase.PROGRAM,
                ReviewType.PRIORITY,
                6,
                60,
                "priority NME NDAs and original BLAs within 6 months of the 60-day filing date",
                "Counted from receipt + 60 days (the filing date), then 6 months.",
            ),
            (
                "original",
                ClockCase.ORIGINAL,
                ReviewType.STANDARD,
                10,
                0,
                "standard non-NME original NDAs and efficacy supplements within 10 months of receipt",
                "Counted from receipt.",
            ),
            (
                "original",
                ClockCase.ORIGINAL,
                ReviewType.PRIORITY,
                6,
                0,
                "priority non-NME original NDAs and efficacy supplements within 6 months of receipt",
                "Counted from receipt.",
            ),
        )
    ),
    ClockRule(
        code="fda-pdufa-resubmission-class-1",
        agency=Agency.FDA,
        starts_on=EventKind.MARKETING_SUBMITTED,
        duration=2,
        unit=ClockUnit.MONTHS,
        effective_from=dt.date(2012, 10, 1),
        case=ClockCase.RESUBMISSION_1,
        source="PDUFA VII commitment letter, I.A.2: Class 1 resubmissions within 2 months of receipt",
        url="https://www.fda.gov/media/151712/download",
        note="A resubmission answering a complete response letter; the class is FDA's (not in the record).",
    ),
    ClockRule(
        code="fda-pdufa-resubmission-class-2",
        agency=Agency.FDA,
        starts_on=EventKind.MARKETING_SUBMITTED,
        duration=6,
        unit=ClockUnit.MONTHS,
        effective_from=dt.date(2012, 10, 1),
        case=ClockCase.RESUBMISSION_2,
        source="PDUFA VII commitment letter, I.A.2: Class 2 resubmissions within 6 months of receipt",
        url="https://www.fda.gov/media/151712/download",
    ),
    ClockRule(
        code="fda-pdufa-major-amendment-3-months",
        agency=Agency.FDA,
        starts_on=EventKind.REVIEW_EXTENDED,
        duration=3,
        unit=ClockUnit.MONTHS,
        effective_from=dt.date(2012, 10, 1),
        case=ClockCase.MAJOR_AMENDMENT,
        source="PDUFA VII commitment letter, I.A.4: a major amendment may extend the goal date by three months",
        url="https://www.fda.gov/media/151712/download",
        note="Added to the goal date in force, not counted from the extension.",
    ),
    *(
        ClockRule(
            code=f"nmpa-marketing-{days}-working-days",
            agency=Agency.NMPA,
            starts_on=EventKind.MARKETING_ACCEPTED,
            duration=days,
            unit=ClockUnit.WORKING_DAYS,
            allowance=20,
            effective_from=dt.date(2020, 7, 1),
            case=ClockCase.ORIGINAL,
            review=review,
            source=(
                "Provisions for Drug Registration (SAMR Order No. 27, 2020), Art. 96: marketing authorisation "
                f"review within {days} working days{text}; Art. 100: approval decision within 20 working days"
            ),
            note=(
                "Counted from acceptance on China's working-day calendar (the Provisions count their time limits "
                "in working days); the allowance is the 20-working-day approval decision (article number to "
                "verify). Rare-disease drugs already marketed abroad have 70 working days (not modelled: the "
                "record cannot tell them apart). Time for the applicant's supplementary information "
                "(up to 80 working days) and for inspections and testing is not counted, so a real decision "
                "can come later."
            ),
        )
        for days, review, text in (
            (200, ReviewType.STANDARD, ""),
            (130, ReviewType.PRIORITY, " under the priority review and approval procedure"),
        )
    ),
    ClockRule(
        code="ema-maa-210-days",
        agency=Agency.EMA,
        starts_on=EventKind.MARKETING_ACCEPTED,
        duration=210,
        unit=ClockUnit.CALENDAR_DAYS,
        allowance=180,
        effective_from=dt.date(2004, 5, 20),
        case=ClockCase.ORIGINAL,
        review=ReviewType.STANDARD,
        source="Regulation (EC) No 726/2004, Art. 6(3): the CHMP opinion within 210 days of a valid application",
        url="https://eur-lex.europa.eu/eli/reg/2004/726/oj",
        note=(
            "210 active days from the start of the procedure (validation), plus clock stops: the allowance of "
            "180 days stands for the usual stops at Day 120 (3-6 months) and Day 180 (1-2 months); to verify "
            "against EMA's timetables. Longer stops happen."
        ),
    ),
    ClockRule(
        code="ema-maa-accelerated-150-days",
        agency=Agency.EMA,
        starts_on=EventKind.MARKETING_ACCEPTED,
        duration=150,
        unit=ClockUnit.CALENDAR_DAYS,
        allowance=30,
        effective_from=dt.date(2004, 5, 20),
        case=ClockCase.ORIGINAL,
        review=ReviewType.PRIORITY,
        source="Regulation (EC) No 726/2004, Art. 14(9): accelerated assessment, opinion within 150 days",
        url="https://eur-lex.europa.eu/eli/reg/2004/726/oj",
        note="Priority review stands for accelerated assessment; one month of clock stop at Day 90 by default.",
    ),
    ClockRule(
        code="ec-decision-67-days",
        agency=Agency.EC,
        starts_on=EventKind.MARKETING_APPROVED,
        duration=67,
        unit=ClockUnit.CALENDAR_DAYS,
        effective_from=dt.date(2004, 5, 20),
        case=ClockCase.COMMISSION_DECISION,
        source=(
            "Regulation (EC) No 726/2004, Arts 10 and 87: the Commission decision within 67 days of the CHMP "
            "opinion (15 days draft + standing committee + adoption)"
        ),
        url="https://eur-lex.europa.eu/eli/reg/2004/726/oj",
        note=(
            "Counted from the CHMP opinion (the EMA's marketing_approved or marketing_refused event). The 67 days "
            "are the decision-making process as the EMA describes it (Art. 10's steps); to verify."
        ),
    ),
    *(
        ClockRule(
            code=f"pmda-{review.code}-{months}-months",
            agency=Agency.PMDA,
            starts_on=EventKind.MARKETING_SUBMITTED,
            duration=months,
            unit=ClockUnit.MONTHS,
            effective_from=dt.date(2014, 4, 1),
            case=ClockCase.ORIGINAL,
            review=review,
            source=(
                f"PMDA mid-term plan targets: total review time of new drugs, {review.label}, "
                f"{months} months (80th percentile)"
            ),
            note="A performance target, not a legal deadline; figures and effective date to verify.",
        )
        for review, months in ((ReviewType.STANDARD, 12), (ReviewType.PRIORITY, 9))
    ),
)
