"""What ``b12spec check`` hears from the ledger: nothing when intact, errors when it is not."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from b12spec.model import Spec
from b12spec.signoff import guideline_state, ledger_findings, table_states
from b12spec.signoff.hashing import ContentReader
from b12spec.signoff.ledger import Event, append_event, ledger_path, read_ledger, write_snapshot

from .helpers import MEMBERS, FakeClock, approve, key_of, reload

REPO_SPEC = Path(__file__).resolve().parents[2] / "spec"


def _forge(spec_dir: Path, steps: list[tuple[str, str]], submitter: str = "Sam Editor") -> None:
    """Append events by hand, signed by a board member with valid digests, chain and snapshots:
    only the workflow is wrong."""
    spec = reload(spec_dir)
    reader = ContentReader(spec)
    last = read_ledger(spec_dir).events[-1]
    prev, first = last.digest, last.seq + 1
    for seq, (subject, action) in enumerate(steps, start=first):
        who = submitter if action == "submitted" else "Dr Ada Example"
        key = key_of(spec, who)
        digest = write_snapshot(spec_dir, reader.content(subject))
        event = Event(
            seq, subject, action, who, MEMBERS[who], "2026-01-01T00:00:00Z", "", digest, "0.1.0", prev,
            key.fingerprint,
        )
        sealed = event.sealed()
        append_event(spec_dir, replace(sealed, signature=key.sign(sealed.digest)))
        prev = sealed.digest


def test_the_repository_ledger_is_intact() -> None:
    assert [f for f in ledger_findings(reload(REPO_SPEC)) if f.severity == "error"] == []


def test_an_intact_ledger_has_no_findings(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    approve(spec, spec.tables[0].name, clock)
    assert ledger_findings(spec) == []


def test_a_hand_edited_event_is_an_error_finding(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    approve(spec, name, clock)
    lines = ledger_path(workspace).read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[-1])
    event["content_hash"] = "sha256:" + "f" * 64
    lines[-1] = json.dumps(event)
    ledger_path(workspace).write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = ledger_findings(spec)
    assert findings, "a tampered ledger must be reported"
    assert {(f.kind, f.severity, f.table, f.file) for f in findings} == {
        ("signoff_tampered", "error", name, "signoff/ledger.jsonl")
    }
    assert any("line 5" in f.message and "does not match its own digest" in f.message for f in findings)
    assert findings[0].to_dict().keys() >= {"kind", "severity", "table", "file", "rules", "message", "witness"}
    assert table_states(spec)[name].state == "under_review"


def test_an_approval_never_submitted_is_an_illegal_history(workspace: Path) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    _forge(workspace, [(name, "approved")])
    findings = ledger_findings(spec)
    assert [(f.kind, f.severity, f.table) for f in findings] == [("signoff_illegal_history", "error", name)]
    assert "'approve'" in findings[0].message and "state draft" in findings[0].message
    assert table_states(spec)[name].state == "draft"


def test_a_guideline_approval_over_unapproved_tables_is_an_illegal_history(workspace: Path) -> None:
    _forge(workspace, [("guideline", "submitted"), ("guideline", "review_started"), ("guideline", "approved")])
    spec = reload(workspace)
    findings = ledger_findings(spec)
    assert [f.kind for f in findings] == ["signoff_illegal_history"]
    assert "tables not approved at that content" in findings[0].message
    assert guideline_state(spec).state == "under_review"


def test_events_for_a_table_that_no_longer_exists_are_a_warning(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    approve(spec, name, clock)
    spec_without = _load_without(workspace, name)
    findings = ledger_findings(spec_without)
    assert [(f.kind, f.severity, f.table) for f in findings] == [("signoff_unknown_table", "warning", name)]


def _load_without(spec_dir: Path, name: str) -> Spec:
    """The spec minus one table (other tables may read it, so the model is cut rather than reloaded)."""
    full = reload(spec_dir)
    return replace(full, tables=tuple(t for t in full.tables if t.name != name))


def test_a_table_named_guideline_is_an_error(workspace: Path) -> None:
    spec = reload(workspace)
    renamed = replace(spec, tables=(replace(spec.tables[0], name="guideline"), *spec.tables[1:]))
    findings = ledger_findings(renamed)
    assert [(f.kind, f.severity) for f in findings] == [("signoff_reserved_name", "error")]
