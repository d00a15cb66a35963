"""What a scenario builds up as its steps run: the patient case, the engine's evaluations, and
what its Then steps checked, down to the output value (coverage counts a rule only where a step
checked that rule's result: present, absent, or the whole output)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from b12spec.errors import CaseError
from b12spec.evaluate import DecisionResult, Evaluation
from b12spec.model import DecisionTable, OutputColumn, Spec

# Stands for "every value of this output": a step that pins the whole output ("the route is X",
# "no precaution is given", "exactly 3 alternatives") checks every rule of the table at once.
EVERY_VALUE = "(every value)"

Check = tuple[str, str, Any]


@dataclass
class ScenarioContext:
    spec: Spec
    case: dict[str, Any] = field(default_factory=dict)
    evaluations: list[Evaluation] = field(default_factory=list)
    refusal: CaseError | None = None
    asserted: set[str] = field(default_factory=set)
    checked: set[Check] = field(default_factory=set)

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

    def check(self, table: DecisionTable, column: OutputColumn, value: Any = EVERY_VALUE) -> None:
        """Record that a step checked this output value (or the whole output) of the table."""
        self.asserted.add(table.name)
        self.checked.add((table.name, column.name, value))

    def values(self, table: DecisionTable, column: OutputColumn) -> list[Any]:
        """The values one output took, read from the decision's result as its hit policy shaped
        it: one for a single-hit table, one per kept rule for C, R and O. An aggregated policy
        (C#, C+, C<, C>) yields a number, not recommendations, so asking for them fails."""
        result = self.result(table)
        if table.hit_policy.single_hit:
            return [result.value[column.name]]
        if table.hit_policy.aggregated:
            policy = table.hit_policy.value
            raise AssertionError(f"{table.title}: hit policy {policy} gives {result.value!r}, not {column.label}s")
        return [entry[column.name] for entry in result.value]

    @property
    def fired_rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rule for evaluation in self.evaluations for rule in evaluation.fired_rules))
