"""The example cases of examples/, evaluated for the "Try a case" page.

Each file is read by the CLI's case reader and evaluated with the same engine; a case the data dictionary refuses is
shown with its problems, because refusing bad input is part of what a reviewer should see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b12spec.errors import B12SpecError, CaseError
from b12spec.evaluate import evaluate
from b12spec.model import Spec
from b12spec.report import evaluation_to_dict, render_text
from b12spec.safeload import DataFileError
from b12spec.workspace import read_case, read_shown_text

CASE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class ExampleResult:
    """One example file: its raw content, and either the evaluation or the refusal."""

    name: str
    file: str
    source: str
    result: dict[str, Any] | None
    text: str
    error: str | None
    problems: tuple[str, ...] = ()


def evaluate_example(spec: Spec, path: Path, shown_as: str) -> ExampleResult:
    source = read_shown_text(path)
    try:
        evaluation = evaluate(spec, read_case(path, shown_as))
    except DataFileError as error:
        return ExampleResult(path.stem, shown_as, source, None, "", f"not readable as a case: {error}")
    except CaseError as error:
        problems = tuple(str(p) for p in error.problems)
        return ExampleResult(path.stem, shown_as, source, None, "", "the case is not valid", problems)
    except B12SpecError as error:
        return ExampleResult(path.stem, shown_as, source, None, "", str(error))
    data = evaluation_to_dict(spec, evaluation)
    return ExampleResult(path.stem, shown_as, source, data, render_text(spec, evaluation, shown_as), None)


def evaluate_examples(spec: Spec, directory: Path, root: Path) -> list[ExampleResult]:
    if not directory.is_dir():
        return []
    results = []
    for path in sorted(p for p in directory.iterdir() if p.suffix.lower() in CASE_SUFFIXES):
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            shown = path.name
        results.append(evaluate_example(spec, path, shown))
    return results
