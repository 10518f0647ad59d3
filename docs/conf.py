"""Sphinx configuration for the biopipe documentation (MyST Markdown, furo theme).

The build is offline: no intersphinx inventories are fetched. The JS212
timeline picture is drawn at build time (``builder-inited``) into
``docs/_generated/``, which git ignores, so it never goes stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import biopipe

if TYPE_CHECKING:
    from sphinx.application import Sphinx

HERE = Path(__file__).parent

project = "biopipe"
author = "biopipe developers"
copyright = "2026, biopipe developers"
release = biopipe.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_generated/*.txt", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Single backticks in docstrings name Python objects, as in the library's own prose.
default_role = "py:obj"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = False
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = f"biopipe {release}"
html_static_path: list[str] = []

# The docs are built with -W (warnings are errors) and without network access.
nitpicky = False
suppress_warnings = ["myst.xref_missing"]


def _draw_timeline(app: Sphinx) -> None:
    """Draw the JS212 timeline that the tutorial shows."""
    out = HERE / "_generated"
    out.mkdir(exist_ok=True)
    biopipe.plot_timeline(biopipe.example("js212"), out / "js212-timeline.svg")


def setup(app: Sphinx) -> dict[str, bool]:
    """Hook the picture into the build."""
    app.connect("builder-inited", _draw_timeline)
    return {"parallel_read_safe": True}
