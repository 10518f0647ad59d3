"""Hostile input: linear-time text checks, one rule set for the loader and the JSON Schema, bounded reads."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import jsonschema
import pytest

import biopipe
from biopipe.model import _dates, _validate
from biopipe.model._ids import Registry

# -- 1. every pattern runs in linear time --------------------------------------------------------


def _schema_patterns(node: Any) -> set[str]:
    """Every ``pattern`` in a JSON Schema."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.add(value)
            else:
                found |= _schema_patterns(value)
    elif isinstance(node, list):
        for item in node:
            found |= _schema_patterns(item)
    return found


SCHEMA_PATTERNS = sorted(_schema_patterns(biopipe.document.json_schema()))
MODEL_PATTERNS: dict[str, re.Pattern[str]] = {
    **_validate.PATTERNS,
    "partial date": _dates._ISO,
    "year": _dates._YEAR,
    "day": _dates._DAY,
    "half": _dates._HALF,
    "quarter": _dates._QUARTER,
    **{f"registry {r.code}": re.compile(r.pattern) for r in Registry},
}

N = 10**6
#: Starts of valid values, so that a pattern gets past its first characters before the long run.
PREFIXES = ("", "http://", "https://a/", "on or before ", "2025-", "HGNC:1", "ENSG", "P0", "NCT", "ChiCTR-", "E")
FILLS = ("a", "0", "/", " ")
ENDS = ("", " ", "\n")
BOUND = 2.0  # CPU seconds for 10^6 characters: linear takes milliseconds, quadratic hours


def _hostile() -> list[str]:
    return [prefix + fill * N + end for prefix in PREFIXES for fill in FILLS for end in ENDS]


def _slowest(match: Any) -> tuple[float, str]:
    worst = (0.0, "")
    for value in _hostile():
        start = time.process_time()
        match(value)
        elapsed = time.process_time() - start
        if elapsed > worst[0]:
            worst = (elapsed, value[:20] + "..." + repr(value[-3:]))
    return worst


def test_the_pattern_lists_are_complete() -> None:
    """The model's field patterns and the schema's are all collected (the tests below cover them)."""
    assert "an absolute http(s) URL" in _validate.PATTERNS
    assert len(_validate.PATTERNS) >= 5
    assert len(SCHEMA_PATTERNS) >= 8


@pytest.mark.parametrize("name", sorted(MODEL_PATTERNS))
def test_model_pattern_is_linear(name: str) -> None:
    """Each regex the model matches text with fails 10^6-character hostile strings in well under BOUND."""
    elapsed, value = _slowest(MODEL_PATTERNS[name].fullmatch)
    assert elapsed < BOUND, f"{name}: {elapsed:.2f} s on {value}"


@pytest.mark.parametrize("regex", SCHEMA_PATTERNS)
def test_schema_pattern_is_linear(regex: str) -> None:
    """Each JSON Schema pattern, searched as jsonschema does, runs in well under BOUND on hostile strings."""
    compiled = re.compile(regex)
    elapsed, value = _slowest(compiled.search)
    assert elapsed < BOUND, f"{regex}: {elapsed:.2f} s on {value}"


def _with_url(url: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(biopipe.document.example_text("js212"))
    doc["assets"][0]["events"][0]["sources"][0]["url"] = url
    return doc


def test_long_url_ending_in_a_space_is_rejected_quickly() -> None:
    """The issue's case at 10x its size: a 1 MB URL ending in a space, through loads and the schema."""
    doc = _with_url("http://" + "a" * N + " ")
    start = time.process_time()
    with pytest.raises(biopipe.ValidationError, match="http"):
        biopipe.loads(json.dumps(doc))
    assert not jsonschema.Draft202012Validator(biopipe.document.json_schema()).is_valid(doc)
    assert time.process_time() - start < BOUND


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org", True),
        ("https://example.org/a/b?c=d#e", True),
        ("http://a?x", True),
        ("http://a#", True),
        ("https://", False),
        ("https:///path", False),
        ("http://a b", False),
        ("http://a/b c", False),
        ("http://a\u3000", False),
        ("http://a\x1c", False),
        ("http://a\n", False),
        ("ftp://a", False),
    ],
)
def test_url_rule_is_unchanged_and_the_schema_agrees(url: str, ok: bool) -> None:
    """The linear URL pattern accepts what the old one did; the schema agrees, final newline included."""
    assert (_validate.url.ok(url)) is ok
    assert (re.fullmatch(r"https?://[^\s/?#]+[^\s]*", url) is not None) is ok
    schema = jsonschema.Draft202012Validator(biopipe.document.json_schema())
    assert schema.is_valid(_with_url(url)) is ok


def test_whitespace_class_is_what_isspace_says() -> None:
    """The spelt-out white-space class (used in the schema) holds exactly the characters str.isspace accepts."""
    everything = "".join(map(chr, range(0x110000)))
    assert set(re.findall(f"[{_validate.WHITESPACE}]", everything)) == {c for c in everything if c.isspace()}
