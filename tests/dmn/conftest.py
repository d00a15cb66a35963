"""Shared pieces of the DMN tests: the exported model, the schema folder, the TCK folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from b12spec.dmn.export import export_dmn
from b12spec.model import Spec

REPO = Path(__file__).resolve().parents[2]
SHARED_DMN = REPO.parent / "shared" / "dmn"
TCK_DIR = SHARED_DMN / "tck-level-2"


@pytest.fixture(scope="session")
def exported(spec: Spec) -> bytes:
    return export_dmn(spec)
