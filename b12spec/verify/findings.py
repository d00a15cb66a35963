"""What `b12spec check` reports: one frozen Finding per problem, and the report that collects them.

A finding always says where (file, table, rule ids, and for form problems the row and column) and,
wherever an input can show the problem, gives that input as a witness: a mapping of input
expression to value that a reviewer can paste into a case and see the problem happen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from b12spec.unary import Value

ERROR = "error"
WARNING = "warning"

# The kinds of finding, in the order a report lists them.
KINDS = (
    "form",
    "domain",
    "wiring",
    "gap",
    "overlap",
    "unreachable",
    "boundary",
    "normal_form",
    "trace",
    "property",
    "analyzer",
)


@dataclass(frozen=True)
class Finding:
    """One problem found in the spec; ``witness`` is an input that shows it, where one exists."""

    kind: str
    severity: str
    message: str
    table: str | None = None
    file: str | None = None
    rules: tuple[str, ...] = ()
    witness: Mapping[str, Value] | None = None
    row: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"severity must be {ERROR!r} or {WARNING!r}, got {self.severity!r}")
        if self.witness is not None and not isinstance(self.witness, MappingProxyType):
            object.__setattr__(self, "witness", MappingProxyType(dict(self.witness)))
        object.__setattr__(self, "rules", tuple(self.rules))

    def __hash__(self) -> int:
        return hash((self.kind, self.severity, self.message, self.table, self.file, self.rules, self.row))

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, Any]:
        """The reports/check.json shape (row and column are extra keys for form findings)."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "table": self.table,
            "file": self.file,
            "rules": list(self.rules),
            "message": self.message,
            "witness": dict(self.witness) if self.witness is not None else None,
            "row": self.row,
            "column": self.column,
        }

    def __str__(self) -> str:
        where = self.file or self.table or "spec"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        rules = f" [{', '.join(self.rules)}]" if self.rules else ""
        return f"{self.severity}: {where}: {self.kind}{rules}: {self.message}"


@dataclass(frozen=True)
class CheckReport:
    """Every finding of one check, errors before warnings, each group in kind order."""

    findings: tuple[Finding, ...] = field(default=())

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> CheckReport:
        unique = list(dict.fromkeys(findings))
        rank = {kind: i for i, kind in enumerate(KINDS)}
        unique.sort(key=lambda f: (f.severity != ERROR, rank.get(f.kind, len(KINDS))))
        return cls(tuple(unique))

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors

    def of_kind(self, kind: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }
