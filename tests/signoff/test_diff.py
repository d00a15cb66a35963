"""Changes since approval, cell by cell: changed, added and removed rules, and changes beside the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from b12spec.signoff import SignoffError, changes_since_approval, table_states
from b12spec.signoff.diff import diff_content
from b12spec.signoff.hashing import ContentReader
from b12spec.signoff.ledger import snapshot_path

from .helpers import FakeClock, approve, read_rows, reload, write_rows


@pytest.fixture
def approved(workspace: Path, clock: FakeClock) -> tuple[Path, str]:
    spec = reload(workspace)
    name = spec.tables[0].name
    approve(spec, name, clock)
    return workspace, name


def _csv(spec_dir: Path, name: str) -> Path:
    return spec_dir / "tables" / f"{name}.csv"


def test_never_approved_or_unchanged_has_no_changes(approved: tuple[Path, str]) -> None:
    spec_dir, name = approved
    spec = reload(spec_dir)
    assert changes_since_approval(spec, name) == []
    assert changes_since_approval(spec, spec.tables[1].name) == []


def test_unknown_table_is_an_error(approved: tuple[Path, str]) -> None:
    with pytest.raises(SignoffError, match="no table named 'nope'"):
        changes_since_approval(reload(approved[0]), "nope")


def _drop_from_catalogue(spec_dir: Path, rule: str) -> None:
    """The catalogue traces recommendations to rules; forget ``rule`` there so the spec still loads."""
    path = spec_dir / "catalogue.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for entry in entries:
        if rule in (entry.get("rules") or []):
            entry["rules"] = [r for r in entry["rules"] if r != rule]
            if not entry["rules"] and not entry.get("narrative"):
                entry["narrative"] = "test: its rule was removed"
    path.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_removed_rule_shows_each_of_its_cells(workspace: Path, clock: FakeClock) -> None:
    spec_dir = workspace
    name = reload(spec_dir).tables[0].name
    approve(reload(spec_dir), name, clock)
    rows = read_rows(_csv(spec_dir, name))
    header, removed = rows[0], rows[-1]
    write_rows(_csv(spec_dir, name), rows[:-1])
    _drop_from_catalogue(spec_dir, removed[0])
    changes = changes_since_approval(reload(spec_dir), name)
    cells = zip(header, removed, strict=True)
    expected = [(removed[0], column, "removed", value, None) for column, value in cells if value]
    assert [(c.rule, c.column, c.kind, c.before, c.after) for c in changes] == expected


def test_an_added_rule_shows_each_of_its_cells(approved: tuple[Path, str]) -> None:
    spec_dir, name = approved
    rows = read_rows(_csv(spec_dir, name))
    header = rows[0]
    added = [*rows[-1]]
    added[0] = "NEW-99"
    write_rows(_csv(spec_dir, name), [*rows, added])
    changes = changes_since_approval(reload(spec_dir), name)
    expected = [("NEW-99", column, "added", None, value) for column, value in zip(header, added, strict=False) if value]
    assert [(c.rule, c.column, c.kind, c.before, c.after) for c in changes] == expected


def test_reordering_rules_is_a_change_even_with_no_cell_changed(approved: tuple[Path, str]) -> None:
    spec_dir, name = approved
    rows = read_rows(_csv(spec_dir, name))
    body = rows[1:]
    write_rows(_csv(spec_dir, name), [rows[0], body[-1], *body[:-1]])
    changes = changes_since_approval(reload(spec_dir), name)
    assert [(c.rule, c.column, c.kind) for c in changes] == [(None, "rule order", "changed")]
    assert changes[0].before == ", ".join(r[0] for r in body)
    assert changes[0].after == ", ".join(r[0] for r in [body[-1], *body[:-1]])


def test_a_metadata_change_is_named_by_its_path(approved: tuple[Path, str]) -> None:
    spec_dir, name = approved
    spec = reload(spec_dir)
    meta_path = spec_dir / spec.table(name).meta_file
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    old_label = meta["inputs"][0]["label"]
    meta["inputs"][0]["label"] = "Relabelled"
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    changes = changes_since_approval(reload(spec_dir), name)
    assert [(c.rule, c.column, c.kind, c.before, c.after) for c in changes] == [
        (None, "metadata.inputs[0].label", "changed", old_label, "Relabelled")
    ]


def test_a_dictionary_change_is_named_by_its_field(approved: tuple[Path, str]) -> None:
    spec_dir, name = approved
    spec = reload(spec_dir)
    field = next(c.expression for c in spec.table(name).inputs if c.decision is None)
    path = spec_dir / "dictionary.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = data["fields"][field]["description"]
    data["fields"][field]["description"] = "Reworded."
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    changes = changes_since_approval(reload(spec_dir), name)
    assert [(c.column, c.kind, c.before, c.after) for c in changes] == [
        (f"fields.{field}.description", "changed", old, "Reworded.")
    ]


def test_any_hash_difference_gives_a_non_empty_diff(workspace: Path) -> None:
    """Each kind of edit that moves the hash must also show up in the diff (no silent reopenings)."""
    spec = reload(workspace)
    reader = ContentReader(spec)
    base = reader.table_content(spec.tables[0])
    variants = []
    swapped = dict(base, columns=[base["columns"][1], base["columns"][0], *base["columns"][2:]])
    variants.append(swapped)
    duplicated = dict(base, rows=[*base["rows"], base["rows"][0]])
    variants.append(duplicated)
    variants.append(dict(base, metadata={**base["metadata"], "extra": [1, 2]}))
    variants.append(dict(base, fields={}))
    for variant in variants:
        assert diff_content(base, variant), variant.keys()
    assert diff_content(base, dict(base)) == []


def test_a_missing_snapshot_is_a_clear_error(approved: tuple[Path, str]) -> None:
    spec_dir, name = approved
    approved_hash = table_states(reload(spec_dir))[name].approved_hash
    assert approved_hash is not None
    snapshot_path(spec_dir, approved_hash).unlink()
    rows = read_rows(_csv(spec_dir, name))
    write_rows(_csv(spec_dir, name), [rows[0], *reversed(rows[1:])])
    with pytest.raises(SignoffError, match="has no snapshot"):
        changes_since_approval(reload(spec_dir), name)
