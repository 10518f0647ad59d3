"""Shared fixtures and Hypothesis profiles.

Profiles: ``dev`` (fast, the default locally), ``ci`` (more examples, derandomized,
chosen when ``CI=true``) and ``fuzz`` (long runs by hand). ``HYPOTHESIS_PROFILE``
overrides the choice.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
_default = "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))

#: ../shared next to the repository: real records written by others (never copied here).
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REFDATA = SHARED / "refdata"


@pytest.fixture(scope="session")
def refdata() -> Path:
    """The shared reference data folder; tests using it skip when it is absent."""
    if not REFDATA.is_dir():
        pytest.skip(f"shared reference data not found at {REFDATA} (clone with ../shared beside the repo)")
    return REFDATA


@pytest.fixture(scope="session")
def press_release() -> str:
    """The JS212 press release text from ../shared/examples."""
    path = SHARED / "examples" / "js212-press-release.txt"
    if not path.is_file():
        pytest.skip(f"JS212 press release not found at {path}")
    return path.read_text("utf-8")
