"""The sign-off ledger's part in ``b12spec check``.

``b12spec.verify.check`` imports this module when present and runs every analyzer in
``ANALYZERS``; a tampered ledger or an illegal history is an error, so ``check`` exits 1.
"""

from __future__ import annotations

from b12spec.signoff.findings import ledger_findings

ANALYZERS = [ledger_findings]
