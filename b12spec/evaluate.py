"""Evaluation of a validated case through every decision, as pure functions.

The result keeps, for every decision, what it saw, which rules matched, which the hit policy
kept, and their citations: a clinician can follow any recommendation back to the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from b12spec.case import PatientCase, validate_case
from b12spec.hitpolicy import Selection, outputs_of, select
from b12spec.model import DecisionTable, HitPolicy, Spec
from b12spec.requirements import evaluation_order
from b12spec.unary import Value


@dataclass(frozen=True)
class RuleHit:
    """A rule the hit policy kept, with everything needed to cite it."""

    rule: str
    row: int
    outputs: Mapping[str, Value]
    citations: tuple[str, ...]
    open_questions: tuple[str, ...]
    annotation: str


@dataclass(frozen=True)
class DecisionResult:
    decision: str
    title: str
    hit_policy: HitPolicy
    inputs: Mapping[str, Value]
    matched: tuple[str, ...]
    hits: tuple[RuleHit, ...]
    value: Any

    @property
    def open_questions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q for hit in self.hits for q in hit.open_questions))


@dataclass(frozen=True)
class Evaluation:
    case: PatientCase
    results: Mapping[str, DecisionResult]

    @property
    def fired_rules(self) -> tuple[str, ...]:
        return tuple(hit.rule for result in self.results.values() for hit in result.hits)

    @property
    def matched_rules(self) -> tuple[str, ...]:
        return tuple(rule for result in self.results.values() for rule in result.matched)


def hits_of(table: DecisionTable, selection: Selection) -> tuple[RuleHit, ...]:
    """The rules a hit policy kept, each with its outputs and citations."""
    return tuple(
        RuleHit(r.id, r.row, outputs_of(table, r), r.citations, r.open_questions, r.annotation) for r in selection.rules
    )


def published_outputs(table: DecisionTable, value: Any) -> dict[str, Value]:
    """What a decision's result puts in the context for downstream tables, keyed ``decision.output``.

    Single-hit tables publish each output; aggregated ones their one number; C, R and O publish
    nothing (a list is no value a unary test can read). ``value`` None publishes nulls.
    """
    if table.hit_policy.single_hit:
        return {f"{table.name}.{c.name}": (value[c.name] if value is not None else None) for c in table.outputs}
    if table.hit_policy.aggregated:
        return {f"{table.name}.{table.outputs[0].name}": value}
    return {}


def evaluate_table(table: DecisionTable, context: Mapping[str, Value]) -> DecisionResult:
    """Evaluate one table against input values keyed by input expression."""
    seen = {column.expression: context.get(column.expression) for column in table.inputs}
    values = tuple(seen[column.expression] for column in table.inputs)
    matched = tuple(rule for rule in table.rules if rule.matches(values))
    selection = select(table, matched)
    return DecisionResult(
        table.name, table.title, table.hit_policy, seen, tuple(r.id for r in matched), hits_of(table, selection),
        selection.value,
    )


def evaluate_case(spec: Spec, case: PatientCase) -> Evaluation:
    """Evaluate every decision in dependency order; downstream tables see upstream outputs."""
    context: dict[str, Value] = dict(case.values)
    results: dict[str, DecisionResult] = {}
    # A Spec built in code rather than by load_spec has no order yet: derive it (cycles refused)
    # instead of silently evaluating nothing.
    order = spec.order or evaluation_order(spec)
    for name in order:
        table = spec.table(name)
        result = evaluate_table(table, context)
        results[name] = result
        context.update(published_outputs(table, result.value))
    return Evaluation(case, results)


def evaluate(spec: Spec, raw_case: Any) -> Evaluation:
    """Validate, then evaluate; raises CaseError (nothing evaluated) or EvaluationError."""
    return evaluate_case(spec, validate_case(raw_case, spec.dictionary))
