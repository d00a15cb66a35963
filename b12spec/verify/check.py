"""`b12spec check`: every static analysis of the spec, run in order, gathered into one report.

1. **Form**: the loader's problems (missing columns, unparsable unary tests, unknown hit policy,
   outputs outside their allowed values, duplicate rule ids, rules without a citation, missing
   metadata), each with file, row and column. Loader problems about how decisions connect
   (unknown input expression, unknown decision or output, list-valued outputs, cycles) are
   reported as *wiring*. When the spec does not load, the tables that load cleanly on their own
   (with a clean data dictionary, and clean upstream decisions) are still analysed, so one typo
   does not hide every gap; extra analyzers run only on a spec that loads.
2. For every decision, in evaluation order: domain, gaps, overlaps, unreachable rules, boundary
   lint and normal form (see domain.py and analysis.py). A column that reads an upstream
   decision's output has as domain the values the upstream's *reachable* rules produce.
   Each table is analysed on its own, its columns independent of one another except for the
   dictionary's contradictions: a combination that the upstream decisions could never produce
   together (an upstream output and the field it was computed from) still counts. That is the
   conservative side: such a gap is reported, never hidden.
3. Wiring across decisions (wiring.py).
4. Extra analyzers (the extension point, below).

Extension point for other packages (the sign-off ledger reports a tampered ledger here): an
analyzer is any ``Callable[[Spec], Iterable[Finding]]``. Register it with
``register_analyzer(fn)``, pass it in ``check_spec(spec_dir, analyzers=[...])``, or expose a
list named ``ANALYZERS`` in a module ``b12spec.signoff.check``, which ``check_spec`` imports when it
exists. An analyzer that raises becomes an error finding (kind "analyzer"): a check never passes
because a checker crashed.
"""

from __future__ import annotations

import csv
import importlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from b12spec.errors import CellLocation, SpecError, SpecErrors
from b12spec.loader import load_dictionary, load_spec, load_table
from b12spec.model import Guideline, Spec
from b12spec.requirements import evaluation_order
from b12spec.unary import Value
from b12spec.verify import analysis
from b12spec.verify.domain import domain_findings
from b12spec.verify.findings import ERROR, CheckReport, Finding
from b12spec.verify.space import compile_table, produced_values
from b12spec.verify.wiring import wiring_findings

Analyzer = Callable[[Spec], Iterable[Finding]]

_REGISTERED: list[Analyzer] = []

# Modules imported, when present, for a list of analyzers named ANALYZERS.
OPTIONAL_ANALYZER_MODULES = (
    "b12spec.signoff.check",
    "b12spec.verify.trace",
    "b12spec.verify.prover",
    "b12spec.verify.contract",
)

_WIRING_PROBLEMS = re.compile(
    r"neither a data-dictionary field|no decision named|has no output|in a cycle|gives a list|"
    r"both a field and a decision output|is defined twice"
)
# Entries the loader refuses because they can never match their input: domain problems.
_DOMAIN_PROBLEMS = re.compile(r"tests a (number|boolean|string), but this input|is not an allowed value of this input")


def register_analyzer(analyzer: Analyzer) -> Analyzer:
    """Add an analyzer to every later check (usable as a decorator)."""
    if analyzer not in _REGISTERED:
        _REGISTERED.append(analyzer)
    return analyzer


def _optional_analyzers() -> list[Analyzer]:
    found: list[Analyzer] = []
    for name in OPTIONAL_ANALYZER_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name is not None and name.startswith(error.name):
                continue
            raise
        found.extend(getattr(module, "ANALYZERS", ()))
    return found


def check_spec(spec_dir: Path | str, analyzers: Iterable[Analyzer] | None = None) -> CheckReport:
    """Load and verify a spec directory; never raises for a faulty spec, reports it."""
    root = Path(spec_dir)
    try:
        spec = load_spec(root)
    except SpecErrors as error:
        problems: tuple[SpecError, ...] = error.problems
    except SpecError as error:
        problems = (error,)
    else:
        return CheckReport.of(analyse_spec(spec, analyzers))
    findings = [form_finding(problem, root) for problem in problems]
    partial = _clean_part(root)
    if partial is not None:
        analysed = analyse_spec(partial, analyzers=(), extras=False)
        # The loader's domain problems come without a witness; keep ours where both saw a cell.
        ours = {(f.file, f.row, f.column) for f in analysed if f.kind == "domain"}
        findings = [f for f in findings if f.kind != "domain" or (f.file, f.row, f.column) not in ours]
        findings.extend(analysed)
    return CheckReport.of(findings)


def _relative(file: str, root: Path) -> str:
    """A problem's file relative to the spec directory (the loader mixes both forms)."""
    path = Path(file)
    if (root / path).exists():
        return file
    full = path if path.is_absolute() else Path.cwd() / path
    try:
        return str(full.resolve().relative_to(root.resolve()))
    except ValueError:
        return file


class _Collector:
    """Collects a loader's problems for one file (the loader only calls ``add``)."""

    def __init__(self) -> None:
        self.items: list[tuple[object, str]] = []

    def add(self, location: object, message: str) -> None:
        self.items.append((location, message))


def _clean_part(root: Path) -> Spec | None:
    """The part of a faulty spec that loads cleanly: a clean dictionary and clean, wired tables."""
    collector = _Collector()
    dictionary = load_dictionary(root / "dictionary.yaml", collector)  # type: ignore[arg-type]
    if collector.items:
        return None
    tables = []
    for meta_path in sorted((root / "tables").glob("*.yaml")):
        collector = _Collector()
        table = load_table(meta_path, collector, root, dictionary.names)  # type: ignore[arg-type]
        if table is not None and not collector.items:
            tables.append(table)
    names = [t.name for t in tables]
    changed = True
    while changed:
        changed = False
        for table in list(tables):
            for column in table.inputs:
                field_ok = dictionary.get(column.expression) is not None
                upstream = [t for t in tables if t.name == column.decision]
                output_ok = bool(upstream) and names.count(column.decision or "") == 1 and any(
                    o.name == column.output for o in upstream[0].outputs
                ) and (upstream[0].hit_policy.single_hit or upstream[0].hit_policy.aggregated)
                if not (field_ok or output_ok):
                    tables.remove(table)
                    changed = True
                    break
    if not tables:
        return None
    guideline = Guideline("", "", "", "", "", "")
    spec = Spec(guideline=guideline, dictionary=dictionary, tables=tuple(tables), sources=(), root=str(root))
    try:
        order = evaluation_order(spec)
    except SpecError:
        return None
    return Spec(**{**spec.__dict__, "order": order})


def form_finding(problem: SpecError, root: Path) -> Finding:
    """A loader problem as a finding, with file (relative to the spec), row and column."""
    location = problem.location
    if not isinstance(location, CellLocation):
        location = CellLocation(str(location))
    file = _relative(location.file, root)
    table = None
    match = re.match(r"tables/([^/]+)\.(csv|yaml)$", file)
    if match:
        table = match.group(1)
    rules = _rule_at(root, file, location.row)
    kind = "form"
    if _WIRING_PROBLEMS.search(problem.detail):
        kind = "wiring"
    elif _DOMAIN_PROBLEMS.search(problem.detail):
        kind = "domain"
    return Finding(
        kind=kind,
        severity=ERROR,
        message=problem.detail,
        table=table,
        file=file,
        rules=rules,
        row=location.row,
        column=location.column,
    )


def _rule_at(root: Path, file: str, row: int | None) -> tuple[str, ...]:
    """The id in the rule column of a CSV row, so a form finding names its rule too."""
    if row is None or row < 2 or not file.endswith(".csv"):
        return ()
    try:
        with (root / file).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        return ()
    if len(rows) < row or not rows[0] or rows[0][0].strip() != "rule":
        return ()
    cells = rows[row - 1]
    rule_id = cells[0].strip() if cells else ""
    return (rule_id,) if rule_id else ()


def analyse_spec(spec: Spec, analyzers: Iterable[Analyzer] | None = None, extras: bool = True) -> list[Finding]:
    """Every analysis of a loaded spec (see the module docstring for the order).

    ``extras=False`` leaves out the registered and optional analyzers (used for a partial spec).
    """
    findings: list[Finding] = []
    produced: dict[str, tuple[Value, ...]] = {}
    for name in spec.order:
        table = spec.table(name)
        ct = compile_table(spec, table, produced)
        dead = analysis.unreachable_rules(ct)
        findings.extend(domain_findings(ct))
        findings.extend(analysis.gaps(ct))
        findings.extend(analysis.overlaps(ct))
        findings.extend(analysis.unreachable(ct, dead))
        findings.extend(analysis.boundaries(ct))
        findings.extend(analysis.normal_form(ct, dead))
        never = {item.rule for item in dead}
        reachable = [i for i in range(len(table.rules)) if i not in never]
        for output in table.outputs:
            produced[f"{name}.{output.name}"] = produced_values(table, output.name, reachable)
    findings.extend(wiring_findings(spec, produced))
    chosen = [*_REGISTERED, *_optional_analyzers()] if extras else []
    chosen += list(analyzers or ())
    for analyzer in dict.fromkeys(chosen):
        try:
            findings.extend(analyzer(spec))
        except Exception as error:
            label = getattr(analyzer, "__qualname__", repr(analyzer))
            findings.append(
                Finding(kind="analyzer", severity=ERROR, message=f"analyzer {label} failed: {error!r}")
            )
    return findings
