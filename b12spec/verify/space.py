"""A decision table compiled to boxes over atoms, and the exact sweep that finds what they leave out.

Each rule becomes a *box*: one atom bitmask per input column (see regions). The sweep (after
Calvanese et al., "Semantic DMN", 2016) cuts the input space in two where the fewest live boxes
straddle the cut, which on a table shaped like a decision tree is the tree's own split, and
recurses on each side with the boxes that reach it: a piece no box reaches is an uncovered
region, a piece one box covers whole is covered. Cutting a whole column at all its thresholds at
once copied every box spanning the column into each piece and multiplied pieces per column; the
cost then depended on the table's seed by a factor of hundreds and ran out of memory. The same
sweep, started from one rule's box and the rules that beat it, decides masking by the union of
several rules, which pairwise comparison cannot see. Each sweep has a budget of pieces, so a
hostile table stops it with a clear error instead of exhausting time and memory.

Inputs the data dictionary refuses (its contradictions, such as male and pregnant) are extra
boxes that count as covered, so no gap or overlap is ever reported only for an impossible case.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from b12spec.model import DecisionTable, FieldType, HitPolicy, InputColumn, Spec
from b12spec.unary import UnaryTest, Value
from b12spec.verify.regions import ColumnSpace, Domain, bits

Box = tuple[int, ...]

# Pieces one sweep may visit before it stops (a 5,000-rule table shaped like a tree needs ~45,000).
SWEEP_BUDGET = 200_000
# Live boxes summed over the pieces visited, the sweep's real work: a piece costs about its live
# boxes times the columns they cut, and a hostile table keeps thousands live in every piece.
SWEEP_WORK = 1_500_000
# Cuts nested deeper than this stop the sweep (each is a Python frame; the stack holds ~1,000).
_MAX_DEPTH = 480
# In a column with at most this many atoms in the piece, a cut is any box's value set against the rest.
_FEW_ATOMS = 8


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

    def uncovered(
        self, live: int, within: Box, first_only: bool = False, budget: int = SWEEP_BUDGET
    ) -> list[Box]:
        """Regions of ``within`` that no box in ``live`` covers, as boxes (exact, not sampled).

        The sweep cuts the piece in two (or, in a column of a few atoms, into its atoms grouped
        by the live boxes on them) where the fewest live boxes straddle the cut, the cut a
        decision tree made, and recurses on each side with the boxes that reach it. A piece with
        no live box is uncovered; a piece that one live box covers whole is covered at once.
        Cutting a whole column at every threshold instead would copy each box spanning the
        column into hundreds of pieces, and the pieces below multiply: on a 5,000-rule table
        that ran out of memory. Regions found on both sides of a cut are merged where they
        differ only in the column cut, so what comes back is already close to maximal.

        At most ``budget`` pieces are visited (a count, so the answer is deterministic); beyond
        it :class:`SweepBudgetExceeded` says how far the sweep got.
        """
        within = tuple(within)
        if not all(within):
            return []
        boxes = self.boxes
        ncols = len(within)
        counter = _Counter(budget)
        # For each live box that meets the piece, the columns in which it does not cover it.
        start: dict[int, int] = {}
        for r in bits(self.meeting(within, live)):
            box = boxes[r]
            start[r] = sum(1 << c for c in range(ncols) if within[c] & ~box[c])
        return _sweep(boxes, list(within), start, first_only, counter)

    def covers(self, live: int, within: Box) -> bool:
        return not self.uncovered(live, within, first_only=True)


class SweepBudgetExceeded(Exception):
    """The sweep gave up: more pieces than its budget, or cuts nested deeper than Python's stack.

    ``pieces`` is how many it visited and ``found`` how many uncovered regions it had found by
    then (before merging), so a report can say how far it got instead of passing silently.
    """

    def __init__(self, pieces: int, found: int, why: str) -> None:
        super().__init__(f"the coverage sweep was stopped after {pieces:,} regions ({why}); "
                         f"{found:,} uncovered found so far")
        self.pieces = pieces
        self.found = found
        self.why = why


class _Counter:
    """Pieces visited and uncovered regions found by one sweep, against its budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.pieces = 0
        self.found = 0
        self.work = 0

    def visit(self, depth: int, alive: int) -> None:
        self.pieces += 1
        self.work += alive
        if self.pieces > self.budget:
            raise SweepBudgetExceeded(self.budget, self.found, f"budget of {self.budget:,} regions")
        if self.work > SWEEP_WORK:
            raise SweepBudgetExceeded(self.pieces, self.found, f"{SWEEP_WORK:,} rule visits over them")
        if depth > _MAX_DEPTH:
            raise SweepBudgetExceeded(self.pieces, self.found, f"cuts nested deeper than {_MAX_DEPTH}")


def _sweep(
    boxes: Sequence[Box], piece: list[int], alive: dict[int, int], first_only: bool, counter: _Counter,
    depth: int = 0,
) -> list[Box]:
    """The uncovered regions of ``piece``; ``alive`` maps each box meeting it to the columns it cuts."""
    counter.visit(depth, len(alive))
    if not alive:
        counter.found += 1
        return [tuple(piece)]
    cutting = 0
    for columns in alive.values():
        if not columns:
            return []  # one box covers the whole piece
        cutting |= columns
    best: tuple[int, int, int] | None = None
    c = side = -1
    size = len(alive)
    for column in bits(cutting):
        score, atoms = _best_cut(boxes, alive, column, piece[column])
        if best is None or score < best:
            best, c, side = score, column, atoms
            if score[0] == size and score[1] <= 1:
                break  # no box straddles and the halves are even: nothing can beat it
    chosen = _split(boxes, alive, c, piece[c], side)
    merged: dict[Box, int] = {}
    for atoms, child in chosen:
        saved = piece[c]
        piece[c] = atoms
        below = _sweep(boxes, piece, child, first_only, counter, depth + 1)
        piece[c] = saved
        for region in below:
            key = (*region[:c], 0, *region[c + 1:])
            merged[key] = merged.get(key, 0) | region[c]
        if below and first_only:
            break
    return [(*key[:c], atoms, *key[c + 1:]) for key, atoms in merged.items()]


def _best_cut(
    boxes: Sequence[Box], alive: dict[int, int], c: int, mask: int
) -> tuple[tuple[int, int, int], int]:
    """Where to cut the piece in two in column c: ((boxes on both sides, imbalance, atoms), atoms).

    The cut is where the fewest live boxes straddle it (ties: the most even cut, then the lowest
    atoms): between two atoms at a run end in a wide column (a numeric threshold), or one box's
    value set against the rest in a column of a few atoms (an enumeration's subset split).
    """
    bit = 1 << c
    entries: dict[int, int] = {}
    spanning = 0  # live boxes that cover the piece's atoms in column c: they reach both sides
    for r, columns in alive.items():
        if columns & bit:
            entry = boxes[r][c] & mask
            entries[entry] = entries.get(entry, 0) + 1
        else:
            spanning += 1
    best: tuple[int, int, int] | None = None
    if mask.bit_count() <= _FEW_ATOMS:
        for side in entries:
            other = mask & ~side
            left = right = spanning
            for entry, count in entries.items():
                if entry & side:
                    left += count
                if entry & other:
                    right += count
            score = (left + right, abs(left - right), min(side, other))
            if best is None or score < best:
                best = score
    else:
        lows: list[int] = []  # per cutting box, its lowest and highest atom in the piece
        highs: list[int] = []
        ends: set[int] = set()
        for entry, count in entries.items():
            lows += [(entry & -entry).bit_length() - 1] * count
            highs += [entry.bit_length() - 1] * count
            for begin, end in runs(entry):
                ends.add(begin)
                ends.add(end)
        lows.sort()
        highs.sort()
        total = len(highs)
        for x in sorted(ends):
            below = mask & ((1 << x) - 1)
            if not below or below == mask:
                continue
            left = spanning + bisect_left(lows, x)  # boxes with an atom below x
            right = spanning + total - bisect_left(highs, x)  # boxes with an atom at or above x
            score = (left + right, abs(left - right), below)
            if best is None or score < best:
                best = score
    assert best is not None, "a box that cuts the piece leaves some of its atoms out"
    return best, best[2]


def _split(
    boxes: Sequence[Box], alive: dict[int, int], c: int, mask: int, side: int
) -> list[tuple[int, dict[int, int]]]:
    """The two sides of a cut: (atoms, live boxes there with the columns each still cuts)."""
    bit = 1 << c
    found = []
    for atoms in (side, mask & ~side):
        keys = [r for r, columns in alive.items() if not columns & bit or boxes[r][c] & atoms]
        found.append((atoms, _narrowed(boxes, alive, keys, c, atoms)))
    return found


def _narrowed(boxes: Sequence[Box], alive: dict[int, int], keys: Iterable[int], c: int, atoms: int) -> dict[int, int]:
    """The live boxes ``keys`` on a narrower piece: column c no longer cut by those covering ``atoms``."""
    bit = 1 << c
    found = {}
    for r in keys:
        columns = alive[r]
        if columns & bit and not atoms & ~boxes[r][c]:
            columns ^= bit
        found[r] = columns
    return found


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
