"""The check analyzer for the result contract: ``warnings.yaml`` must name what the spec has."""

from __future__ import annotations

from b12spec.model import Spec
from b12spec.verify.findings import ERROR, Finding
from b12spec.warnings import WARNINGS_FILE, WarningDeclarationError, policy_of, validate


def warning_findings(spec: Spec) -> list[Finding]:
    try:
        problems = validate(spec, policy_of(spec))
    except WarningDeclarationError as error:
        problems = [str(error)]
    return [Finding(kind="form", severity=ERROR, message=p, file=WARNINGS_FILE) for p in problems]


ANALYZERS = [warning_findings]
