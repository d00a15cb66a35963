"""Gherkin scenarios run in process against the engine.

One mechanism serves three callers: pytest-bdd (tests/test_features.py binds the same step
registry), ``b12spec coverage`` and ``b12spec mutate`` (which run every scenario against each
mutant table without paying a pytest start-up per mutant).
"""

from b12spec.scenarios.context import EVERY_VALUE
from b12spec.scenarios.gherkin import Feature, Scenario, ScenarioStep
from b12spec.scenarios.runner import ScenarioOutcome, run_scenario, run_scenarios, scenario_record
from b12spec.scenarios.steps import STEPS, ScenarioContext, StepDefinition, find_step

__all__ = [
    "EVERY_VALUE",
    "STEPS",
    "Feature",
    "Scenario",
    "ScenarioContext",
    "ScenarioOutcome",
    "ScenarioStep",
    "StepDefinition",
    "find_step",
    "run_scenario",
    "run_scenarios",
    "scenario_record",
]
