"""Sign-off state for the site, read through the ``b12spec.signoff`` API.

``b12spec docs`` passes ``signoff_view`` to the site build. Its errors propagate: a broken
ledger must be fixed, not hidden behind a friendly badge. The site never makes a state up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from b12spec import signoff
from b12spec.model import Spec

STATE_WORDS = {
    "draft": "Draft",
    "submitted": "Submitted for review",
    "under_review": "Under review",
    "changes_requested": "Changes requested",
    "approved": "Approved",
    "changed_since_approval": "Changed since approval",
}
NOT_RECORDED = "No sign-off recorded"


@dataclass(frozen=True)
class SignoffView:
    """What the site shows about sign-off: per table, the guideline, and the cell changes."""

    available: bool
    tables: dict[str, Any] = field(default_factory=dict)
    guideline: Any = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    allowed: dict[str, list[str]] = field(default_factory=dict)
    behaviour: dict[str, Any] = field(default_factory=dict)  # table -> input regions whose answer changed

    def state_of(self, table: str) -> str | None:
        state = self.tables.get(table)
        return None if state is None else str(state.state)

    def changed_rules(self, table: str) -> set[str]:
        return {str(change.rule) for change in self.changes.get(table, []) if change.rule}

    def panel(self, subject: str) -> SignoffPanel:
        """What the sign-off panel of a table page (or ``guideline``) shows."""
        state = self.guideline if subject == GUIDELINE else self.tables.get(subject)
        if state is None:
            return SignoffPanel(subject, None)
        data = state.to_dict() if hasattr(state, "to_dict") else dict(vars(state))
        extras = tuple((k, v) for k, v in data.items() if k not in PANEL_FIELDS and v not in (None, "", [], {}, ()))
        return SignoffPanel(
            subject,
            str(state.state),
            reviewer=state.reviewer,
            role=state.role,
            date=state.date,
            note=state.note,
            current_hash=state.current_hash,
            approved_hash=state.approved_hash,
            changes=tuple(self.changes.get(subject, [])),
            allowed=tuple(self.allowed.get(subject, [])),
            extras=extras,
            approvers=tuple(getattr(state, "approvers", ()) or ()),
            quorum=getattr(state, "quorum", None),
        )


# The fields a panel lays out itself; any other field the sign-off state offers is listed as it is.
PANEL_FIELDS = (
    "table", "state", "reviewer", "role", "date", "note", "current_hash", "approved_hash", "changed_since_approval",
    "approvers", "quorum",
)
# The verbs still to record, from each state, before the subject is approved (see signoff/machine.py).
TO_APPROVAL = {
    "draft": ("submit", "start-review", "approve"),
    "changes_requested": ("submit", "start-review", "approve"),
    "changed_since_approval": ("submit", "start-review", "approve"),
    "submitted": ("start-review", "approve"),
    "under_review": ("approve",),
    "approved": (),
}
GUIDELINE = "guideline"


@dataclass(frozen=True)
class SignoffPanel:
    """A subject's sign-off as the panel shows it, with the commands that lead to its approval."""

    subject: str
    state: str | None
    reviewer: str | None = None
    role: str | None = None
    date: str | None = None
    note: str | None = None
    current_hash: str | None = None
    approved_hash: str | None = None
    changes: tuple[Any, ...] = ()
    allowed: tuple[str, ...] = ()
    extras: tuple[tuple[str, Any], ...] = ()
    approvers: tuple[str, ...] = ()
    quorum: int | None = None

    @property
    def commands(self) -> tuple[str, ...]:
        """The exact commands, in order, that take the subject from its present state to approved."""
        if self.state is None:
            return ()
        steps = TO_APPROVAL.get(self.state, ("approve",))
        return tuple(
            f"b12spec signoff {verb} {self.subject} --key YOUR-KEY-FILE" for verb in steps
        )


def signoff_view(spec: Spec) -> SignoffView:
    """Every table's state, the guideline's, and the changes since approval of each changed one."""
    states = dict(signoff.table_states(spec))
    guideline = signoff.guideline_state(spec)
    subjects = {**states, str(guideline.table): guideline}
    changes = {
        name: list(signoff.changes_since_approval(spec, name))
        for name, state in subjects.items()
        if state.changed_since_approval
    }
    behaviour = {
        name: found
        for name in changes
        if name in states and (found := signoff.behaviour_since_approval(spec, name)) is not None
    }
    allowed = dict(signoff.next_actions(spec))
    return SignoffView(True, states, guideline, changes, allowed=allowed, behaviour=behaviour)


def state_words(state: str | None) -> str:
    return NOT_RECORDED if state is None else STATE_WORDS.get(state, state)
