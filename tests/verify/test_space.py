"""The sweep is exact: on random small tables it agrees with brute force over every atom.

Thresholds come from a fixed set, so the values below hit every atom of every column: each
threshold, a value strictly between each pair of neighbours, and null. Brute force evaluates the
engine's own ``Rule.matches`` on every combination; the sweep must find exactly the same gaps,
overlapping pairs and (for hit policy F) rules that never win - including those only a union of
earlier rules masks.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b12spec.hitpolicy import select
from b12spec.model import (
    DataDictionary,
    DataField,
    DecisionTable,
    FieldType,
    Guideline,
    HitPolicy,
    InputColumn,
    OutputColumn,
    Rule,
    Spec,
)
from b12spec.unary import parse_unary_tests
from b12spec.verify import space
from b12spec.verify.analysis import gap_regions, gaps, overlap_pairs, unreachable_rules
from b12spec.verify.regions import NULL, OPEN, POINT, VALUE, witness_of
from b12spec.verify.space import SweepBudgetExceeded, compile_table

THRESHOLDS = (0, 10, 20, 50, 100)
X_VALUES = (0.0, 5.0, 10.0, 15.0, 20.0, 35.0, 50.0, 75.0, 100.0, None)
COLOURS = ("red", "green", None)
FLAGS = (True, False)

FIELDS = (
    DataField("x", FieldType.NUMBER, "x", required=False, unit="u", minimum=0.0, maximum=100.0, precision=1.0),
    DataField("colour", FieldType.ENUM, "colour", required=False, values=("red", "green")),
    DataField("flag", FieldType.BOOLEAN, "flag", required=True),
)

number = st.sampled_from(THRESHOLDS)
x_entry = st.one_of(
    st.just("-"),
    st.just("null"),
    st.just("not(null)"),
    st.builds(lambda op, n: f"{op} {n}", st.sampled_from(["<", "<=", ">", ">="]), number),
    st.builds(lambda n: f"not(< {n})", number),
    st.builds(
        lambda a, b, lo, hi: f"{lo}{min(a, b)}..{max(a, b)}{hi}" if a != b else f"[{a}..{a}]",
        number,
        number,
        st.sampled_from("[("),
        st.sampled_from("])"),
    ),
    st.builds(lambda n: f"{n}, null", number),
)
colour_entry = st.sampled_from(['-', '"red"', '"green"', 'not("red")', "null", '"red", null'])
flag_entry = st.sampled_from(["-", "true", "false", "not(true)"])
rule_entries = st.tuples(x_entry, colour_entry, flag_entry, st.sampled_from(["a", "b"]))


def make_table(rows, policy: HitPolicy) -> tuple[Spec, DecisionTable]:
    rules = tuple(
        Rule(f"R{i}", i + 2, tuple(parse_unary_tests(t) for t in row[:3]), (row[3],), ("1",), input_text=row[:3])
        for i, row in enumerate(rows)
    )
    table = DecisionTable(
        "t",
        "t",
        "t",
        policy,
        tuple(InputColumn(f.name, f.name) for f in FIELDS),
        (OutputColumn("out", "out", FieldType.ENUM, ("a", "b")),),
        rules,
    )
    spec = Spec(Guideline("", "", "", "", "", ""), DataDictionary(FIELDS), (table,), (), order=("t",))
    return spec, table


def points():
    return itertools.product(X_VALUES, COLOURS, FLAGS)


def matched(table, point):
    return tuple(i for i, rule in enumerate(table.rules) if rule.matches(point))


@settings(max_examples=150, deadline=None)
@given(st.lists(rule_entries, min_size=1, max_size=6))
def test_gaps_match_brute_force(rows):
    _assert_gaps_match_brute_force(rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(rule_entries, min_size=7, max_size=16))
def test_gaps_match_brute_force_when_many_rules_cut_the_space(rows):
    """Many rules means cuts nested several deep in every column, as in a large table."""
    _assert_gaps_match_brute_force(rows)


def test_a_gap_analysis_over_budget_is_an_error_naming_the_table_not_a_pass():
    rows = [("< 10", "-", "true", "a"), (">= 20", '"red"', "-", "b"), ("null", "-", "-", "a")]
    spec, table = make_table(rows, HitPolicy.UNIQUE)
    ct = compile_table(spec, table)
    assert all(f.kind == "gap" for f in gaps(ct)) and len(gaps(ct)) >= 2  # the full sweep finds them
    [stopped] = gaps(ct, budget=3)
    assert stopped.severity == "error" and stopped.table == "t" and stopped.witness is None
    assert "gap analysis of table t was stopped after 3 regions" in stopped.message
    assert "budget of 3 regions" in stopped.message and "found so far" in stopped.message
    with pytest.raises(SweepBudgetExceeded) as raised:
        gap_regions(ct, budget=3)
    assert raised.value.pieces == 3 and raised.value.found <= 3


@pytest.mark.parametrize(
    ("limit", "value", "says"),
    [
        ("_MAX_DEPTH", 1, "cuts nested deeper than 1"),  # instead of overflowing Python's stack
        ("SWEEP_WORK", 4, "4 rule visits over them"),  # many rules live in every region
    ],
)
def test_the_sweep_stops_at_its_depth_and_work_limits_with_an_error(monkeypatch, limit, value, says):
    rows = [("< 10", "-", "true", "a"), (">= 20", '"red"', "-", "b"), ("null", "-", "-", "a")]
    spec, table = make_table(rows, HitPolicy.UNIQUE)
    ct = compile_table(spec, table)
    monkeypatch.setattr(space, limit, value)
    [stopped] = gaps(ct)
    assert stopped.severity == "error" and says in stopped.message


def _assert_gaps_match_brute_force(rows):
    spec, table = make_table(rows, HitPolicy.UNIQUE)
    ct = compile_table(spec, table)
    regions = gap_regions(ct)
    uncovered = {p for p in points() if not matched(table, p)}
    assert bool(regions) == bool(uncovered)
    for region in regions:
        witness = witness_of(ct.columns, region)
        assert not matched(table, (witness["x"], witness["colour"], witness["flag"]))
    in_regions = set()
    for p in points():
        atoms = [_atom_of(column, value) for column, value in zip(ct.columns, p, strict=True)]
        if any(all(region[k] >> atoms[k] & 1 for k in range(3)) for region in regions):
            in_regions.add(p)
    assert in_regions == uncovered


@settings(max_examples=150, deadline=None)
@given(st.lists(rule_entries, min_size=2, max_size=6))
def test_overlapping_pairs_match_brute_force(rows):
    spec, table = make_table(rows, HitPolicy.UNIQUE)
    ct = compile_table(spec, table)
    found = {(i, j) for i, j, _ in overlap_pairs(ct)}
    brute = {pair for p in points() for pair in itertools.combinations(matched(table, p), 2)}
    assert found == brute
    for i, j, box in overlap_pairs(ct):
        w = witness_of(ct.columns, box)
        assert {i, j} <= set(matched(table, (w["x"], w["colour"], w["flag"])))


@settings(max_examples=100, deadline=None)
@given(x_entry, colour_entry, flag_entry)
def test_fast_masks_equal_asking_matches_atom_by_atom(x, colour, flag):
    spec, table = make_table([(x, colour, flag, "a")], HitPolicy.UNIQUE)
    ct = compile_table(spec, table)
    for column, text in zip(ct.columns, (x, colour, flag), strict=True):
        test = parse_unary_tests(text)
        assert column.mask(test) == column.mask_by_matching(test)


@settings(max_examples=150, deadline=None)
@given(st.lists(rule_entries, min_size=1, max_size=7), st.sampled_from([HitPolicy.FIRST, HitPolicy.PRIORITY]))
def test_rules_that_never_win_match_brute_force(rows, policy):
    spec, table = make_table(rows, policy)
    ct = compile_table(spec, table)
    found = {u.rule for u in unreachable_rules(ct)}
    winners = set()
    for p in points():
        hits = matched(table, p)
        if hits:
            chosen = select(table, tuple(table.rules[i] for i in hits)).rules[0]
            winners.add(table.rules.index(chosen))
    assert found == set(range(len(table.rules))) - winners


def _atom_of(column, value) -> int:
    """The index of the atom a concrete value lies in."""
    for index, atom in enumerate(column.atoms):
        if value is None and atom.kind == NULL:
            return index
        if value is None or atom.kind == NULL:
            continue
        if atom.kind == OPEN and not isinstance(value, (bool, str)) and atom.low < value < atom.high:
            return index
        if atom.kind in (POINT, VALUE) and type(atom.value) is type(value) and atom.value == value:
            return index
    raise AssertionError(f"no atom holds {value!r}")
