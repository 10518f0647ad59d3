"""biopipe's JSON document format: loads/dumps, load/dump (atomic) and the format version."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ._asset import Asset, Portfolio
from ._convert import converter, problems_of
from ._errors import MISSING, BiopipeError, InvalidValue, Problem, ValidationError

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "dump", "dumps", "from_document", "load", "loads", "to_document"]

#: The ``format`` value of every biopipe document.
FORMAT_NAME = "biopipe"
#: The format version this release writes, and the newest it reads.
FORMAT_VERSION = 1

_ROOT_KEYS = ("format", "version", "assets")


def to_document(obj: Asset | Portfolio) -> dict[str, Any]:
    """The JSON-ready document (plain dicts and lists) for an asset or portfolio.

    >>> import biopipe
    >>> doc = biopipe.to_document(biopipe.example("js212"))
    >>> doc["format"], doc["version"], doc["assets"][0]["code"]
    ('biopipe', 1, 'JS212')
    """
    portfolio = Portfolio(assets=(obj,)) if isinstance(obj, Asset) else obj
    if not isinstance(portfolio, Portfolio):
        raise TypeError(f"expected an Asset or Portfolio, got {type(obj).__name__}")
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "assets": [converter.unstructure(a, Asset) for a in portfolio.assets],
    }


def from_document(doc: object) -> Portfolio:
    """Validate a parsed JSON document and build its `Portfolio`.

    Raises one `ValidationError` listing every problem with its path.

    >>> import biopipe
    >>> p = biopipe.from_document({"format": "biopipe", "version": 1, "assets": []})
    >>> len(p)
    0
    """
    if type(doc) is not dict:
        raise ValidationError([Problem("", doc, "a JSON object with format, version and assets")])
    problems: list[Problem] = []
    for key in doc:
        if key not in _ROOT_KEYS:
            problems.append(Problem(str(key), doc[key], f"no such field (allowed: {', '.join(_ROOT_KEYS)})"))
    if doc.get("format", MISSING) != FORMAT_NAME:
        problems.append(Problem("format", doc.get("format", MISSING), f"{FORMAT_NAME!r}"))
    version = doc.get("version", MISSING)
    if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
        problems.append(Problem("version", version, f"an integer format version from 1 to {FORMAT_VERSION}"))
    assets: tuple[Asset, ...] = ()
    if "assets" not in doc:
        problems.append(Problem("assets", MISSING, "an array of assets"))
    else:
        try:
            assets = converter.structure(doc["assets"], tuple[Asset, ...])
        except (BiopipeError, ValueError, TypeError, KeyError, BaseExceptionGroup) as e:
            problems.extend(problems_of(e, "assets"))
    if not problems:
        try:
            return Portfolio(assets=assets)
        except BiopipeError as e:
            problems.extend(problems_of(e, ""))
    raise ValidationError(problems)


def loads(text: str | bytes) -> Portfolio:
    """Parse and validate a biopipe JSON document.

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
    """
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValidationError([Problem("", _excerpt(text), f"valid JSON ({e})")]) from None
    except (RecursionError, ValueError) as e:
        raise ValidationError([Problem("", _excerpt(text), f"valid JSON ({e})")]) from None
    return from_document(doc)


def dumps(obj: Asset | Portfolio) -> str:
    """The canonical JSON text of an asset or portfolio: same object, same text.

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
    return json.dumps(to_document(obj), ensure_ascii=False, indent=2) + "\n"


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


def dump(obj: Asset | Portfolio, path: str | os.PathLike[str]) -> None:
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
    write_atomic(Path(path), dumps(obj).encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* via a same-folder temporary file and ``os.replace``."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _excerpt(text: str | bytes, limit: int = 60) -> str:
    s = text if isinstance(text, str) else text[: limit * 4].decode("utf-8", "replace")
    return s if len(s) <= limit else s[:limit] + "..."
