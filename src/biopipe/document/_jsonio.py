"""biopipe's JSON document format: loads/dumps, load/dump (atomic) and the format version."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ..model._asset import Asset, Portfolio
from ..model._errors import MISSING, BiopipeError, InvalidValue, Problem, ValidationError
from ..model._validate import MAX_STRING, problems_from
from ._fast import Fallback, structure_assets, unstructure_asset
from ._files import write_atomic
from ._results import RESULT_VERSION, Result

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_STRING",
    "dump",
    "dumps",
    "dumps_bytes",
    "from_document",
    "json_text",
    "load",
    "loads",
    "parse_json",
    "read_json",
    "to_document",
]

#: The ``format`` value of every biopipe document.
FORMAT_NAME = "biopipe"
#: The format version this release writes, and the newest it reads.
FORMAT_VERSION = 1

_ROOT_KEYS = ("format", "version", "assets")

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _without_gc(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Pause the cyclic garbage collector while *fn* runs.

    Loading or dumping creates hundreds of thousands of objects and no cycles;
    each full collection would walk all of them, which costs 30-40% of the
    time at 10k assets. The collector is restarted only if it was running.
    """

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


# Above this size (characters or bytes) loads parses with the standard library: orjson's peak memory is
# about 16 times the text, the standard library's about 5 times (the parse is a small part of a load).
_LARGE = 16 << 20

#: The deepest nesting of arrays and objects a document may have (a valid one needs 9).
MAX_DEPTH = 64


@_without_gc
def to_document(obj: Asset | Portfolio | Result) -> dict[str, Any]:
    """The JSON-ready document (plain dicts and lists) for an asset, a portfolio or a result.

    A model document is ``{"format": "biopipe", "version": 1, "assets": [...]}``;
    a result's is ``{"format": "biopipe-<name>", "version": 1, ...}`` with the
    result's fields, written by the same converter under the same rules.

    >>> import biopipe
    >>> doc = biopipe.document.to_document(biopipe.example("js212"))
    >>> doc["format"], doc["version"], doc["assets"][0]["code"]
    ('biopipe', 1, 'JS212')
    >>> tl = biopipe.document.to_document(biopipe.timeline(biopipe.example("js212")))
    >>> tl["format"], tl["entries"][0]["date"]
    ('biopipe-timeline', '2025-01')
    """
    if isinstance(obj, Result):
        from ._convert import converter

        return {"format": f"{FORMAT_NAME}-{obj.document_name}", "version": RESULT_VERSION, **converter.unstructure(obj)}
    portfolio = Portfolio(assets=(obj,)) if isinstance(obj, Asset) else obj
    if not isinstance(portfolio, Portfolio):
        raise InvalidValue(obj, "an Asset, a Portfolio or a query or review result")
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "assets": [unstructure_asset(a) for a in portfolio.assets],
    }


@_without_gc
def from_document(doc: object) -> Portfolio:
    """Validate a parsed JSON document and build its `Portfolio`.

    Raises one `ValidationError` listing every problem with its path.

    >>> import biopipe
    >>> p = biopipe.document.from_document({"format": "biopipe", "version": 1, "assets": []})
    >>> len(p)
    0
    """
    return _from_document(doc, consume=False)


def _from_document(doc: object, *, consume: bool) -> Portfolio:
    """`from_document`; with *consume*, each asset's dict is replaced by its `Asset` once built.

    Consuming keeps peak memory near the size of the parsed document (`loads` owns it).
    """
    if type(doc) is not dict:
        raise ValidationError([Problem("", _limited(doc), "a JSON object with format, version and assets")])
    problems: list[Problem] = []
    for key in doc:
        if key not in _ROOT_KEYS:
            problems.append(Problem(str(key)[:80], doc[key], f"no such field (allowed: {', '.join(_ROOT_KEYS)})"))
    if doc.get("format", MISSING) != FORMAT_NAME:
        problems.append(Problem("format", doc.get("format", MISSING), f"{FORMAT_NAME!r}"))
    version = doc.get("version", MISSING)
    if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
        problems.append(Problem("version", version, f"an integer format version from 1 to {FORMAT_VERSION}"))
    data = doc.get("assets", MISSING)
    if not problems and type(data) is list:
        # The generated fast path; anything it declines is reported by the converter below.
        with contextlib.suppress(Fallback, BiopipeError):
            return Portfolio(assets=structure_assets(data, consume=consume))
    # Bad input: first the limits, so that nothing below recurses into a pathological value.
    limits = _limit_problems(doc)
    if limits:
        raise ValidationError(limits)
    assets: list[Asset] = []
    if data is MISSING:
        problems.append(Problem("assets", MISSING, "an array of assets"))
    else:
        # The converter (and cattrs) only load for bad input: the fast path handles good documents.
        from ._convert import converter, problems_of

        errors = (BiopipeError, ValueError, TypeError, KeyError, BaseExceptionGroup)
        if type(data) is not list:
            try:
                converter.structure(data, tuple[Asset, ...])
            except errors as e:
                problems.extend(problems_of(e, "assets"))
        for i, item in enumerate(data if type(data) is list else ()):
            if isinstance(item, Asset):  # built (and so valid) before the fast path stopped
                assets.append(item)
                continue
            try:
                assets.append(converter.structure(item, Asset))
            except errors as e:
                problems.extend(problems_of(e, f"assets[{i}]"))
    if not problems:
        try:
            return Portfolio(assets=tuple(assets))
        except BiopipeError as e:
            problems.extend(problems_from(e, ""))
    raise ValidationError(problems)


def _limited(value: object) -> object:
    """*value*, or a bounded stand-in if it breaks the limits (its repr could be huge or recurse)."""
    return value if not _limit_problems(value) else _nested_repr(value)


@_without_gc
def loads(text: str | bytes) -> Portfolio:
    """Parse and validate a biopipe JSON document.

    Limits: nesting deeper than `MAX_DEPTH` and strings longer than
    `MAX_STRING` characters are errors (a `ValidationError`), never a crash.

    >>> import biopipe
    >>> p = biopipe.loads(biopipe.dumps(biopipe.example("js212")))
    >>> p["JS212"] == biopipe.example("js212")
    True
    >>> biopipe.loads('{"format": "biopipe", "version": 1, "assets": [{"code": "X", '
    ...               '"sponsor": "Y", "modality": "pill"}]}')
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in document:
      assets[0].modality: got 'pill', expected one of 'small_molecule', ...
    >>> biopipe.loads('{"format": "biopipe", "version": 1, "assets": ' + "[" * 99 + "]" * 99 + "}")
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in document:
      assets[0][0]...[0]: got '[[[[[[...]]]]]]', expected arrays and objects nested at most 64 deep
    """
    # -- msgspec first, when installed (document/_msgspec.py): it accepts only what the path below accepts, --
    # -- and gives up (None) on anything else, which the path below then accepts or reports. ----------------
    fast = _msgspec_loads()
    if fast is not None and (portfolio := fast(text)) is not None:
        return portfolio
    # -- end of the msgspec path ------------------------------------------------------------------------------
    try:
        parse = json.loads if len(text) > _LARGE else _backend_loads()
        doc = parse(text)
    except (RecursionError, ValueError, TypeError) as e:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ValidationError([Problem("", _excerpt(text), f"valid JSON ({e})")]) from None
    try:
        return _from_document(doc, consume=True)
    except ValidationError as first:
        if parse is json.loads:
            raise
        # orjson reads integers beyond 64 bits as floats; the standard library reads them exactly.
        try:
            doc = json.loads(text)
        except (RecursionError, ValueError, TypeError):
            raise first from None
    return _from_document(doc, consume=True)


@_without_gc
def dumps(obj: Asset | Portfolio | Result) -> str:
    """The canonical JSON text of an asset, a portfolio or a result: same object, same text.

    Fields at their default are omitted; keys keep the model's field order;
    the text ends with a newline.

    >>> import biopipe
    >>> print(biopipe.dumps(biopipe.Asset(code="X1", sponsor="Acme",
    ...                                   modality=biopipe.Modality.SMALL_MOLECULE)))
    {
      "format": "biopipe",
      "version": 1,
      "assets": [
        {
          "code": "X1",
          "sponsor": "Acme",
          "modality": "small_molecule"
        }
      ]
    }
    <BLANKLINE>
    """
    doc = to_document(obj)
    data = _encode_fast(doc)
    return _text(doc) if data is None else data.decode("utf-8")


@_without_gc
def dumps_bytes(obj: Asset | Portfolio | Result) -> bytes:
    """The canonical JSON of *obj* as UTF-8 bytes: ``dumps(obj).encode()``, without the round trip.

    Uses orjson when it is installed (``pip install biopipe-intel[fast]``); the bytes
    are identical either way.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> biopipe.document.dumps_bytes(js212) == biopipe.dumps(js212).encode("utf-8")
    True
    """
    doc = to_document(obj)
    data = _encode_fast(doc)
    return _text(doc).encode("utf-8") if data is None else data


def json_text(value: Any) -> str:
    """The canonical JSON text of plain JSON data, written as `dumps` writes a document.

    Two-space indents, UTF-8 text rather than escapes, a final newline. For JSON
    that is not a biopipe document, such as a FHIR Bundle or the JSON Schema.

    >>> from biopipe.document import json_text
    >>> print(json_text({"resourceType": "Bundle", "entry": []}), end="")
    {
      "resourceType": "Bundle",
      "entry": []
    }
    """
    data = _encode_fast(value)
    return _text(value) if data is None else data.decode("utf-8")


# -- JSON backends: orjson when importable, else the standard library, same bytes ----------------


@functools.cache
def _orjson() -> ModuleType | None:
    if os.environ.get("BIOPIPE_JSON") == "json":
        return None
    try:
        import orjson
    except ImportError:
        return None
    return orjson


@functools.cache
def _msgspec_loads() -> Callable[[str | bytes], Portfolio | None] | None:
    """The msgspec loader (`_msgspec.loads`) if msgspec is importable and ``BIOPIPE_JSON`` is not json or orjson."""
    if os.environ.get("BIOPIPE_JSON") in ("json", "orjson"):
        return None
    try:
        from ._msgspec import loads
    except ImportError:
        return None
    return loads


def json_backend() -> str:
    """The JSON library in use: ``"orjson"`` if importable, else ``"json"``.

    Setting the environment variable ``BIOPIPE_JSON=json`` before the first
    use forces the standard library.

    >>> from biopipe.document import json_backend
    >>> json_backend() in ("orjson", "json")
    True
    """
    return "json" if _orjson() is None else "orjson"


def _backend_loads() -> Callable[[str | bytes], Any]:
    orjson = _orjson()
    if orjson is None:
        return json.loads
    loads: Callable[[str | bytes], Any] = orjson.loads
    return loads


def _encode_fast(doc: Any) -> bytes | None:
    """The canonical bytes by orjson, or None without orjson or for what it cannot write."""
    orjson = _orjson()
    if orjson is None:
        return None
    try:
        data: bytes = orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        return None  # integers beyond 64 bits, strings that are not valid Unicode: the standard library's turn
    return data


def _text(doc: Any) -> str:
    """The canonical text by the standard library."""
    out: list[str] = []
    _write(doc, "\n", out)
    out.append("\n")
    return "".join(out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    """Append the text ``json.dumps(value, ensure_ascii=False, indent=2)`` writes, faster.

    Only the types `to_document` produces occur: dict, list, str, int, bool, None.
    """
    t = type(value)
    if t is str:
        out.append(encode_basestring(value))
    elif t is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key, item in value.items():
            out.append(sep)
            out.append(encode_basestring(key))
            out.append(": ")
            _write(item, inner, out)
            sep = "," + inner
        out.append(newline + "}")
    elif t is list:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _write(item, inner, out)
            sep = "," + inner
        out.append(newline + "]")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif t is int:
        out.append(int.__repr__(value))
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def _limit_problems(doc: object) -> list[Problem]:
    """Problems with nesting deeper than `MAX_DEPTH` or strings longer than `MAX_STRING`.

    Iterative, so neither a deep nor a cyclic structure can exhaust the stack.
    """
    problems: list[Problem] = []
    stack: list[tuple[object, int, str]] = [(doc, 0, "")]
    while stack and len(problems) < 100:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                problems.append(Problem(path, _excerpt(value), f"a string of at most {MAX_STRING} characters"))
        elif isinstance(value, (dict, list)) and depth >= MAX_DEPTH:
            short = path if len(path) <= 40 else f"{path[:30]}...{path[-6:]}"
            problems.append(Problem(short, _nested_repr(value), f"arrays and objects nested at most {MAX_DEPTH} deep"))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, f"{path}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and len(key) > MAX_STRING:
                    problems.append(Problem(path, _excerpt(key), f"a key of at most {MAX_STRING} characters"))
                else:
                    stack.append((item, depth + 1, f"{path}.{key}" if path else str(key)))
    return problems


def _nested_repr(value: object) -> str:
    """A bounded text for a deeply nested or huge value (its repr could exhaust the stack)."""
    if isinstance(value, str):
        return _excerpt(value)
    return "[[[[[[...]]]]]]" if isinstance(value, list) else "{{{{{{...}}}}}}"


def parse_json(text: str | bytes, *, subject: str = "document") -> Any:
    """Parse JSON text under the loader's limits (`MAX_DEPTH`, `MAX_STRING`).

    For JSON that is not a biopipe document, such as ClinicalTrials.gov records.
    Bad JSON is a `ValidationError`, never a crash.

    >>> from biopipe.document import parse_json
    >>> parse_json('{"studies": []}')
    {'studies': []}
    >>> parse_json("[" * 99 + "]" * 99)
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in document:
      [0]...[0]: got '[[[[[[...]]]]]]', expected arrays and objects nested at most 64 deep
    """
    try:
        parse = json.loads if len(text) > _LARGE else _backend_loads()
        doc = parse(text)
    except (RecursionError, ValueError, TypeError) as e:
        raise ValidationError([Problem("", _excerpt(text), f"valid JSON ({e})")], subject=subject) from None
    problems = _limit_problems(doc)
    if problems:
        raise ValidationError(problems, subject=subject)
    return doc


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file with `parse_json`; errors name the file.

    >>> import tempfile, pathlib
    >>> from biopipe.document import read_json
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "a.json").write_text('{"a": 1}')
    ...     read_json(pathlib.Path(tmp, "a.json"))
    {'a': 1}
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InvalidValue(str(path), "a readable file", detail=e.strerror) from None
    return parse_json(data, subject=str(path))


def load(path: str | os.PathLike[str]) -> Portfolio:
    """Read and validate a biopipe JSON file.

    >>> import biopipe, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = pathlib.Path(tmp, "js212.json")
    ...     biopipe.dump(biopipe.example("js212"), target)
    ...     len(biopipe.load(target))
    1
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InvalidValue(str(path), "a readable file", detail=e.strerror) from None
    return loads(data)


def dump(obj: Asset | Portfolio | Result, path: str | os.PathLike[str]) -> None:
    """Write the canonical JSON of *obj* to *path* atomically.

    The text goes to a temporary file in the same folder, which is flushed to
    disk and then renamed over *path*: readers see the old file or the new
    one, never half of one.

    >>> import biopipe, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = pathlib.Path(tmp, "js212.json")
    ...     biopipe.dump(biopipe.example("js212"), target)
    ...     target.read_text("utf-8") == biopipe.dumps(biopipe.example("js212"))
    True
    """
    write_atomic(path, dumps_bytes(obj))


def _excerpt(text: object, limit: int = 60) -> str:
    if isinstance(text, (bytes, bytearray, memoryview)):
        s = bytes(text[: limit * 4]).decode("utf-8", "replace")
    else:
        s = text if isinstance(text, str) else repr(text)
    return s if len(s) <= limit else s[:limit] + "..."
