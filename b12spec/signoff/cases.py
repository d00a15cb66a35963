"""A whole patient case that reaches given inputs of one table, for ``b12spec evaluate``.

A witness of the behavioural diff is stated in the table's own inputs; when the table reads an
upstream decision's output (``b12_status.status``), that is not something a case can carry: the
case must lead the upstream decision there. This searches for such a case (the upstream rules
that produce the value, each tried with a value inside its box) and keeps one only when
evaluating it with the engine gives the table exactly the witness inputs: a case is never
claimed, it is checked. Required fields the witness does not fix get a neutral filler (false, the
first allowed value, the lowest plausible number); a case is a test input, not a recommendation.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from b12spec.errors import B12SpecError
from b12spec.evaluate import Evaluation, evaluate
from b12spec.model import DecisionTable, FieldType, Spec
from b12spec.unary import Value
from b12spec.verify.regions import witness_of
from b12spec.verify.space import compile_table

_MAX_TRIES = 200  # cases evaluated before giving up (each is one engine run)
_MISSING = "(not produced)"


def case_reaching(spec: Spec, table: DecisionTable, inputs: Mapping[str, Value]) -> dict[str, Any] | None:
    """A case (as a case file holds it) under which ``table`` sees exactly ``inputs``, or None."""
    data = {name: value for name, value in inputs.items() if spec.dictionary.get(name) is not None}
    wanted = {name: value for name, value in inputs.items() if name not in data}
    order = spec.order or tuple(t.name for t in spec.tables)
    # Evaluate only the decisions before this one: the table's own answer (which may be an error,
    # e.g. a hit-policy violation in the changed version) does not matter for what it is given.
    before = replace(spec, order=order[: order.index(table.name)]) if table.name in order else spec
    for tries, choice in enumerate(_choices(spec, wanted, data)):
        if tries >= _MAX_TRIES:
            return None
        case = _case_file(spec, {**choice, **data})
        try:
            evaluation = evaluate(before, case)
        except B12SpecError:
            continue
        if all(_seen(evaluation, name) == value for name, value in inputs.items()):
            return case
    return None


def _seen(evaluation: Evaluation, expression: str) -> Value:
    """What the table would be given for ``expression``: a case value or an upstream output."""
    if expression in evaluation.case.values:
        return evaluation.case.values[expression]
    decision, _, output = expression.partition(".")
    result = evaluation.results.get(decision)
    if result is None or not isinstance(result.value, Mapping):
        return _MISSING
    produced: Value = result.value.get(output, _MISSING)
    return produced


def _choices(spec: Spec, wanted: Mapping[str, Value], fixed: Mapping[str, Value]) -> Iterator[dict[str, Value]]:
    """Data values that might make each upstream output in ``wanted`` take its value: the
    cartesian product of, per output, a sample inside each upstream rule producing it."""
    options: list[list[dict[str, Value]]] = []
    for expression, value in wanted.items():
        decision, _, output = expression.partition(".")
        try:
            upstream = spec.table(decision)
        except KeyError:
            return
        options.append(list(_rule_samples(spec, upstream, output, value, fixed)))
    for combination in itertools.product(*options):
        merged: dict[str, Value] = {}
        for part in combination:
            merged.update(part)
        yield merged


def _rule_samples(
    spec: Spec, table: DecisionTable, output: str, value: Value, fixed: Mapping[str, Value]
) -> Iterator[dict[str, Value]]:
    """For each rule of ``table`` giving ``output = value``, a sample of its box (data fields only;
    a rule reading another decision recurses one level through that decision's rules)."""
    at = [o.name for o in table.outputs].index(output) if output in [o.name for o in table.outputs] else None
    if at is None:
        return
    compiled = compile_table(spec, table)
    for rule, box in zip(table.rules, compiled.boxes, strict=True):
        if rule.outputs[at] != value:
            continue
        sample = witness_of(compiled.columns, box)
        data = {k: v for k, v in sample.items() if spec.dictionary.get(k) is not None and k not in fixed}
        deeper = {k: v for k, v in sample.items() if spec.dictionary.get(k) is None}
        if not deeper:
            yield data
            continue
        for more in itertools.islice(_choices(spec, deeper, {**fixed, **data}), 8):
            yield {**more, **data}


def _case_file(spec: Spec, values: Mapping[str, Value]) -> dict[str, Any]:
    """The values as a case file holds them: nested by dots, quantities with their unit, the
    required fields not given filled in, absent (null) values left out."""
    flat: dict[str, Value] = {}
    for data_field in spec.dictionary.fields:
        if data_field.required:
            flat[data_field.name] = _filler(data_field.type, data_field.values, data_field.minimum)
    flat.update(values)
    case: dict[str, Any] = {}
    for name, value in flat.items():
        if value is None:
            continue
        known = spec.dictionary.get(name)
        shown: Any = value
        if known is not None and known.unit and known.type is FieldType.NUMBER:
            shown = {"value": value, "unit": known.unit}
        target = case
        *parents, leaf = name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = shown
    return case


def _filler(kind: FieldType, values: tuple[str, ...], minimum: float | None) -> Value:
    if kind is FieldType.BOOLEAN:
        return False
    if kind is FieldType.NUMBER:
        return minimum if minimum is not None else 0
    return values[0] if values else None
