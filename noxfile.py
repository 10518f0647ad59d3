"""Developer sessions. ``nox`` alone runs the default set that CI runs: tests, typecheck, lint, docs.

Dependencies come from ``pyproject.toml`` dependency groups and extras.
"""

from __future__ import annotations

import email.parser
import shutil
import zipfile
from pathlib import Path

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
def build(session: nox.Session) -> None:
    """Build the sdist and wheel into a clean dist/, check them as PyPI would (twine --strict) and the wheel's metadata.

    tests/test_wheel.py installs the wheel into a fresh venv and runs it; this session checks what would be uploaded.
    """
    session.install("--upgrade", "pip")
    session.install(*nox.project.dependency_groups(PYPROJECT, "build"))
    dist = Path("dist")
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist))
    built = sorted(dist.iterdir())
    wheels = [p for p in built if p.suffix == ".whl"]
    sdists = [p for p in built if p.name.endswith(".tar.gz")]
    if len(wheels) != 1 or len(sdists) != 1 or len(built) != 2:
        session.error(f"expected one wheel and one sdist in dist/, found {[p.name for p in built]}")
    session.run("twine", "check", "--strict", *(str(p) for p in built))
    with zipfile.ZipFile(wheels[0]) as zf:
        names = zf.namelist()
        [metadata] = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(zf.read(metadata).decode("utf-8"))
    name = PYPROJECT["project"]["name"]
    urls = meta.get_all("Project-URL") or []
    problems = []
    if meta["Name"] != name:
        problems.append(f"Name is {meta['Name']!r}, not {name!r}")
    if "LICENSE" not in (meta.get_all("License-File") or []):
        problems.append("no License-File: LICENSE")
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        problems.append("no .dist-info/licenses/LICENSE")
    if not urls:
        problems.append("no Project-URL")
    if problems:
        session.error(f"{wheels[0].name}: {'; '.join(problems)}")
    session.log(f"{wheels[0].name}: Name {name}, License-File LICENSE, {len(urls)} Project-URL lines")


@nox.session(default=False)
def bench_queries(session: nox.Session) -> None:
    """Time timeline and state-as-of over 1k/10k/100k synthetic assets (pass --sizes/--repeats)."""
    session.install("--upgrade", "pip")
    session.install("-e", ".")
    session.run("python", "benchmarks/bench_queries.py", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time biopipe against msgspec (native and rules-in-Python) and pydantic v2 (benchmarks/README.md).

    Speed (CPU time, GC on and off), max RSS and tracemalloc in fresh interpreters, import time with
    compiled bytecode. Pass --large for 100k assets, --old-src PATH to time another checkout's import.
    """
    _install(session, "bench", extras="[fast]")
    session.run("python", "benchmarks/bench_models.py", *session.posargs)


@nox.session(default=False)
def bench_ingest(session: nox.Session) -> None:
    """Bulk ClinicalTrials.gov import to Parquet: records/s per core, peak memory, 560k extrapolated.

    A synthetic corpus (10k and 100k studies by default) mutated from ../shared/refdata/ctgov;
    pass --sizes, --workers, --batch-size (benchmarks/README.md, section "ingest").
    """
    session.install("--upgrade", "pip")
    session.install("-e", ".[arrow,fast]")
    session.run("python", "benchmarks/bench_ingest.py", *session.posargs)


@nox.session(default=False)
def bench_diff(session: nox.Session) -> None:
    """Time review.diff of two 10k/30k/100k-asset snapshots differing in 1% (pass --huge for 300k)."""
    session.install("--upgrade", "pip")
    session.install("-e", ".")
    session.run("python", "benchmarks/bench_diff.py", *session.posargs)


@nox.session(default=False)
def bench_fhir(session: nox.Session) -> None:
    """FHIR export of a ~50 MB document: Bundle, streamed Bundle and NDJSON, time and peak memory (--mb 500)."""
    session.install("--upgrade", "pip")
    session.install("-e", ".[fast]")
    session.run("python", "benchmarks/bench_fhir.py", *session.posargs)


@nox.session(default=False)
def bench_strategies(session: nox.Session) -> None:
    """CPU milliseconds per generated asset of the Hypothesis strategies, and Hypothesis's default health checks."""
    session.install("--upgrade", "pip")
    session.install("-e", ".[hypothesis]")
    session.run("python", "benchmarks/bench_strategies.py", *session.posargs)
