"""The b12spec command line: the root group, and every command registered by name below.

Each command lives in its own module under b12spec/commands/ (shared helpers in
commands/common.py); this module only assembles them, and nothing below it imports it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from b12spec.commands.check import check_command
from b12spec.commands.cohort import cohort_command
from b12spec.commands.coverage import coverage_command
from b12spec.commands.dmn import export_group, import_group
from b12spec.commands.docs import docs
from b12spec.commands.evaluate import evaluate_command
from b12spec.commands.impact import impact_command
from b12spec.commands.mutate import mutate_command
from b12spec.commands.schema import schema_command
from b12spec.commands.signoff import signoff_group, status_command
from b12spec.commands.trace import trace_group


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


COMMANDS = (
    evaluate_command,
    impact_command,
    check_command,
    cohort_command,
    coverage_command,
    docs,
    export_group,
    import_group,
    mutate_command,
    schema_command,
    signoff_group,
    status_command,
    trace_group,
)
for _command in COMMANDS:
    main.add_command(_command)


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())
