"""Entries that test values outside the data dictionary: one fixture, one finding per fault."""

from __future__ import annotations

from b12spec.verify.findings import ERROR, WARNING

from .helpers import only


def test_typo_in_an_enum_value(broken):
    finding = only(broken("domain"), "domain", "DC-01")
    assert finding.severity == ERROR
    assert (finding.file, finding.row, finding.column) == ("tables/diet_check.csv", 2, "diet")
    assert "did you mean 'vegan'?" in finding.message
    assert dict(finding.witness) == {"diet": "vegna"}


def test_threshold_below_the_range(broken):
    finding = only(broken("domain"), "domain", "DC-02")
    assert "threshold -5 is below the field's range (a number from 0 to 125 years)" in finding.message
    assert dict(finding.witness) == {"age_years": -5.0}


def test_number_compared_with_an_enum(broken):
    finding = only(broken("domain"), "domain", "DC-03")
    assert "compares an enum field with a number" in finding.message
    assert dict(finding.witness) == {"diet": 3.0}


def test_null_on_a_required_field(broken):
    finding = only(broken("domain"), "domain", "DC-04")
    assert finding.severity == WARNING
    assert "tests null, but sex is required" in finding.message
    assert dict(finding.witness) == {"sex": None}


def test_the_loader_reports_are_not_doubled(broken):
    report = broken("domain")
    cells = [(f.file, f.row, f.column) for f in report.of_kind("domain")]
    assert len(cells) == len(set(cells)) == 4
