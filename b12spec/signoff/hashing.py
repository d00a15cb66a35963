"""The canonical content of what a reviewer signs off, and its hash.

A table's content is its rules (the CSV), its metadata (the YAML sidecar) and the data-dictionary
entries of the fields it reads: a change to any of them changes what the rules mean, so it must
reopen review. The guideline's content is guideline.yaml plus the hash of every table.

The hash is sha256 over a canonical JSON rendering (sorted keys, no whitespace, UTF-8, strings in
Unicode NFC, CSV cells stripped, blank rows dropped), so it is the same on every platform and does
not move with line endings, YAML key order or trailing spaces - only with what the loader reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

from b12spec.model import DecisionTable, Spec
from b12spec.signoff.roster import ROSTER, roster_content
from b12spec.workspace import read_document

HASH_PREFIX = "sha256:"
GUIDELINE = "guideline"
SUBJECTS_NOT_TABLES = (GUIDELINE, ROSTER)
SCHEMA = 1


def canonical(value: Any) -> Any:
    """Plain JSON data in one normal form: NFC strings, ISO dates, string keys."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(canonical(k)): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    raise TypeError(f"cannot hash a value of type {type(value).__name__}: {value!r}")


def canonical_json(value: Any) -> bytes:
    """The bytes that are hashed: deterministic for equal content."""
    text = json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def content_hash(content: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``content``."""
    return HASH_PREFIX + hashlib.sha256(canonical_json(content)).hexdigest()


def hash_hex(value: str) -> str:
    """The hex part of a ``sha256:<hex>`` hash (used to name snapshot files)."""
    return value.removeprefix(HASH_PREFIX)


def _yaml(path: Path) -> Any:
    return read_document(path)


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows with every cell stripped and blank rows dropped, as the loader reads them."""
    rows = [[cell.strip() for cell in row] for row in read_document(path)]
    rows = [row for row in rows if any(row)]
    if not rows:
        return [], []
    return rows[0], rows[1:]


class ContentReader:
    """Reads the signed-off content of a spec once per use (the dictionary is shared by tables)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.root = Path(spec.root)
        self._dictionary: dict[str, Any] | None = None
        self._table_hashes: dict[str, str] = {}

    def dictionary_fields(self) -> dict[str, Any]:
        if self._dictionary is None:
            data = _yaml(self.root / "dictionary.yaml") or {}
            self._dictionary = dict(data.get("fields") or {})
        return self._dictionary

    def table_content(self, table: DecisionTable) -> dict[str, Any]:
        """What a reviewer of ``table`` approves, as plain data (also stored as the snapshot)."""
        header, rows = read_csv_rows(self.root / table.file)
        fields = self.dictionary_fields()
        read = {
            column.expression: fields[column.expression]
            for column in table.inputs
            if column.decision is None and column.expression in fields
        }
        return dict(canonical(
            {
                "schema": SCHEMA,
                "subject": table.name,
                "metadata": _yaml(self.root / table.meta_file),
                "columns": header,
                "rows": rows,
                "fields": read,
            }
        ))

    def table_hash(self, table: DecisionTable) -> str:
        if table.name not in self._table_hashes:
            self._table_hashes[table.name] = content_hash(self.table_content(table))
        return self._table_hashes[table.name]

    def guideline_content(self) -> dict[str, Any]:
        """The guideline as released: its identity and version, and the exact content of every table."""
        return dict(canonical(
            {
                "schema": SCHEMA,
                "subject": GUIDELINE,
                "guideline": _yaml(self.root / "guideline.yaml"),
                "tables": {table.name: self.table_hash(table) for table in self.spec.tables},
            }
        ))

    def content(self, subject: str) -> dict[str, Any]:
        """Content of a table by name, of the whole guideline (``"guideline"``) or of the board
        roster (``"roster"``, spec/signoff/roster.yaml)."""
        if subject == GUIDELINE:
            return self.guideline_content()
        if subject == ROSTER:
            content: dict[str, Any] = canonical(roster_content(self.root))
            return content
        return self.table_content(self.spec.table(subject))

    def hash(self, subject: str) -> str:
        if subject == GUIDELINE:
            return content_hash(self.guideline_content())
        if subject == ROSTER:
            return content_hash(self.content(ROSTER))
        return self.table_hash(self.spec.table(subject))
