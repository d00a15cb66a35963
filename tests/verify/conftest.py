"""Fixtures for the verifier's tests: a tiny base spec, and one broken variant per kind of finding.

``fixtures/base`` is a complete, clean spec; ``fixtures/broken/<kind>/tables`` holds the tables
that break it in one way. A test gets a private copy of the base with those tables laid over it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from b12spec.verify.check import check_spec
from b12spec.verify.findings import CheckReport
from b12spec.workspace import read_spec_files

from .helpers import build_spec


@pytest.fixture
def broken(tmp_path: Path) -> Callable[[str], CheckReport]:
    """``broken("gap")`` checks the base spec with the gap fixture's tables laid over it."""

    def run(kind: str) -> CheckReport:
        return check_spec(read_spec_files(build_spec(tmp_path / kind, kind)))

    return run
