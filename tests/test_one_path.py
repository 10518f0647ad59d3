"""One rule set: construction, the loader and the converter agree; results go through the same converter.

Also the one spelling of a day (`as_of`) across the library and the command line.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

import biopipe
from biopipe import document, query, review
from biopipe.cli import main
from biopipe.document import MAX_STRING
from biopipe.document._results import Format, Result
from biopipe.interop.ctgov import ImportedRecord, ImportReport

JS212 = biopipe.example("js212")


# -- the string limit holds on every path ------------------------------------------------------


def test_a_string_over_the_limit_cannot_be_constructed() -> None:
    """The limit is a model rule: the constructor refuses what the loader would refuse, and says why."""
    with pytest.raises(biopipe.ValidationError) as caught:
        attrs.evolve(JS212, description="x" * (MAX_STRING + 1))
    (problem,) = caught.value.problems
    assert problem.path == "description"
    assert problem.expected.endswith(f"of at most {MAX_STRING} characters")
    with pytest.raises(biopipe.ValidationError, match="of at most"):
        biopipe.Source(title="t" * (MAX_STRING + 1))
    with pytest.raises(biopipe.ValidationError, match=r"conditions\[0\]"):
        attrs.evolve(JS212.trials[0], conditions=("c" * (MAX_STRING + 1),))


def test_a_string_at_the_limit_round_trips() -> None:
    """The longest valid string is written and read back: a valid object always round-trips."""
    asset = attrs.evolve(JS212, description="é" * MAX_STRING)
    text = biopipe.dumps(asset)
    assert biopipe.loads(text)["JS212"] == asset
    assert document.from_document(document.to_document(asset))["JS212"] == asset
    assert document.converter.structure(document.converter.unstructure(asset), biopipe.Asset) == asset


def test_the_schema_carries_the_limit() -> None:
    """Every free-text string in the JSON Schema has the model's maxLength; the rest are short formats."""
    lengths: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and "enum" not in node:
                # Dates and registry ids have fixed formats, whose patterns bound their length.
                lengths.add(node.get("maxLength", MAX_STRING if "pattern" in node else -1))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document.json_schema())
    assert lengths == {MAX_STRING}


# -- results are documents of the one converter ------------------------------------------------


def _results() -> list[Result]:
    portfolio = biopipe.Portfolio(assets=(JS212,))
    trial = JS212.trials[0]
    return [
        biopipe.timeline(JS212),
        biopipe.state_as_of(JS212, "CN", "2025-03-15"),
        query.status_report(portfolio, "US", "2025-12-15"),
        query.phase_report(portfolio, "2025-12-31"),
        review.check(JS212),
        review.diff(JS212, attrs.evolve(JS212, sponsor="Shanghai Junshi Biosciences")),
        review.clock_report(JS212, as_of="2026-01-01"),
        ImportReport(records=(ImportedRecord(source="x.json", trial=trial),)),
    ]


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_every_result_renders_three_ways_through_one_converter(result: Result) -> None:
    """text and Markdown end with a newline; JSON is the converter's document with a format name and version."""
    doc = json.loads(result.render("json"))
    assert doc == document.to_document(result)
    assert doc["format"] == f"biopipe-{result.document_name}"
    assert doc["version"] == 1
    assert result.render("json") == biopipe.dumps(result)
    formats: tuple[Format, ...] = ("text", "markdown")
    for fmt in formats:
        rendered = result.render(fmt)
        assert rendered.endswith("\n")
        assert rendered.strip()


def test_result_documents_hold_the_model_facts_in_model_form() -> None:
    """An event inside a result is written as a model document writes it, and reads back as the same event."""
    doc = document.to_document(biopipe.state_as_of(JS212, "US", "2025-12-15"))
    (event,) = doc["events"]
    assert document.converter.structure(event, biopipe.RegulatoryEvent) == JS212.events[3]
    assert event == document.to_document(JS212)["assets"][0]["events"][3]


# -- one spelling of a day ----------------------------------------------------------------------

DAY_TAKERS = [
    lambda day: biopipe.state_as_of(JS212, "US", day),
    lambda day: biopipe.highest_phase(JS212, day),
    lambda day: query.phase_report(JS212, day),
    lambda day: query.status_report(JS212, "US", day),
    lambda day: review.check(JS212, as_of=day),
    lambda day: review.infer_events(JS212, as_of=day),
    lambda day: review.clock_report(JS212, as_of=day),
]


@pytest.mark.parametrize("take", DAY_TAKERS)
def test_as_of_takes_a_date_or_text_everywhere(take: Any) -> None:
    """Every as_of accepts a date, ISO text or prose naming a day, with equal results."""
    assert take(dt.date(2025, 12, 15)) == take("2025-12-15") == take("December 15, 2025")


@pytest.mark.parametrize("take", DAY_TAKERS)
def test_a_month_is_refused_everywhere_with_the_same_message(take: Any) -> None:
    """A month is not a day: the same error, saying what is expected, from every function."""
    with pytest.raises(biopipe.InvalidPartialDate) as caught:
        take("2025-12")
    assert str(caught.value) == "invalid value '2025-12': expected a calendar day such as '2025-12-15'"


@pytest.mark.parametrize("command", [["status", "--jurisdiction", "US"], ["check"], ["clocks"], ["phase"]])
def test_the_cli_as_of_is_the_library_as_of(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Every --as-of accepts prose naming a day and refuses a month with the library's message (exit 2)."""
    assert main([*command, "--example", "js212", "--as-of", "December 15, 2025"]) in (0, 1)
    capsys.readouterr()
    assert main([*command, "--example", "js212", "--as-of", "2025-12"]) == 2
    err = capsys.readouterr().err
    assert err == ("biopipe: error: --as-of: invalid value '2025-12': expected a calendar day such as '2025-12-15'\n")
