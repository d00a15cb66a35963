"""Writing an imported spec: each file atomically, into a directory that holds no spec yet."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from b12spec.errors import B12SpecError
from b12spec.workspace import write_text


class SpecDirectoryError(B12SpecError):
    """The target already holds files: an import never overwrites a spec."""


def write_spec_files(files: Mapping[str, str], directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise SpecDirectoryError(f"{directory} is not empty; import into a new or empty directory")
    for relative, text in files.items():
        write_text(directory / relative, text)
