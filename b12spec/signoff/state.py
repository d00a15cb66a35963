"""Each table's sign-off state, derived from the ledger's history and the table's present content.

Nothing about state is stored: it is replayed from the events every time, so it cannot drift from
the ledger, and an approval counts only while the content still has the approved hash.

The replay trusts only the intact, legal prefix of the ledger (fail closed): from the first event
that fails its hash chain or breaks the workflow, nothing later counts, and ``ledger_findings``
says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b12spec.model import Spec
from b12spec.signoff.hashing import GUIDELINE, ContentReader
from b12spec.signoff.ledger import Event, LedgerProblem, ledger_path, read_ledger, read_snapshot
from b12spec.signoff.machine import APPROVED, VERB_OF, History, advance, allowed_verbs, refusal


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

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Replay:
    """The ledger replayed: each subject's history (trusted events only) and every problem found."""

    histories: dict[str, History]
    events: tuple[Event, ...]
    problems: tuple[LedgerProblem, ...]

    def history(self, subject: str) -> History:
        return self.histories.get(subject, History(subject))

    @property
    def trustworthy(self) -> bool:
        return not self.problems


def replay(spec_root: Path | str) -> Replay:
    """Fold the ledger's trusted events into histories, stopping at the first illegal one."""
    read = read_ledger(spec_root)
    problems = list(read.problems)
    histories: dict[str, History] = {}
    trusted: list[Event] = []
    shown = str(Path(ledger_path(spec_root)).relative_to(Path(spec_root)))
    for event in read.events:
        history = histories.get(event.subject, History(event.subject))
        why = refusal(history, event.action, event.content_hash)
        if why is None and event.subject == GUIDELINE and event.action == "approved":
            why = _historic_release_problem(spec_root, event, histories)
        if why is not None:
            problems.append(
                LedgerProblem(
                    None,
                    event.subject,
                    f"event {event.seq} records '{VERB_OF.get(event.action, event.action)}' of {event.subject!r} "
                    f"in state {history.state}, which the workflow does not allow ({why}); this event and all "
                    "later ones are not trusted",
                    shown,
                    kind="signoff_illegal_history",
                )
            )
            break
        histories[event.subject] = advance(history, event)
        trusted.append(event)
    return Replay(histories, tuple(trusted), tuple(problems))


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


def subject_state(subject: str, history: History, present_hash: str) -> TableState:
    """The TableState of one subject given its history and present content hash."""
    state = history.present_state(present_hash)
    shown = history.last  # for changed_since_approval this is the approval: nothing was recorded since
    approved_hash = history.approval.content_hash if history.approval else None
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
    )


def table_states(
    spec: Spec, *, _replay: Replay | None = None, _reader: ContentReader | None = None
) -> dict[str, TableState]:
    """Every table's state, in the spec's table order."""
    history = _replay or replay(spec.root)
    reader = _reader or ContentReader(spec)
    return {
        table.name: subject_state(table.name, history.history(table.name), reader.table_hash(table))
        for table in spec.tables
    }


def guideline_state(spec: Spec, *, _replay: Replay | None = None, _reader: ContentReader | None = None) -> TableState:
    """The state of the guideline as a whole (``table == "guideline"``)."""
    history = _replay or replay(spec.root)
    reader = _reader or ContentReader(spec)
    return subject_state(GUIDELINE, history.history(GUIDELINE), reader.hash(GUIDELINE))


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
