"""``b12spec export dmn``, ``b12spec import dmn`` and ``b12spec export tck``: DMN 1.3 interchange.

Export writes the whole guideline as one DMN model (to stdout or a file); import turns a DMN
model's decision tables into a new spec directory and refuses, naming the element, anything
b12spec does not execute; ``export tck`` writes the model and the scenarios as DMN TCK test cases.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from b12spec.commands.common import EXIT_INVALID, fail, features_option, load_spec_or_exit
from b12spec.dmn.export import export_dmn
from b12spec.dmn.importer import import_dmn
from b12spec.dmn.spec_files import write_spec_files
from b12spec.dmn.tckexport import MODEL_FILE, export_tck
from b12spec.errors import B12SpecError
from b12spec.scenarios import run_scenarios
from b12spec.workspace import load_scenarios, write_text


@click.group("export")
def export_group() -> None:
    """Export the guideline in an interchange format."""


@click.group("import")
def import_group() -> None:
    """Import a model from an interchange format into a new spec directory."""


@export_group.command("dmn")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the model to this file (atomically) instead of standard output.",
)
@click.pass_context
def export_dmn_command(ctx: click.Context, output: Path | None) -> None:
    """The whole guideline as one DMN 1.3 model (valid by the OMG schema DMN13.xsd)."""
    spec = load_spec_or_exit(ctx)
    try:
        document = export_dmn(spec)
    except B12SpecError as error:
        fail(ctx, f"{error}")
    if output is None:
        sys.stdout.buffer.write(document)
    else:
        write_text(output, document.decode("utf-8"))
        click.echo(f"wrote {output}: {len(spec.tables)} decisions, {len(spec.dictionary.fields)} input data", err=True)


@import_group.command("dmn")
@click.argument("model_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The new spec directory (must not exist yet, or be empty).",
)
@click.pass_context
def import_dmn_command(ctx: click.Context, model_file: Path, output_dir: Path) -> None:
    """A DMN 1.3 model's decision tables as a spec directory; anything else is refused."""
    try:
        files = import_dmn(model_file.read_bytes(), model_file.name)
        write_spec_files(files, output_dir)
    except B12SpecError as error:
        fail(ctx, f"{model_file}: {error}")
    tables = sum(1 for name in files if name.startswith("tables/") and name.endswith(".csv"))
    click.echo(f"imported {tables} decision table(s) into {output_dir}")


@export_group.command("tck")
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/tck"),
    show_default=True,
    help="The directory for the model and the test files.",
)
@features_option
@click.pass_context
def export_tck_command(ctx: click.Context, output_dir: Path, features_dir: Path) -> None:
    """The model and the Gherkin scenarios as DMN TCK test-case files (testCases.xsd)."""
    spec = load_spec_or_exit(ctx)
    try:
        scenarios = load_scenarios(features_dir)
        document = export_dmn(spec)
    except B12SpecError as error:
        fail(ctx, f"{error}")
    result = export_tck(spec, scenarios, run_scenarios(spec, scenarios))
    write_text(output_dir / MODEL_FILE, document.decode("utf-8"))
    for name, body in result.files.items():
        write_text(output_dir / name, body.decode("utf-8"))
    click.echo(
        f"wrote {output_dir}: {MODEL_FILE} and {len(result.files)} test file(s), {result.cases} test case(s); "
        f"left out {len(result.refused)} scenario(s) whose case is refused and {len(result.failed)} failing"
    )
    for label in result.failed:
        click.echo(f"  failing, left out: {label}", err=True)
    if result.failed:
        ctx.exit(EXIT_INVALID)

