"""How thoroughly the Gherkin scenarios exercise the decision tables, measured from the engine.

Only what the engine did counts: for every passed scenario, the inputs each decision saw, the
rules that matched and the rules its hit policy kept (``ScenarioOutcome.evaluations``). A rule
counts for a scenario only where a Then step checked that rule's result: its output value shown
or shown absent, or the whole output pinned ("the route is ...", "no precaution is given").
Tags are never trusted.

Four measures per table, each out of its total:

- rules: every rule kept by the hit policy, and checked, in at least one scenario;
- boundaries: every numeric comparison of an input entry seen at the threshold and one step
  past it, at the precision the data dictionary declares (``< 50`` at 0.1: 49.9 and 50), by a
  scenario that checked the rule of that entry;
- MC/DC: for every rule and every input entry that is not ``-``, two scenarios whose inputs to
  the table differ only in that entry's column, the rule matching in one and not the other,
  both checking that rule's result.
  A pair that no feasible inputs can form (the entry accepts every value its column can take
  alongside the rule's other entries) is counted as impossible, not as missed;
- values: every enumeration and boolean value (and null, for an optional field) of every input.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from b12spec.model import DataField, DecisionTable, FieldType, InputColumn, Spec
from b12spec.scenarios.context import EVERY_VALUE
from b12spec.scenarios.runner import ScenarioOutcome
from b12spec.unary import Comparison, Interval, UnaryTest, Value, format_literal

# Values closer than this fraction of a field's precision are the same point.
_SAME_POINT = 1e-6


@dataclass(frozen=True)
class Metric:
    """One measure of one table: covered out of total, what is missing, and (for MC/DC) how
    many of the total cannot exist."""

    covered: int
    total: int
    missing: tuple[str, ...] = ()
    impossible: int = 0
    impossible_items: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.covered + self.impossible >= self.total

    @property
    def percent(self) -> float:
        attainable = self.total - self.impossible
        return 100.0 if attainable <= 0 else 100.0 * self.covered / attainable


@dataclass(frozen=True)
class TableCoverage:
    table: str
    rules: Metric
    rule_scenarios: Mapping[str, tuple[str, ...]]
    boundaries: Metric
    mcdc: Metric
    values: Metric

    @property
    def complete(self) -> bool:
        return all(m.complete for m in (self.rules, self.boundaries, self.mcdc, self.values))


@dataclass(frozen=True)
class CoverageReport:
    tables: tuple[TableCoverage, ...]
    scenarios: int
    failed: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """100 % on every measure of every table, and no failing scenario."""
        return not self.failed and all(t.complete for t in self.tables)


@dataclass(frozen=True)
class Observation:
    """One decision as one passed scenario exercised (and asserted) it."""

    scenario: str
    inputs: tuple[Value, ...]
    matched: frozenset[str]
    fired: tuple[str, ...]
    checked: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- observations


def observations(spec: Spec, outcomes: Iterable[ScenarioOutcome]) -> dict[str, list[Observation]]:
    """Per decision, what each passed scenario that asserted it fed in and got out."""
    seen: dict[str, list[Observation]] = {table.name: [] for table in spec.tables}
    for outcome in outcomes:
        if not outcome.passed:
            continue
        for evaluation in outcome.evaluations:
            for name, result in evaluation.results.items():
                if name not in outcome.asserted or name not in seen:
                    continue
                table = spec.table(name)
                inputs = tuple(_canonical(result.inputs.get(c.expression)) for c in table.inputs)
                fired = tuple(hit.rule for hit in result.hits)
                checked = checked_rules(table, outcome.checked)
                seen[name].append(Observation(outcome.name, inputs, frozenset(result.matched), fired, checked))
    return seen


def checked_rules(table: DecisionTable, checks: Iterable[tuple[str, str, object]]) -> frozenset[str]:
    """The rules of ``table`` whose result a scenario's steps checked, present or absent."""
    mine = [(output, value) for name, output, value in checks if name == table.name]
    found = set()
    for rule in table.rules:
        outputs = {column.name: value for column, value in zip(table.outputs, rule.outputs, strict=False)}
        if any(output in outputs and value in (EVERY_VALUE, outputs[output]) for output, value in mine):
            found.add(rule.id)
    return frozenset(found)


def _canonical(value: Value) -> Value:
    if isinstance(value, float):
        return round(value, 6)
    return value


def _same(a: Value, b: Value, precision: float | None) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return a == b and type(a) is type(b)
    return abs(float(a) - float(b)) <= (precision or 1.0) * _SAME_POINT


# --------------------------------------------------------------------------- domains


def field_of(spec: Spec, column: InputColumn) -> DataField | None:
    return None if column.decision else spec.dictionary.get(column.expression)


def _decimals(precision: float) -> int:
    return max(0, -math.floor(math.log10(precision) + 1e-9))


def boundary_points(test: UnaryTest, data_field: DataField) -> tuple[float, ...]:
    """Each threshold of a numeric entry and the value one precision step past it, in range."""
    step = data_field.precision or 1.0
    points: list[float] = []
    for positive in test.tests:
        if isinstance(positive, Comparison):
            if positive.operator in ("<", ">="):
                points += [positive.value - step, positive.value]
            else:
                points += [positive.value, positive.value + step]
        elif isinstance(positive, Interval):
            low, high = positive.low, positive.high
            points += [low - step, low] if positive.low_closed else [low, low + step]
            points += [high, high + step] if positive.high_closed else [high - step, high]
    decimals = _decimals(step)
    low = data_field.minimum if data_field.minimum is not None else -math.inf
    high = data_field.maximum if data_field.maximum is not None else math.inf
    return tuple(dict.fromkeys(round(p, decimals) for p in points if low <= p <= high))


def value_domain(spec: Spec, table: DecisionTable, index: int) -> tuple[Value, ...]:
    """The enumeration, boolean and null values an input can take (numbers: null only)."""
    column = table.inputs[index]
    if column.decision:
        return spec.table(column.decision).output(column.output or "").values
    data_field = field_of(spec, column)
    if data_field is None:
        return ()
    optional: tuple[Value, ...] = () if data_field.required else (None,)
    if data_field.type is FieldType.BOOLEAN:
        return (True, False, *optional)
    if data_field.type is FieldType.ENUM:
        return (*data_field.values, *optional)
    return optional


def representatives(spec: Spec, table: DecisionTable, index: int) -> tuple[Value, ...]:
    """Values standing for every region the table's entries cut an input into."""
    column = table.inputs[index]
    data_field = field_of(spec, column)
    if data_field is None or data_field.type is not FieldType.NUMBER:
        return value_domain(spec, table, index)
    points: list[float] = []
    for rule in table.rules:
        points += boundary_points(rule.inputs[index], data_field)
    if not points and data_field.minimum is not None:
        points.append(data_field.minimum)
    return (*sorted(set(points), key=float), *value_domain(spec, table, index))


def _feasible(spec: Spec, table: DecisionTable, point: Sequence[Value]) -> bool:
    """False when the point breaks a contradiction of the data dictionary on this table's inputs."""
    where = {column.expression: i for i, column in enumerate(table.inputs)}
    for contradiction in spec.dictionary.contradictions:
        applies = contradiction.when and all(name in where for name, _ in contradiction.when)
        if applies and all(test.matches(point[where[name]]) for name, test in contradiction.when):
            return False
    return True


# --------------------------------------------------------------------------- measures


def _rules(table: DecisionTable, seen: list[Observation]) -> tuple[Metric, dict[str, tuple[str, ...]]]:
    by_rule: dict[str, list[str]] = {rule.id: [] for rule in table.rules}
    for observation in seen:
        for rule in observation.fired:
            if rule in by_rule and rule in observation.checked and observation.scenario not in by_rule[rule]:
                by_rule[rule].append(observation.scenario)
    missing = tuple(rule for rule, names in by_rule.items() if not names)
    metric = Metric(len(by_rule) - len(missing), len(by_rule), missing)
    return metric, {rule: tuple(names) for rule, names in by_rule.items()}


def _boundaries(spec: Spec, table: DecisionTable, seen: list[Observation]) -> Metric:
    wanted: dict[tuple[int, float], list[str]] = {}
    for index, column in enumerate(table.inputs):
        data_field = field_of(spec, column)
        if data_field is None or data_field.type is not FieldType.NUMBER:
            continue
        for rule in table.rules:
            for point in boundary_points(rule.inputs[index], data_field):
                wanted.setdefault((index, point), []).append(rule.id)
    missing = []
    for (index, point), rules in wanted.items():
        precision = field_of(spec, table.inputs[index]).precision  # type: ignore[union-attr]
        # Each rule whose entry puts a threshold here must be checked at this point.
        unchecked = [
            rule
            for rule in rules
            if not any(_same(o.inputs[index], point, precision) and rule in o.checked for o in seen)
        ]
        if unchecked:
            entries = ", ".join(f"{r} {table.rule(r).inputs[index]}" for r in unchecked)
            missing.append(f"{table.inputs[index].expression} = {format_literal(point)} ({entries})")
    return Metric(len(wanted) - len(missing), len(wanted), tuple(missing))


def _values(spec: Spec, table: DecisionTable, seen: list[Observation]) -> Metric:
    total = 0
    missing = []
    for index, column in enumerate(table.inputs):
        for value in value_domain(spec, table, index):
            total += 1
            if not any(_same(o.inputs[index], value, None) and o.checked for o in seen):
                missing.append(f"{column.expression} = {format_literal(value)}")
    return Metric(total - len(missing), total, tuple(missing))


def _differ_only_in(a: Sequence[Value], b: Sequence[Value], index: int, precisions: Sequence[float | None]) -> bool:
    return not _same(a[index], b[index], precisions[index]) and all(
        _same(x, y, p) for i, (x, y, p) in enumerate(zip(a, b, precisions, strict=True)) if i != index
    )


def mcdc_pairs(spec: Spec, table: DecisionTable) -> list[tuple[str, int, tuple[Value, ...] | None, Value]]:
    """Every (rule, input) MC/DC obligation, with a witness pair (point, changed value) over the
    representative domain, or None as the point when no feasible pair exists (impossible)."""
    domains = [representatives(spec, table, i) for i in range(len(table.inputs))]
    matches: dict[tuple[Value, ...], frozenset[str]] = {}
    for point in itertools.product(*domains):
        if _feasible(spec, table, point):
            matches[point] = frozenset(r.id for r in table.rules if r.matches(point))
    obligations: list[tuple[str, int, tuple[Value, ...] | None, Value]] = []
    for rule in table.rules:
        for index, entry in enumerate(rule.inputs):
            if entry.is_any:
                continue
            witness: tuple[tuple[Value, ...] | None, Value] = (None, None)
            for point, matched in matches.items():
                if rule.id not in matched:
                    continue
                for other in domains[index]:
                    changed = (*point[:index], other, *point[index + 1 :])
                    if changed in matches and rule.id not in matches[changed]:
                        witness = (point, other)
                        break
                if witness[0] is not None:
                    break
            obligations.append((rule.id, index, *witness))
    return obligations


def _mcdc(spec: Spec, table: DecisionTable, seen: list[Observation]) -> Metric:
    precisions = [(f.precision if (f := field_of(spec, c)) else None) for c in table.inputs]
    covered = 0
    missing: list[str] = []
    impossible: list[str] = []
    for rule_id, index, point, other in mcdc_pairs(spec, table):
        rule = table.rule(rule_id)
        label = f"{rule_id} {table.inputs[index].expression} {rule.inputs[index]}"
        if point is None:
            impossible.append(label)
            continue
        with_rule = [o for o in seen if rule_id in o.matched and rule_id in o.checked]
        without = [o for o in seen if rule_id not in o.matched and rule_id in o.checked]
        if any(_differ_only_in(a.inputs, b.inputs, index, precisions) for a in with_rule for b in without):
            covered += 1
            continue
        example = ", ".join(f"{c.expression}={format_literal(v)}" for c, v in zip(table.inputs, point, strict=True))
        missing.append(f"{label} (e.g. {example}; then {table.inputs[index].expression}={format_literal(other)})")
    total = covered + len(missing) + len(impossible)
    return Metric(covered, total, tuple(missing), len(impossible), tuple(impossible))


def measure(spec: Spec, outcomes: Sequence[ScenarioOutcome]) -> CoverageReport:
    """Coverage of every table of ``spec`` by the given scenario outcomes."""
    seen = observations(spec, outcomes)
    tables = []
    for name in spec.order:
        table = spec.table(name)
        rules, rule_scenarios = _rules(table, seen[name])
        tables.append(
            TableCoverage(
                table=name,
                rules=rules,
                rule_scenarios=rule_scenarios,
                boundaries=_boundaries(spec, table, seen[name]),
                mcdc=_mcdc(spec, table, seen[name]),
                values=_values(spec, table, seen[name]),
            )
        )
    failed = tuple(o.name for o in outcomes if not o.passed)
    return CoverageReport(tuple(tables), len(outcomes), failed)


# --------------------------------------------------------------------------- rendering


def _metric_dict(metric: Metric, with_impossible: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"covered": metric.covered, "total": metric.total}
    if with_impossible:
        data["impossible"] = metric.impossible
        data["impossible_pairs"] = list(metric.impossible_items)
    data["missing"] = list(metric.missing)
    return data


def report_to_dict(report: CoverageReport) -> dict[str, Any]:
    """The reports/coverage.json contract (briefs/reports.md), plus the scenario counts."""
    tables = {}
    for t in report.tables:
        rules = _metric_dict(t.rules)
        rules["scenarios"] = {rule: list(names) for rule, names in t.rule_scenarios.items()}
        tables[t.table] = {
            "rules": rules,
            "boundaries": _metric_dict(t.boundaries),
            "mcdc": _metric_dict(t.mcdc, with_impossible=True),
            "values": _metric_dict(t.values),
        }
    return {
        "tables": tables,
        "scenarios": {"total": report.scenarios, "failed": list(report.failed)},
        "ok": report.ok,
    }


def _cell(metric: Metric) -> str:
    return f"{metric.covered}/{metric.total - metric.impossible} {metric.percent:5.1f}%"


def render_text(report: CoverageReport, show_scenarios: bool = True) -> str:
    """A table of the four measures, then what is missing and which scenarios cover each rule."""
    head = f"{'decision':<22}{'rules':>16}{'boundaries':>16}{'MC/DC':>16}{'impossible':>12}{'values':>16}"
    lines = [f"Scenario coverage of the decision tables ({report.scenarios} scenarios)", "", head]
    for t in report.tables:
        lines.append(
            f"{t.table:<22}{_cell(t.rules):>16}{_cell(t.boundaries):>16}{_cell(t.mcdc):>16}"
            f"{t.mcdc.impossible:>12}{_cell(t.values):>16}"
        )
    for t in report.tables:
        gaps = [
            (title, item)
            for title, metric in (("rule", t.rules), ("boundary", t.boundaries), ("MC/DC", t.mcdc), ("value", t.values))
            for item in metric.missing
        ]
        if gaps:
            lines += ["", f"{t.table}: missing"]
            lines += [f"  - {title}: {item}" for title, item in gaps]
    if show_scenarios:
        lines += ["", "Scenarios covering each rule"]
        for t in report.tables:
            for rule, names in t.rule_scenarios.items():
                shown = "; ".join(names[:3]) + (f"; and {len(names) - 3} more" if len(names) > 3 else "")
                lines.append(f"  {rule} ({len(names)}): {shown or 'NONE'}")
    if report.failed:
        lines += ["", f"{len(report.failed)} scenario(s) failed:"] + [f"  - {name}" for name in report.failed]
    lines += ["", "coverage OK: 100 % on every measure" if report.ok else "coverage BELOW 100 %"]
    return "\n".join(lines)
