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
4. Extra analyzers, passed in by the caller (below).

Extra analyzers (the sign-off ledger reports a tampered ledger here) are passed in by the caller:
an analyzer is any ``Callable[[Spec], Iterable[Finding]]``. An analyzer that raises becomes an
error finding (kind "analyzer"): a check never passes because a checker crashed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from b12spec.errors import Problem, SpecError
from b12spec.loader import SpecFiles, build_parts, build_spec
from b12spec.model import DecisionTable, Guideline, Spec
from b12spec.requirements import evaluation_order
from b12spec.unary import Value
from b12spec.verify import analysis
from b12spec.verify.domain import domain_findings
from b12spec.verify.findings import ERROR, CheckReport, Finding
from b12spec.verify.space import SweepBudgetExceeded, compile_table, produced_values
from b12spec.verify.wiring import wiring_findings

Analyzer = Callable[[Spec], Iterable[Finding]]


def check_spec(files: SpecFiles, analyzers: Iterable[Analyzer] = ()) -> CheckReport:
    """Build and verify a spec; never raises for a faulty spec, reports it."""
    return check_and_build(files, analyzers)[0]


def check_and_build(files: SpecFiles, analyzers: Iterable[Analyzer] = ()) -> tuple[CheckReport, Spec | None]:
    """The report, and the spec it was built into (None when it does not build), built once."""
    try:
        spec = build_spec(files)
    except SpecError as error:
        problems = error.problems
    else:
        return CheckReport.of(analyse_spec(spec, analyzers)), spec
    findings = [form_finding(problem) for problem in problems]
    partial = _clean_part(files)
    if partial is not None:
        analysed = analyse_spec(partial)
        # The loader's domain problems come without a witness; keep ours where both saw a cell.
        ours = {(f.file, f.row, f.column) for f in analysed if f.kind == "domain"}
        findings = [f for f in findings if f.kind != "domain" or (f.file, f.row, f.column) not in ours]
        findings.extend(analysed)
    return CheckReport.of(findings), None


def _clean_part(files: SpecFiles) -> Spec | None:
    """The part of a faulty spec that loads cleanly: a clean dictionary and clean, wired tables."""
    parts = build_parts(files)
    faulty = {p.file for p in parts.problems}
    if "dictionary.yaml" in faulty:
        return None
    dictionary = parts.dictionary
    tables = [t for t in parts.tables if t.file not in faulty and t.meta_file not in faulty]
    changed = True
    while changed:
        changed = False
        for table in list(tables):
            for column in table.inputs:
                field_ok = dictionary.get(column.expression) is not None
                upstream = [t for t in tables if t.name == column.decision]
                output_ok = len(upstream) == 1 and any(o.name == column.output for o in upstream[0].outputs) and (
                    upstream[0].hit_policy.single_hit or upstream[0].hit_policy.aggregated
                )
                if not (field_ok or output_ok):
                    tables.remove(table)
                    changed = True
                    break
    if not tables:
        return None
    guideline = Guideline("", "", "", "", "", "")
    spec = Spec(guideline=guideline, dictionary=dictionary, tables=tuple(tables), sources=(), root=files.root)
    try:
        order = evaluation_order(spec)
    except SpecError:
        return None
    return Spec(**{**spec.__dict__, "order": order})


def form_finding(problem: Problem) -> Finding:
    """A loader problem as a finding: its kind, file (relative to the spec), row, column and rule."""
    table = None
    if problem.file.startswith("tables/") and problem.file.endswith((".csv", ".yaml")):
        table = problem.file.removeprefix("tables/").rsplit(".", 1)[0]
    return Finding(
        kind=problem.kind,
        severity=ERROR,
        message=problem.message,
        table=table,
        file=problem.file,
        rules=(problem.rule,) if problem.rule else (),
        row=problem.row,
        column=problem.column,
    )


def stopped_finding(table: DecisionTable, stopped: SweepBudgetExceeded) -> Finding:
    """The table could not be analysed within the sweep's budget: say so, as an error."""
    message = (
        f"the analysis of table {table.name} was stopped: {stopped}; its unreachable rules, overlaps, boundaries "
        "and normal form are not verified: split the table into smaller decisions so it can be checked whole"
    )
    return Finding(kind="gap", severity=ERROR, message=message, table=table.name, file=table.file)


def analyse_spec(spec: Spec, analyzers: Iterable[Analyzer] = ()) -> list[Finding]:
    """Every analysis of a loaded spec (see the module docstring for the order), then ``analyzers``."""
    findings: list[Finding] = []
    produced: dict[str, tuple[Value, ...]] = {}
    for name in spec.order:
        table = spec.table(name)
        ct = compile_table(spec, table, produced)
        findings.extend(domain_findings(ct))
        try:
            dead = analysis.unreachable_rules(ct)
            table_findings = [
                *analysis.gaps(ct),
                *analysis.overlaps(ct),
                *analysis.unreachable(ct, dead),
                *analysis.boundaries(ct),
                *analysis.normal_form(ct, dead),
            ]
        except SweepBudgetExceeded as stopped:
            # Too many regions to analyse: an error (the table is unverified), never a pass. Every
            # rule counts as reachable, so later tables see every value this one might produce.
            dead, table_findings = [], [stopped_finding(table, stopped)]
        findings.extend(table_findings)
        never = {item.rule for item in dead}
        reachable = [i for i in range(len(table.rules)) if i not in never]
        for output in table.outputs:
            produced[f"{name}.{output.name}"] = produced_values(table, output.name, reachable)
    findings.extend(wiring_findings(spec, produced))
    for analyzer in dict.fromkeys(analyzers):
        try:
            findings.extend(analyzer(spec))
        except Exception as error:
            label = getattr(analyzer, "__qualname__", repr(analyzer))
            findings.append(
                Finding(kind="analyzer", severity=ERROR, message=f"analyzer {label} failed: {error!r}")
            )
    return findings
