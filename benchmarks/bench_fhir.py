"""FHIR export of a large document: time and peak memory of the Bundle and of Bulk Data NDJSON.

    python benchmarks/bench_fhir.py                 # ~50 MB document (about 10k assets)
    python benchmarks/bench_fhir.py --mb 500        # ~500 MB (about 100k assets; needs ~4 GB)
    python benchmarks/bench_fhir.py --modes ndjson  # only some exports

Writes a synthetic portfolio (`_portfolio.synthetic_portfolio`) with `biopipe.dump`,
then runs each export in a fresh interpreter, twice: once for time and resident
memory, once under tracemalloc. Each run loads the document (timed apart), then
exports it to a temporary folder:

- ``bundle``: ``json_text(to_bundle(p))`` written to a file, as ``biopipe export fhir -o`` does;
- ``bundle-stream``: `biopipe.interop.fhir.write_bundle` (the same bytes, entry by entry);
- ``ndjson``: `biopipe.interop.fhir.write_ndjson` (one file per resource type).

Memory is reported three ways: the tracemalloc peak of the export above what
the loaded portfolio holds; the peak resident set during the export (Linux
``VmHWM`` after resetting it once the document is loaded) above the resident
set after loading; and the whole process's peak (``ru_maxrss``), which
includes loading. Ratios are to the document's size. With ``--timeout`` a run
that takes longer is stopped and reported. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

MODES = ("bundle", "bundle-stream", "ndjson")

# Run in a fresh interpreter: argv = document, mode, output folder, "trace" or "time".
_CHILD = r"""
import gc, json, os, resource, sys, time, tracemalloc
from pathlib import Path
import biopipe

doc, mode, out, how = sys.argv[1:5]
out = Path(out)


def status(key):
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


start = time.perf_counter()
portfolio = biopipe.load(doc)
load_s = time.perf_counter() - start
gc.collect()
from biopipe.interop import fhir
from biopipe.document import json_text

rss_loaded = status("VmRSS")
try:
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current resident set
    hwm_reset = True
except OSError:
    hwm_reset = False
if how == "trace":
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
start, cpu = time.perf_counter(), time.process_time()
if mode == "bundle":
    (out / "bundle.json").write_bytes(json_text(fhir.to_bundle(portfolio)).encode("utf-8"))
elif mode == "bundle-stream":
    fhir.write_bundle(portfolio, out / "bundle.json")
elif mode == "ndjson":
    fhir.write_ndjson(portfolio, out)
else:
    raise SystemExit(f"unknown mode {mode}")
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
result = {"load_s": load_s, "export_s": seconds, "export_cpu_s": cpu}
if how == "trace":
    result["traced_peak"] = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
result["rss_loaded"] = rss_loaded
result["hwm_export"] = status("VmHWM") if hwm_reset else None
result["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
result["output"] = sum(p.stat().st_size for p in out.iterdir())
print(json.dumps(result))
"""


def _run(doc: Path, mode: str, how: str, timeout: float) -> dict[str, float] | str:
    with tempfile.TemporaryDirectory() as out:
        try:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(doc), mode, out, how],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"stopped after {timeout:.0f} s"
    if done.returncode != 0:
        return f"failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}"
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _mb(n: float | None) -> str:
    return "-" if n is None else f"{n / 1e6:,.0f}"


def main(argv: list[str] | None = None) -> int:
    """Write the document, run every export, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50.0, help="approximate document size in MB")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds before a run is stopped")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs (slower, 2-3x)")
    args = parser.parse_args(argv)

    from _portfolio import synthetic_portfolio

    import biopipe

    per_asset = len(biopipe.document.dumps_bytes(synthetic_portfolio(200, seed=1))) / 200
    n = int(args.mb * 1e6 / per_asset)
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp, "big.json")
        start = time.perf_counter()
        biopipe.dump(synthetic_portfolio(n, seed=50), doc)
        size = doc.stat().st_size
        print(f"python {sys.version.split()[0]}, biopipe {biopipe.__version__}, {biopipe.document.json_backend()}")
        print(f"document: {n:,} assets, {size / 1e6:.1f} MB (written in {time.perf_counter() - start:.0f} s)")
        print()
        print(
            "| export | load s | export s | export cpu s | output MB | traced peak MB (x file) "
            "| RSS peak during export MB (above loaded) | process max RSS MB (x file) |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for mode in args.modes:
            timed = _run(doc, mode, "time", args.timeout)
            if isinstance(timed, str):
                print(f"| {mode} | - | {timed} | - | - | - | - | - |", flush=True)
                continue
            traced = "-"
            if not args.no_trace:
                trace_run = _run(doc, mode, "trace", args.timeout * 3)
                if isinstance(trace_run, str):
                    traced = trace_run
                else:
                    peak = trace_run["traced_peak"]
                    traced = f"{_mb(peak)} ({peak / size:.2f}x)"
            hwm, loaded = timed["hwm_export"], timed["rss_loaded"]
            during = "-" if hwm is None or loaded is None else f"{_mb(hwm)} (+{_mb(hwm - loaded)})"
            print(
                f"| {mode} | {timed['load_s']:.1f} | {timed['export_s']:.1f} | {timed['export_cpu_s']:.1f} "
                f"| {_mb(timed['output'])} | {traced} | {during} "
                f"| {_mb(timed['maxrss'])} ({timed['maxrss'] / size:.1f}x) |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
