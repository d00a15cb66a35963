"""Advisory-board sign-off bound to the exact content reviewed.

The ledger (spec/signoff/ledger.jsonl) records who submitted, reviewed, asked for changes to and
approved each table and the guideline, with the hash of exactly what they saw; states are derived
from it and from the present content, so any later change visibly reopens review.

Public API (the site and ``b12spec check`` use these names):
``table_states``, ``guideline_state``, ``changes_since_approval``, ``behaviour_since_approval``,
``TableState``, ``CellChange``,
``ledger_findings``; ``record`` performs one signed sign-off action, ``establish`` the genesis.
"""

from b12spec.signoff.behaviour import Behaviour, RegionChange, behaviour_since_approval
from b12spec.signoff.diff import CellChange, changes_since_approval
from b12spec.signoff.errors import LedgerTampered, SignoffError, SignoffRefused
from b12spec.signoff.findings import ledger_findings
from b12spec.signoff.keys import SigningKey, load_signing_key, new_key_file
from b12spec.signoff.record import establish, record
from b12spec.signoff.roster import Roster, RosterInvalid
from b12spec.signoff.state import (
    TableState,
    guideline_state,
    next_actions,
    release_blockers,
    roster_state,
    table_states,
)

__all__ = [
    "Behaviour",
    "CellChange",
    "LedgerTampered",
    "RegionChange",
    "Roster",
    "RosterInvalid",
    "SigningKey",
    "SignoffError",
    "SignoffRefused",
    "TableState",
    "behaviour_since_approval",
    "changes_since_approval",
    "establish",
    "guideline_state",
    "ledger_findings",
    "load_signing_key",
    "new_key_file",
    "next_actions",
    "record",
    "release_blockers",
    "roster_state",
    "table_states",
]
