"""Portfolio-wide answers the command line prints: the state of every asset, the phase of every asset."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model._geography import as_jurisdiction
from ..model._vocab import Phase
from ._arguments import as_assets, as_day
from ._known import as_known_on
from ._phase import PhasePolicy, highest_phase, phases_by_jurisdiction
from ._state import StateAnswer, state_as_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model._asset import Asset, Portfolio, RegulatoryEvent
    from ..model._dates import PartialDate

__all__ = ["PhaseAnswer", "PhaseReport", "StatusReport", "phase_report", "status_report"]


def _event_line(event: RegulatoryEvent) -> str:
    scope = f": {event.scope}" if event.scope else ""
    return f"{event.date}  {event.agency.abbreviation} {event.kind.label}{scope}"


@attrs.frozen
class StatusReport(Result):
    """One `StateAnswer` per asset, for the same jurisdiction and day.

    >>> import biopipe
    >>> from biopipe.query import status_report
    >>> print(status_report(biopipe.example("js212"), "US", "2025-12-15").render(), end="")
    JS212 in US as of 2025-12-15: may run trials
      because on or before 2025-12-14  FDA IND cleared
    """

    document_name: ClassVar[str] = "status"

    answers: tuple[StateAnswer, ...]

    def _text(self) -> str:
        lines = []
        for answer in self.answers:
            lines.append(str(answer))
            lines += [f"  because {_event_line(e)}" for e in answer.events]
            lines += [f"  not known whether by then: {_event_line(e)}" for e in answer.pending]
        return "\n".join(map(display_text, lines)) if lines else "(no assets)"

    def _markdown(self) -> str:
        lines = [
            "| Asset | Jurisdiction | As of | State | Certain | Possible | Events |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for a in self.answers:
            events = "; ".join(_event_line(e) for e in (*a.events, *a.pending)) or "-"
            possible = ", ".join(s.code for s in a.possible)
            cells = (a.asset, a.jurisdiction, a.as_of.isoformat(), a.state.code, "yes" if a.certain else "no", possible)
            lines.append("| " + " | ".join(markdown_cell(c) for c in (*cells, events)) + " |")
        return "\n".join(lines)


def status_report(
    assets: Asset | Portfolio | Iterable[Asset],
    jurisdiction: str,
    as_of: dt.date | PartialDate | str,
    *,
    scope: str | None = None,
    indication: str | None = None,
    known_on: dt.date | PartialDate | str | None = None,
) -> StatusReport:
    """`state_as_of` for every asset, in record order (*known_on*: as known on that day).

    >>> import biopipe
    >>> from biopipe.query import status_report
    >>> [a.state.code for a in status_report(biopipe.example("js212"), "CN", "2025-04-01").answers]
    ['may_run_trials']
    >>> early = status_report(biopipe.example("js212"), "CN", "2025-04-01", known_on="2025-12-01")
    >>> [a.state.code for a in early.answers]
    ['nothing_on_record']
    """
    day = as_day(as_of)
    known = as_known_on(known_on)
    place = as_jurisdiction(jurisdiction)
    return StatusReport(
        tuple(state_as_of(a, place, day, scope=scope, indication=indication, known_on=known) for a in as_assets(assets))
    )


@attrs.frozen(kw_only=True)
class PhaseAnswer:
    """The highest phase one asset reached (None: no started trial), overall and per jurisdiction.

    >>> import biopipe
    >>> from biopipe.query import phase_report
    >>> (answer,) = phase_report(biopipe.example("js212")).answers
    >>> answer.label, {p: ph.code for p, ph in answer.by_jurisdiction.items()}
    ('Phase 1/2', {'CN': 'phase1_2'})
    """

    asset: str
    phase: Phase | None
    by_jurisdiction: dict[str, Phase] = attrs.field(factory=dict)

    @property
    def label(self) -> str:
        """The phase's label, or ``no started trial``."""
        return "no started trial" if self.phase is None else self.phase.label


@attrs.frozen(kw_only=True)
class PhaseReport(Result):
    """The highest phase of every asset, under one policy and as of one day.

    >>> import biopipe
    >>> from biopipe.query import phase_report
    >>> print(phase_report(biopipe.example("js212")).render(), end="")
    JS212: Phase 1/2 (CN: Phase 1/2)
    """

    document_name: ClassVar[str] = "phase"

    answers: tuple[PhaseAnswer, ...]
    as_of: dt.date | None = None
    jurisdiction: str | None = None
    indication: str | None = None
    policy: PhasePolicy = PhasePolicy.COMBINED
    known_on: dt.date | None = None

    def _text(self) -> str:
        lines = [f"{a.asset}: {a.label}" + (f" ({_places(a)})" if a.by_jurisdiction else "") for a in self.answers]
        return "\n".join(map(display_text, lines)) if lines else "(no assets)"

    def _markdown(self) -> str:
        lines = ["| Asset | Highest phase | By jurisdiction |", "| --- | --- | --- |"]
        lines += [f"| {markdown_cell(a.asset)} | {a.label} | {_places(a) or '-'} |" for a in self.answers]
        return "\n".join(lines)


def _places(answer: PhaseAnswer) -> str:
    return ", ".join(f"{p}: {phase.label}" for p, phase in answer.by_jurisdiction.items())


def phase_report(
    assets: Asset | Portfolio | Iterable[Asset],
    as_of: dt.date | PartialDate | str | None = None,
    *,
    jurisdiction: str | None = None,
    indication: str | None = None,
    policy: PhasePolicy = PhasePolicy.COMBINED,
    known_on: dt.date | PartialDate | str | None = None,
) -> PhaseReport:
    """`highest_phase` for every asset and, unless *jurisdiction* narrows it, `phases_by_jurisdiction`.

    *known_on*: only trials public by that day (see `highest_phase`).

    >>> import biopipe
    >>> from biopipe.query import phase_report
    >>> [a.label for a in phase_report(biopipe.example("js212"), "2025-12-01").answers]
    ['no started trial']
    """
    known = as_known_on(known_on)
    day = known if as_of is None else as_day(as_of)
    place = None if jurisdiction is None else as_jurisdiction(jurisdiction)
    answers = tuple(
        PhaseAnswer(
            asset=a.code,
            phase=highest_phase(a, day, jurisdiction=place, indication=indication, policy=policy, known_on=known),
            by_jurisdiction={}
            if place
            else phases_by_jurisdiction(a, day, indication=indication, policy=policy, known_on=known),
        )
        for a in as_assets(assets)
    )
    return PhaseReport(
        answers=answers, as_of=day, jurisdiction=place, indication=indication, policy=policy, known_on=known
    )
