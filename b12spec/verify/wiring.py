"""How the decisions fit together: outputs that reach no one, tests of values no one produces.

Whether every input expression resolves, whether types agree and whether the decisions form a
cycle is settled by the loader (its problems become wiring findings in check.py). What is left
needs the rules themselves:

* an output value a table declares but no reachable rule of it gives (dead vocabulary);
* a value a decision produces that no rule of any table reading that output matches, so the
  downstream decisions cannot see it (for a single-hit reader this is also a gap);
* a value a downstream entry tests that no reachable upstream rule produces (a dead branch).

Each finding's witness is the value in question, keyed by the ``decision.output`` expression.
"""

from __future__ import annotations

from collections.abc import Mapping

from b12spec.model import FieldType, Spec
from b12spec.unary import Literal, Value, format_literal
from b12spec.verify.findings import WARNING, Finding


def wiring_findings(spec: Spec, produced: Mapping[str, tuple[Value, ...]]) -> list[Finding]:
    findings: list[Finding] = []
    readers: dict[str, list[tuple[str, int]]] = {}
    for table in spec.tables:
        for c, column in enumerate(table.inputs):
            if column.decision is not None:
                readers.setdefault(column.expression, []).append((table.name, c))
    for table in spec.tables:
        for output in table.outputs:
            expression = f"{table.name}.{output.name}"
            values = produced.get(expression, ())
            if output.type is FieldType.ENUM:
                for value in output.values:
                    if value not in values:
                        findings.append(
                            Finding(
                                kind="wiring",
                                severity=WARNING,
                                message=f"{expression} declares {format_literal(value)} but no reachable rule of "
                                f"{table.name} gives it",
                                table=table.name,
                                file=table.meta_file,
                                witness={expression: value},
                                column=output.name,
                            )
                        )
            consumers = readers.get(expression, [])
            if not consumers:
                continue
            for out in values:
                if any(
                    rule.inputs[c].matches(out) for name, c in consumers for rule in spec.table(name).rules
                ):
                    continue
                names = ", ".join(dict.fromkeys(name for name, _ in consumers))
                findings.append(
                    Finding(
                        kind="wiring",
                        severity=WARNING,
                        message=f"{table.name} can give {expression} = {format_literal(out)}, but no rule of "
                        f"{names} matches it",
                        table=table.name,
                        file=table.file,
                        rules=tuple(r.id for r in table.rules if out in r.outputs),
                        witness={expression: out},
                    )
                )
    for expression, consumers in readers.items():
        given = produced.get(expression)
        if given is None:
            continue
        for name, c in consumers:
            reader = spec.table(name)
            for rule in reader.rules:
                for test in rule.inputs[c].tests:
                    if isinstance(test, Literal) and test.value in _declared(spec, expression) and not any(
                        _same(test.value, v) for v in given
                    ):
                        findings.append(
                            Finding(
                                kind="wiring",
                                severity=WARNING,
                                message=f"rule {rule.id} tests {expression} = {format_literal(test.value)}, which "
                                f"no reachable rule of {expression.split('.', 1)[0]} produces",
                                table=reader.name,
                                file=reader.file,
                                rules=(rule.id,),
                                witness={expression: test.value},
                                row=rule.row,
                                column=expression,
                            )
                        )
    return findings


def _declared(spec: Spec, expression: str) -> tuple[Value, ...]:
    decision, output = expression.split(".", 1)
    column = spec.table(decision).output(output)
    if column.type is FieldType.ENUM:
        return column.values
    return tuple(v for r in spec.table(decision).rules for v in r.outputs)


def _same(a: Value, b: Value) -> bool:
    return type(a) is type(b) and a == b
