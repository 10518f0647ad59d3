"""biopipe's JSON document format: loads/dumps, load/dump (atomic) and the format version."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import stat
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ..model._asset import Asset, Portfolio
from ..model._errors import MISSING, BiopipeError, InvalidValue, Problem, ValidationError, short_repr
from ..model._trial import Trial
from ..model._validate import MAX_STRING, problems_from
from ._fast import Fallback, structure_assets, structure_trials, unstructure_asset, unstructure_trial
from ._files import write_atomic
from ._format import FORMAT_NAME, FORMAT_VERSION, RESULT_VERSION, TRIALS_VERSION

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from types import ModuleType

    from ._results import Result

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_STRING",
    "default_max_bytes",
    "dump",
    "dumps",
    "dumps_bytes",
    "from_document",
    "json_text",
    "load",
    "loads",
    "migrate",
    "parse_json",
    "read_bounded",
    "read_json",
    "to_document",
]

_ROOT_KEYS = ("format", "version", "assets", "trials")

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

    A model document is ``{"format": "biopipe", "version": 2, "assets": [...]}``,
    with ``"trials": [...]`` when the portfolio has registry trials not linked
    to an asset (see `FORMAT_VERSION` and `migrate`). A result's is
    ``{"format": "biopipe-<name>", "version": 1, ...}`` with the result's fields,
    written by the same converter under the same rules.

    >>> import biopipe
    >>> doc = biopipe.document.to_document(biopipe.example("js212"))
    >>> doc["format"], doc["version"], doc["assets"][0]["code"]
    ('biopipe', 2, 'JS212')
    >>> tl = biopipe.document.to_document(biopipe.timeline(biopipe.example("js212")))
    >>> tl["format"], tl["entries"][0]["date"]
    ('biopipe-timeline', '2025-01')
    """
    name = getattr(type(obj), "document_name", None)
    if isinstance(name, str):  # a Result (its module imports this one, so it is recognised by its name)
        from ._convert import converter

        return {"format": f"{FORMAT_NAME}-{name}", "version": RESULT_VERSION, **converter.unstructure(obj)}
    portfolio = Portfolio(assets=(obj,)) if isinstance(obj, Asset) else obj
    if not isinstance(portfolio, Portfolio):
        raise InvalidValue(obj, "an Asset, a Portfolio or a query or review result")
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "assets": [unstructure_asset(a) for a in portfolio.assets],
    }
    if portfolio.trials:
        doc["trials"] = [unstructure_trial(t) for t in portfolio.trials]
    return doc


def migrate(doc: object) -> dict[str, Any]:
    """A version-1 (or version-2) document, parsed, rewritten as the current version.

    Version 1's fields are a subset of version 2's and mean the same, with two
    exceptions that change answers rather than data: a designation must be one
    its agency grants (`Designation.granted_by`: a version-1 "PRIME" by the FDA
    is refused, naming the event), and an announced date ("on or before X")
    with no earlier bound on record is *uncertain* before X in
    `biopipe.state_as_of` (version 1's answers called it certainly not yet
    happened). Every value is kept; nothing is inferred. On the command line,
    ``biopipe validate OLD.json`` reads a version-1 document and
    ``biopipe export json OLD.json -o NEW.json`` writes it as version 2.

    >>> import biopipe
    >>> doc = {"format": "biopipe", "version": 1, "assets": [
    ...     {"code": "X1", "sponsor": "Acme", "modality": "small_molecule",
    ...      "events": [{"agency": "fda", "kind": "ind_cleared", "date": "on or before 2025-12-14"}]}]}
    >>> new = migrate(doc)
    >>> new["version"], new["assets"] == doc["assets"]
    (2, True)
    """
    return to_document(from_document(doc))


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
    """`from_document`; with *consume*, each asset's (and trial's) dict is replaced by its value once built.

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
    root_trials = doc.get("trials", MISSING)
    if root_trials is not MISSING and type(version) is int and 1 <= version < TRIALS_VERSION:
        problems.append(
            Problem("version", version, f"format version {TRIALS_VERSION} or newer for a document with root trials")
        )
    data = doc.get("assets", MISSING)
    if not problems and type(data) is list and (root_trials is MISSING or type(root_trials) is list):
        # The generated fast path; anything it declines is reported by the converter below.
        with contextlib.suppress(Fallback, BiopipeError):
            assets = structure_assets(data, consume=consume)
            if root_trials is MISSING:
                return Portfolio(assets=assets)
            return Portfolio(assets=assets, trials=structure_trials(root_trials, consume=consume))
    # Bad input: first the limits, so that nothing below recurses into a pathological value.
    limits = _limit_problems(doc)
    if limits:
        raise ValidationError(limits)
    built: list[Asset] = []
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
                built.append(item)
                continue
            try:
                built.append(converter.structure(item, Asset))
            except errors as e:
                problems.extend(problems_of(e, f"assets[{i}]"))
    trials = _slow_trials(root_trials, problems)
    if not problems:
        try:
            return Portfolio(assets=tuple(built), trials=tuple(trials))
        except BiopipeError as e:
            problems.extend(problems_from(e, ""))
    raise ValidationError(problems)


def _slow_trials(data: object, problems: list[Problem]) -> list[Trial]:
    """The root trials by the converter, each problem added to *problems* with its path (``trials[3].status``)."""
    if data is MISSING:
        return []
    from ._convert import converter, problems_of

    errors = (BiopipeError, ValueError, TypeError, KeyError, BaseExceptionGroup)
    if type(data) is not list:
        try:
            converter.structure(data, tuple[Trial, ...])
        except errors as e:
            problems.extend(problems_of(e, "trials"))
        return []
    trials: list[Trial] = []
    for i, item in enumerate(data):
        if isinstance(item, Trial):  # built (and so valid) before the fast path stopped
            trials.append(item)
            continue
        try:
            trials.append(converter.structure(item, Trial))
        except errors as e:
            problems.extend(problems_of(e, f"trials[{i}]"))
    return trials


def _limited(value: object) -> object:
    """*value*, or a bounded stand-in if it breaks the limits (its repr could be huge or recurse)."""
    return value if not _limit_problems(value) else _nested_repr(value)


@_without_gc
def loads(text: str | bytes) -> Portfolio:
    """Parse and validate a biopipe JSON document.

    Limits: nesting deeper than `MAX_DEPTH` and strings longer than
    `MAX_STRING` characters are errors (a `ValidationError`), never a crash.
    Reading is strict, with the same answer whichever JSON library is in use:
    a key twice in one object, a byte-order mark, bytes that are not UTF-8 and
    ``NaN``/``Infinity`` are errors.

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
    doc, exact = _parse(text, subject="document")
    try:
        return _from_document(doc, consume=True)
    except ValidationError as first:
        if exact:
            raise
        # orjson reads integers beyond 64 bits as floats; the exact parse reads them as integers.
        try:
            doc, _ = _parse_exact(text, subject="document")
        except ValidationError:
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
      "version": 2,
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
    data = _encode_model(obj)
    if data is not None:
        return data.decode("utf-8")
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
    data = _encode_model(obj)
    if data is not None:
        return data
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


#: Assets (or root trials) written by one orjson call: small enough that each chunk's dicts are still in
#: the CPU caches when orjson reads them and when they are freed (measured: 8-32 alike, 1 or 128 slower).
_CHUNK = 16
# orjson writes ``[[item, ...]]`` with OPT_INDENT_2 as ``[\n  [\n    item,\n    ...\n  ]\n]``: the items at
# the indent of a root array's items (4 spaces), between these two ends.
_CHUNK_HEAD = b"[\n  [\n    "
_CHUNK_TAIL = b"\n  ]\n]"
_ITEM_SEP = b",\n    "


def _encode_model(obj: object) -> bytes | None:
    """The canonical bytes of an asset or a portfolio by orjson, a few items at a time; None if not that.

    The same bytes as ``_encode_fast(to_document(obj))``, without the whole document's dicts alive at once:
    each chunk of `_CHUNK` assets is unstructured, written and freed while it is in the caches (at 10k
    assets, 290 -> 200 ms CPU). None without orjson, for anything but an `Asset` or a `Portfolio` and
    whenever orjson refuses a chunk (integers beyond 64 bits, ...): the caller then writes the whole
    document as before.
    """
    orjson = _orjson()
    if orjson is None:
        return None
    if type(obj) is Asset:
        portfolio = Portfolio(assets=(obj,))
    elif type(obj) is Portfolio:
        portfolio = obj
    else:
        return None
    parts = [b'{\n  "format": ', orjson.dumps(FORMAT_NAME), b',\n  "version": %d,\n  "assets": ' % FORMAT_VERSION]
    try:
        _encode_items(orjson, unstructure_asset, portfolio.assets, parts)
        if portfolio.trials:
            parts.append(b',\n  "trials": ')
            _encode_items(orjson, unstructure_trial, portfolio.trials, parts)
    except orjson.JSONEncodeError:
        return None
    parts.append(b"\n}\n")
    return b"".join(parts)


def _encode_items(
    orjson: ModuleType, unstructure: Callable[[Any], Any], items: tuple[Any, ...], parts: list[Any]
) -> None:
    """Append the JSON array of *items* as it appears in a document (items at a 4-space indent) to *parts*."""
    if not items:
        parts.append(b"[]")
        return
    dumps, option = orjson.dumps, orjson.OPT_INDENT_2
    head, tail = len(_CHUNK_HEAD), -len(_CHUNK_TAIL)
    parts.append(b"[\n    ")
    for start in range(0, len(items), _CHUNK):
        data: bytes = dumps([[unstructure(x) for x in items[start : start + _CHUNK]]], option=option)
        if start:
            parts.append(_ITEM_SEP)
        parts.append(memoryview(data)[head:tail])
    parts.append(b"\n  ]")


def _text(doc: Any) -> str:
    """The canonical text by the standard library."""
    out: list[str] = []
    _write(doc, "\n", out)
    out.append("\n")
    return "".join(out)


@functools.cache
def _quoting() -> Callable[[str], str]:
    """The standard library's (C) string quoting; ``json`` is imported on first use, not by ``import biopipe``."""
    from json.encoder import encode_basestring

    quote: Callable[[str], str] = encode_basestring
    return quote


def _write(value: Any, newline: str, out: list[str], quote: Callable[[str], str] | None = None) -> None:
    """Append the text ``json.dumps(value, ensure_ascii=False, indent=2)`` writes, faster.

    Only the types `to_document` produces occur: dict, list, str, int, bool, None.
    """
    if quote is None:
        quote = _quoting()
    t = type(value)
    if t is str:
        out.append(quote(value))
    elif t is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key, item in value.items():
            out.append(sep)
            out.append(quote(key))
            out.append(": ")
            _write(item, inner, out, quote)
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
            _write(item, inner, out, quote)
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
        import json

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
    return _parse_record(text, subject=subject, limits=True)


def _parse_record(text: str | bytes, *, subject: str, limits: bool) -> Any:
    """`parse_json`; without *limits*, nesting is not checked (strings still are, when the text is long enough).

    Only for callers that keep no part of the value unchecked: the bulk ClinicalTrials.gov
    import reads a record at fixed paths, counts the rest without walking into it, and bounds
    what it keeps of a bad record (`_limited`).
    """
    doc, _ = _parse(text, subject=subject)
    # No string in the value can be longer than the text it was parsed from.
    strings = len(text) > MAX_STRING
    if (limits or strings) and not _within_limits(doc, strings=strings):
        raise ValidationError(_limit_problems(doc), subject=subject)
    return doc


def _within_limits(doc: object, *, strings: bool) -> bool:
    """Whether *doc* nests at most `MAX_DEPTH` deep (and, with *strings*, has no string or key too long).

    A lean walk over the arrays and objects only, several times quicker than `_limit_problems`,
    which is run only when this says no, to name the problems.
    """
    stack: list[tuple[object, int]] = [(doc, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        if isinstance(value, str):  # pushed only when strings are checked
            if len(value) > MAX_STRING:
                return False
            continue
        if depth >= MAX_DEPTH:
            return False
        items: Iterable[object]
        if isinstance(value, dict):
            if strings and any(isinstance(k, str) and len(k) > MAX_STRING for k in value):
                return False
            items = value.values()
        elif isinstance(value, list):
            items = value
        else:
            continue
        for item in items:
            t = type(item)
            if t is dict or t is list or (strings and t is str):
                push((item, depth + 1))
    return True


def read_json(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Any:
    """Read a JSON file with `parse_json`; errors name the file.

    The file is read as `load` reads a document (`read_bounded`: a regular
    file of at most *max_bytes* bytes).

    >>> import tempfile, pathlib
    >>> from biopipe.document import read_json
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "a.json").write_text('{"a": 1}')
    ...     read_json(pathlib.Path(tmp, "a.json"))
    {'a': 1}
    """
    return parse_json(read_bounded(path, max_bytes), subject=str(path))


def load(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Portfolio:
    """Read and validate a biopipe JSON file.

    *path* must be a regular file (not a folder, FIFO or device) of at most
    *max_bytes* bytes; the default is `MAX_BYTES` (1 GiB) or the environment
    variable ``BIOPIPE_MAX_BYTES`` (see `default_max_bytes`). Anything else
    is a `BiopipeError` naming the file, raised without reading past the bound.

    >>> import biopipe, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = pathlib.Path(tmp, "js212.json")
    ...     biopipe.dump(biopipe.example("js212"), target)
    ...     len(biopipe.load(target))
    1
    """
    return loads(read_bounded(path, max_bytes))


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


# -- strict parsing: one answer whichever JSON library runs -----------------------------------------
# Kept apart from `loads` so that another decoder can be put in front of `_parse_exact`: whatever it is,
# a good document must come out of it or `_parse_exact` decides (duplicate keys, BOM, UTF-8, NaN).

#: The default bound on the size of a file `load` and `read_json` read: 1 GiB.
MAX_BYTES = 1 << 30

_BOM = "\ufeff"


def default_max_bytes() -> int:
    """The size bound (bytes) `load` and `read_json` apply by default.

    `MAX_BYTES` unless the environment variable ``BIOPIPE_MAX_BYTES`` holds
    a positive integer, read at each call.

    >>> from biopipe.document import MAX_BYTES, default_max_bytes
    >>> default_max_bytes() == MAX_BYTES
    True
    """
    value = os.environ.get("BIOPIPE_MAX_BYTES", "").strip()
    if not value:
        return MAX_BYTES
    if not value.isascii() or not value.isdigit() or int(value) <= 0:
        raise InvalidValue(value, "a positive number of bytes in BIOPIPE_MAX_BYTES")
    return int(value)


def _parse(text: str | bytes, *, subject: str) -> tuple[Any, bool]:
    """Parse JSON text strictly; the value, and whether it came from `_parse_exact`.

    orjson is tried first below `_LARGE`. Its answer stands only when re-writing
    it gives back *text* byte for byte (canonical text, such as `dumps` writes,
    cannot hide a duplicate key: orjson would keep one of the two and the
    re-written text would be shorter); anything else, including every orjson
    error, is decided by `_parse_exact`. For canonical text the check (one
    orjson write and a compare) costs about 10% of a `loads`; other text pays
    the standard library's parse as well.
    """
    if _starts_with_bom(text):
        raise _bad_json(text, "a byte-order mark at the start: biopipe reads UTF-8 text without one", subject)
    orjson = _orjson()
    if orjson is None or len(text) > _LARGE:
        return _parse_exact(text, subject=subject)
    # Indented text is checked against orjson's indented writing, other text against its compact
    # writing (as orjson and JSON Lines writers write records; the registry's files are indented):
    # equal bytes cannot hide a duplicate.
    indented = text[1:2] in ("\n", b"\n")
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE if indented else 0
    try:
        doc = orjson.loads(text)
        again: bytes = orjson.dumps(doc, option=option)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return _parse_exact(text, subject=subject)
    if again == (text.encode("utf-8") if isinstance(text, str) else text):
        return doc, False
    # -- other text: msgspec's parse with the keys counted (document/_msgspec.py `parse`), when installed --
    counted = _msgspec_parse()
    if counted is not None:
        parse, not_sure = counted
        del doc
        doc = parse(text)
        if doc is not not_sure:
            return doc, False
    return _parse_exact(text, subject=subject)


def _msgspec_parse() -> tuple[Callable[[str | bytes], Any], object] | None:
    """The counted msgspec parse (`_msgspec.parse`) and its "not sure" value, whenever the msgspec loader is on."""
    if _msgspec_loads() is None:
        return None
    from ._msgspec import NOT_SURE, parse

    return parse, NOT_SURE


def _starts_with_bom(text: str | bytes) -> bool:
    if isinstance(text, str):
        return text.startswith(_BOM)
    return bytes(text[:3]) == b"\xef\xbb\xbf" or bytes(text[:2]) in (b"\xff\xfe", b"\xfe\xff")


def _parse_exact(text: str | bytes, *, subject: str) -> tuple[Any, bool]:
    """Parse with the standard library under the strict rules; the reference for every backend.

    Bytes must be UTF-8 (the standard library alone would also take UTF-16 and
    UTF-32, and encoded surrogates); ``NaN`` and ``Infinity`` are not JSON; a
    key given twice in one object is an error naming its path.
    """
    if _starts_with_bom(text):
        raise _bad_json(text, "a byte-order mark at the start: biopipe reads UTF-8 text without one", subject)
    if not isinstance(text, str):
        data = bytes(text)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _bad_json(data, _utf8_problem(data, e), subject) from None
    duplicates: list[_Duplicates] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            obj = _Duplicates(items)
            duplicates.append(obj)
        return obj

    try:
        import json  # on first use: not part of ``import biopipe``

        doc = json.loads(text, object_pairs_hook=pairs, parse_constant=_no_constant)
    except (RecursionError, ValueError, TypeError) as e:  # JSONDecodeError is a ValueError
        raise _bad_json(text, str(e), subject) from None
    if duplicates:
        raise ValidationError(_duplicate_problems(doc), subject=subject)
    return doc, True


class _Duplicates(dict[str, Any]):
    """A parsed object that had a key more than once (the last value kept, as every parser does)."""

    def __init__(self, items: list[tuple[str, Any]]) -> None:
        super().__init__(items)
        values: dict[str, list[Any]] = {}
        for key, value in items:
            values.setdefault(key, []).append(value)
        #: Each key given more than once, with its values in order.
        self.twice = {key: tuple(found) for key, found in sorted(values.items()) if len(found) > 1}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _duplicate_problems(doc: Any) -> list[Problem]:
    """A problem for each key given twice, with its path (iterative: the depth is not yet checked)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack and len(problems) < 100:
        value, path = stack.pop()
        if isinstance(value, _Duplicates):
            for key, found in value.twice.items():
                where = f"{path}.{key}" if path else key
                expected = f"each key once in an object ({short_repr(key, 40)} is given {len(found)} times)"
                problems.append(Problem(where[:200], _limited(found), expected))
        if isinstance(value, dict):
            stack.extend((item, f"{path}.{key}" if path else str(key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(value))
    problems.sort(key=lambda p: p.path)
    return problems


def _utf8_problem(data: bytes, error: UnicodeDecodeError) -> str:
    """Where UTF-8 decoding failed: the byte, its offset, line and column."""
    start = error.start
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    return f"not UTF-8: byte 0x{data[start]:02x} at byte offset {start} (line {line}, column {column}): {error.reason}"


def _bad_json(text: object, reason: str, subject: str) -> ValidationError:
    return ValidationError([Problem("", _excerpt(text), f"valid JSON ({reason})")], subject=subject)


def read_bounded(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of the regular file *path*, refusing anything else or more than *limit* bytes.

    *limit* defaults to `default_max_bytes`. A folder, FIFO, socket or device is
    refused before it is read (a FIFO is opened without blocking, so a FIFO
    with no writer cannot hang); at most ``limit + 1`` bytes are read. Errors
    are `BiopipeError` s naming the file.

    >>> import tempfile, pathlib
    >>> from biopipe.document import read_bounded
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "a.json").write_text("[1, 2]")
    ...     read_bounded(pathlib.Path(tmp, "a.json"))
    ...     read_bounded(pathlib.Path(tmp, "a.json"), 3)
    Traceback (most recent call last):
    ...
    biopipe.InvalidValue: invalid value '...a.json': expected a file of at most 3 bytes ...
    >>> read_bounded("/")
    Traceback (most recent call last):
    ...
    biopipe.InvalidValue: invalid value '/': expected a regular file (it is a folder)
    """
    bound = default_max_bytes() if limit is None else limit
    name = str(path)
    too_big = f"a file of at most {bound} bytes (the bound is max_bytes= or BIOPIPE_MAX_BYTES)"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        _regular(name, os.stat(path).st_mode)
        fd = os.open(path, flags)
    except OSError as e:
        raise InvalidValue(name, "a readable file", detail=e.strerror) from None
    try:
        info = os.fstat(fd)
        _regular(name, info.st_mode)  # it could have been swapped between stat and open
        if info.st_size > bound:
            raise InvalidValue(name, too_big, detail=f"it has {info.st_size}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(bound + 1)
    except OSError as e:
        raise InvalidValue(name, "a readable file", detail=e.strerror) from None
    finally:
        os.close(fd)
    if len(data) > bound:
        raise InvalidValue(name, too_big, detail="it has more")
    return data


def _regular(name: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((k for test, k in kinds if test(mode)), "not a regular file")
    raise InvalidValue(name, "a regular file", detail=f"it is {kind}")
