"""The tables compiled to one SQL query that DuckDB and Spark both run unchanged.

Each rule becomes a predicate over the input columns, with FEEL's null logic spelled out (SQL's
own differs: ``x <> 'a'`` is unknown for a null x, but FEEL's ``not("a")`` matches null):

- a literal is an equality that is false, never unknown, on null: ``COALESCE(x = 'a', FALSE)``;
  a literal of another type than the column can never match: ``FALSE``;
- a comparison or interval is unknown on null, as in FEEL; on a non-number column, unknown;
- ``null`` is ``x IS NULL``; a disjunction is SQL's OR (true wins, then unknown), ``not(...)``
  is SQL's NOT (unknown stays unknown), and an unknown test does not match: ``COALESCE(.., FALSE)``.

The rules a row matches are packed into BIGINT words (62 rules each, bit r for rule r), the
row's *pattern*; the hit policy is a CASE from every possible pattern to its outcome, computed
by ``hitpolicy.select`` (plan.py), and the outputs a decision publishes are a CASE over its
outcome, which downstream tables read. Identifiers are plain (``c_b12_status__status``)
so no quoting dialect is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from b12spec.cohort.atoms import AtomCodec
from b12spec.cohort.plan import CompiledSpec, TablePlan
from b12spec.errors import B12SpecError
from b12spec.model import FieldType, Spec
from b12spec.unary import Comparison, Interval, Literal, NullTest, PositiveTest, UnaryTest, Value, format_literal

WORD_BITS = 62
ROW_ID = "row_id"


class SqlCompileError(B12SpecError):
    """A table uses something the SQL compilation cannot express."""


def column_name(expression: str) -> str:
    return "c_" + re.sub(r"[^A-Za-z0-9_]", "__", expression)


def outcome_column(decision: str) -> str:
    return "o_" + re.sub(r"[^A-Za-z0-9_]", "__", decision)


def _pattern_column(decision: str, word: int) -> str:
    return f"p_{re.sub(r'[^A-Za-z0-9_]', '__', decision)}_{word}"


def sql_type(spec: Spec, codec: AtomCodec) -> str:
    """DOUBLE, BOOLEAN or STRING: what the column holds in a valid case."""
    field = spec.dictionary.get(codec.expression)
    if field is not None:
        return {FieldType.NUMBER: "DOUBLE", FieldType.BOOLEAN: "BOOLEAN", FieldType.ENUM: "STRING"}[field.type]
    domain = codec.space.domain
    if domain.numeric is not None:
        return "DOUBLE"
    kinds = {type(v) for v in domain.values}
    if kinds <= {bool}:
        return "BOOLEAN" if kinds else "STRING"
    if kinds <= {str}:
        return "STRING"
    if kinds <= {float, int}:
        return "DOUBLE"
    raise SqlCompileError(f"{codec.expression} mixes values of several types ({sorted(k.__name__ for k in kinds)})")


def literal_sql(value: Value, kind: str) -> str:
    if value is None:
        return f"CAST(NULL AS {kind})"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        if "\\" in value:
            raise SqlCompileError(f"the value {value!r} holds a backslash, which DuckDB and Spark read differently")
        return "'" + value.replace("'", "''") + "'"
    return f"CAST({format_literal(float(value))} AS DOUBLE)"


def _positive(test: PositiveTest, column: str, kind: str) -> str:
    if isinstance(test, NullTest):
        return f"({column} IS NULL)"
    if isinstance(test, Literal):
        value = test.value
        same = (
            (isinstance(value, bool) and kind == "BOOLEAN")
            or (isinstance(value, str) and kind == "STRING")
            or (not isinstance(value, (bool, str)) and kind == "DOUBLE")
        )
        return f"COALESCE({column} = {literal_sql(value, kind)}, FALSE)" if same else "FALSE"
    if kind != "DOUBLE":
        return "CAST(NULL AS BOOLEAN)"
    if isinstance(test, Comparison):
        return f"({column} {test.operator} {literal_sql(test.value, kind)})"
    assert isinstance(test, Interval)
    low = ">=" if test.low_closed else ">"
    high = "<=" if test.high_closed else "<"
    return f"({column} {low} {literal_sql(test.low, kind)} AND {column} {high} {literal_sql(test.high, kind)})"


def test_sql(test: UnaryTest, column: str, kind: str) -> str:
    """A unary test as a SQL condition that is TRUE exactly where FEEL says the test matches."""
    if test.is_any:
        return "TRUE"
    body = " OR ".join(_positive(t, column, kind) for t in test.tests)
    return f"COALESCE(NOT ({body}), FALSE)" if test.negated else f"COALESCE(({body}), FALSE)"


def _pattern_sql(plan: TablePlan, kinds: Sequence[str]) -> list[str]:
    words = max(1, -(-plan.rule_count // WORD_BITS))
    terms: list[list[str]] = [[] for _ in range(words)]
    for r, rule in enumerate(plan.table.rules):
        conditions = [
            test_sql(test, column_name(e), kind)
            for test, e, kind in zip(rule.inputs, plan.expressions, kinds, strict=True)
            if not test.is_any
        ]
        condition = " AND ".join(conditions) if conditions else "TRUE"
        terms[r // WORD_BITS].append(f"CASE WHEN {condition} THEN {1 << (r % WORD_BITS)} ELSE 0 END")
    return [
        "CAST(0 AS BIGINT)" + "".join(f"\n      + {term}" for term in word) + f" AS {_pattern_column(plan.name, w)}"
        for w, word in enumerate(terms)
    ]


def _outcome_sql(plan: TablePlan, words: int) -> str:
    """The hit policy's verdict for each possible pattern, as a CASE over the pattern words."""
    mask = (1 << WORD_BITS) - 1
    branches = []
    for outcome in plan.outcomes:
        condition = " AND ".join(
            f"{_pattern_column(plan.name, w)} = {(outcome.pattern >> (WORD_BITS * w)) & mask}" for w in range(words)
        )
        branches.append(f"WHEN {condition} THEN {outcome.index}")
    return "CASE " + " ".join(branches) + f" ELSE NULL END AS {outcome_column(plan.name)}"


def _published_sql(plan: TablePlan, expression: str, kind: str) -> str:
    """A published output as a CASE over the decision's outcome index."""
    branches = [
        f"WHEN {o.index} THEN {literal_sql(dict(o.published)[expression], kind)}" for o in plan.outcomes
    ]
    return (f"CASE {outcome_column(plan.name)} " + " ".join(branches)
            + f" ELSE {literal_sql(None, kind)} END AS {column_name(expression)}")


def compile_sql(compiled_spec: CompiledSpec, source: str, decisions: Sequence[str] | None = None) -> str:
    """One query over ``source`` (a table or view of canonical, validated columns plus row_id):
    row_id and one outcome index per decision. With ``decisions``, only those tables, in
    evaluation order; the source then holds the decision outputs they read (one table alone).

    Tables are grouped by depth in the decision requirements (a table reading no decision first,
    then those reading only them, ...); each depth is three projections: the pattern words of
    its tables, their outcomes (a CASE over the possible patterns: the hit policy's look-up),
    their published outputs (a CASE over the outcome). No joins, so row order and row count
    are kept by construction, and few layers, so the query plans quickly.
    """
    spec = compiled_spec.spec
    kinds = {e: sql_type(spec, codec) for e, codec in compiled_spec.codecs.items()}
    chosen = [(n, p) for n, p in compiled_spec.plans.items() if decisions is None or n in decisions]
    depth: dict[str, int] = {}
    for name, plan in chosen:
        upstream = [depth[d] for d in plan.table.required_decisions if d in depth]
        depth[name] = 1 + max(upstream) if upstream else 0
    steps = [f"s0 AS (SELECT * FROM {source})"]
    for level in range(max(depth.values(), default=-1) + 1):
        plans = [plan for name, plan in chosen if depth[name] == level]
        previous = steps[-1].split(" AS ", 1)[0]
        patterns = [p for plan in plans for p in _pattern_sql(plan, [kinds[e] for e in plan.expressions])]
        outcomes = [_outcome_sql(plan, max(1, -(-plan.rule_count // WORD_BITS))) for plan in plans]
        published = [
            _published_sql(plan, e, kinds.get(e) or _published_kind(plan, e))
            for plan in plans
            for e in plan.publishes
            if e in kinds
        ]
        steps.append(f"d{level}_p AS (SELECT s.*,\n    " + ",\n    ".join(patterns) + f"\n  FROM {previous} s)")
        steps.append(f"d{level}_o AS (SELECT s.*,\n    " + ",\n    ".join(outcomes) + f"\n  FROM d{level}_p s)")
        steps.append(f"d{level}_v AS (SELECT s.*" + "".join(f",\n    {p}" for p in published) + f" FROM d{level}_o s)")
    last = steps[-1].split(" AS ", 1)[0]
    outcome_columns = ", ".join(outcome_column(name) for name, _ in chosen)
    return "WITH " + ",\n".join(steps) + f"\nSELECT {ROW_ID}, {outcome_columns} FROM {last}"


def _published_kind(plan: TablePlan, expression: str) -> str:
    values = {type(v) for o in plan.outcomes for e, v in o.published if e == expression and v is not None}
    if values <= {bool} and values:
        return "BOOLEAN"
    if values and values <= {float, int}:
        return "DOUBLE"
    return "STRING"
