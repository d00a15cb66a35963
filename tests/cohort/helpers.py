"""Patients for the cohort tests: random ones from the dictionary, faulty ones, and the witnesses
of every region of every table (one value inside each atom of the verifier's column spaces)."""

from __future__ import annotations

import itertools
import random
from typing import Any

import numpy as np
import pyarrow as pa

from b12spec.cohort.plan import CompiledSpec, TablePlan
from b12spec.cohort.sql import ROW_ID, column_name, sql_type
from b12spec.model import FieldType, Spec
from b12spec.unary import Value


def interesting_numbers(spec: Spec, field_name: str) -> list[float]:
    """Every threshold the tables use on this field, one precision step either side, and the range ends."""
    field = spec.dictionary.get(field_name)
    assert field is not None and field.minimum is not None and field.maximum is not None
    step = field.precision or 1.0
    points = {field.minimum, field.maximum}
    for table in spec.tables:
        for position, column in enumerate(table.inputs):
            if column.expression == field_name:
                for rule in table.rules:
                    for number in rule.inputs[position].numbers:
                        points.update({number - step, number, number + step})
    return sorted(round(p, 6) for p in points if field.minimum <= p <= field.maximum)


def random_case(spec: Spec, rng: random.Random) -> dict[str, Any]:
    """A valid case: numbers at and beside thresholds (and anywhere in range), fields often left out."""
    case: dict[str, Any] = {}
    for field in spec.dictionary.fields:
        if not field.required and rng.random() < 0.3:
            continue
        if field.type is FieldType.BOOLEAN:
            value: object = rng.choice([True, False])
        elif field.type is FieldType.ENUM:
            value = rng.choice(field.values)
        else:
            assert field.minimum is not None and field.maximum is not None
            if rng.random() < 0.7:
                number = rng.choice(interesting_numbers(spec, field.name))
            else:
                number = round(rng.uniform(field.minimum, field.maximum), 1)
            value = {"value": number, "unit": field.unit} if field.unit_required else number
        case[field.name] = value
    if case.get("sex") == "male":
        case["pregnant"] = case["lactating"] = False
    if case.get("neurological_involvement") is False:
        case.pop("severe_neurological_symptoms", None)
    return case


def row_of(case: dict[str, Any], as_text: bool = False) -> dict[str, Any]:
    """A case as a row of a patients table (FIELD.unit beside a quantity); as CSV text if asked."""
    row: dict[str, Any] = {}
    for name, value in case.items():
        if isinstance(value, dict):
            row[name], row[name + ".unit"] = value["value"], value["unit"]
        else:
            row[name] = value
    if as_text:
        row = {k: ("true" if v is True else "false" if v is False else "" if v is None else str(v))
               for k, v in row.items()}
    return row


FAULTS = (
    ("age_years", -3),
    ("age_years", "forty"),
    ("sex", "unknown"),
    ("pregnant", "yes"),
    ("total_b12.unit", "mg/L"),
    ("total_b12", "190 furlongs"),
    ("mma", 5000),
    ("diet", "carnivore"),
    ("sex+pregnant", None),
    ("severe", None),
)


def spoil(row: dict[str, Any], fault: tuple[str, Any]) -> dict[str, Any]:
    """One fault of FAULTS put into a row (a contradiction, a missing required field, a bad value)."""
    name, value = fault
    row = dict(row)
    if name == "sex+pregnant":
        row["sex"], row["pregnant"] = "male", True
    elif name == "severe":
        row["neurological_involvement"], row["severe_neurological_symptoms"] = False, True
    elif name == "total_b12.unit":
        row["total_b12"], row["total_b12.unit"] = 200, value
    elif name == "total_b12":
        row["total_b12"], row["total_b12.unit"] = value, None  # the unit only in the cell's text
    else:
        row[name] = value
    return row


def witnesses(plan: TablePlan) -> list[tuple[Value, ...]]:
    """One input per atom combination of a table: every region of it, each boundary on both sides."""
    per_column = [[atom.value for atom in codec.space.atoms] for codec in plan.codecs]
    return list(itertools.product(*per_column))


def witness_source(compiled_spec: CompiledSpec, plan: TablePlan, rows: list[tuple[Value, ...]]) -> pa.Table:
    """The witnesses as the SQL source for that table alone (its inputs under their SQL names)."""
    arrays: dict[str, pa.Array] = {ROW_ID: pa.array(np.arange(len(rows), dtype=np.int64))}
    types = {"DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "STRING": pa.string()}
    for j, expression in enumerate(plan.expressions):
        kind = sql_type(compiled_spec.spec, compiled_spec.codecs[expression])
        arrays[column_name(expression)] = pa.array([row[j] for row in rows], type=types[kind])
    return pa.table(arrays)
