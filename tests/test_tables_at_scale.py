"""Tables at scale: stable join keys, phase rank, CSV, a partitioned dataset for DuckDB and Polars, and Dask."""

from __future__ import annotations

import csv
import json
import operator
import random
from typing import TYPE_CHECKING, Any

import attrs
import dask
import dask.bag as db
import duckdb
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings

import biopipe
from biopipe import (
    Agency,
    Endpoint,
    EndpointKind,
    EventKind,
    FactDate,
    PartialDate,
    Phase,
    Portfolio,
    RegulatoryEvent,
    Trial,
    TrialStatus,
    ValidationError,
)
from biopipe.cli import main
from biopipe.document import read_json
from biopipe.interop.arrow import (
    ROOT_TRIALS,
    TABLES,
    concat_tables,
    from_arrow,
    read_dataset,
    to_arrow,
    write_csv,
    write_dataset,
)
from biopipe.interop.ctgov import from_ctgov
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from pathlib import Path

JS212 = biopipe.example("js212")


def keyed(table: pa.Table) -> list[dict[str, Any]]:
    """The rows sorted by their key columns (owner keys, own key, position): row order does not matter."""
    keys = [c for c in table.column_names if c in ("asset_code", "owner", "position") or c.endswith("_key")]
    rows: list[dict[str, Any]] = table.sort_by([(c, "ascending") for c in keys]).to_pylist()
    return rows


def numbered(keys: list[str]) -> list[str]:
    """Keys as the tables number a repeat within its owner: key, key#2, key#3."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


def endpoint_rows(trials: list[tuple[str, Trial]]) -> list[tuple[str, str, str, str]]:
    """(asset_code, trial_key, endpoint_key, kind) of every endpoint, from the model."""
    return [
        (code, t.key, key, e.kind.code)
        for code, t in trials
        for e, key in zip(t.endpoints, numbered([e.key for e in t.endpoints]), strict=True)
    ]


def key_columns(tables: dict[str, pa.Table], name: str, columns: list[str]) -> list[tuple[Any, ...]]:
    rows = tables[name].select(columns).to_pylist()
    return [tuple(r[c] for c in columns) for r in rows]


# -- stable keys -------------------------------------------------------------------------------


def test_no_table_joins_by_ordinal() -> None:
    """Ordinals are gone: children name their owner by key; position is only an order within the owner."""
    tables = to_arrow(Portfolio(assets=(JS212,), trials=JS212.trials))
    for name in TABLES:
        columns = tables[name].column_names
        assert not [c for c in columns if "ordinal" in c], name
        assert columns[0] == "asset_code"
        assert "position" in columns
    for name in ("trial_ids", "trial_conditions", "trial_countries", "endpoints", "arms", "interventions"):
        assert tables[name].column_names[:2] == ["asset_code", "trial_key"]
    for name in ("application_indications",):
        assert tables[name].column_names[:2] == ["asset_code", "application_id"]
    for name in ("party_countries",):
        assert tables[name].column_names[:2] == ["asset_code", "party_key"]
    for name in ("deal_parties", "deal_countries"):
        assert tables[name].column_names[:2] == ["asset_code", "deal_key"]
    owner_keys = ["trial_key", "event_key", "application_id", "party_key", "deal_key"]
    assert tables["sources"].column_names[:8] == ["asset_code", "owner", *owner_keys, "source_key"]


def test_keys_do_not_shift_when_a_fact_is_inserted_before() -> None:
    """A new first endpoint, country, event or trial changes the positions after it, never the other rows' keys."""
    trial = JS212.trials[0]
    new_endpoint = Endpoint(kind=EndpointKind.OS, description="Overall survival")
    new_trial = Trial(title="A new first study", status=TrialStatus.PLANNED)
    new_event = RegulatoryEvent(agency=Agency.EMA, kind=EventKind.IND_SUBMITTED, date=FactDate(PartialDate(2025)))
    later = attrs.evolve(
        JS212,
        events=(new_event, *JS212.events),
        trials=(
            new_trial,
            attrs.evolve(trial, endpoints=(new_endpoint, *trial.endpoints), countries=("US", *trial.countries)),
            *JS212.trials[1:],
        ),
    )
    before, after = to_arrow(JS212), to_arrow(later)
    for name, key in (
        ("trials", ["asset_code", "trial_key"]),
        ("events", ["asset_code", "event_key"]),
        ("endpoints", ["asset_code", "trial_key", "endpoint_key"]),
        ("trial_countries", ["asset_code", "trial_key", "country"]),
    ):
        old = key_columns(before, name, key)
        assert set(old) < set(key_columns(after, name, key)), name
        old_positions = dict(zip(old, key_columns(before, name, ["position"]), strict=True))
        new_positions = dict(zip(key_columns(after, name, key), key_columns(after, name, ["position"]), strict=True))
        # A row moves on by one where something was inserted before it in its owner (the asset, or trial 0).
        moved = {k: name in ("trials", "events") or k[1] == trial.key for k in old}
        assert all(new_positions[k][0] == old_positions[k][0] + moved[k] for k in old), name
    source_key = ["asset_code", "owner", "trial_key", "event_key", "source_key"]
    assert key_columns(before, "sources", source_key) == key_columns(after, "sources", source_key)
    assert from_arrow(after)["JS212"] == later


def test_event_key_is_the_model_identity() -> None:
    """events.event_key is RegulatoryEvent.key (agency, kind, designation, scope, indication), not the date."""
    tables = to_arrow(JS212)
    assert tables["events"].column("event_key").to_pylist() == [e.key for e in JS212.events]
    assert JS212.events[3].key == "fda ind_cleared indication='advanced solid tumors'"
    moved = attrs.evolve(JS212.events[3], date=FactDate(PartialDate(2026, 1)))
    assert moved.key == JS212.events[3].key


def test_a_repeated_identity_gets_a_numbered_key() -> None:
    """Two events or endpoints with one identity are distinct rows: the later ones are key#2, key#3."""
    hold = RegulatoryEvent(agency=Agency.FDA, kind=EventKind.CLINICAL_HOLD, date=FactDate(PartialDate(2024, 5)))
    again = attrs.evolve(hold, date=FactDate(PartialDate(2025, 2)))
    orr = Endpoint(kind=EndpointKind.ORR, description="ORR")
    trial = Trial(title="T", status=TrialStatus.RECRUITING, endpoints=(orr, attrs.evolve(orr, time_frame="1 year")))
    asset = attrs.evolve(JS212, events=(hold, again, hold), trials=(trial,))
    tables = to_arrow(asset)
    holds = ["fda clinical_hold", "fda clinical_hold#2", "fda clinical_hold#3"]
    assert tables["events"].column("event_key").to_pylist() == holds
    assert tables["endpoints"].column("endpoint_key").to_pylist() == ["orr 'ORR'", "orr 'ORR'#2"]
    assert from_arrow(tables)["JS212"] == asset


def test_a_numbered_key_never_takes_an_identity_in_use() -> None:
    """An arm really labelled "A#2" keeps its label as key; the repeat of "A" becomes A#3."""
    arms = tuple(biopipe.Arm(label=label) for label in ("A", "A", "A#2"))
    tables = to_arrow(Trial(title="T", status=TrialStatus.RECRUITING, arms=arms))
    assert tables["arms"].column("arm_key").to_pylist() == ["A", "A#3", "A#2"]


def test_a_stale_key_is_a_problem_on_reading() -> None:
    """trial_key and event_key are read back: a row whose key is not its content's key is reported."""
    tables = to_arrow(JS212)
    events = tables["events"]
    i = events.schema.get_field_index("event_key")
    keys = events.column("event_key").to_pylist()
    keys[0] = "fda ind_cleared"
    stale = dict(tables, events=events.set_column(i, events.schema.field(i), pa.array(keys)))
    with pytest.raises(ValidationError) as info:
        from_arrow(stale)
    assert (info.value.problems[0].path, info.value.problems[0].value) == ("events[0].event_key", "fda ind_cleared")


def test_rows_in_any_order_read_back_exactly() -> None:
    """from_arrow orders by position within each owner, so shuffled tables (a dataset's) rebuild the portfolio."""
    portfolio = Portfolio(assets=(JS212,), trials=JS212.trials)
    rng = random.Random(11)
    shuffled = {}
    for name, table in to_arrow(portfolio).items():
        order = list(range(table.num_rows))
        rng.shuffle(order)
        shuffled[name] = table.take(pa.array(order, pa.int64()))
    assert from_arrow(shuffled) == portfolio


@given(bst.portfolios(max_assets=2, max_trials=2))
@settings(max_examples=30)
def test_keys_are_unique_in_every_table(portfolio: Portfolio) -> None:
    """Property: each table's key columns name one row (the primary keys of the docs)."""
    tables = to_arrow(portfolio)
    value_key = {
        "targets": "symbol",
        "trial_ids": "id",
        "trial_conditions": "condition",
        "trial_countries": "country",
        "party_countries": "country",
        "deal_countries": "country",
        # The model lets an application list an indication twice, and a deal a party: their position keys them.
        "application_indications": "position",
        "deal_parties": "position",
    }
    for name in TABLES:
        columns = [
            c for c in tables[name].column_names if c in ("asset_code", "owner", "application_id") or c.endswith("_key")
        ]
        columns += [value_key[name]] if name in value_key else []
        keys = key_columns(tables, name, columns)
        assert len(set(keys)) == len(keys), name


def test_phase_rank_orders_phases() -> None:
    """phase_rank: early phase 1 < 1 < 1/2 < 2 < 2/3 < 3 < 4, null without a phase."""
    phases = (
        Phase.EARLY_PHASE1,
        Phase.PHASE1,
        Phase.PHASE1_2,
        Phase.PHASE2,
        Phase.PHASE2_3,
        Phase.PHASE3,
        Phase.PHASE4,
    )
    trials = tuple(Trial(title=p.code, status=TrialStatus.RECRUITING, phase=p) for p in reversed(phases))
    tables = to_arrow(Portfolio(trials=(*trials, Trial(title="none", status=TrialStatus.PLANNED))))
    ranks = dict(key_columns(tables, "trials", ["phase", "phase_rank"]))
    assert sorted(ranks, key=lambda p: (ranks[p] is None, ranks[p])) == [p.code for p in phases] + [None]
    assert ranks["phase1"] == Phase.PHASE1.rank


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_has_one_file_per_table_with_lists_as_json(tmp_path: Path) -> None:
    portfolio = Portfolio(assets=(JS212,), trials=JS212.trials)
    paths = write_csv(portfolio, tmp_path)
    assert [p.name for p in paths] == [f"{name}.csv" for name in TABLES]
    with (tmp_path / "trials.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["asset_code"], r["trial_key"], r["phase_rank"]) for r in rows] == [
        ("JS212", JS212.trials[0].key, "4"),
        ("JS212", JS212.trials[1].key, ""),
        (ROOT_TRIALS, JS212.trials[0].key, "4"),
        (ROOT_TRIALS, JS212.trials[1].key, ""),
    ]
    assert json.loads(rows[0]["design_parts"]) == [p.code for p in JS212.trials[0].design.parts]
    assert not list(tmp_path.glob(".*"))


def test_duckdb_reads_the_csv_like_the_parquet(tmp_path: Path) -> None:
    """CSV and Arrow hold the same cells: DuckDB's join of the CSV files matches the Arrow tables."""
    portfolio = Portfolio(assets=(JS212,), trials=JS212.trials)
    write_csv(portfolio, tmp_path)
    # The root trials' asset code is the empty text, "" in the file: DuckDB keeps it so when told.
    sql = f"""
        SELECT t.asset_code, t.trial_key, e.endpoint_key
        FROM read_csv('{tmp_path}/trials.csv', allow_quoted_nulls = false) t
        JOIN read_csv('{tmp_path}/endpoints.csv', allow_quoted_nulls = false) e USING (asset_code, trial_key)
        ORDER BY ALL
    """
    with duckdb.connect() as con:
        rows = con.execute(sql).fetchall()
    tables = to_arrow(portfolio)
    assert rows == sorted(key_columns(tables, "endpoints", ["asset_code", "trial_key", "endpoint_key"]))
    assert {r[0] for r in rows} == {"JS212", ROOT_TRIALS}


def test_cli_export_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`biopipe export csv FILE -o DIR` writes one CSV per table."""
    assert main(["export", "csv", "--example", "js212", "-o", str(tmp_path / "csv")]) == 0
    assert capsys.readouterr().out == f"wrote {len(TABLES)} tables to {tmp_path / 'csv'}\n"
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert main(["export", "csv", "--example", "js212"]) == 2


# -- the partitioned dataset --------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry_trials(refdata: Path) -> tuple[Trial, ...]:
    """The shared ClinicalTrials.gov records, imported one by one."""
    paths = sorted((refdata / "ctgov").glob("*.json"))
    assert len(paths) >= 14
    return tuple(from_ctgov(read_json(p)).trial for p in paths)


@pytest.fixture(scope="module")
def dataset(registry_trials: tuple[Trial, ...], tmp_path_factory: pytest.TempPathFactory) -> tuple[Portfolio, Path]:
    """JS212 and the real records as a dataset, written in two calls of several batches (as a bulk import would)."""
    folder = tmp_path_factory.mktemp("dataset")
    write_dataset(Portfolio(assets=(JS212,)), folder, buckets=4)
    write_dataset([registry_trials[:5], registry_trials[5:9], Portfolio(trials=registry_trials[9:])], folder, buckets=4)
    return Portfolio(assets=(JS212,), trials=registry_trials), folder


def test_dataset_layout_is_hive_partitioned(dataset: tuple[Portfolio, Path]) -> None:
    _, folder = dataset
    assert sorted(p.name for p in folder.iterdir()) == sorted(TABLES)
    files = list(folder.glob("*/bucket=*/part-*.parquet"))
    assert {p.parts[-3] for p in files} == set(TABLES)
    assert len({p.parts[-2] for p in files if p.parts[-3] == "trials"}) > 1
    assert not list(folder.rglob(".*"))


def test_dataset_reads_back_exactly(dataset: tuple[Portfolio, Path]) -> None:
    """Two calls, four batches: read_dataset rebuilds one portfolio, root trials in import order."""
    portfolio, folder = dataset
    assert read_dataset(folder) == portfolio


def test_duckdb_joins_dataset_trials_to_endpoints_and_countries_by_key(dataset: tuple[Portfolio, Path]) -> None:
    """Must show: DuckDB reads each dataset folder as one table and joins by (asset_code, trial_key)."""
    portfolio, folder = dataset
    trials = f"read_parquet('{folder}/trials/**/*.parquet', hive_partitioning = true)"
    endpoints = f"read_parquet('{folder}/endpoints/**/*.parquet', hive_partitioning = true)"
    countries = f"read_parquet('{folder}/trial_countries/**/*.parquet', hive_partitioning = true)"
    all_trials = [("JS212", t) for t in JS212.trials] + [(ROOT_TRIALS, t) for t in portfolio.trials]
    with duckdb.connect() as con:
        joined_endpoints = con.execute(
            f"""SELECT t.asset_code, t.trial_key, e.endpoint_key, e.kind
                FROM {trials} t JOIN {endpoints} e USING (asset_code, trial_key)"""
        ).fetchall()
        nct05288205 = con.execute(
            f"""SELECT c.country FROM {trials} t JOIN {countries} c USING (asset_code, trial_key)
                WHERE t.trial_key = 'NCT05288205' ORDER BY c.position"""
        ).fetchall()
        nct04956640 = con.execute(
            f"""SELECT c.country FROM {trials} t JOIN {countries} c USING (asset_code, trial_key)
                WHERE t.trial_key = 'NCT04956640' ORDER BY c.position"""
        ).fetchall()
        per_country = con.execute(
            f"""SELECT c.country, count(DISTINCT t.trial_key)
                FROM {trials} t JOIN {countries} c USING (asset_code, trial_key)
                WHERE t.phase_rank >= {Phase.PHASE1_2.rank}
                GROUP BY c.country"""
        ).fetchall()
        js212 = con.execute(
            f"""SELECT count(*) FROM {trials} t JOIN {countries} c USING (asset_code, trial_key)
                WHERE asset_code = 'JS212'"""
        ).fetchone()
    expected_endpoints = endpoint_rows(all_trials)
    assert len(joined_endpoints) == len(expected_endpoints) > 130
    assert sorted(joined_endpoints) == sorted(expected_endpoints)
    assert len({r[:3] for r in joined_endpoints}) == len(joined_endpoints)  # (asset_code, trial_key, endpoint_key)
    by_key = {t.key: t for _, t in all_trials}
    assert [c for (c,) in nct05288205] == list(by_key["NCT05288205"].countries) == ["CN"]
    assert [c for (c,) in nct04956640] == list(by_key["NCT04956640"].countries) == ["US", "AU", "CA", "FR", "JP", "KR"]
    expected_counts: dict[str, set[str]] = {}
    for _, t in all_trials:
        if t.phase is not None and t.phase >= Phase.PHASE1_2:
            for c in t.countries:
                expected_counts.setdefault(c, set()).add(t.key)
    assert dict(per_country) == {c: len(keys) for c, keys in expected_counts.items()}
    assert js212 == (sum(len(t.countries) for t in JS212.trials),)


def test_polars_joins_dataset_trials_to_endpoints_and_countries_by_key(dataset: tuple[Portfolio, Path]) -> None:
    """Must show: Polars scans each dataset folder as one table and joins by (asset_code, trial_key)."""
    portfolio, folder = dataset

    def scan(name: str) -> pl.LazyFrame:
        return pl.scan_parquet(f"{folder}/{name}/**/*.parquet", hive_partitioning=True)

    trials = scan("trials").select("asset_code", "trial_key", "phase_rank")
    on = ["asset_code", "trial_key"]
    endpoints = trials.join(scan("endpoints").select(*on, "endpoint_key", "kind"), on=on).collect()
    countries = trials.join(scan("trial_countries").select(*on, "country", "position"), on=on).collect()
    all_trials = [("JS212", t) for t in JS212.trials] + [(ROOT_TRIALS, t) for t in portfolio.trials]
    assert endpoints.height == sum(len(t.endpoints) for _, t in all_trials)
    assert sorted(endpoints.select(*on, "endpoint_key", "kind").rows()) == sorted(endpoint_rows(all_trials))
    assert countries.height == sum(len(t.countries) for _, t in all_trials)
    nct = countries.filter(pl.col("trial_key") == "NCT05288205").sort("position")
    assert nct.get_column("country").to_list() == ["CN"]
    multi = countries.filter(pl.col("trial_key") == "NCT04956640").sort("position")
    assert multi.get_column("country").to_list() == ["US", "AU", "CA", "FR", "JP", "KR"]
    assert sorted(countries.filter(pl.col("asset_code") == "JS212").get_column("country").to_list()) == ["CN", "CN"]


def test_dataset_of_an_empty_table_still_has_its_columns(tmp_path: Path) -> None:
    """A table no batch had rows for gets an empty file, so engines know its columns (registry-only datasets)."""
    write_dataset(Portfolio(trials=JS212.trials), tmp_path)
    with duckdb.connect() as con:
        rows = con.execute(
            f"SELECT count(*), count(sponsor) FROM read_parquet('{tmp_path}/assets/**/*.parquet', hive_partitioning=1)"
        ).fetchone()
    assert rows == (0, 0)
    assert read_dataset(tmp_path) == Portfolio(trials=JS212.trials)


def test_appending_a_trial_twice_is_reported_on_reading(tmp_path: Path) -> None:
    write_dataset(Portfolio(trials=JS212.trials), tmp_path)
    write_dataset(Portfolio(trials=JS212.trials[:1]), tmp_path)
    with pytest.raises(ValidationError):
        read_dataset(tmp_path)


def test_dataset_needs_a_bucket(tmp_path: Path) -> None:
    with pytest.raises(biopipe.InvalidValue):
        write_dataset(JS212, tmp_path, buckets=0)
    with pytest.raises(biopipe.InvalidValue):
        read_dataset(tmp_path)


@given(bst.portfolios(max_assets=2, max_trials=2))
@settings(max_examples=20, deadline=None)
def test_any_portfolio_survives_the_dataset(portfolio: Portfolio) -> None:
    """Property: a dataset written in one batch per asset plus one of root trials reads back equal."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        batches = [*(Portfolio(assets=(a,)) for a in portfolio.assets), Portfolio(trials=portfolio.trials)]
        write_dataset(batches, tmp, buckets=3)
        assert read_dataset(tmp) == portfolio


# -- pieces put together: concat_tables and Dask ---------------------------------------------------


def test_concat_tables_continues_positions() -> None:
    portfolio = Portfolio(assets=(JS212,), trials=JS212.trials)
    parts = [to_arrow(JS212), *(to_arrow(t) for t in JS212.trials)]
    assert concat_tables(parts) == to_arrow(portfolio)
    assert concat_tables([]) == to_arrow(Portfolio())
    with pytest.raises(ValidationError):
        concat_tables([{"assets": to_arrow(JS212)["assets"]}])


def test_dask_bag_imports_the_shared_records_like_the_serial_import(refdata: Path) -> None:
    """Must show: a Dask bag of files -> from_ctgov -> Arrow tables gives the serial import's tables."""
    paths = sorted(str(p) for p in (refdata / "ctgov").glob("*.json"))
    serial = to_arrow(Portfolio(trials=tuple(from_ctgov(read_json(p)).trial for p in paths)))

    bag = db.from_sequence(paths, npartitions=4)
    tables = (
        bag.map(read_json)
        .map(from_ctgov)
        .map(operator.attrgetter("trial"))
        .map(to_arrow)
        .reduction(concat_tables, concat_tables)
    )
    with dask.config.set(scheduler="threads", num_workers=2):
        distributed: dict[str, pa.Table] = tables.compute()

    assert list(distributed) == list(TABLES)
    for name in TABLES:
        assert keyed(distributed[name]) == keyed(serial[name]), name
    assert distributed["trials"].num_rows == len(paths)
    assert from_arrow(distributed) == from_arrow(serial)
