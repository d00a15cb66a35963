"""The content hash: canonical, stable across formatting, and sensitive to every meaningful change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from b12spec.signoff.hashing import ContentReader, canonical_json, content_hash

from .helpers import editable_cell, reload, set_cell


def test_canonical_json_is_sorted_compact_utf8_and_nfc() -> None:
    decomposed = "cafe\u0301"  # e + combining acute accent
    assert canonical_json({"b": 1, "a": [2.0, decomposed]}) == '{"a":[2,"café"],"b":1}'.encode()
    assert content_hash({"x": "café"}) == content_hash({"x": decomposed})


def test_same_content_same_hash_in_another_directory(workspace: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "spec"
    shutil.copytree(workspace, other)
    first, second = ContentReader(reload(workspace)), ContentReader(reload(other))
    for table in reload(workspace).tables:
        assert first.table_hash(table) == second.table_hash(table)
    assert first.hash("guideline") == second.hash("guideline")


def test_line_endings_trailing_spaces_and_yaml_key_order_do_not_move_the_hash(workspace: Path) -> None:
    spec = reload(workspace)
    table = spec.tables[0]
    before = ContentReader(spec).table_hash(table)
    csv_path = workspace / table.file
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    csv_path.write_bytes(("\r\n".join(lines) + "\r\n\r\n").encode())
    meta_path = workspace / table.meta_file
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(yaml.safe_dump(dict(reversed(list(meta.items()))), sort_keys=False), encoding="utf-8")
    assert ContentReader(reload(workspace)).table_hash(table) == before


def test_one_cell_changes_that_table_and_the_guideline_only(workspace: Path) -> None:
    spec = reload(workspace)
    reader = ContentReader(spec)
    before = {t.name: reader.table_hash(t) for t in spec.tables}
    guideline_before = reader.hash("guideline")
    table, rule, column, _ = editable_cell(spec)
    set_cell(workspace, table, rule, column, "-")
    after_spec = reload(workspace)
    after_reader = ContentReader(after_spec)
    after = {t.name: after_reader.table_hash(t) for t in after_spec.tables}
    assert [name for name in before if before[name] != after[name]] == [table]
    assert after_reader.hash("guideline") != guideline_before


def test_metadata_change_changes_the_hash(workspace: Path) -> None:
    spec = reload(workspace)
    table = spec.tables[0]
    before = ContentReader(spec).table_hash(table)
    meta_path = workspace / table.meta_file
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["title"] = meta["title"] + " (revised)"
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    assert ContentReader(reload(workspace)).table_hash(table) != before


def test_dictionary_entry_read_by_a_table_is_part_of_its_content(workspace: Path) -> None:
    spec = reload(workspace)
    reads = {t.name: {c.expression for c in t.inputs if c.decision is None} for t in spec.tables}
    field = next(iter(reads[spec.tables[0].name]))
    readers = {name for name, fields in reads.items() if field in fields}
    reader = ContentReader(spec)
    before = {t.name: reader.table_hash(t) for t in spec.tables}
    path = workspace / "dictionary.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["fields"][field]["description"] += " Revised."
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    after_reader = ContentReader(reload(workspace))
    changed = {t.name for t in spec.tables if after_reader.table_hash(t) != before[t.name]}
    assert changed == readers
    assert len(readers) < len(spec.tables), "some table must not read the field, or this test proves nothing"


def test_guideline_version_is_part_of_the_guideline_content_only(workspace: Path) -> None:
    spec = reload(workspace)
    reader = ContentReader(spec)
    tables_before = {t.name: reader.table_hash(t) for t in spec.tables}
    guideline_before = reader.hash("guideline")
    path = workspace / "guideline.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"version: {spec.guideline.version}", "version: 9.9.9"))
    after = ContentReader(reload(workspace))
    assert after.hash("guideline") != guideline_before
    assert {t.name: after.table_hash(t) for t in spec.tables} == tables_before


def test_the_hash_does_not_depend_on_libyaml(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from b12spec import safeload

    spec = reload(workspace)
    fast = {t.name: ContentReader(spec).table_hash(t) for t in spec.tables}
    monkeypatch.setattr(safeload, "_PARSER", yaml.SafeLoader)
    assert {t.name: ContentReader(spec).table_hash(t) for t in spec.tables} == fast
