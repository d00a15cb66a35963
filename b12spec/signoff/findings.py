"""What ``b12spec check`` reports about the sign-off ledger, in the shape of reports/check.json.

A ledger whose events or snapshots no longer match their recorded hashes, or whose history breaks
the workflow, is an error (``check`` exits 1). Events about a table the spec no longer has are a
warning: the history is kept, but it signs off nothing.
"""

from __future__ import annotations

from b12spec.model import Spec
from b12spec.signoff.hashing import GUIDELINE
from b12spec.signoff.ledger import leftover_temporary_files
from b12spec.signoff.state import replay
from b12spec.verify.findings import Finding


def ledger_findings(spec: Spec) -> list[Finding]:
    """Integrity and workflow problems of spec/signoff/, as check findings (empty when all is well)."""
    history = replay(spec.root)
    findings = [
        Finding(
            kind=problem.kind,
            severity="error",
            message=str(problem),
            table=problem.subject if problem.subject and problem.subject != GUIDELINE else None,
            file=problem.file,
        )
        for problem in history.problems
    ]
    findings.extend(
        Finding(
            kind="signoff_leftover_file",
            severity="warning",
            message=f"{leftover}: a temporary file left by an interrupted sign-off write; it is ignored, delete it",
            file=leftover,
        )
        for leftover in leftover_temporary_files(spec.root)
    )
    names = {t.name for t in spec.tables}
    if GUIDELINE in names:
        findings.append(
            Finding(
                kind="signoff_reserved_name",
                severity="error",
                message=f"a table may not be named {GUIDELINE!r}: sign-off uses that name for the whole guideline",
                table=GUIDELINE,
                file=f"tables/{GUIDELINE}.yaml",
            )
        )
    for subject in sorted(set(history.histories) - names - {GUIDELINE}):
        findings.append(
            Finding(
                kind="signoff_unknown_table",
                severity="warning",
                message=f"the sign-off ledger records events for {subject!r}, which is no longer a table of the spec",
                table=subject,
                file="signoff/ledger.jsonl",
            )
        )
    return findings
