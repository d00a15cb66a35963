"""The ledger file: hash chain, tamper detection, snapshots, and atomic writes that survive a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from b12spec.signoff import LedgerTampered, table_states
from b12spec.signoff import ledger as ledger_module
from b12spec.signoff.ledger import GENESIS, Event, ledger_path, read_ledger, snapshot_path

from .helpers import FakeClock, act, approve, reload


def _lines(spec_dir: Path) -> list[dict]:
    return [json.loads(line) for line in ledger_path(spec_dir).read_text(encoding="utf-8").splitlines()]


def _write_lines(spec_dir: Path, lines: list[dict]) -> None:
    ledger_path(spec_dir).write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


@pytest.fixture
def approved(workspace: Path, clock: FakeClock) -> Path:
    """A workspace where the first table went through submit, start-review and approve."""
    spec = reload(workspace)
    approve(spec, spec.tables[0].name, clock)
    return workspace


def test_events_are_chained_and_sealed(approved: Path) -> None:
    read = read_ledger(approved)
    assert read.problems == ()
    assert [e.seq for e in read.events] == [1, 2, 3, 4, 5]
    assert [e.action for e in read.events] == ["established", "submitted", "review_started", "approved", "approved"]
    assert read.events[0].prev == GENESIS
    for before, after in zip(read.events, read.events[1:], strict=False):
        assert after.prev == before.digest
    assert all(e.digest == e.computed_digest() for e in read.events)
    assert all(snapshot_path(approved, e.content_hash).exists() for e in read.events)


def test_a_missing_ledger_is_an_empty_history(bare_workspace: Path) -> None:
    assert read_ledger(bare_workspace).events == () and read_ledger(bare_workspace).problems == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Someone Else"), ("role", "cardiologist"), ("at", "2020-01-01T00:00:00Z"), ("note", "edited")],
)
def test_editing_an_event_by_hand_is_reported_and_voids_it(approved: Path, field: str, value: str) -> None:
    lines = _lines(approved)
    lines[3][field] = value
    _write_lines(approved, lines)
    read = read_ledger(approved)
    assert [p.line for p in read.problems] == [4]
    assert "does not match its own digest" in read.problems[0].message
    assert len(read.events) == 3
    spec = reload(approved)
    assert table_states(spec)[spec.tables[0].name].state == "under_review"


def test_a_forged_hash_with_a_recomputed_digest_breaks_the_chain(approved: Path) -> None:
    lines = _lines(approved)
    forged = Event(**{**lines[2], "content_hash": "sha256:" + "1" * 64, "digest": ""}).sealed()
    lines[2] = json.loads(forged.line())
    _write_lines(approved, lines)
    messages = [str(p) for p in read_ledger(approved).problems]
    assert any("line 4" in m and "hash chain broken" in m for m in messages)
    assert any("line 3" in m and "snapshot" in m and "missing" in m for m in messages)


def test_removing_an_event_is_reported(approved: Path) -> None:
    lines = _lines(approved)
    del lines[2]
    _write_lines(approved, lines)
    read = read_ledger(approved)
    assert read.problems and read.problems[0].line == 3
    assert "hash chain broken" in read.problems[0].message
    assert len(read.events) == 2


def test_a_line_that_is_not_an_event_is_reported(approved: Path) -> None:
    with ledger_path(approved).open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    problems = read_ledger(approved).problems
    assert [(p.line, "not valid JSON" in p.message) for p in problems] == [(6, True)]


def test_an_edited_snapshot_is_reported(approved: Path) -> None:
    event = read_ledger(approved).events[-1]
    path = snapshot_path(approved, event.content_hash)
    content = json.loads(path.read_text(encoding="utf-8"))
    content["rows"][0][-1] = "edited annotation"
    path.write_text(json.dumps(content), encoding="utf-8")
    problems = read_ledger(approved).problems
    assert problems and all("no longer matches the hash" in p.message for p in problems)


def test_nothing_is_appended_to_a_tampered_ledger(approved: Path, clock: FakeClock) -> None:
    lines = _lines(approved)
    lines[0]["name"] = "Forger"
    _write_lines(approved, lines)
    before = ledger_path(approved).read_bytes()
    spec = reload(approved)
    with pytest.raises(LedgerTampered, match="line 1") as refused:
        act(spec, spec.tables[1].name, "submit", "Sam Editor", clock=clock)
    assert "restore it from version control" in str(refused.value)
    assert ledger_path(approved).read_bytes() == before


def _leftovers(spec_dir: Path) -> list[str]:
    return sorted(p.name for p in ledger_path(spec_dir).parent.rglob("*.tmp"))


def test_a_crash_before_the_rename_leaves_the_ledger_as_it_was(
    approved: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = ledger_path(approved).read_bytes()
    written: list[bytes] = []
    real_replace = os.replace

    def crash(source: str, target: str) -> None:
        if Path(target).name == ledger_module.LEDGER_FILE:
            written.append(Path(source).read_bytes())
            raise OSError("simulated power loss")
        real_replace(source, target)

    monkeypatch.setattr(ledger_module.os, "replace", crash)
    spec = reload(approved)
    name = spec.tables[1].name
    with pytest.raises(OSError, match="simulated power loss"):
        act(spec, name, "submit", "Sam Editor", clock=clock)
    assert written and written[0].startswith(before) and len(written[0]) > len(before)  # the temp file was complete
    assert ledger_path(approved).read_bytes() == before
    assert _leftovers(approved) == []
    assert read_ledger(approved).problems == ()
    assert table_states(spec)[name].state == "draft"

    monkeypatch.undo()
    act(spec, name, "submit", "Sam Editor", clock=clock)
    assert table_states(spec)[name].state == "submitted"
    assert read_ledger(approved).problems == ()


def test_a_crash_while_writing_the_temp_file_leaves_the_ledger_as_it_was(
    approved: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = ledger_path(approved).read_bytes()

    def crash(handle: int) -> None:
        raise OSError("simulated disk failure")

    monkeypatch.setattr(ledger_module.os, "fsync", crash)
    spec = reload(approved)
    with pytest.raises(OSError, match="simulated disk failure"):
        act(spec, spec.tables[1].name, "submit", "Sam Editor", clock=clock)
    assert ledger_path(approved).read_bytes() == before
    assert _leftovers(approved) == []


def test_a_temp_file_left_by_a_killed_process_is_ignored(approved: Path, clock: FakeClock) -> None:
    stray = ledger_path(approved).parent / f".{ledger_module.LEDGER_FILE}.abc123.tmp"
    stray.write_text('{"half": "an ev', encoding="utf-8")
    assert read_ledger(approved).problems == ()
    spec = reload(approved)
    act(spec, spec.tables[1].name, "submit", "Sam Editor", clock=clock)
    assert len(read_ledger(approved).events) == 6
