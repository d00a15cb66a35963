"""Decision requirements: dependency order, and cycles refused with the cycle spelled out."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from b12spec.errors import SpecError
from b12spec.model import (
    DataDictionary,
    DecisionTable,
    Guideline,
    HitPolicy,
    InputColumn,
    OutputColumn,
    Rule,
    Spec,
)
from b12spec.requirements import evaluation_order, requirement_graph
from b12spec.unary import ANY
from b12spec.workspace import load_spec

GUIDELINE = Guideline("t", "0", "s", "u", "sum", "disc")


def table(name: str, *needs: str) -> DecisionTable:
    """A table testing the ``out`` output of each decision it needs (or a field when it needs none)."""
    inputs = tuple(InputColumn(f"{n}.out", f"{n}.out", n) for n in needs) or (InputColumn("x", "x"),)
    rule = Rule(f"{name}-1", 2, tuple(ANY for _ in inputs), ("v",), ("1",))
    return DecisionTable(
        name, name, "p", HitPolicy.UNIQUE, inputs, (OutputColumn("out", "out", values=("v",)),), (rule,),
        meta_file=f"tables/{name}.yaml",
    )


def spec_of(*tables: DecisionTable) -> Spec:
    return Spec(GUIDELINE, DataDictionary(()), tables, ())


def test_upstream_decisions_come_first() -> None:
    spec = spec_of(table("plan", "status", "age"), table("status", "age"), table("age"), table("other"))
    order = evaluation_order(spec)
    assert order.index("age") < order.index("status") < order.index("plan")
    assert sorted(order) == ["age", "other", "plan", "status"]


def test_order_is_stable_for_independent_decisions() -> None:
    spec = spec_of(table("c"), table("a"), table("b"))
    assert evaluation_order(spec) == ("c", "a", "b")


def test_requirement_graph_lists_needed_decisions_once() -> None:
    spec = spec_of(table("a"), table("b", "a", "a"))
    assert requirement_graph(spec) == {"a": (), "b": ("a",)}


@pytest.mark.parametrize(
    ("tables", "cycle"),
    [
        ((table("a", "b"), table("b", "a")), "a -> b -> a"),
        ((table("a", "a"),), "a -> a"),
        ((table("d", "a"), table("a", "b"), table("b", "c"), table("c", "a")), "a -> b -> c -> a"),
    ],
)
def test_a_cycle_is_refused_naming_it(tables: tuple[DecisionTable, ...], cycle: str) -> None:
    with pytest.raises(SpecError) as caught:
        evaluation_order(spec_of(*tables))
    assert cycle in str(caught.value)
    assert "cycle" in str(caught.value)
    assert (caught.value.problems[0].column, caught.value.problems[0].kind) == ("inputs", "wiring")


def test_an_undefined_upstream_decision_is_refused() -> None:
    with pytest.raises(SpecError, match="'ghost', which no table defines"):
        evaluation_order(spec_of(table("a", "ghost")))


def test_the_real_spec_is_ordered(spec: Spec) -> None:
    for name in spec.order:
        for upstream in spec.table(name).required_decisions:
            assert spec.order.index(upstream) < spec.order.index(name), (upstream, name)


def test_a_cycle_in_spec_files_is_refused(spec: Spec, spec_copy: Path) -> None:
    """b12_status made to test a decision that itself tests b12_status: the loader names the loop."""
    downstream = next(t for t in spec.tables if "b12_status" in t.required_decisions and t.hit_policy.single_hit)
    output = downstream.outputs[0].name
    meta_path = spec_copy / "tables" / "b12_status.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["inputs"].append({"expression": f"{downstream.name}.{output}"})
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    csv_path = spec_copy / "tables" / "b12_status.csv"
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index("active_b12") + 1
    for index, row in enumerate(rows):
        row.insert(at, f"{downstream.name}.{output}" if index == 0 else "-")
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(SpecError) as caught:
        load_spec(spec_copy)
    message = str(caught.value)
    assert "cycle" in message
    assert "b12_status" in message and downstream.name in message
