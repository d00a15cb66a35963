"""The b12spec command line: the root group, and every command registered by name below.

Each command lives in its own module under b12spec/commands/ (shared helpers in
commands/common.py); this module only assembles them, and nothing below it imports it.

A command's module is imported when that command runs, not when the program starts: the
cohort engines (pandas, DuckDB, Spark), the site builder (Jinja2, Playwright) and the prover
(z3) cost over a second to import, which ``b12spec evaluate`` should not pay for
(``benchmarks/bench_cli_startup.py`` measures it). Each entry below is a plain function with
an ordinary import, so the type checker sees every command.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click


def _evaluate() -> click.Command:
    from b12spec.commands.evaluate import evaluate_command

    return evaluate_command


def _impact() -> click.Command:
    from b12spec.commands.impact import impact_command

    return impact_command


def _check() -> click.Command:
    from b12spec.commands.check import check_command

    return check_command


def _cohort() -> click.Command:
    from b12spec.commands.cohort import cohort_command

    return cohort_command


def _coverage() -> click.Command:
    from b12spec.commands.coverage import coverage_command

    return coverage_command


def _docs() -> click.Command:
    from b12spec.commands.docs import docs

    return docs


def _export() -> click.Command:
    from b12spec.commands.dmn import export_group

    return export_group


def _import() -> click.Command:
    from b12spec.commands.dmn import import_group

    return import_group


def _mutate() -> click.Command:
    from b12spec.commands.mutate import mutate_command

    return mutate_command


def _schema() -> click.Command:
    from b12spec.commands.schema import schema_command

    return schema_command


def _signoff() -> click.Command:
    from b12spec.commands.signoff import signoff_group

    return signoff_group


def _status() -> click.Command:
    from b12spec.commands.signoff import status_command

    return status_command


def _trace() -> click.Command:
    from b12spec.commands.trace import trace_group

    return trace_group


COMMANDS: Mapping[str, Callable[[], click.Command]] = {
    "evaluate": _evaluate,
    "impact": _impact,
    "check": _check,
    "cohort": _cohort,
    "coverage": _coverage,
    "docs": _docs,
    "export": _export,
    "import": _import,
    "mutate": _mutate,
    "schema": _schema,
    "signoff": _signoff,
    "status": _status,
    "trace": _trace,
}


class CommandTable(click.Group):
    """The root group: commands listed by name, each module imported when its command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        load = COMMANDS.get(cmd_name)
        return load() if load is not None else None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; the last line of defence of the fail-closed promise.

        Every command refuses bad input with its own message. An error raised on purpose that a
        command did not expect (a B12SpecError), or a file that cannot be read or written (an
        OSError: a missing directory for --output, a full disk), still ends with "error: ..." and
        exit 1, and under --json with one JSON error object on stdout: never with a traceback.
        """
        from b12spec.errors import B12SpecError

        as_json = "--json" in ctx.args  # the command's own arguments, before it runs
        try:
            return super().invoke(ctx)
        except (B12SpecError, OSError) as error:
            message = str(error) if isinstance(error, B12SpecError) else f"cannot read or write a file: {error}"
            if as_json:
                from b12spec.schema import FORMAT_VERSION

                document = {"format_version": FORMAT_VERSION, "error": message, "problems": []}
                click.echo(json.dumps(document, indent=2, ensure_ascii=False))
            click.echo(f"error: {message}", err=True)
            ctx.exit(1)


@click.group(cls=CommandTable)
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


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())
