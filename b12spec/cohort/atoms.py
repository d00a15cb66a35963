"""Every input expression of the spec cut into atoms once; values encoded as atom indices.

The verifier's ``ColumnSpace`` (b12spec.verify.regions) cuts a column's domain at every threshold
any test mentions: no unary test can tell two values of one atom apart. Here the cut is made
once per *expression* across the whole spec (all tables, and the dictionary's contradictions),
so one atom index per patient and expression serves every table that reads it. Encoding is a
bisection for numbers and a dictionary look-up for discrete values, for one value (a single
case) or a whole numpy column (a cohort): both give the same index by construction.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from b12spec.model import InputColumn, Spec
from b12spec.unary import UnaryTest, Value
from b12spec.verify.regions import NULL, POINT, VALUE, ColumnSpace
from b12spec.verify.space import column_domain


def value_key(value: Value) -> tuple[str, Value]:
    """A dictionary key that keeps true apart from 1 and "1" apart from 1 (FEEL types)."""
    if isinstance(value, (bool, np.bool_)):
        return ("boolean", bool(value))
    if isinstance(value, str):
        return ("string", value)
    return ("number", float(value))  # type: ignore[arg-type]


class AtomCodec:
    """One expression's atoms, and the encoding of its values into atom indices."""

    def __init__(self, space: ColumnSpace) -> None:
        self.space = space
        self.expression = space.domain.expression
        atoms = space.atoms
        self.size = len(atoms)
        self.cut_list: list[float] = [float(a.value) for a in atoms if a.kind == POINT]  # type: ignore[arg-type]
        self.cuts = np.asarray(self.cut_list, dtype=np.float64)
        self.values: dict[tuple[str, Value], int] = {}
        for index, atom in enumerate(atoms):
            if atom.kind == VALUE:
                self.values[value_key(atom.value)] = index
        self.null = next((i for i, a in enumerate(atoms) if a.kind == NULL), -1)
        numbers = sorted((float(k[1]), i) for k, i in self.values.items() if k[0] == "number")  # type: ignore[arg-type]
        self._value_numbers = np.asarray([n for n, _ in numbers], dtype=np.float64)
        self._value_atoms = np.asarray([i for _, i in numbers], dtype=np.int64)

    def encode(self, value: Value) -> int:
        """The atom holding ``value``; -1 when the value is outside the domain."""
        if value is None:
            return self.null
        key = value_key(value)
        if key[0] == "number" and self.cut_list:
            number = key[1]
            assert isinstance(number, float)
            if number != number:  # NaN is null
                return self.null
            at = bisect_left(self.cut_list, number)
            if at < len(self.cut_list) and self.cut_list[at] == number:
                return 2 * at
            return 2 * at - 1 if 0 < at < len(self.cut_list) else -1
        return self.values.get(key, -1)

    def encode_numbers(self, numbers: np.ndarray) -> np.ndarray:
        """``encode`` over a float column (NaN is null), as an int64 array."""
        if self.cut_list:
            count = len(self.cut_list)
            at = np.searchsorted(self.cuts, numbers, side="left")  # NaN sorts last: at == count
            exact = self.cuts[np.minimum(at, count - 1)] == numbers
            atoms = 2 * at - 1
            atoms += exact
            odd = np.flatnonzero((at == count) | ((at == 0) & ~exact))  # null, or outside the range
            if len(odd):
                atoms[odd] = np.where(np.isnan(numbers[odd]), self.null, -1)
            return atoms
        nulls = np.isnan(numbers)
        if len(self._value_numbers):
            at = np.searchsorted(self._value_numbers, numbers)
            clipped = np.minimum(at, len(self._value_numbers) - 1)
            exact = self._value_numbers[clipped] == numbers
            atoms = np.where(exact, self._value_atoms[clipped], -1)
        else:
            atoms = np.full(len(numbers), -1, dtype=np.int64)
        found: np.ndarray = np.where(nulls, self.null, atoms).astype(np.int64)
        return found

    def code_table(self, values: Sequence[Value]) -> np.ndarray:
        """Atom of each of ``values``, plus a last entry for null: index it with codes where -1 is null."""
        return np.asarray([self.encode(v) for v in values] + [self.null], dtype=np.int64)

    def test_table(self, test: UnaryTest) -> np.ndarray:
        """For each atom, whether ``test`` matches it: a boolean look-up array."""
        mask = self.space.mask(test)
        return np.asarray([(mask >> i) & 1 == 1 for i in range(self.size)], dtype=bool)


def input_columns(spec: Spec) -> dict[str, InputColumn]:
    """Every expression some table reads, with the column that declares it."""
    found: dict[str, InputColumn] = {}
    for table in spec.tables:
        for column in table.inputs:
            found.setdefault(column.expression, column)
    for contradiction in spec.dictionary.contradictions:
        for name, _ in contradiction.when:
            found.setdefault(name, InputColumn(name, name))
    return found


def tests_on(spec: Spec, expression: str) -> Iterable[UnaryTest]:
    for table in spec.tables:
        for position, column in enumerate(table.inputs):
            if column.expression == expression:
                yield from (rule.inputs[position] for rule in table.rules)
    for contradiction in spec.dictionary.contradictions:
        yield from (test for name, test in contradiction.when if name == expression)


def atom_codecs(spec: Spec) -> dict[str, AtomCodec]:
    """One codec per expression read anywhere in the spec.

    Every domain gets a null atom, even where a valid case cannot be null: an atom nothing can
    reach changes no result, and a decision whose rule gives no value still encodes.
    """
    codecs: dict[str, AtomCodec] = {}
    for expression, column in input_columns(spec).items():
        domain = replace(column_domain(spec, column, {}), nullable=True)
        codecs[expression] = AtomCodec(ColumnSpace(domain, tests_on(spec, expression)))
    return codecs
