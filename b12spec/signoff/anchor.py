"""The ledger's anchor outside itself: its own history in git, which must only ever grow.

Signatures and the hash chain show an event that was edited, forged, signed by a non-member or
moved. They cannot show that the last events were cut off (what is left is a valid shorter
ledger) or that the whole ledger was replaced by another one, consistently chained and signed by
keys of a roster made up for the purpose. What can show both is a record kept elsewhere: every
version of ``ledger.jsonl`` committed to the repository must be a prefix of the present one,
line for line, because the ledger is append-only.

Limits, said plainly: this protects what was committed. Events appended and cut off again before
any commit, a repository whose history itself was rewritten (force-pushed; protect the branch),
a shallow clone (it checks only the commits it has) and a copy of spec/ outside git are beyond
it; ``b12spec status`` says which case applies. Before the genesis event is committed, nothing
distinguishes a genuine first roster from a made-up one: the founding members confirm the
genesis digest with one another (``b12spec signoff roster`` prints it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from b12spec.signoff.ledger import LedgerProblem, ledger_path

_GIT_TIMEOUT = 30


@dataclass(frozen=True)
class Anchor:
    """What the repository's history says about the ledger."""

    available: bool  # the ledger is inside a git work tree and git can be run
    versions: int  # committed versions compared
    problems: tuple[LedgerProblem, ...]
    summary: str


def _git(top: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "-C", str(top), *args], input=stdin, capture_output=True, timeout=_GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def work_tree(directory: Path | str) -> Path | None:
    """The top of the git work tree holding ``directory``, or None outside git."""
    start = Path(directory)
    while not start.exists() and start != start.parent:
        start = start.parent
    top = _git(start, "rev-parse", "--show-toplevel")
    return Path(top.decode("utf-8").strip()).resolve() if top else None


def committed_versions(spec_root: Path | str) -> list[tuple[str, bytes]] | None:
    """Every committed version of the ledger, oldest first, as (commit, bytes); None outside git."""
    path = ledger_path(spec_root).resolve()
    top = work_tree(path.parent)
    if top is None:
        return None
    try:
        relative = path.relative_to(top).as_posix()
    except ValueError:
        return None
    log = _git(top, "log", "--format=%H", "--reverse", "--", relative)
    if log is None:
        return None
    commits = log.decode("ascii").split()
    if not commits:
        return []
    batch = _git(top, "cat-file", "--batch", stdin="".join(f"{c}:{relative}\n" for c in commits).encode("utf-8"))
    if batch is None:
        return None
    versions: list[tuple[str, bytes]] = []
    position = 0
    for commit in commits:
        end = batch.index(b"\n", position)
        header = batch[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            versions.append((commit, batch[position : position + size]))
            position += size + 1
        # "missing": the commit deleted the file; the next version is still compared
    return versions


def _lines(data: bytes) -> list[bytes]:
    """The ledger's events as raw lines (split on newline only, the way they were appended)."""
    return [line.rstrip(b"\r") for line in data.split(b"\n") if line.strip()]


def _event_name(line: bytes, number: int) -> str:
    try:
        seq = json.loads(line).get("seq")
    except (ValueError, AttributeError):
        seq = None
    return f"event {seq}" if isinstance(seq, int) else f"line {number}"


def read_anchor(spec_root: Path | str) -> Anchor:
    """Compare the ledger with every committed version of it; the first departure is a problem."""
    versions = committed_versions(spec_root)
    shown = "signoff/ledger.jsonl"
    if versions is None:
        return Anchor(False, 0, (), "the ledger is not under version control here: events cut off its end or a "
                      "wholesale rewrite cannot be detected")
    path = ledger_path(spec_root)
    if (path.exists() or path.is_symlink()) and not path.is_file():
        # A pipe blocked every command here and a directory crashed it; read_ledger reports it already.
        return Anchor(True, len(versions), (), f"not compared: {shown} is not a regular file")
    try:
        present = _lines(path.read_bytes()) if path.exists() else []
    except OSError as error:
        message = f"{shown} cannot be read to compare it with its git history ({error.strerror or error})"
        return Anchor(True, len(versions), (LedgerProblem(None, None, message, shown),), message)
    for commit, data in versions:
        committed = _lines(data)
        short = commit[:12]
        for number, line in enumerate(committed, start=1):
            if number > len(present):
                message = (
                    f"the ledger was truncated: commit {short} recorded {len(committed)} events, the ledger now has "
                    f"{len(present)}; {_event_name(line, number)} onwards were removed"
                )
                return Anchor(True, len(versions), (LedgerProblem(number, None, message, shown, "signoff_truncated"),),
                              message)
            if present[number - 1] != line:
                message = (
                    f"the ledger was rewritten: line {number} ({_event_name(present[number - 1], number)}) is not "
                    f"the {_event_name(line, number)} committed in {short}; a ledger only grows"
                )
                return Anchor(True, len(versions), (LedgerProblem(number, None, message, shown, "signoff_rewritten"),),
                              message)
    if not versions:
        summary = "the ledger has never been committed: commit it so that its history anchors it"
    else:
        summary = f"the ledger extends all {len(versions)} committed versions of it (git history)"
    return Anchor(True, len(versions), (), summary)


def anchor_problems(spec_root: Path | str) -> tuple[LedgerProblem, ...]:
    return read_anchor(spec_root).problems
