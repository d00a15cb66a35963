"""The mutation report: the shared contract's keys and counts, a readable summary, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from b12spec.model import Spec
from b12spec.mutate.report import render_summary, run_to_dict
from b12spec.mutate.runner import run_mutation
from b12spec.workspace import write_json

from .helpers import fake_run_scenario, grade_scenario

CONTRACT = {"total", "killed", "equivalent", "survived", "score", "seconds", "survivors", "killed_by"}


def test_report_follows_the_contract_and_names_killers_and_survivors(tiny_spec: Spec) -> None:
    scenarios = [grade_scenario(179.9, "low"), grade_scenario(180, "mid")]
    run = run_mutation(tiny_spec, scenarios, run_scenario=fake_run_scenario, equivalent=None, tables=["grade"])
    data = run_to_dict(run)
    assert set(data) >= CONTRACT
    assert data["total"] == run.total == data["killed"] + data["equivalent"] + data["survived"]
    assert data["score"] == pytest.approx(run.killed / run.total)
    assert len(data["killed_by"]) == data["killed"] and len(data["survivors"]) == data["survived"]
    nudge = "level: < 180 -> < 179.9 (threshold nudged)"
    killed = next(k for k in data["killed_by"] if k["change"] == nudge)
    assert (killed["table"], killed["rule"], killed["scenario"]) == ("grade", "GR-01", "Tiny: level 179.9 is low")
    # nothing tests 350, so moving the upper end of the middle band survives
    upper = "level: [180..350] -> [180..350.1] (threshold nudged)"
    survivor = next(s for s in data["survivors"] if s["change"] == upper)
    assert (survivor["table"], survivor["rule"], survivor["file"]) == ("grade", "GR-02", "tables/grade.csv")
    json.dumps(data)  # plain data only
    summary = render_summary(run)
    assert summary.splitlines()[0].startswith(f"mutants: {run.total}  killed: {run.killed}  proven equivalent: 0")
    assert "tables/grade.csv, rule GR-02, level: [180..350] -> [180..350.1] (threshold nudged)" in summary


def test_json_is_written_atomically_and_completely(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "mutation.json"
    write_json(target, {"total": 1})
    write_json(target, {"total": 2, "name": "é"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"total": 2, "name": "é"}
    assert [p.name for p in target.parent.iterdir()] == ["mutation.json"]  # no temp file left
    with pytest.raises(TypeError):
        write_json(target, {"bad": object.__new__(type("Opaque", (), {"__str__": None}))})
    assert json.loads(target.read_text(encoding="utf-8"))["total"] == 2
    assert [p.name for p in target.parent.iterdir()] == ["mutation.json"]
