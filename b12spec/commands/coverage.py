"""``b12spec coverage``: run every Gherkin scenario in process and measure how well the
scenarios exercise each decision table; exit 1 when any measure is below 100 %."""

from __future__ import annotations

from pathlib import Path

import click

from b12spec.commands.common import EXIT_INVALID, dump_json, fail, features_option, load_spec_or_exit
from b12spec.coverage import measure, render_text, report_to_dict
from b12spec.errors import B12SpecError
from b12spec.scenarios import run_scenarios, scenario_record
from b12spec.workspace import load_scenarios, write_json, write_text


@click.command("coverage")
@click.option("--json", "as_json", is_flag=True, help="Print the coverage as JSON (reports/coverage.json contract).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the JSON report to this file (atomically), e.g. reports/coverage.json.",
)
@features_option
@click.option(
    "--scenario-results",
    "results_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write each scenario's result and fired rules (atomically), e.g. reports/scenario-results.json.",
)
@click.option("--quiet", is_flag=True, help="Text output: leave out the scenarios covering each rule.")
@click.pass_context
def coverage_command(
    ctx: click.Context,
    as_json: bool,
    output: Path | None,
    features_dir: Path,
    results_path: Path | None,
    quiet: bool,
) -> None:
    """Run the features against the spec and report rule, boundary, MC/DC and input-value
    coverage per decision table. Exits 1 when any of them is below 100 % or a scenario fails."""
    spec = load_spec_or_exit(ctx, as_json)
    try:
        scenarios = load_scenarios(features_dir)
    except B12SpecError as error:
        fail(ctx, f"{error}")
    outcomes = run_scenarios(spec, scenarios)
    if results_path is not None:
        records = [scenario_record(s, o.passed, o.rules) for s, o in zip(scenarios, outcomes, strict=True)]
        write_json(results_path, {"scenarios": records})
    report = measure(spec, outcomes)
    data = dump_json(report_to_dict(report))
    if output is not None:
        write_text(output, data + "\n")
    click.echo(data if as_json else render_text(report, show_scenarios=not quiet))
    if not report.ok:
        ctx.exit(EXIT_INVALID)

