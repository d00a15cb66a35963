"""The DMN TCK's test cases run through import and evaluate, each compared with its expected result.

A TCK folder holds one model (``.dmn``) and its test cases (``*-test-*.xml``, testCases.xsd).
The model is imported into a spec directory, loaded like any spec, and every test case is
evaluated as a patient case would be. A model b12spec refuses to import (FEEL beyond decision
tables) is reported with the refusal as the reason, never silently left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from b12spec.dmn.importer import DmnImportError, import_dmn
from b12spec.dmn.names import TCK_NS, XSI_NS
from b12spec.dmn.reader import parse_xml
from b12spec.dmn.spec_files import write_spec_files
from b12spec.errors import B12SpecError
from b12spec.evaluate import evaluate
from b12spec.model import Spec
from b12spec.workspace import load_spec

Element = etree._Element


@dataclass(frozen=True)
class TckResult:
    """One expected result of one test case, and what b12spec gave."""

    model: str
    case: str
    decision: str
    expected: Any
    actual: Any
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and same_value(self.expected, self.actual)


@dataclass(frozen=True)
class TckModel:
    """A TCK folder: its results, or the reason b12spec does not claim it."""

    name: str
    results: tuple[TckResult, ...] = ()
    refused: str = ""


def _tck(tag: str) -> str:
    return f"{{{TCK_NS}}}{tag}"


def read_value(element: Element) -> Any:
    """A testCases.xsd valueType: a typed simple value, components (a context) or a list."""
    value = element.find(_tck("value"))
    if value is not None:
        if value.get(f"{{{XSI_NS}}}nil") == "true":
            return None
        kind = (value.get(f"{{{XSI_NS}}}type") or "xsd:string").split(":")[-1]
        text = value.text or ""
        if kind == "boolean":
            return text.strip() == "true"
        if kind in ("decimal", "double", "float", "integer", "int", "long"):
            return float(text)
        return text
    listed = element.find(_tck("list"))
    if listed is not None:
        return [read_value(item) for item in listed.findall(_tck("item"))]
    components = element.findall(_tck("component"))
    if components:
        return {c.get("name", ""): read_value(c) for c in components}
    return None


def same_value(expected: Any, actual: Any) -> bool:
    """FEEL equality on what a decision table gives: numbers by value, contexts and lists deep."""
    if isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return expected == float(actual)
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return expected.keys() == actual.keys() and all(same_value(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(same_value(e, a) for e, a in zip(expected, actual, strict=True))
    return type(expected) is type(actual) and bool(expected == actual)


def decision_value(spec: Spec, decision: str, value: Any) -> Any:
    """b12spec's result in DMN's shape: a single output's value alone, not a context around it."""
    table = spec.table(decision)
    if table.hit_policy.aggregated or len(table.outputs) != 1:
        return value
    name = table.outputs[0].name
    if isinstance(value, list):
        return [row[name] for row in value]
    return value[name]


def run_model(folder: Path, work_dir: Path) -> TckModel:
    """Import the folder's model into ``work_dir`` and run every test case of every test file."""
    model_files = sorted(folder.glob("*.dmn"))
    if len(model_files) != 1:
        return TckModel(folder.name, refused=f"expected one .dmn file, found {len(model_files)}")
    model_file = model_files[0]
    try:
        files = import_dmn(model_file.read_bytes(), model_file.name)
    except DmnImportError as error:
        return TckModel(folder.name, refused=str(error))
    write_spec_files(files, work_dir)
    spec = load_spec(work_dir)
    results: list[TckResult] = []
    for test_file in sorted(folder.glob("*-test-*.xml")):
        root = parse_xml(test_file.read_bytes())
        for case in root.findall(_tck("testCase")):
            results.extend(_run_case(spec, folder.name, case))
    return TckModel(folder.name, tuple(results))


def _run_case(spec: Spec, model: str, case: Element) -> list[TckResult]:
    inputs = {node.get("name", ""): read_value(node) for node in case.findall(_tck("inputNode"))}
    for name, value in inputs.items():
        data_field = spec.dictionary.get(name)
        if data_field is not None and data_field.unit_required and isinstance(value, float):
            inputs[name] = {"value": value, "unit": data_field.unit}  # a DMN number is in the canonical unit
    case_id = case.get("id", "")
    wanted = case.findall(_tck("resultNode"))
    try:
        evaluation = evaluate(spec, {k: v for k, v in inputs.items() if v is not None})
    except B12SpecError as error:
        return [
            TckResult(model, case_id, node.get("name", ""), _expected(node), None, f"{type(error).__name__}: {error}")
            for node in wanted
        ]
    results = []
    for node in wanted:
        name = node.get("name", "")
        if name not in evaluation.results:
            results.append(TckResult(model, case_id, name, _expected(node), None, f"no decision named {name!r}"))
            continue
        actual = decision_value(spec, name, evaluation.results[name].value)
        results.append(TckResult(model, case_id, name, _expected(node), actual))
    return results


def _expected(node: Element) -> Any:
    expected = node.find(_tck("expected"))
    return None if expected is None else read_value(expected)


def run_tck(tck_dir: Path, work_dir: Path) -> tuple[TckModel, ...]:
    """Every folder of a TCK directory, in name order."""
    return tuple(
        run_model(folder, work_dir / folder.name) for folder in sorted(p for p in tck_dir.iterdir() if p.is_dir())
    )
