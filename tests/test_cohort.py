"""Cohort evaluation must agree, patient by patient, with single-patient evaluation."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from b12spec.cohort import evaluate_cohort, validated_frame
from b12spec.errors import CaseError
from b12spec.evaluate import evaluate
from b12spec.model import FieldType, Spec
from b12spec.workspace import load_spec

SPEC_DIR = Path(__file__).resolve().parent.parent / "spec"


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(SPEC_DIR)


def _interesting_numbers(spec: Spec, field_name: str) -> list[float]:
    """Every threshold the tables use on this field, one precision step either side, and the range ends."""
    field = spec.dictionary.get(field_name)
    assert field is not None and field.minimum is not None and field.maximum is not None
    step = field.precision or 1.0
    points = {field.minimum, field.maximum}
    for table in spec.tables:
        for position, column in enumerate(table.inputs):
            if column.expression == field_name:
                for rule in table.rules:
                    for number in rule.inputs[position].numbers:
                        points.update({number - step, number, number + step})
    return sorted(round(p, 6) for p in points if field.minimum <= p <= field.maximum)


def _random_case(spec: Spec, rng: random.Random) -> dict:
    case: dict = {}
    for field in spec.dictionary.fields:
        if not field.required and rng.random() < 0.3:
            continue
        if field.type is FieldType.BOOLEAN:
            value: object = rng.choice([True, False])
        elif field.type is FieldType.ENUM:
            value = rng.choice(field.values)
        else:
            number = rng.choice(_interesting_numbers(spec, field.name))
            value = {"value": number, "unit": field.unit} if field.unit_required else number
        case[field.name] = value
    if case.get("sex") == "male":
        case["pregnant"] = case["lactating"] = False
    if case.get("neurological_involvement") is False:
        case.pop("severe_neurological_symptoms", None)
    return case


def test_cohort_matches_single_patient_evaluation(spec: Spec) -> None:
    rng = random.Random(20261125)
    cases = [_random_case(spec, rng) for _ in range(300)]
    frame = evaluate_cohort(spec, validated_frame(spec, cases))
    for position, case in enumerate(cases):
        single = evaluate(spec, case)
        for name, result in single.results.items():
            row = frame.iloc[position]
            assert row[name] == result.value, (name, case)
            assert row[f"{name}:rules"] == tuple(hit.rule for hit in result.hits), (name, case)


def test_cohort_refuses_an_invalid_patient(spec: Spec) -> None:
    valid = {"age_years": 40, "sex": "female", "pregnant": False, "lactating": False,
             "neurological_involvement": False}
    with pytest.raises(CaseError) as error:
        validated_frame(spec, [valid, {**valid, "age_years": -3}])
    assert "age_years" in str(error.value)
