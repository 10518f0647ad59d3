"""Whole-run CPU time of ``python -c "import biopipe"`` above ``python -c pass``, with and without a bytecode cache.

    python benchmarks/bench_import.py 21 /tmp/base/src src      # one or more source folders, interleaved

For each folder (put first on ``PYTHONPATH``), the import runs in fresh interpreters under both
settings of ``PYTHONDONTWRITEBYTECODE``: set (with no ``__pycache__`` in the folders, every
biopipe module is compiled on every run, as in a fresh checkout on this machine) and unset (the
first run writes the cache, the timed runs read it). The folders' ``__pycache__`` are removed
before and after. CPU time is ``getrusage(RUSAGE_CHILDREN)``'s user + system time; medians (and
minimums) of the runs, the folders interleaved run by run so that they see the same load.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path


def _cpu_ms(code: str, env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def _clean(folders: list[str]) -> None:
    for folder in folders:
        for cache in Path(folder).rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def main(argv: list[str]) -> None:
    """Print one line per setting and folder: median (min) ms above an empty interpreter."""
    runs, folders = int(argv[0]), argv[1:] or ["src"]
    _clean(folders)
    try:
        for label, dont_write in (("PYTHONDONTWRITEBYTECODE=1, nothing cached", True), ("bytecode cached", False)):
            envs = []
            for folder in folders:
                env = dict(os.environ, PYTHONPATH=os.path.abspath(folder))
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                if dont_write:
                    env["PYTHONDONTWRITEBYTECODE"] = "1"
                _cpu_ms("import biopipe", env)  # unset: writes the cache
                envs.append(env)
            times: list[list[float]] = [[] for _ in folders]
            empty: list[float] = []
            for _ in range(runs):
                for i, env in enumerate(envs):
                    times[i].append(_cpu_ms("import biopipe", env))
                empty.append(_cpu_ms("pass", envs[0]))
            base = statistics.median(empty)
            print(f"{label}: python -c pass {base:.1f} ms CPU (median of {runs})")
            for folder, values in zip(folders, times, strict=True):
                above, low = statistics.median(values) - base, min(values) - base
                print(f"  {folder}: import biopipe {above:.1f} ms above empty (min {low:.1f})")
    finally:
        _clean(folders)


if __name__ == "__main__":
    main(sys.argv[1:])
