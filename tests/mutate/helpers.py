"""A tiny spec on disk and a stand-in for the scenario API, so the mutation machinery is tested
on tables small enough to list every mutant by hand.

The stand-in is not a Gherkin runner: each scenario is a case and the table values it expects,
checked through the real engine, which is all the runner needs from ``b12spec.scenarios``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from b12spec.errors import B12SpecError
from b12spec.evaluate import evaluate
from b12spec.model import Spec

FILES = {
    "guideline.yaml": """
        title: Tiny guideline
        version: 0.0.1
        source_file: none.txt
        source_updated: "2026-01-01"
        summary: A guideline small enough to mutate by hand.
        disclaimer: For tests only.
    """,
    "sources.yaml": """
        - id: "1"
          title: The only reference
    """,
    "open_questions.yaml": "[]\n",
    "catalogue.yaml": "[]\n",
    "dictionary.yaml": """
        fields:
          level:
            type: number
            unit: u
            range: [0, 1000]
            precision: 0.1
            required: false
            description: A measured level.
          years:
            type: number
            unit: years
            range: [0, 120]
            precision: 1
            required: false
            description: An age.
          kind:
            type: enum
            values: [a, b, c]
            required: false
            description: A kind.
          flag:
            type: boolean
            required: false
            description: A flag.
    """,
    "tables/grade.yaml": """
        decision: grade
        title: Grade
        purpose: Grades the level.
        hit_policy: U
        inputs:
          - expression: level
        outputs:
          - name: grade
            values: [low, mid, high, unknown]
    """,
    "tables/grade.csv": """
        rule,level,grade,citations,open_questions,annotation
        GR-01,< 180,low,1,,
        GR-02,[180..350],mid,1,,
        GR-03,> 350,high,1,,
        GR-04,null,unknown,1,,
    """,
    "tables/advice.yaml": """
        decision: advice
        title: Advice
        purpose: Collects advice.
        hit_policy: C
        inputs:
          - expression: grade.grade
          - expression: kind
          - expression: flag
        outputs:
          - name: advice
            values: [treat, diet, check]
    """,
    "tables/advice.csv": '''
        rule,grade.grade,kind,flag,advice,citations,open_questions,annotation
        AD-01,"""low""",-,-,treat,1,,
        AD-02,-,"""a""",-,diet,1,,
        AD-03,-,-,true,check,1,,
    ''',
}


def write_spec(root: Path, overrides: Mapping[str, str] | None = None) -> Path:
    """Write the tiny spec (with some files replaced) under ``root/spec`` and return that dir."""
    spec_dir = root / "spec"
    (spec_dir / "tables").mkdir(parents=True, exist_ok=True)
    for name, text in {**FILES, **(overrides or {})}.items():
        (spec_dir / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return spec_dir


@dataclass(frozen=True)
class FakeScenario:
    """A case and the value each named decision must give."""

    name: str
    case: Mapping[str, Any]
    expect: Mapping[str, Any]


@dataclass(frozen=True)
class FakeOutcome:
    feature: str
    feature_file: str
    name: str
    passed: bool
    error: str | None
    evaluations: tuple[Any, ...] = ()
    tags: tuple[str, ...] = ()
    rules: tuple[str, ...] = field(default=())
    asserted: tuple[str, ...] = ()


def fake_run_scenario(spec: Spec, scenario: FakeScenario) -> FakeOutcome:
    """Evaluate the case with the real engine and compare the expected decision values."""

    def outcome(passed: bool, error: str | None, evaluations: tuple[Any, ...] = ()) -> FakeOutcome:
        rules = tuple(r for ev in evaluations for r in ev.fired_rules)
        asserted = tuple(sorted(scenario.expect))
        return FakeOutcome("Tiny", "tiny.feature", scenario.name, passed, error, evaluations, (), rules, asserted)

    try:
        evaluation = evaluate(spec, dict(scenario.case))
    except B12SpecError as error:
        return outcome(False, str(error))
    for decision, expected in scenario.expect.items():
        got = evaluation.results[decision].value
        if got != expected:
            return outcome(False, f"{decision}: expected {expected!r}, got {got!r}", (evaluation,))
    return outcome(True, None, (evaluation,))


def grade_scenario(level: float | None, grade: str, **case: Any) -> FakeScenario:
    return FakeScenario(f"level {level} is {grade}", {"level": level, **case}, {"grade": {"grade": grade}})
