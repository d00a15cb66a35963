"""A damaged or hostile sign-off ledger is a finding (exit 1, the file named), never a traceback.

Found by fuzzing: a note or name holding U+2028, U+2029 or U+0085 was recorded and then made the
whole ledger unreadable (the reader split lines where the writer had not); a ledger that is not
UTF-8, or a ledger or snapshot replaced by a directory, crashed `status`; a duplicate JSON key in
an event showed one name while the digest covered another; temporary files left by a killed
write were never reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from b12spec.cli import main
from b12spec.signoff import establish
from b12spec.signoff.ledger import LEDGER_FILE, ledger_path, read_ledger, snapshot_path
from b12spec.workspace import load_spec

from .helpers import FakeClock, approve, make_keys, reload, write_roster


def cli(spec_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--spec", str(spec_dir), *args])


def assert_finding(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    for word in words:
        assert word in result.output, (word, result.output)


@pytest.fixture
def approved(workspace: Path, clock: FakeClock) -> Path:
    spec = reload(workspace)
    approve(spec, spec.tables[0].name, clock)
    return workspace


def key_file(spec_dir: Path, who: str) -> str:
    return str(spec_dir.parent / "keys" / f"{who.replace(' ', '_')}.key")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\r"])
def test_a_line_separator_in_a_note_reads_back(workspace: Path, separator: str) -> None:
    table = reload(workspace).tables[0].name
    note = f"first{separator}second"
    done = cli(workspace, "signoff", "submit", table, "--key", key_file(workspace, "Sam Editor"), "--note", note)
    assert done.exit_code == 0, done.output
    status = cli(workspace, "status", "--json")
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["ledger"]["ok"] is True
    assert read_ledger(workspace).events[-1].note == note
    later = cli(workspace, "signoff", "start-review", table, "--key", key_file(workspace, "Dr Ada Example"))
    assert later.exit_code == 0, later.output


def test_a_ledger_that_is_not_utf8_is_a_finding(approved: Path) -> None:
    path = ledger_path(approved)
    path.write_bytes(path.read_bytes() + b'{"seq": 4, "name": "\xff\xfe"}\n')
    assert_finding(cli(approved, "status"), "ledger.jsonl", "not UTF-8")
    assert_finding(cli(approved, "check"), "not UTF-8")


def test_a_ledger_replaced_by_a_directory_is_a_finding(approved: Path) -> None:
    path = ledger_path(approved)
    path.unlink()
    path.mkdir()
    assert_finding(cli(approved, "status"), "ledger.jsonl", "cannot be read")


def test_a_snapshot_replaced_by_a_directory_is_a_finding(approved: Path) -> None:
    event = read_ledger(approved).events[-1]
    path = snapshot_path(approved, event.content_hash)
    path.unlink()
    path.mkdir()
    assert_finding(cli(approved, "status"), path.name)


def test_a_snapshot_that_is_not_utf8_is_a_finding(approved: Path) -> None:
    event = read_ledger(approved).events[-1]
    snapshot_path(approved, event.content_hash).write_bytes(b"\xff\xfe{}")
    assert_finding(cli(approved, "status"), "not UTF-8")


def test_a_duplicate_key_inside_an_event_is_refused(approved: Path) -> None:
    path = ledger_path(approved)
    lines = path.read_text(encoding="utf-8").split("\n")
    last = lines[2]
    assert last.startswith("{") and '"name": "' in last
    lines[2] = last[:-1] + ', "name": "Someone Else"}'
    path.write_text("\n".join(lines), encoding="utf-8")
    read = read_ledger(approved)
    assert len(read.events) == 2
    assert any(p.line == 3 and "given twice" in p.message for p in read.problems)
    assert_finding(cli(approved, "status"), "line 3", "given twice")


def test_leftover_temporary_files_are_reported_by_check_and_ignored(approved: Path, clock: FakeClock) -> None:
    directory = ledger_path(approved).parent
    (directory / f".{LEDGER_FILE}.x1y2z3.tmp").write_text('{"half": "an ev', encoding="utf-8")
    (directory / "snapshots" / ".abc.json.q9.tmp").write_text("{", encoding="utf-8")
    (directory / f".{LEDGER_FILE}.tmp").write_text("", encoding="utf-8")  # not the writer's own name
    assert read_ledger(approved).problems == ()
    result = cli(approved, "check", "--json")
    data = json.loads(result.stdout)
    leftovers = [f for f in data["findings"] if f["kind"] == "signoff_leftover_file"]
    assert {f["file"] for f in leftovers} == {
        f"signoff/.{LEDGER_FILE}.x1y2z3.tmp",
        f"signoff/.{LEDGER_FILE}.tmp",
        "signoff/snapshots/.abc.json.q9.tmp",
    }
    assert all(f["severity"] == "warning" for f in leftovers)
    status = cli(approved, "status")
    assert status.exit_code == 0, status.output
    assert "temporary file" in status.output


@pytest.mark.parametrize("command", [["signoff", "roster"], ["signoff", "roster", "--json"], ["signoff", "changes"]])
def test_every_ledger_reader_refuses_a_ledger_it_cannot_trust(approved: Path, command: list[str]) -> None:
    """`signoff roster` read an unreadable ledger as "no genesis event yet" and `signoff changes` as
    "no changes since approval", both with exit 0 (found by the independent issue-16 harness)."""
    path = ledger_path(approved)
    path.write_bytes(path.read_bytes() + b'{"seq": 4, "name": "\xff\xfe"}\n')
    if command[-1] == "changes":
        command = [*command, reload(approved).tables[0].name]
    assert_finding(cli(approved, *command), "ledger.jsonl", "cannot be trusted")


@pytest.mark.parametrize("command", [["status"], ["signoff", "roster"], ["signoff", "changes"]])
def test_json_from_an_untrusted_ledger_says_why(approved: Path, command: list[str]) -> None:
    """Exit 1 came with JSON that had no `error`: a script saw a normal answer (issue-16 harness)."""
    path = ledger_path(approved)
    path.write_bytes(path.read_bytes() + b'{"seq": 4, "name": "\xff\xfe"}\n')
    if command[-1] == "changes":
        command = [*command, reload(approved).tables[0].name]
    result = cli(approved, *command, "--json")
    assert result.exit_code == 1, result.output
    assert "the sign-off ledger cannot be trusted" in json.loads(result.stdout)["error"]


def test_an_unreadable_roster_file_is_refused_by_status_not_a_traceback(approved: Path) -> None:
    roster = approved / "signoff" / "roster.yaml"
    roster.write_text(roster.read_text(encoding="utf-8") + "\nx: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    for command in (["status"], ["signoff", "roster"]):
        assert_finding(cli(approved, *command), "signoff/roster.yaml", "not valid YAML")
    result = cli(approved, "status", "--json")
    assert result.exit_code == 1, result.output
    assert "roster.yaml" in json.loads(result.stdout)["error"]


def test_a_note_that_is_not_utf8_is_refused_and_nothing_is_written(approved: Path) -> None:
    """A --note with a byte that is not UTF-8 (a lone surrogate once decoded) crashed the sealing of
    the event with a traceback, after its snapshot was written (found by the issue-16 harness)."""
    before = ledger_path(approved).read_bytes()
    files = sorted(p.name for p in ledger_path(approved).parent.rglob("*"))
    table = reload(approved).tables[0].name
    result = cli(approved, "signoff", "withdraw", table, "--key", key_file(approved, "Dr Bo Example"),
                 "--note", "bad\udcffnote")
    assert_finding(result, "not UTF-8 text", "character 4")
    assert ledger_path(approved).read_bytes() == before
    assert sorted(p.name for p in ledger_path(approved).parent.rglob("*")) == files


def test_a_ledger_that_is_a_named_pipe_is_refused_without_reading_it(approved: Path) -> None:
    """A named pipe in place of the ledger made every command wait for a writer forever (found by
    the independent issue-16 harness). Here a writer thread opens the pipe, so the old reader got an
    empty ledger instead of hanging the suite; the reader now refuses anything but a regular file."""
    import os
    import threading

    path = ledger_path(approved)
    path.unlink()
    os.mkfifo(path)

    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with path.open("wb"):  # blocks until someone opens the pipe for reading
                pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        assert_finding(cli(approved, "status"), "ledger.jsonl", "not a file")
    finally:
        stop.set()
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))  # release the writer either way
        thread.join(5)


def test_a_signoff_folder_replaced_by_a_file_is_a_finding_not_an_empty_ledger(approved: Path) -> None:
    folder = ledger_path(approved).parent
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    folder.rmdir()
    folder.write_text("not a folder\n", encoding="utf-8")
    for command in (["status"], ["check"]):
        assert_finding(cli(approved, *command), "signoff is not a directory")


@pytest.mark.parametrize("kind", ["pipe", "directory"])
def test_a_ledger_that_is_a_pipe_or_a_directory_is_a_finding_for_every_command(
    approved: Path, kind: str
) -> None:
    """With the ledger a named pipe, status, check and withdraw blocked for ever (the git-history
    anchor read it whole); a directory ended in a bare 'Is a directory' (issue-16 harness)."""
    import os
    import subprocess

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the ledger"]):
        subprocess.run([*git, *args], cwd=approved.parent, check=True, capture_output=True)
    path = ledger_path(approved)
    path.unlink()
    os.mkfifo(path) if kind == "pipe" else path.mkdir()
    table = reload_name(approved)
    withdraw = ["signoff", "withdraw", table, "--key", key_file(approved, "Dr Ada Example"), "--note", "x"]
    for command in (["status"], ["check"], withdraw):
        result = cli(approved, *command)
        assert_finding(result, "signoff/ledger.jsonl")
        assert "Errno" not in result.output, result.output


def reload_name(spec_dir: Path) -> str:
    return reload(spec_dir).tables[0].name


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_a_line_separator_in_a_reviewer_name_reads_back(bare_workspace: Path, clock: FakeClock, separator: str) -> None:
    """A reviewer name holding U+2028, U+2029 or U+0085 made the whole ledger unreadable once
    recorded (issue 16). The note is tested above; since signed sign-off the name comes from the
    roster, so this signs as a board member whose roster name holds the separator."""
    name = f"Dr Ada{separator}Example"
    roles = {"Sam Editor": "guideline editor", name: "haematologist"}
    keys = make_keys(bare_workspace.parent / "keys", list(roles))
    write_roster(bare_workspace, keys, 1, roles)
    establish(load_spec(bare_workspace), keys["Sam Editor"], clock=clock)
    table = reload(bare_workspace).tables[0].name
    submitted = cli(bare_workspace, "signoff", "submit", table, "--key", key_file(bare_workspace, "Sam Editor"))
    assert submitted.exit_code == 0, submitted.output
    started = cli(bare_workspace, "signoff", "start-review", table, "--key", key_file(bare_workspace, name))
    assert started.exit_code == 0, started.output
    read = read_ledger(bare_workspace)
    assert read.problems == ()
    assert read.events[-1].name == name
    status = cli(bare_workspace, "status", "--json")
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["ledger"]["ok"] is True
    later = cli(bare_workspace, "signoff", "request-changes", table, "--key", key_file(bare_workspace, name),
                "--note", "please cite the dose")
    assert later.exit_code == 0, later.output
