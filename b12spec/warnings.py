"""Which outputs of an evaluation are warnings, how severe, and whether they are about this patient.

Declared in ``spec/warnings.yaml`` (data, not code): for a decision's output, each value that is
a warning gets a severity (``critical``: harm is likely if it is missed; ``warning``; ``info``:
nothing to act on) and ``about``: ``patient`` when something recorded for this patient or their
proposed plan raised it, ``general`` when it is raised for everyone in the same situation. The
result contract gathers them into one ``warnings`` list, patient-specific ones first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from b12spec.errors import B12SpecError, did_you_mean
from b12spec.evaluate import Evaluation
from b12spec.model import Spec
from b12spec.safeload import DataFileError
from b12spec.workspace import read_document

WARNINGS_FILE = "warnings.yaml"
SEVERITIES = ("critical", "warning", "info")
ABOUT = ("patient", "general")


class WarningDeclarationError(B12SpecError):
    """``warnings.yaml`` names something the spec does not have, or a severity not allowed."""


@dataclass(frozen=True)
class WarningKind:
    """One output value declared a warning."""

    decision: str
    output: str
    value: str
    severity: str
    about: str


@dataclass(frozen=True)
class WarningPolicy:
    kinds: tuple[WarningKind, ...] = ()

    def find(self, decision: str, output: str, value: object) -> WarningKind | None:
        for kind in self.kinds:
            if (kind.decision, kind.output, kind.value) == (decision, output, value):
                return kind
        return None


NONE_DECLARED = "write [] to declare that no output is a warning"


def parse_policy(data: Any) -> WarningPolicy:
    if data is None:  # an empty file: every warning would vanish from the report without a word
        raise WarningDeclarationError(f"{WARNINGS_FILE} is empty; {NONE_DECLARED}")
    if not isinstance(data, list):
        raise WarningDeclarationError(f"{WARNINGS_FILE}: expected a list of decisions with their warning values")
    kinds: list[WarningKind] = []
    for position, entry in enumerate(data, start=1):
        where = f"{WARNINGS_FILE}, entry {position}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping):
            raise WarningDeclarationError(f"{where}: expected decision, output and values")
        _known_keys(entry, ("decision", "output", "values"), where)
        decision, output = str(entry.get("decision", "")), str(entry.get("output", ""))
        for value, meta in entry["values"].items():
            if not isinstance(meta, Mapping):
                raise WarningDeclarationError(f"{where}, {value}: expected severity and about")
            _known_keys(meta, ("severity", "about"), f"{where}, {value}")
            severity, about = meta.get("severity"), meta.get("about")
            if severity not in SEVERITIES:
                raise WarningDeclarationError(
                    f"{where}, {value}: severity must be one of {', '.join(SEVERITIES)}, got {severity}"
                )
            if about not in ABOUT:
                raise WarningDeclarationError(f"{where}, {value}: about must be patient or general, got {about}")
            kinds.append(WarningKind(decision, output, str(value), str(severity), str(about)))
    return WarningPolicy(tuple(kinds))


def _known_keys(entry: Mapping[Any, Any], allowed: tuple[str, ...], where: str) -> None:
    """A misspelt key (``severty: info``) is refused, never read as the key left out."""
    for key in entry:
        if key not in allowed:
            raise WarningDeclarationError(
                f"{where}: unknown key {key!r}{did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}"
            )


@lru_cache(maxsize=32)
def _read(path: str, modified: int) -> WarningPolicy:
    try:
        data = read_document(Path(path), WARNINGS_FILE)
    except DataFileError as error:
        raise WarningDeclarationError(f"{WARNINGS_FILE} cannot be read: {error}") from error
    return parse_policy(data)


def policy_of(spec: Spec) -> WarningPolicy:
    """The spec's declaration (read once per file version), or none for a spec built in code.

    A spec directory without the file is refused, not read as "nothing is a warning": the report
    would then show no warning at all, the critical ones included.
    """
    if not spec.root:
        return WarningPolicy()
    path = Path(spec.root) / WARNINGS_FILE
    if not path.exists():
        raise WarningDeclarationError(
            f"{WARNINGS_FILE} is missing: without it the report marks no warning, critical ones included; "
            + NONE_DECLARED
        )
    return _read(str(path), path.stat().st_mtime_ns)


def validate(spec: Spec, policy: WarningPolicy) -> list[str]:
    """Problems of a declaration against the spec: unknown decisions, outputs or values."""
    problems = []
    names = [t.name for t in spec.tables]
    for kind in policy.kinds:
        if kind.decision not in names:
            extra = did_you_mean(kind.decision, names)
            problems.append(f"{WARNINGS_FILE}: no decision named {kind.decision!r}{extra}")
            continue
        table = spec.table(kind.decision)
        outputs = [o.name for o in table.outputs]
        if kind.output not in outputs:
            problems.append(f"{WARNINGS_FILE}: decision {kind.decision!r} has no output {kind.output!r}")
            continue
        allowed = [str(v) for v in table.output(kind.output).values]
        if kind.value not in allowed:
            extra = did_you_mean(kind.value, allowed)
            problems.append(f"{WARNINGS_FILE}: {kind.value!r} is not a value of {kind.decision}.{kind.output}{extra}")
    return problems


def warnings_of(spec: Spec, evaluation: Evaluation, policy: WarningPolicy | None = None) -> list[dict[str, Any]]:
    """Every warning the evaluation raised: patient-specific first, then by severity."""
    policy = policy if policy is not None else policy_of(spec)
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for name, result in evaluation.results.items():
        table = spec.table(name)
        for hit in result.hits:
            for column in table.outputs:
                value = hit.outputs.get(column.name)
                kind = policy.find(name, column.name, value)
                if kind is None:
                    continue
                key = (name, column.name, str(value))
                entry = found.setdefault(key, {
                    "severity": kind.severity,
                    "about": kind.about,
                    "patient_specific": kind.about == "patient",
                    "decision": name,
                    "output": column.name,
                    "value": value,
                    "message": column.label_of(value),
                    "rule": hit.rule,
                    "rules": [],
                    "citations": [],
                    "open_questions": [],
                })
                entry["rules"].append(hit.rule)
                entry["citations"].extend(c for c in hit.citations if c not in entry["citations"])
                entry["open_questions"].extend(q for q in hit.open_questions if q not in entry["open_questions"])
    return sorted(found.values(), key=lambda w: (ABOUT.index(w["about"]), SEVERITIES.index(w["severity"])))
