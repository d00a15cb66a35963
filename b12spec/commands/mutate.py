"""``b12spec mutate``: how many small slips in the tables would the Gherkin features catch?

Exit codes: 0 when every mutant is killed or proven equivalent, 1 when any survives (or the
scenarios fail on the unmutated spec, or the spec is invalid), 2 on usage errors.
"""

from __future__ import annotations

from pathlib import Path

import click

from b12spec.commands.common import EXIT_INVALID, dump_json, fail, load_spec_or_exit
from b12spec.errors import B12SpecError
from b12spec.mutate.report import render_summary, run_to_dict
from b12spec.mutate.runner import BaselineFailure, run_mutation
from b12spec.scenarios import run_scenario
from b12spec.verify.equivalence import equivalent
from b12spec.workspace import load_scenarios, write_json

DEFAULT_OUTPUT = Path("reports/mutation.json")


@click.command("mutate")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of the summary.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where to write the JSON report.",
)
@click.option("--table", "tables", multiple=True, help="Mutate only this decision table (repeatable).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option(
    "--features",
    "features_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The Gherkin features directory (default: features/ beside the spec directory).",
)
@click.pass_context
def mutate_command(
    ctx: click.Context, as_json: bool, output: Path, tables: tuple[str, ...], jobs: int, features_dir: Path | None
) -> None:
    """Mutate the decision tables one slip at a time and run the Gherkin scenarios against each."""
    spec = load_spec_or_exit(ctx, as_json)
    known = {table.name for table in spec.tables}
    unknown = [name for name in tables if name not in known]
    if unknown:
        raise click.BadParameter(
            f"no decision table named {', '.join(unknown)}; known: {', '.join(sorted(known))}", param_hint="--table"
        )
    directory = features_dir or Path(spec.root).resolve().parent / "features"
    try:
        scenarios = load_scenarios(directory)
    except (B12SpecError, OSError) as error:
        fail(ctx, f"cannot load the scenarios in {directory}: {error}")
        return
    try:
        run = run_mutation(
            spec, scenarios, run_scenario=run_scenario, equivalent=equivalent, tables=tables or None, jobs=jobs
        )
    except BaselineFailure as error:
        fail(ctx, f"mutation testing aborted: {error}")
        return
    report = run_to_dict(run)
    write_json(output, report)
    if as_json:
        click.echo(dump_json(report))
    else:
        click.echo(render_summary(run))
        click.echo(f"report written to {output}")
    if not run.ok:
        ctx.exit(EXIT_INVALID)

