"""Recording a sign-off action: the checks that make an approval mean what it says, then the write.

Every refusal names the subject, its current state and what is allowed instead, because the
person reading it is a board member at a command line, not a developer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from b12spec.documents import SEMVER
from b12spec.model import Spec
from b12spec.signoff.anchor import anchor_problems
from b12spec.signoff.errors import LedgerTampered, SignoffRefused
from b12spec.signoff.hashing import GUIDELINE, SUBJECTS_NOT_TABLES, ContentReader, content_hash
from b12spec.signoff.keys import SigningKey
from b12spec.signoff.ledger import (
    GENESIS,
    Event,
    append_event,
    ledger_lock,
    read_ledger,
    read_snapshot,
    utc_now,
    utc_text,
    write_snapshot,
)
from b12spec.signoff.machine import ESTABLISHED, VERBS, allowed_verbs, refusal
from b12spec.signoff.roster import ROSTER, Member, Roster, RosterInvalid, parse_roster, roster_content
from b12spec.signoff.state import Replay, release_blockers, replay, subject_state, table_states

Clock = Callable[[], datetime]


def _label(subject: str) -> str:
    return {GUIDELINE: "the guideline", ROSTER: "the board roster"}.get(subject, f"table {subject!r}")


def record(
    spec: Spec,
    subject: str,
    verb: str,
    key: SigningKey,
    note: str = "",
    clock: Clock = utc_now,
) -> Event:
    """Check and append one signed sign-off event; raises SignoffRefused or LedgerTampered, writes
    nothing then.

    ``verb`` is a command verb (submit, start-review, request-changes, approve, withdraw);
    ``subject`` a table name, ``"guideline"`` or ``"roster"``; ``key`` the acting member's key:
    their name and role are the roster's, so nobody can act under another name.
    """
    if verb not in VERBS:
        raise SignoffRefused(f"unknown sign-off action {verb!r}; allowed: {', '.join(VERBS)}")
    names = [t.name for t in spec.tables]
    if subject not in SUBJECTS_NOT_TABLES and subject not in names:
        raise SignoffRefused(
            f"cannot {verb} {subject!r}: there is no such table; known tables: {', '.join(names)} "
            f"(or {GUIDELINE!r} for the whole guideline, {ROSTER!r} for the board roster)"
        )
    note = _note_text(note)
    if verb in ("request-changes", "withdraw") and not note:
        what = "request changes to" if verb == "request-changes" else "withdraw an approval of"
        raise SignoffRefused(f"cannot {what} {_label(subject)} without saying why: give --note")
    with ledger_lock(spec.root):
        history_all = _trusted_replay(spec)
        if history_all.roster is None:
            raise SignoffRefused(
                f"cannot {verb} {_label(subject)}: the board has no roster in force yet (signoff/ledger.jsonl "
                "holds no genesis event); a founding member "
                "establishes it first with 'b12spec signoff establish --key FILE' (see spec/signoff/README.md)"
            )
        member = _member(history_all.roster, key, f"{verb} {_label(subject)}")
        reader = ContentReader(spec)
        content = reader.content(subject)
        present = reader.hash(subject)
        history = history_all.history(subject)
        action = VERBS[verb]
        on = present
        if action == "approval_withdrawn":
            standing = history.standing_approval(key.fingerprint)
            if standing is not None:
                on = standing.content_hash
                content = read_snapshot(spec.root, on)
        reasons = [refusal(history, action, on, key.fingerprint)]
        if subject == GUIDELINE:
            reasons.append(_release_problem(spec, verb, history_all, reader))
        if subject == ROSTER and verb == "submit":
            reasons.append(_roster_problem(content))
        why = "; and ".join(r for r in reasons if r)
        if why:
            state = subject_state(subject, history, present).state
            allowed = allowed_verbs(history, present)
            raise SignoffRefused(
                f"cannot {verb} {_label(subject)} as {member.name}: {why}. Current state: {state}; "
                f"allowed now: {', '.join(allowed) if allowed else 'nothing (it is approved at its present content)'}"
            )
        return _append(spec, history_all, subject, action, member, key, note, content, on, clock)


def establish(spec: Spec, key: SigningKey, note: str = "", clock: Clock = utc_now) -> Event:
    """Record the genesis event: roster.yaml as it is now becomes the first roster in force.

    Allowed only on an empty ledger, and only by a member that roster lists. This is the trust
    anchor of the whole ledger (see spec/signoff/README.md): the founding members confirm its
    digest with one another outside the repository, and the repository's history pins it.
    """
    with ledger_lock(spec.root):
        read = read_ledger(spec.root)
        if read.events or read.problems:
            raise SignoffRefused(
                "cannot establish the board roster: the ledger already has events, and only its first event "
                "establishes a roster; change roster.yaml and have the board approve it ('signoff submit roster')"
            )
        content = roster_content(spec.root)
        roster = parse_roster(content)
        member = _member(roster, key, "establish the board roster", in_force=False)
        history_all = replay(spec.root)
        return _append(
            spec, history_all, ROSTER, ESTABLISHED, member, key, _note_text(note), content, content_hash(content), clock
        )


def _note_text(note: str) -> str:
    """The note as it will read back, or a refusal: a byte of ``--note`` that is not UTF-8 reaches
    Python as a lone surrogate, which no UTF-8 ledger line can hold (sealing it crashed)."""
    note = note.strip()
    bad = next((i for i, ch in enumerate(note) if "\ud800" <= ch <= "\udfff"), None)
    if bad is not None:
        raise SignoffRefused(
            f"the note is not UTF-8 text (character {bad + 1} is an undecodable byte); give it as UTF-8 text"
        )
    return note


def _trusted_replay(spec: Spec) -> Replay:
    history_all = replay(spec.root)
    problems = [str(p) for p in history_all.problems] + [str(p) for p in anchor_problems(spec.root)]
    if problems:
        raise LedgerTampered(problems)
    return history_all


def _member(roster: Roster, key: SigningKey, doing: str, in_force: bool = True) -> Member:
    member = roster.member(key.fingerprint)
    if member is None:
        which = "the board roster in force" if in_force else "roster.yaml"
        listed = ", ".join(m.name for m in roster.members)
        raise SignoffRefused(
            f"cannot {doing}: the key {key.fingerprint} is not on {which} (members: {listed}); a new member is "
            "added by changing roster.yaml and having the board approve it ('signoff submit roster')"
        )
    return member


def _roster_problem(content: dict[str, Any]) -> str | None:
    try:
        parse_roster(content)
    except RosterInvalid as error:
        return "; ".join(error.problems)
    return None


def _append(
    spec: Spec,
    history_all: Replay,
    subject: str,
    action: str,
    member: Member,
    key: SigningKey,
    note: str,
    content: dict[str, Any],
    on: str,
    clock: Clock,
) -> Event:
    """Seal, sign and append one event (the snapshot of its content first)."""
    at = utc_text(clock())  # before any write: a bad clock must leave nothing behind
    write_snapshot(spec.root, content)
    last = history_all.events[-1] if history_all.events else None
    event = Event(
        seq=(last.seq + 1) if last else 1,
        subject=subject,
        action=action,
        name=member.name,
        role=member.role,
        at=at,
        note=note,
        content_hash=on,
        guideline_version=spec.guideline.version,
        prev=last.digest if last else GENESIS,
        key=key.fingerprint,
    ).sealed()
    signed = replace(event, signature=key.sign(event.digest))
    append_event(spec.root, signed)
    return signed


def _release_problem(spec: Spec, verb: str, history: Replay, reader: ContentReader) -> str | None:
    """The guideline is released only as a valid, new version whose tables are all approved as they are."""
    if verb not in ("submit", "approve"):
        return None
    version = spec.guideline.version
    if not SEMVER.match(version):
        return f"its version {version!r} in guideline.yaml is not a semantic version (MAJOR.MINOR.PATCH)"
    released = [e.guideline_version for e in history.history(GUIDELINE).released if SEMVER.match(e.guideline_version)]
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


def _semver_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
    """Order of semantic versions (semver.org, rule 11): a pre-release sorts before its release,
    and its dot-separated identifiers compare one by one, numbers as numbers (rc.2 < rc.10),
    numbers before words, a shorter list first when all else is equal."""
    core, _, rest = version.partition("+")[0].partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    identifiers = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in rest.split(".")) if rest else ()
    return (major, minor, patch, 0 if rest else 1, identifiers)
