"""Fixtures for the mutation tests: the tiny spec of ``helpers`` loaded from a temporary dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from b12spec.model import Spec
from b12spec.workspace import load_spec

from .helpers import write_spec


@pytest.fixture
def tiny_spec(tmp_path: Path) -> Spec:
    return load_spec(write_spec(tmp_path))
