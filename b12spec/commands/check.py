"""`b12spec check`: verify the spec statically; exit 0 when there are no errors, 1 otherwise
(with ``--strict``, warnings fail too: the test command holds the shipped spec to that)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from b12spec.cli import EXIT_INVALID, default_spec_dir, dump_json
from b12spec.errors import B12SpecError
from b12spec.files import write_text_atomic
from b12spec.loader import load_spec
from b12spec.verify.check import check_spec
from b12spec.verify.findings import CheckReport
from b12spec.verify.prover import prove_spec, summary
from b12spec.verify.trace import TraceCoverage, coverage_of


def render_text(report: CheckReport, trace: TraceCoverage | None = None, properties: str = "") -> str:
    lines = [str(finding) for finding in report.findings]
    if trace is not None:
        lines.append(str(trace))
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
    spec_dir = ctx.find_root().params.get("spec_dir") or default_spec_dir()
    report = check_spec(spec_dir)
    trace = coverage_of(spec_dir)
    result = report.to_dict()
    if trace is not None:
        result["trace"] = {**asdict(trace), "summary": str(trace)}
    properties = _properties(spec_dir)
    if properties is not None:
        result["properties"] = {"summary": properties[0], "proofs": properties[1]}
    data = dump_json(result)
    if output is not None:
        write_text_atomic(output, data + "\n")
    click.echo(data if as_json else render_text(report, trace, properties[0] if properties else ""))
    if not report.ok or (strict and report.warnings):
        ctx.exit(EXIT_INVALID)


def _properties(spec_dir: Path) -> tuple[str, list[dict[str, object]]] | None:
    """The proof summary and verdicts (already proven by the check analyzer, so not proven twice);
    None when the spec does not load (the findings say why) or has no properties."""
    try:
        spec = load_spec(spec_dir)
        proofs, seconds = prove_spec(spec)
    except B12SpecError:
        return None
    if not proofs:
        return None
    return summary(proofs, seconds), [p.to_dict() for p in proofs]


COMMANDS = [check_command]
