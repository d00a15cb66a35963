"""Fixtures for the sign-off tests: a private spec copy with an empty ledger, and a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def workspace(spec_copy: Path) -> Path:
    """A copy of spec/ with an empty ledger, whatever the repository's ledger holds."""
    ledger = spec_copy / "signoff"
    if ledger.exists():
        for path in sorted(ledger.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    return spec_copy
