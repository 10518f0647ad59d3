"""Flat tables carry the facts of format version 2: applications, parties, deals, and the new event columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings

import biopipe
from biopipe import (
    Actor,
    Agency,
    Application,
    ApplicationType,
    Asset,
    Deal,
    DealKind,
    EventKind,
    FactDate,
    Indication,
    Modality,
    Money,
    PartialDate,
    Party,
    PartyRole,
    Pathway,
    Portfolio,
    RegulatoryEvent,
    ReviewType,
    Source,
    Territory,
)
from biopipe.interop.arrow import TABLES, from_arrow, read_dataset, read_parquet, to_arrow, write_dataset, write_parquet
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from pathlib import Path

NEWS = Source(
    title="Acme and Partner Co sign a licence", url="https://example.com/news/1", published=PartialDate(2023, 12, 4)
)


def _asset() -> Asset:
    """One of each new fact: applications with a lifecycle, a licence with territories and money, synonyms and ids."""

    def event(kind: EventKind, date: str, **fields: Any) -> RegulatoryEvent:
        return RegulatoryEvent(agency=Agency.FDA, kind=kind, date=FactDate.parse(date), **fields)

    territory = Territory(worldwide=True, excluding=("CN", "HK"))
    return Asset(
        code="X2",
        sponsor="Acme",
        modality=Modality.ADC,
        indications=(
            Indication(name="nasopharyngeal carcinoma", synonyms=("NPC",), ids=("MESH:D000077274", "ICD10:C11")),
        ),
        applications=(
            Application(
                id="US BLA",
                agency=Agency.FDA,
                kind=ApplicationType.BLA,
                number="761139",
                indications=("nasopharyngeal carcinoma", "NPC second line"),
                sources=(NEWS,),
            ),
            Application(id="CN NDA", agency=Agency.NMPA, kind=ApplicationType.NMPA_MARKETING),
        ),
        parties=(
            Party(name="Acme", role=PartyRole.ORIGINATOR),
            Party(name="Partner Co", role=PartyRole.LICENSEE, territory=territory, start=PartialDate(2023, 12)),
            Party(name="Acme", role=PartyRole.CO_COMMERCIALIZER, territory=Territory(countries=("CN", "HK"))),
        ),
        deals=(
            Deal(
                kind=DealKind.LICENSE,
                date=FactDate.parse("2023-12-04"),
                parties=("Acme", "Partner Co"),
                territory=territory,
                upfront=Money(amount=50_000_000, currency="USD"),
                total=Money(amount=1_000_000_000, currency="USD"),
                disclosed=PartialDate(2023, 12, 4),
                sources=(NEWS,),
            ),
            Deal(kind=DealKind.OPTION, date=FactDate.parse("2024"), parties=("Acme", "Other Co", "Third Co")),
        ),
        events=(
            event(EventKind.MARKETING_SUBMITTED, "2024-01-10", application="US BLA"),
            event(
                EventKind.MARKETING_ACCEPTED,
                "2024-03",
                application="US BLA",
                review=ReviewType.PRIORITY,
                goal_date=PartialDate(2024, 9, 10),
            ),
            event(EventKind.MARKETING_APPROVED, "2024-09-08", application="US BLA", pathway=Pathway.ACCELERATED),
            event(EventKind.MARKETING_WITHDRAWN, "2025-Q2", application="US BLA", by=Actor.SPONSOR),
            event(EventKind.IND_CLEARED, "on or before 2023-06-30", disclosed=PartialDate(2023, 7, 2)),
        ),
    )


def test_every_new_fact_round_trips_through_arrow_parquet_and_a_dataset(tmp_path: Path) -> None:
    """Arrow tables, Parquet files and a partitioned dataset all read back the exact asset."""
    asset = _asset()
    portfolio = Portfolio(assets=(asset,))
    assert from_arrow(to_arrow(asset)) == portfolio
    write_parquet(asset, tmp_path / "parquet")
    assert read_parquet(tmp_path / "parquet") == portfolio
    write_dataset(asset, tmp_path / "dataset", buckets=3)
    assert read_dataset(tmp_path / "dataset") == portfolio


def test_new_tables_and_columns_hold_the_facts() -> None:
    """Applications, parties, deals and their lists are rows keyed by asset code and their own key."""
    tables = to_arrow(_asset())
    assert tables["applications"].select(["application_id", "kind", "number", "jurisdiction", "track"]).to_pylist() == [
        {"application_id": "US BLA", "kind": "bla", "number": "761139", "jurisdiction": "US", "track": "marketing"},
        {
            "application_id": "CN NDA",
            "kind": "nmpa_marketing",
            "number": None,
            "jurisdiction": "CN",
            "track": "marketing",
        },
    ]
    assert tables["application_indications"].select(["application_id", "indication"]).to_pylist() == [
        {"application_id": "US BLA", "indication": "nasopharyngeal carcinoma"},
        {"application_id": "US BLA", "indication": "NPC second line"},
    ]
    assert tables["parties"].column("party_key").to_pylist() == [
        "Acme originator worldwide",
        "Partner Co licensee worldwide except CN, HK",
        "Acme co_commercializer CN, HK",
    ]
    countries = tables["party_countries"].select(["party_key", "country", "excluded"]).to_pylist()
    assert [(r["party_key"].split()[0], r["country"], r["excluded"]) for r in countries] == [
        ("Partner", "CN", True),
        ("Partner", "HK", True),
        ("Acme", "CN", False),
        ("Acme", "HK", False),
    ]
    deals = tables["deals"].select(
        ["deal_key", "date", "worldwide", "upfront_amount", "upfront_currency", "total_amount", "disclosed"]
    )
    assert deals.to_pylist() == [
        {
            "deal_key": "license: Acme, Partner Co",
            "date": "2023-12-04",
            "worldwide": True,
            "upfront_amount": 50_000_000,
            "upfront_currency": "USD",
            "total_amount": 1_000_000_000,
            "disclosed": "2023-12-04",
        },
        {
            "deal_key": "option: Acme, Other Co, Third Co",
            "date": "2024",
            "worldwide": None,
            "upfront_amount": None,
            "upfront_currency": None,
            "total_amount": None,
            "disclosed": None,
        },
    ]
    assert tables["deal_parties"].column("party").to_pylist() == ["Acme", "Partner Co", "Acme", "Other Co", "Third Co"]
    events = tables["events"].select(["application", "review", "pathway", "goal_date", "by", "disclosed", "public_on"])
    rows = events.to_pylist()
    assert rows[1] == {
        "application": "US BLA",
        "review": "priority",
        "pathway": None,
        "goal_date": "2024-09-10",
        "by": None,
        "disclosed": None,
        "public_on": None,
    }
    assert (rows[2]["pathway"], rows[3]["by"], rows[4]["disclosed"], rows[4]["public_on"]) == (
        "accelerated",
        "sponsor",
        "2023-07-02",
        "2023-07-02",
    )
    indication = tables["indications"].select(["synonyms", "ids"]).to_pylist()[0]
    assert indication == {"synonyms": ["NPC"], "ids": ["MESH:D000077274", "ICD10:C11"]}
    owners = tables["sources"].select(["owner", "application_id", "party_key", "deal_key"]).to_pylist()
    assert owners == [
        {"owner": "application", "application_id": "US BLA", "party_key": None, "deal_key": None},
        {"owner": "deal", "application_id": None, "party_key": None, "deal_key": "license: Acme, Partner Co"},
    ]


def test_keys_stay_when_dates_change() -> None:
    """Correcting a party's start or a deal's date changes the row, not its key."""
    asset = _asset()
    later = attrs.evolve(
        asset,
        parties=(asset.parties[0], attrs.evolve(asset.parties[1], start=PartialDate(2024, 1)), asset.parties[2]),
        deals=(attrs.evolve(asset.deals[0], date=FactDate.parse("2023-12-05")), asset.deals[1]),
    )
    before, after = to_arrow(asset), to_arrow(later)
    for table, key in (("parties", "party_key"), ("deals", "deal_key")):
        assert before[table].column(key) == after[table].column(key)
    assert before["parties"].column("start") != after["parties"].column("start")


def test_a_repeated_party_or_deal_gets_a_numbered_key() -> None:
    """Two identical licences are two rows, the second keyed '#2', and both read back."""
    asset = _asset()
    twice = attrs.evolve(asset, parties=(*asset.parties, asset.parties[1]), deals=(*asset.deals, asset.deals[0]))
    tables = to_arrow(twice)
    assert tables["parties"].column("party_key").to_pylist()[-1] == "Partner Co licensee worldwide except CN, HK#2"
    assert tables["deals"].column("deal_key").to_pylist()[-1] == "license: Acme, Partner Co#2"
    assert from_arrow(tables) == Portfolio(assets=(twice,))


def test_who_holds_rights_in_a_country_is_a_join(tmp_path: Path) -> None:
    """DuckDB: the parties whose territory covers the US (listed, or worldwide and not excepted)."""
    write_parquet(_asset(), tmp_path)
    sql = f"""
        SELECT p.name, p.role FROM '{tmp_path}/parties.parquet' p
        WHERE p.role <> 'licensor' AND CASE WHEN p.worldwide
            THEN NOT EXISTS (SELECT 1 FROM '{tmp_path}/party_countries.parquet' c
                             WHERE c.asset_code = p.asset_code AND c.party_key = p.party_key AND c.country = 'US')
            ELSE EXISTS (SELECT 1 FROM '{tmp_path}/party_countries.parquet' c
                         WHERE c.asset_code = p.asset_code AND c.party_key = p.party_key AND c.country = 'US')
        END ORDER BY p.position
    """
    assert duckdb.connect().execute(sql).fetchall() == [("Acme", "originator"), ("Partner Co", "licensee")]


def test_bad_rows_of_the_new_tables_are_problems() -> None:
    """A deal territory's countries without ``worldwide``, or a party without it, or an unknown key: problems."""
    tables = to_arrow(_asset())
    deals = tables["deals"]
    i = deals.schema.get_field_index("worldwide")
    parties = tables["parties"]
    j = parties.schema.get_field_index("worldwide")
    no_worldwide = parties.set_column(j, "worldwide", pa.array([None, True, False], pa.bool_()))
    with pytest.raises(biopipe.ValidationError) as caught:
        from_arrow(dict(tables, parties=no_worldwide))
    assert [p.path for p in caught.value.problems] == ["parties[0]"]
    listed_without_territory = deals.set_column(i, "worldwide", pa.array([None, None], pa.bool_()))
    with pytest.raises(biopipe.ValidationError) as caught:
        from_arrow(dict(tables, deals=listed_without_territory))
    assert [p.path for p in caught.value.problems] == ["deals[0]"]
    keys = tables["party_countries"].column("party_key").to_pylist()
    orphan = tables["party_countries"].set_column(1, "party_key", pa.array([*keys[:2], "nobody", "nobody"]))
    with pytest.raises(biopipe.ValidationError) as caught:
        from_arrow(dict(tables, party_countries=orphan))
    problems = {(p.path, p.expected) for p in caught.value.problems}
    assert ("party_countries[2]", "an owner row that exists") in problems
    assert ("parties[2].countries", "at least one country, or worldwide") in problems


def test_tables_are_listed_in_order() -> None:
    """The new tables follow the events they belong beside, before the trials."""
    assert TABLES[4:12] == (
        "events",
        "applications",
        "application_indications",
        "parties",
        "party_countries",
        "deals",
        "deal_parties",
        "deal_countries",
    )


@settings(max_examples=40)
@given(bst.portfolios(realistic=True))
def test_any_realistic_portfolio_round_trips(portfolio: Portfolio) -> None:
    """Property: realistic portfolios (applications, pathways, licences with deals, disease ids) round-trip."""
    assert from_arrow(to_arrow(portfolio)) == portfolio
