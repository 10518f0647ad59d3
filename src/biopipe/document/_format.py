"""The document format's name and version numbers, for every module that reads or writes documents."""

from __future__ import annotations

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "RESULT_VERSION", "TRIALS_VERSION"]

#: The ``format`` value of every biopipe document.
FORMAT_NAME = "biopipe"
#: The format version this release writes (it reads 1 and 2). Version 2 added the root ``trials``
#: (registry trials not linked to an asset), applications, parties, deals, indication synonyms and
#: identifiers, and the event fields ``application``, ``review``, ``pathway``, ``goal_date``, ``by``
#: and ``disclosed``. See `migrate` for reading version 1.
FORMAT_VERSION = 2
#: The version of every result document's layout (``{"format": "biopipe-<name>", "version": 1, ...}``).
RESULT_VERSION = 1
#: The first format version whose documents may have root ``trials``.
TRIALS_VERSION = 2
