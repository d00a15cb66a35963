"""Patient-case validation against the data dictionary, and unit normalisation of total B12.

Every refusal must name the field, the value given and what is allowed, and nothing may be
evaluated: the tests go through ``evaluate`` as well as ``validate_case`` to prove it.
"""

from __future__ import annotations

from typing import Any

import pytest

from b12spec.case import Quantity, validate_case
from b12spec.errors import CaseError, CaseProblem
from b12spec.evaluate import evaluate
from b12spec.model import Spec


def refused(spec: Spec, case: Any) -> CaseError:
    """The case must be refused by validation and by evaluate alike (no partial result)."""
    with pytest.raises(CaseError) as by_validation:
        validate_case(case, spec.dictionary)
    with pytest.raises(CaseError):
        evaluate(spec, case)
    return by_validation.value


def only_problem(error: CaseError) -> CaseProblem:
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def test_a_valid_case_has_every_field(spec: Spec, base_case: dict) -> None:
    case = validate_case(base_case, spec.dictionary)
    assert set(case.values) == set(spec.dictionary.names)
    assert case["age_years"] == 45.0
    assert case["total_b12"] is None
    assert case["pregnant"] is False


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ({"value": 200, "unit": "ng/L"}, 200.0),
        ({"value": 200, "unit": "pg/mL"}, 200.0),
        ({"value": 132.84, "unit": "pmol/L"}, 180.0),
        ({"value": 258.3, "unit": "pmol/L"}, 350.0),
        ("250 ng/L", 250.0),
        ("250pg/mL", 250.0),
        ("132.84 pmol/L", 180.0),
    ],
)
def test_total_b12_is_normalised_to_ng_per_l(spec: Spec, base_case: dict, given: Any, canonical: float) -> None:
    case = validate_case({**base_case, "total_b12": given}, spec.dictionary)
    assert case["total_b12"] == canonical


def test_pmol_conversion_is_exact_at_the_threshold(spec: Spec, base_case: dict) -> None:
    """132.84 / 0.738 is 179.99999999999997 in floating point; the case must hold exactly 180."""
    case = validate_case({**base_case, "total_b12": {"value": 132.84, "unit": "pmol/L"}}, spec.dictionary)
    assert case["total_b12"] == 180
    assert case.given["total_b12"] == Quantity(132.84, "pmol/L")


def test_canonical_unit_is_not_recorded_as_given(spec: Spec, base_case: dict) -> None:
    case = validate_case({**base_case, "total_b12": {"value": 200, "unit": "ng/L"}}, spec.dictionary)
    assert "total_b12" not in case.given


@pytest.mark.parametrize("given", [200, {"value": 200}, {"value": 200, "unit": None}])
def test_missing_unit_is_refused(spec: Spec, base_case: dict, given: Any) -> None:
    problem = only_problem(refused(spec, {**base_case, "total_b12": given}))
    assert problem.field == "total_b12"
    assert problem.value == given
    for unit in ("ng/L", "pg/mL", "pmol/L"):
        assert unit in problem.allowed
    assert "unit must be given" in problem.allowed


@pytest.mark.parametrize("unit", ["mg/dL", "nmol/L", "ng/l"])
def test_unknown_unit_is_refused(spec: Spec, base_case: dict, unit: str) -> None:
    error = refused(spec, {**base_case, "total_b12": {"value": 200, "unit": unit}})
    problem = only_problem(error)
    assert problem.field == "total_b12.unit"
    assert problem.value == unit
    assert "ng/L, pg/mL, pmol/L" in problem.allowed
    assert "total_b12.unit" in str(error) and unit in str(error)


def test_unit_on_a_single_unit_field(spec: Spec, base_case: dict) -> None:
    assert validate_case({**base_case, "age_years": "45 years"}, spec.dictionary)["age_years"] == 45
    problem = only_problem(refused(spec, {**base_case, "age_years": "45 months"}))
    assert (problem.field, problem.value) == ("age_years.unit", "months")
    assert "years" in problem.allowed


# --------------------------------------------------------------------------- implausible values


@pytest.mark.parametrize("given", [{"value": -5, "unit": "ng/L"}, "-5 ng/L", {"value": -0.1, "unit": "pmol/L"}])
def test_negative_b12_is_refused(spec: Spec, base_case: dict, given: Any) -> None:
    error = refused(spec, {**base_case, "total_b12": given})
    problem = only_problem(error)
    assert problem.field == "total_b12"
    assert "-" in str(problem.value)
    assert "a number from 0 to 20000 ng/L" in problem.allowed
    assert "total_b12" in str(error)


def test_converted_value_outside_the_range_shows_the_conversion(spec: Spec, base_case: dict) -> None:
    problem = only_problem(refused(spec, {**base_case, "total_b12": {"value": 20000, "unit": "pmol/L"}}))
    assert problem.field == "total_b12"
    assert "27100" in str(problem.value)
    assert "plausible range" in problem.allowed


def test_age_240_is_refused(spec: Spec, base_case: dict) -> None:
    error = refused(spec, {**base_case, "age_years": 240})
    problem = only_problem(error)
    assert (problem.field, problem.value) == ("age_years", 240)
    assert "from 0 to 125" in problem.allowed
    assert "age_years: got 240; allowed: a number from 0 to 125 years" in str(error)


@pytest.mark.parametrize("age", [0, 125, 67.5])
def test_ages_at_the_plausible_edges_are_accepted(spec: Spec, base_case: dict, age: float) -> None:
    assert validate_case({**base_case, "age_years": age}, spec.dictionary)["age_years"] == age


# --------------------------------------------------------------------------- wrong types


@pytest.mark.parametrize("text", ["forty", "45", "", True, [45], float("nan"), float("inf")])
def test_text_or_other_types_where_a_number_belongs(spec: Spec, base_case: dict, text: Any) -> None:
    problem = only_problem(refused(spec, {**base_case, "age_years": text}))
    assert problem.field == "age_years"
    assert problem.value == text or text != text  # NaN is never equal to itself
    assert problem.allowed.startswith("a number from 0 to 125")


def test_exponent_notation_is_not_read_as_a_number(spec: Spec, base_case: dict) -> None:
    error = refused(spec, {**base_case, "age_years": "1e3"})
    assert all(p.field.startswith("age_years") for p in error.problems)
    assert "1e3" in str(error) or "e3" in str(error)


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, None])
def test_wrong_type_for_a_boolean(spec: Spec, base_case: dict, value: Any) -> None:
    problem = only_problem(refused(spec, {**base_case, "pregnant": value}))
    assert problem.field == "pregnant"
    assert problem.value == value
    assert "true or false" in problem.allowed
    if value is None:
        assert problem.allowed.startswith("required")


@pytest.mark.parametrize(("field", "value"), [("sex", "M"), ("sex", True), ("diet", "pescatarian"), ("diet", 3)])
def test_wrong_value_for_an_enum(spec: Spec, base_case: dict, field: str, value: Any) -> None:
    problem = only_problem(refused(spec, {**base_case, field: value}))
    assert (problem.field, problem.value) == (field, value)
    for allowed in spec.dictionary.get(field).values:
        assert f'"{allowed}"' in problem.allowed


# --------------------------------------------------------------------------- fields


def test_unknown_field_suggests_the_closest(spec: Spec, base_case: dict) -> None:
    error = refused(spec, {**base_case, "total_b21": {"value": 200, "unit": "ng/L"}})
    problem = only_problem(error)
    assert problem.field == "total_b21"
    assert "did you mean 'total_b12'?" in problem.allowed


def test_unknown_field_without_a_close_match_lists_the_fields(spec: Spec, base_case: dict) -> None:
    problem = only_problem(refused(spec, {**base_case, "zzzz": 1}))
    assert problem.field == "zzzz"
    assert "age_years" in problem.allowed and "total_b12" in problem.allowed


def test_unknown_nested_plan_field(spec: Spec, base_case: dict) -> None:
    problem = only_problem(refused(spec, {**base_case, "plan": {"treatment_timming": "deferred"}}))
    assert problem.field == "plan.treatment_timming"
    assert "plan.treatment_timing" in problem.allowed


def test_nested_plan_fields_are_flattened(spec: Spec, base_case: dict) -> None:
    case = validate_case({**base_case, "plan": {"treatment_timing": "deferred"}}, spec.dictionary)
    assert case["plan.treatment_timing"] == "deferred"


@pytest.mark.parametrize("field", ["age_years", "sex", "pregnant", "lactating", "neurological_involvement"])
def test_missing_required_field(spec: Spec, base_case: dict, field: str) -> None:
    case = {k: v for k, v in base_case.items() if k != field}
    problem = only_problem(refused(spec, case))
    assert problem.field == field
    assert problem.value is None
    assert problem.allowed.startswith("required: ")


def test_optional_field_may_be_null(spec: Spec, base_case: dict) -> None:
    assert validate_case({**base_case, "total_b12": None}, spec.dictionary)["total_b12"] is None


@pytest.mark.parametrize("raw", [None, [], "a case", 42])
def test_a_case_must_be_a_mapping(spec: Spec, raw: Any) -> None:
    problem = only_problem(refused(spec, raw))
    assert problem.field == "(case)"
    assert "mapping" in problem.allowed


# --------------------------------------------------------------------------- contradictions


@pytest.mark.parametrize(("field", "rule"), [("pregnant", "CX-01"), ("lactating", "CX-02")])
def test_male_and_pregnant_or_lactating_is_refused(spec: Spec, base_case: dict, field: str, rule: str) -> None:
    error = refused(spec, {**base_case, "sex": "male", field: True})
    problem = only_problem(error)
    assert "sex" in problem.field and field in problem.field
    assert "'male'" in str(problem.value) and "True" in str(problem.value)
    assert rule in problem.allowed and "male" in problem.allowed


def test_female_and_pregnant_is_accepted(spec: Spec, base_case: dict) -> None:
    assert validate_case({**base_case, "pregnant": True}, spec.dictionary)["pregnant"] is True


def test_a_contradiction_is_reported_with_other_problems(spec: Spec, base_case: dict) -> None:
    error = refused(spec, {**base_case, "sex": "male", "pregnant": True, "age_years": 240})
    assert {p.field for p in error.problems} == {"age_years", "sex + pregnant"}


def test_a_contradiction_is_not_judged_on_a_refused_value(spec: Spec, base_case: dict) -> None:
    error = refused(spec, {**base_case, "sex": "man", "pregnant": True})
    assert [p.field for p in error.problems] == ["sex"]


def test_an_empty_plan_group_is_no_field(spec: Spec, base_case: dict) -> None:
    case = validate_case({**base_case, "plan": None}, spec.dictionary)
    assert case["plan.treatment_timing"] is None
    assert validate_case({**base_case, "plan": {}}, spec.dictionary) == case


def test_every_problem_is_reported_at_once(spec: Spec, base_case: dict) -> None:
    case = {**base_case, "age_years": 240, "pregnant": "yes", "total_b12": {"value": 1, "unit": "mg/dL"}, "x": 1}
    del case["sex"]
    error = refused(spec, case)
    assert {p.field for p in error.problems} == {"age_years", "pregnant", "total_b12.unit", "x", "sex"}
    assert "no recommendation is given" in str(error)
