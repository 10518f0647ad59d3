"""The public API: what biopipe exports, documents and types."""

from __future__ import annotations

import importlib.resources
import inspect
import subprocess
import sys

import pytest

import biopipe


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted (constants first, as isort does) and every name in it exists."""
    names = [n for n in biopipe.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in biopipe.__all__:
        assert getattr(biopipe, name) is not None


@pytest.mark.parametrize("name", [n for n in biopipe.__all__ if not n.startswith("_") and not n.isupper()])
def test_every_public_name_is_documented_with_an_example(name: str) -> None:
    """Each public class and function has a docstring with a doctest example."""
    obj = getattr(biopipe, name)
    doc = inspect.getdoc(obj)
    assert doc, f"{name} has no docstring"
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert ">>>" in doc, f"{name} has no example"


def test_the_package_is_typed() -> None:
    """py.typed ships with the package (PEP 561)."""
    assert importlib.resources.files("biopipe").joinpath("py.typed").is_file()


def test_importing_biopipe_does_not_import_hypothesis_or_optional_extras() -> None:
    """import biopipe stays light: Hypothesis and interop packages are imported only when used."""
    code = (
        "import sys, biopipe; "
        "print(sorted(m for m in ('hypothesis', 'pyarrow', 'fhir', 'holidays', 'matplotlib', 'jsonschema') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_version_is_the_distribution_version() -> None:
    """biopipe.__version__ comes from the installed metadata."""
    from importlib.metadata import version

    assert biopipe.__version__ == version(biopipe.DISTRIBUTION)


def test_public_classes_report_the_public_module() -> None:
    """Reprs and tracebacks say biopipe.X, not a private module."""
    assert biopipe.Asset.__module__ == "biopipe"
    assert biopipe.ValidationError.__module__ == "biopipe"


def test_strategies_register_types_for_from_type() -> None:
    """Importing biopipe.testing.strategies makes st.from_type(Asset) produce assets, at Hypothesis's defaults."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    import biopipe.testing.strategies

    @settings(settings.get_profile("default"))  # every health check on, whatever profile the suite loaded
    @given(st.from_type(biopipe.Asset))
    def check(asset: biopipe.Asset) -> None:
        assert isinstance(asset, biopipe.Asset)

    check()
