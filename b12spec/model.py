"""The guideline as a frozen model: data dictionary, decision tables, sources, catalogue.

Everything clinical lives in spec/ and arrives here through the loader; these classes only give
it a shape that the engine, the verifier and the site can share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from b12spec.sourcetext import Locator
from b12spec.unary import UnaryTest, Value


class FieldType(StrEnum):
    NUMBER = "number"
    BOOLEAN = "boolean"
    ENUM = "enum"


@dataclass(frozen=True)
class Unit:
    """A unit a field may be given in; ``per_canonical`` of it equals one canonical unit.

    Total B12 in pmol/L has ``per_canonical = 0.738``: 0.738 pmol/L is 1 ng/L.
    """

    symbol: str
    per_canonical: float

    def to_canonical(self, value: float) -> float:
        return value / self.per_canonical


@dataclass(frozen=True)
class DataField:
    """One entry of the input data dictionary."""

    name: str
    type: FieldType
    description: str
    required: bool
    unit: str | None = None
    units: tuple[Unit, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    precision: float | None = None
    values: tuple[str, ...] = ()
    value_labels: tuple[tuple[str, str], ...] = ()

    @property
    def unit_required(self) -> bool:
        """A field with alternative units must say which one it is in: nothing is guessed."""
        return len(self.units) > 1

    def find_unit(self, symbol: str) -> Unit | None:
        for unit in self.units:
            if unit.symbol == symbol:
                return unit
        return None

    def allowed_text(self) -> str:
        if self.type is FieldType.BOOLEAN:
            return "true or false"
        if self.type is FieldType.ENUM:
            return "one of " + ", ".join(f'"{v}"' for v in self.values)
        span = f"a number from {self.minimum:g} to {self.maximum:g}"
        if self.unit:
            span += f" {self.unit}"
        if self.unit_required:
            span += " with a unit (" + ", ".join(u.symbol for u in self.units) + ")"
        return span


@dataclass(frozen=True)
class Contradiction:
    """Field values that cannot hold together (male and pregnant): the case is refused."""

    id: str
    when: tuple[tuple[str, UnaryTest], ...]
    message: str


@dataclass(frozen=True)
class DataDictionary:
    fields: tuple[DataField, ...]
    contradictions: tuple[Contradiction, ...] = ()

    # Looked up for every field of every case: indexed once (a single case is validated in
    # microseconds, a cohort calls this per column). Cached on the frozen instance's __dict__.
    @cached_property
    def _by_name(self) -> dict[str, DataField]:
        return {f.name: f for f in self.fields}

    @cached_property
    def _groups(self) -> frozenset[str]:
        return frozenset(f.name.rsplit(".", i)[0] for f in self.fields for i in range(1, f.name.count(".") + 1))

    def get(self, name: str) -> DataField | None:
        return self._by_name.get(name)

    def groups_fields(self, name: str) -> bool:
        """Whether ``name`` is a group of fields (``plan`` groups ``plan.treatment_timing``)."""
        return name in self._groups

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


class HitPolicy(StrEnum):
    """DMN 1.3 hit policies, by their one-letter (or aggregated) notation."""

    UNIQUE = "U"
    ANY = "A"
    PRIORITY = "P"
    FIRST = "F"
    COLLECT = "C"
    COLLECT_SUM = "C+"
    COLLECT_MIN = "C<"
    COLLECT_MAX = "C>"
    COLLECT_COUNT = "C#"
    RULE_ORDER = "R"
    OUTPUT_ORDER = "O"

    @property
    def single_hit(self) -> bool:
        return self in (HitPolicy.UNIQUE, HitPolicy.ANY, HitPolicy.PRIORITY, HitPolicy.FIRST)

    @property
    def aggregated(self) -> bool:
        return self in (HitPolicy.COLLECT_SUM, HitPolicy.COLLECT_MIN, HitPolicy.COLLECT_MAX, HitPolicy.COLLECT_COUNT)

    @property
    def order_sensitive(self) -> bool:
        """Whether the order of the rule rows changes the result."""
        return self in (HitPolicy.FIRST, HitPolicy.RULE_ORDER)

    @property
    def plain_words(self) -> str:
        return HIT_POLICY_WORDS[self]


HIT_POLICY_WORDS = {
    HitPolicy.UNIQUE: "Unique: at most one rule can match any case; an overlap is an error.",
    HitPolicy.ANY: "Any: several rules may match, but only if they all give the same result.",
    HitPolicy.PRIORITY: "Priority: of the matching rules, the one whose result comes first in the "
    "output's list of allowed values wins.",
    HitPolicy.FIRST: "First: the first matching rule, reading top to bottom, wins.",
    HitPolicy.COLLECT: "Collect: every matching rule contributes its result.",
    HitPolicy.COLLECT_SUM: "Collect (sum): the results of all matching rules are added up.",
    HitPolicy.COLLECT_MIN: "Collect (minimum): the smallest result of the matching rules.",
    HitPolicy.COLLECT_MAX: "Collect (maximum): the largest result of the matching rules.",
    HitPolicy.COLLECT_COUNT: "Collect (count): how many rules match.",
    HitPolicy.RULE_ORDER: "Rule order: every matching rule contributes, in the order the rules are written.",
    HitPolicy.OUTPUT_ORDER: "Output order: every matching rule contributes, ordered by the priority of its result.",
}


@dataclass(frozen=True)
class InputColumn:
    """An input expression: a data-dictionary field, or ``decision.output`` of another table."""

    expression: str
    label: str
    decision: str | None = None

    @property
    def output(self) -> str | None:
        return self.expression.split(".", 1)[1] if self.decision else None


@dataclass(frozen=True)
class OutputColumn:
    """An output with its allowed values, in decreasing priority (for P and O)."""

    name: str
    label: str
    type: FieldType = FieldType.ENUM
    values: tuple[str, ...] = ()
    value_labels: tuple[tuple[str, str], ...] = ()

    def label_of(self, value: Value) -> str:
        for v, text in self.value_labels:
            if v == value:
                return text
        return "" if value is None else str(value)

    def priority(self, value: Value) -> int:
        try:
            return self.values.index(value)
        except ValueError:
            return len(self.values)


@dataclass(frozen=True)
class Rule:
    """One row of a decision table."""

    id: str
    row: int
    inputs: tuple[UnaryTest, ...]
    outputs: tuple[Value, ...]
    citations: tuple[str, ...]
    open_questions: tuple[str, ...] = ()
    annotation: str = ""
    input_text: tuple[str, ...] = ()

    def matches(self, values: tuple[Value, ...]) -> bool:
        return all(test.matches(v) for test, v in zip(self.inputs, values, strict=False))


@dataclass(frozen=True)
class DecisionTable:
    """A DMN decision table, loaded from ``spec/tables/NAME.csv`` and its sidecar ``NAME.yaml``."""

    name: str
    title: str
    purpose: str
    hit_policy: HitPolicy
    inputs: tuple[InputColumn, ...]
    outputs: tuple[OutputColumn, ...]
    rules: tuple[Rule, ...]
    file: str = ""
    meta_file: str = ""
    section: str = ""
    display_order: int = 100

    @property
    def required_decisions(self) -> tuple[str, ...]:
        seen: list[str] = []
        for column in self.inputs:
            if column.decision and column.decision not in seen:
                seen.append(column.decision)
        return tuple(seen)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def output(self, name: str) -> OutputColumn:
        for column in self.outputs:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class Source:
    """A numbered reference of the source text, or a named reference beyond it."""

    id: str
    title: str
    detail: str
    in_source: bool
    note: str = ""
    attribution: str = "stated"  # or "inferred": which work the number is, is b12spec's reading

    @property
    def inferred(self) -> bool:
        return self.attribution == "inferred"


@dataclass(frozen=True)
class OpenQuestion:
    """Where the source is silent or ambiguous: for the advisory board, never guessed."""

    id: str
    title: str
    question: str
    references: tuple[str, ...] = ()
    status: str = "open"
    rules: tuple[str, ...] = ()  # the rules waiting on it: the CSVs' open_questions, entered twice


@dataclass(frozen=True)
class Recommendation:
    """A statement of the source, restated in b12spec's words, where it is executed, and where in
    the source it is (``locators``: line, span and digest, never the source's words)."""

    id: str
    section: str
    statement: str
    citations: tuple[str, ...]
    rules: tuple[str, ...] = ()
    narrative: str = ""
    locators: tuple[Locator, ...] = ()


@dataclass(frozen=True)
class Guideline:
    """The guideline's identity: what it is, which version, where it came from."""

    title: str
    version: str
    source_file: str
    source_updated: str
    summary: str
    disclaimer: str
    # The source article's own editorial state ("pending human review"), shown with every
    # evaluation beside the disclaimer; empty for a guideline built in code.
    source_review_status: str = ""


@dataclass(frozen=True)
class Spec:
    guideline: Guideline
    dictionary: DataDictionary
    tables: tuple[DecisionTable, ...]
    sources: tuple[Source, ...]
    open_questions: tuple[OpenQuestion, ...] = ()
    catalogue: tuple[Recommendation, ...] = ()
    root: str = ""
    order: tuple[str, ...] = field(default=())

    def table(self, name: str) -> DecisionTable:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    def source(self, source_id: str) -> Source | None:
        for s in self.sources:
            if s.id == source_id:
                return s
        return None

    def rule(self, rule_id: str) -> tuple[DecisionTable, Rule]:
        for table in self.tables:
            for rule in table.rules:
                if rule.id == rule_id:
                    return table, rule
        raise KeyError(rule_id)
