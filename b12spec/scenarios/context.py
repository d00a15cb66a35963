"""What a scenario builds up as its steps run: the patient case, the engine's evaluations and
the decisions its Then steps asserted (coverage counts a rule only where its result was checked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from b12spec.errors import CaseError
from b12spec.evaluate import DecisionResult, Evaluation
from b12spec.model import DecisionTable, OutputColumn, Spec


@dataclass
class ScenarioContext:
    spec: Spec
    case: dict[str, Any] = field(default_factory=dict)
    evaluations: list[Evaluation] = field(default_factory=list)
    refusal: CaseError | None = None
    asserted: set[str] = field(default_factory=set)

    @property
    def evaluation(self) -> Evaluation:
        """The latest evaluation; a Then step before any When, or after a refusal, fails."""
        if self.refusal is not None:
            raise AssertionError(f"the case was refused, so nothing was recommended: {self.refusal}")
        if not self.evaluations:
            raise AssertionError("the guideline has not been applied yet (add: When the guideline is applied)")
        return self.evaluations[-1]

    def result(self, table: DecisionTable) -> DecisionResult:
        self.asserted.add(table.name)
        return self.evaluation.results[table.name]

    def values(self, table: DecisionTable, column: OutputColumn) -> list[Any]:
        """The values one output took: one for a single-hit table, one per kept rule otherwise."""
        result = self.result(table)
        if table.hit_policy.single_hit:
            return [result.value[column.name]]
        return [hit.outputs[column.name] for hit in result.hits]

    @property
    def fired_rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rule for evaluation in self.evaluations for rule in evaluation.fired_rules))
