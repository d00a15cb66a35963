"""Hostile case files through the real `b12spec evaluate`: refused with exit 1, never a traceback.

Each case here was found by fuzzing: before b12spec parsed data files itself (b12spec/safeload.py)
these crashed, hung, or were silently read as something else. Time bounds are not asserted (the
suite runs on a shared machine); the limits are: a bomb that expands to millions of values is
refused at its first oversized alias, so these finish at once or not at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from b12spec.cli import main

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO / "spec"
BASE = "age_years: 45\nsex: female\npregnant: false\nlactating: false\nneurological_involvement: false\n"
BASE_JSON = {"age_years": 45, "sex": "female", "pregnant": False, "lactating": False, "neurological_involvement": False}


def run_case(tmp_path: Path, text: str, name: str = "case.yaml", *options: str) -> Result:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["--spec", str(SPEC_DIR), "evaluate", *options, str(path)])


def assert_refused(result: Result, *words: str) -> None:
    """Exit 1, the project's own message (no traceback), nothing recommended on stdout."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The classic billion-laughs document: each level names the previous one ``width`` times."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


PARSE_REFUSALS = [
    ("complex key", BASE + "? [1, 2]\n: x\n", "complex key"),
    ("400-digit integer", BASE + "total_b12: " + "1" * 400 + "\n", "400 characters"),
    ("5001-digit integer", BASE + "age_years_x: " + "9" * 5001 + "\n", "5001 characters"),
    ("!!float abc", BASE + "mma: !!float abc\n", "!!float"),
    ("!!int abc", BASE + "mma: !!int abc\n", "!!int"),
    ("!!bool maybe", BASE + "metformin: !!bool maybe\n", "!!bool"),
    ("!!timestamp soon", BASE + "mma: !!timestamp soon\n", "!!timestamp"),
    ("!!binary", BASE + "diet: !!binary aGVsbG8=\n", "!!binary"),
    ("!!set", BASE + "diet: !!set {vegan}\n", "!!set"),
    ("python tag", BASE + "diet: !!python/object:os.system ls\n", "tag"),
    ("1000 deep (flow)", BASE + "x: " + "[" * 1000 + "]" * 1000 + "\n", "nesting"),
    ("1000 deep (block)", BASE + "".join(" " * n + f"k{n}:\n" for n in range(1000)), "nesting"),
    (".nan", BASE + "mma: .nan\n", "finite"),
    (".inf", BASE + "mma: -.inf\n", "finite"),
    ("merge key", BASE + "plan:\n  <<: {treatment_timing: immediate}\n", "merge key"),
    ("two documents", BASE + "---\n" + BASE, "more than one YAML document"),
    ("duplicate key", BASE + "mma: 0.2\nmma: 0.9\n", "given twice"),
    ("recursive alias", BASE + "x: &x [*x]\n", "alias"),
]


@pytest.mark.parametrize(("label", "text", "says"), PARSE_REFUSALS, ids=[c[0] for c in PARSE_REFUSALS])
def test_a_hostile_yaml_case_is_refused_with_a_located_message(
    tmp_path: Path, label: str, text: str, says: str
) -> None:
    result = run_case(tmp_path, text)
    assert_refused(result, "cannot be read as a case", says, "line ")


def test_an_alias_bomb_of_559_bytes_is_refused_before_it_expands(tmp_path: Path) -> None:
    bomb = BASE + alias_bomb()
    result = run_case(tmp_path, bomb)
    assert_refused(result, "expands to too many values", "aliases counted as expanded")
    assert len(result.stderr) < 2_000, "the refusal names the limit, it does not print the expansion"


def test_a_small_alias_bomb_is_refused_without_printing_its_expansion(tmp_path: Path) -> None:
    # 5 x 5 levels: 3,125 strings, under the node limit once, but named by an unknown key 3 times.
    bomb = BASE + alias_bomb(levels=5, width=5) + "x1: *a4\nx2: *a4\nx3: *a4\nx4: *a4\n"
    result = run_case(tmp_path, bomb)
    assert result.exit_code == 1
    assert len(result.stderr) < 20_000, len(result.stderr)


def test_a_50_mb_case_file_is_refused_by_its_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(BASE)
        handle.write("notes: '" + "x" * 50_000_000 + "'\n")
    result = CliRunner().invoke(main, ["--spec", str(SPEC_DIR), "evaluate", str(path)])
    assert_refused(result, "bytes; allowed: at most 1,000,000 bytes")


def test_100000_unknown_keys_are_refused_with_a_short_message(tmp_path: Path) -> None:
    text = BASE + "".join(f"k{n}: 1\n" for n in range(100_000))
    result = run_case(tmp_path, text)
    assert_refused(result, "too many values")


def test_thousands_of_unknown_fields_get_only_a_few_suggestions(tmp_path: Path) -> None:
    text = BASE + "".join(f"total_b{n}: 1\n" for n in range(3_000))
    result = run_case(tmp_path, text)
    assert_refused(result, "no recommendation is given")
    assert 0 < result.stderr.count("did you mean") <= 8


# --------------------------------------------------------------------------- silent accepts


def test_a_field_in_its_dotted_and_nested_spelling_at_once_is_refused(tmp_path: Path) -> None:
    text = BASE + "plan.treatment_timing: immediate\nplan:\n  treatment_timing: deferred\n"
    result = run_case(tmp_path, text)
    assert_refused(result, 'plan.treatment_timing: got "immediate" and "deferred"', "given twice")


def test_a_unit_inside_the_value_is_not_dropped_for_the_outer_unit(tmp_path: Path) -> None:
    result = run_case(tmp_path, BASE + 'total_b12: {value: "150 pmol/L", unit: "ng/L"}\n')
    assert_refused(result, 'total_b12.value: got "150 pmol/L"', "a bare number")


def test_a_value_with_an_unknown_word_is_refused(tmp_path: Path) -> None:
    result = run_case(tmp_path, BASE + 'total_b12: {value: "50 bananas"}\n')
    assert_refused(result, 'total_b12.value: got "50 bananas"')


OTHER_DIGITS = {"arabic-indic": "\u0661\u0665\u0660", "devanagari": "\u0967\u096b\u0966", "full": "\uff11\uff15\uff10"}


@pytest.mark.parametrize("digits", OTHER_DIGITS.values(), ids=OTHER_DIGITS.keys())
def test_digits_of_other_scripts_are_not_read_as_a_number(tmp_path: Path, digits: str) -> None:
    result = run_case(tmp_path, BASE + f'total_b12: "{digits} ng/L"\n')
    assert_refused(result, "total_b12: got ")


YAML11_NUMBERS = [("055", "octal 45 or 55"), ("0b101101", "binary"), ("1:30", "base 60: 90"), ("-0_7", "octal")]


@pytest.mark.parametrize(("text", "reading"), YAML11_NUMBERS, ids=[n for n, _ in YAML11_NUMBERS])
def test_a_number_only_yaml_1_1_reads_so_is_refused_not_guessed(tmp_path: Path, text: str, reading: str) -> None:
    """PyYAML read ``age_years: 055`` as 45 (YAML 1.1 octal); YAML 1.2 and a person read 55."""
    result = run_case(tmp_path, BASE + f"untreated_months: {text}\n")
    assert_refused(result, f"at untreated_months: {text!r} is a number only in YAML 1.1", "line 6")


@pytest.mark.parametrize("text", ["no", "yes", "No", "OFF", "on", "y", "n"])
def test_a_boolean_only_yaml_1_1_reads_so_is_refused_not_guessed(tmp_path: Path, text: str) -> None:
    """PyYAML read ``pregnant: no`` as false, YAML 1.2 and JSON as the text "no": which was meant
    cannot be known (in a data dictionary, ``required: no`` silently made a required field optional)."""
    result = run_case(tmp_path, BASE.replace("lactating: false", f"lactating: {text}"))
    if text in ("y", "n"):  # text in YAML 1.1 too (PyYAML): refused by the dictionary as not a boolean
        assert_refused(result, "lactating")
    else:
        assert_refused(result, f"at lactating: {text!r} is true or false only in YAML 1.1", "line 4")


def test_true_and_false_in_any_case_yaml_1_2_allows_are_still_booleans(tmp_path: Path) -> None:
    result = run_case(tmp_path, BASE.replace("pregnant: false", "pregnant: False").replace("lactating: false",
                                                                                            "lactating: FALSE"))
    assert result.exit_code == 0, result.output


FIELD_NAMED = [
    ("plan:\n  treatment_timing: !!str x\n", "at plan.treatment_timing: uses the YAML tag !!str"),
    ("total_b12: {value: 055, unit: ng/L}\n", "at total_b12.value: '055'"),
    ("diet: [vegan, .nan]\n", "at diet[1]: '.nan' is not a finite number"),
]


JSON_FIELD_NAMED = [
    ('"mma": NaN', "at mma: NaN is not a number JSON allows"),
    ('"total_b12": {"value": 1e400}', "at total_b12.value: the number 1e400 is too large to be finite"),
    ('"diet": ["vegan", -Infinity]', "at diet[1]: -Infinity is not a number"),
    ('"mma": 0.2, "mma": 0.3', "at mma: key 'mma' is given twice"),
    ('"untreated_months": ' + "9" * 40, "at untreated_months: the number 99999999999999999999... has 40 characters"),
]


@pytest.mark.parametrize(("member", "says"), JSON_FIELD_NAMED, ids=[s.split(":")[0] for _, s in JSON_FIELD_NAMED])
def test_a_refusal_inside_the_json_names_the_field(tmp_path: Path, member: str, says: str) -> None:
    """JSON refusals named neither line nor field: the decoder's hooks refused before the key was known."""
    text = json.dumps(BASE_JSON)[:-1] + ", " + member + "}"
    assert_refused(run_case(tmp_path, text, "case.json"), says)


@pytest.mark.parametrize(("text", "says"), FIELD_NAMED, ids=[s.split(":")[0] for _, s in FIELD_NAMED])
def test_a_refusal_inside_the_yaml_names_the_field_not_only_the_line(tmp_path: Path, text: str, says: str) -> None:
    """The YAML refusals named only the line; the issue-16 harness asks (as a reader does) for the field."""
    assert_refused(run_case(tmp_path, BASE + text), says)


def test_numbers_both_yaml_versions_read_alike_are_still_numbers() -> None:
    from b12spec.safeload import CASE_LIMITS, parse_yaml

    read = parse_yaml("a: 45\nb: 0x2D\nc: 1_500\nd: +12.5\ne: 0\nf: '055'\n", "case.yaml", CASE_LIMITS)
    assert read == {"a": 45, "b": 45, "c": 1500, "d": 12.5, "e": 0, "f": "055"}


# --------------------------------------------------------------------------- --json


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("syntax.yaml", BASE + "mma: [unclosed\n", "not valid YAML"),
        ("syntax.json", '{"age_years": 45,', "not valid JSON"),
        ("twice.json", '{"age_years": 45, "age_years": 46}', "given twice"),
        ("twice.yaml", BASE + "age_years: 46\n", "given twice"),
        ("nan.yaml", BASE + "mma: .nan\n", "finite"),
        ("nan.json", json.dumps(BASE_JSON)[:-1] + ', "mma": NaN}', "NaN"),
        ("bomb.yaml", BASE + alias_bomb(), "too many values"),
    ],
)
def test_json_output_is_parseable_json_even_when_the_file_is_refused(
    tmp_path: Path, name: str, text: str, says: str
) -> None:
    result = run_case(tmp_path, text, name, "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)  # strict: NaN would fail here
    assert set(data) == {"format_version", "error", "problems"}
    assert says in data["error"]
    assert data["problems"] and data["problems"][0]["field"] == "(case file)"


def test_json_output_is_parseable_when_the_spec_is_invalid(tmp_path: Path, spec_copy: Path) -> None:
    meta = spec_copy / "tables" / "b12_status.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("hit_policy: P", "hit_policy: Q"), encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["--spec", str(spec_copy), "evaluate", "--json", str(case)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert any("got 'Q'" in p["problem"] and "hit_policy" in p["location"] for p in data["problems"])


def test_a_case_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes("\ufeff".encode() + json.dumps(BASE_JSON).encode())
    result = CliRunner().invoke(main, ["--spec", str(SPEC_DIR), "evaluate", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decisions"]


def test_plain_yaml_values_still_read_as_before(tmp_path: Path) -> None:
    """The restricted reader gives the same values as yaml.safe_load for plain data."""
    from b12spec.safeload import CASE_LIMITS, parse_yaml

    text = BASE + "total_b12: {value: 1_50, unit: ng/L}\nmma: 0.45\ndiet: vegan\nmetformin: true\nplan:\n  x: ~\n"
    assert parse_yaml(text, "case.yaml", CASE_LIMITS) == yaml.safe_load(text)


# --------------------------------------------------------------------------- audit of issue 16's reproducers


def strict_json(text: str) -> object:
    """json.loads accepts NaN and Infinity by default; a reader of the output may not."""

    def refuse(name: str) -> object:
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_a_json_case_nested_1000_deep_is_refused_by_its_nesting(tmp_path: Path) -> None:
    """JSON nested 1,000 deep crashed evaluate with a RecursionError; only the YAML form was tested."""
    text = json.dumps(BASE_JSON)[:-1] + ', "x": ' + "[" * 1000 + "]" * 1000 + "}"
    assert_refused(run_case(tmp_path, text, "deep.json"), "cannot be read as a case", "nested too deeply")
    data = strict_json(run_case(tmp_path, text, "deep.json", "--json").stdout)
    assert isinstance(data, dict) and "levels of nesting" in data["error"]


@pytest.mark.parametrize("digits", [400, 5001])
def test_a_json_case_with_a_number_hundreds_of_digits_long_is_refused(tmp_path: Path, digits: int) -> None:
    """400 digits overflowed a float and 5,001 passed Python's 4,300-digit limit for int(): both were
    tracebacks; only the YAML spelling was tested."""
    text = json.dumps(BASE_JSON)[:-1] + ', "total_b12": ' + "1" * digits + "}"
    assert_refused(run_case(tmp_path, text, "long.json"), f"has {digits} characters", "allowed: at most")


@pytest.mark.parametrize(("name", "text"), [
    ("nan.yaml", BASE + "mma: .nan\n"),
    ("inf.yaml", BASE + "mma: .inf\n"),
    ("nan.json", json.dumps(BASE_JSON)[:-1] + ', "mma": NaN}'),
    ("inf.json", json.dumps(BASE_JSON)[:-1] + ', "mma": -Infinity}'),
])
def test_json_output_for_a_value_that_is_not_a_number_is_strict_json(tmp_path: Path, name: str, text: str) -> None:
    """`mma: .nan` printed `"value": NaN`, which is not JSON. The --json test above parses with
    json.loads, which accepts NaN, so it could not see this; here NaN or Infinity anywhere fails."""
    result = run_case(tmp_path, text, name, "--json")
    assert result.exit_code == 1, result.output
    data = strict_json(result.stdout)
    assert isinstance(data, dict) and "finite numbers" in data["error"], data
