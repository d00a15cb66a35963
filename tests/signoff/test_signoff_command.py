"""The command line: ``b12spec signoff ...`` and ``b12spec status``, their output and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from b12spec.cli import main
from b12spec.signoff.ledger import ledger_path

from .helpers import BOARDS, editable_cell, reload, set_cell

UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def run(spec_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--spec", str(spec_dir), *args])


def key_file(spec_dir: Path, who: str) -> str:
    return str(spec_dir.parent / "keys" / f"{who.replace(' ', '_')}.key")


def act(spec_dir: Path, verb: str, table: str, who: str = "Dr Ada Example") -> Result:
    assert str(spec_dir) in BOARDS
    return run(spec_dir, "signoff", verb, table, "--key", key_file(spec_dir, who), "--note", "n")


def review(spec_dir: Path, table: str) -> None:
    """Submit (Sam), start review (Ada), approve (Bo, then Ada) through the command line."""
    for verb, who in (("submit", "Sam Editor"), ("start-review", "Dr Ada Example"), ("approve", "Dr Bo Example"),
                      ("approve", "Dr Ada Example")):
        result = act(spec_dir, verb, table, who)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("recorded: ")


def status_json(spec_dir: Path) -> dict:
    result = run(spec_dir, "status", "--json")
    return json.loads(result.output)


def test_status_of_a_fresh_spec_is_all_draft(workspace: Path) -> None:
    result = run(workspace, "status")
    assert result.exit_code == 0, result.output
    spec = reload(workspace)
    for table in spec.tables:
        assert re.search(rf"^{table.name}\s+draft\s+0/2\s+-\s+-\s+-\s+submit$", result.output, re.MULTILINE), table.name
    data = status_json(workspace)
    assert [t["table"] for t in data["tables"]] == [t.name for t in spec.tables]
    assert data["guideline"]["state"] == "draft" and data["guideline"]["version"] == spec.guideline.version
    assert data["guideline"]["not_approved_tables"] == [t.name for t in spec.tables]
    assert data["guideline"]["allowed"] == ["submit"] and {t["allowed"] == ["submit"] for t in data["tables"]} == {True}
    assert (data["ledger"]["ok"], data["ledger"]["findings"]) == (True, [])
    assert data["ledger"]["anchor"]["available"] is False  # a temp copy outside git: said, not hidden
    assert "not under version control" in result.output
    assert data["roster"]["in_force"] is True and data["roster"]["quorum"] == 2


def test_approve_then_edit_shows_changed_since_approval(workspace: Path) -> None:
    spec = reload(workspace)
    table, rule, column, _ = editable_cell(spec)
    review(workspace, table)
    row = next(t for t in status_json(workspace)["tables"] if t["table"] == table)
    assert (row["state"], row["reviewer"], row["role"], row["changed_since_approval"]) == (
        "approved",
        "Dr Ada Example",
        "haematologist",
        False,
    )
    assert UTC_TIME.match(row["date"])

    set_cell(workspace, table, rule, column, "-")
    result = run(workspace, "status")
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith(table + " "))
    assert "changed since approval" in line and "Dr Ada Example (haematologist)" in line and " 2/2 " in line
    assert line.split()[-3:] == ["yes", "submit,", "withdraw"]
    row = next(t for t in status_json(workspace)["tables"] if t["table"] == table)
    assert row["state"] == "changed_since_approval" and row["changed_since_approval"] is True
    assert row["approved_hash"] != row["current_hash"]
    assert row["allowed"] == ["submit", "withdraw"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["approve", "TABLE", "--key", "Dr Ada Example"], "it was never submitted"),
        (["submit", "TABLE", "--key", "NOWHERE"], "cannot read the key file"),
        (["submit", "TABLE", "--key", "NOT A KEY"], "is not an OpenSSH or PEM private key"),
        (["submit", "no_such_table", "--key", "Sam Editor"], "no such table"),
        (["approve", "guideline", "--key", "Dr Ada Example"], "every table must be approved"),
    ],
)
def test_refusals_exit_1_with_a_clear_message(workspace: Path, args: list[str], expected: str) -> None:
    table = reload(workspace).tables[0].name
    (workspace.parent / "keys" / "NOT_A.key").write_text("hello", encoding="utf-8")
    names = {
        "NOWHERE": str(workspace.parent / "missing.key"),
        "NOT A KEY": str(workspace.parent / "keys" / "NOT_A.key"),
    }
    before = ledger_path(workspace).read_bytes()
    shown = [table if a == "TABLE" else a for a in args]
    shown[3] = names.get(shown[3]) or key_file(workspace, shown[3])
    result = run(workspace, "signoff", *shown)
    assert result.exit_code == 1
    assert expected in result.output
    assert ledger_path(workspace).read_bytes() == before


def test_a_missing_option_is_a_usage_error(workspace: Path) -> None:
    table = reload(workspace).tables[0].name
    result = run(workspace, "signoff", "approve", table)
    assert result.exit_code == 2
    assert "--key" in result.output


def test_a_tampered_ledger_makes_status_and_signoff_exit_1(workspace: Path) -> None:
    table = reload(workspace).tables[0].name
    assert act(workspace, "submit", table, "Sam Editor").exit_code == 0
    path = ledger_path(workspace)
    path.write_text(path.read_text(encoding="utf-8").replace('"note": "n"', '"note": "m"'), encoding="utf-8")
    result = run(workspace, "status")
    assert result.exit_code == 1
    assert "does not match its own digest" in result.output and "cannot be trusted" in result.output
    data = status_json(workspace)
    assert data["ledger"]["ok"] is False and data["ledger"]["findings"][0]["kind"] == "signoff_tampered"
    assert run(workspace, "status", "--json").exit_code == 1
    refused = act(workspace, "start-review", table)
    assert refused.exit_code == 1 and "restore it from version control" in refused.output


def test_a_failed_write_exits_1_and_says_the_ledger_is_unchanged(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from b12spec.signoff import ledger as ledger_module

    table = reload(workspace).tables[0].name
    before = ledger_path(workspace).read_bytes()

    def crash(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ledger_module.os, "replace", crash)
    result = act(workspace, "submit", table, "Sam Editor")
    assert result.exit_code == 1
    assert "could not write the sign-off ledger; it is unchanged" in result.output
    assert ledger_path(workspace).read_bytes() == before


def test_changes_lists_the_edited_cell(workspace: Path) -> None:
    spec = reload(workspace)
    table, rule, column, text = editable_cell(spec)
    review(workspace, table)
    unchanged = run(workspace, "signoff", "changes", table, "--json")
    assert unchanged.exit_code == 0 and json.loads(unchanged.output) == {"cells": [], "behaviour": None}
    set_cell(workspace, table, rule, column, "-")
    result = run(workspace, "signoff", "changes", table, "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["cells"] == [
        {"rule": rule, "column": column, "kind": "changed", "before": text, "after": "-"}
    ]
    text_result = run(workspace, "signoff", "changes", table)
    assert f"changed  rule {rule}, {column}: {text!r} -> '-'" in text_result.output
    assert run(workspace, "signoff", "changes", "no_such_table").exit_code == 1
