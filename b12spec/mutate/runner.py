"""Runs the Gherkin scenarios, in process, against every mutant and decides its fate.

A mutant is **killed** by the first scenario (in suite order) that fails against the mutated spec,
including a scenario whose evaluation now raises (a gap or a hit-policy violation the mutant
introduced). A mutant no scenario kills is **equivalent** when the verifier proves the mutated
table gives the same result as the original for every input, else it **survived**: the features
miss a case. Score = killed / (total - equivalent).

Speed comes from four things, none of which can hide a kill:

1. Scenarios are parsed once, the baseline is run once, and every mutant is evaluated in process
   (no pytest start per mutant); ``jobs`` > 1 spreads mutants over forked workers.
2. **Difference pre-filter.** A mutant changes one table T and nothing else. The engine evaluates
   decisions in a fixed order as pure functions, and T sees exactly the inputs recorded in the
   baseline (``result.inputs``: the case values and upstream outputs, which the mutant cannot
   change, since everything upstream of T is untouched). So for each scenario we re-evaluate only
   the mutated T on the inputs it saw in the baseline. If T's result (matched rules, kept rules,
   outputs, citations, value, hit policy) is equal for every evaluation of the scenario, the
   context handed downstream is equal too, every later decision gives the same result, and the
   scenario's evaluations are identical to the baseline's: it passes again and cannot kill the
   mutant, so it is skipped.
3. **Observation filter.** Where T's result does differ, the decisions downstream of T are
   re-evaluated from the baseline's inputs with T's new outputs in place (the rest are untouched,
   as above). If nothing raises and no decision the scenario's Then steps read (``asserted``, which
   the scenario API records) has a different result, every step sees what it saw in the
   baseline and the scenario passes again: skipped. Otherwise the scenario is run in full, and
   only that run decides the kill.
4. The verifier is asked only about survivors.

Both filters rely on steps seeing the spec only through ``context.result(decision)`` of the
evaluations (the scenario API's contract). A scenario whose evaluations were not recorded is
always run; one without ``asserted`` counts as reading every decision; ``prefilter=False`` runs
every scenario against every mutant to cross-check (the tests do, on the shipped spec too).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from b12spec.errors import B12SpecError
from b12spec.evaluate import DecisionResult, evaluate_table, published_outputs
from b12spec.model import DecisionTable, Spec
from b12spec.mutate.operators import Mutant, generate_mutants

ScenarioRunner = Callable[[Spec, Any], Any]
"""``run_scenario(spec, scenario) -> outcome`` with ``passed``, ``error``, ``name``, ``feature_file``,
``evaluations`` (the Evaluation of each step that evaluated a case)."""

EquivalenceCheck = Callable[[Spec, DecisionTable, DecisionTable], Any]
"""``equivalent(spec, original, mutant) -> Equivalence`` with ``equal`` and ``witness``."""


class Status(StrEnum):
    KILLED = "killed"
    EQUIVALENT = "equivalent"
    SURVIVED = "survived"


class BaselineFailure(B12SpecError):
    """The unmutated spec does not pass its own scenarios: mutation scores would mean nothing."""

    def __init__(self, failures: Sequence[tuple[str, str]], reason: str = "") -> None:
        self.failures = tuple(failures)
        lines = "\n".join(f"  - {name}: {error}" for name, error in self.failures)
        message = reason or (
            f"{len(self.failures)} scenario(s) fail on the unmutated spec; fix them before mutation testing:\n{lines}"
        )
        super().__init__(message)


@dataclass(frozen=True)
class MutantOutcome:
    """What became of one mutant, and why."""

    mutant: Mutant
    status: Status
    scenario: str | None = None
    feature_file: str | None = None
    reason: str = ""
    witness: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class MutationRun:
    """The whole run: every mutant's outcome and the figures the gate and the site need."""

    outcomes: tuple[MutantOutcome, ...]
    seconds: float
    scenarios: int
    scenario_runs: int
    verifier: bool
    tables: tuple[str, ...] = field(default=())

    def _count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status is status)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def killed(self) -> int:
        return self._count(Status.KILLED)

    @property
    def equivalent(self) -> int:
        return self._count(Status.EQUIVALENT)

    @property
    def survived(self) -> int:
        return self._count(Status.SURVIVED)

    @property
    def score(self) -> float:
        """Killed over the mutants that could be killed (1.0 when none could)."""
        killable = self.total - self.equivalent
        return 1.0 if killable == 0 else self.killed / killable

    @property
    def survivors(self) -> tuple[MutantOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is Status.SURVIVED)

    @property
    def ok(self) -> bool:
        return self.survived == 0


# --------------------------------------------------------------------------- scenario API


def scenario_label(outcome: Any) -> str:
    feature = getattr(outcome, "feature", "") or ""
    name = getattr(outcome, "name", "") or "(unnamed scenario)"
    return f"{feature}: {name}" if feature else name


def _short(error: Any) -> str:
    text = str(error or "failed").strip().splitlines()
    first = text[0] if text else "failed"
    return first if len(first) <= 300 else first[:297] + "..."


# --------------------------------------------------------------------------- baseline


@dataclass(frozen=True)
class _Context:
    """Inputs one table saw in the baseline, its result there, and the scenarios that saw them."""

    inputs: Mapping[str, Any]
    result: DecisionResult
    scenarios: tuple[int, ...]


@dataclass(frozen=True)
class Baseline:
    """The unmutated run: outcomes in suite order and, per table, the distinct inputs it saw.

    ``asserted[i]`` is the set of decisions scenario i reads (None: assume all), ``downstream[T]``
    the decisions that depend on T directly or through others, in evaluation order.
    """

    outcomes: tuple[Any, ...]
    contexts: Mapping[str, tuple[_Context, ...]]
    always: tuple[int, ...]
    asserted: tuple[frozenset[str] | None, ...] = ()
    downstream: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def run_baseline(spec: Spec, scenarios: Sequence[Any], run_scenario: ScenarioRunner) -> Baseline:
    """Run every scenario on the unmutated spec; raises BaselineFailure unless all pass."""
    if not scenarios:
        raise BaselineFailure((), "no scenarios were found: there is nothing that could kill a mutant")
    outcomes = []
    failures: list[tuple[str, str]] = []
    for scenario in scenarios:
        try:
            outcome = run_scenario(spec, scenario)
        except Exception as error:  # a scenario that crashes the runner fails the baseline
            failures.append((getattr(scenario, "name", repr(scenario)), _short(error)))
            continue
        outcomes.append(outcome)
        if not outcome.passed:
            failures.append((scenario_label(outcome), _short(outcome.error)))
    if failures:
        raise BaselineFailure(failures)
    grouped: dict[str, dict[tuple[object, ...], tuple[Mapping[str, Any], DecisionResult, list[int]]]] = {}
    always: list[int] = []
    for index, outcome in enumerate(outcomes):
        evaluations = tuple(getattr(outcome, "evaluations", None) or ())
        if not evaluations or not all(_has_all_results(spec, ev) for ev in evaluations):
            always.append(index)
            continue
        for evaluation in evaluations:
            for name, result in evaluation.results.items():
                key = tuple(result.inputs.items())
                entry = grouped.setdefault(name, {}).setdefault(key, (result.inputs, result, []))
                if entry[2][-1:] != [index]:
                    entry[2].append(index)
    contexts = {
        name: tuple(_Context(inputs, result, tuple(indices)) for inputs, result, indices in by_key.values())
        for name, by_key in grouped.items()
    }
    asserted = tuple(
        frozenset(o.asserted) if isinstance(getattr(o, "asserted", None), (tuple, list, set, frozenset)) else None
        for o in outcomes
    )
    return Baseline(tuple(outcomes), contexts, tuple(always), asserted, downstream_of(spec))


def downstream_of(spec: Spec) -> dict[str, tuple[str, ...]]:
    """For each decision, the decisions that read it directly or through others, in evaluation order."""
    below: dict[str, set[str]] = {table.name: set() for table in spec.tables}
    for name in reversed(spec.order):
        for upstream in spec.table(name).required_decisions:
            below.setdefault(upstream, set()).update({name} | below.get(name, set()))
    return {name: tuple(d for d in spec.order if d in found) for name, found in below.items()}


def _has_all_results(spec: Spec, evaluation: Any) -> bool:
    results = getattr(evaluation, "results", None)
    return isinstance(results, Mapping) and all(name in results for name in spec.order)


# --------------------------------------------------------------------------- judging one mutant


def mutated_spec(spec: Spec, mutant: Mutant) -> Spec:
    """The spec with the mutant's table in place of the original (same position, same order)."""
    tables = tuple(mutant.mutated if table.name == mutant.table else table for table in spec.tables)
    return replace(spec, tables=tables)


def affected_scenarios(baseline: Baseline, mutant: Mutant, prefilter: bool = True) -> list[int]:
    """Scenarios where the mutated table's result differs from the baseline, in suite order."""
    if not prefilter:
        return list(range(len(baseline.outcomes)))
    affected = set(baseline.always)
    for context in baseline.contexts.get(mutant.table, ()):
        try:
            changed = evaluate_table(mutant.mutated, context.inputs) != context.result
        except Exception:  # the mutant makes this table raise on inputs a scenario gives it
            changed = True
        if changed:
            affected.update(context.scenarios)
    return sorted(affected)


def could_fail(spec: Spec, baseline: Baseline, index: int, mutant: Mutant) -> bool:
    """Whether scenario ``index`` might see anything different under the mutant (see module doc)."""
    if index in baseline.always:
        return True
    reads = baseline.asserted[index] if index < len(baseline.asserted) else None
    order = (mutant.table, *baseline.downstream.get(mutant.table, ()))
    for evaluation in baseline.outcomes[index].evaluations:
        changed: dict[str, Any] = {}
        for name in order:
            before = evaluation.results[name]
            if name == mutant.table:
                table, inputs = mutant.mutated, before.inputs
            else:
                table = spec.table(name)
                if not any(column.decision and column.expression in changed for column in table.inputs):
                    continue
                inputs = {e: changed.get(e, v) for e, v in before.inputs.items()}
            try:
                after = evaluate_table(table, inputs)
            except Exception:  # raising under the mutant fails the When step
                return True
            if after != before:
                if reads is None or name in reads:
                    return True
                changed.update(published_outputs(table, after.value))
    return False


def judge(
    spec: Spec,
    scenarios: Sequence[Any],
    baseline: Baseline,
    mutant: Mutant,
    run_scenario: ScenarioRunner,
    equivalent: EquivalenceCheck | None,
    prefilter: bool = True,
) -> tuple[MutantOutcome, int]:
    """Kill the mutant with the first failing scenario, else ask the verifier; returns runs made too.

    A slip in what a reviewer reads (a citation, a figure in a label or annotation, an open
    question link) changes no answer, so no verifier can call it equivalent: it is killed by a new
    error of ``b12spec check``'s traceability analysis, or by a scenario, or it survives.
    """
    mutant_spec = mutated_spec(spec, mutant)
    runs = 0
    if mutant.metadata:
        finding = check_kill(spec, mutant_spec)
        if finding is not None:
            return MutantOutcome(mutant, Status.KILLED, "b12spec check", None, finding), runs
    for index in affected_scenarios(baseline, mutant, prefilter):
        if prefilter and not could_fail(spec, baseline, index, mutant):
            continue
        runs += 1
        label = scenario_label(baseline.outcomes[index])
        feature_file = getattr(baseline.outcomes[index], "feature_file", None)
        try:
            outcome = run_scenario(mutant_spec, scenarios[index])
        except Exception as error:  # evaluation raising under the mutant kills it
            return MutantOutcome(mutant, Status.KILLED, label, feature_file, f"raised: {_short(error)}"), runs
        if not outcome.passed:
            return MutantOutcome(mutant, Status.KILLED, label, feature_file, _short(outcome.error)), runs
    if mutant.metadata:
        return MutantOutcome(mutant, Status.SURVIVED, reason="neither b12spec check nor any scenario notices"), runs
    if equivalent is None:
        return MutantOutcome(mutant, Status.SURVIVED, reason="no scenario fails; no verifier to prove it"), runs
    original = spec.table(mutant.table)
    try:
        verdict = equivalent(spec, original, mutant.mutated)
    except Exception as error:  # fail closed: an unproven mutant is a survivor
        return MutantOutcome(mutant, Status.SURVIVED, reason=f"verifier failed: {_short(error)}"), runs
    if verdict.equal:
        return MutantOutcome(mutant, Status.EQUIVALENT, reason="proven equivalent by the verifier"), runs
    witness = dict(verdict.witness) if verdict.witness else None
    return MutantOutcome(mutant, Status.SURVIVED, reason="no scenario fails", witness=witness), runs


# The unmutated spec's own traceability errors, computed once per run (the spec is kept with them
# so that its id cannot be reused by another object).
_CHECKED: dict[int, tuple[Spec, frozenset[str]]] = {}


def _trace_errors(spec: Spec) -> frozenset[str]:
    from b12spec.verify.trace import trace_findings

    return frozenset(str(f) for f in trace_findings(spec) if f.is_error)


def check_kill(spec: Spec, mutant_spec: Spec) -> str | None:
    """The first traceability error the mutant adds to those of the unmutated spec, if any."""
    if id(spec) not in _CHECKED:
        _CHECKED.clear()
        _CHECKED[id(spec)] = (spec, _trace_errors(spec))
    new = sorted(_trace_errors(mutant_spec) - _CHECKED[id(spec)][1])
    return new[0] if new else None


# --------------------------------------------------------------------------- the run

_WORKER: dict[str, Any] = {}


def _judge_in_worker(index: int) -> tuple[int, MutantOutcome, int]:
    state = _WORKER
    outcome, runs = judge(
        state["spec"],
        state["scenarios"],
        state["baseline"],
        state["mutants"][index],
        state["run_scenario"],
        state["equivalent"],
        state["prefilter"],
    )
    return index, outcome, runs


def run_mutation(
    spec: Spec,
    scenarios: Sequence[Any],
    *,
    run_scenario: ScenarioRunner,
    equivalent: EquivalenceCheck | None,
    tables: Iterable[str] | None = None,
    mutants: Sequence[Mutant] | None = None,
    jobs: int = 1,
    prefilter: bool = True,
) -> MutationRun:
    """Generate (or take) mutants, run the baseline, then judge every mutant.

    The caller passes the scenario runner and the equivalence check (None counts every mutant no
    scenario kills as a survivor). Raises BaselineFailure when
    the unmutated spec fails a scenario, KeyError for an unknown table name.
    """
    started = time.perf_counter()
    names = tuple(tables) if tables is not None else None
    if names is not None:
        for name in names:
            spec.table(name)
    chosen = tuple(mutants) if mutants is not None else generate_mutants(spec, names)
    baseline = run_baseline(spec, scenarios, run_scenario)
    runs = len(scenarios)
    results: list[MutantOutcome | None] = [None] * len(chosen)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs > 1 and fork and len(chosen) > 1:
        _WORKER.update(
            spec=spec,
            scenarios=scenarios,
            baseline=baseline,
            mutants=chosen,
            run_scenario=run_scenario,
            equivalent=equivalent,
            prefilter=prefilter,
        )
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for index, outcome, made in pool.imap_unordered(_judge_in_worker, range(len(chosen)), chunksize=4):
                    results[index] = outcome
                    runs += made
        finally:
            _WORKER.clear()
    else:
        for index, mutant in enumerate(chosen):
            results[index], made = judge(spec, scenarios, baseline, mutant, run_scenario, equivalent, prefilter)
            runs += made
    outcomes = tuple(o for o in results if o is not None)
    return MutationRun(
        outcomes=outcomes,
        seconds=time.perf_counter() - started,
        scenarios=len(scenarios),
        scenario_runs=runs,
        verifier=equivalent is not None,
        tables=names or tuple(t.name for t in spec.tables),
    )
