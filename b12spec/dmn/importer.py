"""A DMN 1.3 model's decision tables as a b12spec spec directory (files as text; the CLI writes).

What b12spec can execute is imported: decision tables whose input entries are S-FEEL unary
tests and whose output entries are literals, with inputs that are input data or other
decisions, of type string, number or boolean. Anything else (a literal expression, a boxed
context, a business knowledge model, a date, a FEEL expression in a cell ...) is refused with
a message naming the element and what is supported: nothing is imported half.

A model that b12spec exported carries its dictionary, sources, open questions and labels in
b12spec's extension elements and comes back unchanged, so export, import and export again give
the same bytes. A model from another tool gets what a spec needs and the model does not say,
stated as such: a source standing for the model itself, unbounded number ranges, allowed
values collected from the rules when the model lists none.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from lxml import etree

from b12spec.dmn.names import (
    ANNOTATIONS,
    B12_NS,
    DMN_NS,
    DMNDI_NS,
    FEEL_NS,
    FIELD_TYPE_OF,
    HIT_POLICY_OF,
    b12,
    dmn,
)
from b12spec.dmn.reader import parse_xml
from b12spec.errors import B12SpecError, UnaryTestSyntaxError
from b12spec.model import FieldType, HitPolicy
from b12spec.unary import Interval, Literal, NullTest, Value, format_literal, parse_literal, parse_unary_tests

Element = etree._Element

SUPPORTED = (
    "b12spec imports decision tables (hit policies U, A, P, F, R, O, C with or without SUM, MIN, MAX, "
    "COUNT) whose input entries are S-FEEL unary tests and whose output entries are literals, over "
    "input data and decisions of type string, number or boolean"
)
MODEL_SOURCE = "model"
# A number the model does not bound gets this plausible range: spec files hold finite numbers
# only, and 10^15 is beyond any quantity a decision table is given while floats stay exact.
UNBOUNDED = 1e15
_FEEL_LANGUAGES = {None, FEEL_NS, "http://www.omg.org/spec/FEEL/20140401"}
_DRG_SUPPORTED = {"inputData", "decision", "knowledgeSource"}
_TOP_IGNORED = {dmn("description"), dmn("extensionElements"), dmn("itemDefinition"), f"{{{DMNDI_NS}}}DMNDI"}
_DECISION_CHILDREN = {
    "description",
    "extensionElements",
    "question",
    "allowedAnswers",
    "variable",
    "informationRequirement",
    "authorityRequirement",
    "decisionTable",
}
_TABLE_CHILDREN = {"description", "extensionElements", "input", "output", "annotation", "rule"}


class DmnImportError(B12SpecError):
    """The model uses something b12spec does not execute; the message names it."""


@dataclass(frozen=True)
class _ItemType:
    base: str
    allowed: tuple[Value, ...] | None = None
    interval: tuple[float, float] | None = None
    components: tuple[tuple[str, _ItemType], ...] = ()
    collection: bool = False


@dataclass
class _Decision:
    name: str
    element: Element
    outputs: list[str] = field(default_factory=list)


def _local(element: Element) -> str:
    return etree.QName(element).localname


def _child(element: Element, tag: str) -> Element | None:
    return element.find(dmn(tag))


def _children(element: Element, tag: str) -> list[Element]:
    return element.findall(dmn(tag))


def _text_of(element: Element | None, tag: str = "text") -> str | None:
    if element is None:
        return None
    found = element.find(dmn(tag)) if tag else element
    return None if found is None else (found.text or "")


def _refuse(what: str, why: str = "") -> DmnImportError:
    return DmnImportError(f"{what} is not supported{': ' + why if why else ''}. {SUPPORTED}.")


def import_dmn(document: bytes, model_file: str = "model.dmn") -> dict[str, str]:
    """The spec files (relative path -> text) for a DMN document; raises DmnImportError."""
    root = parse_xml(document)
    if root.tag != dmn("definitions"):
        raise DmnImportError(f"the root element is {root.tag}, not a DMN 1.3 <definitions> (namespace {DMN_NS})")
    _check_languages(root)
    return _Importer(root, model_file).files()


def _check_languages(root: Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("expressionLanguage", "typeLanguage"):
            language = element.get(attribute)
            if language not in _FEEL_LANGUAGES:
                raise _refuse(f"<{_local(element)} {attribute}={language!r}>", "only FEEL is read")


class _Importer:
    def __init__(self, root: Element, model_file: str) -> None:
        self.root = root
        self.model_file = model_file
        self.types = self._item_types()
        self.extension = self._extension(root, "guideline")
        self.decisions: dict[str, _Decision] = {}
        self.inputs: dict[str, Element] = {}
        self.by_id: dict[str, str] = {}
        for element in root:
            if not isinstance(element.tag, str) or element.tag in _TOP_IGNORED:
                continue
            kind = _local(element)
            if element.tag != dmn(kind) or kind not in _DRG_SUPPORTED:
                named = element.get("name")
                raise _refuse(f"<{kind}> {named!r}" if named else f"<{kind}>")
            name = element.get("name", "")
            if kind == "decision":
                self.decisions[name] = _Decision(name, element)
            elif kind == "inputData":
                self.inputs[name] = element
            if element.get("id"):
                self.by_id[element.get("id", "")] = name

    # ----------------------------------------------------------------------- types

    def _item_types(self) -> dict[str, _ItemType]:
        raw = {item.get("name", ""): item for item in _children(self.root, "itemDefinition")}
        resolved: dict[str, _ItemType] = {}

        def resolve(name: str, trail: tuple[str, ...]) -> _ItemType:
            if name in resolved:
                return resolved[name]
            if name in FIELD_TYPE_OF:
                return _ItemType(name)
            item = raw.get(name)
            if item is None or name in trail:
                raise _refuse(f"type {name!r}", "known types are string, number, boolean and item definitions of them")
            if item.find(dmn("functionItem")) is not None:
                raise _refuse(f"<itemDefinition> {name!r} with a functionItem")
            components = tuple(
                (c.get("name", ""), resolve_item(c, (*trail, name))) for c in _children(item, "itemComponent")
            )
            kind = _ItemType("context", components=components) if components else resolve_item(item, (*trail, name))
            result = _ItemType(
                kind.base, kind.allowed, kind.interval, kind.components, item.get("isCollection") == "true"
            )
            resolved[name] = result
            return result

        def resolve_item(item: Element, trail: tuple[str, ...]) -> _ItemType:
            base_name = _text_of(item, "typeRef")
            if base_name is None:
                if _children(item, "itemComponent"):
                    components = tuple(
                        (c.get("name", ""), resolve_item(c, trail)) for c in _children(item, "itemComponent")
                    )
                    return _ItemType("context", components=components)
                raise _refuse(f"<itemDefinition> {item.get('name', '')!r} without a typeRef")
            base = resolve(base_name.strip(), trail)
            allowed_text = _text_of(item.find(dmn("allowedValues")))
            if allowed_text is None:
                return base
            allowed, interval = _allowed_values(allowed_text, f"allowed values of {item.get('name', '')!r}")
            return _ItemType(base.base, allowed or base.allowed, interval or base.interval)

        for name in raw:
            resolve(name, ())
        return resolved

    def _type(self, type_ref: str | None, where: str) -> _ItemType | None:
        if type_ref is None or type_ref.strip() in ("", "Any"):
            return None
        name = type_ref.strip()
        if name in FIELD_TYPE_OF:
            return _ItemType(name)
        if name in self.types:
            return self.types[name]
        raise _refuse(
            f"type {name!r} of {where}", "known types are string, number, boolean and item definitions of them"
        )

    # ----------------------------------------------------------------------- extensions

    @staticmethod
    def _extension(element: Element, tag: str) -> Element | None:
        holder = _child(element, "extensionElements")
        return None if holder is None else holder.find(b12(tag))

    # ----------------------------------------------------------------------- the files

    def files(self) -> dict[str, str]:
        tables = {name: self._table(decision) for name, decision in self.decisions.items()}
        if not tables:
            raise DmnImportError(f"the model has no decision. {SUPPORTED}.")
        sources = self._sources()
        needs_model_source = any(not row["citations"] for t in tables.values() for row in t["rows"])
        if needs_model_source:
            sources.append(
                {
                    "id": MODEL_SOURCE,
                    "title": self.root.get("name") or self.model_file,
                    "detail": f"The DMN model {self.model_file}, imported; its rules cite no reference of their own.",
                    "in_source": True,
                    "note": "Stands for the imported model, which is the only authority its rules name.",
                }
            )
        files = {
            "guideline.yaml": _yaml(self._guideline()),
            "dictionary.yaml": _yaml(self._dictionary(tables)),
            "sources.yaml": _yaml(sources),
            "open_questions.yaml": _yaml(self._questions()),
            "catalogue.yaml": "[]\n",
            # a model declares no safety property and marks no output a warning; said, not left out
            "properties.yaml": "[]\n",
            "warnings.yaml": "[]\n",
        }
        for name, table in tables.items():
            stem = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
            for row in table["rows"]:
                row["citations"] = row["citations"] or MODEL_SOURCE
            files[f"tables/{stem}.yaml"] = _yaml(table["meta"])
            files[f"tables/{stem}.csv"] = _csv(table["header"], table["rows"])
        return files

    def _guideline(self) -> dict[str, Any]:
        extension = self.extension
        title = self.root.get("name") or self.model_file
        summary = _text_of(self.root, "description") or f"The decision tables of the DMN model {self.model_file}."
        if extension is None:
            return {
                "title": title,
                "version": "0.0.0",
                "source_file": self.model_file,
                "source_updated": "not stated by the model",
                "summary": summary,
                "disclaimer": "Imported from a DMN model; not reviewed by b12spec's advisory board.",
            }
        return {
            "title": title,
            "version": extension.get("version", ""),
            "source_file": extension.get("sourceFile", ""),
            "source_updated": extension.get("sourceUpdated", ""),
            "summary": summary,
            "disclaimer": extension.findtext(b12("disclaimer")) or "",
        }

    def _questions(self) -> list[dict[str, Any]]:
        if self.extension is None:
            return []
        questions = []
        for item in self.extension.findall(b12("openQuestion")):
            entry: dict[str, Any] = {
                "id": item.get("id", ""),
                "title": item.findtext(b12("title")) or "",
                "question": item.findtext(b12("question")) or "",
            }
            references = [r.text or "" for r in item.findall(b12("reference"))]
            if references:
                entry["references"] = references
            entry["status"] = item.get("status", "open")
            rules = [r.text or "" for r in item.findall(b12("rule"))]
            if rules:
                entry["rules"] = rules
            questions.append(entry)
        return questions

    def _sources(self) -> list[dict[str, Any]]:
        sources = []
        for element in _children(self.root, "knowledgeSource"):
            extension = self._extension(element, "source")
            source_id = (
                (extension.get("id") if extension is not None else None)
                or element.get("label")
                or element.get("name", "")
            )
            sources.append(
                {
                    "id": source_id,
                    "title": element.get("name", ""),
                    "detail": _text_of(element, "description") or "",
                    "in_source": extension is None or extension.get("inSource") != "false",
                    "note": (extension.findtext(b12("note")) if extension is not None else None) or "",
                    **_attribution(extension),
                }
            )
        return sources

    # ----------------------------------------------------------------------- dictionary

    def _dictionary(self, tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name, element in self.inputs.items():
            fields[name] = self._field(name, element, tables)
        data: dict[str, Any] = {"fields": fields}
        contradictions = []
        for item in self.extension.findall(b12("contradiction")) if self.extension is not None else []:
            contradictions.append(
                {
                    "id": item.get("id", ""),
                    "when": {w.get("field", ""): w.text or "" for w in item.findall(b12("when"))},
                    "message": item.findtext(b12("message")) or "",
                }
            )
        if contradictions:
            data["contradictions"] = contradictions
        return data

    def _field(self, name: str, element: Element, tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
        variable = _child(element, "variable")
        where = f"<inputData> {name!r}"
        item = self._type(variable.get("typeRef") if variable is not None else None, where)
        if item is None:
            item = self._input_clause_type(name, where)
        extension = self._extension(element, "field")
        if item.base not in FIELD_TYPE_OF or item.collection:
            raise _refuse(f"{where} of type {item.base}{' (a list)' if item.collection else ''}")
        kind = FIELD_TYPE_OF[item.base]
        entry: dict[str, Any] = {"type": kind.value}
        if kind is FieldType.NUMBER:
            low, high = item.interval or self._clause_interval(name) or (-UNBOUNDED, UNBOUNDED)
            if extension is not None and extension.get("unit"):
                entry["unit"] = extension.get("unit")
                units = {
                    u.get("symbol", ""): _number(u.get("perCanonical", "1")) for u in extension.findall(b12("unit"))
                }
                if len(units) > 1:
                    entry["units"] = units
            entry["range"] = [low, high]
            entry["precision"] = _number(extension.get("precision", "1")) if extension is not None else 1
        elif kind is FieldType.ENUM:
            values = item.allowed or self._clause_values(name)
            if not values:
                raise DmnImportError(
                    f"{where} is a string with no allowed values (in its item definition or an input clause's "
                    "inputValues); b12spec needs the list to check a case"
                )
            labels = _labels(extension)
            strings = [str(v) for v in values if v is not None]
            entry["values"] = (
                {v: labels[v] for v in strings} if strings and all(v in labels for v in strings) else strings
            )
        entry["required"] = extension is not None and extension.get("required") == "true"
        entry["description"] = _text_of(element, "description") or f"Input data {name} of the DMN model."
        return entry

    def _input_clauses(self, name: str) -> list[Element]:
        found = []
        for decision in self.decisions.values():
            for clause in decision.element.iter(dmn("input")):
                if (_text_of(_child(clause, "inputExpression")) or "").strip() == name:
                    found.append(clause)
        return found

    def _input_clause_type(self, name: str, where: str) -> _ItemType:
        for clause in self._input_clauses(name):
            expression = _child(clause, "inputExpression")
            item = self._type(expression.get("typeRef") if expression is not None else None, where)
            if item is not None:
                return item
        raise DmnImportError(f"{where} has no type (typeRef on its variable or an input clause); {SUPPORTED}")

    def _clause_values(self, name: str) -> tuple[Value, ...]:
        for clause in self._input_clauses(name):
            text = _text_of(_child(clause, "inputValues"))
            if text is not None:
                values, _ = _allowed_values(text, f"inputValues of {name!r}")
                return values
        return ()

    def _clause_interval(self, name: str) -> tuple[float, float] | None:
        for clause in self._input_clauses(name):
            text = _text_of(_child(clause, "inputValues"))
            if text is not None:
                _, interval = _allowed_values(text, f"inputValues of {name!r}")
                if interval:
                    return interval
        return None

    # ----------------------------------------------------------------------- tables

    def _table(self, decision: _Decision) -> dict[str, Any]:
        element = decision.element
        where = f"decision {decision.name!r}"
        for child in element:
            if isinstance(child.tag, str) and (
                _local(child) not in _DECISION_CHILDREN or child.tag != dmn(_local(child))
            ):
                raise _refuse(f"<{_local(child)}> in {where}", "only a decisionTable is executed")
        table = _child(element, "decisionTable")
        if table is None:
            raise _refuse(f"{where} without a <decisionTable>", "it has no decision logic b12spec can run")
        for child in table:
            if isinstance(child.tag, str) and _local(child) not in _TABLE_CHILDREN:
                raise _refuse(f"<{_local(child)}> in the decision table of {where}")
        policy = self._hit_policy(table, where)
        variable = _child(element, "variable")
        decision_type = self._type(variable.get("typeRef") if variable is not None else None, where)
        decision_type = decision_type or self._type(table.get("typeRef"), where)
        inputs = [self._input(clause, where) for clause in _children(table, "input")]
        outputs_xml = _children(table, "output")
        if not outputs_xml:
            raise DmnImportError(f"{where} has a decision table without an output")
        rules_xml = _children(table, "rule")
        annotation_names = [a.get("name", "") for a in _children(table, "annotation")]
        rows: list[dict[str, Any]] = []
        entries_by_output: list[list[Value]] = [[] for _ in outputs_xml]
        for position, rule in enumerate(rules_xml, start=1):
            rule_id = rule.get("id") or f"{decision.name}-{position}"
            rule_where = f"rule {rule_id!r} of {where}"
            in_entries = _children(rule, "inputEntry")
            out_entries = _children(rule, "outputEntry")
            if len(in_entries) != len(inputs) or len(out_entries) != len(outputs_xml):
                raise DmnImportError(
                    f"{rule_where} has {len(in_entries)} input and {len(out_entries)} output entries; "
                    f"the table has {len(inputs)} inputs and {len(outputs_xml)} outputs"
                )
            cells = [self._input_entry(e, rule_where) for e in in_entries]
            values = [self._output_entry(e, rule_where) for e in out_entries]
            for index, value in enumerate(values):
                entries_by_output[index].append(value)
            notes = [_text_of(a) or "" for a in _children(rule, "annotationEntry")]
            named = dict(zip(annotation_names, notes, strict=False))
            others = [f"{n}: {t}" for n, t in named.items() if n not in ANNOTATIONS and t.strip()]
            annotation = "; ".join([named.get("annotation", ""), *others]).strip("; ")
            rows.append(
                {
                    "rule": rule_id,
                    "inputs": cells,
                    "outputs": values,
                    "citations": named.get("citations", "").strip(),
                    "open_questions": named.get("open_questions", "").strip(),
                    "annotation": annotation,
                }
            )
        defaults = self._defaults(outputs_xml, policy, where)
        if defaults:
            # Under FIRST, "the default when no rule matches" is exactly a last rule matching anything.
            for index, value in enumerate(defaults):
                entries_by_output[index].append(value)
            rows.append(
                {
                    "rule": f"{decision.name}-default",
                    "inputs": ["-"] * len(inputs),
                    "outputs": defaults,
                    "citations": "",
                    "open_questions": "",
                    "annotation": "The model's default output entries, given when no other rule matches.",
                }
            )
        outputs = [
            self._output(clause, decision, decision_type, len(outputs_xml), entries_by_output[i], policy, where)
            for i, clause in enumerate(outputs_xml)
        ]
        decision.outputs = [o["name"] for o in outputs]
        expressions = [i["expression"] for i in inputs]
        header = ["rule", *expressions, *(o["name"] for o in outputs), *ANNOTATIONS]
        duplicates = sorted({h for h in header if header.count(h) > 1})
        if duplicates:
            raise DmnImportError(
                f"{where}: the column name(s) {', '.join(duplicates)} would appear twice in the table's CSV "
                "(an input expression, an output name or one of rule, citations, open_questions, annotation)"
            )
        extension = self._extension(element, "table")
        meta: dict[str, Any] = {
            "decision": decision.name,
            "title": element.get("label") or _text_of(element, "question") or decision.name,
        }
        if extension is not None and extension.get("section"):
            meta["section"] = extension.get("section")
        if extension is not None and extension.get("displayOrder"):
            meta["display_order"] = int(extension.get("displayOrder", "100"))
        meta["purpose"] = _text_of(element, "description") or f"Decision {decision.name} of the DMN model."
        meta["hit_policy"] = policy.value
        meta["inputs"] = inputs
        meta["outputs"] = outputs
        return {
            "meta": meta,
            "header": header,
            "rows": [
                {
                    **row,
                    "outputs": [
                        _output_cell(v, FieldType(o.get("type", "enum")))
                        for v, o in zip(row["outputs"], outputs, strict=True)
                    ],
                }
                for row in rows
            ],
        }

    def _defaults(self, outputs: list[Element], policy: HitPolicy, where: str) -> list[Value]:
        entries = [clause.find(dmn("defaultOutputEntry")) for clause in outputs]
        if all(entry is None for entry in entries):
            return []
        if policy is not HitPolicy.FIRST or any(entry is None for entry in entries):
            raise _refuse(
                f"<defaultOutputEntry> in {where} (hit policy {policy.value})",
                "b12spec makes every gap an explicit rule, so a default output is imported only under hit policy F "
                "with a default for every output, where it is exactly a last rule that matches anything",
            )
        return [self._output_entry(entry, where) for entry in entries if entry is not None]

    @staticmethod
    def _hit_policy(table: Element, where: str) -> HitPolicy:
        key = (table.get("hitPolicy", "UNIQUE"), table.get("aggregation"))
        policy = HIT_POLICY_OF.get(key)
        if policy is None:
            raise _refuse(f"hit policy {key[0]}{' ' + key[1] if key[1] else ''} in {where}")
        return policy

    def _input(self, clause: Element, where: str) -> dict[str, Any]:
        expression = _child(clause, "inputExpression")
        text = (_text_of(expression) or "").strip()
        label = clause.get("label")
        name = self._input_name(text, where)
        return {"expression": name, "label": label or text}

    def _input_name(self, text: str, where: str) -> str:
        """An input expression b12spec can wire: a field, a decision, or decision.output."""
        if text in self.inputs:
            return text
        if text in self.decisions:
            upstream = self.decisions[text]
            outputs = self._output_names(upstream)
            if len(outputs) != 1:
                raise _refuse(
                    f"input expression {text!r} in {where}",
                    "a decision with several outputs is tested by decision.output",
                )
            return f"{text}.{outputs[0]}"
        head, _, tail = text.partition(".")
        if head in self.decisions and tail in self._output_names(self.decisions[head]):
            return text
        raise _refuse(
            f"input expression {text!r} in {where}",
            "an input expression must name input data, a decision, or decision.output; "
            "FEEL expressions are not evaluated",
        )

    def _output_names(self, decision: _Decision) -> list[str]:
        table = _child(decision.element, "decisionTable")
        if table is None:
            return []
        clauses = _children(table, "output")
        return [c.get("name") or (decision.name if len(clauses) == 1 else "") for c in clauses]

    @staticmethod
    def _input_entry(entry: Element, where: str) -> str:
        text = (_text_of(entry) or "").strip()
        try:
            return str(parse_unary_tests(text))
        except UnaryTestSyntaxError as error:
            raise _refuse(
                f"input entry {text!r} of {where}", f"it is not an S-FEEL unary test ({error.expected})"
            ) from error

    @staticmethod
    def _output_entry(entry: Element, where: str) -> Value:
        text = (_text_of(entry) or "").strip()
        try:
            return parse_literal(text)
        except UnaryTestSyntaxError as error:
            raise _refuse(f"output entry {text!r} of {where}", "an output entry must be a literal") from error

    def _output(
        self,
        clause: Element,
        decision: _Decision,
        decision_type: _ItemType | None,
        count: int,
        entries: list[Value],
        policy: HitPolicy,
        where: str,
    ) -> dict[str, Any]:
        name = clause.get("name") or (decision.name if count == 1 else "")
        if not name:
            raise DmnImportError(f"{where} has several outputs; each needs a name")
        item = self._type(clause.get("typeRef"), where)
        if item is None and decision_type is not None:
            components = dict(decision_type.components)
            item = components.get(name) if components else (decision_type if count == 1 else None)
        base = item.base if item is not None else _inferred_base(entries)
        if base not in FIELD_TYPE_OF:
            raise _refuse(f"output {name!r} of type {base} in {where}")
        kind = FIELD_TYPE_OF[base]
        if policy.aggregated and policy is not HitPolicy.COLLECT_COUNT:
            kind = FieldType.NUMBER
        for value in entries:
            if value is not None and not _fits(value, kind):
                raise DmnImportError(f"{where}: output {name!r} is {base}, but an entry gives {format_literal(value)}")
            if value is None:
                raise _refuse(f"a null output entry in {where}", "every rule must give a value")
        output: dict[str, Any] = {"name": name, "label": clause.get("label") or name}
        if kind is not FieldType.ENUM:
            output["type"] = kind.value
            return output
        listed_text = _text_of(_child(clause, "outputValues"))
        listed: tuple[Value, ...] = ()
        if listed_text is not None:
            listed, _ = _allowed_values(listed_text, f"outputValues of {name!r} in {where}")
        elif item is not None and item.allowed:
            listed = item.allowed
        # No list: the values the rules give, in order of first appearance (a P or O table then
        # ranks them in that order, where DMN leaves an unlisted output out of the ranking).
        values = [str(v) for v in (listed or tuple(dict.fromkeys(entries))) if v is not None]
        labels = _labels(self._extension(clause, "values"))
        output["values"] = [{v: labels[v]} if v in labels else v for v in values]
        return output


# --------------------------------------------------------------------------- small helpers


def _allowed_values(text: str, where: str) -> tuple[tuple[Value, ...], tuple[float, float] | None]:
    """Literals and at most one closed interval of an allowedValues/inputValues list."""
    try:
        test = parse_unary_tests(text)
    except UnaryTestSyntaxError as error:
        raise _refuse(f"the {where} {text.strip()!r}", f"not S-FEEL unary tests ({error.expected})") from error
    values: list[Value] = []
    interval: tuple[float, float] | None = None
    for part in test.tests:
        if isinstance(part, Literal):
            values.append(part.value)
        elif isinstance(part, Interval) and part.low_closed and part.high_closed and interval is None:
            interval = (part.low, part.high)
        elif not isinstance(part, NullTest):
            raise _refuse(f"the {where} {text.strip()!r}", "allowed values are literals, null or one closed interval")
    if test.negated:
        raise _refuse(f"the {where} {text.strip()!r}", "allowed values cannot be negated")
    return tuple(values), interval


def _labels(extension: Element | None) -> dict[str, str]:
    if extension is None:
        return {}
    return {item.get("value", ""): item.text or "" for item in extension.findall(f"{{{B12_NS}}}label")}


def _number(text: str) -> float | int:
    value = float(text)
    return int(value) if value.is_integer() else value


def _fits(value: Value, kind: FieldType) -> bool:
    if kind is FieldType.BOOLEAN:
        return isinstance(value, bool)
    if kind is FieldType.NUMBER:
        return isinstance(value, float) and not isinstance(value, bool)
    return isinstance(value, str)


def _inferred_base(entries: list[Value]) -> str:
    if entries and all(isinstance(v, bool) for v in entries):
        return "boolean"
    if entries and all(isinstance(v, float) and not isinstance(v, bool) for v in entries):
        return "number"
    return "string"


def _output_cell(value: Value, kind: FieldType) -> str:
    """An output entry as a CSV cell: bare when that reads back as itself, else a FEEL literal."""
    if kind is not FieldType.ENUM:
        return format_literal(value)
    text = str(value)
    bare_is_safe = text == text.strip() and text.isprintable() and not text.startswith('"') and text != ""
    return text if bare_is_safe else format_literal(text)


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _csv(header: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [row["rule"], *row["inputs"], *row["outputs"], row["citations"], row["open_questions"], row["annotation"]]
        )
    return buffer.getvalue()


def _attribution(extension: Element | None) -> dict[str, str]:
    """``attribution: inferred`` when b12spec's export marked it; a stated one is the default."""
    if extension is not None and extension.get("attribution") == "inferred":
        return {"attribution": "inferred"}
    return {}
