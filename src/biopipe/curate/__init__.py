"""Curating records from many sources: linking registry trials to assets, and merging two documents.

Imports `biopipe.model`, `biopipe.document`, `biopipe.query` and `biopipe.review`,
never the interop or the CLI. Every link comes with its evidence and every
disagreement between documents is reported: nothing is guessed or settled
silently.

>>> import biopipe
>>> from biopipe import curate
>>> js212 = biopipe.example("js212")
>>> len(curate.merge(js212, js212).conflicts)
0
"""

from __future__ import annotations

from ._link import Ambiguous, Evidence, Link, LinkReport, MatchKind, Unmatched, link, normalise_name
from ._merge import Conflict, MergeReport, merge

__all__ = [
    "Ambiguous",
    "Conflict",
    "Evidence",
    "Link",
    "LinkReport",
    "MatchKind",
    "MergeReport",
    "Unmatched",
    "link",
    "merge",
    "normalise_name",
]
