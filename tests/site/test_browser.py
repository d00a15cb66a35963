"""The built site in a real browser: Debian's headless Chromium driven by Playwright.

It opens the site from a local server on 127.0.0.1 and checks what a reviewer relies on: at a
desktop width (1440x900) and on a phone (390x844) no rules view scrolls sideways and every rule
id, citation, open question and scenario result of each table is visible on its page; search
finds rule and question ids exactly; axe-core (bundled by axe-playwright-python, so nothing is
fetched) finds no critical or serious violation on any page, in the light or the dark palette;
and no request leaves the machine. It never skips: `make test` installs chromium when missing.

Screenshots of every page are kept as a test artefact under pytest's temporary directory
(``<basetemp>/screenshots``), never in the checkout.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, paths_in
from playwright.sync_api import Browser, Page, Route, sync_playwright

from b12spec.site import SitePaths, build_site
from b12spec.site.context import build_context
from b12spec.site.examples import evaluate_examples
from b12spec.site.links import table_page
from b12spec.site.reports import load_reports
from b12spec.site.signoff import signoff_view
from b12spec.workspace import load_spec, read_features

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLE = "treatment"
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = ("critical", "serious")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def reports(feature_reports: Path) -> Path:
    return feature_reports


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, reports: Path) -> SitePaths:
    paths = paths_in(tmp_path_factory.mktemp("browser-site"), reports_dir=reports)
    build_site(paths, signoff_view)
    return paths


@pytest.fixture(scope="module")
def base_url(built: SitePaths) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (make test does it as root)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _local_context(browser: Browser, base_url: str, **options: Any) -> tuple[Any, list[str]]:
    """A browser context whose every request is recorded, and any leaving 127.0.0.1 blocked."""
    context = browser.new_context(**options)
    requests: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.on("request", lambda request: requests.append(request.url))
    context.route("**/*", only_local)
    return context, requests


def _assert_local(requests: list[str], base_url: str) -> None:
    outside = [url for url in requests if not url.startswith((base_url, "data:", "blob:"))]
    assert not outside, f"requests left the machine: {outside}"


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[tuple[Page, list[str]]]:
    """A fresh desktop page."""
    context, requests = _local_context(browser, base_url, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    yield page, requests
    context.close()
    _assert_local(requests, base_url)


def _expected_scenarios(reports: Path) -> dict[str, list[tuple[str, str]]]:
    """Rule id -> (scenario name, last result) as the site's view model computes them."""
    spec = load_spec(REPO / "spec")
    context = build_context(
        spec, load_reports(reports), signoff_view(spec), list(read_features(REPO / "features")),
        evaluate_examples(spec, REPO / "examples", REPO), None,
    )
    return {rule_id: [(ref.name, ref.status) for ref in context.tests_of(rule_id).scenarios]
            for rule_id in context.rule_table}


def _no_sideways_scroll(page: Page, what: str) -> None:
    widths = page.evaluate(
        """() => {
            const doc = document.scrollingElement;
            const rules = document.querySelector('.b12-rules');
            return {page: [doc.scrollWidth, doc.clientWidth],
                    rules: rules ? [rules.scrollWidth, rules.clientWidth] : null,
                    cards: [...document.querySelectorAll('.b12-rule')]
                        .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.querySelector('h3').id)};
        }"""
    )
    assert widths["page"][0] <= widths["page"][1], f"{what}: the page scrolls sideways {widths['page']}"
    assert widths["rules"] is not None, f"{what}: no rules view"
    assert widths["rules"][0] <= widths["rules"][1], f"{what}: the rules view scrolls sideways {widths['rules']}"
    assert not widths["cards"], f"{what}: rule cards wider than their box: {widths['cards']}"


# One round trip per page: what each rule card shows, and whether each part is really visible.
CARDS_JS = """() => {
    const seen = el => !!el && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
        && el.getBoundingClientRect().width > 0;
    return [...document.querySelectorAll('.b12-rule')].map(card => ({
        id: card.querySelector('h3') ? card.querySelector('h3').id : null,
        visible: seen(card),
        text: card.innerText,
        citations: [...card.querySelectorAll('.b12-citations a[href*="sources.html#source-"]')]
            .filter(seen).map(a => a.innerText.trim()),
        questions: [...card.querySelectorAll('.b12-oq')].filter(seen).map(b => b.innerText.trim()),
        scenarios: [...card.querySelectorAll('.b12-evidence li')].filter(seen).map(li => ({
            text: li.innerText,
            results: [...li.querySelectorAll('.b12-badge')].filter(seen).map(b => b.innerText.trim()),
        })),
    }));
}"""


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_rules_view_fits_and_shows_every_rule_citation_question_and_result(
    browser: Browser, base_url: str, reports: Path, screenshots: Path, device: str
) -> None:
    spec = load_spec(REPO / "spec")
    scenarios = _expected_scenarios(reports)
    titles = {q.id: q.title for q in spec.open_questions}
    context, requests = _local_context(browser, base_url, viewport=VIEWPORTS[device])
    page = context.new_page()
    try:
        for table in spec.tables:
            page.goto(base_url + table_page(table.name).replace(".md", ".html"))
            _no_sideways_scroll(page, f"{table.name} at {device}")
            cards = {card["id"]: card for card in page.evaluate(CARDS_JS)}
            assert list(cards) == [f"rule-{rule.id.lower()}" for rule in table.rules], table.name
            for rule in table.rules:
                card = cards[f"rule-{rule.id.lower()}"]
                assert card["visible"] and rule.id in card["text"], (device, rule.id)
                assert card["citations"] == [f"[{c}]" for c in rule.citations], (device, rule.id)
                for question in rule.open_questions:
                    # the badge names the question: its id and its title
                    assert f"{question} {titles[question]}" in card["questions"], (device, rule.id, question)
                assert scenarios[rule.id], f"{rule.id}: the features test every rule, the page must list them"
                for name, status in scenarios[rule.id]:
                    shown = [s for s in card["scenarios"] if name in " ".join(s["text"].split())]
                    assert shown and status in shown[0]["results"], (device, rule.id, name, status)
            page.screenshot(path=str(screenshots / f"{device}-table-{table.name}.png"), full_page=True)
    finally:
        context.close()
    _assert_local(requests, base_url)


def test_print_shows_one_card_per_rule_within_the_page(visit: tuple[Page, list[str]], base_url: str) -> None:
    page, _ = visit
    table = load_spec(REPO / "spec").table(TABLE)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.goto(f"{base_url}tables/{TABLE}.html")
    assert not page.locator(".md-sidebar--primary").is_visible()
    columns = page.evaluate(
        "getComputedStyle(document.querySelector('.b12-rule-body')).gridTemplateColumns.split(' ').length"
    )
    assert columns == 1  # one card per rule, its parts stacked
    for rule in table.rules:
        assert page.locator(f"h3#rule-{rule.id.lower()}").is_visible()
    _no_sideways_scroll(page, "print")


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_axe_finds_no_serious_violation_on_any_page(
    browser: Browser, base_url: str, built: SitePaths, screenshots: Path
) -> None:
    axe = Axe()
    problems: list[str] = []
    pages = _pages(built.site_dir)
    assert len(pages) > 20
    for scheme in ("light", "dark"):
        context, requests = _local_context(browser, base_url, viewport=VIEWPORTS["desktop"], color_scheme=scheme)
        page = context.new_page()
        # the dark palette: one page of each kind (home, table, feature) is enough to see its colours
        dark = ["index.html", "tables/treatment.html", "features/age-groups.html"]
        for name in pages if scheme == "light" else dark:
            page.goto(base_url + name)
            expected = "slate" if scheme == "dark" else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected, name
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{scheme} {name}: {violation['id']} ({violation['impact']}) {targets}")
            page.screenshot(path=str(screenshots / f"{scheme}-{name.replace('/', '-')}.png"))
        context.close()
        _assert_local(requests, base_url)
    assert not problems, "\n".join(problems)


def test_palette_toggle_switches_to_dark_and_back(visit: tuple[Page, list[str]], base_url: str) -> None:
    page, _ = visit
    page.goto(base_url + "index.html")
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("label[title='Switch to the dark palette']").first.click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    page.locator("label[title='Switch to the light palette']").first.click()
    assert body.get_attribute("data-md-color-scheme") == "default"


def _search(page: Page, base_url: str, query: str) -> list[str]:
    """The sections the search lists for ``query``, best first (page links and ``?h=`` dropped)."""
    page.goto(base_url + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # typed key by key: Material's search reacts to keyboard input, not to a value set at once
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    # the search index loads in a web worker: slow on a busy machine, hence the generous timeouts
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=60000)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__meta').innerText.includes('matching')", arg=query,
        timeout=60000,
    )
    page.wait_for_timeout(300)  # the last keystroke's results replace the earlier ones
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    return [re.sub(r"\?h=[^#]*", "", href) for href in hrefs if "#" in href]


def test_search_finds_hydroxocobalamin(visit: tuple[Page, list[str]], base_url: str) -> None:
    page, _ = visit
    _search(page, base_url, "hydroxocobalamin")
    results = page.locator(".md-search-result__item")
    assert "hydroxocobalamin" in " ".join(results.all_inner_texts()).lower()
    assert "matching document" in page.locator(".md-search-result__meta").inner_text()


def _search_cases() -> list[tuple[str, str]]:
    """Ids the default separator got wrong (a later rule or question listed an earlier one first)."""
    spec = load_spec(REPO / "spec")
    cases = []
    for name in ("treatment", "b12_status"):
        rule = spec.table(name).rules[-1]
        cases.append((rule.id, f"{table_page(name).replace('.md', '.html')}#rule-{rule.id.lower()}"))
    question = spec.open_questions[-1] if spec.open_questions[-1].id != "OQ-19" else spec.open_questions[-2]
    cases += [("OQ-19", "open-questions.html#oq-19"), (question.id, f"open-questions.html#{question.id.lower()}")]
    return cases


@pytest.mark.parametrize(("query", "target"), _search_cases())
def test_search_lists_the_rule_or_question_first(
    visit: tuple[Page, list[str]], base_url: str, query: str, target: str
) -> None:
    page, _ = visit
    hrefs = _search(page, base_url, query)
    assert hrefs and hrefs[0].endswith(target), hrefs[:3]


def test_diagram_is_drawn_and_nodes_link_to_tables(
    visit: tuple[Page, list[str]], base_url: str, screenshots: Path
) -> None:
    page, _ = visit
    spec = load_spec(REPO / "spec")
    page.goto(base_url + "diagram.html")
    svg = page.locator(".b12-mermaid svg")
    svg.wait_for(state="visible", timeout=15000)
    assert page.locator(".b12-mermaid").get_attribute("data-processed") == "true"  # drawn by mermaid
    nodes = page.locator(".b12-mermaid svg g.node")
    assert nodes.count() == len(spec.tables)
    links = page.locator(".b12-mermaid svg a.b12-node-link")
    hrefs = sorted(links.nth(i).get_attribute("href") or "" for i in range(links.count()))
    assert hrefs == sorted(f"tables/{t.name.replace('_', '-')}.html" for t in spec.tables)
    page.screenshot(path=str(screenshots / "diagram.png"))
    page.locator(".b12-mermaid svg a.b12-node-link", has_text=spec.table(TABLE).title).click()
    page.wait_for_url(f"**/tables/{TABLE}.html")


def test_site_opened_from_disk_shows_home_tables_diagram_and_questions(browser: Browser, built: SitePaths) -> None:
    """The acceptance path: site/index.html opened straight from disk, with no server at all."""
    spec = load_spec(REPO / "spec")
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        page.goto((built.site_dir / "index.html").as_uri())
        assert spec.guideline.title in page.locator("article h1").inner_text()
        for table in spec.tables:
            link = page.locator(f"article a[href='tables/{table.name.replace('_', '-')}.html']").first
            assert link.count() == 1, table.name
        page.locator("article a[href='tables/treatment.html']").first.click()
        page.wait_for_url(f"**/tables/{TABLE}.html")
        page.locator(".b12-rule").first.wait_for(state="visible")
        assert page.locator(".b12-rule").count() == len(spec.table(TABLE).rules)
        page.goto((built.site_dir / "diagram.html").as_uri())
        page.locator(".b12-mermaid svg g.node").first.wait_for(state="visible", timeout=15000)
        assert page.locator(".b12-mermaid svg g.node").count() == len(spec.tables)
        page.goto((built.site_dir / "open-questions.html").as_uri())
        for question in spec.open_questions:
            assert page.locator(f"#{question.id.lower()}").is_visible()
    finally:
        context.close()
    outside = [url for url in requests if not url.startswith(("file://", "data:", "blob:"))]
    assert not outside, f"requests left the machine: {outside}"
