"""Recording a sign-off action: the checks that make an approval mean what it says, then the write.

Every refusal names the subject, its current state and what is allowed instead, because the
person reading it is a board member at a command line, not a developer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from b12spec.model import Spec
from b12spec.signoff.errors import LedgerTampered, SignoffRefused
from b12spec.signoff.hashing import GUIDELINE, ContentReader
from b12spec.signoff.ledger import (
    GENESIS,
    Event,
    append_event,
    ledger_lock,
    utc_now,
    utc_text,
    write_snapshot,
)
from b12spec.signoff.machine import VERBS, allowed_verbs, refusal
from b12spec.signoff.state import Replay, release_blockers, replay, subject_state, table_states

Clock = Callable[[], datetime]
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def _label(subject: str) -> str:
    return "the guideline" if subject == GUIDELINE else f"table {subject!r}"


def record(
    spec: Spec,
    subject: str,
    verb: str,
    reviewer: str,
    role: str,
    note: str = "",
    clock: Clock = utc_now,
) -> Event:
    """Check and append one sign-off event; raises SignoffRefused or LedgerTampered, writes nothing then.

    ``verb`` is a command verb (submit, start-review, request-changes, approve); ``subject`` a table
    name or ``"guideline"``.
    """
    if verb not in VERBS:
        raise SignoffRefused(f"unknown sign-off action {verb!r}; allowed: {', '.join(VERBS)}")
    names = [t.name for t in spec.tables]
    if subject != GUIDELINE and subject not in names:
        raise SignoffRefused(
            f"cannot {verb} {subject!r}: there is no such table; known tables: {', '.join(names)} "
            f"(or {GUIDELINE!r} for the whole guideline)"
        )
    reviewer, role, note = reviewer.strip(), role.strip(), note.strip()
    missing = [what for what, value in (("reviewer name", reviewer), ("role", role)) if not value]
    if missing:
        raise SignoffRefused(
            f"cannot {verb} {_label(subject)}: the {' and '.join(missing)} must not be empty; "
            "every sign-off event records who acted and in which role"
        )
    if verb == "request-changes" and not note:
        raise SignoffRefused(f"cannot request changes to {_label(subject)} without saying which: give --note")
    with ledger_lock(spec.root):
        history_all = replay(spec.root)
        if not history_all.trustworthy:
            raise LedgerTampered([str(p) for p in history_all.problems])
        reader = ContentReader(spec)
        content = reader.content(subject)
        present = reader.hash(subject)
        history = history_all.history(subject)
        action = VERBS[verb]
        reasons = [refusal(history, action, present)]
        if subject == GUIDELINE:
            reasons.append(_release_problem(spec, verb, history_all, reader))
        why = "; and ".join(r for r in reasons if r)
        if why:
            state = subject_state(subject, history, present).state
            allowed = allowed_verbs(history, present)
            raise SignoffRefused(
                f"cannot {verb} {_label(subject)}: {why}. Current state: {state}; "
                f"allowed now: {', '.join(allowed) if allowed else 'nothing (it is approved at its present content)'}"
            )
        at = utc_text(clock())  # before any write: a bad clock must leave nothing behind
        write_snapshot(spec.root, content)
        last = history_all.events[-1] if history_all.events else None
        event = Event(
            seq=(last.seq + 1) if last else 1,
            subject=subject,
            action=action,
            name=reviewer,
            role=role,
            at=at,
            note=note,
            content_hash=present,
            guideline_version=spec.guideline.version,
            prev=last.digest if last else GENESIS,
        ).sealed()
        append_event(spec.root, event)
        return event


def _release_problem(spec: Spec, verb: str, history: Replay, reader: ContentReader) -> str | None:
    """The guideline is released only as a valid, new version whose tables are all approved as they are."""
    if verb not in ("submit", "approve"):
        return None
    version = spec.guideline.version
    if not _SEMVER.match(version):
        return f"its version {version!r} in guideline.yaml is not a semantic version (MAJOR.MINOR.PATCH)"
    released = [
        e.guideline_version
        for e in history.events
        if e.subject == GUIDELINE and e.action == "approved" and _SEMVER.match(e.guideline_version)
    ]
    if released:
        latest = max(released, key=_semver_key)
        if _semver_key(version) <= _semver_key(latest):
            return (
                f"version {version} is not newer than the last approved version {latest}; "
                "raise the version in guideline.yaml"
            )
    if verb != "approve":
        return None
    states = table_states(spec, _replay=history, _reader=reader)
    blockers = release_blockers(spec, states)
    if blockers:
        listed = "; ".join(f"{s.table} ({s.state})" for s in blockers)
        return f"every table must be approved at its present content first; not approved: {listed}"
    return None


def _semver_key(version: str) -> tuple[int, int, int, int, str]:
    """Order of semantic versions: a pre-release sorts before its release."""
    core, _, rest = version.partition("+")[0].partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    return (major, minor, patch, 0 if rest else 1, rest)
