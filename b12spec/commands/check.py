"""`b12spec check`: verify the spec statically; exit 0 when there are no errors, 1 otherwise
(with ``--strict``, warnings fail too: the test command holds the shipped spec to that)."""

from __future__ import annotations

from pathlib import Path

import click

from b12spec.commands.common import EXIT_INVALID, dump_json, spec_dir_of
from b12spec.signoff.check import ANALYZERS
from b12spec.verify.check import check_spec
from b12spec.verify.findings import CheckReport
from b12spec.workspace import read_spec_files, write_text


def render_text(report: CheckReport) -> str:
    lines = [str(finding) for finding in report.findings]
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
    report = check_spec(read_spec_files(spec_dir_of(ctx)), analyzers=ANALYZERS)
    data = dump_json(report.to_dict())
    if output is not None:
        write_text(output, data + "\n")
    click.echo(data if as_json else render_text(report))
    if not report.ok or (strict and report.warnings):
        ctx.exit(EXIT_INVALID)

