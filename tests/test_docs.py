"""The documentation covers the public API, module by module, and its pages are wired into the site."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import biopipe

if TYPE_CHECKING:
    from types import ModuleType

DOCS = Path(__file__).resolve().parents[1] / "docs"

pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason=f"documentation sources not found at {DOCS}")

#: The public modules, in the order docs/api.md documents them (the layers, bottom up).
PUBLIC_MODULES = (
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
)

#: Public names documented outside ``__all__``: the distribution name, kept out of ``from biopipe import *``.
OUTSIDE_ALL = {("biopipe", "DISTRIBUTION")}

_MODULE_DIRECTIVE = re.compile(r"^\.\. (?:automodule|py:module|py:currentmodule):: (\S+)$")
_AUTO_DIRECTIVE = re.compile(r"^\.\. auto(?:class|exception|function|data):: (\S+)$")
_PY_DIRECTIVE = re.compile(r"^\.\. py:(?:class|exception|function|data):: (\w+)")


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def _all(name: str) -> list[str]:
    names: list[str] = vars(_module(name))["__all__"]
    return names


def _api() -> str:
    return (DOCS / "api.md").read_text("utf-8")


def _documented() -> list[tuple[str, str]]:
    """Every (module, name) that docs/api.md documents, in order.

    ``autoclass`` and its kin give full names; a ``py:data`` (or other ``py:``) directive
    names an object of the module the last ``automodule`` made current.
    """
    found: list[tuple[str, str]] = []
    current = ""
    for line in _api().splitlines():
        if match := _MODULE_DIRECTIVE.match(line):
            current = match[1]
        elif match := _AUTO_DIRECTIVE.match(line):
            module, _, name = match[1].rpartition(".")
            found.append((module, name))
        elif match := _PY_DIRECTIVE.match(line):
            found.append((current, match[1]))
    return found


def _documented_in(module: str) -> set[str]:
    return {name for documented_module, name in _documented() if documented_module == module}


def test_every_public_module_has_its_section_in_layer_order() -> None:
    sections = re.findall(r"^## (biopipe[\w.]*)$", _api(), re.M)
    modules = re.findall(r"^\.\. automodule:: (\S+)$", _api(), re.M)
    assert sections == list(PUBLIC_MODULES)
    assert modules == list(PUBLIC_MODULES)


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_name_is_in_the_api_reference(module: str) -> None:
    """Each name of the module's ``__all__`` is documented there, or at the top level when it is the same object."""
    here = _documented_in(module)
    top = _documented_in("biopipe")
    missing = [
        name
        for name in _all(module)
        if name not in here and not (name in top and getattr(_module(module), name) is getattr(biopipe, name, None))
    ]
    assert missing == []


def test_the_api_reference_names_only_public_names() -> None:
    not_public = [
        f"{module}.{name}"
        for module, name in _documented()
        if (module, name) not in OUTSIDE_ALL and (module not in PUBLIC_MODULES or name not in _all(module))
    ]
    assert not_public == []


def test_the_api_reference_documents_each_object_once() -> None:
    """A sub-module's name for a top-level object is not documented again (Sphinx would warn of a duplicate)."""
    entries = _documented()
    repeated = sorted({f"{module}.{name}" for module, name in entries if entries.count((module, name)) > 1})
    assert repeated == []
    seen: dict[int, str] = {}
    twice = []
    for module, name in entries:
        obj = getattr(_module(module), name)
        if not callable(obj):  # constants: equal small values may be one object
            continue
        if id(obj) in seen:
            twice.append(f"{module}.{name} is {seen[id(obj)]}")
        seen[id(obj)] = f"{module}.{name}"
    assert twice == []


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_page_uses_a_name_that_moved(page: Path) -> None:
    """The 0.1 top-level names that moved warn when used; the docs name them where they live now."""
    moved: dict[str, str] = biopipe._MOVED
    pattern = re.compile(r"\bbiopipe\.(" + "|".join(map(re.escape, moved)) + r")\b")
    text = page.read_text("utf-8")
    old = sorted({f"biopipe.{m[1]} (now {moved[m[1]]}.{m[1]})" for m in pattern.finditer(text)})
    assert old == []


def test_every_page_is_in_a_toctree() -> None:
    index = (DOCS / "index.md").read_text("utf-8")
    listed = set(re.findall(r"^([\w/-]+)$", index, re.M))
    pages = {p.relative_to(DOCS).with_suffix("").as_posix() for p in _pages()}
    assert pages - {"index"} <= listed


def test_the_changelog_is_part_of_the_site() -> None:
    assert "{include} ../CHANGELOG.md" in (DOCS / "changelog.md").read_text("utf-8")
    assert (DOCS.parent / "CHANGELOG.md").read_text("utf-8").startswith("# Changelog")
