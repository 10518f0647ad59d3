"""What every query and review result shares: rendering as text, Markdown or a JSON document.

A result is a frozen attrs class deriving from `Result`. Its JSON document is
written by the one converter of `biopipe.document` (`to_document`): the
result's fields under the same rules as the model's (codes for vocabularies,
text forms for dates, fields at their default omitted), with a format name
``biopipe-<name>`` and a version, so a reader can tell what it holds.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar, Literal

from ..model._errors import UnknownCode
from ._format import RESULT_VERSION
from ._jsonio import dumps

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["FORMATS", "RESULT_VERSION", "Format", "Result", "csv_text", "display_text", "markdown_cell"]

#: The renderings every result offers.
Format = Literal["text", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "json")


class Result:
    """Base of query and review results: one way to render them, one way to write their JSON.

    >>> import biopipe
    >>> from biopipe.document import Result
    >>> answer = biopipe.state_as_of(biopipe.example("js212"), "US", "2025-12-15")
    >>> isinstance(answer, Result), answer.render("json").splitlines()[1]
    (True, '  "format": "biopipe-state",')

    Subclasses set ``document_name`` and write ``_text`` and ``_markdown``;
    ``document_properties`` names computed properties that the JSON document
    carries beside the fields. A field whose metadata has ``document=False``
    (a back-reference to the model, say) is left out of the document.
    """

    __slots__ = ()

    document_name: ClassVar[str]
    document_properties: ClassVar[tuple[str, ...]] = ()

    def render(self, format: Format = "text") -> str:
        """The result as plain text, a Markdown table or its JSON document; always ends with a newline."""
        if format == "text":
            return self._text() + "\n"
        if format == "markdown":
            return self._markdown() + "\n"
        if format == "json":
            return dumps(self)
        raise UnknownCode(format, "one of 'text', 'markdown', 'json'")

    def _text(self) -> str:
        raise NotImplementedError

    def _markdown(self) -> str:
        raise NotImplementedError


#: What `display_text` escapes: C0 controls (line breaks, tab, ESC...), DEL and C1 controls, the Unicode line and
#: paragraph separators, the bidirectional embeddings, overrides and isolates (which reorder what a terminal shows),
#: and lone surrogates (which no terminal or file encoding can write).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_text(text: str) -> str:
    r"""*text* safe to show on one line of a terminal or report: control characters as visible escapes.

    A value from a record (a scope, a title, a code) could otherwise move the
    cursor, recolour the terminal or start a new line that looks like real
    output. Escaped: C0 and C1 controls and DEL (``\n``, ``\r``, ``\t``,
    else ``\xNN``), U+2028/U+2029, the bidirectional overrides and lone
    surrogates (``\uNNNN``). Text without them is returned as it is.

    >>> from biopipe.document._results import display_text
    >>> print(display_text("Phase 1\r\x1b[2KFDA BLA approved\nnext"))
    Phase 1\r\x1b[2KFDA BLA approved\nnext
    >>> display_text("plain text, caf\u00e9") == "plain text, caf\u00e9"
    True
    """
    if text.isprintable() or _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def markdown_cell(text: str) -> str:
    r"""*text* safe inside a Markdown table cell: `display_text`, and ``|`` escaped.

    >>> from biopipe.document._results import markdown_cell
    >>> print(markdown_cell("a | b\nc"))
    a \| b\nc
    """
    return display_text(text).replace("|", "\\|")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    r"""CSV text of *header* and *rows*, lines ended by ``\n``, every field read back exactly by the csv module.

    The csv module quotes a field holding the delimiter, a quote or a newline;
    a carriage return it leaves bare when lines end in ``\n``, which a reader
    then takes for a line break. A row with one is written with every field
    quoted. This is how every biopipe result writes CSV.

    >>> import csv, io
    >>> cr = chr(13)
    >>> text = csv_text(["a", "b"], [["x", "y"], ["1" + cr + "2", "3"]])
    >>> text.split(cr)
    ['a,b\nx,y\n"1', '2","3"\n']
    >>> list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["x", "y"], ["1" + cr + "2", "3"]]
    True
    """
    import csv
    import io

    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    minimal.writerow(header)
    for row in rows:
        (quoted if any("\r" in field for field in row) else minimal).writerow(row)
    return out.getvalue()
