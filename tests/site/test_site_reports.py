"""Report files for the site: absent means "not run yet", unreadable is an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from b12spec.site.reports import ReportError, load_reports


def test_absent_reports_are_not_present(tmp_path: Path) -> None:
    reports = load_reports(tmp_path)
    assert not any(r.present for r in (reports.check, reports.coverage, reports.mutation, reports.scenarios))
    assert reports.scenario_list() == []
    assert "b12spec check" in reports.check.producer


def test_present_report_is_read(tmp_path: Path) -> None:
    (tmp_path / "scenario-results.json").write_text(json.dumps({"scenarios": [{"name": "x", "status": "passed"}]}))
    reports = load_reports(tmp_path)
    assert reports.scenarios.present and reports.scenario_list()[0]["name"] == "x"


@pytest.mark.parametrize("content", ["{broken", "[1, 2]", "\udcff"])
def test_unreadable_report_names_the_file(tmp_path: Path, content: str) -> None:
    (tmp_path / "mutation.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(ReportError, match=r"mutation\.json"):
        load_reports(tmp_path)
