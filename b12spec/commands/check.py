"""`b12spec check`: verify the spec statically; exit 0 when there are no errors, 1 otherwise
(with ``--strict``, warnings fail too: the test command holds the shipped spec to that)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from b12spec.commands.common import EXIT_INVALID, dump_json, spec_dir_of
from b12spec.errors import B12SpecError
from b12spec.model import Spec
from b12spec.signoff import check as signoff_check
from b12spec.verify import contract, prover, trace
from b12spec.verify.check import check_and_build
from b12spec.verify.findings import CheckReport
from b12spec.verify.prover import prove_spec, summary
from b12spec.verify.trace import TraceCoverage, coverage_of
from b12spec.workspace import read_spec_files, write_text

# Analyses beyond the tables: the sign-off ledger's history, the catalogue's trace to the source,
# the guideline-wide properties and the declared warnings of the result contract.
ANALYZERS = (*signoff_check.ANALYZERS, *trace.ANALYZERS, *prover.ANALYZERS, *contract.ANALYZERS)


def render_text(report: CheckReport, coverage: TraceCoverage | None = None, properties: str = "") -> str:
    lines = [str(finding) for finding in report.findings]
    if coverage is not None:
        lines.append(str(coverage))
    if properties:
        lines.append(properties)
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
    report, spec = check_and_build(files, analyzers=ANALYZERS)
    coverage = coverage_of(spec) if spec is not None else None
    result = report.to_dict()
    if coverage is not None:
        result["trace"] = {**asdict(coverage), "summary": str(coverage)}
    properties = _properties(spec)
    if properties is not None:
        result["properties"] = {"summary": properties[0], "proofs": properties[1]}
    failed = not report.ok or (strict and bool(report.warnings))
    if failed:  # one key tells a script why exit 1, as every other command's --json refusal does
        why = "errors" if not report.ok else "warnings (--strict)"
        result["error"] = (
            f"check failed on {why}: {len(report.errors)} error(s), {len(report.warnings)} warning(s); see findings"
        )
    data = dump_json(result)
    if output is not None:
        write_text(output, data + "\n")
    click.echo(data if as_json else render_text(report, coverage, properties[0] if properties else ""))
    if failed:
        ctx.exit(EXIT_INVALID)


def _properties(spec: Spec | None) -> tuple[str, list[dict[str, object]]] | None:
    """The proof summary and verdicts (already proven by the check analyzer, so not proven twice);
    None when the spec does not load (the findings say why) or has no properties."""
    if spec is None:
        return None
    try:
        proofs, seconds = prove_spec(spec)
    except B12SpecError:
        return None
    if not proofs:
        return None
    return summary(proofs, seconds), [p.to_dict() for p in proofs]

