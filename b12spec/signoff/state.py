"""Each table's sign-off state, derived from the ledger's history and the table's present content.

Nothing about state is stored: it is replayed from the events every time, so it cannot drift from
the ledger, and an approval counts only while the content still has the approved hash.

The replay trusts only the intact, legal prefix of the ledger (fail closed): from the first event
that fails its hash chain, is not signed by a member of the roster in force at that point, or
breaks the workflow, nothing later counts, and ``ledger_findings`` says why.

The roster in force is replayed too: the genesis event (the ledger's first, ``established``)
brings the first roster, and each approval that completes the quorum of a ``roster`` submission
replaces it with the approved content, from the next event on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b12spec.model import Spec
from b12spec.signoff.hashing import GUIDELINE, ContentReader
from b12spec.signoff.keys import verify
from b12spec.signoff.ledger import Event, LedgerProblem, ledger_path, read_ledger, read_snapshot
from b12spec.signoff.machine import (
    APPROVED,
    ESTABLISHED,
    UNDER_REVIEW,
    VERB_OF,
    History,
    advance,
    allowed_verbs,
    refusal,
)
from b12spec.signoff.roster import ROSTER, Roster, RosterInvalid, parse_roster


@dataclass(frozen=True)
class TableState:
    """What a badge shows: the state, who moved it there and when, and whether content moved since."""

    table: str
    state: str
    reviewer: str | None
    role: str | None
    date: str | None
    note: str | None
    changed_since_approval: bool
    approved_hash: str | None
    current_hash: str
    approvers: tuple[str, ...] = ()  # names of the members whose approval counts now
    quorum: int | None = None  # approvals needed, from the roster in force

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Replay:
    """The ledger replayed: each subject's history (trusted events only) and every problem found."""

    histories: dict[str, History]
    events: tuple[Event, ...]
    problems: tuple[LedgerProblem, ...]
    roster: Roster | None = None  # in force after the trusted events; None before the genesis
    genesis: Event | None = None

    def history(self, subject: str) -> History:
        return self.histories.get(subject, History(subject))

    @property
    def trustworthy(self) -> bool:
        return not self.problems


def replay(spec_root: Path | str) -> Replay:
    """Fold the ledger's trusted events into histories, stopping at the first untrusted one."""
    read = read_ledger(spec_root)
    problems = list(read.problems)
    histories: dict[str, History] = {}
    trusted: list[Event] = []
    roster: Roster | None = None
    shown = str(Path(ledger_path(spec_root)).relative_to(Path(spec_root)))
    for event in read.events:
        history = histories.get(event.subject, History(event.subject))
        signer_roster, found = _signer_roster(spec_root, event, roster, first=not trusted)
        kind, why = found or ("signoff_illegal_history", None)
        if why is None and signer_roster is not None:
            found = _signature_problem(event, signer_roster)
            if found:
                kind, why = found
        if why is None:
            why = refusal(history, event.action, event.content_hash, event.key)
            if why is None and event.subject == GUIDELINE and event.action == "approved":
                why = _historic_release_problem(spec_root, event, histories)
            if why is not None:
                why = (
                    f"event {event.seq} records '{VERB_OF.get(event.action, event.action)}' of {event.subject!r} "
                    f"in state {history.state}, which the workflow does not allow ({why})"
                )
        if why is not None:
            problems.append(
                LedgerProblem(None, event.subject, f"{why}; this event and all later ones are not trusted", shown, kind)
            )
            break
        assert signer_roster is not None
        advanced = advance(history, event, signer_roster.quorum)
        if event.subject == ROSTER and advanced.state == APPROVED and advanced.approval is event:
            try:  # from the next event on, this roster is in force
                roster = parse_roster(read_snapshot(spec_root, event.content_hash))
            except (FileNotFoundError, ValueError, RosterInvalid) as error:
                message = (
                    f"event {event.seq} puts in force a roster that cannot be used ({error}); "
                    "this event and all later ones are not trusted"
                )
                problems.append(LedgerProblem(None, ROSTER, message, shown, "signoff_roster"))
                break
        histories[event.subject] = advanced
        trusted.append(event)
    return Replay(histories, tuple(trusted), tuple(problems), roster, trusted[0] if trusted else None)


def _signer_roster(
    spec_root: Path | str, event: Event, roster: Roster | None, first: bool
) -> tuple[Roster | None, tuple[str, str] | None]:
    """The roster whose members may sign ``event`` (the genesis brings its own), or why none."""
    genesis = event.subject == ROSTER and event.action == ESTABLISHED
    if first and not genesis:
        return None, (
            "signoff_no_genesis",
            f"event {event.seq} ('{VERB_OF.get(event.action, event.action)}' of {event.subject!r}) comes first, "
            "but the ledger must start with the genesis event that establishes the board roster",
        )
    if event.action == ESTABLISHED and not genesis:
        return None, ("signoff_illegal_history", f"event {event.seq} establishes {event.subject!r}; only the roster is")
    if not genesis or not first:
        return roster, None
    try:
        return parse_roster(read_snapshot(spec_root, event.content_hash)), None
    except (FileNotFoundError, ValueError, RosterInvalid) as error:
        return None, ("signoff_roster", f"the genesis event establishes a roster that cannot be used ({error})")


def _signature_problem(event: Event, roster: Roster) -> tuple[str, str] | None:
    """(kind, why) when ``event`` is not signed by a member of ``roster`` as who it names."""
    what = f"event {event.seq} ('{VERB_OF.get(event.action, event.action)}' of {event.subject!r})"
    if not event.signature or not event.key:
        return "signoff_unsigned", f"{what} is not signed"
    member = roster.member(event.key)
    if member is None:
        return "signoff_not_a_member", (
            f"{what} is signed by key {event.key}, which is not on the board roster in force at that event"
        )
    if not verify(member.key, event.digest, event.signature):
        return "signoff_forged", (
            f"{what}: the signature does not verify with the key of {member.name} ({member.fingerprint}); "
            "it is forged, or the event was altered after it was signed"
        )
    if (event.name, event.role) != (member.name, member.role):
        return "signoff_forged", (
            f"{what} names {event.name} ({event.role}), but its key is {member.name}'s ({member.role})"
        )
    return None


def _historic_release_problem(spec_root: Path | str, event: Event, histories: dict[str, History]) -> str | None:
    """A recorded guideline approval must have found every table approved at the content it lists."""
    try:
        content = read_snapshot(spec_root, event.content_hash)
    except (FileNotFoundError, ValueError):
        return None  # reported as a snapshot problem already
    behind = [
        name
        for name, digest in sorted((content.get("tables") or {}).items())
        if (h := histories.get(name)) is None
        or h.state != APPROVED
        or h.approval is None
        or h.approval.content_hash != digest
    ]
    if behind:
        return "tables not approved at that content: " + ", ".join(behind)
    return None


def subject_state(subject: str, history: History, present_hash: str, quorum: int | None = None) -> TableState:
    """The TableState of one subject given its history and present content hash."""
    state = history.present_state(present_hash)
    shown = history.last  # for changed_since_approval this is the approval: nothing was recorded since
    approved_hash = history.approval.content_hash if history.approval else None
    standing = history.approved_by if history.state == APPROVED else history.approvals
    return TableState(
        table=subject,
        state=state,
        reviewer=shown.name if shown else None,
        role=shown.role if shown else None,
        date=shown.at if shown else None,
        note=shown.note if shown else None,
        changed_since_approval=approved_hash is not None and approved_hash != present_hash,
        approved_hash=approved_hash,
        current_hash=present_hash,
        approvers=tuple(e.name for e in standing) if history.state in (APPROVED, UNDER_REVIEW) else (),
        quorum=quorum,
    )


def table_states(
    spec: Spec, *, _replay: Replay | None = None, _reader: ContentReader | None = None
) -> dict[str, TableState]:
    """Every table's state, in the spec's table order."""
    history = _replay or replay(spec.root)
    reader = _reader or ContentReader(spec)
    return {
        table.name: subject_state(table.name, history.history(table.name), reader.table_hash(table), _quorum(history))
        for table in spec.tables
    }


def guideline_state(spec: Spec, *, _replay: Replay | None = None, _reader: ContentReader | None = None) -> TableState:
    """The state of the guideline as a whole (``table == "guideline"``)."""
    history = _replay or replay(spec.root)
    reader = _reader or ContentReader(spec)
    return subject_state(GUIDELINE, history.history(GUIDELINE), reader.hash(GUIDELINE), _quorum(history))


def roster_state(spec: Spec, *, _replay: Replay | None = None) -> TableState:
    """The state of spec/signoff/roster.yaml: approved while it is the roster in force."""
    history = _replay or replay(spec.root)
    return subject_state(ROSTER, history.history(ROSTER), ContentReader(spec).hash(ROSTER), _quorum(history))


def _quorum(history: Replay) -> int | None:
    return history.roster.quorum if history.roster else None


def release_blockers(spec: Spec, states: dict[str, TableState] | None = None) -> list[TableState]:
    """The tables that keep the guideline from being approved: not approved at present content."""
    states = states if states is not None else table_states(spec)
    return [s for s in states.values() if s.state != APPROVED]


def next_actions(spec: Spec) -> dict[str, list[str]]:
    """For each table and ``guideline``, the sign-off verbs the workflow accepts now.

    Workflow only: approving the guideline also needs every table approved (see release_blockers).
    """
    history = replay(spec.root)
    reader = ContentReader(spec)
    subjects = [t.name for t in spec.tables]
    result = {name: allowed_verbs(history.history(name), reader.table_hash(spec.table(name))) for name in subjects}
    result[GUIDELINE] = allowed_verbs(history.history(GUIDELINE), reader.hash(GUIDELINE))
    return result
