"""Small local Hypothesis strategies for the format-2 facts: applications, lifecycle events, parties, deals.

Kept beside the tests (not in biopipe.testing.strategies) so the review and curate tests do not depend on
that module's coverage of the new facts; values are few so that drawn facts meet each other.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from biopipe import (
    Actor,
    Agency,
    Application,
    ApplicationType,
    Asset,
    Deal,
    DealKind,
    Designation,
    EventKind,
    FactDate,
    Modality,
    Money,
    PartialDate,
    Party,
    PartyRole,
    Pathway,
    RegulatoryEvent,
    ReviewType,
    Territory,
    Trial,
    TrialStatus,
)

BLA = Application(id="US BLA", agency=Agency.FDA, kind=ApplicationType.BLA)
SBLA = Application(id="US sBLA", agency=Agency.FDA, kind=ApplicationType.SUPPLEMENT)
APPS = (BLA, SBLA, Application(id="US IND", agency=Agency.FDA, kind=ApplicationType.IND))
TERRITORIES = st.sampled_from(
    [
        Territory(worldwide=True),
        Territory(worldwide=True, excluding=("CN",)),
        Territory(countries=("CN",)),
        Territory(countries=("EU",)),
        Territory(countries=("DE", "US")),
    ]
)
DAYS = st.builds(PartialDate, st.integers(2023, 2025), st.integers(1, 12) | st.none(), st.none())


@st.composite
def format2_assets(draw: st.DrawFn, code: str = "X1") -> Asset:
    """Assets with applications, lifecycle events naming them, parties and deals (local, small)."""
    apps = draw(st.lists(st.sampled_from(APPS), unique_by=lambda a: a.id, max_size=3))
    events = []
    for _ in range(draw(st.integers(0, 6))):
        app: Application | None = None
        if draw(st.booleans()) and apps:
            app = draw(st.sampled_from(apps))
        marketing = app.kind.is_marketing if app is not None else draw(st.booleans())
        kinds = [k for k in EventKind if k.application.code == ("marketing" if marketing else "clinical_trial")]
        kind = draw(st.sampled_from(kinds))
        date = FactDate(draw(DAYS))
        fields: dict[str, Any] = {}
        if kind in (EventKind.MARKETING_SUBMITTED, EventKind.MARKETING_ACCEPTED, EventKind.REVIEW_EXTENDED):
            fields["goal_date"] = draw(st.none() | DAYS)
            fields["review"] = draw(st.none() | st.sampled_from(ReviewType))
        if kind is EventKind.MARKETING_APPROVED:
            fields["pathway"] = draw(st.none() | st.sampled_from([Pathway.TRADITIONAL, Pathway.ACCELERATED]))
        fields["disclosed"] = draw(st.none() | DAYS)
        if kind is EventKind.MARKETING_WITHDRAWN:
            fields["by"] = draw(st.none() | st.sampled_from(Actor))
        events.append(
            RegulatoryEvent(
                agency=Agency.FDA, kind=kind, date=date, application=None if app is None else app.id, **fields
            )
        )
    if draw(st.booleans()):
        btd = Designation.BREAKTHROUGH_THERAPY
        events.append(
            RegulatoryEvent(
                agency=Agency.FDA, kind=EventKind.DESIGNATION_GRANTED, date=FactDate.parse("2024-01"), designation=btd
            )
        )
    names = ["Acme", "Partner A", "Partner B"]
    parties = [
        Party(
            name=draw(st.sampled_from(names)),
            role=draw(st.sampled_from(PartyRole)),
            territory=draw(TERRITORIES),
            start=draw(st.none() | DAYS),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    deals = [
        Deal(
            kind=draw(st.sampled_from(DealKind)),
            date=FactDate(draw(DAYS)),
            parties=tuple(draw(st.lists(st.sampled_from([*names, "Stranger"]), min_size=2, max_size=3, unique=True))),
            upfront=draw(st.none() | st.builds(Money, amount=st.integers(0, 10**9), currency=st.just("USD"))),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    running = [s for s in TrialStatus if s is not TrialStatus.PLANNED]
    trials = [
        Trial(title=t, status=draw(st.sampled_from(running)), countries=("US",), start=FactDate(draw(DAYS)))
        for t in draw(st.lists(st.sampled_from(["Study A", "Study B"]), unique=True))
    ]
    return Asset(
        code=code,
        sponsor="Acme",
        modality=Modality.MONOCLONAL_ANTIBODY,
        applications=tuple(apps),
        events=tuple(events),
        parties=tuple(parties),
        deals=tuple(deals),
        trials=tuple(trials),
    )
