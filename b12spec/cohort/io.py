"""Reading a table of patients and writing the results, chunk by chunk (the file edge).

CSV is read as text, every cell as written (cells.py says how a row spells a case), so no
reader guesses a type; Parquet keeps its column types. Both are read in chunks so a file larger
than memory streams through. Results are written to a temporary file beside the target and
renamed over it at the end: a reader never sees half a result file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from b12spec.errors import B12SpecError

FORMATS = (".csv", ".parquet")


class CohortIOError(B12SpecError):
    """A patients or results file that cannot be read or written in a known format."""


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CohortIOError(f"{path}: unknown format {suffix or '(none)'!r}; use .csv or .parquet")
    return suffix[1:]


def count_rows(path: Path) -> int | None:
    """Rows in a Parquet file from its footer; None for CSV (not known without reading it)."""
    return pq.ParquetFile(path).metadata.num_rows if file_format(path) == "parquet" else None


def read_chunks(path: Path, rows: int = 250_000) -> Iterator[pd.DataFrame]:
    """The patients file as frames of at most ``rows`` rows, in file order."""
    if file_format(path) == "parquet":
        try:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
                yield batch.to_pandas()
        except (OSError, pa.ArrowException) as error:
            raise CohortIOError(f"{path}: cannot be read as Parquet: {error}") from error
        return
    try:
        reader = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, chunksize=rows, encoding="utf-8"
        )
        yield from reader
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise CohortIOError(f"{path}: cannot be read as CSV: {error}") from error


class ResultWriter:
    """Appends result frames to a temporary file; ``commit`` renames it over the target."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = file_format(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
        self.temporary = Path(name)
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._sink: pa.OSFile | None = None

    def write(self, frame: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.format == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.temporary, table.schema)
            self._parquet.write_table(table)
        else:
            if self._csv is None:
                self._sink = pa.OSFile(str(self.temporary), "wb")
                self._csv = pacsv.CSVWriter(self._sink, table.schema)
            self._csv.write_table(table)

    def _close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()
        if self._sink is not None:
            self._sink.close()

    def commit(self) -> None:
        self._close()
        self.temporary.replace(self.path)

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self._close()
            self.temporary.unlink(missing_ok=True)
