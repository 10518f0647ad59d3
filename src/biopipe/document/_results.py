"""What every query and review result shares: rendering as text, Markdown or a JSON document.

A result is a frozen attrs class deriving from `Result`. Its JSON document is
written by the one converter of `biopipe.document` (`to_document`): the
result's fields under the same rules as the model's (codes for vocabularies,
text forms for dates, fields at their default omitted), with a format name
``biopipe-<name>`` and a version, so a reader can tell what it holds.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from ..model._errors import UnknownCode
from ._jsonio import RESULT_VERSION, dumps

__all__ = ["FORMATS", "RESULT_VERSION", "Format", "Result", "markdown_cell"]

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


def markdown_cell(text: str) -> str:
    """*text* safe inside a Markdown table cell: ``|`` escaped, line breaks as spaces."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")
