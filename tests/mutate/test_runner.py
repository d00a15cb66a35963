"""The runner on the tiny spec: kills with the scenario that caught them, survivors with their
change, equivalence from the verifier, and a pre-filter that never loses a kill."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from b12spec.model import DecisionTable, Spec
from b12spec.mutate.operators import Mutant, generate_mutants
from b12spec.mutate.runner import (
    BaselineFailure,
    Status,
    affected_scenarios,
    could_fail,
    downstream_of,
    run_baseline,
    run_mutation,
)

from .helpers import FakeScenario, fake_run_scenario, grade_scenario

BOUNDARIES = [
    grade_scenario(179.9, "low"),
    grade_scenario(180, "mid"),
    grade_scenario(350, "mid"),
    grade_scenario(350.1, "high"),
    grade_scenario(None, "unknown"),
]


def mutant(spec: Spec, change: str, table: str | None = None) -> Mutant:
    found = [m for m in generate_mutants(spec) if m.change == change and table in (None, m.table)]
    assert len(found) == 1, f"no single mutant {change!r}"
    return found[0]


def run(spec: Spec, scenarios: list[FakeScenario], changes: list[str], **options: Any):
    chosen = [mutant(spec, c) for c in changes]
    options.setdefault("equivalent", None)
    return run_mutation(spec, scenarios, run_scenario=fake_run_scenario, mutants=chosen, **options)


def test_a_mutant_a_scenario_catches_is_killed_by_that_scenario(tiny_spec: Spec) -> None:
    result = run(tiny_spec, BOUNDARIES, ["level: < 180 -> <= 180 (comparison flipped)"])
    (outcome,) = result.outcomes
    # 180 now matches GR-01 and GR-02: the U table raises, and "level 180 is mid" fails first
    assert outcome.status is Status.KILLED
    assert outcome.scenario == "Tiny: level 180 is mid"
    assert "GR-01, GR-02" in outcome.reason
    assert (result.total, result.killed, result.survived, result.score) == (1, 1, 0, 1.0)


def test_the_first_failing_scenario_in_suite_order_is_the_killer(tiny_spec: Spec) -> None:
    result = run(tiny_spec, BOUNDARIES, ["grade: mid -> high (output replaced)"])
    assert result.outcomes[0].scenario == "Tiny: level 180 is mid"
    reordered = [BOUNDARIES[2], BOUNDARIES[1], *BOUNDARIES[3:]]
    result = run(tiny_spec, reordered, ["grade: mid -> high (output replaced)"])
    assert result.outcomes[0].scenario == "Tiny: level 350 is mid"


def test_a_survivor_is_reported_with_file_rule_and_change(tiny_spec: Spec) -> None:
    without_350 = [s for s in BOUNDARIES if s.name != "level 350 is mid"]
    result = run(tiny_spec, without_350, ["level: [180..350] -> [180..349.9] (threshold nudged)"])
    (survivor,) = result.survivors
    assert survivor.status is Status.SURVIVED
    assert survivor.mutant.file == "tables/grade.csv"
    assert survivor.mutant.rule == "GR-02"
    assert survivor.mutant.change == "level: [180..350] -> [180..349.9] (threshold nudged)"
    assert (result.killed, result.survived, result.score, result.ok) == (0, 1, 0.0, False)
    # with the boundary scenario back, the same mutant dies (the U table has a gap at 350)
    assert run(tiny_spec, BOUNDARIES, [survivor.mutant.change]).outcomes[0].scenario == "Tiny: level 350 is mid"


def test_a_mutant_that_makes_evaluation_raise_is_killed(tiny_spec: Spec) -> None:
    result = run(tiny_spec, BOUNDARIES, ["row 5 -> deleted (rule deleted)"])
    (outcome,) = result.outcomes
    assert outcome.status is Status.KILLED
    assert outcome.scenario == "Tiny: level None is unknown"
    assert "no rule matched" in outcome.reason


def test_a_runner_that_raises_under_a_mutant_counts_as_a_kill(tiny_spec: Spec) -> None:
    def fragile(spec: Spec, scenario: FakeScenario):
        outcome = fake_run_scenario(spec, scenario)
        if not outcome.passed:
            raise RuntimeError("boom: " + str(outcome.error))
        return outcome

    chosen = [mutant(tiny_spec, "grade: low -> mid (output replaced)")]
    result = run_mutation(tiny_spec, BOUNDARIES, run_scenario=fragile, mutants=chosen, equivalent=None)
    assert result.outcomes[0].status is Status.KILLED
    assert result.outcomes[0].reason.startswith("raised: boom")


def test_the_baseline_must_pass_before_any_mutant_is_judged(tiny_spec: Spec) -> None:
    wrong = FakeScenario("level 100 is high", {"level": 100}, {"grade": {"grade": "high"}})
    with pytest.raises(BaselineFailure, match="level 100 is high: grade: expected"):
        run_mutation(tiny_spec, [*BOUNDARIES, wrong], run_scenario=fake_run_scenario, equivalent=None)
    with pytest.raises(BaselineFailure, match="no scenarios"):
        run_mutation(tiny_spec, [], run_scenario=fake_run_scenario, equivalent=None)


@dataclass(frozen=True)
class Verdict:
    equal: bool
    witness: dict[str, Any] | None


def test_survivors_go_to_the_verifier_and_proven_ones_leave_the_score(tiny_spec: Spec) -> None:
    asked: list[tuple[str, str]] = []

    def verifier(spec: Spec, original: DecisionTable, mutated: DecisionTable) -> Verdict:
        asked.append((original.name, mutated.hit_policy.value))
        if mutated.hit_policy.value == "F":  # no overlaps in grade, so F gives what U gives
            return Verdict(True, None)
        return Verdict(False, {"level": 349.95})

    changes = [
        "hit_policy: U -> F (hit policy changed)",
        "hit_policy: U -> A (hit policy changed)",
        "level: < 180 -> <= 180 (comparison flipped)",
    ]
    result = run(tiny_spec, BOUNDARIES, changes, equivalent=verifier)
    assert [o.status for o in result.outcomes] == [Status.EQUIVALENT, Status.SURVIVED, Status.KILLED]
    assert asked == [("grade", "F"), ("grade", "A")]  # killed mutants never reach the verifier
    assert result.outcomes[1].witness == {"level": 349.95}
    assert (result.total, result.killed, result.equivalent, result.survived) == (3, 1, 1, 1)
    assert result.score == pytest.approx(1 / 2)


def test_a_verifier_that_fails_leaves_the_mutant_a_survivor(tiny_spec: Spec) -> None:
    def broken(spec: Spec, original: DecisionTable, mutated: DecisionTable) -> Verdict:
        raise ValueError("cannot decide")

    result = run(tiny_spec, BOUNDARIES, ["hit_policy: U -> F (hit policy changed)"], equivalent=broken)
    assert result.outcomes[0].status is Status.SURVIVED
    assert "verifier failed: cannot decide" in result.outcomes[0].reason


def test_prefilter_reruns_only_scenarios_whose_table_result_changes(tiny_spec: Spec) -> None:
    baseline = run_baseline(tiny_spec, BOUNDARIES, fake_run_scenario)
    nudged = mutant(tiny_spec, "level: < 180 -> < 179.9 (threshold nudged)")
    assert affected_scenarios(baseline, nudged) == [0]  # only 179.9 sees a different grade
    downstream = mutant(tiny_spec, 'kind: "a" -> - (entry blanked)')
    assert affected_scenarios(baseline, downstream) == [0, 1, 2, 3, 4]
    assert affected_scenarios(baseline, nudged, prefilter=False) == [0, 1, 2, 3, 4]


def test_scenarios_that_do_not_read_a_changed_decision_are_not_rerun(tiny_spec: Spec) -> None:
    advice = FakeScenario("level 100 gets treat", {"level": 100}, {"advice": [{"advice": "treat"}]})
    scenarios = [*BOUNDARIES, advice]
    baseline = run_baseline(tiny_spec, scenarios, fake_run_scenario)
    assert downstream_of(tiny_spec) == {"grade": ("advice",), "advice": ()}
    # the advice result changes for every scenario, but only the last one reads advice
    blank = mutant(tiny_spec, 'kind: "a" -> - (entry blanked)')
    assert [i for i in affected_scenarios(baseline, blank) if could_fail(tiny_spec, baseline, i, blank)] == [5]
    # grade changes at 179.9 (read there) and so does advice downstream (read by nobody there)
    nudged = mutant(tiny_spec, "level: < 180 -> < 179.9 (threshold nudged)")
    assert could_fail(tiny_spec, baseline, 0, nudged)
    # a change read nowhere but downstream: "low" -> "mid" at level 100 alters advice for the advice scenario
    low = mutant(tiny_spec, "grade: low -> mid (output replaced)")
    assert could_fail(tiny_spec, baseline, 5, low)
    deleted = mutant(tiny_spec, "row 2 -> deleted (rule deleted)", table="grade")
    assert could_fail(tiny_spec, baseline, 5, deleted)  # the grade table now raises at level 100


def test_prefilter_and_exhaustive_runs_agree_on_every_mutant(tiny_spec: Spec) -> None:
    scenarios = [
        *BOUNDARIES,
        FakeScenario("low level of kind a", {"level": 100, "kind": "a"}, {"advice": [{"advice": "treat"},
                                                                                      {"advice": "diet"}]}),
        FakeScenario("flagged", {"level": 200, "flag": True}, {"advice": [{"advice": "check"}]}),
    ]
    fast = run_mutation(tiny_spec, scenarios, run_scenario=fake_run_scenario, equivalent=None)
    slow = run_mutation(tiny_spec, scenarios, run_scenario=fake_run_scenario, equivalent=None, prefilter=False)
    assert fast.total == len(generate_mutants(tiny_spec)) > 50
    assert [(o.status, o.scenario) for o in fast.outcomes] == [(o.status, o.scenario) for o in slow.outcomes]
    assert fast.scenario_runs < slow.scenario_runs
    parallel = run_mutation(tiny_spec, scenarios, run_scenario=fake_run_scenario, equivalent=None, jobs=2)
    assert [(o.mutant, o.status, o.scenario) for o in parallel.outcomes] == [
        (o.mutant, o.status, o.scenario) for o in fast.outcomes
    ]


def test_table_selection_mutates_only_that_table(tiny_spec: Spec) -> None:
    result = run_mutation(tiny_spec, BOUNDARIES, run_scenario=fake_run_scenario, equivalent=None, tables=["grade"])
    assert {o.mutant.table for o in result.outcomes} == {"grade"}
    assert result.tables == ("grade",)
    with pytest.raises(KeyError):
        run_mutation(tiny_spec, BOUNDARIES, run_scenario=fake_run_scenario, equivalent=None, tables=["nope"])
