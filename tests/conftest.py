"""Shared fixtures for the engine tests: the real spec, a copy to edit, and a minimal valid case.

Kept small on purpose; helpers testing other parts add their own conftest in a subdirectory.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from features_support import FEATURES_DIR, RECORDER_NAME, ScenarioRecorder

from b12spec.model import Spec
from b12spec.workspace import load_scenarios, load_spec

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO / "spec"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--scenario-results",
        default=None,
        metavar="PATH",
        help="also write each feature scenario's status, tags, steps and fired rules to PATH",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Declare every feature tag as a marker (the suite runs with --strict-markers), and record the
    scenarios' results only when --scenario-results names a file: the tests never write the checkout."""
    scenarios = load_scenarios(FEATURES_DIR)
    for tag in sorted({tag for scenario in scenarios for tag in scenario.tags}):
        config.addinivalue_line("markers", f"{tag}: scenarios tagged @{tag} in features/")
    output = config.getoption("--scenario-results")
    if output and config.pluginmanager.get_plugin(RECORDER_NAME) is None:
        config.pluginmanager.register(ScenarioRecorder(FEATURES_DIR, scenarios, Path(output)), RECORDER_NAME)


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
