"""b12spec check on the command line: exit codes, JSON on stdout, the report file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from b12spec.cli import main

from .helpers import build_spec

REPO = Path(__file__).resolve().parents[2]


def test_shipped_spec_exits_0(tmp_path):
    output = tmp_path / "reports" / "check.json"
    result = CliRunner().invoke(main, ["--spec", str(REPO / "spec"), "check", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "check ok: 0 error(s)" in result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["errors"] == 0
    assert data["warnings"] == len(data["findings"])
    assert not list(output.parent.glob(".check.json.*")), "the temporary file must be gone"


def test_a_gap_exits_1_and_prints_json(tmp_path):
    root = build_spec(tmp_path / "spec", "gap")
    result = CliRunner().invoke(main, ["--spec", str(root), "check", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] == 1
    gap = next(f for f in data["findings"] if f["kind"] == "gap")
    assert gap["witness"] == {"total_b12": 350.1}
    assert set(gap) >= {"kind", "severity", "table", "file", "rules", "message", "witness"}


def test_text_report_names_file_rules_and_witness(tmp_path):
    root = build_spec(tmp_path / "spec", "overlap")
    result = CliRunner().invoke(main, ["--spec", str(root), "check"])
    assert result.exit_code == 1
    assert (
        "error: tables/status.csv: overlap [ST-02, ST-03]: rules ST-02 and ST-03 both match total_b12 (350..360]"
        in result.output
    )
    assert "for example total_b12 = 350.1 ng/L" in result.output
    assert result.output.rstrip().endswith("check FAILED: 2 error(s), 0 warning(s)")


def test_a_malformed_spec_is_reported_not_raised(tmp_path):
    root = build_spec(tmp_path / "spec", "form")
    output = tmp_path / "check.json"
    result = CliRunner().invoke(main, ["--spec", str(root), "check", "--output", str(output)])
    assert result.exit_code == 1
    assert "not a valid unary test" in result.output
    assert json.loads(output.read_text(encoding="utf-8"))["errors"] >= 5
