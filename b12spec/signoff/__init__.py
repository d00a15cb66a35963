"""Advisory-board sign-off bound to the exact content reviewed.

The ledger (spec/signoff/ledger.jsonl) records who submitted, reviewed, asked for changes to and
approved each table and the guideline, with the hash of exactly what they saw; states are derived
from it and from the present content, so any later change visibly reopens review.

Public API (the site and ``b12spec check`` use these names):
``table_states``, ``guideline_state``, ``changes_since_approval``, ``TableState``, ``CellChange``,
``ledger_findings``; ``record`` performs one sign-off action.
"""

from b12spec.signoff.diff import CellChange, changes_since_approval
from b12spec.signoff.errors import LedgerTampered, SignoffError, SignoffRefused
from b12spec.signoff.findings import ledger_findings
from b12spec.signoff.record import record
from b12spec.signoff.state import TableState, guideline_state, release_blockers, table_states

__all__ = [
    "CellChange",
    "LedgerTampered",
    "SignoffError",
    "SignoffRefused",
    "TableState",
    "changes_since_approval",
    "guideline_state",
    "ledger_findings",
    "record",
    "release_blockers",
    "table_states",
]
