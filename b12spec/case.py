"""A patient case, checked against the data dictionary before anything is evaluated.

Fail closed: every problem is collected and the whole case is refused, so no partial
recommendation can ever come out of an unknown field, a wrong type, an implausible value, an
unknown unit or a contradiction. Quantities are normalised to the dictionary's canonical unit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from b12spec.errors import CaseError, CaseProblem, closest
from b12spec.model import DataDictionary, DataField, FieldType
from b12spec.unary import Value

# ASCII digits only, as FEEL defines a number: ``\d`` would also read Arabic-Indic digits.
_QUANTITY = re.compile(r"^[ \t]*(-?[0-9]+(?:\.[0-9]+)?)[ \t]*(\S.*?)?[ \t]*$", re.ASCII)
# Spelling suggestions cost a fuzzy match each: a file of thousands of unknown keys gets the
# first few suggested and the rest listed plainly, so refusing it stays fast.
_MAX_SUGGESTIONS = 8
# Unit conversion can leave float noise (132.84 / 0.738 = 179.99999999999997); six decimals is
# far below any laboratory's precision and keeps threshold comparisons honest.
_CONVERSION_DECIMALS = 6


@dataclass(frozen=True)
class Quantity:
    """A value as given, before normalisation, kept so a report can show both."""

    value: float
    unit: str


@dataclass(frozen=True)
class PatientCase:
    """A validated case: every dictionary field present (None when not given), canonical units."""

    values: Mapping[str, Value]
    given: Mapping[str, Quantity] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Value:
        return self.values[name]


def flatten(
    raw: Mapping[str, Any], dictionary: DataDictionary, prefix: str = "", problems: list[CaseProblem] | None = None
) -> dict[str, Any]:
    """Nested mappings (a proposed plan) become dotted names; a quantity mapping stays whole.

    Only a mapping that groups dictionary fields is opened: an unknown field given as a quantity
    (``total_b21: {value: 200, unit: ng/L}``) stays one unknown field, not ``total_b21.value``.
    A field written both ways (``plan.x: a`` and ``plan: {x: b}``) is one field given twice:
    reported in ``problems`` (which value was meant cannot be guessed), never "last one wins".
    """
    problems = [] if problems is None else problems
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        groups_fields = dictionary.groups_fields(name)
        if value is None and dictionary.get(name) is None and groups_fields:
            continue  # an empty group (`plan:` with nothing under it) gives no field
        if isinstance(value, Mapping) and dictionary.get(name) is None and groups_fields:
            entries = flatten(value, dictionary, name + ".", problems).items()
        else:
            entries = {name: value}.items()
        for entry, entry_value in entries:
            if entry in flat:
                problems.append(
                    CaseProblem(
                        entry,
                        [flat[entry], entry_value],
                        "the field once: it is given twice (as a dotted name and nested); "
                        "which value is meant cannot be guessed",
                    )
                )
            flat[entry] = entry_value
    return flat


def validate_case(raw: Any, dictionary: DataDictionary) -> PatientCase:
    """Check and normalise a case; raises CaseError listing every problem."""
    if not isinstance(raw, Mapping):
        raise CaseError([CaseProblem("(case)", raw, "a mapping of field names to values")])
    problems: list[CaseProblem] = []
    flat = flatten(raw, dictionary, problems=problems)
    values: dict[str, Value] = {}
    given: dict[str, Quantity] = {}
    refused = {p.field for p in problems}  # fields whose given value was refused: not also "required"
    unknown = 0
    for name, value in flat.items():
        data_field = dictionary.get(name)
        if data_field is None:
            unknown += 1
            hint = closest(name, dictionary.names) if unknown <= _MAX_SUGGESTIONS else None
            allowed = (
                f"a field of the data dictionary (did you mean {hint!r}?)"
                if hint is not None
                else "a field of the data dictionary: " + ", ".join(dictionary.names)
            )
            problems.append(CaseProblem(str(name), value, allowed))
            continue
        if name in refused:
            continue
        if value is None:
            continue
        normalised = _normalise(data_field, value, problems, given)
        if normalised is None:
            refused.add(name)
        else:
            values[name] = normalised
    for data_field in dictionary.fields:
        if data_field.required and values.get(data_field.name) is None and data_field.name not in refused:
            problems.append(CaseProblem(data_field.name, None, f"required: {data_field.allowed_text()}"))
        values.setdefault(data_field.name, None)
    for contradiction in dictionary.contradictions:
        # checked even when other fields were refused, so the case is fixed in one pass; a
        # contradiction on a refused field is not judged (its value is unknown).
        troubled = refused | {p.field for p in problems}
        judged = not any(f in troubled for f, _ in contradiction.when)
        if judged and contradiction.when and all(test.matches(values.get(f)) for f, test in contradiction.when):
            fields = {f: values.get(f) for f, _ in contradiction.when}
            problems.append(
                CaseProblem(
                    " + ".join(f for f, _ in contradiction.when),
                    fields,
                    f"not together ({contradiction.id}): {contradiction.message}",
                )
            )
    if problems:
        raise CaseError(problems)
    return PatientCase(values, given)


def _normalise(data_field: DataField, value: Any, problems: list[CaseProblem], given: dict[str, Quantity]) -> Value:
    name = data_field.name
    if data_field.type is FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        problems.append(CaseProblem(name, value, "true or false"))
        return None
    if data_field.type is FieldType.ENUM:
        if isinstance(value, str) and value in data_field.values:
            return value
        problems.append(CaseProblem(name, value, data_field.allowed_text()))
        return None
    if isinstance(value, Mapping) and isinstance(value.get("value"), str):
        problems.append(
            CaseProblem(
                f"{name}.value",
                value["value"],
                'a bare number, with the unit in unit: (for example {value: 250, unit: "ng/L"})',
            )
        )
        return None
    number, unit_symbol = _split_quantity(value)
    if number is None:
        problems.append(CaseProblem(name, value, data_field.allowed_text()))
        return None
    if unit_symbol is None:
        if data_field.unit_required:
            problems.append(
                CaseProblem(
                    name,
                    value,
                    "a unit must be given: one of "
                    + ", ".join(u.symbol for u in data_field.units)
                    + ' (for example {value: 250, unit: "ng/L"})',
                )
            )
            return None
        unit_symbol = data_field.unit
    if unit_symbol is not None:
        unit = data_field.find_unit(unit_symbol)
        if unit is None:
            accepted = ", ".join(u.symbol for u in data_field.units) or "none"
            problems.append(CaseProblem(f"{name}.unit", unit_symbol, f"one of {accepted}"))
            return None
        if unit.symbol != data_field.unit:
            given[name] = Quantity(number, unit.symbol)
        number = round(unit.to_canonical(number), _CONVERSION_DECIMALS)
    assert data_field.minimum is not None and data_field.maximum is not None
    if not (data_field.minimum <= number <= data_field.maximum):
        shown = value if unit_symbol == data_field.unit else f"{value} (= {number:g} {data_field.unit})"
        problems.append(CaseProblem(name, shown, data_field.allowed_text() + " (plausible range)"))
        return None
    return number


def _split_quantity(value: Any) -> tuple[float | None, str | None]:
    """Accept 250, {value: 250, unit: "ng/L"} or "250 ng/L"; anything else is not a number."""
    if isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)):
        return (None, None) if math.isnan(value) or math.isinf(value) else (float(value), None)
    if isinstance(value, Mapping):
        # {value, unit}: the value is a bare number. Text there ("150 pmol/L", "50 bananas")
        # would carry a unit of its own that the mapping's unit silently overrides or drops.
        if set(value) - {"value", "unit"} or "value" not in value:
            return None, None
        inner, unit = value["value"], value.get("unit")
        if isinstance(inner, bool) or not isinstance(inner, (int, float)) or not isinstance(unit, (str, type(None))):
            return None, None
        number, _ = _split_quantity(inner)
        return number, unit
    if isinstance(value, str):
        match = _QUANTITY.match(value)
        if match and match.group(2):  # bare text such as "250" is text, not a number
            return float(match.group(1)), match.group(2)
    return None, None
