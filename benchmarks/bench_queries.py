"""How the query layer scales: timeline and state-as-of over synthetic portfolios of growing size.

Run ``python benchmarks/bench_queries.py`` (or ``nox -s bench_queries``); pass
``--sizes 1000 10000 100000`` and ``--repeats 5`` to choose. For each size it
prints the median wall-clock and CPU time of each query, the CPU time per
asset, and the growth ratio ``(t_n / t_0) / ((n log n) / (n_0 log n_0))`` of CPU
time against the smallest size: about 1 means n log n growth, below 1 means
linear growth is showing through. CPU time is the steadier figure on a shared
machine. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _portfolio import synthetic_portfolio

import biopipe

AS_OF = "2025-06-15"


def _median_seconds(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of *repeats* runs of *work*."""
    wall, cpu = [], []
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall), statistics.median(cpu)


def _queries(portfolio: biopipe.Portfolio) -> dict[str, Callable[[], object]]:
    """The measured queries, each over the whole portfolio."""
    day = biopipe.PartialDate.parse_iso(AS_OF).earliest
    cleared = biopipe.query.in_state("US", "may_run_trials", as_of=day) & biopipe.query.phase_at_least("phase2")
    return {
        "timeline (all entries, sorted)": lambda: biopipe.timeline(portfolio),
        "timeline --jurisdiction US --since 2024": lambda: biopipe.timeline(portfolio, jurisdiction="US", since="2024"),
        "state_as_of US, every asset": lambda: [biopipe.state_as_of(a, "US", day) for a in portfolio.assets],
        "select(US may run trials & phase>=2)": lambda: biopipe.query.select(portfolio, cleared),
    }


def main(argv: list[str] | None = None) -> int:
    """Build each portfolio, time each query, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    base: dict[str, tuple[int, float]] = {}
    print(f"python {sys.version.split()[0]}, biopipe {biopipe.__version__}, seed {args.seed}, as of {AS_OF}")
    print(f"{'query':42} {'n':>8} {'entries':>8} {'wall s':>9} {'cpu s':>9} {'cpu us/asset':>12} {'vs n log n':>10}")
    for n in args.sizes:
        start = time.perf_counter()
        portfolio = synthetic_portfolio(n, args.seed)
        built = time.perf_counter() - start
        entries = len(biopipe.timeline(portfolio))
        label = "(build synthetic portfolio, validated)"
        print(f"{label:42} {n:>8} {entries:>8} {built:>9.3f} {'-':>9} {1e6 * built / n:>12.1f}")
        for name, work in _queries(portfolio).items():
            wall, cpu = _median_seconds(work, args.repeats)
            n0, t0 = base.setdefault(name, (n, cpu))
            ratio = (cpu / t0) / ((n * math.log(n)) / (n0 * math.log(n0)))
            print(f"{name:42} {n:>8} {entries:>8} {wall:>9.4f} {cpu:>9.4f} {1e6 * cpu / n:>12.2f} {ratio:>10.2f}")
        del portfolio
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
