"""Sphinx configuration for the biopipe documentation (MyST Markdown, furo theme).

The build is offline: no intersphinx inventories are fetched. Cross-references are
nitpicky: every reference must resolve. A short name in a docstring resolves to the
public object of that name (`_public_target`); the few names of other projects that
the API's signatures mention link to those projects' pages by URL (`EXTERNAL`). The JS212
timeline picture is drawn at build time (``builder-inited``) into
``docs/_generated/``, which git ignores, so it never goes stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

import biopipe

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

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
# Only "members": an option listed here is switched on whatever its value (False included).
autodoc_default_options = {"members": True}
napoleon_google_docstring = False
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = f"biopipe {release}"
html_static_path: list[str] = []

# The docs are built with -W (warnings are errors) and without network access.
nitpicky = True
# (no suppress_warnings: a broken Markdown link or heading anchor fails the build too)

# The public modules, whose documented names a short reference in a docstring may mean (docs/api.md).
PUBLIC_MODULES = (
    "biopipe",
    "biopipe.model",
    "biopipe.document",
    "biopipe.query",
    "biopipe.review",
    "biopipe.interop.ctgov",
    "biopipe.interop.fhir",
    "biopipe.interop.arrow",
    "biopipe.plot",
    "biopipe.testing.strategies",
    "biopipe.cli",
)

_PYTHON = "https://docs.python.org/3/library/"
# Names of other projects in biopipe's signatures and docstrings. Offline, there is no
# intersphinx inventory to resolve them, so each links to its page by URL; a name missing
# here fails the nitpicky build, which is the point: add it with its page.
EXTERNAL = {
    "dict": _PYTHON + "stdtypes.html#dict",
    "collections.abc.Callable": _PYTHON + "collections.abc.html#collections.abc.Callable",
    "collections.abc.Collection": _PYTHON + "collections.abc.html#collections.abc.Collection",
    "collections.abc.Iterable": _PYTHON + "collections.abc.html#collections.abc.Iterable",
    "collections.abc.Iterator": _PYTHON + "collections.abc.html#collections.abc.Iterator",
    "functools.partial": _PYTHON + "functools.html#functools.partial",
    "collections.abc.Mapping": _PYTHON + "collections.abc.html#collections.abc.Mapping",
    "datetime.date": _PYTHON + "datetime.html#datetime.date",
    "enum.Enum": _PYTHON + "enum.html#enum.Enum",
    "os.PathLike": _PYTHON + "os.html#os.PathLike",
    "pathlib.Path": _PYTHON + "pathlib.html#pathlib.Path",
    "cattrs.Converter": "https://catt.rs/en/stable/cattrs.html#cattrs.Converter",
    "hypothesis.strategies.SearchStrategy": "https://hypothesis.readthedocs.io/en/latest/reference/strategies.html",
    "matplotlib.figure.Figure": "https://matplotlib.org/stable/api/_as_gen/matplotlib.figure.Figure.html",
}
# Other spellings of those names: the modules' own import aliases (``import datetime as dt``), a
# class's defining module (cattrs.converters), and names as a signature writes them, which autodoc
# shows unchanged when it cannot evaluate the signature's annotations (a name imported only for
# type checking): ``Path``, ``Figure``, and biopipe.interop.fhir's private alias ``JSON`` of
# ``dict[str, Any]``.
ALIASES = {
    "dt.date": "datetime.date",
    "cattrs.converters.Converter": "cattrs.Converter",
    "st.SearchStrategy": "hypothesis.strategies.SearchStrategy",
    "Path": "pathlib.Path",
    "Figure": "matplotlib.figure.Figure",
    "JSON": "dict",
}

# The result base class is public as biopipe.document.Result; signatures name its defining module.
ALIASES["biopipe.document._results.Result"] = "biopipe.document.Result"
nitpick_ignore: list[tuple[str, str]] = []


def _public_target(env: BuildEnvironment, target: str) -> str | None:
    """The documented public object a short name in a docstring means, or None.

    A docstring names objects as its module sees them: ``ValidationError`` in a
    docstring of `biopipe.document` is `biopipe.ValidationError`, ``Milestone`` in
    one of `biopipe.Timeline` is `biopipe.query.Milestone`. The name means the one
    public module's object of that name; two candidates are no answer.
    """
    if target.startswith("biopipe"):
        return None
    objects = env.get_domain("py").objects  # type: ignore[attr-defined]
    found = {f"{module}.{target}" for module in PUBLIC_MODULES} & set(objects)
    return found.pop() if len(found) == 1 else None


def _resolve(app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element) -> Element | None:
    """Resolve what the Python domain did not: public names of biopipe objects, and `EXTERNAL` names."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    external = ALIASES.get(target, target)
    if external in EXTERNAL:
        return nodes.reference("", "", contnode, internal=False, refuri=EXTERNAL[external], reftitle=external)
    public = _public_target(env, target)
    if public is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], public, node, contnode)


def _draw_timeline(app: Sphinx) -> None:
    """Draw the JS212 timeline that the tutorial shows."""
    out = HERE / "_generated"
    out.mkdir(exist_ok=True)
    from biopipe.plot import plot_timeline  # matplotlib: the plot extra, needed by the docs build

    plot_timeline(biopipe.example("js212"), out / "js212-timeline.svg")


def setup(app: Sphinx) -> dict[str, bool]:
    """Hook the picture and the reference resolution into the build."""
    app.connect("builder-inited", _draw_timeline)
    app.connect("missing-reference", _resolve)
    return {"parallel_read_safe": True}
