"""Plain-language conditions: the words are generated from the cells, and follow FEEL's nulls."""

from __future__ import annotations

import pytest

from b12spec.model import FieldType, InputColumn, Spec
from b12spec.plain import (
    ALWAYS,
    ANY_VALUE,
    InputTerms,
    describe_condition,
    describe_outputs,
    describe_test,
    terms_for,
)
from b12spec.report import render_text
from b12spec.unary import parse_unary_tests

NG = InputTerms(FieldType.NUMBER, "ng/L")
BOOL = InputTerms(FieldType.BOOLEAN)
DIET = InputTerms(FieldType.ENUM, None, ("omnivore", "vegetarian", "vegan"),
                  (("omnivore", "Eats meat"), ("vegetarian", "Vegetarian"), ("vegan", "Vegan")))


@pytest.mark.parametrize(
    ("cell", "terms", "words"),
    [
        ("-", NG, ANY_VALUE),
        ("[180..350]", NG, "180 to 350 ng/L inclusive"),
        ("(0..20]", NG, "above 0 and up to 20 ng/L inclusive"),
        ("[16..130)", NG, "from 16 ng/L up to but not including 130 ng/L"),
        ("]20..100[", NG, "between 20 and 100 ng/L, both excluded"),
        ("< 180", NG, "below 180 ng/L"),
        ("<= 180", NG, "180 ng/L or below"),
        ("> 350", NG, "above 350 ng/L"),
        (">= 25", NG, "25 ng/L or above"),
        (">= 180, null", NG, "180 ng/L or above or not recorded"),
        ("12.5", NG, "exactly 12.5 ng/L"),
        ("null", NG, "not recorded"),
        ("not(null)", NG, "recorded (any value)"),
        ("not(< 180)", NG, "recorded and not below 180 ng/L"),
        ("not(true)", BOOL, "false or not recorded"),
        ("not(false)", BOOL, "true or not recorded"),
        ("true", BOOL, "true"),
        ("false, null", BOOL, "false or not recorded"),
        ("not(null)", BOOL, "recorded (any value)"),
        ('"vegan"', DIET, "Vegan"),
        ('"vegetarian","vegan"', DIET, "Vegetarian or Vegan"),
        ('not("omnivore")', DIET, "anything except Eats meat, or not recorded"),
        ('not("omnivore", null)', DIET, "any recorded value except Eats meat"),
    ],
)
def test_a_cell_in_words(cell: str, terms: InputTerms, words: str) -> None:
    assert describe_test(parse_unary_tests(cell), terms) == words


def test_words_for_a_finite_input_name_exactly_what_the_test_matches() -> None:
    """For booleans and enumerations the words are computed from ``matches``: check both ways."""
    labels = dict(DIET.labels)
    for cell in ('"vegan"', 'not("vegan")', 'not("vegan", "vegetarian")', '"vegan", null', 'not(null)'):
        test = parse_unary_tests(cell)
        words = describe_test(test, DIET)
        for value in DIET.values:
            if words in (ANY_VALUE, "recorded (any value)"):
                assert test.matches(value), (cell, value)
                continue
            named = labels[value] in words
            excepted = "except" in words
            assert test.matches(value) is (named != excepted), (cell, value, words)


def test_terms_come_from_the_dictionary_and_from_upstream_outputs(spec: Spec) -> None:
    total = terms_for(spec, InputColumn("total_b12", "Total B12"))
    assert (total.type, total.unit) == (FieldType.NUMBER, spec.dictionary.get("total_b12").unit)
    status = terms_for(spec, InputColumn("b12_status.status", "B12 status", "b12_status"))
    assert status.labels == spec.table("b12_status").output("status").value_labels
    assert terms_for(spec, InputColumn("nowhere", "?")) == InputTerms()


def test_a_rule_condition_and_outputs_follow_its_cells(spec: Spec) -> None:
    table = spec.table("b12_status")
    rule = table.rules[0]
    condition = describe_condition(spec, table, rule)
    for column, test in zip(table.inputs, rule.inputs, strict=True):
        if not test.is_any:
            assert f"{column.label} is {describe_test(test, terms_for(spec, column))}" in condition
    outputs = describe_outputs(table, rule)
    for column, value in zip(table.outputs, rule.outputs, strict=True):
        assert f"{column.label}: {column.label_of(value)}" in outputs


def test_a_rule_of_dashes_holds_in_every_case(spec: Spec) -> None:
    import dataclasses

    table = spec.table("b12_status")
    blank = dataclasses.replace(table.rules[0], inputs=tuple(parse_unary_tests("-") for _ in table.inputs))
    assert describe_condition(spec, table, blank) == ALWAYS


def test_the_text_report_spells_out_each_rule_condition_once(spec: Spec, base_case: dict) -> None:
    from b12spec.evaluate import evaluate

    evaluation = evaluate(spec, {**base_case, "total_b12": {"value": 150, "unit": "ng/L"}})
    text = render_text(spec, evaluation)
    table = spec.table("b12_status")
    rule = next(r for r in table.rules if r.id in evaluation.results["b12_status"].matched)
    line = f"when ({rule.id}): {describe_condition(spec, table, rule)}"
    assert text.count(line) == 1
