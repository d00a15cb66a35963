"""`b12spec schema`: the JSON Schemas of the case file, the result and the error document."""

from __future__ import annotations

import click

from b12spec.commands.common import dump_json, load_spec_or_exit
from b12spec.schema import case_schema, error_schema, result_schema


@click.command("schema")
@click.argument("document", type=click.Choice(["case", "result", "error"]), default="case")
@click.pass_context
def schema_command(ctx: click.Context, document: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a case file (generated from the data
    dictionary), of the `evaluate --json` result, or of the error document printed instead."""
    spec = load_spec_or_exit(ctx)
    if document == "case":
        click.echo(dump_json(case_schema(spec.dictionary)))
    elif document == "result":
        click.echo(dump_json(result_schema(spec)))
    else:
        click.echo(dump_json(error_schema()))

