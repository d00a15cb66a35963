"""The sign-off ledger's part in ``b12spec check``: its findings as check findings.

``b12spec.verify.check`` imports this module when present and runs every analyzer in
``ANALYZERS``; a tampered ledger or an illegal history is an error, so ``check`` exits 1.
"""

from __future__ import annotations

from collections.abc import Iterable

from b12spec.model import Spec
from b12spec.signoff.findings import ledger_findings
from b12spec.verify.findings import Finding


def signoff_analyzer(spec: Spec) -> Iterable[Finding]:
    """Integrity and workflow findings of spec/signoff/ (see b12spec.signoff.findings)."""
    return [
        Finding(
            kind=found.kind,
            severity=found.severity,
            message=found.message,
            table=found.table,
            file=found.file,
            rules=found.rules,
            witness=found.witness,
        )
        for found in ledger_findings(spec)
    ]


ANALYZERS = [signoff_analyzer]
