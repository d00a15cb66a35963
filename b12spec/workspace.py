"""The one edge for files: everything b12spec reads or writes goes through this module.

The core (loader, engine, verifier, site context) takes and returns typed values; only here are
paths opened. Each format has exactly one parse function: YAML and JSON those of b12spec.safeload
(bounded in size, depth and aliases; plain data only; a key given twice refused), CSV
``parse_csv`` here. Spec files and case files are read alike, each within its limits.

Writes are atomic (a temporary file in the same directory, flushed, then renamed over the target,
so a reader or a crash sees the old file or the new one) and get the mode a plain ``open`` would
give: an existing file keeps its mode, a new one gets 0o666 less the umask.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from b12spec.errors import B12SpecError, Problem
from b12spec.loader import SPEC_FILES, SpecFiles, build_spec
from b12spec.model import Spec
from b12spec.safeload import CASE_LIMITS, SPEC_LIMITS, DataFileError, Limits, parse_json, parse_yaml, read_text
from b12spec.scenarios.gherkin import Feature, FeatureFileError, Scenario, parse_feature


def parse_csv(text: str, source: str) -> list[list[str]]:
    """The one CSV parser: rows of cells, as written."""
    rows: list[list[str]] = []
    try:
        # strict: a stray quote is an error, not a cell that silently swallows the rules after it
        rows.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise DataFileError(
            source,
            f"a quote in this row is not closed where its cell ends ({error}); "
            "the row and the rows after it cannot be read: close the quote or double it (\"\")",
            line=len(rows) + 1,
        ) from error
    return rows


def read_document(path: Path, shown: str | None = None, limits: Limits = SPEC_LIMITS) -> Any:
    """A YAML, JSON or CSV file (by suffix), parsed within ``limits``; DataFileError if it cannot be."""
    shown = shown or str(path)
    text = read_text(path, limits, shown)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(text, shown)
    return parse_json(text, shown, limits) if suffix == ".json" else parse_yaml(text, shown, limits)


# --------------------------------------------------------------------------- the spec


def read_spec_files(spec_dir: Path | str) -> SpecFiles:
    """Every file of a spec directory, parsed, keyed by its path relative to the directory."""
    root = Path(spec_dir)
    paths = [root / name for name in SPEC_FILES if (root / name).exists()]
    paths += sorted((root / "tables").glob("*.yaml")) + sorted((root / "tables").glob("*.csv"))
    documents: dict[str, Any] = {}
    problems: list[Problem] = []
    for path in paths:
        shown = path.relative_to(root).as_posix()
        try:
            documents[shown] = read_document(path, shown)
        except DataFileError as error:
            if shown.endswith(".csv"):
                problems.append(Problem(shown, error.detail, row=error.line))
            else:
                problems.append(Problem(shown, f"line {error.line}: {error.detail}" if error.line else error.detail))
    return SpecFiles(str(root), documents, tuple(problems))


def load_spec(spec_dir: Path | str) -> Spec:
    """Read and build a whole spec; raises SpecError listing every problem."""
    return build_spec(read_spec_files(spec_dir))


# --------------------------------------------------------------------------- cases and features


def read_case(path: Path, shown: str | None = None) -> Any:
    """A patient case file (YAML or JSON) as data: the one case reader of the CLI and the site."""
    return read_document(path, shown, CASE_LIMITS)


def read_shown_text(path: Path) -> str:
    """A file's text to show a reader as it is, undecodable bytes replaced (never parsed)."""
    return path.read_text(encoding="utf-8", errors="replace")


def read_features(directory: Path) -> tuple[Feature, ...]:
    """Every ``*.feature`` under ``directory`` by path, each shown as ``features/...``; none if absent."""
    return tuple(
        parse_feature(path.read_text(encoding="utf-8"), (Path(directory.name) / path.relative_to(directory)).as_posix())
        for path in sorted(directory.rglob("*.feature"))
    )


def load_scenarios(directory: Path | str) -> tuple[Scenario, ...]:
    """All scenarios of every feature under ``directory``, in file then line order, ready to run."""
    root = Path(directory)
    if not root.is_dir():
        raise FeatureFileError(str(root), "no such features directory")
    return tuple(scenario for feature in read_features(root) for scenario in feature.scenarios)


# --------------------------------------------------------------------------- writing


def to_json(data: Any) -> str:
    """The JSON text of every report and of ``--json``: indented, UTF-8, unknown objects as text."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def write_json(path: Path | str, data: Any) -> None:
    """Serialise first, so a value that cannot be written leaves the old file untouched."""
    write_text(path, to_json(data) + "\n")


def write_text(path: Path | str, text: str) -> None:
    write_atomic(Path(path), text.encode("utf-8"))


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


class WriteRefused(B12SpecError):
    """A target b12spec will not replace: something other than a regular file is there."""


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: readers see the old file or the new, never half.

    Only a regular file (or nothing) is replaced: renaming over ``/dev/null`` or a named pipe would
    put a plain file in its place (as root, ``export dmn -o /dev/full`` did). I/O failures stay
    OSError, naming the path; the command line reports them.
    """
    if path.exists() and not path.is_file():
        raise WriteRefused(f"{path} is not a regular file (a directory, device or pipe); give the path of a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else _new_file_mode()
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp).chmod(mode)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    # Make the rename itself durable where the platform allows it.
    with contextlib.suppress(OSError):
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
