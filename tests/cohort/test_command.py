"""`b12spec cohort`: invalid rows reported exactly and left out, every other row evaluated."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from b12spec.case import validate_case
from b12spec.cli import main
from b12spec.cohort.cells import case_of_row
from b12spec.cohort.plan import CompiledSpec
from b12spec.model import Spec

from .helpers import FAULTS, random_case, row_of, spoil

ROWS = 3000


def _write_patients(spec: Spec, path: Path) -> set[int]:
    """A patients file with 1 % invalid rows; returns their row numbers (1 = first patient)."""
    rng = random.Random(1)
    rows, bad = [], set()
    for i in range(ROWS):
        row = row_of(random_case(spec, rng), as_text=True)
        if i % 100 == 42:
            row = row_of(spoil(row, FAULTS[(i // 100) % len(FAULTS)]), as_text=True)
            bad.add(i + 1)
        rows.append(row)
    frame = pd.DataFrame(rows).fillna("")
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return bad


@pytest.mark.parametrize("engine,suffix", [("duckdb", ".csv"), ("numpy", ".parquet")])
def test_cohort_reports_exactly_the_invalid_rows(spec: Spec, compiled_spec: CompiledSpec, tmp_path: Path,
                                                 engine: str, suffix: str) -> None:
    patients = tmp_path / f"patients{suffix}"
    bad = _write_patients(spec, patients)
    results = tmp_path / f"results{suffix}"
    summary = tmp_path / "summary.json"
    outcome = CliRunner().invoke(main, ["cohort", str(patients), "-o", str(results), "--engine", engine,
                                        "--chunk-rows", "700", "--summary-json", str(summary)])
    assert outcome.exit_code == 1, outcome.output  # some patients got no recommendation
    report = json.loads(summary.read_text())
    assert {entry["row"] for entry in report["invalid_rows"]} == bad
    assert report["invalid"] == len(bad) == ROWS // 100
    assert report["evaluated"] == ROWS - len(bad)
    assert f"{ROWS} patients: {ROWS - len(bad)} evaluated, {len(bad)} invalid" in outcome.output
    table = pd.read_csv(results, dtype=str, keep_default_na=False) if suffix == ".csv" else pd.read_parquet(results)
    assert len(table) == ROWS
    assert set(table.loc[table["status"] == "invalid", "row"].astype(int)) == bad
    invalid_rows = table[table["status"] == "invalid"]
    assert (invalid_rows["treatment.initial"] == "").all() and (invalid_rows["problems"] != "").all()
    source = pd.read_csv(patients, dtype=str, keep_default_na=False) if suffix == ".csv" else pd.read_parquet(
        patients)
    for position in range(0, ROWS, 97):  # a sample checked against the single case
        if position + 1 in bad:
            continue
        case = validate_case(case_of_row(source.iloc[position].to_dict(), spec.dictionary), spec.dictionary)
        evaluation = compiled_spec.evaluate_case(case)
        for name, result in evaluation.results.items():
            assert table.iloc[position][f"{name}:rules"] == "; ".join(h.rule for h in result.hits)
    counted = {(e["decision"], e["output"], e["value"]): e["patients"] for e in report["recommendations"]}
    adults = (table["age_group.group"] == "adult").sum()
    assert counted[("age_group", "group", "adult")] == adults


def test_cohort_refuses_a_file_with_an_unknown_column(tmp_path: Path) -> None:
    patients = tmp_path / "p.csv"
    patients.write_text("age_yeras,sex\n40,female\n")
    outcome = CliRunner().invoke(main, ["cohort", str(patients), "-o", str(tmp_path / "r.csv")])
    assert outcome.exit_code == 1
    assert "age_yeras" in outcome.output and "did you mean 'age_years'" in outcome.output
    assert not (tmp_path / "r.csv").exists()
