"""The b12spec command line: files, printing and exit codes live here and nowhere else.

Exit codes: 0 success, 1 invalid input or spec (nothing recommended), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from b12spec.errors import B12SpecError, CaseError, SpecError
from b12spec.evaluate import evaluate
from b12spec.loader import load_spec
from b12spec.model import Spec
from b12spec.report import evaluation_to_dict, render_text

EXIT_INVALID = 1


def default_spec_dir() -> Path:
    """./spec when run from a checkout, else the spec beside the installed package."""
    here = Path.cwd() / "spec"
    if (here / "guideline.yaml").exists():
        return here
    return Path(__file__).resolve().parent.parent / "spec"


def load_spec_or_exit(ctx: click.Context) -> Spec:
    """Load the spec named by --spec; a malformed spec ends the command with exit 1."""
    spec_dir = ctx.find_root().params.get("spec_dir") or default_spec_dir()
    try:
        return load_spec(spec_dir)
    except SpecError as error:
        click.echo(f"error: invalid spec in {spec_dir}:\n{error}", err=True)
        ctx.exit(EXIT_INVALID)
        raise  # unreachable: ctx.exit raises


class DuplicateFieldError(ValueError):
    """A case file names the same field twice: which value was meant cannot be guessed."""


def _refuse_duplicates(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateFieldError(f"field {key!r} is given twice ({seen[key]!r} and {value!r})")
        seen[key] = value
    return seen


class _CaseLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a repeated key is an error instead of 'last one wins'."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        pairs = [(self.construct_object(k, deep=deep), self.construct_object(v, deep=deep)) for k, v in node.value]
        return _refuse_duplicates(pairs)


_CaseLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: loader.construct_mapping(node, deep=True),  # type: ignore[arg-type]
)


def read_case(path: Path) -> Any:
    """A case file in YAML or JSON; anything unreadable, or a field given twice, is invalid input."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".json":
            return json.loads(text, object_pairs_hook=_refuse_duplicates)
        return yaml.load(text, Loader=_CaseLoader)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError, DuplicateFieldError) as error:
        raise CaseError([]) from error


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
@click.argument("case_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.pass_context
def evaluate_command(ctx: click.Context, case_file: Path, as_json: bool) -> None:
    """Evaluate a patient CASE_FILE (YAML or JSON) and print a cited recommendation."""
    spec = load_spec_or_exit(ctx)
    try:
        raw = read_case(case_file)
    except CaseError as error:
        click.echo(f"error: {case_file} cannot be read as a case (YAML or JSON): {error.__cause__}", err=True)
        ctx.exit(EXIT_INVALID)
    try:
        evaluation = evaluate(spec, raw)
    except B12SpecError as error:
        if as_json:
            problems = [
                {"field": p.field, "value": p.value, "allowed": p.allowed} for p in getattr(error, "problems", ())
            ]
            click.echo(dump_json({"error": str(error), "problems": problems}))
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_INVALID)
    if as_json:
        click.echo(dump_json(evaluation_to_dict(spec, evaluation)))
    else:
        click.echo(render_text(spec, evaluation, case_name=str(case_file)))


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
