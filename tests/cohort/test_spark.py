"""The same compiled SQL on Spark (local mode) gives the outcomes numpy gives, on a sample."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from b12spec.cohort.engines import run_spark, spark_engine
from b12spec.cohort.plan import CompiledSpec
from b12spec.cohort.validate import validate_columns
from b12spec.cohort.vectorised import evaluate_atoms, evaluate_validated
from b12spec.model import Spec

from .helpers import FAULTS, random_case, row_of, spoil, witness_source, witnesses


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]").appName("b12spec-cohort-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_agrees_with_numpy_on_patients_and_on_every_region(spark, spec: Spec,
                                                                  compiled_spec: CompiledSpec) -> None:
    rng = random.Random(9)
    rows = [row_of(random_case(spec, rng)) for _ in range(400)]
    rows += [spoil(row, fault) for row, fault in zip(rows, FAULTS, strict=False)]
    validated = validate_columns(pd.DataFrame(rows), spec.dictionary, compiled_spec.codecs)
    by_numpy = evaluate_validated(compiled_spec, validated)
    by_spark = spark_engine(compiled_spec, validated, spark)
    for name in compiled_spec.order:
        assert (by_spark.by_decision[name] == by_numpy.by_decision[name]).all(), name
    for name in ("b12_status", "pitfalls"):  # nulls and negations; several inputs
        plan = compiled_spec.plans[name]
        cells = witnesses(plan)
        atoms = {e: [codec.encode(row[j]) for row in cells] for j, (e, codec) in
                 enumerate(zip(plan.expressions, plan.codecs, strict=True))}
        import numpy as np

        expected = evaluate_atoms(compiled_spec, {e: np.asarray(a) for e, a in atoms.items()}).by_decision[name]
        got = run_spark(compiled_spec, witness_source(compiled_spec, plan, cells), spark, [name])
        assert (got.by_decision[name] == expected).all(), name
