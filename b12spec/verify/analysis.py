"""Gaps, overlaps, unreachable rules, boundary lint and normal form of one compiled table.

How each hit policy is judged:

* U, A, P, F (single hit): an input no rule matches is a **gap** (error): the engine refuses to
  answer. U: any two rules that can match together **overlap** (error); A: only when their
  outputs differ. P and F resolve overlaps by design, so there they are not findings.
* C, C+, C<, C>, C#, R, O (collect): no matching rule means "nothing to add" (an empty list, a
  count of 0), which is a legitimate answer, so collect tables have **no gap findings**; every
  matching rule contributes, so overlaps are their purpose, not a finding.
* A rule is **unreachable** (error) when its conditions cannot all hold in a valid case (an entry
  that matches nothing, or only inputs the data dictionary refuses) under any policy; in F when
  earlier rules, and in P when rules of higher priority (ties: the earlier rule), cover all of
  it, whether one rule subsumes it or only the union of several does.

Every finding carries a witness: a full input (input expression -> value) inside the region.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from b12spec.hitpolicy import select
from b12spec.model import HitPolicy
from b12spec.unary import Comparison, Interval, UnaryTest, Value
from b12spec.verify.findings import ERROR, WARNING, Finding
from b12spec.verify.regions import POINT, bits, contiguous, describe_box, describe_witness, witness_of
from b12spec.verify.space import (
    SWEEP_BUDGET,
    Box,
    CompiledTable,
    SweepBudgetExceeded,
    box_inside,
    intersect,
    merge_boxes,
)

# A masking union larger than this is reported whole instead of being trimmed to a minimal cover.
_MAX_TRIM = 40


def _finding(
    ct: CompiledTable, kind: str, severity: str, rules: Iterable[int], message: str, witness: dict[str, Value] | None
) -> Finding:
    return Finding(
        kind=kind,
        severity=severity,
        message=message,
        table=ct.table.name,
        file=ct.table.file,
        rules=tuple(ct.table.rules[i].id for i in rules),
        witness=witness,
    )


def _possible_part(ct: CompiledTable, box: Box) -> Box | None:
    """The box itself, or a sub-box of it outside the dictionary's contradictions (None if none)."""
    if not ct.impossible:
        return box if all(box) else None
    regions = ct.index.uncovered(ct.impossible_bits, box, first_only=True)
    return regions[0] if regions else None


def _example(ct: CompiledTable, box: Box) -> tuple[dict[str, Value], str]:
    witness = witness_of(ct.columns, box)
    return witness, describe_witness(ct.columns, witness)


# --------------------------------------------------------------------------- gaps


def gap_regions(ct: CompiledTable, budget: int = SWEEP_BUDGET) -> list[Box]:
    """Maximal regions of the input space no rule covers (contradictions count as covered).

    Raises SweepBudgetExceeded when the sweep needs more than ``budget`` pieces.
    """
    regions = ct.index.uncovered(ct.index.all_bits, ct.full_box, budget=budget)
    return sorted(merge_boxes(regions))


def gaps(ct: CompiledTable, budget: int = SWEEP_BUDGET) -> list[Finding]:
    """A gap finding per maximal uncovered region; an error instead if the sweep had to stop.

    A stopped sweep must not read as "no gaps": the table may still have some, so the check fails.
    """
    if not ct.table.hit_policy.single_hit:
        return []
    try:
        regions = gap_regions(ct, budget)
    except SweepBudgetExceeded as stopped:
        message = (
            f"the gap analysis of table {ct.table.name} was stopped after {stopped.pieces:,} regions "
            f"({stopped.why}) with {stopped.found:,} uncovered regions (gaps) found so far, so the table may have gaps "
            "not reported here; split the table into smaller decisions so it can be checked whole"
        )
        return [_finding(ct, "gap", ERROR, (), message, None)]
    findings = []
    for region in regions:
        witness, shown = _example(ct, region)
        findings.append(
            _finding(
                ct,
                "gap",
                ERROR,
                (),
                f"no rule matches {describe_box(ct.columns, region)}; for example {shown}: no rule",
                witness,
            )
        )
    return findings


# --------------------------------------------------------------------------- overlaps


def overlap_pairs(ct: CompiledTable) -> list[tuple[int, int, Box]]:
    """Every pair of rules that a valid case can match together, with a box where both match."""
    found = []
    boxes = ct.boxes
    for i, box in enumerate(boxes):
        if not all(box):
            continue
        later = ct.rule_bits & ~((2 << i) - 1)
        for j in bits(ct.index.meeting(box, later)):
            shared = _possible_part(ct, intersect(box, boxes[j]))
            if shared is not None:
                found.append((i, j, shared))
    return found


def overlaps(ct: CompiledTable) -> list[Finding]:
    """U: any overlap is an error; A: an overlap with different outputs is an error; P: every
    overlap is a warning naming the rule priority picks, so a reviewer sees each place where the
    table's answer rests on the order of the allowed values, or where two rows say the same twice."""
    policy = ct.table.hit_policy
    if policy not in (HitPolicy.UNIQUE, HitPolicy.ANY, HitPolicy.PRIORITY):
        return []
    rules = ct.table.rules
    findings = []
    for i, j, shared in overlap_pairs(ct):
        if policy is HitPolicy.ANY and rules[i].outputs == rules[j].outputs:
            continue
        witness, shown = _example(ct, shared)
        if policy is HitPolicy.PRIORITY:
            winner = select(ct.table, (rules[i], rules[j])).rules[0]
            same = rules[i].outputs == rules[j].outputs
            outcome = "the same outputs (one row is redundant there)" if same else "different outputs"
            findings.append(
                _finding(
                    ct,
                    "overlap",
                    WARNING,
                    (i, j),
                    f"rules {rules[i].id} and {rules[j].id} both match {describe_box(ct.columns, shared)} with "
                    f"{outcome}; hit policy P picks {winner.id}; for example {shown}",
                    witness,
                )
            )
            continue
        why = "hit policy U allows one" if policy is HitPolicy.UNIQUE else "hit policy A needs equal outputs"
        findings.append(
            _finding(
                ct,
                "overlap",
                ERROR,
                (i, j),
                f"rules {rules[i].id} and {rules[j].id} both match {describe_box(ct.columns, shared)} ({why}); "
                f"for example {shown}",
                witness,
            )
        )
    return findings


# --------------------------------------------------------------------------- unreachable


@dataclass(frozen=True)
class Unreachable:
    """Why a rule never wins: ``how`` is "impossible", "subsumed" or "masked"."""

    rule: int
    how: str
    by: tuple[int, ...] = ()
    column: int | None = None
    contradictions: tuple[str, ...] = ()
    region: Box | None = None


def _beater_masks(ct: CompiledTable) -> list[int]:
    """For each rule, the rules that win over it wherever both match (bit k stands for rule k).

    Under P the winner has the higher-priority outputs, ties going to the earlier rule: a total
    order, so one sort and a running mask give every rule's beaters (the pairwise comparison
    this replaces made a 2,000-rule table take most of a minute).
    """
    table = ct.table
    rules = table.rules
    if table.hit_policy is HitPolicy.FIRST:
        return [(1 << i) - 1 for i in range(len(rules))]

    def key(k: int) -> tuple[tuple[int, ...], int]:
        return tuple(c.priority(v) for c, v in zip(table.outputs, rules[k].outputs, strict=False)), k

    masks = [0] * len(rules)
    before = 0
    for k in sorted(range(len(rules)), key=key):
        masks[k] = before
        before |= 1 << k
    return masks


def _spans(ct: CompiledTable, live: int, box: Box) -> bool:
    """Whether the live boxes meeting ``box`` reach every value of it in each column on their own:
    needed for them to cover it together, and far cheaper to ask than the sweep."""
    meeting = list(bits(ct.index.meeting(box, live)))
    for c, mask in enumerate(box):
        reached = 0
        for j in meeting:
            reached |= ct.index.boxes[j][c]
            if not mask & ~reached:
                break
        if mask & ~reached:
            return False
    return True


def unreachable_rules(ct: CompiledTable) -> list[Unreachable]:
    """Rules that no valid case can make win, each with the reason and the rules that win instead."""
    policy = ct.table.hit_policy
    found = []
    beater_masks = _beater_masks(ct) if policy in (HitPolicy.FIRST, HitPolicy.PRIORITY) else []
    for i, box in enumerate(ct.boxes):
        empty = [c for c, mask in enumerate(box) if not mask]
        if empty:
            found.append(Unreachable(i, "impossible", column=empty[0]))
            continue
        if ct.impossible and ct.index.covers(ct.impossible_bits, box):
            ids = tuple(cid for cid, other in ct.impossible if all(intersect(box, other)))
            found.append(Unreachable(i, "impossible", contradictions=ids))
            continue
        if policy not in (HitPolicy.FIRST, HitPolicy.PRIORITY):
            continue
        beaters = ct.index.meeting(box, beater_masks[i])
        if not beaters:
            continue
        # One beater holding the whole box settles it without a sweep (most unreachable rules of
        # a large table are so); a column the beaters do not span settles the opposite.
        single = next((j for j in bits(beaters) if box_inside(box, ct.boxes[j])), None)
        if single is not None:
            found.append(Unreachable(i, "subsumed", (single,), region=_possible_part(ct, box)))
            continue
        live = beaters | ct.impossible_bits
        if not _spans(ct, live, box) or not ct.index.covers(live, box):
            continue
        region = _possible_part(ct, box)
        cover = list(bits(beaters))
        if len(cover) <= _MAX_TRIM:
            for j in sorted(cover, reverse=True):
                trial = live & ~(1 << j)
                if ct.index.covers(trial, box):
                    live = trial
                    cover.remove(j)
        found.append(Unreachable(i, "masked", tuple(cover), region=region))
    return found


def unreachable(ct: CompiledTable, found: list[Unreachable] | None = None) -> list[Finding]:
    table = ct.table
    rules = table.rules
    findings = []
    for item in found if found is not None else unreachable_rules(ct):
        rule = rules[item.rule]
        if item.how == "impossible":
            if item.column is not None:
                column = ct.columns[item.column].domain.expression
                message = (
                    f"rule {rule.id} can never match: its entry {rule.input_text[item.column]!r} for {column} "
                    "matches no value a valid case can have"
                )
            else:
                message = (
                    f"rule {rule.id} can never match: it only matches inputs the data dictionary refuses "
                    f"({', '.join(item.contradictions)})"
                )
            findings.append(_finding(ct, "unreachable", ERROR, (item.rule,), message, None))
            continue
        assert item.region is not None
        witness, shown = _example(ct, item.region)
        values = tuple(witness[c.expression] for c in table.inputs)
        # Only rules whose box meets the region can match an example inside it; the engine's own
        # matches still decides each. Asking every rule made this findings x rules: 3 million
        # calls, most of check's time, for a generated 2,000-rule table with overlapping bands.
        nearby = ct.index.meeting(item.region, ct.rule_bits)
        matched = tuple(rules[j] for j in bits(nearby) if rules[j].matches(values))
        winner = select(table, matched).rules[0].id if matched else "no rule"
        names = ", ".join(rules[j].id for j in item.by)
        order = "earlier" if table.hit_policy is HitPolicy.FIRST else "higher-priority"
        if item.how == "subsumed":
            message = f"rule {rule.id} never wins: the {order} rule {names} matches every input it matches"
        else:
            message = (
                f"rule {rule.id} never wins: no single rule covers it, but the {order} rules {names} "
                "together match every input it matches"
            )
        findings.append(
            _finding(
                ct,
                "unreachable",
                ERROR,
                (item.rule, *item.by),
                f"{message}; for example {shown}: {winner} wins",
                witness,
            )
        )
    return findings


# --------------------------------------------------------------------------- boundary lint


def _ends(test: UnaryTest) -> tuple[list[tuple[float, bool]], list[tuple[float, bool]]]:
    """(upper ends, lower ends) of a non-negated entry's ranges, each as (threshold, closed)."""
    highs: list[tuple[float, bool]] = []
    lows: list[tuple[float, bool]] = []
    if test.negated:
        return highs, lows
    for t in test.tests:
        if isinstance(t, Comparison) and t.operator in ("<", "<="):
            highs.append((t.value, t.operator == "<="))
        elif isinstance(t, Comparison):
            lows.append((t.value, t.operator == ">="))
        elif isinstance(t, Interval):
            lows.append((t.low, t.low_closed))
            highs.append((t.high, t.high_closed))
    return highs, lows


def boundaries(ct: CompiledTable) -> list[Finding]:
    """Adjacent ranges that leave their shared threshold out, or both take it in; too-fine thresholds."""
    findings: list[Finding] = []
    rules = ct.table.rules
    for c, column in enumerate(ct.columns):
        domain = column.domain
        if domain.numeric is None or domain.kind != "number":
            continue
        points = {atom.value: a for a, atom in enumerate(column.atoms) if atom.kind == POINT}
        upper: dict[float, list[tuple[int, bool]]] = {}
        lower: dict[float, list[tuple[int, bool]]] = {}
        fine: dict[float, list[int]] = {}
        for r, rule in enumerate(rules):
            highs, lows = _ends(rule.inputs[c])
            for value, closed in highs:
                upper.setdefault(value, []).append((r, closed))
            for value, closed in lows:
                lower.setdefault(value, []).append((r, closed))
            for value in rule.inputs[c].numbers:
                if domain.precision and not _multiple(value, domain.precision):
                    fine.setdefault(value, []).append(r)
        for value in sorted(set(upper) & set(lower)):
            if value not in points:
                continue
            for left, left_closed in upper[value]:
                for right, right_closed in lower[value]:
                    if left == right or left_closed != right_closed:
                        continue
                    others = list(intersect(ct.boxes[left], ct.boxes[right]))
                    others[c] = 1 << points[value]
                    if not all(others):
                        continue
                    findings.extend(
                        _boundary_pair(ct, c, value, left, right, left_closed, tuple(others))
                    )
        for value, users in sorted(fine.items()):
            findings.append(
                _finding(
                    ct,
                    "boundary",
                    WARNING,
                    users,
                    f"threshold {value:g} for {domain.expression} is finer than the field's precision "
                    f"{domain.precision:g}: values on either side of it cannot be told apart",
                    {domain.expression: value},
                )
            )
    return findings


def _multiple(value: float, precision: float) -> bool:
    steps = value / precision
    return abs(steps - round(steps)) < 1e-6


def _boundary_pair(
    ct: CompiledTable, c: int, value: float, left: int, right: int, closed: bool, region: Box
) -> list[Finding]:
    rules = ct.table.rules
    expression = ct.columns[c].domain.expression
    if closed:
        part = _possible_part(ct, region)
        if part is None:
            return []
        witness, shown = _example(ct, part)
        message = (
            f"rules {rules[left].id} and {rules[right].id} both include {expression} = {value:g}, where one ends "
            f"and the other begins; for example {shown}"
        )
    else:
        holes = ct.index.uncovered(ct.index.all_bits, region, first_only=True)
        if not holes:
            return []
        witness, shown = _example(ct, holes[0])
        message = (
            f"rules {rules[left].id} and {rules[right].id} both leave out {expression} = {value:g}, where one ends "
            f"and the other begins, and no rule takes it; for example {shown}"
        )
    return [_finding(ct, "boundary", WARNING, (left, right), message, witness)]


# --------------------------------------------------------------------------- normal form


def normal_form(ct: CompiledTable, unreachable_found: Iterable[Unreachable] = ()) -> list[Finding]:
    """Duplicate and conflicting rules, rules that could be merged, columns no rule depends on.

    Unreachable rules are left out (they are reported as such); so are pairs where one rule's
    entry contains the other's (that is an overlap or a masking, not a merge).
    """
    table = ct.table
    rules = table.rules
    policy = table.hit_policy
    findings: list[Finding] = []
    dead = {u.rule for u in unreachable_found}
    same_box: dict[Box, list[int]] = {}
    for i, box in enumerate(ct.boxes):
        if i not in dead:
            same_box.setdefault(box, []).append(i)
    for box, group in same_box.items():
        first = group[0]
        for other in group[1:]:
            witness, shown = _example(ct, _possible_part(ct, box) or box)
            if rules[other].outputs == rules[first].outputs:
                findings.append(
                    _finding(
                        ct,
                        "normal_form",
                        WARNING,
                        (first, other),
                        f"rules {rules[first].id} and {rules[other].id} are duplicates: same conditions, same "
                        f"outputs; for example {shown}",
                        witness,
                    )
                )
            elif policy.single_hit:
                findings.append(
                    _finding(
                        ct,
                        "normal_form",
                        ERROR,
                        (first, other),
                        f"rules {rules[first].id} and {rules[other].id} conflict: same conditions, different "
                        f"outputs; for example {shown}",
                        witness,
                    )
                )
    findings.extend(_mergeable(ct, dead))
    for c, column in enumerate(ct.columns):
        if len(rules) > 1 and all(box[c] == column.full for box in ct.boxes):
            witness, shown = _example(ct, ct.boxes[0])
            findings.append(
                _finding(
                    ct,
                    "normal_form",
                    WARNING,
                    (),
                    f"no rule depends on {column.domain.expression}: every entry is '-' or matches its whole "
                    f"domain, so the column can go; for example {shown} matches the same rules whatever "
                    f"{column.domain.expression} is",
                    witness,
                )
            )
    return findings


def _candidate_pairs(ct: CompiledTable, c: int, group: list[int], order_sensitive: bool) -> list[tuple[int, int]]:
    """The pairs of ``group`` whose union in column ``c`` could be one run of atoms, in group order.

    Two numeric parts form one run only if their spans touch, so a sweep over the spans sorted by
    their low end finds the candidates without trying every pair (a 2,000-rule table had groups
    of hundreds of rules). A rule with no numeric part in the column can pair with any other.
    """
    if order_sensitive:
        return [(first, second) for first, second in itertools.pairwise(group) if second == first + 1]
    numeric = ct.columns[c].numeric_mask
    spans: list[tuple[int, int, int]] = []
    pairs: set[tuple[int, int]] = set()
    for position, rule in enumerate(group):
        part = ct.boxes[rule][c] & numeric
        if part:
            spans.append(((part & -part).bit_length() - 1, part.bit_length() - 1, position))
        else:
            pairs.update((min(position, other), max(position, other))
                         for other in range(len(group)) if other != position)
    spans.sort()
    for index, (_, high, position) in enumerate(spans):
        for low_other, _, other in spans[index + 1 :]:
            if low_other > high + 1:
                break
            pairs.add((min(position, other), max(position, other)))
    return [(group[p], group[q]) for p, q in sorted(pairs)]


def _mergeable(ct: CompiledTable, dead: set[int]) -> list[Finding]:
    table = ct.table
    rules = table.rules
    policy = table.hit_policy
    order_sensitive, single_hit = policy.order_sensitive, policy.single_hit
    findings = []
    width = len(ct.columns)
    seen: set[tuple[int, int]] = set()
    for c in range(width):
        column = ct.columns[c]
        groups: dict[tuple[object, ...], list[int]] = {}
        for i, box in enumerate(ct.boxes):
            if i in dead:
                continue
            rule = rules[i]
            key = (rule.outputs, rule.citations, rule.open_questions, box[:c] + box[c + 1 :])
            groups.setdefault(key, []).append(i)
        for group in groups.values():
            for first, second in _candidate_pairs(ct, c, group, order_sensitive):
                a, b = ct.boxes[first][c], ct.boxes[second][c]
                if a == b or not (a & ~b) or not (b & ~a) or (first, second) in seen:
                    continue
                if not single_hit and a & b:
                    continue
                if not contiguous((a | b) & column.numeric_mask):
                    continue
                seen.add((first, second))
                merged = column.describe(a | b)
                witness, shown = _example(ct, ct.boxes[second])
                findings.append(
                    _finding(
                        ct,
                        "normal_form",
                        WARNING,
                        (first, second),
                        f"rules {rules[first].id} and {rules[second].id} differ only in "
                        f"{column.domain.expression} and give the same outputs: they could be one rule with "
                        f"{column.domain.expression} {merged}; for example {shown}",
                        witness,
                    )
                )
    return findings
