"""Coverage arithmetic on small synthetic tables, and the 100 % gate on the real features."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12spec.case import PatientCase
from b12spec.cli import main
from b12spec.coverage import (
    Metric,
    boundary_points,
    mcdc_pairs,
    measure,
    render_text,
    report_to_dict,
)
from b12spec.evaluate import evaluate_case
from b12spec.model import (
    Contradiction,
    DataDictionary,
    DataField,
    DecisionTable,
    FieldType,
    Guideline,
    HitPolicy,
    InputColumn,
    OutputColumn,
    Rule,
    Spec,
)
from b12spec.scenarios import EVERY_VALUE, ScenarioOutcome, run_scenarios
from b12spec.unary import parse_unary_tests
from b12spec.workspace import load_scenarios

REPO = Path(__file__).resolve().parent.parent
FEATURES = REPO / "features"

LEVEL = DataField("level", FieldType.NUMBER, "", True, unit="u", minimum=0.0, maximum=100.0, precision=0.1)
FLAG = DataField("flag", FieldType.BOOLEAN, "", True)
COLOUR = DataField("colour", FieldType.ENUM, "", False, values=("red", "blue"))


def make_table(rows: list[tuple[str, list[str], str]], fields: tuple[DataField, ...], policy: str = "U") -> Spec:
    """A one-table spec: each row is (rule id, input entries, output value)."""
    rules = tuple(
        Rule(rule_id, row + 2, tuple(parse_unary_tests(e) for e in entries), (out,), ("1",), input_text=tuple(entries))
        for row, (rule_id, entries, out) in enumerate(rows)
    )
    outputs = sorted({out for _, _, out in rows})
    table = DecisionTable(
        name="dose",
        title="Dose",
        purpose="",
        hit_policy=HitPolicy(policy),
        inputs=tuple(InputColumn(f.name, f.name) for f in fields),
        outputs=(OutputColumn("result", "Result", values=tuple(outputs), value_labels=tuple((o, o) for o in outputs)),),
        rules=rules,
    )
    guideline = Guideline("t", "0", "", "", "", "")
    return Spec(guideline, DataDictionary(fields), (table,), (), order=("dose",))


def outcome(
    spec: Spec, name: str, passed: bool = True, asserted: bool = True, checked: object = EVERY_VALUE, **values: Any
) -> ScenarioOutcome:
    """A scenario outcome holding a real evaluation of ``values``; its steps checked the output
    value ``checked`` (by default the whole output) unless ``asserted`` is false."""
    full = {f.name: values.get(f.name) for f in spec.dictionary.fields}
    evaluation = evaluate_case(spec, PatientCase(full))
    return ScenarioOutcome(
        feature="f",
        feature_file="f.feature",
        name=name,
        tags=(),
        passed=passed,
        error=None if passed else "failed",
        rules=evaluation.fired_rules,
        evaluations=(evaluation,),
        asserted=("dose",) if asserted else (),
        checked=frozenset({("dose", "result", checked)}) if asserted else frozenset(),
    )


THRESHOLD = [("LOW", ["< 10", "-"], "low"), ("HIGH", [">= 10", "true"], "high"), ("OFF", [">= 10", "false"], "off")]


@pytest.mark.parametrize(
    ("entry", "points"),
    [
        ("< 10", (9.9, 10.0)),
        (">= 10", (9.9, 10.0)),
        ("> 20", (20.0, 20.1)),
        ("<= 20", (20.0, 20.1)),
        ("[5..7]", (4.9, 5.0, 7.0, 7.1)),
        ("(5..7)", (5.0, 5.1, 6.9, 7.0)),
        ("(0..20]", (0.0, 0.1, 20.0, 20.1)),
        ("< 0", (0.0,)),  # -0.1 is outside the plausible range, so only 0 is a point
    ],
)
def test_boundary_points_are_the_threshold_and_one_precision_step_past_it(entry: str, points: tuple) -> None:
    assert boundary_points(parse_unary_tests(entry), LEVEL) == points


def test_full_coverage_is_100_percent_on_every_measure() -> None:
    spec = make_table(THRESHOLD, (LEVEL, FLAG))
    outcomes = [
        outcome(spec, "a", level=9.9, flag=True),
        outcome(spec, "b", level=10, flag=True),
        outcome(spec, "c", level=10, flag=False),
        outcome(spec, "d", level=9.9, flag=False),
    ]
    report = measure(spec, outcomes)
    (table,) = report.tables
    assert (table.rules.covered, table.rules.total) == (3, 3)
    assert (table.boundaries.covered, table.boundaries.total) == (2, 2)
    assert (table.mcdc.covered, table.mcdc.total, table.mcdc.impossible) == (5, 5, 0)
    assert (table.values.covered, table.values.total) == (2, 2)
    assert report.ok
    assert table.rule_scenarios["LOW"] == ("a", "d")


def test_a_missing_boundary_is_reported_as_missing() -> None:
    spec = make_table(THRESHOLD, (LEVEL, FLAG))
    outcomes = [outcome(spec, "a", level=5, flag=True), outcome(spec, "b", level=10, flag=True)]
    (table,) = measure(spec, outcomes).tables
    assert (table.boundaries.covered, table.boundaries.total) == (1, 2)
    assert len(table.boundaries.missing) == 1
    assert table.boundaries.missing[0].startswith("level = 9.9 ")
    assert "LOW < 10" in table.boundaries.missing[0]


def test_a_missing_rule_and_value_are_listed_and_the_report_is_not_ok() -> None:
    spec = make_table(THRESHOLD, (LEVEL, FLAG))
    report = measure(spec, [outcome(spec, "a", level=9.9, flag=True), outcome(spec, "b", level=10, flag=True)])
    (table,) = report.tables
    assert table.rules.missing == ("OFF",)
    assert table.rule_scenarios["OFF"] == ()
    assert table.values.missing == ("flag = false",)
    assert not report.ok
    text = render_text(report)
    assert "coverage BELOW 100 %" in text and "rule: OFF" in text and "OFF (0): NONE" in text


def test_an_mcdc_pair_needs_two_scenarios_differing_only_in_that_input() -> None:
    spec = make_table(THRESHOLD, (LEVEL, FLAG))
    # HIGH's flag entry is shown by (10, true) vs (10, false); (9.9, false) differs in both inputs.
    only_far = measure(spec, [outcome(spec, "a", level=10, flag=True), outcome(spec, "b", level=9.9, flag=False)])
    paired = measure(spec, [outcome(spec, "a", level=10, flag=True), outcome(spec, "b", level=10, flag=False)])
    assert any(m.startswith("HIGH flag true") for m in only_far.tables[0].mcdc.missing)
    assert not any(m.startswith("HIGH flag true") for m in paired.tables[0].mcdc.missing)


def test_an_entry_accepting_every_value_is_an_impossible_pair_not_a_missed_one() -> None:
    rows = [("ANY", ["< 50", "true, false"], "low"), ("TOP", [">= 50", "-"], "high")]
    spec = make_table(rows, (LEVEL, FLAG))
    pairs = {(rule, index): point for rule, index, point, _ in mcdc_pairs(spec, spec.tables[0])}
    assert pairs[("ANY", 1)] is None  # no value of the required flag escapes "true, false"
    assert pairs[("ANY", 0)] is not None
    outcomes = [
        outcome(spec, "a", level=49.9, flag=True),
        outcome(spec, "b", level=50, flag=True),
        outcome(spec, "c", level=49.9, flag=False),
    ]
    report = measure(spec, outcomes)
    mcdc = report.tables[0].mcdc
    assert (mcdc.covered, mcdc.total, mcdc.impossible) == (2, 3, 1)
    assert mcdc.missing == ()
    assert mcdc.impossible_items == ("ANY flag true, false",)
    assert mcdc.complete and report.ok
    assert report_to_dict(report)["tables"]["dose"]["mcdc"]["impossible"] == 1


def test_a_contradiction_of_the_dictionary_makes_a_pair_impossible() -> None:
    rows = [("R", ['"red"', "true"], "on"), ("T", ['"red"', "false"], "off"), ("S", ['not("red")', "-"], "off")]
    plain = make_table(rows, (COLOUR, FLAG))
    free = {(r, i): p for r, i, p, _ in mcdc_pairs(plain, plain.tables[0])}
    assert free[("R", 1)] == ("red", True)
    # Declaring "red and false" contradictory leaves R's flag no feasible value to escape to.
    ban = Contradiction("CX", (("colour", parse_unary_tests('"red"')), ("flag", parse_unary_tests("false"))), "")
    banned = Spec(plain.guideline, DataDictionary(plain.dictionary.fields, (ban,)), plain.tables, (), order=plain.order)
    found = {(r, i): p for r, i, p, _ in mcdc_pairs(banned, banned.tables[0])}
    assert found[("R", 1)] is None
    assert found[("R", 0)] is not None
    assert found[("T", 0)] is None and found[("T", 1)] is None  # T can never match at all


def test_failed_scenarios_and_unasserted_decisions_do_not_count() -> None:
    spec = make_table(THRESHOLD, (LEVEL, FLAG))
    outcomes = [
        outcome(spec, "failing", passed=False, level=9.9, flag=True),
        outcome(spec, "unchecked", asserted=False, level=10, flag=True),
    ]
    report = measure(spec, outcomes)
    assert report.tables[0].rules.covered == 0
    assert report.failed == ("failing",)
    assert not report.ok


def test_a_rule_counts_only_where_its_own_result_was_checked() -> None:
    spec = make_table(THRESHOLD, (LEVEL, FLAG))
    # Both scenarios only check that "off" is absent: that checks OFF (at both points), but LOW and
    # HIGH fire without anybody looking at their result.
    outcomes = [
        outcome(spec, "a", checked="off", level=9.9, flag=True),
        outcome(spec, "b", checked="off", level=10, flag=True),
    ]
    (table,) = measure(spec, outcomes).tables
    assert table.rules.missing == ("LOW", "HIGH", "OFF")
    assert table.boundaries.missing == ("level = 9.9 (LOW < 10, HIGH >= 10)", "level = 10 (LOW < 10, HIGH >= 10)")
    checked_low = [
        outcome(spec, "a", checked="low", level=9.9, flag=True),
        outcome(spec, "b", checked="low", level=10, flag=True),
    ]
    (table,) = measure(spec, checked_low).tables
    assert table.rules.missing == ("HIGH", "OFF")
    assert table.boundaries.missing == ("level = 9.9 (HIGH >= 10, OFF >= 10)", "level = 10 (HIGH >= 10, OFF >= 10)")
    assert not any(m.startswith("LOW level") for m in table.mcdc.missing)


def test_values_include_null_for_optional_inputs() -> None:
    rows = [("RED", ['"red"'], "on"), ("OTHER", ['not("red")'], "off")]
    spec = make_table(rows, (COLOUR,), policy="U")
    report = measure(spec, [outcome(spec, "a", colour="red"), outcome(spec, "b", colour="blue")])
    assert report.tables[0].values.missing == ("colour = null",)


def test_metric_percent_leaves_impossible_pairs_out() -> None:
    assert Metric(3, 4, (), impossible=1).percent == 100.0
    assert Metric(1, 4, ("x",), impossible=2).percent == 50.0
    assert not Metric(1, 4, ("x",), impossible=2).complete


def test_the_json_report_follows_the_contract() -> None:
    spec = make_table(THRESHOLD, (LEVEL, FLAG))
    data = report_to_dict(measure(spec, [outcome(spec, "a", level=9.9, flag=True)]))
    dose = data["tables"]["dose"]
    assert set(dose) == {"rules", "boundaries", "mcdc", "values"}
    assert {"covered", "total", "missing", "scenarios"} <= set(dose["rules"])
    assert {"covered", "total", "impossible", "missing"} <= set(dose["mcdc"])
    assert dose["rules"]["scenarios"]["LOW"] == ["a"]
    assert data["ok"] is False


# --------------------------------------------------------------------------- the real features


def test_the_features_cover_every_table_completely(spec: Spec) -> None:
    """The gate: 100 % rules, boundaries, MC/DC pairs and input values for every table."""
    report = measure(spec, run_scenarios(spec, load_scenarios(FEATURES)))
    assert report.ok, render_text(report, show_scenarios=False)
    assert {t.table for t in report.tables} == {t.name for t in spec.tables}


def test_coverage_command_writes_the_json_report(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "coverage.json"
    result = CliRunner().invoke(
        main, ["--spec", str(REPO / "spec"), "coverage", "--json", "--features", str(FEATURES), "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["ok"] is True
    assert written == json.loads(result.output)
    assert written["tables"]["b12_status"]["boundaries"] == {"covered": 6, "total": 6, "missing": []}


def test_coverage_command_fails_when_a_feature_is_missing(tmp_path: Path) -> None:
    partial = tmp_path / "features"
    shutil.copytree(FEATURES, partial)
    (partial / "pitfalls.feature").unlink()
    result = CliRunner().invoke(main, ["--spec", str(REPO / "spec"), "coverage", "--quiet", "--features", str(partial)])
    assert result.exit_code == 1
    assert "pitfalls" in result.output and "rule: PF-06" in result.output
    assert "coverage BELOW 100 %" in result.output


def test_coverage_command_writes_each_scenario_result(tmp_path: Path) -> None:
    """make run feeds the site's living documentation from this file, without a pytest run."""
    from b12spec.workspace import load_scenarios

    results = tmp_path / "scenario-results.json"
    outcome = CliRunner().invoke(main, ["coverage", "--quiet", "--scenario-results", str(results)])
    assert outcome.exit_code == 0, outcome.output
    records = json.loads(results.read_text(encoding="utf-8"))["scenarios"]
    assert len(records) == len(load_scenarios(Path("features")))
    assert {r["status"] for r in records} == {"passed"}
    assert all(r["steps"] and r["feature_file"].startswith("features/") for r in records)
    assert any("DX-01" in r["rules"] for r in records)
