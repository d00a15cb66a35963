"""Columnar validation: the validator's rules over whole columns, derived from the dictionary.

Every check of ``b12spec.case.validate_case`` is applied here to a column at once, from the same
``DataField`` (range, units and their factors, enumeration values, required) and the same
``Contradiction`` tests: a boolean array per field says which rows have a problem with it. The
wording of a problem is never produced here: for the few invalid rows the cohort report asks the
single-case validator itself (``explain``), so there is one definition of validity and of its
messages, and the tests hold the columnar verdict to the single-case verdict row by row.

Speed comes from judging each *distinct* value once: an enumeration, a boolean or a unit column
holds a handful of distinct values however many rows it has, so each is read by the scalar cell
convention (cells.py) and the verdict is spread back to the rows by their codes. Numbers are
judged with numpy (ranges, unit factors); numbers written as text are parsed by Arrow.

Valid values come out typed for the vectorised engine: numbers as float64 in the canonical unit
(NaN when not given), booleans as int8 (1, 0, -1 when not given), enumerations as int16 codes
into the field's values (-1 when not given).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b12spec.case import _CONVERSION_DECIMALS, validate_case
from b12spec.cohort.atoms import AtomCodec
from b12spec.cohort.cells import PLAIN_NUMBER, UNIT_SUFFIX, boolean_of, case_of_row, is_missing, number_of
from b12spec.errors import B12SpecError, CaseError, CaseProblem, closest
from b12spec.model import DataDictionary, DataField, FieldType

MISSING, BAD = -1, -2  # codes of a distinct value that is not given, or not allowed


class CohortFileError(B12SpecError):
    """The table of patients itself is unusable (an unknown column): no row is evaluated."""


@dataclass
class Validated:
    """The typed columns of the valid rows' values, and which rows have problems with which fields."""

    rows: int
    columns: dict[str, np.ndarray]
    problems: dict[str, np.ndarray] = field(default_factory=dict)  # field (or field.unit) -> rows
    atoms: dict[str, np.ndarray] = field(default_factory=dict)  # atom indices, computed once per field

    @property
    def invalid(self) -> np.ndarray:
        found = np.zeros(self.rows, dtype=bool)
        for rows in self.problems.values():
            found |= rows
        return found

    def flag(self, name: str, rows: np.ndarray) -> None:
        if rows.any():
            self.problems[name] = self.problems[name] | rows if name in self.problems else rows


def check_columns(frame: pd.DataFrame, dictionary: DataDictionary) -> None:
    """Refuse a file whose columns are not dictionary fields (or FIELD.unit beside a number field)."""
    for label in frame.columns:
        name = str(label)
        base = name[: -len(UNIT_SUFFIX)] if name.endswith(UNIT_SUFFIX) else None
        if dictionary.get(name) is not None:
            continue
        if base is not None and (f := dictionary.get(base)) is not None and f.type is FieldType.NUMBER:
            continue
        hint = closest(name, dictionary.names)
        allowed = f"did you mean {hint!r}?" if hint is not None else "fields: " + ", ".join(dictionary.names)
        raise CohortFileError(f"column {name!r} is not a field of the data dictionary ({allowed})")


def distinct(column: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Each row's index among the column's distinct values (-1 where missing), and those values.

    A column of mixed Python objects is tagged with each value's type first, so that true and 1
    (equal in Python) stay two values, as they are two different cells.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(dtype=np.int64, copy=True), list(column.cat.categories)
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) not in ("string", "empty", "boolean"):
        tagged = column.map(lambda v: None if is_missing(v) else (type(v).__name__, v))
        codes, uniques = pd.factorize(tagged, use_na_sentinel=True)
        return np.asarray(codes, dtype=np.int64), [u[1] for u in uniques]
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), list(uniques)


def per_value(column: pd.Series, judge: Callable[[object], int]) -> np.ndarray:
    """``judge`` applied once per distinct value (MISSING for a missing one), spread to the rows."""
    codes, values = distinct(column)
    table = np.asarray([MISSING if is_missing(v) else judge(v) for v in values] + [MISSING], dtype=np.int64)
    found: np.ndarray = table[codes]
    return found


def validate_columns(frame: pd.DataFrame, dictionary: DataDictionary, codecs: Mapping[str, AtomCodec]) -> Validated:
    """Validate every row at once; ``codecs`` supply the contradictions' tests as atom look-ups."""
    check_columns(frame, dictionary)
    rows = len(frame)
    result = Validated(rows, {})
    troubled: dict[str, np.ndarray] = {}
    for data_field in dictionary.fields:
        name = data_field.name
        if name in frame.columns:
            values, given, bad, unit_bad = _field(data_field, frame[name].reset_index(drop=True), frame)
        else:
            values, given = _empty(data_field, rows), np.zeros(rows, dtype=bool)
            bad = unit_bad = np.zeros(rows, dtype=bool)
        result.flag(name, bad | (~given if data_field.required else np.zeros(rows, dtype=bool)))
        result.flag(name + UNIT_SUFFIX, unit_bad)
        troubled[name] = bad | unit_bad | (~given if data_field.required else np.zeros(rows, dtype=bool))
        result.columns[name] = values
    for contradiction in dictionary.contradictions:
        if not contradiction.when:
            continue
        hit = np.ones(rows, dtype=bool)
        for name, test in contradiction.when:
            hit &= ~troubled[name]
            if name not in result.atoms:
                result.atoms[name] = atoms_of(dictionary.get(name), result.columns[name], codecs[name])
            hit &= codecs[name].test_table(test)[result.atoms[name]]
        result.flag(" + ".join(name for name, _ in contradiction.when), hit)
    return result


def _empty(data_field: DataField, rows: int) -> np.ndarray:
    if data_field.type is FieldType.NUMBER:
        return np.full(rows, np.nan)
    if data_field.type is FieldType.BOOLEAN:
        return np.full(rows, -1, dtype=np.int8)
    return np.full(rows, -1, dtype=np.int16)


def _field(data_field: DataField, column: pd.Series, frame: pd.DataFrame) -> Columns:
    """(typed values, rows given, rows refused, rows with an unknown unit) for one field."""
    rows = len(column)
    no_unit_problem = np.zeros(rows, dtype=bool)
    if data_field.type is FieldType.NUMBER:
        return _numbers(data_field, column, frame)
    if data_field.type is FieldType.BOOLEAN:
        if pd.api.types.is_bool_dtype(column.dtype):
            flags = column.to_numpy(dtype=np.int8, na_value=-1, copy=True)
            return flags, flags >= 0, np.zeros(rows, dtype=bool), no_unit_problem
        codes = per_value(column, lambda v: _as_code(boolean_of(v)))
        return _split(codes, np.int8, no_unit_problem)
    values = data_field.values
    codes = per_value(column, lambda v: values.index(v) if isinstance(v, str) and v in values else BAD)
    return _split(codes, np.int16, no_unit_problem)


def _as_code(value: object) -> int:
    return int(value) if isinstance(value, bool) else BAD


Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # values, given, refused, unit refused


def _split(codes: np.ndarray, dtype: type, unit_problem: np.ndarray) -> Columns:
    given = codes != MISSING
    bad = codes == BAD
    typed: np.ndarray = np.where(bad, MISSING, codes).astype(dtype)
    return typed, given, bad, unit_problem


def _numbers(data_field: DataField, column: pd.Series, frame: pd.DataFrame) -> Columns:
    rows = len(column)
    name = data_field.name
    symbols = [u.symbol for u in data_field.units]
    unit_codes = np.full(rows, MISSING, dtype=np.int64)  # index into data_field.units
    numeric = pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype)
    if numeric and not data_field.unit_required and name + UNIT_SUFFIX not in frame.columns:
        return _plain_numbers(data_field, column)
    if numeric:
        given = ~column.isna().to_numpy(dtype=bool)
        numbers = column.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        numbers[~np.isfinite(numbers)] = np.nan
    elif isinstance(column.dtype, pd.StringDtype) or pd.api.types.infer_dtype(column, skipna=True) in (
        "string", "empty"
    ):
        numbers, given, text_units = _parse_text(column)
        for at, written in text_units.items():
            unit_codes[at] = symbols.index(written) if written in symbols else BAD
    else:  # numbers, booleans and text mixed in Python objects: the cell convention, cell by cell
        cells = column.map(lambda v: None if is_missing(v) else number_of(v))
        given = cells.notna().to_numpy(dtype=bool)
        numbers = np.asarray([c[0] if c is not None else np.nan for c in cells], dtype=np.float64)
        for at, cell in enumerate(cells):
            if cell is not None and cell[1] is not None:
                unit_codes[at] = symbols.index(cell[1]) if cell[1] in symbols else BAD
    unit_column = name + UNIT_SUFFIX
    if unit_column in frame.columns:
        from_column = per_value(frame[unit_column].reset_index(drop=True),
                                lambda u: symbols.index(str(u)) if str(u) in symbols else BAD)
        unit_codes = np.where(from_column != MISSING, from_column, unit_codes)
    not_number = given & np.isnan(numbers)
    has_unit = (unit_codes != MISSING) & ~not_number & given
    bad = not_number | (given & ~not_number & ~has_unit & data_field.unit_required)
    unit_bad = has_unit & (unit_codes == BAD)
    canonical = np.full(rows, np.nan)
    if data_field.unit is not None:
        default = symbols.index(data_field.unit) if data_field.unit in symbols else BAD
        chosen = np.where(has_unit, unit_codes, default if not data_field.unit_required else BAD)
        usable = given & ~not_number
        for k, unit in enumerate(data_field.units):
            at = usable & (chosen == k)
            if at.all():  # one unit for every row: no gather and scatter
                canonical = _round(numbers / unit.per_canonical if unit.per_canonical != 1 else numbers)
            elif at.any():
                canonical[at] = _round(numbers[at] / unit.per_canonical)
    else:
        canonical = np.where(given & ~has_unit, numbers, np.nan)
    assert data_field.minimum is not None and data_field.maximum is not None
    judged = given & ~bad & ~unit_bad
    with np.errstate(invalid="ignore"):
        outside = judged & ~((canonical >= data_field.minimum) & (canonical <= data_field.maximum))
    bad |= outside
    canonical[bad | unit_bad | ~given] = np.nan
    return canonical, given, bad, unit_bad


def _plain_numbers(data_field: DataField, column: pd.Series) -> Columns:
    """A typed number column without units: the common case, in a few passes."""
    numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
    given = ~np.isnan(numbers)  # infinity is given, and refused below: it is no number
    unit = data_field.find_unit(data_field.unit) if data_field.unit is not None else None
    canonical = _round(numbers / unit.per_canonical if unit.per_canonical != 1 else numbers) if unit else numbers.copy()
    assert data_field.minimum is not None and data_field.maximum is not None
    inside = (canonical >= data_field.minimum) & (canonical <= data_field.maximum)
    canonical[~inside] = np.nan
    return canonical, given, given & ~inside, np.zeros(len(numbers), dtype=bool)


def _parse_text(column: pd.Series) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Numbers written as text: (numbers, rows given, unit written in the cell by row)."""
    cells = pa.array(column.astype(object).to_numpy(), type=pa.string(), from_pandas=True)
    given = pc.fill_null(pc.not_equal(cells, ""), False).to_numpy(zero_copy_only=False)
    ascii_only = bool(pc.all(pc.fill_null(pc.string_is_ascii(cells), True)).as_py())
    if ascii_only:  # RE2's \d and \s are the ASCII ones; Python's match more, so non-ASCII goes cell by cell
        plain = pc.fill_null(pc.match_substring_regex(cells, f"^(?:{PLAIN_NUMBER})$"), False)
        numbers = pc.cast(pc.utf8_trim_whitespace(pc.if_else(plain, cells, None)), pa.float64())
        numbers = numbers.to_numpy(zero_copy_only=False).astype(np.float64)
        plain_rows = plain.to_numpy(zero_copy_only=False)
    else:
        numbers = np.full(len(column), np.nan)
        plain_rows = np.zeros(len(column), dtype=bool)
    units: dict[int, str] = {}
    rest = np.flatnonzero(given & ~plain_rows)
    texts = cells.take(pa.array(rest)).to_pylist() if len(rest) else []
    for at, text in zip(rest.tolist(), texts, strict=True):
        parsed = number_of(text)
        if parsed is not None:
            numbers[at] = parsed[0]
            if parsed[1] is not None:
                units[at] = parsed[1]
    return numbers, given, units


_SCALE = float(f"1e{_CONVERSION_DECIMALS}")
_HALF = 1 / 2
_TIE = float("1e-6")  # how near a half a scaled value must be for Python's round to be asked


def _round(values: np.ndarray) -> np.ndarray:
    """Python's round(x, 6) over an array: numpy's rounding, redone exactly where it is near a tie."""
    if not len(values):
        return values
    rounded = np.round(values, _CONVERSION_DECIMALS)
    near_tie = np.abs(np.abs(values - rounded) * _SCALE - _HALF) < _TIE
    for i in np.flatnonzero(near_tie):
        rounded[i] = round(float(values[i]), _CONVERSION_DECIMALS)
    return rounded


def atoms_of(data_field: DataField | None, values: np.ndarray, codec: AtomCodec) -> np.ndarray:
    """Typed column values (as validate_columns gives them) to atom indices."""
    assert data_field is not None
    if data_field.type is FieldType.NUMBER:
        return codec.encode_numbers(values)
    table = codec.code_table([False, True] if data_field.type is FieldType.BOOLEAN else list(data_field.values))
    found: np.ndarray = table[values]
    return found


def explain(frame: pd.DataFrame, rows: np.ndarray, dictionary: DataDictionary) -> dict[int, tuple[CaseProblem, ...]]:
    """The single-case validator's problems for each of ``rows`` (positions in ``frame``)."""
    found: dict[int, tuple[CaseProblem, ...]] = {}
    records = frame.iloc[rows].to_dict("records") if len(rows) else []
    for position, record in zip(rows.tolist(), records, strict=True):
        try:
            validate_case(case_of_row({str(k): v for k, v in record.items()}, dictionary), dictionary)
        except CaseError as error:
            found[position] = error.problems
        else:
            found[position] = (
                CaseProblem("(row)", None, "the columnar check refused this row but the validator accepts it; "
                            "refused to be safe (please report)"),
            )
    return found
