"""The guideline-wide properties: their language, the proof on the shipped spec, and the
counterexamples that reintroducing any of the clinical review's findings 1 to 5 produces.

Every counterexample is checked the way a reviewer would: the case file check prints is written
out, ``b12spec evaluate --json`` must accept it, and the engine's own result must break the
property.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
import z3
from click.testing import CliRunner

from b12spec.cli import main
from b12spec.errors import B12SpecError
from b12spec.evaluate import evaluate
from b12spec.properties import (
    PropertyError,
    holds,
    load_properties,
    parse_condition,
    parse_properties,
    resolve,
)
from b12spec.verify.prover import PROVEN, VACUOUS, VIOLATED, Encoding, prove, prove_spec
from b12spec.workspace import load_spec

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec"


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(SPEC, target)
    return target


# --------------------------------------------------------------------------- the language


def test_a_condition_is_expression_verb_and_s_feel_tests() -> None:
    condition = parse_condition('alternatives.alternative excludes "sublingual_b12", "oral_1000_to_2000mcg_daily"')
    assert (condition.expression, condition.verb, condition.decision) == (
        "alternatives.alternative", "excludes", "alternatives")
    assert condition.tests.matches("sublingual_b12")
    assert not condition.tests.matches("im_1000mcg_monthly_indefinitely")
    assert parse_condition("total_b12 is > 350").tests.matches(350.1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("route.route equals \"consider_im\"", "unknown verb 'equals'"),
        ("route.route is [1..", "not S-FEEL unary tests"),
        ("route.route", "expected 'expression verb tests'"),
        ("__import__('os') is 1", "expected 'expression verb tests'"),
    ],
)
def test_a_malformed_condition_says_what_is_expected(text: str, expected: str) -> None:
    with pytest.raises(PropertyError) as raised:
        parse_condition(text, "properties.yaml, SP-99, then 1")
    assert expected in str(raised.value)
    assert str(raised.value).startswith("properties.yaml, SP-99, then 1")


def _one(when: list[str], then: list[str]) -> list[dict[str, Any]]:
    return [{"id": "SP-99", "title": "t", "reason": "r", "when": when, "then": then}]


@pytest.mark.parametrize(
    ("then", "expected"),
    [
        (['rute.route is "consider_im"'], "did you mean 'route.route'"),
        (['alternatives.alternative is "sublingual_b12"'], "use 'includes' or 'excludes'"),
        (['route.route includes "consider_im"'], "use 'is'"),
        (['route.route is "consider_in"'], "did you mean 'consider_im'"),
        (['treatment.dose is "x"'], "has no output 'dose'"),
    ],
)
def test_a_condition_must_fit_the_spec(then: list[str], expected: str) -> None:
    spec = load_spec(SPEC)
    (prop,) = parse_properties(_one([], then))
    with pytest.raises(PropertyError) as raised:
        resolve(spec, prop)
    assert expected in str(raised.value)


def test_the_file_must_have_ids_titles_reasons_and_then() -> None:
    with pytest.raises(PropertyError, match="needs a reason"):
        parse_properties([{"id": "SP-1", "title": "t", "then": ["age_years is > 1"]}])
    with pytest.raises(PropertyError, match="needs at least one condition"):
        parse_properties([{"id": "SP-1", "title": "t", "reason": "r", "then": []}])
    with pytest.raises(PropertyError, match="used twice"):
        parse_properties(_one([], ["age_years is > 1"]) * 2)
    with pytest.raises(PropertyError, match="unknown key"):
        parse_properties([{**_one([], ["age_years is > 1"])[0], "lemma": 1}])


# --------------------------------------------------------------------------- the shipped spec


def test_every_shipped_property_is_proven_and_none_is_vacuous() -> None:
    spec = load_spec(SPEC)
    proofs, seconds = prove_spec(spec)
    assert len(proofs) >= 20
    assert {p.property.id: p.status for p in proofs} == {p.property.id: PROVEN for p in proofs}
    print(f"{len(proofs)} properties proven in {seconds:.2f} s")


def test_every_property_has_a_reason_and_known_citations() -> None:
    spec = load_spec(SPEC)
    known = {s.id for s in spec.sources}
    for prop in load_properties(SPEC):
        assert prop.reason and prop.citations, prop.id
        assert set(prop.citations) <= known, prop.id
        assert set(prop.findings) <= {str(n) for n in range(1, 9)}, prop.id
    assert {f for p in load_properties(SPEC) for f in p.findings} >= {"1", "2", "3", "4", "5", "6"}


def test_a_property_no_case_can_reach_is_vacuous_and_a_false_one_is_violated() -> None:
    spec = load_spec(SPEC)
    props = parse_properties([
        {"id": "SP-A", "title": "t", "reason": "r", "when": ['b12_status.status is "deficient"', "total_b12 is > 350",
                                                  "active_b12 is >= 25"],
         "then": ['route.route is "consider_im"']},
        {"id": "SP-B", "title": "t", "reason": "r", "when": ['b12_status.status is "deficient"'],
         "then": ['route.route is "consider_im"']},
    ])
    vacuous, violated = prove(spec, props)
    assert vacuous.status == VACUOUS
    assert violated.status == VIOLATED
    assert violated.case is not None
    assert not holds(evaluate(spec, dict(violated.case)), props[1])


def test_the_encoding_agrees_with_the_engine_on_random_cases() -> None:
    """For cases drawn across every atom, fixing the fields fixes each decision as the engine does."""
    spec = load_spec(SPEC)
    encoding = Encoding(spec)
    for name in spec.order:
        encoding.decision(name)
    rng = random.Random(10)
    solver = z3.Solver()
    solver.add(*encoding.constraints)
    checked = 0
    for _ in range(300):
        picks = {name: rng.randrange(len(space.atoms)) for name, space in encoding.spaces.items()}
        case = _case_from(encoding, picks)
        solver.push()
        solver.add(*(encoding.fields[n] == i for n, i in picks.items()))
        verdict = solver.check()
        model = solver.model() if verdict == z3.sat else None
        solver.pop()
        try:
            evaluation = evaluate(spec, case)
        except B12SpecError:  # a refused case must be unsatisfiable for the prover
            assert verdict == z3.unsat, case
            continue
        assert model is not None, case
        for name, encoded in encoding.decisions.items():
            result = evaluation.results[name]
            for output, variable in encoded.single.items():
                got = encoded.values[output][model.eval(variable).as_long()]
                assert got == result.value[output], (name, output, case)
            for output, flags in encoded.collected.items():
                got = {encoded.values[output][i] for i, flag in flags.items() if z3.is_true(model.eval(flag))}
                assert got == {h.outputs[output] for h in result.hits}, (name, output, case)
        checked += 1
    assert checked > 100


def _case_from(encoding: Encoding, picks: dict[str, int]) -> dict[str, Any]:
    solver = z3.Solver()
    solver.add(*(encoding.fields[n] == i for n, i in picks.items()))
    assert solver.check() == z3.sat
    return encoding.case_of(solver.model())


# --------------------------------------------------------------------------- reintroduced findings


def _edit_rows(spec_dir: Path, table: str, edit: Callable[[list[dict[str, str]]], list[dict[str, str]]],
               columns: list[str] | None = None) -> None:
    path = spec_dir / "tables" / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    rows = edit(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or header)
        writer.writeheader()
        writer.writerows(rows)


def _set(rule: str, column: str, value: str) -> Callable[[list[dict[str, str]]], list[dict[str, str]]]:
    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["rule"] == rule:
                row[column] = value
        return rows

    return edit


def _restrict_treatment_to_non_pregnant(spec_dir: Path) -> None:
    """Finding 3 as it was: the regimen only for non-pregnant patients, 'not specified' otherwise."""
    meta = spec_dir / "tables" / "treatment.yaml"
    data = yaml.safe_load(meta.read_text(encoding="utf-8"))
    data["inputs"].append({"expression": "pregnant", "label": "Pregnant"})
    meta.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            row["pregnant"] = "false" if row["b12_status.status"] == '"deficient"' else "-"
        rows.append({**rows[0], "rule": "TX-03", "neurological_involvement": "-", "malabsorption.condition": "-",
                     "pregnant": "true", "initial": "not_specified", "maintenance": "not_specified",
                     "open_questions": "OQ-07", "annotation": "Reintroduced finding 3."})
        return rows

    path = spec_dir / "tables" / "treatment.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    columns = [*header[:4], "pregnant", *header[4:]]
    _edit_rows(spec_dir, "treatment", edit, columns)


FINDINGS: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "1: sublingual B12 offered with no condition": (
        lambda d: _edit_rows(d, "alternatives", _set("AL-05", "route.route", "-")), {"SP-01", "SP-02", "SP-03"}),
    "2a: oral high dose offered in malabsorption": (
        lambda d: _edit_rows(d, "alternatives", _set(
            "AL-02", "route.route", '"oral_1_to_2mg_daily_or_im","injections_for_malabsorption"')), {"SP-05", "SP-06"}),
    "2b: two maintenance regimens after ileal resection": (
        lambda d: _edit_rows(d, "treatment", _set("TX-08", "maintenance", "im_1mg_every_2_to_3_months_lifelong")),
        {"SP-05", "SP-09", "SP-22"}),
    "3: pregnancy gets no regimen, only an intake figure": (_restrict_treatment_to_non_pregnant, {"SP-10"}),
    "4: above 350 ng/L is 'not specified'": (
        lambda d: _edit_rows(d, "b12_status", _set("DX-07", "status", "not_specified")), {"SP-14"}),
    "5a: pitfall 1 outside deficiency": (
        lambda d: _edit_rows(d, "pitfalls", _set("PF-01", "b12_status.status", "-")), {"SP-15"}),
    "5b: no folic acid precaution without a result": (
        lambda d: _edit_rows(d, "precautions", _set(
            "PR-03", "b12_status.status", '"deficient","indeterminate","not_specified"')), {"SP-18"}),
}


@pytest.mark.parametrize("finding", sorted(FINDINGS))
def test_reintroducing_a_finding_fails_check_with_a_counterexample_evaluate_accepts(
    finding: str, spec_dir: Path, tmp_path: Path
) -> None:
    reintroduce, expected = FINDINGS[finding]
    reintroduce(spec_dir)
    runner = CliRunner()
    checked = runner.invoke(main, ["--spec", str(spec_dir), "check"])
    assert checked.exit_code == 1, checked.output
    lines = {line.split("property: ", 1)[1].split(" ", 1)[0]: line
             for line in checked.output.splitlines() if "properties.yaml: property: " in line}
    assert expected <= set(lines), checked.output
    spec = load_spec(spec_dir)
    props = {p.id: p for p in load_properties(spec_dir)}
    for pid in expected:
        text = lines[pid].split("counterexample case: ", 1)[1]
        case_file = tmp_path / f"{pid}.json"
        case_file.write_text(text, encoding="utf-8")
        evaluated = runner.invoke(main, ["--spec", str(spec_dir), "evaluate", "--json", str(case_file)])
        assert evaluated.exit_code == 0, evaluated.output
        assert json.loads(evaluated.output)["decisions"]
        assert not holds(evaluate(spec, json.loads(text)), props[pid]), f"{pid} holds on its counterexample"
