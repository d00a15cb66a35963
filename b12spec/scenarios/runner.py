"""Runs scenarios in process against a Spec: no pytest start-up, so mutation testing can run
the whole suite against every mutant table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from b12spec.evaluate import Evaluation
from b12spec.model import Spec
from b12spec.scenarios.context import ScenarioContext
from b12spec.scenarios.gherkin import Scenario
from b12spec.scenarios.registry import find_step


@dataclass(frozen=True)
class ScenarioOutcome:
    """How one scenario went. ``rules`` are the rule ids the engine's hit policies kept (taken
    from the evaluations, never from tags); ``asserted`` the decisions its Then steps checked and
    ``checked`` the (decision, output, value) triples they checked, ``EVERY_VALUE`` standing for
    a whole output."""

    feature: str
    feature_file: str
    name: str
    tags: tuple[str, ...]
    passed: bool
    error: str | None
    rules: tuple[str, ...]
    evaluations: tuple[Evaluation, ...]
    asserted: tuple[str, ...] = ()
    checked: frozenset[tuple[str, str, object]] = frozenset()


def run_steps(context: ScenarioContext, scenario: Scenario) -> None:
    """Run each step in order; the first failure propagates with the step's text prefixed."""
    for scenario_step in scenario.steps:
        try:
            definition, arguments = find_step(scenario_step.type, scenario_step.text)
            definition.function(context, **arguments)
        except Exception as error:
            message = str(error) or type(error).__name__
            raise AssertionError(f"{scenario_step.keyword} {scenario_step.text}: {message}") from error


def run_scenario(spec: Spec, scenario: Scenario) -> ScenarioOutcome:
    context = ScenarioContext(spec)
    error: str | None = None
    try:
        run_steps(context, scenario)
    except AssertionError as failure:
        error = str(failure)
    return ScenarioOutcome(
        feature=scenario.feature,
        feature_file=scenario.feature_file,
        name=scenario.name,
        tags=scenario.tags,
        passed=error is None,
        error=error,
        rules=context.fired_rules,
        evaluations=tuple(context.evaluations),
        asserted=tuple(sorted(context.asserted)),
        checked=frozenset(context.checked),
    )


def run_scenarios(spec: Spec, scenarios: Iterable[Scenario]) -> list[ScenarioOutcome]:
    return [run_scenario(spec, scenario) for scenario in scenarios]


def scenario_record(scenario: Scenario, passed: bool, rules: Iterable[str]) -> dict[str, object]:
    """One scenario as reports/scenario-results.json holds it, whichever runner ran it (pytest-bdd
    in the test suite, the in-process runner in ``b12spec coverage``): one shape, one place."""
    return {
        "feature": scenario.feature,
        "feature_file": scenario.feature_file,
        "name": scenario.name,
        "tags": list(scenario.tags),
        "status": "passed" if passed else "failed",
        "rules": list(rules),
        "steps": [{"keyword": step.keyword, "text": step.text} for step in scenario.steps],
    }
