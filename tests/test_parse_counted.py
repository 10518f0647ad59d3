"""The strict parser's quick paths (`_jsonio._parse`: orjson's compact or indented writing, msgspec with counted
keys) give exactly the standard library's strict answer (`_parse_exact`): the same value, types included, or an error.
"""

from __future__ import annotations

import importlib.util
import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biopipe import ValidationError
from biopipe.document import _jsonio

needs_fast = pytest.mark.skipif(
    importlib.util.find_spec("orjson") is None or importlib.util.find_spec("msgspec") is None,
    reason="needs orjson and msgspec",
)


class Pairs(list[tuple[str, Any]]):
    """A JSON object as written: its keys in order, a key possibly given twice."""


def same(a: object, b: object) -> bool:
    """Equal values of equal types all the way down (1 is not 1.0, -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        assert isinstance(b, float)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


keys = st.sampled_from(["a", "b", "c", 'q"', "é", ":", "\u2028"]) | st.text(max_size=3)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.sampled_from(['"', '":', "\\", "\ud800", "\x00", "\n"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.lists(st.tuples(keys, inner), max_size=4).map(Pairs),
    max_leaves=16,
)


def write(value: object, ascii_only: bool, indent: int | None, level: int = 0) -> str:
    """JSON text of *value* as some writer would give it (keys given twice are kept)."""
    pad = "" if indent is None else "\n" + " " * (indent * (level + 1))
    end = "" if indent is None else "\n" + " " * (indent * level)
    if isinstance(value, Pairs):
        items = [
            f"{json.dumps(k, ensure_ascii=ascii_only)}: {write(v, ascii_only, indent, level + 1)}" for k, v in value
        ]
        return "{" + ",".join(pad + i for i in items) + (end if items else "") + "}"
    if isinstance(value, list):
        items = [write(v, ascii_only, indent, level + 1) for v in value]
        return "[" + ",".join(pad + i for i in items) + (end if items else "") + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


def outcome(parse: Any, text: str | bytes) -> tuple[str, Any]:
    try:
        value, _ = parse(text, subject="x")
    except ValidationError as e:
        return "error", str(e)
    return "value", value


def check(text: str | bytes) -> None:
    quick, exact = outcome(_jsonio._parse, text), outcome(_jsonio._parse_exact, text)
    assert quick[0] == exact[0], (text, quick, exact)
    if quick[0] == "value":
        assert same(quick[1], exact[1]), (text, quick, exact)


@needs_fast
@given(values, st.booleans(), st.sampled_from([None, 0, 1, 2]), st.booleans(), st.booleans())
def test_quick_parse_is_the_strict_parse(
    value: object, ascii_only: bool, indent: int | None, raw: bool, nl: bool
) -> None:
    text = write(value, ascii_only, indent) + ("\n" if nl else "")
    if raw:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate written raw: not UTF-8, whatever the parser
            return
        check(data)
    else:
        check(text)


@needs_fast
@pytest.mark.parametrize(
    "text",
    [
        '{"a":1,"a":2}',
        '{"a": 1, "b": {"c": 1, "c": 1}}',
        '{"a":":","a":1}',  # a string that starts with a colon: the marks bound the keys from above
        '{"\\u0061":1,"a":2}',  # the same key, escaped once
        '{"q\\"":1,"q\\"":1}',
        '[{"x":1},{"x":1,"x":1}]',
        "18446744073709551616",
        "[1e400]",
        '"\\ud800"',
        "NaN",
        '{"a":1}x',
    ],
)
def test_keys_given_twice_and_other_edges(text: str) -> None:
    check(text)
    check(text.encode("utf-8"))


def test_a_compact_record_takes_the_quick_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compact text (as orjson writes) is vouched for by orjson alone; the strict parser is not run."""
    if importlib.util.find_spec("orjson") is None:
        pytest.skip("needs orjson")

    def refuse(*_: object, **__: object) -> Any:
        raise AssertionError("the strict parser ran")

    monkeypatch.setattr(_jsonio, "_parse_exact", refuse)
    value, _ = _jsonio._parse(b'{"a":[1,2.5,"\xc3\xa9",null,true]}', subject="x")
    assert value == {"a": [1, 2.5, "é", None, True]}
    if _jsonio._msgspec_parse() is not None:
        value, _ = _jsonio._parse('{"a": [1, 18446744073709551616]}', subject="x")
        assert value == {"a": [1, 18446744073709551616]}
