"""Reviewing records: consistency checks, differences between snapshots, review clocks and catalysts.

Imports `biopipe.model`, `biopipe.document` and `biopipe.query`, never the interop or the CLI.

>>> import biopipe
>>> from biopipe import review
>>> len(review.check(biopipe.example("js212")).errors)
0
"""

from __future__ import annotations

from ._catalysts import CATALYST_FORMATS, Catalyst, CatalystBasis, CatalystFormat, Catalysts, catalysts
from ._check import CHECK_RULES, CheckRule, Finding, Findings, Severity, check
from ._clock_rules import CLOCK_RULES, ClockCase, ClockRule, ClockUnit
from ._clocks import (
    ClockProjection,
    ClockReport,
    add_clock,
    clock_report,
    due_range,
    infer_events,
    review_clocks,
    rule_in_effect,
)
from ._diff import Change, ChangeKind, Diff, diff
from ._watch import (
    DueEvent,
    Expected,
    Watched,
    WatchList,
    WatchReport,
    catalysts_due,
    parse_watchlist,
    read_watchlist,
    watch,
)

__all__ = [
    "CATALYST_FORMATS",
    "CHECK_RULES",
    "CLOCK_RULES",
    "Catalyst",
    "CatalystBasis",
    "CatalystFormat",
    "Catalysts",
    "Change",
    "ChangeKind",
    "CheckRule",
    "ClockCase",
    "ClockProjection",
    "ClockReport",
    "ClockRule",
    "ClockUnit",
    "Diff",
    "DueEvent",
    "Expected",
    "Finding",
    "Findings",
    "Severity",
    "WatchList",
    "WatchReport",
    "Watched",
    "add_clock",
    "catalysts",
    "catalysts_due",
    "check",
    "clock_report",
    "diff",
    "due_range",
    "infer_events",
    "parse_watchlist",
    "read_watchlist",
    "review_clocks",
    "rule_in_effect",
    "watch",
]
