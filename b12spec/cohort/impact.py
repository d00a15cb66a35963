"""What a change to the spec does to a population: patients whose results differ between two specs.

Both specs are compiled and run on the same rows (each validates them against its own data
dictionary: a row valid under one and not the other is counted apart). For every decision the
rows whose kept rules or outputs differ are counted, by the change of rules (``TX-03 -> TX-08``),
with example rows showing both results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.results import output_texts
from b12spec.cohort.validate import validate_columns
from b12spec.cohort.vectorised import evaluate_validated

EXAMPLES = 6  # example rows shown per decision


@dataclass
class DecisionImpact:
    decision: str
    changed: int = 0
    by_rules: Counter[tuple[str, str]] = field(default_factory=Counter)  # (before, after) kept rules
    examples: list[tuple[int, str, str]] = field(default_factory=list)  # (row, before, after)


@dataclass
class Impact:
    rows: int = 0
    compared: int = 0
    invalid_before: int = 0
    invalid_after: int = 0
    patients_changed: int = 0
    decisions: dict[str, DecisionImpact] = field(default_factory=dict)
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def render(self) -> str:
        lines = [
            f"{self.rows} patients: {self.compared} valid under both specs compared "
            f"({self.invalid_before} invalid before, {self.invalid_after} invalid after)",
            f"{self.patients_changed} patients get a different result in at least one decision",
        ]
        if self.added or self.removed:
            lines.append(f"decisions added: {', '.join(self.added) or '-'}; removed: {', '.join(self.removed) or '-'}")
        for name, impact in self.decisions.items():
            if not impact.changed:
                continue
            lines.append("")
            lines.append(f"{name}: {impact.changed} patients changed")
            for (before, after), count in impact.by_rules.most_common():
                lines.append(f"  {count:>9}  {before or '(no rule)'} -> {after or '(no rule)'}")
            for row, before, after in impact.examples:
                lines.append(f"  e.g. row {row}: {before}  ->  {after}")
        if not self.patients_changed:
            lines.append("no patient's result changes")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows, "compared": self.compared, "invalid_before": self.invalid_before,
            "invalid_after": self.invalid_after, "patients_changed": self.patients_changed,
            "added": list(self.added), "removed": list(self.removed),
            "decisions": {
                name: {
                    "changed": d.changed,
                    "by_rules": [{"before": b, "after": a, "patients": n} for (b, a), n in d.by_rules.most_common()],
                    "examples": [{"row": r, "before": b, "after": a} for r, b, a in d.examples],
                }
                for name, d in self.decisions.items()
            },
        }


def _described(compiled_spec: CompiledSpec, name: str, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the kept rules, and the results as text (outputs and rules), of one decision."""
    plan = compiled_spec.plans[name]
    texts = output_texts(plan)
    rules = texts.pop(f"{name}:rules")
    shown = np.asarray(
        ["; ".join(f"{column} = {texts[column][o.index]}" for column in texts) + f" [{rules[o.index]}]"
         if o.error is None else f"error: {o.error[2]}" for o in plan.outcomes],
        dtype=object,
    )
    return rules[ids], shown[ids]


def impact(before: CompiledSpec, after: CompiledSpec, frame: pd.DataFrame, first_row: int = 1) -> Impact:
    found = Impact(rows=len(frame))
    valid_before = ~validate_columns(frame, before.spec.dictionary, before.codecs).invalid
    valid_after = ~validate_columns(frame, after.spec.dictionary, after.codecs).invalid
    found.invalid_before = int((~valid_before).sum())
    found.invalid_after = int((~valid_after).sum())
    both = valid_before & valid_after
    found.compared = int(both.sum())
    outcomes_before = evaluate_validated(before, validate_columns(frame, before.spec.dictionary, before.codecs))
    outcomes_after = evaluate_validated(after, validate_columns(frame, after.spec.dictionary, after.codecs))
    found.added = tuple(n for n in after.order if n not in before.plans)
    found.removed = tuple(n for n in before.order if n not in after.plans)
    changed_any = np.zeros(len(frame), dtype=bool)
    for name in after.order:
        if name not in before.plans:
            continue
        rules_before, shown_before = _described(before, name, outcomes_before.by_decision[name])
        rules_after, shown_after = _described(after, name, outcomes_after.by_decision[name])
        changed = both & (shown_before != shown_after)
        decision = DecisionImpact(name, int(changed.sum()))
        rows = np.flatnonzero(changed)
        if len(rows):
            decision.by_rules = Counter(zip(map(str, rules_before[rows]), map(str, rules_after[rows]), strict=True))
            decision.examples = [
                (first_row + int(r), str(shown_before[r]), str(shown_after[r])) for r in rows[:EXAMPLES]
            ]
        changed_any |= changed
        found.decisions[name] = decision
    found.patients_changed = int(changed_any.sum())
    return found
