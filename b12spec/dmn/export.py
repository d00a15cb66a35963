"""The whole guideline as one DMN 1.3 model: a pure function from the Spec to XML bytes.

Standard DMN carries everything an engine or a modeler needs: a decision per table (hit policy,
aggregation, typed input expressions with their allowed values, output values in priority
order, every rule with its id and its citations, open questions and annotation as rule
annotations), input data for the dictionary's fields, information requirements for the decision
graph, and knowledge sources for the references. What DMN has no element for (units, plausible
ranges' precision, value labels, open questions, the guideline's identity) travels in
``extensionElements`` under b12spec's namespace, so an import gets the spec back unchanged.

The output is deterministic: decisions sorted by name, everything else in the spec's order,
no time stamps, no generated ids; the same spec always gives the same bytes. A DMNDI diagram
(``diagram.py``) lets a modeler draw the decision requirements graph.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from lxml import etree

from b12spec.dmn.diagram import add_diagram
from b12spec.dmn.names import (
    ANNOTATIONS,
    B12_NS,
    DC_NS,
    DI_NS,
    DMN_NS,
    DMNDI_NS,
    FEEL_TYPES,
    HIT_POLICIES,
    MODEL_NAMESPACE,
    b12,
    dmn,
    element_id,
    is_ncname,
)
from b12spec.errors import B12SpecError
from b12spec.model import (
    DataField,
    DecisionTable,
    FieldType,
    InputColumn,
    OutputColumn,
    Rule,
    Source,
    Spec,
)
from b12spec.unary import format_literal

Element = etree._Element


class ExportError(B12SpecError):
    """The spec holds something DMN cannot carry as it is (a rule id that is not an XML id)."""


def export_dmn(spec: Spec) -> bytes:
    """The spec as a DMN 1.3 document (UTF-8 bytes, ending in a newline)."""
    namespaces: dict[str | None, str] = {None: DMN_NS, "dmndi": DMNDI_NS, "dc": DC_NS, "di": DI_NS, "b12": B12_NS}
    root = etree.Element(dmn("definitions"), nsmap=namespaces)  # type: ignore[arg-type]  # the stubs omit the default namespace key None
    root.set("id", "definitions")
    root.set("name", spec.guideline.title)
    root.set("namespace", MODEL_NAMESPACE)
    root.set("exporter", "b12spec")
    root.set("exporterVersion", _package_version())
    _text(root, "description", spec.guideline.summary)
    _extension(root, _guideline_extension(spec))
    tables = sorted(spec.tables, key=lambda t: t.name)
    for data_field in spec.dictionary.fields:
        _field_type(root, data_field)
    for table in tables:
        _decision_type(root, table)
    for data_field in spec.dictionary.fields:
        _input_data(root, data_field)
    for table in tables:
        _decision(root, spec, table)
    for source in spec.sources:
        _knowledge_source(root, source)
    add_diagram(root, spec)
    try:
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    except ValueError as error:  # a control character in a label or a description
        raise ExportError(f"the spec has text XML cannot hold: {error}") from error
    return bytes(body)


def _package_version() -> str:
    try:
        return version("b12spec")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without install
        return "unknown"


# --------------------------------------------------------------------------- helpers


def _text(parent: Element, tag: str, text: str, namespace: str = DMN_NS) -> Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}")
    element.text = text
    return element


def _extension(parent: Element, *children: Element) -> None:
    holder = etree.SubElement(parent, dmn("extensionElements"))
    for child in children:
        holder.append(child)


def _feel_list(values: tuple[str, ...]) -> str:
    return ", ".join(format_literal(v) for v in values)


def _number(value: float | None) -> str:
    return format_literal(value)


# --------------------------------------------------------------------------- definitions-level


def _guideline_extension(spec: Spec) -> Element:
    guideline = spec.guideline
    element = etree.Element(b12("guideline"))
    element.set("version", guideline.version)
    element.set("sourceFile", guideline.source_file)
    element.set("sourceUpdated", guideline.source_updated)
    _text(element, "disclaimer", guideline.disclaimer, B12_NS)
    for contradiction in spec.dictionary.contradictions:
        item = etree.SubElement(element, b12("contradiction"))
        item.set("id", contradiction.id)
        for field_name, test in contradiction.when:
            when = _text(item, "when", str(test), B12_NS)
            when.set("field", field_name)
        _text(item, "message", contradiction.message, B12_NS)
    for question in spec.open_questions:
        item = etree.SubElement(element, b12("openQuestion"))
        item.set("id", question.id)
        item.set("status", question.status)
        _text(item, "title", question.title, B12_NS)
        _text(item, "question", question.question, B12_NS)
        for reference in question.references:
            _text(item, "reference", str(reference), B12_NS)
        for rule_id in question.rules:
            _text(item, "rule", rule_id, B12_NS)
    return element


def _field_type(root: Element, data_field: DataField) -> None:
    """An item definition for a number (its plausible range) or an enum (its values)."""
    if data_field.type is FieldType.BOOLEAN:
        return
    item = etree.SubElement(root, dmn("itemDefinition"))
    item.set("id", element_id("type_", data_field.name))
    item.set("name", _type_name(data_field.name))
    _text(item, "typeRef", FEEL_TYPES[data_field.type])
    allowed = etree.SubElement(item, dmn("allowedValues"))
    if data_field.type is FieldType.ENUM:
        _text(allowed, "text", _feel_list(data_field.values))
    else:
        _text(allowed, "text", f"[{_number(data_field.minimum)}..{_number(data_field.maximum)}]")


def _type_name(name: str) -> str:
    return f"t_{name}"


def _decision_type(root: Element, table: DecisionTable) -> None:
    """The structure a multi-output or collecting decision gives (DMN: a typed context or list)."""
    collects = not (table.hit_policy.single_hit or table.hit_policy.aggregated)
    if len(table.outputs) == 1 and not collects:
        return
    item = etree.SubElement(root, dmn("itemDefinition"))
    item.set("id", element_id("type_decision_", table.name))
    item.set("name", _type_name(table.name))
    if collects:
        item.set("isCollection", "true")
    if len(table.outputs) == 1:
        _text(item, "typeRef", FEEL_TYPES[table.outputs[0].type])
        return
    for output in table.outputs:
        component = etree.SubElement(item, dmn("itemComponent"))
        component.set("id", element_id(f"type_decision_{table.name}_", output.name))
        component.set("name", output.name)
        _text(component, "typeRef", FEEL_TYPES[output.type])
        if output.values:
            allowed = etree.SubElement(component, dmn("allowedValues"))
            _text(allowed, "text", _feel_list(output.values))


def _decision_type_ref(table: DecisionTable) -> str:
    collects = not (table.hit_policy.single_hit or table.hit_policy.aggregated)
    if len(table.outputs) == 1 and not collects:
        return "number" if table.hit_policy.aggregated else FEEL_TYPES[table.outputs[0].type]
    return _type_name(table.name)


# --------------------------------------------------------------------------- DRG elements


def _input_data(root: Element, data_field: DataField) -> None:
    element = etree.SubElement(root, dmn("inputData"))
    element.set("id", element_id("input_", data_field.name))
    element.set("name", data_field.name)
    _text(element, "description", data_field.description)
    extension = etree.Element(b12("field"))
    extension.set("required", "true" if data_field.required else "false")
    if data_field.type is FieldType.NUMBER:
        extension.set("precision", _number(data_field.precision))
        if data_field.unit is not None:
            extension.set("unit", data_field.unit)
        for unit in data_field.units:
            item = etree.SubElement(extension, b12("unit"))
            item.set("symbol", unit.symbol)
            item.set("perCanonical", _number(unit.per_canonical))
    _value_labels(extension, data_field.value_labels)
    _extension(element, extension)
    variable = etree.SubElement(element, dmn("variable"))
    variable.set("name", data_field.name)
    typed = data_field.type is not FieldType.BOOLEAN
    variable.set("typeRef", _type_name(data_field.name) if typed else FEEL_TYPES[data_field.type])


def _value_labels(parent: Element, labels: tuple[tuple[str, str], ...]) -> None:
    for value, label in labels:
        item = _text(parent, "label", label, B12_NS)
        item.set("value", value)


def _decision(root: Element, spec: Spec, table: DecisionTable) -> None:
    element = etree.SubElement(root, dmn("decision"))
    element.set("id", element_id("decision_", table.name))
    element.set("name", table.name)
    element.set("label", table.title)
    _text(element, "description", table.purpose)
    extension = etree.Element(b12("table"))
    extension.set("section", table.section)
    extension.set("displayOrder", str(table.display_order))
    _extension(element, extension)
    _text(element, "question", table.title)
    variable = etree.SubElement(element, dmn("variable"))
    variable.set("name", table.name)
    variable.set("typeRef", _decision_type_ref(table))
    fields = set(spec.dictionary.names)
    required_inputs = list(dict.fromkeys(c.expression for c in table.inputs if c.expression in fields))
    for name in table.required_decisions:
        requirement = etree.SubElement(element, dmn("informationRequirement"))
        requirement.set("id", element_id("requires_", f"{table.name}_{name}"))
        etree.SubElement(requirement, dmn("requiredDecision")).set("href", "#" + element_id("decision_", name))
    for name in required_inputs:
        requirement = etree.SubElement(element, dmn("informationRequirement"))
        requirement.set("id", element_id("requires_", f"{table.name}_{name}"))
        etree.SubElement(requirement, dmn("requiredInput")).set("href", "#" + element_id("input_", name))
    cited = {c for rule in table.rules for c in rule.citations}
    for source in spec.sources:
        if source.id in cited:
            authority = etree.SubElement(element, dmn("authorityRequirement"))
            authority.set("id", element_id("authority_", f"{table.name}_{source.id}"))
            etree.SubElement(authority, dmn("requiredAuthority")).set("href", "#" + element_id("source_", source.id))
    _decision_table(element, spec, table)


def _decision_table(parent: Element, spec: Spec, table: DecisionTable) -> None:
    element = etree.SubElement(parent, dmn("decisionTable"))
    element.set("id", element_id("table_", table.name))
    hit_policy, aggregation = HIT_POLICIES[table.hit_policy]
    element.set("hitPolicy", hit_policy)
    if aggregation:
        element.set("aggregation", aggregation)
    element.set("outputLabel", table.title)
    for position, column in enumerate(table.inputs, start=1):
        _input_clause(element, spec, table, column, position)
    for position, output in enumerate(table.outputs, start=1):
        _output_clause(element, table, output, position)
    for name in ANNOTATIONS:
        etree.SubElement(element, dmn("annotation")).set("name", name)
    for rule in table.rules:
        _rule(element, table, rule)


def _input_clause(parent: Element, spec: Spec, table: DecisionTable, column: InputColumn, position: int) -> None:
    element = etree.SubElement(parent, dmn("input"))
    element.set("id", element_id("input_", f"{table.name}_{position}"))
    element.set("label", column.label)
    kind, values = _input_type(spec, column)
    expression = etree.SubElement(element, dmn("inputExpression"))
    expression.set("typeRef", FEEL_TYPES[kind])
    _text(expression, "text", input_expression_text(spec, column))
    if values:
        input_values = etree.SubElement(element, dmn("inputValues"))
        _text(input_values, "text", values)


def input_expression_text(spec: Spec, column: InputColumn) -> str:
    """The FEEL expression of an input: a field's name, ``decision.output`` for a decision with
    several outputs (its value is a context), the decision's name alone when it has one output
    (DMN gives such a decision the output's value itself, not a context around it)."""
    if column.decision is None:
        return column.expression
    upstream = spec.table(column.decision)
    return column.decision if len(upstream.outputs) == 1 else column.expression


def _input_type(spec: Spec, column: InputColumn) -> tuple[FieldType, str]:
    """The input's FEEL type and its allowed values as FEEL unary tests ('' when unconstrained)."""
    data_field = spec.dictionary.get(column.expression)
    if data_field is not None:
        # An optional field is null when not given: its input values say so, or a DMN engine
        # that checks inputs against them would refuse the case b12spec evaluates.
        missing = "" if data_field.required else ", null"
        if data_field.type is FieldType.ENUM:
            return data_field.type, _feel_list(data_field.values) + missing
        if data_field.type is FieldType.NUMBER:
            return data_field.type, f"[{_number(data_field.minimum)}..{_number(data_field.maximum)}]{missing}"
        return data_field.type, "true, false" + missing if missing else ""
    upstream = spec.table(column.decision or "")
    if upstream.hit_policy.aggregated:
        return FieldType.NUMBER, ""
    output = upstream.output(column.output or "")
    return output.type, _feel_list(output.values) if output.type is FieldType.ENUM else ""


def _output_clause(parent: Element, table: DecisionTable, output: OutputColumn, position: int) -> None:
    element = etree.SubElement(parent, dmn("output"))
    element.set("id", element_id("output_", f"{table.name}_{position}"))
    element.set("label", output.label)
    element.set("name", output.name)
    element.set("typeRef", FEEL_TYPES[output.type])
    if output.value_labels:
        labels = etree.Element(b12("values"))
        _value_labels(labels, output.value_labels)
        _extension(element, labels)
    if output.values:
        values = etree.SubElement(element, dmn("outputValues"))
        _text(values, "text", _feel_list(output.values))


def _rule(parent: Element, table: DecisionTable, rule: Rule) -> None:
    if not is_ncname(rule.id):
        raise ExportError(
            f"{table.file or table.name}: rule id {rule.id!r} cannot be a DMN rule id (an XML name: a letter or _ "
            "first, then letters, digits, '-', '_' or '.')"
        )
    element = etree.SubElement(parent, dmn("rule"))
    element.set("id", rule.id)
    for test in rule.inputs:
        entry = etree.SubElement(element, dmn("inputEntry"))
        _text(entry, "text", str(test))
    for value in rule.outputs:
        entry = etree.SubElement(element, dmn("outputEntry"))
        _text(entry, "text", format_literal(value))
    for text in ("; ".join(rule.citations), "; ".join(rule.open_questions), rule.annotation):
        entry = etree.SubElement(element, dmn("annotationEntry"))
        _text(entry, "text", text)


def _knowledge_source(root: Element, source: Source) -> None:
    element = etree.SubElement(root, dmn("knowledgeSource"))
    element.set("id", element_id("source_", source.id))
    element.set("name", source.title)
    element.set("label", source.id)
    if source.detail:
        _text(element, "description", source.detail)
    extension = etree.Element(b12("source"))
    extension.set("id", source.id)
    extension.set("inSource", "true" if source.in_source else "false")
    if source.inferred:
        extension.set("attribution", source.attribution)
    if source.note:
        _text(extension, "note", source.note, B12_NS)
    _extension(element, extension)
    _text(element, "type", "reference of the source" if source.in_source else "named reference beyond the source")
