"""Input entries that test values a valid case can never have.

A typo such as ``"vegna"``, a threshold below zero or above the plausible range, a number
compared with a text or yes/no field, or ``null`` on a field that is always given: the table
still loads, but the entry means something other than what its author meant. Each finding's
witness is the offending value itself. Values of another decision's output that its rules never
produce are wiring findings (see wiring.py); a value outside its declared list is a domain error.
"""

from __future__ import annotations

from b12spec.errors import did_you_mean
from b12spec.unary import Comparison, Interval, Literal, NullTest, PositiveTest, Value, format_literal
from b12spec.verify.findings import ERROR, WARNING, Finding
from b12spec.verify.regions import Domain
from b12spec.verify.space import CompiledTable


def _describe(domain: Domain) -> str:
    if domain.kind == "number":
        assert domain.numeric is not None
        unit = f" {domain.unit}" if domain.unit else ""
        return f"a number from {domain.numeric[0]:g} to {domain.numeric[1]:g}{unit}"
    if domain.kind == "boolean":
        return "true or false"
    values = domain.allowed if domain.kind == "decision" else domain.values
    return "one of " + ", ".join(format_literal(v) for v in values)


def domain_findings(ct: CompiledTable) -> list[Finding]:
    findings: list[Finding] = []
    table = ct.table
    for rule in table.rules:
        for c, test in enumerate(rule.inputs):
            domain = ct.columns[c].domain
            for problem, severity, value in _entry_problems(domain, test.tests):
                findings.append(
                    Finding(
                        kind="domain",
                        severity=severity,
                        message=f"rule {rule.id}, {domain.expression} {rule.input_text[c]!r}: {problem}",
                        table=table.name,
                        file=table.file,
                        rules=(rule.id,),
                        witness={domain.expression: value},
                        row=rule.row,
                        column=domain.expression,
                    )
                )
    return findings


def _entry_problems(domain: Domain, tests: tuple[PositiveTest, ...]) -> list[tuple[str, str, Value]]:
    problems: list[tuple[str, str, Value]] = []
    numeric_domain = domain.numeric is not None
    discrete_numbers = all(isinstance(v, float) for v in domain.values) and bool(domain.values)
    allowed = domain.allowed if domain.kind == "decision" else domain.values
    for test in tests:
        if isinstance(test, NullTest):
            if not domain.nullable:
                always = "is required" if domain.kind != "decision" else "always has a value"
                problems.append((f"tests null, but {domain.expression} {always}: this part never matches",
                                 WARNING, None))
            continue
        if isinstance(test, (Comparison, Interval)):
            numbers = (test.value,) if isinstance(test, Comparison) else (test.low, test.high)
            if not numeric_domain and not discrete_numbers:
                problems.append((f"compares {_a(domain.kind)} field with a number; expected {_describe(domain)}",
                                 ERROR, numbers[0]))
                continue
            for number in numbers:
                problems.extend(_out_of_range(domain, number))
            continue
        assert isinstance(test, Literal)
        value = test.value
        if isinstance(value, bool):
            if domain.kind != "boolean" and not (domain.kind == "decision" and value in allowed):
                problems.append((f"tests {format_literal(value)} on a field that is not true/false; expected "
                                 f"{_describe(domain)}", ERROR, value))
        elif isinstance(value, str):
            if domain.kind in ("enum", "decision") and not (numeric_domain or discrete_numbers):
                if value not in allowed:
                    extra = did_you_mean(value, allowed)
                    problems.append((f"{format_literal(value)} is not an allowed value{extra}; expected "
                                     f"{_describe(domain)}", ERROR, value))
            else:
                problems.append((f"compares {_a(domain.kind)} field with the text {format_literal(value)}; expected "
                                 f"{_describe(domain)}", ERROR, value))
        elif numeric_domain:
            problems.extend(_out_of_range(domain, float(value)))
        elif not discrete_numbers:
            problems.append((f"compares {_a(domain.kind)} field with a number; expected {_describe(domain)}",
                             ERROR, value))
    return problems


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _out_of_range(domain: Domain, number: float) -> list[tuple[str, str, Value]]:
    if domain.numeric is None:
        return []
    low, high = domain.numeric
    if number < low:
        return [(f"threshold {number:g} is below the field's range ({_describe(domain)})", ERROR, number)]
    if number > high:
        return [(f"threshold {number:g} is above the field's range ({_describe(domain)})", ERROR, number)]
    return []
