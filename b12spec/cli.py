"""The b12spec command line: files, printing and exit codes live here and nowhere else.

Exit codes: 0 success, 1 invalid input or spec (nothing recommended), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from b12spec.errors import B12SpecError, SpecError, shorten
from b12spec.evaluate import evaluate
from b12spec.loader import load_spec
from b12spec.model import Spec
from b12spec.report import evaluation_to_dict, render_text
from b12spec.safeload import CASE_LIMITS, DataFileError, load_file
from b12spec.schema import FORMAT_VERSION
from b12spec.sourcetext import SourceText, SourceTextError
from b12spec.verify.trace import load_source

EXIT_INVALID = 1


def default_spec_dir() -> Path:
    """./spec when run from a checkout, else the spec beside the installed package."""
    here = Path.cwd() / "spec"
    if (here / "guideline.yaml").exists():
        return here
    return Path(__file__).resolve().parent.parent / "spec"


def load_spec_or_exit(ctx: click.Context, as_json: bool = False) -> Spec:
    """Load the spec named by --spec; a malformed spec ends the command with exit 1."""
    spec_dir = ctx.find_root().params.get("spec_dir") or default_spec_dir()
    try:
        return load_spec(spec_dir)
    except SpecError as error:
        problems = [{"location": str(p.location), "problem": p.detail} for p in getattr(error, "problems", (error,))]
        refuse(ctx, f"invalid spec in {spec_dir}:\n{error}", problems, as_json)
        raise  # unreachable: refuse exits


def refuse(ctx: click.Context, message: str, problems: list[dict[str, Any]], as_json: bool) -> None:
    """End the command with exit 1; with --json stdout still carries one JSON object saying why."""
    if as_json:
        click.echo(dump_json({"format_version": FORMAT_VERSION, "error": message, "problems": problems}))
    click.echo(f"error: {message}", err=True)
    ctx.exit(EXIT_INVALID)


def read_case(path: Path) -> Any:
    """A case file in YAML or JSON, parsed within the case limits; DataFileError if it cannot be."""
    return load_file(path, CASE_LIMITS)


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


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


@click.group()
@click.option(
    "--spec",
    "spec_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The spec directory (default: ./spec).",
)
@click.version_option(package_name="b12spec")
def main(spec_dir: Path | None) -> None:
    """b12spec: the vitamin B12 deficiency guideline as executable decision tables."""


@main.command("evaluate")
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
    except B12SpecError as error:
        problems = [
            {"field": p.field, "value": shorten(p.value), "allowed": p.allowed} for p in getattr(error, "problems", ())
        ]
        refuse(ctx, str(error), problems, as_json)
    if as_json:
        click.echo(dump_json(evaluation_to_dict(spec, evaluation)))
    else:
        click.echo(render_text(spec, evaluation, case_name=str(case_file), source=source_or_none(spec)))


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())


# Each further command lives in its own module under b12spec/commands/ and is registered here,
# one line each, so the modules stay independent of one another.
def _register_commands() -> None:
    import importlib
    import pkgutil

    import b12spec.commands as commands

    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"b12spec.commands.{module_info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register_commands()
