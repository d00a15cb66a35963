"""Proves each guideline-wide property over every valid case of the composed decision model.

The per-table sweep (space.py) is exact for one table, but a property crosses tables: "where the
route decision says intramuscular, the alternatives decision offers nothing oral" relates the
outputs of two decisions through the fields both read. Composing boxes across a chain of
decisions is a product construction; an SMT solver (z3) does that search for us, exactly. The
encoding is kept small and checkable:

- every data-dictionary field becomes an integer: the index of its *atom* (regions.py), the
  pieces of its domain that no unary test of any table, contradiction or property can split.
  The atoms a test matches are the ones ``ColumnSpace.mask`` finds (the same sets as asking
  the engine's own ``UnaryTest.matches`` of a value inside each atom, which the tests check), so
  the prover and the evaluator cannot disagree on FEEL's null logic; runs of consecutive atoms
  are written as ranges;
- a single-hit decision's output becomes an integer over its values, fixed by the rule its hit
  policy selects; a Collect decision gets one boolean per value ("is collected");
- the dictionary's contradictions, and the errors the engine raises (no rule of a single-hit
  table matches, two rules of a Unique table match, Any rules disagree) are excluded: those
  cases get no report at all, so no property can be broken by them.

Everything is linear in the size of the tables (a 2,000-rule table proves in well under a
second), and one solver answers every property (see ``_Solver``).

A property is proven when ``when and not then`` has no model. Otherwise the plainest violating
case (``_Solver.plain_case``) is turned into a complete case file, the real engine evaluates
it, and the counterexample is reported only when the engine confirms the violation; if it does
not, that disagreement is itself an error. A property whose ``when`` no valid case satisfies
proves nothing and is reported as vacuous. tests/verify/test_prover_exact.py checks verdicts
and counterexamples against brute force over every case of small specs.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import z3

from b12spec.errors import B12SpecError
from b12spec.evaluate import evaluate
from b12spec.model import DataField, DecisionTable, FieldType, HitPolicy, Spec
from b12spec.properties import (
    IS,
    Condition,
    Property,
    PropertyError,
    failed_conditions,
    load_properties,
    resolve,
)
from b12spec.unary import UnaryTest, Value
from b12spec.verify.findings import ERROR, WARNING, Finding
from b12spec.verify.regions import ColumnSpace, Domain
from b12spec.verify.smt import conj, disj, equals, implies, neg, same, within
from b12spec.verify.space import runs

PROVEN, VIOLATED, VACUOUS, FAILED = "proven", "violated", "vacuous", "error"


@dataclass(frozen=True)
class Proof:
    """The verdict on one property; ``case`` is the counterexample when it is violated."""

    property: Property
    status: str
    detail: str = ""
    case: Mapping[str, Any] | None = None
    broken: tuple[str, ...] = ()  # the then-conditions the counterexample breaks

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.property.id,
            "title": self.property.title,
            "status": self.status,
            "detail": self.detail,
            "counterexample": dict(self.case) if self.case is not None else None,
            "broken": list(self.broken),
        }


@dataclass
class _Decision:
    """A decision's encoding: output integers (single hit) or collected-value booleans."""

    table: DecisionTable
    values: dict[str, list[Value]]
    single: dict[str, z3.ArithRef] = field(default_factory=dict)
    collected: dict[str, dict[int, z3.BoolRef]] = field(default_factory=dict)


class Encoding:
    """The composed decision model as z3 constraints; decisions are encoded when first needed."""

    def __init__(self, spec: Spec, extra_tests: Mapping[str, Iterable[UnaryTest]] | None = None) -> None:
        self.spec = spec
        self.constraints: list[z3.BoolRef] = []
        self.spaces: dict[str, ColumnSpace] = {}
        self.fields: dict[str, z3.ArithRef] = {}
        self.decisions: dict[str, _Decision] = {}
        self._tests: dict[tuple[str, UnaryTest], z3.BoolRef] = {}
        tests: dict[str, list[UnaryTest]] = {name: [] for name in spec.dictionary.names}
        for table in spec.tables:
            for column, position in zip(table.inputs, range(len(table.inputs)), strict=True):
                if column.expression in tests:
                    tests[column.expression].extend(rule.inputs[position] for rule in table.rules)
        for contradiction in spec.dictionary.contradictions:
            for name, test in contradiction.when:
                tests.setdefault(name, []).append(test)
        for name, extra in (extra_tests or {}).items():
            if name in tests:
                tests[name].extend(extra)
        for data_field in spec.dictionary.fields:
            space = ColumnSpace(Domain.of_field(data_field), tests[data_field.name])
            variable = z3.Int(f"field:{data_field.name}")
            self.spaces[data_field.name] = space
            self.fields[data_field.name] = variable
            self.constraints.append(within(variable, 0, len(space.atoms)))
        for contradiction in spec.dictionary.contradictions:
            if contradiction.when:
                self.constraints.append(neg(conj([self.field_test(n, t) for n, t in contradiction.when])))

    # ------------------------------------------------------------------ tests as constraints

    def field_test(self, name: str, test: UnaryTest) -> z3.BoolRef:
        """The atoms a test matches, as ranges of the field's atom index.

        The atoms come from ``ColumnSpace.mask`` (bisection over the thresholds, checked against
        ``UnaryTest.matches`` atom by atom in the tests), and consecutive atoms become one range:
        a band of a 2,000-rule table is two bounds, not a disjunction over thousands of atoms.
        Asking ``matches`` of every atom for every cell made encoding rules x atoms.
        """
        key = (name, test)
        known = self._tests.get(key)
        if known is None:
            known = _in_mask(self.fields[name], self.spaces[name].mask(test))
            self._tests[key] = known
        return known

    def expression_test(self, expression: str, test: UnaryTest) -> z3.BoolRef:
        """A unary test on a field or on a single-hit decision's output."""
        if expression in self.fields:
            return self.field_test(expression, test)
        decision, _, output = expression.partition(".")
        encoded = self.decision(decision)
        values = encoded.values[output]
        variable = encoded.single[output]
        return disj([equals(variable, i) for i, value in enumerate(values) if test.matches(value)])

    def condition(self, condition: Condition) -> z3.BoolRef:
        if condition.verb == IS:
            return self.expression_test(condition.expression, condition.tests)
        decision, _, output = condition.expression.partition(".")
        encoded = self.decision(decision)
        values = encoded.values[output]
        some = disj([encoded.collected[output][i] for i, v in enumerate(values) if condition.tests.matches(v)])
        return some if condition.verb == "includes" else neg(some)

    # ------------------------------------------------------------------ decisions

    def decision(self, name: str) -> _Decision:
        known = self.decisions.get(name)
        if known is not None:
            return known
        table = self.spec.table(name)
        policy = table.hit_policy
        if policy.aggregated:
            where = table.meta_file or name
            raise PropertyError(where, f"the prover does not read aggregated decisions ({policy.value})")
        matches = [
            conj([self.expression_test(c.expression, rule.inputs[i]) for i, c in enumerate(table.inputs)])
            for rule in table.rules
        ]
        values = {
            column.name: list(dict.fromkeys([*column.values, *(rule.outputs[k] for rule in table.rules)]))
            for k, column in enumerate(table.outputs)
        }
        encoded = _Decision(table, values)
        if policy.single_hit:
            self.constraints.append(disj(matches))  # no match: the engine refuses the case
            selected = self._selected(table, matches)
            for k, column in enumerate(table.outputs):
                variable = z3.Int(f"decision:{name}.{column.name}")
                encoded.single[column.name] = variable
                self.constraints.append(within(variable, 0, len(values[column.name])))
                for rule, chosen in zip(table.rules, selected, strict=True):
                    index = values[column.name].index(rule.outputs[k])
                    self.constraints.append(implies(chosen, equals(variable, index)))
        else:
            for k, column in enumerate(table.outputs):
                encoded.collected[column.name] = {
                    i: disj([m for rule, m in zip(table.rules, matches, strict=True) if rule.outputs[k] == value])
                    for i, value in enumerate(values[column.name])
                }
        self.decisions[name] = encoded
        return encoded

    def _selected(self, table: DecisionTable, matches: Sequence[z3.BoolRef]) -> list[z3.BoolRef]:
        """For each rule: it is the one the hit policy keeps (mirrors hitpolicy.select).

        Linear in the rules: "no rule before this one matches" is a chain of fresh booleans, one
        per rule in the order the policy ranks them, and Unique and Any exclude a second match
        with a running "some rule so far matched". Written pairwise, as "rule i and not rule j"
        for every j ranked above i, a 2,000-rule Priority table was two million terms.
        """
        rules = table.rules
        policy = table.hit_policy
        count = len(rules)
        if policy is HitPolicy.UNIQUE:
            self._at_most_one(f"{table.name}#unique", matches)
        if policy is HitPolicy.ANY:
            agreeing: dict[tuple[Value, ...], list[z3.BoolRef]] = {}
            for rule, match in zip(rules, matches, strict=True):
                agreeing.setdefault(rule.outputs, []).append(match)
            self._at_most_one(f"{table.name}#any", [disj(group) for group in agreeing.values()])
        ranked: list[int] = list(range(count))
        if policy is HitPolicy.PRIORITY:
            keys = [tuple(c.priority(v) for c, v in zip(table.outputs, r.outputs, strict=False)) for r in rules]
            ranked.sort(key=lambda i: (keys[i], i))
        selected: list[z3.BoolRef] = [z3.BoolVal(False)] * count
        none_before: z3.BoolRef = z3.BoolVal(True)
        for position, i in enumerate(ranked):
            selected[i] = conj([matches[i], none_before])
            if position + 1 < count:
                following = z3.Bool(f"{table.name}#none-of-first-{position + 1}")
                self.constraints.append(same(following, conj([none_before, neg(matches[i])])))
                none_before = following
        return selected

    def _at_most_one(self, name: str, terms: Sequence[z3.BoolRef]) -> None:
        """No two of the terms hold (the sequential encoding: linear, where pairs are quadratic)."""
        if len(terms) < 2:
            return
        some_so_far: z3.BoolRef = terms[0]
        for position, term in enumerate(terms[1:], start=1):
            self.constraints.append(neg(conj([some_so_far, term])))
            if position + 1 < len(terms):
                following = z3.Bool(f"{name}-some-of-first-{position + 1}")
                self.constraints.append(same(following, disj([some_so_far, term])))
                some_so_far = following

    # ------------------------------------------------------------------ back to a case

    def case_of(self, model: z3.ModelRef) -> dict[str, Any]:
        """A complete case file from a model: every field a value, in the units evaluate accepts."""
        case: dict[str, Any] = {}
        for data_field in self.spec.dictionary.fields:
            index = model.eval(self.fields[data_field.name], model_completion=True).as_long()
            value = self.spaces[data_field.name].atoms[index].value
            if value is None:
                continue
            _put(case, data_field.name, _case_value(data_field, value))
        return case


def _in_mask(variable: z3.ArithRef, mask: int) -> z3.BoolRef:
    """``variable`` is one of the set bits of ``mask``: one bound pair per run of bits."""
    return disj([equals(variable, start) if end == start + 1 else within(variable, start, end)
                 for start, end in runs(mask)])


def _case_value(data_field: DataField, value: Value) -> Any:
    if data_field.type is not FieldType.NUMBER or isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    number: float | int = int(value) if float(value).is_integer() else float(value)
    if data_field.unit_required:
        return {"value": number, "unit": data_field.unit}
    return number


def _put(case: dict[str, Any], name: str, value: Any) -> None:
    """``plan.treatment_timing`` goes under ``plan:``, as a case file writes it."""
    head, dot, rest = name.partition(".")
    if not dot:
        case[name] = value
        return
    group = case.setdefault(head, {})
    _put(group, rest, value)


# --------------------------------------------------------------------------- proving


def prove(spec: Spec, properties: Sequence[Property]) -> list[Proof]:
    """A verdict for every property, in file order (exact: every valid case is considered)."""
    for prop in properties:
        resolve(spec, prop)
    extra: dict[str, list[UnaryTest]] = {}
    for prop in properties:
        for condition in (*prop.when, *prop.then):
            if condition.expression in spec.dictionary.names:
                extra.setdefault(condition.expression, []).append(condition.tests)
    encoding = Encoding(spec, extra)
    solver = _Solver(encoding)
    proofs = []
    for prop in properties:
        try:
            proofs.append(_prove_one(spec, encoding, solver, prop))
        except PropertyError as error:
            proofs.append(Proof(prop, FAILED, str(error)))
    return proofs


class _Solver:
    """One solver for every property: the composed model is asserted once, and each question
    (a property's ``when``, its ``when and not then``, a probe for a plainer counterexample) is
    asked under an assumption: a fresh boolean that switches the question's conditions on for
    that one check. Unlike a push/pop scope, that keeps what z3 learnt about the tables from
    one question to the next (half the time on a 2,000-rule table).

    z3's QF_LIA solver is used: every constraint is linear integer arithmetic over atom indices
    and booleans, and its preprocessing makes a question on a 2,000-rule table a few
    milliseconds, where the general incremental solver took tens. A fresh solver per property
    re-asserted and re-solved the whole model every time.

    Decisions are encoded when a property first needs them; their constraints join the solver
    before the next question, exactly as a fresh solver per property would have seen them.
    """

    def __init__(self, encoding: Encoding) -> None:
        self.encoding = encoding
        self.solver = z3.SolverFor("QF_LIA")
        self.asserted = 0
        self.questions = 0

    def _sync(self) -> None:
        pending = self.encoding.constraints[self.asserted:]
        self.solver.add(*pending)
        self.asserted += len(pending)

    def check(self, conditions: Sequence[z3.BoolRef]) -> z3.CheckSatResult:
        """Whether the model so far and all the conditions have a common case."""
        return self._ask(conditions, want_model=False)[0]

    def _ask(self, conditions: Sequence[z3.BoolRef], want_model: bool = True
             ) -> tuple[z3.CheckSatResult, z3.ModelRef | None]:
        self._sync()
        self.questions += 1
        asked = z3.Bool(f"#question-{self.questions}")
        self.solver.add(implies(asked, conj(list(conditions))))
        verdict = self.solver.check(asked)
        return verdict, self.solver.model() if want_model and verdict == z3.sat else None

    def plain_case(self, goal: Sequence[z3.BoolRef]) -> dict[str, Any] | None:
        """The plainest case meeting ``goal``, as a case file; None if no case does.

        A reader takes a counterexample in at a glance when optional fields are left out and
        yes/no fields are false. First, as before, the fewest departures from that (weight 2 for
        an optional field given a value, 1 for a yes/no field not false); then, among the cases
        that plain, field by field in data-dictionary order the plainest atom still allowed:
        null, else false, else the lowest atom (the smallest number, the first enum value).

        That case is unique: it depends on the spec alone, not on the encoding or on the path
        z3's search took (z3's optimiser returned any of the tied cases), so brute force can
        check it and a faster encoding cannot change it. Each minimum is found by bisection.
        """
        _, model = self._ask(goal)
        if model is None:
            return None
        fixed: list[z3.BoolRef] = list(goal)
        departures: list[z3.ArithRef] = []
        ranks: list[z3.ArithRef] = []
        for data_field in self.encoding.spec.dictionary.fields:
            variable = self.encoding.fields[data_field.name]
            atoms = self.encoding.spaces[data_field.name].atoms
            nulls = [i for i, atom in enumerate(atoms) if atom.value is None]
            falses = [i for i, atom in enumerate(atoms) if atom.value is False]
            rank: z3.ArithRef = variable + 2
            for index, weight, place in ((falses, 1, 1), (nulls, 2, 0)):
                if index:
                    departures.append(z3.If(variable == index[0], 0, weight))
                    rank = z3.If(variable == index[0], place, rank)
            ranks.append(rank)
        for term in (z3.Sum(departures) if departures else z3.IntVal(0), *ranks):
            least, model = self._least(fixed, term, model)
            fixed.append(term == least)
        return self.encoding.case_of(model)

    def _least(self, fixed: Sequence[z3.BoolRef], term: z3.ArithRef, model: z3.ModelRef
               ) -> tuple[int, z3.ModelRef]:
        """The least value of a non-negative term under ``fixed``, bisecting down from the value
        it has in ``model`` (a case meeting ``fixed``); with a case that reaches it. Should z3
        ever answer "unknown", the plainest case found so far is kept: still a confirmed case."""
        low, high = 0, model.eval(term, model_completion=True).as_long()
        while low < high:
            middle = (low + high) // 2
            verdict, found = self._ask([*fixed, term <= middle])
            if verdict == z3.unknown:
                return high, model
            if found is None:
                low = middle + 1
            else:
                model = found
                high = model.eval(term, model_completion=True).as_long()
        return low, model


def _prove_one(spec: Spec, encoding: Encoding, solver: _Solver, prop: Property) -> Proof:
    when = [encoding.condition(c) for c in prop.when]
    then = [encoding.condition(c) for c in prop.then]
    if solver.check(when) == z3.unsat:
        return Proof(prop, VACUOUS, "no valid case satisfies the 'when' conditions, so the property says nothing")
    goal = [*when, neg(conj(then))]
    verdict = solver.check(goal)
    if verdict == z3.unsat:
        return Proof(prop, PROVEN, "holds for every valid case")
    if verdict != z3.sat:
        return Proof(prop, FAILED, f"the solver could not decide ({verdict})")
    case = solver.plain_case(goal)
    if case is None:
        return Proof(prop, FAILED, "the solver found a counterexample it then could not reproduce; please report")
    try:
        evaluation = evaluate(spec, case)
    except B12SpecError as error:
        return Proof(prop, FAILED, f"the prover found a case the engine refuses ({error}); please report", case)
    broken = failed_conditions(evaluation, prop)
    if not broken:
        return Proof(prop, FAILED, "the prover and the engine disagree on this case; please report", case)
    return Proof(prop, VIOLATED, "a valid case breaks it", case, tuple(c.text for c in broken))


def prove_spec(spec: Spec) -> tuple[list[Proof], float]:
    """Load ``properties.yaml`` beside the spec and prove it; returns the proofs and the seconds.

    The verdicts of one spec content are kept (keyed by a digest of every spec file), so `check`
    can both report violations and print the summary without proving twice.
    """
    proofs, seconds = _proved(spec, _digest(spec.root))
    return list(proofs), seconds


def _digest(root: str) -> str:
    """A digest of every file under the spec directory: equal digests mean equal specs."""
    hasher = hashlib.sha256()
    base = Path(root)
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        hasher.update(path.relative_to(base).as_posix().encode("utf-8"))
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


_PROVED: dict[tuple[str, str], tuple[tuple[Proof, ...], float]] = {}


def _proved(spec: Spec, digest: str) -> tuple[tuple[Proof, ...], float]:
    """The proofs and the seconds the first proof of this spec content took."""
    key = (spec.root, digest)
    known = _PROVED.get(key)
    if known is None:
        started = time.perf_counter()
        proofs = tuple(prove(spec, load_properties(spec.root)))
        known = (proofs, time.perf_counter() - started)
        if len(_PROVED) > 8:
            _PROVED.clear()
        _PROVED[key] = known
    return known


def summary(proofs: Sequence[Proof], seconds: float) -> str:
    """One line for `b12spec check`: how many properties hold for every valid case."""
    proven = sum(p.status == PROVEN for p in proofs)
    others = [f"{p.property.id} {p.status}" for p in proofs if p.status != PROVEN]
    tail = f"; {', '.join(others)}" if others else ""
    return f"properties: {proven}/{len(proofs)} proven over every valid case ({seconds:.2f} s){tail}"


def property_findings(spec: Spec) -> list[Finding]:
    """The check analyzer: a violated property is an error with its counterexample case."""
    if not spec.root:
        return []
    try:
        proofs, _ = prove_spec(spec)
    except PropertyError as error:
        return [Finding(kind="property", severity=ERROR, message=error.detail, file="properties.yaml")]
    findings = []
    for proof in proofs:
        if proof.status == PROVEN:
            continue
        severity = WARNING if proof.status == VACUOUS else ERROR
        message = f"{proof.property.id} ({proof.property.title}): {proof.detail}"
        if proof.broken:
            message += "; it breaks " + "; ".join(repr(text) for text in proof.broken)
        if proof.case is not None:
            message += f"; counterexample case: {_inline(proof.case)}"
        findings.append(
            Finding(kind="property", severity=severity, message=message, file="properties.yaml",
                    witness=_flat(proof.case) if proof.case is not None else None)
        )
    return findings


def _inline(case: Mapping[str, Any]) -> str:
    import json

    return json.dumps(case, ensure_ascii=False)


def _flat(case: Mapping[str, Any], prefix: str = "") -> dict[str, Value]:
    flat: dict[str, Value] = {}
    for key, value in case.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and "unit" not in value:
            flat.update(_flat(value, name + "."))
        elif isinstance(value, Mapping):
            flat[name] = value["value"]
        else:
            flat[name] = value
    return flat


ANALYZERS = [property_findings]
