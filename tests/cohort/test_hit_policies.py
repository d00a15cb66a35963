"""Every hit policy (U A P F R O C C+ C< C> C#) through the four paths on a small spec made here.

The shipped guideline uses only some policies; these tables use all of them, with overlaps, gaps,
violations, nulls and negations, and a downstream table reading a single-hit and an aggregated
output. Interpreter, compiled single case, numpy and SQL on DuckDB must name the same outcome for
every atom combination of every table, and the same results for whole random cases.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from b12spec.case import PatientCase
from b12spec.cohort.engines import run_duckdb
from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.vectorised import evaluate_atoms
from b12spec.errors import EvaluationError
from b12spec.evaluate import evaluate_case, evaluate_table
from b12spec.model import (
    DataDictionary,
    DataField,
    DecisionTable,
    FieldType,
    Guideline,
    HitPolicy,
    InputColumn,
    OutputColumn,
    Rule,
    Spec,
)
from b12spec.requirements import evaluation_order
from b12spec.unary import parse_unary_tests

from .helpers import witness_source, witnesses

FIELDS = (
    DataField("x", FieldType.NUMBER, "a number", False, unit="u", minimum=0, maximum=100, precision=1),
    DataField("e", FieldType.ENUM, "a choice", False, values=("a", "b", "c")),
    DataField("b", FieldType.BOOLEAN, "a flag", False),
)
LEVELS = ("high", "mid", "low")


def _table(name: str, policy: HitPolicy, inputs: tuple[str, ...], rows: list[tuple[tuple[str, ...], object]],
           numeric: bool = False) -> DecisionTable:
    output = OutputColumn("out", "out", FieldType.NUMBER if numeric else FieldType.ENUM,
                          () if numeric else LEVELS)
    rules = tuple(
        Rule(f"{name}-{i + 1}", i + 2, tuple(parse_unary_tests(t) for t in tests), (value,), ("1",))
        for i, (tests, value) in enumerate(rows)
    )
    columns = tuple(InputColumn(e, e, e.split(".")[0] if "." in e else None) for e in inputs)
    return DecisionTable(name, name, "", policy, columns, (output,), rules)


OVERLAPPING = [
    (("< 30", "-"), "low"),
    (("[20..60]", 'not("a")'), "mid"),
    (("> 50", "-"), "high"),
    (("[50..55]", "null"), "mid"),
    (("null", "-"), "low"),
]
NUMBERS = [
    (("< 30", "-"), 1.5),
    (("[20..60]", 'not("a")'), 2.25),
    (("> 50, null", "-"), 4),
    (("-", '"b", "c"'), 0.1),
]


def _spec() -> Spec:
    tables = [
        _table(f"t_{p.name.lower()}", p, ("x", "e"), OVERLAPPING)
        for p in (HitPolicy.UNIQUE, HitPolicy.ANY, HitPolicy.PRIORITY, HitPolicy.FIRST, HitPolicy.COLLECT,
                  HitPolicy.RULE_ORDER, HitPolicy.OUTPUT_ORDER)
    ]
    tables += [
        _table(f"t_{p.name.lower()}", p, ("x", "e"), NUMBERS, numeric=True)
        for p in (HitPolicy.COLLECT_SUM, HitPolicy.COLLECT_MIN, HitPolicy.COLLECT_MAX, HitPolicy.COLLECT_COUNT)
    ]
    tables.append(_table("t_down", HitPolicy.FIRST, ("t_first.out", "t_collect_sum.out", "b"), [
        (('"high"', "-", "-"), "high"),
        (("-", "> 3", "true"), "mid"),
        (("-", "null", "-"), "low"),
        (('not("low")', "-", "not(true)"), "mid"),
        (("-", "-", "-"), "low"),
    ]))
    spec = Spec(Guideline("t", "0", "", "", "", ""), DataDictionary(FIELDS), tuple(tables), ())
    return Spec(spec.guideline, spec.dictionary, spec.tables, (), order=evaluation_order(spec))


SPEC = _spec()


@pytest.fixture(scope="module")
def compiled_spec() -> CompiledSpec:
    return CompiledSpec(SPEC)


def _interpreted(table: DecisionTable, values: tuple) -> tuple:
    try:
        result = evaluate_table(table, dict(zip((c.expression for c in table.inputs), values, strict=True)))
    except EvaluationError as error:
        return ("error", type(error).__name__, str(error))
    return ("value", tuple(hit.rule for hit in result.hits), result.value)


def _of_outcome(outcome) -> tuple:
    if outcome.error is not None:
        kind, decision, message = outcome.error
        return ("error", kind.__name__, str(kind(decision, message)))
    return ("value", outcome.kept, outcome.value)


def test_the_spec_uses_every_hit_policy() -> None:
    assert {t.hit_policy for t in SPEC.tables} == set(HitPolicy)


@pytest.mark.parametrize("name", [t.name for t in SPEC.tables])
def test_every_policy_agrees_on_every_region(compiled_spec: CompiledSpec, name: str) -> None:
    plan = compiled_spec.plans[name]
    rows = witnesses(plan)
    atoms = {e: np.asarray([codec.encode(row[j]) for row in rows]) for j, (e, codec) in
             enumerate(zip(plan.expressions, plan.codecs, strict=True))}
    by_numpy = evaluate_atoms(compiled_spec, atoms).by_decision[name]
    by_sql = run_duckdb(compiled_spec, witness_source(compiled_spec, plan, rows), decisions=[name])
    assert (by_sql.by_decision[name] == by_numpy).all()
    kinds = set()
    for row, index in zip(rows, by_numpy.tolist(), strict=True):
        seen = _of_outcome(plan.outcomes[index])
        assert seen == _interpreted(plan.table, row), (name, row)
        kinds.add(seen[0] if seen[0] == "value" else seen[1])
    if plan.table.hit_policy in (HitPolicy.UNIQUE, HitPolicy.ANY):
        assert "HitPolicyViolation" in kinds  # the overlaps are seen, not skipped
    assert "value" in kinds


def test_whole_cases_agree(compiled_spec: CompiledSpec) -> None:
    rng = random.Random(4)
    evaluated = 0
    for _ in range(400):
        values = {"x": rng.choice([None, 0.0, 19.0, 20.0, 30.0, 50.0, 52.0, 55.0, 60.0, 61.0, 100.0]),
                  "e": rng.choice([None, "a", "b", "c"]), "b": rng.choice([None, True, False])}
        case = PatientCase(values)
        try:
            expected = evaluate_case(SPEC, case)
        except EvaluationError as error:
            with pytest.raises(type(error)) as raised:
                compiled_spec.evaluate_case(case)
            assert str(raised.value) == str(error)
            continue
        assert compiled_spec.evaluate_case(case) == expected
        evaluated += 1
    assert 40 < evaluated < 400  # both results and errors are compared
