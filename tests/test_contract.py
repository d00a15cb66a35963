"""The result contract for integrators: JSON Schemas, the warnings list, errors in clinical
language (JSON on stdout with exit 1 under --json), and the source's review status."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from b12spec.cli import main
from b12spec.errors import spoken
from b12spec.evaluate import evaluate
from b12spec.model import Spec
from b12spec.report import evaluation_to_dict, render_text
from b12spec.scenarios import run_scenarios
from b12spec.schema import FORMAT_VERSION, case_schema, error_schema, result_schema
from b12spec.warnings import parse_policy, validate
from b12spec.workspace import load_scenarios, read_case

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO / "spec"

EXAMPLES = sorted((REPO / "examples").glob("*.*"))


def _validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json_result(spec: Spec, raw: Any) -> Any:
    """The result as integrators get it: through JSON text, not as Python objects."""
    return json.loads(json.dumps(evaluation_to_dict(spec, evaluate(spec, raw)), default=str))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_a_valid_case_and_its_result_a_valid_result(spec: Spec, example: Path) -> None:
    raw = read_case(example)
    assert list(_validator(case_schema(spec.dictionary)).iter_errors(raw)) == []
    errors = list(_validator(result_schema(spec)).iter_errors(_json_result(spec, raw)))
    assert errors == [], [e.message for e in errors]


def test_every_scenario_result_is_a_valid_result(spec: Spec) -> None:
    outcomes = run_scenarios(spec, load_scenarios(REPO / "features"))
    results = [e for o in outcomes for e in o.evaluations]
    assert len(results) > 200
    validator = _validator(result_schema(spec))
    cases = _validator(case_schema(spec.dictionary))
    for evaluation in results:
        data = json.loads(json.dumps(evaluation_to_dict(spec, evaluation), default=str))
        assert list(validator.iter_errors(data)) == []
        assert data["format_version"] == FORMAT_VERSION
    for outcome in outcomes:
        assert outcome.passed, outcome.error
    assert cases.is_valid({"age_years": 40, "sex": "male", "pregnant": False, "lactating": False,
                           "neurological_involvement": False, "plan": {"treatment_timing": "deferred"}})


@pytest.mark.parametrize(
    "case",
    [
        {"sex": "male", "pregnant": False, "lactating": False, "neurological_involvement": False},
        {"age_years": 40, "sex": "male", "pregnant": False, "lactating": False, "neurological_involvement": False,
         "total_b21": 100},
        {"age_years": 40, "sex": "male", "pregnant": False, "lactating": False, "neurological_involvement": False,
         "total_b12": 150},
        {"age_years": 40, "sex": "male", "pregnant": False, "lactating": False, "neurological_involvement": False,
         "mma": {"value": 0.4, "unit": "mg/L"}},
        {"age_years": 40, "sex": "man", "pregnant": False, "lactating": False, "neurological_involvement": False},
    ],
    ids=["required field missing", "unknown field", "total B12 without unit", "unknown MMA unit", "unknown sex"],
)
def test_the_case_schema_refuses_what_the_engine_refuses(spec: Spec, case: dict[str, Any]) -> None:
    assert not _validator(case_schema(spec.dictionary)).is_valid(case)
    result = CliRunner().invoke(main, ["--spec", str(SPEC_DIR), "schema", "case"])
    assert json.loads(result.output) == case_schema(spec.dictionary)


def test_the_schema_command_publishes_all_three_documents(spec: Spec) -> None:
    runner = CliRunner()
    for name, expected in (("case", case_schema(spec.dictionary)), ("result", result_schema(spec)),
                           ("error", error_schema())):
        result = runner.invoke(main, ["--spec", str(SPEC_DIR), "schema", name])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == expected
        jsonschema.Draft202012Validator.check_schema(expected)


# --------------------------------------------------------------------------- warnings


def _case(**extra: Any) -> dict[str, Any]:
    return {"age_years": 50, "sex": "female", "pregnant": False, "lactating": False,
            "neurological_involvement": False, "total_b12": {"value": 150, "unit": "ng/L"}, **extra}


def test_warnings_carry_severity_rule_citation_and_whom_they_are_about(spec: Spec) -> None:
    data = _json_result(spec, _case(plan={"treatment_timing": "deferred", "folic_acid_alone": True},
                                    untreated_months=4))
    warnings = data["warnings"]
    by_value = {w["value"]: w for w in warnings}
    assert by_value["delayed_treatment_of_deficiency"]["severity"] == "critical"
    assert by_value["delayed_treatment_of_deficiency"]["rule"] == "PF-07"
    assert by_value["delayed_treatment_of_deficiency"]["citations"] == ["2"]
    assert by_value["untreated_over_3_months"]["patient_specific"] is True
    assert by_value["treat_urgently"]["about"] == "general"
    abouts = [w["about"] for w in warnings]
    assert abouts == sorted(abouts, key=["patient", "general"].index), "patient-specific warnings come first"


def test_no_plan_given_is_information_not_a_warning(spec: Spec) -> None:
    (entry,) = [w for w in _json_result(spec, _case())["warnings"] if w["value"] == "no_plan_given"]
    assert entry["severity"] == "info"


def test_the_text_report_shows_patient_specific_warnings_first(spec: Spec) -> None:
    text = render_text(spec, evaluate(spec, _case(plan={"treatment_timing": "deferred"})))
    warnings_at = text.index("WARNINGS")
    patient_at = text.index("About this patient", warnings_at)
    general_at = text.index("For every patient in this situation", warnings_at)
    assert warnings_at < text.index("DIAGNOSIS")
    assert patient_at < general_at
    deferred = text.index("Treatment of a confirmed deficiency is put off", patient_at)
    assert deferred < general_at
    assert "!!! critical" in text[patient_at:general_at]


def test_a_warning_declaration_naming_what_the_spec_lacks_fails_check(spec: Spec, spec_copy: Path) -> None:
    policy = parse_policy([{"decision": "pitfalls", "output": "warning",
                            "values": {"no_plan_givn": {"severity": "info", "about": "patient"}}}])
    (problem,) = validate(spec, policy)
    assert "did you mean 'no_plan_given'" in problem
    path = spec_copy / "warnings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("folic_acid_alone:", "folic_acid_alon:"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["--spec", str(spec_copy), "check"])
    assert result.exit_code == 1
    assert "folic_acid_alon" in result.output
    with pytest.raises(Exception, match="severity must be one of critical, warning, info"):
        parse_policy([{"decision": "pitfalls", "output": "warning", "values": {"x": {"severity": "high",
                                                                                       "about": "patient"}}}])


# --------------------------------------------------------------------------- review status


def test_every_evaluation_states_the_source_review_status_beside_the_disclaimer(spec: Spec) -> None:
    evaluation = evaluate(spec, _case())
    data = evaluation_to_dict(spec, evaluation)
    assert "pending human review" in data["source_review_status"]
    text = render_text(spec, evaluation).splitlines()
    disclaimer_at = next(i for i, line in enumerate(text) if line == spec.guideline.disclaimer)
    assert "pending human review" in text[disclaimer_at + 1]
    assert yaml.safe_load((SPEC_DIR / "guideline.yaml").read_text(encoding="utf-8"))["source_review_status"]


# --------------------------------------------------------------------------- errors


PYTHON_WORDS = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\bnan\b|\binf\b|\{'|\['|Error\b")


@pytest.mark.parametrize(
    "content",
    [
        '{"age_years": NaN, "sex": "male", "pregnant": true, "lactating": false, "neurological_involvement": false}',
        '{"age_years": 40, "sex": "male", "pregnant": "yes", "lactating": null, "neurological_involvement": 1}',
        '{"age_years": 40, "sex": "male", "pregnant": false, "lactating": false, "neurological_involvement": false,'
        ' "total_b12": {"value": 150}, "mma": 0.3, "diet": "vegna", "plan": {"treatment_timing": true}}',
        '{"age_years": 40, "age_years": 41}',
        "age_years: [1",
        "\udcff",
        "- just a list",
    ],
    ids=["nan and contradiction", "wrong types", "missing units and typos", "duplicate field", "bad yaml",
         "not utf-8", "not a mapping"],
)
def test_errors_speak_clinical_language_and_are_json_under_json(tmp_path: Path, content: str) -> None:
    path = tmp_path / ("case.json" if content.startswith("{") else "case.yaml")
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    runner = CliRunner()
    result = runner.invoke(main, ["--spec", str(SPEC_DIR), "evaluate", "--json", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(_validator(error_schema()).iter_errors(data)) == []
    said = data["error"] + " ".join(p.get("value", "") for p in data["problems"])
    assert not PYTHON_WORDS.search(said), said
    text = runner.invoke(main, ["--spec", str(SPEC_DIR), "evaluate", str(path)])
    assert text.exit_code == 1 and text.stdout == ""
    assert not PYTHON_WORDS.search(text.stderr), text.stderr


def test_a_missing_file_and_a_broken_spec_are_json_errors_too(tmp_path: Path, spec_copy: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["--spec", str(SPEC_DIR), "evaluate", "--json", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 1
    assert "missing" in json.loads(missing.stdout)["error"]
    (spec_copy / "tables" / "route.csv").write_text("rule,x\n", encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(_case()), encoding="utf-8")
    broken = runner.invoke(main, ["--spec", str(spec_copy), "evaluate", "--json", str(case)])
    assert broken.exit_code == 1
    data = json.loads(broken.stdout)
    assert data["error"].startswith("invalid spec in ")
    assert list(_validator(error_schema()).iter_errors(data)) == []


@pytest.mark.parametrize(
    ("value", "words"),
    [(None, "nothing"), (True, "true"), (False, "false"), (math.nan, "not a number"), (2.50, "2.5"),
     ("vegna", '"vegna"'), ({"value": 150, "unit": "ng/L"}, "150 ng/L"), ({"value": 150}, "150 with no unit"),
     ([1, 2], "1 and 2"), ({"a": None}, "a nothing")],
)
def test_values_are_spoken_not_repr(value: Any, words: str) -> None:
    assert spoken(value) == words
