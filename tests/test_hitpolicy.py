"""Every DMN 1.3 hit policy, on small in-memory tables, including the error cases."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from b12spec.errors import EvaluationError, HitPolicyViolation
from b12spec.evaluate import evaluate_table
from b12spec.hitpolicy import select
from b12spec.model import DecisionTable, FieldType, HitPolicy, InputColumn, OutputColumn, Rule
from b12spec.unary import Value, parse_unary_tests

PRIORITY = ("urgent", "soon", "routine")  # allowed values, highest priority first


def make_table(
    policy: str,
    rows: Sequence[tuple[str, str, Value]],
    output_type: FieldType = FieldType.ENUM,
    values: tuple[str, ...] = PRIORITY,
) -> DecisionTable:
    """A one-input, one-output table: rows are (rule id, input entry on x, output entry)."""
    rules = tuple(
        Rule(rule_id, row, (parse_unary_tests(cell),), (out,), ("1",))
        for row, (rule_id, cell, out) in enumerate(rows, start=2)
    )
    return DecisionTable(
        name="demo",
        title="Demo",
        purpose="test",
        hit_policy=HitPolicy(policy),
        inputs=(InputColumn("x", "x"),),
        outputs=(OutputColumn("out", "Out", output_type, values if output_type is FieldType.ENUM else ()),),
        rules=rules,
    )


ORDERED_ROWS = [
    ("R-1", "> 0", "routine"),
    ("R-2", "> 10", "urgent"),
    ("R-3", "> 5", "soon"),
    ("R-4", "> 20", "routine"),
]


def value_for(policy: str, x: Value, rows: Sequence[tuple[str, str, Value]] = ORDERED_ROWS, **kw):
    return evaluate_table(make_table(policy, rows, **kw), {"x": x})


# --------------------------------------------------------------------------- single hit


def test_unique_one_match() -> None:
    rows = [("U-1", "< 10", "routine"), ("U-2", "[10..20]", "soon"), ("U-3", "> 20", "urgent")]
    result = value_for("U", 15, rows)
    assert result.value == {"out": "soon"}
    assert result.matched == ("U-2",)
    assert [h.rule for h in result.hits] == ["U-2"]


def test_unique_second_match_names_both_rules() -> None:
    rows = [("U-1", "<= 10", "routine"), ("U-2", "[10..20]", "soon")]
    with pytest.raises(HitPolicyViolation) as caught:
        value_for("U", 10, rows)
    message = str(caught.value)
    assert "U-1" in message and "U-2" in message
    assert "demo" in message and "U" in message
    assert caught.value.decision == "demo"


def test_any_accepts_agreeing_rules() -> None:
    rows = [("A-1", "< 10", "soon"), ("A-2", "< 20", "soon"), ("A-3", ">= 20", "urgent")]
    result = value_for("A", 5, rows)
    assert result.value == {"out": "soon"}
    assert result.matched == ("A-1", "A-2")


def test_any_refuses_disagreeing_rules_naming_both() -> None:
    rows = [("A-1", "< 10", "soon"), ("A-2", "< 20", "urgent")]
    with pytest.raises(HitPolicyViolation) as caught:
        value_for("A", 5, rows)
    message = str(caught.value)
    assert "A-1" in message and "A-2" in message
    assert "soon" in message and "urgent" in message


def test_priority_orders_by_the_allowed_values_not_the_rows() -> None:
    result = value_for("P", 30)  # R-1 routine, R-2 urgent, R-3 soon, R-4 routine all match
    assert result.value == {"out": "urgent"}
    assert [h.rule for h in result.hits] == ["R-2"]
    assert result.matched == ("R-1", "R-2", "R-3", "R-4")
    assert value_for("P", 7).value == {"out": "soon"}


def test_priority_follows_the_declared_list_when_it_is_reversed() -> None:
    result = value_for("P", 30, values=tuple(reversed(PRIORITY)))
    assert result.value == {"out": "routine"}
    assert [h.rule for h in result.hits] == ["R-1"], "a tie on priority keeps the earlier rule"


def test_priority_with_two_outputs_compares_the_first_output_first() -> None:
    table = DecisionTable(
        name="two",
        title="Two",
        purpose="test",
        hit_policy=HitPolicy.PRIORITY,
        inputs=(InputColumn("x", "x"),),
        outputs=(OutputColumn("a", "A", values=("hi", "lo")), OutputColumn("b", "B", values=("hi", "lo"))),
        rules=(
            Rule("T-1", 2, (parse_unary_tests("-"),), ("lo", "hi"), ("1",)),
            Rule("T-2", 3, (parse_unary_tests("-"),), ("hi", "lo"), ("1",)),
            Rule("T-3", 4, (parse_unary_tests("-"),), ("hi", "hi"), ("1",)),
        ),
    )
    assert evaluate_table(table, {"x": 1}).value == {"a": "hi", "b": "hi"}


def test_first_takes_the_first_row_whatever_its_priority() -> None:
    result = value_for("F", 30)
    assert result.value == {"out": "routine"}
    assert [h.rule for h in result.hits] == ["R-1"]
    assert value_for("F", 30, rows=ORDERED_ROWS[1:]).value == {"out": "urgent"}


@pytest.mark.parametrize("policy", ["U", "A", "P", "F"])
def test_no_match_in_a_single_hit_table_is_an_error(policy: str) -> None:
    with pytest.raises(EvaluationError, match="no rule matched"):
        value_for(policy, -1)
    with pytest.raises(EvaluationError, match="no rule matched"):
        value_for(policy, None)


# --------------------------------------------------------------------------- multiple hits


def test_collect_keeps_every_match_in_rule_order() -> None:
    result = value_for("C", 30)
    assert result.value == [{"out": "routine"}, {"out": "urgent"}, {"out": "soon"}, {"out": "routine"}]
    assert [h.rule for h in result.hits] == ["R-1", "R-2", "R-3", "R-4"]


def test_rule_order_keeps_the_written_order() -> None:
    result = value_for("R", 7)
    assert [h.rule for h in result.hits] == ["R-1", "R-3"]
    assert result.value == [{"out": "routine"}, {"out": "soon"}]


def test_output_order_sorts_by_priority_stably() -> None:
    result = value_for("O", 30)
    assert [h.rule for h in result.hits] == ["R-2", "R-3", "R-1", "R-4"]
    assert result.value == [{"out": "urgent"}, {"out": "soon"}, {"out": "routine"}, {"out": "routine"}]


@pytest.mark.parametrize("policy", ["C", "R", "O"])
def test_multiple_hit_policies_allow_no_match(policy: str) -> None:
    result = value_for(policy, -1)
    assert result.value == []
    assert result.hits == ()
    assert result.matched == ()


# --------------------------------------------------------------------------- aggregation

NUMBER_ROWS = [("N-1", "> 0", 2.5), ("N-2", "> 10", -4.0), ("N-3", "> 5", 10.0)]


@pytest.mark.parametrize(
    ("policy", "x", "expected"),
    [
        ("C+", 30, 8.5),
        ("C<", 30, -4.0),
        ("C>", 30, 10.0),
        ("C#", 30, 3),
        ("C+", 7, 12.5),
        ("C<", 7, 2.5),
        ("C>", 3, 2.5),
        ("C#", 7, 2),
    ],
)
def test_aggregations(policy: str, x: float, expected: float) -> None:
    result = value_for(policy, x, NUMBER_ROWS, output_type=FieldType.NUMBER)
    assert result.value == expected
    assert [h.rule for h in result.hits] == [r for r, cell, _ in NUMBER_ROWS if parse_unary_tests(cell).matches(x)]


@pytest.mark.parametrize(("policy", "expected"), [("C+", None), ("C<", None), ("C>", None), ("C#", 0)])
def test_aggregations_with_no_match(policy: str, expected: object) -> None:
    assert value_for(policy, -1, NUMBER_ROWS, output_type=FieldType.NUMBER).value == expected


def test_count_counts_enum_outputs_too() -> None:
    assert value_for("C#", 30).value == 4


@pytest.mark.parametrize("policy", ["C+", "C<", "C>"])
def test_numeric_aggregation_refuses_text_outputs(policy: str) -> None:
    with pytest.raises(EvaluationError, match="numeric"):
        value_for(policy, 30)


# --------------------------------------------------------------------------- the policy enum


def test_every_dmn_policy_is_known_with_its_kind() -> None:
    assert {p.value for p in HitPolicy} == {"U", "A", "P", "F", "C", "C+", "C<", "C>", "C#", "R", "O"}
    assert {p.value for p in HitPolicy if p.single_hit} == {"U", "A", "P", "F"}
    assert {p.value for p in HitPolicy if p.aggregated} == {"C+", "C<", "C>", "C#"}
    assert {p.value for p in HitPolicy if p.order_sensitive} == {"F", "R"}
    for policy in HitPolicy:
        assert policy.plain_words.strip()


def test_select_returns_kept_rules_and_value() -> None:
    table = make_table("O", ORDERED_ROWS)
    matched = tuple(r for r in table.rules if r.id in ("R-1", "R-3"))
    selection = select(table, matched)
    assert [r.id for r in selection.rules] == ["R-3", "R-1"]
    assert selection.value == [{"out": "soon"}, {"out": "routine"}]


def test_sum_is_exact_decimal_arithmetic() -> None:
    """FEEL adds decimals: 0.1 + 0.2 is 0.3, not the binary float 0.30000000000000004."""
    rows = [("S-1", "> 0", 0.1), ("S-2", "> 0", 0.2)]
    assert value_for("C+", 1, rows, output_type=FieldType.NUMBER).value == 0.3
    assert 0.1 + 0.2 != 0.3  # the float sum the engine used to give
