"""Column headers a reviewer can read: each input's label, unit and allowed values, and where it
is defined; each output's values, in priority order where the hit policy ranks them.

Everything is read from the data dictionary and the sidecars; nothing here is clinical.
"""

from __future__ import annotations

from dataclasses import dataclass

from b12spec.model import DecisionTable, FieldType, HitPolicy, InputColumn, OutputColumn, Spec

RANKED = (HitPolicy.PRIORITY, HitPolicy.OUTPUT_ORDER)


@dataclass(frozen=True)
class ColumnInfo:
    """What a column header says: label, unit, allowed values, and the field or decision it reads."""

    label: str
    expression: str
    unit: str | None
    allowed: str
    field: str | None = None  # a data-dictionary field: the header links to its entry
    decision: str | None = None  # another decision's output: the header links to that table


@dataclass(frozen=True)
class RankedValue:
    rank: int
    value: str
    label: str


def _labelled(values: tuple[str, ...], labels: tuple[tuple[str, str], ...]) -> str:
    names = dict(labels)
    return "; ".join(f"{names.get(v, v)} ({v})" if names.get(v, v) != v else v for v in values)


def input_info(spec: Spec, column: InputColumn) -> ColumnInfo:
    field = spec.dictionary.get(column.expression)
    if field is not None:
        if field.type is FieldType.ENUM:
            allowed = _labelled(field.values, field.value_labels)
        else:
            allowed = field.allowed_text()
        units = ", ".join(u.symbol for u in field.units) if field.units else field.unit
        return ColumnInfo(column.label, column.expression, units, allowed, field=field.name)
    if column.decision is not None:
        try:
            output = spec.table(column.decision).output(column.output or "")
        except KeyError:
            return ColumnInfo(column.label, column.expression, None, "not known", decision=column.decision)
        return ColumnInfo(
            column.label, column.expression, None, _labelled(output.values, output.value_labels),
            decision=column.decision,
        )
    return ColumnInfo(column.label, column.expression, None, "not in the data dictionary")


def output_info(column: OutputColumn) -> ColumnInfo:
    allowed = _labelled(column.values, column.value_labels) if column.values else column.type.value
    return ColumnInfo(column.label, column.name, None, allowed)


def priority_order(table: DecisionTable, column: OutputColumn) -> tuple[RankedValue, ...]:
    """The output's values in the order that decides a Priority or Output-order table (first wins)."""
    if table.hit_policy not in RANKED:
        return ()
    return tuple(RankedValue(i + 1, v, column.label_of(v)) for i, v in enumerate(column.values))
