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
    behaviour: dict[str, Any] = field(default_factory=dict)  # table -> input regions whose answer changed

    def state_of(self, table: str) -> str | None:
        state = self.tables.get(table)
        return None if state is None else str(state.state)

    def changed_rules(self, table: str) -> set[str]:
        return {str(change.rule) for change in self.changes.get(table, []) if change.rule}


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
    return SignoffView(True, states, guideline, changes, behaviour)


def state_words(state: str | None) -> str:
    return NOT_RECORDED if state is None else STATE_WORDS.get(state, state)
