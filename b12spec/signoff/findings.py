"""What ``b12spec check`` reports about the sign-off ledger, in the shape of reports/check.json.

A ledger whose events or snapshots no longer match their recorded hashes, or whose history breaks
the workflow, is an error (``check`` exits 1). Events about a table the spec no longer has are a
warning: the history is kept, but it signs off nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from b12spec.model import Spec
from b12spec.signoff.hashing import GUIDELINE
from b12spec.signoff.state import replay


@dataclass(frozen=True)
class LedgerFinding:
    """One finding, with the fields of a reports/check.json finding."""

    kind: str
    severity: str
    message: str
    table: str | None = None
    file: str | None = None
    rules: tuple[str, ...] = field(default=())
    witness: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "table": self.table,
            "file": self.file,
            "rules": list(self.rules),
            "message": self.message,
            "witness": self.witness,
        }


def ledger_findings(spec: Spec) -> list[LedgerFinding]:
    """Integrity and workflow problems of spec/signoff/, as check findings (empty when all is well)."""
    history = replay(spec.root)
    findings = [
        LedgerFinding(
            kind=problem.kind,
            severity="error",
            message=str(problem),
            table=problem.subject if problem.subject and problem.subject != GUIDELINE else None,
            file=problem.file,
        )
        for problem in history.problems
    ]
    names = {t.name for t in spec.tables}
    if GUIDELINE in names:
        findings.append(
            LedgerFinding(
                kind="signoff_reserved_name",
                severity="error",
                message=f"a table may not be named {GUIDELINE!r}: sign-off uses that name for the whole guideline",
                table=GUIDELINE,
                file=f"tables/{GUIDELINE}.yaml",
            )
        )
    for subject in sorted(set(history.histories) - names - {GUIDELINE}):
        findings.append(
            LedgerFinding(
                kind="signoff_unknown_table",
                severity="warning",
                message=f"the sign-off ledger records events for {subject!r}, which is no longer a table of the spec",
                table=subject,
                file="signoff/ledger.jsonl",
            )
        )
    return findings
