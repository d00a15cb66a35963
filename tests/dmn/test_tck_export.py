"""``export tck``: the scenarios as TCK test cases, valid by testCases.xsd, passing when run back."""

from __future__ import annotations

from pathlib import Path

import pytest

from b12spec.dmn.export import export_dmn
from b12spec.dmn.schema import TCK_SCHEMA, schema_errors
from b12spec.dmn.tck import run_model
from b12spec.dmn.tckexport import MODEL_FILE, TckExport, export_tck
from b12spec.model import Spec
from b12spec.scenarios import run_scenarios
from b12spec.workspace import load_scenarios

from .conftest import REPO


@pytest.fixture(scope="module")
def tck_export(spec: Spec) -> TckExport:
    scenarios = load_scenarios(REPO / "features")
    return export_tck(spec, scenarios, run_scenarios(spec, scenarios))


def test_every_test_file_is_valid_by_testcases_xsd(tck_export: TckExport) -> None:
    assert tck_export.files
    for name, body in tck_export.files.items():
        assert schema_errors(body, TCK_SCHEMA) == [], name


def test_the_exported_tests_pass_when_run_through_import(spec: Spec, tck_export: TckExport, tmp_path: Path) -> None:
    folder = tmp_path / "tck"
    folder.mkdir()
    (folder / MODEL_FILE).write_bytes(export_dmn(spec))
    for name, body in tck_export.files.items():
        (folder / name).write_bytes(body)
    model = run_model(folder, tmp_path / "work")
    failed = [r for r in model.results if not r.passed]
    print(
        f"\nexport tck: {tck_export.cases} test cases ({len(model.results)} decision results) from the scenarios, "
        f"{len(tck_export.refused)} scenarios left out (case refused), {len(tck_export.failed)} failing"
    )
    assert not model.refused
    assert not failed, failed[:3]
    assert not tck_export.failed
    assert tck_export.cases > 100
