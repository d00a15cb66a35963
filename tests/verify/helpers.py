"""Helpers for the verifier's tests: build a fixture spec, pick out one finding."""

from __future__ import annotations

import shutil
from pathlib import Path

from b12spec.verify.findings import CheckReport, Finding

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def build_spec(target: Path, kind: str | None = None) -> Path:
    shutil.copytree(FIXTURES / "base", target)
    if kind is not None:
        for path in (FIXTURES / "broken" / kind / "tables").iterdir():
            shutil.copy(path, target / "tables" / path.name)
    return target



def only(report: CheckReport, kind: str, *rules: str, table: str | None = None) -> Finding:
    """The single finding of a kind for exactly these rules (fails if there are none or several)."""
    found = [
        f
        for f in report.findings
        if f.kind == kind and (not rules or f.rules == rules) and (table is None or f.table == table)
    ]
    assert len(found) == 1, f"expected one {kind} finding for {rules}, got: " + "\n".join(map(str, report.findings))
    return found[0]
