"""``b12spec evaluate CASE_FILE``: one patient case in, a cited recommendation (or a refusal) out."""

from __future__ import annotations

from pathlib import Path

import click

from b12spec.commands.common import dump_json, load_spec_or_exit, refuse, source_or_none
from b12spec.errors import B12SpecError, CaseError, shorten
from b12spec.evaluate import evaluate
from b12spec.report import evaluation_to_dict, render_text
from b12spec.safeload import DataFileError
from b12spec.workspace import read_case


@click.command("evaluate")
@click.argument("case_file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON (an error too, with exit 1).")
@click.pass_context
def evaluate_command(ctx: click.Context, case_file: Path, as_json: bool) -> None:
    """Evaluate a patient CASE_FILE (YAML or JSON) and print a cited recommendation."""
    spec = load_spec_or_exit(ctx, as_json)
    try:
        raw = read_case(case_file)
    except DataFileError as error:
        line = f" (line {error.line})" if error.line else ""
        problem = {"field": "(case file)", "value": str(case_file), "allowed": error.detail, "line": error.line}
        refuse(ctx, f"{case_file} cannot be read as a case (YAML or JSON){line}: {error.detail}", [problem], as_json)
    try:
        evaluation = evaluate(spec, raw)
        # The report reads the spec's warning policy too: a broken one refuses here, not as a traceback.
        if as_json:
            shown = dump_json(evaluation_to_dict(spec, evaluation))
        else:
            shown = render_text(spec, evaluation, case_name=str(case_file), source=source_or_none(spec))
    except B12SpecError as error:
        problems = error.problems if isinstance(error, CaseError) else ()
        listed = [{"field": p.field, "value": shorten(p.value), "allowed": p.allowed} for p in problems]
        refuse(ctx, str(error), listed, as_json)
    click.echo(shown)
