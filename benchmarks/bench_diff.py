"""How `biopipe.review.diff` scales: two snapshots of n assets that differ in 1 % of them.

Run ``python benchmarks/bench_diff.py`` (or ``nox -s bench_diff``): sizes 10k, 30k
and 100k assets; ``--huge`` adds 300k (about 5 GB of memory for the two
snapshots); ``--sizes`` chooses others. The two snapshots are built separately
(no shared objects, as after loading two files), and the new one differs in 1 %
of the assets: a third of those edited (sponsor, an event's date, a trial's
status), a third removed, a third replaced by new assets; a few assets also
change places (a reordering alone is no change).

For each size it prints the median wall-clock and CPU time of ``diff`` and,
against the size one tenth as large (when measured), the growth of CPU time per
10x assets beside the growth of n log n (12.5x from 10k to 100k). CPU time is
the steadier figure on a shared machine. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs
from _portfolio import synthetic_portfolio

import biopipe
from biopipe.review import diff


def edited(portfolio: biopipe.Portfolio, seed: int, share: float = 0.01) -> tuple[biopipe.Portfolio, int]:
    """*portfolio* with *share* of its assets edited, removed or replaced, and a few moved; and how many."""
    rng = random.Random(seed)
    assets = list(portfolio.assets)
    n = len(assets)
    touched = rng.sample(range(n), max(3, int(n * share)))
    fresh = synthetic_portfolio(len(touched) // 3 + 1, seed=seed + 1).assets
    removed: set[int] = set()
    for k, i in enumerate(touched):
        asset = assets[i]
        if k % 3 == 0:
            events = list(asset.events)
            events[0] = attrs.evolve(events[0], date=biopipe.FactDate(biopipe.PartialDate(2030, 1 + k % 12)))
            assets[i] = attrs.evolve(asset, sponsor=asset.sponsor + " Inc.", events=tuple(events))
        elif k % 3 == 1:
            removed.add(i)
        else:
            assets[i] = attrs.evolve(fresh[k // 3], code=f"NEW-{k:06d}")
    kept = [a for i, a in enumerate(assets) if i not in removed]
    for _ in range(max(1, n // 1000)):  # a few moves: no change by themselves
        kept.insert(rng.randrange(len(kept)), kept.pop(rng.randrange(len(kept))))
    return biopipe.Portfolio(assets=tuple(kept)), len(touched)


def _median_seconds(old: biopipe.Portfolio, new: biopipe.Portfolio, repeats: int) -> tuple[float, float, int]:
    wall, cpu, changes = [], [], 0
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        changes = len(diff(old, new))
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall), statistics.median(cpu), changes


def main(argv: list[str] | None = None) -> int:
    """Build each pair of snapshots, time the diff, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--huge", action="store_true", help="also 300k assets (about 5 GB of memory)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = sorted({*args.sizes, *([300_000] if args.huge else [])})

    print(f"python {sys.version.split()[0]}, biopipe {biopipe.__version__}, seed {args.seed}, repeats {args.repeats}")
    print("| assets | edited/removed/added | changes | wall s | cpu s | cpu us/asset | per 10x | n log n per 10x |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    cpu_at: dict[int, float] = {}
    for n in sizes:
        old = synthetic_portfolio(n, args.seed)
        new, touched = edited(synthetic_portfolio(n, args.seed), args.seed)
        wall, cpu, changes = _median_seconds(old, new, args.repeats)
        cpu_at[n] = cpu
        growth = expected = "-"
        if n // 10 in cpu_at:
            growth = f"{cpu / cpu_at[n // 10]:.1f}x"
            expected = f"{10 * math.log(n) / math.log(n // 10):.1f}x"
        row = [f"{n:,}", f"{touched:,}", f"{changes:,}", f"{wall:.3f}", f"{cpu:.3f}", f"{1e6 * cpu / n:.1f}"]
        print("| " + " | ".join([*row, growth, expected]) + " |", flush=True)
        del old, new
    return 0


if __name__ == "__main__":
    sys.exit(main())
