"""How a table of patients (one row each, one column per field) spells a case.

A row is read as the case file a clinician would have written for that patient, so the one
validator (``b12spec.case.validate_case``) judges it:

- an empty cell (or a missing value in a typed column) means the field was not given;
- a boolean is ``true`` or ``false`` (``True``/``TRUE`` too, as in YAML; or a boolean column);
  anything else is left as written,
  and the validator refuses it naming the value;
- a number is a number (``250``, ``-3.5``) or a quantity with its unit (``"190 pmol/L"``); a
  column ``FIELD.unit`` beside a number column gives the unit of each row's value;
- an enumeration is its value as written.

``case_of_row`` is that reading for one row; the columnar validator (validate.py) applies the
same functions to each distinct value of a column, and the tests hold the two to agreement.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from b12spec.case import _QUANTITY
from b12spec.model import DataDictionary, FieldType

UNIT_SUFFIX = ".unit"
PLAIN_NUMBER = r"\s*-?\d+(?:\.\d+)?\s*"
_PLAIN = re.compile(PLAIN_NUMBER)
# As YAML reads them (and as pandas writes a boolean column): true, True, TRUE and the same for false.
BOOLEAN_TEXT = {word: truth for truth in (True, False) for word in (str(truth).lower(), str(truth), str(truth).upper())}


def is_missing(value: object) -> bool:
    if value is None or (isinstance(value, str) and value == ""):
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def python(cell: Any) -> Any:
    """A numpy scalar as the Python value a case file would hold."""
    return cell.item() if hasattr(cell, "item") and not isinstance(cell, (str, bytes)) else cell


def boolean_of(cell: Any) -> Any:
    """A boolean cell as a case value: true and false (as text too); anything else as written."""
    value = python(cell)
    return BOOLEAN_TEXT.get(value, value) if isinstance(value, str) else value


def number_value(cell: Any) -> Any:
    """A number cell as a case value: a number as a float, a plain number written as text too."""
    value = python(cell)
    if isinstance(value, str) and _PLAIN.fullmatch(value):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def number_of(cell: Any) -> tuple[float, str | None]:
    """What the validator reads in a number cell: (number or NaN when none, unit written in it)."""
    value = number_value(cell)
    if isinstance(value, float):
        return (value, None) if math.isfinite(value) else (math.nan, None)
    if isinstance(value, str):
        match = _QUANTITY.match(value)
        if match and match.group(2):
            return float(match.group(1)), match.group(2)
    return math.nan, None


def case_of_row(row: Mapping[str, Any], dictionary: DataDictionary) -> dict[str, Any]:
    """The case a row stands for, as a case file would give it (dotted names, not nested)."""
    case: dict[str, Any] = {}
    for name, cell in row.items():
        if name.endswith(UNIT_SUFFIX) and dictionary.get(name[: -len(UNIT_SUFFIX)]) is not None:
            continue
        if is_missing(cell):
            continue
        field = dictionary.get(name)
        value: Any = python(cell)
        if field is not None and field.type is FieldType.BOOLEAN:
            value = boolean_of(cell)
        elif field is not None and field.type is FieldType.NUMBER:
            value = number_value(cell)
            unit = row.get(name + UNIT_SUFFIX)
            if unit is not None and not is_missing(unit):
                value = {"value": value, "unit": str(python(unit))}
        case[name] = value
    return case
