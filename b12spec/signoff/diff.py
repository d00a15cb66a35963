"""What changed since a table was approved, cell by cell, from the approved snapshot to now.

Rules are matched by their id, so a changed cell shows as one change of that rule and column; a
rule added or removed shows each of its cells. Changes outside the rule rows (the metadata, the
data-dictionary entries read, the column order, the order of the rules) are listed with
``rule = None`` and a dotted path as the column, so whenever the content hash differs the diff is
not empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from b12spec.model import Spec
from b12spec.signoff.errors import SignoffError
from b12spec.signoff.hashing import SUBJECTS_NOT_TABLES, ContentReader
from b12spec.signoff.ledger import read_snapshot
from b12spec.signoff.state import replay


@dataclass(frozen=True)
class CellChange:
    """One cell that differs between the approved content and the present content."""

    rule: str | None
    column: str
    kind: str  # "added" | "removed" | "changed"
    before: str | None
    after: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def changes_since_approval(spec: Spec, table_name: str) -> list[CellChange]:
    """Cell changes from the last approved content of ``table_name`` (or ``"guideline"``) to now.

    Empty when the subject was never approved or is unchanged since its approval.
    """
    before = approved_content(spec, table_name)
    if before is None:
        return []
    return diff_content(before, ContentReader(spec).content(table_name))


def approved_content(spec: Spec, table_name: str) -> dict[str, Any] | None:
    """The content last approved of a table (``guideline``, ``roster``) when it differs from the
    present content; None when it was never approved or is unchanged."""
    names = [t.name for t in spec.tables]
    if table_name not in SUBJECTS_NOT_TABLES and table_name not in names:
        raise SignoffError(f"no table named {table_name!r}; known tables: {', '.join(names)}")
    approval = replay(spec.root).history(table_name).approval
    if approval is None:
        return None
    if ContentReader(spec).hash(table_name) == approval.content_hash:
        return None
    try:
        content: dict[str, Any] = read_snapshot(spec.root, approval.content_hash)
    except FileNotFoundError as error:
        raise SignoffError(
            f"the approved content of {table_name!r} ({approval.content_hash}) has no snapshot in "
            "spec/signoff/snapshots; restore it from version control"
        ) from error
    except ValueError as error:
        raise SignoffError(f"the approved content of {table_name!r} cannot be trusted: {error}") from error
    return content


def diff_content(before: dict[str, Any], after: dict[str, Any]) -> list[CellChange]:
    """Differences between two canonical contents (of a table or of the guideline)."""
    changes: list[CellChange] = []
    if "rows" in before or "rows" in after:
        changes.extend(_rule_changes(before, after))
    for section in sorted((set(before) | set(after)) - {"rows", "columns", "schema", "subject"}):
        changes.extend(_leaf_changes(section, before.get(section), after.get(section)))
    return changes


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _change(rule: str | None, column: str, before: Any, after: Any) -> CellChange:
    kind = "added" if before is None else "removed" if after is None else "changed"
    return CellChange(rule, column, kind, _text(before), _text(after))


def _keyed_rows(content: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Rows keyed by rule id (a repeated or missing id gets a #n suffix so nothing is lost)."""
    columns = list(content.get("columns") or [])
    keyed: dict[str, dict[str, str]] = {}
    for index, row in enumerate(content.get("rows") or [], start=1):
        names = columns + [f"#{n}" for n in range(len(columns) + 1, len(row) + 1)]
        cells = dict(zip(names, row, strict=False))
        for name in columns[len(row) :]:
            cells[name] = ""
        key = cells.get("rule") or f"row {index}"
        while key in keyed:
            key += "#"
        keyed[key] = cells
    return keyed


def _rule_changes(before: dict[str, Any], after: dict[str, Any]) -> list[CellChange]:
    changes: list[CellChange] = []
    old_columns, new_columns = list(before.get("columns") or []), list(after.get("columns") or [])
    if old_columns != new_columns:
        changes.append(_change(None, "columns", ", ".join(old_columns) or None, ", ".join(new_columns) or None))
    old, new = _keyed_rows(before), _keyed_rows(after)
    for rule, cells in new.items():
        if rule not in old:
            changes.extend(_change(rule, column, None, value) for column, value in cells.items() if value)
            continue
        previous = old[rule]
        for column in [*cells, *(c for c in previous if c not in cells)]:
            if previous.get(column) != cells.get(column):
                changes.append(_change(rule, column, previous.get(column), cells.get(column)))
    for rule, cells in old.items():
        if rule not in new:
            changes.extend(_change(rule, column, value, None) for column, value in cells.items() if value)
    kept_old = [r for r in old if r in new]
    kept_new = [r for r in new if r in old]
    if kept_old != kept_new:
        changes.append(_change(None, "rule order", ", ".join(kept_old), ", ".join(kept_new)))
    return changes


def _leaf_changes(path: str, before: Any, after: Any) -> list[CellChange]:
    """Differences between two YAML-shaped values, down to their leaves, as dotted paths."""
    if before is None and isinstance(after, (dict, list)):
        before = type(after)()
    if after is None and isinstance(before, (dict, list)):
        after = type(before)()
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in [*after, *(k for k in before if k not in after)]:
            changes.extend(_leaf_changes(f"{path}.{key}", before.get(key), after.get(key)))
        return changes
    if isinstance(before, list) and isinstance(after, list) and before != after:
        changes = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else None
            new = after[index] if index < len(after) else None
            changes.extend(_leaf_changes(f"{path}[{index}]", old, new))
        return changes
    if before == after:
        return []
    return [_change(None, path, before, after)]
