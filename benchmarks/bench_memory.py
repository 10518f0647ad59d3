"""Peak memory of loading a large (~50 MB) document, relative to its size.

    python benchmarks/bench_memory.py            # ~50 MB
    python benchmarks/bench_memory.py --mb 10    # another size

Writes a synthetic portfolio with `biopipe.dump`, then measures `biopipe.load`
with tracemalloc: the peak during the load and what the loaded portfolio keeps,
each as a multiple of the file size.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _portfolio import synthetic_portfolio

import biopipe
from biopipe.document import json_backend


def main(argv: list[str] | None = None) -> None:
    """Build, write, load and report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50.0, help="approximate document size in MB")
    args = parser.parse_args(argv)
    per_asset = len(biopipe.document.dumps_bytes(synthetic_portfolio(200, seed=1))) / 200
    n = int(args.mb * 1e6 / per_asset)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "big.json")
        biopipe.dump(synthetic_portfolio(n, seed=50), path)
        size = path.stat().st_size
        biopipe.loads(biopipe.document.dumps_bytes(synthetic_portfolio(10, seed=1)))  # generate the fast path first
        gc.collect()
        tracemalloc.start()
        start = time.perf_counter()
        portfolio = biopipe.load(path)
        seconds = time.perf_counter() - start
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"backend for small documents: {json_backend()} (documents over 16 MiB parse with the standard library)")
    print(f"assets {len(portfolio):,}, file {size / 1e6:.1f} MB, load {seconds:.1f} s (under tracemalloc)")
    print(f"peak {peak / 1e6:.1f} MB = {peak / size:.2f} x file; kept {kept / 1e6:.1f} MB = {kept / size:.2f} x file")


if __name__ == "__main__":
    main()
