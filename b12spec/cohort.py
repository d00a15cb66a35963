"""Cohort evaluation: many validated patients at once, one column per input.

Rule matching is vectorised with ``UnaryTest.mask`` (the same parsed tests that serve a single
patient), and the hit policy is the very same ``select`` function applied row by row, so a cohort
can never be judged by different logic than one patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from b12spec.case import validate_case
from b12spec.hitpolicy import select
from b12spec.model import DecisionTable, Spec


def validated_frame(spec: Spec, cases: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Validate every case (fail closed: the first invalid case raises CaseError) into a frame."""
    rows = [dict(validate_case(case, spec.dictionary).values) for case in cases]
    return pd.DataFrame(rows, columns=list(spec.dictionary.names), dtype=object)


def rule_masks(table: DecisionTable, frame: pd.DataFrame) -> pd.DataFrame:
    """A boolean column per rule: which rows each rule matches."""
    masks = {}
    for rule in table.rules:
        matched = pd.Series(True, index=frame.index)
        for column, test in zip(table.inputs, rule.inputs, strict=True):
            matched &= test.mask(frame[column.expression])
        masks[rule.id] = matched
    return pd.DataFrame(masks, index=frame.index)


def evaluate_cohort(spec: Spec, frame: pd.DataFrame) -> pd.DataFrame:
    """Evaluate every decision for every row; returns the frame with result columns added.

    Single-hit and aggregated decisions add ``decision.output`` columns (which downstream tables
    read, exactly as in single-patient evaluation); every decision adds ``decision`` holding the
    table's value and ``decision:rules`` holding the rules the hit policy kept.
    """
    frame = frame.copy()
    for name in spec.order:
        table = spec.table(name)
        masks = rule_masks(table, frame)
        values: list[Any] = []
        kept: list[tuple[str, ...]] = []
        for index in frame.index:
            matched = tuple(rule for rule in table.rules if masks.at[index, rule.id])
            selection = select(table, matched)
            values.append(selection.value)
            kept.append(tuple(rule.id for rule in selection.rules))
        frame[name] = pd.Series(values, index=frame.index, dtype=object)
        frame[f"{name}:rules"] = pd.Series(kept, index=frame.index, dtype=object)
        if table.hit_policy.single_hit:
            for column in table.outputs:
                frame[f"{name}.{column.name}"] = pd.Series(
                    [value[column.name] for value in values], index=frame.index, dtype=object
                )
        elif table.hit_policy.aggregated:
            frame[f"{name}.{table.outputs[0].name}"] = pd.Series(values, index=frame.index, dtype=object)
    return frame
