"""A pytest plugin recording each scenario pytest-bdd runs: status, tags, steps and the rules
that fired in the engine, written to reports/scenario-results.json (contract: briefs/reports.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from b12spec.scenarios import Scenario, ScenarioContext, scenario_record
from b12spec.workspace import write_json

RECORDER_NAME = "b12spec-scenario-recorder"



class ScenarioRecorder:
    def __init__(self, features_dir: Path, scenarios: tuple[Scenario, ...], output: Path) -> None:
        self.output = output
        self.failed: set[str] = set()
        self.records: list[dict[str, Any]] = []
        # An outline's rows share a line: their rendered steps tell them apart (pytest-bdd's public
        # hook arguments carry the rendered scenario, not the Examples row).
        self.index: dict[tuple[str, int, tuple[str, ...]], list[Scenario]] = {}
        for scenario in scenarios:
            path = str((features_dir.parent / scenario.feature_file).resolve())
            steps = tuple(step.text for step in scenario.steps)
            self.index.setdefault((path, scenario.line, steps), []).append(scenario)

    @pytest.hookimpl
    def pytest_bdd_step_error(self, request: pytest.FixtureRequest) -> None:
        self.failed.add(request.node.nodeid)

    @pytest.hookimpl
    def pytest_bdd_step_func_lookup_error(self, request: pytest.FixtureRequest) -> None:
        self.failed.add(request.node.nodeid)

    @pytest.hookimpl
    def pytest_bdd_after_scenario(self, request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
        key = (str(Path(feature.filename).resolve()), scenario.line_number, tuple(s.name for s in scenario.steps))
        same = self.index.get(key) or []
        known = same.pop(0) if same else None
        context: ScenarioContext = request.getfixturevalue("b12_scenario")
        passed = request.node.nodeid not in self.failed
        if known is not None:
            self.records.append(scenario_record(known, passed, context.fired_rules))
            return
        self.records.append(
            {
                "feature": feature.name,
                "feature_file": feature.rel_filename,
                "name": scenario.name,
                "tags": sorted(scenario.tags),
                "status": "passed" if passed else "failed",
                "rules": list(context.fired_rules),
                "steps": [{"keyword": step.keyword, "text": step.name} for step in scenario.steps],
            }
        )

    @pytest.hookimpl
    def pytest_sessionfinish(self) -> None:
        if self.records:
            write_json(self.output, {"scenarios": self.records})
