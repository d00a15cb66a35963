"""A cohort run: validate, evaluate, report, one chunk at a time (pure but for the writer)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from b12spec.cohort.engines import Engine, numpy_engine
from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.results import ERROR, EVALUATED, INVALID, Summary, describe_problems, result_frame
from b12spec.cohort.validate import explain, validate_columns
from b12spec.cohort.vectorised import Outcomes


def evaluate_chunk(
    compiled_spec: CompiledSpec, chunk: pd.DataFrame, engine: Engine = numpy_engine, first_row: int = 1
) -> tuple[pd.DataFrame, Outcomes, np.ndarray, Summary]:
    """One chunk's result rows, outcomes, statuses and summary. Rows are numbered from ``first_row``.

    An invalid row is not evaluated: its outputs stay empty and its problems, in the single-case
    validator's words, are reported. A row whose evaluation fails (a gap, a hit-policy violation)
    is reported with the error and no outputs either.
    """
    dictionary = compiled_spec.spec.dictionary
    validated = validate_columns(chunk, dictionary, compiled_spec.codecs)
    invalid = validated.invalid
    outcomes = engine(compiled_spec, validated)
    failed = outcomes.errors(compiled_spec)
    status = np.full(len(chunk), EVALUATED, dtype=object)
    status[invalid] = INVALID
    errored = (failed >= 0) & ~invalid
    status[errored] = ERROR
    notes = np.full(len(chunk), "", dtype=object)
    summary = Summary()
    explained = explain(chunk, np.flatnonzero(invalid), dictionary)
    for position, problems in explained.items():
        notes[position] = describe_problems(problems)
        summary.invalid_rows.append((first_row + position, problems))
    order = list(compiled_spec.plans)
    for position in np.flatnonzero(errored).tolist():
        name = order[failed[position]]
        outcome = compiled_spec.plans[name].outcomes[outcomes.by_decision[name][position]]
        assert outcome.error is not None
        message = str(outcome.error[0](outcome.error[1], outcome.error[2]))
        notes[position] = message
        summary.error_rows.append((first_row + position, message))
    summary.add(compiled_spec, outcomes.by_decision, status)
    frame = result_frame(compiled_spec, outcomes.by_decision, status, notes, first_row)
    return frame, outcomes, status, summary


def run_cohort(
    compiled_spec: CompiledSpec,
    chunks: Iterable[pd.DataFrame],
    write: Callable[[pd.DataFrame], None],
    engine: Engine = numpy_engine,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Every chunk in order; the summary adds up over all of them."""
    total = Summary()
    first_row = 1
    for chunk in chunks:
        frame, _, _, summary = evaluate_chunk(compiled_spec, chunk, engine, first_row)
        write(frame)
        merge(total, summary)
        first_row += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return total


def merge(total: Summary, part: Summary) -> None:
    total.rows += part.rows
    total.evaluated += part.evaluated
    total.invalid += part.invalid
    total.errors += part.errors
    total.recommendations.update(part.recommendations)
    total.warnings.update(part.warnings)
    total.open_questions.update(part.open_questions)
    total.invalid_rows.extend(part.invalid_rows)
    total.error_rows.extend(part.error_rows)
