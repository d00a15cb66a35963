"""The single registry of step patterns -> plain step functions.

Both the in-process runner and the pytest-bdd binding in tests/ read this registry, so a step
means the same thing wherever it runs. A step function takes the scenario context and the
named groups of its pattern, as strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from b12spec.errors import B12SpecError

StepFunction = Callable[..., None]


class StepFailed(AssertionError):
    """A Then step whose expectation does not hold. Raised explicitly, never by ``assert``, so a
    wrong expectation fails under ``python -O`` too; an AssertionError, so pytest-bdd and the
    in-process runner report it as a failed scenario."""


def expect(condition: bool, message: str) -> None:
    """Fail the step with ``message`` unless ``condition`` holds."""
    if not condition:
        raise StepFailed(message)


class StepNotFound(B12SpecError):
    """No step pattern (or more than one) matches a step's text: the feature needs fixing."""


@dataclass(frozen=True)
class StepDefinition:
    """A step type (given, when, then), its full-match pattern and the function it runs."""

    type: str
    pattern: re.Pattern[str]
    function: StepFunction

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self.pattern.groupindex)

    def match(self, text: str) -> dict[str, Any] | None:
        found = self.pattern.fullmatch(text)
        return None if found is None else found.groupdict()


STEPS: list[StepDefinition] = []


def step(step_type: str, pattern: str) -> Callable[[StepFunction], StepFunction]:
    """Register a step function under a regular expression matched against the whole step."""

    def register(function: StepFunction) -> StepFunction:
        STEPS.append(StepDefinition(step_type, re.compile(pattern), function))
        return function

    return register


def find_step(step_type: str, text: str) -> tuple[StepDefinition, dict[str, Any]]:
    """The one definition matching a step; none or several is an error naming the step."""
    found = [(d, args) for d in STEPS if d.type == step_type and (args := d.match(text)) is not None]
    if not found:
        raise StepNotFound(f"no {step_type} step matches {text!r}")
    if len(found) > 1:
        patterns = "; ".join(d.pattern.pattern for d, _ in found)
        raise StepNotFound(f"the {step_type} step {text!r} is ambiguous: it matches {patterns}")
    return found[0]
