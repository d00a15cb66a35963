"""`b12spec docs build` end to end: pages from the real spec, escaping, honesty, strict links."""

from __future__ import annotations

import csv
import html as html_module
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, paths_in

from b12spec.cli import main
from b12spec.site import SiteBuildError, SitePaths, build_site, render, run_mkdocs
from b12spec.site.links import table_page
from b12spec.site.render import reset_build_dir
from b12spec.site.reports import ReportError
from b12spec.site.signoff import signoff_view
from b12spec.workspace import load_spec


class Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> list[list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def grid_of(html: str) -> list[list[str]]:
    """The DMN grid of a table page: the table inside the ``b12-grid`` block."""
    return tables_of(html.split('class="b12-grid"', 1)[1])[0]


def raw_page(paths: SitePaths, markdown_path: str) -> str:
    return (paths.site_dir / markdown_path.replace(".md", ".html")).read_text(encoding="utf-8")


def page(paths: SitePaths, markdown_path: str) -> str:
    """The page with character references resolved: what the reader sees (and tags, as tags)."""
    return html_module.unescape(raw_page(paths, markdown_path))


def test_every_table_has_a_page_listing_every_rule(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    for table in spec.tables:
        html = page(site_without_reports, table_page(table.name))
        rule_table = grid_of(html)
        header, rows = rule_table[0], rule_table[1:]
        assert [row[0] for row in rows] == [rule.id for rule in table.rules]
        # header: Rule, one column per input, one per output, citations, open questions
        assert len(header) == 1 + len(table.inputs) + len(table.outputs) + 2
        assert all(len(row) == len(header) for row in rows)
        assert header[1].startswith("in") and header[1 + len(table.inputs)].startswith("out")
        assert table.hit_policy.plain_words.split(":")[0] in html
        for rule in table.rules:
            assert f'id="rule-{rule.id.lower()}"' in html


def test_citations_link_to_the_sources_page(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    table = spec.tables[0]
    html = page(site_without_reports, table_page(table.name))
    citation = table.rules[0].citations[0]
    assert f'href="../sources.html#source-{citation.lower()}"' in html
    assert f'id="source-{citation.lower()}"' in page(site_without_reports, "sources.md")


def test_home_page_has_version_disclaimer_and_status(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    html = page(site_without_reports, "index.md")
    assert spec.guideline.version in html
    assert "not a substitute for clinical" in " ".join(html.split())
    assert "Review status at a glance" in html
    assert html.count("not run yet") >= 3  # check, scenarios, coverage, mutation all absent


def test_missing_reports_say_not_run_yet(site_without_reports: SitePaths) -> None:
    for name in ("verification.md", "coverage.md", "mutation.md"):
        assert "Not run yet" in page(site_without_reports, name), name
    table_html = page(site_without_reports, table_page(load_spec(REPO / "spec").tables[0].name))
    assert "not run yet" in table_html


def test_open_questions_list_their_rules(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    html = page(site_without_reports, "open-questions.md")
    for question in spec.open_questions:
        assert f'id="{question.id.lower()}"' in html
    table, rule = next((t, r) for t in spec.tables for r in t.rules if r.open_questions)
    target = table_page(table.name).replace(".md", ".html")
    assert f'href="{target}#rule-{rule.id.lower()}"' in html


def test_diagram_has_a_node_and_a_link_per_decision(site_without_reports: SitePaths) -> None:
    spec = load_spec(REPO / "spec")
    html = page(site_without_reports, "diagram.md")
    assert 'class="b12-mermaid"' in html
    for table in spec.tables:
        assert f'd_{table.name}["' in html
        assert f'data-decision="d_{table.name}"' in html
        for upstream in table.required_decisions:
            assert f"d_{upstream} --> d_{table.name}" in html


def test_examples_are_evaluated(site_without_reports: SitePaths) -> None:
    html = page(site_without_reports, "try-a-case.md")
    for example in (REPO / "examples").iterdir():
        assert example.stem in html
    assert "Matched rules" in html


def test_no_page_loads_anything_from_the_network(site_without_reports: SitePaths) -> None:
    for html_file in site_without_reports.site_dir.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        for marker in ('src="http', "href=\"https://fonts", "fonts.googleapis", "unpkg.com", "cdn.jsdelivr"):
            assert marker not in html, (html_file, marker)
    assert (site_without_reports.site_dir / "assets/vendor/mermaid/LICENSE").exists()


def test_script_in_an_annotation_shows_as_text(tmp_path: Path, spec_copy_dir: Path) -> None:
    csv_file = spec_copy_dir / "tables" / "treatment.csv"
    with csv_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    evil = "<script>alert(1)</script> | *not bold* [x](http://evil.example)"
    rows[1][-1] = evil
    with csv_file.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    paths = paths_in(tmp_path, spec_dir=spec_copy_dir, reports_dir=tmp_path / "reports")
    build_site(paths, signoff_view)
    html = raw_page(paths, table_page("treatment"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="http://evil.example"' not in html and "<em>not bold</em>" not in html
    rows_html = grid_of(html)
    assert all(len(row) == len(rows_html[0]) for row in rows_html)  # the grid's rows stay whole
    card = html_module.unescape(html.split('id="rule-tx-01"')[1].split("<h3")[0])
    assert evil in " ".join(card.split())  # shown in the rule's card as text, pipe and all


def test_a_broken_internal_link_fails_the_build(tmp_path: Path, empty_reports: Path) -> None:
    paths = paths_in(tmp_path, reports_dir=empty_reports)
    config = render(paths, signoff_view)
    run_mkdocs(config, paths.site_dir)  # the generated pages themselves build cleanly
    index = paths.pages_dir / "index.md"
    original = index.read_text(encoding="utf-8")
    for broken in ("[gone](no-such-page.md)", "[gone](sources.md#source-no-such-reference)"):
        index.write_text(original + f"\n{broken}\n", encoding="utf-8")
        with pytest.raises(SiteBuildError) as error:
            run_mkdocs(config, paths.site_dir)
        assert "index.md" in str(error.value)


def test_reports_are_rendered_when_present(tmp_path: Path) -> None:
    spec = load_spec(REPO / "spec")
    table = spec.table("treatment")
    rule = table.rules[0].id
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "check.json").write_text(json.dumps({"errors": 1, "warnings": 0, "findings": [
        {"kind": "gap", "severity": "error", "table": "treatment", "file": None, "rules": [rule],
         "message": "a gap | with a pipe", "witness": {"age_years": 30}}]}))
    (reports / "mutation.json").write_text(json.dumps({
        "total": 8, "killed": 6, "equivalent": 1, "survived": 1, "score": 0.857, "seconds": 1.5,
        "survivors": [{"table": "treatment", "rule": rule, "change": "swap output"}], "killed_by": []}))
    (reports / "scenario-results.json").write_text(json.dumps({"scenarios": [
        {"feature": "Treatment", "feature_file": "features/none.feature", "name": "Loading dose with nerves",
         "tags": [rule], "status": "failed", "rules": [rule], "steps": [{"keyword": "Given", "text": "a case"}]},
        {"feature": "Other", "feature_file": "features/none.feature", "name": "Passes through",
         "tags": [], "status": "passed", "rules": [rule], "steps": []}]}))
    paths = paths_in(tmp_path, reports_dir=reports)
    build_site(paths, signoff_view)
    verification = page(paths, "verification.md")
    assert "a gap | with a pipe" in verification and f"#rule-{rule.lower()}" in verification
    assert "85.7%" in page(paths, "mutation.md")
    table_html = page(paths, table_page("treatment"))
    assert "Loading dose with nerves" in table_html
    detail = table_html.split(f'id="rule-{rule.lower()}"')[1].split("<h3")[0]
    assert "b12-failed" in detail  # the tagged scenario is listed with its last result
    assert "Passes through" not in detail and "1 other scenario runs" in detail  # untagged: counted only
    assert "Passes through" in page(paths, "features.md")  # results with no feature file still shown
    assert "Not run yet" in page(paths, "coverage.md")


def test_a_malformed_report_is_an_error_not_not_run(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "coverage.json").write_text("{not json")
    with pytest.raises(ReportError, match=r"coverage\.json"):
        render(paths_in(tmp_path, reports_dir=reports), signoff_view)


def test_build_dir_not_made_by_b12spec_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep")
    with pytest.raises(FileExistsError):
        reset_build_dir(tmp_path)
    assert (tmp_path / "mine.txt").exists()


def test_site_dir_that_would_wipe_the_checkout_is_refused(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    for bad in (REPO, REPO / "spec", REPO.parent):
        with pytest.raises(Exception, match="refusing"):
            build_site(SitePaths(**{**paths.__dict__, "site_dir": bad}), signoff_view)


def test_docs_build_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["docs", "build", "--output", str(tmp_path / "out"), "--build-dir", str(tmp_path / "b")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").exists()
    assert (tmp_path / "b" / "docs" / "index.md").exists()


def test_docs_build_refuses_an_invalid_spec(tmp_path: Path, spec_copy_dir: Path) -> None:
    (spec_copy_dir / "tables" / "treatment.csv").write_text("rule,nonsense\nTX-01,1\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["--spec", str(spec_copy_dir), "docs", "build", "--output", str(tmp_path / "out"),
         "--build-dir", str(tmp_path / "b")],
    )
    assert result.exit_code == 1
    assert "treatment.csv" in result.output
    assert not (tmp_path / "out" / "index.html").exists()


def test_the_properties_page_shows_each_property_its_reason_and_proof_status(site_without_reports: SitePaths) -> None:
    from b12spec.properties import load_properties

    html = page(site_without_reports, "properties.md")
    text = html_module.unescape(html)
    properties = load_properties(REPO / "spec")
    assert properties
    for prop in properties:
        assert f"{prop.id}: {prop.title}" in text, prop.id
        assert prop.reason[:60] in text, prop.id
        assert prop.then[0].text in text, prop.id
    assert html.count("b12-property-proven") >= 2 * len(properties)
