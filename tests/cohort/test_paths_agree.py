"""The interpreter, the compiled single case, numpy and SQL on DuckDB give the same outcomes.

Table by table on a witness of every region (every atom combination of its inputs), and for
the whole guideline on random patients, valid and not.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b12spec.case import validate_case
from b12spec.cohort.engines import duckdb_engine, run_duckdb
from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.validate import validate_columns
from b12spec.cohort.vectorised import evaluate_atoms, evaluate_validated
from b12spec.errors import CaseError, EvaluationError
from b12spec.evaluate import evaluate_case, evaluate_table
from b12spec.model import Spec
from b12spec.workspace import load_spec

from .helpers import FAULTS, random_case, row_of, spoil, witness_source, witnesses

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"

DECISIONS = [t.name for t in load_spec(SPEC_DIR).tables]  # generic over the tables, whichever they are
RANDOM_PATIENTS = 6000
INTERPRETED = 1500  # the interpreter takes about a millisecond a patient: a share of the sample


def _interpreted(table, values) -> tuple:
    """What the interpreter gives: the kept rules and value, or the error's class and message."""
    try:
        result = evaluate_table(table, dict(zip((c.expression for c in table.inputs), values, strict=True)))
    except EvaluationError as error:
        return ("error", type(error).__name__, str(error))
    return ("value", tuple(hit.rule for hit in result.hits), result.value, result.matched)


def _of_outcome(outcome) -> tuple:
    if outcome.error is not None:
        kind, decision, message = outcome.error
        return ("error", kind.__name__, str(kind(decision, message)))
    return ("value", outcome.kept, outcome.value, outcome.matched)


@pytest.mark.parametrize("decision", DECISIONS)
def test_every_region_of_every_table(spec: Spec, compiled_spec: CompiledSpec, decision: str) -> None:
    plan = compiled_spec.plans[decision]
    rows = witnesses(plan)
    assert len(rows) == int(np.prod([c.size for c in plan.codecs]))
    atoms = {e: np.asarray([codec.encode(row[j]) for row in rows]) for j, (e, codec) in
             enumerate(zip(plan.expressions, plan.codecs, strict=True))}
    by_numpy = evaluate_atoms(compiled_spec, atoms).by_decision[decision]
    by_sql = run_duckdb(compiled_spec, witness_source(compiled_spec, plan, rows), decisions=[decision])
    assert (by_sql.by_decision[decision] == by_numpy).all()
    for row, index in zip(rows, by_numpy.tolist(), strict=True):
        assert _of_outcome(plan.outcomes[index]) == _interpreted(plan.table, row), (decision, row)
        assert plan.outcome(plan.pattern_of(row)).index == index


def _patients(spec: Spec, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        row = row_of(random_case(spec, rng))
        if i % 50 == 3:
            row = spoil(row, FAULTS[(i // 50) % len(FAULTS)])
        rows.append(row)
    return rows


def _decoded(spec: Spec, name: str, value) -> object:
    """A typed column value back to the validator's value (None when not given)."""
    field = spec.dictionary.get(name)
    if field.type.value == "number":
        return None if np.isnan(value) else float(value)
    if field.type.value == "boolean":
        return None if value < 0 else bool(value == 1)
    return None if value < 0 else field.values[value]


def test_random_patients_through_the_whole_guideline(spec: Spec, compiled_spec: CompiledSpec) -> None:
    from b12spec.cohort.cells import case_of_row

    rows = _patients(spec, RANDOM_PATIENTS, seed=14)
    frame = pd.DataFrame(rows)
    validated = validate_columns(frame, spec.dictionary, compiled_spec.codecs)
    by_numpy = evaluate_validated(compiled_spec, validated)
    by_sql = duckdb_engine(compiled_spec, validated)
    for name in compiled_spec.order:
        assert (by_numpy.by_decision[name] == by_sql.by_decision[name]).all(), name
    invalid = validated.invalid
    records = frame.to_dict("records")
    refused = evaluated = 0
    for position, record in enumerate(records):
        try:
            case = validate_case(case_of_row(record, spec.dictionary), spec.dictionary)
        except CaseError:
            assert invalid[position], record
            refused += 1
            continue
        assert not invalid[position], (record, {f for f, rows in validated.problems.items() if rows[position]})
        for name in spec.dictionary.names:
            assert _decoded(spec, name, validated.columns[name][position]) == case.values[name], (name, record)
        outcomes = compiled_spec.outcomes_of(case)
        for name, outcome in zip(compiled_spec.order, outcomes, strict=True):
            assert by_numpy.by_decision[name][position] == outcome.index, (name, record)
        if position < INTERPRETED:
            assert compiled_spec.evaluate_case(case) == evaluate_case(spec, case)
        evaluated += 1
    assert refused == int(invalid.sum()) > RANDOM_PATIENTS // 60
    assert evaluated > RANDOM_PATIENTS // 2
