"""PartialDate and FactDate: precision, bounds, ISO and prose parsing, total order."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biopipe import DateBasis, FactDate, InvalidPartialDate, PartialDate, Precision
from biopipe.testing import strategies as bst


@given(bst.partial_dates())
def test_parse_iso_inverts_format_iso(d: PartialDate) -> None:
    """parse_iso(format_iso(d)) == d for every partial date."""
    assert PartialDate.parse_iso(d.format_iso()) == d


@given(bst.partial_dates())
def test_format_iso_inverts_parse_iso_on_canonical_text(d: PartialDate) -> None:
    """format_iso(parse_iso(s)) == s for every canonical string s."""
    text = str(d)
    assert PartialDate.parse_iso(text).format_iso() == text


@given(bst.partial_dates(), bst.partial_dates())
def test_order_is_total_and_consistent_with_earliest(a: PartialDate, b: PartialDate) -> None:
    """Exactly one of a < b, a == b, a > b holds, and a < b implies earliest(a) <= earliest(b)."""
    assert [a < b, a == b, a > b].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    if a < b:
        assert a.earliest <= b.earliest
    if a.earliest < b.earliest:
        assert a < b


@given(st.lists(bst.partial_dates(), max_size=8))
def test_sorting_orders_by_earliest_then_precision(dates: list[PartialDate]) -> None:
    """Sorted dates have non-decreasing earliest days; ties put the finer precision first."""
    ordered = sorted(dates)
    for x, y in itertools.pairwise(ordered):
        assert x.earliest <= y.earliest
        if x.earliest == y.earliest and x != y:
            assert x.latest < y.latest


@given(bst.partial_dates())
def test_bounds_contain_each_other(d: PartialDate) -> None:
    """earliest <= latest, both inside the date, and a day has equal bounds."""
    assert d.earliest <= d.latest
    assert d.contains(d.earliest)
    assert d.contains(d.latest)
    assert (d.earliest == d.latest) == (d.precision is Precision.DAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", PartialDate(2025)),
        ("2025-01", PartialDate(2025, 1)),
        ("2025-01-14", PartialDate(2025, 1, 14)),
        ("January 2025", PartialDate(2025, 1)),
        ("In January 2025", PartialDate(2025, 1)),
        ("Jan. 2025", PartialDate(2025, 1)),
        ("Sept 2025", PartialDate(2025, 9)),
        ("Dec 14, 2025", PartialDate(2025, 12, 14)),
        ("December 14 2025", PartialDate(2025, 12, 14)),
        ("14 December 2025", PartialDate(2025, 12, 14)),
        ("March 3rd, 2025", PartialDate(2025, 3, 3)),
        ("1H 2026", PartialDate(2026, half=1)),
        ("H2 2025", PartialDate(2025, half=2)),
        ("second half of 2025", PartialDate(2025, half=2)),
        ("Q3 2025", PartialDate(2025, quarter=3)),
        ("3Q 2025", PartialDate(2025, quarter=3)),
        ("third quarter of 2025", PartialDate(2025, quarter=3)),
        ("2025-Q4", PartialDate(2025, quarter=4)),
        ("2026-H1", PartialDate(2026, half=1)),
    ],
)
def test_prose_parser_keeps_the_stated_precision(text: str, expected: PartialDate) -> None:
    """Release wording parses to exactly the precision it states."""
    assert PartialDate.parse(text) == expected


@given(st.integers(1900, 2100), st.integers(1, 12))
def test_month_name_never_becomes_a_day(year: int, month: int) -> None:
    """'<Month> <year>' is the whole month, never its first day."""
    name = dt.date(year, month, 1).strftime("%B")
    parsed = PartialDate.parse(f"{name} {year}")
    assert parsed.precision is Precision.MONTH
    assert parsed.earliest == dt.date(year, month, 1)
    assert parsed.latest.month == month
    assert parsed.latest.day >= 28


@pytest.mark.parametrize(
    "text",
    ["2025-13", "2025-04-31", "2025-02-29", "2025-1", "25", "2025-00", "2025-Q5", "2025-H3", "", "2025-01-1"],
)
def test_parse_iso_rejects_malformed_or_impossible_dates(text: str) -> None:
    """Month 13, 31 April, a non-leap 29 February and loose forms are errors naming the input."""
    with pytest.raises(InvalidPartialDate) as info:
        PartialDate.parse_iso(text)
    assert info.value.value == text
    assert repr(text) in str(info.value)


@pytest.mark.parametrize("text", ["in the near term", "soon", "Smarch 2025", "32 January 2025", "mid 2025", "H3 2025"])
def test_prose_parser_refuses_to_guess(text: str) -> None:
    """Vague or impossible wording is an error, not an invented date."""
    with pytest.raises(InvalidPartialDate):
        PartialDate.parse(text)


def test_leap_day_is_valid_in_a_leap_year() -> None:
    """29 February exists in 2024."""
    assert PartialDate.parse_iso("2024-02-29").latest == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("kwargs", "detail"),
    [
        ({"year": 2025, "day": 3}, "a day needs a month"),
        ({"year": 2025, "month": 1, "quarter": 1}, None),
        ({"year": 0}, None),
        ({"year": True}, None),
    ],
)
def test_constructor_rejects_inconsistent_parts(kwargs: dict[str, int], detail: str | None) -> None:
    """Parts that do not form one precision are rejected."""
    with pytest.raises(InvalidPartialDate) as info:
        PartialDate(**kwargs)
    if detail:
        assert detail in str(info.value)


def test_quarter_and_half_bounds() -> None:
    """Q2 covers April-June; H2 covers July-December."""
    assert (PartialDate(2025, quarter=2).earliest, PartialDate(2025, quarter=2).latest) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 6, 30),
    )
    assert (PartialDate(2025, half=2).earliest, PartialDate(2025, half=2).latest) == (
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
    )


def test_repr_reads_like_the_constructor() -> None:
    """repr() can be pasted back as code."""
    for d in (PartialDate(2025), PartialDate(2025, 1, 2), PartialDate(2025, quarter=2), PartialDate(2025, half=1)):
        assert eval(repr(d), {"PartialDate": PartialDate}) == d


@given(bst.fact_dates())
def test_fact_date_text_round_trips(fd: FactDate) -> None:
    """FactDate.parse(str(fd)) == fd."""
    assert FactDate.parse(str(fd)) == fd


def test_announced_date_is_an_upper_bound_only() -> None:
    """An announced fact happened on or before the date: no lower bound."""
    fd = FactDate(PartialDate(2025, 12, 14), DateBasis.ANNOUNCED)
    assert fd.earliest is None
    assert fd.latest == dt.date(2025, 12, 14)
    assert str(fd) == "on or before 2025-12-14"


@pytest.mark.parametrize("text", ["on or before", "2025-01 (planned)", "before 2025", "on or before 2025-13"])
def test_fact_date_parse_rejects_unknown_forms(text: str) -> None:
    """Only the three written forms parse."""
    with pytest.raises(InvalidPartialDate):
        FactDate.parse(text)
