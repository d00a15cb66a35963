"""Export, import, export again: the same bytes; and the imported spec answers as the original."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from b12spec.dmn.export import export_dmn
from b12spec.dmn.generate import random_cases
from b12spec.dmn.importer import import_dmn
from b12spec.dmn.spec_files import SpecDirectoryError, write_spec_files
from b12spec.evaluate import evaluate_case
from b12spec.model import Spec
from b12spec.workspace import load_spec


@pytest.fixture(scope="module")
def imported(exported: bytes, tmp_path_factory: pytest.TempPathFactory) -> Spec:
    target = tmp_path_factory.mktemp("imported") / "spec"
    write_spec_files(import_dmn(exported, "b12spec.dmn"), target)
    return load_spec(target)


def test_export_import_export_is_byte_identical(exported: bytes, imported: Spec) -> None:
    again = export_dmn(imported)
    assert again == exported, "the second export differs from the first"


def test_the_imported_spec_keeps_the_model(spec: Spec, imported: Spec) -> None:
    assert imported.dictionary.fields == spec.dictionary.fields
    assert imported.dictionary.contradictions == spec.dictionary.contradictions
    assert imported.sources == spec.sources
    assert imported.open_questions == spec.open_questions
    for table in spec.tables:
        other = imported.table(table.name)
        assert (other.title, other.purpose, other.hit_policy, other.section) == (
            table.title,
            table.purpose,
            table.hit_policy,
            table.section,
        )
        assert other.inputs == table.inputs
        assert other.outputs == table.outputs
        assert [(r.id, r.inputs, r.outputs, r.citations, r.open_questions, r.annotation) for r in other.rules] == [
            (r.id, r.inputs, r.outputs, r.citations, r.open_questions, r.annotation) for r in table.rules
        ]


def test_import_then_evaluate_gives_the_same_answers(spec: Spec, imported: Spec) -> None:
    cases = list(itertools.islice(random_cases(spec, seed=11), 500))
    for case in cases:
        ours = evaluate_case(spec, case)
        theirs = evaluate_case(imported, case)
        for name, result in ours.results.items():
            assert theirs.results[name].value == result.value, (name, dict(case.values))
            assert theirs.results[name].matched == result.matched
    print(f"\nimport then evaluate: {len(cases)} generated cases, every decision the same")


def test_an_import_never_overwrites_a_spec(exported: bytes, tmp_path: Path) -> None:
    (tmp_path / "guideline.yaml").write_text("kept", encoding="utf-8")
    with pytest.raises(SpecDirectoryError, match="not empty"):
        write_spec_files(import_dmn(exported), tmp_path)
    assert (tmp_path / "guideline.yaml").read_text(encoding="utf-8") == "kept"
