"""Generated patient cases for the cross-check: every region of every table, then random ones.

A field's values come from the verifier's atoms (``verify.regions.ColumnSpace``): every threshold
any table tests the field against, a value strictly between each two, null for an optional
field, every enum value, true and false. No unary test can tell two values of one atom apart, so
cases drawn from atoms reach every region a table can distinguish; a share of plain random
values inside the plausible range is added so that numbers other than the atoms' are read too.
Cases the dictionary refuses (a contradiction) are drawn again. Seeded: the same seed gives the
same cases.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

from b12spec.case import PatientCase, validate_case
from b12spec.errors import CaseError
from b12spec.evaluate import evaluate_case
from b12spec.model import DataField, FieldType, Spec
from b12spec.unary import UnaryTest, Value
from b12spec.verify.regions import ColumnSpace, Domain

_RANDOM_SHARE = 0.25  # of number draws: a random value in range instead of an atom's


def field_atoms(spec: Spec, data_field: DataField) -> tuple[Value, ...]:
    """One value per atom of the field, cut by every test on it in any table or contradiction."""
    tests: list[UnaryTest] = [
        rule.inputs[i]
        for table in spec.tables
        for i, column in enumerate(table.inputs)
        if column.expression == data_field.name
        for rule in table.rules
    ]
    tests += [test for c in spec.dictionary.contradictions for name, test in c.when if name == data_field.name]
    space = ColumnSpace(Domain.of_field(data_field), tests)
    return tuple(atom.value for atom in space.atoms)


def _raw(data_field: DataField, value: Value) -> Any:
    if value is not None and data_field.type is FieldType.NUMBER and data_field.unit_required:
        return {"value": value, "unit": data_field.unit}
    return value


def _draw(rng: random.Random, data_field: DataField, atoms: tuple[Value, ...]) -> Value:
    if data_field.type is FieldType.NUMBER and rng.random() < _RANDOM_SHARE:
        assert data_field.minimum is not None and data_field.maximum is not None
        step = data_field.precision or 1.0
        steps = int((data_field.maximum - data_field.minimum) / step)
        return round(data_field.minimum + rng.randint(0, steps) * step, 6)
    return rng.choice(atoms)


def random_cases(spec: Spec, seed: int) -> Iterator[PatientCase]:
    """An endless stream of valid cases, each field drawn independently."""
    rng = random.Random(seed)
    atoms = {f.name: field_atoms(spec, f) for f in spec.dictionary.fields}
    while True:
        raw = {}
        for data_field in spec.dictionary.fields:
            value = _draw(rng, data_field, atoms[data_field.name])
            if value is not None:
                raw[data_field.name] = _raw(data_field, value)
        try:
            yield validate_case(raw, spec.dictionary)
        except CaseError:
            continue


def region_cases(spec: Spec, seed: int, budget: int) -> list[PatientCase]:
    """Cases that together make every rule of every table match, found among random draws.

    Draws until every rule matched at least once or ``budget`` draws are spent; keeps only the
    draws that matched a rule no earlier kept case had matched. Rules never reached are what the
    caller reports (``unreached_rules``).
    """
    wanted = {(t.name, r.id) for t in spec.tables for r in t.rules}
    kept: list[PatientCase] = []
    for count, case in enumerate(random_cases(spec, seed)):
        if count >= budget or not wanted:
            break
        reached = _matched(spec, case)
        if reached & wanted:
            wanted -= reached
            kept.append(case)
    return kept


def _matched(spec: Spec, case: PatientCase) -> set[tuple[str, str]]:
    evaluation = evaluate_case(spec, case)
    return {(name, rule) for name, result in evaluation.results.items() for rule in result.matched}


def unreached_rules(spec: Spec, cases: list[PatientCase]) -> list[str]:
    """The rules no case matches, as ``decision:rule``."""
    reached: set[tuple[str, str]] = set()
    for case in cases:
        reached |= _matched(spec, case)
    return [f"{t.name}:{r.id}" for t in spec.tables for r in t.rules if (t.name, r.id) not in reached]


def generated_cases(spec: Spec, seed: int, total: int, region_budget: int = 50_000) -> list[PatientCase]:
    """The region cases first, then random ones up to ``total`` (no fewer than the region cases)."""
    cases = region_cases(spec, seed, region_budget)
    cases.extend(itertools.islice(random_cases(spec, seed + 1), max(0, total - len(cases))))
    return cases
