"""JSON Schemas (draft 2020-12) of the two documents integrators exchange with b12spec.

The case schema is generated from the data dictionary, so a new field or unit appears in it with
no code edited; it describes shape, types, allowed values and units. Plausible ranges are given
for numbers in the canonical unit; the engine still checks every value (a schema cannot convert
pmol/L) and refuses what is implausible. The result schema describes ``b12spec evaluate --json``
at ``FORMAT_VERSION``; a change of its shape changes that version.
"""

from __future__ import annotations

from typing import Any

from b12spec.model import DataDictionary, DataField, FieldType, Spec

FORMAT_VERSION = "1.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _number(data_field: DataField) -> dict[str, Any]:
    units = [u.symbol for u in data_field.units] or ([data_field.unit] if data_field.unit else [])
    quantity = {
        "type": "object",
        "properties": {"value": {"type": "number"}, "unit": {"enum": units}},
        "required": ["value", "unit"] if data_field.unit_required else ["value"],
        "additionalProperties": False,
    }
    text = {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?\s*\S.*$"}
    forms: list[dict[str, Any]] = [quantity, text]
    if not data_field.unit_required:
        forms.insert(0, {"type": "number", "minimum": data_field.minimum, "maximum": data_field.maximum})
    return {"anyOf": forms}


def field_schema(data_field: DataField) -> dict[str, Any]:
    if data_field.type is FieldType.BOOLEAN:
        schema: dict[str, Any] = {"type": "boolean"}
    elif data_field.type is FieldType.ENUM:
        schema = {"enum": list(data_field.values)}
    else:
        schema = _number(data_field)
    if not data_field.required:
        schema = {"anyOf": [schema, {"type": "null"}]}
    description = data_field.description
    if data_field.unit:
        description += f" Canonical unit: {data_field.unit}."
        if data_field.minimum is not None:
            description += f" Plausible range {data_field.minimum:g} to {data_field.maximum:g} {data_field.unit}."
    return {"description": description, **schema}


def case_schema(dictionary: DataDictionary) -> dict[str, Any]:
    """A case file: the dictionary's fields, dotted names (plan.x) as nested objects."""
    root: dict[str, Any] = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
    for data_field in dictionary.fields:
        node = root
        *groups, leaf = data_field.name.split(".")
        for group in groups:
            node = node["properties"].setdefault(
                group,
                {"type": ["object", "null"], "properties": {}, "required": [], "additionalProperties": False},
            )
        node["properties"][leaf] = field_schema(data_field)
        if data_field.required:
            node["required"].append(leaf)
    return {
        "$schema": DIALECT,
        "$id": "https://b12spec.example/schema/case.json",
        "title": "b12spec patient case",
        "description": "A patient case for b12spec evaluate (YAML or JSON), generated from spec/dictionary.yaml.",
        **root,
    }


_STRINGS = {"type": "array", "items": {"type": "string"}}


def result_schema(spec: Spec) -> dict[str, Any]:
    """``b12spec evaluate --json``: decisions, warnings, citations, open questions, disclaimer."""
    entry = {
        "type": "object",
        "required": ["output", "output_label", "value", "label", "rule", "citations", "open_questions", "annotation"],
        "properties": {
            "output": {"type": "string"}, "output_label": {"type": "string"}, "label": {"type": "string"},
            "rule": {"type": "string"}, "citations": _STRINGS, "open_questions": _STRINGS,
            "annotation": {"type": "string"},
        },
    }
    decision = {
        "type": "object",
        "required": ["title", "section", "hit_policy", "inputs", "matched_rules", "selected_rules", "result",
                     "entries"],
        "properties": {
            "title": {"type": "string"}, "section": {"type": "string"},
            "hit_policy": {"enum": ["U", "A", "P", "F", "C", "C+", "C<", "C>", "C#", "R", "O"]},
            "inputs": {"type": "object"}, "matched_rules": _STRINGS, "selected_rules": _STRINGS,
            "entries": {"type": "array", "items": entry},
        },
    }
    warning = {
        "type": "object",
        "required": ["severity", "about", "patient_specific", "decision", "output", "value", "message", "rule",
                     "rules", "citations", "open_questions"],
        "properties": {
            "severity": {"enum": ["critical", "warning", "info"]},
            "about": {"enum": ["patient", "general"]},
            "patient_specific": {"type": "boolean"},
            "decision": {"enum": [t.name for t in spec.tables]},
            "output": {"type": "string"}, "value": {}, "message": {"type": "string"}, "rule": {"type": "string"},
            "rules": _STRINGS, "citations": _STRINGS, "open_questions": _STRINGS,
        },
        "additionalProperties": False,
    }
    return {
        "$schema": DIALECT,
        "$id": "https://b12spec.example/schema/result.json",
        "title": "b12spec evaluation result",
        "description": f"The output of b12spec evaluate --json, format version {FORMAT_VERSION}.",
        "type": "object",
        "required": ["format_version", "guideline", "case", "given_units", "decisions", "warnings", "citations",
                     "open_questions", "disclaimer", "source_review_status"],
        "properties": {
            "format_version": {"const": FORMAT_VERSION},
            "guideline": {
                "type": "object", "required": ["title", "version"],
                "properties": {"title": {"type": "string"}, "version": {"type": "string"}},
            },
            "case": {"type": "object"},
            "given_units": {"type": "object"},
            "decisions": {
                "type": "object",
                "properties": {t.name: decision for t in spec.tables},
                "required": [t.name for t in spec.tables],
                "additionalProperties": False,
            },
            "warnings": {"type": "array", "items": warning},
            "citations": {"type": "array", "items": {
                "type": "object", "required": ["id", "title", "detail", "in_source", "attribution"],
                "properties": {"id": {"type": "string"}, "in_source": {"type": "boolean"},
                               "attribution": {"enum": ["stated", "inferred"]}}}},
            "open_questions": {"type": "array", "items": {
                "type": "object", "required": ["id", "title", "question", "rules"],
                "properties": {"id": {"type": "string"}, "rules": _STRINGS}}},
            "disclaimer": {"type": "string"},
            "source_review_status": {"type": "string"},
        },
    }


def error_schema() -> dict[str, Any]:
    """What ``--json`` prints instead of a result when nothing can be recommended."""
    return {
        "$schema": DIALECT,
        "$id": "https://b12spec.example/schema/error.json",
        "title": "b12spec error",
        "type": "object",
        "required": ["format_version", "error", "problems"],
        "properties": {
            "format_version": {"const": FORMAT_VERSION},
            "error": {"type": "string"},
            "problems": {"type": "array", "items": {
                "type": "object",
                "description": "One problem: a case field (field, value in words, allowed) or a spec location.",
                "properties": {"field": {"type": "string"}, "value": {"type": "string"}, "allowed": {"type": "string"},
                               "line": {"type": ["integer", "null"]}, "location": {"type": "string"},
                               "problem": {"type": "string"}},
                "additionalProperties": False}},
        },
        "additionalProperties": False,
    }
