"""Columnar validation refuses exactly the rows the single-case validator refuses, for the same fields."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from b12spec.case import validate_case
from b12spec.cohort.cells import case_of_row
from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.validate import CohortFileError, explain, validate_columns
from b12spec.errors import CaseError
from b12spec.model import Spec

from .helpers import FAULTS, random_case, row_of, spoil


@pytest.mark.parametrize("as_text", [False, True], ids=["typed cells", "csv text"])
def test_columnar_verdict_matches_the_validator_row_by_row(spec: Spec, compiled_spec: CompiledSpec,
                                                           as_text: bool) -> None:
    rng = random.Random(16)
    rows = []
    for i in range(1200):
        row = row_of(random_case(spec, rng))
        if i % 3 == 0:
            row = spoil(row, FAULTS[i % len(FAULTS)])
        if i % 11 == 0:
            row.pop("age_years", None)  # a required field left out
        if i % 13 == 0 and "total_b12" in row:
            row["total_b12"], row["total_b12.unit"] = f"{row['total_b12']} pmol/L", None  # unit in the cell
        rows.append(row_of(row, as_text=True) if as_text else row)
    frame = pd.DataFrame(rows)
    if as_text:
        frame = frame.fillna("").astype(str).replace("None", "")
    validated = validate_columns(frame, spec.dictionary, compiled_spec.codecs)
    refused = 0
    for position, record in enumerate(frame.to_dict("records")):
        flagged = {field for field, rows_with in validated.problems.items() if rows_with[position]}
        try:
            validate_case(case_of_row(record, spec.dictionary), spec.dictionary)
        except CaseError as error:
            refused += 1
            assert flagged == {p.field for p in error.problems}, record
        else:
            assert not flagged, record
    assert refused > 400
    every_fault_seen = set(validated.problems)
    assert {"age_years", "sex", "pregnant", "total_b12", "total_b12.unit", "mma", "diet", "sex + pregnant",
            "neurological_involvement + severe_neurological_symptoms"} <= every_fault_seen


def test_invalid_rows_are_explained_in_the_validators_words(spec: Spec, compiled_spec: CompiledSpec) -> None:
    rng = random.Random(3)
    good = row_of(random_case(spec, rng))
    frame = pd.DataFrame([good, spoil(good, ("age_years", -3)), good])
    validated = validate_columns(frame, spec.dictionary, compiled_spec.codecs)
    assert validated.invalid.tolist() == [False, True, False]
    (problem,) = explain(frame, validated.invalid.nonzero()[0], spec.dictionary)[1]
    assert (problem.field, problem.value) == ("age_years", -3)
    assert "0 to 125" in problem.allowed


def test_an_unknown_column_refuses_the_file(spec: Spec, compiled_spec: CompiledSpec) -> None:
    frame = pd.DataFrame([{"age_yeras": 40}])
    with pytest.raises(CohortFileError, match=r"age_yeras.*did you mean 'age_years'"):
        validate_columns(frame, spec.dictionary, compiled_spec.codecs)
