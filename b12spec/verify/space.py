"""A decision table compiled to boxes over atoms, and the exact sweep that finds what they leave out.

Each rule becomes a *box*: one atom bitmask per input column (see regions). Which rules are live
on an atom is an int bitset over rules, so the sweep of Calvanese et al. ("Semantic DMN", 2016)
becomes integer arithmetic: walk the columns one by one, group the atoms of the current column
by the set of rules still alive on them (neighbouring atoms with the same live set merge into one
segment), and recurse with each group's set. An empty set is an uncovered region; reaching the
last column with a non-empty set means covered. A (column, live set) pair always has the same
answer below it, so answers are memoised: tables shaped like decision trees sweep in time close
to linear in their size. The same sweep, started from one rule's box and the rules that beat it,
decides masking by the union of several rules, which pairwise comparison cannot see.

Inputs the data dictionary refuses (its contradictions, such as male and pregnant) are extra
boxes that count as covered, so no gap or overlap is ever reported only for an impossible case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from b12spec.model import DecisionTable, FieldType, HitPolicy, InputColumn, Spec
from b12spec.unary import UnaryTest, Value
from b12spec.verify.regions import ColumnSpace, Domain, bits

Box = tuple[int, ...]

# Above this many subset sums the result of a C+ table is treated as a numeric range.
_MAX_ENUMERATED_SUMS = 4096


# --------------------------------------------------------------------------- domains


def produced_values(table: DecisionTable, output: str, rules: Iterable[int] | None = None) -> tuple[Value, ...]:
    """What a decision's output can be: the values its (reachable) rules give, aggregated if needed."""
    index = [o.name for o in table.outputs].index(output)
    chosen = [table.rules[i] for i in rules] if rules is not None else list(table.rules)
    values = [rule.outputs[index] for rule in chosen if rule.outputs[index] is not None]
    policy = table.hit_policy
    if not policy.aggregated:
        return tuple(dict.fromkeys(values))
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if policy is HitPolicy.COLLECT_COUNT:
        return tuple(float(n) for n in range(len(chosen) + 1))
    if policy in (HitPolicy.COLLECT_MIN, HitPolicy.COLLECT_MAX):
        return tuple(dict.fromkeys(numbers))
    sums = {0.0}
    for number in numbers:
        sums |= {s + number for s in sums}
        if len(sums) > _MAX_ENUMERATED_SUMS:
            break
    return tuple(sorted(sums))


def decision_domain(spec: Spec, column: InputColumn, produced: Mapping[str, tuple[Value, ...]]) -> Domain:
    """The domain of a column that tests another decision's output."""
    assert column.decision is not None and column.output is not None
    upstream = spec.table(column.decision)
    output = upstream.output(column.output)
    values = produced.get(column.expression)
    if values is None:
        values = produced_values(upstream, column.output)
    nullable = upstream.hit_policy in (HitPolicy.COLLECT_SUM, HitPolicy.COLLECT_MIN, HitPolicy.COLLECT_MAX)
    if upstream.hit_policy is HitPolicy.COLLECT_SUM and len(values) > _MAX_ENUMERATED_SUMS:
        numbers = [float(v) for v in values if isinstance(v, float)]
        return Domain(column.expression, "decision", nullable, numeric=(min(numbers), max(numbers)), precision=None,
                      upstream=(column.decision, column.output))
    allowed: tuple[Value, ...] = output.values if output.type is FieldType.ENUM else tuple(values)
    return Domain(
        column.expression,
        "decision",
        nullable,
        values=tuple(values),
        upstream=(column.decision, column.output),
        allowed=allowed,
    )


def column_domain(spec: Spec, column: InputColumn, produced: Mapping[str, tuple[Value, ...]]) -> Domain:
    field = spec.dictionary.get(column.expression)
    if field is not None:
        return Domain.of_field(field)
    return decision_domain(spec, column, produced)


# --------------------------------------------------------------------------- compiled table


@dataclass
class CompiledTable:
    """A table's rules as boxes, with the dictionary's impossible combinations as extra boxes."""

    table: DecisionTable
    columns: tuple[ColumnSpace, ...]
    boxes: tuple[Box, ...]
    impossible: tuple[tuple[str, Box], ...]  # (contradiction id, box)

    def __post_init__(self) -> None:
        self.index = CoverIndex(self.columns, [*self.boxes, *(box for _, box in self.impossible)])
        self.rule_bits = (1 << len(self.boxes)) - 1
        self.impossible_bits = self.index.all_bits ^ self.rule_bits

    @property
    def full_box(self) -> Box:
        return tuple(column.full for column in self.columns)


def compile_table(
    spec: Spec,
    table: DecisionTable,
    produced: Mapping[str, tuple[Value, ...]] | None = None,
    expressions: Sequence[str] | None = None,
    extra_tests: Mapping[str, Iterable[UnaryTest]] | None = None,
) -> CompiledTable:
    """Compile a table; ``expressions`` and ``extra_tests`` let two tables share one atom space."""
    produced = produced or {}
    by_expression = {column.expression: column for column in table.inputs}
    expressions = list(expressions) if expressions is not None else list(by_expression)
    contradictions = [
        c for c in spec.dictionary.contradictions if c.when and all(name in expressions for name, _ in c.when)
    ]
    inputs_at = {column.expression: i for i, column in enumerate(table.inputs)}
    columns: list[ColumnSpace] = []
    for expression in expressions:
        column = by_expression.get(expression) or _find_column(spec, expression)
        tests = [rule.inputs[inputs_at[expression]] for rule in table.rules] if expression in inputs_at else []
        tests += list((extra_tests or {}).get(expression, ()))
        tests += [test for c in contradictions for name, test in c.when if name == expression]
        columns.append(ColumnSpace(column_domain(spec, column, produced), tests))
    positions = [expressions.index(c.expression) if c.expression in expressions else -1 for c in table.inputs]
    boxes: list[Box] = []
    for rule in table.rules:
        box = [column.full for column in columns]
        for test, at in zip(rule.inputs, positions, strict=True):
            box[at] = columns[at].mask(test)
        boxes.append(tuple(box))
    impossible: list[tuple[str, Box]] = []
    for contradiction in contradictions:
        box = [column.full for column in columns]
        for name, test in contradiction.when:
            at = expressions.index(name)
            box[at] &= columns[at].mask(test)
        impossible.append((contradiction.id, tuple(box)))
    return CompiledTable(table, tuple(columns), tuple(boxes), tuple(impossible))


def _find_column(spec: Spec, expression: str) -> InputColumn:
    for table in spec.tables:
        for column in table.inputs:
            if column.expression == expression:
                return column
    decision = expression.split(".", 1)[0] if spec.dictionary.get(expression) is None else None
    return InputColumn(expression, expression, decision)


# --------------------------------------------------------------------------- the sweep


class CoverIndex:
    """For every column and atom, the bitset of boxes live on that atom; and the sweep over it."""

    def __init__(self, columns: Sequence[ColumnSpace], boxes: Sequence[Box]) -> None:
        self.columns = tuple(columns)
        self.boxes = tuple(boxes)
        self.all_bits = (1 << len(boxes)) - 1
        self.active: list[list[int]] = []
        selectivity: list[float] = []
        for c, column in enumerate(columns):
            by_mask: dict[int, list[int]] = {}
            for r, box in enumerate(boxes):
                by_mask.setdefault(box[c], []).append(r)
            active = [0] * len(column.atoms)
            for mask, rules in by_mask.items():
                rule_bits = reduce(or_, (1 << r for r in rules))
                for a in bits(mask):
                    active[a] |= rule_bits
            self.active.append(active)
            atoms = max(1, len(column.atoms))
            covered = sum(mask.bit_count() * len(rules) for mask, rules in by_mask.items())
            selectivity.append(covered / (atoms * max(1, len(boxes))))
        # Sweep the most selective columns first: live sets shrink fastest and memoise best.
        self.order = tuple(sorted(range(len(columns)), key=lambda c: selectivity[c]))
        self._intersecting: list[dict[int, int]] = [{} for _ in columns]
        # Per column, computed when a sweep over the whole column first needs them: the atoms
        # grouped by the boxes live on them, in order of their first atom (a numeric threshold
        # and the span after it usually share one group), and each box's runs of atoms.
        self._classes: list[list[tuple[int, int]] | None] = [None] * len(columns)
        self._spans: list[list[tuple[tuple[int, int], ...]] | None] = [None] * len(columns)

    def classes(self, c: int) -> list[tuple[int, int]]:
        """(live boxes, atoms) for the atoms of column c that have the same boxes live on them."""
        known = self._classes[c]
        if known is None:
            grouped: dict[int, int] = {}
            for a, live in enumerate(self.active[c]):
                grouped[live] = grouped.get(live, 0) | (1 << a)
            known = self._classes[c] = list(grouped.items())
        return known

    def spans(self, c: int) -> list[tuple[tuple[int, int], ...]]:
        """Each box's runs of atoms in column c."""
        known = self._spans[c]
        if known is None:
            known = self._spans[c] = [runs(box[c]) for box in self.boxes]
        return known

    def intersecting(self, c: int, mask: int) -> int:
        """The boxes whose entry in column c shares an atom with ``mask``."""
        cache = self._intersecting[c]
        found = cache.get(mask)
        if found is None:
            active = self.active[c]
            found = 0
            for a in bits(mask):
                found |= active[a]
            cache[mask] = found
        return found

    def meeting(self, box: Box, among: int | None = None) -> int:
        """The boxes that intersect ``box`` in every column."""
        result = self.all_bits if among is None else among
        for c, mask in enumerate(box):
            result &= self.intersecting(c, mask)
            if not result:
                break
        return result

    def uncovered(self, live: int, within: Box, first_only: bool = False) -> list[Box]:
        """Regions of ``within`` that no box in ``live`` covers, as boxes (exact, not sampled).

        At each step the sweep takes the column that the most live boxes constrain (the column a
        decision tree would split on next), splits its atoms into groups with the same live
        boxes, and recurses; a node where no live box constrains any remaining column is
        covered. Regions found below are merged on the way up wherever they differ only in the
        column just split, so what comes back is already close to maximal.
        """
        within = tuple(within)
        if not all(within):
            return []
        ncols = len(within)
        boxes = self.boxes
        active = self.active
        constrained = [0] * ncols
        for r in bits(live):
            box = boxes[r]
            bit = 1 << r
            for c in range(ncols):
                if within[c] & ~box[c]:
                    constrained[c] |= bit
        atom_lists = [list(bits(m)) for m in within]
        whole = [mask == column.full for mask, column in zip(within, self.columns, strict=True)]
        memo: dict[tuple[int, int], list[Box]] = {}

        def sweep(remaining: int, alive: int) -> list[Box]:
            if not alive:
                return [within]
            key = (remaining, alive)
            known = memo.get(key)
            if known is not None:
                return known
            best, best_count = -1, 0
            anywhere = 0
            for c in bits(remaining):
                split_by = alive & constrained[c]
                anywhere |= split_by
                count = split_by.bit_count()
                if count > best_count:
                    best, best_count = c, count
            if best < 0 or alive & ~anywhere:
                memo[key] = []  # some live box constrains no remaining column: it covers the rest
                return []
            c = best
            atoms = atom_lists[c]
            split_by = alive & constrained[c]
            # Both ways give the same groups in the same order (by their first atom); the atoms
            # are walked when fewer than a few per splitting box, else the boxes' run ends.
            classes = self.classes(c) if whole[c] else None
            if split_by.bit_count() * 4 < len(atoms):
                spans = self.spans(c) if whole[c] else None
                grouped = _segments(split_by, alive & ~constrained[c], boxes, c, within[c], spans)
            else:
                by_rules: dict[int, int] = {}
                if classes is not None:
                    for live_here, atoms_in in classes:
                        rest = alive & live_here
                        by_rules[rest] = by_rules.get(rest, 0) | atoms_in
                else:
                    column_active = active[c]
                    for a in atoms:
                        rest = alive & column_active[a]
                        by_rules[rest] = by_rules.get(rest, 0) | (1 << a)
                grouped = [(atoms_in, rules) for rules, atoms_in in by_rules.items()]
            rest_columns = remaining & ~(1 << c)
            merged: dict[Box, int] = {}
            uncovered_here = [within]
            for atoms_in, rules in grouped:
                # Gaps and answers already known are most of the children: no call for them.
                below = memo.get((rest_columns, rules)) if rules else uncovered_here
                if below is None:
                    below = sweep(rest_columns, rules)
                for region in below:
                    merged[region] = merged.get(region, 0) | atoms_in
                if below and first_only:
                    break
            found = [(*region[:c], atoms_in, *region[c + 1:]) for region, atoms_in in merged.items()]
            memo[key] = found
            return found

        return sweep((1 << ncols) - 1, live)

    def covers(self, live: int, within: Box) -> bool:
        return not self.uncovered(live, within, first_only=True)


_RUNS: dict[int, tuple[tuple[int, int], ...]] = {}


def runs(mask: int) -> tuple[tuple[int, int], ...]:
    """The runs of set bits of a mask as (start, end) pairs, end exclusive."""
    known = _RUNS.get(mask)
    if known is not None:
        return known
    found = []
    rest = mask
    while rest:
        low = rest & -rest
        filled = rest + low
        end_bit = filled & -filled
        found.append((low.bit_length() - 1, end_bit.bit_length() - 1))
        rest &= ~(end_bit - 1)
    result = tuple(found)
    if len(_RUNS) > 100_000:
        _RUNS.clear()
    _RUNS[mask] = result
    return result


def _segments(
    split_by: int, everywhere: int, boxes: Sequence[Box], c: int, within: int,
    spans: Sequence[tuple[tuple[int, int], ...]] | None = None,
) -> list[tuple[int, int]]:
    """Group the atoms of column c by the boxes live on them, sweeping the boxes' run ends.

    Costs O(k log k) for k splitting boxes, where scanning every atom costs O(atoms): the sweep
    of Calvanese et al. along one dimension. ``spans`` are the boxes' runs in this column when
    ``within`` is the whole column (a 5,000-rule gap analysis visits a million of them).
    """
    toggles: defaultdict[int, int] = defaultdict(int)
    rest = split_by
    while rest:
        bit = rest & -rest
        rest ^= bit
        r = bit.bit_length() - 1
        for start, end in spans[r] if spans is not None else runs(boxes[r][c] & within):
            toggles[start] ^= bit
            toggles[end] ^= bit
    groups: defaultdict[int, int] = defaultdict(int)
    current = 0
    low = 1  # the bit of the atom the current segment starts at
    for cut in sorted(toggles):
        high = 1 << cut
        atoms = within & (high - low)  # the atoms from the last cut up to this one
        if atoms:
            groups[current | everywhere] |= atoms
        current ^= toggles[cut]
        low = high
    atoms = within & -low  # from the last cut on
    if atoms:
        groups[current | everywhere] |= atoms
    return [(atoms_in, rules) for rules, atoms_in in groups.items()]


def merge_boxes(boxes: Iterable[Box]) -> list[Box]:
    """Merge boxes that differ in one column only, until none do: maximal regions to report."""
    current = list(dict.fromkeys(boxes))
    changed = True
    while changed and len(current) > 1:
        changed = False
        width = len(current[0])
        for c in range(width):
            groups: dict[tuple[int, ...], int] = {}
            for box in current:
                key = box[:c] + box[c + 1 :]
                groups[key] = groups.get(key, 0) | box[c]
            if len(groups) < len(current):
                changed = True
                current = [(*key[:c], mask, *key[c:]) for key, mask in groups.items()]
    return current


def box_inside(inner: Box, outer: Box) -> bool:
    return all(not (i & ~o) for i, o in zip(inner, outer, strict=True))


def intersect(a: Box, b: Box) -> Box:
    return tuple(x & y for x, y in zip(a, b, strict=True))
