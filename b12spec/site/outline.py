"""Scenario Outlines read per example: the steps with every ``<placeholder>`` filled, and the
example's values split into what the scenario is given and what it expects.

A column counts as expected output when its placeholder appears in a Then step (or an And/But
after one); every other column is an input. The runs themselves (names, filled steps, numbering
over every Examples block) come from the Gherkin reader, the same ones the runner executes, so
an example finds its last result by the run's own name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from b12spec.scenarios.gherkin import Scenario, ScenarioDefinition, ScenarioStep, render

_PLACEHOLDER = re.compile(r"<([^<>]+)>")
_OUTCOME = "then"


@dataclass(frozen=True)
class ExampleRun:
    """One example of an outline, as it runs."""

    index: int  # 1-based over every Examples block of the outline
    name: str  # the outline's name with the example's values filled in
    run: Scenario  # the scenario the runner executes (its name carries "(example N)")
    steps: tuple[ScenarioStep, ...]  # the outline's own steps, filled; the background is shown once
    inputs: tuple[tuple[str, str], ...]
    expected: tuple[tuple[str, str], ...]


def outcome_columns(steps: Sequence[ScenarioStep]) -> set[str]:
    """The placeholders that appear in Then steps (And/But after a Then count as Then)."""
    found: set[str] = set()
    for step in steps:
        if step.type == _OUTCOME:
            found.update(_PLACEHOLDER.findall(step.text))
    return found


def expand(definition: ScenarioDefinition) -> tuple[ExampleRun, ...]:
    """Every example of an outline, numbered as the runner numbers them; none for a plain scenario."""
    if not definition.outline:
        return ()
    outputs = outcome_columns(definition.steps)
    runs = []
    for index, run in enumerate(definition.runs, start=1):
        values = dict(run.example)
        runs.append(
            ExampleRun(
                index=index,
                name=render(definition.name, values),
                run=run,
                steps=tuple(
                    ScenarioStep(s.keyword, s.type, render(s.text, values), s.line) for s in definition.steps
                ),
                inputs=tuple((k, v) for k, v in values.items() if k not in outputs),
                expected=tuple((k, v) for k, v in values.items() if k in outputs),
            )
        )
    return tuple(runs)
