"""`b12spec evaluate`: exit codes 0/1/2, a cited summary, --json, and no recommendation on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from b12spec.cli import main
from b12spec.evaluate import evaluate
from b12spec.model import Spec

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO / "spec"
EXAMPLE = REPO / "examples" / "neurological-deficiency.yaml"

# Headings that only a recommendation prints; none may appear when a case is refused.
RECOMMENDATION_MARKERS = ("DIAGNOSIS", "TREATMENT PLAN", "REFERENCES", "Deficiency confirmed")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["--spec", str(SPEC_DIR), *args])


def write_case(tmp_path: Path, case: Any, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(case) if name.endswith(".yaml") else json.dumps(case), encoding="utf-8")
    return path


def test_a_valid_example_prints_rule_ids_and_citations(spec: Spec) -> None:
    result = run("evaluate", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    evaluation = evaluate(spec, yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    for rule_id in evaluation.fired_rules:
        assert rule_id in result.stdout, rule_id
    assert "REFERENCES" in result.stdout
    cited = {c for r in evaluation.results.values() for h in r.hits for c in h.citations}
    for source in spec.sources:
        if source.id in cited:
            assert f"[{source.id}] {source.title}" in result.stdout
    assert spec.guideline.disclaimer in result.stdout
    assert result.stderr == ""


def test_json_output_is_the_full_cited_result(spec: Spec) -> None:
    result = run("evaluate", "--json", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["decisions"]) == {t.name for t in spec.tables}
    assert data["citations"], "the JSON lists the references it cites"
    assert {c["id"] for c in data["citations"]} <= {s.id for s in spec.sources}
    for decision in data["decisions"].values():
        for entry in decision["entries"]:
            assert entry["rule"] in decision["selected_rules"]
            assert entry["citations"]
    assert data["decisions"]["b12_status"]["inputs"]["total_b12"] == 150


def test_a_json_case_file_is_accepted(tmp_path: Path, base_case: dict) -> None:
    path = write_case(tmp_path, {**base_case, "total_b12": {"value": 190, "unit": "ng/L"}}, "case.json")
    result = run("evaluate", str(path))
    assert result.exit_code == 0, result.output
    assert "Indeterminate" in result.stdout


INVALID = [
    ("negative B12", {"total_b12": {"value": -5, "unit": "ng/L"}}, "total_b12", "from 0 to 20000"),
    ("unknown unit", {"total_b12": {"value": 200, "unit": "mg/dL"}}, "total_b12.unit", "ng/L, pg/mL, pmol/L"),
    ("missing unit", {"total_b12": 200}, "total_b12", "unit must be given"),
    ("unknown field", {"total_b21": 200}, "total_b21", "did you mean 'total_b12'?"),
    ("male and pregnant", {"sex": "male", "pregnant": True}, "sex + pregnant", "CX-01"),
    ("age 240", {"age_years": 240}, "age_years", "from 0 to 125"),
    ("text for a number", {"age_years": "forty"}, "age_years", "a number from 0 to 125"),
    ("wrong boolean", {"pregnant": "yes"}, "pregnant", "true or false"),
    ("wrong enum", {"sex": "M"}, "sex", '"female", "male", "other"'),
    ("missing required", {"sex": None}, "sex", "required"),
]


@pytest.mark.parametrize(("label", "change", "field", "allowed"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_case_exits_1_without_a_recommendation(
    tmp_path: Path, base_case: dict, label: str, change: dict, field: str, allowed: str
) -> None:
    path = write_case(tmp_path, {**base_case, **change})
    result = run("evaluate", str(path))
    assert result.exit_code == 1, result.output
    assert f"{field}: got " in result.stderr or f"{field}: not given" in result.stderr
    assert allowed in result.stderr
    assert "no recommendation is given" in result.stderr
    assert result.stdout == ""
    for marker in RECOMMENDATION_MARKERS:
        assert marker not in result.output


@pytest.mark.parametrize(("label", "change", "field", "allowed"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_case_with_json_reports_the_problem_only(
    tmp_path: Path, base_case: dict, label: str, change: dict, field: str, allowed: str
) -> None:
    path = write_case(tmp_path, {**base_case, **change})
    result = run("evaluate", "--json", str(path))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"format_version", "error", "problems"}
    assert any(p["field"] == field and allowed in p["allowed"] for p in data["problems"])


def test_unreadable_case_file_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("age_years: [unclosed\n", encoding="utf-8")
    result = run("evaluate", str(path))
    assert result.exit_code == 1
    assert "cannot be read as a case" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("twice.yaml", "age_years: 40\nsex: female\nage_years: 41\n"),
        ("twice.json", '{"age_years": 40, "sex": "female", "age_years": 41}'),
        ("nested.yaml", "plan:\n  folic_acid_alone: false\n  folic_acid_alone: true\n"),
    ],
)
def test_a_field_given_twice_is_refused_not_last_one_wins(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run("evaluate", str(path))
    assert result.exit_code == 1
    assert "is given twice" in result.stderr
    assert result.stdout == ""


def test_a_case_file_that_is_not_utf8_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"\xff\xfeage_years: 45\n")
    result = run("evaluate", str(path))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot be read as a case" in result.stderr
    assert result.stdout == ""


def test_an_invalid_spec_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, broken)
    meta = broken / "tables" / "b12_status.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("hit_policy: P", "hit_policy: Q"), encoding="utf-8")
    result = CliRunner().invoke(main, ["--spec", str(broken), "evaluate", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "hit_policy': Input should be 'U'" in result.stderr and "got 'Q'" in result.stderr
    assert "tables/b12_status.yaml" in result.stderr
    assert result.stdout == ""


def test_a_case_file_that_does_not_exist_is_invalid_input_not_a_usage_error() -> None:
    result = run("evaluate", "no-such-case.yaml")
    assert result.exit_code == 1, result.output
    assert "no-such-case.yaml cannot be read as a case" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate"],
        ["evaluate", "--no-such-option", str(EXAMPLE)],
        ["no-such-command"],
        ["evaluate", str(EXAMPLE), str(EXAMPLE)],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr
    for marker in RECOMMENDATION_MARKERS:
        assert marker not in result.output


def test_the_console_script_runs_the_readme_command() -> None:
    """The installed entry point, as a real process: exit status and output as a user sees them."""
    script = Path(sys.executable).parent / "b12spec"
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from b12spec.cli import main; main()"]
    done = subprocess.run(
        [*command, "--spec", str(SPEC_DIR), "evaluate", str(EXAMPLE)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "DIAGNOSIS" in done.stdout and "REFERENCES" in done.stdout


def test_evaluate_loads_only_what_it_uses() -> None:
    """Commands are imported when they run: evaluating a case never loads the cohort engines,
    the site builder or the prover, and every command is still listed and runs."""
    code = (
        "import sys; from b12spec.cli import main\n"
        f"try:\n    main(['--spec', {str(SPEC_DIR)!r}, 'evaluate', {str(EXAMPLE)!r}])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ['pandas', 'duckdb', 'pyspark', 'jinja2', 'playwright', 'z3', 'b12spec.commands.cohort']\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120,
                          check=False)
    assert "DIAGNOSIS" in done.stdout, done.stderr
    assert "LOADED []" in done.stdout, done.stdout.splitlines()[-1]
    listed = run("--help").output
    for name in ("check", "cohort", "coverage", "docs", "evaluate", "export", "import", "impact", "mutate", "schema",
                 "signoff", "status", "trace"):
        assert f"  {name} " in listed, name
    assert run("no-such-command").exit_code == 2


@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["coverage", "--quiet"]])
def test_an_output_path_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path, command: list[str]) -> None:
    """`check --output` under a path that cannot exist raised FileNotFoundError from mkdir (found by
    the independent issue-16 harness). The command line names the path; --json keeps stdout JSON."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run(*command, "--output", str(blocker / "report.json"))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "cannot read or write a file" in result.stderr and "a-file" in result.stderr
    if "--json" in command:
        assert "a-file" in json.loads(result.stdout)["error"]


def test_an_output_that_is_not_a_regular_file_is_not_replaced(tmp_path: Path) -> None:
    """The atomic writer renamed its temporary file over the target: as root, `export dmn -o
    /dev/full` replaced the device with a plain file. A pipe stands in for the device here."""
    import os
    import stat

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = run("export", "dmn", "-o", str(pipe))
    assert result.exit_code == 1, result.output
    assert "is not a regular file" in result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)
