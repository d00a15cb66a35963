"""check_spec as a whole: the shipped spec, form problems, the diagnosis-table acceptance edits,
partial analysis of a faulty spec, and the extension point for other analyzers."""

from __future__ import annotations

from pathlib import Path

from b12spec.verify.check import check_spec
from b12spec.verify.findings import ERROR, WARNING, Finding
from b12spec.workspace import read_spec_files

from .helpers import build_spec, only

REPO = Path(__file__).resolve().parents[2]


def test_shipped_spec_has_no_errors_and_no_gaps():
    report = check_spec(read_spec_files(REPO / "spec"))
    assert report.errors == (), "\n".join(map(str, report.errors))
    assert report.of_kind("gap") == ()
    assert report.ok


def test_clean_base_fixture_has_no_findings(tmp_path):
    assert check_spec(read_spec_files(build_spec(tmp_path / "base"))).findings == ()


def test_form_problems_carry_file_row_and_column(broken):
    report = broken("form")
    assert {f.kind for f in report.findings} == {"form"}
    unparsable = [f for f in report.findings if f.column == "total_b12"]
    assert len(unparsable) == 1
    assert (unparsable[0].file, unparsable[0].row) == ("tables/status.csv", 2)
    assert unparsable[0].rules == ("ST-01",)
    assert "not a valid unary test" in unparsable[0].message
    outside = next(f for f in report.findings if f.column == "level")
    assert (outside.row, outside.severity) == (3, ERROR)
    assert "'middle' is not an allowed value (did you mean 'mid'?)" in outside.message
    uncited = next(f for f in report.findings if f.column == "citations")
    assert uncited.row == 4
    duplicate = next(f for f in report.findings if f.column == "rule")
    assert duplicate.row == 5 and "duplicate rule id 'ST-03'" in duplicate.message
    assert duplicate.rules == ("ST-03",)
    missing = [f for f in report.findings if f.file == "tables/nopurpose.yaml"]
    assert [f.message for f in missing] == ["missing 'purpose'"]
    assert missing[0].table == "nopurpose"


def test_widening_a_diagnosis_threshold_reports_the_overlap_at_the_exact_value(spec_copy):
    """b12_status is a Priority table: the widened rule wins (confirmed deficiency), and check
    names every overlap the edit created, with its witness, as a warning to review."""
    csv = spec_copy / "tables" / "b12_status.csv"
    text = csv.read_text(encoding="utf-8")
    assert "\nDX-01,< 180," in text
    csv.write_text(text.replace("\nDX-01,< 180,", "\nDX-01,< 200,"), encoding="utf-8")
    report = check_spec(read_spec_files(spec_copy))
    overlap = only(report, "overlap", "DX-01", "DX-03")
    assert dict(overlap.witness) == {"total_b12": 180.0, "active_b12": None}
    assert "total_b12 [180..200)" in overlap.message
    assert "hit policy P picks DX-01" in overlap.message
    assert overlap.severity == "warning"
    assert dict(only(report, "overlap", "DX-01", "DX-04").witness) == {"total_b12": 180.0, "active_b12": 25.0}
    # DX-01 and DX-02 now meet too; both confirm deficiency, so the warning says one row is redundant.
    same = only(report, "overlap", "DX-01", "DX-02")
    assert dict(same.witness) == {"total_b12": 180.0, "active_b12": 24.9}
    assert "the same outputs" in same.message
    assert len(report.of_kind("overlap")) == 3


def test_an_overlap_in_a_unique_table_is_an_error_with_its_witness(spec_copy):
    meta = spec_copy / "tables" / "b12_status.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("hit_policy: P", "hit_policy: U"), encoding="utf-8")
    csv = spec_copy / "tables" / "b12_status.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("\nDX-01,< 180,", "\nDX-01,< 200,"), encoding="utf-8")
    report = check_spec(read_spec_files(spec_copy))
    overlap = only(report, "overlap", "DX-01", "DX-02")
    assert overlap.severity == "error"
    assert dict(overlap.witness) == {"total_b12": 180.0, "active_b12": 24.9}
    assert len(report.of_kind("overlap")) == 3


def test_deleting_the_rule_for_a_band_reports_the_gap_with_the_exact_value(spec_copy):
    csv = spec_copy / "tables" / "b12_status.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("DX-07,")]
    assert len(kept) == len(lines) - 1
    csv.write_text("".join(kept), encoding="utf-8")
    report = check_spec(read_spec_files(spec_copy))
    gap = only(report, "gap", table="b12_status")
    assert dict(gap.witness) == {"total_b12": 350.1, "active_b12": None}
    assert "no rule matches total_b12 > 350, active_b12 null" in gap.message


def test_a_form_error_elsewhere_does_not_hide_a_gap(spec_copy):
    """Deleting DX-03 also breaks the catalogue (it names DX-03): both are reported."""
    csv = spec_copy / "tables" / "b12_status.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    csv.write_text("".join(line for line in lines if not line.startswith("DX-03,")), encoding="utf-8")
    report = check_spec(read_spec_files(spec_copy))
    assert any(f.kind == "form" and "DX-03" in f.message for f in report.findings)
    gap = only(report, "gap", table="b12_status")
    assert dict(gap.witness) == {"total_b12": 180.0, "active_b12": None}
    assert "total_b12 [180..350], active_b12 null" in gap.message


def test_extra_analyzers_are_run_and_a_crashing_one_is_an_error(tmp_path):
    root = build_spec(tmp_path / "base")
    seen = []

    def ledger(spec):
        seen.append(spec.guideline.title)
        return [Finding(kind="signoff", severity=WARNING, message="ledger changed", table="status")]

    def crashing(spec):
        raise RuntimeError("boom")

    report = check_spec(read_spec_files(root), analyzers=[ledger])
    assert seen == ["Verifier fixture"]
    assert [f.message for f in report.findings] == ["ledger changed"]
    assert report.ok
    failed = check_spec(read_spec_files(root), analyzers=[crashing])
    assert not failed.ok
    assert failed.errors[0].kind == "analyzer" and "boom" in failed.errors[0].message


def test_report_json_follows_the_contract(broken):
    data = broken("gap").to_dict()
    assert data["errors"] == 1
    assert data["warnings"] == 1
    finding = next(f for f in data["findings"] if f["kind"] == "gap")
    assert finding == {
        "kind": "gap",
        "severity": "error",
        "table": "status",
        "file": "tables/status.csv",
        "rules": [],
        "message": "no rule matches total_b12 > 350; for example total_b12 = 350.1 ng/L: no rule",
        "witness": {"total_b12": 350.1},
        "row": None,
        "column": None,
    }


def test_strict_check_fails_on_a_warning(spec_copy):
    """make test runs check --strict: an overlap that priority resolves is still a review item."""
    from click.testing import CliRunner

    from b12spec.cli import main

    csv = spec_copy / "tables" / "b12_status.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("\nDX-03,[180..350],", "\nDX-03,[179.9..350],"),
                   encoding="utf-8")
    relaxed = CliRunner().invoke(main, ["--spec", str(spec_copy), "check"])
    strict = CliRunner().invoke(main, ["--spec", str(spec_copy), "check", "--strict"])
    assert relaxed.exit_code == 0
    assert strict.exit_code == 1
    assert "overlap [DX-01, DX-03]" in strict.output
    assert "total_b12 = 179.9 ng/L" in strict.output


def test_an_analysis_stopped_by_its_budget_is_an_error_per_table_not_a_crash(monkeypatch) -> None:
    """Every sweep (gaps, and the masking behind unreachable rules and boundaries) has a budget;
    wherever one stops, check reports the table as unverified instead of raising."""
    from b12spec.verify import space

    monkeypatch.setattr(space, "SWEEP_WORK", 1)
    report = check_spec(read_spec_files(REPO / "spec"))
    stopped = [f for f in report.errors if "was stopped" in f.message]
    assert stopped, [str(f) for f in report.findings][:5]
    assert all(f.table and f.table in f.message for f in stopped)
    assert not report.ok
