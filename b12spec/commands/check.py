"""`b12spec check`: verify the spec statically; exit 0 when there are no errors, 1 otherwise
(with ``--strict``, warnings fail too: the test command holds the shipped spec to that)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from b12spec.commands.common import EXIT_INVALID, dump_json, spec_dir_of
from b12spec.errors import SpecError
from b12spec.loader import build_spec
from b12spec.signoff import check as signoff_check
from b12spec.verify import trace
from b12spec.verify.check import check_spec
from b12spec.verify.findings import CheckReport
from b12spec.verify.trace import TraceCoverage, coverage_of
from b12spec.workspace import read_spec_files, write_text

# Analyses beyond the tables: the sign-off ledger's history and the catalogue's trace to the source.
ANALYZERS = (*signoff_check.ANALYZERS, *trace.ANALYZERS)


def render_text(report: CheckReport, coverage: TraceCoverage | None = None) -> str:
    lines = [str(finding) for finding in report.findings]
    if coverage is not None:
        lines.append(str(coverage))
    verdict = "ok" if report.ok else "FAILED"  # --strict decides the exit code, not the wording
    lines.append(f"check {verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    return "\n".join(lines)


@click.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (reports/check.json shape).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the JSON report to this file (atomically), e.g. reports/check.json.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (the test command runs this).")
@click.pass_context
def check_command(ctx: click.Context, as_json: bool, output: Path | None, strict: bool) -> None:
    """Verify the decision tables: form, domain, wiring, gaps, overlaps, unreachable rules,
    boundaries and normal form, each finding with a witness input. Exit 1 on any error."""
    files = read_spec_files(spec_dir_of(ctx))
    report = check_spec(files, analyzers=ANALYZERS)
    try:
        coverage = coverage_of(build_spec(files))
    except SpecError:
        coverage = None
    result = report.to_dict()
    if coverage is not None:
        result["trace"] = {**asdict(coverage), "summary": str(coverage)}
    data = dump_json(result)
    if output is not None:
        write_text(output, data + "\n")
    click.echo(data if as_json else render_text(report, coverage))
    if not report.ok or (strict and report.warnings):
        ctx.exit(EXIT_INVALID)

