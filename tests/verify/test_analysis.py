"""One broken fixture per kind of table finding: the exact finding, its rules and its witness."""

from __future__ import annotations

from b12spec.verify.findings import ERROR, WARNING

from .helpers import only


def test_gap_is_the_maximal_region_with_a_witness_one_step_past_the_open_end(broken):
    report = broken("gap")
    gap = only(report, "gap")
    assert gap.severity == ERROR
    assert gap.table == "status" and gap.file == "tables/status.csv"
    assert gap.message == "no rule matches total_b12 > 350; for example total_b12 = 350.1 ng/L: no rule"
    assert dict(gap.witness) == {"total_b12": 350.1}


def test_overlap_in_a_unique_table(broken):
    overlap = only(broken("overlap"), "overlap", "ST-02", "ST-03")
    assert overlap.severity == ERROR
    assert "total_b12 (350..360]" in overlap.message and "hit policy U" in overlap.message
    assert dict(overlap.witness) == {"total_b12": 350.1}


def test_any_table_overlaps_only_count_when_outputs_differ(broken):
    report = broken("overlap")
    overlap = only(report, "overlap", "AG-01", "AG-04")
    assert dict(overlap.witness) == {"age_years": 60.0, "neuro": True}
    assert "age_years [60..65), neuro true" in overlap.message
    # AG-01 and AG-02 overlap too, but both say "young": allowed under A.
    assert not [f for f in report.of_kind("overlap") if "AG-02" in f.rules]


def test_rule_masked_by_the_union_of_two_earlier_rules_in_a_first_table(broken):
    finding = only(broken("unreachable"), "unreachable", "TR-03", "TR-01", "TR-02")
    assert finding.severity == ERROR
    assert "no single rule covers it" in finding.message
    assert dict(finding.witness) == {"age_years": 50.0, "neuro": True}
    assert finding.message.endswith("TR-01 wins")


def test_rule_subsumed_by_one_earlier_rule(broken):
    finding = only(broken("unreachable"), "unreachable", "TR-05", "TR-04")
    assert "the earlier rule TR-04 matches every input it matches" in finding.message
    assert dict(finding.witness) == {"age_years": 70.0, "neuro": False}


def test_rule_masked_by_higher_priorities_in_a_priority_table(broken):
    finding = only(broken("unreachable"), "unreachable", "PR-03", "PR-01", "PR-02")
    assert "higher-priority rules PR-01, PR-02 together" in finding.message
    assert dict(finding.witness) == {"age_years": 29.0, "neuro": True}


def test_reachable_rules_are_not_reported(broken):
    report = broken("unreachable")
    reported = {f.rules[0] for f in report.of_kind("unreachable")}
    assert reported == {"TR-03", "TR-05", "PR-03", "IM-01", "IM-02"}


def test_rules_whose_conditions_cannot_hold(broken):
    report = broken("unreachable")
    contradiction = only(report, "unreachable", "IM-01")
    assert "only matches inputs the data dictionary refuses (CX-01)" in contradiction.message
    assert contradiction.witness is None
    empty = only(report, "unreachable", "IM-02")
    assert "'not(true, false)' for neuro matches no value" in empty.message


def test_boundary_left_out_between_two_open_ends(broken):
    finding = only(broken("boundary"), "boundary", "BA-01", "BA-02")
    assert finding.severity == WARNING
    assert "both leave out total_b12 = 180" in finding.message
    assert dict(finding.witness) == {"total_b12": 180.0}


def test_boundary_taken_by_two_closed_ends(broken):
    finding = only(broken("boundary"), "boundary", "BA-03", "BA-04")
    assert "both include total_b12 = 350" in finding.message
    assert dict(finding.witness) == {"total_b12": 350.0}


def test_threshold_finer_than_the_declared_precision(broken):
    finding = only(broken("boundary"), "boundary", "BA-05")
    assert "threshold 500.05 for total_b12 is finer than the field's precision 0.1" in finding.message
    assert dict(finding.witness) == {"total_b12": 500.05}


def test_boundary_lint_is_quiet_when_ends_meet_properly(broken):
    # BA-02 (> 180) and BA-03 ([200..350]) share no threshold; nothing else is flagged.
    assert len(broken("boundary").of_kind("boundary")) == 3


def test_duplicate_rules(broken):
    finding = only(broken("normal_form"), "normal_form", "SH-01", "SH-03")
    assert finding.severity == WARNING and "duplicates" in finding.message
    assert dict(finding.witness) == {"total_b12": 179.9, "diet": "vegan", "age_years": 0.0}


def test_conflicting_rules(broken):
    report = broken("normal_form")
    conflict = only(report, "normal_form", "SH-05", "SH-06")
    assert conflict.severity == ERROR and "conflict" in conflict.message
    assert dict(conflict.witness) == {"total_b12": 180.0, "diet": "omnivore", "age_years": 0.0}


def test_mergeable_rules(broken):
    finding = only(broken("normal_form"), "normal_form", "SH-01", "SH-02")
    assert 'could be one rule with diet "vegetarian", "vegan"' in finding.message
    assert dict(finding.witness) == {"total_b12": 179.9, "diet": "vegetarian", "age_years": 0.0}


def test_column_no_rule_depends_on(broken):
    unused = [f for f in broken("normal_form").of_kind("normal_form") if "no rule depends on" in f.message]
    assert len(unused) == 1
    assert "no rule depends on age_years" in unused[0].message
    assert unused[0].witness["age_years"] == 0.0
