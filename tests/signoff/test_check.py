"""``b12spec check`` hears the ledger: an intact one adds nothing, a tampered one fails the check."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from b12spec.cli import main
from b12spec.signoff.check import ANALYZERS
from b12spec.signoff.findings import ledger_findings
from b12spec.signoff.ledger import ledger_path
from b12spec.verify.check import check_spec
from b12spec.workspace import read_spec_files

from .helpers import FakeClock, approve, reload


def _signoff_findings(spec_dir: Path) -> list:
    return [f for f in check_spec(read_spec_files(spec_dir), ANALYZERS).findings if f.kind.startswith("signoff_")]


def test_an_intact_ledger_adds_no_findings(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    approve(spec, spec.tables[0].name, clock)
    assert [ledger_findings] == ANALYZERS
    assert list(ledger_findings(spec)) == []
    assert _signoff_findings(workspace) == []


def test_a_tampered_ledger_fails_b12spec_check(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    name = spec.tables[0].name
    approve(spec, name, clock)
    errors_before = len(check_spec(read_spec_files(workspace), ANALYZERS).errors)
    path = ledger_path(workspace)
    text = path.read_text(encoding="utf-8")
    head, tail = text.rsplit('"approved"', 1)  # the last approval, edited by hand
    path.write_text(head + '"submitted"' + tail, encoding="utf-8")

    findings = _signoff_findings(workspace)
    assert [(f.kind, f.severity, f.table) for f in findings] == [("signoff_tampered", "error", name)]

    result = CliRunner().invoke(main, ["--spec", str(workspace), "check", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == errors_before + 1
    tampered = [f for f in report["findings"] if f["kind"] == "signoff_tampered"]
    assert len(tampered) == 1 and "does not match its own digest" in tampered[0]["message"]
    assert tampered[0]["file"] == "signoff/ledger.jsonl"
