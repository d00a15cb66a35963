"""The append-only sign-off ledger in ``spec/signoff/``: one JSON event per line, hash-chained.

Each event says who (name, role) did what (submitted, review_started, changes_requested,
approved) to which subject (a table, or ``guideline``), when (UTC), with what comment, and the
content hash of exactly what they saw. Each event also stores the digest of the event before it
and its own digest, so an event edited by hand no longer matches its digest and the chain shows
where. The reviewed content itself is kept beside the ledger in ``snapshots/<hash>.json`` so a
later change can be shown cell by cell; a snapshot is verified against the hash in its name.

Writes are atomic (b12spec.workspace.write_atomic) under a POSIX ``flock`` on the directory, as
the rest of the toolchain assumes Linux or macOS: a crash at any point leaves the previous ledger
in place, never a half-written one.

What this cannot detect: someone who rewrites the whole chain consistently, or drops the last
events. Version control is the anchor for that; the ledger is committed with the spec.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from b12spec.safeload import SPEC_LIMITS, DataFileError, Limits, parse_json, read_text
from b12spec.signoff.hashing import HASH_PREFIX, canonical_json, content_hash, hash_hex
from b12spec.workspace import write_atomic

LEDGER_DIR = "signoff"
LEDGER_FILE = "ledger.jsonl"
SNAPSHOT_DIR = "snapshots"
GENESIS = "0" * 64
ACTIONS = ("established", "submitted", "review_started", "changes_requested", "approved", "approval_withdrawn")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_HASH_PATTERN = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Event:
    """One line of the ledger."""

    seq: int
    subject: str
    action: str
    name: str
    role: str
    at: str
    note: str
    content_hash: str
    guideline_version: str
    prev: str
    key: str = ""  # fingerprint of the member's key that signed (see keys.py)
    digest: str = ""
    signature: str = ""  # the member's Ed25519 signature of the digest

    def body(self) -> dict[str, Any]:
        """Everything the digest covers: the whole event but the digest and the signature of it."""
        data = asdict(self)
        del data["digest"], data["signature"]
        return data

    def computed_digest(self) -> str:
        return hashlib.sha256(canonical_json(self.body())).hexdigest()

    def sealed(self) -> Event:
        """The event with its digest filled in."""
        return Event(**{**self.body(), "digest": self.computed_digest(), "signature": ""})

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True) + "\n"


@dataclass(frozen=True)
class LedgerProblem:
    """A line of the ledger (or a snapshot) that does not match its recorded hashes."""

    line: int | None
    subject: str | None
    message: str
    file: str
    kind: str = "signoff_tampered"

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class LedgerRead:
    """The events that can be trusted (the intact prefix) and every integrity problem found."""

    events: tuple[Event, ...]
    problems: tuple[LedgerProblem, ...]

    @property
    def last_digest(self) -> str:
        return self.events[-1].digest if self.events else GENESIS


def ledger_dir(spec_root: Path | str) -> Path:
    return Path(spec_root) / LEDGER_DIR


# Each event is under a kilobyte: 50 MB is tens of thousands of events, far beyond any board's history.
LEDGER_LIMITS = Limits(max_bytes=50_000_000, max_depth=SPEC_LIMITS.max_depth, max_nodes=SPEC_LIMITS.max_nodes)


def ledger_path(spec_root: Path | str) -> Path:
    return ledger_dir(spec_root) / LEDGER_FILE


def snapshot_path(spec_root: Path | str, digest: str) -> Path:
    return ledger_dir(spec_root) / SNAPSHOT_DIR / f"{hash_hex(digest)}.json"


def utc_text(moment: dt.datetime) -> str:
    """A timezone-aware moment as UTC ISO 8601 to the second; naive times are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the sign-off clock must give timezone-aware times (UTC)")
    return moment.astimezone(dt.UTC).strftime(TIME_FORMAT)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- reading


def _shown(path: Path, spec_root: Path) -> str:
    try:
        return str(path.relative_to(spec_root))
    except ValueError:
        return str(path)


def _parse_event(raw: Any) -> tuple[Event | None, str | None]:
    """An Event from a decoded line, or why it is not one."""
    if not isinstance(raw, dict):
        return None, "is not a JSON object"
    expected = dict(Event.__annotations__.items())
    missing = sorted(set(expected) - set(raw))
    extra = sorted(set(raw) - set(expected))
    if missing or extra:
        return None, f"has missing fields {missing} or unknown fields {extra}"
    for name in expected:
        want = int if name == "seq" else str
        if not isinstance(raw[name], want) or isinstance(raw[name], bool):
            return None, f"field {name!r} must be a {want.__name__}"
    return Event(**raw), None


def read_ledger(spec_root: Path | str) -> LedgerRead:
    """Read and verify the ledger; a missing ledger is an empty history (nothing signed off yet)."""
    root = Path(spec_root)
    path = ledger_path(root)
    shown = _shown(path, root)
    folder = ledger_dir(root)
    if folder.exists() and not folder.is_dir():  # read as "no ledger" it would sign off nothing, silently
        message = f"{_shown(folder, root)} is not a directory; nothing in the ledger can be read or trusted"
        return LedgerRead((), (LedgerProblem(None, None, message, _shown(folder, root)),))
    if not path.exists() and not path.is_symlink():
        return LedgerRead((), ())
    events: list[Event] = []
    problems: list[LedgerProblem] = []
    prev = GENESIS
    trusted = True
    try:
        # bounded, and only a regular file: a named pipe hung every command, /dev/zero filled memory
        text = read_text(path, LEDGER_LIMITS, shown)
    except DataFileError as error:
        message = f"the ledger cannot be read: it {error.detail}; nothing in it is trusted"
        problem = LedgerProblem(None, None, message, shown)
        return LedgerRead((), (problem,))
    # Split on "\n" only, exactly as append_event writes: str.splitlines() would also split inside
    # a note or name holding U+2028, U+2029 or U+0085, making the whole ledger unreadable.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found: list[str] = []
        event: Event | None = None
        try:
            event, why = _parse_event(parse_json(line, shown, SPEC_LIMITS))
        except DataFileError as error:
            why = f"is not valid JSON ({error.detail})"
        if event is None:
            found.append(f"the event {why}")
        else:
            found.extend(_event_problems(event, prev, len(events) + 1 if trusted else None))
        subject = event.subject if event else None
        for message in found:
            problems.append(LedgerProblem(number, subject, message, shown))
        if found:
            trusted = False
        if event is not None:
            prev = event.digest
            if trusted:
                events.append(event)
                problems.extend(_snapshot_problems(root, event, number))
    return LedgerRead(tuple(events), tuple(problems))


def _event_problems(event: Event, prev: str, expected_seq: int | None) -> list[str]:
    problems = []
    if event.digest != event.computed_digest():
        problems.append(
            f"event {event.seq} ({event.action} of {event.subject!r}) does not match its own digest: "
            "it was edited after it was recorded"
        )
    if event.prev != prev:
        problems.append(f"event {event.seq} does not follow the event before it (hash chain broken)")
    if expected_seq is not None and event.seq != expected_seq:
        problems.append(f"event number {event.seq} where {expected_seq} was expected (events removed or reordered)")
    if event.action not in ACTIONS:
        problems.append(f"unknown action {event.action!r}; allowed: {', '.join(ACTIONS)}")
    if not _TIME_PATTERN.match(event.at):
        problems.append(f"time {event.at!r} is not UTC ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)")
    if not _HASH_PATTERN.match(event.content_hash):
        problems.append(f"content hash {event.content_hash!r} is not {HASH_PREFIX}<64 hex digits>")
    if not event.name.strip() or not event.role.strip():
        problems.append("the reviewer's name and role are required")
    return problems


def _snapshot_problems(root: Path, event: Event, number: int) -> list[LedgerProblem]:
    path = snapshot_path(root, event.content_hash)
    shown = _shown(path, root)
    try:
        read_snapshot(root, event.content_hash)
    except FileNotFoundError:
        message = f"the snapshot of the reviewed content is missing ({shown})"
        return [LedgerProblem(number, event.subject, message, shown)]
    except ValueError as error:
        return [LedgerProblem(number, event.subject, str(error), shown)]
    return []


def read_snapshot(spec_root: Path | str, digest: str) -> Any:
    """The content reviewed under ``digest``; ValueError if the file no longer matches its hash."""
    path = snapshot_path(spec_root, digest)
    try:
        content = parse_json(read_text(path, SPEC_LIMITS, path.name), path.name, SPEC_LIMITS)
    except DataFileError as error:
        if not path.exists():
            raise FileNotFoundError(str(path)) from error
        raise ValueError(f"the snapshot {error}") from error
    if content_hash(content) != digest:
        raise ValueError(f"the snapshot {path.name} no longer matches the hash it is filed under: it was edited")
    return content


def leftover_temporary_files(spec_root: Path | str) -> tuple[str, ...]:
    """Temporary files an interrupted atomic write left behind (relative to the spec).

    They never count as part of the ledger (its readers open only ledger.jsonl and the snapshots
    named by hash), but they are reported so someone can delete them.
    """
    directory = ledger_dir(spec_root)
    # Any *.tmp, not only the writer's own .NAME.XXXX.tmp: another tool's leftover (or one renamed
    # by hand) lies beside the ledger just the same, and nothing else in signoff/ is temporary.
    patterns = ("*.tmp", f"{SNAPSHOT_DIR}/*.tmp")
    found = sorted({p for pattern in patterns for p in directory.glob(pattern)})
    return tuple(_shown(p, Path(spec_root)) for p in found)


# --------------------------------------------------------------------------- writing


@contextlib.contextmanager
def ledger_lock(spec_root: Path | str) -> Iterator[None]:
    """An exclusive lock on the ledger directory, so two writers cannot lose each other's event."""
    directory = ledger_dir(spec_root)
    directory.mkdir(parents=True, exist_ok=True)
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def write_snapshot(spec_root: Path | str, content: Any) -> str:
    """Store reviewed content under its hash (idempotent) and return the hash."""
    digest = content_hash(content)
    path = snapshot_path(spec_root, digest)
    if not path.exists():
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        write_atomic(path, text.encode("utf-8"))
    return digest


def append_event(spec_root: Path | str, event: Event) -> None:
    """Append one sealed event by rewriting the ledger atomically (old lines kept byte for byte)."""
    path = ledger_path(spec_root)
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    write_atomic(path, old + event.line().encode("utf-8"))
