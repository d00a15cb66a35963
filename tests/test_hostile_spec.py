"""Broken spec files through the real `check`, `evaluate` and `status`: a finding, never a traceback.

Found by mutating a copy of the spec 112 ways: 17 mutations crashed a command and 11 were
accepted by `check` (exit 0) although the spec no longer meant what it said.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from b12spec.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "neurological-deficiency.yaml"


def cli(spec_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--spec", str(spec_dir), *args])


def edit(spec_dir: Path, file: str, old: str, new: str) -> None:
    path = spec_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_refused_everywhere(spec_dir: Path, *words: str) -> None:
    """check, evaluate and status all exit 1 with the project's own message naming the fault."""
    for command in (["check"], ["evaluate", str(EXAMPLE)], ["status"]):
        result = cli(spec_dir, *command)
        assert result.exit_code == 1, (command, result.output)
        assert isinstance(result.exception, SystemExit), (command, repr(result.exception))
        for word in words:
            assert word in result.output, (command, word, result.output)


# (label, file, old text, new text, words the refusal must contain)
MUTATIONS = [
    ("inputs: 5", "tables/treatment.yaml", "inputs:\n", "inputs: 5\nx_inputs:\n", "'inputs' must be a list"),
    ("outputs: 5", "tables/treatment.yaml", "outputs:\n", "outputs: 5\nx_outputs:\n", "'outputs' must be a list"),
    (
        "values: 5",
        "tables/treatment.yaml",
        "    values:\n",
        "    values: 5\n    x_values:\n",
        "'values' must be a list",
    ),
    ("display_order: first", "tables/treatment.yaml", "display_order: 5", "display_order: first", "whole number"),
    ("display_order: true", "tables/treatment.yaml", "display_order: 5", "display_order: true", "whole number"),
    (
        "contradictions: 5",
        "dictionary.yaml",
        "contradictions:\n",
        "contradictions: 5\nx_contradictions:\n",
        "'contradictions' must be a list",
    ),
    (
        "references: 5",
        "open_questions.yaml",
        "references: [NICE-NG239]",
        "references: 5",
        "'references' must be a list",
    ),
    (
        "rules: 5",
        "catalogue.yaml",
        "  rules: [",
        "  rules: 5\n  x_rules: [",
        "'rules' must be a list",
    ),
    ("citations: 5", "catalogue.yaml", '  citations: ["1"]', "  citations: 5", "'citations' must be a list"),
    ("precision: .nan", "dictionary.yaml", "precision: 1\n", "precision: .nan\n", "finite"),
    ("extra key .nan", "tables/treatment.yaml", "display_order: 5", "display_order: 5\nx_extra: .nan", "finite"),
    (
        "extra key !!binary",
        "tables/treatment.yaml",
        "display_order: 5",
        "display_order: 5\nx_extra: !!binary aGk=",
        "!!binary",
    ),
    ("extra key !!set", "tables/treatment.yaml", "display_order: 5", "display_order: 5\nx_extra: !!set {a}", "!!set"),
    ("range: [0, .inf]", "dictionary.yaml", "range: [0, 125]", "range: [0, .inf]", "finite"),
    ("hit_policy twice", "tables/b12_status.yaml", "hit_policy: P\n", "hit_policy: P\nhit_policy: U\n", "given twice"),
    ("precision: 0", "dictionary.yaml", "precision: 1\n", "precision: 0\n", "precision must be a positive number"),
    (
        "precision: -0.1",
        "dictionary.yaml",
        "precision: 1\n",
        "precision: -0.1\n",
        "precision must be a positive number",
    ),
    ("in_source text", "sources.yaml", "in_source: true", 'in_source: "false"', "'in_source' must be true or false"),
    ("required text", "dictionary.yaml", "required: true\n", 'required: "no"\n', "'required' must be true or false"),
    ("required: no (YAML 1.1)", "dictionary.yaml", "required: true\n", "required: no\n",
     "fields.age_years.required: 'no' is true or false only in YAML 1.1"),
    ("display_order -10^30", "tables/b12_status.yaml", "display_order: 1", "display_order: -" + "1" + "0" * 30,
     "display_order"),
    ("version: banana", "guideline.yaml", "version: 0.1.0", "version: banana", "must be a semantic version"),
    ("a rule twice in a question", "open_questions.yaml", "  rules: [DX-04, DX-06", "  rules: [DX-04, DX-04, DX-06",
     "listed twice: DX-04; name each once"),
    ("a citation twice", "catalogue.yaml", '  citations: ["1"]', '  citations: ["1", "1"]',
     "listed twice: 1; name each once"),
    ("range of booleans", "dictionary.yaml", "range: [0, 125]", "range: [false, true]", "range: [minimum, maximum]"),
    ("field defined twice", "dictionary.yaml", "fields:\n", "fields:\n  sex:\n    type: boolean\n", "given twice"),
    ("a 400-digit bound", "tables/b12_status.csv", "< 180", "< 1" + "0" * 400, "at most 34"),
]


# A misspelt key was dropped and its key silently took its default: a required field became optional,
# a reference beyond the source counted as in the source (found by the independent issue-16 harness).
MISSPELT = [
    (f"misspelt key in {file}", file, old, new, f"unknown key {says}")
    for file, old, new, says in [
        ("dictionary.yaml", "    required: true\n", "    requird: true\n", "'requird' (did you mean 'required'?)"),
        ("sources.yaml", "  in_source: false\n", "  in_sorce: false\n", "'in_sorce' (did you mean 'in_source'?)"),
        ("tables/b12_status.yaml", "    label: Total B12", "    labl: Total B12", "'labl' (did you mean 'label'?)"),
        ("open_questions.yaml", "  rules: [DX-04", "  ruls: [DX-04", "'ruls' (did you mean 'rules'?)"),
    ]
]


def test_a_misspelt_key_in_the_warning_policy_is_refused(spec_copy: Path) -> None:
    edit(spec_copy, "warnings.yaml", "{severity: info, about: patient}", "{severity: info, abut: patient}")
    for command in (["check"], ["evaluate", str(EXAMPLE)]):
        result = cli(spec_copy, *command)
        assert result.exit_code == 1, (command, result.output)
        assert "unknown key 'abut' (did you mean 'about'?)" in result.output, result.output


@pytest.mark.parametrize(("old", "new", "says"), [
    ("quorum: 2", "quorom: 2", "unknown key 'quorom' (did you mean 'quorum'?)"),
    ("members: []", "members: {}", "members must be a list, got {}"),
    ("quorum: 2", "quorum: two", "quorum must be a whole number of members, at least 1; got 'two'"),
    ("quorum: 2", "quorum: 0", "quorum must be a whole number of members, at least 1; got 0"),
    ("quorum: 2", "quorum: 2.5", "got 2.5"),
])
def test_a_misspelt_key_or_wrong_type_in_the_roster_is_refused(spec_copy: Path, old: str, new: str, says: str) -> None:
    edit(spec_copy, "signoff/roster.yaml", old, new)
    for command in (["check"], ["status"]):
        result = cli(spec_copy, *command)
        assert result.exit_code == 1, (command, result.output)
        assert says in result.output, result.output


def test_an_enum_value_listed_twice_is_refused(spec_copy: Path) -> None:
    edit(spec_copy, "dictionary.yaml", "      other: Other or not stated\n", "")
    edit(
        spec_copy,
        "dictionary.yaml",
        "    values:\n      female: Female\n      male: Male\n",
        "    values: [female, male, female]\n",
    )
    assert_refused_everywhere(spec_copy, "listed twice: female")


def test_an_empty_sidecar_is_an_error_not_a_vanished_table(spec_copy: Path) -> None:
    (spec_copy / "tables" / "monitoring.yaml").write_text("# nothing here yet\n", encoding="utf-8")
    assert_refused_everywhere(spec_copy, "monitoring.yaml", "the metadata is empty")


def test_a_header_column_written_twice_is_refused(spec_copy: Path) -> None:
    path = spec_copy / "tables" / "b12_status.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [[*row, row[1]] for row in csv.reader(handle) if row]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    assert_refused_everywhere(spec_copy, "b12_status.csv, row 1, column 'total_b12'", "column written twice")


def test_an_unterminated_quote_names_its_row_instead_of_swallowing_the_next_rule(spec_copy: Path) -> None:
    path = spec_copy / "tables" / "b12_status.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[3].startswith("DX-03,[180..350]")
    lines[3] = lines[3].replace("DX-03,[180..350]", 'DX-03,"[180..350]', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_refused_everywhere(spec_copy, "b12_status.csv, row 4", "quote")


def test_an_unterminated_quote_in_the_last_row_is_refused(spec_copy: Path) -> None:
    path = spec_copy / "tables" / "b12_status.csv"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    head, _, last = text.rpartition("\n")
    rule, _, rest = last.partition(",")
    path.write_text(f'{head}\n{rule},"{rest}\n', encoding="utf-8")
    assert_refused_everywhere(spec_copy, "b12_status.csv, row", "quote")


def test_a_spreadsheet_byte_order_mark_is_read(spec_copy: Path) -> None:
    for path in (spec_copy / "tables").glob("b12_status.*"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = cli(spec_copy, "check", "--json")
    assert result.exit_code == 0, result.output
    assert "\\ufeff" not in result.stdout and "\ufeff" not in result.stdout
    assert json.loads(result.stdout)["findings"] is not None


@pytest.mark.parametrize("command", [["status", "--json"], ["evaluate", "--json", str(EXAMPLE)]])
def test_json_commands_print_json_when_the_spec_is_invalid(spec_copy: Path, command: list[str]) -> None:
    edit(spec_copy, "tables/treatment.yaml", "display_order: 5", "display_order: first")
    result = cli(spec_copy, *command)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert "error" in data
    assert any("display_order" in p["location"] for p in data["problems"])


def test_a_failing_check_says_why_in_its_json(spec_copy: Path) -> None:
    """`check --json` exited 1 with a report but no `error`, unlike every other --json refusal, so a
    script had to count findings to learn why (found by the independent issue-16 harness)."""
    edit(spec_copy, "tables/treatment.yaml", "display_order: 5", "display_order: first")
    result = cli(spec_copy, "check", "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["error"].startswith("check failed on errors: "), data["error"]
    assert f"{data['errors']} error(s)" in data["error"]
    assert any(f["file"] == "tables/treatment.yaml" for f in data["findings"])


def test_a_passing_check_has_no_error_in_its_json(spec_copy: Path) -> None:
    result = cli(spec_copy, "check", "--json")
    assert result.exit_code == 0, result.output
    assert "error" not in json.loads(result.stdout)


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize(("file", "commands"), [
    ("properties.yaml", (["check"],)),
    ("warnings.yaml", (["check"], ["evaluate", str(EXAMPLE)])),
])
def test_an_alias_bomb_in_a_policy_file_is_refused_not_expanded(
    spec_copy: Path, file: str, commands: tuple[list[str], ...]
) -> None:
    """properties.yaml and warnings.yaml are read by the same bounded YAML reader as every spec file."""
    (spec_copy / file).write_text(ALIAS_BOMB, encoding="utf-8")
    for command in commands:
        result = cli(spec_copy, *command)
        assert result.exit_code == 1, (command, result.output)
        assert isinstance(result.exception, SystemExit), (command, repr(result.exception))
        assert file in result.output and "values (aliases counted as expanded)" in result.output, result.output


@pytest.mark.parametrize("damage", ["missing", "empty"])
@pytest.mark.parametrize(("file", "commands"), [
    ("warnings.yaml", (["check"], ["evaluate", str(EXAMPLE)])),
    ("properties.yaml", (["check"],)),
])
def test_a_missing_or_empty_policy_file_is_refused_not_read_as_none_declared(
    spec_copy: Path, file: str, commands: tuple[list[str], ...], damage: str
) -> None:
    """Without warnings.yaml the report's WARNINGS read "(none)" for a patient given folic acid alone,
    and without properties.yaml check proved nothing and passed (found by the issue-16 harness).
    A spec with nothing to declare says so with []."""
    path = spec_copy / file
    if damage == "missing":
        path.unlink()
    else:
        path.write_text("# nothing\n", encoding="utf-8")
    for command in commands:
        result = cli(spec_copy, *command)
        assert result.exit_code == 1, (command, result.output)
        assert isinstance(result.exception, SystemExit), (command, repr(result.exception))
        assert f"{file}" in result.output and f"is {damage}" in result.output and "write []" in result.output
    path.write_text("[]\n", encoding="utf-8")
    assert cli(spec_copy, "evaluate", str(EXAMPLE)).exit_code == 0


@pytest.mark.parametrize("value", ["true", '"3"', "[[3]]", "{a: 1}"])
def test_a_property_citing_something_other_than_a_list_of_ids_is_a_finding(spec_copy: Path, value: str) -> None:
    """`citations: true` in properties.yaml crashed check with a TypeError; a text was iterated
    character by character (found by the independent issue-16 harness)."""
    edit(spec_copy, "properties.yaml", '  citations: ["3"]', f"  citations: {value}")
    result = cli(spec_copy, "check")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "properties.yaml: property: SP-01, citations: expected a list of ids" in result.output


# Two sources with one id were accepted by check (found by the independent issue-16 harness).
ID_TWICE = [
    (f"an id twice in {file}", file, old, new, f"the id {shown} is given to 2 entries")
    for file, old, new, shown in [
        ("sources.yaml", '- id: "2"\n', '- id: "1"\n', "'1'"),
        ("open_questions.yaml", "- id: OQ-02\n", "- id: OQ-01\n", "'OQ-01'"),
        ("catalogue.yaml", "- id: REC-02\n", "- id: REC-01\n", "'REC-01'"),
        ("dictionary.yaml", "  - id: CX-02\n", "  - id: CX-01\n", "'CX-01'"),
    ]
]


# A contradiction that can never fire switches the check off (male and pregnant accepted) without
# a word; so did an open question citing a reference or rule that does not exist (issue-16 harness).
NEVER_FIRES = [(f"names nothing real: {says[:24]}", *rest, says) for *rest, says in [
    ("dictionary.yaml", "when: {sex: '\"male\"', pregnant: 'true'}", "when: {sex: '\"mal\"', pregnant: 'true'}",
     "\"mal\" is not an allowed value of this input (did you mean 'male'?)"),
    ("dictionary.yaml", "when: {sex: '\"male\"', pregnant: 'true'}", "when: {sex: '< 5', pregnant: 'true'}",
     "< 5 tests a number, but this input is enum"),
    ("dictionary.yaml", "when: {sex: '\"male\"', pregnant: 'true'}", "when: {}", "at least 1 item"),
    ("open_questions.yaml", "  references: [NICE-NG239]", "  references: [NO-SUCH-REF]",
     "unknown reference 'NO-SUCH-REF'"),
]]


# An input declared twice read one CSV column twice; check crashed with an IndexError (issue-16 harness).
DECLARED_TWICE = [
    ("an input declared twice", "tables/b12_status.yaml", "  - expression: total_b12\n    label: Total B12 (ng/L)\n",
     "  - expression: total_b12\n    label: Total B12 (ng/L)\n  - expression: total_b12\n",
     "input declared twice: total_b12"),
    ("an output declared twice", "tables/b12_status.yaml", "  - name: next_step\n", "  - name: status\n",
     "output declared twice: status"),
]
EDITS = [*MUTATIONS, *MISSPELT, *ID_TWICE, *NEVER_FIRES, *DECLARED_TWICE]


@pytest.mark.parametrize(("label", "file", "old", "new", "says"), EDITS, ids=[e[0] for e in EDITS])
def test_a_broken_spec_file_is_refused_by_every_command(
    spec_copy: Path, label: str, file: str, old: str, new: str, says: str
) -> None:
    edit(spec_copy, file, old, new)
    assert_refused_everywhere(spec_copy, says, Path(file).name)


def test_a_table_whose_sidecar_is_deleted_names_the_sidecar(spec_copy: Path) -> None:
    """The refusal named only the CSV and "a sidecar .yaml" (independent issue-16 harness)."""
    (spec_copy / "tables" / "age_group.yaml").unlink()
    assert_refused_everywhere(spec_copy, "the sidecar tables/age_group.yaml (hit policy, inputs, outputs) is missing")


def test_an_enum_value_written_twice_in_the_dictionary_mapping_is_refused(spec_copy: Path) -> None:
    """The dictionary writes enum values as a mapping (value: label), where a value written twice
    was silently collapsed into one by the YAML reader. The list form tested above was refused
    long before issue 16, so only this form could fail before the fix."""
    edit(spec_copy, "dictionary.yaml", "      male: Male\n", "      male: Male\n      female: Woman\n")
    assert_refused_everywhere(spec_copy, "dictionary.yaml", "'female' is given twice")
