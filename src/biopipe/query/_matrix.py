"""The status matrix: asset x indication x jurisdiction -> state, designations and highest phase."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, Literal

import attrs

from ..document._results import Format, Result, csv_text, display_text, markdown_cell
from ..model import _validate as v
from ..model._geography import as_jurisdiction
from ..model._vocab import IndicationRole, Phase
from ._arguments import as_assets, as_day, unchecked
from ._known import as_known_on, indication_key, public_by
from ._phase import highest_phase
from ._state import DesignationInEffect, RegulatoryState, _indications_of, state_as_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model._asset import Asset, Portfolio
    from ..model._dates import PartialDate

__all__ = ["MATRIX_FORMATS", "MatrixRow", "StatusMatrix", "status_matrix"]

#: The renderings of a status matrix: those of every result, and CSV.
MATRIX_FORMATS: tuple[Format | Literal["csv"], ...] = ("text", "markdown", "json", "csv")

_COLUMNS = ("asset", "indication", "jurisdiction", "state", "certain", "possible", "designations", "highest_phase")


@attrs.frozen(kw_only=True)
class MatrixRow:
    """One cell line of the status matrix: an asset's standing for one indication in one jurisdiction.

    ``indication`` is None for an asset with no indication on record (the row
    is then about the whole asset). ``state``/``possible``/``certain`` come from
    `state_as_of` narrowed to the indication; ``designations`` are those in
    effect; ``phase`` is `highest_phase` of the trials with a site in the
    jurisdiction whose conditions name the indication.

    >>> import biopipe
    >>> row = biopipe.query.status_matrix(biopipe.example("js212"), "2025-12-31").rows[0]
    >>> row.asset, row.indication, row.jurisdiction, row.state.code, row.certain
    ('JS212', 'advanced malignant solid tumors', 'CN', 'may_run_trials', True)
    """

    asset: str = attrs.field(validator=v.text)
    indication: str | None = attrs.field(validator=v.optional(v.text))
    jurisdiction: str = attrs.field(validator=v.text)
    state: RegulatoryState = attrs.field(validator=v.instance(RegulatoryState, "a RegulatoryState"))
    possible: tuple[RegulatoryState, ...] = attrs.field(
        validator=v.tuple_of_type(RegulatoryState, "RegulatoryState values", unique=True)
    )
    certain: bool = attrs.field(validator=v.instance(bool, "a boolean"))
    label: str = attrs.field(validator=v.text)
    designations: tuple[DesignationInEffect, ...] = attrs.field(
        default=(), validator=v.tuple_of_type(DesignationInEffect, "DesignationInEffect values")
    )
    phase: Phase | None = attrs.field(default=None, validator=v.optional(v.instance(Phase, "a Phase")))

    def cells(self) -> tuple[str, ...]:
        """The row as text cells, in the order of the CSV columns."""
        return (
            self.asset,
            self.indication or "-",
            self.jurisdiction,
            self.label if self.certain else "uncertain (" + " or ".join(s.label for s in self.possible) + ")",
            "yes" if self.certain else "no",
            " ".join(s.code for s in self.possible),
            "; ".join(str(d) for d in self.designations),
            self.phase.label if self.phase is not None else "",
        )


@attrs.frozen(kw_only=True)
class StatusMatrix(Result):
    """The development status of a portfolio, one row per asset x indication x jurisdiction.

    Renders as text, Markdown, JSON and CSV (``render("csv")`` or `to_csv`).

    >>> import biopipe
    >>> m = biopipe.query.status_matrix(biopipe.example("js212"), "2025-12-31")
    >>> print(m.to_csv(), end="")
    asset,indication,jurisdiction,state,certain,possible,designations,highest_phase
    JS212,advanced malignant solid tumors,CN,may run trials,yes,may_run_trials,,Phase 1/2
    JS212,advanced malignant solid tumors,US,may run trials,yes,may_run_trials,,
    """

    document_name: ClassVar[str] = "matrix"

    as_of: dt.date = attrs.field(validator=v.instance(dt.date, "a datetime.date"))
    rows: tuple[MatrixRow, ...] = attrs.field(default=(), validator=v.tuple_of_type(MatrixRow, "MatrixRow values"))
    known_on: dt.date | None = attrs.field(default=None, validator=v.optional(v.instance(dt.date, "a datetime.date")))

    def render(self, format: Format | Literal["csv"] = "text") -> str:
        """The matrix as text, Markdown, its JSON document, or CSV."""
        if format == "csv":
            return self.to_csv()
        return super().render(format)

    def to_csv(self) -> str:
        """The matrix as CSV text (a header row, then one row per line; the csv module's quoting)."""
        return csv_text(_COLUMNS, (r.cells() for r in self.rows))

    def _text(self) -> str:
        when = self.as_of.isoformat() + (f", known on {self.known_on.isoformat()}" if self.known_on else "")
        header = ("Asset", "Indication", "Where", "State", "Designations", "Phase")
        rows = [header] + [tuple(display_text(c) for c in _shown(r)) for r in self.rows]
        if not self.rows:
            return f"Status as of {when}: (no rows)"
        widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
        lines = [f"Status as of {when}"]
        lines += ["  ".join([*(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)), r[-1]]).rstrip() for r in rows]
        return "\n".join(lines)

    def _markdown(self) -> str:
        lines = [
            "| Asset | Indication | Where | State | Designations | Highest phase |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += ["| " + " | ".join(markdown_cell(c) for c in _shown(r)) + " |" for r in self.rows]
        return "\n".join(lines)


def _shown(row: MatrixRow) -> tuple[str, ...]:
    c = row.cells()
    return (c[0], c[1], c[2], c[3], c[6] or "-", c[7] or "-")


def _indications(asset: Asset, known_on: dt.date | None) -> list[str | None]:
    """The asset's diseases, one name per `indication_key`: its intended indications, then those its facts name."""
    names = [i.name for i in asset.indications if i.role is IndicationRole.INTENDED]
    for event in asset.events:
        if not public_by(event.public_on, known_on):
            continue
        # The one rule of `state_as_of`: the event's own indication, else its application's.
        names += _indications_of(asset, event)
    names += [c for t in asset.trials if public_by(t.public_on, known_on) for c in t.conditions]
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(indication_key(asset, name), name)
    found: list[str | None] = list(seen.values())
    return found or [None]


def _places(asset: Asset, known_on: dt.date | None) -> list[str]:
    places = {e.jurisdiction for e in asset.events if public_by(e.public_on, known_on)}
    places |= {c for t in asset.trials if public_by(t.public_on, known_on) for c in t.countries}
    return sorted(places)


def status_matrix(
    assets: Asset | Portfolio | Iterable[Asset],
    as_of: dt.date | PartialDate | str,
    *,
    known_on: dt.date | PartialDate | str | None = None,
    jurisdictions: Iterable[str] | None = None,
) -> StatusMatrix:
    """The status of every asset, for each of its indications, in each jurisdiction, as of a day.

    Rows run asset by asset (record order), then indication (the asset's
    intended indications, then those its events, applications and trials name,
    one row per disease: synonyms share a row), then jurisdiction (sorted):
    *jurisdictions* when given, else every jurisdiction with an event or a
    trial site of the asset. Each row is `state_as_of` narrowed to the
    indication, its designations in effect, and `highest_phase` there.
    *known_on* answers as of that knowledge day throughout.

    >>> import biopipe
    >>> m = biopipe.query.status_matrix(biopipe.example("js212"), "2025-11-30", known_on="2025-11-30")
    >>> m.rows
    ()
    >>> m = biopipe.query.status_matrix(biopipe.example("js212"), "2025-11-30", jurisdictions=["US"])
    >>> [(r.indication, r.certain) for r in m.rows]
    [('advanced malignant solid tumors', False)]
    """
    day = as_day(as_of)
    known = as_known_on(known_on)
    chosen = None if jurisdictions is None else sorted({as_jurisdiction(j) for j in jurisdictions})
    rows: list[MatrixRow] = []
    for asset in as_assets(assets):
        places = chosen if chosen is not None else _places(asset, known)
        if not places:
            continue
        for indication in _indications(asset, known):
            for place in places:
                answer = state_as_of(asset, place, day, indication=indication, known_on=known)
                rows.append(
                    unchecked(
                        MatrixRow,
                        asset=asset.code,
                        indication=indication,
                        jurisdiction=place,
                        state=answer.state,
                        possible=answer.possible,
                        certain=answer.certain,
                        label=answer.qualified,
                        designations=answer.designations,
                        phase=highest_phase(asset, day, jurisdiction=place, indication=indication, known_on=known),
                    )
                )
    return StatusMatrix(as_of=day, rows=tuple(rows), known_on=known)
