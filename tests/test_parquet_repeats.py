"""import_to_parquet: a trial key read again in a later batch behaves as a repeat within one batch.

The last record read replaces the first, in the first one's place: the dataset is `to_arrow` of the
portfolio the serial import adds the trials to (`add_trials`), whatever the batch size and workers.
"""

from __future__ import annotations

import copy
import json
import shutil
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq
import pytest

from biopipe import Portfolio
from biopipe.interop.arrow import to_arrow
from biopipe.interop.ctgov import TRIAL_TABLES, add_trials, import_files, import_to_parquet

if TYPE_CHECKING:
    from pathlib import Path


def studies(refdata: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((refdata / "ctgov").glob("*.json"))]


def changed(study: dict[str, Any], title: str, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """*study* with another brief title and without the modules named in *drop*."""
    again = copy.deepcopy(study)
    section = again["protocolSection"]
    section["identificationModule"]["briefTitle"] = title
    for module in drop:
        section.pop(module, None)
    return again


def inputs(refdata: Path, tmp_path: Path) -> list[Path]:
    """The 14 real records, then later repeats of some of them: changed, stripped of parts, or given parts back."""
    found = studies(refdata)
    folder = tmp_path / "ctgov"
    folder.mkdir()
    for i, study in enumerate(found):
        # The third record comes first without its arms and conditions: its repeat gives them back.
        first = changed(study, "first", drop=("armsInterventionsModule", "conditionsModule")) if i == 2 else study
        (folder / f"{i:02d}.json").write_text(json.dumps(first), "utf-8")
    repeats = [
        changed(found[0], "replaced"),
        changed(found[5], "stripped", drop=("armsInterventionsModule", "conditionsModule", "outcomesModule")),
        found[2],
        changed(found[13], "last of the folder"),
        changed(found[0], "replaced twice"),
    ]
    lines = tmp_path / "again.jsonl"
    lines.write_text("".join(json.dumps(s) + "\n" for s in repeats), "utf-8")
    return [folder, lines]


@pytest.mark.parametrize(("batch_size", "workers"), [(3, 1), (1, 1), (4, 2), (100, 1)])
def test_a_key_read_again_in_a_later_batch_replaces_the_first_in_its_place(
    refdata: Path, tmp_path: Path, batch_size: int, workers: int
) -> None:
    paths = inputs(refdata, tmp_path)
    serial = import_files(paths)
    assert len(serial.repeated) == 4  # the serial report names them
    expected = to_arrow(add_trials(Portfolio(), [r.trial for r in serial.records]))
    out = tmp_path / "tables"
    report = import_to_parquet(paths, out, batch_size=batch_size, workers=workers)
    assert (report.read, report.failed) == (serial.read, serial.failed) == (19, 0)
    for name in TRIAL_TABLES:
        assert pq.read_table(out / name).equals(expected[name]), name
    trials = pq.read_table(out / "trials")
    titles = dict(zip(trials.column("trial_key").to_pylist(), trials.column("title").to_pylist(), strict=True))
    assert sorted(t for t in titles.values() if t in ("replaced twice", "stripped", "last of the folder")) == [
        "last of the folder",
        "replaced twice",
        "stripped",
    ]
    assert "first" not in titles.values()
    assert not list(out.rglob(".*.tmp"))


def test_a_table_emptied_by_a_repeat_still_reads(refdata: Path, tmp_path: Path) -> None:
    """The only record with arms is read again without them: the arms table ends empty but readable."""
    found = studies(refdata)
    with_arms = next(s for s in found if s["protocolSection"].get("armsInterventionsModule"))
    again = changed(with_arms, "no arms", drop=("armsInterventionsModule",))
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    paths[0].write_text(json.dumps(with_arms), "utf-8")
    paths[1].write_text(json.dumps(again), "utf-8")
    out = tmp_path / "tables"
    import_to_parquet(paths, out, batch_size=1)
    serial = import_files(paths)
    expected = to_arrow(add_trials(Portfolio(), [r.trial for r in serial.records]))
    assert expected["arms"].num_rows == 0
    for name in TRIAL_TABLES:
        assert pq.read_table(out / name).equals(expected[name]), name
    shutil.rmtree(out)
