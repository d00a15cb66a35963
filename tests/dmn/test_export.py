"""The exported DMN model: valid by the OMG schema, deterministic, and complete."""

from __future__ import annotations

import pytest
from lxml import etree

from b12spec.dmn.export import ExportError, export_dmn
from b12spec.dmn.names import DC_NS, DMNDI_NS, HIT_POLICIES, dmn
from b12spec.dmn.reader import parse_xml
from b12spec.dmn.schema import DMN_SCHEMA, SCHEMA_DIR, schema_errors
from b12spec.model import Rule, Spec


def test_the_schemas_are_there() -> None:
    assert (SCHEMA_DIR / DMN_SCHEMA).exists(), f"the OMG schemas are expected in {SCHEMA_DIR}"


def test_the_export_is_valid_by_dmn13_xsd(exported: bytes) -> None:
    assert schema_errors(exported) == []


def test_the_validator_rejects_what_the_schema_forbids(exported: bytes) -> None:
    """Proof that the validation is real: a wrong hit policy and a misplaced element are caught."""
    broken = exported.replace(b'hitPolicy="UNIQUE"', b'hitPolicy="UNIQUELY"', 1)
    assert any("hitPolicy" in e for e in schema_errors(broken))
    root = parse_xml(exported)
    decision = root.find(dmn("decision"))
    assert decision is not None
    decision.insert(0, etree.Element(dmn("rule")))
    assert schema_errors(etree.tostring(root)) != []


def test_the_export_is_deterministic(spec: Spec, exported: bytes) -> None:
    assert export_dmn(spec) == exported


def test_a_decision_per_table_with_its_hit_policy(spec: Spec, exported: bytes) -> None:
    root = parse_xml(exported)
    decisions = {d.get("name"): d for d in root.findall(dmn("decision"))}
    assert set(decisions) == {t.name for t in spec.tables}
    for table in spec.tables:
        body = decisions[table.name].find(dmn("decisionTable"))
        assert body is not None
        policy, aggregation = HIT_POLICIES[table.hit_policy]
        assert (body.get("hitPolicy"), body.get("aggregation")) == (policy, aggregation)
        assert [i.get("label") for i in body.findall(dmn("input"))] == [c.label for c in table.inputs]
        for clause, output in zip(body.findall(dmn("output")), table.outputs, strict=True):
            assert clause.get("name") == output.name
            if output.values:  # in priority order, as P and O rank them
                assert clause.findtext(f"{dmn('outputValues')}/{dmn('text')}") == ", ".join(
                    f'"{v}"' for v in output.values
                )


def test_every_rule_keeps_its_id_entries_and_annotations(spec: Spec, exported: bytes) -> None:
    root = parse_xml(exported)
    rules = {r.get("id"): r for r in root.iter(dmn("rule"))}
    assert len(rules) == sum(len(t.rules) for t in spec.tables)
    for table in spec.tables:
        for rule in table.rules:
            element = rules[rule.id]
            entries = [e.findtext(dmn("text")) for e in element.findall(dmn("inputEntry"))]
            assert entries == [str(test) for test in rule.inputs]
            notes = [e.findtext(dmn("text")) or "" for e in element.findall(dmn("annotationEntry"))]
            assert notes == ["; ".join(rule.citations), "; ".join(rule.open_questions), rule.annotation]


def test_input_data_requirements_and_knowledge_sources(spec: Spec, exported: bytes) -> None:
    root = parse_xml(exported)
    assert [i.get("name") for i in root.findall(dmn("inputData"))] == list(spec.dictionary.names)
    assert [k.get("label") for k in root.findall(dmn("knowledgeSource"))] == [s.id for s in spec.sources]
    ids = {e.get("id"): e.get("name") for e in root if isinstance(e.tag, str) and e.get("id")}
    for table in spec.tables:
        decision = next(d for d in root.findall(dmn("decision")) if d.get("name") == table.name)
        required = [ids[ref.get("href", "#")[1:]] for ref in decision.iter(dmn("requiredDecision"))]
        assert required == list(table.required_decisions)
        inputs = {ids[ref.get("href", "#")[1:]] for ref in decision.iter(dmn("requiredInput"))}
        assert inputs == {c.expression for c in table.inputs if spec.dictionary.get(c.expression)}
        authorities = {ids[ref.get("href", "#")[1:]] for ref in decision.iter(dmn("requiredAuthority"))}
        cited = {c for rule in table.rules for c in rule.citations}
        assert authorities == {s.title for s in spec.sources if s.id in cited}


def test_a_single_output_decision_is_referenced_by_its_name(spec: Spec, exported: bytes) -> None:
    """DMN gives a one-output decision its value itself: downstream reads `age_group`, not `.group`."""
    root = parse_xml(exported)
    expressions = {e.findtext(dmn("text")) for e in root.iter(dmn("inputExpression"))}
    single = [
        t for t in spec.tables if len(t.outputs) == 1 and any(t.name in c.required_decisions for c in spec.tables)
    ]
    assert single, "the spec has a one-output decision that another reads"
    for table in single:
        assert table.name in expressions
        assert f"{table.name}.{table.outputs[0].name}" not in expressions


def test_a_rule_id_that_cannot_be_an_xml_id_is_refused(spec: Spec) -> None:
    table = spec.tables[0]
    rule = table.rules[0]
    renamed = Rule("1 bad id", rule.row, rule.inputs, rule.outputs, rule.citations)
    changed = type(table)(**{**table.__dict__, "rules": (renamed, *table.rules[1:])})
    broken = type(spec)(**{**spec.__dict__, "tables": (changed, *spec.tables[1:])})
    with pytest.raises(ExportError, match="'1 bad id' cannot be a DMN rule id"):
        export_dmn(broken)


def test_the_diagram_draws_every_element_and_requirement(exported: bytes) -> None:
    """DMNDI: a shape per input data, decision and knowledge source, an edge per requirement."""
    root = parse_xml(exported)
    drawn = {s.get("dmnElementRef") for s in root.iter(f"{{{DMNDI_NS}}}DMNShape")}
    elements = {e.get("id") for tag in ("inputData", "decision", "knowledgeSource") for e in root.findall(dmn(tag))}
    assert drawn == elements
    edges = {e.get("dmnElementRef") for e in root.iter(f"{{{DMNDI_NS}}}DMNEdge")}
    requirements = {
        r.get("id") for tag in ("informationRequirement", "authorityRequirement") for r in root.iter(dmn(tag))
    }
    assert edges == requirements
    boxes = [tuple(int(b.get(k, "0")) for k in ("x", "y", "width", "height")) for b in root.iter(f"{{{DC_NS}}}Bounds")]
    for i, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, "two shapes overlap"
