"""The mutation run as text for a person and as ``reports/mutation.json`` for the site and CI.

The JSON follows the shared report contract (total, killed, equivalent, survived, score, seconds,
survivors, killed_by); entries carry a few extra keys (file, column, operator, witness, ...) that
help an author write the missing scenario. ``score`` is a fraction from 0 to 1.
"""

from __future__ import annotations

from typing import Any

from b12spec.mutate.operators import OPERATORS
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
        "by_operator": by_operator(run),
    }


def by_operator(run: MutationRun) -> dict[str, dict[str, int]]:
    """Mutants and kills per operator, in operator order (citations and figures included)."""
    counts: dict[str, dict[str, int]] = {}
    for operator in OPERATORS:
        mine = [o for o in run.outcomes if o.mutant.operator == operator]
        if mine:
            counts[operator] = {status.value: sum(o.status is status for o in mine) for status in Status}
            counts[operator]["total"] = len(mine)
    return counts


def render_summary(run: MutationRun) -> str:
    """Counts, score and time first (what CI logs show), then every survivor with its witness."""
    lines = [
        f"mutants: {run.total}  killed: {run.killed}  proven equivalent: {run.equivalent}  "
        f"survived: {run.survived}  score: {run.score:.1%}  seconds: {run.seconds:.1f}",
        f"scenarios: {run.scenarios}  scenario runs against mutants: {run.scenario_runs - run.scenarios}",
    ]
    meta = [o for o in run.outcomes if o.mutant.metadata]
    if meta:
        killed = sum(o.status is Status.KILLED for o in meta)
        lines.append(f"of which citations, figures and open-question links: {len(meta)}  killed: {killed} "
                     f"({sum(o.scenario == 'b12spec check' for o in meta)} by b12spec check)")
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

