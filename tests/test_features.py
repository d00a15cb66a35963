"""Runs every feature in features/ through pytest-bdd.

The steps are those of ``b12spec.scenarios`` (bound, not copied), and each scenario's status,
tags, steps and fired rules go to the file named by ``pytest --scenario-results PATH`` (see
conftest.py; by default nothing is written).
"""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from b12spec.model import Spec
from b12spec.scenarios import ScenarioContext
from b12spec.workspace import load_spec

# pytest imports this file as tests.test_features when tests/ is a package, else as a top-level
# module with tests/ on sys.path; the support package is found either way.
if __package__:
    from .features_support import FEATURES_DIR, PROJECT_ROOT, bind_steps
else:
    from features_support import FEATURES_DIR, PROJECT_ROOT, bind_steps

bind_steps()


@pytest.fixture(scope="session")
def b12_spec() -> Spec:
    return load_spec(PROJECT_ROOT / "spec")


@pytest.fixture
def b12_scenario(b12_spec: Spec) -> ScenarioContext:
    return ScenarioContext(b12_spec)


scenarios(str(FEATURES_DIR))
