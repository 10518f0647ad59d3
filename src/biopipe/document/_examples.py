"""Example records shipped inside the package."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ..model._errors import UnknownCode
from ._jsonio import loads

if TYPE_CHECKING:
    from ..model._asset import Asset

__all__ = ["example", "example_names", "example_text"]


def example_names() -> tuple[str, ...]:
    """Names of the bundled example records.

    >>> import biopipe
    >>> biopipe.example_names()
    ('amivantamab', 'izalontamab_brengitecan', 'js212', 'patritumab_deruxtecan')
    """
    from importlib import resources  # on first use: importing it costs ~10 ms

    files = resources.files("biopipe.document.examples")
    return tuple(sorted(f.name.removesuffix(".json") for f in files.iterdir() if f.name.endswith(".json")))


def example_text(name: str) -> str:
    """The JSON text of a bundled example record.

    >>> import biopipe
    >>> import json
    >>> json.loads(biopipe.document.example_text("js212"))["assets"][0]["code"]
    'JS212'
    """
    if name not in example_names():
        allowed = ", ".join(repr(n) for n in example_names())
        raise UnknownCode(name, f"one of {allowed}")
    from importlib import resources

    return resources.files("biopipe.document.examples").joinpath(f"{name}.json").read_text("utf-8")


@functools.cache
def example(name: str) -> Asset:
    """A bundled example asset, loaded and validated from its JSON record.

    ``js212`` encodes every fact of Junshi Biosciences' press release of
    15 December 2025 on its EGFR/HER3 bispecific ADC, with the release as source.

    >>> import biopipe
    >>> js212 = biopipe.example("js212")
    >>> [str(e.date) for e in js212.events]
    ['2025-01', '2025-03', '2025-11', 'on or before 2025-12-14']
    """
    (asset,) = loads(example_text(name)).assets
    return asset
