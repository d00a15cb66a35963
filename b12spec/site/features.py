"""A small reader for the Gherkin feature files, enough to show them as living documentation.

The site needs the feature and scenario names, tags and steps in file order, including the
scenarios that have not run yet; it does not execute anything, so a full Gherkin parser (which
pytest-bdd brings only with the test extra) is not needed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

STEP_KEYWORDS = ("Given", "When", "Then", "And", "But", "*")
SCENARIO_KEYWORDS = ("Scenario Outline:", "Scenario Template:", "Scenario:", "Example:")


@dataclass
class Step:
    keyword: str
    text: str


@dataclass
class Scenario:
    name: str
    tags: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    examples: list[list[str]] = field(default_factory=list)
    outline: bool = False


@dataclass
class Feature:
    name: str
    file: str
    description: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    background: list[Step] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_feature(path: Path, shown_as: str) -> Feature:
    """Read one .feature file; ``shown_as`` is the path the site displays (relative to the root)."""
    feature = Feature(name=path.stem, file=shown_as)
    pending_tags: list[str] = []
    current: Scenario | None = None
    steps: list[Step] | None = None
    in_examples = False
    in_docstring = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith(('"""', "```")):
            in_docstring = not in_docstring
            continue
        if in_docstring or not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            pending_tags.extend(tag for tag in line.split() if tag.startswith("@"))
            continue
        if line.startswith("Feature:"):
            feature.name = line.removeprefix("Feature:").strip()
            feature.tags, pending_tags = pending_tags, []
            continue
        if line.startswith("Background:"):
            steps, current, in_examples = feature.background, None, False
            continue
        keyword = next((k for k in SCENARIO_KEYWORDS if line.startswith(k)), None)
        if keyword:
            current = Scenario(line.removeprefix(keyword).strip(), pending_tags, outline="Outline" in keyword)
            current.outline = current.outline or "Template" in keyword
            pending_tags = []
            feature.scenarios.append(current)
            steps, in_examples = current.steps, False
            continue
        if line.startswith(("Examples:", "Scenarios:")):
            in_examples = True
            continue
        if line.startswith("|"):
            if in_examples and current is not None:
                current.examples.append(_cells(line))
            elif steps:
                steps[-1].text += "  " + line
            continue
        step_keyword = next((k for k in STEP_KEYWORDS if line.startswith(k + " ")), None)
        if step_keyword and steps is not None:
            steps.append(Step(step_keyword, line[len(step_keyword) :].strip()))
        elif current is None and steps is None:
            feature.description.append(line)
    return feature


def load_features(directory: Path, root: Path) -> list[Feature]:
    """Every ``*.feature`` under ``directory``, sorted by path."""
    if not directory.is_dir():
        return []
    features = []
    for path in sorted(directory.rglob("*.feature")):
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            shown = path.name
        features.append(parse_feature(path, shown))
    return features
