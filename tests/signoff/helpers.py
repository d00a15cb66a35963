"""Helpers for the sign-off tests: a fake clock, a cell editor, a whole review in one call."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from b12spec.model import Spec
from b12spec.signoff import record
from b12spec.workspace import load_spec


class FakeClock:
    """A clock that advances one minute per reading, so every event has its own known time."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


def read_rows(csv_path: Path) -> list[list[str]]:
    with csv_path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(csv_path: Path, rows: list[list[str]]) -> None:
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def editable_cell(spec: Spec) -> tuple[str, str, str, str]:
    """(table, rule, column, present text) of the first input cell that is not "-" in the spec.

    Setting it to "-" keeps the spec valid while changing what the rule means.
    """
    for table in spec.tables:
        for rule in table.rules:
            for column, text in zip(table.inputs, rule.input_text, strict=True):
                if text != "-":
                    return table.name, rule.id, column.expression, text
    raise AssertionError("the spec has no input cell to edit")


def set_cell(spec_dir: Path, table: str, rule: str, column: str, value: str) -> str:
    """Change one cell of a table's CSV and return what it held before."""
    path = spec_dir / "tables" / f"{table}.csv"
    rows = read_rows(path)
    position = rows[0].index(column)
    for row in rows[1:]:
        if row and row[0] == rule:
            before = row[position]
            row[position] = value
            write_rows(path, rows)
            return before
    raise AssertionError(f"{rule} not in {path}")


def approve(spec: Spec, subject: str, clock: FakeClock, reviewer: str = "Dr Ada Example") -> None:
    """Take ``subject`` through submit, start-review and approve as it is now."""
    record(spec, subject, "submit", "Sam Editor", "guideline editor", clock=clock)
    record(spec, subject, "start-review", reviewer, "haematologist", clock=clock)
    record(spec, subject, "approve", reviewer, "haematologist", note="checked against the source", clock=clock)


def reload(spec_dir: Path) -> Spec:
    return load_spec(spec_dir)
