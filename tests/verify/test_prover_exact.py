"""The prover against brute force: on small random two-table specs, every verdict and every
counterexample equals what evaluating every case with the engine finds.

The fields are cut into the prover's own atoms (their agreement with ``UnaryTest.matches`` is
tested in test_space.py), and brute force walks every combination of atoms through the real
engine (``evaluate``) and the property's own meaning (``condition_holds``): no z3. A property is
vacuous when no valid case meets its ``when``, violated when a valid case breaks its ``then``,
otherwise proven. The counterexample must be the plainest violating case: fewest departures
from "optional fields missing, yes/no fields false" (weights 2 and 1), then, field by field in
dictionary order, null before false before the lowest atom. So the test pins the whole finding,
not just its verdict, and any encoding that changes what is proven or shown fails it.

A second test pins the size of the encoding: linear in the rules for every single-hit policy,
where writing "rule i wins" pairwise made a 2,000-rule table millions of terms.
"""

from __future__ import annotations

import itertools
from typing import Any

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from b12spec.errors import B12SpecError
from b12spec.evaluate import evaluate
from b12spec.model import (
    Contradiction,
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
    Unit,
)
from b12spec.properties import Property, condition_holds, failed_conditions, parse_properties
from b12spec.unary import parse_unary_tests
from b12spec.verify.prover import FAILED, PROVEN, VACUOUS, VIOLATED, Encoding, prove

FIELDS = (
    DataField("x", FieldType.NUMBER, "x", required=False, unit="u", units=(Unit("u", 1.0),), minimum=0.0,
              maximum=100.0, precision=1.0),
    DataField("colour", FieldType.ENUM, "colour", required=False, values=("red", "green")),
    DataField("flag", FieldType.BOOLEAN, "flag", required=True),
)
GREEN_FLAG = Contradiction("C-1", (("colour", parse_unary_tests('"green"')), ("flag", parse_unary_tests("true"))),
                           "a green flag cannot be")

number = st.sampled_from((0, 10, 20, 50, 100))
x_entry = st.one_of(
    st.sampled_from(["-", "null", "not(null)"]),
    st.builds(lambda op, n: f"{op} {n}", st.sampled_from(["<", "<=", ">", ">="]), number),
    st.builds(lambda a, b, lo, hi: f"{lo}{min(a, b)}..{max(a, b)}{hi}" if a != b else f"[{a}..{a}]",
              number, number, st.sampled_from("[("), st.sampled_from("])")),
    st.builds(lambda n: f"{n}, null", number),
)
colour_entry = st.sampled_from(['-', '"red"', '"green"', 'not("red")', "null", '"red", null'])
flag_entry = st.sampled_from(["-", "true", "false"])
out_entry = st.sampled_from(['-', '"a"', '"b"', 'not("a")'])
single_hit = st.sampled_from([HitPolicy.UNIQUE, HitPolicy.ANY, HitPolicy.PRIORITY, HitPolicy.FIRST])


def _rules(rows: list[tuple[str, ...]], outputs: int) -> tuple[Rule, ...]:
    return tuple(
        Rule(f"R{i}", i + 2, tuple(parse_unary_tests(t) for t in row[:-outputs]), tuple(row[-outputs:]), ("1",),
             input_text=row[:-outputs])
        for i, row in enumerate(rows)
    )


def _spec(first: list[tuple[str, ...]], first_policy: HitPolicy, second: list[tuple[str, ...]],
          second_policy: HitPolicy, contradiction: bool) -> Spec:
    """Table ``first`` reads the fields; table ``second`` reads first's output and the flag."""
    upstream = DecisionTable(
        "first", "first", "t", first_policy, tuple(InputColumn(f.name, f.name) for f in FIELDS),
        (OutputColumn("out", "out", FieldType.ENUM, ("a", "b")),), _rules(first, 1))
    downstream = DecisionTable(
        "second", "second", "t", second_policy,
        (InputColumn("first.out", "first.out", "first"), InputColumn("flag", "flag")),
        (OutputColumn("alt", "alt", FieldType.ENUM, ("p", "q")),), _rules(second, 1))
    dictionary = DataDictionary(FIELDS, (GREEN_FLAG,) if contradiction else ())
    return Spec(Guideline("", "", "", "", "", ""), dictionary, (upstream, downstream), (),
                order=("first", "second"))


def _conditions(draw: st.DrawFn, collect: bool) -> list[str]:
    alt_single = st.sampled_from(['second.alt is "p"', 'second.alt is "q"', 'second.alt is not("p")'])
    alt_collect = st.sampled_from(['second.alt includes "p"', 'second.alt excludes "q"', "second.alt excludes -",
                                   'second.alt includes "p", "q"'])
    condition = st.one_of(
        x_entry.map(lambda t: f"x is {t}"),
        colour_entry.map(lambda t: f"colour is {t}"),
        flag_entry.map(lambda t: f"flag is {t}"),
        st.sampled_from(['first.out is "a"', 'first.out is "b"', 'first.out is not("a")']),
        alt_collect if collect else alt_single,
    )
    return draw(st.lists(condition, min_size=0, max_size=2))


@st.composite
def specs_and_properties(draw: st.DrawFn) -> tuple[Spec, list[Property]]:
    first = draw(st.lists(st.tuples(x_entry, colour_entry, flag_entry, st.sampled_from(["a", "b"])),
                          min_size=1, max_size=5))
    if draw(st.booleans()):
        first.append(("-", "-", "-", draw(st.sampled_from(["a", "b"]))))  # complete under F and P
    second_policy = draw(st.sampled_from([HitPolicy.COLLECT, HitPolicy.UNIQUE, HitPolicy.FIRST, HitPolicy.PRIORITY]))
    second = draw(st.lists(st.tuples(out_entry, flag_entry, st.sampled_from(["p", "q"])), min_size=1, max_size=4))
    spec = _spec(first, draw(single_hit), second, second_policy, draw(st.booleans()))
    collect = second_policy is HitPolicy.COLLECT
    # The first property reads the last decision, so every decision is encoded before any
    # property is asked (the prover encodes decisions as properties first need them).
    raw: list[dict[str, Any]] = [{"id": "SP-0", "title": "t", "reason": "r", "when": [],
                                  "then": ["second.alt excludes -" if collect else 'second.alt is "p"']}]
    for number_ in range(draw(st.integers(1, 3))):
        then = _conditions(draw, collect) or ['first.out is "a"']
        raw.append({"id": f"SP-{number_ + 1}", "title": "t", "reason": "r", "when": _conditions(draw, collect),
                    "then": then})
    return spec, parse_properties(raw)


def _brute_force(spec: Spec, properties: list[Property]) -> list[tuple[str, dict[str, Any] | None, tuple[str, ...]]]:
    """(status, plainest counterexample, broken conditions) per property, by evaluating every case."""
    extra: dict[str, list[Any]] = {}
    for prop in properties:
        for condition in (*prop.when, *prop.then):
            if condition.expression in spec.dictionary.names:
                extra.setdefault(condition.expression, []).append(condition.tests)
    spaces = Encoding(spec, extra).spaces
    atoms = [spaces[f.name].atoms for f in spec.dictionary.fields]
    meets = [False] * len(properties)
    worst: list[tuple[tuple[int, ...], dict[str, Any], tuple[str, ...]] | None] = [None] * len(properties)
    for picks in itertools.product(*(range(len(a)) for a in atoms)):
        chosen = [field_atoms[i] for field_atoms, i in zip(atoms, picks, strict=True)]
        case = {f.name: atom.value for f, atom in zip(spec.dictionary.fields, chosen, strict=True)
                if atom.value is not None}
        try:
            evaluation = evaluate(spec, case)
        except B12SpecError:
            continue
        departures = sum(2 * (atom.value is not None) for atom, field_atoms in zip(chosen, atoms, strict=True)
                         if any(a.value is None for a in field_atoms))
        departures += sum(atom.value is not False for atom, field_atoms in zip(chosen, atoms, strict=True)
                          if any(a.value is False for a in field_atoms))
        ranks = tuple(0 if atom.value is None else 1 if atom.value is False else 2 + i
                      for atom, i in zip(chosen, picks, strict=True))
        key = (departures, *ranks)
        for k, prop in enumerate(properties):
            if not all(condition_holds(evaluation, c) for c in prop.when):
                continue
            meets[k] = True
            broken = failed_conditions(evaluation, prop)
            known = worst[k]
            if broken and (known is None or key < known[0]):
                worst[k] = (key, case, tuple(c.text for c in broken))
    verdicts: list[tuple[str, dict[str, Any] | None, tuple[str, ...]]] = []
    for met, found in zip(meets, worst, strict=True):
        if found is not None:
            verdicts.append((VIOLATED, found[1], found[2]))
        else:
            verdicts.append((PROVEN if met else VACUOUS, None, ()))
    return verdicts


@settings(max_examples=120, deadline=None, derandomize=True)
@given(specs_and_properties())
def test_every_verdict_and_counterexample_equals_brute_force(drawn: tuple[Spec, list[Property]]) -> None:
    spec, properties = drawn
    proofs = prove(spec, properties)
    assert FAILED not in {p.status for p in proofs}, [p.detail for p in proofs]
    found = [(p.status, dict(p.case) if p.case is not None else None, p.broken) for p in proofs]
    assert found == _brute_force(spec, properties)


def test_the_brute_force_sees_every_kind_of_verdict() -> None:
    """The comparison above is only worth something if the specs reach all three verdicts."""
    spec = _spec([("< 50", "-", "-", "a"), (">= 50, null", "-", "-", "b")], HitPolicy.UNIQUE,
                 [("-", "-", "p")], HitPolicy.COLLECT, contradiction=True)
    properties = parse_properties([
        {"id": "SP-1", "title": "t", "reason": "r", "when": ["x is < 50"], "then": ['first.out is "a"']},
        {"id": "SP-2", "title": "t", "reason": "r", "when": ['colour is "green"', "flag is true"],
         "then": ['first.out is "a"']},
        {"id": "SP-3", "title": "t", "reason": "r", "when": ["x is >= 20"], "then": ['first.out is "a"']},
    ])
    expected = [(PROVEN, None, ()), (VACUOUS, None, ()),
                (VIOLATED, {"flag": False, "x": 50}, ('first.out is "a"',))]
    assert _brute_force(spec, properties) == expected
    assert [(p.status, p.case, p.broken) for p in prove(spec, properties)] == expected


def _edges(constraints: list[z3.BoolRef]) -> int:
    """Arguments summed over the distinct subterms: the size of the encoding as z3 holds it."""
    seen: set[int] = set()
    stack: list[z3.ExprRef] = list(constraints)
    total = 0
    while stack:
        term = stack.pop()
        if term.get_id() in seen:
            continue
        seen.add(term.get_id())
        children = term.children()
        total += len(children)
        stack.extend(children)
    return total


def _banded(rules: int, policy: HitPolicy) -> Spec:
    rows = [(f"[{k}..{k + 1})" if k < rules - 1 else f">= {k}, null", "-", "-", "ab"[k % 2]) for k in range(rules)]
    field = DataField("x", FieldType.NUMBER, "x", required=False, unit="u", units=(Unit("u", 1.0),), minimum=0.0,
                      maximum=1000.0, precision=1.0)
    fields = (field, *FIELDS[1:])
    table = DecisionTable("first", "first", "t", policy, tuple(InputColumn(f.name, f.name) for f in fields),
                          (OutputColumn("out", "out", FieldType.ENUM, ("a", "b")),), _rules(rows, 1))
    return Spec(Guideline("", "", "", "", "", ""), DataDictionary(fields), (table,), (), order=("first",))


def test_the_encoding_grows_linearly_with_the_rules() -> None:
    for policy in (HitPolicy.UNIQUE, HitPolicy.ANY, HitPolicy.PRIORITY, HitPolicy.FIRST):
        sizes = []
        for rules in (100, 400):
            encoding = Encoding(_banded(rules, policy))
            encoding.decision("first")
            sizes.append(_edges(encoding.constraints))
        assert sizes[1] < 5 * sizes[0], (policy, sizes)  # four times the rules; pairwise would be 16 times
