"""Shared fixtures for the engine tests: the real spec, a copy to edit, and a minimal valid case.

Kept small on purpose; helpers testing other parts add their own conftest in a subdirectory.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from b12spec.model import Spec
from b12spec.workspace import load_spec

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO / "spec"


@pytest.fixture(scope="session")
def spec() -> Spec:
    """The repository's spec, loaded once: tests only read it (the model is frozen)."""
    return load_spec(SPEC_DIR)


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """A private copy of spec/ that a test may edit without touching the repository."""
    target = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, target)
    return target


@pytest.fixture
def base_case() -> dict[str, Any]:
    """The smallest valid case: every required field, nothing measured."""
    return {
        "age_years": 45,
        "sex": "female",
        "pregnant": False,
        "lactating": False,
        "neurological_involvement": False,
    }
