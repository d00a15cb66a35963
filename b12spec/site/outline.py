"""Scenario Outlines read per example: the name and steps with every ``<placeholder>`` filled, and
the example's values split into what the scenario is given and what it expects.

A column counts as expected output when its placeholder appears in a Then step (or an And/But
after one); every other column is an input. The runner names an outline's runs
"<filled name> (example N)", N counting the examples of all Examples blocks in order, which is
how an example finds its last result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_PLACEHOLDER = re.compile(r"<([^<>]+)>")
OUTCOME_KEYWORDS = ("Then",)
CONTINUATION_KEYWORDS = ("And", "But", "*")


@dataclass(frozen=True)
class FilledStep:
    keyword: str
    text: str


@dataclass(frozen=True)
class ExampleRun:
    """One example of an outline, as it runs."""

    index: int  # 1-based over every Examples block of the outline
    name: str
    steps: tuple[FilledStep, ...]
    inputs: tuple[tuple[str, str], ...]
    expected: tuple[tuple[str, str], ...]


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``<name>`` replaced by the example's value (unknown names left as they are)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def outcome_columns(steps: Sequence[Any]) -> set[str]:
    """The placeholders that appear in Then steps: the example's expected outputs."""
    found: set[str] = set()
    in_then = False
    for step in steps:
        keyword = str(step.keyword).strip()
        if keyword in OUTCOME_KEYWORDS:
            in_then = True
        elif keyword not in CONTINUATION_KEYWORDS:
            in_then = False
        if in_then:
            found.update(_PLACEHOLDER.findall(str(step.text)))
    return found


def example_blocks(rows: Sequence[Sequence[str]]) -> list[tuple[list[str], list[list[str]]]]:
    """Header and rows of each Examples block; a row repeating the first header opens a new block."""
    blocks: list[tuple[list[str], list[list[str]]]] = []
    for row in rows:
        cells = [str(c) for c in row]
        if not blocks or cells == blocks[0][0]:
            blocks.append((cells, []))
        else:
            blocks[-1][1].append(cells)
    return blocks


def expand(name: str, steps: Sequence[Any], rows: Sequence[Sequence[str]]) -> tuple[ExampleRun, ...]:
    """Every example of an outline, numbered as the runner numbers them."""
    outputs = outcome_columns(steps)
    runs: list[ExampleRun] = []
    for header, body in example_blocks(rows):
        for row in body:
            values = dict(zip(header, row, strict=False))
            runs.append(
                ExampleRun(
                    index=len(runs) + 1,
                    name=fill(name, values),
                    steps=tuple(FilledStep(str(s.keyword), fill(str(s.text), values)) for s in steps),
                    inputs=tuple((k, v) for k, v in values.items() if k not in outputs),
                    expected=tuple((k, v) for k, v in values.items() if k in outputs),
                )
            )
    return tuple(runs)
