"""A spec compiled once: each table becomes a look-up from its inputs' atoms to an outcome.

For each table and input column, every atom knows the set of rules whose test matches it (an
int bitset over the rules). The rules a patient matches are the AND of those sets over the
columns: the patient's *pattern*, one row of the rule-mask matrix. The hit policy is applied to
a pattern by the engine's one implementation, ``b12spec.hitpolicy.select``, once per distinct
pattern (memoised): a table has a handful of patterns, a cohort has millions of rows, so no
per-row Python runs and no second copy of the hit-policy logic exists. Each distinct result is
an *outcome* with an index; a single case, the numpy path and the SQL path all name the same
outcomes, which is what makes them comparable.

For the numpy path the patterns of every atom combination are computed up front (the table's
atom grid, a few thousand cells for a clinical table), so a cohort row costs one multiply-add
per input column and one array look-up per table.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np

from b12spec.case import PatientCase
from b12spec.cohort.atoms import AtomCodec, atom_codecs
from b12spec.errors import EvaluationError
from b12spec.evaluate import DecisionResult, Evaluation, RuleHit, hits_of, published_outputs
from b12spec.hitpolicy import select
from b12spec.model import DecisionTable, FieldType, Spec
from b12spec.requirements import evaluation_order
from b12spec.unary import Value

# Above this many atom combinations a table is not tabulated up front: its rows' patterns are
# computed and deduplicated instead (same outcomes, slower).
GRID_LIMIT = 1 << 21


@dataclass(frozen=True)
class Outcome:
    """What a table gives for one pattern of matched rules: a result or the error it raises."""

    index: int
    pattern: int
    matched: tuple[str, ...]
    hits: tuple[RuleHit, ...]
    value: Any
    published: tuple[tuple[str, Value], ...]
    error: tuple[type[EvaluationError], str, str] | None = None  # (class, decision, message)

    @property
    def kept(self) -> tuple[str, ...]:
        return tuple(hit.rule for hit in self.hits)

    def raise_error(self) -> None:
        if self.error is not None:
            kind, decision, message = self.error
            raise kind(decision, message)


class TablePlan:
    """One decision table over spec-wide atoms."""

    def __init__(self, table: DecisionTable, codecs: Mapping[str, AtomCodec]) -> None:
        self.table = table
        self.name = table.name
        self.expressions = tuple(column.expression for column in table.inputs)
        self.codecs = tuple(codecs[e] for e in self.expressions)
        self.rule_count = len(table.rules)
        self.full = (1 << self.rule_count) - 1
        # rule_bits[j][a]: the rules whose j-th test matches atom a.
        self.rule_bits: tuple[tuple[int, ...], ...] = tuple(
            tuple(
                sum(1 << r for r, rule in enumerate(table.rules) if codec.space.mask(rule.inputs[j]) >> a & 1)
                for a in range(codec.size)
            )
            for j, codec in enumerate(self.codecs)
        )
        self.publishes = tuple(published_outputs(table, None))
        self.outcomes: list[Outcome] = []
        self._by_pattern: dict[int, Outcome] = {}
        self._published_atoms: dict[str, np.ndarray] = {}
        sizes = [codec.size for codec in self.codecs]
        self.strides = tuple(int(np.prod(sizes[j + 1 :], dtype=np.int64)) for j in range(len(sizes)))
        cells = int(np.prod(sizes, dtype=np.int64)) if sizes else 1
        self.grid: np.ndarray | None = self._tabulate() if cells <= GRID_LIMIT else None
        if self.grid is None:
            for pattern in self.possible_patterns():
                self.outcome(pattern)

    # ------------------------------------------------------------------ outcomes

    def outcome(self, pattern: int) -> Outcome:
        """The outcome of a pattern, computed by the hit policy once and remembered."""
        known = self._by_pattern.get(pattern)
        if known is not None:
            return known
        table = self.table
        matched = tuple(rule for r, rule in enumerate(table.rules) if pattern >> r & 1)
        index = len(self.outcomes)
        try:
            selection = select(table, matched)
        except EvaluationError as error:
            message = str(error).split(": ", 1)[1]
            outcome = Outcome(index, pattern, tuple(r.id for r in matched), (), None,
                              tuple((e, None) for e in self.publishes), (type(error), error.decision, message))
        else:
            published = published_outputs(table, selection.value)
            outcome = Outcome(index, pattern, tuple(r.id for r in matched), hits_of(table, selection),
                              selection.value, tuple(published.items()))
        self.outcomes.append(outcome)
        self._by_pattern[pattern] = outcome
        return outcome

    def pattern_of(self, values: Sequence[Value]) -> int:
        """The rules one set of input values matches (-1 atom: outside the domain, refused)."""
        pattern = self.full
        for bits, codec, value in zip(self.rule_bits, self.codecs, values, strict=True):
            atom = codec.encode(value)
            if atom < 0:
                raise EvaluationError(self.name, f"{codec.expression} = {value!r} is outside its domain")
            pattern &= bits[atom]
        return pattern

    def possible_patterns(self) -> list[int]:
        """Every pattern some atom combination gives, column by column with duplicates merged."""
        live = {self.full}
        for bits in self.rule_bits:
            column = set(bits)
            live = {p & b for p in live for b in column}
        return sorted(live)

    # ------------------------------------------------------------------ numpy

    def _words(self) -> int:
        return max(1, (self.rule_count + 63) // 64)

    def _bits_array(self, j: int) -> np.ndarray:
        words = self._words()
        return np.asarray(
            [[(b >> (64 * w)) & 0xFFFFFFFFFFFFFFFF for w in range(words)] for b in self.rule_bits[j]], dtype=np.uint64
        )

    def _patterns_to_outcomes(self, patterns: np.ndarray) -> np.ndarray:
        """Map rows of packed patterns (n, words) to outcome indices, one hit-policy call per distinct row."""
        unique, inverse = np.unique(patterns, axis=0, return_inverse=True)
        ids = np.empty(len(unique), dtype=np.int32)
        for k, row in enumerate(unique):
            pattern = reduce(lambda acc, w: (acc << 64) | int(w), reversed(row.tolist()), 0)
            ids[k] = self.outcome(pattern).index
        return ids[inverse.reshape(-1)]

    def _tabulate(self) -> np.ndarray:
        """Outcome index of every atom combination, flattened in C order (last column fastest)."""
        words = self._words()
        full = [(self.full >> (64 * w)) & 0xFFFFFFFFFFFFFFFF for w in range(words)]
        patterns = np.asarray([full], dtype=np.uint64)
        for j in range(len(self.codecs)):
            bits = self._bits_array(j)
            patterns = (patterns[:, None, :] & bits[None, :, :]).reshape(-1, words)
        return self._patterns_to_outcomes(patterns)

    def outcome_indices(self, atoms: Sequence[np.ndarray]) -> np.ndarray:
        """The outcome of every row, from its atom index in each input column."""
        for codec, column in zip(self.codecs, atoms, strict=True):
            if len(column) and int(column.min()) < 0:
                raise EvaluationError(self.name, f"a value of {codec.expression} is outside its domain")
        if self.grid is not None:
            if not atoms:
                return np.zeros(0, dtype=np.int32)
            code = atoms[0] * self.strides[0]
            for column, stride in zip(atoms[1:], self.strides[1:], strict=True):
                code = code + column * stride
            found: np.ndarray = self.grid[code]
            return found
        patterns = self._bits_array(0)[atoms[0]]
        for j in range(1, len(atoms)):
            patterns = patterns & self._bits_array(j)[atoms[j]]
        return self._patterns_to_outcomes(patterns)

    def published_atoms(self, expression: str, codec: AtomCodec) -> np.ndarray:
        """For each outcome, the atom its published value for ``expression`` falls in."""
        known = self._published_atoms.get(expression)
        if known is None or len(known) != len(self.outcomes):
            known = np.asarray([codec.encode(dict(o.published)[expression]) for o in self.outcomes], dtype=np.int64)
            self._published_atoms[expression] = known
        return known


class CompiledSpec:
    """Every table of a spec compiled once, in evaluation order.

    A single case is run on atoms: each field's value is encoded once (a bisection or a dict
    look-up), each table ANDs one rule bitset per input column, finds its outcome by pattern, and
    hands its published values to downstream tables as atoms too. The trace (what each table saw,
    which rules matched, which were kept) is fully determined by the case and the outcomes;
    ``DecisionResult`` objects are built from it when first read.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.order = spec.order or evaluation_order(spec)
        self.codecs = atom_codecs(spec)
        self.plans = {name: TablePlan(spec.table(name), self.codecs) for name in self.order}
        self.fields = tuple(e for e in self.codecs if spec.dictionary.get(e) is not None)
        slot = {e: i for i, e in enumerate(self.codecs)}
        self._slots = len(slot)
        self._encoders = tuple((slot[e], e, _scalar_encoder(self.codecs[e], spec)) for e in self.fields)
        self._steps = tuple(
            (
                plan,
                plan.full,
                tuple(zip(plan.rule_bits, (slot[e] for e in plan.expressions), strict=True)),
                tuple(
                    (slot[e], plan.published_atoms(e, self.codecs[e]).tolist()) for e in plan.publishes if e in slot
                ),
            )
            for plan in self.plans.values()
        )

    def outcomes_of(self, case: PatientCase) -> tuple[Outcome, ...]:
        """Each table's outcome for a validated case, in evaluation order; raises EvaluationError."""
        values = case.values
        atoms = [0] * self._slots
        for at, name, encode in self._encoders:
            atoms[at] = encode(values.get(name))
        found = []
        for plan, full, columns, publishes in self._steps:
            pattern = full
            for bits, at in columns:
                pattern &= bits[atoms[at]]
            outcome = plan._by_pattern.get(pattern) or plan.outcome(pattern)
            if outcome.error is not None:
                outcome.raise_error()
            found.append(outcome)
            for at, by_outcome in publishes:
                atoms[at] = by_outcome[outcome.index]
        return tuple(found)

    def evaluate_case(self, case: PatientCase) -> Evaluation:
        """The same Evaluation as ``b12spec.evaluate.evaluate_case``, from the look-ups."""
        return Evaluation(case, TracedResults(self, case, self.outcomes_of(case)))


def _scalar_encoder(codec: AtomCodec, spec: Spec) -> Callable[[Value], int]:
    """A fast ``codec.encode`` for one dictionary field, whose values validation has typed."""
    field = spec.dictionary.get(codec.expression)
    assert field is not None
    null = codec.null

    def refuse(value: Value) -> int:
        raise EvaluationError("(case)", f"{codec.expression} = {value!r} is outside its domain")

    if codec.cut_list:
        cuts = codec.cut_list
        count = len(cuts)

        def encode_number(value: Value) -> int:
            if value is None:
                return null
            at = bisect_left(cuts, value)
            if at < count and cuts[at] == value:
                return 2 * at
            return 2 * at - 1 if 0 < at < count else refuse(value)

        return encode_number
    kind = bool if field.type is FieldType.BOOLEAN else str
    by_value = {key[1]: atom for key, atom in codec.values.items() if isinstance(key[1], kind)}

    def encode_value(value: Value) -> int:
        if value is None:
            return null
        atom = by_value.get(value) if value.__class__ is kind else None
        return refuse(value) if atom is None else atom

    return encode_value


class TracedResults(Mapping[str, DecisionResult]):
    """Each decision's result, built on first read from the case and the outcomes."""

    def __init__(self, compiled_spec: CompiledSpec, case: PatientCase, outcomes: tuple[Outcome, ...]) -> None:
        self._spec = compiled_spec
        self._case = case
        self._outcomes = dict(zip(compiled_spec.order, outcomes, strict=True))
        self._built: dict[str, DecisionResult] = {}
        self._context: dict[str, Value] | None = None

    def __getitem__(self, name: str) -> DecisionResult:
        built = self._built.get(name)
        if built is not None:
            return built
        outcome = self._outcomes[name]
        if self._context is None:
            context = dict(self._case.values)
            for each in self._outcomes.values():
                context.update(each.published)
            self._context = context
        plan = self._spec.plans[name]
        table = plan.table
        seen = {e: self._context.get(e) for e in plan.expressions}
        built = DecisionResult(name, table.title, table.hit_policy, seen, outcome.matched, outcome.hits,
                               _fresh(outcome.value))
        self._built[name] = built
        return built

    def __iter__(self) -> Iterator[str]:
        return iter(self._outcomes)

    def __len__(self) -> int:
        return len(self._outcomes)


def _fresh(value: Any) -> Any:
    """A copy of a remembered result's containers, so no caller can change another's result."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return [dict(v) for v in value]
    return value


_COMPILED: dict[int, tuple[Spec, CompiledSpec]] = {}


def compiled(spec: Spec) -> CompiledSpec:
    """The spec compiled once and kept (specs are frozen: identity is enough)."""
    known = _COMPILED.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    result = CompiledSpec(spec)
    if len(_COMPILED) > 8:
        _COMPILED.clear()
    _COMPILED[id(spec)] = (spec, result)
    return result
