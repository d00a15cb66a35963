"""`b12spec cohort PATIENTS -o RESULTS`: a whole population through the guideline.

Exit codes: 0 every row evaluated; 1 some rows invalid or failed (each reported with row,
field, value and what is allowed, and left without outputs), or the file or spec is unusable;
2 usage error.
"""

from __future__ import annotations

from pathlib import Path

import click
from tqdm import tqdm

from b12spec.cohort.engines import ENGINES, Engine, duckdb_engine
from b12spec.cohort.io import CohortIOError, ResultWriter, count_rows, read_chunks
from b12spec.cohort.plan import CompiledSpec, compiled
from b12spec.cohort.results import SHOWN_INVALID
from b12spec.cohort.run import run_cohort
from b12spec.cohort.validate import CohortFileError, Validated
from b12spec.cohort.vectorised import Outcomes
from b12spec.commands.common import EXIT_INVALID, dump_json, fail, load_spec_or_exit
from b12spec.errors import EvaluationError
from b12spec.workspace import write_text


def _engine(name: str) -> Engine:
    if name == "duckdb":
        import duckdb

        connection = duckdb.connect()  # one embedded database for the whole run

        def run(compiled_spec: CompiledSpec, validated: Validated) -> Outcomes:
            return duckdb_engine(compiled_spec, validated, connection)

        return run
    return ENGINES[name]


@click.command("cohort")
@click.argument("patients", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Results file, .csv or .parquet: one row per patient.")
@click.option("--engine", type=click.Choice(["duckdb", "numpy"]), default="duckdb", show_default=True,
              help="Where the compiled tables run: embedded DuckDB (SQL) or numpy in process.")
@click.option("--chunk-rows", type=click.IntRange(min=1), default=250_000, show_default=True,
              help="Rows read, validated and evaluated at a time (bounds memory).")
@click.option("--summary-json", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the summary as JSON.")
@click.option("--show-invalid", type=click.IntRange(min=0), default=SHOWN_INVALID, show_default=True,
              help="How many invalid rows to list in the printed summary (all are in the results file).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.pass_context
def cohort_command(
    ctx: click.Context, patients: Path, output: Path, engine: str, chunk_rows: int, summary_json: Path | None,
    show_invalid: int, progress: bool | None,
) -> None:
    """Evaluate every patient (row) of PATIENTS (.csv or .parquet; one column per dictionary field,
    FIELD.unit for a unit) and write each decision's outputs and kept rules per patient."""
    spec = load_spec_or_exit(ctx)
    compiled_spec = compiled(spec)
    try:
        total = count_rows(patients)
        with ResultWriter(output) as writer, tqdm(
            total=total, unit="rows", unit_scale=True, disable=None if progress is None else not progress,
            desc="patients",
        ) as bar:
            summary = run_cohort(compiled_spec, read_chunks(patients, chunk_rows), writer.write, _engine(engine),
                                 bar.update)
            writer.commit()
    except (CohortIOError, CohortFileError, EvaluationError) as error:
        fail(ctx, f"{error}")
    if summary_json is not None:
        write_text(summary_json, dump_json(summary.to_dict()) + "\n")
    click.echo(summary.render(compiled_spec, show_invalid))
    click.echo(f"\nresults: {output}")
    if summary.invalid or summary.errors:
        ctx.exit(EXIT_INVALID)

