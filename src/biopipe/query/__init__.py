"""Questions asked of the model: the timeline, the regulatory state on a day, phases, portfolio selection.

Imports `biopipe.model` and `biopipe.document`. `timeline`, `state_as_of` and `highest_phase` (with
their result types) are also at the top level; the portfolio filters live here.

>>> import biopipe
>>> from biopipe.query import has_target, select
>>> [a.code for a in select(biopipe.example("js212"), has_target("HER3"))]
['JS212']
"""

from __future__ import annotations

from ..model._naming import publish
from ._arguments import as_day
from ._matrix import MATRIX_FORMATS, MatrixRow, StatusMatrix, status_matrix
from ._phase import PhasePolicy, highest_phase, phases_by_jurisdiction, trial_started_by
from ._reports import PhaseAnswer, PhaseReport, StatusReport, phase_report, status_report
from ._rights import RightsAnswer, rights_holders
from ._select import Query, has_modality, has_party, has_target, in_state, phase_at_least, select, sponsored_by
from ._state import (
    ApplicationState,
    DesignationInEffect,
    RegulatoryState,
    StateAnswer,
    earliest_possible,
    happened_by,
    state_as_of,
)
from ._timeline import Milestone, Timeline, TimelineEntry, as_agency, as_kinds, timeline

__all__ = [
    "MATRIX_FORMATS",
    "ApplicationState",
    "DesignationInEffect",
    "MatrixRow",
    "Milestone",
    "PhaseAnswer",
    "PhasePolicy",
    "PhaseReport",
    "Query",
    "RegulatoryState",
    "RightsAnswer",
    "StateAnswer",
    "StatusMatrix",
    "StatusReport",
    "Timeline",
    "TimelineEntry",
    "as_agency",
    "as_day",
    "as_kinds",
    "earliest_possible",
    "happened_by",
    "has_modality",
    "has_party",
    "has_target",
    "highest_phase",
    "in_state",
    "phase_at_least",
    "phase_report",
    "phases_by_jurisdiction",
    "rights_holders",
    "select",
    "sponsored_by",
    "state_as_of",
    "status_matrix",
    "status_report",
    "timeline",
    "trial_started_by",
]

# The names the top level also offers report the package as their module, however they are reached.
_TOP_LEVEL = ("RegulatoryState", "StateAnswer", "Timeline", "TimelineEntry", "highest_phase", "state_as_of", "timeline")
publish(_TOP_LEVEL, globals())
