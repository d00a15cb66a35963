"""What ``b12spec check`` reports about the sign-off ledger, in the shape of reports/check.json.

A ledger whose events or snapshots no longer match their recorded hashes, whose events are not
signed by a member of the roster in force, whose history breaks the workflow, or which is not an
extension of every version of it committed to git (truncated, rewritten), is an error (``check``
exits 1); so is a roster.yaml that lists members but does not say validly who they are. Events
about a table the spec no longer has are a warning: the history is kept, but it signs off nothing.
"""

from __future__ import annotations

from b12spec.model import Spec
from b12spec.signoff.anchor import anchor_problems
from b12spec.signoff.hashing import GUIDELINE, SUBJECTS_NOT_TABLES, ContentReader
from b12spec.signoff.ledger import leftover_temporary_files
from b12spec.signoff.roster import ROSTER, ROSTER_FILE, RosterInvalid, parse_roster
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
        for problem in (*history.problems, *anchor_problems(spec.root))
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
    findings.extend(_roster_findings(spec))
    names = {t.name for t in spec.tables}
    for reserved in SUBJECTS_NOT_TABLES:
        if reserved in names:
            findings.append(
                Finding(
                    kind="signoff_reserved_name",
                    severity="error",
                    message=f"a table may not be named {reserved!r}: sign-off uses that name for the "
                    + ("whole guideline" if reserved == GUIDELINE else "board roster"),
                    table=reserved,
                    file=f"tables/{reserved}.yaml",
                )
            )
    for subject in sorted(set(history.histories) - names - set(SUBJECTS_NOT_TABLES)):
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


def _roster_findings(spec: Spec) -> list[Finding]:
    """roster.yaml must be valid once it lists anyone (an empty roster: the board is not set up yet)."""
    try:
        content = ContentReader(spec).content(ROSTER)
        if not content.get("members"):
            return []
        parse_roster(content)
    except RosterInvalid as error:
        return [
            Finding(kind="signoff_roster", severity="error", message=problem, file=f"signoff/{ROSTER_FILE}")
            for problem in error.problems
        ]
    return []
