"""Columnar validation: the validator's rules over whole columns, derived from the dictionary.

Every check of ``b12spec.case.validate_case`` is applied here to a column at once, from the same
``DataField`` (range, units and their factors, enumeration values, required) and the same
``Contradiction`` tests: a boolean array per field says which rows have a problem with it. The
wording of a problem is never produced here: for the few invalid rows the cohort report asks the
single-case validator itself (``explain``), so there is one definition of validity and of its
messages, and the tests hold the columnar verdict to the single-case verdict row by row.

Valid values come out typed for the vectorised engine: numbers as float64 in the canonical unit
(NaN when not given), booleans as int8 (1, 0, -1 when not given), enumerations as int16 codes
into the field's values (-1 when not given).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from b12spec.case import _CONVERSION_DECIMALS, _QUANTITY, validate_case
from b12spec.cohort.atoms import AtomCodec
from b12spec.cohort.cells import BOOLEAN_TEXT, PLAIN_NUMBER, UNIT_SUFFIX, case_of_row
from b12spec.errors import B12SpecError, CaseError, CaseProblem
from b12spec.model import DataDictionary, DataField, FieldType


class CohortFileError(B12SpecError):
    """The table of patients itself is unusable (an unknown column): no row is evaluated."""


@dataclass
class Validated:
    """The typed columns of the valid rows' values, and which rows have problems with which fields."""

    rows: int
    columns: dict[str, np.ndarray]
    problems: dict[str, np.ndarray] = field(default_factory=dict)  # field (or field.unit) -> rows

    @property
    def invalid(self) -> np.ndarray:
        found = np.zeros(self.rows, dtype=bool)
        for rows in self.problems.values():
            found |= rows
        return found


def check_columns(frame: pd.DataFrame, dictionary: DataDictionary) -> None:
    """Refuse a file whose columns are not dictionary fields (or FIELD.unit beside a number field)."""
    for label in frame.columns:
        name = str(label)
        base = name[: -len(UNIT_SUFFIX)] if name.endswith(UNIT_SUFFIX) else None
        if dictionary.get(name) is not None:
            continue
        if base is not None and (f := dictionary.get(base)) is not None and f.type is FieldType.NUMBER:
            continue
        hint = difflib.get_close_matches(name, dictionary.names, n=1)
        allowed = f"did you mean {hint[0]!r}?" if hint else "fields: " + ", ".join(dictionary.names)
        raise CohortFileError(f"column {name!r} is not a field of the data dictionary ({allowed})")


def _given(column: pd.Series) -> np.ndarray:
    missing = column.isna().to_numpy(dtype=bool, copy=True).copy()
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        missing |= (column.astype("string") == "").fillna(True).to_numpy(dtype=bool, copy=True)
    return ~missing


def _text(column: pd.Series) -> pd.Series:
    return column.astype("string")


def validate_columns(frame: pd.DataFrame, dictionary: DataDictionary, codecs: Mapping[str, AtomCodec]) -> Validated:
    """Validate every row at once; ``codecs`` supply the contradictions' tests as atom look-ups."""
    check_columns(frame, dictionary)
    rows = len(frame)
    result = Validated(rows, {})
    troubled: dict[str, np.ndarray] = {}
    for data_field in dictionary.fields:
        name = data_field.name
        if name in frame.columns:
            column = frame[name].reset_index(drop=True)
            given = _given(column)
            values, bad = _field(data_field, column, given, frame, result)
        else:
            given = np.zeros(rows, dtype=bool)
            values, bad = _empty(data_field, rows), np.zeros(rows, dtype=bool)
        if bad.any():
            result.problems[name] = result.problems.get(name, np.zeros(rows, dtype=bool)) | bad
        if data_field.required:
            missing = ~given
            if missing.any():
                result.problems[name] = result.problems.get(name, np.zeros(rows, dtype=bool)) | missing
        troubled[name] = result.problems.get(name, np.zeros(rows, dtype=bool)) | result.problems.get(
            name + UNIT_SUFFIX, np.zeros(rows, dtype=bool)
        ) | bad
        result.columns[name] = values
    for contradiction in dictionary.contradictions:
        if not contradiction.when:
            continue
        judged = np.ones(rows, dtype=bool)
        holds = np.ones(rows, dtype=bool)
        for name, test in contradiction.when:
            judged &= ~troubled[name]
            holds &= codecs[name].test_table(test)[atoms_of(dictionary.get(name), result.columns[name], codecs[name])]
        hit = judged & holds
        if hit.any():
            key = " + ".join(name for name, _ in contradiction.when)
            result.problems[key] = result.problems.get(key, np.zeros(rows, dtype=bool)) | hit
    return result


def _empty(data_field: DataField, rows: int) -> np.ndarray:
    if data_field.type is FieldType.NUMBER:
        return np.full(rows, np.nan)
    if data_field.type is FieldType.BOOLEAN:
        return np.full(rows, -1, dtype=np.int8)
    return np.full(rows, -1, dtype=np.int16)


def _field(
    data_field: DataField, column: pd.Series, given: np.ndarray, frame: pd.DataFrame, result: Validated
) -> tuple[np.ndarray, np.ndarray]:
    """(typed values, rows refused) for one field; unit problems are filed under FIELD.unit."""
    if data_field.type is FieldType.BOOLEAN:
        return _booleans(column, given)
    if data_field.type is FieldType.ENUM:
        codes = np.full(len(column), -1, dtype=np.int16)
        text = _text(column)
        ok = np.zeros(len(column), dtype=bool)
        is_text = _is_text(column)
        for code, value in enumerate(data_field.values):
            hit = ((text == value).fillna(False).to_numpy(dtype=bool, copy=True)) & is_text
            codes[hit] = code
            ok |= hit
        bad = given & ~ok
        codes[bad] = -1
        return codes, bad
    return _numbers(data_field, column, given, frame, result)


def _is_text(column: pd.Series) -> np.ndarray:
    """Which cells hold text (a boolean or number cell is not an enumeration's value)."""
    if column.dtype == object:
        return column.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool, copy=True)
    return np.full(len(column), pd.api.types.is_string_dtype(column.dtype) or isinstance(
        column.dtype, pd.CategoricalDtype))


def _booleans(column: pd.Series, given: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values = np.full(len(column), -1, dtype=np.int8)
    if pd.api.types.is_bool_dtype(column.dtype):
        filled = column.fillna(False).to_numpy(dtype=bool, copy=True)
        values[given] = filled[given]
        return values, np.zeros(len(column), dtype=bool)
    if column.dtype == object:
        kinds = column.map(lambda v: True if v is True else False if v is False else None)
        typed = kinds.notna().to_numpy(dtype=bool, copy=True)
        values[typed] = kinds[typed].astype(bool).to_numpy()
    else:
        typed = np.zeros(len(column), dtype=bool)
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        text = _text(column)
        for word, truth in BOOLEAN_TEXT.items():
            hit = (text == word).fillna(False).to_numpy(dtype=bool, copy=True) & _is_text(column)
            values[hit] = int(truth)
            typed |= hit
    bad = given & ~typed
    values[bad] = -1
    return values, bad


def _numbers(
    data_field: DataField, column: pd.Series, given: np.ndarray, frame: pd.DataFrame, result: Validated
) -> tuple[np.ndarray, np.ndarray]:
    rows = len(column)
    name = data_field.name
    unit_text = np.full(rows, None, dtype=object)
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        numbers = column.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        numbers[~np.isfinite(numbers)] = np.nan
    else:
        numbers = np.full(rows, np.nan)
        is_text = _is_text(column)
        if column.dtype == object:  # numbers held as Python objects in an object column
            plain_objects = column.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).to_numpy(
                dtype=bool
            )
            if plain_objects.any():
                numbers[plain_objects] = column[plain_objects].astype(np.float64).to_numpy()
                numbers[~np.isfinite(numbers)] = np.nan
        text = _text(column)
        plain = text.str.fullmatch(PLAIN_NUMBER).fillna(False).to_numpy(dtype=bool, copy=True) & is_text
        if plain.any():
            numbers[plain] = text[plain].astype(np.float64).to_numpy()
        other = given & is_text & ~plain
        if other.any():
            parts = text[other].str.extract(_QUANTITY.pattern)
            found = parts[1].notna().to_numpy(dtype=bool, copy=True)
            at = np.flatnonzero(other)[found]
            numbers[at] = parts[0][found].astype(np.float64).to_numpy()
            unit_text[at] = parts[1][found].to_numpy(dtype=object)
    unit_column = name + UNIT_SUFFIX
    if unit_column in frame.columns:
        units = frame[unit_column].reset_index(drop=True)
        unit_given = _given(units) & given
        if unit_given.any():
            unit_text[unit_given] = units[unit_given].astype(str).to_numpy(dtype=object)
    not_number = given & np.isnan(numbers)
    bad = not_number.copy()
    has_unit = np.asarray([u is not None for u in unit_text], dtype=bool) & ~not_number
    if data_field.unit_required:
        bad |= given & ~not_number & ~has_unit
    canonical = np.full(rows, np.nan)
    no_unit = given & ~not_number & ~has_unit
    if data_field.unit is not None:
        symbols = pd.Series(unit_text)
        for unit in data_field.units:
            rows_in = (has_unit & (symbols == unit.symbol).to_numpy(dtype=bool, copy=True)) | (
                no_unit & (unit.symbol == data_field.unit) & (not data_field.unit_required)
            )
            if rows_in.any():
                canonical[rows_in] = _round(numbers[rows_in] / unit.per_canonical)
        known = np.zeros(rows, dtype=bool)
        for unit in data_field.units:
            known |= (symbols == unit.symbol).to_numpy(dtype=bool, copy=True)
        unit_problem = has_unit & ~known
        if unit_problem.any():
            result.problems[name + UNIT_SUFFIX] = unit_problem
        bad_or_refused = bad | unit_problem
    else:
        canonical = np.where(no_unit, numbers, np.nan)
        bad_or_refused = bad
    assert data_field.minimum is not None and data_field.maximum is not None
    judged = given & ~bad_or_refused
    outside = judged & ~((canonical >= data_field.minimum) & (canonical <= data_field.maximum))
    bad = bad | outside
    canonical[bad | bad_or_refused | ~given] = np.nan
    return canonical, bad  # a unit problem is filed under FIELD.unit above


_SCALE = float(f"1e{_CONVERSION_DECIMALS}")
_HALF = 1 / 2
_TIE = float("1e-6")  # how near a half a scaled value must be for Python's round to be asked


def _round(values: np.ndarray) -> np.ndarray:
    """Python's round(x, 6) over an array: numpy's rounding, redone exactly where it is near a tie."""
    scaled = values * _SCALE
    rounded = np.round(values, _CONVERSION_DECIMALS)
    near_tie = np.abs(np.abs(scaled - np.trunc(scaled)) - _HALF) < _TIE
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
