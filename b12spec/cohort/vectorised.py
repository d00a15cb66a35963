"""The numpy path: validated columns to each table's outcome for every row, no per-row Python.

Each field column is encoded into atom indices once; each table in evaluation order looks its
rows' outcomes up from their atoms (plan.TablePlan), and a decision's published outputs become
the atoms of the columns downstream tables read, by indexing a per-outcome array.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.validate import Validated, atoms_of


@dataclass
class Outcomes:
    """For each decision, the outcome index of every row (rows refused by validation included)."""

    by_decision: dict[str, np.ndarray]

    def errors(self, compiled_spec: CompiledSpec) -> np.ndarray:
        """Per row, the position in evaluation order of the first decision that failed, or -1."""
        first = np.full(len(next(iter(self.by_decision.values()), ())), -1, dtype=np.int16)
        for position, (name, ids) in enumerate(self.by_decision.items()):
            failed = error_flags(compiled_spec, name)[ids] & (first < 0)
            first[failed] = position
        return first


def error_flags(compiled_spec: CompiledSpec, name: str) -> np.ndarray:
    return np.asarray([o.error is not None for o in compiled_spec.plans[name].outcomes], dtype=bool)


def field_atoms(compiled_spec: CompiledSpec, validated: Validated) -> dict[str, np.ndarray]:
    dictionary = compiled_spec.spec.dictionary
    return {
        name: validated.atoms[name]
        if name in validated.atoms
        else atoms_of(dictionary.get(name), validated.columns[name], compiled_spec.codecs[name])
        for name in compiled_spec.fields
    }


def evaluate_atoms(compiled_spec: CompiledSpec, atoms: Mapping[str, np.ndarray]) -> Outcomes:
    """Outcomes from atom columns; columns of decision outputs may be given (one table alone)."""
    atoms = dict(atoms)
    found: dict[str, np.ndarray] = {}
    for name, plan in compiled_spec.plans.items():
        if not all(e in atoms for e in plan.expressions):
            continue
        ids = plan.outcome_indices([atoms[e] for e in plan.expressions])
        found[name] = ids
        for expression in plan.publishes:
            codec = compiled_spec.codecs.get(expression)
            if codec is not None and expression not in atoms:
                atoms[expression] = plan.published_atoms(expression, codec)[ids]
    return Outcomes(found)


def evaluate_validated(compiled_spec: CompiledSpec, validated: Validated) -> Outcomes:
    """Every decision for every row; rows with problems get outcomes too but must not be reported."""
    return evaluate_atoms(compiled_spec, field_atoms(compiled_spec, validated))
