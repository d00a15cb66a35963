"""The one edge for files: everything b12spec reads or writes goes through this module.

The core (loader, engine, verifier, site context) takes and returns typed values; only here are
paths opened. Each format has exactly one parse function (``parse_yaml``, ``parse_json``,
``parse_csv``), so a stricter parser (size, depth and alias limits) replaces one function. A
mapping that names a key twice is refused by both parsers, in spec files and case files alike:
which value was meant cannot be guessed.

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

import yaml

from b12spec.errors import B12SpecError, Problem
from b12spec.loader import SPEC_FILES, SpecFiles, build_spec
from b12spec.model import Spec
from b12spec.scenarios.gherkin import Feature, FeatureFileError, Scenario, parse_feature


class FileFormatError(B12SpecError):
    """A file that cannot be read as the format its name says (or names a key twice)."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        self.detail = message
        super().__init__(f"{file}: {message}")


class DuplicateKeyError(ValueError):
    """A mapping names the same key twice."""


def _refuse_duplicates(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(f"{key!r} is given twice ({seen[key]!r} and {value!r})")
        seen[key] = value
    return seen


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader (several times faster than pure Python), except that a repeated key is
    an error instead of 'last one wins'."""


def _mapping(loader: _Loader, node: yaml.Node) -> dict[Any, Any]:
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
    loader.flatten_mapping(node)
    return _refuse_duplicates([(loader.construct_object(k, deep=True), loader.construct_object(v, deep=True))
                               for k, v in node.value])


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse_yaml(text: str) -> Any:
    """The one YAML parser: safe types only, duplicate keys refused."""
    return yaml.load(text, Loader=_Loader)


def parse_json(text: str) -> Any:
    """The one JSON parser: duplicate keys refused."""
    return json.loads(text, object_pairs_hook=_refuse_duplicates)


def parse_csv(text: str) -> list[list[str]]:
    """The one CSV parser: rows of cells, as written."""
    return list(csv.reader(io.StringIO(text, newline="")))


_PARSERS = {".json": parse_json, ".csv": parse_csv}
_NAMES = {".json": "JSON", ".csv": "CSV"}


def read_document(path: Path, shown: str | None = None) -> Any:
    """A YAML, JSON or CSV file (by suffix), parsed; anything unreadable is a FileFormatError."""
    suffix = path.suffix.lower()
    name = _NAMES.get(suffix, "YAML")
    try:
        return _PARSERS.get(suffix, parse_yaml)(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise FileFormatError(shown or str(path), f"not UTF-8 text ({error})") from error
    except (yaml.YAMLError, json.JSONDecodeError, csv.Error, DuplicateKeyError) as error:
        raise FileFormatError(shown or str(path), f"not valid {name}: {error}") from error


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
        except FileFormatError as error:
            problems.append(Problem(shown, error.detail))
    return SpecFiles(str(root), documents, tuple(problems))


def load_spec(spec_dir: Path | str) -> Spec:
    """Read and build a whole spec; raises SpecError listing every problem."""
    return build_spec(read_spec_files(spec_dir))


# --------------------------------------------------------------------------- cases and features


def read_case(path: Path) -> Any:
    """A patient case file (YAML or JSON) as data: the one case reader of the CLI and the site."""
    return read_document(path)


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


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: readers see the old file or the new, never half."""
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
