"""The documentation covers the public API, and its pages are wired into the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import biopipe

DOCS = Path(__file__).resolve().parents[1] / "docs"

pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason=f"documentation sources not found at {DOCS}")


def _documented() -> set[str]:
    text = (DOCS / "api.md").read_text("utf-8")
    return set(re.findall(r"^\.\. (?:autoclass|autofunction|py:data|autodata):: biopipe\.(\w+)$", text, re.M))


def test_every_public_name_is_in_the_api_reference() -> None:
    missing = sorted(set(biopipe.__all__) - _documented())
    assert missing == []


def test_the_api_reference_names_only_public_names() -> None:
    assert _documented() <= set(biopipe.__all__)


def test_every_page_is_in_a_toctree() -> None:
    index = (DOCS / "index.md").read_text("utf-8")
    listed = set(re.findall(r"^([\w/-]+)$", index, re.M))
    pages = {p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.rglob("*.md") if "_build" not in p.parts}
    assert pages - {"index"} <= listed


def test_the_changelog_is_part_of_the_site() -> None:
    assert "{include} ../CHANGELOG.md" in (DOCS / "changelog.md").read_text("utf-8")
    assert (DOCS.parent / "CHANGELOG.md").read_text("utf-8").startswith("# Changelog")
