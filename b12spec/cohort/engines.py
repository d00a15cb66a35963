"""Where a cohort's tables run: numpy in process, or the compiled SQL on DuckDB or Spark.

All three take the validated columns and return the same thing, each decision's outcome index
for every row, so they can be swapped and compared. DuckDB is embedded (no server); with the
file read in chunks it evaluates cohorts larger than memory. Spark runs the very same SQL text
when one machine is not enough.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.sql import ROW_ID, column_name, compile_sql, outcome_column
from b12spec.cohort.validate import Validated
from b12spec.cohort.vectorised import Outcomes, evaluate_validated
from b12spec.errors import B12SpecError
from b12spec.model import FieldType

Engine = Callable[[CompiledSpec, Validated], Outcomes]
SOURCE = "cohort_patients"


class EngineError(B12SpecError):
    """An engine could not run or returned something other than one outcome per row."""


def arrow_source(compiled_spec: CompiledSpec, validated: Validated) -> pa.Table:
    """The validated columns as SQL sees them: canonical numbers, booleans, text; nulls as nulls."""
    dictionary = compiled_spec.spec.dictionary
    arrays: dict[str, pa.Array] = {ROW_ID: pa.array(np.arange(validated.rows, dtype=np.int64))}
    for name in compiled_spec.fields:
        field = dictionary.get(name)
        assert field is not None
        values = validated.columns[name]
        if field.type is FieldType.NUMBER:
            arrays[column_name(name)] = pa.array(values, mask=np.isnan(values), type=pa.float64())
        elif field.type is FieldType.BOOLEAN:
            arrays[column_name(name)] = pa.array(values == 1, mask=values < 0, type=pa.bool_())
        else:
            texts = np.asarray([*field.values, ""], dtype=object)[values]
            arrays[column_name(name)] = pa.array(texts, mask=values < 0, type=pa.string())
    return pa.table(arrays)


def _collect(
    compiled_spec: CompiledSpec, rows: int, row_ids: np.ndarray, columns: dict[str, Any],
    decisions: Sequence[str] | None = None,
) -> Outcomes:
    if len(row_ids) != rows:
        raise EngineError(f"the engine returned {len(row_ids)} rows for {rows} patients")
    found: dict[str, np.ndarray] = {}
    for name in decisions or compiled_spec.plans:
        values = np.asarray(columns[outcome_column(name)])
        if values.dtype == object or np.ma.isMaskedArray(columns[outcome_column(name)]):
            raise EngineError(f"decision {name!r}: a row's pattern of matched rules has no outcome")
        ids = np.empty(rows, dtype=np.int32)
        ids[row_ids] = values
        found[name] = ids
    return Outcomes(found)


def numpy_engine(compiled_spec: CompiledSpec, validated: Validated) -> Outcomes:
    return evaluate_validated(compiled_spec, validated)


def duckdb_engine(compiled_spec: CompiledSpec, validated: Validated, connection: Any = None) -> Outcomes:
    return run_duckdb(compiled_spec, arrow_source(compiled_spec, validated), connection)


def run_duckdb(
    compiled_spec: CompiledSpec, source: pa.Table, connection: Any = None, decisions: Sequence[str] | None = None
) -> Outcomes:
    """The compiled SQL over an Arrow table of canonical columns (row_id, c_...) on DuckDB."""
    import duckdb

    con = connection or duckdb.connect()
    try:
        con.register(SOURCE, source)
        result = con.execute(compile_sql(compiled_spec, SOURCE, decisions)).fetchnumpy()
        con.unregister(SOURCE)
    finally:
        if connection is None:
            con.close()
    return _collect(compiled_spec, source.num_rows, np.asarray(result[ROW_ID]), result, decisions)


def spark_engine(compiled_spec: CompiledSpec, validated: Validated, session: Any) -> Outcomes:
    """The same SQL on a Spark session (the caller starts and stops it)."""
    return run_spark(compiled_spec, arrow_source(compiled_spec, validated), session)


def run_spark(
    compiled_spec: CompiledSpec, source: pa.Table, session: Any, decisions: Sequence[str] | None = None
) -> Outcomes:
    session.createDataFrame(source).createOrReplaceTempView(SOURCE)  # Arrow keeps nulls apart from NaN
    result = session.sql(compile_sql(compiled_spec, SOURCE, decisions)).toPandas()
    columns = {c: result[c].to_numpy() for c in result.columns}
    return _collect(compiled_spec, source.num_rows, result[ROW_ID].to_numpy(dtype=np.int64), columns, decisions)


ENGINES: dict[str, Engine] = {"numpy": numpy_engine, "duckdb": duckdb_engine}
