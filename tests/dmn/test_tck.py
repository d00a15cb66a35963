"""The DMN TCK's decision-table cases (compliance level 2), run through import and evaluate."""

from __future__ import annotations

from pathlib import Path

import pytest

from b12spec.dmn.tck import TckModel, run_tck

from .conftest import TCK_DIR

# The models b12spec does not claim, and why: each one's refusal must name this element.
NOT_CLAIMED = {
    "0010-multi-output-U": "<defaultOutputEntry>",  # a default output under U: gaps are explicit rules
    "0106-feel-ternary-logic": "<literalExpression>",  # FEEL beyond decision tables
    "0107-feel-ternary-logic-not": "<literalExpression>",
    "0109-ruleOrder-hitpolicy": "<defaultOutputEntry>",  # a default output under R
    "0117-multi-any-hitpolicy": "<defaultOutputEntry>",  # a default output under A
}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[TckModel, ...]:
    assert TCK_DIR.is_dir(), f"the TCK cases are expected in {TCK_DIR}"
    return run_tck(TCK_DIR, tmp_path_factory.mktemp("tck"))


def test_every_claimed_tck_case_passes(models: tuple[TckModel, ...]) -> None:
    results = [r for m in models for r in m.results]
    failed = [r for r in results if not r.passed]
    claimed = [m for m in models if not m.refused]
    print(
        f"\nDMN TCK (level 2 decision tables): {len(results)} results of {len(claimed)} models checked, "
        f"{len(results) - len(failed)} passed, {len(failed)} failed; "
        f"{len(models) - len(claimed)} models not claimed:"
    )
    for model in models:
        if model.refused:
            print(f"  {model.name}: {model.refused.split('. b12spec imports')[0]}")
    assert not failed, [
        f"{r.model} {r.case} {r.decision}: expected {r.expected!r}, got {r.actual!r} {r.error}" for r in failed
    ]
    assert len(results) >= 40, "the TCK folders hold three cases per model"


def test_the_models_not_claimed_are_exactly_those_listed(models: tuple[TckModel, ...]) -> None:
    refused = {m.name: m.refused for m in models if m.refused}
    assert set(refused) == set(NOT_CLAIMED)
    for name, element in NOT_CLAIMED.items():
        assert element in refused[name]


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    """Proof that the comparison can fail: a copy of a TCK folder with one expected value changed."""
    source = TCK_DIR / "0004-simpletable-U"
    folder = tmp_path / source.name
    folder.mkdir()
    for path in source.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name.endswith("-test-01.xml"):
            text = text.replace(
                '<value xsi:type="xsd:string">Approved</value>', '<value xsi:type="xsd:string">Declined</value>', 1
            )
        (folder / path.name).write_text(text, encoding="utf-8")
    (model,) = run_tck(tmp_path, tmp_path / "work")
    assert [r.passed for r in model.results].count(False) == 1
