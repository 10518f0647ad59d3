"""Review-clock rules as data: which event starts an agency's clock, how long it runs, and since when.

A rule is versioned by ``effective_from``: for a clock started on day D, the
rule in effect is the one with the latest ``effective_from`` on or before D.
Each rule cites where it comes from; rules marked ``placeholder`` are rough
models kept so that other agencies have a place, and never infer events.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..model import _validate as v
from ..model._vocab import Agency, EventKind, Vocabulary

__all__ = ["CLOCK_RULES", "ClockRule", "ClockUnit"]


class ClockUnit(Vocabulary):
    """How a review clock counts: calendar days, or the working days of the agency's country.

    >>> from biopipe.review import ClockUnit
    >>> ClockUnit.WORKING_DAYS.code
    'working_days'
    """

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


@attrs.frozen(kw_only=True)
class ClockRule:
    """One version of an agency's review clock.

    The clock starts on the day of a ``starts_on`` event (that day is not
    counted) and runs ``duration`` days in ``unit``; when it runs out with no
    decision on record, ``infers`` (if set) is the event the law presumes.
    ``pilot`` rules apply only when asked for (e.g. NMPA's 30-working-day
    channel for innovative drugs).

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
        return (
            f"{self.agency.abbreviation}: {self.duration} {unit} from {self.starts_on.label} "
            f"(since {self.effective_from.isoformat()}){pilot}{placeholder}"
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
)
