from __future__ import annotations

import pytest

from b12spec.cohort.plan import CompiledSpec, compiled
from b12spec.model import Spec


@pytest.fixture(scope="session")
def compiled_spec(spec: Spec) -> CompiledSpec:
    return compiled(spec)
