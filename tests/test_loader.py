"""Loading spec/: the real spec loads, and every malformed table is refused at file, row and column.

Each test edits a private copy of spec/ through the csv module (by rule id and column name, so
the tests survive edits to the real tables) and checks the SpecError the loader reports.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from b12spec.errors import Problem, SpecError
from b12spec.evaluate import evaluate
from b12spec.model import FieldType, HitPolicy, Spec
from b12spec.workspace import load_spec

STATUS_CSV = "tables/b12_status.csv"
STATUS_YAML = "tables/b12_status.yaml"


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def set_cell(spec_dir: Path, table: str, rule_id: str, column: str, value: str) -> int:
    """Overwrite one cell; returns the row (line) number of the rule, as the loader counts it."""
    path = spec_dir / table
    rows = read_rows(path)
    header = rows[0]
    for line, row in enumerate(rows[1:], start=2):
        if row and row[0] == rule_id:
            row[header.index(column)] = value
            write_rows(path, rows)
            return line
    raise AssertionError(f"{rule_id} not in {table}")


def edit_yaml(spec_dir: Path, name: str, change) -> None:
    path = spec_dir / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def problems_of(spec_dir: Path) -> tuple[Problem, ...]:
    with pytest.raises(SpecError) as caught:
        load_spec(spec_dir)
    assert str(caught.value).startswith(f"the spec has {len(caught.value.problems)} problem(s)")
    return caught.value.problems


def problem_at(spec_dir: Path, file: str, row: int | None, column: str | None) -> Problem:
    """The one problem reported at exactly this cell (the message also starts with the location)."""
    found = [p for p in problems_of(spec_dir) if (p.file, p.row, p.column) == (file, row, column)]
    assert len(found) == 1, [str(p) for p in problems_of(spec_dir)]
    problem = found[0]
    assert str(problem).startswith(problem.location)
    assert file in str(problem)
    if row is not None:
        assert f"row {row}" in str(problem)
    if column is not None:
        assert f"column {column!r}" in str(problem)
    return problem


# --------------------------------------------------------------------------- the real spec


def test_the_real_spec_loads(spec: Spec) -> None:
    assert len(spec.tables) == len(list(Path(spec.root, "tables").glob("*.yaml")))
    assert sorted(spec.order) == sorted(t.name for t in spec.tables)
    for table in spec.tables:
        assert table.rules, table.name
        assert table.file.endswith(".csv") and table.meta_file.endswith(".yaml")
        for rule in table.rules:
            assert rule.citations, rule.id
            assert len(rule.inputs) == len(table.inputs) == len(rule.input_text)
            assert len(rule.outputs) == len(table.outputs)


def test_rule_rows_are_the_csv_lines(spec: Spec) -> None:
    table = spec.table("b12_status")
    rows = read_rows(Path(spec.root) / table.file)
    for rule in table.rules:
        assert rows[rule.row - 1][0] == rule.id


def test_rule_ids_are_unique_across_tables(spec: Spec) -> None:
    ids = [r.id for t in spec.tables for r in t.rules]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------- malformed tables


def test_unknown_column_suggests_the_declared_one(spec_copy: Path) -> None:
    path = spec_copy / STATUS_CSV
    rows = read_rows(path)
    rows[0][rows[0].index("active_b12")] = "active_b21"
    write_rows(path, rows)
    problem = problem_at(spec_copy, STATUS_CSV, 1, "active_b21")
    assert "unknown column" in problem.message
    assert "did you mean 'active_b12'?" in problem.message
    missing = problem_at(spec_copy, STATUS_CSV, 1, "active_b12")
    assert "missing column" in missing.message


def test_unparsable_cell_shows_a_caret_under_the_fault(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-03", "total_b12", "[180..350")
    problem = problem_at(spec_copy, STATUS_CSV, row, "total_b12")
    assert "not a valid unary test" in problem.message
    lines = problem.message.splitlines()
    text_line, caret_line = lines[-2], lines[-1]
    assert text_line.strip() == "[180..350"
    assert caret_line.index("^") == text_line.index("[180..350") + len("[180..350")


def test_bare_word_cell_names_the_word(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-01", "total_b12", "low")
    problem = problem_at(spec_copy, STATUS_CSV, row, "total_b12")
    assert 'did you mean "low"?' in problem.message
    assert problem.message.splitlines()[-1].strip() == "^"


def test_output_outside_allowed_values(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-01", "status", "deficent")
    problem = problem_at(spec_copy, STATUS_CSV, row, "status")
    assert "'deficent' is not an allowed value" in problem.message
    assert "did you mean 'deficient'?" in problem.message
    assert "allowed: deficient, indeterminate" in problem.message


def test_missing_output_entry(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-01", "next_step", "")
    assert "an output entry is required" in problem_at(spec_copy, STATUS_CSV, row, "next_step").message


def test_duplicate_rule_id(spec_copy: Path) -> None:
    first = set_cell(spec_copy, STATUS_CSV, "DX-01", "rule", "DX-01")
    row = set_cell(spec_copy, STATUS_CSV, "DX-02", "rule", "DX-01")
    problem = problem_at(spec_copy, STATUS_CSV, row, "rule")
    assert f"duplicate rule id 'DX-01' (first used on row {first})" in problem.message


def test_rule_id_used_in_another_table(spec_copy: Path, spec: Spec) -> None:
    treatment = spec.table("treatment")
    other = treatment.rules[0]
    set_cell(spec_copy, STATUS_CSV, "DX-02", "rule", other.id)
    # tables load in file order, so the clash is reported on the later file's row, naming the earlier
    problem = problem_at(spec_copy, treatment.file, other.row, "rule")
    assert f"rule id {other.id!r} is also used in {STATUS_CSV}" in problem.message


def test_missing_rule_id(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-02", "rule", "")
    assert "stable id" in problem_at(spec_copy, STATUS_CSV, row, "rule").message


def test_missing_citation(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-01", "citations", "")
    problem = problem_at(spec_copy, STATUS_CSV, row, "citations")
    assert "must cite the source" in problem.message


def test_unknown_citation_id(spec_copy: Path, spec: Spec) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-01", "citations", "1; 9")
    problem = problem_at(spec_copy, STATUS_CSV, row, "citations")
    assert "unknown reference '9'" in problem.message
    for source in spec.sources:
        assert source.id in problem.message


def test_unknown_open_question_id(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-04", "open_questions", "OQ-999")
    problem = problem_at(spec_copy, STATUS_CSV, row, "open_questions")
    assert "unknown open question 'OQ-999'" in problem.message
    assert "OQ-01" in problem.message


def test_unknown_hit_policy(spec_copy: Path) -> None:
    edit_yaml(spec_copy, STATUS_YAML, lambda meta: meta.update(hit_policy="X"))
    problem = problem_at(spec_copy, STATUS_YAML, None, "hit_policy")
    assert "got 'X'" in problem.message
    assert "'U', 'A', 'P', 'F', 'C', 'C+', 'C<', 'C>', 'C#', 'R' or 'O'" in problem.message


def test_numeric_aggregation_of_an_enum_output(spec_copy: Path) -> None:
    def aggregate(meta: dict) -> None:
        meta["hit_policy"] = "C+"
        meta["outputs"] = meta["outputs"][:1]

    edit_yaml(spec_copy, STATUS_YAML, aggregate)
    problem = [p for p in problems_of(spec_copy) if (p.file, p.column) == (STATUS_YAML, None)]
    assert problem and "type: number" in problem[0].message


@pytest.mark.parametrize("policy", ["P", "O"])
def test_priority_policies_need_allowed_values(spec_copy: Path, policy: str) -> None:
    def numeric(meta: dict) -> None:
        meta["hit_policy"] = policy
        meta["outputs"][1] = {"name": "next_step", "type": "number"}

    edit_yaml(spec_copy, STATUS_YAML, numeric)
    problem = problem_at(spec_copy, STATUS_YAML, None, None)
    assert f"hit policy {policy} ranks results by each output's allowed values" in problem.message


def test_unknown_input_expression_suggests_a_field(spec_copy: Path) -> None:
    edit_yaml(spec_copy, STATUS_YAML, lambda meta: meta["inputs"][0].update(expression="total_b1"))
    problem = problem_at(spec_copy, STATUS_YAML, None, "total_b1")
    assert "did you mean 'total_b12'?" in problem.message


def test_unknown_upstream_decision(spec_copy: Path) -> None:
    edit_yaml(spec_copy, STATUS_YAML, lambda meta: meta["inputs"].append({"expression": "nowhere.status"}))
    problem = problem_at(spec_copy, STATUS_YAML, None, "nowhere.status")
    assert "no decision named 'nowhere'" in problem.message


def test_a_mistyped_dotted_field_suggests_the_field(spec: Spec, spec_copy: Path) -> None:
    table = next(t for t in spec.tables if any(c.expression.startswith("plan.") for c in t.inputs))
    position, column = next((i, c) for i, c in enumerate(table.inputs) if c.expression.startswith("plan."))
    typo = column.expression[:-1]

    def rename(meta: dict) -> None:
        meta["inputs"][position]["expression"] = typo

    edit_yaml(spec_copy, table.meta_file, rename)
    path = spec_copy / table.file
    rows = read_rows(path)
    rows[0][rows[0].index(column.expression)] = typo
    write_rows(path, rows)
    problem = problem_at(spec_copy, table.meta_file, None, typo)
    assert f"did you mean {column.expression!r}?" in problem.message


def test_an_allowed_value_that_yaml_reads_as_a_boolean(spec_copy: Path) -> None:
    edit_yaml(spec_copy, STATUS_YAML, lambda meta: meta["outputs"][0]["values"].append(True))
    values = yaml.safe_load((spec_copy / STATUS_YAML).read_text(encoding="utf-8"))["outputs"][0]["values"]
    problem = problem_at(spec_copy, STATUS_YAML, None, f"outputs.0.values.{len(values) - 1}")
    assert "valid string, got True (quote it" in problem.message


def test_an_allowed_value_listed_twice(spec_copy: Path) -> None:
    edit_yaml(spec_copy, "dictionary.yaml", lambda d: d["fields"]["diet"].update(values=["vegan", "vegan"]))
    problem = problem_at(spec_copy, "dictionary.yaml", None, "fields.diet")
    assert "listed twice: vegan" in problem.message


def test_too_many_cells(spec_copy: Path) -> None:
    path = spec_copy / STATUS_CSV
    rows = read_rows(path)
    rows[1].append("extra")
    write_rows(path, rows)
    problem = problem_at(spec_copy, STATUS_CSV, 2, None)
    assert "cells but the header has" in problem.message


def test_too_few_cells(spec_copy: Path) -> None:
    """A row short of its last cell was padded and accepted, its annotation (or open questions) lost
    without a word (found by the independent issue-16 fuzz harness)."""
    path = spec_copy / STATUS_CSV
    rows = read_rows(path)
    rows[1] = rows[1][:-1]
    write_rows(path, rows)
    problem = problem_at(spec_copy, STATUS_CSV, 2, None)
    assert f"{len(rows[0]) - 1} cells but the header has {len(rows[0])}" in problem.message


def test_input_entry_outside_the_allowed_values(spec: Spec, spec_copy: Path) -> None:
    """A typo in an input entry would make the rule dead; the loader refuses it instead."""
    table, column = next(
        (t, c)
        for t in spec.tables
        for c in t.inputs
        if (f := spec.dictionary.get(c.expression)) is not None and f.type is FieldType.ENUM
    )
    rule = table.rules[0]
    row = set_cell(spec_copy, table.file, rule.id, column.expression, '"no-such-value"')
    problem = problem_at(spec_copy, table.file, row, column.expression)
    assert "not an allowed value" in problem.message


def test_numeric_test_on_a_boolean_input(spec: Spec, spec_copy: Path) -> None:
    table, column = next(
        (t, c)
        for t in spec.tables
        for c in t.inputs
        if (f := spec.dictionary.get(c.expression)) is not None and f.type is FieldType.BOOLEAN
    )
    row = set_cell(spec_copy, table.file, table.rules[0].id, column.expression, "< 5")
    assert "tests a number" in problem_at(spec_copy, table.file, row, column.expression).message


def test_string_test_on_a_number_input(spec_copy: Path) -> None:
    row = set_cell(spec_copy, STATUS_CSV, "DX-01", "total_b12", '"low"')
    assert "tests a string" in problem_at(spec_copy, STATUS_CSV, row, "total_b12").message


def test_every_problem_is_reported_in_one_pass(spec_copy: Path) -> None:
    set_cell(spec_copy, STATUS_CSV, "DX-01", "status", "deficent")
    set_cell(spec_copy, STATUS_CSV, "DX-02", "citations", "")
    set_cell(spec_copy, STATUS_CSV, "DX-03", "total_b12", "[180..")
    columns = {p.column for p in problems_of(spec_copy)}
    assert {"status", "citations", "total_b12"} <= columns


def test_rules_without_metadata(spec_copy: Path) -> None:
    (spec_copy / "tables" / "orphan.csv").write_text("rule\n", encoding="utf-8")
    assert "sidecar" in problem_at(spec_copy, "tables/orphan.csv", None, None).message


@pytest.mark.parametrize("name", ["sources.yaml", "open_questions.yaml", "catalogue.yaml"])
def test_a_list_file_that_is_not_a_list(spec_copy: Path, name: str) -> None:
    (spec_copy / name).write_text("id: 1\n", encoding="utf-8")
    assert any(p.file == name and "list" in p.message for p in problems_of(spec_copy))


def test_a_source_id_of_the_wrong_type(spec_copy: Path) -> None:
    path = spec_copy / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[0]["id"] = [1]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert "valid string, got [1]" in problem_at(spec_copy, "sources.yaml", None, "0.id").message


def test_a_source_attribution_is_stated_or_inferred_nothing_else(spec_copy: Path) -> None:
    path = spec_copy / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[0]["attribution"] = "guessed"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    message = problem_at(spec_copy, "sources.yaml", None, "0.attribution").message
    assert "'stated' or 'inferred'" in message and "guessed" in message


def test_a_unit_factor_must_be_a_positive_number(spec_copy: Path) -> None:
    edit_yaml(spec_copy, "dictionary.yaml", lambda d: d["fields"]["total_b12"]["units"].update({"pmol/L": "x"}))
    problem = problem_at(spec_copy, "dictionary.yaml", None, "fields.total_b12.units.pmol/L")
    assert "valid number, got 'x'" in problem.message


def test_a_table_that_is_not_utf8_is_reported(spec_copy: Path) -> None:
    (spec_copy / STATUS_CSV).write_bytes(b"rule,total_b12\n\xff\xfe\n")
    assert "not UTF-8 text" in problem_at(spec_copy, STATUS_CSV, 2, None).message


def test_invalid_yaml_is_reported(spec_copy: Path) -> None:
    (spec_copy / STATUS_YAML).write_text("decision: [unclosed\n", encoding="utf-8")
    assert any("not valid YAML" in p.message for p in problems_of(spec_copy))


# --------------------------------------------------------------------------- every hit policy loads


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("U", None), ("A", None), ("P", None), ("F", None), ("C", None), ("R", None), ("O", None),
     ("C+", 5.0), ("C<", 2.0), ("C>", 3.0), ("C#", 2)],
)
def test_every_hit_policy_loads_from_yaml_and_evaluates(
    spec_copy: Path, base_case: dict, policy: str, expected: object
) -> None:
    """A new table added by files alone is loaded, ordered and evaluated: no code change needed."""
    numeric = policy in ("C+", "C<", "C>", "C#")
    meta = {
        "decision": "demo",
        "title": "Demo",
        "section": "demo",
        "purpose": "exercise a hit policy",
        "hit_policy": policy,
        "inputs": [{"expression": "age_years"}],
        "outputs": [{"name": "score", "type": "number"}] if numeric else [{"name": "tier", "values": ["a", "b"]}],
    }
    (spec_copy / "tables" / "demo.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    out = ("2", "3") if numeric else ("b", "a")
    unique = policy == "U"
    rows = [
        ["rule", "age_years", meta["outputs"][0]["name"], "citations", "open_questions", "annotation"],
        ["DEMO-1", "< 50" if unique else "-", out[0], "1", "", ""],
        ["DEMO-2", ">= 50" if unique else "< 60", out[1] if policy != "A" else out[0], "1", "", ""],
    ]
    write_rows(spec_copy / "tables" / "demo.csv", rows)
    spec = load_spec(spec_copy)
    table = spec.table("demo")
    assert table.hit_policy is HitPolicy(policy)
    result = evaluate(spec, base_case).results["demo"]
    if expected is not None:
        assert result.value == expected
    elif policy in ("U", "F", "A"):
        assert result.value == {"tier": "b"}
    elif policy == "P":
        assert result.value == {"tier": "a"}
    elif policy == "O":
        assert [h.rule for h in result.hits] == ["DEMO-2", "DEMO-1"]
    else:
        assert [h.rule for h in result.hits] == ["DEMO-1", "DEMO-2"]


# --------------------------------------------------------------------------- output entries


def add_probe_table(spec_dir: Path, outputs: list[dict], rows: list[list[str]], policy: str = "U") -> None:
    """A table of one input (age_years) beside the real ones, with the outputs and rows given."""
    meta = {
        "decision": "probe",
        "title": "Probe",
        "purpose": "test",
        "hit_policy": policy,
        "inputs": [{"expression": "age_years", "label": "Age"}],
        "outputs": outputs,
    }
    (spec_dir / "tables" / "probe.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    header = ["rule", "age_years", *(o["name"] for o in outputs), "citations", "open_questions", "annotation"]
    write_rows(spec_dir / "tables" / "probe.csv", [header, *rows])


def test_a_quoted_output_entry_decodes_feel_escapes_like_an_input_entry(spec_copy: Path) -> None:
    add_probe_table(
        spec_copy,
        [{"name": "note", "values": ["line\nbreak", 'say "hi"']}],
        [["ZZ-01", "< 50", '"line\\nbreak"', "1", "", ""], ["ZZ-02", ">= 50", '"say \\"hi\\""', "1", "", ""]],
    )
    table = load_spec(spec_copy).table("probe")
    assert [r.outputs[0] for r in table.rules] == ["line\nbreak", 'say "hi"']


def test_a_broken_escape_in_an_output_entry_is_refused_at_its_cell(spec_copy: Path) -> None:
    add_probe_table(spec_copy, [{"name": "note", "values": ["a"]}], [["ZZ-01", "-", '"a\\qb"', "1", "", ""]])
    problem = problem_at(spec_copy, "tables/probe.csv", 2, "note")
    assert "unknown escape" in str(problem)


def test_a_boolean_output_gives_booleans(spec_copy: Path, base_case: dict) -> None:
    add_probe_table(
        spec_copy,
        [{"name": "adult", "type": "boolean"}],
        [["ZZ-01", "< 16", "false", "1", "", ""], ["ZZ-02", ">= 16", "true", "1", "", ""]],
    )
    spec = load_spec(spec_copy)
    assert spec.table("probe").outputs[0].type is FieldType.BOOLEAN
    assert evaluate(spec, base_case).results["probe"].value == {"adult": True}
    assert evaluate(spec, {**base_case, "age_years": 8}).results["probe"].value == {"adult": False}


def test_a_boolean_output_refuses_other_entries(spec_copy: Path) -> None:
    add_probe_table(spec_copy, [{"name": "adult", "type": "boolean"}], [["ZZ-01", "-", "yes", "1", "", ""]])
    assert "expected true or false, got 'yes'" in str(problem_at(spec_copy, "tables/probe.csv", 2, "adult"))
