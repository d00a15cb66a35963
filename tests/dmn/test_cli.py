"""The DMN commands through the CLI: files written, exit codes, refusals on standard error."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from b12spec.cli import main
from b12spec.dmn.schema import schema_errors

from .conftest import REPO, TCK_DIR


def test_export_import_export_through_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    first = tmp_path / "first.dmn"
    result = runner.invoke(main, ["--spec", str(REPO / "spec"), "export", "dmn", "-o", str(first)])
    assert result.exit_code == 0, result.output
    assert schema_errors(first.read_bytes()) == []
    result = runner.invoke(main, ["import", "dmn", str(first), "-o", str(tmp_path / "spec")])
    assert result.exit_code == 0, result.output
    assert "imported" in result.output
    result = runner.invoke(main, ["--spec", str(tmp_path / "spec"), "export", "dmn"])
    assert result.exit_code == 0
    assert result.stdout_bytes == first.read_bytes()


def test_import_of_an_unsupported_model_exits_1_naming_the_element(tmp_path: Path) -> None:
    model = TCK_DIR / "0106-feel-ternary-logic" / "0106-feel-ternary-logic.dmn"
    result = CliRunner().invoke(main, ["import", "dmn", str(model), "-o", str(tmp_path / "spec")])
    assert result.exit_code == 1
    assert "<literalExpression> in decision 'DecisionAnd' is not supported" in result.stderr
    assert not (tmp_path / "spec").exists(), "nothing is written for a refused model"


def test_export_tck_writes_the_model_and_the_test_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--spec", str(REPO / "spec"), "export", "tck", "-o", str(tmp_path), "--features", str(REPO / "features")],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b12spec.dmn").exists()
    assert len(list(tmp_path.glob("*-test-01.xml"))) >= 5
    assert "test case(s)" in result.output
