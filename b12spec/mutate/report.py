"""The mutation run as text for a person and as ``reports/mutation.json`` for the site and CI.

The JSON follows the shared report contract (total, killed, equivalent, survived, score, seconds,
survivors, killed_by); entries carry a few extra keys (file, column, operator, witness, ...) that
help an author write the missing scenario. ``score`` is a fraction from 0 to 1.
"""

from __future__ import annotations

from typing import Any

from b12spec.mutate.runner import MutantOutcome, MutationRun, Status


def _entry(outcome: MutantOutcome) -> dict[str, Any]:
    mutant = outcome.mutant
    return {
        "table": mutant.table,
        "rule": mutant.rule,
        "change": mutant.change,
        "file": mutant.file,
        "column": mutant.column,
        "operator": mutant.operator,
        "before": mutant.before,
        "after": mutant.after,
    }


def run_to_dict(run: MutationRun) -> dict[str, Any]:
    """The contract's shape, plus the verifier's proofs and the effort spent."""
    survivors = []
    for outcome in run.survivors:
        entry = _entry(outcome)
        entry["reason"] = outcome.reason
        entry["witness"] = dict(outcome.witness) if outcome.witness else None
        survivors.append(entry)
    killed_by = []
    for outcome in run.outcomes:
        if outcome.status is Status.KILLED:
            entry = _entry(outcome)
            entry["scenario"] = outcome.scenario
            entry["feature_file"] = outcome.feature_file
            entry["failure"] = outcome.reason
            killed_by.append(entry)
    equivalents = [_entry(o) for o in run.outcomes if o.status is Status.EQUIVALENT]
    return {
        "total": run.total,
        "killed": run.killed,
        "equivalent": run.equivalent,
        "survived": run.survived,
        "score": round(run.score, 6),
        "seconds": round(run.seconds, 3),
        "survivors": survivors,
        "killed_by": killed_by,
        "equivalents": equivalents,
        "scenarios": run.scenarios,
        "scenario_runs": run.scenario_runs,
        "verifier": run.verifier,
        "tables": list(run.tables),
    }


def render_summary(run: MutationRun) -> str:
    """Counts, score and time first (what CI logs show), then every survivor with its witness."""
    lines = [
        f"mutants: {run.total}  killed: {run.killed}  proven equivalent: {run.equivalent}  "
        f"survived: {run.survived}  score: {run.score:.1%}  seconds: {run.seconds:.1f}",
        f"scenarios: {run.scenarios}  scenario runs against mutants: {run.scenario_runs - run.scenarios}",
    ]
    if not run.verifier:
        lines.append("note: the verifier (b12spec.verify) is not available, so no mutant could be proven equivalent")
    if run.survivors:
        lines.append("")
        lines.append(f"{run.survived} mutant(s) survived: no scenario fails when the table is changed so:")
        for outcome in run.survivors:
            lines.append(f"  - {outcome.mutant.description}")
            if outcome.witness:
                shown = ", ".join(f"{k}={v!r}" for k, v in outcome.witness.items())
                lines.append(f"      the tables differ for: {shown}")
            elif outcome.reason and outcome.reason != "no scenario fails":
                lines.append(f"      ({outcome.reason})")
    return "\n".join(lines)

