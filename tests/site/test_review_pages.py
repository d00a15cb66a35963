"""The pages a reviewer works from: rule cards, column headers, priority order, the data
dictionary, the hit-policy glossary, feature pages with outline examples filled, Try a case and
the sign-off panel, read from the built HTML."""

from __future__ import annotations

import html as html_module
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, paths_in

from b12spec.cli import main
from b12spec.model import HitPolicy
from b12spec.scenarios.gherkin import parse_feature
from b12spec.site import SitePaths, build_site
from b12spec.site.context import feature_page
from b12spec.site.links import field_anchor, hit_policy_anchor, table_page
from b12spec.site.outline import expand
from b12spec.site.signoff import signoff_view
from b12spec.workspace import load_spec


def text_of(paths: SitePaths, page: str) -> str:
    """The page as a reader sees it: tags dropped, references resolved, whitespace collapsed."""
    raw = (paths.site_dir / page.replace(".md", ".html")).read_text(encoding="utf-8")
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def html_of(paths: SitePaths, page: str) -> str:
    return (paths.site_dir / page.replace(".md", ".html")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_with_reports(tmp_path_factory: pytest.TempPathFactory, feature_reports: Path) -> SitePaths:
    paths = paths_in(tmp_path_factory.mktemp("site-reports"), reports_dir=feature_reports)
    build_site(paths, signoff_view)
    return paths


def card_of(html: str, rule_id: str) -> str:
    return html.split(f'id="rule-{rule_id.lower()}"', 1)[1].split('<div class="b12-rule"', 1)[0]


def test_rule_cards_put_the_meaning_first(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    from b12spec.plain import describe_inputs

    for table in spec.tables:
        html = html_module.unescape(html_of(site_without_reports, table_page(table.name)))
        for rule in table.rules:
            card = " ".join(card_of(html, rule.id).split())
            when = card.index("When")
            assert when < card.index("Then") < card.index("Citations")
            for (label, words), cell in zip(describe_inputs(spec, table, rule), rule.input_text, strict=True):
                if cell.strip() != "-":  # an entry that matches anything is left out
                    assert f"{label}: {words}" in card, (rule.id, label)
            for column, value in zip(table.outputs, rule.outputs, strict=True):
                assert column.label_of(value) in card, (rule.id, column.name)


def test_open_question_badges_name_the_question(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    titles = {q.id: q.title for q in spec.open_questions}
    table, rule = next((t, r) for t in spec.tables for r in t.rules if r.open_questions)
    card = html_module.unescape(card_of(html_of(site_without_reports, table_page(table.name)), rule.id))
    for question in rule.open_questions:
        link = rf'<a href="[^"]*#{question.lower()}">{question}</a>'
        badge = re.search(rf'<span class="b12-oq">{link} ([^<]+)</span>', card)
        assert badge and badge.group(1) == titles[question]


def test_cards_show_scenarios_with_their_last_result(site_with_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    results = json.loads((site_with_reports.reports_dir / "scenario-results.json").read_text())["scenarios"]
    table = spec.table("treatment")
    html = html_module.unescape(html_of(site_with_reports, table_page(table.name)))
    for rule in table.rules:
        card = card_of(html, rule.id)
        assert "b12-passed" in card, rule.id  # every rule is tested by a passing scenario
        assert "not run yet" not in card
    assert all(r["status"] == "passed" for r in results)


def test_input_headers_show_label_unit_allowed_values_and_link_the_dictionary(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    table = spec.table("b12_status")
    html = html_module.unescape(html_of(site_without_reports, table_page(table.name)))
    grid_header = html.split('class="b12-grid"', 1)[1].split("</thead>", 1)[0]
    for column in table.inputs:
        field = spec.dictionary.get(column.expression)
        assert field is not None
        assert f'href="../data-dictionary.html#{field_anchor(column.expression)}"' in grid_header
        assert column.label in grid_header and field.allowed_text() in grid_header
        if field.unit:
            assert field.unit in grid_header


def test_priority_tables_list_output_values_in_priority_order(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    ranked = [t for t in spec.tables if t.hit_policy in (HitPolicy.PRIORITY, HitPolicy.OUTPUT_ORDER)]
    assert ranked, "the guideline has a Priority table"
    others = [t for t in spec.tables if t not in ranked]
    for table in ranked:
        html = html_module.unescape(html_of(site_without_reports, table_page(table.name)))
        for column in table.outputs:
            after = html.split(f"Priority order of {column.label}", 1)[1]
            listed = re.findall(r"<li>(.*?)</li>", after.split("<ol>", 1)[1].split("</ol>", 1)[0], re.DOTALL)
            shown = [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in listed]
            assert shown == [f"{column.label_of(v)} ({v})" for v in column.values]
    assert all("Priority order of" not in text_of(site_without_reports, table_page(t.name)) for t in others)


def test_data_dictionary_gives_units_conversion_and_ranges(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    text = text_of(site_without_reports, "data-dictionary.md")
    for field in spec.dictionary.fields:
        assert f'id="{field_anchor(field.name)}"' in html_of(site_without_reports, "data-dictionary.md")
        if field.minimum is not None:
            assert f"{field.minimum:g} to {field.maximum:g}" in text, field.name
        for unit in field.units:
            if unit.symbol != field.unit:
                assert f"{unit.per_canonical:g} {unit.symbol} = 1 {field.unit}" in text, (field.name, unit.symbol)
    assert "0.738 pmol/L = 1 ng/L" in text  # the total B12 conversion a reviewer checks first


def test_every_table_page_links_its_inputs_to_the_dictionary(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    for table in spec.tables:
        html = html_of(site_without_reports, table_page(table.name))
        for column in table.inputs:
            if spec.dictionary.get(column.expression) is not None:
                target = f"data-dictionary.html#{field_anchor(column.expression)}"
                assert target in html, (table.name, column.expression)


def test_hit_policy_glossary_has_every_policy_and_tables_link_to_it(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    html = html_of(site_without_reports, "hit-policies.md")
    anchors = {hit_policy_anchor(p.value) for p in HitPolicy}
    assert len(anchors) == len(HitPolicy)  # C+, C<, C> and C# keep distinct anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    for table in spec.tables:
        assert f"hit-policies.html#{hit_policy_anchor(table.hit_policy.value)}" in html_of(
            site_without_reports, table_page(table.name))


def test_one_page_per_feature_with_outline_examples_filled(site_with_reports: SitePaths) -> None:
    features = sorted((REPO / "features").glob("*.feature"))
    index = html_of(site_with_reports, "features.md")
    for feature in features:
        page = feature_page(f"features/{feature.name}")
        assert page.replace(".md", ".html").split("/")[-1] in index
        text = text_of(site_with_reports, page)
        heading_placeholders = re.findall(r"Example \d+: [^<]*<[a-z ]+>", html_module.unescape(
            html_of(site_with_reports, page)))
        assert not heading_placeholders, heading_placeholders[:3]
        assert "Given:" in text or "Scenario" not in feature.read_text()
    age = text_of(site_with_reports, "features/age-groups.md")
    assert "Example 1: Age 0 puts the patient among the children" in age
    assert "age = 0" in age and "group = Child (under 16 years" in age  # an input and an expected output
    assert "not run yet" not in age


def test_outline_expansion_splits_inputs_from_expected_outputs() -> None:
    feature = parse_feature(
        "Feature: F\n  Scenario Outline: Age <age> is <group>\n    Given a <age>-year-old\n    When applied\n"
        "    Then the group is <group>\n    And OQ-06 is named\n"
        "    Examples:\n      | age | group |\n      | 0 | child |\n      | 16 | adult |\n"
        "    Examples:\n      | age | group |\n      | 90 | adult |\n",
        "features/f.feature",
    )
    (outline,) = feature.definitions
    runs = expand(outline)
    assert [r.name for r in runs] == ["Age 0 is child", "Age 16 is adult", "Age 90 is adult"]
    assert [r.index for r in runs] == [1, 2, 3]  # numbered across Examples blocks, as the runner does
    assert [r.run.name for r in runs] == [f"{r.name} (example {r.index})" for r in runs]  # the runner's names
    assert runs[0].inputs == (("age", "0"),) and runs[0].expected == (("group", "child"),)
    assert runs[2].steps[0].text == "a 90-year-old"


def test_a_plain_scenario_has_no_examples() -> None:
    feature = parse_feature("Feature: F\n  Scenario: S\n    Given a 5-year-old\n", "features/f.feature")
    assert expand(feature.definitions[0]) == ()


def test_try_a_case_shows_the_trace_first_with_links(site_without_reports: SitePaths) -> None:
    html = html_of(site_without_reports, "try-a-case.md")
    section = html.split('id="neurological-deficiency-trace"', 1)[1]
    assert html.index('id="neurological-deficiency-trace"') < html.index('id="neurological-deficiency-recommendation"')
    body = section.split('id="neurological-deficiency-recommendation"', 1)[1].split("<h2", 1)[0]
    assert re.search(r'href="tables/[a-z0-9-]+\.html#rule-[a-z]+-\d+"', body)  # rule ids are links
    assert re.search(r'href="sources\.html#source-', body)  # references are links
    assert "<pre" not in section.split("<h2", 1)[0]  # structured HTML, not a text dump


def test_signoff_panel_shows_state_hash_and_the_commands(site_without_reports: SitePaths) -> None:
    status = json.loads(CliRunner().invoke(main, ["status", "--json"]).output)
    spec = load_spec(REPO / "spec")
    for state in status["tables"]:
        html = html_of(site_without_reports, table_page(state["table"]))
        block = html.split('class="b12-signoff"', 1)[1].split('id="how-it-decides"', 1)[0]
        panel = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", block)).split())
        assert state["current_hash"] in panel
        for verb in ("submit", "start-review", "approve"):
            assert f'b12spec signoff {verb} {state["table"]} --key YOUR-KEY-FILE' in panel
        assert "never approved" in panel and "Changes since approval" in panel
        assert f"b12spec docs packet {state['table']}" in panel
    assert len(status["tables"]) == len(spec.tables)


def test_search_keeps_hyphenated_ids_whole_and_skips_generated_lists(site_without_reports: SitePaths) -> None:
    index = json.loads((site_without_reports.site_dir / "search" / "search_index.json").read_text())
    separator = re.compile(index["config"]["separator"])
    assert separator.split("TX-01 OQ-19") == ["TX-01", "OQ-19"]
    worker = next((site_without_reports.site_dir / "assets/javascripts/workers").glob("search.*.js"))
    assert "the query lexer follows the configured search separator" in worker.read_text()


def test_the_killed_mutant_list_stays_out_of_the_search_index(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "mutation.json").write_text(json.dumps({
        "total": 2, "killed": 2, "equivalent": 0, "survived": 0, "score": 1.0, "seconds": 1.0, "survivors": [],
        "killed_by": [{"table": "treatment", "rule": "TX-01", "change": "zanzibarquux swap", "scenario": "s"}]}))
    paths = paths_in(tmp_path, reports_dir=reports)
    build_site(paths, signoff_view)
    assert "zanzibarquux swap" in text_of(paths, "mutation.md")  # on the page
    index = (paths.site_dir / "search" / "search_index.json").read_text()
    assert "zanzibarquux" not in index  # but not in the index
