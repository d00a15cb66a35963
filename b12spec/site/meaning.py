"""What a rule means, for the reviewer: its condition and its outputs in words, beside the cells.

The words come from ``b12spec.plain`` (generated from the parsed cells, so they cannot disagree
with what the engine executes); the cell is shown beside them, for the reviewer who reads S-FEEL.
"""

from __future__ import annotations

from dataclasses import dataclass

from b12spec.model import DecisionTable, Rule, Spec
from b12spec.plain import describe_inputs
from b12spec.unary import Value

ANY_CELL = "-"


@dataclass(frozen=True)
class Condition:
    """One input entry of a rule: the input's label, the entry in words, and the cell as written."""

    label: str
    words: str
    cell: str
    expression: str


@dataclass(frozen=True)
class Outcome:
    """One output of a rule: the output's label, the value's label, and the value as written."""

    label: str
    value_label: str
    value: Value


@dataclass(frozen=True)
class RuleMeaning:
    """The rule read as a reviewer reads it."""

    when: tuple[Condition, ...]
    then: tuple[Outcome, ...]


def rule_meaning(spec: Spec, table: DecisionTable, rule: Rule) -> RuleMeaning:
    """The rule's non-trivial conditions (an entry ``-`` matches anything) and all its outputs."""
    cells = rule.input_text or tuple(ANY_CELL for _ in table.inputs)
    words = [w for _, w in describe_inputs(spec, table, rule)]
    when = tuple(
        Condition(column.label, word, cell, column.expression)
        for column, word, cell in zip(table.inputs, words, cells, strict=False)
        if cell.strip() != ANY_CELL
    )
    then = tuple(
        Outcome(column.label, column.label_of(value), value)
        for column, value in zip(table.outputs, rule.outputs, strict=False)
    )
    return RuleMeaning(when, then)
