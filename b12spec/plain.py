"""Plain-language conditions, generated from the cells: the words a reviewer reads.

A reviewer should not have to read S-FEEL, and a hand-written paraphrase of a rule can drift
from its cells (the cell says ``< 100``, the note says "under 101"). Everything here is derived
from the parsed unary tests and the data dictionary, so the words cannot disagree with what the
engine executes; the free-text annotation is left to say only *why*.

The whole API is three functions (the site, the text report and the checks share them):

- ``describe_test(test, terms)``: one input entry, e.g. ``[100..200]`` -> "100 to 200 ng/L
  inclusive", ``not(true)`` -> "false or not recorded", ``-`` -> "any value";
- ``describe_condition(spec, table, rule)``: the rule's whole condition, input by input;
- ``describe_outputs(table, rule)``: what the rule gives, in the labels a clinician sees.

``terms_for(spec, column)`` gives the ``InputTerms`` (unit, value labels, value domain) of an
input column: from the data dictionary for a field, from the upstream decision's output for
``decision.output``.

Missing values follow FEEL, as the engine does: a comparison or a range never matches a missing
value, equality with a value never does, ``null`` does, and ``not(...)`` matches a missing value
only when every test inside it is a definite "no" for it. For booleans and enumerations the words
are computed by asking the test itself about every allowed value and about a missing one, so
even a negation reads as the set of values it really matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from b12spec.model import DecisionTable, FieldType, InputColumn, Rule, Spec
from b12spec.unary import Comparison, Interval, Literal, NullTest, PositiveTest, UnaryTest, Value, format_literal

ANY_VALUE = "any value"
MISSING = "not recorded"
ALWAYS = "in every case"


@dataclass(frozen=True)
class InputTerms:
    """What the words for one input need: its unit, its type, its allowed values and their labels."""

    type: FieldType | None = None
    unit: str | None = None
    values: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, value: str) -> str:
        for key, text in self.labels:
            if key == value:
                return text
        return value


def terms_for(spec: Spec, column: InputColumn) -> InputTerms:
    """The terms of an input column: a dictionary field's, or the upstream output's."""
    field = spec.dictionary.get(column.expression)
    if field is not None:
        return InputTerms(field.type, field.unit, field.values, field.value_labels)
    if column.decision is not None:
        try:
            upstream = spec.table(column.decision)
            output = upstream.output(column.output or "")
        except KeyError:
            return InputTerms()
        if upstream.hit_policy.aggregated:
            return InputTerms(FieldType.NUMBER)
        return InputTerms(output.type, None, output.values, output.value_labels)
    return InputTerms()


# --------------------------------------------------------------------------- one input entry


def describe_test(test: UnaryTest, terms: InputTerms | None = None) -> str:
    """One unary test in words, with the input's unit and value labels (see the module docstring)."""
    terms = terms or InputTerms()
    if test.is_any:
        return ANY_VALUE
    if terms.type is FieldType.BOOLEAN:
        return _by_domain(test, (True, False), lambda v: "true" if v else "false")
    if terms.type is FieldType.ENUM and terms.values and _only_literals(test):
        return _by_domain(test, terms.values, lambda v: terms.label(str(v)))
    body = _join([_positive(p, terms) for p in test.tests])
    if not test.negated:
        return body
    if all(isinstance(p, Literal) for p in test.tests):
        return f"anything except {body}, or {MISSING}"
    inner = _join([_positive(p, terms) for p in test.tests if not isinstance(p, NullTest)])
    return f"recorded and not {inner}" if inner else "recorded (any value)"


def _only_literals(test: UnaryTest) -> bool:
    return all(isinstance(p, (Literal, NullTest)) for p in test.tests)


def _by_domain(test: UnaryTest, domain: tuple[Value, ...], word: Callable[[Value], str]) -> str:
    """The values (and the missing value) the test really matches; a negation names what it excludes."""
    matched = [v for v in domain if test.matches(v)]
    missing = test.matches(None)
    if len(matched) == len(domain) and missing:
        return ANY_VALUE
    if len(matched) == len(domain):
        return "recorded (any value)"
    names = [word(v) for v in matched] + ([MISSING] if missing else [])
    if not names:
        return "never (no value matches)"
    excluded = [word(v) for v in domain if v not in matched]
    if test.negated and len(excluded) < len(matched):
        if missing:
            return f"anything except {_join(excluded)}, or {MISSING}"
        return f"any recorded value except {_join(excluded)}"
    return _join(names)


def _positive(test: PositiveTest, terms: InputTerms) -> str:
    unit = f" {terms.unit}" if terms.unit else ""
    if isinstance(test, NullTest):
        return MISSING
    if isinstance(test, Comparison):
        number = format_literal(test.value) + unit
        return {
            "<": f"below {number}",
            "<=": f"{number} or below",
            ">": f"above {number}",
            ">=": f"{number} or above",
        }[test.operator]
    if isinstance(test, Interval):
        low, high = format_literal(test.low), format_literal(test.high)
        if test.low_closed and test.high_closed:
            return f"{low} to {high}{unit} inclusive"
        if not test.low_closed and not test.high_closed:
            return f"between {low} and {high}{unit}, both excluded"
        if test.high_closed:
            return f"above {low} and up to {high}{unit} inclusive"
        return f"from {low}{unit} up to but not including {high}{unit}"
    value = test.value
    if isinstance(value, str):
        return terms.label(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"exactly {format_literal(value)}{unit}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " or " + parts[-1]


# --------------------------------------------------------------------------- a rule


def describe_inputs(spec: Spec, table: DecisionTable, rule: Rule) -> tuple[tuple[str, str], ...]:
    """(input label, words) for every input entry of the rule, ``-`` included."""
    return tuple(
        (column.label, describe_test(test, terms_for(spec, column)))
        for column, test in zip(table.inputs, rule.inputs, strict=False)
    )


def describe_condition(spec: Spec, table: DecisionTable, rule: Rule) -> str:
    """The rule's condition in one line: its non-trivial entries joined by "and"."""
    parts = [f"{label} is {words}" for label, words in describe_inputs(spec, table, rule) if words != ANY_VALUE]
    return "; and ".join(parts) if parts else ALWAYS


def describe_outputs(table: DecisionTable, rule: Rule) -> str:
    """What the rule gives, output by output, in the labels the sidecar declares."""
    return "; ".join(
        f"{column.label}: {column.label_of(value)}" for column, value in zip(table.outputs, rule.outputs, strict=False)
    )
