"""Guideline-wide safety properties (``spec/properties.yaml``): their language, and their meaning.

Each decision table is proven complete and consistent on its own; a property states what must
hold of the *whole* report a clinician reads, across tables. A property is a list of ``when``
conditions and a list of ``then`` conditions: for every valid case, if every ``when`` condition
holds, every ``then`` condition must hold. A condition is one line::

    condition   := expression verb unary_tests
    expression  := a data-dictionary field (total_b12) | decision "." output (route.route)
    verb        := "is"        the value matches the S-FEEL unary tests (a field, or the output
                               of a single-hit decision)
                 | "includes"  some value the decision collects matches (a Collect output)
                 | "excludes"  no value the decision collects matches (a Collect output)
    unary_tests := a table cell, parsed by the engine's S-FEEL grammar (b12spec.unary)

``alternatives.alternative excludes "sublingual_b12"`` reads "no sublingual alternative is
offered"; ``alternatives.alternative excludes -`` reads "no alternative at all". Nothing is
``eval``ed. This module gives the model, the parser and the meaning of a condition on one real
evaluation; the prover (b12spec.verify.prover) decides a property over every valid case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b12spec.errors import B12SpecError, UnaryTestSyntaxError, did_you_mean
from b12spec.evaluate import Evaluation
from b12spec.model import Spec
from b12spec.safeload import DataFileError
from b12spec.unary import Literal, UnaryTest, Value, parse_unary_tests
from b12spec.workspace import read_document

PROPERTIES_FILE = "properties.yaml"
NONE_DECLARED = "write [] to declare that the guideline has none"
IS, INCLUDES, EXCLUDES = "is", "includes", "excludes"
VERBS = (IS, INCLUDES, EXCLUDES)

_CONDITION = re.compile(r"^\s*(?P<expression>[A-Za-z_][\w.]*)\s+(?P<verb>[a-z]+)\s+(?P<tests>\S.*?)\s*$")


class PropertyError(B12SpecError):
    """A property that cannot be read: names the file, the property and what is expected."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        # what check prints after the file's name: the place inside it (property, key) and why
        inside = where.removeprefix(PROPERTIES_FILE).lstrip(", ")
        self.detail = f"{inside}: {detail}" if inside else detail


@dataclass(frozen=True)
class Condition:
    """``expression verb tests``: one line of a property, kept with its text for reports."""

    expression: str
    verb: str
    tests: UnaryTest
    text: str

    @property
    def decision(self) -> str | None:
        return self.expression.split(".", 1)[0] if "." in self.expression else None


@dataclass(frozen=True)
class Property:
    """A statement about every valid case, with the reason it must hold."""

    id: str
    title: str
    when: tuple[Condition, ...]
    then: tuple[Condition, ...]
    reason: str
    citations: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()  # the review findings it guards (for readers)


def parse_condition(text: str, where: str = "condition") -> Condition:
    """One condition line; a malformed line is a PropertyError naming what was expected."""
    if not isinstance(text, str):
        raise PropertyError(where, f"expected a condition as text (expression verb tests), got {text!r}")
    match = _CONDITION.match(text)
    if match is None:
        raise PropertyError(
            where, f"cannot read {text!r}: expected 'expression verb tests', e.g. 'route.route is \"consider_im\"'"
        )
    verb = match["verb"]
    if verb not in VERBS:
        raise PropertyError(where, f"{text!r}: unknown verb {verb!r}; expected one of {', '.join(VERBS)}")
    try:
        tests = parse_unary_tests(match["tests"])
    except UnaryTestSyntaxError as error:
        raise PropertyError(where, f"{text!r}: the tests after {verb!r} are not S-FEEL unary tests: {error}") from error
    return Condition(match["expression"], verb, tests, text.strip())


def parse_properties(data: Any, file: str = PROPERTIES_FILE) -> tuple[Property, ...]:
    """The properties file's entries; every problem is a PropertyError naming the entry."""
    if data is None:  # an empty file: check would prove nothing and say all is well
        raise PropertyError(file, f"is empty; {NONE_DECLARED}")
    if not isinstance(data, list):
        raise PropertyError(file, "expected a list of properties")
    found: list[Property] = []
    seen: set[str] = set()
    for position, entry in enumerate(data, start=1):
        where = f"{file}, property {position}"
        if not isinstance(entry, Mapping):
            raise PropertyError(where, "expected a mapping with id, title, when, then and reason")
        pid = entry.get("id")
        if not isinstance(pid, str) or not pid:
            raise PropertyError(where, "needs an id (text such as SP-01)")
        where = f"{file}, {pid}"
        if pid in seen:
            raise PropertyError(where, "the id is used twice")
        seen.add(pid)
        unknown = set(entry) - {"id", "title", "when", "then", "reason", "citations", "findings"}
        if unknown:
            raise PropertyError(where, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        for key in ("title", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise PropertyError(where, f"needs a {key} (text)")
        when = _conditions(entry.get("when", []), f"{where}, when", allow_empty=True)
        then = _conditions(entry.get("then"), f"{where}, then", allow_empty=False)
        found.append(
            Property(
                pid,
                entry["title"].strip(),
                when,
                then,
                " ".join(entry["reason"].split()),
                _ids(entry.get("citations"), f"{where}, citations"),
                _ids(entry.get("findings"), f"{where}, findings"),
            )
        )
    return tuple(found)


def _ids(raw: Any, where: str) -> tuple[str, ...]:
    """A list of ids (``["3"]``, ``[1, 2]``): anything else is refused, not iterated as it comes
    (``citations: true`` crashed; ``citations: "12"`` would have been the ids 1 and 2)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or any(isinstance(i, bool) or not isinstance(i, str | int) for i in raw):
        raise PropertyError(where, f"expected a list of ids such as [\"1\", \"3\"], got {raw!r}")
    return tuple(str(i) for i in raw)


def _conditions(raw: Any, where: str, allow_empty: bool) -> tuple[Condition, ...]:
    if raw is None or raw == []:
        if allow_empty:
            return ()
        raise PropertyError(where, "needs at least one condition")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise PropertyError(where, "expected a list of conditions")
    return tuple(parse_condition(item, f"{where} {i}") for i, item in enumerate(raw, start=1))


def load_properties(spec_dir: Path | str) -> tuple[Property, ...]:
    """``spec/properties.yaml``; a spec without it is refused, never proved to hold nothing in silence."""
    path = Path(spec_dir) / PROPERTIES_FILE
    if not path.exists():
        raise PropertyError(
            PROPERTIES_FILE, f"is missing: no guideline-wide safety property would be proved; {NONE_DECLARED}"
        )
    try:
        data = read_document(path, PROPERTIES_FILE)
    except DataFileError as error:
        where = f"line {error.line}: " if error.line else ""
        raise PropertyError(PROPERTIES_FILE, f"cannot be read: {where}{error.detail}") from error
    return parse_properties(data)


# --------------------------------------------------------------------------- against the spec


def collects(spec: Spec, decision: str) -> bool:
    """Whether a decision's output is a list (Collect, Rule order, Output order)."""
    policy = spec.table(decision).hit_policy
    return not policy.single_hit and not policy.aggregated


def resolve(spec: Spec, prop: Property) -> None:
    """Every condition names a field or output, with a verb that fits it and allowed values."""
    for kind, conditions in (("when", prop.when), ("then", prop.then)):
        for condition in conditions:
            _resolve(spec, condition, f"{PROPERTIES_FILE}, {prop.id}, {kind} {condition.text!r}")


def _resolve(spec: Spec, condition: Condition, where: str) -> None:
    expression = condition.expression
    field = spec.dictionary.get(expression)
    allowed: Sequence[Value]
    if field is not None:
        list_valued = False
        allowed = field.values
    else:
        decision, _, output = expression.partition(".")
        names = [t.name for t in spec.tables]
        if decision not in names or not output:
            known = [*spec.dictionary.names, *(f"{t.name}.{o.name}" for t in spec.tables for o in t.outputs)]
            raise PropertyError(
                where, f"{expression!r} is neither a field nor a decision output{did_you_mean(expression, known)}"
            )
        table = spec.table(decision)
        outputs = [o.name for o in table.outputs]
        if output not in outputs:
            listed = ", ".join(outputs)
            raise PropertyError(where, f"decision {decision!r} has no output {output!r}; its outputs: {listed}")
        if table.hit_policy.aggregated:
            raise PropertyError(where, f"decision {decision!r} aggregates its rules ({table.hit_policy.value}); "
                                "properties read single-hit and Collect decisions only")
        list_valued = collects(spec, decision)
        allowed = table.output(output).values
    if list_valued and condition.verb == IS:
        raise PropertyError(where, f"{expression!r} collects a list: use 'includes' or 'excludes', not 'is'")
    if not list_valued and condition.verb != IS:
        raise PropertyError(where, f"{expression!r} has one value: use 'is', not {condition.verb!r}")
    strings = [t.value for t in condition.tests.tests if isinstance(t, Literal) and isinstance(t.value, str)]
    choices = [v for v in allowed if isinstance(v, str)]
    for value in strings:
        if choices and value not in choices:
            extra = did_you_mean(value, choices)
            raise PropertyError(where, f"{value!r} is not an allowed value of {expression}{extra}")


# --------------------------------------------------------------------------- on one evaluation


def values_of(evaluation: Evaluation, expression: str) -> tuple[bool, list[Value]]:
    """(is it a list, its values) for a field or a decision output in one evaluation."""
    if expression in evaluation.case.values:
        return False, [evaluation.case.values[expression]]
    decision, _, output = expression.partition(".")
    result = evaluation.results[decision]
    if isinstance(result.value, Mapping):
        return False, [result.value[output]]
    return True, [hit.outputs[output] for hit in result.hits]


def condition_holds(evaluation: Evaluation, condition: Condition) -> bool:
    """The meaning of one condition on one evaluation (FEEL semantics for each value)."""
    _, values = values_of(evaluation, condition.expression)
    if condition.verb == IS:
        return condition.tests.matches(values[0])
    some = any(condition.tests.matches(v) for v in values)
    return some if condition.verb == INCLUDES else not some


def holds(evaluation: Evaluation, prop: Property) -> bool:
    """Whether one evaluated case satisfies the property (vacuously when ``when`` fails)."""
    if not all(condition_holds(evaluation, c) for c in prop.when):
        return True
    return all(condition_holds(evaluation, c) for c in prop.then)


def failed_conditions(evaluation: Evaluation, prop: Property) -> list[Condition]:
    """The ``then`` conditions one evaluated case breaks (empty when the property holds)."""
    if not all(condition_holds(evaluation, c) for c in prop.when):
        return []
    return [c for c in prop.then if not condition_holds(evaluation, c)]
