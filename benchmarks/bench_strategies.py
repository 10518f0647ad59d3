"""What the shipped Hypothesis strategies cost: CPU milliseconds per generated asset, and the default health checks.

Run ``python benchmarks/bench_strategies.py`` (or ``nox -s bench_strategies``).
Each strategy runs in a ``@given`` test with ``--examples`` examples (no
database, no deadline, health checks off so that slow strategies are measured
too), ``--repeats`` times; the table gives the median CPU time per example and
per generated asset (Hypothesis's engine included, as a test pays it). Then each
runs once more at Hypothesis's default settings (every health check on) and the
last column says whether it passed. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import FailedHealthCheck

import biopipe
from biopipe.testing import strategies as bst

if TYPE_CHECKING:
    from collections.abc import Callable


def _count(value: object) -> int:
    return len(value) if isinstance(value, biopipe.Portfolio) else 1


def _cases() -> dict[str, tuple[Callable[[], st.SearchStrategy[Any]], bool]]:
    """Each strategy to measure, and whether it draws assets (or portfolios of them)."""
    return {
        "st.from_type(Asset)": (lambda: st.from_type(biopipe.Asset), True),
        "st.from_type(Portfolio)": (lambda: st.from_type(biopipe.Portfolio), True),
        "assets(realistic=True)": (lambda: bst.assets(realistic=True), True),
        "portfolios(realistic=True)": (lambda: bst.portfolios(realistic=True), True),
        "trials()": (bst.trials, False),
        "regulatory_events()": (bst.regulatory_events, False),
    }


def _measure(strategy: st.SearchStrategy[Any], examples: int) -> tuple[float, int, int]:
    seen = [0, 0]

    @settings(max_examples=examples, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: object) -> None:
        seen[0] += 1
        seen[1] += _count(value)

    start = time.process_time()
    run()
    return time.process_time() - start, seen[0], seen[1]


def _default_health(strategy: st.SearchStrategy[Any]) -> str:
    @settings(settings.get_profile("default"), database=None)
    @given(strategy)
    def run(value: object) -> None:
        pass

    try:
        run()
    except FailedHealthCheck as e:
        return "fails: " + str(e).splitlines()[0][:60]
    return "passes"


def main(argv: list[str] | None = None) -> int:
    """Measure every strategy and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, biopipe {biopipe.__version__}, load average {load:.1f}")
    print("| strategy | examples | assets | ms/example | ms/asset | default health checks |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, (make, of_assets) in _cases().items():
        try:
            strategy = make()
        except TypeError:  # an older biopipe without this strategy or argument
            print(f"| {name} | - | - | - | - | not available |")
            continue
        runs = [_measure(strategy, args.examples) for _ in range(args.repeats)]
        seconds = statistics.median(r[0] for r in runs)
        examples, assets = runs[0][1], runs[0][2] if of_assets else 0
        per_asset = f"{1e3 * seconds / assets:.2f}" if of_assets and assets else "-"
        health = _default_health(strategy)
        print(f"| {name} | {examples} | {assets} | {1e3 * seconds / examples:.2f} | {per_asset} | {health} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
