"""The msgspec loading path (document/_msgspec.py) against the usual path: same objects, same rules, same problems.

The msgspec path may only be faster: a document it accepts must be one the usual path
accepts, giving an equal portfolio; anything else must fall through to the usual path,
so every error is reported exactly as without msgspec. The last tests run without
msgspec and without orjson (simulated), so they run everywhere.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biopipe
from biopipe import Portfolio, ValidationError
from biopipe.document import FORMAT_VERSION, _jsonio
from biopipe.model import _validate as v
from biopipe.testing import strategies as bst

JS212 = biopipe.document.example_text("js212")


def _usual(text: str | bytes) -> object:
    """What the usual path (no msgspec) makes of *text*: a portfolio, or the problems it reports."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_jsonio, "_msgspec_loads", lambda: None)
        return _outcome(text)


class _Problems(Exception):
    """A ValidationError's problems, comparable."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.problems = [(p.path, repr(p.value), p.expected) for p in error.problems]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Problems) and self.problems == other.problems

    __hash__ = None  # type: ignore[assignment]


def _outcome(text: str | bytes) -> object:
    try:
        return biopipe.loads(text)
    except ValidationError as e:
        return _Problems(e)


# -- bad input: the same problems with and without msgspec (runs on any install) ---------------------------


def _changed(change: Any) -> str:
    """JS212's text after ``change(doc, asset, trial)`` edited it in place."""
    doc = json.loads(JS212)
    change(doc, doc["assets"][0], doc["assets"][0]["trials"][0])
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _set(key: str, value: object, where: str = "trial") -> str:
    return _changed(lambda d, a, t: {"doc": d, "asset": a, "trial": t}[where].__setitem__(key, value))


def _once(old: str, new: str) -> str:
    assert old in JS212
    return JS212.replace(old, new, 1)


_BAD: dict[str, str | bytes] = {
    "truncated": JS212[:-40],
    "not JSON": "{format: biopipe}",
    "empty": "",
    "array": "[]",
    "unknown phase": _set("phase", "phase7"),
    "impossible date": _once('"2025-01"', '"2025-02-30"'),
    "short nct": _set("ids", ["NCT123"]),
    "ids twice": _set("ids", ["NCT05288205", "NCT05288205"]),
    "unknown key": _set("colour", "red", "asset"),
    "missing field": _changed(lambda d, a, t: a.pop("sponsor")),
    "newer version": _set("version", FORMAT_VERSION + 1, "doc"),
    "bool version": _set("version", True, "doc"),
    "number as text": _set("version", "1", "doc"),
    "blank text": _set("sponsor", " \t", "asset"),
    "empty text": _set("title", ""),
    "ideographic space as optional text": _set("acronym", "\u3000"),
    "blank item of a text tuple": _set("conditions", ["Solid tumors", "\u2028"]),
    "empty item of a text tuple": _changed(lambda d, a, t: a.update(aliases=[{"name": "", "kind": "code"}])),
    "trailing newline in a symbol": _once('"symbol": "EGFR"', '"symbol": "EGFR\\n"'),
    "null design": _set("design", None),
    "null tuple": _set("conditions", None),
    "unknown country": _set("countries", ["XX"]),
    "country twice": _set("countries", ["US", "US"]),
    "bool count": _set("enrollment", {"count": True}),
    "negative count": _set("enrollment", {"count": -1}),
    "huge count": _set("enrollment", {"count": 10**30}),
    "huge count, 400 digits": _set("enrollment", {"count": 10**400}),
    "duplicate key": _once('"code": "JS212",', '"code": "JS212", "code": "JS212",'),
    "duplicate key, other value": _once('"code": "JS212",', '"code": "X", "code": "JS212",'),
    "byte-order mark": b"\xef\xbb\xbf" + JS212.encode(),
    "invalid UTF-8": JS212.encode().replace(b"Junshi", b"Jun\xffshi", 1),
    "lone surrogate escape": _once('"Junshi Biosciences"', '"Junshi \\ud800"'),
    "NaN": _once('"version": 2', '"version": NaN'),
    "deep": '{"format": "biopipe", "version": 1, "assets": ' + "[" * 5000 + "]" * 5000 + "}",
    "long string": _set("sponsor", "x" * (v.MAX_STRING + 1), "asset"),
    "same target twice": _once('"symbol": "ERBB3"', '"symbol": "EGFR"'),
    "same asset twice": _changed(lambda d, a, t: d["assets"].append(copy.deepcopy(a))),
    "designation where none belongs": _changed(lambda d, a, t: a["events"][0].update(designation="fast_track")),
    "actual end before actual start": _changed(
        lambda d, a, t: t.update(status="completed", start="2025-04", completion="2024")
    ),
}


#: What the usual path decides alone (the msgspec path leaves these to it): integers beyond 64 bits, where the
#: JSON backends differ, and keys given twice, which the usual path may accept (the last value wins).
_BACKENDS_DECIDE = {
    "huge count",
    "huge count, 400 digits",
    "duplicate key",
    "duplicate key, other value",
    "byte-order mark",  # refused with orjson, accepted by the standard library
}


@pytest.mark.parametrize("backend", ["orjson", "json"])
def test_bad_input_gives_the_same_problems_with_msgspec(monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    """Every document in the catalogue is refused, with the problems the usual path on the same backend reports."""
    if backend == "json":
        monkeypatch.setattr(_jsonio, "_orjson", lambda: None)
    elif _jsonio._orjson() is None:
        pytest.skip("orjson is not installed")
    for name, text in _BAD.items():
        usual = _usual(text)
        assert isinstance(usual, _Problems) or name in _BACKENDS_DECIDE, name
        assert _outcome(text) == usual, name


def test_without_msgspec_the_usual_path_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """With msgspec not importable (or BIOPIPE_JSON=json/orjson), loads is the usual path, with the same results."""
    expected = {name: _outcome(text) for name, text in _BAD.items()}
    monkeypatch.setitem(sys.modules, "msgspec", None)
    monkeypatch.setitem(sys.modules, "biopipe.document._msgspec", None)
    _jsonio._msgspec_loads.cache_clear()
    try:
        assert _jsonio._msgspec_loads() is None
        assert biopipe.loads(JS212)["JS212"] == biopipe.example("js212")
        assert {name: _outcome(text) for name, text in _BAD.items()} == expected
    finally:
        _jsonio._msgspec_loads.cache_clear()
    for setting in ("json", "orjson"):
        monkeypatch.setenv("BIOPIPE_JSON", setting)
        _jsonio._msgspec_loads.cache_clear()
        try:
            assert _jsonio._msgspec_loads() is None
        finally:
            _jsonio._msgspec_loads.cache_clear()


def test_without_msgspec_and_orjson_everything_loads_and_is_refused_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """No optional JSON package at all: the same portfolios; bad documents still refused."""
    monkeypatch.setattr(_jsonio, "_msgspec_loads", lambda: None)
    monkeypatch.setattr(_jsonio, "_orjson", lambda: None)
    assert _jsonio.json_backend() == "json"
    for name in biopipe.example_names():
        assert biopipe.loads(biopipe.document.example_text(name)) == _usual(biopipe.document.example_text(name))
    for name, text in _BAD.items():
        assert isinstance(_outcome(text), _Problems) or name in _BACKENDS_DECIDE, name


# -- with msgspec: equal objects, nothing looser -----------------------------------------------------------

msgspec_only = pytest.mark.skipif(_jsonio._msgspec_loads() is None, reason="msgspec is not installed")


@pytest.fixture
def fast() -> Any:
    from biopipe.document import _msgspec

    return _msgspec


@msgspec_only
@pytest.mark.parametrize("name", biopipe.example_names())
def test_examples_load_through_msgspec_as_through_the_usual_path(fast: Any, name: str) -> None:
    text = biopipe.document.example_text(name)
    portfolio = fast.loads(text)
    assert portfolio is not None
    assert portfolio == _usual(text)
    assert fast.loads(text.encode()) == portfolio


@msgspec_only
@settings(max_examples=max(10, settings().max_examples // 4))
@given(bst.portfolios(max_trials=2))
def test_portfolios_load_through_msgspec_as_they_were(portfolio: Portfolio) -> None:
    """Registry trials (``Portfolio.trials``) included."""
    from biopipe.document import _msgspec

    data = biopipe.document.dumps_bytes(portfolio)
    loaded = _msgspec.loads(data)
    assert loaded is not None
    assert loaded == portfolio == _usual(data)
    assert [a.__class__ for a in loaded] == [a.__class__ for a in portfolio]
    assert loaded.trials == portfolio.trials


@msgspec_only
def test_root_trials_load_through_msgspec_from_version_2() -> None:
    from biopipe.document import _msgspec

    portfolio = Portfolio(trials=biopipe.example("js212").trials)
    text = biopipe.dumps(portfolio)
    assert _msgspec.loads(text) == portfolio
    assert _msgspec.loads(text.replace('"version": 2', '"version": 1')) is None  # the usual path reports it
    assert isinstance(_usual(text.replace('"version": 2', '"version": 1')), _Problems)
    assert _msgspec.loads(text.replace('"trials": [', '"trials": [], "trials": [')) is None


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars | st.sampled_from(["", " ", "\n", "2025-02-29", "NCT0528820", "phase1", "on or before 2025"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _places(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for k, value in items:
        yield from _places(value, (*path, k))


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A real document with one value replaced or key deleted, written as text, maybe with a key given twice."""
    doc: Any = copy.deepcopy(
        json.loads(draw(st.just(JS212) | bst.portfolios(max_assets=2, max_trials=2).map(biopipe.dumps)))
    )
    path = draw(st.sampled_from(list(_places(doc))[1:]))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if draw(st.booleans()):
        parent[path[-1]] = draw(json_values)
    else:
        del parent[path[-1]]
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    starts = [m.start() for m in re.finditer(r'"[a-z_]+": ', text)]
    twice: bool = draw(st.booleans())
    if starts and twice:  # repeat a key with a value of its own
        at = draw(st.sampled_from(starts))
        key = re.match(r'"[a-z_]+": ', text[at:])
        assert key is not None
        text = text[:at] + key.group() + json.dumps(draw(json_values)) + ", " + text[at:]
    return text


@msgspec_only
@given(mutated_texts())
def test_msgspec_path_accepts_nothing_the_usual_path_refuses(text: str) -> None:
    """Whatever the msgspec path accepts, the usual path accepts as an equal portfolio; loads agrees with it."""
    from biopipe.document import _msgspec

    usual = _usual(text)
    fast = _msgspec.loads(text)
    if fast is not None:
        assert fast == usual
    assert _outcome(text) == usual


@msgspec_only
def test_every_key_given_twice_goes_to_the_usual_path(fast: Any) -> None:
    """For each key of JS212, the document with that key repeated is left to the usual path."""
    starts = [m.start() for m in re.finditer(r'"[a-z_]+": ', JS212)]
    assert len(starts) > 50
    for at in starts:
        key = re.match(r'"[a-z_]+": ', JS212[at:])
        assert key is not None
        doubled = JS212[:at] + key.group() + '"x", ' + JS212[at:]
        assert fast.loads(doubled) is None, key.group()


@msgspec_only
@pytest.mark.parametrize("text", ['He said \\"yes\\": done', 'c\\\\\\": d', '\\":', "\\\\", '\\\\\\"\\":'])
def test_quotes_and_colons_inside_text_are_not_keys(fast: Any, text: str) -> None:
    """Escaped quotes before a colon inside a string do not look like keys (or like a key given twice)."""
    doc = JS212.replace('"Junshi Biosciences"', f'"{text}"', 1)
    portfolio = fast.loads(doc)
    assert portfolio is not None
    assert portfolio == _usual(doc)
    assert portfolio["JS212"].sponsor == json.loads(f'"{text}"')


@msgspec_only
def test_integers_beyond_64_bits_go_to_the_usual_path(fast: Any) -> None:
    text = _set("enrollment", {"count": 2**64})
    assert fast.loads(text) is None
    enrollment = biopipe.loads(text)["JS212"].trials[0].enrollment
    assert enrollment is not None
    assert enrollment.count == 2**64


# -- the validators the generated builders leave out are exactly their Struct types' constraints ----------


def _exact_pairs() -> list[tuple[Any, Any, bool]]:
    """(validator, Struct type, whether the builders also test `BLANK`) for each validator they leave out."""
    from biopipe.document import _msgspec

    return _msgspec._generated()[2].exact


@msgspec_only
def test_the_builders_leave_out_only_checks_msgspec_states() -> None:
    """Text, patterns, string limits, counts, booleans and country codes; every other validator runs."""
    from biopipe.document import _msgspec

    gen = _msgspec._generated()[2]
    left_out = {id(check) for check, _, _ in gen.exact}
    assert any(check is v.text for check, _, _ in gen.exact)
    for cls, source in gen.sources.items():
        for name, obj in gen.ns.items():
            if name.startswith("validator") and name in source:
                assert id(obj) not in left_out, (cls, obj)


hostile_text = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000aA0-:.HGNCEPSQ")),
    st.sampled_from(["", " ", "ERBB3\n", "HGNC:3431\n", "P21860\n", "ENSG00000065361.1\n", "https://x y", "x" * 10]),
    st.from_regex(r"https?://\S+\s?", fullmatch=True),
    st.from_regex(r"[A-Z0-9][A-Za-z0-9-]*\n?", fullmatch=True),
    st.from_regex(r"HGNC:[0-9]+\n?", fullmatch=True),
    st.from_regex(r"ENSG[0-9]{11}(\.[0-9]+)?\n?", fullmatch=True),
    st.from_regex(r"[A-Z][0-9][A-Z0-9]{3,9}[0-9]\n?", fullmatch=True),
)


_decoders: dict[int, Any] = {}


def _accepts(struct_type: Any, value: object) -> bool:
    """Whether msgspec decodes *value*, written as JSON, as *struct_type*."""
    import msgspec

    decoder = _decoders.get(id(struct_type))
    if decoder is None:
        decoder = _decoders[id(struct_type)] = msgspec.json.Decoder(struct_type)
    try:
        decoder.decode(msgspec.json.encode(value))
    except msgspec.ValidationError:
        return False
    return True


@msgspec_only
@given(hostile_text)
def test_each_left_out_check_accepts_exactly_its_struct_type(text: str) -> None:
    from biopipe.document import _msgspec

    is_blank = eval(f"lambda v: {_msgspec.BLANK.format('v')}")  # the very test the builders inline
    for check, struct_type, blank in _exact_pairs():
        if isinstance(check, v.Check) and check is not v.nonnegative_int and check.expected != "a boolean":
            accepted = _accepts(struct_type, text) and not (blank and is_blank(text))
            assert accepted == check.ok(text), (check, text)


@msgspec_only
@given(st.integers() | st.booleans())
def test_left_out_number_checks_accept_exactly_their_struct_types(value: int) -> None:
    """Counts and booleans; integers beyond 64 bits are left to the usual path (the JSON backends differ there)."""
    for check, struct_type, _ in _exact_pairs():
        if isinstance(check, v.Check) and (check is v.nonnegative_int or check.expected == "a boolean"):
            if abs(value) < 2**63:
                assert _accepts(struct_type, value) == check.ok(value), (check, value)
            else:
                assert not _accepts(struct_type, value)


@msgspec_only
def test_non_space_pattern_is_str_isspace_for_every_character() -> None:
    """The text check's ``\\S`` pattern and ``str.isspace`` agree on every code point (surrogates cannot occur)."""
    non_space = re.compile(r"\S")
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        assert (non_space.search(c) is not None) == (not c.isspace()), hex(cp)


# -- the loaders' date parsers (document/_fast.py, shared by both loading paths) --------------------------

date_texts = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?|-[QH][0-9])?", fullmatch=True),
    st.from_regex(r"[0-9\u0660-\u0669]{4}-[0-9]{1,3}-?[0-9]{0,3}\n?", fullmatch=True),
    bst.fact_dates(min_year=1, max_year=9999).map(str),
).flatmap(lambda t: st.sampled_from([t, "on or before " + t, t + " (estimated)", " " + t]))


@given(date_texts)
def test_the_loaders_date_parsers_are_the_models(text: str) -> None:
    """`_parse_fact` and `_parse_partial` give FactDate.parse's and PartialDate.parse_iso's date, or both refuse."""
    from biopipe.document import _fast

    for ours, reference in ((_fast._parse_fact, biopipe.FactDate.parse), (_fast._parse_partial, _parse_iso)):
        try:
            expected: object = reference(text)
        except biopipe.BiopipeError:
            expected = biopipe.BiopipeError
        try:
            got: object = ours(text)
        except biopipe.BiopipeError:
            got = biopipe.BiopipeError
        assert got == expected, (ours, text)


def _parse_iso(text: str) -> biopipe.PartialDate:
    return biopipe.PartialDate.parse_iso(text)


# -- registry ids: the Struct's one pattern is RegistryId's check ------------------------------------------

registry_texts = st.one_of(
    hostile_text,
    st.sampled_from([r.example for r in biopipe.Registry]).flatmap(
        lambda example: st.sampled_from([example, example + "\n", example[:-1], example + "0", " " + example])
    ),
    st.from_regex(r"(NCT|CTR|ChiCTR|jRCT|ISRCTN)?[0-9a-zA-Z-]{0,16}\n?", fullmatch=True),
)


@msgspec_only
@given(registry_texts)
def test_registry_id_text_accepts_exactly_what_registry_id_accepts(text: str) -> None:
    """The msgspec path makes ids without RegistryId's own check, because its Struct type is that check."""
    from biopipe.document import _msgspec

    try:
        biopipe.RegistryId(text)
        valid = True
    except biopipe.InvalidIdentifier:
        valid = False
    assert _accepts(_msgspec.REGISTRY_ID_TEXT, text) == valid, text


# -- the builders make the model's own classes ---------------------------------------------------------------


def _objects(value: object) -> Iterator[object]:
    """Every attrs object reachable from *value* (fields, tuples), *value* included."""
    import attrs

    cls = type(value)
    if isinstance(value, tuple):
        for item in value:
            yield from _objects(item)
    elif attrs.has(cls):
        yield value
        for name in attrs.fields_dict(cls):
            yield from _objects(getattr(value, name))


_MODEL_CLASSES = {
    obj for obj in vars(biopipe.model).values() if isinstance(obj, type) and hasattr(obj, "__attrs_attrs__")
}


@settings(max_examples=10)
@given(bst.portfolios())
def test_loaded_objects_are_instances_of_the_model_classes_only(portfolio: Portfolio) -> None:
    """Objects are built in a subclass (`_fast.building`) and then made the model's class: none is left behind."""
    import pickle

    from biopipe.document import _fast

    text = biopipe.document.dumps_bytes(portfolio)
    loaded = [biopipe.loads(text), _usual(text), Portfolio(assets=_fast.structure_assets(json.loads(text)["assets"]))]
    for result in loaded:
        assert isinstance(result, Portfolio)
        for obj in _objects(result.assets):
            assert type(obj) in _MODEL_CLASSES, type(obj)
        assert result == portfolio
        assert pickle.loads(pickle.dumps(result)) == portfolio
