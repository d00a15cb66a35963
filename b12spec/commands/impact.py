"""`b12spec impact --against REV PATIENTS`: whose results a change to the spec would change.

The spec at git revision REV is taken from the repository holding the working spec (``git
archive``, read only) and compared with the working spec on every patient of PATIENTS.
Exit codes: 0 compared; 1 the revision, the file or a spec is unusable; 2 usage error.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

import click
import pandas as pd

from b12spec.cohort.impact import impact
from b12spec.cohort.io import CohortIOError, read_chunks
from b12spec.cohort.plan import compiled
from b12spec.cohort.validate import CohortFileError
from b12spec.commands.common import EXIT_INVALID, dump_json, fail, load_spec_or_exit, spec_dir_of
from b12spec.errors import SpecError
from b12spec.workspace import load_spec


class RevisionError(click.ClickException):
    exit_code = EXIT_INVALID


def spec_at_revision(spec_dir: Path, revision: str, into: Path) -> Path:
    """Unpack the spec directory as it was at ``revision`` into ``into``; returns its path."""
    spec_dir = spec_dir.resolve()

    def git(*args: str, where: Path = spec_dir) -> bytes:
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=False)
        if done.returncode:
            raise RevisionError(f"git {' '.join(args[:2])}: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout

    root = Path(git("rev-parse", "--show-toplevel").decode().strip())
    relative = spec_dir.relative_to(root).as_posix()
    git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    archive = git("archive", "--format=tar", revision, "--", relative, where=root)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / relative


@click.command("impact")
@click.option("--against", "revision", required=True, help="The git revision to compare with (e.g. HEAD~1, a tag).")
@click.argument("patients", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.pass_context
def impact_command(ctx: click.Context, revision: str, patients: Path, as_json: bool) -> None:
    """Count the PATIENTS (.csv or .parquet) whose results differ between the spec at REV and the
    working spec, by decision and by change of rules, with example rows."""
    after = load_spec_or_exit(ctx)
    spec_dir = spec_dir_of(ctx)
    with tempfile.TemporaryDirectory() as folder:
        try:
            before = load_spec(spec_at_revision(spec_dir, revision, Path(folder)))
        except SpecError as error:
            fail(ctx, f"the spec at {revision} is not valid:\n{error}")
    try:
        frame = pd.concat(list(read_chunks(patients)), ignore_index=True)
        found = impact(compiled(before), compiled(after), frame)
    except (CohortIOError, CohortFileError) as error:
        fail(ctx, f"{error}")
    click.echo(dump_json(found.to_dict()) if as_json else f"spec at {revision} -> working spec\n" + found.render())

