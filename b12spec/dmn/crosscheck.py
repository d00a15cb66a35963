"""An independent DMN engine, pyDMNrules, runs the exported model; b12spec must agree with it.

pyDMNrules (PyPI) has its own DMN XML reader, its own S-FEEL interpreter (pySFeel) and its own
hit policies: nothing is shared with b12spec but the exported file. It was chosen over writing
a table evaluator around a FEEL library (feelin on npm, say) because then the hit policies and
the decision graph would be b12spec's own code twice; its cost is speed (tens of milliseconds
per case), so the test runs a representative subset and ``benchmarks/dmn_crosscheck.py`` the
full generated set.

pyDMNrules reads some of DMN its own way; ``for_pydmnrules`` adapts a copy of the model, never
touching a rule's entries, a hit policy or an output value list, and every adaptation is one
of these known deviations of pyDMNrules 1.4 from DMN 1.3:

- it fails with a KeyError on a decision table's rule annotation columns (``<annotation>``):
  they are removed (they carry citations, never logic);
- its S-FEEL cannot test a value against an input value list mixing an interval and null
  (``[0..125], null``): input value lists are removed (b12spec validates cases before either
  engine sees them);
- it names an input after the input clause's label and an output after the table's
  ``outputLabel``: labels are set to the FEEL names (the expression, the decision's name);
- it runs decisions in document order, not by their requirements: decisions are put in
  b12spec's evaluation order;
- a multiple-hit table (C, R, O) where no rule matches is an error to it, where DMN gives an
  empty list (C+, C<, C>: null; C#: 0): the cross-check reads that error as no match;
- under P with several outputs it ranks a rule by the best of its outputs' priorities, where
  b12spec (and DMN's compound output priority) compares the first output first: it can only
  show when two rules of different results overlap, which ``b12spec check`` reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from b12spec.case import PatientCase
from b12spec.dmn.export import export_dmn, input_expression_text
from b12spec.dmn.names import dmn
from b12spec.dmn.reader import parse_xml
from b12spec.dmn.tck import same_value
from b12spec.errors import B12SpecError
from b12spec.evaluate import evaluate_case
from b12spec.model import HitPolicy, Spec
from b12spec.unary import Value

ENGINE_ERROR = "error"
_NO_MATCH = "No rules matched"


def for_pydmnrules(spec: Spec, document: bytes) -> str:
    """The exported model adapted to pyDMNrules' reading of names (see the module docstring)."""
    root = parse_xml(document)
    for unread in list(root.iter(dmn("annotation"), dmn("annotationEntry"), dmn("inputValues"))):
        parent = unread.getparent()
        if parent is not None:
            parent.remove(unread)
    decisions = {d.get("name", ""): d for d in root.findall(dmn("decision"))}
    for name, decision in decisions.items():
        table = spec.table(name)
        body = decision.find(dmn("decisionTable"))
        if body is None:
            continue
        body.set("outputLabel", name)
        for clause, column in zip(body.findall(dmn("input")), table.inputs, strict=True):
            clause.set("label", input_expression_text(spec, column))
        outputs = body.findall(dmn("output"))
        for output in outputs:
            output.attrib.pop("label", "")
            if len(outputs) == 1:
                output.attrib.pop("name", "")
    anchor = min(root.index(d) for d in decisions.values())
    for offset, name in enumerate(spec.order):
        root.remove(decisions[name])
        root.insert(anchor + offset, decisions[name])
    return etree.tostring(root, encoding="unicode")


@dataclass(frozen=True)
class Disagreement:
    decision: str
    case: Mapping[str, Value]
    b12spec: Any
    engine: Any


class PyDmnRulesEngine:
    """pyDMNrules loaded with the exported model, answering decision by decision."""

    def __init__(self, spec: Spec) -> None:
        import pyDMNrules  # a test dependency: only the cross-check needs it

        self.spec = spec
        self.dmn = pyDMNrules.DMN()
        status = self.dmn.useXML(for_pydmnrules(spec, export_dmn(spec)))
        if status.get("errors"):
            raise B12SpecError(f"pyDMNrules refused the exported model: {status['errors']}")

    def evaluate(self, values: Mapping[str, Value]) -> dict[str, Any]:
        """Each decision's value in b12spec's shape, or ENGINE_ERROR where pyDMNrules failed."""
        data: dict[str, Any] = {name: value for name, value in values.items() if value is not None}
        results: dict[str, Any] = {}
        for name in self.spec.order:
            table = self.spec.table(name)
            status, outcome = self.dmn.decideTables(dict(data), [name])
            errors = status.get("errors") or []
            if errors:
                no_match = all(_NO_MATCH in str(e) for e in errors) and not table.hit_policy.single_hit
                results[name] = _empty(table.hit_policy) if no_match else ENGINE_ERROR
                if results[name] == ENGINE_ERROR:
                    continue
            else:
                results[name] = self._value(name, outcome)
            self._feed(name, results[name], data)
        return results

    def _value(self, name: str, outcome: Any) -> Any:
        table = self.spec.table(name)
        final = outcome[-1] if isinstance(outcome, list) else outcome
        result = final["Result"]
        if table.hit_policy.aggregated:
            value = result.get(name)
            return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        columns = {o.name: result.get(name if len(table.outputs) == 1 else f"{name}.{o.name}") for o in table.outputs}
        if table.hit_policy.single_hit:
            return {k: _number(v) for k, v in columns.items()}
        lists = {k: (v if isinstance(v, list) else [v]) for k, v in columns.items()}
        count = max(len(v) for v in lists.values())
        return [{k: _number(v[i]) for k, v in lists.items()} for i in range(count)]

    def _feed(self, name: str, value: Any, data: dict[str, Any]) -> None:
        """Upstream values for the tables after this one, under the names pyDMNrules gave them."""
        table = self.spec.table(name)
        if table.hit_policy.aggregated:
            data[name] = value
        elif table.hit_policy.single_hit:
            for output in table.outputs:
                data[name if len(table.outputs) == 1 else f"{name}.{output.name}"] = value[output.name]


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _empty(policy: HitPolicy) -> Any:
    if policy is HitPolicy.COLLECT_COUNT:
        return 0
    return None if policy.aggregated else []


def b12spec_values(spec: Spec, case: PatientCase) -> dict[str, Any]:
    """b12spec's own answer in the same shape: each decision's value, ENGINE_ERROR on a failure."""
    try:
        evaluation = evaluate_case(spec, case)
    except B12SpecError:
        return dict.fromkeys(spec.order, ENGINE_ERROR)
    return {name: result.value for name, result in evaluation.results.items()}


def compare(spec: Spec, engine: PyDmnRulesEngine, cases: list[PatientCase]) -> list[Disagreement]:
    """Every decision of every case on which the two engines differ."""
    found: list[Disagreement] = []
    for case in cases:
        ours = b12spec_values(spec, case)
        theirs = engine.evaluate(case.values)
        for name in spec.order:
            if not same_value(ours.get(name), theirs.get(name)):
                found.append(Disagreement(name, case.values, ours.get(name), theirs.get(name)))
    return found
