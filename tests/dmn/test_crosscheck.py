"""An independent engine, pyDMNrules, evaluates the exported model as b12spec does.

Here: every scenario's case and the generated cases that reach every rule of every table. The
full 10,000 generated cases take pyDMNrules tens of minutes and run in
``benchmarks/dmn_crosscheck.py``; the known deviations of pyDMNrules that the adapter works
around are listed in b12spec/dmn/crosscheck.py.
"""

from __future__ import annotations

import pytest

from b12spec.case import PatientCase
from b12spec.dmn.crosscheck import PyDmnRulesEngine, compare
from b12spec.dmn.generate import region_cases, unreached_rules
from b12spec.model import Spec
from b12spec.scenarios import run_scenarios
from b12spec.workspace import load_scenarios

from .conftest import REPO


@pytest.fixture(scope="module")
def engine(spec: Spec) -> PyDmnRulesEngine:
    return PyDmnRulesEngine(spec)


def _distinct(cases: list[PatientCase]) -> list[PatientCase]:
    seen: dict[tuple[object, ...], PatientCase] = {}
    for case in cases:
        seen.setdefault(tuple(sorted(case.values.items(), key=lambda item: item[0])), case)
    return list(seen.values())


def test_pydmnrules_agrees_on_every_scenario_and_every_region(spec: Spec, engine: PyDmnRulesEngine) -> None:
    outcomes = run_scenarios(spec, load_scenarios(REPO / "features"))
    scenario_cases = _distinct([e.case for o in outcomes for e in o.evaluations])
    regions = region_cases(spec, seed=13, budget=20_000)
    assert unreached_rules(spec, regions) == [], "the generated cases reach every rule of every table"
    cases = scenario_cases + regions
    found = compare(spec, engine, cases)
    print(
        f"\npyDMNrules cross-check: {len(cases)} cases ({len(scenario_cases)} distinct scenario cases, "
        f"{len(regions)} reaching every rule), {len(found)} disagreements"
    )
    assert not found, [(d.decision, d.b12spec, d.engine, dict(d.case)) for d in found[:5]]


def test_the_cross_check_can_fail(spec: Spec, engine: PyDmnRulesEngine) -> None:
    """A b12spec whose table says something else than the model pyDMNrules runs is caught."""
    table = next(t for t in spec.tables if t.hit_policy.single_hit and len(t.outputs[0].values) > 1)
    values = table.outputs[0].values
    rotated = {v: values[(i + 1) % len(values)] for i, v in enumerate(values)}
    changed_rules = tuple(
        type(rule)(**{**rule.__dict__, "outputs": (rotated[str(rule.outputs[0])], *rule.outputs[1:])})
        for rule in table.rules
    )
    changed = type(table)(**{**table.__dict__, "rules": changed_rules})
    lying = type(spec)(**{**spec.__dict__, "tables": tuple(changed if t is table else t for t in spec.tables)})
    found = compare(lying, engine, region_cases(spec, seed=13, budget=2_000))
    assert table.name in {d.decision for d in found}
