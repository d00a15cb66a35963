"""The one edge for files: one parser per format, duplicate keys refused, atomic writes with the
file mode a plain open() gives (defect 2 of issue 9: reports were written 0600 whatever the umask)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from b12spec.errors import SpecError
from b12spec.safeload import DataFileError
from b12spec.site.examples import evaluate_example
from b12spec.workspace import load_spec, read_case, write_json, write_text


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_new_report_gets_the_mode_open_would_give(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_json(tmp_path / "reports" / "check.json", {"ok": True})
        (tmp_path / "plain.txt").write_text("x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "reports" / "check.json") == mode(tmp_path / "plain.txt") == 0o666 & ~umask


def test_rewriting_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    write_text(target, "one")
    target.chmod(0o640)
    write_text(target, "two")
    assert (mode(target), target.read_text(encoding="utf-8")) == (0o640, "two")


@pytest.mark.parametrize(
    ("name", "text"),
    [("twice.yaml", "age_years: 40\nsex: female\nage_years: 41\n"), ("twice.json", '{"a": 1, "a": 2}')],
)
def test_a_case_naming_a_field_twice_is_refused(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="given twice"):
        read_case(tmp_path / name)


def test_the_site_refuses_a_case_naming_a_field_twice_as_the_cli_does(spec, base_case, tmp_path: Path) -> None:
    """Defect 4 of issue 9: "Try a case" used its own reader, where the last value won."""
    lines = [f"{key}: {str(value).lower()}" for key, value in base_case.items()]
    path = tmp_path / "twice.yaml"
    path.write_text("\n".join([*lines, "age_years: 70"]) + "\n", encoding="utf-8")
    result = evaluate_example(spec, path, "examples/twice.yaml")
    assert result.result is None
    assert result.error is not None and "'age_years' is given twice" in result.error


def test_a_spec_file_naming_a_key_twice_is_a_problem_of_that_file(spec_copy: Path) -> None:
    meta = spec_copy / "tables" / "b12_status.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "hit_policy: U\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(spec_copy)
    assert any(p.file == "tables/b12_status.yaml" and "given twice" in p.message for p in caught.value.problems)
