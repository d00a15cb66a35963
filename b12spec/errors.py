"""Exceptions a guideline author or a clinician can act on.

Every error says where the problem is (file, row, column; or the patient field) and what was
expected, because the people who read them fix spreadsheets and patient records, not Python.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class B12SpecError(Exception):
    """Root of every error b12spec raises on purpose."""


def closest(word: object, candidates: Iterable[object]) -> str | None:
    """The candidate a misspelt ``word`` most likely meant, if any is close: the one spelling hint."""
    hint = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1)
    return hint[0] if hint else None


def did_you_mean(word: object, candidates: Iterable[object]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing."""
    hint = closest(word, candidates)
    return f" (did you mean {hint!r}?)" if hint is not None else ""


FORM, DOMAIN, WIRING = "form", "domain", "wiring"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the spec, typed so ``check`` never has to read it back from the text.

    ``kind`` is form (shape of a file), domain (an entry that can never match its input) or wiring
    (how decisions connect); ``file`` is relative to the spec directory; ``rule`` is the id of the
    rule on that row, when there is one.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    kind: str = FORM
    rule: str | None = None

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


_ONE_COLUMN = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\v": " ", "\f": " "})


class UnaryTestSyntaxError(B12SpecError):
    """A cell that is not a valid S-FEEL unary test; knows the offending position."""

    def __init__(self, text: str, position: int, expected: str) -> None:
        self.text = text
        self.position = position
        self.expected = expected
        super().__init__(self.render())

    def render(self) -> str:
        # Tabs and line breaks (a multi-line spreadsheet cell) would push the caret off the fault:
        # show each as one space, so the caret still sits under the character at self.position.
        shown = self.text.translate(_ONE_COLUMN)
        caret = " " * self.position + "^"
        return f"{self.expected}\n    {shown}\n    {caret}"


class SpecError(B12SpecError):
    """The spec (a table, the dictionary, the sources) is malformed: every problem, found in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"the spec has {len(self.problems)} problem(s):\n{lines}")


class CaseError(B12SpecError):
    """A patient case failed validation against the data dictionary.

    Carries every problem found, not just the first, so the record can be fixed in one pass.
    """

    def __init__(self, problems: list[CaseProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the patient case is not valid; no recommendation is given:\n{lines}")


@dataclass(frozen=True)
class CaseProblem:
    """One thing wrong with one field of a patient case."""

    field: str
    value: object
    allowed: str

    def __str__(self) -> str:
        if self.value is None and self.allowed.startswith("required"):
            return f"{self.field}: not given; {self.allowed}"
        return f"{self.field}: got {shorten(self.value)}; allowed: {self.allowed}"


_SHOWN_CHARS = 200


def shorten(value: object) -> str:
    """A value in words (``spoken``), cut to a readable length: a hostile file must not flood the
    terminal."""
    text = spoken(value)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}... ({len(text):,} characters)"


class EvaluationError(B12SpecError):
    """A table could not produce a result (hit policy violated, no rule matched)."""

    def __init__(self, decision: str, message: str) -> None:
        self.decision = decision
        super().__init__(f'decision "{decision}": {message}')


class HitPolicyViolation(EvaluationError):
    """More than one rule matched where the hit policy forbids it."""


def spoken(value: object) -> str:
    """A case value as a clinician reads it: never a Python repr (None, True, nan, {'a': 1}).

    Text is shown in double quotes, yes/no values as the case file writes them (true, false), a
    quantity as number and unit, a missing value as "nothing".
    """
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "not a number"
        if math.isinf(value):
            return "an infinite number"
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Mapping):
        if set(value) <= {"value", "unit"} and "value" in value:
            unit = value.get("unit")
            return spoken(value["value"]) + (f" {unit}" if isinstance(unit, str) else " with no unit")
        shown = ", ".join(f"{k} {spoken(v)}" for k, v in list(value.items())[:5])
        return shown + (", ..." if len(value) > 5 else "") if value else "an empty group"
    if isinstance(value, (list, tuple)):
        if len(value) <= 3:
            return " and ".join(spoken(v) for v in value) if value else "an empty list"
        return f"a list of {len(value)} values"
    return f"a value of an unreadable kind ({type(value).__name__})"
