"""Evaluation through the whole spec: traceability, unit conversion end to end, the acceptance check."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from b12spec.case import validate_case
from b12spec.errors import EvaluationError
from b12spec.evaluate import evaluate, evaluate_case, evaluate_table
from b12spec.model import Spec
from b12spec.workspace import load_spec

EXAMPLES = sorted(
    p for p in (Path(__file__).resolve().parent.parent / "examples").iterdir() if p.suffix in (".yaml", ".yml", ".json")
)


def read_example(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def status(spec: Spec, case: dict[str, Any]) -> str:
    return evaluate(spec, case).results["b12_status"].value["status"]


def b12(value: float, unit: str = "ng/L") -> dict[str, Any]:
    return {"value": value, "unit": unit}


# --------------------------------------------------------------------------- the acceptance check


def test_editing_the_threshold_in_the_csv_changes_the_diagnosis(spec: Spec, spec_copy: Path, base_case: dict) -> None:
    """Issue 2 acceptance: `< 180` -> `< 200` in the diagnosis CSV, no code edited, 190 ng/L flips."""
    patient = {**base_case, "total_b12": b12(190)}
    assert status(spec, patient) == "indeterminate"

    path = spec_copy / "tables" / "b12_status.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("total_b12")
    edits = {"< 180": "< 200", "[180..350]": "[200..350]"}
    changed = dict.fromkeys(edits, 0)
    for row in rows[1:]:
        if row[column] in edits:
            changed[row[column]] += 1
            row[column] = edits[row[column]]
    assert all(changed.values()), changed
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)

    edited = load_spec(spec_copy)
    result = evaluate(edited, patient).results["b12_status"]
    assert result.value["status"] == "deficient"
    assert result.inputs["total_b12"] == 190
    assert status(spec, patient) == "indeterminate", "the repository's spec is untouched"


def test_editing_only_the_deficiency_threshold_is_enough(spec_copy: Path, base_case: dict) -> None:
    """The literal edit: only `< 180` becomes `< 200`. The indeterminate band still starts at 180,
    so 190 ng/L meets two rules; the diagnosis table's Priority policy lets the confirmed
    deficiency win rather than refusing the case."""
    patient = {**base_case, "total_b12": b12(190)}
    path = spec_copy / "tables" / "b12_status.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(",< 180,") == 1
    path.write_text(text.replace(",< 180,", ",< 200,"), encoding="utf-8")
    result = evaluate(load_spec(spec_copy), patient).results["b12_status"]
    assert result.value["status"] == "deficient"
    assert result.matched == ("DX-01", "DX-03")
    assert [hit.rule for hit in result.hits] == ["DX-01"]


# --------------------------------------------------------------------------- thresholds and units


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (b12(179.9), "deficient"),
        (b12(180), "indeterminate"),
        (b12(350), "indeterminate"),
        (b12(350.1), "not_confirmed"),
        (b12(179.9, "pg/mL"), "deficient"),
        (b12(180, "pg/mL"), "indeterminate"),
        (b12(132.84, "pmol/L"), "indeterminate"),  # exactly 180 ng/L after conversion
        (b12(132.83, "pmol/L"), "deficient"),
        ("258.3 pmol/L", "indeterminate"),  # exactly 350 ng/L
    ],
)
def test_total_b12_bands_in_every_unit(spec: Spec, base_case: dict, given: Any, expected: str) -> None:
    assert status(spec, {**base_case, "total_b12": given}) == expected


def test_pmol_input_is_seen_by_the_table_in_ng_per_l(spec: Spec, base_case: dict) -> None:
    result = evaluate(spec, {**base_case, "total_b12": b12(132.84, "pmol/L")}).results["b12_status"]
    assert result.inputs["total_b12"] == 180


def test_active_b12_is_used_when_total_is_indeterminate(spec: Spec, base_case: dict) -> None:
    low = {**base_case, "total_b12": b12(250), "active_b12": 24.9}
    high = {**base_case, "total_b12": b12(250), "active_b12": 25}
    assert status(spec, low) == "deficient"
    assert status(spec, high) == "indeterminate"


# --------------------------------------------------------------------------- traceability


def test_every_result_records_inputs_matches_hits_and_citations(spec: Spec, base_case: dict) -> None:
    evaluation = evaluate(spec, {**base_case, "total_b12": b12(150), "neurological_involvement": True})
    assert list(evaluation.results) == list(spec.order)
    for name, result in evaluation.results.items():
        table = spec.table(name)
        assert set(result.inputs) == {c.expression for c in table.inputs}
        assert {h.rule for h in result.hits} <= set(result.matched)
        for hit in result.hits:
            rule = table.rule(hit.rule)
            assert hit.citations == rule.citations and hit.citations
            assert hit.row == rule.row
            assert hit.open_questions == rule.open_questions
            assert dict(hit.outputs) == dict(zip((o.name for o in table.outputs), rule.outputs, strict=True))
        for rule_id in result.matched:
            assert table.rule(rule_id).matches(tuple(result.inputs[c.expression] for c in table.inputs))
        unmatched = [r for r in table.rules if r.id not in result.matched]
        for rule in unmatched:
            assert not rule.matches(tuple(result.inputs[c.expression] for c in table.inputs))
    assert evaluation.fired_rules
    assert set(evaluation.fired_rules) <= set(evaluation.matched_rules)


def test_downstream_decisions_see_upstream_outputs(spec: Spec, base_case: dict) -> None:
    evaluation = evaluate(spec, {**base_case, "total_b12": b12(250)})
    seen = 0
    for name in spec.order:
        for column in spec.table(name).inputs:
            if column.decision:
                upstream = evaluation.results[column.decision].value
                expected = upstream[column.output] if isinstance(upstream, dict) else upstream
                assert evaluation.results[name].inputs[column.expression] == expected
                seen += 1
    assert seen, "the spec has decision requirements"


def test_evaluation_is_pure(spec: Spec, base_case: dict) -> None:
    case = {**base_case, "total_b12": b12(150), "plan": {"treatment_timing": "deferred"}}
    snapshot = json.dumps(case, sort_keys=True)
    first = evaluate(spec, case)
    second = evaluate(spec, case)
    assert first == second
    assert json.dumps(case, sort_keys=True) == snapshot


def test_evaluate_case_takes_a_validated_case(spec: Spec, base_case: dict) -> None:
    case = validate_case({**base_case, "total_b12": b12(150)}, spec.dictionary)
    assert evaluate_case(spec, case) == evaluate(spec, {**base_case, "total_b12": b12(150)})


def test_a_spec_built_in_code_is_evaluated_in_dependency_order(spec: Spec, base_case: dict) -> None:
    """Spec.order is filled by load_spec; a Spec assembled by hand must not evaluate nothing."""
    unordered = dataclasses.replace(spec, order=())
    case = {**base_case, "total_b12": b12(150)}
    assert evaluate(unordered, case).results == evaluate(spec, case).results


def test_evaluate_table_defaults_missing_inputs_to_null(spec: Spec) -> None:
    result = evaluate_table(spec.table("b12_status"), {})
    assert all(v is None for v in result.inputs.values())
    assert result.hits and result.hits[0].rule in result.matched


def test_a_gap_in_a_single_hit_table_fails_closed(spec_copy: Path, base_case: dict) -> None:
    """Make the rule for 'no B12 result' unreachable: a case without B12 must error, not half-evaluate."""
    path = spec_copy / "tables" / "b12_status.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    total, active = header.index("total_b12"), header.index("active_b12")
    gap = [r for r in rows[1:] if r[total] == "null" and r[active] == "null"]
    assert len(gap) == 1
    gap[0][total] = "< 0"  # no plausible B12 is negative, and null never satisfies a comparison
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    spec = load_spec(spec_copy)
    with pytest.raises(EvaluationError) as caught:
        evaluate(spec, base_case)
    assert caught.value.decision == "b12_status"
    assert "no rule matched" in str(caught.value)


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_evaluates(spec: Spec, path: Path) -> None:
    evaluation = evaluate(spec, read_example(path))
    assert set(evaluation.results) == {t.name for t in spec.tables}
    for result in evaluation.results.values():
        for hit in result.hits:
            assert hit.citations


def test_there_are_examples() -> None:
    assert EXAMPLES


# --------------------------------------------------------------------------- cohort readiness


def _sample_cases(spec: Spec, count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Cases drawn from the dictionary, numbers taken at and beside every threshold of the tables."""
    from b12spec.errors import CaseError

    rng = random.Random(seed)
    points: dict[str, set[float]] = {f.name: set() for f in spec.dictionary.fields}
    for table in spec.tables:
        for position, column in enumerate(table.inputs):
            if column.expression in points:
                step = spec.dictionary.get(column.expression).precision or 1
                for rule in table.rules:
                    for n in rule.inputs[position].numbers:
                        points[column.expression] |= {n - step, n, n + step}
    cases: list[dict[str, Any]] = []
    while len(cases) < count:
        case: dict[str, Any] = {}
        for field in spec.dictionary.fields:
            if not field.required and rng.random() < 0.3:
                continue
            if field.type.value == "boolean":
                case[field.name] = rng.random() < 0.5
            elif field.type.value == "enum":
                case[field.name] = rng.choice(field.values)
            else:
                inside = [p for p in points[field.name] if field.minimum <= p <= field.maximum]
                number = rng.choice(inside) if inside else field.minimum
                case[field.name] = {"value": number, "unit": field.unit} if field.unit_required else number
        try:
            validate_case(case, spec.dictionary)
        except CaseError:
            continue
        cases.append(case)
    return cases


def test_rule_masks_over_a_cohort_agree_with_single_case_matching(spec: Spec) -> None:
    """Issue 2, section 3: each compiled test answers for a whole column as for one value.

    Many cases are evaluated one by one; then, for every table, the inputs each case saw become
    a DataFrame and every rule is matched column-wise with UnaryTest.mask. Both must agree.
    """
    import pandas as pd

    cases = _sample_cases(spec, 300)
    evaluations = [evaluate(spec, case) for case in cases]
    for table in spec.tables:
        frame = pd.DataFrame([dict(e.results[table.name].inputs) for e in evaluations], dtype=object)
        for rule in table.rules:
            mask = pd.Series(True, index=frame.index)
            for column, test in zip(table.inputs, rule.inputs, strict=True):
                mask &= test.mask(frame[column.expression])
            single = [rule.id in e.results[table.name].matched for e in evaluations]
            assert mask.tolist() == single, (table.name, rule.id)
    fired = {r for e in evaluations for r in e.fired_rules}
    assert len(fired) > len(spec.tables), "the sample reaches many rules, not just one per table"
