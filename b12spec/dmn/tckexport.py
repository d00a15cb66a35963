"""The Gherkin scenarios as DMN TCK test-case files, so that any DMN engine runs b12spec's tests.

One file per feature (``<feature>-test-01.xml``, testCases.xsd) beside the exported model. A
test case is a scenario's patient case, every field given (null when not measured), and, for
each decision its Then steps checked, the result those steps passed on. A scenario that failed
is left out (its expectation is not known to hold), and so is one whose case b12spec refuses:
a TCK test case cannot say "refused before evaluation". The caller reports both counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from lxml import etree

from b12spec.dmn.names import TCK_NS, XSD_NS, XSI_NS
from b12spec.evaluate import Evaluation
from b12spec.model import Spec
from b12spec.scenarios import Scenario, ScenarioOutcome
from b12spec.unary import format_literal

Element = etree._Element
MODEL_FILE = "b12spec.dmn"


@dataclass(frozen=True)
class TckExport:
    files: dict[str, bytes]  # file name -> testCases document
    cases: int
    failed: tuple[str, ...]  # scenarios left out because they fail
    refused: tuple[str, ...]  # scenarios left out because their case is refused


def _tck(tag: str) -> str:
    return f"{{{TCK_NS}}}{tag}"


def export_tck(spec: Spec, scenarios: Sequence[Scenario], outcomes: Sequence[ScenarioOutcome]) -> TckExport:
    by_feature: dict[str, list[tuple[Scenario, ScenarioOutcome]]] = {}
    failed: list[str] = []
    refused: list[str] = []
    for scenario, outcome in zip(scenarios, outcomes, strict=True):
        label = f"{scenario.feature_file}: {scenario.name}"
        if not outcome.passed:
            failed.append(label)
        elif not outcome.evaluations or not outcome.asserted:
            refused.append(label)
        else:
            by_feature.setdefault(scenario.feature_file, []).append((scenario, outcome))
    files: dict[str, bytes] = {}
    count = 0
    for feature_file, entries in sorted(by_feature.items()):
        namespaces: dict[str | None, str] = {None: TCK_NS, "xsi": XSI_NS, "xsd": XSD_NS}
        root = etree.Element(_tck("testCases"), nsmap=namespaces)  # type: ignore[arg-type]  # the stubs omit the default namespace key None
        etree.SubElement(root, _tck("modelName")).text = MODEL_FILE
        labels = etree.SubElement(root, _tck("labels"))
        etree.SubElement(labels, _tck("label")).text = entries[0][0].feature
        etree.SubElement(labels, _tck("label")).text = "b12spec scenarios"
        for number, (scenario, outcome) in enumerate(entries, start=1):
            _test_case(root, spec, f"{number:03d}", scenario, outcome)
            count += 1
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        files[f"{PurePath(feature_file).stem}-test-01.xml"] = bytes(body)
    return TckExport(files, count, tuple(failed), tuple(refused))


def _test_case(root: Element, spec: Spec, case_id: str, scenario: Scenario, outcome: ScenarioOutcome) -> None:
    evaluation: Evaluation = outcome.evaluations[-1]  # the Then steps check the latest one
    element = etree.SubElement(root, _tck("testCase"))
    element.set("id", case_id)
    element.set("name", scenario.name)
    etree.SubElement(element, _tck("description")).text = f"{scenario.feature}: {scenario.name} (line {scenario.line})"
    for data_field in spec.dictionary.fields:
        node = etree.SubElement(element, _tck("inputNode"))
        node.set("name", data_field.name)
        _value(node, evaluation.case.values.get(data_field.name))
    for name in spec.order:
        if name not in outcome.asserted:
            continue
        node = etree.SubElement(element, _tck("resultNode"))
        node.set("name", name)
        node.set("type", "decision")
        expected = etree.SubElement(node, _tck("expected"))
        _result(expected, spec, name, evaluation.results[name].value)


def _result(parent: Element, spec: Spec, name: str, value: Any) -> None:
    """A decision's value as DMN shapes it: one output's value alone, several as components."""
    table = spec.table(name)
    if table.hit_policy.aggregated:
        _value(parent, value)
        return
    rows = value if isinstance(value, list) else None
    if rows is None:
        _row(parent, spec, name, value)
        return
    listed = etree.SubElement(parent, _tck("list"))
    for row in rows:
        _row(etree.SubElement(listed, _tck("item")), spec, name, row)


def _row(parent: Element, spec: Spec, name: str, row: dict[str, Any]) -> None:
    table = spec.table(name)
    if len(table.outputs) == 1:
        _value(parent, row[table.outputs[0].name])
        return
    for output in table.outputs:
        component = etree.SubElement(parent, _tck("component"))
        component.set("name", output.name)
        _value(component, row[output.name])


def _value(parent: Element, value: Any) -> None:
    element = etree.SubElement(parent, _tck("value"))
    if value is None:
        element.set(f"{{{XSI_NS}}}nil", "true")
        return
    if isinstance(value, bool):
        element.set(f"{{{XSI_NS}}}type", "xsd:boolean")
        element.text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        element.set(f"{{{XSI_NS}}}type", "xsd:decimal")
        element.text = format_literal(float(value))
    else:
        element.set(f"{{{XSI_NS}}}type", "xsd:string")
        element.text = str(value)
