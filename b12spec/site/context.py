"""The view model of the site: the spec cross-referenced with reports, features and sign-off.

Templates only lay out what this module hands them. Every cross-reference (rule to scenarios,
rule to recommendations, question to rules, scenario to its last result) is computed here once,
from the data that exists; nothing is filled in when a report is missing.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from b12spec.evidence import Evidence, evidence_for
from b12spec.model import DecisionTable, HitPolicy, InputColumn, OutputColumn, Recommendation, Rule, Spec
from b12spec.properties import PropertyError
from b12spec.scenarios.gherkin import Feature, ScenarioDefinition
from b12spec.site.columns import ColumnInfo, RankedValue, input_info, output_info, priority_order
from b12spec.site.escape import slug
from b12spec.site.examples import ExampleResult
from b12spec.site.meaning import RuleMeaning, rule_meaning
from b12spec.site.outline import ExampleRun, expand
from b12spec.site.reports import Reports
from b12spec.site.signoff import SignoffView
from b12spec.sourcetext import SourceText
from b12spec.verify.prover import Proof, prove_spec

FEATURES_DIR = "features"


def feature_page(feature_file: str) -> str:
    """One page per feature file: ``features/age_groups.feature`` -> ``features/age-groups.md``."""
    return f"{FEATURES_DIR}/{slug(PurePosixPath(feature_file).stem)}.md"


@dataclass
class ScenarioRef:
    """A scenario as a rule or recommendation sees it: its name, last result and page anchor."""

    name: str
    status: str  # "passed", "failed" or "not run yet"
    anchor: str | None
    runs: int = 1  # how many runs (outline examples) of the scenario fired the rule
    page: str | None = None


@dataclass
class ScenarioEntry:
    """A scenario on the features page: from a feature file, a result, or both."""

    name: str
    anchor: str
    scenario: ScenarioDefinition | None
    results: list[dict[str, Any]] = field(default_factory=list)
    page: str | None = None
    runs: tuple[ExampleRun, ...] = ()

    @property
    def status(self) -> str:
        if not self.results:
            return "not run yet"
        return "failed" if any(r.get("status") != "passed" for r in self.results) else "passed"

    def example_anchor(self, run: ExampleRun) -> str:
        return f"{self.anchor}-example-{run.index}"

    def result_of(self, run: ExampleRun) -> dict[str, Any] | None:
        """The last result of one example: the result recorded under the run's own name."""
        for result in self.results:
            if str(result.get("name", "")) == run.run.name:
                return result
        return None


@dataclass
class FeatureEntry:
    name: str
    file: str
    feature: Feature | None
    scenarios: list[ScenarioEntry] = field(default_factory=list)

    @property
    def page(self) -> str:
        return feature_page(self.file)

    def count(self, status: str) -> int:
        passed = status == "passed"
        return sum(1 for s in self.scenarios for r in s.results if (r.get("status") == "passed") == passed)


@dataclass
class SiteContext:
    spec: Spec
    reports: Reports
    signoff: SignoffView
    features: list[FeatureEntry]
    unmatched_results: list[ScenarioEntry]
    examples: list[ExampleResult]
    rule_scenarios: dict[str, RuleTests]
    rule_recommendations: dict[str, list[Recommendation]]
    question_rules: dict[str, list[tuple[DecisionTable, Rule]]]
    source_uses: dict[str, list[str]]
    rule_table: dict[str, DecisionTable]
    spec_updated: str | None
    tables: list[DecisionTable]
    # The guideline-wide safety properties and their proof status (issue 10's prover).
    proofs: tuple[Proof, ...] = ()
    properties_error: str = ""  # why the properties could not be read: shown, never an empty list
    source: SourceText | None = None  # read at build time; its words go into the pages only

    def evidence_of(self, rule_id: str) -> tuple[Evidence, ...]:
        """The entries a rule executes, each restated beside the source's words (when read)."""
        return evidence_for(self.spec, self.source, rule_id)

    def meaning(self, table: DecisionTable, rule: Rule) -> RuleMeaning:
        return rule_meaning(self.spec, table, rule)

    def input_info(self, column: InputColumn) -> ColumnInfo:
        return input_info(self.spec, column)

    def output_info(self, column: OutputColumn) -> ColumnInfo:
        return output_info(column)

    def priority_order(self, table: DecisionTable, column: OutputColumn) -> tuple[RankedValue, ...]:
        return priority_order(table, column)

    def tables_using(self, policy: HitPolicy) -> list[str]:
        return [t.name for t in self.tables if t.hit_policy is policy]

    def tables_reading(self, field_name: str) -> list[str]:
        return [t.name for t in self.tables if any(c.expression == field_name for c in t.inputs)]

    def feeds(self, name: str) -> list[str]:
        """The decisions that test an output of decision ``name``."""
        return [t.name for t in self.tables if name in t.required_decisions]

    def recommendations_of(self, rule_id: str) -> list[str]:
        return [r.id for r in self.rule_recommendations.get(rule_id, [])]

    def tests_of(self, rule_id: str) -> RuleTests:
        return self.rule_scenarios.get(rule_id, RuleTests())

    def table_coverage(self, name: str) -> dict[str, Any] | None:
        data = self.reports.coverage.data
        return None if data is None else data.get("tables", {}).get(name)

    def scenarios_of_recommendation(self, recommendation: Recommendation) -> list[ScenarioRef]:
        seen: dict[str, ScenarioRef] = {}
        for rule in recommendation.rules:
            for ref in self.rule_scenarios.get(rule, RuleTests()).scenarios:
                seen.setdefault(ref.name, ref)
        return list(seen.values())


class _Anchors:
    """Unique anchors for one page, so a repeated scenario name cannot collide."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, *parts: str) -> str:
        base = f"{prefix}-" + slug("-".join(parts))
        anchor, n = base, 2
        while anchor in self.used:
            anchor, n = f"{base}-{n}", n + 1
        self.used.add(anchor)
        return anchor


def _features(features: list[Feature], results: list[dict[str, Any]]) -> tuple[list[FeatureEntry], list[ScenarioEntry]]:
    """Each scenario with the results recorded for it (same file and name), and the results of none."""
    anchors = _Anchors()
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, result in enumerate(results):
        by_key.setdefault((str(result.get("feature_file", "")), str(result.get("name", ""))), []).append(i)
    claimed: set[int] = set()
    entries = []
    for feature in features:
        entry = FeatureEntry(feature.name, feature.file, feature)
        for definition in feature.definitions:
            mine = [i for run in definition.runs for i in by_key.get((run.feature_file, run.name), [])]
            claimed.update(mine)
            entry.scenarios.append(
                ScenarioEntry(
                    definition.name, anchors.make("scenario", feature.name, definition.name), definition,
                    [results[i] for i in mine], feature_page(feature.file), expand(definition),
                )
            )
        entries.append(entry)
    unmatched = [
        ScenarioEntry(str(r.get("name", "")), anchors.make("result", str(r.get("feature", "")), str(r.get("name", ""))),
                      None, [r], page="features.md")
        for i, r in enumerate(results)
        if i not in claimed
    ]
    return entries, unmatched


def _worst(a: str, b: str) -> str:
    order = ("failed", "not run yet", "passed")
    return min(a, b, key=lambda status: order.index(status) if status in order else 0)


@dataclass
class RuleTests:
    """The scenarios that test one rule, and how many other runs merely passed through it."""

    scenarios: list[ScenarioRef] = field(default_factory=list)
    incidental_runs: int = 0
    incidental_failed: int = 0


def _rule_scenarios(
    reports: Reports, entries: list[FeatureEntry], unmatched: list[ScenarioEntry], rule_ids: set[str]
) -> dict[str, RuleTests]:
    """Rule id -> the scenarios that test it, with their last results.

    A scenario tests a rule when the coverage report maps it to the rule, or when it carries the
    rule id as a tag. Other runs that merely fired the rule on the way (every case passes the age
    group table) are counted, not listed. Examples of one outline count as one scenario: the ref
    says how many runs there were and the worst result.
    """
    by_result: dict[int, ScenarioEntry] = {}
    results_by_name: dict[str, dict[str, Any]] = {}
    for entry in [s for f in entries for s in f.scenarios] + unmatched:
        for result in entry.results:
            by_result[id(result)] = entry
    for result in reports.scenario_list():
        results_by_name.setdefault(str(result.get("name", "")), result)
    tests: dict[str, RuleTests] = {}
    refs: dict[str, dict[str, ScenarioRef]] = {}
    targeted: set[tuple[str, int]] = set()

    def add(rule: str, result: dict[str, Any] | None, name: str) -> None:
        entry = by_result.get(id(result)) if result is not None else None
        status = str(result.get("status", "unknown")) if result is not None else "not run yet"
        key = entry.anchor if entry else name
        mine = refs.setdefault(rule, {})
        if key in mine:
            mine[key].status = _worst(mine[key].status, status)
            mine[key].runs += 1
        else:
            mine[key] = ScenarioRef(
                entry.name if entry else name,
                status,
                entry.anchor if entry else None,
                page=entry.page if entry else None,
            )
        if result is not None:
            targeted.add((rule, id(result)))

    coverage = reports.coverage.data or {}
    for table in coverage.get("tables", {}).values():
        for rule, names in (table.get("rules", {}).get("scenarios") or {}).items():
            for name in names:
                add(str(rule), results_by_name.get(str(name)), str(name))
    for result in reports.scenario_list():
        for tag in result.get("tags") or []:
            rule = str(tag).lstrip("@")
            if rule in rule_ids and (rule, id(result)) not in targeted:
                add(rule, result, str(result.get("name", "")))
    for result in reports.scenario_list():
        for rule in result.get("rules") or []:
            if (str(rule), id(result)) not in targeted:
                counts = tests.setdefault(str(rule), RuleTests())
                counts.incidental_runs += 1
                counts.incidental_failed += result.get("status") != "passed"
    for rule, mine in refs.items():
        tests.setdefault(rule, RuleTests()).scenarios = list(mine.values())
    return tests


def spec_last_changed(spec_dir: Path) -> str | None:
    """The date of the last commit touching the spec, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", "."],
            cwd=spec_dir, capture_output=True, text=True, timeout=20, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def build_context(
    spec: Spec,
    reports: Reports,
    signoff: SignoffView,
    features: list[Feature],
    examples: list[ExampleResult],
    spec_updated: str | None,
    source: SourceText | None = None,
) -> SiteContext:
    entries, unmatched = _features(features, reports.scenario_list())
    rule_recs: dict[str, list[Recommendation]] = {}
    for recommendation in spec.catalogue:
        for rule in recommendation.rules:
            rule_recs.setdefault(rule, []).append(recommendation)
    question_rules: dict[str, list[tuple[DecisionTable, Rule]]] = {}
    source_uses: dict[str, list[str]] = {}
    rule_table: dict[str, DecisionTable] = {}
    # Pages and navigation follow the order a clinician reads the guideline in (display_order),
    # ties kept in evaluation order.
    tables = sorted([spec.table(name) for name in spec.order] or list(spec.tables), key=lambda t: t.display_order)
    for table in tables:
        for table_rule in table.rules:
            rule_table[table_rule.id] = table
            for question in table_rule.open_questions:
                question_rules.setdefault(question, []).append((table, table_rule))
            for citation in table_rule.citations:
                source_uses.setdefault(citation, []).append(table_rule.id)
    proofs, properties_error = _proofs(spec)
    return SiteContext(
        spec=spec,
        reports=reports,
        signoff=signoff,
        features=entries,
        unmatched_results=unmatched,
        examples=examples,
        rule_scenarios=_rule_scenarios(reports, entries, unmatched, set(rule_table)),
        rule_recommendations=rule_recs,
        question_rules=question_rules,
        source_uses=source_uses,
        rule_table=rule_table,
        spec_updated=spec_updated,
        tables=tables,
        proofs=proofs,
        properties_error=properties_error,
        source=source,
    )


def _proofs(spec: Spec) -> tuple[tuple[Proof, ...], str]:
    """Every property with its verdict, or none and why: a properties file that cannot be read
    showed as an empty list, which a reviewer reads as "nothing to prove" (issue-16 harness)."""
    try:
        proofs, _ = prove_spec(spec)
    except PropertyError as error:
        return (), str(error)
    return tuple(proofs), ""
