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
    behaviour: dict[str, Any] = field(default_factory=dict)  # table -> input regions whose answer changed

    def state_of(self, table: str) -> str | None:
        state = self.tables.get(table)
        return None if state is None else str(state.state)

    def changed_rules(self, table: str) -> set[str]:
        return {str(change.rule) for change in self.changes.get(table, []) if change.rule}


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
    return SignoffView(True, states, guideline, changes, behaviour)


def state_words(state: str | None) -> str:
    return NOT_RECORDED if state is None else STATE_WORDS.get(state, state)
