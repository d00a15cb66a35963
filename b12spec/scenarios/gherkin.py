"""Parses .feature text with the official Gherkin parser and expands Scenario Outlines.

Each Examples row becomes its own Scenario, carrying the tags of the feature, the outline and
its Examples block, so a rule id tag on an Examples table names the rows that exercise it. The
runner, the coverage report and the site's Features page all use these types.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gherkin.errors import CompositeParserException
from gherkin.parser import Parser

from b12spec.errors import B12SpecError

_PARAMETER = re.compile(r"<([^<>]+)>")
# Gherkin's keyword types; a Conjunction (And, But) keeps the type of the step before it.
_STEP_TYPES = {"Context": "given", "Action": "when", "Outcome": "then"}


class FeatureFileError(B12SpecError):
    """A .feature file that the Gherkin parser rejects, or a step with no type to inherit."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        super().__init__(f"{file}: {message}")


@dataclass(frozen=True)
class ScenarioStep:
    """One step as written (Given/When/Then/And/But) and the type it runs as."""

    keyword: str
    type: str
    text: str
    line: int


@dataclass(frozen=True)
class Scenario:
    """A runnable scenario: a plain Scenario, or one Examples row of a Scenario Outline."""

    feature: str
    feature_file: str
    name: str
    tags: tuple[str, ...]
    steps: tuple[ScenarioStep, ...]
    line: int = 0
    example: tuple[tuple[str, str], ...] = field(default=())

    @property
    def rule_tags(self) -> tuple[str, ...]:
        """The tags that name a rule (``DX-01``), as opposed to descriptive tags."""
        return tuple(tag for tag in self.tags if re.fullmatch(r"[A-Z]{2}-\d+", tag))


@dataclass(frozen=True)
class ScenarioDefinition:
    """A scenario as written in the file: a plain Scenario, one run, or an Outline, one run per row.

    Reviewers read an outline once, with its examples; the runner and coverage see only the runs.
    """

    name: str  # as written: an outline's placeholders are not filled
    tags: tuple[str, ...]
    steps: tuple[ScenarioStep, ...]  # its own steps as written, without the background
    line: int
    outline: bool
    runs: tuple[Scenario, ...]


@dataclass(frozen=True)
class Feature:
    """One feature file: its name, tags, description and background, and its scenarios as written."""

    name: str
    file: str
    tags: tuple[str, ...] = ()
    description: str = ""
    background: tuple[ScenarioStep, ...] = ()
    definitions: tuple[ScenarioDefinition, ...] = ()

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Every runnable scenario in file order, outlines expanded."""
        return tuple(run for definition in self.definitions for run in definition.runs)


def render(text: str, example: Mapping[str, str]) -> str:
    """Substitute ``<name>`` placeholders of an outline with the Examples row's values."""
    return _PARAMETER.sub(lambda m: example.get(m.group(1), m.group(0)), text)


def _tags(node: Mapping[str, Any]) -> list[str]:
    return [tag["name"].lstrip("@") for tag in node.get("tags", [])]


def _steps(raw_steps: list[Mapping[str, Any]], file: str) -> list[tuple[str, str, str, int]]:
    steps = []
    current: str | None = None
    for raw in raw_steps:
        current = _STEP_TYPES.get(raw["keywordType"], current)
        if current is None:
            raise FeatureFileError(f"{file}:{raw['location']['line']}", "the first step must be Given, When or Then")
        steps.append((raw["keyword"].strip(), current, raw["text"], raw["location"]["line"]))
    return steps


def parse_feature(text: str, display_name: str) -> Feature:
    """One feature file's text: every scenario, outlines expanded, background steps prepended."""
    try:
        document = Parser().parse(text)
    except CompositeParserException as error:
        raise FeatureFileError(display_name, str(error)) from error
    feature = document.get("feature")
    if not feature:
        return Feature(Path(display_name).stem, display_name)
    feature_tags = _tags(feature)
    background: list[tuple[str, str, str, int]] = []
    definitions: list[ScenarioDefinition] = []
    children: list[Any] = list(feature["children"])
    while children:
        child = children.pop(0)
        if "rule" in child:  # Gherkin "Rule:" blocks simply group scenarios here
            children[:0] = child["rule"]["children"]
            continue
        if "background" in child:
            background = _steps(child["background"]["steps"], display_name)
            continue
        outline = child["scenario"]
        written = _steps(outline["steps"], display_name)
        own = background + written
        tags = feature_tags + _tags(outline)
        runs: list[Scenario] = []
        if not outline.get("examples"):
            runs.append(_make(feature["name"], display_name, outline, tags, own, {}, None))
        for examples in outline.get("examples") or []:
            header = [cell["value"] for cell in (examples.get("tableHeader") or {}).get("cells", [])]
            for row in examples.get("tableBody", []):
                values = dict(zip(header, (cell["value"] for cell in row["cells"]), strict=True))
                runs.append(
                    _make(feature["name"], display_name, outline, tags + _tags(examples), own, values, len(runs) + 1)
                )
        definitions.append(
            ScenarioDefinition(
                name=outline["name"],
                tags=tuple(dict.fromkeys(tags)),
                steps=_step_values(written),
                line=outline["location"]["line"],
                outline=bool(outline.get("examples")),
                runs=tuple(runs),
            )
        )
    description = str(feature.get("description") or "").strip()
    return Feature(
        feature["name"], display_name, tuple(feature_tags), description, _step_values(background), tuple(definitions)
    )


def _step_values(
    steps: list[tuple[str, str, str, int]], example: Mapping[str, str] | None = None
) -> tuple[ScenarioStep, ...]:
    return tuple(ScenarioStep(k, t, render(text, example or {}), line) for k, t, text, line in steps)


def _make(
    feature: str,
    file: str,
    outline: Mapping[str, Any],
    tags: list[str],
    steps: list[tuple[str, str, str, int]],
    example: dict[str, str],
    index: int | None,
) -> Scenario:
    name = render(outline["name"], example)
    if index is not None:
        name = f"{name} (example {index})"
    return Scenario(
        feature=feature,
        feature_file=file,
        name=name,
        tags=tuple(dict.fromkeys(tags)),
        steps=_step_values(steps, example),
        line=outline["location"]["line"],
        example=tuple(example.items()),
    )
