"""Fixtures for the sign-off tests: a private spec copy with an empty ledger and a board of real
keys (made in the test's temp dir, never in the repository) put in force by a genesis event."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import FakeClock, make_board


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bare_workspace(spec_copy: Path) -> Path:
    """A copy of spec/ with an empty ledger and an empty roster, whatever the repository's hold."""
    ledger = spec_copy / "signoff"
    if ledger.exists():
        for path in sorted(ledger.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    return spec_copy


@pytest.fixture
def workspace(bare_workspace: Path, clock: FakeClock) -> Path:
    """The copy with a board of four (quorum 2) established: Sam Editor, Dr Ada, Dr Bo, Dr Cy."""
    make_board(bare_workspace, bare_workspace.parent / "keys", clock)
    return bare_workspace
