"""The report files other b12spec commands write under reports/ (see the reports contract).

Each is optional: a missing file means the step has not run yet, and the site says so. A file
that exists but cannot be read is an error naming the file, never silently shown as "not run".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b12spec.errors import B12SpecError
from b12spec.safeload import DataFileError
from b12spec.workspace import read_document

REPORT_FILES = {
    "check": ("check.json", "b12spec check --json --output reports/check.json"),
    "coverage": ("coverage.json", "b12spec coverage --json"),
    "mutation": ("mutation.json", "b12spec mutate --json"),
    "scenarios": ("scenario-results.json", "the feature tests (pytest, or b12spec coverage --scenario-results)"),
}


class ReportError(B12SpecError):
    """A report file exists but is not the JSON object the contract describes."""


@dataclass(frozen=True)
class Report:
    """One report file: its data when present, else ``None`` with the command that writes it."""

    name: str
    path: Path
    producer: str
    data: dict[str, Any] | None

    @property
    def present(self) -> bool:
        return self.data is not None


@dataclass(frozen=True)
class Reports:
    check: Report
    coverage: Report
    mutation: Report
    scenarios: Report

    def scenario_list(self) -> list[dict[str, Any]]:
        return list(self.scenarios.data.get("scenarios", [])) if self.scenarios.data else []


def _read(name: str, directory: Path) -> Report:
    filename, producer = REPORT_FILES[name]
    path = directory / filename
    if not path.exists():
        return Report(name, path, producer, None)
    try:
        data = read_document(path)
    except DataFileError as error:
        raise ReportError(f"{path}: cannot be read as JSON ({error}); rerun {producer} or delete it") from error
    if not isinstance(data, dict):
        raise ReportError(f"{path}: expected a JSON object, got {type(data).__name__}; rerun {producer}")
    return Report(name, path, producer, data)


def load_reports(directory: Path) -> Reports:
    """Read every report present in ``directory``; absent ones stay ``None``."""
    return Reports(*(_read(name, directory) for name in ("check", "coverage", "mutation", "scenarios")))
