"""Flat tables: exact round trip through Arrow and Parquet, joinable keys, and queries from DuckDB."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs
import duckdb
import pyarrow as pa
import pytest
from hypothesis import given

import biopipe
from biopipe import (
    Agency,
    Asset,
    DateBasis,
    EventKind,
    FactDate,
    Modality,
    PartialDate,
    Phase,
    Portfolio,
    RegistryId,
    RegulatoryEvent,
    Target,
    Trial,
    TrialStatus,
    ValidationError,
)
from biopipe.interop.arrow import TABLES, from_arrow, read_parquet, to_arrow, write_parquet
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from pathlib import Path


@given(bst.portfolios())
def test_any_portfolio_survives_arrow_round_trip(portfolio: Portfolio) -> None:
    """Property: tables -> objects gives back an equal portfolio (order, precision, basis, None vs empty)."""
    assert from_arrow(to_arrow(portfolio)) == portfolio


@given(bst.portfolios(max_assets=2))
def test_any_portfolio_survives_parquet_round_trip(portfolio: Portfolio) -> None:
    """Property: Parquet files -> objects gives back an equal portfolio."""
    with tempfile.TemporaryDirectory() as tmp:
        write_parquet(portfolio, tmp)
        assert read_parquet(tmp) == portfolio


def test_js212_round_trips_through_parquet(tmp_path: Path) -> None:
    """The JS212 record written as Parquet reads back equal, one file per table."""
    js212 = biopipe.example("js212")
    paths = write_parquet(js212, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.parquet" for name in TABLES)
    assert [p.name for p in paths] == [f"{name}.parquet" for name in TABLES]
    assert read_parquet(tmp_path) == Portfolio(assets=(js212,))


def test_fact_dates_keep_precision_and_basis_in_columns() -> None:
    """A fact date is its ISO text plus its basis; earliest/latest are derived for range queries."""
    events = to_arrow(biopipe.example("js212"))["events"]
    rows = events.select(["date", "date_basis", "date_earliest", "date_latest"]).to_pylist()
    assert [(r["date"], r["date_basis"]) for r in rows] == [
        ("2025-01", "actual"),
        ("2025-03", "actual"),
        ("2025-11", "actual"),
        ("2025-12-14", "announced"),
    ]
    assert rows[3]["date_earliest"] is None
    assert str(rows[0]["date_latest"]) == "2025-01-31"


def test_tables_join_on_asset_code_and_trial_key() -> None:
    """Child rows name their asset and trial by key, so trial_countries joins trials without positions."""
    tables = to_arrow(biopipe.example("js212"))
    joined = tables["trial_countries"].join(
        tables["trials"].select(["asset_code", "trial_key", "title"]), keys=["asset_code", "trial_key"]
    )
    assert sorted(joined.select(["country", "title"]).to_pylist(), key=lambda r: r["title"]) == [
        {"country": "CN", "title": "Multi-cohort combination therapy studies of JS212"},
        {"country": "CN", "title": "Phase 1/2 study of JS212 in patients with advanced solid tumors"},
    ]


def test_bad_code_is_reported_with_table_and_row() -> None:
    """A code the vocabulary does not know is a ValidationError naming the table row and field."""
    tables = to_arrow(biopipe.example("js212"))
    kinds = tables["events"].column("kind").to_pylist()
    kinds[2] = "ind_approved"
    events = tables["events"]
    bad = dict(tables, events=events.set_column(events.schema.get_field_index("kind"), "kind", pa.array(kinds)))
    with pytest.raises(ValidationError) as info:
        from_arrow(bad)
    assert [p.path for p in info.value.problems] == ["events[2].kind"]


def test_missing_table_and_orphan_rows_are_problems() -> None:
    """A missing table is a problem; so is a row whose asset is not in the assets table."""
    tables = to_arrow(biopipe.example("js212"))
    with pytest.raises(ValidationError) as missing:
        from_arrow({k: v for k, v in tables.items() if k != "arms"})
    assert [p.path for p in missing.value.problems] == ["arms"]
    with pytest.raises(ValidationError) as orphan:
        from_arrow(dict(tables, assets=tables["assets"].slice(0, 0)))
    assert "targets[0]" in [p.path for p in orphan.value.problems]


def test_reading_needs_every_parquet_file(tmp_path: Path) -> None:
    """A folder without the tables is bad input, not a traceback from pyarrow."""
    with pytest.raises(biopipe.InvalidValue):
        read_parquet(tmp_path)


# -- 10k synthetic assets, queried with DuckDB ----------------------------------------------------

_SYMBOLS = ("EGFR", "ERBB2", "ERBB3", "KRAS", "MET", "CD19", "TNFRSF17", "PDCD1", "CD274", "TACSTD2", "CLDN18", "DLL3")
_COUNTRIES = ("US", "CN", "JP", "DE", "FR", "GB", "KR", "AU", "CA", "ES")


def synthetic_portfolio(n: int, seed: int) -> Portfolio:
    """A reproducible portfolio of *n* assets with targets, events and trials drawn from small pools."""
    rng = random.Random(seed)
    assets = []
    for i in range(n):
        modality = rng.choice((Modality.SMALL_MOLECULE, Modality.MONOCLONAL_ANTIBODY, Modality.BISPECIFIC_ADC))
        n_targets = 2 if modality.is_bispecific else rng.randint(0, 2)
        events = tuple(
            RegulatoryEvent(
                agency=rng.choice((Agency.FDA, Agency.NMPA, Agency.EMA)),
                kind=rng.choice((EventKind.IND_SUBMITTED, EventKind.IND_CLEARED, EventKind.CLINICAL_HOLD)),
                date=FactDate(PartialDate(rng.randint(2015, 2025), rng.randint(1, 12)), rng.choice(list(DateBasis))),
            )
            for _ in range(rng.randint(0, 3))
        )
        trials = tuple(
            Trial(
                title=f"Study {j} of SYN{i:05d}",
                ids=(RegistryId(f"NCT{10_000_000 + 3 * i + j:08d}"),),
                status=rng.choice((TrialStatus.RECRUITING, TrialStatus.COMPLETED, TrialStatus.NOT_YET_RECRUITING)),
                phase=rng.choice((Phase.PHASE1, Phase.PHASE1_2, Phase.PHASE2, Phase.PHASE3, None)),
                countries=tuple(rng.sample(_COUNTRIES, rng.randint(1, 3))),
                start=FactDate(PartialDate(rng.randint(2015, 2025), rng.randint(1, 12)), rng.choice(list(DateBasis))),
            )
            for j in range(rng.randint(0, 2))
        )
        assets.append(
            Asset(
                code=f"SYN{i:05d}",
                sponsor=f"Sponsor {rng.randint(1, 300)}",
                modality=modality,
                targets=tuple(Target(symbol=s) for s in rng.sample(_SYMBOLS, n_targets)),
                events=events,
                trials=trials,
            )
        )
    return Portfolio(assets=tuple(assets))


def query(sql: str) -> list[tuple[Any, ...]]:
    """The rows DuckDB answers *sql* with, from a fresh in-memory database."""
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Portfolio, Path]:
    portfolio = synthetic_portfolio(10_000, seed=212)
    folder = tmp_path_factory.mktemp("parquet")
    write_parquet(portfolio, folder)
    return portfolio, folder


def test_duckdb_join_counts_assets_per_target_with_fda_clearance(synthetic: tuple[Portfolio, Path]) -> None:
    """DuckDB over the Parquet files gives the same per-target count of FDA-cleared assets as Python."""
    portfolio, folder = synthetic
    rows = query(
        f"""
        SELECT t.symbol, count(DISTINCT t.asset_code)
        FROM read_parquet('{folder}/targets.parquet') t
        JOIN read_parquet('{folder}/events.parquet') e ON e.asset_code = t.asset_code
        WHERE e.agency = 'fda' AND e.kind = 'ind_cleared'
        GROUP BY t.symbol
        """
    )
    expected: Counter[str] = Counter()
    for asset in portfolio.assets:
        if any(e.agency is Agency.FDA and e.kind is EventKind.IND_CLEARED for e in asset.events):
            expected.update(t.symbol for t in asset.targets)
    assert dict(rows) == dict(expected)
    assert sum(expected.values()) > 1000


def test_duckdb_join_counts_phase3_trials_per_country(synthetic: tuple[Portfolio, Path]) -> None:
    """Trials per country for phase 3 trials that actually started before 2020, from joined tables."""
    portfolio, folder = synthetic
    rows = query(
        f"""
        SELECT c.country, count(*)
        FROM read_parquet('{folder}/trial_countries.parquet') c
        JOIN read_parquet('{folder}/trials.parquet') t
          USING (asset_code, trial_key)
        WHERE t.phase = 'phase3' AND t.start_basis = 'actual' AND t.start_latest < DATE '2020-01-01'
        GROUP BY c.country
        """
    )
    expected = Counter(
        c
        for a in portfolio.assets
        for t in a.trials
        if t.phase is Phase.PHASE3
        and t.start is not None
        and t.start.basis is DateBasis.ACTUAL
        and t.start.latest < dt.date(2020, 1, 1)
        for c in t.countries
    )
    assert dict(rows) == dict(expected)
    assert sum(expected.values()) > 100


def test_synthetic_portfolio_round_trips(synthetic: tuple[Portfolio, Path]) -> None:
    """The 10k-asset Parquet export reads back equal."""
    portfolio, folder = synthetic
    assert read_parquet(folder) == portfolio


def test_evolved_asset_changes_its_rows() -> None:
    """The tables follow the objects: renaming an asset renames every row's key."""
    js212 = attrs.evolve(biopipe.example("js212"), code="JS212B")
    tables = to_arrow(js212)
    assert {c for name in TABLES for c in tables[name].column("asset_code").to_pylist()} == {"JS212B"}
