"""The fast paths of loads/dumps agree with the converter; both JSON backends write the same bytes; limits."""

from __future__ import annotations

import importlib
import importlib.util
import json
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import Asset, Portfolio, ValidationError
from biopipe.document import _jsonio, converter
from biopipe.document._fast import _format_fact, _format_partial, structure_assets, unstructure_asset
from biopipe.testing import strategies as bst

# The tests that need orjson skip without it; the rest (the guards and limits) run with the standard library.
orjson: Any = importlib.import_module("orjson") if importlib.util.find_spec("orjson") else None
needs_orjson = pytest.mark.skipif(orjson is None, reason="orjson is not installed")

# Every JSON value the writer can meet, with every character (lone surrogates cannot be UTF-8 encoded) and
# integers beyond 64 bits (which orjson cannot write, so the standard library path takes over).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


# Generating portfolios is the expensive part: one property checks both claims, at a quarter of the budget.
@needs_orjson
@settings(max_examples=max(10, settings().max_examples // 4))
@given(bst.portfolios())
def test_fast_paths_agree_with_the_converter_and_backends_agree(portfolio: Portfolio) -> None:
    """For every portfolio.

    - unstructure_asset == converter.unstructure and structure_assets == converter.structure;
    - orjson and the standard-library writer give the bytes json.dumps(indent=2) gives.
    """
    data = [unstructure_asset(a) for a in portfolio.assets]
    assert data == [converter.unstructure(a, Asset) for a in portfolio.assets]
    plain = json.loads(json.dumps(data))
    assert structure_assets(plain) == converter.structure(plain, tuple[Asset, ...]) == portfolio.assets
    doc = biopipe.document.to_document(portfolio)
    reference = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out: list[str] = []
    _jsonio._write(doc, "\n", out)
    assert ("".join(out) + "\n").encode("utf-8") == reference
    assert orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE) == reference
    assert biopipe.document.dumps_bytes(portfolio) == reference


@given(bst.fact_dates(min_year=1, max_year=9999))
def test_fast_date_formatting_is_the_models_own(fact: biopipe.FactDate) -> None:
    """The table-driven formatters of the dump path write what FactDate and PartialDate write."""
    assert _format_partial(fact.date) == fact.date.format_iso() == str(fact.date)
    assert _format_fact(fact) == str(fact)


@given(json_values)
def test_stdlib_writer_matches_json_dumps_on_any_json(value: Any) -> None:
    """The hand-written indenter is json.dumps(ensure_ascii=False, indent=2) for every JSON value."""
    out: list[str] = []
    _jsonio._write(value, "\n", out)
    assert "".join(out) == json.dumps(value, ensure_ascii=False, indent=2)


@needs_orjson
@given(json_values)
def test_orjson_matches_json_dumps_where_it_can_write(value: Any) -> None:
    """Where orjson writes a value at all, it writes the standard library's bytes."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return  # integers beyond 64 bits: dumps falls back to the standard library
    assert data == json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def test_huge_integers_fall_back_to_the_standard_library() -> None:
    """An enrollment beyond 64 bits is written (and read back) exactly, whatever the backend."""
    js212 = biopipe.example("js212")
    trial = js212.trials[0]
    big = Asset(
        code="BIG",
        sponsor="Acme",
        modality=biopipe.Modality.SMALL_MOLECULE,
        trials=(biopipe.Trial(title=trial.title, status=trial.status, enrollment=biopipe.Enrollment(count=2**70)),),
    )
    text = biopipe.document.dumps_bytes(big)
    assert b"1180591620717411303424" in text
    assert text == (json.dumps(biopipe.document.to_document(big), ensure_ascii=False, indent=2) + "\n").encode()
    assert biopipe.loads(text)["BIG"] == big


def test_standard_library_backend_gives_the_same_portfolio(monkeypatch: pytest.MonkeyPatch) -> None:
    """With orjson switched off, loads and dumps give the same results."""
    text = biopipe.document.example_text("js212")
    with_orjson = (biopipe.loads(text), biopipe.document.dumps_bytes(biopipe.example("js212")))
    monkeypatch.setattr(_jsonio, "_orjson", lambda: None)
    assert _jsonio.json_backend() == "json"
    assert (biopipe.loads(text), biopipe.document.dumps_bytes(biopipe.example("js212"))) == with_orjson


# -- limits ---------------------------------------------------------------------------------------


def _doc(assets: object) -> dict[str, Any]:
    return {"format": "biopipe", "version": 1, "assets": assets}


def test_string_longer_than_the_limit_names_its_path() -> None:
    """A description of MAX_STRING + 1 characters is rejected where it stands."""
    doc = json.loads(biopipe.document.example_text("js212"))
    doc["assets"][0]["description"] = "x" * (biopipe.document.MAX_STRING + 1)
    with pytest.raises(ValidationError) as info:
        biopipe.loads(json.dumps(doc))
    [problem] = info.value.problems
    assert problem.path == "assets[0].description"
    assert str(biopipe.document.MAX_STRING) in problem.expected
    assert len(str(info.value)) < 500


def test_string_at_the_limit_is_accepted() -> None:
    """MAX_STRING characters of free text are fine."""
    doc = json.loads(biopipe.document.example_text("js212"))
    doc["assets"][0]["description"] = "x" * biopipe.document.MAX_STRING
    assert len(biopipe.loads(json.dumps(doc))["JS212"].description or "") == biopipe.document.MAX_STRING


@pytest.mark.parametrize("depth", [biopipe.document.MAX_DEPTH + 1, 900, 5_000, 200_000])
def test_deep_nesting_is_a_validation_error(depth: int) -> None:
    """Arrays nested past the limit (even past the parser's recursion limit) give a ValidationError."""
    text = '{"format": "biopipe", "version": 1, "assets": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(ValidationError) as info:
        biopipe.loads(text)
    [problem] = info.value.problems
    assert "nested" in problem.expected or "valid JSON" in problem.expected


def test_deep_nesting_inside_a_field_is_reported_at_the_limit() -> None:
    """A title nested 100 deep is reported with a bounded message."""
    doc = json.loads(biopipe.document.example_text("js212"))
    deep: Any = "x"
    for _ in range(100):
        deep = [deep]
    doc["assets"][0]["trials"][0]["title"] = deep
    with pytest.raises(ValidationError) as info:
        biopipe.loads(json.dumps(doc))
    [problem] = info.value.problems
    assert problem.path.startswith("assets[0].trials[0].title")
    assert f"at most {biopipe.document.MAX_DEPTH} deep" in problem.expected


def test_cyclic_python_document_is_a_validation_error() -> None:
    """from_document on a self-referencing dict reports nesting, never RecursionError."""
    asset: dict[str, Any] = {"code": "X", "sponsor": "Y", "modality": "adc"}
    asset["aliases"] = [asset]
    with pytest.raises(ValidationError):
        biopipe.document.from_document(_doc([asset]))


@pytest.mark.parametrize(("backend", "factor"), [("json", 7), ("orjson", 20), ("msgspec", 4)])
def test_loading_memory_is_bounded_by_document_size(monkeypatch: pytest.MonkeyPatch, backend: str, factor: int) -> None:
    """Peak memory while loading a ~0.5 MB document stays within a fixed multiple of its size.

    The standard library parser peaks near 5x the text, orjson near 16x (so loads uses the standard
    library above 16 MiB), msgspec (Structs freed asset by asset) near 2x; the loaded portfolio
    itself keeps about 2x.
    """
    if backend == "msgspec" and _jsonio._msgspec_loads() is None:
        pytest.skip("msgspec is not installed")
    if backend == "orjson" and orjson is None:
        pytest.skip("orjson is not installed")
    if backend != "msgspec":
        monkeypatch.setattr(_jsonio, "_msgspec_loads", lambda: None)
    if backend == "json":
        monkeypatch.setattr(_jsonio, "_orjson", lambda: None)
    js212 = json.loads(biopipe.document.example_text("js212"))["assets"][0]
    assets = [{**js212, "code": f"JS{i}"} for i in range(150)]
    text = json.dumps(_doc(assets)).encode()
    biopipe.loads(text)  # generate the fast path first: its code objects are not the document's cost
    tracemalloc.start()
    try:
        portfolio = biopipe.loads(text)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(portfolio) == 150
    assert peak < factor * len(text), f"peak {peak} for {len(text)} bytes"
    assert kept < 3 * len(text), f"kept {kept} for {len(text)} bytes"
