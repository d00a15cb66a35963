"""Spec files: any value in any sidecar key, any cell, gives check's own findings, never a traceback.

One copy of the spec is mutated in place per example and restored afterwards; `b12spec check`
and `b12spec evaluate` then run through the CLI.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from b12spec.cli import main

from .conftest import assert_clean_exit, fuzz, strict_json

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "neurological-deficiency.yaml"
SPEC_FILES = [
    "dictionary.yaml",
    "sources.yaml",
    "open_questions.yaml",
    "tables/b12_status.yaml",
    "tables/treatment.yaml",
]
HOSTILE = st.sampled_from(
    [
        5,
        -1,
        0,
        0.0,
        "x",
        "",
        True,
        False,
        None,
        [],
        {},
        [5],
        {"a": 5},
        "false",
        "no",
        [False, True],
        [0, 1e300],
        "first",
        ".nan",
        "!!binary aGk=",
        "- - - -",
        "\u0661",
        "1" + "0" * 40,
    ]
)


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz-spec") / "spec"
    shutil.copytree(REPO / "spec", target)
    return target


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_of(value, (*prefix, index))


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: replaced(data[head], rest, value)}
    copy = list(data)
    copy[head] = replaced(data[head], rest, value)
    return copy


@fuzz(50)
@given(st.sampled_from(SPEC_FILES), st.integers(min_value=0), HOSTILE)
def test_a_sidecar_value_of_any_type_is_a_finding_not_a_traceback(
    spec_dir: Path, file: str, pick: int, value: Any
) -> None:
    path = spec_dir / file
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    places = list(paths_of(data))
    place = places[pick % len(places)]
    try:
        text = yaml.safe_dump(replaced(data, place, value), allow_unicode=True, sort_keys=False)
        if isinstance(value, str) and value.startswith(("!!", ".nan", "- ")):
            text = text.replace(f"'{value}'", value)  # the raw YAML, not the quoted text
        path.write_text(text, encoding="utf-8")
        check = CliRunner().invoke(main, ["--spec", str(spec_dir), "check", "--json"])
        assert_clean_exit(check)
        strict_json(check.stdout)
        # evaluate --json (stdout stays JSON) or status: both load the whole spec, status also the ledger
        command = ["evaluate", "--json", str(EXAMPLE)] if pick % 2 else ["status", "--json"]
        result = CliRunner().invoke(main, ["--spec", str(spec_dir), *command])
        assert_clean_exit(result)
        strict_json(result.stdout)
    finally:
        path.write_text(original, encoding="utf-8")


CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(['"', '"< 180', "< 1" + "0" * 400, "\x1c< 5", "\ufeff", "a,b", "\n", '""', "\u0661"]),
)


@fuzz(40)
@given(st.integers(min_value=0, max_value=40), CELLS)
def test_a_rules_file_with_any_cell_is_a_finding_not_a_traceback(spec_dir: Path, position: int, cell: str) -> None:
    path = spec_dir / "tables" / "b12_status.csv"
    original = path.read_bytes()
    text = original.decode("utf-8")
    at = position % len(text)
    try:
        path.write_text(text[:at] + cell + text[at:], encoding="utf-8", newline="")
        check = CliRunner().invoke(main, ["--spec", str(spec_dir), "check", "--json"])
        assert_clean_exit(check)
        strict_json(check.stdout)
    finally:
        path.write_bytes(original)
