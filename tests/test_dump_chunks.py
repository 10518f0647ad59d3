"""dumps writes assets a few at a time (`_jsonio._encode_model`): the bytes of the whole document."""

from __future__ import annotations

import importlib
import importlib.util
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import Asset, Portfolio
from biopipe.document import _jsonio
from biopipe.testing import strategies as bst

orjson: Any = importlib.import_module("orjson") if importlib.util.find_spec("orjson") else None
needs_orjson = pytest.mark.skipif(orjson is None, reason="orjson is not installed")


def reference(obj: Asset | Portfolio) -> bytes:
    """The bytes of the whole document by the standard library: what every writer must give."""
    return (json.dumps(biopipe.document.to_document(obj), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@needs_orjson
@settings(max_examples=max(10, settings().max_examples // 4))
@given(bst.portfolios(max_assets=7, max_trials=5), st.integers(min_value=1, max_value=4))
def test_chunked_writer_gives_the_whole_documents_bytes(portfolio: Portfolio, chunk: int) -> None:
    """Whatever the chunk size and wherever the chunks end (empty, one, many assets; with and without root trials)."""
    saved = _jsonio._CHUNK
    _jsonio._CHUNK = chunk
    try:
        data = _jsonio._encode_model(portfolio)
    finally:
        _jsonio._CHUNK = saved
    assert data == reference(portfolio)
    assert biopipe.document.dumps_bytes(portfolio) == data
    assert biopipe.dumps(portfolio) == data.decode("utf-8")


@needs_orjson
def test_chunked_writer_takes_assets_and_portfolios_only() -> None:
    js212 = biopipe.example("js212")
    assert _jsonio._encode_model(js212) == reference(js212) == biopipe.document.dumps_bytes(js212)
    assert _jsonio._encode_model(Portfolio()) == reference(Portfolio())
    assert _jsonio._encode_model(biopipe.timeline(js212)) is None  # a result: the whole document, as before


@needs_orjson
def test_what_orjson_refuses_falls_back_to_the_whole_document() -> None:
    """An integer beyond 64 bits makes orjson refuse a chunk: the standard library then writes, as before."""
    trial = biopipe.example("js212").trials[0]
    big = Asset(
        code="BIG",
        sponsor="Acme",
        modality=biopipe.Modality.SMALL_MOLECULE,
        trials=(biopipe.Trial(title=trial.title, status=trial.status, enrollment=biopipe.Enrollment(count=2**70)),),
    )
    assert _jsonio._encode_model(big) is None
    assert biopipe.dumps(big).encode("utf-8") == biopipe.document.dumps_bytes(big) == reference(big)
