"""Outcome indices to what a reader gets: one row per patient, and the cohort's summary.

Every column is built per *outcome* (a few per table) and then indexed by the rows' outcome
indices, so a million rows cost an array take per column, not a million Python calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from b12spec.cohort.plan import CompiledSpec, Outcome, TablePlan
from b12spec.errors import CaseProblem
from b12spec.unary import format_literal

EVALUATED, INVALID, ERROR = "evaluated", "invalid", "error"
WARNING_SECTION = "pitfalls"  # the report's section of warnings on a proposed plan
SHOWN_INVALID = 30  # invalid rows listed in the printed summary (the results file has them all)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_literal(value)
    return str(value)


def output_texts(plan: TablePlan) -> dict[str, np.ndarray]:
    """Per outcome: each output column's text (several kept rules joined by '; '), and the rules."""
    columns: dict[str, list[str]] = {f"{plan.name}.{c.name}": [] for c in plan.table.outputs}
    rules: list[str] = []
    for outcome in plan.outcomes:
        for column in plan.table.outputs:
            texts = [_shown(hit.outputs.get(column.name)) for hit in outcome.hits]
            if plan.table.hit_policy.aggregated and column is plan.table.outputs[0]:
                texts = [_shown(outcome.value)]
            columns[f"{plan.name}.{column.name}"].append("; ".join(texts))
        rules.append("; ".join(outcome.kept))
    found = {name: np.asarray(texts, dtype=object) for name, texts in columns.items()}
    found[f"{plan.name}:rules"] = np.asarray(rules, dtype=object)
    return found


def result_frame(
    compiled_spec: CompiledSpec,
    outcomes: Mapping[str, np.ndarray],
    status: np.ndarray,
    notes: np.ndarray,
    first_row: int = 1,
) -> pd.DataFrame:
    """One row per patient: row number, status, problems, then each decision's outputs and rules."""
    rows = len(status)
    data: dict[str, object] = {
        "row": np.arange(first_row, first_row + rows),
        "status": status,
        "problems": notes,
    }
    evaluated = status == EVALUATED
    for name, plan in compiled_spec.plans.items():
        ids = outcomes[name]
        for column, texts in output_texts(plan).items():
            values = texts[ids]
            values = np.where(evaluated, values, "")
            data[column] = values
    return pd.DataFrame(data)


def describe_problems(problems: tuple[CaseProblem, ...]) -> str:
    return "; ".join(f"{p.field}: got {p.value!r}, allowed {p.allowed}" for p in problems)


@dataclass
class Summary:
    """Counts over a cohort, added up chunk by chunk."""

    rows: int = 0
    evaluated: int = 0
    invalid: int = 0
    errors: int = 0
    recommendations: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (decision, output, value)
    warnings: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    open_questions: Counter[str] = field(default_factory=Counter)
    invalid_rows: list[tuple[int, tuple[CaseProblem, ...]]] = field(default_factory=list)
    error_rows: list[tuple[int, str]] = field(default_factory=list)

    def add(self, compiled_spec: CompiledSpec, outcomes: Mapping[str, np.ndarray], status: np.ndarray) -> None:
        evaluated = status == EVALUATED
        self.rows += len(status)
        self.evaluated += int(evaluated.sum())
        self.invalid += int((status == INVALID).sum())
        self.errors += int((status == ERROR).sum())
        asked: dict[str, np.ndarray] = {}
        for name, plan in compiled_spec.plans.items():
            ids = outcomes[name][evaluated]
            counts = np.bincount(ids, minlength=len(plan.outcomes))
            target = self.warnings if plan.table.section == WARNING_SECTION else self.recommendations
            for outcome, count in zip(plan.outcomes, counts.tolist(), strict=True):
                if not count:
                    continue
                for key in _values(plan, outcome):
                    target[key] += count
            by_question: dict[str, list[int]] = {}
            for outcome in plan.outcomes:
                for question in {q for hit in outcome.hits for q in hit.open_questions}:
                    by_question.setdefault(question, []).append(outcome.index)
            for question, indices in by_question.items():
                hit = np.isin(ids, indices)
                asked[question] = asked[question] | hit if question in asked else hit
        for question, hit in asked.items():
            self.open_questions[question] += int(hit.sum())

    def render(self, compiled_spec: CompiledSpec, show_invalid: int = SHOWN_INVALID) -> str:
        spec = compiled_spec.spec
        lines = [
            f"{self.rows} patients: {self.evaluated} evaluated, {self.invalid} invalid (not evaluated), "
            f"{self.errors} with an evaluation error (not evaluated)"
        ]
        for heading, counter in (("Patients per recommendation", self.recommendations),
                                 ("Patients per warning", self.warnings)):
            lines.append("")
            lines.append(heading + ":")
            if not counter:
                lines.append("  (none)")
            for (decision, output, value), count in sorted(counter.items()):
                label = spec.table(decision).output(output).label_of(value) if value else "(none)"
                lines.append(f"  {count:>9}  {decision}.{output} = {value}  ({label})")
        lines.append("")
        lines.append("Patients per open question (not specified by the source):")
        titles = {q.id: q.title for q in spec.open_questions}
        if not self.open_questions:
            lines.append("  (none)")
        for question, count in sorted(self.open_questions.items()):
            lines.append(f"  {count:>9}  {question} {titles.get(question, '')}")
        if self.invalid_rows:
            lines.append("")
            lines.append(f"Invalid rows (first {min(show_invalid, len(self.invalid_rows))} of {self.invalid}):")
            for row, problems in self.invalid_rows[:show_invalid]:
                for problem in problems:
                    lines.append(f"  row {row}: {problem}")
        if self.error_rows:
            lines.append("")
            lines.append(f"Rows with an evaluation error (first {min(show_invalid, len(self.error_rows))}):")
            for row, message in self.error_rows[:show_invalid]:
                lines.append(f"  row {row}: {message}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "evaluated": self.evaluated,
            "invalid": self.invalid,
            "errors": self.errors,
            "recommendations": [
                {"decision": d, "output": o, "value": v, "patients": n}
                for (d, o, v), n in sorted(self.recommendations.items())
            ],
            "warnings": [
                {"decision": d, "output": o, "value": v, "patients": n}
                for (d, o, v), n in sorted(self.warnings.items())
            ],
            "open_questions": dict(sorted(self.open_questions.items())),
            "invalid_rows": [
                {"row": row, "problems": [{"field": p.field, "value": p.value, "allowed": p.allowed} for p in problems]}
                for row, problems in self.invalid_rows
            ],
            "error_rows": [{"row": row, "error": message} for row, message in self.error_rows],
        }


def _values(plan: TablePlan, outcome: Outcome) -> list[tuple[str, str, str]]:
    """The (decision, output, value) an outcome gives, once each."""
    found: list[tuple[str, str, str]] = []
    for hit in outcome.hits:
        for column in plan.table.outputs:
            key = (plan.name, column.name, _shown(hit.outputs.get(column.name)))
            if key not in found:
                found.append(key)
    if plan.table.hit_policy.aggregated:
        found = [(plan.name, plan.table.outputs[0].name, _shown(outcome.value))]
    return found
