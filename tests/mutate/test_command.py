"""``b12spec mutate`` end to end on the shipped spec, with a small feature file written here.

The age-group table is mutated (``--table age_group``) and two boundary scenarios run through the
real Gherkin runner; the verifier is replaced by a stand-in so that exit codes are tested for both
outcomes whatever the verifier proves.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12spec.cli import main
from b12spec.commands import mutate as mutate_command

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"

AGE_FEATURE = """
    Feature: Age group boundary
      Scenario: fifteen is a child
        Given a 15-year-old girl
        And she has no neurological involvement
        When the guideline is applied
        Then the age group is "Child (under 16 years, outside the scope of NICE NG239)"

      Scenario: sixteen is an adult
        Given a 16-year-old woman
        And she has no neurological involvement
        When the guideline is applied
        Then the age group is "Adult (16 years or older, the scope of NICE NG239)"
"""


@dataclass(frozen=True)
class Verdict:
    equal: bool
    witness: dict[str, Any] | None


def features(tmp_path: Path, text: str = AGE_FEATURE) -> Path:
    directory = tmp_path / "features"
    directory.mkdir()
    (directory / "age.feature").write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def _metadata_mutants() -> int:
    from b12spec.mutate.operators import generate_mutants
    from b12spec.workspace import load_spec

    return sum(m.metadata for m in generate_mutants(load_spec(SPEC_DIR), ["age_group"]))


def invoke(tmp_path: Path, *args: str, feature_text: str = AGE_FEATURE):
    output = tmp_path / "reports" / "mutation.json"
    command = ["--spec", str(SPEC_DIR), "mutate", "--table", "age_group", "--features",
               str(features(tmp_path, feature_text)), "--output", str(output), *args]
    return CliRunner().invoke(main, command), output


def test_survivors_fail_the_command_and_are_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mutate_command, "equivalent", lambda spec, a, b: Verdict(False, {"age_years": 30}))
    result, output = invoke(tmp_path)
    assert result.exit_code == 1, result.output
    report = json.loads(output.read_text(encoding="utf-8"))
    # every threshold, comparison, output and deletion dies at 15 or 16; U -> A/P/F cannot; every
    # slip in a citation, a figure or a question link is killed by b12spec check (issue 11)
    meta = _metadata_mutants()
    assert meta > 0
    assert report["total"] == 15 + meta and report["killed"] == 12 + meta and report["survived"] == 3
    checked = [k for k in report["killed_by"] if k["scenario"] == "b12spec check"]
    assert len(checked) == meta and all(k["failure"].startswith("error: ") for k in checked)
    assert sorted(s["change"] for s in report["survivors"]) == [
        f"hit_policy: U -> {p} (hit policy changed)" for p in "AFP"
    ]
    killers = {k["change"]: k["scenario"] for k in report["killed_by"]}
    assert killers["age_years: < 16 -> < 15 (threshold nudged)"] == "Age group boundary: fifteen is a child"
    assert killers["age_years: >= 16 -> >= 17 (threshold nudged)"] == "Age group boundary: sixteen is an adult"
    score = (12 + meta) / (15 + meta)
    assert result.output.startswith(
        f"mutants: {15 + meta}  killed: {12 + meta}  proven equivalent: 0  survived: 3  score: {score:.1%}")
    assert "tables/age_group.yaml, hit_policy: U -> A (hit policy changed)" in result.output
    assert "the tables differ for: age_years=30" in result.output


def test_all_killed_or_proven_equivalent_passes_with_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def verifier(spec, original, mutated):
        return Verdict(mutated.hit_policy.value in "APF", None)

    monkeypatch.setattr(mutate_command, "equivalent", verifier)
    result, output = invoke(tmp_path, "--json", "--jobs", "2")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == json.loads(output.read_text(encoding="utf-8"))
    meta = _metadata_mutants()
    assert (printed["killed"], printed["equivalent"], printed["survived"], printed["score"]) == (12 + meta, 3, 0, 1.0)


def test_a_failing_baseline_aborts_with_a_clear_error(tmp_path: Path) -> None:
    wrong = AGE_FEATURE.replace('Then the age group is "Child (under 16 years, outside the scope of NICE NG239)"',
                                'Then the age group is "Adult (16 years or older, the scope of NICE NG239)"')
    result, output = invoke(tmp_path, feature_text=wrong)
    assert result.exit_code == 1
    assert "mutation testing aborted" in result.output
    assert "fifteen is a child" in result.output
    assert not output.exists()


def test_an_unknown_table_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--spec", str(SPEC_DIR), "mutate", "--table", "nope"])
    assert result.exit_code == 2
    assert "no decision table named nope" in result.output


def test_missing_or_empty_features_abort_with_a_clear_error(tmp_path: Path) -> None:
    base = ["--spec", str(SPEC_DIR), "mutate", "--output", str(tmp_path / "m.json"), "--features"]
    result = CliRunner().invoke(main, [*base, str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "cannot load the scenarios" in result.output
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, [*base, str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "no scenarios were found" in result.output
    assert not (tmp_path / "m.json").exists()
