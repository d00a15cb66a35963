"""`b12spec impact`: the patients whose results a change to a table changes, and nobody else."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from b12spec.cli import main
from b12spec.cohort.impact import impact
from b12spec.cohort.plan import CompiledSpec, compiled
from b12spec.model import Spec
from b12spec.workspace import load_spec

from .helpers import random_case, row_of

REPO_SPEC = Path(__file__).resolve().parents[2] / "spec"


def _patients(spec: Spec, rows: int) -> pd.DataFrame:
    rng = random.Random(12)
    return pd.DataFrame([row_of(random_case(spec, rng)) for _ in range(rows)])


def _swap_outputs(spec: Spec, spec_dir: Path) -> str:
    """Swap the outputs of the first two rules that differ, in the first table in evaluation order
    that has them: a deliberate change of results. Returns the table's name."""
    for name in spec.order:
        table = spec.table(name)
        if len(table.rules) >= 2 and table.rules[0].outputs != table.rules[1].outputs:
            path = spec_dir / "tables" / f"{name}.csv"
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            outputs = [c.name for c in table.outputs]
            first, second = frame.loc[0, outputs].copy(), frame.loc[1, outputs].copy()
            frame.loc[0, outputs], frame.loc[1, outputs] = second.to_numpy(), first.to_numpy()
            frame.to_csv(path, index=False)
            return name
    raise AssertionError("no table to change")


def test_only_patients_near_the_moved_boundary_change(spec: Spec, compiled_spec: CompiledSpec,
                                                      tmp_path: Path) -> None:
    edited = tmp_path / "spec"
    shutil.copytree(REPO_SPEC, edited)
    name = _swap_outputs(spec, edited)
    after = compiled(load_spec(edited))
    frame = _patients(spec, 2000)
    found = impact(compiled_spec, after, frame)
    same = impact(compiled_spec, compiled_spec, frame)
    assert same.patients_changed == 0 and "no patient's result changes" in same.render()
    # exactly the patients matching one of the two swapped rules change in that decision
    first, second = (r.id for r in spec.table(name).rules[:2])
    from b12spec.cohort.validate import validate_columns
    from b12spec.cohort.vectorised import evaluate_validated

    ids = evaluate_validated(compiled_spec, validate_columns(frame, spec.dictionary, compiled_spec.codecs))
    kept = [compiled_spec.plans[name].outcomes[i].kept for i in ids.by_decision[name].tolist()]
    expected = sum(1 for rules in kept if (first in rules) != (second in rules))
    assert found.decisions[name].changed == expected > 0
    assert sum(found.decisions[name].by_rules.values()) == expected
    assert found.decisions[name].examples and found.patients_changed >= expected


def test_impact_command_against_a_git_revision(spec: Spec, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO_SPEC, repo / "spec")
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "spec"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "approved"], check=True)
    name = _swap_outputs(spec, repo / "spec")
    patients = tmp_path / "patients.csv"
    _patients(spec, 500).to_csv(patients, index=False)
    outcome = CliRunner().invoke(main, ["--spec", str(repo / "spec"), "impact", "--against", "HEAD", str(patients)])
    assert outcome.exit_code == 0, outcome.output
    assert f"{name}:" in outcome.output and "patients changed" in outcome.output
    wrong = CliRunner().invoke(main, ["--spec", str(repo / "spec"), "impact", "--against", "no-such-rev",
                                      str(patients)])
    assert wrong.exit_code == 1
