"""Mutation operators on the tiny spec: every expected mutant, and nothing else."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from b12spec.errors import HitPolicyViolation
from b12spec.evaluate import evaluate_table
from b12spec.model import HitPolicy, Spec
from b12spec.mutate.operators import (
    DELETE,
    HIT_POLICY,
    NUDGE,
    SWAP,
    applicable_policies,
    generate_mutants,
    mutant_policies,
)
from b12spec.workspace import load_spec

from .helpers import write_spec


def changes(spec: Spec, table: str) -> list[tuple[str | None, str]]:
    return [(m.rule, m.change) for m in generate_mutants(spec, [table])]


def test_grade_table_mutants_are_exactly_the_expected_slips(tiny_spec: Spec) -> None:
    outputs = {"low", "mid", "high", "unknown"}

    def replaced(rule: str, value: str) -> list[tuple[str, str]]:
        return [(rule, f"grade: {value} -> {other} (output replaced)") for other in sorted(outputs - {value})]

    expected = [
        ("GR-01", "level: < 180 -> < 179.9 (threshold nudged)"),
        ("GR-01", "level: < 180 -> < 180.1 (threshold nudged)"),
        ("GR-01", "level: < 180 -> <= 180 (comparison flipped)"),
        ("GR-01", "level: < 180 -> - (entry blanked)"),
        *replaced("GR-01", "low"),
        ("GR-01", "row 2 -> deleted (rule deleted)"),
        ("GR-02", "level: [180..350] -> [179.9..350] (threshold nudged)"),
        ("GR-02", "level: [180..350] -> [180.1..350] (threshold nudged)"),
        ("GR-02", "level: [180..350] -> [180..349.9] (threshold nudged)"),
        ("GR-02", "level: [180..350] -> [180..350.1] (threshold nudged)"),
        ("GR-02", "level: [180..350] -> (180..350] (range end toggled)"),
        ("GR-02", "level: [180..350] -> [180..350) (range end toggled)"),
        ("GR-02", "level: [180..350] -> - (entry blanked)"),
        *replaced("GR-02", "mid"),
        ("GR-02", "row 3 -> deleted (rule deleted)"),
        ("GR-03", "level: > 350 -> > 349.9 (threshold nudged)"),
        ("GR-03", "level: > 350 -> > 350.1 (threshold nudged)"),
        ("GR-03", "level: > 350 -> >= 350 (comparison flipped)"),
        ("GR-03", "level: > 350 -> - (entry blanked)"),
        *replaced("GR-03", "high"),
        ("GR-03", "row 4 -> deleted (rule deleted)"),
        ("GR-04", "level: null -> - (entry blanked)"),
        ("GR-04", "level: null -> not(null) (entry negated)"),
        *replaced("GR-04", "unknown"),
        ("GR-04", "row 5 -> deleted (rule deleted)"),
        # grade.grade is tested downstream, so only single-hit policies are legal for it.
        (None, "hit_policy: U -> A (hit policy changed)"),
        (None, "hit_policy: U -> P (hit policy changed)"),
        (None, "hit_policy: U -> F (hit policy changed)"),
    ]
    assert sorted(changes(tiny_spec, "grade"), key=str) == sorted(expected, key=str)


def test_enumeration_and_boolean_entries_are_negated_and_blanked(tiny_spec: Spec) -> None:
    found = changes(tiny_spec, "advice")
    assert ("AD-01", 'grade.grade: "low" -> not("low") (entry negated)') in found
    assert ("AD-01", 'grade.grade: "low" -> - (entry blanked)') in found
    assert ("AD-02", 'kind: "a" -> not("a") (entry negated)') in found
    assert ("AD-03", "flag: true -> not(true) (entry negated)") in found
    # a `-` entry has nothing to mutate; decision outputs carry no numbers to nudge
    assert not any("kind: - ->" in change or "flag: - ->" in change for _, change in found)
    assert not any(NUDGE in change for _, change in found)
    # C is order-insensitive: no swaps; it is read by nobody, so every policy but sums is legal,
    # and R and O would only order the same rows
    assert not any(SWAP in change for _, change in found)
    policies = [change for rule, change in found if rule is None]
    assert policies == [f"hit_policy: C -> {p} (hit policy changed)" for p in ("U", "A", "P", "F", "C#")]


def test_nudge_uses_the_precision_the_dictionary_declares(tmp_path: Path) -> None:
    overrides = {
        "tables/grade.yaml": FILES_GRADE_BY_YEARS,
        "tables/grade.csv": "rule,years,grade,citations,open_questions,annotation\n"
        "GR-01,< 65,low,1,,\nGR-02,>= 65,high,1,,\nGR-03,null,unknown,1,,\n",
    }
    spec = load_spec(write_spec(tmp_path, overrides))
    nudged = [change for rule, change in changes(spec, "grade") if NUDGE in change]
    assert nudged == [
        "years: < 65 -> < 64 (threshold nudged)",
        "years: < 65 -> < 66 (threshold nudged)",
        "years: >= 65 -> >= 64 (threshold nudged)",
        "years: >= 65 -> >= 66 (threshold nudged)",
    ]


FILES_GRADE_BY_YEARS = """
decision: grade
title: Grade
purpose: Grades by age.
hit_policy: U
inputs:
  - expression: years
outputs:
  - name: grade
    values: [low, mid, high, unknown]
"""


def test_first_hit_tables_get_adjacent_swaps_and_priority_tables_only_where_rules_tie(tiny_spec: Spec) -> None:
    grade = tiny_spec.table("grade")
    first = replace(grade, hit_policy=HitPolicy.FIRST)
    spec = replace(tiny_spec, tables=(first, tiny_spec.table("advice")))
    swaps = [m for m in generate_mutants(spec, ["grade"]) if m.operator == SWAP]
    assert [(m.before, m.after) for m in swaps] == [
        ("GR-01 before GR-02", "GR-02 before GR-01"),
        ("GR-02 before GR-03", "GR-03 before GR-02"),
        ("GR-03 before GR-04", "GR-04 before GR-03"),
    ]
    assert [r.id for r in swaps[0].mutated.rules] == ["GR-02", "GR-01", "GR-03", "GR-04"]
    # P: GR-02 and GR-03 tie on priority once both say "mid"; only that pair is swapped
    tie = replace(grade.rules[2], outputs=("mid",))
    priority = replace(grade, hit_policy=HitPolicy.PRIORITY, rules=(*grade.rules[:2], tie, grade.rules[3]))
    spec = replace(tiny_spec, tables=(priority, tiny_spec.table("advice")))
    swaps = [m for m in generate_mutants(spec, ["grade"]) if m.operator == SWAP]
    assert [m.rule for m in swaps] == ["GR-02"]


def test_mutants_change_the_model_only_and_each_is_a_distinct_table(tiny_spec: Spec, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in (tmp_path / "spec").rglob("*") if p.is_file()}
    mutants = generate_mutants(tiny_spec)
    assert {p: p.read_bytes() for p in (tmp_path / "spec").rglob("*") if p.is_file()} == before
    tables = [m.mutated for m in mutants]
    assert len(set(tables)) == len(tables)
    assert not any(m.mutated == tiny_spec.table(m.table) for m in mutants)
    # a mutated entry behaves as written: `< 180 -> <= 180` now matches 180
    flipped = next(m for m in mutants if m.change == "level: < 180 -> <= 180 (comparison flipped)")
    with pytest.raises(HitPolicyViolation, match="GR-01, GR-02"):
        evaluate_table(flipped.mutated, {"level": 180.0})
    assert evaluate_table(tiny_spec.table("grade"), {"level": 180.0}).matched == ("GR-02",)
    assert flipped.mutated.rules[0].input_text == ("<= 180",)
    deleted = next(m for m in mutants if m.operator == DELETE and m.rule == "GR-04")
    assert [r.id for r in deleted.mutated.rules] == ["GR-01", "GR-02", "GR-03"]
    assert deleted.description == "tables/grade.csv, rule GR-04, row 5 -> deleted (rule deleted)"


def test_hit_policies_offered_are_the_legal_ones(tiny_spec: Spec) -> None:
    grade = tiny_spec.table("grade")
    assert applicable_policies(grade, read_downstream=True) == (HitPolicy.UNIQUE, HitPolicy.ANY,
                                                                  HitPolicy.PRIORITY, HitPolicy.FIRST)
    assert HitPolicy.COLLECT_SUM not in applicable_policies(grade, read_downstream=False)
    assert HitPolicy.OUTPUT_ORDER in applicable_policies(grade, read_downstream=False)
    assert all(m.operator != HIT_POLICY or m.after in "APF" for m in generate_mutants(tiny_spec, ["grade"]))


def test_policy_changes_that_only_repackage_the_same_rows_are_not_slips(tiny_spec: Spec) -> None:
    grade = tiny_spec.table("grade")
    as_policy = {p: replace(grade, hit_policy=p) for p in HitPolicy}
    leaf = {p: mutant_policies(t, read_downstream=False) for p, t in as_policy.items()}
    assert leaf[HitPolicy.UNIQUE] == (HitPolicy.ANY, HitPolicy.PRIORITY, HitPolicy.FIRST, HitPolicy.COLLECT_COUNT)
    assert leaf[HitPolicy.FIRST] == (HitPolicy.UNIQUE, HitPolicy.ANY, HitPolicy.PRIORITY, HitPolicy.COLLECT,
                                     HitPolicy.COLLECT_COUNT, HitPolicy.RULE_ORDER, HitPolicy.OUTPUT_ORDER)
    assert HitPolicy.RULE_ORDER not in leaf[HitPolicy.COLLECT] and HitPolicy.OUTPUT_ORDER not in leaf[HitPolicy.COLLECT]
    assert HitPolicy.COLLECT not in leaf[HitPolicy.RULE_ORDER] and HitPolicy.OUTPUT_ORDER in leaf[HitPolicy.RULE_ORDER]
    assert HitPolicy.COLLECT in leaf[HitPolicy.OUTPUT_ORDER] and HitPolicy.RULE_ORDER in leaf[HitPolicy.OUTPUT_ORDER]


def test_unknown_table_names_select_nothing_but_known_ones_filter(tiny_spec: Spec) -> None:
    assert {m.table for m in generate_mutants(tiny_spec, ["advice"])} == {"advice"}
    with pytest.raises(KeyError):
        tiny_spec.table("nope")
