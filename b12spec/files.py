"""Atomic writes, the one way b12spec writes a file: reports, generated pages, the ledger.

A temporary file in the same directory, flushed to disk, then renamed over the target: a reader
(or a crash) sees the old file or the new one, never half of either.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_text_atomic(path: Path | str, text: str) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def to_json(data: Any) -> str:
    """The JSON text of every report and of ``--json``: indented, UTF-8, unknown objects as text."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def write_json_atomic(path: Path | str, data: Any) -> None:
    """Serialise first, so a value that cannot be written leaves the old file untouched."""
    write_text_atomic(path, to_json(data) + "\n")
