"""The package's layers: every import inside ``src/biopipe`` runs downward, and each area imports on its own.

The layers, bottom to top (docs/architecture.md draws them):

- ``model``: the domain model; imports nothing else of biopipe.
- ``document``: the JSON format, the converter, the examples; imports the model.
- ``query``: timeline, state, phase, selection; imports the model and the document layer.
- ``review``: checks, diffs, clocks; imports the layers below it.
- ``curate``: linking trials to assets, merging documents; imports model, document, query and review.
- ``interop`` and ``plot``: other formats and pictures; import model, document and query.
- ``testing``: Hypothesis strategies; imports only the model.
- ``cli``: argument parsing and printing; may import any layer.

Imports under ``TYPE_CHECKING`` and inside functions count: a dependency is a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import biopipe

SRC = Path(biopipe.__file__).parent

#: What each layer may import (itself included).
ALLOWED: dict[str, frozenset[str]] = {
    "model": frozenset({"model"}),
    "document": frozenset({"model", "document"}),
    "query": frozenset({"model", "document", "query"}),
    "review": frozenset({"model", "document", "query", "review"}),
    "curate": frozenset({"model", "document", "query", "review", "curate"}),
    "interop": frozenset({"model", "document", "query", "interop"}),
    "plot": frozenset({"model", "document", "query", "plot"}),
    "testing": frozenset({"model", "testing"}),
    "cli": frozenset({"model", "document", "query", "review", "curate", "interop", "plot", "testing", "cli"}),
}


def _layer_of(module: str) -> str | None:
    """The layer of a dotted module name under biopipe (None for the package facade itself)."""
    parts = module.split(".")
    if parts[0] != "biopipe" or len(parts) == 1:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    relative = path.relative_to(SRC.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, text: str | None = None) -> list[tuple[int, str]]:
    """Every biopipe module the module at *path* imports (its source, or *text*), absolute, with its line."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    tree = ast.parse(path.read_text("utf-8") if text is None else text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "biopipe"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "biopipe":
                continue
            if target == "biopipe":  # "from biopipe import x" or "from .. import x": x may be a sub-package
                found += [(node.lineno, f"biopipe.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


SOURCES = sorted(p for p in SRC.rglob("*.py") if p.name != "__main__.py")
LAYERED = [p for p in SOURCES if _layer_of(_module_name(p)) is not None]


def test_every_source_file_is_in_a_known_layer() -> None:
    """A new top-level module or package must be given a place in the layers (and in the docs)."""
    layers = {layer for p in LAYERED if (layer := _layer_of(_module_name(p))) is not None}
    assert layers <= set(ALLOWED), sorted(layers - set(ALLOWED))
    top = sorted(p.name for p in SRC.iterdir() if p.suffix == ".py")
    assert top == ["__init__.py", "__main__.py", "plot.py"]


@pytest.mark.parametrize("path", LAYERED, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_run_downward(path: Path) -> None:
    """No module imports a layer above its own."""
    layer = _layer_of(_module_name(path))
    assert layer is not None
    upward = [
        f"line {line}: {target}"
        for line, target in _imports(path)
        if (_layer_of(target) or "biopipe") not in ALLOWED[layer]
    ]
    assert upward == [], f"{path.relative_to(SRC)} ({layer}) imports upward: {upward}"


def test_the_checker_sees_upward_imports() -> None:
    """The checker itself: relative, absolute and facade imports from the model up are found and refused."""
    probe = SRC / "model" / "_probe.py"  # never written: the text is checked as if it were this module
    text = "from ..query._state import state_as_of\nimport biopipe.review\nfrom .. import cli\n"
    found = [target for _, target in _imports(probe, text)]
    assert found == ["biopipe.query._state", "biopipe.review", "biopipe.cli"]
    assert all(_layer_of(t) not in ALLOWED["model"] for t in found)


@pytest.mark.parametrize(
    "module",
    [
        "biopipe",
        "biopipe.model",
        "biopipe.document",
        "biopipe.query",
        "biopipe.review",
        "biopipe.curate",
        "biopipe.interop.ctgov",
        "biopipe.interop.fhir",
        "biopipe.interop.arrow",
        "biopipe.plot",
        "biopipe.testing.strategies",
        "biopipe.cli",
    ],
)
def test_each_area_imports_on_its_own(module: str) -> None:
    """Each public sub-module imports in a fresh interpreter, before anything else of biopipe."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_import_biopipe_leaves_optional_areas_and_cattrs_unloaded() -> None:
    """`import biopipe` loads the core only: review, curate, interop, plot, the CLI and cattrs wait for first use."""
    code = (
        "import sys, biopipe; "
        "print(sorted(m for m in sys.modules if m.startswith(('biopipe.review', 'biopipe.curate', 'biopipe.interop', "
        "'biopipe.plot', 'biopipe.cli', 'biopipe.testing', 'cattrs', 'hypothesis'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    reached = subprocess.run(
        [sys.executable, "-c", "import sys, biopipe; biopipe.review.check; print('biopipe.review' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert reached.stdout.strip() == "True"


def test_model_annotations_resolve_in_the_package() -> None:
    """The model's classes report `biopipe` as their module, and cattrs resolves their annotations there.

    `import biopipe` does not resolve them up front (it would cost import time), so every name their
    annotations use must be one the package exports.
    """
    import typing

    import attrs

    import biopipe.model

    classes = [getattr(biopipe.model, n) for n in biopipe.model.__all__]
    checked = [c for c in classes if isinstance(c, type) and attrs.has(c) and c.__module__ == "biopipe"]
    assert len(checked) >= 15
    for cls in checked:
        assert typing.get_type_hints(cls, globalns=vars(biopipe)), cls
