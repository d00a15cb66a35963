"""Recording sign-off actions: the happy path, who and when, and every refusal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from b12spec.errors import SpecError
from b12spec.signoff import (
    SignoffRefused,
    changes_since_approval,
    guideline_state,
    record,
    table_states,
)
from b12spec.signoff.ledger import ledger_path, read_ledger

from .helpers import FakeClock, act, approve, editable_cell, key_of, make_keys, reload, set_cell


def _ledger_bytes(spec_dir: Path) -> bytes:
    path = ledger_path(spec_dir)
    return path.read_bytes() if path.exists() else b""


def test_a_new_table_is_draft_with_nobody_recorded(workspace: Path) -> None:
    states = table_states(reload(workspace))
    assert {s.state for s in states.values()} == {"draft"}
    assert all(s.reviewer is None and s.date is None and s.approved_hash is None for s in states.values())
    assert guideline_state(reload(workspace)).state == "draft"


def test_each_step_records_who_and_when(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    expected = [
        ("submit", "submitted", "Sam Editor", "guideline editor", 0),
        ("start-review", "under_review", "Dr Ada Example", "haematologist", 0),
        ("request-changes", "changes_requested", "Dr Ada Example", "haematologist", 0),
        ("submit", "submitted", "Sam Editor", "guideline editor", 0),
        ("start-review", "under_review", "Dr Ada Example", "haematologist", 0),
        ("approve", "under_review", "Dr Ada Example", "haematologist", 1),
        ("approve", "approved", "Dr Bo Example", "gastroenterologist", 2),
    ]
    for verb, state, reviewer, role, approvals in expected:
        event = act(spec, name, verb, reviewer, note="see notes", clock=clock)
        shown = table_states(spec)[name]
        assert (shown.state, shown.reviewer, shown.role, shown.note) == (state, reviewer, role, "see notes")
        assert (len(shown.approvers), shown.quorum) == (approvals, 2)
        assert shown.date == clock.now.strftime("%Y-%m-%dT%H:%M:%SZ") == event.at
        assert event.key == key_of(spec, reviewer).fingerprint and event.signature
    final = table_states(spec)[name]
    assert final.approved_hash == final.current_hash
    assert final.approvers == ("Dr Ada Example", "Dr Bo Example")
    assert not final.changed_since_approval


def test_a_member_cannot_approve_their_own_submission(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    act(spec, name, "submit", "Dr Cy Example", clock=clock)
    act(spec, name, "start-review", "Dr Ada Example", clock=clock)
    act(spec, name, "approve", "Dr Ada Example", clock=clock)
    act(spec, name, "approve", "Dr Bo Example", clock=clock)  # two members sign
    act(spec, name, "withdraw", "Dr Bo Example", note="second thoughts", clock=clock)
    before = _ledger_bytes(workspace)
    with pytest.raises(SignoffRefused, match="submitted this exact content and so cannot approve it") as refused:
        act(spec, name, "approve", "Dr Cy Example", clock=clock)
    assert "as Dr Cy Example" in str(refused.value)
    assert _ledger_bytes(workspace) == before
    state = table_states(spec)[name]
    assert (state.state, state.approvers) == ("under_review", ("Dr Ada Example",))


def test_a_key_not_on_the_roster_is_refused(workspace: Path, clock: FakeClock, tmp_path: Path) -> None:
    spec = reload(workspace)
    stranger = make_keys(tmp_path / "stranger", ["Eve Outsider"])["Eve Outsider"]
    before = _ledger_bytes(workspace)
    with pytest.raises(SignoffRefused) as refused:
        record(spec, spec.tables[0].name, "submit", stranger, clock=clock)
    assert f"the key {stranger.fingerprint} is not on the board roster in force" in str(refused.value)
    assert _ledger_bytes(workspace) == before


def test_withdrawing_needs_a_standing_approval_and_a_note(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    approve(spec, name, clock)
    with pytest.raises(SignoffRefused, match="without saying why"):
        act(spec, name, "withdraw", "Dr Ada Example", clock=clock)
    with pytest.raises(SignoffRefused, match="no approval of it that still counts"):
        act(spec, name, "withdraw", "Dr Cy Example", note="n", clock=clock)
    event = act(spec, name, "withdraw", "Dr Ada Example", note="a finding in the source", clock=clock)
    assert (event.action, event.content_hash) == ("approval_withdrawn", table_states(spec)[name].current_hash)
    state = table_states(spec)[name]
    assert (state.state, state.approvers) == ("under_review", ("Dr Bo Example",))
    act(spec, name, "approve", "Dr Cy Example", clock=clock)
    assert table_states(spec)[name].state == "approved"


def test_approve_then_change_one_cell_reopens_review_and_shows_that_cell(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    table, rule, column, text = editable_cell(spec)
    approve(spec, table, clock)
    approved_at = clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    set_cell(workspace, table, rule, column, "-")
    changed = reload(workspace)

    state = table_states(changed)[table]
    assert state.state == "changed_since_approval"
    assert state.changed_since_approval
    assert (state.reviewer, state.role, state.date) == ("Dr Ada Example", "haematologist", approved_at)
    assert state.approved_hash != state.current_hash
    others = [s for name, s in table_states(changed).items() if name != table]
    assert all(s.state == "draft" for s in others)

    changes = changes_since_approval(changed, table)
    assert [(c.rule, c.column, c.kind, c.before, c.after) for c in changes] == [(rule, column, "changed", text, "-")]

    # Review again: resubmission is allowed, and approving the new content closes it.
    approve(changed, table, clock, reviewer="Dr Bo Example")
    again = table_states(changed)[table]
    assert (again.state, again.reviewer, again.changed_since_approval) == ("approved", "Dr Bo Example", False)
    assert changes_since_approval(changed, table) == []


def test_undoing_the_change_restores_the_approval(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    table, rule, column, text = editable_cell(spec)
    approve(spec, table, clock)
    set_cell(workspace, table, rule, column, "-")
    assert table_states(reload(workspace))[table].state == "changed_since_approval"
    set_cell(workspace, table, rule, column, text)
    assert table_states(reload(workspace))[table].state == "approved"


@pytest.mark.parametrize(
    ("steps", "verb", "state", "allowed"),
    [
        ([], "approve", "draft", "submit"),
        ([], "start-review", "draft", "submit"),
        ([], "request-changes", "draft", "submit"),
        (["submit"], "approve", "submitted", "start-review"),
        (["submit"], "request-changes", "submitted", "start-review"),
        (["submit"], "submit", "submitted", "start-review"),
        (["submit", "start-review"], "start-review", "under_review", "request-changes, approve"),
        (["submit", "start-review"], "submit", "under_review", "request-changes, approve"),
        (["submit", "start-review", "request-changes"], "approve", "changes_requested", "submit"),
        (["submit", "start-review", "request-changes"], "start-review", "changes_requested", "submit"),
        (["submit", "start-review", "approve", "approve"], "approve", "approved", "withdraw"),
        (["submit", "start-review", "approve", "approve"], "submit", "approved", "withdraw"),
        (["submit", "start-review", "approve", "approve"], "request-changes", "approved", "withdraw"),
    ],
)
def test_illegal_transitions_are_refused_naming_table_state_and_allowed(
    workspace: Path, clock: FakeClock, steps: list[str], verb: str, state: str, allowed: str
) -> None:
    spec = reload(workspace)
    name = spec.tables[-1].name
    who = iter(["Sam Editor", "Dr Ada Example", "Dr Ada Example", "Dr Bo Example"])
    for step in steps:
        act(spec, name, step, next(who), note="n", clock=clock)
    before = _ledger_bytes(workspace)
    with pytest.raises(SignoffRefused) as refused:
        act(spec, name, verb, "Dr Cy Example", note="n", clock=clock)
    message = str(refused.value)
    assert f"cannot {verb} table {name!r} as Dr Cy Example" in message
    assert f"Current state: {state}" in message
    assert f"allowed now: {allowed}" in message
    assert _ledger_bytes(workspace) == before
    assert table_states(spec)[name].state == state


def test_unknown_table_is_refused_listing_the_known_ones(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    with pytest.raises(SignoffRefused, match="no such table") as refused:
        act(spec, "no_such_table", "submit", "Sam Editor", clock=clock)
    assert "'no_such_table'" in str(refused.value)
    assert all(t.name in str(refused.value) for t in spec.tables)
    assert len(read_ledger(workspace).events) == 1  # the genesis only


def test_requesting_changes_needs_a_note(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    act(spec, name, "submit", "Sam Editor", clock=clock)
    act(spec, name, "start-review", "Dr Ada Example", clock=clock)
    with pytest.raises(SignoffRefused, match="without saying why"):
        act(spec, name, "request-changes", "Dr Ada Example", clock=clock)


def test_content_changed_during_review_cannot_be_approved_until_resubmitted(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    table, rule, column, _ = editable_cell(spec)
    act(spec, table, "submit", "Sam Editor", clock=clock)
    act(spec, table, "start-review", "Dr Ada Example", clock=clock)
    set_cell(workspace, table, rule, column, "-")
    changed = reload(workspace)
    with pytest.raises(SignoffRefused, match="changed after it was submitted") as refused:
        act(changed, table, "approve", "Dr Ada Example", clock=clock)
    assert "allowed now: submit, request-changes" in str(refused.value)
    act(changed, table, "submit", "Sam Editor", clock=clock)
    act(changed, table, "start-review", "Dr Ada Example", clock=clock)
    act(changed, table, "approve", "Dr Ada Example", clock=clock)
    act(changed, table, "approve", "Dr Bo Example", clock=clock)
    assert table_states(changed)[table].state == "approved"


def test_guideline_is_approved_only_when_every_table_is_approved_as_it_is(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    first, *rest = [t.name for t in spec.tables]
    approve(spec, first, clock)
    act(spec, "guideline", "submit", "Sam Editor", clock=clock)
    act(spec, "guideline", "start-review", "Dr Ada Example", clock=clock)
    with pytest.raises(SignoffRefused) as refused:
        act(spec, "guideline", "approve", "Dr Ada Example", clock=clock)
    message = str(refused.value)
    assert "cannot approve the guideline" in message
    assert all(f"{name} (draft)" in message for name in rest)
    assert f"{first} (" not in message

    for name in rest:
        approve(spec, name, clock)
    act(spec, "guideline", "approve", "Dr Ada Example", clock=clock)
    assert guideline_state(spec).state == "under_review"
    act(spec, "guideline", "approve", "Dr Cy Example", clock=clock)
    released = guideline_state(spec)
    assert (released.table, released.state, released.role) == ("guideline", "approved", "board chair")

    # A table edited after the release reopens both the table and the guideline.
    table, rule, column, _ = editable_cell(spec)
    set_cell(workspace, table, rule, column, "-")
    changed = reload(workspace)
    assert guideline_state(changed).state == "changed_since_approval"
    guideline_changes = changes_since_approval(changed, "guideline")
    assert [(c.column, c.kind) for c in guideline_changes] == [(f"tables.{table}", "changed")]

    # The same version cannot be released twice with different content.
    approve(changed, table, clock)
    with pytest.raises(SignoffRefused, match=f"version {spec.guideline.version} is not newer"):
        act(changed, "guideline", "submit", "Sam Editor", clock=clock)
    guideline_yaml = workspace / "guideline.yaml"
    text = guideline_yaml.read_text(encoding="utf-8")
    guideline_yaml.write_text(text.replace(f"version: {spec.guideline.version}", "version: 99.0.0"), encoding="utf-8")
    bumped = reload(workspace)
    approve(bumped, "guideline", clock)
    assert guideline_state(bumped).state == "approved"
    assert [(c.column, c.before, c.after) for c in changes_since_approval(bumped, "guideline")] == []


def test_guideline_version_must_be_semantic(workspace: Path, clock: FakeClock) -> None:
    """Refused when the spec loads, not only at release: check accepted ``version: banana`` (issue-16
    harness), while the ledger orders released versions as semantic versions."""
    guideline_yaml = workspace / "guideline.yaml"
    spec = reload(workspace)
    text = guideline_yaml.read_text(encoding="utf-8")
    guideline_yaml.write_text(text.replace(f"version: {spec.guideline.version}", "version: draft-2"), encoding="utf-8")
    with pytest.raises(SpecError, match=r"version.*must be a semantic version MAJOR\.MINOR\.PATCH .*got 'draft-2'"):
        reload(workspace)


def test_naive_clock_is_refused_and_offsets_are_stored_as_utc(workspace: Path) -> None:
    import datetime as dt

    spec = reload(workspace)
    name = spec.tables[0].name
    with pytest.raises(ValueError, match="timezone-aware"):
        act(spec, name, "submit", "Sam Editor", clock=lambda: dt.datetime(2026, 1, 1, 12, 0))
    assert len(read_ledger(workspace).events) == 1
    assert len(list((workspace / "signoff").rglob("*.json"))) == 1  # the genesis roster's snapshot
    plus_two = dt.timezone(dt.timedelta(hours=2))
    event = act(spec, name, "submit", "Sam Editor", clock=lambda: dt.datetime(2026, 1, 1, 12, 0, tzinfo=plus_two))
    assert event.at == "2026-01-01T10:00:00Z"


def test_concurrent_writers_do_not_lose_events(workspace: Path) -> None:
    spec = reload(workspace)
    names = [t.name for t in spec.tables]
    errors: list[BaseException] = []

    def submit(name: str) -> None:
        try:
            act(spec, name, "submit", "Sam Editor")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    read = read_ledger(workspace)
    assert read.problems == ()
    assert sorted(e.subject for e in read.events) == sorted([*names, "roster"])
    assert {s.state for s in table_states(spec).values()} == {"submitted"}
