"""How a table of patients (one row each, one column per field) spells a case.

A row is read as the case file a clinician would have written for that patient, so the one
validator (``b12spec.case.validate_case``) judges it:

- an empty cell (or a missing value in a typed column) means the field was not given;
- a boolean is ``true`` or ``false`` (or a boolean column); anything else is left as written,
  and the validator refuses it naming the value;
- a number is a number (``250``, ``-3.5``) or a quantity with its unit (``"190 pmol/L"``); a
  column ``FIELD.unit`` beside a number column gives the unit of each row's value;
- an enumeration is its value as written.

``case_of_row`` is that reading for one row; the columnar validator (validate.py) reads whole
columns the same way, and the tests hold the two to agreement.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from b12spec.model import DataDictionary, FieldType

UNIT_SUFFIX = ".unit"
PLAIN_NUMBER = r"\s*-?\d+(?:\.\d+)?\s*"
_PLAIN = re.compile(PLAIN_NUMBER)
BOOLEAN_TEXT = {"true": True, "false": False}


def is_missing(value: object) -> bool:
    if value is None or (isinstance(value, str) and value == ""):
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False


def case_of_row(row: Mapping[str, Any], dictionary: DataDictionary) -> dict[str, Any]:
    """The case a row stands for, as a case file would give it (dotted names, not nested)."""
    case: dict[str, Any] = {}
    for name, cell in row.items():
        if name.endswith(UNIT_SUFFIX) and dictionary.get(name[: -len(UNIT_SUFFIX)]) is not None:
            continue
        if is_missing(cell):
            continue
        field = dictionary.get(name)
        value: Any = cell.item() if hasattr(cell, "item") else cell  # numpy scalars to Python
        if field is not None and field.type is FieldType.BOOLEAN and isinstance(value, str):
            value = BOOLEAN_TEXT.get(value, value)
        elif field is not None and field.type is FieldType.NUMBER:
            plain_text = isinstance(value, str) and _PLAIN.fullmatch(value)
            if plain_text or (isinstance(value, int) and not isinstance(value, bool)):
                value = float(value)
            unit = row.get(name + UNIT_SUFFIX)
            if unit is not None and not is_missing(unit):
                value = {"value": value, "unit": str(unit)}
        case[name] = value
    return case
