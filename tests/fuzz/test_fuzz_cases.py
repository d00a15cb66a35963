"""Case files through `b12spec evaluate`: exit 0/1 only, no traceback, --json always JSON.

Valid-looking cases are generated from the data dictionary itself (every field, plausible and
implausible values, wrong types, nested spellings), hostile ones from YAML and JSON fragments
(tags, aliases, deep nesting, huge numbers, duplicates). A refusal names a field or the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from b12spec.cli import main
from b12spec.model import FieldType
from b12spec.workspace import load_spec

from .conftest import assert_clean_exit, fuzz, strict_json

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO / "spec"
DICTIONARY = load_spec(SPEC_DIR).dictionary

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["150 ng/L", "150 pmol/L", "50 bananas", "\u0661\u0665\u0660", "yes", "-0", "1e5", ""]),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def field_value(name: str) -> st.SearchStrategy[Any]:
    """Values a real record might hold for this field, right or wrong, and anything at all."""
    data_field = DICTIONARY.get(name)
    assert data_field is not None
    if data_field.type is FieldType.BOOLEAN:
        plausible: st.SearchStrategy[Any] = st.booleans()
    elif data_field.type is FieldType.ENUM:
        plausible = st.sampled_from(data_field.values)
    else:
        low, high = data_field.minimum or 0.0, data_field.maximum or 0.0
        number = st.floats(min_value=low - 10, max_value=high + 10, allow_nan=False)
        units = [u.symbol for u in data_field.units] or ["x"]
        plausible = st.one_of(
            number,
            st.builds(lambda v, u: {"value": v, "unit": u}, number, st.sampled_from([*units, "mg", None])),
            st.builds(lambda v, u: f"{v:g} {u}", number, st.sampled_from(units)),
        )
    return st.one_of(plausible, plausible, JSONISH)


CASES = st.fixed_dictionaries(
    {f.name: field_value(f.name) for f in DICTIONARY.fields if f.required},
    optional={f.name: field_value(f.name) for f in DICTIONARY.fields if not f.required}
    | {"plan": JSONISH, "unknown_x": JSONISH},
)


def invoke(path: Path, *options: str) -> Any:
    return CliRunner().invoke(main, ["--spec", str(SPEC_DIR), "evaluate", *options, str(path)])


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cases")


@fuzz(120)
@given(CASES, st.sampled_from(["yaml", "json"]))
def test_generated_cases_give_a_recommendation_or_a_refusal_naming_the_field(
    case_dir: Path, case: dict[str, Any], kind: str
) -> None:
    path = case_dir / f"case.{kind}"
    if kind == "json":
        path.write_text(json.dumps(case, allow_nan=True), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    result = invoke(path, "--json")
    assert_clean_exit(result)
    assert result.exit_code in (0, 1)
    data = strict_json(result.stdout)
    if result.exit_code == 0:
        assert data["decisions"]
    else:
        assert data["problems"], "a refusal says what is wrong"
        names = {*DICTIONARY.names, "(case)", "(case file)"}
        for problem in data["problems"]:
            field = str(problem["field"])
            assert field in names or field.split(".")[0] in names or "+" in field or field, problem
            assert problem["allowed"]


FRAGMENTS = st.sampled_from(
    [
        "age_years: 45\n",
        "sex: female\n",
        "pregnant: false\n",
        "lactating: false\n",
        "neurological_involvement: false\n",
        "total_b12: {value: 150, unit: ng/L}\n",
        "mma: .nan\n",
        "mma: !!float abc\n",
        "? [1, 2]\n: x\n",
        "a: &a [1, 2, 3]\n",
        "b: [*a, *a, *a]\n",
        "c: *zz\n",
        "plan:\n  treatment_timing: immediate\n",
        "plan.treatment_timing: deferred\n",
        "<<: {x: 1}\n",
        "---\n",
        "age_years: " + "9" * 400 + "\n",
        "x: " + "[" * 200 + "]" * 200 + "\n",
        "\t\x00\n",
        "total_b12: '\u0661\u0665\u0660 ng/L'\n",
        "diet: !!binary aGk=\n",
        "{",
        "}",
        '"',
        "'",
        "- 1\n",
        "\ufeff",
        "!!set {a}\n",
        "total_b12: 1e400\n",
    ]
)


@fuzz(100)
@given(st.lists(FRAGMENTS, min_size=1, max_size=10), st.sampled_from(["yaml", "json"]))
def test_hostile_case_files_are_refused_cleanly_and_json_stays_json(
    case_dir: Path, fragments: list[str], kind: str
) -> None:
    path = case_dir / f"hostile.{kind}"
    path.write_text("".join(fragments), encoding="utf-8")
    result = invoke(path, "--json")
    assert_clean_exit(result)
    strict_json(result.stdout)
    assert len(result.output) < 200_000, "a refusal is short; it does not echo an expanded document"


@fuzz(60)
@given(st.binary(max_size=200))
def test_any_bytes_as_a_case_file_are_refused_or_read(case_dir: Path, data: bytes) -> None:
    path = case_dir / "bytes.yaml"
    path.write_bytes(data)
    result = invoke(path)
    assert_clean_exit(result)
