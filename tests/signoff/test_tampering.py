"""Each kind of tampering, built with real keys, is reported by ``check`` and ``status`` (exit 1)
naming the event and what is wrong: unsigned, forged, re-signed by a non-member, reordered,
truncated and wholly rewritten (the last two against the ledger's git history)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from b12spec.cli import main
from b12spec.signoff import LedgerTampered
from b12spec.signoff.ledger import Event, ledger_path
from b12spec.signoff.state import replay

from .helpers import BOARDS, FakeClock, act, approve, make_board, make_keys, reload


def _lines(spec_dir: Path) -> list[dict]:
    return [json.loads(line) for line in ledger_path(spec_dir).read_text(encoding="utf-8").splitlines()]


def _write(spec_dir: Path, lines: list[dict]) -> None:
    ledger_path(spec_dir).write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def _resealed(raw: dict, **changes: str) -> Event:
    """The event with ``changes``, its digest recomputed (and so its old signature no longer valid)."""
    return replace(Event(**{**raw, **changes}).sealed(), signature=raw["signature"])


def _reported(spec_dir: Path, kind: str, *words: str) -> None:
    """``check`` and ``status`` both exit 1 with a finding of ``kind`` whose message has ``words``."""
    check = CliRunner().invoke(main, ["--spec", str(spec_dir), "check", "--json"])
    assert check.exit_code == 1, check.output
    messages = [f["message"] for f in json.loads(check.stdout)["findings"] if f["kind"] == kind]
    assert messages, f"no {kind} finding in {check.stdout}"
    assert any(all(w in m for w in words) for m in messages), messages
    status = CliRunner().invoke(main, ["--spec", str(spec_dir), "status"])
    assert status.exit_code == 1
    assert all(w in status.output for w in words) and "cannot be trusted" in status.output


@pytest.fixture
def approved(workspace: Path, clock: FakeClock) -> Path:
    """Events 1 genesis, 2 submit, 3 start-review, 4 and 5 the two approvals of the first table."""
    spec = reload(workspace)
    approve(spec, spec.tables[0].name, clock)
    assert len(_lines(workspace)) == 5 and replay(workspace).trustworthy
    return workspace


def test_an_unsigned_event(approved: Path) -> None:
    lines = _lines(approved)
    lines[4]["signature"] = ""
    _write(approved, lines)
    _reported(approved, "signoff_unsigned", "event 5", "is not signed")
    assert len(replay(approved).events) == 4


def test_a_forged_event_edited_and_resealed_keeps_a_signature_that_no_longer_verifies(approved: Path) -> None:
    lines = _lines(approved)
    lines[4] = json.loads(_resealed(lines[4], note="approved without reservation").line())
    _write(approved, lines)
    _reported(approved, "signoff_forged", "event 5", "signature does not verify", "Dr Ada Example")


def test_a_signature_by_another_key_claiming_a_members_fingerprint(approved: Path, tmp_path: Path) -> None:
    mallory = make_keys(tmp_path / "mallory", ["Mallory"])["Mallory"]
    lines = _lines(approved)
    lines[4]["signature"] = mallory.sign(lines[4]["digest"])
    _write(approved, lines)
    _reported(approved, "signoff_forged", "event 5", "signature does not verify")


def test_an_event_resigned_by_a_non_member(approved: Path, tmp_path: Path) -> None:
    mallory = make_keys(tmp_path / "mallory", ["Mallory"])["Mallory"]
    lines = _lines(approved)
    event = Event(**{**lines[4], "key": mallory.fingerprint, "signature": ""}).sealed()
    lines[4] = json.loads(replace(event, signature=mallory.sign(event.digest)).line())
    _write(approved, lines)
    _reported(approved, "signoff_not_a_member", "event 5", mallory.fingerprint, "not on the board roster")


def test_a_members_name_on_another_members_key(approved: Path) -> None:
    lines = _lines(approved)
    key = BOARDS[str(approved)]["Dr Ada Example"]
    event = Event(**{**lines[4], "name": "Dr Cy Example", "role": "board chair", "signature": ""}).sealed()
    lines[4] = json.loads(replace(event, signature=key.sign(event.digest)).line())
    _write(approved, lines)
    _reported(approved, "signoff_forged", "event 5", "names Dr Cy Example", "Dr Ada Example's")


def test_reordered_events(approved: Path) -> None:
    lines = _lines(approved)
    lines[1], lines[2] = lines[2], lines[1]
    _write(approved, lines)
    _reported(approved, "signoff_tampered", "event 3", "hash chain broken")
    assert len(replay(approved).events) == 1


def test_a_ledger_without_its_genesis(approved: Path) -> None:
    _write(approved, _lines(approved)[1:])
    _reported(approved, "signoff_tampered", "hash chain broken")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def _committed(spec_dir: Path) -> Path:
    repo = spec_dir.parent
    _git(repo, "init", "-q")
    _git(repo, "add", "spec")
    _git(repo, "commit", "-q", "-m", "ledger with an approval")
    return repo


def test_truncation_is_caught_by_the_ledgers_git_history(approved: Path) -> None:
    _committed(approved)
    ok = CliRunner().invoke(main, ["--spec", str(approved), "status"])
    assert ok.exit_code == 0 and "extends all 1 committed versions" in ok.output
    _write(approved, _lines(approved)[:3])  # the two approvals cut off: a valid, shorter ledger
    assert replay(approved).trustworthy  # nothing inside the ledger shows it
    _reported(approved, "signoff_truncated", "truncated", "event 4 onwards were removed")


def test_a_wholly_rewritten_ledger_is_caught_by_the_ledgers_git_history(approved: Path, clock: FakeClock) -> None:
    _committed(approved)
    name = reload(approved).tables[0].name
    # Elsewhere, a board of keys made up for the purpose: a new genesis, a consistent signed history.
    forger = approved.parent.parent / "forger" / "spec"
    shutil.copytree(approved, forger, ignore=shutil.ignore_patterns("signoff"))
    make_board(forger, forger.parent / "keys", clock)
    approve(reload(forger), name, clock)
    assert replay(forger).trustworthy  # consistent in itself
    shutil.rmtree(approved / "signoff")
    shutil.copytree(forger / "signoff", approved / "signoff")
    _reported(approved, "signoff_rewritten", "rewritten", "line 1 (event 1)")
    with pytest.raises(LedgerTampered, match="rewritten"):  # and nothing more is recorded on it
        act(reload(approved), reload(approved).tables[1].name, "submit", "Sam Editor", clock=clock)


def test_outside_git_a_truncation_is_not_detectable_and_status_says_so(approved: Path) -> None:
    _write(approved, _lines(approved)[:3])
    status = CliRunner().invoke(main, ["--spec", str(approved), "status"])
    assert status.exit_code == 0
    assert "not under version control" in status.output
