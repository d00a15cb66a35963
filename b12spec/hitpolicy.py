"""DMN 1.3 hit policies as one pure function from the matched rules to the table's result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from b12spec.errors import EvaluationError, HitPolicyViolation, spoken
from b12spec.model import DecisionTable, HitPolicy, Rule


@dataclass(frozen=True)
class Selection:
    """Which matched rules the policy keeps, and the table's value.

    ``value`` is a mapping of output name to value for single-hit policies, a list of such
    mappings for C, R and O, and a single number (or None) for C+, C<, C> and C#.
    """

    rules: tuple[Rule, ...]
    value: Any


def outputs_of(table: DecisionTable, rule: Rule) -> dict[str, Any]:
    return {column.name: value for column, value in zip(table.outputs, rule.outputs, strict=False)}


def _shown(outputs: dict[str, Any]) -> str:
    return ", ".join(f"{name} = {spoken(value)}" for name, value in outputs.items())


def _priority_key(table: DecisionTable, rule: Rule) -> tuple[int, ...]:
    return tuple(column.priority(value) for column, value in zip(table.outputs, rule.outputs, strict=False))


def select(table: DecisionTable, matched: tuple[Rule, ...]) -> Selection:
    """Apply the table's hit policy to the rules that matched, in rule order."""
    policy = table.hit_policy
    if policy.single_hit:
        return _single(table, matched)
    if policy is HitPolicy.OUTPUT_ORDER:
        ordered = tuple(sorted(matched, key=lambda r: _priority_key(table, r)))
        return Selection(ordered, [outputs_of(table, r) for r in ordered])
    if policy in (HitPolicy.COLLECT, HitPolicy.RULE_ORDER):
        return Selection(matched, [outputs_of(table, r) for r in matched])
    return Selection(matched, _aggregate(table, matched))


def _single(table: DecisionTable, matched: tuple[Rule, ...]) -> Selection:
    policy = table.hit_policy
    if not matched:
        raise EvaluationError(table.name, "no rule matched these inputs: the table has a gap (see b12spec check)")
    if policy is HitPolicy.UNIQUE and len(matched) > 1:
        ids = ", ".join(r.id for r in matched)
        raise HitPolicyViolation(table.name, f"hit policy U allows one matching rule, but {ids} all matched")
    if policy is HitPolicy.ANY:
        first = outputs_of(table, matched[0])
        for other in matched[1:]:
            if outputs_of(table, other) != first:
                raise HitPolicyViolation(
                    table.name,
                    f"hit policy A needs matching rules to agree, but {matched[0].id} gives {_shown(first)} "
                    f"and {other.id} gives {_shown(outputs_of(table, other))}",
                )
    winner = min(matched, key=lambda r: _priority_key(table, r)) if policy is HitPolicy.PRIORITY else matched[0]
    return Selection((winner,), outputs_of(table, winner))


def _aggregate(table: DecisionTable, matched: tuple[Rule, ...]) -> Any:
    policy = table.hit_policy
    values = [r.outputs[0] for r in matched]
    if policy is HitPolicy.COLLECT_COUNT:
        return len(values)
    if not values:
        return None
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) != len(values):
        raise EvaluationError(table.name, f"hit policy {policy.value} needs numeric outputs, got {values}")
    if policy is HitPolicy.COLLECT_SUM:
        return exact_sum(numbers)
    if policy is HitPolicy.COLLECT_MIN:
        return min(numbers)
    return max(numbers)


def exact_sum(values: list[float]) -> float:
    """The sum FEEL defines: decimal arithmetic on the numbers as written, so 0.1 + 0.2 is 0.3
    (binary floats give 0.30000000000000004, which a threshold downstream would then miss)."""
    total = sum((Decimal(repr(float(v))) for v in values), Decimal(0))
    return float(total)
