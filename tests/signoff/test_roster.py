"""The roster: genesis, validation, and changes that take effect only once the quorum of the
roster in force approved them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from b12spec.signoff import RosterInvalid, SignoffRefused, establish, record, roster_state
from b12spec.signoff.roster import parse_roster, roster_content
from b12spec.signoff.state import replay

from .helpers import MEMBERS, FakeClock, act, key_of, make_keys, reload, write_roster


def test_nothing_is_recorded_before_the_genesis(bare_workspace: Path, clock: FakeClock, tmp_path: Path) -> None:
    keys = make_keys(tmp_path / "keys", list(MEMBERS))
    write_roster(bare_workspace, keys, quorum=2)
    spec = reload(bare_workspace)
    with pytest.raises(SignoffRefused, match=r"no roster in force yet \(signoff/ledger.jsonl holds no genesis event\)"):
        record(spec, spec.tables[0].name, "submit", keys["Sam Editor"], clock=clock)
    outsider = make_keys(tmp_path / "other", ["Eve Outsider"])["Eve Outsider"]
    with pytest.raises(SignoffRefused, match=r"is not on roster\.yaml"):
        establish(spec, outsider, clock=clock)
    genesis = establish(spec, keys["Dr Ada Example"], clock=clock)
    shown = (genesis.seq, genesis.subject, genesis.action, genesis.name)
    assert shown == (1, "roster", "established", "Dr Ada Example")
    history = replay(bare_workspace)
    assert history.genesis == genesis and history.roster is not None and history.roster.quorum == 2
    with pytest.raises(SignoffRefused, match="only its first event establishes a roster"):
        establish(spec, keys["Dr Bo Example"], clock=clock)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"quorum": 0}, "quorum must be a whole number"),
        ({"quorum": 9}, "quorum 9 is more than the 2 valid members"),
        ({"members": [{"name": "A", "role": "r", "key": "ssh-rsa AAAA"}]}, "ssh-ed25519"),
        ({"members": [{"name": "A", "role": "", "key": "x"}]}, "has no role"),
    ],
)
def test_an_invalid_roster_names_the_problem(tmp_path: Path, change: dict, problem: str) -> None:
    keys = make_keys(tmp_path / "keys", ["Sam Editor", "Dr Ada Example"])
    content = {
        "quorum": 2,
        "members": [{"name": n, "role": "r", "key": k.public_line} for n, k in keys.items()],
        **change,
    }
    with pytest.raises(RosterInvalid, match=problem):
        parse_roster(content)


def test_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    key = make_keys(tmp_path / "keys", ["Sam Editor"])["Sam Editor"]
    members = [{"name": n, "role": "r", "key": key.public_line} for n in ("A", "B")]
    with pytest.raises(RosterInvalid, match="the same key is listed for two members"):
        parse_roster({"quorum": 1, "members": members})


def test_a_new_member_signs_only_once_the_quorum_approved_the_roster_change(
    workspace: Path, clock: FakeClock, tmp_path: Path
) -> None:
    spec = reload(workspace)
    board = {name: key_of(spec, name) for name in MEMBERS}
    newcomer = make_keys(tmp_path / "new", ["Dr Di Example"])["Dr Di Example"]
    roles = {**MEMBERS, "Dr Di Example": "neurologist"}
    write_roster(workspace, {**board, "Dr Di Example": newcomer}, quorum=2, roles=roles)
    assert roster_state(spec).state == "changed_since_approval"
    with pytest.raises(SignoffRefused, match="not on the board roster in force"):
        record(spec, spec.tables[0].name, "submit", newcomer, clock=clock)

    act(spec, "roster", "submit", "Sam Editor", clock=clock)
    act(spec, "roster", "start-review", "Dr Ada Example", clock=clock)
    act(spec, "roster", "approve", "Dr Ada Example", clock=clock)
    with pytest.raises(SignoffRefused, match="not on the board roster in force"):
        record(spec, spec.tables[0].name, "submit", newcomer, clock=clock)
    act(spec, "roster", "approve", "Dr Bo Example", clock=clock)
    assert roster_state(spec).state == "approved"
    history = replay(workspace)
    assert history.roster is not None and [m.name for m in history.roster.members][-1] == "Dr Di Example"
    event = record(spec, spec.tables[0].name, "submit", newcomer, clock=clock)
    assert (event.name, event.role) == ("Dr Di Example", "neurologist")
    assert history.trustworthy and replay(workspace).trustworthy


def test_an_invalid_roster_cannot_be_submitted(workspace: Path, clock: FakeClock) -> None:
    spec = reload(workspace)
    path = workspace / "signoff" / "roster.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("quorum: 2", "quorum: 7"), encoding="utf-8")
    assert roster_content(workspace)["quorum"] == 7
    with pytest.raises(SignoffRefused, match="quorum 7 is more than the 4 valid members"):
        act(spec, "roster", "submit", "Sam Editor", clock=clock)


def test_the_roster_command_shows_the_roster_in_force_and_the_genesis_digest(workspace: Path) -> None:
    from click.testing import CliRunner

    from b12spec.cli import main

    history = replay(workspace)
    assert history.genesis is not None
    shown = CliRunner().invoke(main, ["--spec", str(workspace), "signoff", "roster", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert (data["in_force"], data["quorum"], data["genesis"]) == (True, 2, history.genesis.digest)
    assert [m["name"] for m in data["members"]] == list(MEMBERS)
    assert all(m["fingerprint"].startswith("SHA256:") for m in data["members"])
    text = CliRunner().invoke(main, ["--spec", str(workspace), "signoff", "roster"]).output
    assert history.genesis.digest in text and "quorum 2" in text
