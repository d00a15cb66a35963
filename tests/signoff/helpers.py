"""Helpers for the sign-off tests: a fake clock, a board of real keys, a cell editor, a whole
review in one call."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import yaml

from b12spec.model import Spec
from b12spec.signoff import SigningKey, establish, new_key_file, record
from b12spec.signoff.ledger import Event
from b12spec.workspace import load_spec

# Name -> role of the test board; the first member records the genesis event.
MEMBERS = {
    "Sam Editor": "guideline editor",
    "Dr Ada Example": "haematologist",
    "Dr Bo Example": "gastroenterologist",
    "Dr Cy Example": "board chair",
}
# Each spec copy's board keys, by member name (filled by make_board).
BOARDS: dict[str, dict[str, SigningKey]] = {}


class FakeClock:
    """A clock that advances one minute per reading, so every event has its own known time."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


def make_keys(keys_dir: Path, names: list[str]) -> dict[str, SigningKey]:
    """A fresh Ed25519 key file per name in ``keys_dir`` (a temp dir outside the spec)."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    return {name: new_key_file(keys_dir / f"{name.replace(' ', '_')}.key", name) for name in names}


def write_roster(spec_dir: Path, keys: dict[str, SigningKey], quorum: int, roles: dict[str, str] = MEMBERS) -> None:
    members = [{"name": name, "role": roles[name], "key": key.public_line} for name, key in keys.items()]
    path = spec_dir / "signoff" / "roster.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"quorum": quorum, "members": members}, sort_keys=False), encoding="utf-8")


def make_board(spec_dir: Path, keys_dir: Path, clock: FakeClock, quorum: int = 2) -> dict[str, SigningKey]:
    """Keys for MEMBERS, a roster of them with ``quorum``, and the genesis event that puts it in force."""
    keys = make_keys(keys_dir, list(MEMBERS))
    write_roster(spec_dir, keys, quorum)
    establish(load_spec(spec_dir), keys["Sam Editor"], clock=clock)
    BOARDS[str(spec_dir)] = keys
    return keys


def key_of(spec: Spec | Path, name: str) -> SigningKey:
    root = spec if isinstance(spec, Path) else Path(spec.root)
    return BOARDS[str(root)][name]


def act(spec: Spec, subject: str, verb: str, who: str, note: str = "", clock: FakeClock | None = None) -> Event:
    """``record`` signed with the key of board member ``who``."""
    if clock is None:
        return record(spec, subject, verb, key_of(spec, who), note)
    return record(spec, subject, verb, key_of(spec, who), note, clock=clock)


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
    """Take ``subject`` through submit (Sam), start-review and the two approvals of the quorum,
    ``reviewer``'s last, as it is now."""
    other = "Dr Bo Example" if reviewer != "Dr Bo Example" else "Dr Ada Example"
    act(spec, subject, "submit", "Sam Editor", clock=clock)
    act(spec, subject, "start-review", reviewer, clock=clock)
    act(spec, subject, "approve", other, note="checked against the source", clock=clock)
    act(spec, subject, "approve", reviewer, note="checked against the source", clock=clock)


def reload(spec_dir: Path) -> Spec:
    return load_spec(spec_dir)
