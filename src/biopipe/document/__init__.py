"""biopipe's JSON document format: reading, writing, limits, the converter, the JSON Schema and the examples.

Imports only `biopipe.model`. `loads`, `dumps`, `load`, `dump`, `example` and
`example_names` are also at the top level.

>>> import biopipe
>>> from biopipe import document
>>> document.to_document(biopipe.example("js212"))["format"]
'biopipe'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._examples import example, example_names, example_text
from ._files import write_atomic
from ._format import FORMAT_NAME, FORMAT_VERSION
from ._jsonio import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_STRING,
    default_max_bytes,
    dump,
    dumps,
    dumps_bytes,
    from_document,
    json_backend,
    json_text,
    load,
    loads,
    migrate,
    parse_json,
    read_bounded,
    read_json,
    to_document,
)
from ._results import FORMATS, Format, Result, display_text

if TYPE_CHECKING:
    from ._convert import configure_converter, converter, make_converter, problems_of
    from ._schema import json_schema

__all__ = [
    "FORMATS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_STRING",
    "Format",
    "Result",
    "configure_converter",
    "converter",
    "default_max_bytes",
    "display_text",
    "dump",
    "dumps",
    "dumps_bytes",
    "example",
    "example_names",
    "example_text",
    "from_document",
    "json_backend",
    "json_schema",
    "json_text",
    "load",
    "loads",
    "make_converter",
    "migrate",
    "parse_json",
    "problems_of",
    "read_bounded",
    "read_json",
    "to_document",
    "write_atomic",
]

# The converter and the schema import cattrs, which good documents never need: loaded on first use.
_ON_FIRST_USE = {
    "configure_converter": "._convert",
    "converter": "._convert",
    "make_converter": "._convert",
    "problems_of": "._convert",
    "json_schema": "._schema",
}


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        import importlib

        value = getattr(importlib.import_module(_ON_FIRST_USE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'biopipe.document' has no attribute {name!r}")
