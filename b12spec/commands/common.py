"""What every command shares: the spec directory, loading it or exiting, JSON output, exit codes.

Exit codes: 0 success, 1 invalid input or spec (nothing recommended), 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import click

from b12spec.errors import SpecError
from b12spec.model import Spec
from b12spec.schema import FORMAT_VERSION
from b12spec.sourcetext import SourceText, SourceTextError
from b12spec.verify.trace import load_source
from b12spec.workspace import load_spec, to_json

EXIT_INVALID = 1
dump_json = to_json


def spec_dir_of(ctx: click.Context) -> Path:
    """The directory named by --spec; else ./spec in a checkout, else the spec beside the package."""
    given: Path | None = ctx.find_root().params.get("spec_dir")
    if given is not None:
        return given
    here = Path.cwd() / "spec"
    return here if (here / "guideline.yaml").exists() else Path(__file__).resolve().parents[2] / "spec"


def load_spec_or_exit(ctx: click.Context, as_json: bool = False) -> Spec:
    """Load the spec named by --spec; a malformed spec ends the command with exit 1."""
    spec_dir = spec_dir_of(ctx)
    try:
        return load_spec(spec_dir)
    except SpecError as error:
        problems = [{"location": p.location, "problem": p.message} for p in error.problems]
        refuse(ctx, f"invalid spec in {spec_dir}:\n{error}", problems, as_json)


def source_or_none(spec: Spec) -> SourceText | None:
    """The guideline's source text for showing its words; None (with a note) when unreadable.

    Showing the words is a courtesy to the reader: a recommendation never depends on them, and
    ``b12spec check`` is where a missing or changed source fails.
    """
    try:
        return load_source(spec)
    except SourceTextError as error:
        click.echo(f"note: the source's words are not shown: {error}", err=True)
        return None


def fail(ctx: click.Context, message: str) -> NoReturn:
    """End the command with exit 1, saying why on stderr."""
    click.echo(f"error: {message}", err=True)
    ctx.exit(EXIT_INVALID)


def refuse(ctx: click.Context, message: str, problems: list[dict[str, Any]], as_json: bool) -> NoReturn:
    """End the command with exit 1; with --json stdout still carries one JSON object saying why."""
    if as_json:
        click.echo(dump_json({"format_version": FORMAT_VERSION, "error": message, "problems": problems}))
    fail(ctx, message)


features_option = click.option(
    "--features",
    "features_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("features"),
    show_default=True,
    help="The directory of .feature files.",
)
