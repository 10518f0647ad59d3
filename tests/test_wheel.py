"""The wheel as a user gets it: built, installed into a fresh virtual environment, run from elsewhere.

One wheel build and one install for the whole module (about 30-60 s, most of it pip). The
install fetches attrs, cattrs and python-dateutil from the package index. Deselect with
``-m "not wheel"``.
"""

from __future__ import annotations

import email.message
import email.parser
import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "biopipe-intel"
PROJECT_URLS = {"Homepage", "Documentation", "Repository", "Issues", "Changelog"}
TIMEOUT = 600  # seconds, for each build, venv and pip step

pytestmark = [
    pytest.mark.wheel,
    pytest.mark.skipif(
        importlib.util.find_spec("build") is None,
        reason="the 'build' package is not installed (it is in the 'test' dependency group)",
    ),
]


def _clean_env() -> dict[str, str]:
    """This environment without what would let the source tree or the outer venv leak in."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    return {key: value for key, value in os.environ.items() if key not in drop}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with its output when it exits non-zero."""
    done = subprocess.run(args, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        pytest.fail(
            f"{args} exited {done.returncode}\n--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}",
            pytrace=False,
        )
    return done


def _bin(venv: Path, name: str) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / f"{name}.exe"
    return venv / "bin" / name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this source tree (``python -m build --wheel``, isolated build)."""
    outdir = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(ROOT)], cwd=ROOT)
    wheels = sorted(outdir.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel, and only its dependencies, installed."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", str(venv)], cwd=venv)
    _run([str(_bin(venv, "python")), "-m", "pip", "install", "--no-input", str(wheel)], cwd=venv)
    return venv


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working directory outside the source tree, so nothing is imported from ``src/`` by accident."""
    assert not tmp_path.resolve().is_relative_to(ROOT), f"{tmp_path} is inside the source tree {ROOT}"
    return tmp_path


def _metadata(wheel: Path) -> tuple[email.message.Message, list[str]]:
    """The wheel's METADATA, parsed, and the names of every file in the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        [path] = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        text = zf.read(path).decode("utf-8")
    return email.parser.Parser().parsestr(text), names


def test_wheel_metadata_names_the_distribution_its_license_and_urls(wheel: Path) -> None:
    """The distribution is biopipe-intel (biopipe on PyPI is another project), MIT with the file, and linked."""
    meta, names = _metadata(wheel)
    assert wheel.name.startswith("biopipe_intel-"), wheel.name
    assert meta["Name"] == DISTRIBUTION
    assert meta["License-Expression"] == "MIT"
    assert "LICENSE" in (meta.get_all("License-File") or [])
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    labels = {url.split(",", 1)[0].strip() for url in meta.get_all("Project-URL") or []}
    assert labels >= PROJECT_URLS, labels


def test_installed_command_runs_the_example(venv: Path, elsewhere: Path) -> None:
    """The ``biopipe`` console script of the installed wheel prints the JS212 timeline."""
    out = _run([str(_bin(venv, "biopipe")), "timeline", "--example", "js212"], cwd=elsewhere).stdout
    assert "JS212" in out
    assert "IND cleared" in out


def test_import_comes_from_the_installed_wheel(venv: Path, elsewhere: Path) -> None:
    """``import biopipe`` in the venv finds the installed package, not the source tree."""
    code = "import biopipe; print(biopipe.__file__)"
    out = _run([str(_bin(venv, "python")), "-c", code], cwd=elsewhere).stdout
    location = Path(out.strip()).resolve()
    assert location.is_relative_to(venv.resolve()), location
    assert not location.is_relative_to(ROOT), location
