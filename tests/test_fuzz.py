"""Fuzzing every loader: whatever the input, the result is a Portfolio or a BiopipeError, never a crash.

Inputs: the JS212 document and documents dumped from the strategies, mutated at a
random place (value replaced by arbitrary JSON, key deleted, key added, text
cut); arbitrary JSON values; arbitrary text and bytes. Every accepted document
is also checked against the converter, so the generated fast path never
accepts what the reference path rejects.

The tests here run with the active Hypothesis profile (40 examples locally,
150 in CI). The ``fuzz``-marked variants repeat them at length, and run only
under the ``fuzz`` profile: ``nox -s fuzz`` (or ``HYPOTHESIS_PROFILE=fuzz pytest -m fuzz``).
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import Asset, BiopipeError, Portfolio
from biopipe.document import converter
from biopipe.testing import strategies as bst

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
fuzz_only = pytest.mark.skipif(not LONG, reason="long fuzzing runs under HYPOTHESIS_PROFILE=fuzz (nox -s fuzz)")

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", " ", "2025-13", "NCT123", "phase7", "on or before 2025", "x" * 300])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=12,
)
keys = st.sampled_from(["code", "title", "date", "kind", "agency", "status", "phase", "ids", "x", "", "assets"])


def _places(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indexes) into *doc*."""
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _places(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _places(v, (*path, i))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[dict[str, Any]]) -> Any:
    """A document with one to three mutations at random places."""
    doc: Any = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(1, 3))):
        places = _places(doc)
        path = draw(st.sampled_from(places))
        kind = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        if not path:
            doc = draw(json_values) if kind == "replace" else doc
            continue
        parent, last = _get(doc, path[:-1]), path[-1]
        if kind == "replace":
            parent[last] = draw(json_values)
        elif kind == "delete":
            del parent[last]
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(keys)] = draw(json_values)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        if not isinstance(doc, (dict, list)):
            break
    return doc


def _js212() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(biopipe.document.example_text("js212"))
    return doc


real_documents = st.just(None).map(lambda _: _js212()) | bst.assets().map(biopipe.document.to_document)


def _cuts(text: str) -> st.SearchStrategy[str]:
    """*text* cut short, with a span removed, or with a few characters inserted."""
    n = len(text)
    return st.one_of(
        st.integers(0, n).map(lambda i: text[:i]),
        st.tuples(st.integers(0, n), st.integers(0, 40)).map(lambda p: text[: p[0]] + text[p[0] + p[1] :]),
        st.tuples(st.integers(0, n), st.text(max_size=3)).map(lambda p: text[: p[0]] + p[1] + text[p[0] :]),
    )


def check_from_document(doc: Any) -> None:
    """from_document returns a Portfolio the converter agrees with, or raises a BiopipeError."""
    try:
        portfolio = biopipe.document.from_document(copy.deepcopy(doc))
    except BiopipeError as e:
        str(e)  # the message must be printable (bounded reprs)
        return
    assert isinstance(portfolio, Portfolio)
    assert converter.structure(doc["assets"], tuple[Asset, ...]) == portfolio.assets


def check_text(text: str | bytes, folder: Path) -> None:
    """loads and load give the same outcome on *text*: a Portfolio or a BiopipeError."""
    outcomes: list[object] = []
    for load in (biopipe.loads, lambda t: biopipe.load(_write(folder, t))):
        try:
            outcomes.append(load(text))
        except BiopipeError as e:
            str(e)
            outcomes.append(type(e))
    assert outcomes[0] == outcomes[1]


def _write(folder: Path, text: str | bytes) -> Path:
    path = folder / "doc.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    return path


@pytest.fixture(scope="module")
def folder() -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


# -- the properties, at the active profile's budget --------------------------------------------


@given(mutated(real_documents))
def test_mutated_documents(doc: Any) -> None:
    check_from_document(doc)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated(real_documents))
def test_mutated_documents_as_text(folder: Path, doc: Any) -> None:
    check_text(json.dumps(doc, ensure_ascii=False), folder)


@given(json_values)
def test_arbitrary_json(doc: Any) -> None:
    check_from_document(doc)
    check_from_document({"format": "biopipe", "version": 1, "assets": doc})
    check_from_document({"format": "biopipe", "version": 1, "assets": [doc]})


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text() | st.binary() | st.just(biopipe.document.example_text("js212")).flatmap(_cuts))
def test_arbitrary_text(folder: Path, text: str | bytes) -> None:
    check_text(text, folder)


# -- the long variants ------------------------------------------------------------------------


@pytest.mark.fuzz
@fuzz_only
@given(mutated(real_documents))
def test_fuzz_mutated_documents(doc: Any) -> None:
    check_from_document(doc)


@pytest.mark.fuzz
@fuzz_only
@given(json_values)
def test_fuzz_arbitrary_json(doc: Any) -> None:
    check_from_document({"format": "biopipe", "version": 1, "assets": [doc]})


@pytest.mark.fuzz
@fuzz_only
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text() | st.binary() | st.just(biopipe.document.example_text("js212")).flatmap(_cuts))
def test_fuzz_arbitrary_text(folder: Path, text: str | bytes) -> None:
    check_text(text, folder)
