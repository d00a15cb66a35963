"""Mutation operators: each mutant is one slip an author could make in one table.

Mutants are built on the frozen model with ``dataclasses.replace`` (the spec files are never
touched), so a mutant is just another ``DecisionTable`` that the engine evaluates like the real
one. The operators mirror the slips that matter in a clinical table:

- a threshold one step off, at the precision the data dictionary declares for the field
  (``< 50`` -> ``< 49.9`` and ``< 50.1`` for a field declared at 0.1);
- a comparison strict instead of non-strict or the other way round (``< 50`` -> ``<= 50``);
- a range end opened or closed (``(0..20]`` -> ``[0..20]``, ``(0..20)``);
- an output value replaced by another allowed value of that output;
- an input entry left blank (``-``, matches anything);
- an enumeration, boolean or null entry negated (``"adult"`` -> ``not("adult")``);
- a rule deleted;
- two adjacent rules swapped where the order of rules can change the result (F, R; P and O when
  the two rules tie on priority);
- the hit policy replaced by every other policy the table could legally have, where the change
  can alter the rows the table gives (see ``mutant_policies`` for the three pairs left out);
- a citation replaced by the next reference of the source, or dropped where a rule has several;
- a figure with a unit in an annotation or in an output's label one more (100 -> 101 ng/L);
- an open-question link moved to the next question, dropped, or added to a rule without one.

The last three change no answer of the engine, only what a reviewer reads; ``b12spec check``
(its traceability analysis, verify/trace.py) must catch them, and the runner counts it as a kill.

Mutants that leave the table exactly as it was, or repeat an earlier mutant's table, are dropped,
so every mutant counted is a distinct table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from b12spec.model import DecisionTable, FieldType, HitPolicy, Rule, Spec
from b12spec.unary import Comparison, Interval, Literal, NullTest, PositiveTest, UnaryTest, format_literal

# Operator names, as they appear in reports.
NUDGE = "threshold nudged"
STRICTNESS = "comparison flipped"
RANGE_END = "range end toggled"
OUTPUT = "output replaced"
TO_ANY = "entry blanked"
NEGATE = "entry negated"
DELETE = "rule deleted"
SWAP = "rules swapped"
HIT_POLICY = "hit policy changed"
CITATION = "citation changed"
FIGURE = "figure changed"
QUESTION = "open question changed"

OPERATORS = (NUDGE, STRICTNESS, RANGE_END, OUTPUT, TO_ANY, NEGATE, DELETE, SWAP, HIT_POLICY, CITATION, FIGURE,
             QUESTION)
# Slips in what a reviewer reads rather than in what the engine computes: the scenarios may not
# notice them, b12spec check's traceability must (the runner counts its findings as kills).
METADATA_OPERATORS = (CITATION, FIGURE, QUESTION)

_FLIPPED = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}


@dataclass(frozen=True)
class Mutant:
    """One changed table, with what changed said the way an author would find it in the CSV."""

    table: str
    file: str
    rule: str | None
    column: str | None
    operator: str
    before: str
    after: str
    mutated: DecisionTable

    @property
    def change(self) -> str:
        """The change in one line: ``field: < 50 -> < 49.9 (threshold nudged)``."""
        where = f"{self.column}: " if self.column else ""
        return f"{where}{self.before} -> {self.after} ({self.operator})"

    @property
    def metadata(self) -> bool:
        """Whether the slip is in citations, wording or question links, not in the logic."""
        return self.operator in METADATA_OPERATORS

    @property
    def description(self) -> str:
        """File, rule, column and the change: enough to find and judge the cell."""
        parts = [self.file or self.table]
        if self.rule:
            parts.append(f"rule {self.rule}")
        return ", ".join(parts) + f", {self.change}"


def generate_mutants(spec: Spec, tables: Iterable[str] | None = None) -> tuple[Mutant, ...]:
    """Every mutant of the named tables (all tables when None), in table and rule order.

    Slips in citations, figures and question links are made only for a spec whose source text
    can be read: without it there is no traceability analysis that could notice them.
    """
    wanted = None if tables is None else set(tables)
    traced = _traceable(spec)
    consumed = {column.decision for table in spec.tables for column in table.inputs if column.decision}
    mutants: list[Mutant] = []
    for table in spec.tables:
        if wanted is not None and table.name not in wanted:
            continue
        seen: set[DecisionTable] = {table}
        for mutant in _table_mutants(spec, table, read_downstream=table.name in consumed, metadata=traced):
            if mutant.mutated not in seen:
                seen.add(mutant.mutated)
                mutants.append(mutant)
    return tuple(mutants)


def _traceable(spec: Spec) -> bool:
    from b12spec.sourcetext import SourceTextError
    from b12spec.verify.trace import load_source

    try:
        return load_source(spec) is not None
    except SourceTextError:
        return False


def _table_mutants(spec: Spec, table: DecisionTable, read_downstream: bool, metadata: bool) -> Iterator[Mutant]:
    for index, rule in enumerate(table.rules):
        for position, column in enumerate(table.inputs):
            step = _step(spec, column.expression)
            for operator, new_test in _entry_mutations(rule.inputs[position], step):
                yield _with_entry(table, index, position, operator, new_test)
        for position, output in enumerate(table.outputs):
            for value in output.values:
                if value != rule.outputs[position]:
                    yield _with_output(table, index, position, value)
        yield Mutant(
            table.name,
            table.file,
            rule.id,
            None,
            DELETE,
            f"row {rule.row}",
            "deleted",
            replace(table, rules=table.rules[:index] + table.rules[index + 1 :]),
        )
    yield from _swaps(table)
    if metadata:
        yield from metadata_mutants(spec, table)
    for policy in mutant_policies(table, read_downstream):
        yield Mutant(
                table.name,
                table.meta_file or table.file,
                None,
                "hit_policy",
                HIT_POLICY,
                table.hit_policy.value,
                policy.value,
                replace(table, hit_policy=policy),
            )


# --------------------------------------------------------------------------- input entries


def _step(spec: Spec, expression: str) -> float | None:
    """The smallest step the tables distinguish for a field; None for non-numbers and decisions."""
    field = spec.dictionary.get(expression)
    if field is None or field.type is not FieldType.NUMBER:
        return None
    return field.precision or 1.0


def _nudge(value: float, step: float, sign: int) -> float:
    """``value`` moved one step, without binary noise (0.3 - 0.1 is 0.2, not 0.19999999999999998)."""
    return float(Decimal(repr(value)) + sign * Decimal(repr(step)))


def _entry_mutations(test: UnaryTest, step: float | None) -> Iterator[tuple[str, UnaryTest]]:
    """Every single-slip variant of one input entry, with the operator that made it."""
    if test.is_any:
        return
    for index, positive in enumerate(test.tests):
        for operator, new_positive in _positive_mutations(positive, step):
            tests = (*test.tests[:index], new_positive, *test.tests[index + 1:])
            yield operator, replace(test, tests=tests)
    yield TO_ANY, UnaryTest()
    if all(isinstance(p, NullTest) or (isinstance(p, Literal) and not _is_number(p.value)) for p in test.tests):
        yield NEGATE, replace(test, negated=not test.negated)


def _positive_mutations(positive: PositiveTest, step: float | None) -> Iterator[tuple[str, PositiveTest]]:
    if isinstance(positive, Comparison):
        if step is not None:
            for sign in (-1, 1):
                yield NUDGE, replace(positive, value=_nudge(positive.value, step, sign))
        yield STRICTNESS, replace(positive, operator=_FLIPPED[positive.operator])
    elif isinstance(positive, Interval):
        if step is not None:
            for sign in (-1, 1):
                low = _nudge(positive.low, step, sign)
                if low <= positive.high:
                    yield NUDGE, replace(positive, low=low)
            for sign in (-1, 1):
                high = _nudge(positive.high, step, sign)
                if high >= positive.low:
                    yield NUDGE, replace(positive, high=high)
        yield RANGE_END, replace(positive, low_closed=not positive.low_closed)
        yield RANGE_END, replace(positive, high_closed=not positive.high_closed)
    elif isinstance(positive, Literal) and _is_number(positive.value) and step is not None:
        for sign in (-1, 1):
            yield NUDGE, Literal(_nudge(float(positive.value), step, sign))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _with_entry(table: DecisionTable, index: int, position: int, operator: str, new_test: UnaryTest) -> Mutant:
    rule = table.rules[index]
    before = _entry_text(rule, position)
    after = str(new_test)
    texts = list(rule.input_text) if len(rule.input_text) == len(rule.inputs) else [str(t) for t in rule.inputs]
    texts[position] = after
    inputs = (*rule.inputs[:position], new_test, *rule.inputs[position + 1:])
    mutated_rule = replace(rule, inputs=inputs, input_text=tuple(texts))
    return Mutant(
        table.name,
        table.file,
        rule.id,
        table.inputs[position].expression,
        operator,
        before,
        after,
        _with_rule(table, index, mutated_rule),
    )


def _entry_text(rule: Rule, position: int) -> str:
    if len(rule.input_text) == len(rule.inputs) and rule.input_text[position]:
        return rule.input_text[position]
    return str(rule.inputs[position])


def _with_rule(table: DecisionTable, index: int, rule: Rule) -> DecisionTable:
    return replace(table, rules=(*table.rules[:index], rule, *table.rules[index + 1:]))


# --------------------------------------------------------------------------- outputs


def _with_output(table: DecisionTable, index: int, position: int, value: str) -> Mutant:
    rule = table.rules[index]
    outputs = (*rule.outputs[:position], value, *rule.outputs[position + 1:])
    before = rule.outputs[position]
    return Mutant(
        table.name,
        table.file,
        rule.id,
        table.outputs[position].name,
        OUTPUT,
        before if isinstance(before, str) else format_literal(before),
        value,
        _with_rule(table, index, replace(rule, outputs=outputs)),
    )


# --------------------------------------------------------------------------- rule order


def _swaps(table: DecisionTable) -> Iterator[Mutant]:
    """Adjacent rules swapped, only where rule order can change what the table returns.

    F and R read rules top to bottom. P picks the highest priority and O sorts by it, both keeping
    rule order among ties, so for them a swap matters only when the two rules tie on priority.
    U, A and C (and the aggregations) do not depend on order, so swapping there is never a slip.
    """
    policy = table.hit_policy
    for index in range(len(table.rules) - 1):
        first, second = table.rules[index], table.rules[index + 1]
        if policy in (HitPolicy.PRIORITY, HitPolicy.OUTPUT_ORDER):
            if _priority(table, first) != _priority(table, second):
                continue
        elif not policy.order_sensitive:
            continue
        rules = (*table.rules[:index], second, first, *table.rules[index + 2:])
        yield Mutant(
            table.name,
            table.file,
            first.id,
            None,
            SWAP,
            f"{first.id} before {second.id}",
            f"{second.id} before {first.id}",
            replace(table, rules=rules),
        )


def _priority(table: DecisionTable, rule: Rule) -> tuple[int, ...]:
    return tuple(column.priority(value) for column, value in zip(table.outputs, rule.outputs, strict=False))


# --------------------------------------------------------------------------- hit policies


def applicable_policies(table: DecisionTable, read_downstream: bool) -> tuple[HitPolicy, ...]:
    """The hit policies this table could legally be given, its own included.

    A table whose output another decision tests must keep a single value (single-hit or an
    aggregation), as the loader requires; aggregations need a single output, and sum, minimum
    and maximum need it to be a number; P and O need allowed values to rank.
    """
    single_output = len(table.outputs) == 1
    numeric = single_output and table.outputs[0].type is FieldType.NUMBER
    ranked = all(column.values for column in table.outputs)
    allowed: list[HitPolicy] = []
    for policy in HitPolicy:
        if policy in (HitPolicy.PRIORITY, HitPolicy.OUTPUT_ORDER) and not ranked:
            continue
        if policy.aggregated and not single_output:
            continue
        if policy in (HitPolicy.COLLECT_SUM, HitPolicy.COLLECT_MIN, HitPolicy.COLLECT_MAX) and not numeric:
            continue
        if read_downstream and not (policy.single_hit or policy.aggregated):
            continue
        if read_downstream and policy is HitPolicy.COLLECT_COUNT and not numeric:
            continue
        allowed.append(policy)
    return tuple(allowed)


def mutant_policies(table: DecisionTable, read_downstream: bool) -> tuple[HitPolicy, ...]:
    """The legal policies other than the table's own that can change the rows the table gives.

    Three changes alter only how the same rows are packaged, never which rows a reader gets, so
    no scenario about what the guideline says could tell them apart; they are not slips:

    - C <-> R: the engine implements both the same way (``hitpolicy.select``: matches in rule
      order), so the mutant is the very same function;
    - C -> O: C promises no order; O gives the same rows, sorted by priority (whereas an ordered
      table losing or changing its order, O -> C, R -> O, O -> R, is kept as a slip);
    - U -> C, R, O: where a U table is valid exactly one rule matches (``b12spec check`` proves
      there are no gaps or overlaps), so the list of matches is that one row (whereas A, P, F ->
      C, R, O list every match of an overlap, and are kept).
    """
    own = table.hit_policy
    kept: list[HitPolicy] = []
    for policy in applicable_policies(table, read_downstream):
        if policy is own:
            continue
        if {own, policy} == {HitPolicy.COLLECT, HitPolicy.RULE_ORDER}:
            continue
        if own is HitPolicy.COLLECT and policy is HitPolicy.OUTPUT_ORDER:
            continue
        if own is HitPolicy.UNIQUE and policy in (HitPolicy.COLLECT, HitPolicy.RULE_ORDER, HitPolicy.OUTPUT_ORDER):
            continue
        kept.append(policy)
    return tuple(kept)


# --------------------------------------------------------------------------- what a reviewer reads


def metadata_mutants(spec: Spec, table: DecisionTable) -> Iterator[Mutant]:
    """Citations, figures in annotations and output labels, and open-question links."""
    references = [s.id for s in spec.sources if s.in_source]
    questions = [q.id for q in spec.open_questions]
    for index, rule in enumerate(table.rules):
        for position, citation in enumerate(rule.citations):
            if citation in references:
                others = [r for r in references if r not in rule.citations]
                if others:
                    after = others[(references.index(citation)) % len(others)]
                    yield _with_meta(table, index, CITATION, "citations", citation, after, citations=(
                        *rule.citations[:position], after, *rule.citations[position + 1 :]))
            if len(rule.citations) > 1:
                kept = rule.citations[:position] + rule.citations[position + 1 :]
                yield _with_meta(table, index, CITATION, "citations", "; ".join(rule.citations), "; ".join(kept),
                                 citations=kept)
        for before, after in _figure_slips(rule.annotation):
            yield _with_meta(table, index, FIGURE, "annotation", before, after, annotation=after)
        for position, question in enumerate(rule.open_questions):
            others = [q for q in questions if q not in rule.open_questions]
            if others:
                after = others[questions.index(question) % len(others)] if question in questions else others[0]
                yield _with_meta(table, index, QUESTION, "open_questions", question, after, open_questions=(
                    *rule.open_questions[:position], after, *rule.open_questions[position + 1 :]))
            kept = rule.open_questions[:position] + rule.open_questions[position + 1 :]
            yield _with_meta(table, index, QUESTION, "open_questions", question, "(dropped)", open_questions=kept)
        if not rule.open_questions and questions:
            yield _with_meta(table, index, QUESTION, "open_questions", "(none)", questions[0],
                             open_questions=(questions[0],))
    yield from _label_mutants(table)


def _with_meta(table: DecisionTable, index: int, operator: str, column: str, before: str, after: str,
               **changes: object) -> Mutant:
    rule = table.rules[index]
    mutated = replace(rule, **changes)  # type: ignore[arg-type]
    return Mutant(table.name, table.file, rule.id, column, operator, before, after, _with_rule(table, index, mutated))


def _figure_slips(text: str) -> Iterator[tuple[str, str]]:
    """(before, after) for each number of a figure with a unit: the whole text, that number one more."""
    from b12spec.verify.trace import figure_spans  # the checker's own reading of a figure

    seen: set[str] = set()
    for start, end in figure_spans(text):
        after = text[:start] + format_literal(_nudge(float(text[start:end]), 1.0, 1)) + text[end:]
        if after not in seen:
            seen.add(after)
            yield text, after


def _label_mutants(table: DecisionTable) -> Iterator[Mutant]:
    """A figure in the label of an output value some rule gives, one more."""
    for position, column in enumerate(table.outputs):
        used = [rule for rule in table.rules if rule.outputs[position] in dict(column.value_labels)]
        for value, label in column.value_labels:
            users = [rule for rule in used if rule.outputs[position] == value]
            if not users:
                continue
            for before, after in _figure_slips(label):
                labels = tuple((v, after if v == value else t) for v, t in column.value_labels)
                changed = replace(column, value_labels=labels)
                outputs = (*table.outputs[:position], changed, *table.outputs[position + 1 :])
                yield Mutant(table.name, table.meta_file or table.file, users[0].id, column.name, FIGURE,
                             before, after, replace(table, outputs=outputs))
