"""Time biopipe against msgspec (native and rules-in-Python) and pydantic v2 on the same synthetic portfolio.

Run from the repository root (see benchmarks/README.md)::

    python benchmarks/bench_models.py                    # 1k and 10k assets
    python benchmarks/bench_models.py --large            # also 100k assets
    python benchmarks/bench_models.py --old-src /tmp/old/src   # also import time of another checkout

Speed: everything runs in one process. For each size and each garbage-collector setting
(``gc on``: the process default, ``gc off``: ``gc.disable()`` around every library alike),
every repeat runs each library once per operation, rotating which library goes first, so
that drift of the machine spreads over all libraries alike. Each call is timed by CPU time
(``time.process_time``; the primary figure) and wall time; its result is kept and freed
after the clock stops, and ``gc.collect()`` runs before each call, outside the clock. The
tables show min/median/max CPU ms and ratios of medians. biopipe's date caches are emptied before
each timed load (outside the clock), as in a fresh process. biopipe pauses the collector
inside ``loads``/``dumps`` by design, so "gc on" is the process default for the others
and that design for biopipe; "gc off" compares the work alone.

Libraries:
    biopipe         biopipe.loads / biopipe.document.dumps_bytes (msgspec path when installed)
    msgspec-native  peers_msgspec_native: constraints as Meta, enums, gc=False, only cross-field
                    rules in Python (the real limit)
    msgspec-rules   peers_msgspec: the earlier peer, most checks as Python ``__post_init__`` rules
    pydantic        peers_pydantic: strict models, validators as pydantic runs them

Operations:
    construct   build every model object from already-typed field values (biopipe and pydantic
                validate here; msgspec's ``__init__`` checks no types or Meta, only ``__post_init__``)
    dump        model -> canonical JSON bytes (2-space indent, defaults omitted)
    load        JSON bytes -> validated model
    round trip  load(dump(x))

Memory: one fresh interpreter per library and size (so biopipe's date cache starts cold), loading
the document from a file: peak RSS (VmHWM; ``getrusage``'s ``ru_maxrss`` would carry over this
process's own peak) and the RSS just before the load, and in another fresh interpreter the
tracemalloc peak and what the result keeps.

Import: ``import X`` in fresh interpreters after one warm-up run (bytecode already compiled):
CPU and wall time inside the interpreter, and the whole interpreter's CPU and wall time minus an
empty one's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if TYPE_CHECKING:
    from collections.abc import Callable

LIBS = ("biopipe", "msgspec-native", "msgspec-rules", "pydantic")
PEERS = ("msgspec-native", "pydantic")  # the ratio columns


# -- construct: a recipe per library, rebuilt by calling each class --------------------------------


def _recipe(obj: Any) -> Any:
    """(class, {field: recipe}) for a model object, tuples of recipes, leaves as they are."""
    import attrs
    import msgspec
    from pydantic import BaseModel

    if isinstance(obj, tuple):
        return tuple(_recipe(o) for o in obj)
    if isinstance(obj, BaseModel):
        return (type(obj), {k: _recipe(getattr(obj, k)) for k in obj.model_fields_set})
    if isinstance(obj, msgspec.Struct):
        return (type(obj), {k: _recipe(getattr(obj, k)) for k in obj.__struct_fields__})
    if attrs.has(type(obj)) and type(obj).__module__ == "biopipe" and type(obj).__name__ not in _LEAVES:
        return (type(obj), {f.name: _recipe(getattr(obj, f.name)) for f in attrs.fields(type(obj))})
    return obj


_LEAVES = {"PartialDate", "FactDate", "RegistryId"}


def _build(recipe: Any) -> Any:
    if type(recipe) is tuple and len(recipe) == 2 and isinstance(recipe[0], type) and type(recipe[1]) is dict:
        cls, fields = recipe
        return cls(**{k: _build(v) for k, v in fields.items()})
    if type(recipe) is tuple:
        return tuple(_build(r) for r in recipe)
    return recipe


# -- the operations -------------------------------------------------------------------------------


def _document(n: int) -> bytes:
    from _portfolio import synthetic_portfolio

    import biopipe

    return biopipe.document.dumps_bytes(synthetic_portfolio(n, seed=n))


def _loader(lib: str) -> Callable[[bytes], object]:
    """The load function of *lib*, importing only what it needs (the memory children measure the imports)."""
    if lib == "msgspec-native":
        import peers_msgspec_native

        return peers_msgspec_native.decode
    if lib == "msgspec-rules":
        import peers_msgspec

        return peers_msgspec.decode
    if lib == "pydantic":
        import peers_pydantic

        return peers_pydantic.Document.model_validate_json
    import biopipe

    return biopipe.loads


def _operations(n: int, only: list[str]) -> dict[str, dict[str, Callable[[], object]]]:
    import peers_msgspec
    import peers_msgspec_native
    from _portfolio import synthetic_portfolio

    import biopipe

    portfolio = synthetic_portfolio(n, seed=n)
    text = biopipe.document.dumps_bytes(portfolio)
    loads = {lib: _loader(lib) for lib in LIBS}
    docs = {lib: load(text) for lib, load in loads.items()}
    assert docs["biopipe"] == portfolio

    def pd_dump(doc: Any = docs["pydantic"]) -> bytes:
        return bytes(doc.__pydantic_serializer__.to_json(doc, indent=2, exclude_defaults=True) + b"\n")

    dumps: dict[str, Callable[[], bytes]] = {
        "biopipe": lambda: biopipe.document.dumps_bytes(portfolio),
        "msgspec-native": lambda: peers_msgspec_native.encode(docs["msgspec-native"]),
        "msgspec-rules": lambda: peers_msgspec.encode(docs["msgspec-rules"]),
        "pydantic": pd_dump,
    }
    # The libraries must agree on the bytes, or the comparison is meaningless.
    for lib, dump in dumps.items():
        assert dump() == text, f"{lib} writes different bytes"
    ops: dict[str, dict[str, Callable[[], object]]] = {}
    if not only or "construct" in only:
        recipes = {lib: _recipe(doc) for lib, doc in docs.items()}
        assert _build(recipes["biopipe"]) == portfolio
        ops["construct"] = {lib: (lambda r=recipes[lib]: _build(r)) for lib in LIBS}
    return ops | {
        "dump": dumps,
        "load": {lib: (lambda load=loads[lib]: load(text)) for lib in LIBS},
        "round trip": {lib: (lambda load=loads[lib], dump=dumps[lib]: load(dump())) for lib in LIBS},
    }


def _time(fn: Callable[[], object], cold: bool) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call; the result is freed after the clocks stop.

    With *cold*, biopipe's date caches are emptied first (outside the clocks): every timed load
    parses its dates as a load in a fresh process would, not from the previous repeat's cache.
    """
    if cold:
        from biopipe.document import _fast

        _fast.clear_caches()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    del result
    return cpu, wall


# -- memory: fresh interpreters ----------------------------------------------------------------------


def _child_memory(lib: str, path: str, n: int, traced: bool) -> None:
    """In a fresh interpreter: load *path* with *lib*; print max RSS or tracemalloc figures as JSON."""
    load = _loader(lib)
    if lib == "biopipe":  # generate the loading code on a tiny document, then empty the date caches
        import biopipe
        from biopipe.document import _fast

        biopipe.loads(biopipe.document.example_text("js212"))
        _fast.clear_caches()
    data = Path(path).read_bytes()
    gc.collect()
    if traced:
        tracemalloc.start()
        result = load(data)
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(json.dumps({"peak": peak, "kept": kept, "n": n}))
    else:
        before, rss_before = _peak_rss(), _rss()
        result = load(data)
        after = _peak_rss()
        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps({"max_before": before, "max_after": after, "rss_before": rss_before, "ru_maxrss": usage}))
    del result


def _rss() -> int:
    """The resident set size of this process now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss() -> int:
    """The peak resident set size of this process (VmHWM).

    Not ``getrusage().ru_maxrss``: on Linux that carries over the parent's peak through fork and
    exec, so every child of the benchmark process would report at least the parent's size.
    VmHWM belongs to the process's own memory, which exec starts afresh.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


MEMORY_VARIANTS = {  # label -> (library, extra environment)
    "biopipe": ("biopipe", {}),
    "biopipe (orjson)": ("biopipe", {"BIOPIPE_JSON": "orjson"}),
    "biopipe (json)": ("biopipe", {"BIOPIPE_JSON": "json"}),
    "msgspec-native": ("msgspec-native", {}),
    "msgspec-rules": ("msgspec-rules", {}),
    "pydantic": ("pydantic", {}),
}


def _memory(n: int, path: str) -> dict[str, dict[str, float]]:
    out = {}
    for label, (lib, env) in MEMORY_VARIANTS.items():
        figures: dict[str, float] = {}
        for traced in (False, True):
            args = [sys.executable, __file__, "--child-memory", lib, path, str(n)] + (["--traced"] if traced else [])
            run = subprocess.run(args, check=True, capture_output=True, text=True, env={**os.environ, **env})
            figures.update(json.loads(run.stdout.strip().splitlines()[-1]))
        out[label] = figures
    return out


# -- import: fresh interpreters ------------------------------------------------------------------------

_IMPORT_CODE = (
    "import time; c, w = time.process_time(), time.perf_counter(); import {m}; "
    "print(time.process_time() - c, time.perf_counter() - w)"
)


def _import_times(module: str, repeats: int, env: dict[str, str]) -> dict[str, list[float]]:
    """CPU and wall seconds of ``import module`` inside fresh interpreters, and whole runs minus an empty one."""

    def run(code: str) -> tuple[float, float, str]:
        """Wall and CPU seconds of a whole interpreter running *code* (the same env for every run)."""
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - start
        now = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (now.ru_utime + now.ru_stime) - (used.ru_utime + used.ru_stime), out.stdout

    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run(f"import {module}")  # compiles and caches the bytecode: what follows times the import alone
    times: dict[str, list[float]] = {"cpu": [], "wall": [], "above empty": [], "above empty cpu": []}
    for _ in range(repeats):
        empty, empty_cpu, _ = run("pass")
        whole, whole_cpu, out = run(_IMPORT_CODE.format(m=module))
        cpu, wall = (float(x) for x in out.split())
        times["cpu"].append(cpu)
        times["wall"].append(wall)
        times["above empty"].append(whole - empty)
        times["above empty cpu"].append(whole_cpu - empty_cpu)
    return times


# -- output ---------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _ratios(values: dict[str, float], lib: str) -> list[str]:
    return [f"{values[lib] / values[peer]:.2f}x" if lib == "biopipe" else "" for peer in PEERS]


def _speed(sizes: list[int], repeats: int, only: list[str]) -> None:
    print("### Speed (CPU ms; ratios of medians)\n")
    head = ["size", "gc", "operation", "library", "min", "median", "max", "wall median"]
    print(_row(head + [f"vs {p}" for p in PEERS]))
    print(_row(["---"] * 4 + ["---:"] * (len(head) - 4 + len(PEERS))))
    for n in sizes:
        ops = _operations(n, only)
        runs = max(3, repeats * 1_000 // n) if n > 1_000 else repeats
        for setting in ("on", "off"):
            for op, fns in ops.items():
                if only and op not in only:
                    continue
                cpu: dict[str, list[float]] = {lib: [] for lib in LIBS}
                wall: dict[str, list[float]] = {lib: [] for lib in LIBS}
                for r in range(runs):
                    for k in range(len(LIBS)):
                        lib = LIBS[(r + k) % len(LIBS)]
                        if setting == "off":
                            gc.disable()
                        try:
                            c, w = _time(fns[lib], cold=lib == "biopipe" and op in ("load", "round trip"))
                        finally:
                            gc.enable()
                        cpu[lib].append(c)
                        wall[lib].append(w)
                med = {lib: statistics.median(ts) for lib, ts in cpu.items()}
                for lib in LIBS:
                    ts = cpu[lib]
                    cells = [f"{n:,}", setting, op, lib, _ms(min(ts)), _ms(med[lib]), _ms(max(ts))]
                    print(_row([*cells, _ms(statistics.median(wall[lib])), *_ratios(med, lib)]))
                sys.stdout.flush()
        print(f"\n(size {n:,}: {runs} runs per library and operation)\n")
        del ops


def _memory_table(sizes: list[int]) -> None:
    print("### Memory: loading from a file, one fresh interpreter per cell\n")
    head = ["size", "MB", "library", "peak RSS MB", "RSS before load", "growth", "traced peak MB", "kept B/asset"]
    print(_row(head + [f"peak RSS vs {p}" for p in PEERS] + [f"growth vs {p}" for p in PEERS]))
    print(_row(["---"] * 3 + ["---:"] * (len(head) - 3 + 2 * len(PEERS))))
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "doc.json")
            path.write_bytes(_document(n))
            mb = path.stat().st_size / 1e6
            mem = _memory(n, str(path))
        growth = {label: f["max_after"] - f["rss_before"] for label, f in mem.items()}
        top = {label: f["max_after"] for label, f in mem.items()}
        for label, f in mem.items():
            ratios = [f"{top[label] / top[p]:.2f}x" if label.startswith("biopipe") else "" for p in PEERS] + [
                f"{growth[label] / growth[p]:.2f}x" if label.startswith("biopipe") else "" for p in PEERS
            ]
            cells = [f"{n:,}", f"{mb:.1f}", label, f"{f['max_after'] / 1e6:.0f}", f"{f['rss_before'] / 1e6:.0f}"]
            cells += [f"{growth[label] / 1e6:.0f}", f"{f['peak'] / 1e6:.0f}", f"{f['kept'] / n:.0f}"]
            print(_row(cells + ratios))
        sys.stdout.flush()
    print()


def _import_table(repeats: int, old_src: str | None) -> None:
    print(f"### Import (ms; {repeats} fresh interpreters each, bytecode compiled beforehand)\n")
    head = ["module", "cpu min", "cpu median", "cpu max", "wall median", "whole run above empty: cpu", "wall"]
    print(_row(head))
    print(_row(["---"] + ["---:"] * 6))
    env = dict(os.environ)
    rows = [("biopipe", "biopipe", env), ("msgspec", "msgspec", env), ("pydantic", "pydantic", env)]
    if old_src:
        rows.insert(1, (f"biopipe at {old_src}", "biopipe", {**env, "PYTHONPATH": old_src}))
    for label, module, e in rows:
        t = _import_times(module, repeats, e)
        cpu = t["cpu"]
        cells = [label, _ms(min(cpu)), _ms(statistics.median(cpu)), _ms(max(cpu))]
        above = [_ms(statistics.median(t["above empty cpu"])), _ms(statistics.median(t["above empty"]))]
        print(_row([*cells, _ms(statistics.median(t["wall"])), *above]))
        sys.stdout.flush()
    print()


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also run 100k assets")
    parser.add_argument("--repeats", type=int, default=7, help="repeats per operation at 1k (fewer at larger sizes)")
    parser.add_argument("--sizes", type=int, nargs="*", help="override the sizes")
    parser.add_argument("--skip", nargs="*", default=[], choices=["speed", "memory", "import"], help="parts to skip")
    parser.add_argument("--import-repeats", type=int, default=15)
    parser.add_argument("--ops", nargs="*", default=[], help="operations to time (default: all)")
    parser.add_argument("--old-src", help="also time `import biopipe` with this folder first on PYTHONPATH")
    parser.add_argument("--child-memory", nargs=3, metavar=("LIB", "PATH", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_memory:
        lib, path, n = args.child_memory
        _child_memory(lib, path, int(n), args.traced)
        return
    sizes = args.sizes or ([1_000, 10_000, 100_000] if args.large else [1_000, 10_000])
    import msgspec
    import orjson
    import pydantic

    import biopipe
    from biopipe.document import _jsonio

    loader = "msgspec" if _jsonio._msgspec_loads() is not None else _jsonio.json_backend()
    print(
        f"python {sys.version.split()[0]}, biopipe loads with {loader}, writes with {_jsonio.json_backend()}; "
        f"msgspec {msgspec.__version__}, orjson {orjson.__version__}, pydantic {pydantic.VERSION}; "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    assert biopipe
    if "speed" not in args.skip:
        _speed(sizes, args.repeats, args.ops)
    if "memory" not in args.skip:
        _memory_table(sizes)
    if "import" not in args.skip:
        _import_table(args.import_repeats, args.old_src)


if __name__ == "__main__":
    main()
