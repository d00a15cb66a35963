"""The readable summary and the JSON result: every recommendation carries its rule ids and citations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from b12spec.evaluate import Evaluation, evaluate
from b12spec.model import Spec
from b12spec.report import SECTIONS, evaluation_to_dict, render_text


@pytest.fixture
def deficient(spec: Spec, base_case: dict) -> Evaluation:
    case: dict[str, Any] = {
        **base_case,
        "total_b12": {"value": 100, "unit": "pmol/L"},
        "neurological_involvement": True,
        "pernicious_anaemia": True,
        "plan": {"treatment_timing": "deferred"},
    }
    return evaluate(spec, case)


def test_every_table_belongs_to_a_report_section(spec: Spec) -> None:
    """A table whose section the report does not know would be computed but never shown."""
    known = {section for section, _ in SECTIONS}
    assert {t.section for t in spec.tables} <= known


def test_text_shows_each_kept_rule_with_its_citations(spec: Spec, deficient: Evaluation) -> None:
    text = render_text(spec, deficient, case_name="patient.yaml")
    assert "Case: patient.yaml" in text
    for heading in (h for _, h in SECTIONS):
        assert heading.upper() in text
    lines = text.splitlines()
    for name, result in deficient.results.items():
        table = spec.table(name)
        for hit in result.hits:
            for column in table.outputs:
                label = column.label_of(hit.outputs[column.name])
                # the same recommendation from two rules is printed once, with the first rule
                printed = [line for line in lines if f"{column.label}: {label}  [" in line]
                assert printed, (name, hit.rule, label)
                if table.hit_policy.single_hit:
                    assert f"[{hit.rule}; ref " in printed[0]
                    cited = printed[0].split("; ref ", 1)[1]
                    for citation in hit.citations:
                        assert citation in cited


def test_text_shows_the_unit_given_and_the_canonical_value(spec: Spec, deficient: Evaluation) -> None:
    text = render_text(spec, deficient)
    inputs = text.splitlines()[1]
    assert inputs.startswith("Inputs: ")
    assert f"total_b12 = {100 / 0.738:.6g} ng/L (given as 100 pmol/L)" in inputs


def test_text_lists_the_references_cited_and_the_disclaimer(spec: Spec, deficient: Evaluation) -> None:
    text = render_text(spec, deficient)
    references = text.split("\nREFERENCES\n", 1)[1]
    cited = {c for r in deficient.results.values() for h in r.hits for c in h.citations}
    for source in spec.sources:
        line = f"[{source.id}] {source.title}"
        assert (line in references) is (source.id in cited)
        if source.id in cited and not source.in_source:
            assert f"{line} [beyond the source]" in references
    closing = text.rstrip().splitlines()[-2:]
    assert closing[0] == spec.guideline.disclaimer.strip()
    assert closing[1].startswith("Source review status: ") and "pending human review" in closing[1]


def test_text_lists_open_questions_with_their_rules(spec: Spec, deficient: Evaluation) -> None:
    text = render_text(spec, deficient)
    asked = {q for r in deficient.results.values() for q in r.open_questions}
    assert asked, "the source is silent on parts of this case"
    section = text.split("(open questions)\n", 1)[1]
    for question in asked:
        assert f"  {question} " in section


def test_a_pitfall_is_flagged(spec: Spec, deficient: Evaluation) -> None:
    pitfalls = deficient.results["pitfalls"]
    assert pitfalls.hits, "deferring treatment despite neurological signs is a pitfall"
    warnings = render_text(spec, deficient).split("WARNINGS ON THE PROPOSED PLAN", 1)[1]
    assert any(line.startswith("  !!! critical - Warning: Pitfall 1") for line in warnings.splitlines())


def _severities_printed(text: str, message: str) -> set[str]:
    """The severity marks printed before ``message`` anywhere in the report ('-': none)."""
    found = set()
    for line in text.splitlines():
        head, sep, _ = line.partition(f"{message}  [")
        if sep:
            found.add(head.strip().split(" - ")[0].split(":")[0].strip())
    return found


def test_every_warning_has_the_same_severity_wherever_the_report_prints_it(spec: Spec, base_case: dict) -> None:
    """QA finding: pitfalls 1 and 2 were critical in the WARNINGS list but '! Warning' in their
    section, and 'no plan given' was information above and a warning below."""
    plan = {"treatment_timing": "deferred", "folic_acid_alone": True, "cause_investigated": False,
            "follow_up_scheduled": False, "injection_titration": "serum_b12"}
    cases = [
        {**base_case, "age_years": 70, "sex": "female", "total_b12": {"value": 110, "unit": "ng/L"},
         "neurological_involvement": True, "severe_neurological_symptoms": False, "untreated_months": 4,
         "pernicious_anaemia": True, "plan": plan},
        {**base_case, "total_b12": {"value": 110, "unit": "ng/L"}},
        {**base_case, "total_b12": {"value": 110, "unit": "ng/L"}, "pregnant": True, "sex": "female"},
    ]
    seen = set()
    for case in cases:
        evaluation = evaluate(spec, case)
        text = render_text(spec, evaluation)
        for warning in evaluation_to_dict(spec, evaluation)["warnings"]:
            mark = {"critical": "!!! critical", "warning": "! warning", "info": "i info"}[warning["severity"]]
            assert _severities_printed(text, warning["message"]) == {mark}, warning["message"]
            assert text.count(f"{warning['message']}  [") == 2, "once in the list, once in its section"
            seen.add(warning["severity"])
    assert seen == {"critical", "warning", "info"}


def test_json_is_plain_data_with_citations(spec: Spec, deficient: Evaluation) -> None:
    data = evaluation_to_dict(spec, deficient)
    assert json.loads(json.dumps(data)) == data, "serialisable without a fallback encoder"
    assert data["guideline"] == {"title": spec.guideline.title, "version": spec.guideline.version}
    assert data["given_units"] == {"total_b12": {"value": 100, "unit": "pmol/L"}}
    assert data["case"]["total_b12"] == deficient.case["total_b12"]
    cited = {c for r in deficient.results.values() for h in r.hits for c in h.citations}
    assert {c["id"] for c in data["citations"]} == cited & {s.id for s in spec.sources}
    for name, decision in data["decisions"].items():
        result = deficient.results[name]
        assert decision["matched_rules"] == list(result.matched)
        assert decision["selected_rules"] == [h.rule for h in result.hits]
        assert decision["hit_policy"] == spec.table(name).hit_policy.value
        assert len(decision["entries"]) == len(result.hits) * len(spec.table(name).outputs)
    for question in data["open_questions"]:
        for rule_id in question["rules"]:
            _, rule = spec.rule(rule_id)
            assert question["id"] in rule.open_questions


def test_a_recommendation_given_by_several_rules_cites_every_rule(spec: Spec, base_case: dict) -> None:
    import dataclasses

    table = spec.table("risk_groups")
    twin = dataclasses.replace(table.rule("RG-07"), id="RG-99", outputs=table.rule("RG-06").outputs)
    tables = tuple(
        dataclasses.replace(t, rules=(*t.rules, twin)) if t.name == "risk_groups" else t for t in spec.tables
    )
    doubled = dataclasses.replace(spec, tables=tables)
    case = {**base_case, "total_b12": {"value": 150, "unit": "ng/L"}, "crohns_disease": True,
            "other_malabsorption": True}
    evaluation = evaluate(doubled, case)
    kept = [h.rule for h in evaluation.results["risk_groups"].hits if h.outputs["risk_group"] == "crohns_disease"]
    assert kept == ["RG-06", "RG-99"]
    label = table.output("risk_group").label_of("crohns_disease")
    line = next(x for x in render_text(doubled, evaluation).splitlines() if label in x)
    assert all(rule in line for rule in kept)


def test_a_table_in_an_unknown_section_is_still_shown(spec: Spec, base_case: dict) -> None:
    import dataclasses

    moved = dataclasses.replace(spec.table("monitoring"), section="follow-up")
    other = dataclasses.replace(spec, tables=tuple(moved if t.name == "monitoring" else t for t in spec.tables))
    evaluation = evaluate(other, {**base_case, "total_b12": {"value": 150, "unit": "ng/L"}})
    text = render_text(other, evaluation)
    assert "OTHER DECISIONS (FOLLOW-UP)" in text
    assert "MO-01" in text.split("OTHER DECISIONS (FOLLOW-UP)")[1]


def test_a_reference_whose_work_is_inferred_says_so_in_text_and_json(spec: Spec, deficient: Evaluation) -> None:
    """The source cites numbers 1 to 4 but names two works, unnumbered: which is which is b12spec's reading."""
    inferred = {s.id for s in spec.sources if s.inferred}
    data = evaluation_to_dict(spec, deficient)
    cited = {c["id"]: c["attribution"] for c in data["citations"]}
    assert inferred & set(cited), "the example cites no inferred reference; the test would prove nothing"
    assert all((attribution == "inferred") == (c in inferred) for c, attribution in cited.items())
    lines = render_text(spec, deficient).split("REFERENCES", 1)[1].splitlines()
    for c in cited:
        line = next(line for line in lines if line.strip().startswith(f"[{c}]"))
        assert ("inferred" in line) == (c in inferred), line
