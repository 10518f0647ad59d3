"""Developer sessions. ``nox`` alone runs the default set that CI runs: tests, typecheck, lint, docs.

Dependencies come from ``pyproject.toml`` dependency groups and extras.
"""

from __future__ import annotations

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "typecheck", "lint", "docs"]

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str, extras: str = "") -> None:
    session.install("--upgrade", "pip")
    deps: list[str] = []
    for group in groups:
        deps.extend(nox.project.dependency_groups(PYPROJECT, group))
    session.install(*deps)
    session.install("-e", f".{extras}")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite with doctests (Hypothesis profile from CI=true)."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Run mypy --strict over src, tests and this file."""
    _install(session, "typing")
    session.run("mypy", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Run ruff check and ruff format --check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """Long fuzzing run of every loader (HYPOTHESIS_PROFILE=fuzz); pass -k to narrow."""
    _install(session, "test")
    session.run("pytest", "-m", "fuzz", "-p", "no:cacheprovider", *session.posargs, env={"HYPOTHESIS_PROFILE": "fuzz"})


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML documentation with warnings as errors (docs/_build/html); its examples run in tests."""
    _install(session, "docs")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html", *session.posargs)


@nox.session(default=False)
def bench_queries(session: nox.Session) -> None:
    """Time timeline and state-as-of over 1k/10k/100k synthetic assets (pass --sizes/--repeats)."""
    session.install("--upgrade", "pip")
    session.install("-e", ".")
    session.run("python", "benchmarks/bench_queries.py", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time biopipe against pydantic v2 and msgspec (benchmarks/README.md); pass --large for 100k assets."""
    _install(session, "bench", extras="[fast]")
    session.run("python", "benchmarks/bench_models.py", *session.posargs)
