"""Throughput of the bulk ClinicalTrials.gov import into a Parquet dataset, and its peak memory.

    nox -s bench_ingest                                   # 10k and 100k studies, 2 workers
    python benchmarks/bench_ingest.py --sizes 10000 30000 --workers 1 2 --batch-size 1000

A synthetic corpus is made by mutating the real records in ``../shared/refdata/ctgov``
(``--refdata``): each study gets a new NCT id, its dates shifted by one random number of
days (months and years for coarser dates), its sites (locations) and arms multiplied by
1 to ``--multiply`` (arm labels and the interventions' arm references renamed alike), and
one study in a thousand a bad overall status (so the lenient path runs). The studies are
written one JSON file each into a zip archive, as the registry's bulk download is, in a
temporary folder. Each import runs in a fresh interpreter (so peak memory is its own):
``biopipe.interop.ctgov.import_to_parquet(zip, folder, workers=N, batch_size=B)``, which
streams the archive, imports batches in N worker processes and writes one Parquet part
file per batch and table.

Reported per run: wall time of the import, records per second in all and per core used
(``min(workers, cpus)``), peak resident memory of the importing process and of its largest
worker (``ru_maxrss`` of RUSAGE_SELF and RUSAGE_CHILDREN) with their sum as the total
(parent plus every worker at its peak, an upper bound), and the time the registry's
size (``--registry``, about 560,000 studies) would take at the measured rate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REFDATA = HERE.parent.parent / "shared" / "refdata" / "ctgov"
REGISTRY = 560_000
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _loads(data: bytes) -> Any:
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    return orjson.loads(data)


def _dumps(value: Any) -> bytes:
    try:
        import orjson
    except ImportError:
        return json.dumps(value).encode("utf-8")
    data: bytes = orjson.dumps(value)
    return data


def _dumps_indented(value: Any) -> bytes:
    try:
        import orjson
    except ImportError:
        return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    data: bytes = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    return data


# -- the synthetic corpus --------------------------------------------------------------------------


def _shift(text: str, days: int) -> str:
    """*text* (YYYY, YYYY-MM or YYYY-MM-DD) moved by about *days*, at its own precision."""
    if m := _DAY.match(text):
        day = dt.date(int(m[1]), int(m[2]), int(m[3])) + dt.timedelta(days=days)
        return day.isoformat()
    if m := _MONTH.match(text):
        months = int(m[1]) * 12 + int(m[2]) - 1 + round(days / 30.44)
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if m := _YEAR.match(text):
        return f"{int(m[1]) + round(days / 365.25):04d}"
    return text


def _shift_dates(node: Any, days: int) -> None:
    """Shift every date of the status module (``...Date`` texts and ``...DateStruct`` dates)."""
    for key, value in node.items():
        if key.endswith("Date") and isinstance(value, str):
            node[key] = _shift(value, days)
        elif key.endswith("DateStruct") and isinstance(value, dict) and isinstance(value.get("date"), str):
            value["date"] = _shift(value["date"], days)


def mutate(template: bytes, number: int, rng: random.Random, multiply: int, broken: bool) -> dict[str, Any]:
    """A new study from a real record: new NCT id, shifted dates, sites and arms multiplied."""
    study: dict[str, Any] = _loads(template)
    protocol = study["protocolSection"]
    protocol["identificationModule"]["nctId"] = f"NCT{10_000_000 + number:08d}"
    status = protocol.get("statusModule", {})
    _shift_dates(status, rng.randint(-1500, 1500))
    if broken:
        status["overallStatus"] = "DONE"
    sites = protocol.get("contactsLocationsModule", {}).get("locations")
    if sites:
        k = rng.randint(1, multiply)
        protocol["contactsLocationsModule"]["locations"] = [
            {**site, "city": f"{site.get('city', 'City')} {j}"} if j else site for j in range(k) for site in sites
        ]
    arms_module = protocol.get("armsInterventionsModule", {})
    arms = arms_module.get("armGroups")
    if arms:
        k = rng.randint(1, multiply)
        arms_module["armGroups"] = [
            {**arm, "label": f"{arm.get('label', 'Arm')} (cohort {j + 1})"} if j else arm
            for j in range(k)
            for arm in arms
        ]
        for intervention in arms_module.get("interventions", []):
            labels = intervention.get("armGroupLabels")
            if labels:
                intervention["armGroupLabels"] = [
                    f"{label} (cohort {j + 1})" if j else label for j in range(k) for label in labels
                ]
    return study


def write_corpus(
    path: Path, size: int, refdata: Path, *, multiply: int, seed: int = 0, indented: bool = False
) -> dict[str, float]:
    """Write *size* synthetic studies into the zip archive *path*; return its statistics.

    Compact JSON by default; with *indented*, two-space indents and a final newline, as the
    registry's own files are (and as ``../shared/refdata/ctgov`` holds them).
    """
    templates = [p.read_bytes() for p in sorted(refdata.glob("*.json"))]
    if not templates:
        raise SystemExit(f"no ClinicalTrials.gov records in {refdata}")
    rng = random.Random(seed)
    raw = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number in range(size):
            study = mutate(templates[number % len(templates)], number, rng, multiply, broken=number % 1000 == 999)
            data = _dumps_indented(study) if indented else _dumps(study)
            raw += len(data)
            nct = study["protocolSection"]["identificationModule"]["nctId"]
            archive.writestr(f"{nct}.json", data)
    return {"studies": size, "raw_mb": raw / 1e6, "zip_mb": path.stat().st_size / 1e6}


# -- one import, in a fresh interpreter ---------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Monitor(threading.Thread):
    """Samples this process and its descendants in /proc (Linux) five times a second.

    The workers run under a forkserver, so they are grandchildren: ``RUSAGE_CHILDREN`` never
    sees them. Each sample reads every descendant's resident memory (``VmRSS``), its peak
    (``VmHWM``) and its CPU time; kept are the largest simultaneous total, each process's peak
    and its last CPU time (a worker's last 0.2 s are lost, while it idles before shutdown).
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.total_peak_kb = 0
        self.peak_kb: dict[int, int] = {}
        self.cpu_ticks: dict[int, int] = {}

    def run(self) -> None:
        """Sample until stopped."""
        while not self.stop.wait(0.2):
            self.sample()

    def sample(self) -> None:
        """One sample of this process and its descendants."""
        me = os.getpid()
        family, frontier = [], [me]
        while frontier:
            pid = frontier.pop()
            family.append(pid)
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for task in tasks:
                try:
                    frontier += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
                except OSError:
                    continue
        total = 0
        for pid in family:
            try:
                status = Path("/proc", str(pid), "status").read_text()
                fields = Path("/proc", str(pid), "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            rss = int(values.get("VmRSS", "0 kB").split()[0])
            total += rss
            self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), int(values.get("VmHWM", "0 kB").split()[0]))
            if pid != me:
                self.cpu_ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        self.total_peak_kb = max(self.total_peak_kb, total)


def run_import(archive: Path, out: Path, workers: int, batch_size: int) -> dict[str, Any]:
    """Import *archive* into a Parquet dataset in *out* (this process); return the measurements."""
    import pyarrow.parquet as pq

    from biopipe.interop.ctgov import import_to_parquet

    monitor = Monitor()
    monitor.start()
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    report = import_to_parquet([archive], out, workers=workers, batch_size=batch_size)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    monitor.stop.set()
    monitor.join()
    me = os.getpid()
    self_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    children_cpu = sum(monitor.cpu_ticks.values()) / _TICK
    rows = sum(pq.read_metadata(p).num_rows for p in (out / "trials").glob("part-*.parquet"))
    others = [kb for pid, kb in monitor.peak_kb.items() if pid != me]
    return {
        "seconds": seconds,
        "read": report.read,
        "imported": report.imported,
        "failed": report.failed,
        "unmapped": sum(report.unmapped_kinds.values()),
        "parts": sum(1 for _ in (out / "trials").glob("part-*.parquet")),
        "rows": rows,
        "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": max(others, default=0) / 1024,
        "total_mb": monitor.total_peak_kb / 1024,
        "self_cpu": self_cpu,
        "worker_cpu": children_cpu,
    }


def measure(archive: Path, workers: int, batch_size: int) -> dict[str, Any]:
    """`run_import` in a fresh interpreter (its own peak memory), into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-out-") as tmp:
        command = [sys.executable, __file__, "_import", str(archive), str(Path(tmp, "tables"))]
        command += ["--workers", str(workers), "--batch-size", str(batch_size)]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# -- the report -----------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def row(size: int, workers: int, batch_size: int, result: dict[str, Any], cpus: int) -> str:
    """One line of the Markdown table."""
    rate = result["read"] / result["seconds"]
    cores = min(workers, cpus)
    cpu = result["self_cpu"] + result["worker_cpu"]
    cells = [
        f"{size:,}",
        str(workers),
        f"{batch_size:,}",
        f"{result['seconds']:.1f}",
        f"{rate:,.0f}",
        f"{rate / cores:,.0f}",
        f"{cpu * 1e3 / result['read']:.2f}",
        f"{result['read'] / cpu:,.0f}",
        f"{result['total_mb']:.0f}",
        f"{result['self_mb']:.0f}",
        f"{result['worker_mb']:.0f}" if workers > 1 else "-",
        _duration(REGISTRY / rate),
        _duration(REGISTRY / (result["read"] / cpu) / cores),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| studies | workers | batch | wall s | records/s | records/s per core | CPU ms a record | records per CPU s "
    "| peak MB, all processes | peak MB, importer | peak MB, largest worker | 560k studies at this rate "
    "| 560k studies, CPU-bound |\n"
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def main(argv: list[str] | None = None) -> None:
    """Build the corpora, import each in a fresh interpreter, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    one = sub.add_parser("_import", help="(internal) one import in this interpreter; prints JSON")
    one.add_argument("archive", type=Path)
    one.add_argument("out", type=Path)
    one.add_argument("--workers", type=int, default=2)
    one.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--multiply", type=int, default=2, help="sites and arms are multiplied by 1 to this")
    parser.add_argument("--refdata", type=Path, default=REFDATA)
    parser.add_argument(
        "--indented", action="store_true", help="write studies indented, as the registry does (default: compact)"
    )
    args = parser.parse_args(argv)
    if args.command == "_import":
        print(json.dumps(run_import(args.archive, args.out, args.workers, args.batch_size)))
        return
    cpus = os.cpu_count() or 1
    print(f"python {sys.version.split()[0]}, {cpus} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    lines = [HEADER]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        for size in args.sizes:
            archive = Path(tmp, f"ctgov-{size}.zip")
            start = time.perf_counter()
            stats = write_corpus(archive, size, args.refdata, multiply=args.multiply, indented=args.indented)
            print(
                f"corpus {size:,} studies: {stats['raw_mb']:.0f} MB of JSON ({stats['raw_mb'] * 1e3 / size:.1f} kB a "
                f"study), zip {stats['zip_mb']:.0f} MB, made in {time.perf_counter() - start:.0f} s",
                flush=True,
            )
            for workers in args.workers:
                result = measure(archive, workers, args.batch_size)
                print(
                    f"  workers {workers}: {result['read']:,} read, {result['imported']:,} imported, "
                    f"{result['failed']:,} failed, {result['unmapped']:,} unmapped parts, "
                    f"{result['parts']} part files a table (load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
                lines.append(row(size, workers, args.batch_size, result, cpus))
                print(lines[-1], flush=True)
            archive.unlink()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
