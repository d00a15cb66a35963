"""The in-process scenario runner: parsing, outline expansion, step matching and outcomes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from b12spec.coverage import checked_rules
from b12spec.model import Spec
from b12spec.scenarios import STEPS, run_scenario, run_scenarios
from b12spec.scenarios.gherkin import FeatureFileError
from b12spec.scenarios.registry import StepDefinition, StepNotFound, find_step
from b12spec.workspace import load_scenarios

FEATURES = Path(__file__).resolve().parent.parent / "features"

OUTLINE = """\
@feature-tag
Feature: A small feature
  Background:
    Given a 50-year-old woman
    And she has no neurological involvement

  @XX-99
  Scenario Outline: Total B12 of <total>
    Given her total B12 is <total>
    When the guideline is applied
    Then the B12 status is "<status>"

    @DX-01
    Examples: low
      | total      | status               |
      | 179.9 ng/L | Deficiency confirmed |

    @DX-03
    Examples: middle
      | total    | status               |
      | 180 ng/L | Indeterminate result |
"""


def write_feature(tmp_path: Path, text: str, name: str = "small.feature") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_outline_rows_become_scenarios_with_rendered_steps_and_merged_tags(tmp_path: Path) -> None:
    scenarios = load_scenarios(write_feature(tmp_path, OUTLINE))
    assert [s.name for s in scenarios] == [
        "Total B12 of 179.9 ng/L (example 1)",
        "Total B12 of 180 ng/L (example 2)",
    ]
    first, second = scenarios
    assert first.tags == ("feature-tag", "XX-99", "DX-01")
    assert second.tags == ("feature-tag", "XX-99", "DX-03")
    assert first.feature == "A small feature"
    assert first.feature_file == f"{tmp_path.name}/small.feature"
    assert [(s.keyword, s.type) for s in first.steps[:3]] == [("Given", "given"), ("And", "given"), ("Given", "given")]
    assert first.steps[2].text == "her total B12 is 179.9 ng/L"
    assert second.steps[-1].text == 'the B12 status is "Indeterminate result"'
    assert dict(second.example) == {"total": "180 ng/L", "status": "Indeterminate result"}


def test_rules_come_from_the_engine_not_from_tags(spec: Spec, tmp_path: Path) -> None:
    outcomes = run_scenarios(spec, load_scenarios(write_feature(tmp_path, OUTLINE)))
    assert all(o.passed for o in outcomes), [o.error for o in outcomes]
    low, middle = outcomes
    assert "XX-99" not in low.rules
    assert "DX-01" in low.rules and "DX-03" not in low.rules
    assert "DX-03" in middle.rules and "DX-01" not in middle.rules
    assert low.rules == tuple(dict.fromkeys(low.evaluations[0].fired_rules))
    assert low.asserted == ("b12_status",)


def test_a_wrong_expectation_fails_under_python_optimize(tmp_path: Path) -> None:
    """Defect 3 of issue 9: with PYTHONOPTIMIZE=1 bare ``assert`` vanished from the Then steps,
    so a wrong expectation passed and ``b12spec coverage`` recorded it as passed."""
    wrong = OUTLINE.replace("| 180 ng/L | Indeterminate result |", "| 180 ng/L | Deficiency confirmed |")
    features = tmp_path / "features"
    features.mkdir()
    write_feature(features, wrong)
    results = tmp_path / "results.json"
    command = [sys.executable, "-c", "from b12spec.cli import main; main()", "--spec", str(FEATURES.parent / "spec"),
               "coverage", "--quiet", "--features", str(features), "--scenario-results", str(results)]
    done = subprocess.run(command, env={**os.environ, "PYTHONOPTIMIZE": "1"}, capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 1, done.stderr
    statuses = {r["name"]: r["status"] for r in json.loads(results.read_text(encoding="utf-8"))["scenarios"]}
    assert statuses == {"Total B12 of 179.9 ng/L (example 1)": "passed", "Total B12 of 180 ng/L (example 2)": "failed"}


def test_a_wrong_expectation_fails_with_the_step_and_the_values(spec: Spec, tmp_path: Path) -> None:
    wrong = OUTLINE.replace("| 180 ng/L | Indeterminate result |", "| 180 ng/L | Deficiency confirmed |")
    low, middle = run_scenarios(spec, load_scenarios(write_feature(tmp_path, wrong)))
    assert low.passed and low.error is None
    assert not middle.passed
    assert 'Then the B12 status is "Deficiency confirmed"' in middle.error
    assert "Indeterminate result" in middle.error
    assert "DX-03" in middle.rules  # the evaluation happened before the failing step


def test_an_unknown_step_fails_the_scenario(spec: Spec, tmp_path: Path) -> None:
    text = "Feature: F\n  Scenario: S\n    Given a patient who likes tea\n    When the guideline is applied\n"
    (outcome,) = run_scenarios(spec, load_scenarios(write_feature(tmp_path, text)))
    assert not outcome.passed
    assert "no given step matches 'a patient who likes tea'" in outcome.error
    assert outcome.rules == () and outcome.evaluations == ()


def test_a_then_step_before_the_guideline_is_applied_fails(spec: Spec, tmp_path: Path) -> None:
    text = "Feature: F\n  Scenario: S\n    Given a 50-year-old man\n    Then vitamin B12 deficiency is confirmed\n"
    (outcome,) = run_scenarios(spec, load_scenarios(write_feature(tmp_path, text)))
    assert not outcome.passed
    assert "has not been applied yet" in outcome.error


def test_a_refused_case_fires_no_rule(spec: Spec, tmp_path: Path) -> None:
    text = (
        "Feature: F\n  Scenario: S\n    Given a 50-year-old man\n    And he is pregnant\n"
        "    And he has no neurological involvement\n    When the guideline is applied\n"
        "    Then the case is refused with no recommendation\n"
    )
    (outcome,) = run_scenarios(spec, load_scenarios(write_feature(tmp_path, text)))
    assert outcome.passed, outcome.error
    assert outcome.rules == () and outcome.evaluations == ()


def test_expecting_a_recommendation_from_a_refused_case_fails(spec: Spec, tmp_path: Path) -> None:
    text = (
        "Feature: F\n  Scenario: S\n    Given a 50-year-old man\n    And he is pregnant\n"
        "    And he has no neurological involvement\n    When the guideline is applied\n"
        "    Then vitamin B12 deficiency is confirmed\n"
    )
    (outcome,) = run_scenarios(spec, load_scenarios(write_feature(tmp_path, text)))
    assert not outcome.passed
    assert "refused" in outcome.error


def test_an_unknown_output_label_names_the_allowed_ones(spec: Spec, tmp_path: Path) -> None:
    text = (
        "Feature: F\n  Scenario: S\n    Given a 50-year-old man\n    And he has no neurological involvement\n"
        '    When the guideline is applied\n    Then the B12 status is "Probably fine"\n'
    )
    (outcome,) = run_scenarios(spec, load_scenarios(write_feature(tmp_path, text)))
    assert not outcome.passed
    assert "'B12 status' has no value 'Probably fine'" in outcome.error
    assert '"Deficiency confirmed"' in outcome.error


def test_a_malformed_feature_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    write_feature(tmp_path, "Feature: A\n  Scenario: S\n    Given x\nFeature: B\n", "broken.feature")
    with pytest.raises(FeatureFileError, match=r"broken\.feature"):
        load_scenarios(tmp_path)


def test_a_missing_features_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FeatureFileError, match="no such features directory"):
        load_scenarios(tmp_path / "nowhere")


def test_an_ambiguous_step_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = StepDefinition("when", re.compile(r"the guideline is .+"), lambda context: None)
    monkeypatch.setattr("b12spec.scenarios.registry.STEPS", [*STEPS, extra])
    with pytest.raises(StepNotFound, match="ambiguous"):
        find_step("when", "the guideline is applied")


def test_every_step_of_every_feature_matches_exactly_one_definition_and_every_definition_is_used() -> None:
    used = set()
    for scenario in load_scenarios(FEATURES):
        for step in scenario.steps:
            definition, _ = find_step(step.type, step.text)
            used.add(definition)
    unused = [d.pattern.pattern for d in STEPS if d not in used]
    assert not unused, f"step definitions no feature uses: {unused}"


def test_every_feature_scenario_passes_in_process(spec: Spec) -> None:
    outcomes = run_scenarios(spec, load_scenarios(FEATURES))
    failed = [(o.name, o.error) for o in outcomes if not o.passed]
    assert not failed
    assert len({(o.feature_file, o.name) for o in outcomes}) == len(outcomes), "scenario names must be unique"


def test_every_not_specified_rule_has_a_passing_scenario_that_says_so_and_names_its_question(spec: Spec) -> None:
    """Where a rule's result says 'not specified by the source', some scenario must fire it and
    state that, naming one of the rule's open questions."""
    scenarios = {(s.feature_file, s.name): s for s in load_scenarios(FEATURES)}
    outcomes = run_scenarios(spec, scenarios.values())
    silent = []
    for table in spec.tables:
        for rule in table.rules:
            labels = [c.label_of(v).lower() for c, v in zip(table.outputs, rule.outputs, strict=True)]
            if not any("not specified by the source" in label for label in labels):
                continue
            said = [
                o
                for o in outcomes
                if o.passed
                and rule.id in o.rules
                and any(
                    any(q in step.text for q in rule.open_questions)
                    and ("the source does not specify" in step.text or step.text.startswith("open question"))
                    for step in scenarios[(o.feature_file, o.name)].steps
                )
            ]
            if not said:
                silent.append(rule.id)
    assert not silent, f"no scenario says 'not specified' and names the open question for {silent}"


def test_rule_tags_are_honest(spec: Spec) -> None:
    """A scenario tagged with a rule id fires that rule or checks its result (shown absent, or
    the whole output pinned); every tag names a real rule, and every rule is tagged somewhere."""
    scenarios = load_scenarios(FEATURES)
    outcomes = run_scenarios(spec, scenarios)
    rule_ids = {rule.id for table in spec.tables for rule in table.rules}
    tags = {tag for scenario in scenarios for tag in scenario.rule_tags}
    assert tags <= rule_ids, f"tags naming no rule: {sorted(tags - rule_ids)}"
    assert rule_ids <= tags, f"rules no scenario is tagged with: {sorted(rule_ids - tags)}"
    loose = []
    for scenario, outcome in zip(scenarios, outcomes, strict=True):
        looked_at = set().union(*(checked_rules(table, outcome.checked) for table in spec.tables))
        loose += [f"{scenario.name}: @{t}" for t in scenario.rule_tags if t not in outcome.rules and t not in looked_at]
    assert not loose, "\n".join(loose)


def test_each_scenario_runs_on_its_own_context(spec: Spec, tmp_path: Path) -> None:
    scenarios = load_scenarios(write_feature(tmp_path, OUTLINE))
    first = run_scenario(spec, scenarios[0])
    again = run_scenario(spec, scenarios[0])
    assert first.rules == again.rules and len(again.evaluations) == 1
