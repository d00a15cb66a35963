"""Issue 15's acceptance, end to end through the command line, with real keys made by keygen:
two members sign, a member cannot approve their own submission, quorum 2 (one approval: under
review; two: approved), an edited cell reopens review, and ``signoff changes`` names the changed
input region with a witness case that ``b12spec evaluate`` confirms under both versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from b12spec.cli import main
from b12spec.workspace import load_spec

from .helpers import set_cell

TABLE = "b12_status"
MEMBERS = {"Dr Ada Example": "haematologist", "Dr Bo Example": "gastroenterologist", "Dr Cy Example": "board chair"}


def run(spec_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--spec", str(spec_dir), *args])


def keygen(spec_dir: Path, keys_dir: Path) -> dict[str, tuple[str, str]]:
    """Each member runs keygen (outside the spec): name -> (key file, public key line)."""
    keys_dir.mkdir()
    made = {}
    for name in MEMBERS:
        path = keys_dir / f"{name.split()[1].lower()}.key"
        result = run(spec_dir, "signoff", "keygen", str(path), "--comment", name)
        assert result.exit_code == 0, result.output
        public = next(line for line in result.output.splitlines() if "ssh-ed25519" in line)
        made[name] = (str(path), public.split('key: "', 1)[1].rstrip('"'))
    return made


def table_row(spec_dir: Path) -> dict[str, Any]:
    result = run(spec_dir, "status", "--json")
    assert result.exit_code == 0, result.output
    return next(t for t in json.loads(result.output)["tables"] if t["table"] == TABLE)


def case_for(spec_dir: Path, witness: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """A valid case file for a witness: the base case plus each witness value, with its unit."""
    fields = {f.name: f for f in load_spec(spec_dir).dictionary.fields}
    case = dict(base)
    for name, value in witness.items():
        if value is None:
            case.pop(name, None)
        elif fields[name].unit:
            case[name] = {"value": value, "unit": fields[name].unit}
        else:
            case[name] = value
    return case


def evaluated(spec_dir: Path, case_file: Path) -> Any:
    result = run(spec_dir, "evaluate", "--json", str(case_file))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["decisions"][TABLE]["result"]


def test_board_signs_quorum_separation_and_behavioural_diff(
    bare_workspace: Path, tmp_path: Path, base_case: dict[str, Any]
) -> None:
    spec_dir = bare_workspace
    keys = keygen(spec_dir, tmp_path / "keys")
    roster = {"quorum": 2, "members": [{"name": n, "role": r, "key": keys[n][1]} for n, r in MEMBERS.items()]}
    (spec_dir / "signoff" / "roster.yaml").write_text(yaml.safe_dump(roster), encoding="utf-8")

    def sign(verb: str, who: str, *target: str) -> Result:
        return run(spec_dir, "signoff", verb, *target, "--key", keys[who][0], "--note", "n")

    assert sign("establish", "Dr Cy Example").exit_code == 0
    assert sign("submit", "Dr Cy Example", TABLE).exit_code == 0
    assert sign("start-review", "Dr Ada Example", TABLE).exit_code == 0
    assert sign("approve", "Dr Ada Example", TABLE).exit_code == 0
    row = table_row(spec_dir)
    assert (row["state"], row["approvers"], row["quorum"]) == ("under_review", ["Dr Ada Example"], 2)

    own = sign("approve", "Dr Cy Example", TABLE)
    assert own.exit_code == 1
    assert "submitted this exact content and so cannot approve it" in own.output
    assert table_row(spec_dir)["state"] == "under_review"

    assert sign("approve", "Dr Bo Example", TABLE).exit_code == 0
    row = table_row(spec_dir)
    assert (row["state"], row["approvers"]) == ("approved", ["Dr Ada Example", "Dr Bo Example"])
    status = run(spec_dir, "status")
    assert status.exit_code == 0 and "2/2" in status.output

    approved_copy = tmp_path / "approved-spec"
    shutil.copytree(spec_dir, approved_copy)
    before = set_cell(spec_dir, TABLE, "DX-01", "total_b12", "< 200")
    assert before == "< 180"
    assert table_row(spec_dir)["state"] == "changed_since_approval"

    changes = run(spec_dir, "signoff", "changes", TABLE, "--json")
    assert changes.exit_code == 0, changes.output
    data = json.loads(changes.output)
    assert data["cells"] == [
        {"rule": "DX-01", "column": "total_b12", "kind": "changed", "before": "< 180", "after": "< 200"}
    ]
    regions = data["behaviour"]["regions"]
    assert regions, "a changed threshold changes some answers"
    assert all("total_b12" in r["region"] for r in regions)
    for number, region in enumerate(regions):
        witness = region["witness"]
        assert 180 <= witness["total_b12"] < 200
        case_file = tmp_path / f"witness-{number}.json"
        case_file.write_text(json.dumps(case_for(spec_dir, witness, base_case)), encoding="utf-8")
        assert evaluated(approved_copy, case_file) == region["before_value"]
        assert evaluated(spec_dir, case_file) == region["after_value"]
        assert region["before_value"] != region["after_value"]
        assert region["after_value"]["status"] == "deficient"
        whole = tmp_path / f"whole-{number}.json"  # the whole case the command offers gives the same
        whole.write_text(json.dumps(region["case"]), encoding="utf-8")
        assert evaluated(approved_copy, whole) == region["before_value"]
        assert evaluated(spec_dir, whole) == region["after_value"]

    text = run(spec_dir, "signoff", "changes", TABLE).output
    assert "input region(s) now get a different answer" in text and "e.g. total_b12 = " in text


def test_an_unchanged_behaviour_is_said_so(workspace: Path, clock: Any) -> None:
    from .helpers import approve, reload

    spec = reload(workspace)
    approve(spec, TABLE, clock)
    set_cell(workspace, TABLE, "DX-01", "annotation", "Reworded annotation, same rule.")
    data = json.loads(run(workspace, "signoff", "changes", TABLE, "--json").output)
    assert [c["column"] for c in data["cells"]] == ["annotation"]
    assert data["behaviour"]["equal"] is True and data["behaviour"]["regions"] == []


def test_keygen_refuses_a_path_inside_the_spec(bare_workspace: Path) -> None:
    result = run(bare_workspace, "signoff", "keygen", str(bare_workspace / "signoff" / "mine.key"))
    assert result.exit_code == 1 and "must never be stored in the repository" in result.output
    assert not (bare_workspace / "signoff" / "mine.key").exists()


def test_a_table_reading_upstream_decisions_gets_whole_cases_that_evaluate_confirms(
    workspace: Path, clock: Any, tmp_path: Path
) -> None:
    """treatment reads b12_status.status: each witness comes with a whole case reaching it."""
    from .helpers import approve, read_rows, reload, write_rows

    approve(reload(workspace), "treatment", clock)
    approved_copy = tmp_path / "approved-spec"
    shutil.copytree(workspace, approved_copy)
    path = workspace / "tables" / "treatment.csv"
    rows = read_rows(path)
    column = rows[0].index("b12_status.status")
    assert rows[1][column] != "-"
    rows[1][column] = "-"  # the first rule now answers whatever the B12 status
    write_rows(path, rows)

    data = json.loads(run(workspace, "signoff", "changes", "treatment", "--json").output)
    regions = data["behaviour"]["regions"]
    assert regions and all(r["case"] is not None for r in regions)
    for number, region in enumerate(regions):
        assert region["witness"]["b12_status.status"] != "deficient"
        case_file = tmp_path / f"case-{number}.json"
        case_file.write_text(json.dumps(region["case"]), encoding="utf-8")
        old = run(approved_copy, "evaluate", "--json", str(case_file))
        assert old.exit_code == 0, old.output
        decisions = json.loads(old.output)["decisions"]
        assert decisions["b12_status"]["result"]["status"] == region["witness"]["b12_status.status"]
        assert decisions["treatment"]["result"] == region["before_value"]
        new = run(workspace, "evaluate", "--json", str(case_file))
        if isinstance(region["after_value"], dict) and "no_result" in region["after_value"]:
            assert new.exit_code == 1 and "hit policy" in new.output.lower()
        else:
            assert json.loads(new.output)["decisions"]["treatment"]["result"] == region["after_value"]
