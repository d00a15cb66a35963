"""equivalent(): exact, with a witness where two versions of a table give different results."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

from b12spec.model import HitPolicy
from b12spec.unary import parse_unary_tests
from b12spec.verify.equivalence import equivalent


def with_rules(table, rules, **changes):
    return dataclasses.replace(table, rules=tuple(rules), **changes)


def set_entry(rule, position, text):
    inputs = list(rule.inputs)
    inputs[position] = parse_unary_tests(text)
    return dataclasses.replace(rule, inputs=tuple(inputs))


def test_a_table_is_equivalent_to_itself(spec):
    for table in spec.tables:
        assert equivalent(spec, table, dataclasses.replace(table, title="copy")).equal


def test_deleting_a_rule_differs_where_it_alone_matched(spec):
    table = spec.table("b12_status")
    rules = [r for r in table.rules if r.id != "DX-03"]
    result = equivalent(spec, table, with_rules(table, rules))
    assert not result.equal
    assert dict(result.witness) == {"total_b12": 180.0, "active_b12": None}
    assert result.mutant == "no rule matched"
    assert "indeterminate" in result.original


def test_widening_a_threshold_in_a_unique_table_is_a_hit_policy_violation(spec):
    table = replace(spec.table("b12_status"), hit_policy=HitPolicy.UNIQUE)
    rules = [set_entry(r, 0, "<= 180") if r.id == "DX-01" else r for r in table.rules]
    result = equivalent(spec, table, with_rules(table, rules))
    assert not result.equal
    assert result.witness["total_b12"] == 180.0
    assert result.mutant == "hit policy violated"


def test_widening_into_a_lower_priority_rule_changes_the_answer(spec):
    table = spec.table("b12_status")
    rules = [set_entry(r, 0, "<= 180") if r.id == "DX-01" else r for r in table.rules]
    result = equivalent(spec, table, with_rules(table, rules))
    assert not result.equal
    assert result.witness["total_b12"] == 180.0
    assert "deficient" in result.mutant and "indeterminate" in result.original


def test_widening_a_lower_priority_rule_under_a_winning_one_is_equivalent(spec):
    """[179.9..350] for the indeterminate band: at 179.9 the confirmed deficiency still wins."""
    table = spec.table("b12_status")
    rules = [set_entry(r, 0, "[179.9..350]") if r.id == "DX-03" else r for r in table.rules]
    assert equivalent(spec, table, with_rules(table, rules)).equal


def test_an_entry_rewritten_to_the_same_set_is_equivalent(spec):
    """< 180 and [0..180) are the same set within total_b12's range [0, 20000]."""
    table = spec.table("b12_status")
    rules = [set_entry(r, 0, "[0..180)") if r.id == "DX-01" else r for r in table.rules]
    assert equivalent(spec, table, with_rules(table, rules)).equal


def test_hit_policy_changes(spec):
    table = spec.table("b12_status")  # complete and without overlaps: U, A, P, F agree
    for policy in (HitPolicy.ANY, HitPolicy.PRIORITY, HitPolicy.FIRST):
        assert equivalent(spec, table, dataclasses.replace(table, hit_policy=policy)).equal
    collect = equivalent(spec, table, dataclasses.replace(table, hit_policy=HitPolicy.COLLECT))
    assert not collect.equal and collect.witness is not None


def test_reordering_matters_only_where_rules_overlap_under_first(spec):
    table = spec.table("b12_status")
    reversed_unique = with_rules(table, reversed(table.rules))
    assert equivalent(spec, table, reversed_unique).equal
    first = dataclasses.replace(table, hit_policy=HitPolicy.FIRST)
    widened = [set_entry(r, 0, "< 200") if r.id == "DX-01" else r for r in table.rules]
    original = with_rules(first, widened)
    swapped = [widened[2], widened[0], widened[1], *widened[3:]]  # DX-03 before DX-01
    result = equivalent(spec, original, with_rules(first, swapped))
    assert not result.equal
    assert dict(result.witness) == {"total_b12": 180.0, "active_b12": None}
    assert "deficient" in result.original and "indeterminate" in result.mutant


def test_collect_tables_compare_as_multisets_but_rule_order_tables_as_lists(spec):
    table = spec.table("monitoring")
    swapped = [table.rules[1], table.rules[0], *table.rules[2:]]
    assert equivalent(spec, table, with_rules(table, swapped)).equal
    rule_order = dataclasses.replace(table, hit_policy=HitPolicy.RULE_ORDER)
    result = equivalent(spec, rule_order, with_rules(rule_order, swapped))
    assert not result.equal
    assert result.witness == {"b12_status.status": "deficient"}


def test_contradictory_inputs_are_never_a_difference(spec):
    """CX-03 refuses severe neurological symptoms without neurological involvement, so limiting
    RT-02 (severe symptoms) to neurological involvement changes no valid case; limiting it to
    no involvement changes every case it covered."""
    table = spec.table("route")
    involved = [set_entry(r, 3, "true") if r.id == "RT-02" else r for r in table.rules]
    assert equivalent(spec, table, with_rules(table, involved)).equal
    not_involved = [set_entry(r, 3, "false") if r.id == "RT-02" else r for r in table.rules]
    result = equivalent(spec, table, with_rules(table, not_involved))
    assert not result.equal
    assert result.witness["severe_neurological_symptoms"] is True
    assert result.witness["neurological_involvement"] is True
    assert result.mutant == "no rule matched"
