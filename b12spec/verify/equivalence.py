"""Are two versions of a decision table the same function? Exact, with a witness when they are not.

The mutation tester asks this of every surviving mutant: a mutant that gives the same result as
the original for every valid input is *equivalent* and cannot be killed by any scenario. Both
tables are compiled into one atom space (the thresholds of both), their rules become boxes in one
index, and the sweep of space.py walks the columns grouping atoms by the set of rules of *both*
tables alive on them. At each leaf every input of the leaf's box matches the same rules of each
table, so comparing the two tables' results there once is exact. Inputs the data dictionary
refuses (its contradictions) are never compared.

A result is what the engine's hit policy makes of the matched rules (``b12spec.hitpolicy.select``):
the outputs of the winner for single-hit policies; "no rule matched" and "hit policy violated"
are results too, so a mutant that opens a gap or an overlap differs from the original. C is
compared as a multiset (DMN does not order it); R and O as ordered lists; C+ C< C> C# as numbers.
With ``by_rule=True`` the ids of the rules kept must agree as well (citations differ otherwise).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from b12spec.errors import EvaluationError, HitPolicyViolation
from b12spec.hitpolicy import select
from b12spec.model import DecisionTable, HitPolicy, Spec
from b12spec.unary import Value
from b12spec.verify.regions import ColumnSpace, bits, witness_of
from b12spec.verify.space import CoverIndex, compile_table, produced_values


@dataclass(frozen=True)
class Equivalence:
    """``equal``; otherwise ``witness``, an input where the results differ, and both results."""

    equal: bool
    witness: Mapping[str, Value] | None = None
    original: str | None = None
    mutant: str | None = None

    def __post_init__(self) -> None:
        if self.witness is not None and not isinstance(self.witness, MappingProxyType):
            object.__setattr__(self, "witness", MappingProxyType(dict(self.witness)))

    def __hash__(self) -> int:
        return hash((self.equal, self.original, self.mutant))


_PRODUCED: dict[int, tuple[Spec, dict[str, tuple[Value, ...]]]] = {}


def _produced(spec: Spec) -> dict[str, tuple[Value, ...]]:
    """What each decision output can be (reachable rules only), computed once per spec."""
    cached = _PRODUCED.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    from b12spec.verify.analysis import unreachable_rules

    produced: dict[str, tuple[Value, ...]] = {}
    for name in spec.order or tuple(t.name for t in spec.tables):
        table = spec.table(name)
        ct = compile_table(spec, table, produced)
        never = {item.rule for item in unreachable_rules(ct)}
        reachable = [i for i in range(len(table.rules)) if i not in never]
        for output in table.outputs:
            produced[f"{name}.{output.name}"] = produced_values(table, output.name, reachable)
    if len(_PRODUCED) > 8:
        _PRODUCED.clear()
    _PRODUCED[id(spec)] = (spec, produced)
    return produced


def result_of(table: DecisionTable, matched: tuple[int, ...], by_rule: bool = False) -> tuple[Any, ...]:
    """The comparable result of a table when exactly the rules at ``matched`` match."""
    rules = tuple(table.rules[i] for i in matched)
    try:
        selection = select(table, rules)
    except HitPolicyViolation:
        return ("hit policy violated",)
    except EvaluationError as error:
        return ("no rule matched",) if not rules else ("error", str(error))
    value = selection.value
    policy = table.hit_policy
    if policy.single_hit:
        shown: Any = tuple(sorted(value.items()))
    elif policy is HitPolicy.COLLECT:
        shown = tuple(sorted(Counter(tuple(sorted(v.items())) for v in value).items(), key=repr))
    elif isinstance(value, list):
        shown = tuple(tuple(sorted(v.items())) for v in value)
    else:
        shown = value
    if by_rule:
        return ("value", shown, tuple(r.id for r in selection.rules))
    return ("value", shown)


def _plain(shown: Any) -> Any:
    """A comparable result back in readable form: outputs as dicts, a collection as a list."""
    if isinstance(shown, tuple) and shown and all(isinstance(p, tuple) and len(p) == 2 for p in shown):
        if all(isinstance(k, str) for k, _ in shown):
            return dict(shown)
        if all(isinstance(n, int) for _, n in shown):  # a multiset (hit policy C)
            return [_plain(item) for item, n in shown for _ in range(n)]
    if isinstance(shown, tuple):
        return [_plain(item) for item in shown]
    return shown


def _render(result: tuple[Any, ...]) -> str:
    if result[0] != "value":
        return result[0] if len(result) == 1 else f"{result[0]}: {result[1]}"
    text = repr(_plain(result[1]))
    return text if len(result) == 2 else f"{text} by {', '.join(result[2])}"


@dataclass(frozen=True)
class Difference:
    """A box of inputs (one atom mask per column) on which the two tables answer differently, with
    one witness input inside it and both answers, rendered and as plain data."""

    box: tuple[int, ...]
    witness: Mapping[str, Value]
    original: str
    mutant: str
    original_value: Any
    mutant_value: Any


@dataclass(frozen=True)
class Differences:
    """Every region where two versions of a table answer differently (up to a limit)."""

    columns: tuple[ColumnSpace, ...]
    regions: tuple[Difference, ...]
    truncated: bool  # the limit was reached: there may be more regions


def equivalent(spec: Spec, original: DecisionTable, mutant: DecisionTable, *, by_rule: bool = False) -> Equivalence:
    """Decide exactly whether ``mutant`` gives ``original``'s result for every valid input."""
    if original.hit_policy == mutant.hit_policy and original.rules == mutant.rules and (
        original.inputs == mutant.inputs and original.outputs == mutant.outputs
    ):
        return Equivalence(True)
    found = differences(spec, original, mutant, by_rule=by_rule, limit=1)
    if not found.regions:
        return Equivalence(True)
    first = found.regions[0]
    return Equivalence(False, first.witness, first.original, first.mutant)


def differences(
    spec: Spec, original: DecisionTable, mutant: DecisionTable, *, by_rule: bool = False, limit: int = 200
) -> Differences:
    """Every box of valid inputs where ``mutant`` answers otherwise than ``original`` (exact; at
    most ``limit`` boxes, neighbouring boxes with the same two answers merged)."""
    expressions = [c.expression for c in original.inputs]
    expressions += [c.expression for c in mutant.inputs if c.expression not in expressions]
    mutant_at = {c.expression: i for i, c in enumerate(mutant.inputs)}
    extra = {e: [rule.inputs[mutant_at[e]] for rule in mutant.rules] for e in mutant_at}
    ct = compile_table(spec, original, _produced(spec), expressions, extra)
    columns = ct.columns
    mutant_boxes = []
    for rule in mutant.rules:
        box = [column.full for column in columns]
        for column, test in zip(mutant.inputs, rule.inputs, strict=True):
            at = expressions.index(column.expression)
            box[at] = columns[at].mask(test)
        mutant_boxes.append(tuple(box))
    n1, n2 = len(ct.boxes), len(mutant_boxes)
    index = CoverIndex(columns, [*ct.boxes, *mutant_boxes, *(box for _, box in ct.impossible)])
    first_bits = (1 << n1) - 1
    second_bits = ((1 << n2) - 1) << n1
    impossible_bits = index.all_bits ^ first_bits ^ second_bits
    order = index.order
    ncols = len(order)
    atom_lists = [list(bits(columns[c].full)) for c in order]
    active = [index.active[c] for c in order]
    same: set[tuple[int, int]] = set()
    results: dict[int, bool] = {}
    found: list[list[int]] = []
    prefix: list[int] = []

    def leaf_differs(alive: int) -> bool:
        known = results.get(alive)
        if known is None:
            if alive & impossible_bits:
                known = False
            else:
                a = result_of(original, tuple(bits(alive & first_bits)), by_rule)
                b = result_of(mutant, tuple(bits((alive & second_bits) >> n1)), by_rule)
                known = a != b
            results[alive] = known
        return known

    def sweep(depth: int, alive: int) -> bool:
        """Whether the results differ somewhere below; each differing box is added to ``found``
        (atom masks in sweep order), until ``limit`` boxes are found."""
        if depth == ncols:
            if leaf_differs(alive):
                found.append(list(prefix))
                return True
            return False
        if (depth, alive) in same:
            return False
        groups: dict[int, int] = {}
        column_active = active[depth]
        for a in atom_lists[depth]:
            rest = alive & column_active[a]
            groups[rest] = groups.get(rest, 0) | (1 << a)
        differs = False
        for rest, atoms in groups.items():
            prefix.append(atoms)
            below = sweep(depth + 1, rest)
            prefix.pop()
            if below:
                differs = True
                if len(found) >= limit:
                    return True
        if not differs:
            same.add((depth, alive))
        return differs

    sweep(0, index.all_bits)
    truncated = len(found) >= limit
    boxes = []
    for path in found:
        box = [0] * ncols
        for depth, c in enumerate(order):
            box[c] = path[depth]
        boxes.append(box)

    def answers(witness: Mapping[str, Value]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        values = tuple(witness[e] for e in expressions)
        first = tuple(
            i for i, r in enumerate(original.rules)
            if r.matches(tuple(values[expressions.index(c.expression)] for c in original.inputs))
        )
        second = tuple(
            i for i, r in enumerate(mutant.rules)
            if r.matches(tuple(values[expressions.index(c.expression)] for c in mutant.inputs))
        )
        return result_of(original, first, by_rule), result_of(mutant, second, by_rule)

    keyed = [(answers(witness_of(columns, box)), box) for box in boxes]
    merged = _merge(keyed)
    regions = []
    for (a, b), box in merged:
        witness = witness_of(columns, box)
        regions.append(Difference(tuple(box), witness, _render(a), _render(b), _value(a), _value(b)))
    return Differences(tuple(columns), tuple(regions), truncated)


def _value(result: tuple[Any, ...]) -> Any:
    """A result as plain data: the outputs (or the list, or the number) or the reason there is none."""
    if result[0] != "value":
        return {"no_result": _render(result)}
    return _plain(result[1])


def _merge(
    keyed: list[tuple[tuple[tuple[Any, ...], tuple[Any, ...]], list[int]]],
) -> list[tuple[tuple[tuple[Any, ...], tuple[Any, ...]], list[int]]]:
    """Join boxes with the same two answers that differ in one column only (their union is a box
    with those answers throughout), until no two can be joined: fewer, larger regions."""
    merged = [(key, list(box)) for key, box in keyed]
    joined = True
    while joined:
        joined = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                (key_i, box_i), (key_j, box_j) = merged[i], merged[j]
                if key_i != key_j:
                    continue
                apart = [c for c in range(len(box_i)) if box_i[c] != box_j[c]]
                if len(apart) == 1:
                    box_i[apart[0]] |= box_j[apart[0]]
                    del merged[j]
                    joined = True
                    break
            if joined:
                break
    return merged
