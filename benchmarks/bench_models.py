"""Time biopipe against pydantic v2 and msgspec on the same synthetic portfolio.

Run from the repository root (see benchmarks/README.md)::

    python benchmarks/bench_models.py            # 1k and 10k assets
    python benchmarks/bench_models.py --large    # also 100k assets

Everything runs in one process. For each size, every repeat runs each library
once per operation, rotating which library goes first, so that drift of the
machine (other processes, CPU frequency) spreads over all libraries alike. The
table shows min/median/max wall time per operation and the ratios of medians.

Operations:
    construct   build every model object from already-typed field values
                (biopipe and pydantic validate here; msgspec's ``__init__``
                does not check types, only our ``__post_init__`` rules)
    dump        model -> canonical JSON bytes (2-space indent, defaults omitted)
    load        JSON bytes -> validated model
    round trip  load(dump(x))
    memory      bytes per asset retained by a loaded portfolio (tracemalloc)
    import      fresh interpreters: ``import X`` wall time minus an empty interpreter
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import attrs  # noqa: E402
import msgspec  # noqa: E402
import peers_msgspec  # noqa: E402
import peers_pydantic  # noqa: E402
from _portfolio import synthetic_portfolio  # noqa: E402
from pydantic import BaseModel  # noqa: E402

import biopipe  # noqa: E402
from biopipe.document import json_backend  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

LIBS = ("biopipe", "msgspec", "pydantic")


# -- construct: a recipe per library, rebuilt by calling each class --------------------------------


def _recipe(obj: Any) -> Any:
    """(class, {field: recipe}) for a model object, tuples of recipes, leaves as they are."""
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


def _operations(n: int) -> dict[str, dict[str, Callable[[], object]]]:
    portfolio = synthetic_portfolio(n, seed=n)
    text = biopipe.dumps(portfolio).encode("utf-8")
    ms_doc = peers_msgspec.decode(text)
    pd_doc = peers_pydantic.Document.model_validate_json(text)
    # The three libraries must agree on the bytes, or the comparison is meaningless.
    pd_bytes = pd_doc.__pydantic_serializer__.to_json(pd_doc, indent=2, exclude_defaults=True) + b"\n"
    assert peers_msgspec.encode(ms_doc) == text, "msgspec writes different bytes"
    assert pd_bytes == text, "pydantic writes different bytes"
    recipes = {"biopipe": _recipe(portfolio), "msgspec": _recipe(ms_doc), "pydantic": _recipe(pd_doc)}
    assert _build(recipes["biopipe"]) == portfolio

    def pd_dump(doc: peers_pydantic.Document = pd_doc) -> bytes:
        return doc.__pydantic_serializer__.to_json(doc, indent=2, exclude_defaults=True) + b"\n"

    return {
        "construct": {lib: (lambda r=recipes[lib]: _build(r)) for lib in LIBS},
        "dump": {
            "biopipe": lambda: biopipe.document.dumps_bytes(portfolio),
            "msgspec": lambda: peers_msgspec.encode(ms_doc),
            "pydantic": pd_dump,
        },
        "load": {
            "biopipe": lambda: biopipe.loads(text),
            "msgspec": lambda: peers_msgspec.decode(text),
            "pydantic": lambda: peers_pydantic.Document.model_validate_json(text),
        },
        "round trip": {
            "biopipe": lambda: biopipe.loads(biopipe.document.dumps_bytes(portfolio)),
            "msgspec": lambda: peers_msgspec.decode(peers_msgspec.encode(ms_doc)),
            "pydantic": lambda: peers_pydantic.Document.model_validate_json(pd_dump()),
        },
    }


def _time(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _memory_per_asset(load: Callable[[], object], n: int) -> float:
    """Bytes retained by the loaded result, per asset (the input bytes exist before and are not counted)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = load()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del result
    return (after - before) / n


def _import_time(module: str, repeats: int) -> list[float]:
    """Wall seconds of ``import module`` in fresh interpreters, minus an empty interpreter's start-up."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    out = []
    for _ in range(repeats):
        empty = run("pass")
        out.append(run(f"import {module}") - empty)
    return out


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:9.1f}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also run 100k assets")
    parser.add_argument("--repeats", type=int, default=7, help="repeats per operation at 1k (fewer at larger sizes)")
    parser.add_argument("--sizes", type=int, nargs="*", help="override the sizes")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([1_000, 10_000, 100_000] if args.large else [1_000, 10_000])

    print(f"python {sys.version.split()[0]}, biopipe JSON backend: {json_backend()}")
    print(_row(["size", "operation", "library", "min ms", "median ms", "max ms", "vs msgspec", "vs pydantic"]))
    print(_row(["---"] * 3 + ["---:"] * 5))
    for n in sizes:
        ops = _operations(n)
        repeats = max(3, args.repeats * 1_000 // n) if n > 1_000 else args.repeats
        for op, fns in ops.items():
            times: dict[str, list[float]] = {lib: [] for lib in LIBS}
            for r in range(repeats):
                for k in range(len(LIBS)):
                    lib = LIBS[(r + k) % len(LIBS)]
                    times[lib].append(_time(fns[lib]))
            med = {lib: statistics.median(ts) for lib, ts in times.items()}
            for lib in LIBS:
                ts = times[lib]
                ratios = [
                    f"{med[lib] / med[peer]:.2f}x" if lib == "biopipe" else "" for peer in ("msgspec", "pydantic")
                ]
                print(_row([f"{n:,}", op, lib, _fmt(min(ts)), _fmt(med[lib]), _fmt(max(ts)), *ratios]))
            sys.stdout.flush()
        loads = ops["load"]
        mem = {lib: _memory_per_asset(loads[lib], n) for lib in LIBS}
        for lib in LIBS:
            ratios = [f"{mem[lib] / mem[peer]:.2f}x" if lib == "biopipe" else "" for peer in ("msgspec", "pydantic")]
            print(_row([f"{n:,}", "memory B/asset", lib, "", f"{mem[lib]:9.0f}", "", *ratios]))
    imports = {lib: _import_time(lib, 7) for lib in LIBS}
    med = {lib: statistics.median(ts) for lib, ts in imports.items()}
    for lib in LIBS:
        ts = imports[lib]
        ratios = [f"{med[lib] / med[peer]:.2f}x" if lib == "biopipe" else "" for peer in ("msgspec", "pydantic")]
        print(_row(["-", "import", lib, _fmt(min(ts)), _fmt(med[lib]), _fmt(max(ts)), *ratios]))


if __name__ == "__main__":
    main()
