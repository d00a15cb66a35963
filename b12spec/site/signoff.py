"""Sign-off state for the site, read through the ``b12spec.signoff`` API when it is installed.

When that module is absent the site says "no sign-off recorded" for every table; it never makes
a state up. When the module is present its errors propagate: a broken ledger must be fixed, not
hidden behind a friendly badge.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

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


def _module() -> Any | None:
    """The sign-off module, or None when it is not part of this installation."""
    found = importlib.util.find_spec("b12spec.signoff")
    if found is None or found.origin in (None, "namespace"):
        return None  # absent, or a directory without __init__.py: not a module yet
    return importlib.import_module("b12spec.signoff")


def load_signoff(spec: Spec) -> SignoffView:
    """Ask ``b12spec.signoff`` for every table's state and its changes since approval."""
    module = _module()
    if module is None:
        return SignoffView(available=False)
    states = dict(module.table_states(spec))
    guideline = module.guideline_state(spec)
    subjects = {**states, str(guideline.table): guideline}
    changes = {
        name: list(module.changes_since_approval(spec, name))
        for name, state in subjects.items()
        if state.changed_since_approval
    }
    behaviour_of = getattr(module, "behaviour_since_approval", None)
    behaviour = {
        name: found
        for name in changes
        if name in states and behaviour_of is not None and (found := behaviour_of(spec, name)) is not None
    }
    state_module = importlib.import_module("b12spec.signoff.state")
    next_actions = getattr(state_module, "next_actions", None)
    allowed = dict(next_actions(spec)) if next_actions is not None else {}
    return SignoffView(True, states, guideline, changes, allowed=allowed, behaviour=behaviour)


def state_words(state: str | None) -> str:
    return NOT_RECORDED if state is None else STATE_WORDS.get(state, state)
